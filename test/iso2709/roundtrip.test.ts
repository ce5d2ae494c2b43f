import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { readResultsSync, readRecordsSync, parseRecord, Record, DataField, ControlField, toMarcXml } from '../../src/index.js';
import { toBibframe } from '../../src/formats/bibframe/index.js';
import { toMods } from '../../src/formats/mods/index.js';
import { fixture, FIXTURES } from '../helpers.js';

/**
 * Every ISO 2709 fixture that is well formed (the corrupt ones are tested elsewhere). Left out:
 * mrrc/simple_authority.mrc and simple_holdings.mrc (their 008's directory length is one byte short) and
 * folio/sample100.mrc (record 11's leader has a 0x92 byte).
 */
const WELL_FORMED = [
  'pymarc/test.dat', 'pymarc/one.dat', 'pymarc/alphatag.dat', 'pymarc/marc.dat', 'pymarc/multi_isbn.dat',
  'pymarc/diacritic.dat', 'pymarc/utf8_with_leader_flag.dat', 'pymarc/1251.dat',
  'ruby-marc/batch.dat', 'ruby-marc/utf8.marc', 'ruby-marc/utf8_multirecord.marc', 'ruby-marc/non-numeric.dat',
  'ruby-marc/random_tag_order.dat', 'ruby-marc/random_tag_order2.dat',
  'marc4js/sandburg.mrc', 'marc4js/collection.mrc', 'marc4js/selections.mrc', 'marc4js/the_real_mother_goose.mrc',
  'mrrc/simple_book.mrc', 'mrrc/with_control_fields.mrc',
  'mrrc/multi_records.mrc', 'mrrc/music_score.mrc',
  'mrrc-testbed/authority/sample.mrc', 'mrrc-testbed/bibliographic/sample.mrc', 'mrrc-testbed/edge_cases/sample.mrc',
  'folio/5000.mrc',
];

/** A record's ISO 2709 bytes in `encoding` as hex, or the code of the writer's refusal. */
function isoOrRefusal(record: Record, encoding: 'utf-8' | 'marc-8' | 'preserve'): string {
  try {
    return Buffer.from(record.toMarc({ encoding })).toString('hex');
  } catch (e) {
    return `refused ${(e as { code?: string }).code ?? String(e)}`;
  }
}

test('every well-formed fixture record re-encodes byte for byte, untouched', () => {
  let count = 0;
  for (const file of WELL_FORMED) {
    for (const result of readResultsSync(fixture(file), { encoding: file.includes('1251') ? 'windows-1251' : 'auto' })) {
      assert.ok(result.record, `${file} #${result.recordIndex}`);
      assert.equal(result.record.errors.length, 0, `${file} #${result.recordIndex}: ${result.record.errors.map((e) => e.message)}`);
      assert.deepEqual(Buffer.from(result.record.toMarc({ encoding: 'preserve' })), Buffer.from(result.raw), `${file} #${result.recordIndex}`);
      if (result.record.origin?.encoding === 'utf-8' || result.record.origin?.ascii === true) {
        assert.deepEqual(Buffer.from(result.record.toMarc()), Buffer.from(result.raw), `${file} #${result.recordIndex}`);
      }
      count++;
    }
  }
  assert.ok(count > 5000);
});

test('every well-formed UTF-8 or ASCII record re-encodes byte for byte after all fields were built and read', () => {
  for (const file of WELL_FORMED) {
    for (const result of readResultsSync(fixture(file))) {
      const record = result.record;
      if (record === null || (record.origin?.encoding !== 'utf-8' && !record.origin?.ascii)) continue;
      for (const field of record.fields) field.value();
      assert.deepEqual(Buffer.from(record.toMarc()), Buffer.from(result.raw), `${file} #${result.recordIndex}`);
    }
  }
});

