import {
  CUT_OFF_PREFIX,
  LogLines,
  MAX_LINE_CHARS,
  truncationMarker
} from './logLines';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('LogLines', () => {
  it('splits lines across chunks and keeps the partial last line', () => {
    const log = new LogLines();
    log.push(utf8('one\ntw'));
    log.push(utf8('o\nthr'));
    expect(log.lines).toEqual(['one', 'two']);
    expect(log.partial).toBe('thr');
  });

  it('decodes a UTF-8 sequence split across chunks', () => {
    const log = new LogLines();
    const bytes = utf8('μ=1\n');
    log.push(bytes.subarray(0, 1));
    log.push(bytes.subarray(1));
    expect(log.lines).toEqual(['μ=1']);
  });

  it('shows invalid UTF-8 as U+FFFD', () => {
    const log = new LogLines();
    log.push(new Uint8Array([0x61, 0xff, 0xfe, 0x62, 0x0a]));
    expect(log.lines).toEqual(['a\ufffd\ufffdb']);
  });

  it('keeps only the last maxLines lines', () => {
    const log = new LogLines(3);
    log.push(utf8('1\n2\n3\n4\n5\n'));
    expect(log.lines).toEqual(['3', '4', '5']);
    expect(log.totalLines).toBe(5);
  });

  it('strips CRLF line ends', () => {
    const log = new LogLines();
    log.push(utf8('a\r\nb\r\n'));
    expect(log.lines).toEqual(['a', 'b']);
  });

  it('marks the cut-off first line of a tail read from mid-file', () => {
    const log = new LogLines();
    log.push(utf8('rest of a line\nwhole\n'), true);
    expect(log.lines).toEqual([`${CUT_OFF_PREFIX}rest of a line`, 'whole']);
  });

  it('shows a huge line that began before the tail, truncated', () => {
    const log = new LogLines();
    log.push(utf8('x'.repeat(65536)), true);
    log.push(utf8('\nnext\n'));
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0].startsWith(CUT_OFF_PREFIX + 'x')).toBe(true);
    expect(log.lines[0].endsWith('[truncated, at least 65536 chars]')).toBe(
      true
    );
    expect(log.lines[0].length).toBeLessThan(MAX_LINE_CHARS + 60);
    expect(log.lines[1]).toBe('next');
  });

  it('marks only the first line of the first push', () => {
    const log = new LogLines();
    log.push(utf8('tail\n'), true);
    log.push(utf8('more\n'), true);
    expect(log.lines).toEqual([`${CUT_OFF_PREFIX}tail`, 'more']);
  });

  it('truncates a 10 MB line without keeping it', () => {
    const log = new LogLines();
    const piece = utf8('x'.repeat(1 << 20));
    for (let i = 0; i < 10; i++) {
      log.push(piece);
    }
    expect(log.partial.length).toBeLessThan(MAX_LINE_CHARS + 50);
    log.push(utf8('\nnext\n'));
    const total = 10 * (1 << 20);
    expect(log.lines[0]).toBe(
      'x'.repeat(MAX_LINE_CHARS) + truncationMarker(total)
    );
    expect(log.lines[1]).toBe('next');
  });
});
