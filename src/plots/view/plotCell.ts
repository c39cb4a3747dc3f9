/**
 * One plot of the grid (one group): a plotly div, its export buttons, and
 * its channels' errors. Re-resolves from full-resolution columns on zoom.
 */
import { exportFileName } from '../series/csv';
import { ICellContent } from './cellContent';
import { download, downloadUrl } from '../../download';
import { HoverList, hoverRows, UNIFIED_HOVER_MAX_LINES } from './hoverList';
import { logScales } from './logScales';
import { IPlotly, IPlotlyDiv } from './plotly';
import { MARGIN, PLOT_HEIGHT, plotLayout } from './plotLayout';
import { toCanvasTraces } from './canvasTraces';
import { downloadPlotPng } from './png';
import { axisRange, sameRange } from './relayoutRange';
import { IPlotTheme } from './theme';
import { addLineSamples, TraceCanvas } from './traceCanvas';
import { buildUnderPointer, SketchCanvas } from './sketchCanvas';
import { appendedPoints, buildPlot, IAppended, IPlot } from '../series/traces';

const CONFIG = {
  displaylogo: false,
  displayModeBar: false,
  responsive: false,
  doubleClick: 'autosize',
  showTips: false
};

export class PlotCell {
  constructor(
    readonly group: string,
    private readonly _plotly: IPlotly,
    private readonly _onRangeChanged: (cell: PlotCell) => void,
    private readonly _onResized: (cell: PlotCell) => void = () => undefined,
    private readonly _onLegend: (key: string) => void = () => undefined,
    /**
     * Paint plots plotly can't be needed for yet as a sketch, and have this
     * build them later (`interactive`); none: plotly draws every plot.
     */
    private readonly _buildLater?: (cell: PlotCell) => void
  ) {
    this.node = document.createElement('div');
    this.node.className = 'jp-runwatch-plot';
    this.node.dataset.group = group;
    const tools = document.createElement('div');
    tools.className = 'jp-runwatch-plot-tools';
    this._log = logScales.has(group);
    this._logButton = this._button(
      'log',
      'Log y axis (remembered for this group)',
      () => this.setLogY(!this._log)
    );
    this._logButton.setAttribute('aria-pressed', String(this._log));
    this._wideButton = this._button(
      'wide',
      'Widen this plot to the whole row, or back',
      () => this.setWide(!this.wide)
    );
    this._wideButton.setAttribute('aria-pressed', 'false');
    tools.append(
      this._logButton,
      this._wideButton,
      this._button('reset', 'Zoom back out to everything', () =>
        this.resetZoom()
      ),
      this._button('CSV', 'Download every row of these channels as CSV', () =>
        this.exportCsv()
      ),
      this._button('PNG', 'Download this plot as a PNG image', () =>
        this.exportPng()
      )
    );
    this.area = document.createElement('div') as unknown as IPlotlyDiv;
    this.area.className = 'jp-runwatch-plot-area';
    this._lines = new TraceCanvas(this.area);
    this._sketch = new SketchCanvas(this.area);
    // The pointer is about to need plotly (hover, zoom): build it now.
    buildUnderPointer(this.area, async () => {
      const sketched = this._pending !== undefined;
      await this.interactive();
      return sketched;
    });
    this._errors = document.createElement('div');
    this._errors.className = 'jp-runwatch-plot-errors';
    this.node.append(tools, this.area, this._errors);
  }

  readonly node: HTMLElement;
  /** plotly's div: `area.data` holds the traces drawn. */
  readonly area: IPlotlyDiv;

  /** The last plot built (for tests and the bench). */
  get plot(): IPlot | undefined {
    return this._plot;
  }

  /** How the plot was updated: new points appended, or redrawn whole. */
  readonly updates = { appended: 0, redrawn: 0 };

  /** Whether the y axis is logarithmic. */
  get logY(): boolean {
    return this._log;
  }

