/**
 * What a plot's x can be: the time since the run started, or a channel the
 * runs log that counts up (a step or sample counter), so runs of different
 * speeds line up (docs/plots.md, "x by step"). The server maps every point
 * onto the chosen channel; these are the choices and what the page says.
 */
import { TranslationBundle } from '@jupyterlab/translation';

/** The x the plots draw against: a channel's name, or none for time. */
export type XChannel = string | undefined;

/** The kinds whose per-row value is a counter x can follow. */
const COUNTER_KINDS = new Set(['last', 'cumsum']);

/** Names listed first: what a step or sample counter is usually called. */
const STEP_LIKE = /^(?:step|samples|frames)$|\.(?:step|samples)$/;

/**
 * The channels x can be, once each: every `last` or `cumsum` channel of
 * the runs, the step-like ones (`step`, `*.step`, `samples`, `*.samples`,
 * `frames`) first, each part in name order.
 */
export function xChoices(
  runs: readonly {
    readonly channels: ReadonlyMap<
      string,
      { readonly kind: string; readonly error?: string }
    >;
  }[]
): string[] {
  const names = new Set<string>();
  for (const { channels } of runs) {
    for (const [name, channel] of channels) {
      if (COUNTER_KINDS.has(channel.kind) && !channel.error) {
        names.add(name);
      }
    }
  }
  const sorted = [...names].sort();
  return [
    ...sorted.filter(n => STEP_LIKE.test(n)),
    ...sorted.filter(n => !STEP_LIKE.test(n))
  ];
}

/** The runs that don't log `x` (none when x is time). */
export function runsWithout(
  x: XChannel,
  runs: readonly {
    readonly run: string;
    readonly channels: ReadonlyMap<string, unknown>;
  }[]
): string[] {
  return x === undefined
    ? []
    : runs.filter(r => !r.channels.has(x)).map(r => r.run);
}

/**
 * The one header note for the runs left out of an x-by-`x` review, naming
 * them and why; `undefined` when none is.
 */
export function leftOutNote(
  x: XChannel,
  runs: readonly string[],
  trans: TranslationBundle
): string | undefined {
  if (x === undefined || runs.length === 0) {
    return undefined;
  }
  return trans._n(
    "%2: left out: it logs no channel '%3' to draw it against (runs written by pavlov log no step); pick x: time to see it",
    "%1 runs left out: they log no channel '%3' to draw them against (runs written by pavlov log no step); pick x: time to see them: %2",
    runs.length,
    runs.join(', '),
    x
  );
}

/** The hover's x for a counter: `step 12.3k` (a plotly template). */
export function xHoverTitle(x: XChannel): string | undefined {
  return x === undefined ? undefined : `${x} %{x:.4~s}`;
}
