import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers.js';
import { readRecordsSync } from '../../src/io/sync.js';
import { Record } from '../../src/record/record.js';
import { ControlField, DataField } from '../../src/record/field.js';
import { readMarcJson, readMarcJsonResults, parseMarcJson, MarcJsonParser } from '../../src/formats/marcjson/reader.js';
import { toMarcJson } from '../../src/formats/marcjson/writer.js';
import { readMrk, toMrk } from '../../src/formats/mrk/index.js';
import { readText, toText } from '../../src/formats/text/index.js';
import { toCsv } from '../../src/formats/csv/index.js';
import { detectFormat, readFormatSync, readFormat, writeFormat, writeFormatSync } from '../../src/formats/index.js';

const text = (path: string): string => fixture(path).toString('utf8');

test('pymarc one.dat → one.json (canonical JSON equality) and back', () => {
  const [record] = [...readRecordsSync(fixture('formats/pymarc/one.dat'))];
  assert.ok(record);
  assert.deepEqual(JSON.parse(toMarcJson(record, { indent: 2 })), JSON.parse(text('formats/pymarc/one.json')));
  assert.equal(toMarcJson(record, { indent: 2 }), JSON.stringify(JSON.parse(text('formats/pymarc/one.json')), null, 2));
  const back = parseMarcJson(text('formats/pymarc/one.json'));
  assert.deepEqual(back.toMarc(), record.toMarc());
});

