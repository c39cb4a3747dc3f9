import { splitInView } from './inViewFirst';

const channels = (...names: string[]) =>
  names.flatMap(name => ['run-a', 'run-b'].map(run => ({ run, name })));

describe('splitInView', () => {
  it("cuts after the first plots' channels, every run's", () => {
    const [first, rest] = splitInView(
      channels('loss.train', 'loss.test', 'acc.train', 'lr'),
      1,
      1
    );
    expect(first.map(c => `${c.run}:${c.name}`)).toEqual([
      'run-a:loss.train',
      'run-b:loss.train',
      'run-a:loss.test',
      'run-b:loss.test'
    ]);
    expect(rest.map(c => c.name)).toEqual([
      'acc.train',
      'acc.train',
      'lr',
      'lr'
    ]);
  });

  it('leaves nothing for later when every plot is in view', () => {
    const all = channels('loss.train', 'acc.train');
    expect(splitInView(all, 2)).toEqual([all, []]);
    expect(splitInView(all, Infinity)).toEqual([all, []]);
  });

  it('asks for no plot first when none is in view', () => {
    const all = channels('loss.train');
    expect(splitInView(all, 0, 1)).toEqual([[], all]);
  });

  it('asks for everything at once when the rest is too few to wait for', () => {
    const all = channels('loss.train', 'acc.train', 'lr');
    expect(splitInView(all, 1, 5)).toEqual([all, []]);
    expect(splitInView(all, 1, 4)[1]).toHaveLength(4);
  });
});
