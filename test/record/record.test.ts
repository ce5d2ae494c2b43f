import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Record, type PlainRecord } from '../../src/record/record.js';
import { Leader } from '../../src/record/leader.js';
import { ControlField, DataField, type Field } from '../../src/record/field.js';

function df(tag: string, ...pairs: string[]): DataField {
  const subfields = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) subfields.push({ code: pairs[i]!, value: pairs[i + 1]! });
  return new DataField(tag, ' ', ' ', subfields);
}

function tags(fields: Iterable<Field>): string[] {
  return [...fields].map((f) => f.tag);
}

/** A small record in a deliberately irregular order, so regrouping would show. */
function sample(): Record {
  return new Record({
    leader: '00755cam  22002414a 4500',
    fields: [
      new ControlField('001', 'fol05731351 '),
      new ControlField('008', '000107s2000    nyua          001 0 eng  '),
      df('020', 'a', '0471383147 (paper/cd-rom : alk. paper)'),
      df('245', 'a', 'ActivePerl with ASP and ADO /', 'c', 'Tobias Martinsson.'),
      df('650', 'a', 'Perl (Computer program language)'),
      df('630', 'a', 'Active server pages.'),
      df('651', 'a', 'Kostroma (Russia)'),
      df('655', 'a', 'Handbooks'),
      df('500', 'a', 'Note.'),
      df('630', 'a', 'ActiveX.'),
    ],
  });
}

describe('Record construction', () => {
  test('empty record has the default leader and no fields', () => {
    const record = new Record();
    assert.equal(record.leader.value, '00000nam a2200000   4500');
    assert.deepEqual(record.fields, []);
    assert.equal(record.fieldCount, 0);
    assert.deepEqual(record.errors, []);
    assert.equal(record.raw, null);
    assert.equal(record.origin, null);
  });

  test('takes a leader string or a Leader', () => {
    assert.equal(new Record({ leader: '00755cam  22002414a 4500' }).leader.recordStatus, 'c');
    const leader = new Leader('00000cz  a2200000n  4500');
    assert.equal(new Record({ leader }).leader, leader);
  });

  test('fieldCount and iteration follow record order', () => {
    const record = sample();
    assert.equal(record.fieldCount, 10);
    assert.deepEqual(tags(record), ['001', '008', '020', '245', '650', '630', '651', '655', '500', '630']);
  });
});

