// Permissive byte accounting for the text formats: every result of a MARC-in-JSON, MARCMaker or
// MARCXML read stands for its own bytes of the input (`recordOffset` in bytes, `raw` the input's
// bytes, invalid UTF-8 included), results are in order and never overlap, and what lies between
// them is no record (whitespace, array brackets and commas, blank lines, XML markup that is no
// record). The fuzzer checks the same on mutated inputs (scripts/fuzz.ts, TEXT_GAPS); these are
// the hand-made cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser, readFormatResultsSync, type ReadResult } from '../../src/formats/index.js';
import { checkInput, xmlGap } from '../../scripts/fuzz.js';

type Format = 'marcjson' | 'mrk' | 'marcxml';

const enc = new TextEncoder();
const bytes = (...parts: (string | Uint8Array)[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p)));

interface Expected {
  /** The exact bytes the result stands for. */
  raw: string | Uint8Array;
  /** true: a record; otherwise the error code of the skipped region. */
  record: true | string;
}

/**
 * Reads in permissive mode, in one buffer and in every chunk size up to 40 bytes; all must agree.
 * MARCXML also with each of its tokenizers alone (the byte path, the text path, saxes).
 */
function read(format: Format, input: Uint8Array): ReadResult[] {
  const options = { format, mode: 'permissive' as const, maxErrors: 1e9 };
  const whole = [...readFormatResultsSync(input, options)];
  const key = (r: ReadResult): string => `${r.recordOffset}+${Buffer.from(r.raw).toString('hex')}${r.record === null ? '-' : 'r'}${r.errors.map((e) => `${e.code}@${e.recordOffset ?? ''}`).join('')}`;
  const variants: object[] = format === 'marcxml' ? [{}, { tokenizer: 'text' }, { tokenizer: 'saxes' }] : [{}];
  for (const extra of variants) {
    for (let size = 1; size <= 40; size++) {
      const parser = createParser(format, { ...options, ...extra });
      const got: ReadResult[] = [];
      for (let at = 0; at < input.length; at += size) got.push(...parser.push(input.subarray(at, at + size)));
      got.push(...parser.end());
      assert.deepEqual(got.map(key), whole.map(key), `chunks of ${size} bytes ${JSON.stringify(extra)}`);
    }
  }
  return whole;
}

