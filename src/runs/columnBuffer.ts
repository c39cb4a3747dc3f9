/**
 * Growable columns: decoded rows appended chunk by chunk, read back as
 * zero-copy views.
 */
import { IColumnSet } from '../store';

/**
 * Appends column sets with amortised doubling, so a file that grows by a
 * few rows a frame costs O(rows) overall, not O(rows²).
 */
export class ColumnBuffer {
  /** Rows held. */
  get length(): number {
    return this._length;
  }

  /**
   * Append rows. A field this buffer hasn't seen is NaN in earlier rows;
   * a field missing from `rows` is NaN in them.
   */
  append(rows: IColumnSet): void {
    if (rows.length === 0) {
      return;
    }
    const needed = this._length + rows.length;
    if (needed > this._capacity) {
      this._grow(Math.max(needed, this._capacity * 2, 64));
    }
    for (const name of Object.keys(rows.columns)) {
      if (!this._columns[name]) {
        this._columns[name] = new Float64Array(this._capacity).fill(NaN);
      }
    }
    for (const [name, column] of Object.entries(this._columns)) {
      const source = rows.columns[name];
      if (source) {
        column.set(source.subarray(0, rows.length), this._length);
      } else {
        column.fill(NaN, this._length, needed);
      }
    }
    this._length = needed;
  }

  /** The rows so far; views into the buffer, valid until the next append. */
  view(): IColumnSet {
    const columns: Record<string, Float64Array> = {};
    for (const [name, column] of Object.entries(this._columns)) {
      columns[name] = column.subarray(0, this._length);
    }
    return { length: this._length, columns };
  }

  private _grow(capacity: number): void {
    for (const [name, column] of Object.entries(this._columns)) {
      const grown = new Float64Array(capacity);
      grown.set(column.subarray(0, this._length));
      this._columns[name] = grown;
    }
    this._capacity = capacity;
  }

  private readonly _columns: Record<string, Float64Array> = {};
  private _length = 0;
  private _capacity = 0;
}