describe('Record get / getFields', () => {
  test('get gives the first field with the tag', () => {
    const record = sample();
    assert.equal(record.get('630')?.value(), 'Active server pages.');
    assert.equal(record.get('001')?.value(), 'fol05731351 ');
    assert.equal(record.get('999'), undefined);
  });

  test('getFields with tags keeps record order, not argument order', () => {
    const record = sample();
    assert.deepEqual(tags(record.getFields('630', '650')), ['650', '630', '630']);
    assert.deepEqual(record.getFields('999'), []);
  });

  test('getFields with no arguments gives every field as a copy of the list', () => {
    const record = sample();
    const all = record.getFields();
    assert.equal(all.length, 10);
    all.pop();
    assert.equal(record.fieldCount, 10);
  });

  test('X, x and . are wildcards', () => {
    const record = sample();
    assert.deepEqual(tags(record.getFields('6XX')), ['650', '630', '651', '655', '630']);
    assert.deepEqual(tags(record.getFields('6xx')), ['650', '630', '651', '655', '630']);
    assert.deepEqual(tags(record.getFields('65.')), ['650', '651', '655']);
    assert.deepEqual(tags(record.getFields('00X', '5XX')), ['001', '008', '500']);
    assert.deepEqual(tags(record.getFields('X3X')), ['630', '630']);
  });

  test('a RegExp is tested against the tag', () => {
    const record = sample();
    assert.deepEqual(tags(record.getFields(/^6[35]/)), ['650', '630', '651', '655', '630']);
    assert.deepEqual(tags(record.getFields(/^0/, '245')), ['001', '008', '020', '245']);
  });

  test('a pattern that is not three characters is an error', () => {
    assert.throws(() => sample().getFields('6X'), RangeError);
  });

  test('alphabetic tags (pymarc test_alphatag)', () => {
    const record = new Record();
    record.addField(df('CAT', 'a', 'foo'), df('CAT', 'b', 'bar'));
    const fields = record.getDataFields('CAT');
    assert.equal(fields.length, 2);
    assert.equal(fields[0]?.get('a'), 'foo');
    assert.equal(fields[1]?.get('b'), 'bar');
    assert.equal(record.getValue('CAT', 'a'), 'foo');
  });

  test('getDataField / getControlField / getDataFields are typed views', () => {
    const record = sample();
    assert.equal(record.getDataField('245')?.get('a'), 'ActivePerl with ASP and ADO /');
    assert.equal(record.getDataField('001'), undefined);
    assert.equal(record.getControlField('008')?.data.slice(0, 6), '000107');
    assert.equal(record.getControlField('245'), undefined);
    assert.deepEqual(tags(record.getDataFields('0XX', '245')), ['020', '245']);
  });

  test('getDataField skips a control field with a data tag', () => {
    // From MARC-in-JSON a data tag can arrive with a bare value; the typed lookup passes over it.
    const record = new Record({ fields: [new ControlField('245', 'junk'), df('245', 'a', 'Title')] });
    assert.equal(record.getDataField('245')?.get('a'), 'Title');
  });

  test('getSubfieldValues collects from every matching field', () => {
    const record = sample();
    assert.deepEqual(record.getSubfieldValues('630', 'a'), ['Active server pages.', 'ActiveX.']);
    assert.deepEqual(record.getSubfieldValues('6XX', 'a').length, 5);
    assert.deepEqual(record.getSubfieldValues('245', 'c', 'a'), ['ActivePerl with ASP and ADO /', 'Tobias Martinsson.']);
    assert.deepEqual(record.getSubfieldValues('999', 'a'), []);
  });

  test('getValue gives the first value of tag $code, or the field value', () => {
    const record = sample();
    assert.equal(record.getValue('245', 'c'), 'Tobias Martinsson.');
    assert.equal(record.getValue('245'), 'ActivePerl with ASP and ADO / Tobias Martinsson.');
    assert.equal(record.getValue('001'), 'fol05731351 ');
    assert.equal(record.getValue('245', 'z'), undefined);
    assert.equal(record.getValue('999'), undefined);
  });

  test('getValue looks past a field without the code', () => {
    const record = new Record({ fields: [df('020', 'z', 'cancelled'), df('020', 'a', '0914378287')] });
    assert.equal(record.getValue('020', 'a'), '0914378287');
  });
});

