/**
 * Decode throughput of `.npr` rows, in GB/s of row data (median of runs).
 *
 * Run: npx tsc -p bench/tsconfig.json && node bench/.build/bench/decode_bench.js
 */
import {
  decodeRows,
  IncrementalNprDecoder,
  INpyHeader,
  parseNpyHeader
} from '../src/store';

const RUNS = 9;
const ORIGIN_NS = 1_700_000_000_000_000_000n;

/** A `.npy` v1 header for `descr`, padded to 64 bytes as NumPy does. */
function makeHeader(descr: string): Uint8Array {
  const dict = `{'descr': ${descr}, 'fortran_order': False, 'shape': (0,), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const bytes = new Uint8Array(total).fill(0x20);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, total - 10, true);
  bytes.set(new TextEncoder().encode(dict), 10);
  bytes[total - 1] = 0x0a;
  return bytes;
}

/** A file of `rows` records: an increasing `_time` then random doubles. */
function makeFile(
  descr: string,
  rows: number
): { file: Uint8Array; header: INpyHeader } {
  const headerBytes = makeHeader(descr);
  const header = parseNpyHeader(headerBytes, 'bench');
  const file = new Uint8Array(headerBytes.length + rows * header.itemsize);
  file.set(headerBytes);
  const view = new DataView(file.buffer);
  let t = ORIGIN_NS;
  for (let r = 0; r < rows; r++) {
    const base = headerBytes.length + r * header.itemsize;
    for (const field of header.fields) {
      const at = base + field.offset;
      if (field.kind === 'datetime') {
        t += 10_000_000n + BigInt(r % 7);
        view.setBigInt64(at, t, true);
      } else if (field.kind === 'float' && field.size === 8) {
        view.setFloat64(at, Math.random(), true);
      } else if (field.kind === 'float') {
        view.setFloat32(at, Math.random(), true);
      } else {
        view.setUint8(at, r & 0xff);
      }
    }
  }
  return { file, header };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(f: () => void): number {
  const start = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function benchDecode(name: string, descr: string, rows: number): void {
  const { file, header } = makeFile(descr, rows);
  const body = file.subarray(header.headerLength);
  const bytes = rows * header.itemsize;
  decodeRows(header, body, ORIGIN_NS); // warm up
  const seconds = Array.from({ length: RUNS }, () =>
    time(() => decodeRows(header, body, ORIGIN_NS))
  );
  const s = median(seconds);
  console.log(
    `${name.padEnd(44)} ${(bytes / 1e9 / s).toFixed(2).padStart(6)} GB/s  ` +
      `(${(rows / 1e6).toFixed(1)} M rows x ${header.itemsize} B, median ${(s * 1e3).toFixed(1)} ms)`
  );
}

function benchIncremental(descr: string, rows: number, chunk: number): void {
  const { file, header } = makeFile(descr, rows);
  const bytes = rows * header.itemsize;
  const run = (): void => {
    const decoder = new IncrementalNprDecoder('bench', ORIGIN_NS);
    for (let at = 0; at < file.length; at += chunk) {
      decoder.push(file.subarray(at, at + chunk));
    }
  };
  run();
  const s = median(Array.from({ length: RUNS }, () => time(run)));
  console.log(
    `${`incremental, ${chunk / 1024} KiB chunks`.padEnd(44)} ${(bytes / 1e9 / s).toFixed(2).padStart(6)} GB/s  ` +
      `(median ${(s * 1e3).toFixed(1)} ms)`
  );
}

const TYPICAL = "[('_time', '<M8[ns]'), ('total', '<f8'), ('count', '<f8')]";
const QUANTILES = `[('_time', '<M8[ns]'), ${[0, 1, 2, 3, 4].map(i => `('qs.${i}', '<f8')`).join(', ')}]`;
const UNALIGNED =
  "[('flag', '|u1'), ('_time', '<M8[ns]'), ('x', '<f8'), ('y', '<f4')]";

console.log(`decode: median of ${RUNS} runs, node ${process.version}`);
benchDecode('[_time M8[ns], total f8, count f8]', TYPICAL, 10_000_000);
benchDecode('[_time M8[ns], qs.0..qs.4 f8] (quantiles)', QUANTILES, 5_000_000);
benchDecode(
  '[flag u1, _time M8, x f8, y f4] (unaligned)',
  UNALIGNED,
  5_000_000
);
benchIncremental(TYPICAL, 2_000_000, 64 * 1024);
