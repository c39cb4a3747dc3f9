import { nullTranslator } from '@jupyterlab/translation';
import { parseStatKey, StatChooser, statKeys, statSuffix } from './statChooser';

describe('stat keys', () => {
  it('names each summary as the server does', () => {
    expect(statSuffix({ kind: 'last' })).toBe('last');
    expect(statSuffix({ kind: 'mean', rows: 10 })).toBe('mean10');
    expect(statSuffix({ kind: 'at', seconds: 3600 })).toBe('at3600');
  });

  it('parses a key from the right, as channel names hold dots', () => {
    expect(parseStatKey('loss.val.mean10')).toEqual({
      channel: 'loss.val',
      choice: { kind: 'mean', rows: 10 }
    });
    expect(parseStatKey('loss.val.at60')).toEqual({
      channel: 'loss.val',
      choice: { kind: 'at', seconds: 60 }
    });
    expect(parseStatKey('params.lr')).toBeUndefined();
    expect(parseStatKey('loss.mean0')).toBeUndefined();
    expect(parseStatKey('last')).toBeUndefined();
  });

  it('asks for each channel’s choice plus the summaries a filter names', () => {
    const choices = new Map([['acc', { kind: 'max' as const }]]);
    expect(
      statKeys(['acc', 'loss.val'], choices, [
        'loss.val.min',
        'acc.max',
        'lr',
        'nope.min'
      ])
    ).toEqual(['acc.max', 'loss.val.last', 'loss.val.min']);
  });
});

describe('StatChooser', () => {
  it('changes one channel’s summary, or all of them, and says so', () => {
    let changes = 0;
    const chooser = new StatChooser(nullTranslator.load('runwatch'), () => {
      changes++;
    });
    expect(chooser.node.hidden).toBe(true);
    chooser.setChannels(['acc', 'loss']);
    expect(chooser.node.hidden).toBe(false);
    const [channel, kind, number] = Array.from(
      chooser.node.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
        'select, input'
      )
    );
    expect(number.hidden).toBe(true);

    channel.value = 'loss';
    channel.dispatchEvent(new Event('change'));
    kind.value = 'mean';
    kind.dispatchEvent(new Event('change'));
    expect(number.hidden).toBe(false);
    expect(chooser.statKeys()).toEqual(['acc.last', 'loss.mean10']);
    number.value = '50';
    number.dispatchEvent(new Event('change'));
    expect(chooser.statKeys()).toEqual(['acc.last', 'loss.mean50']);
    expect(changes).toBe(2);

    channel.value = '';
    channel.dispatchEvent(new Event('change'));
    kind.value = 'min';
    kind.dispatchEvent(new Event('change'));
    expect(chooser.statKeys()).toEqual(['acc.min', 'loss.min']);
    chooser.setChannels(['acc', 'gpu', 'loss']);
    expect(chooser.statKeys()).toEqual(['acc.min', 'gpu.min', 'loss.min']);
  });
});
