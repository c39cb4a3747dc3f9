/**
 * Resolving a run query (an index, an exact name, a glob or a word) against
 * the runs of a store, with the same rules as `runwatch/store/resolve.py`
 * (docs/run-store.md, "Resolving runs"; test/vectors/matching.json).
 */
import { ResolveError } from './errors';
import { nameMatcher } from './glob';

/** A run as listed by the server. */
export interface IRunEntry {
  readonly name: string;
  /**
   * `_created`: a number is ms since the epoch, a bigint ns since the
   * epoch. Absent when `_info.json` couldn't be read.
   */
  readonly created?: number | bigint;
  /** Why the run's `_info.json` couldn't be read, if it couldn't. */
  readonly error?: string;
}

/** At most this many candidates are named in an error. */
export const MAX_LISTED = 10;

const INTEGER = /^[+-]?\d+$/;
const STAMP = /^\d{4}-\d\d-\d\d \d\d-\d\d-\d\d(?= |$)/;

/**
 * Runs oldest first: by the UTC second stamped on the name (or, for a name
 * without one, taken from `_created`), then by `_created`, then by name.
 * Runs with neither stamp nor readable `_created` come last, by name.
 */
export function orderRuns(runs: readonly IRunEntry[]): IRunEntry[] {
  const keyed: Array<{ run: IRunEntry; stamp: string; created: bigint }> = [];
  const unplaced: IRunEntry[] = [];
  for (const run of runs) {
    const created = createdNs(run);
    const stamp =
      STAMP.exec(run.name)?.[0] ??
      (created === undefined ? undefined : stampOf(created));
    if (stamp === undefined) {
      unplaced.push(run);
    } else {
      keyed.push({ run, stamp, created: created ?? -1n });
    }
  }
  keyed.sort(
    (a, b) =>
      compare(a.stamp, b.stamp) ||
      compare(a.created, b.created) ||
      compare(a.run.name, b.run.name)
  );
  unplaced.sort((a, b) => compare(a.name, b.name));
  return [...keyed.map(k => k.run), ...unplaced];
}

/**
 * Every run a query matches, oldest first.
 *
 * - An integer (or an integer string such as `'-1'`) indexes the runs with a
 *   readable `_created`, oldest first; negative counts from the newest.
 * - A string equal to a run's name matches just that run, even if it looks
 *   like a glob or an integer.
 * - A string with `*`, `?` or `[` is a glob (`[seq]`, `[!seq]`) that must
 *   match the whole name; any other non-blank string matches as a substring.
 *   Both are case-sensitive.
 *
 * @throws ResolveError, naming the newest candidates, if nothing matches.
 */
export function resolveRuns(
  query: number | string,
  runs: readonly IRunEntry[]
): string[] {
  const file = `run query ${JSON.stringify(query)}`;
  if (typeof query === 'number') {
    return [byIndex(query, runs, file)];
  }
  if (runs.some(r => r.name === query)) {
    return [query];
  }
  if (INTEGER.test(query.trim())) {
    return [byIndex(Number(query.trim()), runs, file)];
  }
  const matches = nameMatcher(query);
  const found = orderRuns(runs.filter(r => matches(r.name))).map(r => r.name);
  if (found.length === 0) {
    throw notFound(file, 'no run matches', runs);
  }
  return found;
}

/**
 * The runs a filter's text matches by `resolveRuns`'s rules, in their given
 * order; blank text keeps every run, and text matching none gives none.
 * `entry` gives the name and `_created` of each run.
 */
export function filterRuns<T>(
  text: string,
  runs: readonly T[],
  entry: (run: T) => IRunEntry
): T[] {
  if (!text.trim()) {
    return [...runs];
  }
  const entries = runs.map(entry);
  let names: Set<string>;
  try {
    names = new Set(resolveRuns(text.trim(), entries));
  } catch (error) {
    if (error instanceof ResolveError) {
      return [];
    }
    throw error;
  }
  return runs.filter((_, i) => names.has(entries[i].name));
}

/**
 * The one run a query names (see `resolveRuns`).
 *
 * @throws ResolveError naming the candidates if it matches none or several.
 */
export function resolveRun(
  query: number | string,
  runs: readonly IRunEntry[]
): string {
  const found = resolveRuns(query, runs);
  if (found.length > 1) {
    throw new ResolveError(
      `run query ${JSON.stringify(query)}`,
      `matches ${found.length} runs: ${describe([...found].reverse())}`
    );
  }
  return found[0];
}

function byIndex(
  index: number,
  runs: readonly IRunEntry[],
  file: string
): string {
  if (!Number.isInteger(index)) {
    throw new ResolveError(file, 'a run index must be an integer');
  }
  const readable = orderRuns(runs.filter(r => createdNs(r) !== undefined));
  const run = readable[index < 0 ? readable.length + index : index];
  if (!run) {
    throw notFound(
      file,
      `index out of range: ${readable.length} runs have a readable _created`,
      runs
    );
  }
  return run.name;
}

function notFound(
  file: string,
  why: string,
  runs: readonly IRunEntry[]
): ResolveError {
  const newest = runs
    .map(r => r.name)
    .sort(compare)
    .reverse();
  return new ResolveError(
    file,
    `${why}; ${runs.length} runs, newest: ${describe(newest)}`
  );
}

function describe(names: string[]): string {
  if (names.length === 0) {
    return 'none';
  }
  const shown = names.slice(0, MAX_LISTED).map(n => JSON.stringify(n));
  const more =
    names.length > MAX_LISTED ? ` (and ${names.length - MAX_LISTED} more)` : '';
  return shown.join(', ') + more;
}

function createdNs(run: IRunEntry): bigint | undefined {
  if (run.error !== undefined || run.created === undefined) {
    return undefined;
  }
  return typeof run.created === 'bigint'
    ? run.created
    : BigInt(Math.round(run.created * 1e6));
}

function stampOf(ns: bigint): string {
  const ms =
    Number(ns / 1_000_000n) - (ns < 0n && ns % 1_000_000n !== 0n ? 1 : 0);
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19).replace(/:/g, '-')}`;
}

function compare<T extends string | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