  /** Set the y axis to log (or back), remembered for the group; redraws. */
  async setLogY(log: boolean): Promise<void> {
    if (log === this._log) {
      return;
    }
    this._log = log;
    logScales.set(this.group, log);
    this._logButton.setAttribute('aria-pressed', String(log));
    this._yRange = undefined; // a linear zoom means nothing on a log axis
    this._onResized(this);
  }

  /** Whether the plot spans the grid's whole row. */
  get wide(): boolean {
    return this.node.classList.contains('jp-mod-wide');
  }

  /** Span the whole row (or one column again); redraws at the new width. */
  setWide(wide: boolean): void {
    this.node.classList.toggle('jp-mod-wide', wide);
    this._wideButton.setAttribute('aria-pressed', String(wide));
    this._onResized(this);
  }

  /** Zoom back out to the whole x and y range, as a double-click does. */
  async resetZoom(): Promise<void> {
    // A sketch is never zoomed: only plotly zooms.
    if (!this._plot || this.area.hidden || this._pending) {
      return;
    }
    await this._plotly.relayout(this.area, {
      'xaxis.autorange': true,
      'yaxis.autorange': true,
      // A stacked plot's other axes (zoomed by a drag on their sub-plot).
      ...Object.fromEntries(
        this._plot.axes
          .slice(1)
          .map((_a, k) => [`yaxis${k + 2}.autorange`, true])
      )
    });
  }

  /** The x range the user zoomed to, if any. */
  get xRange(): [number, number] | undefined {
    return this._xRange;
  }

  /**
   * Draw `content`; resolves when plotly has drawn it. `width`: the plot's
   * width in CSS px, read before (else read now, which lays the page out
   * if it changed since).
   */
  async render(
    content: ICellContent,
    theme: IPlotTheme,
    width?: number
  ): Promise<void> {
    this._content = content;
    this._errors.textContent = content.errors.join('\n');
    this._errors.hidden = content.errors.length === 0;
    const drawable = content.entries.length > 0;
    this.area.hidden = !drawable;
    this.node.classList.toggle('jp-mod-error', !drawable);
    if (!drawable) {
      this._errors.textContent =
        content.errors.join('\n') || `${this.group}: nothing to plot`;
      return;
    }
    // An explicit width: plotly's autosize guesses 700 px for a div that
    // isn't laid out yet, and the grid re-renders on resize anyway.
    const plotWidth = width || this.node.clientWidth || 400;
    const widthPx = Math.max(100, plotWidth - MARGIN.l - MARGIN.r);
    const plot = buildPlot({
      entries: content.entries,
      widthPx,
      xRange: this._xRange,
      xSpan: content.xSpan,
      xChannel: content.xChannel,
      yRange: this._yRange,
      smoothing: content.smoothing,
      hidden: content.hidden
    });
    const previous = this._plot;
    this._plot = plot;
    const hidden = content.hidden ?? new Set<string>();
    const traces = hidden.size
      ? plot.traces.map(t =>
          hidden.has(t.legendgroup as string)
            ? { ...t, visible: content.sharedLegend ? false : 'legendonly' }
            : t
        )
      : plot.traces;
    // Many lines (a sweep): plotly's unified tooltip would be cut off by the
    // plot's height, so the values go to a list of the page's own.
    this._many =
      traces.filter(t => t.hoverinfo !== 'skip').length >
      UNIFIED_HOVER_MAX_LINES;
    const drawnTraces = toCanvasTraces(
      this._many
        ? traces.map(t =>
            t.hoverinfo === 'skip'
              ? t
              : { ...t, hoverinfo: 'none', hovertemplate: undefined }
          )
        : traces
    );
    const layout: Record<string, unknown> = {
      ...plotLayout(plot, theme, content, {
        group: this.group,
        logY: this._log,
        yZoom: this._yRange,
        xRevision: this._xRevision
      }),
      width: plotWidth,
      hovermode: this._many ? 'x' : 'x unified'
    };
    const frame = JSON.stringify({
      ...layout,
      xaxis: 0,
      yaxis: 0,
      // A run shown or hidden again: redraw, not append.
      hidden: [...hidden],
      shared: !!content.sharedLegend
    });
    const appended =
      previous && frame === this._frame && !this._pending
        ? appendedPoints(previous.traces, plot.traces)
        : undefined;
    this._frame = frame;
    this._afterPlot = false;
    if (appended && (await this._append(appended))) {
      this._linesOnce();
      const axes = {
        xaxis: layout.xaxis as Record<string, unknown>,
        yaxis: layout.yaxis as Record<string, unknown>
      };
      const axesKey = JSON.stringify(axes);
      if (axesKey !== this._axes) {
        this._axes = axesKey;
        await this._plotly.relayout(this.area, axes);
      }
      return;
    }
    this.updates.redrawn++;
    this.node.dataset.lastUpdate = 'redrawn';
    this._axes = JSON.stringify({ xaxis: layout.xaxis, yaxis: layout.yaxis });
    this._afterPlot = false;
    const later = this._buildLater;
    if (later && !this._built) {
      const queued = this._pending !== undefined;
      const pending = { traces: drawnTraces, layout };
      this._pending = pending;
      // Painted now, or by the sketch worker later: unless plotly drew since.
      const painted = () => {
        if (this._pending === pending) {
          this.node.dataset.painted = 'sketch';
        }
      };
      if (this._sketch.draw(layout, drawnTraces, painted)) {
        if (!queued) {
          later(this);
        }
        return;
      }
    }
    // plotly draws this one: nothing sketched before it is left to draw.
    this._pending = undefined;
    await this._draw(drawnTraces, layout);
  }

