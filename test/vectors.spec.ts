/// <reference types="node" />
/**
 * The shared test vectors (`test/vectors/`, written by the Python side from
 * a pandas reference): decode, merge and aggregate every case with the
 * TypeScript store code and match pandas to 1e-9.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  aggregate,
  decodeNpr,
  IColumnSet,
  IStatKind,
  mergeByTime,
  parseInfo,
  STAT_KINDS
} from '../src/store';
import { JsonNumber, mismatches } from '../src/store/testing';

interface IVectorCase {
  run: string;
  channel: string;
  kind: string;
  rule_s: number;
  created_ns: string;
  files: string[];
  rows: number;
  raw: Record<string, JsonNumber[]>;
  index: JsonNumber[];
  columns: Record<string, JsonNumber[]>;
}

interface IVectors {
  kinds: { version: number; kinds: IStatKind[] };
  cases: IVectorCase[];
}

const VECTORS = path.join(__dirname, 'vectors');
const EXPECTED = path.join(VECTORS, 'expected.json');
const vectors: IVectors | undefined = fs.existsSync(EXPECTED)
  ? (JSON.parse(fs.readFileSync(EXPECTED, 'utf8')) as IVectors)
  : undefined;

const loaded = new Map<string, IColumnSet>();

/** A case's channel, read from disk, decoded and merged (cached per channel). */
function loadChannel(c: IVectorCase): IColumnSet {
  const key = `${c.run}/${c.channel}`;
  const cached = loaded.get(key);
  if (cached) {
    return cached;
  }
  const runDir = path.join(VECTORS, 'store', c.run);
  const infoFile = path.join(runDir, '_info.json');
  const info = parseInfo(fs.readFileSync(infoFile, 'utf8'), infoFile);
  expect(info.createdNs).toBe(BigInt(c.created_ns));
  const parts = c.files.map(
    file =>
      decodeNpr(
        new Uint8Array(fs.readFileSync(path.join(runDir, file))),
        file,
        info.createdNs
      ).data
  );
  const merged = mergeByTime(parts);
  loaded.set(key, merged);
  return merged;
}

const describeVectors = vectors ? describe : describe.skip;

describeVectors('shared test vectors', () => {
  const cases = vectors?.cases ?? [];

  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it('has the same kinds table as src/store/kinds.ts', () => {
    expect(vectors?.kinds.kinds).toEqual(STAT_KINDS);
  });

  it.each(
    cases.map(c => [`${c.run} ${c.channel} (${c.kind}, ${c.rule_s} s)`, c])
  )('%s', (_, c) => {
    const data = loadChannel(c as IVectorCase);
    const vector = c as IVectorCase;
    expect(data.length).toBe(vector.rows);
    for (const [field, values] of Object.entries(vector.raw)) {
      const column = data.columns[field === 't' ? '_time' : field];
      expect(column).toBeDefined();
      expect(mismatches(column, values)).toEqual([]);
    }
    const result = aggregate(vector.kind, data, {
      ruleS: vector.rule_s,
      file: vector.channel
    });
    expect(mismatches(result.index, vector.index)).toEqual([]);
    expect(Object.keys(result.columns).sort()).toEqual(
      Object.keys(vector.columns).sort()
    );
    for (const [name, values] of Object.entries(vector.columns)) {
      expect({ name, bad: mismatches(result.columns[name], values) }).toEqual({
        name,
        bad: []
      });
    }
  });

  it('never passes on _env', () => {
    const runs = fs.readdirSync(path.join(VECTORS, 'store'));
    for (const run of runs) {
      const file = path.join(VECTORS, 'store', run, '_info.json');
      const info = parseInfo(fs.readFileSync(file, 'utf8'), file);
      expect(info.fields).not.toHaveProperty('_env');
    }
  });
});
