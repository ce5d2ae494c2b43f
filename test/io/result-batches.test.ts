// readResultBatches / RecordReader.resultBatches: the same results as results(), in arrays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers.js';
import { readResultBatches, readResults } from '../../src/io/read.js';
import { MarcError } from '../../src/errors.js';
import type { ReadResult } from '../../src/iso2709/reader.js';

function* chunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function summary(r: ReadResult): string {
  return `${r.recordIndex}@${r.recordOffset}:${r.raw.length}:${r.record === null ? 'skipped' : r.record.get('001')?.value() ?? '-'}:${r.errors.map((e) => e.code).join(',')}`;
}

async function collect(iterable: AsyncIterable<ReadResult[]>): Promise<{ batches: number; results: string[] }> {
  let batches = 0;
  const results: string[] = [];
  for await (const batch of iterable) {
    assert.ok(batch.length > 0, 'no empty batches');
    batches++;
    for (const r of batch) results.push(summary(r));
  }
  return { batches, results };
}

for (const [name, file, mode] of [
  ['clean file', 'pymarc/test.dat', 'strict'],
  ['corrupt file, permissive', 'pymarc/bad_records.mrc', 'permissive'],
] as const) {
  test(`resultBatches: ${name} gives what results() gives, in batches`, async () => {
    const bytes = fixture(file);
    const expected: string[] = [];
    for await (const r of readResults(bytes, { mode })) expected.push(summary(r));
    const whole = await collect(readResultBatches(bytes, { mode }));
    assert.deepEqual(whole.results, expected);
    const chunked = await collect(readResultBatches(chunks(bytes, 100), { mode }));
    assert.deepEqual(chunked.results, expected);
    assert.ok(chunked.batches > 1 && chunked.batches <= expected.length, `${chunked.batches} batches`);
  });
}

test('resultBatches in strict mode: the records before a bad one arrive, then its error', async () => {
  const good = fixture('pymarc/test.dat');
  const bad = fixture('pymarc/bad_records.mrc');
  const bytes = Buffer.concat([good, bad]);
  const before: string[] = [];
  for await (const r of readResults(good, { mode: 'strict' })) before.push(summary(r));
  const got: string[] = [];
  await assert.rejects(async () => {
    for await (const batch of readResultBatches(bytes, { mode: 'strict' })) for (const r of batch) got.push(summary(r));
  }, (e: unknown) => e instanceof MarcError);
  assert.deepEqual(got.slice(0, before.length), before);
});
