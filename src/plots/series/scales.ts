/**
 * Which y axis each line of a plot goes on, so that channels of unrelated
 * scales (a 250 k counter beside a 0.3 s latency, a percent beside bytes)
 * don't flatten one another on one axis.
 */
import { PlotStyle } from '../../store';
import { IChannelSeries } from './series';

/** Channels whose magnitudes differ by more than this get their own axes. */
export const SCALE_RATIO = 30;

/** The most y axes one plot gets; further scales merge into the nearest. */
export const MAX_AXES = 3;

/** What `scaleGroups` reads of a plot entry. */
export interface IScaledEntry {
  readonly channel: string;
  readonly series: IChannelSeries;
}

/** How many values of a series the magnitude is estimated from. */
const SAMPLES = 2048;

/**
 * Each entry's y axis index, `0` for all when one axis fits them all.
 *
 * #### Notes
 * Axes are decided per channel name, not per entry, so one channel of
 * several runs (a comparison) always shares one axis. Percent kinds never
 * share an axis with plain ones (a percent axis would print the plain
 * values ×100). Plain channels are clustered by magnitude (the 98th
 * percentile of their |finite values|, robust to a lone spike): sorted by
 * magnitude, a new axis starts where a channel is more than `SCALE_RATIO`
 * times the smallest of the axis so far. Past `MAX_AXES`, the two
 * neighbouring plain axes closest in magnitude merge until it fits.
 * Channels without a magnitude (no finite value, or all zeros) join the
 * axis of the smallest scale. Axes are numbered in order of their first entry, so
 * the first channel's axis is axis 0.
 */
export function scaleGroups(entries: readonly IScaledEntry[]): number[] {
  const channels = new Map<string, IChannelSeries[]>();
  for (const { channel, series } of entries) {
    channels.set(channel, [...(channels.get(channel) ?? []), series]);
  }
  const percent: string[] = [];
  const sized: { channel: string; magnitude: number }[] = [];
  const unsized: string[] = [];
  for (const [channel, series] of channels) {
    if (series.some(s => s.style === 'percent')) {
      percent.push(channel);
      continue;
    }
    const magnitude = seriesMagnitude(series);
    if (magnitude > 0) {
      sized.push({ channel, magnitude });
    } else {
      unsized.push(channel);
    }
  }
  const clusters = magnitudeClusters(
    sized,
    MAX_AXES - (percent.length > 0 ? 1 : 0)
  );
  if (unsized.length > 0) {
    if (clusters.length > 0) {
      clusters[0].push(...unsized);
    } else {
      clusters.push(unsized);
    }
  }
  if (percent.length > 0) {
    clusters.push(percent);
  }
  // Number the axes by first appearance.
  const clusterOf = new Map<string, number>();
  clusters.forEach((members, i) => members.forEach(c => clusterOf.set(c, i)));
  const axisOf = new Map<number, number>();
  return entries.map(({ channel }) => {
    const cluster = clusterOf.get(channel) ?? 0;
    if (!axisOf.has(cluster)) {
      axisOf.set(cluster, axisOf.size);
    }
    return axisOf.get(cluster) ?? 0;
  });
}

/**
 * Channels grouped by magnitude, at most `maxClusters` groups (at least
 * one), each listing its channels from the smallest magnitude up.
 */
function magnitudeClusters(
  sized: { channel: string; magnitude: number }[],
  maxClusters: number
): string[][] {
  const sorted = [...sized].sort((a, b) => a.magnitude - b.magnitude);
  const clusters: { lo: number; hi: number; channels: string[] }[] = [];
  for (const { channel, magnitude } of sorted) {
    const last = clusters[clusters.length - 1];
    if (last && magnitude / last.lo <= SCALE_RATIO) {
      last.hi = magnitude;
      last.channels.push(channel);
    } else {
      clusters.push({ lo: magnitude, hi: magnitude, channels: [channel] });
    }
  }
  while (clusters.length > Math.max(1, maxClusters)) {
    // Merge the neighbours with the smallest gap between them.
    let best = 0;
    for (let i = 1; i < clusters.length - 1; i++) {
      const gap = clusters[i + 1].lo / clusters[i].hi;
      if (gap < clusters[best + 1].lo / clusters[best].hi) {
        best = i;
      }
    }
    const [a, b] = [clusters[best], clusters[best + 1]];
    clusters.splice(best, 2, {
      lo: a.lo,
      hi: b.hi,
      channels: [...a.channels, ...b.channels]
    });
  }
  return clusters.map(c => c.channels);
}

/**
 * A channel's magnitude over all its series (one per run): the 98th
 * percentile of the drawn columns' |finite values|, or 0 if none.
 *
 * #### Notes
 * Estimated from about `SAMPLES` evenly strided values over all the
 * series, so it costs the same for a million rows as for a thousand, and
 * for twenty runs as for one. A confidence kind's σ column is left out:
 * only μ and its ±2σ are drawn.
 */
export function seriesMagnitude(series: readonly IChannelSeries[]): number {
  const columns = series.flatMap(s =>
    Object.entries(s.columns)
      .filter(([name]) => !(s.style === 'confidence' && name === 'sigma'))
      .map(([, column]) => column)
  );
  const total = columns.reduce((sum, column) => sum + column.length, 0);
  const step = Math.max(1, Math.floor(total / SAMPLES));
  // Each column gives at most ceil(length / step) values.
  const values = new Float64Array(Math.ceil(total / step) + columns.length);
  let count = 0;
  for (const column of columns) {
    for (let i = 0; i < column.length; i += step) {
      const v = Math.abs(column[i]);
      if (Number.isFinite(v)) {
        values[count++] = v;
      }
    }
  }
  if (count === 0) {
    return 0;
  }
  const sorted = values.subarray(0, count).sort();
  return sorted[Math.min(count - 1, Math.floor(count * 0.98))];
}

/**
 * The style of an axis holding `styles`: percent only when every channel
 * is a percent kind, since a percent axis would print a plain channel's
 * values ×100.
 */
export function axisStyle(styles: readonly PlotStyle[]): PlotStyle {
  if (styles.length > 0 && styles.every(s => s === 'percent')) {
    return 'percent';
  }
  return styles.find(s => s !== 'percent') ?? 'line';
}

/**
 * Vertical domains (fractions of the plot area, `[bottom, top]`) for
 * `count` axes stacked top to bottom, the first on top, with `gapPx`
 * between them (room for each axis's label).
 */
export function axisDomains(
  count: number,
  heightPx: number,
  gapPx: number
): [number, number][] {
  const each = (heightPx - gapPx * (count - 1)) / count;
  const round = (f: number) => Math.round(f * 1e4) / 1e4;
  return Array.from({ length: count }, (_, k) => {
    const top = heightPx - k * (each + gapPx);
    return [round(Math.max(0, (top - each) / heightPx)), round(top / heightPx)];
  });
}
