import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Record } from '../../src/record/record.js';
import { ControlField } from '../../src/record/field.js';
import { readRecordsSync } from '../../src/index.js';
import {
  BIBLIOGRAPHIC_FIELDS,
  checkIndicators,
  checkLeaderValues,
  checkSubfieldCode,
  isbnCheck,
  issnCheck,
  materialType,
  SCHEMA_SOURCE,
  validate,
  VALIDATION_CODES,
} from '../../src/validate/index.js';
import { hasLazyScan } from '../../src/query/scan.js';
import { fixture, FIXTURES } from '../helpers.js';
import { codes, df } from './helpers.js';

interface CoverageCase {
  id: string;
  code: string;
  fixture: string;
  level: string | undefined;
}

/** The [[case]] blocks of mrrc's error_coverage.toml (only the keys used here). */
function coverageCases(): CoverageCase[] {
  const text = readFileSync(`${FIXTURES}mrrc/error_coverage.toml`, 'utf8');
  return text.split('[[case]]').slice(1).map((block) => {
    const get = (key: string): string | undefined => new RegExp(`^${key} = "([^"]*)"`, 'm').exec(block)?.[1];
    return { id: get('id') ?? '', code: get('code') ?? '', fixture: (get('trigger_fixture') ?? '').replace('tests/data/', 'mrrc/'), level: get('validation_level') };
  });
}

describe('mrrc error fixtures (error_coverage.toml)', () => {
  const cases = coverageCases().filter((c) => /^E(002|201|202|30\d)$/.test(c.code) && c.fixture.endsWith('.bin'));

  test('the manifest has the strict_marc cases', () => {
    assert.ok(cases.length >= 15, String(cases.length));
  });

  for (const c of cases) {
    test(`${c.id} → ${c.code}`, () => {
      const records = [...readRecordsSync(fixture(c.fixture), { mode: 'lenient' })];
      assert.equal(records.length, 1);
      const found = validate(records[0]!).map((i) => i.code as string);
      // The authority fixture is flagged MARC-8 (leader/09 blank), so its 0xFF is a MARC-8 fault.
      const expected = c.id === 'e301_invalid_utf8_in_authority_control_field' ? 'E302' : c.code;
      assert.ok(found.includes(expected), `${c.fixture}: ${found.join(', ')}`);
    });
  }

  test('the cheap checks the reader calls give the same codes', () => {
    for (const c of cases) {
      const bytes = fixture(c.fixture);
      const leader = bytes.subarray(0, 24).toString('latin1');
      if (c.code === 'E002' && c.level === 'strict_marc') {
        assert.ok(checkLeaderValues(leader).some((p) => p.code === 'E002'), c.id);
      }
      if (c.code === 'E002' && c.level === undefined) {
        // Indicator and subfield code counts: the structural E002s of the parser itself.
        assert.ok(checkLeaderValues(leader).some((p) => p.position === 10 || p.position === 11), c.id);
      }
    }
    // A leader string of another length is a problem to report, not a RangeError from Leader.
    const short = checkLeaderValues('00000nam a2200000');
    assert.equal(short[0]?.code, 'E002');
    assert.match(short[0]?.message ?? '', /leader is 17 characters, not 24/);
    assert.deepEqual(checkLeaderValues('00000nam a2200000   4500'), []);
    const bad = checkIndicators('245', ':', '0');
    assert.deepEqual(bad.map((p) => [p.code, p.indicator, p.found]), [['E201', 1, ':']]);
    const perTag = checkIndicators('245', '9', '0');
    assert.deepEqual(perTag.map((p) => [p.code, p.indicator, p.found, p.expected]), [['E201', 1, '9', '01']]);
    assert.match(perTag[0]!.message, /245 indicator 1 is '9'; MARC 21 allows Title added entry: 0, 1/);
    assert.deepEqual(checkIndicators('245', '9', '0', 'a', { perTag: false }), []);
    assert.deepEqual(checkIndicators('245', '9', '0', 'z'), [], 'authority records have no per-tag tables');
    assert.deepEqual(checkIndicators('999', 'x', 'y'), [], 'local tags get the character check only');
    assert.deepEqual(checkIndicators('880', '1', '0'), [], "880 takes its linked field's indicators");
    assert.equal(checkSubfieldCode('100', '\x00')?.code, 'E202');
    assert.equal(checkSubfieldCode('100', 'a'), null);
    assert.equal(checkSubfieldCode('100', '$'), null);
  });
});

