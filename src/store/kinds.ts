/**
 * The one table of stat kinds, mirroring `runwatch/store/kinds.py` (the
 * source of truth, exported to `test/vectors/kinds.json`; a test keeps the
 * two equal).
 */

/** How the monitor formats a kind's latest value. */
export type MonitorFormat =
  'simple' | 'percent' | 'confidence' | 'quantiles' | 'null';

/** How plots draw a kind. */
export type PlotStyle =
  'line' | 'percent' | 'confidence' | 'quantiles' | 'null';

/** One argument of a stats call, stored as a field of the same name. */
export interface IKindArg {
  readonly name: string;
  /** The value used when the call omits it; absent if required. */
  readonly default?: number;
}

/** A stat kind: its call signature, its aggregate columns and its looks. */
export interface IStatKind {
  readonly name: string;
  /** Arguments in call order. */
  readonly args: readonly IKindArg[];
  /** One-line summary of the bucket maths. */
  readonly aggregation: string;
  /** Output column names, or `null` when they come from `columns_from`. */
  readonly columns: readonly string[] | null;
  /**
   * The argument whose flattened fields (`qs.0`, `qs.1`, …) each give one
   * output column, or `null`.
   */
  readonly columns_from: string | null;
  readonly format: MonitorFormat;
  readonly plot: PlotStyle;
  /** Hidden from the monitor. */
  readonly silent: boolean;
}

const X: IKindArg[] = [{ name: 'x' }];
const TOTAL_COUNT: IKindArg[] = [
  { name: 'total' },
  { name: 'count', default: 1 }
];
const COUNT: IKindArg[] = [{ name: 'count', default: 1 }];
const VALUE = ['value'];

function kind(
  name: string,
  args: IKindArg[],
  aggregation: string,
  options: Partial<Omit<IStatKind, 'name' | 'args' | 'aggregation'>> = {}
): IStatKind {
  return {
    name,
    args,
    aggregation,
    columns: VALUE,
    columns_from: null,
    format: 'simple',
    plot: 'line',
    silent: false,
    ...options
  };
}

const PERCENT = { format: 'percent', plot: 'percent' } as const;

/** Every stat kind, in the Python table's order. */
export const STAT_KINDS: readonly IStatKind[] = [
  kind('last', X, 'last non-NaN value, forward-filled'),
  kind('max', X, 'max'),
  kind('max_percent', X, 'max', PERCENT),
  kind('mean', TOTAL_COUNT, 'mean(total) / mean(count)'),
  kind('mean_percent', TOTAL_COUNT, 'mean(total) / mean(count)', PERCENT),
  kind('std', X, 'sample std (ddof=1)'),
  kind(
    'cumsum',
    [{ name: 'total', default: 1 }],
    'cumulative sum of sum(total)'
  ),
  kind('timeaverage', X, 'mean(x*dt) / mean(dt), dt = gap to the previous row'),
  kind(
    'duty',
    [{ name: 'duration' }],
    'sum(duration) / diff(bucket labels); first bucket NaN',
    PERCENT
  ),
  kind(
    'maxrate',
    [{ name: 'duration' }, { name: 'count', default: 1 }],
    'mean(count) / mean(duration)'
  ),
  kind('rate', COUNT, 'sum(count) / min(rule, data span)'),
  kind('period', COUNT, 'min(rule, data span) / sum(count)'),
  kind(
    'mean_std',
    [{ name: 'μ' }, { name: 'σ' }],
    'mu = mean(μ/σ²)/mean(1/σ²), sigma = 1/sqrt(mean(1/σ²)), lo/hi = mu ∓ 2 sigma',
    {
      columns: ['mu', 'sigma', 'lo', 'hi'],
      format: 'confidence',
      plot: 'confidence'
    }
  ),
  kind(
    'quantiles',
    [{ name: 'qs' }],
    "mean of each qs.i column; column i named f'{100*q:.0f}', q = linspace(0, 1, n)[i]",
    {
      columns: null,
      columns_from: 'qs',
      format: 'quantiles',
      plot: 'quantiles'
    }
  ),
  kind('silent', X, 'last non-NaN value, forward-filled', {
    format: 'null',
    plot: 'null',
    silent: true
  })
];

const BY_NAME = new Map(STAT_KINDS.map(k => [k.name, k]));

/** The kind called `name`, or `undefined` if there is none. */
export function statKind(name: string): IStatKind | undefined {
  return BY_NAME.get(name);
}

/**
 * The output column names of a `columns_from` kind with `n` flattened
 * fields: pandas' `f'{100*q:.0f}'` over `np.linspace(0, 1, n)`, so five
 * quantiles give `0 25 50 75 100`.
 *
 * #### Notes
 * Python rounds exact halves to even (`12.5` → `12`), unlike `toFixed`.
 */
export function quantileColumnNames(n: number): string[] {
  const names: string[] = [];
  const step = 1 / (n - 1);
  for (let i = 0; i < n; i++) {
    const q = n === 1 ? 0 : i === n - 1 ? 1 : i * step;
    names.push(String(roundHalfEven(100 * q)));
  }
  return names;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff !== 0.5) {
    return Math.round(x);
  }
  return floor % 2 === 0 ? floor : floor + 1;
}