describe('Record add / insert / remove', () => {
  test('addField appends in the order given (pymarc test_add_field)', () => {
    const record = new Record();
    const field = new DataField('245', '1', '0', [{ code: 'a', value: 'Python' }, { code: 'c', value: 'Guido' }]);
    record.addField(field);
    assert.ok(record.fields.includes(field));
    record.addField(df('100', 'a', 'x'), df('050', 'a', 'y'));
    assert.deepEqual(tags(record), ['245', '100', '050']);
  });

  test('addField returns the record for chaining', () => {
    const record = new Record().addField(df('245', 'a', 'x')).addField(df('500', 'a', 'y'));
    assert.equal(record.fieldCount, 2);
  });

  test('addOrderedField inserts before the first greater tag', () => {
    const record = new Record({ fields: [new ControlField('001', 'x'), df('245'), df('650'), df('700')] });
    record.addOrderedField(df('500'), df('100'), df('999'), new ControlField('008', 'y'));
    assert.deepEqual(tags(record), ['001', '008', '100', '245', '500', '650', '700', '999']);
  });

  test('addOrderedField after equal tags, and on an empty record', () => {
    const record = new Record();
    record.addOrderedField(df('650', 'a', 'first'));
    record.addOrderedField(df('650', 'a', 'second'));
    record.addOrderedField(df('600', 'a', 'third'));
    assert.deepEqual(record.getSubfieldValues('6XX', 'a'), ['third', 'first', 'second']);
  });

  test('addOrderedField never regroups the existing fields', () => {
    const record = new Record({ fields: [df('650'), df('245'), df('100')] });
    record.addOrderedField(df('300'));
    // Inserted before the first greater tag (650); 245 and 100 stay after it.
    assert.deepEqual(tags(record), ['300', '650', '245', '100']);
  });

  test('addGroupedField inserts after the last field of its hundred', () => {
    const record = new Record({ fields: [new ControlField('001', 'x'), df('245'), df('260'), df('650'), df('700')] });
    record.addGroupedField(df('250'), df('600'), df('100'), df('900'));
    assert.deepEqual(tags(record), ['001', '100', '245', '260', '250', '650', '600', '700', '900']);
  });

  test('insertField puts a field at an index', () => {
    const record = sample();
    record.insertField(0, new ControlField('003', 'IMchF'));
    record.insertField(3, df('010', 'a', '   00020737 '));
    record.insertField(record.fieldCount, df('999'));
    assert.deepEqual(tags(record).slice(0, 4), ['003', '001', '008', '010']);
    assert.equal(record.fields.at(-1)?.tag, '999');
  });

  test('removeField removes those field objects and throws for others (pymarc FieldNotFound)', () => {
    const record = sample();
    const second630 = record.getFields('630')[1] as Field;
    record.removeField(second630);
    assert.deepEqual(record.getSubfieldValues('630', 'a'), ['Active server pages.']);
    assert.throws(() => record.removeField(second630), RangeError);
    assert.throws(() => record.removeField(new ControlField('001', 'abcd1234')), RangeError);
  });

  test('removeField of a lookalike does not remove the original', () => {
    const record = new Record({ fields: [df('245', 'a', 'Python')] });
    assert.throws(() => record.removeField(df('245', 'a', 'Python')), RangeError);
    assert.equal(record.fieldCount, 1);
  });

  test('removeFields removes by tag and pattern and counts', () => {
    const record = sample();
    assert.equal(record.removeFields('630', '500'), 3);
    assert.deepEqual(tags(record), ['001', '008', '020', '245', '650', '651', '655']);
    assert.equal(record.removeFields('65.'), 3);
    assert.equal(record.removeFields(/^0/), 3);
    assert.deepEqual(tags(record), ['245']);
    assert.equal(record.removeFields('999'), 0);
  });

  test('the fields array is live and can be replaced', () => {
    const record = sample();
    record.fields.reverse();
    assert.equal(record.fields[0]?.tag, '630');
    record.fields = [df('245', 'a', 'Only')];
    assert.equal(record.fieldCount, 1);
    assert.equal(record.title, 'Only');
  });
});

