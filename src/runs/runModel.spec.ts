import { RunModel } from './runModel';
import { MAX_LINE_CHARS } from './logLines';
import {
  FakeRunwatchAPI,
  FakeWebSocket,
  concatBytes,
  nprHeader,
  nprRows
} from '../client/testing';
import { WatchSocket } from '../client/watchSocket';

const RUN = '2024-01-02 03-04-05 neat-river';
const CREATED_NS = 1704164645000000000n;
const at = (seconds: number) => CREATED_NS + BigInt(seconds * 1e9);
const utf8 = (text: string) => new TextEncoder().encode(text);

let api: FakeRunwatchAPI;
let socket: WatchSocket;
let model: RunModel;

const ws = () => FakeWebSocket.instances[FakeWebSocket.instances.length - 1];

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await model.settled();
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

async function startModel(): Promise<void> {
  model = new RunModel({
    run: RUN,
    api,
    socket,
    scheduleFrame: callback => {
      const id = setTimeout(callback, 0);
      return () => clearTimeout(id);
    }
  });
  await model.ready;
  ws().open();
  ws().receive(api.snapshot(RUN));
  await flush();
}

function grew(file: string): void {
  ws().receive({
    type: 'grew',
    run: RUN,
    file,
    size: api.entry(RUN, file).size
  });
}

/** A `grew` carrying the bytes appended since `from`, as the server sends it. */
function grewInline(file: string, from: number): void {
  const entry = api.entry(RUN, file);
  const bytes = api.runs.get(RUN)!.files.get(file)!.bytes.slice(from);
  ws().receive({
    type: 'grew',
    run: RUN,
    file,
    size: entry.size,
    offset: from,
    data: Buffer.from(bytes).toString('base64')
  });
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  api = new FakeRunwatchAPI();
  api.addRun(RUN);
  socket = new WatchSocket({
    createSocket: () => new FakeWebSocket(),
    backoffMs: [1]
  });
});

afterEach(() => {
  model?.dispose();
  socket.dispose();
});

