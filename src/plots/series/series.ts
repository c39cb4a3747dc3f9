/**
 * What a plot draws for one channel at one rule: raw rows, or buckets with
 * the exact run-store semantics (`aggregate`) and a min–max band.
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import {
  aggregate,
  IColumnSet,
  minMaxPerBucket,
  PlotStyle,
  quantileColumnNames,
  statKind
} from '../../store';
import { IRunBand } from './runsEnvelope';

/** A bucket rule in seconds, or every row as written. */
export type PlotRule = number | 'raw';

/**
 * A rule as the rule control names it: `raw`, `10 s`, `10 min`.
 *
 * #### Notes
 * A minute stays `60 s`, as pavlov's default reads.
 */
export function plotRuleLabel(
  rule: PlotRule,
  trans: TranslationBundle = nullTranslator.load('runwatch')
): string {
  if (rule === 'raw') {
    return trans.__('raw');
  }
  return rule > 60 && rule % 60 === 0
    ? trans.__('%1 min', rule / 60)
    : trans.__('%1 s', rule);
}

/**
 * The rule control's choices; 60 s is pavlov's default. The labels are
 * English: a translated control names each with `plotRuleLabel`.
 */
export const PLOT_RULES: readonly { label: string; rule: PlotRule }[] = (
  ['raw', 1, 10, 60, 600] as const
).map(rule => ({ label: plotRuleLabel(rule), rule }));

export const DEFAULT_PLOT_RULE: PlotRule = 60;

/** A plotly trace as plain data (plotly takes typed arrays as they are). */
export type Trace = Record<string, unknown>;

/** A channel ready to plot: full-resolution x and columns. */
export interface IChannelSeries {
  /** Seconds since the run was created, sorted. */
  readonly x: Float64Array;
  /**
   * Columns by `aggregate`'s names: `value` (or a dict argument's
   * sub-fields), `mu sigma lo hi`, or the quantile names `0 25 50 75 100`.
   */
  readonly columns: Record<string, Float64Array>;
  /** A faint band behind the line: each bucket's raw min and max. */
  readonly band?: { readonly lo: Float64Array; readonly hi: Float64Array };
  /**
   * Instead of `band`: the bands of this channel's runs in one request,
   * folded into one by the server (`band=shared`), the same object in each
   * of those runs' series. A plot of more runs than `MAX_RUN_BANDS` draws
   * it as their shared band.
   */
  readonly sharedBand?: IRunBand;
  /**
   * The band is a group's spread over its runs (min–max, ± std), not one
   * run's buckets: it is drawn as the group's own, however many groups.
   */
  readonly groupBand?: boolean;
  readonly style: PlotStyle;
  /** A group's line: how many runs have data at each x. */
  readonly n?: Float64Array;
  /** A group's runs, each on `x` (NaN where a run has none): drawn faintly. */
  readonly members?: readonly Float64Array[];
}

/** Kinds whose raw values share the bucketed value's units: they get a band. */
const BANDED = new Set([
  'last',
  'silent',
  'max',
  'max_percent',
  'mean',
  'mean_percent',
  'timeaverage'
]);

/**
 * The series for a channel at `rule`.
 *
 * `raw` plots each row: the row's own value (`total / count` for `mean`,
 * `count / duration` for `maxrate`, the running total for `cumsum`, μ ± 2σ
 * for `mean_std`, each quantile; `rate`, `period` and `duty` show the
 * row's `count` or `duration`). A bucket rule aggregates exactly as the
 * run store does (`aggregate`, left-labelled buckets, NaN row at 0), and
 * for kinds whose rows share the value's units adds the per-bucket min and
 * max of the raw values (`minMaxPerBucket`), so a short spike that a mean
 * averages away still shows.
 *
 * @throws an `AggregateError` for an unknown kind or missing fields.
 */
export function channelSeries(
  kind: string,
  data: IColumnSet,
  rule: PlotRule,
  nowS?: number
): IChannelSeries {
  const style = statKind(kind)?.plot ?? 'line';
  const time = data.columns._time?.subarray(0, data.length);
  if (rule === 'raw' || !time) {
    return {
      x: time ?? new Float64Array(0),
      columns: rawColumns(kind, data),
      style
    };
  }
  const result = aggregate(kind, data, { ruleS: rule, nowS });
  let band: IChannelSeries['band'];
  if (BANDED.has(kind)) {
    const raw = rawColumns(kind, data);
    const values = raw.value ?? Object.values(raw)[0];
    if (values) {
      const { min, max } = minMaxPerBucket(values, result.buckets);
      band = { lo: min, hi: max };
    }
  }
  return { x: result.index, columns: result.columns, band, style };
}

/** Each row's own value, in `aggregate`'s column names (see above). */
export function rawColumns(
  kind: string,
  data: IColumnSet
): Record<string, Float64Array> {
  const n = data.length;
  const field = (name: string, fallback?: number): Float64Array | undefined =>
    data.columns[name]?.subarray(0, n) ??
    (fallback === undefined ? undefined : new Float64Array(n).fill(fallback));
  const single = (name: string, fallback?: number) => {
    const column = field(name, fallback);
    return column ? { value: column } : subFields(data, name);
  };
  switch (kind) {
    case 'mean':
    case 'mean_percent':
      return ratio(field('total'), field('count', 1), data, 'total');
    case 'maxrate':
      return ratio(field('count', 1), field('duration'), data, 'count');
    case 'cumsum': {
      const total = field('total', 1)!;
      const sum = new Float64Array(n);
      let running = 0;
      for (let i = 0; i < n; i++) {
        running += total[i] === total[i] ? total[i] : 0;
        sum[i] = running;
      }
      return { value: sum };
    }
    case 'rate':
    case 'period':
      return single('count', 1);
    case 'duty':
      return single('duration');
    case 'mean_std': {
      const mu = field('μ');
      const sigma = field('σ');
      if (!mu || !sigma) {
        return {};
      }
      const lo = new Float64Array(n);
      const hi = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        lo[i] = mu[i] - 2 * sigma[i];
        hi[i] = mu[i] + 2 * sigma[i];
      }
      return { mu, sigma, lo, hi };
    }
    case 'quantiles': {
      const fields = Object.keys(data.columns)
        .filter(f => /^qs\.\d+$/.test(f))
        .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
      const names = quantileColumnNames(fields.length);
      const columns: Record<string, Float64Array> = {};
      fields.forEach((f, i) => (columns[names[i]] = field(f)!));
      return columns;
    }
    default:
      return single('x');
  }
}

/** `top / bottom` per row, or per sub-field of a dict-valued `top`. */
function ratio(
  top: Float64Array | undefined,
  bottom: Float64Array | undefined,
  data: IColumnSet,
  topName: string
): Record<string, Float64Array> {
  const tops = top ? { value: top } : subFields(data, topName);
  const out: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(tops)) {
    const value = new Float64Array(column.length);
    for (let i = 0; i < column.length; i++) {
      value[i] = column[i] / (bottom ? bottom[i] : 1);
    }
    out[name] = value;
  }
  return out;
}

/** A dict-valued argument's fields: `x.a`, `x.b.c` → `a`, `b.c`. */
function subFields(
  data: IColumnSet,
  name: string
): Record<string, Float64Array> {
  const prefix = `${name}.`;
  const out: Record<string, Float64Array> = {};
  for (const [field, column] of Object.entries(data.columns)) {
    if (field.startsWith(prefix)) {
      out[field.slice(prefix.length)] = column.subarray(0, data.length);
    }
  }
  return out;
}