describe('MARC 21 rules from the generated tables', () => {
  test('the tables name their source', () => {
    assert.match(SCHEMA_SOURCE.title, /MARC 21 Format for Bibliographic Data/);
    assert.equal(SCHEMA_SOURCE.sha256.length, 64);
    assert.equal(BIBLIOGRAPHIC_FIELDS['245']?.repeatable, false);
    assert.equal(BIBLIOGRAPHIC_FIELDS['650']?.ind2, '01234567');
    for (const code of Object.keys(VALIDATION_CODES)) assert.match(code, /^[EV]\d{3}$/);
  });

  function built(): Record {
    return new Record({
      leader: '00000nam a2200000 a 4500',
      fields: [
        new ControlField('001', 'x1'),
        new ControlField('008', '000107s2000    nyuq          001 0 eng  '),
        df('020', '  ', 'a', '0-306-40615-2 (pbk.)'),
        df('020', '  ', 'a', '9780306406157'),
        df('020', '  ', 'a', '0306406153'),
        df('020', '  ', 'a', '(pbk.)'),
        df('022', '0 ', 'a', '0317-8471', 'l', '0317-8472'),
        df('100', '1 ', 'a', 'Author', 'a', 'Again', 'd', '1900-', 'h', 'nope'),
        df('245', '10', '6', '880-01', 'a', 'Title', 'b', ''),
        df('245', '10', 'a', 'Second title'),
        df('246', '1 ', 'a', 'Variant', 'e', 'obsolete'),
        df('300', '  '),
        df('650', ' 0', 'a', 'Subject'),
        df('700', '1 ', '6', '880-02', 'a', 'Name'),
        df('880', '19', '6', '245-01/(2/r', 'a', 'כותר'),
        df('880', '1 ', '6', '100-03', 'a', 'שם'),
        df('ZZZ', '  ', 'a', 'alphabetic tag'),
        df('987', '  ', 'a', 'local'),
        df('123', '  ', 'a', 'undefined'),
      ],
    });
  }

  test('every kind of rule violation, in record order', () => {
    const issues = validate(built());
    assert.deepEqual(codes(issues), [
      'V402 008', // 008/18-21 illustrations 'q'
      'V501 020',
      'V502 020',
      'V503 022',
      'V303 100', // $a twice
      'V301 100', // $h undefined in 100
      'V305 245', // empty $b
      'V103 245', // second 245
      'V302 246', // $e obsolete
      'V304 300',
      'V602 700', // its 880-02 is missing
      'V602 880', // 100-03 has no 100
      'V102 ZZZ',
      'V102 123',
    ]);
  });

  test('issues carry code, slug, severity, tag, position and message', () => {
    const issues = validate(built());
    const isbn = issues.find((i) => i.code === 'V501')!;
    assert.deepEqual(isbn, { code: 'V501', slug: 'isbn_check_digit', severity: 'error', message: '020 $a ISBN 0306406153 has a wrong check digit', tag: '020', position: { field: 4, subfieldCode: 'a' }, value: '0306406153' });
    const fixed = issues.find((i) => i.code === 'V402')!;
    assert.deepEqual(fixed.position, { field: 1, char: 18, length: 4 });
    assert.match(fixed.message, /008\/18-21 \(Illustrations, Books\) is "q {3}"/);
    const repeated = issues.find((i) => i.code === 'V303')!;
    assert.deepEqual(repeated.position, { field: 7, subfield: 1, subfieldCode: 'a' });
    assert.equal(repeated.severity, 'error');
    assert.equal(issues.find((i) => i.code === 'V102')?.severity, 'warning');
  });

  test('880s are checked against the field they link to', () => {
    const record = new Record({
      leader: '00000nam a2200000 a 4500',
      fields: [
        new ControlField('008', '000107s2000    nyu           001 0 eng  '),
        df('245', '10', '6', '880-01', 'a', 'T'),
        df('880', '90', '6', '245-01', 'a', 'ט', 'z', 'x'),
        df('880', '  ', '6', 'nonsense', 'a', 'x'),
      ],
    });
    assert.deepEqual(validate(record).map((i) => `${i.code} ${i.message}`), [
      "E201 880 (for 245): 245 indicator 1 is '9'; MARC 21 allows Title added entry: 0, 1",
      'V301 880 for 245 (Title Statement) does not define subfield $z',
      'V601 880 $6 "nonsense" is not "tag-occurrence[/script[/orientation]]"',
    ]);
  });

  test('ignore, format and switches', () => {
    const r = built();
    assert.ok(!validate(r, { ignore: ['V102', 'V602'] }).some((i) => i.code === 'V102' || i.code === 'V602'));
    assert.ok(!validate(r, { identifiers: false }).some((i) => i.code.startsWith('V50')));
    assert.ok(!validate(r, { linkage: false }).some((i) => i.code.startsWith('V60')));
    assert.ok(!validate(r, { fixedFieldValues: false }).some((i) => i.code === 'V402'));
  });

  test('008 length per record type', () => {
    const holdings = new Record({ leader: '00000cx  a22000001n 4500', fields: [new ControlField('008', '0'.repeat(40))] });
    const [issue] = validate(holdings).filter((i) => i.code === 'V401');
    assert.equal(issue?.message, '008 has 40 characters; a holdings 008 has 32');
    const authority = new Record({ leader: '00000nz  a2200000n  4500', fields: [new ControlField('008', '0'.repeat(32)), df('100', '1 ', 'a', 'X')] });
    assert.deepEqual(codes(validate(authority)), ['V401 008']);
  });

  test('material types from leader/06-07', () => {
    const t = (l: string): string | undefined => materialType(new Record({ leader: `00000n${l} a2200000 a 4500` }).leader);
    assert.equal(t('am'), 'Books');
    assert.equal(t('as'), 'Continuing Resources');
    assert.equal(t('tm'), 'Books');
    assert.equal(t('em'), 'Maps');
    assert.equal(t('jm'), 'Music');
    assert.equal(t('gm'), 'Visual Materials');
    assert.equal(t('mm'), 'Computer Files');
    assert.equal(t('pc'), 'Mixed Materials');
  });
});

