/**
 * Conversions between integer nanoseconds and seconds that give the same
 * doubles as pandas' `Timedelta.total_seconds()`.
 */

/**
 * Seconds from an integer count of ns (exact below 2^53), as pandas 3
 * computes `total_seconds()`: whole seconds (floored) plus the remainder
 * divided by 1e9.
 *
 * #### Notes
 * This can differ from `ns / 1e9` in the last bit (e.g. 15789574354 ns →
 * 15.789574353999999), and it is monotonic, so comparisons of converted
 * times agree with comparisons of the ns.
 */
export function secondsFromNs(ns: number): number {
  let whole = Math.floor(ns / 1e9);
  let rest = ns - whole * 1e9;
  if (rest < 0) {
    whole -= 1;
    rest += 1e9;
  } else if (rest >= 1e9) {
    whole += 1;
    rest -= 1e9;
  }
  return whole + rest / 1e9;
}

/**
 * The integer ns a `secondsFromNs` result came from; exact below 2^51 ns
 * (26 days), within a ns or so beyond.
 */
export function nsFromSeconds(seconds: number): number {
  return Math.round(seconds * 1e9);
}
