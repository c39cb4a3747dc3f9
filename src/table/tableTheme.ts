/**
 * The runs table's colours, read from JupyterLab's CSS variables (as the
 * CSV viewer does), and the status colours of its status column.
 */
// Only loaded with import(): src/table is the runs table's lazy chunk.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { DataGrid, TextRenderer } from '@lumino/datagrid';

/** Reads a CSS variable (`--jp-layout-color0`) as the page resolves it. */
export type CssVariable = (name: string) => string;

/** The CSS variables as resolved on `node` now. */
export function cssVariables(node: Element): CssVariable {
  const style = getComputedStyle(node);
  return name => style.getPropertyValue(name).trim();
}

/** Which theme colour marks each status (pavlov's live/stale too). */
const STATUS_VARIABLES: Readonly<Record<string, string>> = {
  running: '--jp-success-color1',
  live: '--jp-success-color1',
  stalled: '--jp-warn-color1',
  stale: '--jp-warn-color1',
  crashed: '--jp-error-color1',
  failed: '--jp-error-color1',
  unreadable: '--jp-error-color1',
  finished: '--jp-layout-color4'
};

/**
 * Each status's cell background: its theme colour made translucent, so the
 * text stays readable on light and dark themes. Read once per theme, not
 * once per painted cell.
 */
export function statusBackgrounds(css: CssVariable): Map<string, string> {
  const colours = new Map<string, string>();
  for (const [status, name] of Object.entries(STATUS_VARIABLES)) {
    const colour = css(name);
    if (colour) {
      colours.set(status, translucent(colour));
    }
  }
  return colours;
}

/** `#rrggbb`, `#rgb` or `rgb(…)` at about a third opacity. */
export function translucent(colour: string): string {
  const hex6 = /^#([0-9a-f]{6})$/i.exec(colour);
  if (hex6) {
    return `#${hex6[1]}55`;
  }
  const hex3 = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(colour);
  if (hex3) {
    return `#${hex3[1]}${hex3[1]}${hex3[2]}${hex3[2]}${hex3[3]}${hex3[3]}55`;
  }
  const rgb = /^rgb\(([^)]*)\)$/i.exec(colour);
  if (rgb) {
    return `rgba(${rgb[1]}, 0.33)`;
  }
  return colour;
}

/** The grid's colours for the current JupyterLab theme. */
export function gridStyle(css: CssVariable, isLight: boolean): DataGrid.Style {
  const background = css('--jp-layout-color0') || 'white';
  const stripe = css('--jp-layout-color1') || background;
  return {
    ...DataGrid.defaultStyle,
    voidColor: background,
    backgroundColor: background,
    rowBackgroundColor: index => (index % 2 === 0 ? background : stripe),
    headerBackgroundColor: css('--jp-layout-color2') || background,
    gridLineColor: isLight
      ? 'rgba(20, 20, 20, 0.15)'
      : 'rgba(235, 235, 235, 0.15)',
    headerGridLineColor: isLight
      ? 'rgba(20, 20, 20, 0.25)'
      : 'rgba(235, 235, 235, 0.25)',
    selectionFillColor: isLight
      ? 'rgba(49, 119, 229, 0.2)'
      : 'rgba(90, 149, 240, 0.25)',
    selectionBorderColor: 'rgba(0, 0, 0, 0)',
    cursorBorderColor: 'rgba(0, 0, 0, 0)',
    headerSelectionFillColor: isLight
      ? 'rgba(20, 20, 20, 0.1)'
      : 'rgba(235, 235, 235, 0.1)',
    headerSelectionBorderColor: 'rgba(0, 0, 0, 0)'
  };
}

/** Body and header renderers in the theme's font; status cells coloured. */
export function cellRenderers(css: CssVariable): {
  body: TextRenderer;
  header: TextRenderer;
} {
  const size = css('--jp-ui-font-size1') || '13px';
  const family = css('--jp-ui-font-family') || 'sans-serif';
  const textColor = css('--jp-ui-font-color1') || 'black';
  const backgrounds = statusBackgrounds(css);
  const body = new TextRenderer({
    font: `${size} ${family}`,
    textColor,
    backgroundColor: ({ metadata }) => backgrounds.get(metadata.status) ?? ''
  });
  const header = new TextRenderer({
    font: `bold ${size} ${family}`,
    textColor
  });
  return { body, header };
}
