// Fields read from ISO 2709 answer from the record's bytes until they are changed; these tests
// hold that those answers are the ones the same field built in code gives.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRecordsSync } from '../../src/iso2709/reader.js';
import { parseRecord } from '../../src/iso2709/parser.js';
import type { Record } from '../../src/record/record.js';
import type { DataField } from '../../src/record/field.js';
import { corpusRecords } from '../helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** An ASCII ISO 2709 record from `[tag, field data]` pairs (terminators added here). */
function iso2709(fields: [string, string][]): Uint8Array {
  let directory = '';
  let data = '';
  for (const [tag, body] of fields) {
    const field = body + '\x1e';
    directory += tag + String(field.length).padStart(4, '0') + String(data.length).padStart(5, '0');
    data += field;
  }
  directory += '\x1e';
  const base = 24 + directory.length;
  const leader = String(base + data.length + 1).padStart(5, '0') + 'nam a22' + String(base).padStart(5, '0') + '   4500';
  return new TextEncoder().encode(leader + directory + data + '\x1d');
}

function eachDataField(records: Iterable<Record>, visit: (field: DataField, where: string) => void): number {
  let count = 0;
  let index = 0;
  for (const record of records) {
    // getFields with plain tags keeps the record lazy; every tag of the record, in order.
    const tags = [...new Set(record.getFields().map((f) => f.tag))];
    const fresh = parseRecord(record.raw as Uint8Array, { mode: 'lenient' });
    for (const field of fresh.getFields(...tags)) {
      if (!field.isDataField()) continue;
      visit(field, `record ${index} ${field.tag}`);
      count++;
    }
    index++;
  }
  return count;
}

describe('lazily read data fields agree with built ones', () => {
  for (const file of ['pymarc/test.dat', 'pymarc/marc.dat', 'pymarc/one.dat', 'folio/1.mrc', 'mrrc-testbed/authority/sample.mrc']) {
    test(file, () => {
      const records = readRecordsSync(readFileSync(fixtures + file), { mode: 'lenient' });
      const checked = eachDataField(records, (field, where) => {
        const built = field.clone();
        // Answers straight from the bytes first, before anything parses the subfields.
        const value = field.value();
        const firsts = built.subfields.map((sf) => [sf.code, field.get(sf.code)] as const);
        assert.equal(field.isPristine(), true, where);
        assert.equal(value, built.value(), `${where} value()`);
        for (const [code, got] of firsts) assert.equal(got, built.get(code), `${where} get(${code})`);
        assert.equal(field.get('%'), undefined);
        assert.equal(field.formatField(), built.formatField(), `${where} formatField()`);
        assert.equal(field.toString(), built.toString(), `${where} toString()`);
        assert.deepEqual(field.toJSON(), built.toJSON(), `${where} toJSON()`);
      });
      assert.ok(checked > 10);
    });
  }
});

describe('pristine fields', () => {
  const bytes = iso2709([['001', 'x1'], ['245', '10\x1faTitle /\x1fcMe.'], ['650', ' 0\x1faPerl']]);

  test('a field read and only looked at stays pristine', () => {
    const record = parseRecord(bytes);
    const f245 = record.getDataField('245') as DataField;
    assert.equal(f245.get('a'), 'Title /');
    assert.equal(f245.value(), 'Title / Me.');
    assert.deepEqual(f245.getAll('a', 'c'), ['Title /', 'Me.']);
    assert.equal(f245.isPristine(), true);
    assert.equal(record.getControlField('001')?.isPristine(), true);
  });

  test('handing out the subfields or changing an indicator ends it', () => {
    const record = parseRecord(bytes);
    const f245 = record.getDataField('245') as DataField;
    void f245.subfields;
    assert.equal(f245.isPristine(), false);
    const f650 = record.getDataField('650') as DataField;
    f650.ind1 = '1';
    assert.equal(f650.isPristine(), false);
    const f001 = record.getControlField('001');
    if (f001 !== undefined) f001.data = 'x2';
    assert.equal(f001?.isPristine(), false);
  });

  test('edits through the record show in later lookups', () => {
    const record = parseRecord(bytes);
    (record.getDataField('245') as DataField).setSubfield('a', 'Other /');
    assert.equal(record.title, 'Other /');
    assert.equal(record.getValue('245', 'a'), 'Other /');
    record.removeFields('650');
    assert.deepEqual(record.subjects, []);
    assert.equal(record.fieldCount, 2);
  });
});

describe('empty subfields as pymarc reads them', () => {
  // pymarc splits on 0x1F and skips empty pieces, so a stray delimiter adds nothing.
  test('a trailing delimiter adds nothing to value()', () => {
    const field = parseRecord(iso2709([['245', '10\x1faTitle\x1fbSub\x1f']])).getDataField('245') as DataField;
    assert.equal(field.value(), 'Title Sub');
    assert.equal(field.clone().value(), 'Title Sub');
  });

  test('two delimiters in a row make no subfield', () => {
    const field = parseRecord(iso2709([['245', '10\x1faTitle\x1f\x1fbSub']]), { mode: 'lenient' }).getDataField('245') as DataField;
    assert.deepEqual(field.toJSON().subfields, [{ code: 'a', value: 'Title' }, { code: 'b', value: 'Sub' }]);
    assert.equal(field.value(), 'Title Sub');
  });

  test('an empty $b is kept and joined, as pymarc does', () => {
    const field = parseRecord(iso2709([['245', '10\x1faTitle\x1fb\x1fcMe.']])).getDataField('245') as DataField;
    assert.equal(field.value(), 'Title  Me.');
    assert.equal(field.get('b'), '');
    assert.equal(field.clone().value(), 'Title  Me.');
  });
});

