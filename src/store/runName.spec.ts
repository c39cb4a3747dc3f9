import { RunNameError } from './errors';
import { parseRunName, parseStatsFileName, splitChannel } from './runName';

describe('parseRunName', () => {
  it('parses the UTC stamp, the words and the suffix', () => {
    expect(parseRunName('2024-01-02 03-04-05 neat-funds')).toEqual({
      created: Date.UTC(2024, 0, 2, 3, 4, 5),
      words: 'neat-funds',
      suffix: ''
    });
    expect(parseRunName('2021-03-01 12-34-56 cosy-quartz lr sweep 3')).toEqual({
      created: Date.UTC(2021, 2, 1, 12, 34, 56),
      words: 'cosy-quartz',
      suffix: 'lr sweep 3'
    });
    // Years below 100 are not shifted to 19xx, as Date.UTC would.
    expect(parseRunName('0099-01-01 00-00-00').created).toBe(
      new Date('0099-01-01T00:00:00Z').getTime()
    );
  });

  it.each([
    'neat-funds',
    '2024-01-02 03:04:05 neat-funds',
    '2024-13-02 03-04-05 x',
    '2024-02-30 03-04-05 x',
    '2024-01-02 24-00-00 x'
  ])('rejects %j with a RunNameError', name => {
    expect(() => parseRunName(name)).toThrow(RunNameError);
  });
});

describe('splitChannel', () => {
  it('splits at the first dot', () => {
    const nested = splitChannel('loss.train.value');
    expect([nested.group, nested.label]).toEqual(['loss', 'train.value']);
    const flat = splitChannel('loss');
    expect([flat.group, flat.label]).toEqual(['loss', '']);
  });
});

describe('parseStatsFileName', () => {
  it('finds the channel and writer index', () => {
    expect(parseStatsFileName('stats.loss.value.12.npr')).toEqual({
      channel: 'loss.value',
      index: 12
    });
    expect(parseStatsFileName('stats.μ.0.npr')).toEqual({
      channel: 'μ',
      index: 0
    });
    expect(parseStatsFileName('logs.0.txt')).toBeUndefined();
    expect(parseStatsFileName('stats.x.npr')).toBeUndefined();
  });
});
