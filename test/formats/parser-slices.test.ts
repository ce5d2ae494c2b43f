import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARSER_SLICE, parserSlices, type ReadResult } from '../../src/formats/common.js';
import { readFormatResultBatches, readFormatResults } from '../../src/index.js';
import { readText, readTextResults, toText } from '../../src/formats/text/index.js';
import { readRecordsSync } from '../../src/io/sync.js';

test('parserSlices: bytes in pieces of at most PARSER_SLICE, joined back exactly', () => {
  const bytes = new Uint8Array(PARSER_SLICE * 2 + 7).map((_, i) => i & 0xff);
  const pieces = [...parserSlices(bytes)];
  assert.deepEqual(pieces.map((p) => p.length), [PARSER_SLICE, PARSER_SLICE, 7]);
  assert.deepEqual(Buffer.concat(pieces as Uint8Array[]), Buffer.from(bytes));
  assert.deepEqual([...parserSlices(new Uint8Array(0))], []);
});

test('parserSlices: a string is never cut inside a surrogate pair', () => {
  const text = 'a'.repeat(PARSER_SLICE - 1) + '𝄞' + 'b'.repeat(10);
  const pieces = [...parserSlices(text)] as string[];
  assert.equal(pieces.length, 2);
  assert.equal(pieces[0], 'a'.repeat(PARSER_SLICE - 1) + '𝄞');
  assert.equal(pieces.join(''), text);
});

test('a text dump larger than one slice reads back record for record, raw bytes on demand', () => {
  const records = [...readRecordsSync('samples/loc-bibliographic.mrc')];
  const dump = toText(records);
  assert.ok(dump.length > PARSER_SLICE * 2, 'the dump spans several slices');
  const back = [...readText(Buffer.from(dump))];
  assert.equal(back.length, records.length);
  for (let i = 0; i < records.length; i++) assert.deepEqual(back[i]?.toJSON(), records[i]?.toJSON());
  const results = [...readTextResults(Buffer.from(dump))];
  for (const i of [0, 1, records.length - 1]) {
    const result = results[i];
    assert.ok(result !== undefined);
    assert.equal(new TextDecoder().decode(result.raw), toText(records[i] as never).trimEnd());
    assert.equal(result.raw, result.raw, 'made once');
  }
});

test('readFormatResultBatches: non-empty arrays whose concatenation is readFormatResults', async () => {
  const records = [...readRecordsSync('samples/loc-bibliographic.mrc')];
  const dump = Buffer.from(toText(records));
  const chunks = (): Uint8Array[] => [dump.subarray(0, 100_000), dump.subarray(100_000)];
  const batches: ReadResult[][] = [];
  for await (const batch of readFormatResultBatches(chunks(), { format: 'text' })) batches.push(batch);
  assert.ok(batches.length > 2, 'one batch per push that completed records');
  assert.ok(batches.every((batch) => batch.length > 0));
  const flat: ReadResult[] = [];
  for await (const result of readFormatResults(chunks(), { format: 'text' })) flat.push(result);
  assert.deepEqual(batches.flat().map((r) => [r.recordIndex, r.recordOffset]), flat.map((r) => [r.recordIndex, r.recordOffset]));
  assert.equal(flat.length, records.length);
});
