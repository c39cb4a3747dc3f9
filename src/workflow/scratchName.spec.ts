import { scratchName } from './scratchName';

describe('scratchName', () => {
  it('is two words between scratch- and .ipynb', () => {
    for (let i = 0; i < 200; i++) {
      expect(scratchName()).toMatch(/^scratch-[a-z]+-[a-z]+\.ipynb$/);
    }
  });

  it('uses the random source, so names differ', () => {
    const names = new Set(Array.from({ length: 50 }, () => scratchName()));
    expect(names.size).toBeGreaterThan(40);
  });

  it('stays in range when the source returns its extremes', () => {
    expect(scratchName(() => 0)).toMatch(/^scratch-[a-z]+-[a-z]+\.ipynb$/);
    expect(scratchName(() => 0.999999)).toMatch(
      /^scratch-[a-z]+-[a-z]+\.ipynb$/
    );
  });
});
