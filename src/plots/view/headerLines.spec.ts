import { nullTranslator } from '@jupyterlab/translation';
import { IPlotRun } from '../data/sources';
import { headerLines } from './headerLines';

const trans = nullTranslator.load('runwatch');

/** A run with `channels` channels and maybe a message. */
function run(name: string, channels: number, message?: string): IPlotRun {
  const map = new Map(
    Array.from({ length: channels }, (_, i) => [`c${i}`, {}] as const)
  );
  return { run: name, channels: map, message } as unknown as IPlotRun;
}

function data(sources: IPlotRun[], busy = false, badges: string[] = []) {
  return { sources, busy, badges: () => badges };
}

describe('headerLines', () => {
  it('counts channels and says what is being read and held back', () => {
    expect(headerLines(data([run('a', 1)]), ['a'], '', trans)).toEqual({
      notes: [],
      badge: undefined,
      status: '1 channel'
    });
    const busy = headerLines(
      data([run('a', 2), run('b', 1)], true),
      ['a', 'b'],
      'paused · 3 new rows not drawn',
      trans
    );
    expect(busy.status).toBe(
      '3 channels · reading… · paused · 3 new rows not drawn'
    );
  });

  it("notes a run that can't be shown, or has no stats yet", () => {
    expect(headerLines(data([run('a', 0)]), ['a'], '', trans).notes).toEqual([
      'no stats yet'
    ]);
    const compared = headerLines(
      data([run('a', 0), run('b', 0, 'no such run'), run('c', 2)]),
      ['a', 'b', 'c'],
      '',
      trans
    );
    expect(compared.notes).toEqual(['a: no stats yet', 'b: no such run']);
  });

  it("summarises the runs' states, flagging several different ones", () => {
    const lines = (badges: string[]) =>
      headerLines(data([run('a', 1)], false, badges), ['a'], '', trans).badge;
    expect(lines(['live', 'live'])).toEqual({ text: 'live', mixed: false });
    expect(lines(['live', 'finished'])).toEqual({
      text: '1 live · 1 finished',
      mixed: true
    });
  });
});
