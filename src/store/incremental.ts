/**
 * An incremental `.npr` decoder for a growing file whose tail arrives in
 * chunks of any size, as the server streams appended bytes.
 */
import { copyBytes, decodeRows, IColumnSet } from './decode';
import { StoreError } from './errors';
import { INpyHeader, npyHeaderLength, parseNprHeader } from './npyHeader';

/**
 * Decodes a `.npr` file fed as consecutive byte chunks.
 *
 * The first chunks complete the header (which may arrive split anywhere);
 * after that every chunk yields the records it completes. Bytes of a partial
 * record are carried over to the next chunk.
 *
 * #### Notes
 * After a `StoreError` the decoder is poisoned: every later `push` rethrows
 * the same error, so a caller can't silently skip a corrupt header.
 */
export class IncrementalNprDecoder {
  /**
   * @param file - named in any error.
   * @param originNs - the time origin in ns since the epoch (the run's
   *   `_created`); see `decodeRows`.
   */
  constructor(
    readonly file: string,
    readonly originNs: bigint
  ) {}

  /** The header, once it has arrived in full. */
  get header(): INpyHeader | undefined {
    return this._header;
  }

  /** Total bytes pushed so far: the file offset the next chunk starts at. */
  get bytesReceived(): number {
    return this._bytesReceived;
  }

  /** Records decoded so far. */
  get rowsDecoded(): number {
    return this._rowsDecoded;
  }

  /**
   * Feed the next chunk of the file.
   *
   * @returns the records completed by this chunk (possibly none). Columns
   *   are fresh arrays the caller may keep.
   * @throws HeaderError or DtypeError once the header is known to be bad.
   */
  push(chunk: Uint8Array): IColumnSet {
    if (this._error) {
      throw this._error;
    }
    try {
      return this._push(chunk);
    } catch (error) {
      if (error instanceof StoreError) {
        this._error = error;
      }
      throw error;
    }
  }

  /**
   * Feed the next chunk, like `push`, but get the complete records' bytes
   * undecoded (for `decodeRowsInto`); empty until the header is in.
   */
  pushBytes(chunk: Uint8Array): Uint8Array {
    if (this._error) {
      throw this._error;
    }
    try {
      const rows = this._completeRows(chunk);
      if (this._header) {
        this._rowsDecoded += rows.byteLength / this._header.itemsize;
      }
      return rows;
    } catch (error) {
      if (error instanceof StoreError) {
        this._error = error;
      }
      throw error;
    }
  }

  private _push(chunk: Uint8Array): IColumnSet {
    const rows = this._completeRows(chunk);
    if (rows.byteLength === 0) {
      return emptyFor(this._header);
    }
    const data = decodeRows(this._header!, rows, this.originNs);
    this._rowsDecoded += data.length;
    return data;
  }

  /** The bytes of the records `chunk` completes (none before the header). */
  private _completeRows(chunk: Uint8Array): Uint8Array {
    this._bytesReceived += chunk.byteLength;
    let bytes = this._pending.byteLength ? concat(this._pending, chunk) : chunk;
    if (!this._header) {
      const length = npyHeaderLength(bytes, this.file);
      if (length === undefined || bytes.byteLength < length) {
        this._pending = bytes === chunk ? copyBytes(chunk) : bytes;
        return new Uint8Array(0);
      }
      this._header = parseNprHeader(bytes, this.file);
      bytes = bytes.subarray(length);
    }
    const itemsize = this._header.itemsize;
    const complete = Math.floor(bytes.byteLength / itemsize) * itemsize;
    // Copy the leftover: the caller may reuse its chunk buffer.
    this._pending = copyBytes(bytes.subarray(complete));
    return bytes.subarray(0, complete);
  }

  private _header: INpyHeader | undefined = undefined;
  private _pending: Uint8Array = new Uint8Array(0);
  private _bytesReceived = 0;
  private _rowsDecoded = 0;
  private _error: StoreError | undefined = undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

function emptyFor(header: INpyHeader | undefined): IColumnSet {
  if (!header) {
    return { length: 0, columns: {} };
  }
  const columns: Record<string, Float64Array> = {};
  for (const field of header.fields) {
    columns[field.name] = new Float64Array(0);
  }
  return { length: 0, columns };
}
