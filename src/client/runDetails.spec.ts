import type { IRunDetail } from './api';
import { RunwatchAPIError } from './requestAPI';
import { IRunRefusal, MAX_RUNS_A_REQUEST, RunDetailsBatch } from './runDetails';

function detail(name: string): IRunDetail {
  return {
    name,
    info: { _created: '2021-01-01 00:00:00' },
    status: 'finished',
    error: null,
    size: 1,
    files: []
  };
}

/** A batch over fake endpoints that record what they were asked. */
function batch(refuse: Record<string, IRunRefusal> = {}, drop = '') {
  const ones: string[] = [];
  const manys: string[][] = [];
  const runs = new RunDetailsBatch(
    async name => {
      ones.push(name);
      if (refuse[name]) {
        throw new RunwatchAPIError(refuse[name].message, 404, `runs/${name}`);
      }
      return detail(name);
    },
    async names => {
      manys.push([...names]);
      return names
        .filter(name => name !== drop)
        .map(name => refuse[name] ?? detail(name));
    }
  );
  return { runs, ones, manys };
}

describe('RunDetailsBatch', () => {
  it('lists the runs asked for in one turn in one request, in order', async () => {
    const { runs, ones, manys } = batch();
    const names = ['c', 'a', 'b'];
    const details = await Promise.all(names.map(name => runs.get(name)));
    expect(details.map(d => d.name)).toEqual(names);
    expect(manys).toEqual([names]);
    expect(ones).toEqual([]);
  });

  it('asks for a lone run as GET runs/<name> does', async () => {
    const { runs, ones, manys } = batch();
    expect((await runs.get('a')).name).toBe('a');
    // A later turn is a new batch.
    expect((await runs.get('b')).name).toBe('b');
    expect(ones).toEqual(['a', 'b']);
    expect(manys).toEqual([]);
  });

  it('asks once for a run asked for twice in a turn', async () => {
    const { runs, manys } = batch();
    const [a1, a2, b] = await Promise.all([
      runs.get('a'),
      runs.get('a'),
      runs.get('b')
    ]);
    expect([a1.name, a2.name, b.name]).toEqual(['a', 'a', 'b']);
    expect(manys).toEqual([['a', 'b']]);
  });

  it("fails only a refused run, with the server's status and message", async () => {
    const gone = { name: 'gone', status: 404, message: "no run named 'gone'" };
    const { runs } = batch({ gone });
    const [ok, refused] = await Promise.allSettled([
      runs.get('ok'),
      runs.get('gone')
    ]);
    expect(ok.status).toBe('fulfilled');
    expect(refused.status).toBe('rejected');
    const error = (refused as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(RunwatchAPIError);
    expect(error.message).toBe("no run named 'gone'");
    expect(error.status).toBe(404);
  });

  it('fails a run the answer left out, and every run when the request fails', async () => {
    const { runs } = batch({}, 'b');
    const settled = await Promise.allSettled([runs.get('a'), runs.get('b')]);
    expect(settled.map(s => s.status)).toEqual(['fulfilled', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toMatch(
      /did not list b/
    );
    const failing = new RunDetailsBatch(
      async () => detail('x'),
      async () => {
        throw new RunwatchAPIError("can't reach the Jupyter server", 0, '');
      }
    );
    const all = await Promise.allSettled([failing.get('a'), failing.get('b')]);
    expect(all.map(s => s.status)).toEqual(['rejected', 'rejected']);
  });

  it('splits more runs than the server takes at once', async () => {
    const { runs, manys } = batch();
    const names = Array.from(
      { length: MAX_RUNS_A_REQUEST + 5 },
      (_, i) => `run${i}`
    );
    const details = await Promise.all(names.map(name => runs.get(name)));
    expect(details.map(d => d.name)).toEqual(names);
    expect(manys.map(m => m.length)).toEqual([MAX_RUNS_A_REQUEST, 5]);
  });
});
