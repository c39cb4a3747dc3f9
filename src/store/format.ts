/**
 * How the monitor prints values, ages and sizes, and the plots their axis
 * numbers (`formatNumber`). Pure functions; runwatch/store/latest.py is the
 * Python twin, held to it by test/vectors/latest.json.
 */
import type { MonitorFormat } from './kinds';

/** A bucket's output columns: `value`; `mu sigma lo hi`; `0 25 50 75 100`. */
export type BucketRow = Record<string, number>;

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/**
 * A number as the monitor and the plots print it: `digits` significant
 * figures with trailing zeros dropped (`0.523`, `12.5`), an SI suffix from
 * 1000 (`256k`, `18.5543G`), an exponent below 1e-4 or from 1e21 (`5e-5`,
 * `1e21`), and `nan`, `inf`, `-inf`.
 *
 * #### Notes
 * `toExponential` rounds the exact binary value half up, before the SI
 * scaling, so `1234565` is `1.23457M` in both languages (Python's `:g`
 * rounds half to even). runwatch/store/latest.py is the Python twin.
 */
export function formatNumber(x: number, digits = 6): string {
  if (Number.isNaN(x)) {
    return 'nan';
  }
  if (!Number.isFinite(x)) {
    return x > 0 ? 'inf' : '-inf';
  }
  if (x === 0) {
    return '0';
  }
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x)
    .toExponential(digits - 1)
    .split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 21) {
    return `${sign}${trimZeros(mantissa)}e${exponent}`;
  }
  const figures = mantissa.replace('.', '');
  const group = exponent >= 3 ? Math.floor(exponent / 3) : 0;
  const point = exponent - 3 * group + 1; // figures before the decimal point
  let text: string;
  if (point <= 0) {
    text = `0.${'0'.repeat(-point)}${figures}`;
  } else {
    const whole = figures.slice(0, point).padEnd(point, '0');
    const fraction = figures.slice(point);
    text = fraction ? `${whole}.${fraction}` : whole;
  }
  return `${sign}${trimZeros(text)}${SI_PREFIXES[group]}`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * pavlov's `{:.2%}`: `12.34%`; from a million percent in the number format
 * (`1.5M%`); `nan` and `inf` without a unit.
 */
export function formatPercent(x: number): string {
  const percent = 100 * x;
  if (!Number.isFinite(percent)) {
    return formatNumber(percent);
  }
  if (Math.abs(percent) >= 1e6) {
    return `${formatNumber(percent)}%`;
  }
  const text = percent.toFixed(2);
  return `${text === '-0.00' ? '0.00' : text}%`;
}

/** `μ±2σ`: μ to 6 significant figures, 2σ to 2 (`0.523412±0.041`). */
export function formatConfidence(mu: number, sigma: number): string {
  return `${formatNumber(mu)}±${formatNumber(2 * sigma, 2)}`;
}

/**
 * The 25–75 range of quantile columns, taken in order as evenly spaced from
 * 0 to 1 and interpolated linearly between neighbours (`np.interp`), each
 * end to 3 significant figures: `12.3–45.6`.
 */
export function formatQuantiles(row: BucketRow): string {
  const values = Object.values(row);
  if (values.length === 0) {
    return '';
  }
  const at = (q: number): number => {
    const position = q * (values.length - 1);
    const i = Math.floor(position);
    if (i >= values.length - 1) {
      return values[values.length - 1];
    }
    return values[i] + (values[i + 1] - values[i]) * (position - i);
  };
  return `${formatNumber(at(0.25), 3)}–${formatNumber(at(0.75), 3)}`;
}

/** A dict-valued channel has one column per sub-field: `a=1 b.c=2.5`. */
function eachField(one: (x: number) => string): (row: BucketRow) => string {
  return row =>
    'value' in row
      ? one(row.value)
      : Object.entries(row)
          .map(([name, value]) => `${name}=${one(value)}`)
          .join(' ');
}

/** How each monitor format prints a bucket's columns; `undefined`: hidden. */
const FORMATTERS: Record<
  MonitorFormat,
  (row: BucketRow) => string | undefined
> = {
  simple: eachField(formatNumber),
  percent: eachField(formatPercent),
  confidence: row => formatConfidence(row.mu, row.sigma),
  quantiles: formatQuantiles,
  null: () => undefined
};

/**
 * Format one bucket's output columns by the kind's monitor format.
 *
 * @returns `undefined` for the `null` format (silent kinds).
 */
export function formatValue(
  format: MonitorFormat,
  row: BucketRow
): string | undefined {
  return FORMATTERS[format](row);
}

/**
 * A duration in seconds as the monitor shows ages: `3s`, `5m`, `2h05`,
 * `3d04` (days and hours).
 */
export function formatAge(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return '';
  }
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) {
    return `${s}s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m`;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 86400) {
    return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}`;
  }
  return `${Math.floor(s / 86400)}d${pad(Math.floor((s % 86400) / 3600))}`;
}

/** Bytes in decimal units: `512 B`, `1.5 kB`, `23 MB`, `1.2 GB`. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '';
  }
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  // Round first, so 999.95 kB becomes 1.0 MB rather than 1000 kB.
  if (
    unit < units.length - 1 &&
    Number(value.toFixed(value < 10 ? 1 : 0)) >= 1000
  ) {
    value /= 1000;
    unit++;
  }
  const text = unit === 0 || value >= 10 ? value.toFixed(0) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}
