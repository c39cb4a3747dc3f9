/**
 * What a live view says while it is paused (rows that arrived and are not
 * drawn) and just after it resumes (how many it caught up), so it never
 * looks live while showing old data.
 */

/** How long "caught up" stays in the status after a resume. */
export const CAUGHT_UP_NOTE_MS = 4000;

export class Backlog {
  /** The view was paused holding `rows` rows. */
  pause(rows: number): void {
    this._rowsAtPause = rows;
    this._resumed = undefined;
  }

  /** The view resumed holding `rows` rows, at `nowMs`. */
  resume(rows: number, nowMs: number): void {
    if (this._rowsAtPause !== undefined) {
      this._resumed = { rows: rows - this._rowsAtPause, atMs: nowMs };
    }
    this._rowsAtPause = undefined;
  }

  /** The status note for a view holding `rows` rows now, or ''. */
  note(rows: number, nowMs: number): string {
    if (this._rowsAtPause !== undefined) {
      const waiting = Math.max(0, rows - this._rowsAtPause);
      return `paused · ${waiting} new row${waiting === 1 ? '' : 's'} not drawn`;
    }
    if (this._resumed && nowMs - this._resumed.atMs < CAUGHT_UP_NOTE_MS) {
      const n = Math.max(0, this._resumed.rows);
      return `caught up ${n} row${n === 1 ? '' : 's'}`;
    }
    return '';
  }

  private _rowsAtPause: number | undefined = undefined;
  private _resumed: { rows: number; atMs: number } | undefined = undefined;
}
