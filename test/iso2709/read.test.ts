import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecordsSync, readResultsSync, parseRecord, MarcError, type DataField } from '../../src/index.js';
import { Readable } from 'node:stream';
import { fixture, fixturePath } from '../helpers.js';

test('pymarc test.dat: 10 records, first 245$a', () => {
  const records = [...readRecordsSync(fixture('pymarc/test.dat'))];
  assert.equal(records.length, 10);
  assert.equal(records[0]?.getValue('245', 'a'), 'ActivePerl with ASP and ADO /');
});

test('reads from a path the same records as from a buffer', () => {
  const fromPath = [...readRecordsSync(fixturePath('pymarc/test.dat'))].map((r) => r.toJSON());
  const fromBuffer = [...readRecordsSync(fixture('pymarc/test.dat'))].map((r) => r.toJSON());
  assert.deepEqual(fromPath, fromBuffer);
});

test('ruby-marc one.dat: leader, 18 fields, 245 as text', () => {
  const [record] = [...readRecordsSync(fixture('pymarc/one.dat'))];
  assert.ok(record);
  assert.equal(record.leader.value, '00755cam  22002414a 4500');
  assert.equal(record.fields.length, 18);
  const f245 = record.get('245') as DataField;
  assert.equal(f245.dumpLine(), '245 10 $a ActivePerl with ASP and ADO / $c Tobias Martinsson.');
  assert.equal(f245.toString(), '=245  10$aActivePerl with ASP and ADO /$cTobias Martinsson.');
});

test('pymarc bad_subfield_code.dat and bad_indicator.dat still give their 245$a (lenient)', () => {
  const [a] = [...readRecordsSync(fixture('pymarc/bad_subfield_code.dat'), { mode: 'lenient' })];
  assert.equal(a?.getValue('245', 'a'), 'ActivePerl with ASP and ADO /');
  assert.ok(a?.errors.some((e) => e.code === 'E202' && e.tag === '245'), 'the repaired code is reported');
  const [b] = [...readRecordsSync(fixture('pymarc/bad_indicator.dat'), { mode: 'lenient' })];
  assert.equal(b?.getValue('245', 'a'), 'Aristocrats of color :');
});

test('pymarc regression45.dat: 752 subfields (a stray byte before the first delimiter is reported)', () => {
  assert.throws(() => [...readRecordsSync(fixture('pymarc/regression45.dat'))], (e: unknown) => e instanceof MarcError && e.code === 'E106' && e.tag === '752');
  const records = [...readRecordsSync(fixture('pymarc/regression45.dat'), { mode: 'lenient' })];
  assert.equal(records.length, 12);
  const f752 = records[0]?.get('752') as DataField;
  assert.equal(f752.get('a'), 'Russian Federation');
  assert.equal(f752.get('b'), 'Kostroma Oblast');
  assert.equal(f752.get('d'), 'Kostroma');
  assert.deepEqual(f752.subfields[0], { code: '', value: '\\' }, 'the stray byte is kept, not dropped');
});

test('pymarc 1251.dat with encoding windows-1251', () => {
  const records = [...readRecordsSync(fixture('pymarc/1251.dat'), { encoding: 'windows-1251' })];
  assert.equal(records[0]?.getValue('245', 'a'), 'Основы гидравлического расчета инженерных сетей');
  assert.equal(records[1]?.getValue('245', 'a')?.startsWith('Психологический тренинг с подростками'), true);
});

test('ruby-marc cp866: read as ibm866, lengths counted in characters are repaired (lenient)', () => {
  const [record] = [...readRecordsSync(fixture('ruby-marc/cp866_unimarc.marc'), { encoding: 'ibm866', mode: 'lenient' })];
  assert.ok(record);
  assert.equal(record.get('001')?.value().charAt(0), '\u041d');
  assert.ok(record.errors.length > 0, 'the repairs are listed');
  assert.throws(() => [...readRecordsSync(fixture('ruby-marc/cp866_unimarc.marc'), { encoding: 'ibm866' })], MarcError);
});