  /**
   * plotly builds the sketched plot (hover, zoom, its legend clicks) if it
   * hasn't yet; resolves when it has.
   */
  async interactive(): Promise<void> {
    while (this._pending) {
      const { traces, layout } = this._pending;
      this._pending = undefined;
      await this._draw(traces, layout);
    }
  }

  /** plotly draws (or redraws) the plot. */
  private async _draw(
    drawnTraces: Record<string, unknown>[],
    layout: Record<string, unknown>
  ): Promise<void> {
    await this._plotly.react(this.area, drawnTraces, layout, CONFIG);
    this._built = true;
    this._sketch.remove();
    this.node.dataset.painted = 'plotly';
    // The first draw comes before any listener (plotly makes `on` then).
    this._linesOnce();
    if (!this._listening) {
      this._listening = true;
      // After every plotly draw (a react, a zoom, appended points): the
      // lines on the canvas, and their samples in plotly's legend.
      this.area.on('plotly_afterplot', () => {
        this._afterPlot = true;
        this._drawLines();
      });
      this.area.on('plotly_relayout', event => this._onRelayout(event));
      // A legend click hides that run (or label) in every plot, not here only.
      this.area.on('plotly_legendclick', event => {
        const key = this.area.data[event?.curveNumber]?.legendgroup;
        if (typeof key === 'string') {
          this._onLegend(key);
        }
        return false;
      });
      this.area.on('plotly_legenddoubleclick', () => false);
      this.area.on('plotly_hover', event => {
        const label = this.area.querySelector('.hoverlayer');
        if (label) {
          addLineSamples(label);
        }
        const points = event?.points ?? [];
        if (this._many && points.length > 0 && event.event) {
          this._hoverList ??= new HoverList();
          this._hoverList.show(
            hoverRows(points),
            Number(points[0].x),
            event.event.clientX,
            event.event.clientY,
            this._content?.xChannel
          );
        }
      });
      this.area.on('plotly_unhover', () => this._hoverList?.hide());
    }
  }

  /** The lines on the canvas, and their samples in plotly's legend. */
  private _drawLines(): void {
    this._lines.draw();
    const legend = this.area.querySelector('.infolayer .legend');
    if (legend) {
      addLineSamples(legend);
    }
  }

  /** Draw the lines unless plotly's `afterplot` has since the last render. */
  private _linesOnce(): void {
    if (!this._afterPlot) {
      this._drawLines();
    }
  }

