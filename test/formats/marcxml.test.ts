import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers.js';
import { MarcXmlParser, parseMarcXml, readMarcXml, readMarcXmlResults } from '../../src/formats/marcxml/reader.js';
import { MarcXmlWriter, toMarcXml } from '../../src/formats/marcxml/writer.js';
import { readMarcJson } from '../../src/formats/marcjson/reader.js';
import { readRecordsSync } from '../../src/io/sync.js';
import { ControlField, DataField } from '../../src/record/field.js';
import { Record } from '../../src/record/record.js';
import type { ReadResult } from '../../src/iso2709/reader.js';

const yaz = (name: string): Buffer => fixture('formats/yaz/' + name);
/** A record's content for comparison: leader positions a conversion may change are left out. */
const canon = (r: Record): string => JSON.stringify({ ...r.toJSON(), leader: r.leader.value.slice(5, 9) + r.leader.value.slice(10, 12) + r.leader.value.slice(17) });

test('yaz marc0–marc11: the .xml and .json outputs read to the same records', () => {
  for (let n = 0; n <= 11; n++) {
    // marc1 and marc2 are DanMARC, with a third indicator (below): lenient, so it is kept.
    const options = n === 1 || n === 2 ? { mode: 'lenient' as const } : {};
    const xml = [...readMarcXml(yaz(`marc${n}.xml`), options)].map(canon);
    const json = [...readMarcJson(yaz(`marc${n}.json`), options)].map(canon);
    assert.equal(xml.length, 1, `marc${n}`);
    assert.deepEqual(xml, json, `marc${n}`);
  }
});

test('a third indicator (DanMARC, as yaz-marcdump writes it) is reported and kept as text before the first subfield, as its ISO 2709 record reads', () => {
  const [fromXml] = [...readMarcXml(yaz('marc1.xml'), { mode: 'lenient' })];
  const [fromJson] = [...readMarcJson(yaz('marc1.json'), { mode: 'lenient' })];
  const [fromIso] = [...readRecordsSync(yaz('marc1.marc'), { mode: 'lenient' })];
  for (const record of [fromXml, fromJson]) {
    const field = record?.get('245') as DataField;
    assert.deepEqual([field.ind1, field.ind2, field.subfields[0]], ['0', '0', { code: '', value: '0' }]);
    assert.ok(record?.errors.some((e) => e.code === 'E106' && e.tag === '245' && /ind3 "0"/.test(e.message)));
  }
  // The same data fields as the ISO 2709 record (whose 00X it reads as control fields), in shape:
  // the texts differ where yaz read the file in another character set.
  const dataFields = (r: Record | undefined) => r?.fields.filter((f): f is DataField => f.isDataField() && !f.tag.startsWith('00')).map((f) => `${f.tag}${f.ind1}${f.ind2}${f.subfields[0]?.value}:${f.subfields.map((sf) => sf.code).join()}`);
  assert.deepEqual(dataFields(fromXml), dataFields(fromIso));
  assert.throws(() => [...readMarcXml(yaz('marc1.xml'))], { code: 'E106' });
  // Other keys MARC-in-JSON does not have are reported, not passed over.
  const odd = '{"leader":"00000nam a2200000   4500","fields":[{"245":{"ind1":"1","ind2":"0","note":"x","subfields":[{"a":"T"}]}}]}';
  const [read] = [...readMarcJson(odd, { mode: 'lenient' })];
  assert.deepEqual(read?.errors.map((e) => [e.code, e.tag]), [['E402', '245']]);
  assert.match(read?.errors[0]?.message ?? '', /"note"/);
  // An ind5 after a missing ind4 is not read as an indicator, and is reported, not passed over.
  const gap = '{"leader":"00000nam a2200000   4500","fields":[{"245":{"ind1":"1","ind2":"0","ind3":"x","ind5":"y","subfields":[{"a":"T"}]}}]}';
  const [gapped] = [...readMarcJson(gap, { mode: 'lenient' })];
  assert.deepEqual((gapped?.get('245') as DataField).subfields[0], { code: '', value: 'x' });
  assert.deepEqual(gapped?.errors.map((e) => e.code), ['E106', 'E402']);
  assert.match(gapped?.errors[1]?.message ?? '', /"ind5"/);
});