test('alphabetic tags: ruby-marc non-numeric.dat', () => {
  const [record] = [...readRecordsSync(fixture('ruby-marc/non-numeric.dat'))];
  assert.equal(record?.getValue('ISB', 'a'), '9780061317842');
  assert.equal(record?.getValue('LOC', '9'), '1');
});

test('field order is the record order, never regrouped', () => {
  const [record] = [...readRecordsSync(fixture('ruby-marc/random_tag_order.dat'))];
  assert.ok(record);
  const tags = record.fields.map((f) => f.tag);
  assert.deepEqual([...tags].sort(), ['001', '005', '007', '008', '010', '028', '035', '040', '050', '245', '260', '300', '500', '505', '511', '650', '700', '906', '953', '991']);
  assert.notDeepEqual(tags, [...tags].sort(), 'the fixture is out of tag order and stays so');
  const again = parseRecord(record.toMarc());
  assert.deepEqual(again.fields.map((f) => f.tag), tags);
});

test('marc4js sandburg.mrc: 23 variable fields, 4 of them control fields', () => {
  const [record] = [...readRecordsSync(fixture('marc4js/sandburg.mrc'))];
  assert.ok(record);
  assert.equal(record.fields.length, 23);
  assert.equal(record.fields.filter((f) => f.isControlField()).length, 4);
});

test('marcjs bib-one.mrc leader (as read; decoded, the record says leader/09 a)', () => {
  // UTF-8 text under a blank leader/09: lenient reads it as UTF-8 and says so.
  const [record] = [...readRecordsSync(fixture('marcjs/bib-one.mrc'), { mode: 'lenient' })];
  assert.equal(Buffer.from(record?.raw?.subarray(0, 24) ?? []).toString('latin1'), '00733nam  2200229   4500');
  assert.equal(record?.leader.value, '00733nam a2200229   4500');
  assert.equal(record?.getValue('200', 'a'), 'Ici');
  assert.ok(record?.fields.some((f) => f.value().includes('imprimé')));
  assert.deepEqual(record?.errors.map((e) => e.code), ['E303']);
});

test('strict mode stops at a leader/09 that lies, rather than read UTF-8 as MARC-8', () => {
  // Read as the leader says, this record's "imprimé" came out as "imprim©♭", with no error.
  assert.throws(() => [...readRecordsSync(fixture('marcjs/bib-one.mrc'))], (e: unknown) => e instanceof MarcError && e.code === 'E303' && e.recordIndex === 0 && e.byteOffset === 9 && /encoding: 'utf-8'/.test(e.message));
  const [told] = [...readRecordsSync(fixture('marcjs/bib-one.mrc'), { encoding: 'utf-8' })];
  assert.ok(told?.fields.some((f) => f.value().includes('imprimé')));
});

for (const set of ['authority', 'bibliographic', 'edge_cases']) {
  test(`mrrc-testbed ${set}: the 001 of every record index matches the manifest`, () => {
    const manifest = JSON.parse(fixture(`mrrc-testbed/${set}/manifest.json`).toString('utf8')) as { records: { index: number; control_number: string }[] };
    const records = [...readRecordsSync(fixture(`mrrc-testbed/${set}/sample.mrc`))];
    assert.equal(records.length, manifest.records.length);
    for (const entry of manifest.records) {
      assert.equal(records[entry.index]?.get('001')?.value().trim(), entry.control_number.trim(), `record ${entry.index}`);
    }
  });
}

test('lazy access: get() builds one field and it is the same object later', () => {
  const [record] = [...readRecordsSync(fixture('pymarc/one.dat'))];
  assert.ok(record);
  const f = record.get('245');
  assert.equal(record.fieldCount, 18);
  assert.equal(record.fields.find((x) => x.tag === '245'), f);
});