  /**
   * Append new points to the drawn traces; false if plotly refused them
   * (the caller redraws instead, so the plot never freezes on old data).
   */
  private async _append(appended: IAppended): Promise<boolean> {
    if (appended.indices.length > 0) {
      try {
        // Only the data keys: plotly reads every key of the update as an
        // attribute to extend.
        await this._plotly.extendTraces(
          this.area,
          { x: appended.x, y: appended.y },
          appended.indices
        );
      } catch (error) {
        console.warn(
          'runwatch: redrawing a plot plotly would not extend',
          error
        );
        return false;
      }
    }
    this.updates.appended++;
    this.node.dataset.lastUpdate = 'appended';
    return true;
  }

  /**
   * Full-resolution CSV of the cell's channels and runs, downloaded (a
   * review reads every row again for it, in its worker).
   */
  async exportCsv(): Promise<Blob | undefined> {
    const content = this._content;
    if (!content) {
      return undefined;
    }
    const url = content.csvUrl?.();
    if (url) {
      // Streamed by the server straight to a file: every row, none in memory.
      downloadUrl(url, exportFileName(this.group, content.runs, 'csv'));
      return undefined;
    }
    let blob: Blob;
    try {
      blob = await content.csv();
    } catch (error) {
      this._errors.hidden = false;
      this._errors.textContent = `CSV export failed: ${(error as Error).message}`;
      return undefined;
    }
    download(blob, exportFileName(this.group, content.runs, 'csv'));
    return blob;
  }

  /** The plot as a PNG download. */
  async exportPng(): Promise<void> {
    if (!this._content || this.area.hidden) {
      return;
    }
    await this.interactive();
    await downloadPlotPng(
      this._plotly,
      this.area,
      exportFileName(this.group, this._content.runs, 'png')
    );
  }

  /** The plot as a PNG data URL, or `undefined` if none is drawn. */
  async toImage(): Promise<string | undefined> {
    if (!this._plot || this.area.hidden) {
      return undefined;
    }
    await this.interactive();
    return this._plotly.toImage(this.area, {
      format: 'png',
      width: this.area.clientWidth || 400,
      height: Number(this.area.layout?.height) || PLOT_HEIGHT
    });
  }

  dispose(): void {
    this._hoverList?.dispose();
    this._plotly.purge(this.area);
    this.node.remove();
  }

  private _onRelayout(event: Record<string, unknown>): void {
    const x = axisRange(event, 'xaxis');
    const y = axisRange(event, 'yaxis');
    let changed = false;
    if (x !== undefined) {
      this._xRevision++;
    }
    // A double-click autoranges even when not zoomed: back to the span.
    if (x === null || (x !== undefined && !sameRange(x, this._xRange))) {
      this._xRange = x ?? undefined;
      changed = true;
    }
    if (y !== undefined && !sameRange(y, this._yRange)) {
      this._yRange = y ?? undefined;
      changed = true;
    }
    if (changed) {
      this._onRangeChanged(this);
    }
  }

  private _button(
    text: string,
    title: string,
    action: () => unknown
  ): HTMLButtonElement {
    const button = document.createElement('button');
    button.className = 'jp-runwatch-plot-button';
    button.textContent = text;
    button.title = title;
    button.addEventListener('click', () => void action());
    return button;
  }

  private _log: boolean;
  private _many = false;
  private readonly _lines: TraceCanvas;
  private _hoverList: HoverList | undefined = undefined;
  private readonly _logButton: HTMLButtonElement;
  private readonly _wideButton: HTMLButtonElement;
  private _content: ICellContent | undefined = undefined;
  private _plot: IPlot | undefined = undefined;
  private _xRange: [number, number] | undefined = undefined;
  private _xRevision = 0;
  private _yRange: [number, number] | undefined = undefined;
  private _listening = false;
  private readonly _sketch: SketchCanvas;
  /** What plotly has yet to draw (the sketch shows it). */
  private _pending:
    | { traces: Record<string, unknown>[]; layout: Record<string, unknown> }
    | undefined = undefined;
  private _built = false;
  private _afterPlot = false;
  private _frame = '';
  private _axes = '';
  private readonly _errors: HTMLElement;
}
