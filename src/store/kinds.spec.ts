/// <reference types="node" />
import * as fs from 'fs';
import * as path from 'path';
import { quantileColumnNames, STAT_KINDS, statKind } from './kinds';

const KINDS_JSON = path.join(
  __dirname,
  '..',
  '..',
  'test',
  'vectors',
  'kinds.json'
);

describe('STAT_KINDS', () => {
  const maybe = fs.existsSync(KINDS_JSON) ? it : it.skip;

  maybe('equals the Python table exported to test/vectors/kinds.json', () => {
    const python = JSON.parse(fs.readFileSync(KINDS_JSON, 'utf8'));
    expect(python.version).toBe(1);
    expect(STAT_KINDS).toEqual(python.kinds);
  });

  it('looks kinds up by name', () => {
    expect(statKind('mean')?.args).toEqual([
      { name: 'total' },
      { name: 'count', default: 1 }
    ]);
    expect(statKind('silent')?.silent).toBe(true);
    expect(statKind('nope')).toBeUndefined();
  });
});

describe('quantileColumnNames', () => {
  it("formats linspace(0, 1, n) as Python's f'{100*q:.0f}'", () => {
    expect(quantileColumnNames(5)).toEqual(['0', '25', '50', '75', '100']);
    expect(quantileColumnNames(3)).toEqual(['0', '50', '100']);
    expect(quantileColumnNames(4)).toEqual(['0', '33', '67', '100']);
    expect(quantileColumnNames(1)).toEqual(['0']);
    // Exact halves round to even, as Python does: 12.5 -> 12, 37.5 -> 38.
    expect(quantileColumnNames(9)).toEqual([
      '0',
      '12',
      '25',
      '38',
      '50',
      '62',
      '75',
      '88',
      '100'
    ]);
  });
});