test('re-encoding from edited strings gives the same bytes as the source when nothing really changed', () => {
  for (const file of ['pymarc/test.dat', 'mrrc-testbed/bibliographic/sample.mrc', 'mrrc-testbed/authority/sample.mrc']) {
    for (const result of readResultsSync(fixture(file))) {
      const record = result.record as Record;
      // Touch every field through the mutable API, so nothing is copied from the source bytes.
      for (const field of record.fields) {
        if (field.isDataField()) field.subfields = field.subfields.map((sf) => ({ ...sf }));
        else field.data = String(field.data);
      }
      assert.deepEqual(Buffer.from(record.toMarc()), Buffer.from(result.raw), `${file} #${result.recordIndex}`);
    }
  }
});

test('an edit changes exactly what was edited and keeps the rest', () => {
  const [record] = [...readRecordsSync(fixture('pymarc/one.dat'))];
  assert.ok(record);
  record.getDataField('245')?.setSubfield('a', 'Édition revue /');
  record.leader.recordStatus = 'c';
  const again = parseRecord(record.toMarc());
  assert.equal(again.getValue('245', 'a'), 'Édition revue /');
  assert.equal(again.leader.characterCodingScheme, 'a', 'non-ASCII text written as UTF-8 says so');
  assert.equal(again.leader.recordStatus, 'c');
  assert.equal(again.leader.recordLength, record.toMarc().length);
  const before = record.toJSON().fields.filter((f) => f.tag !== '245');
  assert.deepEqual(again.toJSON().fields.filter((f) => f.tag !== '245'), before);
});

test('an edited record writes the same bytes as the same record built from scratch', () => {
  // The writer copies the fields still unbuilt from the source bytes; a record built from plain
  // data encodes every field from its strings. Each edit starts from a fresh parse, so that only
  // the edited field is built. Repaired records are in: a data field too short for its indicators
  // was copied short again, where the record reads it with blank ones.
  const scratch = (record: Record) => Buffer.from(Record.fromJSON(record.toJSON()).toMarc());
  let count = 0;
  for (const file of [...WELL_FORMED.filter((f) => !f.includes('1251')), ...readdirSync(FIXTURES + 'mrrc/error_fixtures').filter((f) => f.endsWith('.bin')).map((f) => 'mrrc/error_fixtures/' + f)]) {
    for (const result of readResultsSync(fixture(file), { mode: 'permissive' })) {
      const whole = result.record;
      if (whole === null || whole.fields.some((f) => !/^[\x20-\x7e]{3}$/.test(f.tag))) continue;
      // Bytes that did not decode (E301…) are copied as read from an untouched field, where the
      // record built from its strings holds U+FFFD instead. Fields report them once decoded.
      for (const field of whole.fields) field.value();
      if (whole.errors.some((e) => e.code.startsWith('E3'))) continue;
      const dataFields = whole.getDataFields();
      const tag = dataFields[Math.floor(dataFields.length / 2)]?.tag;
      if (tag === undefined) continue;
      // Same length (every entry can be copied whole), then longer (the fields after it move).
      for (const change of [(v: string) => v.replace(/./g, 'x'), (v: string) => v + ' and more']) {
        const record = parseRecord(result.raw, { mode: 'permissive' });
        const edited = record.getDataField(tag)?.subfields[0];
        if (edited === undefined) continue;
        edited.value = change(edited.value);
        const written = Buffer.from(record.toMarc());
        assert.deepEqual(written, scratch(record), `${file} #${result.recordIndex} ${tag}`);
        count++;
      }
    }
  }
  assert.ok(count > 10000, String(count));
});

