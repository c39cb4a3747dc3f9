/**
 * The drawn plots as one PNG, tiled in rows of three: the static fallback
 * a saved notebook keeps.
 */
import { IPlotly, IPlotlyDiv } from './plotly';

/** Tiles of the saved PNG. */
export const TILE = { width: 420, height: 250, columns: 3 };

/** The PNG (base64, no `data:` prefix), or `undefined` if none is drawn. */
export async function tiledPng(
  plotly: IPlotly,
  areas: readonly IPlotlyDiv[],
  background: string
): Promise<string | undefined> {
  if (areas.length === 0) {
    return undefined;
  }
  const columns = Math.min(TILE.columns, areas.length);
  const canvas = document.createElement('canvas');
  canvas.width = columns * TILE.width;
  canvas.height = Math.ceil(areas.length / columns) * TILE.height;
  const context = canvas.getContext('2d');
  if (!context) {
    return undefined;
  }
  context.fillStyle = background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < areas.length; i++) {
    const url = await plotly.toImage(areas[i], {
      format: 'png',
      width: TILE.width,
      height: TILE.height
    });
    context.drawImage(
      await loadImage(url),
      (i % columns) * TILE.width,
      Math.floor(i / columns) * TILE.height
    );
  }
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('could not load a plot image'));
    image.src = url;
  });
}
