import { drawnFrom } from './drawnFrom';

describe('drawnFrom', () => {
  it('says a node is drawn from the same inputs only after it was', () => {
    const node = document.createElement('div');
    const other = document.createElement('div');
    expect(drawnFrom(node, 'a')).toBe(false);
    expect(drawnFrom(node, 'a')).toBe(true);
    expect(drawnFrom(other, 'a')).toBe(false);
    expect(drawnFrom(node, 'b')).toBe(false);
    expect(drawnFrom(node, 'a')).toBe(false);
  });
});
