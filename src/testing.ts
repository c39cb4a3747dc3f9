/**
 * A translator for specs: it shows which texts went through runwatch's
 * translation domain, by wrapping each in «…».
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

/**
 * Translates every runwatch string to `«English»`; other domains stay
 * English, so a text loaded from the wrong domain shows unmarked.
 */
export class MarkingTranslator implements ITranslator {
  readonly languageCode = 'xx';

  load(domain: string): TranslationBundle {
    const trans = nullTranslator.load(domain);
    if (domain !== 'runwatch') {
      return trans;
    }
    // Every method of a bundle (`__`, `_n`, `gettext`, …) returns a string.
    return new Proxy(trans, {
      get:
        (target, method: keyof TranslationBundle) =>
        (...args: unknown[]) =>
          `«${(target[method] as (...a: unknown[]) => string)(...args)}»`
    });
  }
}