describe('identifiers', () => {
  test('ISBN-10 and ISBN-13 check digits', () => {
    assert.deepEqual(isbnCheck('0-306-40615-2'), { digits: '0306406152', valid: true });
    assert.deepEqual(isbnCheck('080442957X (pbk.)'), { digits: '080442957X', valid: true });
    assert.deepEqual(isbnCheck('978-0-306-40615-7'), { digits: '9780306406157', valid: true });
    assert.equal(isbnCheck('9780306406158')?.valid, false);
    assert.equal(isbnCheck('0306406153')?.valid, false);
    assert.equal(isbnCheck('12345'), null);
    assert.equal(isbnCheck('(pbk.)'), null);
  });

  test('ISSN check digits', () => {
    assert.deepEqual(issnCheck('0317-8471'), { digits: '03178471', valid: true });
    assert.deepEqual(issnCheck('2434-561X'), { digits: '2434561X', valid: true });
    assert.equal(issnCheck('0317-8472')?.valid, false);
    assert.equal(issnCheck('ISSN 0317'), null);
  });
});

describe('real and corrupt records', () => {
  test('the 5,000 LC authority records have no structural or linkage issue', () => {
    let n = 0;
    for (const record of readRecordsSync(fixture('folio/5000.mrc'))) {
      assert.deepEqual(validate(record), [], `record ${n}`);
      n++;
    }
    assert.equal(n, 5000);
  });

  test('pymarc test.dat: only the obsolete 100 ind1 "2" (multiple surname)', () => {
    const all = [...readRecordsSync(fixture('pymarc/test.dat'))].flatMap((r) => validate(r));
    assert.deepEqual(all.map((i) => i.message), ["100 indicator 1 is '2'; MARC 21 allows Type of personal name entry element: 0, 1, 3"]);
  });

  test('pymarc bad_indicator.dat: the bad tag and indicators', () => {
    const [record] = [...readRecordsSync(fixture('pymarc/bad_indicator.dat'), { mode: 'lenient' })];
    assert.deepEqual(codes(validate(record!, { ignore: ['V102', 'V301'] })), ['V101 0 2', 'E201 100', 'E201 260']);
  });

  test('encoding problems found on read are reported', () => {
    const [bad] = [...readRecordsSync(fixture('ruby-marc/utf8_with_bad_bytes.marc'), { mode: 'lenient' })];
    assert.ok(codes(validate(bad!)).includes('E301 245'));
    const [eacc] = [...readRecordsSync(fixture('marc8/bad_eacc_encoding.dat'), { mode: 'lenient' })];
    const e302 = validate(eacc!).find((i) => i.code === 'E302');
    assert.match(e302?.message ?? '', /EACC code 0x7B3639 has no Unicode mapping/);
    assert.equal(e302?.tag, '880');
  });

  test('pymarc bad_records.mrc: blank leader positions are E002', () => {
    const records = [...readRecordsSync(fixture('pymarc/bad_records.mrc'), { mode: 'permissive' })];
    assert.ok(records.length >= 2);
    for (const r of records) assert.deepEqual(validate(r).filter((i) => i.code === 'E002').map((i) => i.position?.char), [5, 6, 7]);
  });

  test('validation leaves the record untouched', { skip: !hasLazyScan(new Record()) && 'needs Record.getFieldsWhere (wired by the lead)' }, () => {
    const bytes = fixture('pymarc/one.dat');
    const [record] = [...readRecordsSync(bytes)];
    validate(record!);
    assert.equal(record!.isUntouched(), true);
  });
});
