/**
 * Helpers for tests: comparing against pandas reference values stored as
 * JSON (the shared vectors and the aggregation fixtures), and a seeded PRNG
 * for property tests. Test-only: excluded from the build.
 */

/** A tiny seeded PRNG (mulberry32), so failures reproduce. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Numbers as JSON stores them: NaN as null, ±Inf as strings, bools raw. */
export type JsonNumber = number | boolean | null | 'Infinity' | '-Infinity';

export function fromJson(v: JsonNumber): number {
  if (typeof v === 'boolean') {
    return v ? 1 : 0;
  }
  return v === null
    ? NaN
    : v === 'Infinity'
      ? Infinity
      : v === '-Infinity'
        ? -Infinity
        : v;
}

/** Equal to 1e-9, relative or absolute, whichever is larger; NaN equals NaN. */
export function closeTo(actual: number, expected: number): boolean {
  return Number.isFinite(expected)
    ? Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected))
    : Object.is(actual, expected);
}

/** Indices where `actual` is not `closeTo` `expected` (lengths must match too). */
export function mismatches(
  actual: ArrayLike<number>,
  expected: JsonNumber[]
): Array<{ i: number; actual: number; expected: number }> {
  const bad = [];
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    const e = fromJson(expected[i]);
    if (!closeTo(actual[i], e)) {
      bad.push({ i, actual: actual[i], expected: e });
    }
  }
  return bad;
}