test('an edited record copied around its edits writes what the field-by-field encoder writes', () => {
  // The writer patches a record edited in a few fields (its source copied around them); a
  // record whose field list was materialised goes field by field. Both must give the same bytes,
  // or the same refusal, for every edit and every target encoding.
  type Edit = (record: Record) => void;
  const dataFields = (record: Record) => record.getDataFields();
  const edits: [string, Edit][] = [
    ['first data field longer', (r) => { const sf = dataFields(r)[0]?.subfields[0]; if (sf) sf.value += ' and more'; }],
    ['last data field emptied', (r) => { const sf = dataFields(r).at(-1)?.subfields[0]; if (sf) sf.value = ''; }],
    ['first and last', (r) => { const all = dataFields(r); all[0]?.addSubfield('z', 'added'); const sf = all.at(-1)?.subfields[0]; if (sf) sf.value = sf.value.slice(1); }],
    ['every data field', (r) => { for (const f of dataFields(r)) f.addSubfield('x', 'x'); }],
    ['a tag, nothing else', (r) => { const f = dataFields(r)[1]; if (f) f.tag = '599'; }],
    ['a control field', (r) => { const f = r.get('001') ?? r.get('008'); if (f?.isControlField()) f.data += '1'; }],
    ['the leader only', (r) => { r.leader.recordStatus = 'c'; }],
    ['non-ASCII text', (r) => { const sf = dataFields(r)[0]?.subfields[0]; if (sf) sf.value = 'Édition revue /'; }],
    ['a refused edit', (r) => { const sf = dataFields(r)[0]?.subfields[0]; if (sf) sf.value += '\x1fz'; }],
  ];
  let compared = 0;
  for (const file of WELL_FORMED) {
    const encoding = file.includes('1251') ? 'windows-1251' : 'auto';
    for (const result of readResultsSync(fixture(file), { encoding })) {
      for (const [name, edit] of edits) {
        for (const target of ['utf-8', 'marc-8', 'preserve'] as const) {
          const patched = parseRecord(result.raw, { encoding });
          edit(patched);
          const fieldByField = parseRecord(result.raw, { encoding });
          void fieldByField.fields;
          edit(fieldByField);
          assert.deepEqual(isoOrRefusal(patched, target), isoOrRefusal(fieldByField, target), `${file} #${result.recordIndex}: ${name}, ${target}`);
          compared++;
        }
      }
    }
  }
  assert.ok(compared > 100000, String(compared));
});

test('an untouched ASCII record flagged UTF-8, written as MARC-8, says MARC-8 and keeps every other byte', () => {
  const [result] = [...readResultsSync(fixture('ruby-marc/random_tag_order2.dat'))];
  assert.ok(result?.record?.origin?.ascii && result.raw[9] === 0x61);
  const written = Buffer.from(result.record.toMarc({ encoding: 'marc-8' }));
  assert.equal(written[9], 0x20);
  assert.deepEqual(Buffer.concat([written.subarray(0, 9), written.subarray(10)]), Buffer.concat([Buffer.from(result.raw.subarray(0, 9)), Buffer.from(result.raw.subarray(10))]));
  assert.deepEqual(Buffer.from(result.record.toMarc()), Buffer.from(result.raw), 'UTF-8 output is the record as read');
});

