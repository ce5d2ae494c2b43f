/**
 * The headline test: any chunking of any corpus file gives the records (and the errors) of the
 * whole-buffer read. Both leading npm parsers fail this (marcjs drops or corrupts records that
 * span three or more chunks; @natlibfi splits UTF-8 sequences).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readResults, readResultsSync, readRecords, Iso2709Writer, Record, DataField, ControlField } from '../../src/index.js';
import { fixture, rng } from '../helpers.js';
import { chunked, collect, corpusFiles, summarise } from './helpers.js';

const FILES = corpusFiles();
const options = { mode: 'permissive' as const, maxErrors: Number.POSITIVE_INFINITY };

test('the corpus is there', () => {
  assert.ok(FILES.length > 100, `${FILES.length} files`);
});

for (const file of FILES) {
  test(`chunk-size invariance: ${file}`, async () => {
    const bytes = fixture(file);
    const expected = [...readResultsSync(bytes, options)].map((r) => summarise(r));
    const shallow = [...readResultsSync(bytes, options)].map((r) => summarise(r, false));
    // One byte at a time on every file up to 200 KB; the larger ones byte by byte on a
    // prefix that holds several records, then coarser chunkings of the whole file.
    const random = rng(file.length);
    const sizes: (number | (() => number))[] = [100, 4093, 65536, bytes.length, () => 1 + Math.floor(random() * 2000)];
    if (bytes.length <= 200_000) sizes.unshift(1, 3);
    for (const [i, size] of sizes.entries()) {
      const deep = i === 0;
      const got = (await collect(readResults(chunked(bytes, size), options))).map((r) => summarise(r, deep));
      assert.deepEqual(got, deep ? expected : shallow, `${file} in chunks of ${typeof size === 'number' ? size : 'random size'}`);
    }
    if (bytes.length > 200_000) {
      const prefix = bytes.subarray(0, 40_000);
      const want = [...readResultsSync(prefix, options)].map((r) => summarise(r));
      assert.deepEqual((await collect(readResults(chunked(prefix, 1), options))).map((r) => summarise(r)), want, `${file}: 40 kB prefix byte by byte`);
    }
  });
}

test('a UTF-8 or MARC-8 sequence split at every possible byte gives the same text', async () => {
  for (const file of ['marc8/marc8_accented_chars.marc', 'marc8/marc4js-marc8.mrc', 'ruby-marc/utf8.marc', 'marc8/yaz-marc9.marc']) {
    const bytes = fixture(file);
    const expected = [...readResultsSync(bytes, options)].map((r) => summarise(r));
    const limit = Math.min(bytes.length, 3000);
    for (let cut = 1; cut < limit; cut += 1) {
      const got = (await collect(readResults([bytes.subarray(0, cut), bytes.subarray(cut)], options))).map((r) => summarise(r));
      assert.deepEqual(got, expected, `${file} cut at ${cut}`);
    }
  }
});

test('records over 99,999 bytes, spanning hundreds of chunks, read whole', async () => {
  const big = new Record({ leader: '00000cam a2200000 a 4500' });
  big.fields.push(new ControlField('001', 'big-1'));
  for (let i = 0; i < 60; i++) big.fields.push(new DataField('505', '0', ' ', [{ code: 'a', value: `Part ${i}: ${'é'.repeat(1200)}` }]));
  const writer = new Iso2709Writer({ oversize: 'truncate-length' });
  const bigBytes = writer.write(big);
  assert.ok(bigBytes.length > 99_999, `${bigBytes.length} bytes`);
  const small = fixture('pymarc/test.dat');
  const file = Buffer.concat([small, bigBytes, small]);
  const expected = [...readResultsSync(file, options)].map((r) => summarise(r));
  assert.equal(expected.length, 21);
  for (const size of [1000, 4096, 65536]) {
    const records = await collect(readRecords(chunked(file, size), { mode: 'lenient' }));
    assert.equal(records.length, 21, `chunks of ${size}`);
    assert.equal(records[10]?.getValue('001'), 'big-1');
    assert.equal(records[10]?.raw?.length, bigBytes.length);
    assert.equal(records[10]?.getFields('505').length, 60);
    assert.deepEqual((await collect(readResults(chunked(file, size), options))).map((r) => summarise(r)), expected);
  }
});

test('a maxRecordSize below a record whose leader lies frames it alike for a buffer and a stream in any chunking', async () => {
  // The leader says 80 bytes; the record runs to its terminator at ~250. Past maxRecordSize a
  // stream cannot look for that terminator, so a whole buffer must not use it either.
  const make = (title: string) => Buffer.from(new Record({ leader: '00000nam a2200000 a 4500', fields: [new ControlField('001', 'id'), new DataField('245', '1', '0', [{ code: 'a', value: title }])] }).toMarc());
  const lying = make('x'.repeat(200));
  lying.write('00080', 0, 'latin1');
  const file = Buffer.concat([make('first'), lying, make('last')]);
  for (const maxRecordSize of [100, 150, 300]) {
    const limited = { ...options, maxRecordSize };
    const expected = [...readResultsSync(file, limited)].map((r) => summarise(r));
    for (const size of [1, 7, 64, file.length]) {
      assert.deepEqual((await collect(readResults(chunked(file, size), limited))).map((r) => summarise(r)), expected, `maxRecordSize ${maxRecordSize}, chunks of ${size}`);
    }
    // Within the limit the terminator frames the record whole; below it, the leader's length does (E006).
    const [, second] = readResultsSync(file, limited);
    assert.equal(second?.record?.getDataField('245')?.get('a')?.length === 200, maxRecordSize === 300, `maxRecordSize ${maxRecordSize}`);
    assert.equal(second?.errors.some((e) => e.code === 'E006'), maxRecordSize !== 300);
  }
});
