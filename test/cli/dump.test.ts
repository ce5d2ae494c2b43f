/**
 * `mrrc dump` against yaz-marcdump's own output (committed; the suite does not need yaz), run as a
 * user runs it: a spawned process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mrrc, mrrcBytes, withUnreadableSecond } from './helpers.js';
import { readRecordsSync } from '../../src/index.js';
import type { Record } from '../../src/record/record.js';
import { FIXTURES } from '../helpers.js';



const CASES: [string, string][] = [
  ...[1, 2, 3, 4, 5].map((i): [string, string] => [`yaz/marccol${i}.u8.marc`, `yaz/marccol${i}.u8.1.lst`]),
  ...['pymarc/test.dat', 'pymarc/one.dat', 'mrrc-testbed/bibliographic/sample.mrc', 'mrrc-testbed/authority/sample.mrc',
    'mrrc-testbed/edge_cases/sample.mrc', 'marc4js/collection.mrc', 'ruby-marc/random_tag_order.dat', 'ruby-marc/utf8_multirecord.marc']
    .map((f): [string, string] => [f, `yaz/dump/${f.replaceAll('/', '_')}.txt`]),
];

test('mrrc dump prints exactly what yaz-marcdump prints', () => {
  for (const [input, expected] of CASES) {
    const result = mrrc(['dump', FIXTURES + input]);
    assert.equal(result.status, 0, `${input}: ${result.stderr}`);
    assert.equal(result.stdout, readFileSync(FIXTURES + expected, 'utf8'), input);
  }
});

test('mrrc dump reads standard input', () => {
  const result = mrrc(['dump'], readFileSync(FIXTURES + 'pymarc/one.dat'));
  assert.equal(result.status, 0);
  assert.equal(result.stdout, readFileSync(FIXTURES + 'yaz/dump/pymarc_one.dat.txt', 'utf8'));
});

test('mrrc count, a bad flag, an unreadable file, a corrupt file in each mode', () => {
  assert.equal(mrrc(['count', FIXTURES + 'pymarc/test.dat']).stdout, '10\n');
  assert.equal(mrrc(['count', '--bogus']).status, 2);
  const missing = mrrc(['dump', '/nonexistent.mrc']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /E007/);
  const strict = mrrc(['count', '--mode', 'strict', FIXTURES + 'pymarc/bad_records.mrc']);
  assert.equal(strict.status, 1);
  assert.match(strict.stderr, /E004.*record 1/);
  const permissive = mrrc(['count', '--json', '--mode', 'permissive', FIXTURES + 'pymarc/bad_records.mrc']);
  assert.equal(permissive.status, 1);
  // Record 6 is a leader alone: read with a warning (E107); nothing in the file is unreadable.
  assert.deepEqual(JSON.parse(permissive.stdout), { records: 8, repaired: 6, skipped: 0 });
  assert.match(permissive.stderr, /E107/);
  const unreadable = mrrc(['count', '--json', '--mode', 'permissive'], withUnreadableSecond(readFileSync(FIXTURES + 'pymarc/one.dat')));
  assert.deepEqual(JSON.parse(unreadable.stdout), { records: 1, repaired: 0, skipped: 1 });
  assert.match(unreadable.stderr, /E107 no_fields: the record has no directory entries \(record 1,/);
});

test("mrrc dump's output converts back: `mrrc dump x.mrc | mrrc convert - -t marc` gives the records again", () => {
  const source = FIXTURES + 'yaz/marccol1.u8.marc';
  const dumped = mrrc(['dump', source]);
  const back = mrrcBytes(['convert', '-', '-t', 'marc'], Buffer.from(dumped.stdout));
  assert.equal(back.status, 0, back.stderr);
  const json = (records: Iterable<Record>) => [...records].map((r) => JSON.stringify(r.toJSON()));
  assert.deepEqual(json(readRecordsSync(back.stdout)), json(readRecordsSync(source)));
});