test('MARC-in-JSON: document, array, lines and concatenated objects, in any chunking', () => {
  const records = [...readMarcJson(fixture('formats/pymarc/batch.json'))];
  assert.equal(records.length, 2);
  const want = records.map((r) => r.toJSON());
  for (const layout of ['lines', 'array', 'concatenated'] as const) {
    for (const indent of [undefined, 2]) {
      const out = toMarcJson(records, { layout, indent });
      assert.deepEqual([...readMarcJson(out)].map((r) => r.toJSON()), want, `${layout} ${indent}`);
      for (const size of [1, 13]) {
        const parser = new MarcJsonParser();
        const got = [];
        for (let at = 0; at < out.length; at += size) got.push(...parser.push(out.slice(at, at + size)));
        got.push(...parser.end());
        assert.deepEqual(got.map((r) => r.record?.toJSON()), want, `${layout} ${indent} by ${size}`);
      }
    }
  }
  assert.equal(toMarcJson(records).split('\n').length, 3);
  assert.match(toMarcJson(records, { layout: 'array' }), /^\[\{"leader"/);
  // Strings holding braces, quotes and escapes do not confuse the object scanner.
  const tricky = new Record({ fields: [new DataField('245', ' ', ' ', [{ code: 'a', value: '{"}\\" [x] \\\\' }])] });
  assert.equal([...readMarcJson(toMarcJson([tricky, tricky]))][1]?.getValue('245', 'a'), '{"}\\" [x] \\\\');
  // marc4js's MARC-in-JSON sample and yaz's concatenated output.
  assert.ok([...readMarcJson(fixture('formats/marc4js/marc_in_json.json'))].length >= 1);
});

test('MARC-in-JSON errors: E402 with the modes', () => {
  assert.throws(() => [...readMarcJson(fixture('formats/mrrc-errors/e402_malformed_marcjson.json'))], { code: 'E402' });
  const input = '{"leader":"00000nam a2200000   4500","fields":[{"245":{"ind1":"1","subfields":[{"a":"T"}]}}]}\n{"fields": 3}\n{"leader":"00000nam a2200000   4500","fields":[{"001":"x"}]}\n';
  assert.throws(() => [...readMarcJson(input)], { code: 'E201' });
  assert.throws(() => [...readMarcJson(input, { mode: 'lenient' })], { code: 'E402' });
  const results = [...readMarcJsonResults(input, { mode: 'permissive' })];
  assert.deepEqual(results.map((r) => [r.recordIndex, r.record === null, r.errors[0]?.code]), [[0, false, 'E201'], [1, true, 'E402'], [2, false, undefined]]);
  assert.equal(new TextDecoder().decode(results[1]?.raw), '{"fields": 3}');
});

test('MARCMaker: marc4js collection and PGA_2records .mrk ↔ .txt byte-exact', () => {
  for (const name of ['PGA_2records', 'collection']) {
    const records = [...readMrk(fixture(`formats/marc4js/${name}.mrk`))];
    assert.equal(records.length, 2, name);
    if (name === 'PGA_2records') {
      assert.equal(toMrk(records), text(`formats/marc4js/${name}.mrk`));
      assert.equal(toText(records, { style: 'marc4js' }), text(`formats/marc4js/${name}.txt`));
    }
    // The .txt form reads back to the same records.
    const fromTxt = [...readText(fixture(`formats/marc4js/${name}.txt`))];
    assert.deepEqual(fromTxt.map((r) => r.fields.map((f) => f.tag)), records.map((r) => r.fields.map((f) => f.tag)), name);
  }
  // The collection's .mrk agrees with its .xml and .json (leader/09 aside: marc4js README).
  const mrk = [...readMrk(fixture('formats/marc4js/collection.mrk'))];
  const json = [...readMarcJson(fixture('formats/marc4js/collection.json'))];
  assert.deepEqual(mrk.map((r) => r.toJSON().fields), json.map((r) => r.toJSON().fields));
  assert.equal(mrk[1]?.leader.value, '01832cmmaa2200349 a 4500');
  // PGA_2records.mrc: same fields as the .mrk (its leader lengths are off by one, so lenient).
  const iso = [...readRecordsSync(fixture('formats/marc4js/PGA_2records.mrc'), { mode: 'lenient' })];
  assert.deepEqual(iso[0]?.fields.map((f) => f.toString()), [...readMrk(fixture('formats/marc4js/PGA_2records.mrk'))][0]?.fields.map((f) => f.toString()));
});

test('MARCMaker mnemonics: {dollar}, {eacute}, combining marks, MARC-8 mnemonic form', () => {
  const utf8 = '=LDR  00000nam a2200000 a 4500\n=245  10$aCost {dollar}5 {lcub}x{rcub} caf{eacute} caf{acute}e {acute}e {copy} \\ {bsol}$bé\n';
  const [r] = [...readMrk(utf8)];
  assert.equal(r?.getValue('245', 'a'), 'Cost $5 {x} café café é © \\ \\');
  assert.equal(r?.getValue('245', 'b'), 'é');
  const marc8 = '=LDR  00000nam  2200000   4500\n=008  840112s1962\\\\\\\\pau\n=100  1\\$aSerreau, Genevi{grave}eve.$bCO{esc}b2{esc}s$c{aelig}{1B}(B\n';
  const [m] = [...readMrk(marc8)];
  assert.equal(m?.getValue('100', 'a'), 'Serreau, Geneviève.');
  assert.equal(m?.getValue('100', 'b'), 'CO₂');
  assert.equal(m?.getValue('008'), '840112s1962    pau');
  // Written back in MARC-8 mnemonic form (leader/09 blank), it reads back the same.
  const written = toMrk(m as Record);
  assert.match(written, /Genevi\{grave\}eve/);
  assert.deepEqual([...readMrk(written)][0]?.toJSON(), m?.toJSON());
  // UTF-8 form keeps characters; only syntax characters become mnemonics.
  const rec = new Record({ leader: '00000nam a2200000 a 4500', fields: [new ControlField('001', 'a b'), new DataField('245', ' ', '1', [{ code: 'a', value: 'Ünïcode $ {} \\ \n end' }])] });
  const out = toMrk(rec);
  assert.equal(out, '=LDR  00000nam a2200000 a 4500\n=001  a\\b\n=245  \\1$aÜnïcode {dollar} {lcub}{rcub} {bsol} {0A} end\n');
  assert.deepEqual([...readMrk(out)][0]?.toJSON(), rec.toJSON());
  assert.equal(toMrk(rec, { leaderBlanks: 'backslash' }).split('\n')[0], '=LDR  00000nam\\a2200000\\a\\4500');
  assert.throws(() => [...readMrk('garbage\n')], { code: 'E403' });
  assert.throws(() => [...readMrk('=245  10$aX\n')], { code: 'E002' });
});

test('text dumps: yaz, pymarc, marc4js and natlibfi styles', () => {
  const [record] = [...readRecordsSync(fixture('formats/pymarc/one.dat'))];
  assert.ok(record);
  const yaz = toText(record);
  assert.equal(yaz, record.toString() + '\n');
  assert.match(yaz, /^00755cam {2}22002414a 4500\n001 fol05731351 \n/);
  assert.match(yaz, /\n245 10 \$a ActivePerl with ASP and ADO \/ \$c Tobias Martinsson.\n/);
  const py = toText(record, { style: 'pymarc' });
  assert.match(py, /^=LDR {2}00755cam {2}22002414a 4500\n=001 {2}fol05731351\\\n/);
  assert.match(py, /\n=245 {2}10\$aActivePerl with ASP and ADO \/\$cTobias Martinsson.\n/);
  assert.match(toText(record, { style: 'natlibfi' }), /\n245 10 ‡aActivePerl with ASP and ADO \/‡cTobias Martinsson\.\n/);
});

test('CSV: one row per subfield, or per field; quoting by csv-stringify', () => {
  const record = new Record({ fields: [new ControlField('001', 'id,1'), new DataField('245', '1', '0', [{ code: 'a', value: 'He said "hi"' }, { code: 'c', value: 'line\nbreak' }])] });
  assert.equal(toCsv([record, record]).split('\n')[0], 'record,001,tag,ind1,ind2,code,value');
  assert.equal(toCsv(record), 'record,001,tag,ind1,ind2,code,value\n0,"id,1",001,,,,"id,1"\n0,"id,1",245,1,0,a,"He said ""hi"""\n0,"id,1",245,1,0,c,"line\nbreak"\n');
  assert.equal(toCsv(record, { perField: true, header: false }), '0,"id,1",001,,,"id,1"\n0,"id,1",245,1,0,"$aHe said ""hi""$cline\nbreak"\n');
  assert.match(toCsv([record, record], { header: false }), /\n1,"id,1",245/);
});

test('detectFormat and format: auto', () => {
  assert.equal(detectFormat(fixture('formats/pymarc/one.dat')), 'iso2709');
  assert.equal(detectFormat(fixture('formats/marc4js/collection.xml')), 'marcxml');
  assert.equal(detectFormat(fixture('formats/yaz/marc5.xml')), 'marcxml');
  assert.equal(detectFormat(fixture('formats/pymarc/one.json')), 'marcjson');
  assert.equal(detectFormat(fixture('formats/yaz/marc5.json')), 'marcjson');
  assert.equal(detectFormat(toMarcJson([...readMarcJson(fixture('formats/pymarc/batch.json'))])), 'marcjson');
  assert.equal(detectFormat(fixture('formats/natlibfi/json/from1')), 'plain-json');
  assert.equal(detectFormat(fixture('formats/marc4js/collection.mrk')), 'mrk');
  assert.equal(detectFormat(fixture('formats/marc4js/collection.txt')), 'text');
  assert.equal(detectFormat('\ufeff  <?xml version="1.0"?><OAI-PMH><ListRecords><record><metadata><record xmlns="http://www.loc.gov/MARC21/slim">'), 'marcxml');
  assert.equal(detectFormat('hello'), 'unknown');
  for (const file of ['marc4js/collection.xml', 'marc4js/collection.json', 'marc4js/collection.mrk', 'natlibfi/json/from1']) {
    assert.ok([...readFormatSync(fixture('formats/' + file), { format: 'auto' })].length >= 1, file);
  }
  assert.throws(() => [...readFormatSync(fixture('formats/pymarc/one.dat'), { format: 'auto' })], { code: 'E403' });
});

test('async: any chunk source in, strings out', async () => {
  const bytes = fixture('formats/marc4js/collection.xml');
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += 100) yield bytes.subarray(at, at + 100);
  }
  const records = [];
  for await (const r of readFormat(chunks(), { format: 'auto' })) records.push(r);
  assert.equal(records.length, 2);
  let out = '';
  for await (const s of writeFormat(records, { format: 'marcjson' })) out += s;
  assert.equal(out, writeFormatSync(records, { format: 'marcjson' }));
});

