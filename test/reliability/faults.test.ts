// Faults around the readers: workers that throw or die mid-file, outputs that fail or close
// early, files that grow or shrink while being read. Each must surface as a clear error, release
// what it holds, never hang, and never hand out a record as if nothing happened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarcError } from '../../src/errors.js';
import { readRecords } from '../../src/io/read.js';
import { writeRecords } from '../../src/io/write.js';
import { readRecordsSync, readResultsSync } from '../../src/iso2709/reader.js';
import { parallelMap, ParallelMapError } from '../../src/parallel/map.js';
import { fixture, fixturePath } from '../helpers.js';
import { collect, settledHandles } from '../io/helpers.js';

const FILE = 'folio/5000.mrc';
const records = [...readRecordsSync(fixture(FILE))];
const PARALLEL = { parallelThreshold: 0, taskSize: 96 * 1024, workers: 2 };
const dir = mkdtempSync(join(tmpdir(), 'mrrc-faults-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function mapModule(name: string, body: string): string {
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, `export default (r) => { const id = r.getValue('001'); ${body} return id; };`);
  return path;
}

for (const [how, body] of [['throws', 'throw new TypeError("boom");'], ['exits', 'process.exit(7);']] as const) {
  test(`ordered parallelMap: a worker that ${how} at record 2500 stops delivery there; the pool recovers`, { timeout: 60_000 }, async () => {
    const target = 2500;
    const id = records[target]?.getValue('001');
    const module = mapModule(how, `if (id === ${JSON.stringify(id)}) { ${body} }`);
    const delivered: string[] = [];
    const error = await (async () => {
      try {
        for await (const value of parallelMap<string>(fixturePath(FILE), module, PARALLEL)) delivered.push(value);
      } catch (e) {
        return e;
      }
      return null;
    })();
    // A throwing function is the caller's error (ParallelMapError, naming the record); a dead
    // worker is the pool's (E007, naming the byte range).
    assert.ok(error instanceof (how === 'throws' ? ParallelMapError : MarcError), `got ${String(error)}`);
    assert.ok(error instanceof Error);
    // Nothing after the failure is handed out as if all were well, and what came before is intact.
    assert.ok(delivered.length <= target, `${delivered.length} results delivered`);
    assert.deepEqual(delivered, records.slice(0, delivered.length).map((r) => r.getValue('001')));
    if (how === 'throws') {
      assert.ok(error instanceof ParallelMapError);
      assert.equal(error.recordIndex, target);
      assert.equal(delivered.length, target);
    }
    // The failure names the bytes: a range for a dead worker, the record for a throwing function.
    assert.match(error.message, /bytes \d+–\d+/);
    assert.deepEqual(await settledHandles(), [], 'the pool is gone');
    // A fresh run works: nothing was left broken.
    const again = await collect(parallelMap<string>(fixturePath(FILE), mapModule(`${how}-ok`, ''), PARALLEL));
    assert.equal(again.length, records.length);
  });
}

test('writeRecords: an output that errors surfaces the error and releases the input file', async () => {
  const output = new Writable({
    highWaterMark: 1024,
    write(_chunk, _enc, callback) {
      callback(new Error('disk full'));
    },
  });
  const reader = readRecords(fixturePath(FILE), { chunkSize: 16 * 1024 });
  await assert.rejects(writeRecords(reader, output, { writeSize: 4096 }), /disk full/);
  await reader.close();
  assert.deepEqual(await settledHandles(), []);
});

test('writeRecords: an output closed early surfaces an error and releases the input file', async () => {
  let writes = 0;
  const output = new Writable({
    write(_chunk, _enc, callback) {
      if (++writes === 2) output.destroy();
      callback();
    },
  });
  const reader = readRecords(fixturePath(FILE), { chunkSize: 16 * 1024 });
  let timer: NodeJS.Timeout | undefined;
  // Bounded: a hang here is the failure, and must not stall the rest of the file.
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('writeRecords hung after the output closed')), 3000); });
  try {
    await assert.rejects(Promise.race([writeRecords(reader, output, { writeSize: 4096 }), hang]), (e: unknown) => !(e instanceof Error && /hung/.test(e.message)));
  } finally {
    clearTimeout(timer);
    await reader.close();
  }
  assert.deepEqual(await settledHandles(), []);
});

