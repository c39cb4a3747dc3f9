/// <reference types="node" />
/**
 * The shared run-matching cases (`test/vectors/matching.json`), checked
 * against `resolveRuns`, `resolveRun` and the runs panel's `filterRuns`;
 * `runwatch/tests/test_matching_vectors.py` checks the same cases in Python.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  filterRuns,
  IRunEntry,
  parseCreated,
  ResolveError,
  resolveRun,
  resolveRuns
} from '../src/store';

interface IMatchingCase {
  why: string;
  query: number | string;
  many: string[] | 'not found';
  one: string;
  message_names?: string[];
}

interface IMatchingVectors {
  runs: Array<{ name: string; created: string | null }>;
  cases: IMatchingCase[];
}

const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'vectors', 'matching.json'), 'utf8')
) as IMatchingVectors;

const RUNS: IRunEntry[] = vectors.runs.map(run => ({
  name: run.name,
  created:
    run.created === null ? undefined : parseCreated(run.created, run.name)
}));

/** What `run` throws: a ResolveError (anything else fails the test). */
function resolveError(run: () => unknown): ResolveError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ResolveError);
    return error as ResolveError;
  }
  throw new Error('expected a ResolveError');
}

describe.each(vectors.cases)('run query $query: $why', c => {
  it('resolveRuns matches the same runs as resolve_many', () => {
    if (c.many === 'not found') {
      expect(resolveError(() => resolveRuns(c.query, RUNS)).message).toMatch(
        /no run matches|index out of range/
      );
    } else {
      expect(resolveRuns(c.query, RUNS)).toEqual(c.many);
    }
  });

  it('resolveRun answers as resolve, naming the candidates', () => {
    if (c.one === 'not found' || c.one === 'ambiguous') {
      const message = resolveError(() => resolveRun(c.query, RUNS)).message;
      expect(message).toMatch(
        c.one === 'ambiguous'
          ? /matches \d+ runs/
          : /no run matches|index out of range/
      );
      for (const name of c.message_names ?? []) {
        expect(message).toContain(JSON.stringify(name));
      }
    } else {
      expect(resolveRun(c.query, RUNS)).toBe(c.one);
    }
  });

  it("the runs panel's filter shows the same runs", () => {
    const shown = filterRuns(String(c.query), RUNS, run => run).map(
      r => r.name
    );
    if (!String(c.query).trim()) {
      // A blank filter is no filter: the panel lists every run.
      expect(shown).toEqual(RUNS.map(r => r.name));
    } else {
      expect(shown).toEqual(c.many === 'not found' ? [] : c.many);
    }
  });
});