describe('toJSON() of a field not decoded yet', () => {
  test('hands out subfields of its own: changing them changes neither the field nor the next call', () => {
    const field = parseRecord(iso2709([['245', '10\x1faTitle /\x1fcMe.']])).getDataField('245') as DataField;
    const first = field.toJSON();
    (first.subfields[0] as { value: string }).value = 'Changed';
    first.subfields.pop();
    assert.deepEqual(field.toJSON().subfields, [{ code: 'a', value: 'Title /' }, { code: 'c', value: 'Me.' }]);
    assert.equal(field.get('a'), 'Title /');
    assert.notEqual(field.toJSON().subfields, field.toJSON().subfields);
    assert.equal(field.isPristine(), true, 'reading JSON is not an edit');
  });

  test('a problem found while decoding is reported once, however often the field is read', () => {
    const record = parseRecord(iso2709([['245', '10\x1faTitle\x1f\x01bad']]), { mode: 'lenient' });
    const field = record.getDataField('245') as DataField;
    field.toJSON();
    field.toJSON();
    assert.equal(field.subfields.length, 2);
    field.value();
    assert.deepEqual(record.errors.map((e) => e.code), ['E202']);
  });

  test('strict mode throws on every read of a field that cannot be decoded', () => {
    const field = parseRecord(iso2709([['245', '10\x1faTitle\x1f\x01bad']])).getDataField('245') as DataField;
    assert.throws(() => field.toJSON(), /E202/);
    assert.throws(() => field.toJSON(), /E202/);
    assert.throws(() => field.subfields, /E202/);
  });
});

describe('subfieldCodes()', () => {
  test('gives the codes subfieldList() has, and reports what decoding reports, on every corpus record', () => {
    let fields = 0;
    for (const { file, result } of corpusRecords(300)) {
      const byCodes = parseRecord(result.raw, { mode: 'lenient' });
      const byList = parseRecord(result.raw, { mode: 'lenient' });
      const listed = byList.fields.map((f) => (f.isDataField() ? f.subfieldList().map((sf) => sf.code) : []));
      const codes = byCodes.fields.map((f) => (f.isDataField() ? f.subfieldCodes() : []));
      assert.deepEqual(codes, listed, file);
      assert.deepEqual(byCodes.errors.map((e) => e.message), byList.errors.map((e) => e.message), `${file}: same problems`);
      fields += codes.length;
    }
    assert.ok(fields > 20000, `${fields} fields`);
  });

  test('odd shapes: empty delimiters, a bad code, text before the first delimiter, an edited field', () => {
    const cases: [string, string[], string[]][] = [
      ['10\x1fa1\x1f\x1fb2\x1f', ['a', 'b'], []],
      ['10\x1fa1\x1f\tb', ['a', '\t'], ['E202']],
      ['10x\x1fa1', ['', 'a'], ['E106']],
    ];
    for (const [content, expected, problems] of cases) {
      const record = parseRecord(iso2709([['245', content]]), { mode: 'lenient' });
      const field = record.fields[0] as DataField;
      assert.deepEqual(field.subfieldCodes(), expected, JSON.stringify(content));
      assert.deepEqual(record.errors.map((e) => e.code), problems, JSON.stringify(content));
    }
    const record = parseRecord(iso2709([['245', '10\x1fa1\x1fb2']]), { mode: 'lenient' });
    const field = record.fields[0] as DataField;
    field.addSubfield('c', '3');
    assert.deepEqual(field.subfieldCodes(), ['a', 'b', 'c']);
  });
});

describe('a subfield code that needs repair, met by value() and get() on an ASCII record', () => {
  const content = '10\x1fa1\x1f\tx\x1fb2';
  test('is reported (lenient) as decoding reports it, and the answers are the decoded ones', () => {
    for (const read of [(f: DataField) => f.value(), (f: DataField) => f.get('b')]) {
      const record = parseRecord(iso2709([['245', content]]), { mode: 'lenient' });
      const reference = parseRecord(iso2709([['245', content]]), { mode: 'lenient' });
      const field = record.fields[0] as DataField;
      const decoded = reference.fields[0] as DataField;
      decoded.subfieldList();
      assert.equal(read(field), read(decoded));
      assert.deepEqual(record.errors.map((e) => e.code), ['E202']);
      assert.deepEqual(record.errors.map((e) => e.message), reference.errors.map((e) => e.message));
    }
  });

  test('throws in strict mode', () => {
    const record = parseRecord(iso2709([['245', content]]), { mode: 'strict' });
    assert.throws(() => (record.fields[0] as DataField).value(), /E202|subfield code/);
    const again = parseRecord(iso2709([['245', content]]), { mode: 'strict' });
    assert.throws(() => (again.fields[0] as DataField).get('b'), /E202|subfield code/);
    // A code before the bad one is answered without meeting it.
    const third = parseRecord(iso2709([['245', content]]), { mode: 'strict' });
    assert.equal((third.fields[0] as DataField).get('a'), '1');
  });
});
