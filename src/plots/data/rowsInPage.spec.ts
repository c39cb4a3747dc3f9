import { concatBytes, nprHeader, nprRows } from '../../client/testing';
import { IChannelRequest, IChannelResolved } from '../protocol';
import {
  channelsCsv,
  ReadChunks,
  readChannel,
  resolveChannels
} from './rowsInPage';

const RUN = '2024-01-02 03-04-05 neat-river';
const CREATED_NS = 1704164645000000000n;
const ORIGIN = String(CREATED_NS);
/** ns since the epoch of `seconds` after the run was created. */
const at = (seconds: number) => CREATED_NS + BigInt(Math.round(seconds * 1e9));

/** A `.npr` file: `rows` of `[seconds, ...values]`. */
function npr(rows: [number, ...number[]][], fields = ['x']): Uint8Array {
  return concatBytes(
    nprHeader(fields),
    nprRows(rows.map(([t, ...values]) => [at(t), ...values]))
  );
}

/** Files held in memory, read back in chunks; every read is recorded. */
class Files {
  bytes = new Map<string, Uint8Array>();
  /** `[file, offset, length]` of every read. */
  reads: [string, number, number][] = [];

  set(file: string, bytes: Uint8Array, run = RUN): void {
    this.bytes.set(`${run}/${file}`, bytes);
  }

  /**
   * Yield the asked range in `chunk`-byte pieces; `overDeliver` yields on
   * to the end of the bytes held, past the asked length; `reuse` yields
   * every piece in one buffer, scribbled over once the next is asked for
   * (as the worker's BYOB reader does).
   */
  reader(chunk = Infinity, overDeliver = false, reuse = false): ReadChunks {
    const { bytes: held, reads } = this;
    return async function* (run, file, offset, length) {
      reads.push([file, offset, length]);
      if (reads.length > 50) {
        throw new Error('the same bytes were asked for again and again');
      }
      const bytes = held.get(`${run}/${file}`) ?? new Uint8Array(0);
      const end = overDeliver
        ? bytes.length
        : Math.min(bytes.length, offset + length);
      const shared = new Uint8Array(reuse ? chunk : 0);
      for (let start = offset; start < end; start += chunk) {
        await Promise.resolve();
        const piece = bytes.slice(start, Math.min(end, start + chunk));
        if (!reuse) {
          yield piece;
          continue;
        }
        shared.set(piece);
        yield shared.subarray(0, piece.length);
        shared.fill(0xff);
      }
    };
  }

  /** A channel over `files`, listed at their current sizes (or `sizes`). */
  channel(
    name: string,
    files: string[],
    kind = 'last',
    sizes: Record<string, number> = {}
  ): IChannelRequest {
    return {
      run: RUN,
      originNs: ORIGIN,
      name,
      kind,
      files: files.map(file => ({
        name: file,
        size: sizes[file] ?? this.bytes.get(`${RUN}/${file}`)?.length ?? 0
      }))
    };
  }
}

const list = (a: Float64Array | undefined) => Array.from(a ?? []);

let files: Files;

beforeEach(() => {
  files = new Files();
});