test('seeded random edits of fixture records, repaired ones included: both writer paths agree', () => {
  let seed = 20261127;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x100000000;
  };
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const raws: Uint8Array[] = [];
  const files = [...WELL_FORMED, ...readdirSync(FIXTURES + 'mrrc/error_fixtures').filter((f) => f.endsWith('.bin')).map((f) => 'mrrc/error_fixtures/' + f), 'pymarc/bad_subfield_code.dat', 'pymarc/utf8_invalid.mrc', 'pymarc/bad_indicator.dat'];
  for (const file of files) for (const result of readResultsSync(fixture(file), { mode: 'permissive' })) raws.push(result.raw);
  const texts = ['', 'x', 'Édition', 'Ж', '漢字', 'a'.repeat(300), 'tail /', 'e\u0301'];
  const ops: ((record: Record, field: Record['fields'][number]) => void)[] = [
    (_, f) => { if (f.isDataField() && f.subfields.length > 0) pick(f.subfields).value = pick(texts); },
    (_, f) => { if (f.isDataField()) f.addSubfield(pick(['a', 'z', '6']), pick(texts)); },
    (_, f) => { if (f.isDataField()) f.subfields = f.subfields.slice(1); },
    (_, f) => { if (f.isDataField()) f.ind2 = pick([' ', '4']); },
    (_, f) => { f.tag = pick(['245', '999', '00X']); },
    (_, f) => { if (f.isControlField()) f.data += pick(texts); },
    (r) => { r.leader.recordStatus = pick(['c', 'd']); },
    (_, f) => { f.value(); },
  ];
  let compared = 0;
  for (let round = 0; round < 3000; round++) {
    const raw = pick(raws);
    const mode = pick(['lenient', 'permissive'] as const);
    let lazy: Record;
    let built: Record;
    try {
      lazy = parseRecord(raw, { mode });
      built = parseRecord(raw, { mode });
    } catch {
      continue;
    }
    const count = built.fields.length;
    const plan = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({ index: Math.floor(random() * count), op: Math.floor(random() * ops.length), seed }));
    // The same fields on both: by tag and occurrence on the lazy record, by index on the other.
    const lazyFields = plan.map(({ index }) => {
      const tag = built.fields[index]?.tag as string;
      return lazy.getFields(tag)[built.fields.slice(0, index).filter((f) => f.tag === tag).length];
    });
    const builtFields = plan.map(({ index }) => built.fields[index]);
    for (const [record, fields] of [[lazy, lazyFields], [built, builtFields]] as const) {
      plan.forEach(({ op, seed: s }, k) => {
        seed = s;
        const field = fields[k];
        if (field !== undefined) (ops[op] as (r: Record, f: typeof field) => void)(record, field);
      });
    }
    for (const encoding of ['utf-8', 'marc-8', 'preserve'] as const) {
      assert.equal(isoOrRefusal(lazy, encoding), isoOrRefusal(built, encoding), `round ${round}: ${mode}, ${encoding}, ${JSON.stringify(plan)}`);
      compared++;
    }
  }
  assert.ok(compared > 8000, String(compared));
});

test('writing a record, in any format, leaves it as it was: a field repaired on read is still written as read', () => {
  // pymarc's bad_subfield_code.dat holds a subfield code 'á' (read as 'a', E202), and
  // utf8_invalid.mrc bytes that are not UTF-8 (U+FFFD, E301). Untouched, such a field is written
  // as its source bytes; writing the record to another encoding or format once made every field
  // it re-encoded count as edited, so the next ISO 2709 write re-encoded the repairs instead.
  let checked = 0;
  for (const file of ['pymarc/bad_subfield_code.dat', 'pymarc/utf8_invalid.mrc', 'pymarc/test.dat']) {
    for (const result of readResultsSync(fixture(file), { mode: 'lenient' })) {
      const record = result.record as Record;
      void record.fields;
      const before = Buffer.from(record.toMarc({ encoding: 'preserve' }));
      for (const write of [() => record.toMarc({ encoding: 'marc-8' }), () => record.toMarc({ encoding: 'utf-8' }), () => toMarcXml(record), () => toBibframe(record), () => toMods(record)]) {
        try {
          write();
        } catch {
          // A record MARC-8 cannot hold is refused; that is not what this test is about.
        }
      }
      assert.deepEqual(Buffer.from(record.toMarc({ encoding: 'preserve' })), before, `${file} #${result.recordIndex}`);
      checked++;
    }
  }
  assert.ok(checked > 10);
});