test('a file that grows by half a record while read ends in E005 (strict), never in a made-up record', async () => {
  const path = join(dir, 'grows.mrc');
  const bytes = fixture('pymarc/test.dat');
  writeFileSync(path, bytes);
  const reader = readRecords(path, { chunkSize: 512 });
  const first = await reader.readBatch(2);
  assert.equal(first.length, 2);
  // The writer on the other side got halfway through the next record.
  const next = readFileSync(fixturePath('pymarc/one.dat'));
  appendFileSync(path, next.subarray(0, next.length >> 1));
  const rest: unknown[] = [];
  await assert.rejects(async () => {
    for await (const r of reader) rest.push(r);
  }, (e: unknown) => e instanceof MarcError && e.code === 'E005');
  assert.equal(first.length + rest.length, 10, 'every whole record, nothing from the torn one');
  // Permissive: the torn tail is salvaged as far as it goes, and says so (E005 on the record).
  const results = [...readResultsSync(readFileSync(path), { mode: 'permissive' })];
  assert.equal(results.length, 11);
  assert.ok(results.at(-1)?.errors.some((e) => e.code === 'E005'));
});

test('a file truncated mid-record while read ends in E005, never garbage', async () => {
  const path = join(dir, 'shrinks-mid.mrc');
  copyFileSync(fixturePath(FILE), path);
  const reader = readRecords(path, { chunkSize: 8 * 1024 });
  assert.equal((await reader.readBatch(5)).length, 5);
  const cut = (records[400]?.origin?.recordOffset ?? 0) + 100;
  truncateSync(path, cut);
  let n = 5;
  await assert.rejects(async () => {
    for await (const _ of reader) n++;
  }, (e: unknown) => e instanceof MarcError && (e.code === 'E005' || e.code === 'E007'));
  assert.ok(n <= 400, `${n} records`);
  assert.deepEqual(await settledHandles(), []);
});

test('a file truncated at a record boundary while read is an error, not a silently shorter file', async () => {
  const path = join(dir, 'shrinks-boundary.mrc');
  copyFileSync(fixturePath(FILE), path);
  const reader = readRecords(path, { chunkSize: 8 * 1024 });
  assert.equal((await reader.readBatch(5)).length, 5);
  truncateSync(path, records[400]?.origin?.recordOffset ?? 0);
  await assert.rejects(collect(reader), (e: unknown) => e instanceof MarcError && e.code === 'E007');
  assert.ok(statSync(path).size > 0);
});

test('the sync reader too: a file truncated at a record boundary while read is E007, not a silently shorter file', async () => {
  const { readRecordsSync: readPathSync } = await import('../../src/io/sync.js');
  const path = join(dir, 'shrinks-boundary-sync.mrc');
  // Three copies: more than the reader's first 4 MiB read.
  const one = fixture(FILE);
  writeFileSync(path, Buffer.concat([one, one, one]));
  let n = 0;
  assert.throws(() => {
    for (const _ of readPathSync(path)) {
      // The first chunk is in hand: cut the file at a record boundary inside it.
      if (n++ === 0) truncateSync(path, one.length);
    }
  }, (e: unknown) => e instanceof MarcError && e.code === 'E007' && /changed while being read/.test(e.message));
  assert.ok(n < 3 * records.length, `${n} records, not a whole file's worth`);
});

test('writeRecords refuses to write over the file its records are read from (opening it would truncate it)', async () => {
  const { readRecordsSync: readPathSync } = await import('../../src/io/sync.js');
  const path = join(dir, 'in-place.mrc');
  copyFileSync(fixturePath(FILE), path);
  const original = readFileSync(path);
  for (const [what, source] of [['readRecords', () => readRecords(path)], ['readRecordsSync', () => readPathSync(path)]] as const) {
    await assert.rejects(writeRecords(source(), path), (e: unknown) => e instanceof MarcError && e.code === 'E007' && /is the input file/.test(e.message), what);
    assert.deepEqual(readFileSync(path), original, `${what}: the file is intact`);
  }
  const out = join(dir, 'elsewhere.mrc');
  assert.equal((await writeRecords(readRecords(path), out)).records, records.length);
});
