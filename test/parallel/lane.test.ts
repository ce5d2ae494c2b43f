import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords, readResults, readRecordsSync, readResultsSync, MarcError } from '../../src/index.js';
import { fixture, fixturePath } from '../helpers.js';
import { collect, settledHandles, summarise } from '../io/helpers.js';

// Small tasks on small files: many ranges, many cuts, the same results as one sequential read.
const PARALLEL = { parallelThreshold: 0, taskSize: 64 * 1024 };

test('ordered output across 2 workers equals the sequential read (records, indexes, offsets)', async () => {
  const file = 'folio/5000.mrc';
  const expected = [...readResultsSync(fixture(file))].map((r) => summarise(r, false));
  const got = await collect(readResults(fixturePath(file), { ...PARALLEL, workers: 2 }));
  assert.deepEqual(got.map((r) => summarise(r, false)), expected);
  assert.deepEqual(got.slice(0, 300).map((r) => JSON.stringify(r.record?.toJSON())), [...readRecordsSync(fixture(file))].slice(0, 300).map((r) => JSON.stringify(r.toJSON())));
  assert.deepEqual(await settledHandles(), []);
});

test('corrupt files through the pool: the same records and the same errors as sequentially', async () => {
  const options = { mode: 'permissive' as const, maxErrors: Number.POSITIVE_INFINITY };
  // One file of every kind of damage, so that one pool sees them all.
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-lane-'));
  try {
    const files = ['pymarc/bad_records.mrc', 'mrrc-testbed/malformed/garbage.mrc', 'mrrc-testbed/malformed/embedded_terminators.mrc', 'mrrc-testbed/malformed/invalid_lengths.mrc', 'folio/sample100.mrc', 'pymarc/bad_indicator.dat'];
    const path = join(dir, 'damaged.mrc');
    const bytes = Buffer.concat(files.map((f) => fixture(f)));
    writeFileSync(path, bytes);
    const expected = [...readResultsSync(bytes, options)].map((r) => summarise(r));
    assert.ok(expected.some((e) => e.includes('skipped')));
    const got = await collect(readResults(path, { ...options, workers: 2, parallelThreshold: 0, taskSize: 2048 }));
    assert.deepEqual(got.map((r) => summarise(r)), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Strict: the first error, with the index and offset of a sequential read.
  let syncError: unknown;
  try {
    for (const _ of readRecordsSync(fixture('folio/sample100.mrc'))) { /* until it throws */ }
  } catch (e) {
    syncError = e;
  }
  await assert.rejects(collect(readRecords(fixturePath('folio/sample100.mrc'), { ...PARALLEL, taskSize: 4096, workers: 2 })), (e: unknown) => e instanceof MarcError && e.message === (syncError as Error).message);
  assert.deepEqual(await settledHandles(), []);
});

test('break and abort stop the workers and close the file at once', async () => {
  for await (const _ of readRecords(fixturePath('folio/5000.mrc'), { ...PARALLEL, workers: 2 })) break;
  assert.deepEqual(await settledHandles(), [], 'after break');

  const controller = new AbortController();
  let n = 0;
  await assert.rejects(async () => {
    for await (const _ of readRecords(fixturePath('folio/5000.mrc'), { ...PARALLEL, workers: 2, signal: controller.signal })) {
      if (++n === 1000) controller.abort();
    }
  }, { name: 'AbortError' });
  assert.equal(n, 1000);
  assert.deepEqual(await settledHandles(), [], 'after abort');

  const reader = readRecords(fixturePath('folio/5000.mrc'), { ...PARALLEL, workers: 1 });
  assert.equal((await reader.readBatch(10)).length, 10);
  await reader.close();
  assert.deepEqual(await settledHandles(), [], 'after close()');
});

test('a file that shrinks under the workers is an E007 naming the byte range, never a short read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-lane-'));
  try {
    const path = join(dir, 'shrinks.mrc');
    copyFileSync(fixturePath('folio/5000.mrc'), path);
    const size = statSync(path).size;
    const reader = readRecords(path, { ...PARALLEL, workers: 1, maxInFlight: 1 });
    const first = await reader.readBatch(10);
    assert.equal(first.length, 10);
    truncateSync(path, Math.floor(size / 2));
    await assert.rejects(collect(reader), (e: unknown) => e instanceof MarcError && e.code === 'E007' && /bytes \d+–\d+ \(records from index \d+\)/.test(e.message) && /changed while being read|ended/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(await settledHandles(), []);
});

test('small files stay on one thread; workers: 0 never starts a pool', async () => {
  const records = await collect(readRecords(fixturePath('pymarc/test.dat'), { workers: 2 }));
  assert.equal(records.length, 10);
  assert.deepEqual(await settledHandles(), []);
});
