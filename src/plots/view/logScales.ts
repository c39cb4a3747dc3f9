/**
 * Which channel groups the user set to a log y axis, remembered in the
 * browser across reviews and reloads (per group name: `loss` stays log in
 * every run's review once set).
 */

/** The parts of `Storage` used (tests pass a Map-backed fake). */
export interface IKeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = 'runwatch:log-y-groups';
/** Groups remembered at most; the oldest set drops out first. */
const MAX_GROUPS = 500;

export class LogScales {
  constructor(
    private readonly _store: IKeyValueStore | null = browserStore()
  ) {}

  has(group: string): boolean {
    return this._read().includes(group);
  }

  set(group: string, log: boolean): void {
    const groups = this._read().filter(g => g !== group);
    if (log) {
      groups.push(group);
    }
    try {
      this._store?.setItem(KEY, JSON.stringify(groups.slice(-MAX_GROUPS)));
    } catch {
      // Storage full or refused (private mode): the toggle still applies now.
    }
  }

  private _read(): string[] {
    try {
      const value = JSON.parse(this._store?.getItem(KEY) ?? '[]');
      return Array.isArray(value)
        ? value.filter((g): g is string => typeof g === 'string')
        : [];
    } catch {
      return [];
    }
  }
}

function browserStore(): IKeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // access denied (sandboxed frame)
  }
}

/** One memory for the page. */
export const logScales = new LogScales();
