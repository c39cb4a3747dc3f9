/**
 * Decoded rows kept between a review's requests, up to a byte budget, so
 * switching the rule, zooming or exporting a run that fits reads nothing
 * again. The channels read first stay: a run bigger than the budget keeps
 * its first channels and reads the rest again each time, rather than
 * evicting everything on every pass.
 */
import { IColumnSet } from '../../../store';
import { IChannelRequest } from './resolve';

/** The worker's budget: a few hundred MB would crowd a tab out. */
export const ROW_CACHE_BYTES = 192 * 1024 * 1024;

export class RowCache {
  constructor(readonly budgetBytes: number = ROW_CACHE_BYTES) {}

  /** Bytes held. */
  get bytes(): number {
    return this._bytes;
  }

  /** The channel's rows as last read, if kept (and its files unchanged). */
  get(channel: IChannelRequest): IColumnSet | undefined {
    return this._rows.get(cacheKey(channel));
  }

  /** Keep the channel's rows if they fit the budget; says whether kept. */
  put(channel: IChannelRequest, data: IColumnSet): boolean {
    const key = cacheKey(channel);
    if (this._rows.has(key)) {
      return true;
    }
    const size = Object.values(data.columns).reduce(
      (n, column) => n + column.byteLength,
      0
    );
    if (this._bytes + size > this.budgetBytes) {
      return false;
    }
    this._rows.set(key, data);
    this._bytes += size;
    return true;
  }

  private readonly _rows = new Map<string, IColumnSet>();
  private _bytes = 0;
}

/** A channel and the sizes its files were read up to. */
function cacheKey(channel: IChannelRequest): string {
  return JSON.stringify([
    channel.run,
    channel.originNs,
    channel.name,
    channel.files.map(f => [f.name, f.size])
  ]);
}
