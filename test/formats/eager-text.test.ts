// Eager reads of the text formats look through every record's text as ISO 2709's eager read
// looks through its bytes: control characters (E305) and subfield codes (E202), kept as read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFormatResultsSync } from '../../src/formats/index.js';
import { Iso2709Writer } from '../../src/iso2709/writer.js';
import { readRecordsSync } from '../../src/index.js';
import { validate } from '../../src/validate/index.js';
import { MarcError } from '../../src/errors.js';
import type { ReadResult } from '../../src/formats/common.js';
import { FIXTURES } from '../helpers.js';

// LC's MODS→MARC stylesheet output: pretty-printed, so three subfields hold line breaks and indentation.
const LC_PRETTY = FIXTURES + 'lc-reference/marc2bibframe2-nlm/015_117821.mods2marc.xml';

const JSON_RECORD = JSON.stringify({
  leader: '00000nam a2200000 a 4500',
  fields: [
    { '001': 'abc\u001edef' },
    { '245': { ind1: '1', ind2: '\u0007', subfields: [{ a: 'Tit\tle\u001d /' }, { '\t': 'coded by a tab' }, { c: 'clean' }] } },
  ],
});

function found(results: Iterable<ReadResult>): string[] {
  const out: string[] = [];
  for (const r of results) for (const e of r.errors) out.push(`${r.recordIndex} ${e.code} ${e.tag ?? ''} ${e.subfieldCode ?? ''} ${e.detail}`);
  return out;
}

describe('eager reads of text formats', () => {
  test('MARC-in-JSON: every control character and bad code reported with its place, the text kept as read', () => {
    const results = [...readFormatResultsSync(JSON_RECORD, { format: 'marcjson', mode: 'lenient', eager: true })];
    assert.deepEqual(found(results), [
      '0 E202 245 \t field 1 (245) has subfield code "\\t", which is not printable ASCII; kept as read',
      '0 E305 001  field 0 (001) holds a field terminator (0x1E) at character 3; kept as read',
      '0 E305 245  field 1 (245) ind2 holds control character 0x07 at character 0; kept as read',
      '0 E305 245 a field 1 (245) $a holds a tab (0x09) at character 3 and 1 more; kept as read',
    ]);
    const [first] = results;
    const error = first?.errors[1] as MarcError;
    assert.equal(error.recordIndex, 0);
    assert.equal(error.controlNumber, 'abc\u001edef');
    assert.equal(error.severity, 'warning');
    const record = first?.record;
    assert.equal(record?.get('245')?.isDataField() && record.getDataField('245')?.get('a'), 'Tit\tle\u001d /');
  });

  test('MARC-in-JSON without escapes (the fast path skips the text, which cannot hold a control character) still has its codes looked at', () => {
    const record = (title: string) => JSON.stringify({ leader: '00000nam a2200000 a 4500', fields: [{ '001': 'x' }, { '245': { ind1: '1', ind2: '0', subfields: [{ a: title }, { é: 'accented code' }] } }] });
    const input = [record('Plain'), record('Say "hi"'), record('Tab\there')].join('\n');
    assert.deepEqual(found(readFormatResultsSync(input, { format: 'marcjson', mode: 'lenient', eager: true })), [
      '0 E202 245 é field 1 (245) has subfield code "é", which is not printable ASCII; kept as read',
      '1 E202 245 é field 1 (245) has subfield code "é", which is not printable ASCII; kept as read',
      '2 E202 245 é field 1 (245) has subfield code "é", which is not printable ASCII; kept as read',
      '2 E305 245 a field 1 (245) $a holds a tab (0x09) at character 3; kept as read',
    ]);
  });

  test('strict mode throws at the first, and a read that is not eager looks for nothing', () => {
    assert.throws(() => [...readFormatResultsSync(JSON_RECORD, { format: 'marcjson', mode: 'strict', eager: true })], (e: unknown) => e instanceof MarcError && e.code === 'E202' && e.recordIndex === 0);
    assert.deepEqual(found(readFormatResultsSync(JSON_RECORD, { format: 'marcjson', mode: 'lenient' })), []);
  });

  test('MARCXML: the byte path and saxes report the same, on real pretty-printed records', () => {
    const bytes = readFileSync(LC_PRETTY);
    const expected = [
      '0 E305 260 c field 17 (260) $c holds a line feed (0x0A) at character 4 and 10 more; kept as read',
      '0 E305 510 a field 27 (510) $a holds a line feed (0x0A) at character 0 and 7 more; kept as read',
      '0 E305 510 a field 28 (510) $a holds a line feed (0x0A) at character 0 and 5 more; kept as read',
    ];
    for (const tokenizer of ['fast', 'saxes'] as const) {
      assert.deepEqual(found(readFormatResultsSync(bytes, { format: 'marcxml', mode: 'lenient', eager: true, tokenizer })), expected, tokenizer);
    }
    assert.deepEqual(found(readFormatResultsSync(bytes, { format: 'marcxml', mode: 'lenient' })), []);
  });

  test('MARCXML byte path: a record it builds from bytes is looked through too (and a code in a character reference)', () => {
    const xml = (value: string, code = 'a') => `<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">x</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="${code}">${value}</subfield></datafield></record>`;
    const doc = `<collection xmlns="http://www.loc.gov/MARC21/slim">${xml('a\tb')}${xml('clean')}${xml('c', '&#9;')}</collection>`;
    const results = [...readFormatResultsSync(Buffer.from(doc), { format: 'marcxml', mode: 'lenient', eager: true })];
    // The first two are built from bytes (their fields keep a source range), the third by the text path.
    assert.deepEqual(results.map((r) => r.record?.fields[0]?.sourceRange() !== null), [true, true, false]);
    assert.deepEqual(found(results), [
      '0 E305 245 a field 1 (245) $a holds a tab (0x09) at character 1; kept as read',
      '2 E202 245 \t field 1 (245) has subfield code "\\t", which is not printable ASCII; kept as read',
    ]);
  });

  test('MARCMaker: a tab in a line is reported', () => {
    const mrk = '=LDR  00000nam a2200000 a 4500\n=001  id\n=245  10$aTab\there\n';
    assert.deepEqual(found(readFormatResultsSync(mrk, { format: 'mrk', mode: 'lenient', eager: true })), ['0 E305 245 a field 1 (245) $a holds a tab (0x09) at character 3; kept as read']);
  });
});

