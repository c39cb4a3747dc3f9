/**
 * The plot colours of the page's theme as it is now: read again whenever
 * JupyterLab's theme changes.
 */
import { documentVariables, IPlotTheme, plotTheme } from './theme';
import { plotThemeChanged } from './themeEvents';

export class PageTheme {
  /** Read the theme now; call `changed` each time it has been read again. */
  constructor(private readonly _changed: () => void) {
    this._current = plotTheme(documentVariables());
    plotThemeChanged.connect(this._onThemeChanged, this);
  }

  get current(): IPlotTheme {
    return this._current;
  }

  /** Stop following theme changes. */
  dispose(): void {
    plotThemeChanged.disconnect(this._onThemeChanged, this);
  }

  private _onThemeChanged(): void {
    // Let the new theme's CSS apply before reading its variables.
    setTimeout(() => {
      this._current = plotTheme(documentVariables());
      this._changed();
    }, 50);
  }

  private _current: IPlotTheme;
}
