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
});
