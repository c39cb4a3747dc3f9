/**
 * Grouping compared runs by their params: one line per group (mean or
 * median across its runs, with a band), as viskit and the seeds do.
 */
import { differingParams, flattenParams, IRunParams } from '../series/compare';

/** Params that tell seeds apart, never a group key with `auto`. */
export const DEFAULT_SEED_PARAMS: readonly string[] = ['seed'];

/** How a review groups its runs: not at all, by params, or `auto`. */
export type GroupBy = 'none' | 'auto' | readonly string[];

/** Across a group's runs: the line, and the band around it. */
export type GroupCenter = 'mean' | 'median';
export type GroupBand = 'minmax' | 'std' | 'stderr' | 'none';

export interface IGroupOptions {
  readonly by: GroupBy;
  readonly center: GroupCenter;
  readonly band: GroupBand;
  /** Draw each run of a group too, faintly, in the group's colour. */
  readonly showRuns: boolean;
  /** One column of plots per value of this param. */
  readonly split?: string;
}

export const DEFAULT_GROUP_OPTIONS: IGroupOptions = {
  by: 'none',
  center: 'mean',
  band: 'minmax',
  showRuns: false
};

/** Some runs drawn as one line. */
export interface IRunGroup {
  /** `lr=0.001 bs=32`: the keys' values; what the legend shows. */
  readonly label: string;
  /** The group keys' values, as text (`flattenParams`). */
  readonly values: ReadonlyMap<string, string>;
  /** Oldest first, as given. */
  readonly runs: readonly string[];
}

/** A key is seed-like: `seed`, or a listed name, or `<path>.seed`. */
export function isSeedLike(
  key: string,
  seedParams: readonly string[] = DEFAULT_SEED_PARAMS
): boolean {
  const last = key.slice(key.lastIndexOf('.') + 1);
  return seedParams.includes(key) || seedParams.includes(last);
}

/** `auto`'s keys: every param that differs, except seed-like ones. */
export function autoGroupKeys(
  runs: readonly IRunParams[],
  seedParams: readonly string[] = DEFAULT_SEED_PARAMS
): string[] {
  return differingParams(runs).keys.filter(k => !isSeedLike(k, seedParams));
}

/**
 * Group `runs` by the values of `keys` (missing values group together as
 * `—`), groups in the order their first run comes.
 */
export function groupRuns(
  runs: readonly IRunParams[],
  keys: readonly string[]
): IRunGroup[] {
  const groups = new Map<
    string,
    { values: Map<string, string>; runs: string[] }
  >();
  for (const run of runs) {
    const flat = flattenParams(run.params);
    const values = new Map(keys.map(k => [k, flat.get(k) ?? '—']));
    const id = JSON.stringify([...values.values()]);
    const group = groups.get(id) ?? { values, runs: [] };
    group.runs.push(run.run);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ values, runs }) => ({
    label: groupLabel(values),
    values,
    runs
  }));
}

/** `lr=0.001 bs=32`; `all runs` with no keys. */
export function groupLabel(values: ReadonlyMap<string, string>): string {
  const parts = [...values].map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(' ') : 'all runs';
}

/**
 * The keys a review groups by: `none` → none; `auto` → `autoGroupKeys`;
 * else the given keys. `undefined` means no grouping at all.
 */
export function groupKeys(
  runs: readonly IRunParams[],
  by: GroupBy,
  seedParams: readonly string[] = DEFAULT_SEED_PARAMS
): string[] | undefined {
  if (by === 'none') {
    return undefined;
  }
  return by === 'auto' ? autoGroupKeys(runs, seedParams) : [...by];
}

/**
 * Group by default (no `--group`)? When three or more runs differ by a
 * seed-like param and grouping by the rest puts at least two runs in every
 * group: seeds of a sweep, where one line per seed would only add noise.
 */
export function groupsByDefault(
  runs: readonly IRunParams[],
  seedParams: readonly string[] = DEFAULT_SEED_PARAMS
): boolean {
  if (runs.length < 3) {
    return false;
  }
  const differing = differingParams(runs).keys;
  if (!differing.some(k => isSeedLike(k, seedParams))) {
    return false;
  }
  const groups = groupRuns(runs, autoGroupKeys(runs, seedParams));
  return groups.every(g => g.runs.length >= 2);
}

/**
 * `--split key`: the runs by the key's value (`key=value` labels), in the
 * order the values first come; runs without it under `key=—`.
 */
export function splitRuns(
  runs: readonly IRunParams[],
  key: string
): { label: string; runs: string[] }[] {
  return groupRuns(runs, [key]).map(g => ({
    label: g.label,
    runs: [...g.runs]
  }));
}
