/**
 * One stats channel of a live run: its files (one per writer), their
 * decoders and rows, merged by time on demand.
 */
import {
  IColumnSet,
  IncrementalNprDecoder,
  mergeByTime,
  parseStatsFileName
} from '../store';
import { IFileEntry } from '../client/api';
import { ColumnBuffer } from './columnBuffer';

interface IChannelFile {
  readonly entry: IFileEntry;
  readonly index: number;
  readonly decoder: IncrementalNprDecoder;
  readonly rows: ColumnBuffer;
}

/**
 * A channel's decoded rows, kept per file and merged lazily.
 *
 * #### Notes
 * An error (a bad header the server reported, or one the decoder found)
 * sticks to the channel: it is shown for this channel only and its files
 * are no longer fetched.
 */
export class StatsChannel {
  constructor(
    readonly name: string,
    private readonly _originNs: bigint
  ) {}

  /** The stat kind: that of the lowest-N file, as pavlov's readers take. */
  get kind(): string {
    return this._files[0]?.entry.kind ?? 'last';
  }

  /** Why this channel can't be shown, or `undefined`. */
  get error(): string | undefined {
    return this._error;
  }

  /** Bumped on every change, so views can skip unchanged channels. */
  get version(): number {
    return this._version;
  }

  /** The channel's files, by N. */
  get files(): readonly IFileEntry[] {
    return this._files.map(f => f.entry);
  }

  /** All rows so far, sorted by time (seconds since `_created`). */
  get data(): IColumnSet {
    if (!this._merged) {
      const parts = this._files.map(f => f.rows.view());
      // Even one file is sorted (a clock can step back); a sorted file
      // comes back as it is.
      this._merged = mergeByTime(parts);
    }
    return this._merged;
  }

  /** Add a file (once); records a server-reported error for the channel. */
  addFile(entry: IFileEntry): void {
    if (this._files.some(f => f.entry.name === entry.name)) {
      return;
    }
    const index = parseStatsFileName(entry.name)?.index ?? this._files.length;
    this._files.push({
      entry,
      index,
      decoder: new IncrementalNprDecoder(entry.name, this._originNs),
      rows: new ColumnBuffer()
    });
    this._files.sort((a, b) => a.index - b.index);
    if (entry.error) {
      this.fail(entry.error);
    }
    this._touch();
  }

  /** Feed the next bytes of `file`; a decoding error fails the channel. */
  push(file: string, bytes: Uint8Array): void {
    const target = this._files.find(f => f.entry.name === file);
    if (!target || this._error) {
      return;
    }
    try {
      const rows = target.decoder.push(bytes);
      if (rows.length > 0) {
        target.rows.append(rows);
        this._touch();
      }
    } catch (error) {
      this.fail((error as Error).message);
    }
  }

  /** Mark the channel as broken with `reason`. */
  fail(reason: string): void {
    if (this._error === undefined) {
      this._error = reason;
      this._touch();
    }
  }

  private _touch(): void {
    this._merged = undefined;
    this._version++;
  }

  private readonly _files: IChannelFile[] = [];
  private _merged: IColumnSet | undefined = undefined;
  private _error: string | undefined = undefined;
  private _version = 0;
}
