/**
 * Parts of the plots' head are drawn again at every draw pass (a pass runs
 * at every frame while a review's series arrive): they rebuild their DOM
 * only when what they are drawn from changed.
 */

const drawn = new WeakMap<Element, string>();

/**
 * Whether `node` was last drawn from `inputs` (a key of what it shows);
 * when not, `inputs` is noted as what it is now drawn from.
 */
export function drawnFrom(node: Element, inputs: string): boolean {
  if (drawn.get(node) === inputs) {
    return true;
  }
  drawn.set(node, inputs);
  return false;
}
