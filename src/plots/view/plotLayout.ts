/**
 * A plot's plotly layout: title, legend row, hover, the x axis at the
 * grid's span, one y axis or sub-plots stacked per scale, and the steering
 * marks. Pure: `PlotCell` keeps the state it is computed from.
 */
import { markLayout } from '../series/steerMarks';
import { plotlyText } from '../series/plotlyText';
import { axisDomains } from '../series/scales';
import { axisName, IPlot, IPlotAxis, percentRange } from '../series/traces';
import { ICellContent } from './cellContent';
import { LEGEND_TOP } from './plotSketch';
import { IPlotTheme, themeLayout } from './theme';

type Layout = Record<string, unknown>;

/** Margins of the plot area inside the cell, in pixels. */
export const MARGIN = { l: 46, r: 12, t: 32, b: 26 };

/** The plot's height; the width follows the grid. */
export const PLOT_HEIGHT = 250;

/** Each y axis past the first adds this much height (`scaleGroups`). */
export const EXTRA_AXIS_HEIGHT = 150;

/** Room above each stacked axis for its channels' labels, in pixels. */
const AXIS_LABEL_HEIGHT = 16;

/** What of a cell's own state its layout depends on. */
export interface ILayoutState {
  /** The plot's title: its group. */
  readonly group: string;
  /** Every y axis on a log scale. */
  readonly logY: boolean;
  /** The user's y zoom of the first axis, kept across redraws. */
  readonly yZoom?: readonly [number, number];
  /** Bumped after each user change of x, so plotly applies the grid's. */
  readonly xRevision: number;
}

/** The layout plotly draws `plot` with. */
export function plotLayout(
  plot: IPlot,
  theme: IPlotTheme,
  content: ICellContent,
  state: ILayoutState
): Layout {
  const base = themeLayout(theme);
  const legend = content.entries.some(e => e.showLegend && e.legend);
  const legendCount = content.entries.filter(e => e.showLegend).length;
  const showLegend = legend && legendCount > 0 && !content.sharedLegend;
  const layout: Layout = {
    ...base,
    title: {
      text: state.group,
      x: 0.01,
      xanchor: 'left',
      y: 0.98,
      font: { size: 12, color: theme.text }
    },
    height: PLOT_HEIGHT,
    autosize: false,
    // plotly would push the top margin there for the legend's row anyway:
    // given, the sketch knows where the plot area starts.
    margin: showLegend ? { ...MARGIN, t: LEGEND_TOP } : MARGIN,
    showlegend: showLegend,
    legend: {
      orientation: 'h',
      x: 1,
      xanchor: 'right',
      y: 1,
      yanchor: 'bottom',
      bgcolor: 'rgba(0,0,0,0)',
      font: { size: 10, color: theme.mutedText }
    },
    // One tooltip for the x under the cursor, every trace's value in it.
    hovermode: 'x unified',
    hoverlabel: { namelength: -1 },
    dragmode: 'zoom',
    uirevision: 'user',
    xaxis: {
      ...(base.xaxis as object),
      tickmode: 'array',
      tickvals: plot.xTicks.vals,
      ticktext: plot.xTicks.text,
      // Seconds since the run started, or `step 12.3k` on a counter x.
      hoverformat: plot.xHoverTitle ? '.4~s' : '.1f',
      ...(plot.xHoverTitle
        ? { unifiedhovertitle: { text: plot.xHoverTitle } }
        : {}),
      // The grid's shared span when not zoomed, never plotly's own fit;
      // a new revision after each user change, so plotly applies ours.
      range: [...plot.xExtent],
      autorange: false,
      uirevision: `x${state.xRevision}`,
      zeroline: false
    },
    yaxis: yAxisLayout(plot.axes[0], base, state.yZoom, state.logY)
  };
  const laid =
    plot.axes.length > 1
      ? stackedLayout(layout, plot.axes, base, theme, state.logY)
      : layout;
  if (!content.marks?.length) {
    return laid;
  }
  const marks = markLayout(
    content.marks,
    plot.xExtent[0],
    plot.xExtent[1],
    theme.mutedText
  );
  return {
    ...laid,
    shapes: marks.shapes,
    annotations: [
      ...((laid.annotations as unknown[] | undefined) ?? []),
      ...marks.annotations
    ]
  };
}

