// Arguments a caller can get wrong fail at once with a TypeError or RangeError that says what was
// expected: a misspelt mode must not read in some other mode, and a batch size of 0 must not end a
// read that never began (both did, in silence).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRecord, readMarcXml, readRecords, readRecordsSync, readResults } from '../../src/index.js';
import { fixture, fixturePath } from '../helpers.js';

const FILE = 'pymarc/test.dat';

test('an unknown mode is a RangeError in every reader', async () => {
  const message = /mode must be 'strict', 'lenient' or 'permissive', not "sloppy"/;
  assert.throws(() => [...readRecordsSync(fixture(FILE), { mode: 'sloppy' as 'strict' })], message);
  assert.throws(() => parseRecord(fixture('pymarc/one.dat'), { mode: 'sloppy' as 'strict' }), message);
  assert.throws(() => [...readMarcXml('<collection/>', { mode: 'sloppy' as 'strict' })], message);
  await assert.rejects(async () => {
    for await (const _ of readRecords(fixturePath(FILE), { mode: 'sloppy' as 'strict' })) { /* nothing */ }
  }, message);
  await assert.rejects(async () => {
    for await (const _ of readResults(fixture(FILE), { mode: 'sloppy' as 'strict' })) { /* nothing */ }
  }, message);
});

test('batch sizes below 1 are a RangeError; readBatch(0) is an empty batch', async () => {
  assert.throws(() => readRecords(fixturePath(FILE), { batchSize: 0 }), /batchSize must be a whole number of at least 1, not 0/);
  await assert.rejects(async () => {
    for await (const _ of readRecords(fixturePath(FILE)).batches(0)) { /* nothing */ }
  }, /batches\(n\) must be a whole number of at least 1, not 0/);
  const reader = readRecords(fixturePath(FILE));
  assert.deepEqual(await reader.readBatch(0), []);
  assert.equal((await reader.readBatch(3)).length, 3, 'nothing was consumed by the empty batch');
  await reader.close();
});

test('a source of the wrong kind is a TypeError naming what is accepted', async () => {
  await assert.rejects(async () => {
    for await (const _ of readRecords(null as unknown as string)) { /* nothing */ }
  }, (e: unknown) => e instanceof TypeError && /must be a path, a Uint8Array/.test(e.message));
  assert.throws(() => readRecordsSync(42 as unknown as string), (e: unknown) => e instanceof TypeError && /must be a path \(string or URL\) or a Uint8Array/.test(e.message));
  assert.throws(() => parseRecord('00000nam' as unknown as Uint8Array), (e: unknown) => e instanceof TypeError && /not string/.test(e.message));
});
