/**
 * The MARCXML byte path (records read from UTF-8 bytes straight into lazy ISO 2709-backed records)
 * against the text path it stands in for (`tokenizer: 'text'`): for every fixture, in several
 * chunkings and every mode, and for inputs made to fall on its edges, both must give the same
 * results — records, repairs, skipped records, raw bytes, offsets — and the same thrown error.
 * Each result's raw bytes must also be the input's at its offset (a byte offset, on either path).
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIXTURES } from '../helpers.js';
import { MarcXmlParser, type MarcXmlReadOptions } from '../../src/formats/marcxml/reader.js';
import type { ReadResult } from '../../src/iso2709/reader.js';

import { MODES, assertInputBytes, assertSameText, errorShape, marcXmlFixturePaths, resultShape } from './marcxml-helpers.js';

interface Run {
  out: string;
  /** Records that came from the byte path (ISO 2709-backed). */
  viaBytes: number;
  records: number;
}

function run(input: Buffer, chunk: number, options: MarcXmlReadOptions): Run {
  const parser = new MarcXmlParser(options);
  const out: unknown[] = [];
  let viaBytes = 0;
  let records = 0;
  const all: ReadResult[] = [];
  const take = (results: ReadResult[]): void => {
    for (const r of results) {
      all.push(r);
      out.push(resultShape(r));
      if (r.record !== null) {
        records++;
        if (r.record.origin !== null) viaBytes++;
      }
    }
  };
  try {
    for (let at = 0; at < input.length; at += chunk) take(parser.push(input.subarray(at, at + chunk)));
    take(parser.end());
  } catch (e) {
    out.push({ thrown: errorShape(e) });
  }
  assertInputBytes(input, all, `chunk=${chunk} ${JSON.stringify(options)}`);
  return { out: JSON.stringify(out), viaBytes, records };
}

/** Byte path and text path agree; returns how many records the byte path read (last run). */
function same(input: Buffer, chunks: number[], label: string, extra: MarcXmlReadOptions = {}, modes: readonly string[] = MODES): number {
  let viaBytes = 0;
  for (const mode of modes as typeof MODES) {
    for (const chunk of chunks) {
      const text = run(input, chunk, { ...extra, mode, tokenizer: 'text' });
      const bytes = run(input, chunk, { ...extra, mode });
      assert.equal(text.viaBytes, 0);
      assertSameText(bytes.out, text.out, `${label} mode=${mode} chunk=${chunk}`);
      if (mode === modes[0] && chunk === chunks[0]) viaBytes = bytes.viaBytes;
    }
  }
  return viaBytes;
}

const marcXmlFixtures = marcXmlFixturePaths();

test('every MARCXML fixture: byte path and text path agree, whole, in 7-byte and 1-byte chunks', () => {
  assert.ok(marcXmlFixtures.length > 300, `found ${marcXmlFixtures.length}`);
  let viaBytes = 0;
  for (const path of marcXmlFixtures) {
    const bytes = readFileSync(path);
    const label = path.slice(FIXTURES.length);
    const broken = /corrupt|error|fuzz/.test(label);
    viaBytes += same(bytes, [bytes.length + 1], label);
    same(bytes, bytes.length < 6000 ? [1, 7] : [7], label, {}, broken ? MODES : ['strict']);
  }
  // Most fixture records are of the common shape.
  assert.ok(viaBytes > 500, `${viaBytes} records read on the byte path`);
});

test('every well-formed MARCXML fixture: the byte path is chunk-size invariant', () => {
  for (const path of marcXmlFixtures) {
    const bytes = readFileSync(path);
    if (bytes.length > 20000 || /corrupt|error|fuzz/.test(path)) continue;
    const whole = run(bytes, bytes.length + 1, {});
    // A document that throws does so in the push that holds the error, so what came before
    // depends on the chunking (on both paths).
    if (whole.out.includes('"thrown"')) continue;
    for (const chunk of [1, 7]) assert.equal(run(bytes, chunk, {}).out, whole.out, `${path} chunk=${chunk}`);
  }
});

const LEADER = '00000nam a2200000   4500';

