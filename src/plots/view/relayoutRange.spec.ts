import { axisRange, sameRange } from './relayoutRange';

describe('axisRange', () => {
  it('reads a zoom in either of the forms plotly sends', () => {
    expect(axisRange({ 'xaxis.range': [1, '2'] }, 'xaxis')).toEqual([1, 2]);
    expect(
      axisRange({ 'yaxis.range[0]': 3, 'yaxis.range[1]': 4 }, 'yaxis')
    ).toEqual([3, 4]);
  });

  it('reads a double-click as back to autorange, and leaves other axes alone', () => {
    expect(axisRange({ 'xaxis.autorange': true }, 'xaxis')).toBeNull();
    expect(axisRange({ 'xaxis.range': [1, 2] }, 'yaxis')).toBeUndefined();
    expect(axisRange({ 'xaxis.range[0]': 1 }, 'xaxis')).toBeUndefined();
  });
});

describe('sameRange', () => {
  it('compares a range read with the one kept', () => {
    expect(sameRange([1, 2], [1, 2])).toBe(true);
    expect(sameRange([1, 2], [1, 3])).toBe(false);
    expect(sameRange(null, undefined)).toBe(true);
    expect(sameRange(null, [1, 2])).toBe(false);
    expect(sameRange([1, 2], undefined)).toBe(false);
  });
});
