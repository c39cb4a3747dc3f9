/**
 * Text as plotly reads it: `<` starts a tag and `&` an entity, in titles,
 * legend names and annotations alike.
 */

/** `text` escaped, so plotly shows it as it is. */
export function plotlyText(text: string): string {
  return text.replace(/[<>&]/g, c => `&#${c.charCodeAt(0)};`);
}

/** Whether plotly would read `text` as markup (a tag or an entity). */
export function readsAsMarkup(text: string | undefined): boolean {
  return /[<&]/.test(text ?? '');
}
