// Reading yaz-marcdump's line format (`mrrc dump`'s output) back into records: yaz's own dumps
// (committed) read as the records they were made from, and every dump we write reads back whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readRecordsSync } from '../../src/index.js';
import { readText, readTextResults, toText } from '../../src/formats/text/index.js';
import { detectFormat } from '../../src/formats/detect.js';
import { FIXTURES } from '../helpers.js';

/** Source ISO 2709 file and yaz-marcdump's line dump of it (as test/cli/dump.test.ts uses them). */
const YAZ_DUMPS: [string, string][] = [
  ...[1, 2, 3, 4, 5].map((i): [string, string] => [`yaz/marccol${i}.u8.marc`, `yaz/marccol${i}.u8.1.lst`]),
  ...['pymarc/test.dat', 'pymarc/one.dat', 'mrrc-testbed/bibliographic/sample.mrc', 'mrrc-testbed/authority/sample.mrc',
    'mrrc-testbed/edge_cases/sample.mrc', 'marc4js/collection.mrc', 'ruby-marc/random_tag_order.dat', 'ruby-marc/utf8_multirecord.marc']
    .map((f): [string, string] => [f, `yaz/dump/${f.replaceAll('/', '_')}.txt`]),
];

const json = (records: Iterable<{ toJSON(): unknown }>): string[] => [...records].map((r) => JSON.stringify(r.toJSON()));

test("yaz-marcdump's line dumps read as the records they were made from", () => {
  for (const [source, dump] of YAZ_DUMPS) {
    const text = readFileSync(FIXTURES + dump);
    assert.equal(detectFormat(text), 'text', dump);
    const results = [...readTextResults(text)];
    assert.deepEqual(results.flatMap((r) => r.errors.map((e) => e.message)), [], dump);
    assert.deepEqual(json(results.map((r) => r.record as NonNullable<typeof r.record>)), json(readRecordsSync(FIXTURES + source, { mode: 'lenient' })), dump);
  }
});

test('every dump we write reads back as the records it shows', () => {
  for (const file of ['samples/loc-bibliographic.mrc', 'test/fixtures/folio/sample100.mrc', 'test/fixtures/marc8/yaz-marc9.marc']) {
    const records = [...readRecordsSync(new URL(`../../${file}`, import.meta.url).pathname, { mode: 'lenient' })];
    assert.deepEqual(json(readText(toText(records))), json(records), file);
  }
});

test('a value that starts with "$1 " (066 of a CJK record) is a value; empty subfields, leading and trailing blanks survive', () => {
  const text = [
    '00000cam a2200000 a 4500',
    '001 id ',
    '066    $c $1 $c Zsym',
    '245 10 $a  Two leading, one trailing  $b  $c end ',
    '500    uncoded $a after',
    '',
  ].join('\n');
  const [result] = [...readTextResults(text, { mode: 'lenient' })];
  const record = result?.record;
  assert.deepEqual(record?.toJSON().fields, [
    { tag: '001', value: 'id ' },
    { tag: '066', ind1: ' ', ind2: ' ', subfields: [{ code: 'c', value: '$1' }, { code: 'c', value: 'Zsym' }] },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: ' Two leading, one trailing ' }, { code: 'b', value: '' }, { code: 'c', value: 'end ' }] },
    { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: '', value: 'uncoded' }, { code: 'a', value: 'after' }] },
  ]);
  assert.deepEqual(result?.errors.map((e) => e.code), ['E106']);
  assert.equal(toText(record as NonNullable<typeof record>), text + '\n');
});

test("yaz's continuation lines, annotations and records without a blank line between them", () => {
  const text = '00000nam a2200000 a 4500\n245 10 $a A title long enough to be wrapped by a tool that wraps\n    lines $c Someone\n(a note yaz prints)\n00000nam a2200000 a 4500\n001 second\n';
  const records = [...readText(text)];
  assert.equal(records.length, 2);
  // In a yaz-style record `LDR` is a tag like any other (marc4js and natlibfi start a record there).
  const local = [...readText('00000nam a2200000 a 4500\n001 x\nLDR 10 $a local field\n')];
  assert.equal(local.length, 1);
  assert.equal(local[0]?.getDataField('LDR')?.get('a'), 'local field');
  assert.equal(records[0]?.getDataField('245')?.get('a'), 'A title long enough to be wrapped by a tool that wraps lines');
  assert.equal(records[1]?.getValue('001'), 'second');
});