describe('RunModel', () => {
  it('decodes stats and advances offsets without re-fetching', async () => {
    const header = nprHeader(['x']);
    api.append(
      RUN,
      'stats.loss.0.npr',
      concatBytes(header, nprRows([[at(1), 0.5]]))
    );
    await startModel();
    expect(model.state).toBe('live');
    expect(Array.from(model.channels.get('loss')!.data.columns.x)).toEqual([
      0.5
    ]);

    api.append(RUN, 'stats.loss.0.npr', nprRows([[at(2), 0.25]]));
    grew('stats.loss.0.npr');
    await flush();
    const channel = model.channels.get('loss')!;
    expect(Array.from(channel.data.columns.x)).toEqual([0.5, 0.25]);
    expect(Array.from(channel.data.columns._time)).toEqual([1, 2]);
    const size = header.length + 16;
    expect(api.reads).toEqual([
      ['stats.loss.0.npr', 0, size],
      ['stats.loss.0.npr', size, 16]
    ]);
  });

  it('takes inline bytes from grew without reading', async () => {
    const header = nprHeader(['x']);
    api.append(
      RUN,
      'stats.loss.0.npr',
      concatBytes(header, nprRows([[at(1), 0.5]]))
    );
    api.append(RUN, 'logs.0.txt', utf8('one\n'));
    await startModel();
    const readsBefore = api.reads.length;
    const size = header.length + 16;
    api.append(RUN, 'stats.loss.0.npr', nprRows([[at(2), 0.25]]));
    grewInline('stats.loss.0.npr', size);
    api.append(RUN, 'logs.0.txt', utf8('two\nthr'));
    grewInline('logs.0.txt', 4);
    api.append(RUN, 'logs.0.txt', utf8('ee\n'));
    grewInline('logs.0.txt', 11);
    // A repeat (a second subscriber's older size) overlaps: only new bytes count.
    grewInline('logs.0.txt', 4);
    await flush();
    expect(Array.from(model.channels.get('loss')!.data.columns.x)).toEqual([
      0.5, 0.25
    ]);
    expect(model.logs.get('logs.0.txt')!.tail.lines).toEqual([
      'one',
      'two',
      'three'
    ]);
    expect(api.reads.length).toBe(readsBefore);
  });

  it('reads only the gap when inline bytes skip ahead, and keeps bytes pushed during a read', async () => {
    api.append(RUN, 'logs.0.txt', utf8('a\n'));
    await startModel();
    // Bytes 2..4 were never pushed: they are read, the rest is taken as pushed.
    api.append(RUN, 'logs.0.txt', utf8('b\nc\n'));
    grewInline('logs.0.txt', 4);
    // Pushed while that read is in flight: applied after it, once.
    api.append(RUN, 'logs.0.txt', utf8('d\n'));
    grewInline('logs.0.txt', 6);
    await flush();
    expect(model.logs.get('logs.0.txt')!.tail.lines).toEqual([
      'a',
      'b',
      'c',
      'd'
    ]);
    expect(api.reads).toEqual([
      ['logs.0.txt', 0, 2],
      ['logs.0.txt', 2, 2]
    ]);
  });

  it('carries a partial row until it completes', async () => {
    const row = nprRows([[at(1), 7]]);
    api.append(
      RUN,
      'stats.a.0.npr',
      concatBytes(nprHeader(['x']), row.subarray(0, 5))
    );
    await startModel();
    expect(model.channels.get('a')!.data.length).toBe(0);
    api.append(RUN, 'stats.a.0.npr', row.subarray(5));
    grew('stats.a.0.npr');
    await flush();
    expect(Array.from(model.channels.get('a')!.data.columns.x)).toEqual([7]);
  });

  it('resumes after a reconnect and snapshot with no duplicate bytes', async () => {
    api.append(RUN, 'logs.0.txt', utf8('one\n'));
    await startModel();
    ws().drop();
    api.append(RUN, 'logs.0.txt', utf8('two\n'));
    await new Promise(resolve => setTimeout(resolve, 5));
    ws().open();
    expect(ws().sent).toEqual([{ op: 'watch', run: RUN }]);
    ws().receive(api.snapshot(RUN));
    // A late grew for the same size must not fetch again.
    grew('logs.0.txt');
    await flush();
    expect(model.logs.get('logs.0.txt')!.tail.lines).toEqual(['one', 'two']);
    expect(api.reads.map(r => r[1])).toEqual([0, 4]);
  });

  it('coalesces concurrent grows into one request at a time', async () => {
    api.append(RUN, 'logs.0.txt', utf8(''));
    await startModel();
    for (const line of ['a\n', 'b\n', 'c\n']) {
      api.append(RUN, 'logs.0.txt', utf8(line));
      grew('logs.0.txt');
    }
    await flush();
    expect(model.logs.get('logs.0.txt')!.tail.lines).toEqual(['a', 'b', 'c']);
    // One read in flight; the next catches up to the latest size at once.
    expect(api.reads).toEqual([
      ['logs.0.txt', 0, 2],
      ['logs.0.txt', 2, 4]
    ]);
  });

  it('reads only the tail of a big log on first load', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `line ${i}`);
    api.append(RUN, 'logs.0.txt', utf8(lines.join('\n') + '\n'));
    await startModel();
    expect(api.reads[0][1]).toBe(-64 * 1024);
    const tail = model.logs.get('logs.0.txt')!.tail.lines;
    expect(tail[tail.length - 1]).toBe('line 19999');
    expect(tail).toHaveLength(500);
    expect(tail[0]).toBe('line 19500');
  });

  it('shows invalid UTF-8 as U+FFFD and truncates a 10 MB line', async () => {
    const huge = new Uint8Array(10 * 1024 * 1024).fill(0x78);
    api.append(RUN, 'logs.0.txt', utf8('ok\n'));
    await startModel();
    api.append(
      RUN,
      'logs.0.txt',
      concatBytes(new Uint8Array([0xc3, 0x28, 0x0a]), huge, utf8('\n'))
    );
    grew('logs.0.txt');
    await flush();
    const lines = model.logs.get('logs.0.txt')!.tail.lines;
    expect(lines[1]).toBe('\ufffd(');
    expect(lines[2].length).toBeLessThan(MAX_LINE_CHARS + 50);
    expect(lines[2]).toContain('[truncated, 10485760 chars]');
  });

  it('flags a channel with a bad header and keeps the others going', async () => {
    api.append(
      RUN,
      'stats.bad.0.npr',
      utf8('garbage that is not an npy header at all, long enough to parse')
    );
    api.append(RUN, 'stats.flagged.0.npr', utf8('x'), { error: 'bad magic' });
    api.append(
      RUN,
      'stats.good.0.npr',
      concatBytes(nprHeader(['x']), nprRows([[at(1), 1]]))
    );
    await startModel();
    expect(model.channels.get('bad')!.error).toMatch(/stats\.bad\.0\.npr/);
    expect(model.channels.get('flagged')!.error).toBe('bad magic');
    expect(api.reads.map(r => r[0])).not.toContain('stats.flagged.0.npr');
    expect(model.channels.get('good')!.data.length).toBe(1);
  });

  it('merges the files of one channel by time', async () => {
    const header = nprHeader(['x']);
    api.append(
      RUN,
      'stats.m.0.npr',
      concatBytes(
        header,
        nprRows([
          [at(1), 1],
          [at(3), 3]
        ])
      )
    );
    api.append(
      RUN,
      'stats.m.1.npr',
      concatBytes(header, nprRows([[at(2), 2]]))
    );
    await startModel();
    expect(Array.from(model.channels.get('m')!.data.columns.x)).toEqual([
      1, 2, 3
    ]);
  });

  it('reports a deleted run', async () => {
    api.append(RUN, 'logs.0.txt', utf8('one\n'));
    await startModel();
    ws().receive({ type: 'deleted', run: RUN });
    expect(model.state).toBe('deleted');
    expect(model.message).toBe('run deleted');
    expect(model.logs.get('logs.0.txt')!.tail.lines).toEqual(['one']);
  });

  it("reports the server's message for an unknown run", async () => {
    model = new RunModel({ run: 'nope', api, socket });
    await model.ready;
    expect(model.state).toBe('error');
    expect(model.message).toMatch(/no run named 'nope'/);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('unsubscribes on dispose and emits nothing after', async () => {
    await startModel();
    const changed = jest.fn();
    model.changed.connect(changed);
    model.dispose();
    expect(ws().sent).toEqual([
      { op: 'watch', run: RUN },
      { op: 'unwatch', run: RUN }
    ]);
    expect(socket.watchedRuns).toEqual([]);
    await flush();
    expect(changed).not.toHaveBeenCalled();
  });

  it('emits one change per frame listing what changed', async () => {
    api.append(RUN, 'logs.0.txt', utf8(''));
    api.append(RUN, 'stats.a.0.npr', concatBytes(nprHeader(['x'])));
    await startModel();
    const changes: unknown[] = [];
    model.changed.connect((_, change) => changes.push(change));
    api.append(RUN, 'logs.0.txt', utf8('x\n'));
    api.append(RUN, 'stats.a.0.npr', nprRows([[at(1), 1]]));
    grew('logs.0.txt');
    grew('stats.a.0.npr');
    await flush();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toEqual({
      channels: new Set(['a']),
      logs: new Set(['logs.0.txt']),
      header: true
    });
  });

  it('says how many files a capped snapshot left out', async () => {
    api.append(RUN, 'logs.0.txt', utf8('x\n'));
    model = new RunModel({ run: RUN, api, socket });
    await model.ready;
    ws().open();
    ws().receive({ ...api.snapshot(RUN), omitted: 49000 });
    await flush();
    expect(model.message).toBe(
      '49000 more files are not followed: a run shows its first 1'
    );
  });
});
