/**
 * One min–max band for a channel's runs when a plot compares many of them:
 * the lowest low and the highest high of every run's band, per pixel
 * column.
 *
 * #### Notes
 * Twenty runs' translucent bands, one over another, fill a plot with one
 * muddy colour in which no run's line can be told, and each costs the
 * canvas a filled polygon (about 1 ms a run on a CPU raster). Their union
 * keeps every run's extremes, so a spike that a bucket's mean averages
 * away still shows as an excursion of the envelope, under the runs' lines.
 */
import { extremeRows } from '../../store';

/** Above this many runs with a band in one channel, they share one band. */
export const MAX_RUN_BANDS = 4;

/** A run's band: the bucket lows and highs at each x. */
export interface IRunBand {
  readonly x: Float64Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/**
 * The envelope's outline over `[x0, x1]` at `columns` pixel columns: the
 * lowest low of each column left to right, then the highest high of each
 * right to left, each at the x of the point it came from. Beyond the range
 * it keeps, on each side, the points nearest to it (what a line entering
 * the plot there needs). Empty columns are bridged, as a run's band is.
 */
export function runsEnvelope(
  bands: readonly IRunBand[],
  x0: number,
  x1: number,
  columns: number
): { x: Float64Array; y: Float64Array } {
  const low = new EdgePicks(columns, 1);
  const high = new EdgePicks(columns, -1);
  const scale = x1 > x0 ? columns / (x1 - x0) : 0;
  const slot = (x: number) =>
    x < x0
      ? 0
      : x > x1
        ? columns + 1
        : 1 + Math.min(columns - 1, Math.floor((x - x0) * scale));
  for (const { x, lo, hi } of bands) {
    // A run's own extreme rows: at most one a column, and its neighbours
    // beyond the range.
    for (const row of extremeRows(x, lo, x0, x1, columns, 'min')) {
      low.offer(slot(x[row]), x[row], lo[row]);
    }
    for (const row of extremeRows(x, hi, x0, x1, columns, 'max')) {
      high.offer(slot(x[row]), x[row], hi[row]);
    }
  }
  const length = low.count() + high.count();
  const outX = new Float64Array(length);
  const outY = new Float64Array(length);
  let at = 0;
  for (const [x, y] of low.points(false)) {
    outX[at] = x;
    outY[at++] = y;
  }
  for (const [x, y] of high.points(true)) {
    outX[at] = x;
    outY[at++] = y;
  }
  return { x: outX, y: outY };
}

/**
 * The best point of each slot: slot 0 before the range, then one a pixel
 * column, then one after it. Within a column the lowest value wins (`sign`
 * 1) or the highest (-1); beyond the range, the point nearest to it, and at
 * the same x the more extreme one.
 */
class EdgePicks {
  constructor(
    private readonly _columns: number,
    private readonly _sign: 1 | -1
  ) {
    this._x = new Float64Array(_columns + 2).fill(NaN);
    this._y = new Float64Array(_columns + 2).fill(NaN);
  }

  offer(slot: number, x: number, y: number): void {
    if (!(y === y) || !(x === x)) {
      return;
    }
    const bestX = this._x[slot];
    if (bestX !== bestX) {
      this._x[slot] = x;
      this._y[slot] = y;
      return;
    }
    const nearer =
      slot === 0 ? x > bestX : slot === this._columns + 1 ? x < bestX : false;
    const sameX = slot === 0 || slot === this._columns + 1 ? x === bestX : true;
    if (nearer || (sameX && this._sign * (y - this._y[slot]) < 0)) {
      this._x[slot] = x;
      this._y[slot] = y;
    }
  }

  count(): number {
    let n = 0;
    for (let i = 0; i < this._x.length; i++) {
      n += this._x[i] === this._x[i] ? 1 : 0;
    }
    return n;
  }

  /** The slots' points in x order (`backwards`: right to left). */
  *points(backwards: boolean): Generator<[number, number]> {
    const n = this._x.length;
    for (let k = 0; k < n; k++) {
      const i = backwards ? n - 1 - k : k;
      if (this._x[i] === this._x[i]) {
        yield [this._x[i], this._y[i]];
      }
    }
  }

  private readonly _x: Float64Array;
  private readonly _y: Float64Array;
}
