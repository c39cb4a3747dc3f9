import { emaSmooth, smoothingWeight } from './smooth';

describe('emaSmooth', () => {
  it('is the identity at weight 0', () => {
    expect(Array.from(emaSmooth([3, 1, 4, 1, 5], 0))).toEqual([3, 1, 4, 1, 5]);
  });

  it('debiases: the first point is the first value, not pulled to 0', () => {
    const s = emaSmooth([10, 10, 20], 0.6);
    expect(s[0]).toBeCloseTo(10, 12);
    expect(s[1]).toBeCloseTo(10, 12);
    // last = ((0.4·10)·0.6 + 0.4·10)·0.6 + 0.4·20 = 11.84; debias 1 - 0.6³
    expect(s[2]).toBeCloseTo(11.84 / (1 - 0.216), 12);
  });

  it('matches TensorBoard’s recurrence step by step', () => {
    const y = [0.5, 0.7, 0.2, 0.9, 0.4, 0.6];
    const w = 0.9;
    let last = 0;
    const expected = y.map((v, i) => {
      last = last * w + (1 - w) * v;
      return last / (1 - Math.pow(w, i + 1));
    });
    const got = emaSmooth(y, w);
    expected.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 12));
  });

  it('keeps NaN and infinities where they are, out of the average', () => {
    const s = emaSmooth([1, NaN, 3, Infinity], 0.5);
    expect(Number.isNaN(s[1])).toBe(true);
    expect(s[3]).toBe(Infinity);
    // Without the NaN: last = 0.5·1·0.5 + 0.5·3 = 1.75, debias 1 - 0.25.
    expect(s[2]).toBeCloseTo(1.75 / 0.75, 12);
  });

  it('keeps a flat line exactly flat', () => {
    const s = emaSmooth(new Array(1000).fill(0.1), 0.99);
    expect(s.every(v => v === 0.1)).toBe(true);
  });

  it('damps a one-point spike but never hides where it is', () => {
    const y = new Array(100).fill(0);
    y[50] = 100;
    const s = emaSmooth(y, 0.9);
    expect(Math.max(...s)).toBeLessThan(100);
    expect(s.indexOf(Math.max(...s))).toBe(50);
  });
});

describe('smoothingWeight', () => {
  it('clamps to [0, 0.999] and reads junk as 0', () => {
    expect(smoothingWeight(0.6)).toBe(0.6);
    expect(smoothingWeight(-1)).toBe(0);
    expect(smoothingWeight(1)).toBe(0.999);
    expect(smoothingWeight('0.3')).toBe(0.3);
    expect(smoothingWeight('much')).toBe(0);
    expect(smoothingWeight(undefined)).toBe(0);
  });
});
