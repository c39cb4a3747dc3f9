/**
 * Compile a parsed query into a predicate over rows, once; `matches` then
 * only calls closures. `runwatch/query/evaluate.py` is the Python twin.
 *
 * #### Notes
 * A missing field or null makes every comparison false except `== null` /
 * `!= null`; numbers compare numerically (a boolean is not a number),
 * strings by code point (not UTF-16 unit, to agree with Python); mixed types
 * are unequal and unordered; NaN compares false everywhere
 * (docs/queries.md, "What a comparison means").
 */
import { globToRegExp } from '../store/glob';
import { Operand, QueryNode, Value } from './parser';

export type Row = Record<string, unknown>;
export type Predicate = (row: Row) => boolean;

/** The value of a field a row doesn't have. */
export const MISSING: unique symbol = Symbol('MISSING');

// The kinds of value a comparison tells apart.
const Kind = { Null: 0, Bool: 1, Number: 2, String: 3, Other: 4 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const hasOwn = (row: Row, key: string) =>
  Object.prototype.hasOwnProperty.call(row, key);

/**
 * `row[name]`, else `row["params." + name]`, else MISSING: `lr` finds the
 * flattened param `params.lr`. Only a row's own keys count.
 */
export function lookup(row: Row, name: string): unknown {
  if (hasOwn(row, name)) {
    return row[name];
  }
  const param = 'params.' + name;
  return hasOwn(row, param) ? row[param] : MISSING;
}

function kindOf(value: unknown): Kind {
  switch (typeof value) {
    case 'boolean':
      return Kind.Bool;
    case 'number':
      return Kind.Number;
    case 'string':
      return Kind.String;
    default:
      return value === null || value === undefined || value === MISSING
        ? Kind.Null
        : Kind.Other;
  }
}

export function isTruthy(value: unknown): boolean {
  switch (kindOf(value)) {
    case Kind.Null:
      return false;
    case Kind.Other:
      // lists and objects: non-empty, as Python's len()
      return typeof value === 'object'
        ? Object.keys(value as object).length > 0
        : true;
    case Kind.Number:
      return value !== 0 && !Number.isNaN(value);
    default:
      return value !== false && value !== '';
  }
}

/** Compare strings by code point, as Python does (UTF-16 units disagree above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointRank(x) - codePointRank(y);
    }
  }
  return a.length - b.length;
}

// Surrogates (astral characters) must sort after U+E000..U+FFFF.
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

function equal(a: unknown, b: unknown): boolean {
  const kind = kindOf(a);
  return kind !== Kind.Null && kind !== Kind.Other && a === b;
}

function notEqual(a: unknown, b: unknown): boolean {
  const kindA = kindOf(a);
  const kindB = kindOf(b);
  if (
    kindA === Kind.Null ||
    kindB === Kind.Null ||
    Number.isNaN(a) ||
    Number.isNaN(b)
  ) {
    return false;
  }
  return kindA !== kindB || kindA === Kind.Other || a !== b;
}

function ordered(test: (order: number) => boolean) {
  return (a: unknown, b: unknown): boolean => {
    const kind = kindOf(a);
    if (kind !== kindOf(b)) {
      return false;
    }
    if (kind === Kind.Number) {
      const x = a as number;
      const y = b as number;
      // NaN: every test below is false, as every comparison with NaN is.
      return x < y ? test(-1) : x > y ? test(1) : x === y ? test(0) : false;
    }
    return kind === Kind.String
      ? test(compareCodePoints(a as string, b as string))
      : false;
  };
}

const COMPARISONS: Record<string, (a: unknown, b: unknown) => boolean> = {
  '==': equal,
  '!=': notEqual,
  '<': ordered(order => order < 0),
  '<=': ordered(order => order <= 0),
  '>': ordered(order => order > 0),
  '>=': ordered(order => order >= 0)
};

const globs = new Map<string, RegExp>();

function compiledGlob(pattern: string): RegExp {
  let glob = globs.get(pattern);
  if (glob === undefined) {
    if (globs.size > 1000) {
      globs.clear(); // patterns read from rows: keep the cache bounded
    }
    glob = globToRegExp(pattern);
    globs.set(pattern, glob);
  }
  return glob;
}

export function compileNode(node: QueryNode): Predicate {
  switch (node.tag) {
    case 'or': {
      const parts = node.nodes.map(compileNode);
      return row => parts.some(part => part(row));
    }
    case 'and': {
      const parts = node.nodes.map(compileNode);
      return row => parts.every(part => part(row));
    }
    case 'not': {
      const inner = compileNode(node.node);
      return row => !inner(row);
    }
    case 'truthy': {
      const get = getter({ kind: 'name', name: node.name });
      return row => isTruthy(get(row));
    }
    case 'in':
      return membership(getter(node.left), node.values, node.negated);
    case 'compare':
      return comparison(node.op, node.left, node.right);
  }
}

function getter(operand: Operand): (row: Row) => unknown {
  if (operand.kind === 'value') {
    const value = operand.value;
    return () => value;
  }
  const name = operand.name;
  const param = 'params.' + name;
  return row =>
    hasOwn(row, name) ? row[name] : hasOwn(row, param) ? row[param] : MISSING;
}

const isNullValue = (operand: Operand) =>
  operand.kind === 'value' && operand.value === null;

function comparison(op: string, left: Operand, right: Operand): Predicate {
  const getLeft = getter(left);
  const getRight = getter(right);
  if (isNullValue(left) || isNullValue(right)) {
    // the null tests: `x == null`, `x != null`
    const other = isNullValue(left) ? getRight : getLeft;
    return op === '=='
      ? row => kindOf(other(row)) === Kind.Null
      : row => kindOf(other(row)) !== Kind.Null;
  }
  if (op === '~') {
    if (right.kind === 'value') {
      const glob = compiledGlob(right.value as string);
      return row => {
        const text = getLeft(row);
        return typeof text === 'string' && glob.test(text);
      };
    }
    return row => {
      const text = getLeft(row);
      const pattern = getRight(row);
      return (
        typeof text === 'string' &&
        typeof pattern === 'string' &&
        compiledGlob(pattern).test(text)
      );
    };
  }
  const compare = COMPARISONS[op];
  return row => compare(getLeft(row), getRight(row));
}

function membership(
  get: (row: Row) => unknown,
  values: Value[],
  negated: boolean
): Predicate {
  const hasNull = values.includes(null);
  const present = values.filter(value => value !== null);
  if (negated) {
    return row => {
      const value = get(row);
      // as `x != 1`: a missing field compares false
      return (
        kindOf(value) !== Kind.Null &&
        present.every(item => notEqual(value, item))
      );
    };
  }
  return row => {
    const value = get(row);
    return kindOf(value) === Kind.Null
      ? hasNull
      : present.some(item => equal(value, item));
  };
}
