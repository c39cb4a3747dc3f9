/**
 * One x range for every plot of a grid: the run's span (or, comparing,
 * the longest run's), so plots line up and share their time ticks.
 */
import { PlotRule } from './series';

/**
 * An x range in seconds since the run was created, or in the x channel's
 * units when x is a counter (a grid never mixes the two).
 */
export type XSpan = readonly [number, number];

/**
 * The x span of one plot's series: from 0 (or an earlier first x) to the
 * last x of any of them; `undefined` when none has a point.
 *
 * #### Notes
 * A bucket's x is its left edge, so a run shorter than one bucket has its
 * one point at 0: the span then covers that bucket, `[0, rule]`, rather
 * than a meaningless `[0, 1]`. On a counter x (`xChannel`) a bucket is
 * mapped by its left edge too, and no bucket width in seconds is added to
 * steps: the span ends at the last x.
 */
export function seriesSpan(
  entries: readonly { readonly series: { readonly x: Float64Array } }[],
  rule: PlotRule,
  xChannel?: string
): XSpan | undefined {
  let lo = 0;
  let hi = -Infinity;
  for (const { series } of entries) {
    const { x } = series;
    if (x.length > 0) {
      lo = Math.min(lo, x[0]);
      hi = Math.max(hi, x[x.length - 1]);
    }
  }
  if (!Number.isFinite(hi)) {
    return undefined;
  }
  return [
    lo,
    rule === 'raw' || xChannel !== undefined ? hi : Math.max(hi, lo + rule)
  ];
}

/** The union of spans: what every plot of the grid shows. */
export function gridSpan(
  spans: Iterable<XSpan | undefined>
): XSpan | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const span of spans) {
    if (span) {
      lo = Math.min(lo, span[0]);
      hi = Math.max(hi, span[1]);
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Each plot's span as last read, the grid's span, and which plots were
 * drawn with a grid span that has since changed (to draw them again).
 */
export class GridSpans {
  /** Plot `group`'s series now span `span` (`undefined`: none). */
  update(group: string, span: XSpan | undefined): void {
    if (span) {
      this._spans.set(group, span);
    } else {
      this._spans.delete(group);
    }
  }

  /** The grid's span now, noted as the one `group` is drawn with. */
  drawWith(group: string): XSpan | undefined {
    const span = this.span;
    this._drawn.set(group, span);
    return span;
  }

  /** The grid's span: the union of every plot's. */
  get span(): XSpan | undefined {
    return gridSpan(this._spans.values());
  }

  /** Forget plots no longer in the grid. */
  retain(groups: ReadonlySet<string>): void {
    for (const map of [this._spans, this._drawn]) {
      for (const group of map.keys()) {
        if (!groups.has(group)) {
          map.delete(group);
        }
      }
    }
  }

  /**
   * Plots drawn with a span other than the grid's now.
   *
   * @param tolerance - a fraction of the span either end may have moved
   *   by and still count as the same (a live view's span grows with
   *   every row: its plots follow every 1 %, not every row).
   */
  stale(tolerance = 0): string[] {
    const now = this.span;
    const out: string[] = [];
    for (const [group, drawn] of this._drawn) {
      if (!sameSpan(drawn, now, tolerance)) {
        out.push(group);
      }
    }
    return out;
  }

  /** Forget everything (a new rule or x: its series span differently). */
  clear(): void {
    this._spans.clear();
    this._drawn.clear();
  }

  private readonly _spans = new Map<string, XSpan>();
  private readonly _drawn = new Map<string, XSpan | undefined>();
}

function sameSpan(
  a: XSpan | undefined,
  b: XSpan | undefined,
  tolerance: number
): boolean {
  if (!a || !b) {
    return a === b;
  }
  const slack = tolerance * Math.max(b[1] - b[0], 0);
  return Math.abs(a[0] - b[0]) <= slack && Math.abs(a[1] - b[1]) <= slack;
}
