/**
 * Theme changes, passed from the plugin (which has `IThemeManager`) to
 * plots created later by lazily loaded code.
 */
import { Signal } from '@lumino/signaling';

/** Emitted once JupyterLab's theme has changed and its CSS is in. */
export const plotThemeChanged = new Signal<object, void>({});
