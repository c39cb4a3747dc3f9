/**
 * The tail of a text log that arrives in byte chunks: streaming UTF-8
 * decoding, line splitting, a bounded line count and truncation of huge
 * lines.
 */

/** Lines kept per log file. */
export const DEFAULT_LOG_LINES = 500;

/** Characters of a line shown before it is truncated. */
export const MAX_LINE_CHARS = 10_000;

/** The marker appended to a truncated line. */
export function truncationMarker(totalChars: number, atLeast = false): string {
  return ` … [truncated, ${atLeast ? 'at least ' : ''}${totalChars} chars]`;
}

/** Shown before a line whose start lies before the first byte read. */
export const CUT_OFF_PREFIX = '… ';

/**
 * The last lines of a growing log.
 *
 * Bytes are decoded with a streaming, non-fatal `TextDecoder`, so a UTF-8
 * sequence split across chunks decodes whole and invalid bytes become
 * U+FFFD. Only the first `MAX_LINE_CHARS` of a line are ever kept: a 10 MB
 * line costs its head plus a count, never a 10 MB string.
 */
export class LogLines {
  constructor(readonly maxLines = DEFAULT_LOG_LINES) {}

  /** Complete lines, oldest first, at most `maxLines`. */
  get lines(): readonly string[] {
    return this._lines;
  }

  /** The unterminated last line so far (already truncated), or `''`. */
  get partial(): string {
    return this._partialLength > 0
      ? this._shown(this._partialHead, this._partialLength)
      : '';
  }

  /** Lines completed since the object was made (including dropped ones). */
  get totalLines(): number {
    return this._totalLines;
  }

  /**
   * Feed the next bytes of the file.
   *
   * @param fromMidFile - the bytes start somewhere inside the file (a tail
   *   read with a negative offset), so the first line's start wasn't read.
   *   It is kept, marked with `CUT_OFF_PREFIX`, rather than dropped: a huge
   *   line that began before the tail still shows (truncated). When the read
   *   happens to start on a line boundary the mark just says that earlier
   *   lines aren't shown. Only honoured on the first push.
   */
  push(bytes: Uint8Array, fromMidFile = false): void {
    if (fromMidFile && !this._started) {
      this._cutOff = true;
    }
    this._started = true;
    if (bytes.length > 0) {
      this._append(this._decoder.decode(bytes, { stream: true }));
    }
  }

  private _append(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      this._extendPartial(text, start, end);
      if (newline < 0) {
        return;
      }
      this._completeLine();
      start = newline + 1;
    }
  }

  private _extendPartial(text: string, start: number, end: number): void {
    const room = MAX_LINE_CHARS - this._partialHead.length;
    if (room > 0 && end > start) {
      this._partialHead += text.slice(start, Math.min(end, start + room));
    }
    this._partialLength += end - start;
  }

  private _completeLine(): void {
    let head = this._partialHead;
    let length = this._partialLength;
    if (head.endsWith('\r')) {
      head = head.slice(0, -1);
      length--;
    }
    this._lines.push(this._shown(head, length));
    if (this._lines.length > this.maxLines) {
      this._lines.splice(0, this._lines.length - this.maxLines);
    }
    this._totalLines++;
    this._partialHead = '';
    this._partialLength = 0;
    this._cutOff = false;
  }

  private _shown(head: string, length: number): string {
    const prefix = this._cutOff ? CUT_OFF_PREFIX : '';
    return length > MAX_LINE_CHARS
      ? prefix +
          head.slice(0, MAX_LINE_CHARS) +
          truncationMarker(length, this._cutOff)
      : prefix + head;
  }

  private readonly _decoder = new TextDecoder('utf-8', { fatal: false });
  private _lines: string[] = [];
  private _partialHead = '';
  private _partialLength = 0;
  private _totalLines = 0;
  private _started = false;
  private _cutOff = false;
}
