import { IKeyValueStore, LogScales } from './logScales';

function memoryStore(): IKeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: key => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value)
  };
}

describe('LogScales', () => {
  it('remembers a group set to log, across instances (reloads)', () => {
    const store = memoryStore();
    new LogScales(store).set('loss', true);
    const later = new LogScales(store);
    expect(later.has('loss')).toBe(true);
    expect(later.has('acc')).toBe(false);
    later.set('loss', false);
    expect(new LogScales(store).has('loss')).toBe(false);
  });

  it('survives garbage, a full store and no store at all', () => {
    const store = memoryStore();
    store.data.set('runwatch:log-y-groups', '{not json');
    expect(new LogScales(store).has('loss')).toBe(false);
    const full: IKeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      }
    };
    expect(() => new LogScales(full).set('loss', true)).not.toThrow();
    const none = new LogScales(null);
    none.set('loss', true);
    expect(none.has('loss')).toBe(false);
  });
});