test('yaz marc6–marc9 (MARC-8): ISO 2709 → our MARCXML equals yaz-marcdump -o marcxml, canonically', () => {
  // marc0–5 and marc10–11 are read differently by the ISO 2709 reader (DanMARC's three
  // indicators, yaz's repairs of broken fields), which is not a question of this format.
  for (const n of [6, 7, 8, 9]) {
    const ours = [...readRecordsSync(yaz(`marc${n}.marc`), { mode: 'lenient', encoding: 'marc-8' })].map((r) => canon(parseMarcXml(toMarcXml(r))));
    const theirs = [...readMarcXml(yaz(`marc${n}.xml`))].map(canon);
    assert.deepEqual(ours.map((s) => s.normalize('NFC')), theirs.map((s) => s.normalize('NFC')), `marc${n}`);
  }
});

test('pymarc batch.xml → batch.json, and its assertions', () => {
  const xml = [...readMarcXml(fixture('formats/pymarc/batch.xml'))];
  const json = [...readMarcJson(fixture('formats/pymarc/batch.json'))];
  assert.equal(xml.length, 2);
  assert.deepEqual(xml.map((r) => r.toJSON()), json.map((r) => r.toJSON()));
  const first = xml[0] as Record;
  assert.equal(first.fields.length, 18);
  assert.equal(first.getControlField('008')?.data, '910926s1957    nyuuun              eng  ');
  const f245 = first.getDataField('245') as DataField;
  assert.deepEqual([f245.ind1, f245.ind2, f245.get('a'), f245.get('h')], ['0', '4', 'The Great Ray Charles', '[sound recording].']);
});

test('marc4js collection: .xml and .json agree; prefixed namespace, comments, schemaLocation', () => {
  const xml = [...readMarcXml(fixture('formats/marc4js/collection.xml'))];
  const json = [...readMarcJson(fixture('formats/marc4js/collection.json'))];
  assert.equal(xml.length, 2);
  assert.deepEqual(xml.map((r) => r.toJSON()), json.map((r) => r.toJSON()));
  assert.equal(xml[1]?.leader.value, '01832cmma 2200349 a 4500');
  assert.equal([...readMarcXml(fixture('formats/loc_collection.marcxml'))].length, 2);
});

test('mrrc MARCXML error fixtures raise E401', () => {
  for (const name of ['e401_bad_char_reference.xml', 'e401_malformed_marcxml.xml', 'e401_no_record_element.xml', 'e401_unexpected_eof_in_subfield.xml']) {
    for (const mode of ['strict', 'lenient'] as const) {
      assert.throws(() => [...readMarcXml(fixture('formats/mrrc-errors/' + name), { mode })], { code: 'E401' }, `${name} ${mode}`);
    }
    const skipped: ReadResult[] = [];
    const results = [...readMarcXmlResults(fixture('formats/mrrc-errors/' + name), { mode: 'permissive', onError: (s) => skipped.push(s as unknown as ReadResult) })];
    assert.ok(results.some((r) => r.record === null && r.errors[0]?.code === 'E401'), name);
    assert.equal(skipped.length, results.filter((r) => r.record === null).length);
  }
});

const REC = (body: string, leader = '00000nam a2200000   4500'): string => `<leader>${leader}</leader>${body}`;
const ONE = REC('<controlfield tag="001">id1</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Title</subfield></datafield>');

