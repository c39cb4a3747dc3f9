/**
 * Plots as PNG images at twice the pixels: one plot (its PNG button) or
 * the drawn grid tiled in rows of three (the static fallback a saved
 * notebook keeps). Each plot comes with its whole legend below it, and a
 * comparison with the params table the review shows above.
 */
import { downloadUrl } from '../../download';
import { plotlyDash, svgTraces } from './canvasTraces';
import { paramsTableData } from './paramsTable';
import { IPlotly, IPlotlyDiv } from './plotly';
import {
  flowLegend,
  IPlaced,
  ILegendItem,
  ITableData,
  LEGEND,
  legendItems,
  Measure,
  TABLE,
  tableSize,
  tileGrid
} from './pngLayout';
import { eachInTurn, whenIdle, yieldToBrowser } from './yieldToBrowser';

/** Tiles of the saved PNG (CSS pixels). */
export const TILE = { width: 420, height: 250, columns: 3 };

/** Image pixels per CSS pixel. */
export const PIXEL_RATIO = 2;

/** A plot's image and its legend, ready to draw. */
interface ITile {
  readonly image: HTMLImageElement;
  readonly width: number;
  readonly plotHeight: number;
  readonly legend: { placed: IPlaced<ILegendItem>[]; height: number };
}

/** Colours and font of the export, from the plot's layout. */
interface IInk {
  readonly background: string;
  readonly text: string;
  readonly font: string;
}

/**
 * The PNG (base64, no `data:` prefix), or `undefined` if none is drawn or
 * `stopped` (the view was closed or run again) before the last plot.
 * Each plot is rendered again off screen when the page is idle: nobody
 * waits for this picture, so it must not slow what they do wait for.
 */
export async function tiledPng(
  plotly: IPlotly,
  areas: readonly IPlotlyDiv[],
  background: string,
  stopped: () => boolean = () => false
): Promise<string | undefined> {
  if (areas.length === 0) {
    return undefined;
  }
  const canvas = await composePng(
    plotly,
    areas,
    { width: TILE.width, height: TILE.height },
    Math.min(TILE.columns, areas.length),
    background,
    whenIdle,
    stopped
  );
  return canvas && !stopped() ? pngBase64(canvas) : undefined;
}

/**
 * The canvas as a PNG in base64, encoded off the page's thread (`toBlob`):
 * `toDataURL` encoded a 20-plot review's picture in one 300-500 ms task.
 * `undefined` if it can't be encoded.
 */
async function pngBase64(
  canvas: HTMLCanvasElement
): Promise<string | undefined> {
  const blob = await new Promise<Blob | null>(resolve =>
    canvas.toBlob(resolve, 'image/png')
  );
  if (!blob) {
    return undefined;
  }
  const url = await new Promise<string | undefined>(resolve => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => resolve(undefined);
    reader.readAsDataURL(blob);
  });
  return url?.replace(/^data:image\/png;base64,/, '');
}

/** Download one plot as `fileName` (see `exportFileName`). */
export async function downloadPlotPng(
  plotly: IPlotly,
  area: IPlotlyDiv,
  fileName: string
): Promise<void> {
  const size = {
    width: area.clientWidth || TILE.width,
    height: Number(area.layout?.height) || TILE.height
  };
  const background = String(area.layout?.paper_bgcolor ?? 'white');
  const canvas = await composePng(plotly, [area], size, 1, background);
  if (!canvas) {
    return;
  }
  downloadUrl(canvas.toDataURL('image/png'), fileName);
}

/** The params table above the plots of `area`'s view, if it shows one. */
function shownParams(area: IPlotlyDiv): ITableData | undefined {
  const table = area
    .closest('.jp-runwatch-plots')
    ?.querySelector<HTMLTableElement>('table.jp-runwatch-plots-params');
  return table && !table.hidden ? paramsTableData(table) : undefined;
}

