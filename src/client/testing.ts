/**
 * Fakes of the server for tests of the live client and the widgets: an
 * in-memory store behind `IRunwatchAPI`, a scriptable websocket, and `.npr`
 * bytes.
 */
import {
  IFileChunk,
  IFileEntry,
  IRunDetail,
  IRunList,
  IRunwatchAPI
} from './api';
import { RunwatchAPIError } from './requestAPI';
import { IWebSocketLike } from './watchSocket';

/** The bytes of a v1 `.npr` header for `fields` (`_time` is added first). */
export function nprHeader(fields: string[], timeUnit = 'ns'): Uint8Array {
  const descr = [`('_time', '<M8[${timeUnit}]')`]
    .concat(fields.map(f => `('${f}', '<f8')`))
    .join(', ');
  let text = `{'descr': [${descr}], 'fortran_order': False, 'shape': (0,), }`;
  const unpadded = 10 + text.length + 1;
  text += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const bytes = new Uint8Array(10 + text.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(bytes.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) {
    bytes[10 + i] = text.charCodeAt(i);
  }
  return bytes;
}

/** Records of `_time` (ns since the epoch) and float64 values. */
export function nprRows(rows: [bigint, ...number[]][]): Uint8Array {
  const width = rows[0]?.length ?? 1;
  const bytes = new Uint8Array(rows.length * width * 8);
  const view = new DataView(bytes.buffer);
  rows.forEach(([time, ...values], r) => {
    view.setBigInt64(r * width * 8, time, true);
    values.forEach((v, i) =>
      view.setFloat64(r * width * 8 + (i + 1) * 8, v, true)
    );
  });
  return bytes;
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** One run held in memory by `FakeRunwatchAPI`. */
export interface IFakeRun {
  info: Record<string, unknown> | null;
  files: Map<string, { entry: Omit<IFileEntry, 'size'>; bytes: Uint8Array }>;
}

/** An in-memory `IRunwatchAPI` that records every byte range it served. */
export class FakeRunwatchAPI implements IRunwatchAPI {
  root = '/store';
  runs = new Map<string, IFakeRun>();
  /** `[file, offset, length]` of every `readFile`. */
  reads: [string, number, number | undefined][] = [];
  /** Fail the next reads with this error. */
  failReads: Error | undefined = undefined;

  addRun(name: string, created = '2024-01-02 03:04:05+00:00'): IFakeRun {
    const run: IFakeRun = { info: { _created: created }, files: new Map() };
    this.runs.set(name, run);
    return run;
  }

  /** Append bytes to a file (creating it) and return its entry. */
  append(
    run: string,
    file: string,
    bytes: Uint8Array,
    extra: Partial<IFileEntry> = {}
  ): IFileEntry {
    const files = this.runs.get(run)!.files;
    const existing = files.get(file);
    const entry = existing?.entry ?? {
      name: file,
      mtime_ms: 0,
      type: file.endsWith('.txt') ? 'log' : 'stats',
      channel: /^stats\.(.*)\.\d+\.npr$/.exec(file)?.[1] ?? null,
      kind: 'last',
      writer: { _process_name: 'MainProcess', _process_id: '42' },
      error: null,
      ...extra
    };
    const total = concatBytes(existing?.bytes ?? new Uint8Array(0), bytes);
    files.set(file, { entry, bytes: total });
    return this.entry(run, file);
  }

  entry(run: string, file: string): IFileEntry {
    const stored = this.runs.get(run)!.files.get(file)!;
    return { ...stored.entry, size: stored.bytes.length };
  }

  entries(run: string): IFileEntry[] {
    return [...this.runs.get(run)!.files.keys()].map(f => this.entry(run, f));
  }

  /** The websocket's snapshot message for `run` as it is now. */
  snapshot(run: string): Record<string, unknown> {
    return { type: 'snapshot', run, status: 'live', files: this.entries(run) };
  }

  async listRuns(): Promise<IRunList> {
    return {
      root: this.root,
      runs: [...this.runs.keys()].reverse().map(name => ({
        name,
        created: null,
        created_ms: null,
        status: 'live',
        error: null,
        size: 0,
        last_write_ms: null
      }))
    };
  }

  async resolve(query: string): Promise<string[]> {
    return [...this.runs.keys()].filter(name => name.includes(query));
  }

  async getRun(name: string): Promise<IRunDetail> {
    const run = this.runs.get(name);
    if (!run) {
      throw new RunwatchAPIError(
        `no run named '${name}' under ${this.root}`,
        404,
        ''
      );
    }
    return {
      name,
      info: run.info,
      status: 'live',
      error: null,
      size: 0,
      files: this.entries(name),
      // As the server says it: the steering files are no store files.
      steering: [...run.files.keys()].some(f =>
        ['_steer.json', '_steer.log.jsonl'].includes(f)
      )
    };
  }

  async readFile(
    run: string,
    file: string,
    offset: number,
    length?: number
  ): Promise<IFileChunk> {
    this.reads.push([file, offset, length]);
    await Promise.resolve();
    if (this.failReads) {
      throw this.failReads;
    }
    const bytes = this.runs.get(run)?.files.get(file)?.bytes;
    if (!bytes) {
      throw new RunwatchAPIError(`no file ${file}`, 404, '');
    }
    const start = offset < 0 ? Math.max(0, bytes.length + offset) : offset;
    const end = length === undefined ? bytes.length : start + length;
    return {
      bytes: bytes.slice(start, Math.min(end, bytes.length)),
      offset: start,
      fileSize: bytes.length
    };
  }
}

/** A websocket driven by the test: `open()`, `receive()`, `drop()`. */
export class FakeWebSocket implements IWebSocketLike {
  static instances: FakeWebSocket[] = [];
  onopen: ((event: any) => void) | null = null;
  onclose: ((event: any) => void) | null = null;
  onerror: ((event: any) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  readyState = 0;
  sent: Record<string, string>[] = [];
  closed = false;

  constructor() {
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closed = true;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(message: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The connection drops (e.g. the server restarts). */
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
}
