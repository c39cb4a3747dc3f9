/**
 * What the review worker does per channel, in Node: stream a `.npr` in
 * 1 MiB chunks through `readChannel`, resolve its series at 60 s and raw,
 * and reduce it to 2048 bins. Prints each phase's median ms per channel.
 * Without a run folder it makes 6 channels of 1 M rows (`last` and `mean`
 * records, ~11.6 Hz over a day) in memory.
 *
 * Run: npx tsc -p bench/tsconfig.json &&
 *      node bench/.build/bench/resolve_worker_bench.js [run folder] [channels]
 */
import * as fs from 'fs';
import * as path from 'path';
import { readChannel, ReadChunks } from '../src/widgets/plots/worker/resolve';
import { reduceSeries, seriesExtent } from '../src/widgets/plots/reduce';
import { channelSeries } from '../src/widgets/plots/series';

const CHUNK = 1024 * 1024;
const ROWS = 1_000_000;

/** A v1 `.npr` of `rows` rows: `_time <M8[ns]` then float64 `fields`. */
function syntheticNpr(fields: string[], rows: number, seed: number): Buffer {
  const descr = ["('_time', '<M8[ns]')", ...fields.map(f => `('${f}', '<f8')`)];
  let text = `{'descr': [${descr.join(', ')}], 'fortran_order': False, 'shape': (0,), }`;
  text += ' '.repeat((64 - ((10 + text.length + 1) % 64)) % 64) + '\n';
  const itemsize = 8 * (1 + fields.length);
  const out = Buffer.alloc(10 + text.length + rows * itemsize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out.writeUInt16LE(text.length, 8);
  out.write(text, 10, 'latin1');
  const start = 10 + text.length;
  for (let i = 0; i < rows; i++) {
    const at = start + i * itemsize;
    out.writeBigInt64LE(
      BigInt(Math.round(((i * 86400) / rows) * 1e9)) + 1n,
      at
    );
    for (let f = 0; f < fields.length; f++) {
      const value = fields[f] === 'count' ? 1 : Math.sin(i / 5000 + seed);
      out.writeDoubleLE(value, at + 8 * (f + 1));
    }
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const folder = process.argv[2];
  const limit = Number(process.argv[3] ?? 6);
  let createdNs = 0n;
  let bytes: Map<string, Buffer>;
  if (folder) {
    const info = JSON.parse(
      fs.readFileSync(path.join(folder, '_info.json'), 'utf-8')
    );
    createdNs =
      BigInt(
        Date.parse(
          info._created.replace(' ', 'T').replace(/(\.\d{3})\d*/, '$1')
        )
      ) * 1_000_000n;
    const names = fs
      .readdirSync(folder)
      .filter(f => f.endsWith('.npr'))
      .slice(0, limit);
    bytes = new Map(names.map(f => [f, fs.readFileSync(path.join(folder, f))]));
  } else {
    bytes = new Map(
      Array.from({ length: limit }, (_, c) => [
        `stats.g.c${c}.0.npr`,
        syntheticNpr(c % 3 === 2 ? ['total', 'count'] : ['x'], ROWS, c)
      ])
    );
  }
  const files = [...bytes.keys()];
  const read: ReadChunks = async function* (_run, file, offset, length) {
    const data = bytes.get(file)!;
    const end = Math.min(data.length, offset + length);
    for (let at = offset; at < end; at += CHUNK) {
      yield new Uint8Array(
        data.buffer,
        data.byteOffset + at,
        Math.min(CHUNK, end - at)
      );
    }
  };
  const times: Record<string, number[]> = {
    read: [],
    s60: [],
    raw: [],
    reduce60: [],
    reduceRaw: []
  };
  let total = 0;
  for (const file of files) {
    const kind =
      file.match(/c(\d+)/) && Number(file.match(/c(\d+)/)![1]) % 3 === 2
        ? 'mean'
        : 'last';
    const size = bytes.get(file)!.length;
    total += size;
    const request = {
      run: 'r',
      originNs: createdNs.toString(),
      name: file,
      kind,
      files: [{ name: file, size }]
    };
    let t = performance.now();
    const data = await readChannel(request, read);
    times.read.push(performance.now() - t);
    t = performance.now();
    const s60 = channelSeries(kind, data, 60);
    times.s60.push(performance.now() - t);
    t = performance.now();
    reduceSeries(s60, ...seriesExtent(s60.x), 2048);
    times.reduce60.push(performance.now() - t);
    t = performance.now();
    const raw = channelSeries(kind, data, 'raw');
    times.raw.push(performance.now() - t);
    t = performance.now();
    reduceSeries(raw, ...seriesExtent(raw.x), 2048);
    times.reduceRaw.push(performance.now() - t);
  }
  const mb = total / files.length / 1e6;
  for (const [phase, values] of Object.entries(times)) {
    const ms = median(values);
    console.log(
      `${phase.padEnd(10)} median ${ms.toFixed(1).padStart(7)} ms per channel` +
        (phase === 'read'
          ? ` (${(mb / (ms / 1000)).toFixed(0)} MB/s of file)`
          : '')
    );
  }
}

void main();