test('accepts what real servers send', () => {
  const shapes: [string, string][] = [
    ['default namespace collection', `<?xml version="1.0"?><collection xmlns="http://www.loc.gov/MARC21/slim"><record>${ONE}</record></collection>`],
    ['any prefix', `<m:record xmlns:m="http://www.loc.gov/MARC21/slim"><m:leader>00000nam a2200000   4500</m:leader><m:controlfield tag="001">id1</m:controlfield><m:datafield ind2="0" tag="245" ind1="1"><m:subfield code="a">Title</m:subfield></m:datafield></m:record>`],
    ['no namespace, no prolog', `<record>${ONE}</record>`],
    ['BOM', `\ufeff<?xml version="1.0" encoding="UTF-8"?><record>${ONE}</record>`],
    ['comments and whitespace', `<!-- hi -->\n<collection>\n  <!-- c -->\n  <record>\n    ${ONE}\n  </record>\n</collection>\n`],
    ['OAI-PMH', `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><header><identifier>oai:x:1</identifier></header><metadata><marc:record xmlns:marc="http://www.loc.gov/MARC21/slim"><marc:leader>00000nam a2200000   4500</marc:leader><marc:controlfield tag="001">id1</marc:controlfield><marc:datafield tag="245" ind1="1" ind2="0"><marc:subfield code="a">Title</marc:subfield></marc:datafield></marc:record></metadata></record></ListRecords></OAI-PMH>`],
    ['SRU', `<zs:searchRetrieveResponse xmlns:zs="http://www.loc.gov/zing/srw/"><zs:records><zs:record><zs:recordSchema>marcxml</zs:recordSchema><zs:recordData><record xmlns="http://www.loc.gov/MARC21/slim">${ONE}</record></zs:recordData></zs:record></zs:records></zs:searchRetrieveResponse>`],
    ['unknown envelope without namespaces', `<response><record><meta>x</meta><record>${ONE}</record></record></response>`],
    ['CDATA and entities', `<record>${REC('<controlfield tag="001">id1</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="a"><![CDATA[Ti]]>t&#108;e</subfield></datafield>')}</record>`],
  ];
  for (const [name, xml] of shapes) {
    const records = [...readMarcXml(xml)];
    assert.equal(records.length, 1, name);
    assert.equal(records[0]?.getValue('245', 'a'), 'Title', name);
    assert.equal(records[0]?.getValue('001'), 'id1', name);
    assert.deepEqual(records[0]?.errors, [], name);
  }
  // Leaders with blank length digits are normal; a leader of the wrong length is repaired.
  assert.equal(parseMarcXml(`<record>${REC('', '     nam a22     4i 4500')}</record>`).leader.value, '     nam a22     4i 4500');
  assert.throws(() => parseMarcXml(`<record>${REC('', '00000nam a22')}</record>`), { code: 'E002' });
  const short = parseMarcXml(`<record>${REC('', '00000nam a22')}</record>`, { mode: 'lenient' });
  assert.equal(short.leader.value, '00000nam a22            ');
  assert.equal(short.errors[0]?.code, 'E002');
  // Several documents one after another (some exporters write one per record).
  assert.equal([...readMarcXml(`<?xml version="1.0"?><record>${ONE}</record>\n<?xml version="1.0"?><record>${ONE}</record>\n`)].length, 2);
});

test('any chunking gives the same records, down to one byte at a time', () => {
  const bytes = fixture('formats/marc4js/collection.xml');
  const whole = [...readMarcXml(bytes)].map((r) => r.toJSON());
  for (const size of [1, 7, 64, 1000]) {
    const parser = new MarcXmlParser();
    const out: ReadResult[] = [];
    for (let at = 0; at < bytes.length; at += size) out.push(...parser.push(bytes.subarray(at, at + size)));
    out.push(...parser.end());
    assert.deepEqual(out.map((r) => r.record?.toJSON()), whole, `chunks of ${size}`);
    assert.equal(out[1]?.recordIndex, 1);
  }
});