test('reading every field of an unchanged record does not change what it writes: its source bytes', () => {
  // yaz's marc6.marc has a directory entry out of data order, marc8.marc a '^' for leader/09, and
  // the synthetic bad_directory.mrc two entries sharing one field's data. Written untouched, each
  // is its source bytes; once every field had been built (record.fields, any text writer), it was
  // re-encoded instead: in directory order, with leader/09 blank, the shared data written twice.
  const cases: [string, number][] = [['formats/yaz/marc6.marc', 0], ['formats/yaz/marc8.marc', 0], ['mrrc-testbed/malformed/bad_directory.mrc', 3]];
  for (const [file, index] of cases) {
    const result = [...readResultsSync(fixture(file), { mode: 'permissive' })][index];
    assert.ok(result?.record, `${file} #${index}`);
    for (const read of [(r: Record) => r.fields, (r: Record) => toMarcXml(r), (r: Record) => r.toJSON(), (r: Record) => String(r)]) {
      const record = parseRecord(result.raw, { mode: 'lenient' });
      read(record);
      assert.deepEqual(Buffer.from(record.toMarc({ encoding: 'preserve' })), Buffer.from(result.raw), `${file} #${index}`);
    }
    // A change is still a change: the record is then written from its fields.
    const edited = parseRecord(result.raw, { mode: 'lenient' });
    const fields = edited.fields;
    fields.push(fields[0] as Record['fields'][number]);
    assert.notDeepEqual(Buffer.from(edited.toMarc({ encoding: 'preserve' })), Buffer.from(result.raw));
    const moved = parseRecord(result.raw, { mode: 'lenient' });
    moved.fields.reverse();
    assert.notDeepEqual(Buffer.from(moved.toMarc({ encoding: 'preserve' })), Buffer.from(result.raw));
  }
});

test('a source whose data is not in directory order is written in directory order', () => {
  // 245's data comes first in the data area, 001's second.
  const f245 = '10\x1faTitle\x1e';
  const f001 = 'id1\x1e';
  const base = 24 + 2 * 12 + 1;
  const total = base + f245.length + f001.length + 1;
  const leader = `${String(total).padStart(5, '0')}nam a22${String(base).padStart(5, '0')}   4500`;
  const directory = `001${String(f001.length).padStart(4, '0')}${String(f245.length).padStart(5, '0')}245${String(f245.length).padStart(4, '0')}00000\x1e`;
  const record = parseRecord(Buffer.from(leader + directory + f245 + f001 + '\x1d', 'latin1'));
  assert.equal(record.errors.length, 0);
  record.leader.recordStatus = 'c';
  const written = Buffer.from(record.toMarc());
  assert.deepEqual(written, Buffer.from(Record.fromJSON(record.toJSON()).toMarc()));
  assert.equal(written.toString('latin1', 24, 48), '001000400000245001000004');
  assert.equal(parseRecord(written).getValue('245', 'a'), 'Title');
});

test('records built in code write and read back', () => {
  const record = new Record();
  record.addField(new ControlField('001', 'abc123'));
  record.addField(new DataField('245', '1', '0', [{ code: 'a', value: 'Über alles :' }, { code: 'b', value: '漢字 ð 𝔘' }]));
  record.addField(new DataField('650', ' ', '0', [{ code: 'a', value: '' }]));
  const bytes = record.toMarc();
  const back = parseRecord(bytes);
  assert.deepEqual(back.toJSON().fields, record.toJSON().fields);
  assert.equal(back.leader.baseAddress, 24 + 3 * 12 + 1);
  assert.equal(back.leader.recordLength, bytes.length);
});

test('lenient-repaired records are written as well-formed records', () => {
  for (const file of readdirSync(FIXTURES + 'mrrc/error_fixtures').filter((f) => f.endsWith('.bin'))) {
    for (const result of readResultsSync(fixture('mrrc/error_fixtures/' + file), { mode: 'permissive', encoding: 'utf-8' })) {
      if (result.record === null) continue;
      if (result.record.fields.some((f) => !/^[\x20-\x7e]{3}$/.test(f.tag))) {
        assert.throws(() => result.record?.toMarc(), /E404/, file);
        continue;
      }
      const written = result.record.toMarc();
      const again = parseRecord(written, { mode: 'lenient', encoding: 'utf-8' });
      assert.ok(again.errors.every((e) => e.code === 'E106' || e.code === 'E301' || e.code === 'E202'), `${file}: ${again.errors.map((e) => e.message)}`);
      assert.equal(again.fields.length, result.record.fields.length, file);
    }
  }
  assert.ok(statSync(FIXTURES + 'mrrc/error_fixtures').isDirectory());
});
