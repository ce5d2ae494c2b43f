import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Record } from '../../src/record/record.js';
import { ControlField } from '../../src/record/field.js';
import { readRecordsSync } from '../../src/index.js';
import {
  BIBLIOGRAPHIC_FIELDS,
  BIBLIOGRAPHIC_FIXED_FIELDS,
  BIBLIOGRAPHIC_SCHEMA,
  checkIndicators,
  compileAvramSchema,
  loadAvramSchema,
  validate,
  VALIDATION_CODES,
} from '../../src/validate/index.js';
import { avramFieldRules } from '../../src/validate/avram.js';
import { fixture, FIXTURES } from '../helpers.js';
import { codes, df } from './helpers.js';

const PROFILE = `${FIXTURES}validate/authority-profile.avram.json`;
const LC_SCHEMA = '/usr/share/perl5/auto/share/dist/MARC-Schema/marc-schema.json';

const AUTHORITY_LEADER = '00000nz  a2200000n  4500';
const AUTHORITY_008 = '860211n| azannaabn          |a aaa      ';

function goodAuthority(): Record {
  return new Record({
    leader: AUTHORITY_LEADER,
    fields: [
      new ControlField('001', 'n  79021164'),
      new ControlField('005', '20240101120000.0'),
      new ControlField('008', AUTHORITY_008),
      df('040', '  ', 'a', 'DLC', 'b', 'eng', 'e', 'rda', 'x', 'rda'),
      df('100', '1 ', 'a', 'Twain, Mark,', 'd', '1835-1910'),
      df('400', '1 ', 'a', 'Clemens, Samuel Langhorne,', 'd', '1835-1910'),
      df('400', '0 ', 'a', 'Snodgrass, Quintus Curtius'),
      df('670', '  ', 'a', 'His Huckleberry Finn, 1884.', 'u', 'https://example.org/finn'),
      df('680', '9z', 'a', 'Indicators of 680 are left open by the profile.', 'q', 'and its subfields too'),
      df('985', '  ', 'a', 'local'),
    ],
  });
}

describe('compileAvramSchema', () => {
  const schema = loadAvramSchema(PROFILE);

  test('required fields and subfields, indicators, values and positions reach the tables', () => {
    assert.equal(schema.title, 'mrrc test profile: personal name authority records');
    assert.equal(schema.fields['LDR'], undefined, 'the leader has its own checks');
    const heading = schema.fields['100']!;
    assert.equal(heading.required, true);
    assert.equal(heading.repeatable, false);
    assert.equal(heading.requiredSubfields, 'a');
    assert.equal(heading.ind1, '013');
    assert.equal(heading.ind2, null);
    assert.equal(heading.obsoleteSubfields, 'h');
    assert.deepEqual(heading.subfields?.['e'], ['Relator term', true]);
    assert.deepEqual(heading.subfieldValues?.['d'], { pattern: '^[0-9]{4}-([0-9]{4})?$' });
    assert.equal(schema.fields['400']?.required, undefined);
    assert.equal(schema.fields['400']?.ind2, ' ');
    // A referenced codelist resolves through "codelists"; an array is a codelist too.
    assert.deepEqual(schema.fields['040']?.subfieldValues, { b: { codes: ['eng', 'fre', 'spa'], obsolete: ['ger'] }, x: { codes: ['rda', 'aacr'] } });
    // Indicators without codes and a field without a subfield schedule are not constrained.
    assert.deepEqual(schema.fields['680'], { label: 'Public General Note', repeatable: true, ind1Label: 'Undefined', ind2Label: 'Undefined' });
    assert.deepEqual(schema.fields['001'], { label: 'Control Number', repeatable: false, required: true, control: true });
    const kind = schema.fields['008']?.positions?.[0];
    assert.deepEqual(kind, { key: '09', start: 9, end: 10, label: 'Kind of record', codes: ['a', 'b', 'c'], obsolete: ['d'] });
    // An unresolvable codelist reference leaves the position free.
    assert.deepEqual(schema.fields['008']?.positions?.[1], { key: '10', start: 10, end: 11, label: 'Descriptive cataloging rules' });
    assert.deepEqual(schema.fields['005']?.positions, [{ key: '00-07', start: 0, end: 8, label: 'Date', pattern: '^(19|20)[0-9]{2}[01][0-9][0-3][0-9]$' }]);
  });

  test('JSON text, a parsed object and a file give the same tables', () => {
    const text = readFileSync(PROFILE, 'utf8');
    assert.deepEqual(compileAvramSchema(text), schema);
    assert.deepEqual(compileAvramSchema(JSON.parse(text) as object), schema);
  });

  test('schemas it cannot read are rejected with the place named', () => {
    assert.throws(() => compileAvramSchema('{'), /invalid Avram schema: not JSON/);
    assert.throws(() => compileAvramSchema({}), /no "fields" object/);
    assert.throws(() => compileAvramSchema({ fields: { '021A/01': { label: 'PICA' } } }), /"021A\/01" is not a MARC tag/);
    assert.throws(() => compileAvramSchema({ fields: { '245': { subfields: { a: { pattern: '(' } } } } }), /field 245 subfield a: pattern "\(" is not a regular expression/);
    assert.throws(() => compileAvramSchema({ fields: { '245': { indicator1: { codes: { '12': {} } } } } }), /field 245 indicator1: unexpected indicator code "12"/);
    assert.throws(() => compileAvramSchema({ fields: { '008': { positions: {}, subfields: {} } } }), /field 008: has both positions and subfields/);
    assert.throws(() => compileAvramSchema({ fields: { '245': { subfields: { ab: {} } } } }), /subfield ab: a subfield code is one character/);
  });

  test('new codes are registered', () => {
    for (const code of ['V105', 'V307', 'V308', 'V309', 'V310', 'V405', 'V406'] as const) assert.ok(VALIDATION_CODES[code].slug.length > 0, code);
    assert.equal(VALIDATION_CODES.V105.slug, 'missing_required_field');
    assert.equal(VALIDATION_CODES.V307.slug, 'missing_required_subfield');
  });
});

