/**
 * Merging a channel's per-writer files (`stats.<channel>.0.npr`, `.1.npr`,
 * …) into one set of columns ordered by time.
 */
import { IColumnSet } from './decode';

/**
 * Merge the decoded files of one channel into one column set sorted by time.
 *
 * @param parts - the decoded files, in writer order (`.0.npr`, `.1.npr`, …).
 * @param timeField - the column to order by.
 * @returns the merged columns. Rows are ordered by time; equal times keep
 *   writer order, then row order (a stable sort of the concatenation). Rows
 *   whose time is NaN (NaT) are dropped. A field missing from some files is
 *   NaN in their rows.
 *
 * #### Notes
 * pavlov sorts with `np.argsort`, whose default quicksort is not stable, so
 * the order of equal times there is unspecified; this order is one it can
 * produce, and the one the runwatch spec fixes.
 *
 * Each writer appends in time order, so sorted files are k-way merged in
 * O(n · writers); one sorted file is returned without copying. Files out of
 * order (a clock stepped back) fall back to a natural merge sort.
 */
export function mergeByTime(
  parts: IColumnSet[],
  timeField = '_time'
): IColumnSet {
  const nonEmpty = parts.filter(p => p.length > 0);
  const sorted = nonEmpty.every(p =>
    isSortedFinite(p.columns[timeField]?.subarray(0, p.length))
  );
  if (sorted && nonEmpty.length === 1) {
    return nonEmpty[0];
  }
  const names = fieldNames(parts);
  if (sorted && nonEmpty.length > 0 && nonEmpty.length < 256) {
    return mergeSortedParts(nonEmpty, names, timeField);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const concatenated: Record<string, Float64Array> = {};
  for (const name of names) {
    const column = new Float64Array(total);
    let at = 0;
    for (const part of parts) {
      const source = part.columns[name];
      if (source) {
        column.set(source.subarray(0, part.length), at);
      } else {
        column.fill(NaN, at, at + part.length);
      }
      at += part.length;
    }
    concatenated[name] = column;
  }
  const time = concatenated[timeField] ?? new Float64Array(total).fill(NaN);
  const order = stableTimeOrder(time);
  if (order.length === total && isIdentity(order)) {
    return { length: total, columns: concatenated };
  }
  const columns: Record<string, Float64Array> = {};
  for (const name of names) {
    const source = concatenated[name];
    const column = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) {
      column[i] = source[order[i]];
    }
    columns[name] = column;
  }
  return { length: order.length, columns };
}

/**
 * k-way merge of time-sorted parts: pick each row's part once, then copy
 * every field along that sequence. Ties go to the earlier part.
 */
function mergeSortedParts(
  parts: IColumnSet[],
  names: string[],
  timeField: string
): IColumnSet {
  const k = parts.length;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const times = parts.map(p => p.columns[timeField]);
  const lengths = Int32Array.from(parts, p => p.length);
  const owner = new Uint8Array(total);
  const heads = new Int32Array(k);
  if (k === 2) {
    const [a, b] = times;
    const [na, nb] = lengths;
    let i = 0;
    let ia = 0;
    let ib = 0;
    while (ia < na && ib < nb) {
      // `<=` takes the earlier writer first on ties.
      if (a[ia] <= b[ib]) {
        ia++;
      } else {
        owner[i] = 1;
        ib++;
      }
      i++;
    }
    owner.fill(1, i + (na - ia));
  } else {
    for (let i = 0; i < total; i++) {
      let best = -1;
      let bestTime = Infinity;
      for (let p = 0; p < k; p++) {
        if (
          heads[p] < lengths[p] &&
          (best < 0 || times[p][heads[p]] < bestTime)
        ) {
          best = p;
          bestTime = times[p][heads[p]];
        }
      }
      owner[i] = best;
      heads[best]++;
    }
  }
  const columns: Record<string, Float64Array> = {};
  for (const name of names) {
    const sources = parts.map(
      p => p.columns[name] ?? new Float64Array(p.length).fill(NaN)
    );
    const column = new Float64Array(total);
    heads.fill(0);
    if (k === 2) {
      const [a, b] = sources;
      let ia = 0;
      let ib = 0;
      for (let i = 0; i < total; i++) {
        column[i] = owner[i] === 0 ? a[ia++] : b[ib++];
      }
    } else {
      for (let i = 0; i < total; i++) {
        const p = owner[i];
        column[i] = sources[p][heads[p]++];
      }
    }
    columns[name] = column;
  }
  return { length: total, columns };
}

/**
 * The indices of the non-NaN entries of `time`, stably sorted by time.
 */
export function stableTimeOrder(time: Float64Array): Int32Array {
  let order = new Int32Array(time.length);
  let n = 0;
  for (let i = 0; i < time.length; i++) {
    if (time[i] === time[i]) {
      order[n++] = i;
    }
  }
  order = order.subarray(0, n);

  // Boundaries of the maximal non-decreasing runs.
  const bounds: number[] = [0];
  for (let i = 1; i < n; i++) {
    if (time[order[i]] < time[order[i - 1]]) {
      bounds.push(i);
    }
  }
  bounds.push(n);

  let source = order;
  let target = new Int32Array(n);
  let runs = bounds;
  while (runs.length > 2) {
    const merged: number[] = [0];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r];
      const mid = runs[r + 1];
      const hi = r + 2 < runs.length ? runs[r + 2] : mid;
      mergeRuns(time, source, target, lo, mid, hi);
      merged.push(hi);
    }
    runs = merged;
    [source, target] = [target, source];
  }
  return source;
}

function mergeRuns(
  time: Float64Array,
  source: Int32Array,
  target: Int32Array,
  lo: number,
  mid: number,
  hi: number
): void {
  let l = lo;
  let r = mid;
  let k = lo;
  while (l < mid && r < hi) {
    // `<=` takes the left run first on ties: that's what keeps it stable.
    if (time[source[l]] <= time[source[r]]) {
      target[k++] = source[l++];
    } else {
      target[k++] = source[r++];
    }
  }
  while (l < mid) {
    target[k++] = source[l++];
  }
  while (r < hi) {
    target[k++] = source[r++];
  }
}

function fieldNames(parts: IColumnSet[]): string[] {
  const names = new Set<string>();
  for (const part of parts) {
    for (const name of Object.keys(part.columns)) {
      names.add(name);
    }
  }
  return [...names];
}

function isSortedFinite(time: Float64Array | undefined): boolean {
  if (!time) {
    return false;
  }
  for (let i = 0; i < time.length; i++) {
    if (!(time[i] === time[i]) || (i > 0 && time[i] < time[i - 1])) {
      return false;
    }
  }
  return true;
}

function isIdentity(order: Int32Array): boolean {
  for (let i = 0; i < order.length; i++) {
    if (order[i] !== i) {
      return false;
    }
  }
  return true;
}
