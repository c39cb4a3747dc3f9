/**
 * How the monitor prints values, ages and sizes. Pure functions.
 */
import { MonitorFormat } from '../../store';

/**
 * Format a number as Python's `f'{x:g}'` with `precision` significant
 * figures (pavlov's `simple` format uses 6): fixed notation for exponents
 * from -4 to `precision - 1`, scientific (`1.23457e+06`) otherwise, and
 * trailing zeros dropped.
 */
export function formatG(x: number, precision = 6): string {
  if (Number.isNaN(x)) {
    return 'nan';
  }
  if (!Number.isFinite(x)) {
    return x > 0 ? 'inf' : '-inf';
  }
  if (x === 0) {
    return Object.is(x, -0) ? '-0' : '0';
  }
  const scientific = x.toExponential(precision - 1);
  const [mantissa, exponentText] = scientific.split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < precision) {
    return stripZeros(x.toFixed(precision - 1 - exponent));
  }
  const sign = exponent < 0 ? '-' : '+';
  const digits = String(Math.abs(exponent)).padStart(2, '0');
  return `${stripZeros(mantissa)}e${sign}${digits}`;
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** `0.1234` → `12.34%`, as Python's `f'{x:.2%}'`. */
export function formatPercent(x: number): string {
  if (!Number.isFinite(x)) {
    return `${formatG(x)}%`;
  }
  return `${(100 * x).toFixed(2)}%`;
}

/**
 * A number with two decimals as pavlov printed confidence intervals, or in
 * four significant figures where two decimals would hide it (|x| < 0.01)
 * or be too long (|x| ≥ 1e6).
 */
function formatFixed2(x: number): string {
  const size = Math.abs(x);
  return Number.isFinite(x) && (size === 0 || (size >= 0.01 && size < 1e6))
    ? x.toFixed(2)
    : formatG(x, 4);
}

/** `mu ± 2 sigma`, e.g. `0.52±0.04`. */
export function formatConfidence(mu: number, sigma: number): string {
  return `${formatFixed2(mu)}±${formatFixed2(2 * sigma)}`;
}

/**
 * The interquartile range of quantile columns named by percent (`0`, `25`,
 * `50`, `75`, `100`), interpolated as `np.interp` would when the 25th and
 * 75th aren't columns themselves: e.g. `12–30`.
 */
export function formatQuantiles(columns: Record<string, number>): string {
  const points = Object.entries(columns)
    .map(([name, value]) => [Number(name) / 100, value] as const)
    .filter(([q]) => Number.isFinite(q))
    .sort((a, b) => a[0] - b[0]);
  if (points.length === 0) {
    return '';
  }
  const at = (q: number): number => interpolate(points, q);
  return `${formatRangeEnd(at(0.25))}–${formatRangeEnd(at(0.75))}`;
}

function interpolate(points: (readonly [number, number])[], q: number): number {
  if (q <= points[0][0]) {
    return points[0][1];
  }
  for (let i = 1; i < points.length; i++) {
    const [q1, v1] = points[i];
    if (q <= q1) {
      const [q0, v0] = points[i - 1];
      return v0 + ((v1 - v0) * (q - q0)) / (q1 - q0);
    }
  }
  return points[points.length - 1][1];
}

/** pavlov printed quantiles with no decimals; small ones need some. */
function formatRangeEnd(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : formatG(x, 3);
}

/**
 * Format one bucket's output columns by the kind's monitor format.
 *
 * @returns `undefined` for the `null` format (silent kinds).
 *
 * #### Notes
 * A channel whose argument was a dict (`x.a`, `x.b`) has one column per
 * sub-field instead of `value`; those print as `a=1 b=2`.
 */
export function formatValue(
  format: MonitorFormat,
  columns: Record<string, number>
): string | undefined {
  switch (format) {
    case 'null':
      return undefined;
    case 'confidence':
      return formatConfidence(columns.mu, columns.sigma);
    case 'quantiles':
      return formatQuantiles(columns);
  }
  const one = format === 'percent' ? formatPercent : formatG;
  if ('value' in columns) {
    return one(columns.value);
  }
  return Object.entries(columns)
    .map(([name, value]) => `${name}=${one(value)}`)
    .join(' ');
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