describe('validate(record, { schema })', () => {
  const schema = loadAvramSchema(PROFILE);

  test('a record that follows the profile passes', () => {
    assert.deepEqual(validate(goodAuthority(), { schema }), []);
    // Without the schema, authority records get no per-tag rules at all.
    assert.deepEqual(validate(goodAuthority()), []);
  });

  test('missing required fields (V105) and required subfields (V307)', () => {
    const record = new Record({
      leader: AUTHORITY_LEADER,
      fields: [new ControlField('008', AUTHORITY_008), df('100', '1 ', 'd', '1835-1910'), df('670', '  ', 'b', 'no citation'), df('400', '1 ', 'w', 'nnaa')],
    });
    const issues = validate(record, { schema });
    assert.deepEqual(codes(issues), ['V105 001', 'V105 040', 'V307 100', 'V307 670', 'V307 400']);
    const [missing001, , missingA] = issues;
    assert.deepEqual(missing001, { code: 'V105', slug: 'missing_required_field', severity: 'error', message: 'the record has no 001 (Control Number), which the schema requires', tag: '001' });
    assert.deepEqual(missingA, {
      code: 'V307',
      slug: 'missing_required_subfield',
      severity: 'error',
      message: '100 (Heading - Personal Name) has no $a (Personal name), which the schema requires',
      tag: '100',
      position: { field: 1, subfieldCode: 'a' },
    });
    // A field without any subfield is V304 only.
    const empty = new Record({ leader: AUTHORITY_LEADER, fields: [new ControlField('001', 'x'), new ControlField('008', AUTHORITY_008), df('040', '  ', 'a', 'DLC'), df('100', '1 ')] });
    assert.deepEqual(codes(validate(empty, { schema })), ['V304 100']);
  });

  test('repeatability, indicators, patterns, codelists and positions from the schema', () => {
    const record = new Record({
      leader: AUTHORITY_LEADER,
      fields: [
        new ControlField('001', 'x1'),
        new ControlField('005', '18991231000000.0'),
        new ControlField('008', AUTHORITY_008.slice(0, 9) + 'd' + AUTHORITY_008.slice(10)),
        df('040', '  ', 'a', 'DLC', 'b', 'xxx', 'x', 'ger'),
        df('100', '2 ', 'a', 'Twain, Mark', 'd', '18x5-', 'h', 'old', 'q', 'undefined'),
        df('100', '1 ', 'a', 'Again'),
        df('400', '11', 'a', 'One', 'a', 'Two'),
        df('670', '  ', 'a', 'Source', 'u', 'ftp://example.org/x'),
        df('700', '1 ', 'a', 'Not in the profile'),
        df('040', '  ', 'a', 'DLC', 'b', 'ger'),
      ],
    });
    const issues = validate(record, { schema });
    assert.deepEqual(codes(issues), [
      'V405 005',
      'V406 008',
      'V309 040', // $b xxx
      'V309 040', // $x ger
      'E201 100',
      'V308 100', // $d
      'V302 100', // $h deprecated
      'V301 100', // $q
      'V103 100',
      'E201 400',
      'V303 400',
      'V308 670',
      'V102 700',
      'V103 040',
      'V310 040', // $b ger, a deprecated code
    ]);
    const message = (code: string, tag: string): string | undefined => issues.find((i) => i.code === code && i.tag === tag)?.message;
    assert.equal(message('E201', '100'), "100 indicator 1 is '2'; the schema allows Type of personal name entry element: 0, 1, 3");
    assert.equal(message('E201', '400'), "400 indicator 2 is '1'; the schema allows Undefined: blank");
    assert.equal(message('V102', '700'), '700 is not defined by "mrrc test profile: personal name authority records"');
    assert.equal(message('V308', '100'), '100 $d (Dates associated with a name) "18x5-" does not match /^[0-9]{4}-([0-9]{4})?$/');
    assert.equal(message('V405', '005'), '005/00-07 (Date) is "18991231", which does not match /^(19|20)[0-9]{2}[01][0-9][0-3][0-9]$/');
    assert.equal(message('V406', '008'), '008/09 (Kind of record) is "d", a code the schema lists as deprecated');
    assert.deepEqual(issues.find((i) => i.code === 'V406')?.position, { field: 2, char: 9, length: 1 });
    assert.equal(message('V309', '040'), '040 $b (Language of cataloging) "xxx" is not in the schema\'s codes');
    assert.equal(message('V310', '040'), '040 $b (Language of cataloging) "ger" is a deprecated code');
    // The switches and ignore work as for the built-in rules.
    assert.ok(!validate(record, { schema, fixedFieldValues: false }).some((i) => i.code === 'V405' || i.code === 'V406'));
    assert.ok(!validate(record, { schema, ignore: ['V308'] }).some((i) => i.code === 'V308'));
  });

  test('checkIndicators takes the schema too', () => {
    assert.deepEqual(checkIndicators('100', '2', ' ', 'z', { schema }).map((p) => [p.code, p.indicator, p.expected]), [['E201', 1, '013']]);
    assert.deepEqual(checkIndicators('680', '9', 'z', 'z', { schema }), []);
    assert.deepEqual(checkIndicators('100', '2', ' ', 'z'), [], 'no schema: authority records have no per-tag rules');
  });

  test('a schema replaces the built-in tables for bibliographic records too', () => {
    const bib = compileAvramSchema({
      title: 'tiny bibliographic profile',
      fields: {
        '008': { label: 'Fixed-Length Data Elements', types: { 'All Materials': { positions: { '39': { label: 'Cataloging source', codes: { ' ': {}, d: {} } } } }, Books: { positions: { '33': { label: 'Literary form', codes: { '0': {}, '1': {} } } } } } },
        '245': { label: 'Title Statement', required: true, indicator1: null, indicator2: null, subfields: { a: { label: 'Title', required: true } } },
      },
    });
    const record = new Record({
      leader: '00000nam a2200000 a 4500',
      fields: [new ControlField('008', '000107s2000    nyu           000 f eng c'), df('245', '10', 'b', 'Subtitle only'), df('020', '  ', 'a', '0306406153')],
    });
    assert.deepEqual(codes(validate(record, { schema: bib })), [
      'V402 008', // 39 'c' (All Materials positions come first)
      'V402 008', // 33 'f' is not a Books literary form here
      'E201 245', // ind1 '1': the profile leaves both indicators undefined
      'E201 245', // ind2 '0'
      'V301 245', // $b is not in the profile
      'V307 245', // and $a, which it requires, is missing
      'V102 020',
      'V501 020', // identifier checks stay on for bibliographic records
    ]);
    assert.equal(validate(record, { schema: bib })[1]!.message, '008/33 (Literary form, Books) is "f"; the schema defines "0", "1"');
  });
});

