/**
 * The plot grid's plan: which channels go in which plot, and how each line
 * looks (colour, dash, legend).
 */
import { parseRunName, splitChannel, statKind } from '../../store';
import { RUN_PALETTE, runColours } from './compare';

/** A channel of a run, as the grid sees it. */
export interface IChannelRef {
  readonly run: string;
  readonly channel: string;
  readonly kind: string;
}

/** A channel's place in its plot. */
export interface IGridMember extends IChannelRef {
  readonly label: string;
  readonly colour: string;
  readonly dash: string;
  /** The legend text: the run when comparing, else the label. */
  readonly legend: string;
  readonly showLegend: boolean;
}

/** Dashes that tell a group's labels apart when colours mean runs. */
export const LABEL_DASHES = ['solid', 'dash', 'dot', 'dashdot', 'longdash'];

/** The dash of `label` when comparing: by its place among the grid's labels. */
export function labelDash(label: string, labels: readonly string[]): string {
  const index = Math.max(0, labels.indexOf(label));
  return LABEL_DASHES[index % LABEL_DASHES.length];
}

/**
 * Plan the grid: one plot per group (the channel's part before its first
 * dot), groups sorted by name, hidden kinds (`silent`) left out.
 *
 * With one run, each label of a group gets its own colour and the legend
 * names labels. With several, colour is the run's (`runColours`), dash
 * tells labels apart, and the legend names each run once per plot.
 */
export function planGrid(
  channels: readonly IChannelRef[],
  runs: readonly string[]
): Map<string, IGridMember[]> {
  // Each ref's label, found once: a draw pass plans the grid again.
  const byGroup = new Map<string, { ref: IChannelRef; label: string }[]>();
  for (const ref of channels) {
    if (statKind(ref.kind)?.plot === 'null') {
      continue;
    }
    const { group, label } = splitChannel(ref.channel);
    let members = byGroup.get(group);
    if (!members) {
      members = [];
      byGroup.set(group, members);
    }
    members.push({ ref, label });
  }
  const comparing = runs.length > 1;
  const colours = runColours(runs);
  // One dash per label across the grid, so the dash legend holds everywhere.
  const allLabels = [
    ...new Set([...byGroup.values()].flat().map(m => m.label))
  ].sort();
  const dashes = new Map(allLabels.map(l => [l, labelDash(l, allLabels)]));
  const runOrder = new Map(runs.map((r, i) => [r, i]));
  const plan = new Map<string, IGridMember[]>();
  for (const group of [...byGroup.keys()].sort()) {
    const members = byGroup
      .get(group)!
      .sort(
        (a, b) =>
          (runOrder.get(a.ref.run) ?? 0) - (runOrder.get(b.ref.run) ?? 0) ||
          a.ref.channel.localeCompare(b.ref.channel)
      );
    const labels = [...new Set(members.map(m => m.label))].sort();
    const shownRuns = new Set<string>();
    plan.set(
      group,
      members.map(({ ref, label }) => {
        if (comparing) {
          const first = !shownRuns.has(ref.run);
          shownRuns.add(ref.run);
          return {
            ...ref,
            label,
            colour: colours.get(ref.run) ?? RUN_PALETTE[0],
            dash: dashes.get(label)!,
            legend: shortRunName(ref.run),
            showLegend: first
          };
        }
        return {
          ...ref,
          label,
          colour: RUN_PALETTE[labels.indexOf(label) % RUN_PALETTE.length],
          dash: 'solid',
          legend: label || group,
          showLegend: labels.length > 1
        };
      })
    );
  }
  return plan;
}

/** A run's name without its date stamp (`neat-river lr-sweep`). */
export function shortRunName(run: string): string {
  let short = shortNames.get(run);
  if (short === undefined) {
    try {
      const { words, suffix } = parseRunName(run);
      short = `${words} ${suffix}`.trim() || run;
    } catch {
      short = run;
    }
    // Every plot's legend asks for every run's, at each draw.
    if (shortNames.size >= 10_000) {
      shortNames.clear();
    }
    shortNames.set(run, short);
  }
  return short;
}

const shortNames = new Map<string, string>();
