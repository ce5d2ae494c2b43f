// Permissive byte accounting for the text formats: every result of a MARC-in-JSON or MARCMaker
// read stands for its own bytes of the input (`recordOffset` in bytes, `raw` the input's bytes,
// invalid UTF-8 included), results are in order and never overlap, and what lies between them
// is no record (whitespace, array brackets and commas, blank lines). The fuzzer checks the same
// on mutated inputs (scripts/fuzz.ts, TEXT_GAPS); these are the hand-made cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser, readFormatResultsSync, type ReadResult } from '../../src/formats/index.js';
import { checkInput } from '../../scripts/fuzz.js';

const enc = new TextEncoder();
const bytes = (...parts: (string | Uint8Array)[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p)));

interface Expected {
  /** The exact bytes the result stands for. */
  raw: string | Uint8Array;
  /** true: a record; otherwise the error code of the skipped region. */
  record: true | string;
}

/** Reads in permissive mode, in one buffer and in every chunk size up to 40 bytes; all must agree. */
function read(format: 'marcjson' | 'mrk', input: Uint8Array): ReadResult[] {
  const options = { format, mode: 'permissive' as const, maxErrors: 1e9 };
  const whole = [...readFormatResultsSync(input, options)];
  const key = (r: ReadResult): string => `${r.recordOffset}+${Buffer.from(r.raw).toString('hex')}${r.record === null ? '-' : 'r'}${r.errors.map((e) => `${e.code}@${e.recordOffset ?? ''}`).join('')}`;
  for (let size = 1; size <= 40; size++) {
    const parser = createParser(format, options);
    const got: ReadResult[] = [];
    for (let at = 0; at < input.length; at += size) got.push(...parser.push(input.subarray(at, at + size)));
    got.push(...parser.end());
    assert.deepEqual(got.map(key), whole.map(key), `chunks of ${size} bytes`);
  }
  return whole;
}

/** Each result is where its bytes are, in order; the gaps match `gap`; the fuzz invariants hold. */
function assertAccounted(format: 'marcjson' | 'mrk', input: Uint8Array, results: ReadResult[], expected: Expected[], gap: RegExp): void {
  assert.deepEqual(results.map((r) => (r.record === null ? r.errors[0]?.code : true)), expected.map((e) => e.record));
  let at = 0;
  results.forEach((r, i) => {
    const want = expected[i] as Expected;
    const raw = typeof want.raw === 'string' ? enc.encode(want.raw) : want.raw;
    assert.deepEqual(Buffer.from(r.raw), Buffer.from(raw), `result ${i}: raw`);
    assert.ok(r.recordOffset >= at, `result ${i} starts at ${r.recordOffset}, before the previous one ends (${at})`);
    assert.deepEqual(Buffer.from(input.subarray(r.recordOffset, r.recordOffset + r.raw.length)), Buffer.from(raw), `result ${i}: the input's bytes at recordOffset`);
    assert.match(Buffer.from(input.subarray(at, r.recordOffset)).toString('latin1'), gap, `bytes ${at}–${r.recordOffset}`);
    for (const e of r.errors) if (r.record === null) assert.equal(e.recordOffset, r.recordOffset, 'the error names the same byte offset');
    at = r.recordOffset + r.raw.length;
  });
  assert.match(Buffer.from(input.subarray(at)).toString('latin1'), gap, `bytes ${at}–${input.length}`);
  checkInput(format, input);
}

const JSON_GAP = /^(?:[\s,[\]]|\xef\xbb\xbf)*$/;
const MRK_GAP = /^[ \t\r\n]*$/;

const good1 = '{"leader":"00000nam a2200000 a 4500","fields":[{"001":"één"},{"245":{"ind1":"1","ind2":"0","subfields":[{"a":"Ærø 😀 ש"}]}}]}';
const bad = '{"leader":"00000nam a2200000 a 4500","fields":[{"001":"x"},{"245":"ok"},{"246": }]}';
const good2 = '{"leader":"00000nam a2200000 a 4500","fields":[{"001":"2"},{"245":{"ind1":" ","ind2":" ","subfields":[{"a":"日本"}]}}]}';

test('MARC-in-JSON array: a bad object between two good ones is skipped as its own bytes', () => {
  const input = bytes('\ufeff[\n  ', good1, ',\n  ', bad, ',\n  ', good2, '\n]\n');
  const results = read('marcjson', input);
  assertAccounted('marcjson', input, results, [{ raw: good1, record: true }, { raw: bad, record: 'E402' }, { raw: good2, record: true }], JSON_GAP);
  // Byte offsets, not UTF-16 units: the BOM and the multi-byte characters before each record count.
  assert.equal(results[0]?.recordOffset, 3 + 4);
  assert.equal(results[1]?.recordOffset, Buffer.from(input).indexOf(bad));
  assert.equal(results[2]?.recordOffset, Buffer.from(input).indexOf(good2));
  assert.ok((results[2]?.recordOffset ?? 0) > '\ufeff[\n  '.length + good1.length + bad.length, 'offsets count bytes');
});

