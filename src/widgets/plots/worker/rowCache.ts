/**
 * Decoded rows kept between requests, up to a byte budget: a review that
 * fits switches rules, zooms and exports without reading anything again,
 * and a live view reads only what was appended. The channels read first
 * stay: a run bigger than the budget keeps its first channels and reads
 * the rest again each time, rather than evicting everything on every pass.
 */
import { FileRows } from './fileRows';
import { IChannelRequest } from './resolve';

/** A review's budget: a few hundred MB would crowd a tab out. */
export const ROW_CACHE_BYTES = 192 * 1024 * 1024;

export class RowCache {
  /** @param budgetBytes - `Infinity` keeps every channel (a live view). */
  constructor(readonly budgetBytes: number = ROW_CACHE_BYTES) {}

  /** Bytes held. */
  get bytes(): number {
    let total = 0;
    this._channels.forEach(c => (total += c.bytes));
    return total;
  }

  /**
   * The channel's files as kept, to read and extend; a new entry while
   * there is room; `undefined` when the budget is spent (read it afresh).
   */
  files(channel: IChannelRequest): Map<string, FileRows> | undefined {
    const key = cacheKey(channel);
    let entry = this._channels.get(key);
    if (!entry && this.bytes < this.budgetBytes) {
      entry = { files: new Map(), bytes: 0 };
      this._channels.set(key, entry);
    }
    return entry?.files;
  }

  /** Account for the channel's rows after a read; drop it if over budget. */
  update(channel: IChannelRequest): void {
    const key = cacheKey(channel);
    const entry = this._channels.get(key);
    if (!entry) {
      return;
    }
    entry.bytes = 0;
    entry.files.forEach(f => (entry.bytes += f.byteLength));
    if (this.bytes > this.budgetBytes && this._channels.size > 1) {
      this._channels.delete(key);
    }
  }

  private readonly _channels = new Map<
    string,
    { files: Map<string, FileRows>; bytes: number }
  >();
}

/** A channel of a run (its files' sizes only say how far to read). */
function cacheKey(channel: IChannelRequest): string {
  return JSON.stringify([channel.run, channel.originNs, channel.name]);
}
