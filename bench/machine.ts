/**
 * How far two threads can scale on this machine, whatever the design: the same work run on one
 * worker thread, then on two at once, each with its own data. The 2 ÷ 1 targets of issues 3 and 6
 * (≥ 1.8×) are bounded by these numbers.
 * - alu: an integer loop in registers (no memory traffic);
 * - memory: read-modify-write passes over 64 MiB, one byte per 64-byte line (memory bandwidth);
 * - extract: the core section's extract (title and every field's value), three passes over
 *   realistic.mrc (58 MB) after one to warm up, each thread on its own copy of the file (needs
 *   the build in dist/).
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ROOT, realisticFile, type Row } from './common.js';

const WORK = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
// Set-up (memory allocated and touched, the file read, the library loaded) happens before 'ready':
// only the work itself is timed.
const setup = async () => {
  const { kind, dist, file } = workerData;
  if (kind === 'alu') {
    return () => {
      let x = 1;
      for (let i = 0; i < 4e8; i++) x = (x * 1103515245 + i) | 0;
      return x;
    };
  }
  if (kind === 'memory') {
    const bytes = new Uint8Array(64 << 20).fill(1);
    return () => {
      let sum = 0;
      for (let pass = 0; pass < 30; pass++) for (let i = 0; i < bytes.length; i += 64) sum += bytes[i]++;
      return sum;
    };
  }
  const { readRecordsSync } = await import(dist);
  const input = readFileSync(file);
  const extract = () => {
    let sink = 0;
    for (const record of readRecordsSync(input)) {
      sink += (record.title ?? '').length;
      for (const field of record.fields) sink += field.value().length;
    }
    return sink;
  };
  extract();
  return () => extract() + extract() + extract();
};
setup().then((work) => {
  parentPort.once('message', () => {
    const start = performance.now();
    const result = work();
    parentPort.postMessage({ ms: performance.now() - start, result });
  });
  parentPort.postMessage('ready');
});
`;

/** Starts `threads` workers, waits until all are loaded, then times the work in each. */
async function timeThreads(threads: number, data: object): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(WORK, { eval: true, workerData: data }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const times = await Promise.all(workers.map((w) => new Promise<number>((resolve, reject) => {
    w.once('message', (m: { ms: number }) => resolve(m.ms));
    w.once('error', reject);
    w.postMessage('go');
  })));
  await Promise.all(workers.map((w) => w.terminate()));
  return Math.max(...times);
}

export async function run(options: { runs?: number } = {}): Promise<Row[]> {
  const runs = options.runs ?? 3;
  const dist = ROOT + 'dist/src/index.js';
  const kinds = ['alu', 'memory', ...(existsSync(dist) ? ['extract'] : [])];
  const rows: Row[] = [];
  for (const kind of kinds) {
    const data = { kind, dist, file: realisticFile(58) };
    let one = Infinity;
    let two = Infinity;
    // Alternate, best of each: the shared host's noise moves single runs by 10–30%.
    for (let i = 0; i < runs; i++) {
      one = Math.min(one, await timeThreads(1, data));
      two = Math.min(two, await timeThreads(2, data));
    }
    rows.push({
      section: 'machine: 2 threads ÷ 1',
      name: kind,
      records: 0,
      seconds: two / 1000,
      recPerSec: Number.NaN,
      mbPerSec: Number.NaN,
      ratio: (2 * one) / two,
      note: `one thread ${one.toFixed(0)} ms; each of two at once ${two.toFixed(0)} ms (${((two / one - 1) * 100).toFixed(0)}% slower)`,
    });
  }
  return rows;
}
