/**
 * One `.npr` file's rows as read so far, extended by reading only the
 * bytes past what it holds: a review reads each file once, and a live
 * view reads only what was appended since.
 */
import {
  decodeRowsInto,
  HeaderError,
  IColumnSet,
  IncrementalNprDecoder
} from '../../store';

/** The largest range asked for at once (the server's cap). */
export const READ_RANGE_BYTES = 16 * 1024 * 1024;

/**
 * The bytes `[offset, offset + length)` of a run's file, as they arrive.
 * A chunk may be overwritten once the next one is asked for.
 */
export type ReadChunks = (
  run: string,
  file: string,
  offset: number,
  length: number
) => AsyncIterable<Uint8Array>;

export class FileRows {
  constructor(
    readonly file: string,
    private readonly _originNs: bigint
  ) {
    this._decoder = new IncrementalNprDecoder(file, _originNs);
  }

  /** Bytes of the file read so far. */
  get offset(): number {
    return this._offset;
  }

  /** Bytes held by the columns. */
  get byteLength(): number {
    let bytes = 0;
    for (const column of Object.values(this._columns)) {
      bytes += column.byteLength;
    }
    return bytes;
  }

  /**
   * Read and decode the file's bytes from `offset` up to `size` (its
   * listed size: nothing past it is read), streamed as they arrive. Calls
   * queue: two requests for one file never read the same bytes twice.
   */
  extend(
    run: string,
    size: number,
    read: ReadChunks,
    cancelled: () => boolean = () => false
  ): Promise<void> {
    const next = this._extending.then(() =>
      this._extend(run, size, read, cancelled)
    );
    this._extending = next.catch(() => undefined);
    return next;
  }

  private async _extend(
    run: string,
    size: number,
    read: ReadChunks,
    cancelled: () => boolean
  ): Promise<void> {
    while (this._offset < size && !cancelled()) {
      const before = this._offset;
      const length = Math.min(READ_RANGE_BYTES, size - this._offset);
      for await (const chunk of read(run, this.file, this._offset, length)) {
        const wanted = chunk.subarray(0, size - this._offset);
        this._offset += wanted.length;
        const bytes = this._decoder.pushBytes(wanted);
        const header = this._decoder.header;
        if (header && bytes.byteLength > 0) {
          const rows = bytes.byteLength / header.itemsize;
          // The listed size bounds the rows: room for all of them at once.
          this._reserve(
            this._rows + rows,
            Math.floor((size - header.headerLength) / header.itemsize)
          );
          this._rows += decodeRowsInto(
            header,
            bytes,
            this._originNs,
            this._columns,
            this._rows
          );
        }
      }
      if (this._offset === before) {
        break; // Shrunk underneath: keep what there is.
      }
    }
  }

  /**
   * The rows so far (views, valid until the next `extend`).
   *
   * @throws HeaderError if the file had bytes but not a whole header.
   */
  view(): IColumnSet {
    const header = this._decoder.header;
    if (!header) {
      throw new HeaderError(
        this.file,
        this._offset === 0 ? 'file is empty' : 'header is truncated'
      );
    }
    const columns: Record<string, Float64Array> = {};
    for (const field of header.fields) {
      const column = this._columns[field.name] ?? new Float64Array(0);
      columns[field.name] =
        column.length === this._rows ? column : column.subarray(0, this._rows);
    }
    return { length: this._rows, columns };
  }

  /** Make room for `needed` rows, growing to at least `expected`. */
  private _reserve(needed: number, expected: number): void {
    if (needed <= this._capacity) {
      return;
    }
    const capacity = Math.max(
      needed,
      expected,
      Math.ceil(this._capacity * 1.5)
    );
    const header = this._decoder.header!;
    for (const field of header.fields) {
      const grown = new Float64Array(capacity);
      const old = this._columns[field.name];
      if (old) {
        grown.set(old.subarray(0, this._rows));
      }
      this._columns[field.name] = grown;
    }
    this._capacity = capacity;
  }

  private readonly _decoder: IncrementalNprDecoder;
  private _extending: Promise<void> = Promise.resolve();
  private _columns: Record<string, Float64Array> = {};
  private _rows = 0;
  private _capacity = 0;
  private _offset = 0;
}