describe('readChannel', () => {
  const rows: [number, ...number[]][] = [
    [1, 0.5, 10],
    [2, -1.25, 20],
    [3.5, NaN, 30],
    [7, 1e300, 40]
  ];
  const FIELDS = ['x', 'count'];

  it.each([
    ['1 byte', 1],
    ['3 bytes', 3],
    ['7 bytes', 7],
    ['64 bytes', 64],
    ['the whole file', Infinity]
  ])(
    'decodes the same rows when the bytes arrive %s at a time',
    async (_, chunk) => {
      files.set('stats.loss.0.npr', npr(rows, FIELDS));
      const data = await readChannel(
        files.channel('loss', ['stats.loss.0.npr']),
        files.reader(chunk)
      );
      expect(data.length).toBe(4);
      expect(list(data.columns._time)).toEqual([1, 2, 3.5, 7]);
      expect(list(data.columns.x)).toEqual([0.5, -1.25, NaN, 1e300]);
      expect(list(data.columns.count)).toEqual([10, 20, 30, 40]);
    }
  );

  it.each([3, 7, 64])(
    'decodes the same rows when the reader reuses one %p-byte buffer',
    async chunk => {
      files.set('stats.loss.0.npr', npr(rows, FIELDS));
      const data = await readChannel(
        files.channel('loss', ['stats.loss.0.npr']),
        files.reader(chunk, false, true)
      );
      expect(list(data.columns._time)).toEqual([1, 2, 3.5, 7]);
      expect(list(data.columns.x)).toEqual([0.5, -1.25, NaN, 1e300]);
      expect(list(data.columns.count)).toEqual([10, 20, 30, 40]);
    }
  );

  it('gives times in seconds since the run was created for µs files too', async () => {
    const micros = (s: number) => at(s) / 1000n;
    files.set(
      'stats.loss.0.npr',
      concatBytes(
        nprHeader(['x'], 'us'),
        nprRows([
          [micros(1), 1],
          [micros(2.5), 2]
        ])
      )
    );
    const data = await readChannel(
      files.channel('loss', ['stats.loss.0.npr']),
      files.reader(5)
    );
    expect(list(data.columns._time)).toEqual([1, 2.5]);
  });

  it.each([false, true])(
    'reads only up to the listed size when the file grew since (reader over-delivers: %p)',
    async overDeliver => {
      files.set('stats.loss.0.npr', npr(rows.slice(0, 2), FIELDS));
      const channel = files.channel('loss', ['stats.loss.0.npr']);
      files.set('stats.loss.0.npr', npr(rows, FIELDS)); // Two rows since.
      const data = await readChannel(channel, files.reader(3, overDeliver));
      expect(data.length).toBe(2);
      expect(list(data.columns._time)).toEqual([1, 2]);
      expect(list(data.columns.x)).toEqual([0.5, -1.25]);
    }
  );

  it('ignores a partly written last record', async () => {
    const whole = npr(rows, FIELDS);
    files.set('stats.loss.0.npr', whole.slice(0, whole.length - 5));
    const data = await readChannel(
      files.channel('loss', ['stats.loss.0.npr']),
      files.reader(7)
    );
    expect(list(data.columns._time)).toEqual([1, 2, 3.5]);
    expect(list(data.columns.x)).toEqual([0.5, -1.25, NaN]);
  });

  it('sorts a single file whose clock stepped back', async () => {
    files.set(
      'stats.loss.0.npr',
      npr([
        [10, 1],
        [70, 2],
        [20, 3],
        [130, 4]
      ])
    );
    const data = await readChannel(
      files.channel('loss', ['stats.loss.0.npr']),
      files.reader()
    );
    expect(list(data.columns._time)).toEqual([10, 20, 70, 130]);
    expect(list(data.columns.x)).toEqual([1, 3, 2, 4]);
  });

  it('merges the files of two writer processes by time', async () => {
    files.set(
      'stats.loss.0.npr',
      npr([
        [1, 10],
        [4, 40],
        [5, 50]
      ])
    );
    files.set(
      'stats.loss.1.npr',
      npr([
        [2, 20],
        [3, 30],
        [6, 60]
      ])
    );
    const data = await readChannel(
      files.channel('loss', ['stats.loss.0.npr', 'stats.loss.1.npr']),
      files.reader(11)
    );
    expect(list(data.columns._time)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(list(data.columns.x)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('names the file whose header is truncated', async () => {
    files.set('stats.loss.0.npr', nprHeader(['x']).slice(0, 20));
    await expect(
      readChannel(files.channel('loss', ['stats.loss.0.npr']), files.reader(3))
    ).rejects.toThrow(/stats\.loss\.0\.npr.*header is truncated/);
  });

  it('fails a listed file that reads back empty', async () => {
    files.set('stats.loss.0.npr', new Uint8Array(0));
    const channel = files.channel('loss', ['stats.loss.0.npr'], 'last', {
      'stats.loss.0.npr': 100
    });
    await expect(readChannel(channel, files.reader())).rejects.toThrow(
      /stats\.loss\.0\.npr.*empty/
    );
  });

  it('skips a file listed with size 0 without reading it', async () => {
    files.set('stats.loss.1.npr', npr([[1, 10]]));
    const channel = files.channel('loss', [
      'stats.loss.0.npr',
      'stats.loss.1.npr'
    ]);
    expect(channel.files[0].size).toBe(0);
    const data = await readChannel(channel, files.reader());
    expect(list(data.columns.x)).toEqual([10]);
    expect(files.reads.map(r => r[0])).toEqual(['stats.loss.1.npr']);
  });

  it('stops and keeps the rows there are when the file shrank underneath', async () => {
    const full = npr(rows, FIELDS);
    files.set('stats.loss.0.npr', full);
    const channel = files.channel('loss', ['stats.loss.0.npr']);
    const headerLength = nprHeader(FIELDS).length;
    const record = 3 * 8;
    files.set('stats.loss.0.npr', full.slice(0, headerLength + 2 * record));
    const data = await readChannel(channel, files.reader(7));
    expect(list(data.columns._time)).toEqual([1, 2]);
    expect(files.reads.length).toBeLessThanOrEqual(2);
  });
});

describe('resolveChannels', () => {
  async function resolveAll(
    request: Parameters<typeof resolveChannels>[0],
    read: ReadChunks = files.reader(4096)
  ): Promise<IChannelResolved[]> {
    const out: IChannelResolved[] = [];
    await resolveChannels(request, read, resolved => out.push(resolved));
    return out;
  }

  it('buckets a last channel at 60 s, labelled from the run start', async () => {
    files.set(
      'stats.loss.0.npr',
      npr([
        [10, 1],
        [50, 2],
        [70, 3],
        [130, 4]
      ])
    );
    const [resolved, ...more] = await resolveAll({
      channels: [files.channel('loss', ['stats.loss.0.npr'])],
      rule: 60,
      bins: 100
    });
    expect(more).toEqual([]);
    expect(resolved.run).toBe(RUN);
    expect(resolved.name).toBe('loss');
    expect(resolved.error).toBeUndefined();
    const { series, reduced } = resolved.result!;
    expect(reduced).toBe(false);
    expect(list(series.x)).toEqual([0, 60, 120]);
    expect(list(series.columns.value)).toEqual([2, 3, 4]);
    expect(list(series.band?.lo)).toEqual([1, 3, 4]);
    expect(list(series.band?.hi)).toEqual([2, 3, 4]);
  });

  it('reduces many raw rows to a few points per bin and keeps a spike', async () => {
    const n = 50_000;
    const spikeAt = 31_337;
    const rows: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      rows.push([1 + i * 0.01, i === spikeAt ? 1e6 : Math.sin(i / 100)]);
    }
    files.set('stats.loss.0.npr', npr(rows));
    const [resolved] = await resolveAll(
      {
        channels: [files.channel('loss', ['stats.loss.0.npr'])],
        rule: 'raw',
        bins: 100
      },
      files.reader(1 << 16)
    );
    const { series, reduced } = resolved.result!;
    expect(reduced).toBe(true);
    expect(series.x.length).toBeLessThanOrEqual(4 * 100 + 4);
    expect(series.x.length).toBe(series.columns.value.length);
    expect(list(series.columns.value)).toContain(1e6);
    const spike = list(series.columns.value).indexOf(1e6);
    expect(series.x[spike]).toBeCloseTo(1 + spikeAt * 0.01, 6);
  });

  it('keeps every row of a zoomed range that fits', async () => {
    const rows: [number, number][] = [];
    for (let t = 1; t <= 1000; t++) {
      rows.push([t, t * 2]);
    }
    files.set('stats.loss.0.npr', npr(rows));
    const [resolved] = await resolveAll({
      channels: [files.channel('loss', ['stats.loss.0.npr'])],
      rule: 'raw',
      range: [100, 200],
      bins: 100
    });
    const { series, reduced } = resolved.result!;
    expect(reduced).toBe(false);
    const inRange = list(series.x).filter(x => x >= 100 && x <= 200);
    expect(inRange).toEqual(Array.from({ length: 101 }, (_, i) => 100 + i));
    const values = list(series.columns.value).filter(
      (_, i) => series.x[i] >= 100 && series.x[i] <= 200
    );
    expect(values).toEqual(inRange.map(t => t * 2));
    expect(series.x.length).toBeLessThan(1000);
  });

  it('reports a bad channel as an error and still resolves the others', async () => {
    files.set('stats.bad.0.npr', nprHeader(['x']).slice(0, 20));
    files.set('stats.good.0.npr', npr([[1, 5]]));
    const out = await resolveAll({
      channels: [
        files.channel('bad', ['stats.bad.0.npr']),
        files.channel('good', ['stats.good.0.npr'])
      ],
      rule: 'raw',
      bins: 100
    });
    expect(out).toHaveLength(2);
    const bad = out.find(r => r.name === 'bad')!;
    const good = out.find(r => r.name === 'good')!;
    expect(bad.result).toBeUndefined();
    expect(bad.error).toMatch(/stats\.bad\.0\.npr.*header is truncated/);
    expect(good.error).toBeUndefined();
    expect(list(good.result!.series.columns.value)).toEqual([5]);
  });

  it('stops answering once cancelled', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (const name of names) {
      files.set(`stats.${name}.0.npr`, npr([[1, 1]]));
    }
    let cancelled = false;
    const answered: string[] = [];
    await resolveChannels(
      {
        channels: names.map(name =>
          files.channel(name, [`stats.${name}.0.npr`])
        ),
        rule: 'raw',
        bins: 100
      },
      files.reader(3),
      resolved => {
        answered.push(resolved.name);
        cancelled = true;
      },
      () => cancelled
    );
    expect(answered).toHaveLength(1);
    // The channels past the first six lanes were never read.
    const read = new Set(files.reads.map(r => r[0]));
    expect(read.has('stats.g.0.npr')).toBe(false);
    expect(read.has('stats.h.0.npr')).toBe(false);
  });

  it('answers nothing and reads nothing when cancelled from the start', async () => {
    files.set('stats.a.0.npr', npr([[1, 1]]));
    const onChannel = jest.fn();
    await resolveChannels(
      {
        channels: [files.channel('a', ['stats.a.0.npr'])],
        rule: 60,
        bins: 100
      },
      files.reader(),
      onChannel,
      () => true
    );
    expect(onChannel).not.toHaveBeenCalled();
    expect(files.reads).toEqual([]);
  });
});

describe('channelsCsv', () => {
  it('writes a header and one line per row of every channel', async () => {
    files.set(
      'stats.loss.0.npr',
      npr([
        [1, 0.5],
        [2, 0.25],
        [3, 0.125]
      ])
    );
    files.set(
      'stats.lr.0.npr',
      npr([
        [1, 1e-3],
        [2, 5e-4]
      ])
    );
    const text = (
      await channelsCsv(
        [
          files.channel('loss', ['stats.loss.0.npr']),
          files.channel('lr', ['stats.lr.0.npr'])
        ],
        files.reader(5)
      )
    ).join('');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual([
      'run,channel,t_seconds,value,x',
      `${RUN},loss,1,0.5,0.5`,
      `${RUN},loss,2,0.25,0.25`,
      `${RUN},loss,3,0.125,0.125`,
      `${RUN},lr,1,0.001,0.001`,
      `${RUN},lr,2,0.0005,0.0005`
    ]);
  });
});