function doc(records: string[], open = '<collection xmlns="http://www.loc.gov/MARC21/slim">', close = '</collection>'): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${open}\n${records.join('\n')}\n${close}\n`);
}

const plain = `<record><leader>${LEADER}</leader><controlfield tag="001">id1</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Title</subfield></datafield></record>`;

/** Inputs on the byte path: [label, document, records the byte path must read]. */
const tricky: [string, Buffer, number][] = [
  ['plain', doc([plain, plain]), 2],
  ['entities', doc([`<record><leader>${LEADER}</leader><datafield tag="245" ind1=" " ind2=" "><subfield code="a">a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;&#x1F600;&#233;&#x20AC;</subfield></datafield></record>`]), 1],
  ['multi-byte UTF-8', doc([`<record><leader>${LEADER}</leader><controlfield tag="001">é€𝔘</controlfield><datafield tag="245" ind1=" " ind2=" "><subfield code="a">Ла́дога 東京 𝔘nicode ñ</subfield><subfield code="b">Ω</subfield></datafield></record>`]), 1],
  ['prefixes', doc([`<marc:record><marc:leader>${LEADER}</marc:leader><marc:controlfield tag="001">x</marc:controlfield><m:datafield tag="650" ind1=" " ind2="0"><m:subfield code="a">Cats</m:subfield></m:datafield></marc:record>`], '<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim" xmlns:m="http://www.loc.gov/MARC21/slim">', '</marc:collection>'), 1],
  ['attributes in any order, single quotes, blanks', doc([`<record  type='Bibliographic' ><leader>${LEADER}</leader><controlfield  tag = '001' >x</controlfield><datafield ind2='0' tag="245"\n  ind1 = "1"><subfield code = 'a' >T</subfield ></datafield\n></record >`]), 1],
  ['leader with blank length and base', doc([`<record><leader>     nam a22     1a 4500</leader><controlfield tag="001">x</controlfield></record>`]), 1],
  ['leader/09 blank with non-ASCII text', doc([`<record><leader>00000nam  2200000   4500</leader><controlfield tag="001">é</controlfield></record>`]), 1],
  ['empty elements', doc([`<record><leader>${LEADER}</leader><controlfield tag="001"/><datafield tag="245" ind1=" " ind2=" "/><datafield tag="246" ind1=" " ind2=" "><subfield code="a"/><subfield code="b"></subfield></datafield></record>`]), 1],
  ['comments and indentation', doc([`<record>\n  <!-- a comment, é -->\n  <leader>${LEADER}</leader>\n  <datafield tag="245" ind1=" " ind2=" ">\n    <!-- - -->\n    <subfield code="a">x\ny\tz</subfield>\n  </datafield>\n</record>`]), 1],
  ['record as the root', Buffer.from(`<record xmlns="http://www.loc.gov/MARC21/slim"><leader>${LEADER}</leader><controlfield tag="001">x</controlfield></record>\n`), 1],
  ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), doc([plain])]), 1],
  [
    'OAI-PMH envelope',
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>' +
        [1, 2, 3].map((n) => `<record><header><identifier>oai:x:${n}</identifier></header><metadata><record xmlns="http://www.loc.gov/MARC21/slim"><leader>${LEADER}</leader><controlfield tag="001">${n}</controlfield></record></metadata></record>`).join('\n') +
        '</ListRecords></OAI-PMH>\n',
    ),
    3,
  ],
  [
    'SRU envelope',
    Buffer.from(
      "<?xml version='1.0'?><zs:searchRetrieveResponse xmlns:zs='http://www.loc.gov/zing/srw/'><zs:records>" +
        [1, 2].map((n) => `<zs:record><zs:recordData><record xmlns='http://www.loc.gov/MARC21/slim'><leader>${LEADER}</leader><controlfield tag='001'>${n}</controlfield></record></zs:recordData></zs:record>`).join('') +
        '</zs:records></zs:searchRetrieveResponse>',
    ),
    2,
  ],
];