test('comments among a record element\'s children are kept as record.xmlComments, on every path', () => {
  const L = '00000nam a2200000   4500';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- before the collection -->
<collection xmlns="http://www.loc.gov/MARC21/slim">
  <!-- between records: not kept -->
  <record>
    <!-- before the leader, é -->
    <leader>${L}</leader>
    <!--after the leader-->
    <controlfield tag="001">1</controlfield>
    <datafield tag="245" ind1="0" ind2="0">
      <!-- inside a field: not kept -->
      <subfield code="a">Title</subfield>
    </datafield>
    <!-- - between fields - -->
    <datafield tag="700" ind1="1" ind2=" "><subfield code="a">Name</subfield></datafield>
    <!---->
  </record>
  <record><leader>${L}</leader><controlfield tag="001">2</controlfield></record>
  <marc:record xmlns:marc="http://www.loc.gov/MARC21/slim"><marc:leader>${L}</marc:leader><marc:controlfield tag="001">3</marc:controlfield><!--\u{1F600}--></marc:record>
  <record><leader>${L}</leader><controlfield tag="001">4</controlfield><datafield tag="245" ind1="0" ind2="0"><subfield code="a">T<!-- in text -->itle</subfield></datafield></record>
</collection>
`;
  const expected = [
    [
      { before: 0, text: ' before the leader, é ' },
      { before: 0, text: 'after the leader' },
      { before: 2, text: ' - between fields - ' },
      { before: 3, text: '' },
    ],
    undefined,
    [{ before: 1, text: '\u{1F600}' }],
    undefined,
  ];
  const bytes = Buffer.from(xml);
  for (const tokenizer of ['fast', 'text', 'saxes'] as const) {
    for (const size of [1, 3, 7, 64, bytes.length]) {
      for (const input of ['bytes', 'string'] as const) {
        const label = `${tokenizer} ${input} in chunks of ${size}`;
        const parser = new MarcXmlParser({ tokenizer });
        const out: ReadResult[] = [];
        if (input === 'bytes') for (let at = 0; at < bytes.length; at += size) out.push(...parser.push(bytes.subarray(at, at + size)));
        else for (let at = 0; at < xml.length; at += size) out.push(...parser.push(xml.slice(at, at + size)));
        out.push(...parser.end());
        const records = out.map((r) => r.record as Record);
        assert.equal(records.length, 4, label);
        assert.deepEqual(records.map((r) => r.xmlComments), expected, label);
        // Records without comments carry no property at all.
        assert.ok(!Object.hasOwn(records[1] as Record, 'xmlComments'), label);
        assert.ok(!Object.hasOwn(records[3] as Record, 'xmlComments'), label);
        assert.equal(records[3]?.getControlField('001')?.data, '4', label);
        if (tokenizer === 'fast' && input === 'bytes') {
          // The first three take the byte path (ISO 2709-backed); the last, with a comment in text, does not.
          assert.deepEqual(records.map((r) => r.origin !== null), [true, true, true, false], label);
        }
      }
    }
  }
  // A document without comments: no record has the property.
  for (const tokenizer of ['fast', 'text', 'saxes'] as const) {
    for (const record of readMarcXml(fixture('formats/pymarc/batch.xml'), { tokenizer })) assert.ok(!('xmlComments' in record), tokenizer);
  }
  // Convenience readers keep them too, and after a handover to saxes (CDATA in a later record).
  const handed = [...readMarcXml(`<collection>${`<record><!--c--><leader>${L}</leader><controlfield tag="001"><![CDATA[x]]></controlfield><!--d--></record>`}</collection>`)];
  assert.deepEqual(handed[0]?.xmlComments, [{ before: 0, text: 'c' }, { before: 1, text: 'd' }]);
});

test('hostile input is refused with a clear error', () => {
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><record><leader>&lol2;</leader></record>`;
  assert.throws(() => [...readMarcXml(laughs, { mode: 'permissive' })], /DOCTYPE/);
  const external = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><record><leader>&x;</leader></record>`;
  assert.throws(() => [...readMarcXml(external)], { code: 'E401' });
  assert.throws(() => [...readMarcXml(`<record><leader>&x;</leader></record>`)], { code: 'E401' });
  const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
  assert.throws(() => [...readMarcXml(deep)], { code: 'E008' });
  assert.throws(() => [...readMarcXml(`<record><leader>${'x'.repeat(5000)}</leader></record>`, { maxRecordSize: 1000 })], { code: 'E008' });
  assert.throws(() => [...readMarcXml(`<collection>${'y'.repeat(5000)}`, { maxRecordSize: 1000 })], { code: 'E008' });
});

test('bad records follow the modes: strict throws, lenient repairs, permissive skips', () => {
  const bad = `<collection><record>${REC('<controlfield>x</controlfield><datafield tag="245" ind2="0"><subfield>T</subfield><subfield code="b">U</subfield></datafield><foo>bar</foo>')}</record><record>${ONE}</record></collection>`;
  assert.throws(() => [...readMarcXml(bad)], { code: 'E106' });
  const lenient = [...readMarcXml(bad, { mode: 'lenient' })];
  assert.equal(lenient.length, 2);
  assert.deepEqual(lenient[0]?.errors.map((e) => e.code), ['E106', 'E201', 'E202', 'E401']);
  assert.ok(lenient[0]?.errors.every((e) => e.severity === 'warning' && e.recordIndex === 0));
  assert.deepEqual((lenient[0]?.fields[1] as DataField).subfields, [{ code: '', value: 'T' }, { code: 'b', value: 'U' }]);
  // A record that is not well-formed XML: permissive skips it with its text, and goes on.
  const broken = `<collection><record>${REC('<datafield tag="245" ind1="1" ind2="0"><subfield code="a">T</WRONG></datafield>')}</record><record>${ONE}</record></collection>`;
  assert.throws(() => [...readMarcXml(broken, { mode: 'lenient' })], { code: 'E401' });
  const results = [...readMarcXmlResults(broken, { mode: 'permissive' })];
  assert.equal(results[0]?.record, null);
  assert.equal(results[0]?.errors[0]?.code, 'E401');
  assert.match(new TextDecoder().decode(results[0]?.raw), /^<record><leader>/);
  assert.equal(results.filter((r) => r.record !== null).length, 1);
});

test('writer: escaping, XML-invalid characters, CR, indentation, prefix, streaming', () => {
  const record = new Record({
    leader: '00000nam a2200000   4500',
    fields: [new ControlField('001', 'a<b>&"c"'), new DataField('245', '1', '"', [{ code: '&', value: 'x\r\ny\tz <&> \u001b end \ud83d\ude00' }])],
  });
  const xml = toMarcXml(record);
  assert.match(xml, /<controlfield tag="001">a&lt;b&gt;&amp;"c"<\/controlfield>/);
  assert.match(xml, /ind2="&quot;"/);
  assert.ok(!xml.includes('\u001b'));
  const back = parseMarcXml(xml);
  assert.equal((back.fields[1] as DataField).subfields[0]?.value, 'x\r\ny\tz <&> \ufffd end \ud83d\ude00');
  assert.equal((back.fields[1] as DataField).subfields[0]?.code, '&');
  assert.equal(back.getValue('001'), 'a<b>&"c"');
  assert.throws(() => toMarcXml(record, { invalidChars: 'error' }), { code: 'E304' });
  assert.ok(!toMarcXml(record, { invalidChars: 'strip' }).includes('\ufffd'));
  // onInvalidChar hears of every character replaced or stripped, on the string and byte paths.
  for (const invalidChars of ['replace', 'strip'] as const) {
    for (const bytePath of [true, false]) {
      const heard: number[] = [];
      toMarcXml(record, { invalidChars, bytePath, onInvalidChar: (c) => heard.push(c) });
      assert.ok(heard.length > 0 && heard.every((c) => c < 0x20 || c >= 0xd800), `${invalidChars} ${String(bytePath)}: ${heard.join(',')}`);
    }
  }
  const pretty = toMarcXml([record, record], { indent: 2, prefix: 'marc' });
  assert.match(pretty, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<marc:collection xmlns:marc="http:\/\/www.loc.gov\/MARC21\/slim">\n {2}<marc:record>\n {4}<marc:leader>/);
  assert.equal([...readMarcXml(pretty)].length, 2);
  const writer = new MarcXmlWriter();
  const streamed = writer.begin() + writer.write(record) + writer.write(record) + writer.end();
  assert.equal(streamed, toMarcXml([record, record]));
  assert.equal(toMarcXml([]), '<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim"></collection>\n');
});

test('an empty MARC collection (what writing no records gives) reads as no records, with every tokenizer; a collection of other elements is still E401', () => {
  const empty = toMarcXml([]);
  for (const xml of [empty, '<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim"/>', '<collection xmlns="http://www.loc.gov/MARC21/slim">\n  <!-- no hits -->\n</collection>']) {
    for (const tokenizer of ['fast', 'text', 'saxes'] as const) {
      for (const input of [xml, new TextEncoder().encode(xml)]) assert.deepEqual([...readMarcXml(input, { tokenizer })], [], `${tokenizer} ${xml}`);
    }
  }
  for (const xml of ['<collection xmlns="http://www.loc.gov/MARC21/slim"><notarecord/></collection>', '<collection/>', '<html><body/></html>']) {
    for (const tokenizer of ['fast', 'text', 'saxes'] as const) assert.throws(() => [...readMarcXml(xml, { tokenizer })], { code: 'E401' }, `${tokenizer} ${xml}`);
  }
});

test('permissive: a broken stretch of XML is one skipped result saying how many errors it held, not one result per error', () => {
  // A mutated LC sample: an unquoted version, then a comment opener broken by a byte, after which
  // saxes reports an error for nearly every character (16,221 in 16 KB).
  const bytes = fixture('formats/marcxml-broken-stretch.xml');
  for (const tokenizer of ['fast', 'saxes'] as const) {
    const results = [...readMarcXmlResults(bytes, { mode: 'permissive', tokenizer })];
    assert.equal(results.length, 1, tokenizer);
    const [only] = results;
    assert.equal(only?.record, null);
    assert.equal(only?.raw.length, bytes.length, 'the stretch stands for every byte');
    assert.match(only?.errors[0]?.detail ?? '', /^malformed XML: value must be quoted\. \(and \d{4,} more XML errors in the same stretch\)$/);
  }
  // The default error budget (maxErrors 10,000) is not spent on it.
  assert.equal([...readMarcXmlResults(bytes, { mode: 'permissive' })].length, 1);
});
