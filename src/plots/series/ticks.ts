/**
 * Axis ticks for the plots: elapsed time since a run was created (`0m`,
 * `30m`, `1h05`, `2d`) on x, or a counter's SI ticks when x is one; numbers with SI suffixes (`1.5k`, `2M`) on y.
 * Plotly can't format durations, so both axes get explicit tick values.
 */
import { formatNumber } from '../../store/format';

/** Tick values and their labels. */
export interface ITicks {
  readonly vals: number[];
  readonly text: string[];
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** Tick steps for time axes, in seconds: round clock intervals. */
const TIME_STEPS = [
  0.1,
  0.2,
  0.5,
  1,
  2,
  5,
  10,
  15,
  30,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY
];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * An elapsed time as a tick label, as precise as the tick step needs.
 *
 * - steps under a minute: `0s`, `45s`, `1m30`, `1h05m30`;
 * - steps of minutes: `0m`, `30m`, `1h05`, `1d02h05`;
 * - steps of hours: `0h`, `6h`, `1d06h`;
 * - steps of days: `0d`, `2d`.
 *
 * @param seconds - time since the run was created (negative before it).
 * @param stepS - the distance between ticks, which sets the resolution;
 *   defaults to minutes.
 */
export function formatElapsed(seconds: number, stepS = MINUTE): string {
  if (!Number.isFinite(seconds)) {
    return '';
  }
  const sign = seconds < 0 ? '-' : '';
  const abs = Math.abs(seconds);
  if (stepS < 1) {
    const decimals = Math.min(3, Math.ceil(-Math.log10(stepS) - 1e-9));
    return abs < MINUTE
      ? `${sign}${abs.toFixed(decimals)}s`
      : `${sign}${formatElapsed(Math.floor(abs), 1)}`;
  }
  const resolution =
    stepS < MINUTE ? 1 : stepS < HOUR ? MINUTE : stepS < DAY ? HOUR : DAY;
  const total = Math.round(abs / resolution) * resolution;
  const d = Math.floor(total / DAY);
  const h = Math.floor((total % DAY) / HOUR);
  const m = Math.floor((total % HOUR) / MINUTE);
  const s = Math.round(total % MINUTE);
  let text: string;
  if (resolution === DAY) {
    text = `${d}d`;
  } else if (resolution === HOUR) {
    text = d > 0 ? `${d}d${pad2(h)}h` : `${h}h`;
  } else if (resolution === MINUTE) {
    if (d > 0) {
      text = `${d}d${pad2(h)}h${pad2(m)}`;
    } else {
      text = h > 0 ? `${h}h${pad2(m)}` : `${m}m`;
    }
  } else {
    const hours = d * 24 + h;
    if (hours > 0) {
      text = `${hours}h${pad2(m)}m${pad2(s)}`;
    } else {
      text = m > 0 ? `${m}m${pad2(s)}` : `${s}s`;
    }
  }
  return sign + text;
}

/**
 * Ticks over `[x0, x1]` seconds at a round clock step, at most `maxTicks`
 * of them (at least 2 when the range allows).
 */
export function timeTicks(x0: number, x1: number, maxTicks = 6): ITicks {
  if (!(Number.isFinite(x0) && Number.isFinite(x1)) || x1 < x0) {
    return { vals: [], text: [] };
  }
  const span = Math.max(x1 - x0, 1e-3);
  const wanted = span / Math.max(1, maxTicks - 1);
  const step =
    TIME_STEPS.find(s => s >= wanted) ??
    Math.ceil(wanted / (30 * DAY)) * 30 * DAY;
  return ticksAt(x0, x1, step, v => formatElapsed(v, step));
}

/**
 * x ticks: clock ticks for the time since the run started (`x` none), SI
 * ticks for a counter (`step`: `0`, `5k`, `10k`), never clock ticks on
 * steps.
 */
export function xTicksFor(
  x: string | undefined,
  x0: number,
  x1: number,
  maxTicks = 6
): ITicks {
  return x === undefined
    ? timeTicks(x0, x1, maxTicks)
    : siTicks(x0, x1, maxTicks);
}

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/**
 * A number with an SI suffix: `1.5k`, `2M`, `3.25G`. Values under 1000 keep
 * plain decimals (`0.25`, not `250m`: `m` would read as minutes), and tiny
 * ones use an exponent (`1e-6`).
 *
 * @param value - the number.
 * @param step - the tick step, if a tick: digits just enough to tell
 *   neighbouring ticks apart. Otherwise the monitor's `formatNumber`
 *   (6 significant figures), so a value reads the same in both.
 */
export function formatSI(value: number, step?: number): string {
  if (step === undefined || !(step > 0) || !Number.isFinite(value)) {
    return formatNumber(value);
  }
  if (value === 0) {
    return '0';
  }
  const abs = Math.abs(value);
  const group = Math.max(
    0,
    Math.min(SI_PREFIXES.length - 1, Math.floor(Math.log10(abs) / 3 + 1e-12))
  );
  const scale = 10 ** (3 * group);
  const decimals = Math.max(
    0,
    Math.min(12, Math.ceil(-Math.log10(step / scale) - 1e-9))
  );
  if (group === 0 && abs < 1e-3 && decimals > 6) {
    return trimExponent(value.toExponential(2));
  }
  return `${trimZeros((value / scale).toFixed(decimals))}${SI_PREFIXES[group]}`;
}

/** Ticks over `[y0, y1]` at a 1-2-5 step, labelled with `formatSI`. */
export function siTicks(y0: number, y1: number, maxTicks = 6): ITicks {
  if (!(Number.isFinite(y0) && Number.isFinite(y1)) || y1 < y0) {
    return { vals: [], text: [] };
  }
  if (y1 === y0) {
    const pad = y0 === 0 ? 1 : Math.abs(y0) * 0.1;
    return siTicks(y0 - pad, y1 + pad, maxTicks);
  }
  const step = niceStep((y1 - y0) / Math.max(1, maxTicks - 1));
  return ticksAt(y0, y1, step, v => formatSI(v, step));
}

/** The smallest 1, 2, 5 × 10^k at or above `raw`. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    if (m * power >= raw * (1 - 1e-9)) {
      return m * power;
    }
  }
  return 10 * power;
}

function ticksAt(
  x0: number,
  x1: number,
  step: number,
  label: (v: number) => string
): ITicks {
  const vals: number[] = [];
  const text: string[] = [];
  const first = Math.ceil(x0 / step - 1e-9);
  for (let k = first; k * step <= x1 + step * 1e-9 && vals.length < 1000; k++) {
    // Multiply rather than accumulate, so 0.1 steps stay exact-looking.
    const v = Number((k * step).toPrecision(12));
    vals.push(v);
    text.push(label(v));
  }
  return { vals, text };
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function trimExponent(text: string): string {
  const [mantissa, exponent] = text.split('e');
  return `${trimZeros(mantissa)}e${Number(exponent)}`;
}
