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
  // The columns' picks, compared in place: a glob's plot offers 90,000
  // points (20 runs, 3 channels, ~750 points, both edges) at every draw.
  const lowX = low.x;
  const lowY = low.y;
  const highX = high.x;
  const highY = high.y;
  for (const { x, lo, hi } of bands) {
    const n = Math.min(x.length, lo.length, hi.length);
    for (let i = 0; i < n; i++) {
      const at = x[i];
      if (at >= x0 && at <= x1) {
        const slot = 1 + Math.min(columns - 1, Math.floor((at - x0) * scale));
        const l = lo[i];
        if (l < lowY[slot]) {
          lowX[slot] = at;
          lowY[slot] = l;
        }
        const h = hi[i];
        if (h > highY[slot]) {
          highX[slot] = at;
          highY[slot] = h;
        }
      } else if (at === at) {
        low.offerBeyond(at < x0, at, lo[i]);
        high.offerBeyond(at < x0, at, hi[i]);
      }
    }
  }
  const length = low.count() + high.count();
  const outX = new Float64Array(length);
  const outY = new Float64Array(length);
  const at = low.copyInto(outX, outY, 0, false);
  high.copyInto(outX, outY, at, true);
  return { x: outX, y: outY };
}

/**
 * The best point of each slot: slot 0 before the range, then one a pixel
 * column, then one after it. Within a column the lowest value wins (`sign`
 * 1) or the highest (-1), the first of equal ones; a column's value starts
 * at +∞ (or -∞), so a NaN never wins. Beyond the range, the point nearest
 * to it, and at the same x the more extreme one.
 */
class EdgePicks {
  constructor(
    columns: number,
    private readonly _sign: 1 | -1
  ) {
    this.x = new Float64Array(columns + 2).fill(NaN);
    this.y = new Float64Array(columns + 2).fill(_sign * Infinity);
  }

  /** Each slot's x (NaN while empty) and value. */
  readonly x: Float64Array;
  readonly y: Float64Array;

  /** A point before the range (`before`) or after it. */
  offerBeyond(before: boolean, x: number, y: number): void {
    if (y !== y) {
      return;
    }
    const slot = before ? 0 : this.x.length - 1;
    const bestX = this.x[slot];
    const better =
      bestX !== bestX ||
      (x === bestX
        ? this._sign * (y - this.y[slot]) < 0
        : before
          ? x > bestX
          : x < bestX);
    if (better) {
      this.x[slot] = x;
      this.y[slot] = y;
    }
  }

  count(): number {
    let n = 0;
    for (let i = 0; i < this.x.length; i++) {
      n += this.x[i] === this.x[i] ? 1 : 0;
    }
    return n;
  }

  /** Write the slots' points from `at`, in x order (`backwards`: right to left). */
  copyInto(
    outX: Float64Array,
    outY: Float64Array,
    at: number,
    backwards: boolean
  ): number {
    const n = this.x.length;
    for (let k = 0; k < n; k++) {
      const i = backwards ? n - 1 - k : k;
      if (this.x[i] === this.x[i]) {
        outX[at] = this.x[i];
        outY[at++] = this.y[i];
      }
    }
    return at;
  }
}
