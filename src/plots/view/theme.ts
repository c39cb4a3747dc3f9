/**
 * Plot colours from JupyterLab's theme, read from its CSS variables so
 * plots follow light, dark and any custom theme.
 */

/** The colours and font a plot layout needs. */
export interface IPlotTheme {
  readonly background: string;
  readonly text: string;
  readonly mutedText: string;
  readonly grid: string;
  readonly zeroLine: string;
  readonly font: string;
  readonly hoverBackground: string;
}

/** Reads a CSS variable; returns `''` when unset. */
export type CssVariableReader = (name: string) => string;

/** A reader of the page's current theme variables. */
export function documentVariables(
  element: Element = document.body
): CssVariableReader {
  const style = getComputedStyle(element);
  return name => style.getPropertyValue(name).trim();
}

/** The theme's plot colours, with fallbacks for a page without them. */
export function plotTheme(read: CssVariableReader): IPlotTheme {
  const get = (name: string, fallback: string) => read(name) || fallback;
  return {
    background: get('--jp-layout-color0', '#ffffff'),
    text: get('--jp-ui-font-color1', 'rgba(0, 0, 0, 0.87)'),
    mutedText: get('--jp-ui-font-color2', 'rgba(0, 0, 0, 0.54)'),
    grid: get('--jp-border-color2', '#e0e0e0'),
    zeroLine: get('--jp-border-color1', '#bdbdbd'),
    font: get('--jp-ui-font-family', 'system-ui, sans-serif'),
    hoverBackground: get('--jp-layout-color1', '#ffffff')
  };
}

/** The layout keys that carry the theme. */
export function themeLayout(theme: IPlotTheme): Record<string, unknown> {
  const axis = {
    gridcolor: theme.grid,
    linecolor: theme.grid,
    zerolinecolor: theme.zeroLine,
    tickfont: { color: theme.mutedText, size: 10 }
  };
  return {
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    font: { family: theme.font, color: theme.text, size: 11 },
    hoverlabel: {
      bgcolor: theme.hoverBackground,
      bordercolor: theme.grid,
      font: { color: theme.text, family: theme.font, size: 11 }
    },
    xaxis: axis,
    yaxis: axis
  };
}
