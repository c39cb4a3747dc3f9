/**
 * Comparing runs: a stable colour per run, and the params that differ.
 */

/** Ten distinguishable colours (d3's category10), on light and dark. */
export const RUN_PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf'
];

/** FNV-1a over the name's UTF-16 code units: fast, stable everywhere. */
export function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A run's own palette index: a pure function of its name. */
export function runColourIndex(name: string): number {
  return nameHash(name) % RUN_PALETTE.length;
}

/**
 * Colours for the runs shown together: each run gets its own colour
 * (`runColourIndex`) unless a run before it, in name order, took it; then
 * the next free one. So a run keeps its colour from plot to plot, whatever
 * order the runs are listed in, and runs shown together never share one
 * (up to the palette's size).
 */
export function runColours(names: readonly string[]): Map<string, string> {
  const colours = new Map<string, string>();
  const taken = new Set<number>();
  for (const name of [...new Set(names)].sort()) {
    let index = runColourIndex(name);
    if (taken.size < RUN_PALETTE.length) {
      while (taken.has(index)) {
        index = (index + 1) % RUN_PALETTE.length;
      }
    }
    taken.add(index);
    colours.set(name, RUN_PALETTE[index]);
  }
  return colours;
}

/** A run's params, for `differingParams`. */
export interface IRunParams {
  readonly run: string;
  /** `_info.json`'s `params`: anything JSON. */
  readonly params: unknown;
}

/** The params that differ between runs, as a table. */
export interface IParamTable {
  /** Param paths (`lr`, `model.width`), sorted. */
  readonly keys: string[];
  /** One row per run, in the order given: the value of each key as text. */
  readonly rows: { run: string; values: string[] }[];
}

/** Shown where a run lacks a param. */
export const MISSING_PARAM = '—';

/**
 * The params whose values are not the same in every run, and only those.
 * Nested objects are flattened to dotted paths; a param missing from some
 * runs differs. Fewer than two runs have nothing to compare: no keys.
 */
export function differingParams(runs: readonly IRunParams[]): IParamTable {
  const flat = runs.map(r => flattenParams(r.params));
  const all = new Set<string>();
  flat.forEach(f => f.forEach((_, k) => all.add(k)));
  const keys =
    runs.length < 2
      ? []
      : [...all]
          .filter(key => {
            const first = flat[0].get(key);
            return flat.some(f => f.get(key) !== first);
          })
          .sort();
  return {
    keys,
    rows: runs.map((r, i) => ({
      run: r.run,
      values: keys.map(k => flat[i].get(k) ?? MISSING_PARAM)
    }))
  };
}

/**
 * `{model: {width: 8}, lr: 0.1}` → `model.width` → `8`, `lr` → `0.1`.
 * Arrays and scalars are leaves, written as JSON (strings unquoted).
 */
export function flattenParams(params: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) {
        walk(child, path ? `${path}.${key}` : key);
      }
    } else if (path) {
      out.set(
        path,
        typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null')
      );
    }
  };
  if (isPlainObject(params)) {
    walk(params, '');
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
