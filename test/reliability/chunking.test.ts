// Property: any chunking of any valid stream gives the records of one chunk, through every source
// type the async reader takes, and for the text formats through their incremental parsers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readResults } from '../../src/io/read.js';
import { readResultsSync } from '../../src/iso2709/reader.js';
import { toMarc } from '../../src/iso2709/writer.js';
import { readFormatResults, readFormatResultsSync, writeFormatSync } from '../../src/formats/index.js';
import type { ReadResult } from '../../src/iso2709/reader.js';
import { record } from './arbitraries.js';

const dir = mkdtempSync(join(tmpdir(), 'mrrc-chunking-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Splits `bytes` at the given cut points (any numbers; taken modulo the length, sorted). */
function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

function summary(results: ReadResult[]): string[] {
  return results.map((r) => `${r.recordIndex}@${r.recordOffset}+${r.raw.length} ${r.errors.map((e) => e.code).join(',')} ${r.record === null ? 'skipped' : JSON.stringify(r.record.toJSON())}`);
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const SOURCES: { name: string; make: (chunks: Uint8Array[], whole: Uint8Array, n: number) => unknown }[] = [
  { name: 'Uint8Array', make: (_c, whole) => whole },
  { name: 'sync iterable', make: (chunks) => chunks },
  { name: 'async generator', make: (chunks) => (async function* () { for (const c of chunks) yield c; })() },
  { name: 'Node Readable', make: (chunks) => Readable.from(chunks.map((c) => Buffer.from(c)), { objectMode: false }) },
  {
    name: 'WHATWG ReadableStream',
    make: (chunks) => {
      let i = 0;
      return new ReadableStream<Uint8Array>({ pull(controller) { if (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array); else controller.close(); } });
    },
  },
  {
    name: 'path',
    make: (_c, whole, n) => {
      const path = join(dir, `stream-${n}.mrc`);
      writeFileSync(path, whole);
      return path;
    },
  },
];

// Junk between records and a torn record at the end: a valid stream's damage must frame alike too.
const tail = fc.constantFrom(new Uint8Array(0), new TextEncoder().encode('\nGARBAGE\x1d'), new TextEncoder().encode('00100nam'));

let counter = 0;

test('ISO 2709: any chunking, every source type, same results as one buffer', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(record, { minLength: 0, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 12 }), tail, fc.integer({ min: 1, max: 300 }),
    async (records, cuts, junk, chunkSize) => {
      const whole = Buffer.concat([...records.map((r) => toMarc(r)), junk]);
      const options = { mode: 'permissive' as const, maxErrors: 1e9, chunkSize };
      const expected = summary([...readResultsSync(whole, options)]);
      const chunks = cut(whole, cuts);
      for (const source of SOURCES) {
        const got = summary(await all(readResults(source.make(chunks, whole, counter++) as never, options)));
        assert.deepEqual(got, expected, source.name);
      }
    },
  ), { numRuns: 60, seed: 4242 });
});

const TEXT: { format: string; options: object }[] = [
  { format: 'marcxml', options: {} },
  { format: 'marcjson', options: {} },
  { format: 'marcjson', options: { layout: 'array' } },
  { format: 'mrk', options: { encoding: 'utf-8' } },
];

for (const { format, options } of TEXT) {
  test(`${format} ${JSON.stringify(options)}: any chunking of the bytes (UTF-8 split anywhere) gives the same records`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 16 }), async (records, cuts) => {
      const bytes = new TextEncoder().encode(writeFormatSync(records, { format, ...options }));
      const expected = summary([...readFormatResultsSync(bytes, { format, ...options, mode: 'permissive' })]).map(stripOffsets);
      const got = summary(await all(readFormatResults(cut(bytes, cuts), { format, ...options, mode: 'permissive' }))).map(stripOffsets);
      assert.deepEqual(got, expected);
    }), { numRuns: 40, seed: 4343 });
  });
}

/** Text readers' raw is the record's text; the comparison is about records, so keep index and content. */
function stripOffsets(line: string): string {
  return line.replace(/@\d+\+\d+/, '');
}
