/**
 * What the review worker does per channel, in Node on real files: stream a
 * `.npr` in 64 KiB chunks through `readChannel`, resolve its series at 60 s
 * and raw, and reduce it. Prints each phase's median ms and MB/s.
 *
 * Run: npx tsc -p bench/tsconfig.json &&
 *      node bench/.build/bench/resolve_worker_bench.js <run folder> [channels]
 */
import * as fs from 'fs';
import * as path from 'path';
import { readChannel, ReadChunks } from '../src/widgets/plots/worker/resolve';
import { reduceSeries, seriesExtent } from '../src/widgets/plots/reduce';
import { channelSeries } from '../src/widgets/plots/series';

const CHUNK = 64 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const folder = process.argv[2];
  const limit = Number(process.argv[3] ?? 6);
  const info = JSON.parse(
    fs.readFileSync(path.join(folder, '_info.json'), 'utf-8')
  );
  const createdNs =
    BigInt(
      Date.parse(info._created.replace(' ', 'T').replace(/(\.\d{3})\d*/, '$1'))
    ) * 1_000_000n;
  const files = fs
    .readdirSync(folder)
    .filter(f => f.endsWith('.npr'))
    .slice(0, limit);
  const bytes = new Map(
    files.map(f => [f, fs.readFileSync(path.join(folder, f))])
  );
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