test('MARC-in-JSON document and JSON Lines: a truncated last record is skipped with its bytes', () => {
  const cut = good2.slice(0, 60);
  const lines = bytes(good1, '\n', cut);
  assertAccounted('marcjson', lines, read('marcjson', lines), [{ raw: good1, record: true }, { raw: cut, record: 'E402' }], JSON_GAP);
  // One document, cut inside a multi-byte character: the held bytes are part of the skipped tail.
  const doc = enc.encode(good1);
  const torn = doc.subarray(0, doc.indexOf(0xf0) + 2);
  assertAccounted('marcjson', torn, read('marcjson', torn), [{ raw: torn, record: 'E402' }], JSON_GAP);
  // An array cut after a whole record: E402 at the end, standing for no bytes.
  const array = bytes('[', good1, ',\n');
  const results = read('marcjson', array);
  assertAccounted('marcjson', array, results, [{ raw: good1, record: true }, { raw: '', record: 'E402' }], JSON_GAP);
  assert.equal(results[1]?.recordOffset, array.length);
});

test('JSON Lines: garbage between records is one skipped region per line, however the input is cut', () => {
  const junk1 = 'not json at all, café [1,2] and more';
  const junk2 = new Uint8Array([0x78, 0xff, 0xfe, 0xc3, 0x28, 0x20, 0x5d, 0x79]);
  const input = bytes(good1, '\n', junk1, '\n', good2, '\n', junk2, '\n\n', good1, '\n');
  assertAccounted('marcjson', input, read('marcjson', input), [
    { raw: good1, record: true },
    { raw: junk1, record: 'E402' },
    { raw: good2, record: true },
    { raw: junk2, record: 'E402' },
    { raw: good1, record: true },
  ], JSON_GAP);
  // A run of junk longer than a chunk with no line end: still one region.
  const long = bytes(good1, ' ', 'x'.repeat(5000), ' ', good2);
  assertAccounted('marcjson', long, read('marcjson', long), [{ raw: good1, record: true }, { raw: `${'x'.repeat(5000)} `, record: 'E402' }, { raw: good2, record: true }], JSON_GAP);
});

test('MARC-in-JSON: invalid UTF-8 inside a record is in its raw bytes as read, not as U+FFFD', () => {
  const record = bytes('{"leader":"00000nam a2200000 a 4500","fields":[{"001":"a', new Uint8Array([0xe9, 0xff, 0xe2, 0x82]), 'b"}]}');
  const input = bytes(good1, '\n', record, '\n', good2);
  const results = read('marcjson', input);
  assertAccounted('marcjson', input, results, [{ raw: good1, record: true }, { raw: record, record: true }, { raw: good2, record: true }], JSON_GAP);
  assert.equal(results[1]?.record?.getValue('001'), 'a\ufffd\ufffd\ufffdb');
});

const mrk1 = '=LDR  00000nam a2200000 a 4500\r\n=001  één\r\n=245  10$aÆrø 😀\r\n';
const mrkBad = 'this block is not MARCMaker\r\n=245  10$aa line after it\r\n';
const mrk2 = '=LDR  00000nam a2200000 a 4500\r\n=001  2\r\n=245  \\\\$a日本';

test('MARCMaker: a bad block between two good records is skipped as its own lines, CRLF and all', () => {
  const input = bytes('\ufeff', mrk1, '\r\n', mrkBad, '\r\n\r\n  \r\n', mrk2);
  const results = read('mrk', input);
  assertAccounted('mrk', input, results, [{ raw: mrk1, record: true }, { raw: mrkBad, record: 'E403' }, { raw: mrk2, record: true }], /^(?:[ \t\r\n]|\xef\xbb\xbf)*$/);
  assert.equal(results[0]?.recordOffset, 3);
  assert.equal(results[2]?.recordOffset, Buffer.from(input).indexOf(mrk2));
  // A new =LDR ends a record without a blank line; a torn last line is part of the last record.
  const adjacent = bytes(mrk1, mrk2.slice(0, 50));
  assertAccounted('mrk', adjacent, read('mrk', adjacent), [{ raw: mrk1, record: true }, { raw: mrk2.slice(0, 50), record: true }], MRK_GAP);
  // Invalid UTF-8 in a block: raw is the bytes as read.
  const broken = bytes('garbage ', new Uint8Array([0xff, 0xc3]), '\n');
  const withBroken = bytes(mrk1, '\n', broken, '\n', mrk2);
  assertAccounted('mrk', withBroken, read('mrk', withBroken), [{ raw: mrk1, record: true }, { raw: broken, record: 'E403' }, { raw: mrk2, record: true }], MRK_GAP);
});
