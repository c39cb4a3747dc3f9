import { plotlyText, readsAsMarkup } from './plotlyText';

describe('plotlyText', () => {
  it('escapes what plotly reads as markup, and nothing else', () => {
    expect(plotlyText('a<b> & c')).toBe('a&#60;b&#62; &#38; c');
    expect(plotlyText('loss.train 1e-3')).toBe('loss.train 1e-3');
  });

  it('says which text plotly reads as markup', () => {
    expect(readsAsMarkup('<b>a</b>')).toBe(true);
    expect(readsAsMarkup('a &amp; b')).toBe(true);
    expect(readsAsMarkup('a > b')).toBe(false);
    expect(readsAsMarkup(undefined)).toBe(false);
  });
});
