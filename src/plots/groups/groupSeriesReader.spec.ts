import { DEFAULT_GROUP_OPTIONS } from './grouping';
import { groupQuery, GroupSeriesReader } from './groupSeriesReader';

describe('groupQuery', () => {
  it('carries x when the review draws against a channel', () => {
    const query = groupQuery(
      ['r1', 'r2'],
      ['loss.train'],
      60,
      300,
      DEFAULT_GROUP_OPTIONS,
      [100, 2000],
      'env.step'
    );
    expect(query.split('&')).toEqual(
      expect.arrayContaining(['x=env.step', 'x0=100', 'x1=2000'])
    );
    const onTime = groupQuery(['r1'], ['a'], 60, 300, DEFAULT_GROUP_OPTIONS);
    expect(onTime).not.toMatch(/(^|&)x=/);
  });

  it("sends a request's x to the server", async () => {
    const paths: string[] = [];
    const reader = new GroupSeriesReader(
      new Map([['lr=0.1', ['r1', 'r2']]]),
      () => DEFAULT_GROUP_OPTIONS,
      async path => {
        paths.push(path);
        throw new Error('offline');
      }
    );
    await reader.series(
      {
        channels: [
          {
            run: 'lr=0.1',
            originNs: '0',
            name: 'loss',
            kind: 'mean',
            files: []
          }
        ],
        rule: 60,
        bins: 300,
        x: 'step'
      },
      () => undefined
    ).done;
    expect(paths).toHaveLength(1);
    expect(paths[0]).toMatch(/^group\?.*&x=step$/);
  });

  it('opens every group at once, at low priority (a zoom at high), and delivers nothing once disposed', async () => {
    const opened: [string, RequestPriority | undefined][] = [];
    const answers: (() => void)[] = [];
    const labels = ['lr=0.1', 'lr=0.2', 'lr=0.3', 'lr=0.4', 'lr=0.5', 'lr=0.6'];
    const reader = new GroupSeriesReader(
      new Map(labels.map(label => [label, [`${label}-a`, `${label}-b`]])),
      () => DEFAULT_GROUP_OPTIONS,
      (path, _signal, priority) =>
        new Promise<Response>(resolve => {
          opened.push([path, priority]);
          answers.push(() =>
            resolve(new Response(new Uint8Array(0), { status: 200 }))
          );
        })
    );
    const request = (range?: [number, number]) => ({
      channels: labels.map(run => ({
        run,
        originNs: '0',
        name: 'loss',
        kind: 'mean',
        files: []
      })),
      rule: 60 as const,
      bins: 300,
      ...(range ? { range } : {})
    });
    const got: string[] = [];
    const review = reader.series(request(), resolved => got.push(resolved.run));
    await Promise.resolve();
    // With 4 at a time (as before), the fifth and sixth waited here.
    expect(opened).toHaveLength(labels.length);
    expect(opened.every(([, priority]) => priority === 'low')).toBe(true);
    expect(opened[0][0]).toMatch(/run=lr%3D0\.1-a&run=lr%3D0\.1-b/);
    answers.forEach(answer => answer());
    await review.done;
    // An empty answer: each group's channel gets an error, not silence.
    expect(got.sort()).toEqual([...labels].sort());

    const zoom = reader.series(request([1, 2]), resolved =>
      got.push(resolved.run)
    );
    await Promise.resolve();
    expect(opened[labels.length][1]).toBe('high');
    reader.dispose();
    answers.slice(labels.length).forEach(answer => answer());
    await zoom.done;
    expect(got).toHaveLength(labels.length);
  });
});