describe('Record JSON', () => {
  const plain: PlainRecord = {
    leader: '00755cam  22002414a 4500',
    fields: [
      { tag: '001', value: 'fol05731351 ' },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'ActivePerl with ASP and ADO /' }, { code: 'c', value: 'Tobias Martinsson.' }] },
      { tag: '650', ind1: ' ', ind2: '0', subfields: [{ code: 'a', value: 'Perl (Computer program language)' }] },
    ],
  };

  test('toJSON is the @natlibfi/marc-record shape', () => {
    const record = Record.fromJSON(plain);
    assert.deepEqual(record.toJSON(), plain);
    assert.deepEqual(JSON.parse(JSON.stringify(record)), plain);
  });

  test('fromJSON builds typed fields', () => {
    const record = Record.fromJSON(plain);
    assert.ok(record.get('001') instanceof ControlField);
    assert.ok(record.get('245') instanceof DataField);
    assert.equal(record.leader.bibliographicLevel, 'm');
    assert.equal(record.title, 'ActivePerl with ASP and ADO /');
  });

  test('round trip through JSON text keeps everything, order included', () => {
    const record = sample();
    const again = Record.fromJSON(JSON.parse(JSON.stringify(record)) as PlainRecord);
    assert.deepEqual(again.toJSON(), record.toJSON());
    assert.equal(again.toString(), record.toString());
  });

  test('fromJSON does not share objects with its input', () => {
    const input = structuredClone(plain);
    const record = Record.fromJSON(input);
    (input.fields[1] as { subfields: { value: string }[] }).subfields[0]!.value = 'changed';
    assert.equal(record.title, 'ActivePerl with ASP and ADO /');
  });

  test('fromJSON fills missing indicators with blanks', () => {
    const record = Record.fromJSON({
      leader: plain.leader,
      fields: [{ tag: '500', subfields: [{ code: 'a', value: 'x' }] } as unknown as PlainRecord['fields'][number]],
    });
    assert.deepEqual((record.get('500') as DataField).indicators, [' ', ' ']);
  });

  test('fromJSON names where its input is not the shape, instead of building a record that fails later', () => {
    const bad = (edit: (p: { leader: unknown; fields: { [k: string]: unknown }[] }) => void): unknown => {
      const input = structuredClone(plain) as unknown as { leader: unknown; fields: { [k: string]: unknown }[] };
      edit(input);
      return input;
    };
    const cases: [string, unknown, RegExp][] = [
      ['not an object', 'text', /the record should be an object, not "text"/],
      ['no fields', bad((p) => { delete (p as { fields?: unknown }).fields; }), /fields should be an array, not undefined/],
      ['leader not a string', bad((p) => { p.leader = 42; }), /leader should be a string, not number/],
      ['field not an object', bad((p) => { (p.fields as unknown[])[1] = null; }), /fields\[1\] should be an object, not null/],
      ['numeric tag', bad((p) => { p.fields[1]!['tag'] = 245; }), /fields\[1\]\.tag should be a string, not number/],
      ['two-character indicator', bad((p) => { p.fields[1]!['ind1'] = '10'; }), /fields\[1\]\.ind1 should be one character, not "10"/],
      ['subfields not an array', bad((p) => { p.fields[1]!['subfields'] = 'x'; }), /fields\[1\]\.subfields should be an array/],
      ['subfield without a value', bad((p) => { (p.fields[1]!['subfields'] as { value?: string }[])[1] = { code: 'c' } as { value?: string }; }), /fields\[1\]\.subfields\[1\]\.value should be a string, not undefined/],
      ['subfield code not a string', bad((p) => { (p.fields[1]!['subfields'] as { code: unknown }[])[0]!.code = 1; }), /fields\[1\]\.subfields\[0\]\.code should be a string, not number/],
      ['control field without a value', bad((p) => { delete p.fields[0]!['value']; }), /fields\[0\]\.value should be a string \(or the field needs "subfields"\), not undefined/],
    ];
    for (const [name, input, message] of cases) {
      assert.throws(() => Record.fromJSON(input as PlainRecord), (e: unknown) => e instanceof TypeError && message.test(e.message), name);
    }
    assert.throws(() => Record.fromJSON({ ...plain, leader: '' }), RangeError, 'a leader that is not 24 characters');
  });
});

describe('Record clone and text', () => {
  test('clone is deep', () => {
    const record = sample();
    const copy = record.clone();
    copy.leader.recordStatus = 'd';
    (copy.get('245') as DataField).setSubfield('a', 'Other');
    copy.addField(df('999'));
    assert.equal(record.leader.recordStatus, 'c');
    assert.equal(record.title, 'ActivePerl with ASP and ADO /');
    assert.equal(record.fieldCount, 10);
  });

  test('clone keeps the MARCXML comments (the BIBFRAME crosswalk reads them), as copies', async () => {
    const { readFileSync } = await import('node:fs');
    const { readMarcXml } = await import('../../src/formats/marcxml/reader.js');
    const xml = readFileSync(new URL('../fixtures/bibframe/mrrc-baselines/notes_001_1.marcxml', import.meta.url));
    const [record] = [...readMarcXml(xml, { mode: 'lenient' })];
    const comments = record?.xmlComments ?? [];
    assert.ok(comments.some((c) => c.text.includes('504 moved down')), JSON.stringify(comments));
    const copy = (record as Record).clone();
    assert.deepEqual(copy.xmlComments, comments);
    (copy.xmlComments as { before: number; text: string }[])[0]!.text = 'changed';
    assert.notEqual(comments[0]?.text, 'changed');
    assert.equal(sample().clone().xmlComments, undefined);
  });

  test('toString is leader then one line per field', () => {
    const record = new Record({
      leader: '00755cam  22002414a 4500',
      fields: [new ControlField('001', 'fol05731351 '), new DataField('245', '1', '0', [{ code: 'a', value: 'Title /' }, { code: 'c', value: 'Me.' }])],
    });
    assert.equal(record.toString(), '00755cam  22002414a 4500\n001 fol05731351 \n245 10 $a Title / $c Me.\n');
  });

  test('decodeAll returns the record', () => {
    const record = sample();
    assert.equal(record.decodeAll(), record);
  });
});