/** Records the byte path leaves to the text path: each is read there, as before. */
const leftToText: [string, Buffer][] = [
  ['CDATA', doc([`<record><leader>${LEADER}</leader><controlfield tag="001"><![CDATA[x<y]]></controlfield></record>`, plain])],
  ['PI', doc([`<record><leader>${LEADER}</leader><?pi x?><controlfield tag="001">x</controlfield></record>`, plain])],
  ['CR', doc([`<record><leader>${LEADER}</leader>\r\n<controlfield tag="001">x</controlfield></record>`, plain])],
  ['invalid UTF-8', Buffer.concat([doc([`<record><leader>${LEADER}</leader><controlfield tag="001">x`]).subarray(0, -16), Buffer.from([0xff, 0xc3]), Buffer.from(`</controlfield></record>\n${plain}</collection>\n`)])],
  ['separator characters', doc([`<record><leader>${LEADER}</leader><controlfield tag="001">a\x1fb</controlfield></record>`, `<record><leader>${LEADER}</leader><controlfield tag="001">a&#x1E;b</controlfield></record>`, plain])],
  ['odd attributes', doc([`<record><leader>${LEADER}</leader><datafield tag="24" ind1="12" ind2=""><subfield code="ab">x</subfield><subfield>y</subfield><subfield code=" ">z</subfield></datafield></record>`, plain])],
  ['unknown elements and text', doc([`<record><leader>${LEADER}</leader>stray<foo/><datafield tag="245" ind1=" " ind2=" ">text<subfield code="a">x</subfield></datafield></record>`, plain])],
  ['tag kinds swapped', doc([`<record><leader>${LEADER}</leader><controlfield tag="245">x</controlfield><datafield tag="001" ind1=" " ind2=" "><subfield code="a">x</subfield></datafield><controlfield tag="FMT">BK</controlfield></record>`, plain])],
  ['leaders', doc([`<record><leader>short</leader></record>`, `<record><controlfield tag="001">x</controlfield></record>`, `<record><leader>${LEADER}</leader><leader>${LEADER}</leader><controlfield tag="001">x</controlfield></record>`, `<record><leader>${LEADER}</leader></record>`, plain])],
  ['DOCTYPE', Buffer.from(`<?xml version="1.0"?><!DOCTYPE collection [<!ENTITY e "x">]><collection>${plain}</collection>`)],
  ['unterminated', doc([plain, `<record><leader>${LEADER}</leader><controlfield tag="001">x</controlfield>`], undefined, '')],
  ['mismatched end tag', doc([`<record><leader>${LEADER}</leader><controlfield tag="001">x</controlfeld></record>`, plain])],
  ['entity errors', doc([`<record><leader>${LEADER}</leader><controlfield tag="001">&bogus; &#0; &#xD800;</controlfield></record>`, plain])],
  ['errors after byte records: positions counted across them', doc([`<record><leader>${LEADER}</leader><controlfield tag="001">𝔘é東</controlfield><datafield tag="245" ind1=" " ind2=" "><subfield code="a">𝔘nicode &#x1F600; é</subfield></datafield></record><record><leader>${LEADER}</leader><controlfield tag="001">𝔘</controlfield></record><record><leader>${LEADER}</leader><controlfield tag="001">x</controlfeld></record>`])],
  ['errors after byte records, on later lines', doc([plain, `<record>\n<leader>${LEADER}</leader>\n<controlfield tag="001">Ω\n𝔘</controlfield>\n</record>`, `<record><leader>${LEADER}</leader>\n<controlfield tag="001">x</controlfield><bad attr=x/></record>`])],
  ['a large field', doc([`<record><leader>${LEADER}</leader><controlfield tag="001">${'x'.repeat(12000)}</controlfield></record>`, plain])],
];

test('tricky inputs read on the byte path, the same as on the text path, in any chunking', () => {
  for (const [label, input, expected] of tricky) {
    const viaBytes = same(input, [input.length + 1, 1, 2, 3, 7, 64], label);
    assert.equal(viaBytes, expected, `${label}: records on the byte path`);
    const whole = run(input, input.length + 1, {});
    assert.equal(whole.records, expected, label);
    for (const chunk of [1, 5, 13]) assert.equal(run(input, chunk, {}).out, whole.out, `${label} chunk=${chunk}`);
  }
});