test('the writers are registered with the I/O layer', async () => {
  const { createFormatWriter, formatNames } = await import('../../src/io/formats.js');
  for (const name of ['marcxml', 'marcjson', 'plain-json', 'mrk', 'text', 'csv', 'json', 'xml']) assert.ok(formatNames().includes(name), name);
  const [record] = [...readMarcJson(fixture('formats/pymarc/one.json'))];
  const w = createFormatWriter('marcxml', { indent: 2 });
  const xml = String(w.header?.() ?? '') + String(w.write(record as Record)) + String(w.footer?.() ?? '');
  assert.equal(xml, writeFormatSync([record as Record], { format: 'marcxml', indent: 2 }));
});

test('a leader that is not 24 characters is padded or cut and reported (E002) by every text reader; strict mode throws', async () => {
  const { readMarcXml } = await import('../../src/formats/marcxml/reader.js');
  const { readPlainJson } = await import('../../src/formats/plain-json/index.js');
  const short = '00000nam a2200000';
  const long = '00000nam a2200000   4500XY';
  const inputs = (leader: string): [string, (mode: 'strict' | 'lenient') => Record[]][] => [
    ['text', (mode) => [...readText(`LDR    ${leader}\n245 10 $aTitle\n`, { mode })]],
    ['mrk', (mode) => [...readMrk(`=LDR  ${leader}\n=245  10$aTitle\n`, { mode })]],
    ['marcxml', (mode) => [...readMarcXml(`<record xmlns="http://www.loc.gov/MARC21/slim"><leader>${leader}</leader><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Title</subfield></datafield></record>`, { mode })]],
    ['marc-in-json', (mode) => [...readMarcJson(JSON.stringify({ leader, fields: [{ 245: { ind1: '1', ind2: '0', subfields: [{ a: 'Title' }] } }] }), { mode })]],
    ['plain json', (mode) => [...readPlainJson(JSON.stringify({ leader, fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Title' }] }] }), { mode })]],
  ];
  for (const [leader, repaired] of [[short, short.padEnd(24, ' ')], [long, long.slice(0, 24)]] as const) {
    for (const [name, read] of inputs(leader)) {
      const [record] = read('lenient');
      assert.equal(record?.leader.value, repaired, name);
      assert.ok(record?.errors.some((e) => e.code === 'E002' && /not 24/.test(e.message)), `${name}: ${record?.errors.map((e) => e.message).join('; ')}`);
      assert.equal(record?.title, 'Title', name);
      assert.throws(() => read('strict'), { code: 'E002' }, name);
    }
  }
});