/** Each result is where its bytes are, in order; the gaps match `gap`; the fuzz invariants hold. */
function assertAccounted(format: Format, input: Uint8Array, results: ReadResult[], expected: Expected[], gap: RegExp | ((bytes: Uint8Array) => boolean)): void {
  const gapOk = (from: number, to: number): void => {
    const bytes = input.subarray(from, to);
    if (gap instanceof RegExp) assert.match(Buffer.from(bytes).toString('latin1'), gap, `bytes ${from}–${to}`);
    else assert.ok(gap(bytes), `bytes ${from}–${to} are no record: ${JSON.stringify(Buffer.from(bytes).toString('latin1'))}`);
  };
  assert.deepEqual(results.map((r) => (r.record === null ? r.errors[0]?.code : true)), expected.map((e) => e.record));
  let at = 0;
  results.forEach((r, i) => {
    const want = expected[i] as Expected;
    const raw = typeof want.raw === 'string' ? enc.encode(want.raw) : want.raw;
    assert.deepEqual(Buffer.from(r.raw), Buffer.from(raw), `result ${i}: raw`);
    assert.ok(r.recordOffset >= at, `result ${i} starts at ${r.recordOffset}, before the previous one ends (${at})`);
    assert.deepEqual(Buffer.from(input.subarray(r.recordOffset, r.recordOffset + r.raw.length)), Buffer.from(raw), `result ${i}: the input's bytes at recordOffset`);
    gapOk(at, r.recordOffset);
    for (const e of r.errors) if (r.record === null) assert.equal(e.recordOffset, r.recordOffset, 'the error names the same byte offset');
    at = r.recordOffset + r.raw.length;
  });
  gapOk(at, input.length);
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

// ---------------------------------------------------------------- MARCXML

const xml1 = '<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">één</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Ærø 😀 ש</subfield></datafield></record>';
// A subfield closed by </datafield>: not well-formed, so the whole record is skipped.
const xmlBad = '<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">x</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="a">oops</datafield></record>';
// Not the byte path's shape (text outside fields): the text path reads it, with a repair.
const xml2 = '<record><leader>00000nam a2200000 a 4500</leader>stray<controlfield tag="001">2</controlfield><datafield tag="245" ind1=" " ind2=" "><subfield code="a">日本 &amp; co</subfield></datafield></record>';
const collection = (...records: string[]): string => `<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment: é -->\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n  ${records.join('\n  ')}\n</collection>\n`;

test('MARCXML: a bad record between two good ones is skipped as its own bytes, whichever path reads them', () => {
  const input = bytes('\ufeff', collection(xml1, xmlBad, xml2));
  const results = read('marcxml', input);
  assertAccounted('marcxml', input, results, [{ raw: xml1, record: true }, { raw: xmlBad, record: 'E401' }, { raw: xml2, record: true }], xmlGap);
  // Byte offsets: the BOM and the multi-byte characters before each record count.
  const at = (s: string): number => Buffer.from(input).indexOf(s);
  assert.deepEqual(results.map((r) => r.recordOffset), [at(xml1), at(xmlBad), at(xml2)]);
  assert.ok((results[2]?.recordOffset ?? 0) > `\ufeff${collection(xml1, xmlBad, xml2)}`.indexOf(xml2), 'offsets count bytes');
  assert.equal(results[0]?.record?.getValue('001'), 'één');
  // The line and column of the defect are still the text's (as read, not as bytes).
  const error = results[1]?.errors[0];
  assert.equal(error?.line, 5);
});

test('MARCXML: a truncated last record is skipped with its bytes, a torn character included', () => {
  const doc = collection(xml1, xml2);
  const cut = enc.encode(doc).subarray(0, Buffer.from(doc).indexOf('日') + 2);
  const results = read('marcxml', cut);
  const tail = cut.subarray(Buffer.from(cut).indexOf('<record>', 10 + Buffer.from(cut).indexOf('</record>')));
  assertAccounted('marcxml', cut, results, [{ raw: xml1, record: true }, { raw: tail, record: 'E401' }], xmlGap);
  // Cut between records: the unclosed collection is the error, and what follows the last record its region.
  const between = enc.encode(doc.slice(0, doc.indexOf(xml2)));
  const end = Buffer.from(between).indexOf('</record>') + '</record>'.length;
  assertAccounted('marcxml', between, read('marcxml', between), [{ raw: xml1, record: true }, { raw: between.subarray(end), record: 'E401' }], xmlGap);
});

test('MARCXML: an OAI-PMH envelope is no record; the MARC records in it are', () => {
  const marc = (r: string): string => r.replace(/<(\/?)([a-z]+)/g, '<$1marc:$2').replace('<marc:record>', '<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">');
  const oaiRecord = (id: string, body: string): string => `<record><header><identifier>oai:x:${id}</identifier><datestamp>2024-01-01</datestamp></header><metadata>${body}</metadata></record>`;
  const r1 = marc(xml1);
  const r2 = marc(xml2);
  const input = enc.encode(`<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-01T00:00:00Z</responseDate><request verb="ListRecords">https://example.org/oai</request><ListRecords>${oaiRecord('1', r1)}${oaiRecord('2', r2)}<resumptionToken>tok</resumptionToken></ListRecords></OAI-PMH>\n`);
  const results = read('marcxml', input);
  assertAccounted('marcxml', input, results, [{ raw: r1, record: true }, { raw: r2, record: true }], xmlGap);
});

test('MARCXML: multi-byte UTF-8 and a BOM before records count as bytes; each document of a concatenation is read', () => {
  const doc = collection(xml1);
  const input = bytes('\ufeff', doc, doc);
  const results = read('marcxml', input);
  assertAccounted('marcxml', input, results, [{ raw: xml1, record: true }, { raw: xml1, record: true }], xmlGap);
  assert.equal(results[0]?.recordOffset, 3 + enc.encode(doc.slice(0, doc.indexOf('<record>'))).length);
  assert.equal(results[1]?.recordOffset, 3 + enc.encode(doc).length + enc.encode(doc.slice(0, doc.indexOf('<record>'))).length);
});

test('MARCXML: invalid UTF-8 inside a record is in its raw bytes as read, not as U+FFFD', () => {
  const broken = bytes('<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">a', new Uint8Array([0xe9, 0xff, 0xe2, 0x82]), 'b</controlfield></record>');
  const input = bytes(collection(xml1).replace('</collection>', ''), broken, '\n  ', xml2, '\n</collection>');
  const results = read('marcxml', input);
  assertAccounted('marcxml', input, results, [{ raw: xml1, record: true }, { raw: broken, record: true }, { raw: xml2, record: true }], xmlGap);
  assert.equal(results[1]?.record?.getValue('001'), 'a\ufffd\ufffd\ufffdb');
});

test('MARCXML: malformed markup between records is a skipped region of its own; a record misspelt is not lost silently', () => {
  const junk = '<<x>';
  const misspelt = xml1.replace(/record>/g, 'recorx>');
  const input = enc.encode(collection(xml1, junk, xml2, misspelt, xml1));
  const results = read('marcxml', input);
  // The junk with the blanks around it; then each element of the misspelt record, as its own region.
  const leader = '<leader>00000nam a2200000 a 4500</leader>';
  const control = '<controlfield tag="001">één</controlfield>';
  assertAccounted('marcxml', input, results, [
    { raw: xml1, record: true },
    { raw: `\n  ${junk}\n  `, record: 'E401' },
    { raw: xml2, record: true },
    { raw: leader, record: 'E401' },
    { raw: control, record: 'E401' },
    { raw: xml1.slice(xml1.indexOf('<datafield'), xml1.indexOf('</record>')), record: 'E401' },
    { raw: xml1, record: true },
  ], xmlGap);
  assert.match(results[3]?.errors[0]?.message ?? '', /<leader> outside any MARC record/);
});