test('UTF-8 records decode; invalid UTF-8 is E301 in strict, U+FFFD plus an error in lenient', () => {
  const records = [...readRecordsSync(fixture('ruby-marc/utf8_multirecord.marc'))];
  assert.equal(records.length, 2);
  assert.throws(() => [...readRecordsSync(fixture('ruby-marc/utf8_with_bad_bytes.marc'))], (e: unknown) => e instanceof MarcError && e.code === 'E301' && e.recordIndex === 0);
  const [lenient] = [...readRecordsSync(fixture('ruby-marc/utf8_with_bad_bytes.marc'), { mode: 'lenient' })];
  assert.ok(lenient);
  lenient.decodeAll();
  assert.ok(lenient.errors.some((e) => e.code === 'E301'));
  assert.ok(lenient.fields.some((f) => f.value().includes('\ufffd')));
});

test('UTF-8 flagged blank is read as UTF-8 in lenient mode, with a warning', () => {
  const [record] = [...readRecordsSync(fixture('pymarc/utf8_without_leader_flag.dat'), { mode: 'lenient' })];
  assert.ok(record);
  assert.equal(record.getValue('240', 'a')?.normalize('NFC'), 'De la solitude à la communauté.');
  assert.ok(record.errors.some((e) => e.code === 'E303' && e.severity === 'warning'));
});

test('an encoding option overrides leader/09', () => {
  const [record] = [...readRecordsSync(fixture('pymarc/utf8_without_leader_flag.dat'), { encoding: 'utf-8' })];
  assert.equal(record?.getValue('240', 'a')?.normalize('NFC'), 'De la solitude à la communauté.');
  assert.equal(record?.errors.length, 0);
});

test('separators between records (newlines, 0x1A) are skipped', () => {
  const one = fixture('pymarc/one.dat');
  const joined = Buffer.concat([one, Buffer.from('\r\n'), one, Buffer.from([0x1a])]);
  const records = [...readRecordsSync(joined)];
  assert.equal(records.length, 2);
  assert.equal(records[1]?.origin?.recordOffset, one.length + 2);
});

test('a leader length 1-16 bytes too long (Internet Archive) is framed by the terminator', () => {
  const one = Buffer.from(fixture('pymarc/one.dat'));
  const liar = Buffer.from(one);
  liar.write(String(one.length + 7).padStart(5, '0'), 0, 'latin1');
  const input = Buffer.concat([liar, one]);
  const results = [...readResultsSync(input, { mode: 'lenient' })];
  assert.equal(results.length, 2);
  assert.equal(results[0]?.raw.length, one.length);
  assert.deepEqual(results[0]?.errors.map((e) => e.code), ['E001']);
  assert.deepEqual(results[1]?.record?.toJSON().fields, results[0]?.record?.toJSON().fields);
  assert.throws(() => [...readRecordsSync(input)], (e: unknown) => e instanceof MarcError && e.code === 'E001' && e.controlNumber === 'fol05731351 ');
});

test('a lost record terminator is framed by the leader length and reported once (E006); the next record is intact', async () => {
  const one = fixture('pymarc/one.dat');
  const lost = Buffer.from(one);
  lost[lost.length - 1] = 0x20;
  const input = Buffer.concat([lost, one]);
  const results = [...readResultsSync(input, { mode: 'lenient' })];
  assert.equal(results.length, 2);
  assert.deepEqual(results[0]?.errors.map((e) => e.code), ['E006'], 'the scanner and the parser saw one fault');
  assert.match(results[0]?.errors[0]?.message ?? '', /no record terminator at byte 754 where the leader says the record ends/);
  assert.deepEqual(results[1]?.errors, []);
  assert.deepEqual(results[1]?.record?.toJSON(), results[0]?.record?.toJSON());
  const { readRecords } = await import('../../src/index.js');
  const streamed = [];
  for await (const r of readRecords(Readable.from([input.subarray(0, 500), input.subarray(500)]), { mode: 'lenient' })) streamed.push(r.errors.map((e) => e.message));
  assert.deepEqual(streamed, results.map((r) => r.errors.map((e) => e.message)), 'the stream reader reports the same');
  assert.throws(() => [...readRecordsSync(input)], (e: unknown) => e instanceof MarcError && e.code === 'E006' && e.recordIndex === 0);
});

