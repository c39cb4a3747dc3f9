/**
 * Reading the ranges a `plotly_relayout` event sets (a zoom, a pan, a
 * double-click back to autorange).
 */

/**
 * The range a `plotly_relayout` event sets for `axis`: a range, `null` for
 * back to autorange, or `undefined` if the event leaves it alone.
 */
export function axisRange(
  event: Record<string, unknown>,
  axis: 'xaxis' | 'yaxis'
): [number, number] | null | undefined {
  if (event[`${axis}.autorange`] === true) {
    return null;
  }
  const pair = event[`${axis}.range`];
  if (Array.isArray(pair) && pair.length === 2) {
    return [Number(pair[0]), Number(pair[1])];
  }
  const lo = event[`${axis}.range[0]`];
  const hi = event[`${axis}.range[1]`];
  if (lo !== undefined && hi !== undefined) {
    return [Number(lo), Number(hi)];
  }
  return undefined;
}

/** Whether a range read from an event (`null`: none) is the one kept. */
export function sameRange(
  a: [number, number] | null,
  b: [number, number] | undefined
): boolean {
  if (a === null || b === undefined) {
    return a === null && b === undefined;
  }
  return a[0] === b[0] && a[1] === b[1];
}
