import { channelFilter } from './channelFilter';

const channels = [
  'loss.train',
  'loss.val',
  'val_loss',
  'acc.val',
  'gpu.util',
  'opt.lr'
];
const kept = (text: string) => channels.filter(channelFilter(text));

describe('channelFilter', () => {
  it('keeps every channel for an empty search', () => {
    expect(kept('')).toEqual(channels);
    expect(kept('   ')).toEqual(channels);
  });

  it('matches a plain word anywhere in the name, ignoring case', () => {
    expect(kept('loss')).toEqual(['loss.train', 'loss.val', 'val_loss']);
    expect(kept('VAL')).toEqual(['loss.val', 'val_loss', 'acc.val']);
    expect(kept('.')).toHaveLength(5);
  });

  it('matches a glob against the whole name', () => {
    expect(kept('loss.*')).toEqual(['loss.train', 'loss.val']);
    expect(kept('*.val')).toEqual(['loss.val', 'acc.val']);
    expect(kept('?pt.lr')).toEqual(['opt.lr']);
    expect(kept('[ag]*')).toEqual(['acc.val', 'gpu.util']);
    expect(kept('[!l]*.*')).toEqual(['acc.val', 'gpu.util', 'opt.lr']);
    expect(kept('loss')).not.toEqual(kept('loss*'));
  });

  it('takes regex characters literally', () => {
    expect(kept('(')).toEqual([]);
    expect(kept('loss.t+')).toEqual([]);
    expect(kept('[unclosed*')).toEqual([]);
  });
});
