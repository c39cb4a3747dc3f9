import { nsFromSeconds, secondsFromNs } from './time';

describe('secondsFromNs', () => {
  it("gives pandas' Timedelta.total_seconds() bit for bit", () => {
    // Values printed by pandas 3.1: repr(pd.Timedelta(ns).total_seconds()).
    expect(secondsFromNs(-1)).toBe(-9.999999717180685e-10);
    expect(secondsFromNs(15789574354)).toBe(15.789574353999999);
    expect(secondsFromNs(-3156759951)).toBe(-3.1567599509999997);
    expect(secondsFromNs(86400000000001)).toBe(86400.000000001);
    expect(secondsFromNs(-789012345)).toBe(-0.789012345);
    expect(secondsFromNs(60e9)).toBe(60);
  });

  it('is monotonic and round-trips through nsFromSeconds', () => {
    let previous = -Infinity;
    for (let ns = -3e9 - 50; ns < 3e9 + 50; ns += 999_999_937) {
      for (let d = 0; d < 5; d++) {
        const s = secondsFromNs(ns + d);
        expect(s).toBeGreaterThan(previous);
        expect(nsFromSeconds(s)).toBe(ns + d);
        previous = s;
      }
    }
    const big = 2 ** 50 + 12345;
    expect(nsFromSeconds(secondsFromNs(big))).toBe(big);
  });
});