async function composePng(
  plotly: IPlotly,
  areas: readonly IPlotlyDiv[],
  size: { width: number; height: number },
  columns: number,
  background: string,
  pace: () => Promise<void> = yieldToBrowser,
  stopped: () => boolean = () => false
): Promise<HTMLCanvasElement | undefined> {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) {
    return undefined;
  }
  const font = areas[0].layout?.font ?? {};
  const ink: IInk = {
    background,
    text: String(font.color ?? '#333'),
    font: String(font.family ?? 'sans-serif')
  };
  context.font = `${LEGEND.font}px ${ink.font}`;
  const measure: Measure = text => context.measureText(text).width;
  // One plot per step: plotly renders each image off screen.
  const tiles = await eachInTurn(areas, pace, stopped, area =>
    plotTile(
      plotly,
      area,
      // A plot of stacked y axes is taller than the rest: keep its height.
      { width: size.width, height: Number(area.layout?.height) || size.height },
      ink,
      measure
    )
  );
  if (!tiles) {
    return undefined;
  }
  const params = shownParams(areas[0]);
  context.font = `${TABLE.font}px ${ink.font}`;
  const table = tableSize(params, measure);
  const grid = tileGrid(
    tiles.map(t => ({
      width: t.width,
      height: t.plotHeight + t.legend.height
    })),
    columns,
    table.height
  );
  // Setting the size resets the context: size first, then draw.
  canvas.width = Math.ceil(Math.max(grid.width, table.width) * PIXEL_RATIO);
  canvas.height = Math.ceil(grid.height * PIXEL_RATIO);
  context.scale(PIXEL_RATIO, PIXEL_RATIO);
  context.fillStyle = background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (params) {
    drawTable(context, params, table.widths, ink);
  }
  tiles.forEach((tile, i) => {
    const { x, y } = grid.corners[i];
    context.drawImage(tile.image, x, y, tile.width, tile.plotHeight);
    drawLegend(context, tile.legend.placed, x, y + tile.plotHeight, ink);
  });
  return canvas;
}

async function plotTile(
  plotly: IPlotly,
  area: IPlotlyDiv,
  size: { width: number; height: number },
  ink: IInk,
  measure: Measure
): Promise<ITile> {
  // plotly's own legend drops what it can't fit; the export draws its own.
  // plotly draws the lines itself here: the view's canvas isn't in its image.
  const data = svgTraces(area.data ?? []);
  const figure = {
    data,
    layout: { ...area.layout, ...size, showlegend: false }
  };
  const url = await plotly.toImage(figure as unknown as HTMLElement, {
    format: 'png',
    ...size,
    scale: PIXEL_RATIO
  });
  // Runs (or labels) hidden in the view are left out of its picture's legend.
  const shown = data.filter(
    t => t.visible !== false && t.visible !== 'legendonly'
  );
  const items = legendItems(shown, ink.text);
  return {
    image: await loadImage(url),
    width: size.width,
    plotHeight: size.height,
    legend: flowLegend(items, size.width, measure)
  };
}

function drawLegend(
  context: CanvasRenderingContext2D,
  placed: readonly IPlaced<ILegendItem>[],
  left: number,
  top: number,
  ink: IInk
): void {
  context.font = `${LEGEND.font}px ${ink.font}`;
  context.textBaseline = 'middle';
  for (const { item, x, y } of placed) {
    const middle = top + y + LEGEND.row / 2;
    context.strokeStyle = item.colour;
    context.lineWidth = 2;
    context.setLineDash(plotlyDash(item.dash, context.lineWidth));
    context.beginPath();
    context.moveTo(left + x, middle);
    context.lineTo(left + x + LEGEND.sample, middle);
    context.stroke();
    context.fillStyle = ink.text;
    context.fillText(item.text, left + x + LEGEND.sample + LEGEND.gap, middle);
  }
  context.setLineDash([]);
}

function drawTable(
  context: CanvasRenderingContext2D,
  table: ITableData,
  widths: readonly number[],
  ink: IInk
): void {
  context.textBaseline = 'middle';
  context.fillStyle = ink.text;
  // A run row's name follows its swatch.
  const indent = TABLE.swatch + TABLE.cellPad / 2;
  const row = (cells: readonly string[], index: number, swatch?: string) => {
    context.font = `${swatch ? '' : 'bold '}${TABLE.font}px ${ink.font}`;
    const middle = TABLE.pad + index * TABLE.row + TABLE.row / 2;
    let x = TABLE.pad + TABLE.cellPad;
    if (swatch) {
      context.fillStyle = swatch;
      const half = TABLE.swatch / 2;
      context.fillRect(x, middle - half, TABLE.swatch, TABLE.swatch);
    }
    context.fillStyle = ink.text;
    cells.forEach((text, i) => {
      context.fillText(text, x + (swatch && i === 0 ? indent : 0), middle);
      x += widths[i];
    });
  };
  row(table.head, 0);
  table.rows.forEach((r, i) => row(r.cells, i + 1, r.colour || 'transparent'));
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('could not load a plot image'));
    image.src = url;
  });
}
