/**
 * What a new plots widget starts with, from the Settings Editor
 * (`runwatch:plots`); each widget can override them for itself.
 */
export const plotDefaults = {
  /** The EMA weight (0: off). */
  smoothing: 0
};