test('inputs the byte path leaves to the text path read as before, errors and positions included', () => {
  for (const [label, input] of leftToText) same(input, [input.length + 1, 1, 7, 50], label);
  // Larger than ISO 2709 can hold (99,999 bytes), in many small chunks.
  const fields = Array.from({ length: 30 }, (_, n) => `<datafield tag="5${String(n).padStart(2, '0')}" ind1=" " ind2=" "><subfield code="a">${'é'.repeat(2000)}</subfield></datafield>`);
  const large = doc([plain, `<record><leader>${LEADER}</leader>${fields.join('\n')}</record>`, plain]);
  assert.equal(same(large, [large.length + 1, 997, 4096], 'a record too large for ISO 2709', {}, ['strict']), 2);
});

test('limits: maxDepth, maxRecordSize, maxFields, maxSubfields behave as on the text path', () => {
  const input = tricky[0]?.[1] as Buffer;
  for (const maxDepth of [1, 2, 3, 4]) same(input, [input.length + 1, 7], `maxDepth=${maxDepth}`, { maxDepth });
  for (const maxRecordSize of [10, 150, 200, 1000]) same(input, [input.length + 1, 7, 300], `maxRecordSize=${maxRecordSize}`, { maxRecordSize });
  for (const maxFields of [0, 1, 2]) same(input, [input.length + 1], `maxFields=${maxFields}`, { maxFields });
  for (const maxSubfields of [0, 1]) same(input, [input.length + 1], `maxSubfields=${maxSubfields}`, { maxSubfields });
});

test('records from the byte path are lazy ISO 2709 records that read like the text path', () => {
  const input = tricky[2]?.[1] as Buffer;
  const [result] = new MarcXmlParser().push(input);
  const record = result?.record;
  assert.ok(record !== null && record !== undefined);
  assert.ok(record.origin !== null);
  assert.equal(record.origin.encoding, 'utf-8');
  assert.equal(record.get('245')?.isDataField() && record.get('245')?.value(), 'Ла́дога 東京 𝔘nicode ñ Ω');
  assert.equal(record.getControlField('001')?.data, 'é€𝔘');
  // The raw bytes of the result are the XML as read; the record's own are ISO 2709.
  assert.ok(Buffer.from(result?.raw ?? []).toString('utf8').startsWith('<record><leader>'));
  assert.equal(record.raw?.[record.raw.length - 1], 0x1d);
});

test("tokenizer: 'text' turns the byte path off; string input never takes it", () => {
  const input = tricky[0]?.[1] as Buffer;
  const records = (chunk: Buffer | string, options: MarcXmlReadOptions): (string | null)[] => {
    const parser = new MarcXmlParser(options);
    return [...parser.push(chunk), ...parser.end()].map((r) => (r.record?.origin === null ? 'text' : 'bytes'));
  };
  assert.deepEqual(records(input, {}), ['bytes', 'bytes']);
  assert.deepEqual(records(input, { tokenizer: 'text' }), ['text', 'text']);
  assert.deepEqual(records(input, { tokenizer: 'saxes' }), ['text', 'text']);
  assert.deepEqual(records(input.toString('utf8'), {}), ['text', 'text']);
});

test('records past the first buffers: large records, many records', () => {
  const fields = Array.from({ length: 25 }, (_, n) => `<datafield tag="5${String(n).padStart(2, '0')}" ind1=" " ind2=" "><subfield code="a">${'Ω'.repeat(1500)}</subfield><subfield code="b">a &amp; b</subfield></datafield>`);
  const large = doc([plain, `<record><leader>${LEADER}</leader>${fields.join('\n')}</record>`, plain]);
  assert.equal(same(large, [large.length + 1, 4096, 65536], 'large records', {}, ['strict']), 3);
  const many = doc(Array.from({ length: 1500 }, (_, n) => plain.replace('id1', `id${n}`)));
  assert.equal(same(many, [many.length + 1, 4096, 65536], 'many records', {}, ['strict']), 1500);
});