/**
 * One y axis: log or linear (the log toggle applies to every axis), a
 * percent axis 0–100 % unless zoomed.
 */
function yAxisLayout(
  axis: IPlotAxis,
  base: Layout,
  zoom: readonly [number, number] | undefined,
  logY: boolean
): Layout {
  const range = zoom ? { range: [...zoom], autorange: false } : undefined;
  if (logY) {
    return {
      ...(base.yaxis as object),
      type: 'log',
      ...(range ?? { autorange: true }),
      zeroline: false
    };
  }
  return {
    ...(base.yaxis as object),
    tickmode: 'array',
    tickvals: axis.yTicks.vals,
    ticktext: axis.yTicks.text,
    ...(range ??
      (axis.style === 'percent'
        ? { range: percentRange(axis.yExtent), autorange: false }
        : (flatRange(axis) ?? { autorange: true }))),
    zeroline: false
  };
}

/**
 * Channels of unrelated scales as sub-plots stacked on one x axis, the
 * first axis on top, each labelled with its channels, the cell taller by
 * `EXTRA_AXIS_HEIGHT` per extra axis.
 *
 * #### Notes
 * Sub-plots, not a right-hand `yaxis2` overlaid: each line stays against
 * the ticks it is read by, and three scales fit as well as two. Only the
 * first axis's y zoom is kept across redraws (`axisRange` reads
 * `yaxis`); x zoom works from any sub-plot, the x axis being shared.
 */
function stackedLayout(
  layout: Layout,
  axes: readonly IPlotAxis[],
  base: Layout,
  theme: IPlotTheme,
  logY: boolean
): Layout {
  const extra = axes.length - 1;
  const height = PLOT_HEIGHT + EXTRA_AXIS_HEIGHT * extra;
  const margin = { ...MARGIN, t: MARGIN.t + AXIS_LABEL_HEIGHT };
  const domains = axisDomains(
    axes.length,
    height - margin.t - margin.b,
    AXIS_LABEL_HEIGHT + 6
  );
  const stacked: Layout = {
    ...layout,
    height,
    margin,
    // One tooltip lists the lines of every sub-plot at that x.
    hoversubplots: 'axis',
    xaxis: { ...(layout.xaxis as object), anchor: axisName(extra) },
    annotations: axes.map((axis, k) => ({
      text: plotlyText(axis.labels.join(', ')),
      xref: 'paper',
      yref: 'paper',
      x: 0,
      y: domains[k][1],
      xanchor: 'left',
      yanchor: 'bottom',
      showarrow: false,
      font: { size: 10, color: theme.mutedText }
    }))
  };
  axes.forEach((axis, k) => {
    const key = k === 0 ? 'yaxis' : `yaxis${k + 1}`;
    const yaxis =
      k === 0 ? layout.yaxis : yAxisLayout(axis, base, undefined, logY);
    stacked[key] = { ...(yaxis as object), domain: domains[k], anchor: 'x' };
  });
  return stacked;
}

/**
 * A flat axis (one value) at the range its ticks were made for: plotly's
 * autorange would put it at ±1 whatever the value, and 0.0005's ticks then
 * all fall on one pixel.
 */
function flatRange(
  axis: IPlotAxis
): { range: [number, number]; autorange: false } | undefined {
  const [lo, hi] = axis.yExtent ?? [NaN, NaN];
  return lo === hi && axis.yTickRange
    ? { range: [...axis.yTickRange], autorange: false }
    : undefined;
}