describe('validate() reports control characters whatever the record came from (E305)', () => {
  test('a MARC-in-JSON record: each text with its position (an indicator holding one is E201)', () => {
    const [result] = readFormatResultsSync(JSON_RECORD, { format: 'marcjson', mode: 'lenient' });
    const issues = validate(result?.record as NonNullable<ReadResult['record']>).filter((i) => i.code === 'E305' || i.code === 'E201');
    assert.deepEqual(
      issues.map((i) => [i.code, i.tag, i.position, i.severity]),
      [
        ['E305', '001', { field: 0 }, 'error'],
        ['E201', '245', { field: 1, indicator: 2 }, 'error'],
        ['E305', '245', { field: 1, subfield: 0, subfieldCode: 'a' }, 'error'],
      ],
    );
    assert.match(issues[2]?.message ?? '', /\$a holds a tab \(0x09\) at character 3 and 1 more/);
  });

  test('an ISO 2709 record read lazily, its field terminator inside a field found by the directory', () => {
    const [json] = readFormatResultsSync(JSON_RECORD, { format: 'marcjson', mode: 'lenient' });
    const record = json?.record as NonNullable<ReadResult['record']>;
    const clean = record.getDataField('245');
    clean?.removeSubfields('\t');
    if (clean !== undefined) clean.ind2 = '0';
    const bytes = new Iso2709Writer().write(record);
    const [read] = readRecordsSync(bytes, { mode: 'lenient' });
    assert.equal(read?.errors.length, 0, 'a lazy read looks at no text');
    const issues = validate(read as NonNullable<typeof read>).filter((i) => i.code === 'E305');
    assert.deepEqual(
      issues.map((i) => i.message),
      ['field 0 (001) holds a field terminator (0x1E) at character 3', 'field 1 (245) $a holds a tab (0x09) at character 3 and 1 more'],
    );
  });

  test('clean real records have none', () => {
    for (const record of readRecordsSync(FIXTURES + 'pymarc/test.dat')) assert.deepEqual(validate(record).filter((i) => i.code === 'E305'), []);
  });
});