test('bytes between records that are not a record: E009 with their length; permissive reads on', () => {
  const one = fixture('pymarc/one.dat');
  const input = Buffer.concat([one, Buffer.from('GARBAGE LINE\n'), one]);
  assert.throws(() => [...readRecordsSync(input, { mode: 'lenient' })], (e: unknown) => e instanceof MarcError && e.code === 'E009' && /13 bytes that are not a record/.test(e.message) && e.byteOffset === one.length);
  const reported: [string, number, number][] = [];
  const records = [...readRecordsSync(input, { mode: 'permissive', onError: (s) => reported.push([s.error.code, s.recordOffset, s.raw.length]) })];
  assert.equal(records.length, 2);
  assert.deepEqual(reported, [['E009', one.length, 13]]);
});

test('a record over 99,999 bytes with length 99999 or 00000 reads whole', () => {
  const [base] = [...readRecordsSync(fixture('pymarc/one.dat'))];
  assert.ok(base);
  const big = base.clone();
  for (let i = 0; i < 60; i++) big.addField(...base.clone().getFields('5XX', '6XX', '245').map((f) => { const c = f.clone(); return c; }));
  big.getDataField('245')?.setSubfield('a', 'x'.repeat(9000));
  for (let i = 0; i < 12; i++) big.addField(big.getDataField('245')!.clone());
  const bytes = big.toMarc({ oversize: 'truncate-length' });
  assert.ok(bytes.length > 99999);
  assert.equal(Buffer.from(bytes.subarray(0, 5)).toString(), '99999');
  assert.throws(() => big.toMarc(), (e: unknown) => e instanceof MarcError && e.code === 'E404');
  for (const lengthText of ['99999', '00000']) {
    const copy = Buffer.from(bytes);
    copy.write(lengthText, 0, 'latin1');
    const input = Buffer.concat([copy, fixture('pymarc/one.dat')]);
    const results = [...readResultsSync(input, { mode: 'lenient' })];
    assert.equal(results.length, 2, lengthText);
    assert.equal(results[0]?.raw.length, bytes.length);
    assert.equal(results[0]?.record?.fields.length, big.fields.length);
    assert.equal(results[1]?.record?.get('001')?.value(), 'fol05731351 ');
  }
});

test('after decoding MARC-8 the record says UTF-8; the raw bytes keep their own leader', async () => {
  const bytes = fixture('pymarc/marc.dat');
  for (const record of readRecordsSync(bytes)) {
    const raw = record.raw as Uint8Array;
    const ascii = raw.every((b) => b < 0x80 && b !== 0x1b);
    assert.equal(record.leader.characterCodingScheme, ascii ? ' ' : 'a');
    assert.equal(String.fromCharCode(raw[9] as number), ' ');
    assert.deepEqual(Buffer.from(record.toMarc({ encoding: 'preserve' })), Buffer.from(raw), 'untouched: the original bytes');
    if (!ascii) assert.equal(parseRecord(record.toMarc()).leader.characterCodingScheme, 'a');
  }
});

test('a leader one byte too long next to a leader with a non-digit entry map: both records framed (marc4js PGA_2records)', () => {
  const results = [...readResultsSync(fixture('formats/marc4js/PGA_2records.mrc'), { mode: 'lenient' })];
  assert.equal(results.length, 2);
  assert.deepEqual(results.map((r) => r.raw.length), [306, 286]);
  assert.ok(results.every((r) => r.record !== null && r.errors[0]?.code === 'E001'));
});

test('writing a record to text formats leaves its fields pristine: ISO 2709 output is still the source bytes', async () => {
  const { toMarcXml, toMarcJson, toMrk } = await import('../../src/index.js');
  for (const record of readRecordsSync(fixture('mrrc-testbed/bibliographic/sample.mrc'))) {
    toMarcXml(record);
    toMarcJson(record);
    toMrk(record);
    assert.ok(record.fields.every((f) => f.isPristine()));
    assert.deepEqual(Buffer.from(record.toMarc()), Buffer.from(record.raw as Uint8Array));
  }
});