describe('the built-in tables', () => {
  test('BIBLIOGRAPHIC_SCHEMA is the generated tables, which hold no required data', () => {
    assert.equal(BIBLIOGRAPHIC_SCHEMA.fields, BIBLIOGRAPHIC_FIELDS);
    assert.equal(BIBLIOGRAPHIC_SCHEMA.fixedFields, BIBLIOGRAPHIC_FIXED_FIELDS);
    // MARC::Schema's marc-schema.json has no "required": documented in docs/validation.md.
    const withRequired = Object.entries(BIBLIOGRAPHIC_FIELDS).filter(([, r]) => r.required === true || r.requiredSubfields !== undefined || r.subfieldValues !== undefined || r.positions !== undefined);
    assert.deepEqual(withRequired, []);
  });

  test('passing the built-in schema explicitly changes no issue codes', () => {
    const records = [...readRecordsSync(fixture('pymarc/test.dat')), ...readRecordsSync(fixture('pymarc/bad_indicator.dat'), { mode: 'lenient' })];
    for (const r of records) {
      assert.deepEqual(codes(validate(r, { schema: BIBLIOGRAPHIC_SCHEMA })), codes(validate(r)));
    }
  });

  test('the generated tables are what the shared conversion makes of marc-schema.json', { skip: !existsSync(LC_SCHEMA) && `${LC_SCHEMA} not installed (apt-get install libmarc-schema-perl)` }, () => {
    const { fields, fixedFields } = avramFieldRules(JSON.parse(readFileSync(LC_SCHEMA, 'utf8')));
    assert.deepEqual(fields, BIBLIOGRAPHIC_FIELDS);
    assert.deepEqual(fixedFields, BIBLIOGRAPHIC_FIXED_FIELDS);
    const runtime = loadAvramSchema(LC_SCHEMA);
    const records = [...readRecordsSync(fixture('pymarc/test.dat'))];
    for (const r of records) assert.deepEqual(codes(validate(r, { schema: runtime })), codes(validate(r)));
  });
});
