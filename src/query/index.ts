/**
 * The runs query language: a small, safe filter over run rows (never
 * `eval`); see docs/queries.md. `runwatch/query` is the Python twin, and
 * test/vectors/query.json holds both to one definition.
 *
 * ```ts
 * const filter = parseFilter('lr < 1e-3 and status == "finished"');
 * rows.filter(row => filter.matches(row));
 * ```
 */
import { compileNode, Predicate, Row } from './evaluate';
import { parse, QueryNode } from './parser';

export { isFilter } from './detect';
export { MAX_DEPTH, MAX_LENGTH, QueryError } from './errors';
export { lookup, MISSING } from './evaluate';

/** A compiled filter: `matches(row)` is cheap; `names` is every identifier it references, as written. */
export class Filter {
  constructor(
    readonly text: string,
    readonly names: ReadonlySet<string>,
    private readonly predicate: Predicate
  ) {}

  matches(row: Row): boolean {
    return this.predicate(row);
  }
}

/** Parse and compile a filter expression; throws QueryError naming the column. */
export function parseFilter(text: string): Filter {
  if (typeof text !== 'string') {
    throw new TypeError(`a query is a string, not ${typeof text}`);
  }
  const tree = parse(text);
  const names = new Set<string>();
  collectNames(tree, names);
  return new Filter(text, names, compileNode(tree));
}

function collectNames(node: QueryNode, names: Set<string>): void {
  switch (node.tag) {
    case 'or':
    case 'and':
      node.nodes.forEach(child => collectNames(child, names));
      break;
    case 'not':
      collectNames(node.node, names);
      break;
    case 'truthy':
      names.add(node.name);
      break;
    default:
      for (const side of node.tag === 'in'
        ? [node.left]
        : [node.left, node.right]) {
        if (side.kind === 'name') {
          names.add(side.name);
        }
      }
  }
}
