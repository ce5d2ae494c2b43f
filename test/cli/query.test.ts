import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mrrcBytes as mrrc } from './helpers.js';
import { FIXTURES } from '../helpers.js';
import { readRecordsSync } from '../../src/index.js';



const SAMPLE = FIXTURES + 'mrrc-testbed/bibliographic/sample.mrc';

test('filter keeps exactly the records the spec matches; --invert the others', () => {
  const all = [...readRecordsSync(SAMPLE)];
  const maps = all.filter((r) => r.leader.recordType === 'e').length;
  const kept = mrrc(['filter', SAMPLE, '--where', 'LDR/06{=\\e}']);
  assert.equal(kept.status, 0, kept.stderr);
  const records = [...readRecordsSync(kept.stdout)];
  assert.equal(records.length, maps);
  assert.ok(records.every((r) => r.leader.recordType === 'e'));
  const rest = mrrc(['filter', SAMPLE, '--where', 'LDR/06{=\\e}', '--invert']);
  assert.equal([...readRecordsSync(rest.stdout)].length, all.length - maps);
  const both = mrrc(['filter', SAMPLE, '--where', 'LDR/06{=\\e}', '--where', '020']);
  assert.equal([...readRecordsSync(both.stdout)].length, all.filter((r) => r.leader.recordType === 'e' && r.get('020') !== undefined).length);
});

test('get prints one row per record in tsv, csv and jsonl', () => {
  const tsv = mrrc(['get', FIXTURES + 'pymarc/test.dat', '245$a', '020$a', '--header']);
  assert.equal(tsv.status, 0, tsv.stderr);
  const lines = tsv.stdout.toString('utf8').trimEnd().split('\n');
  assert.equal(lines.length, 11);
  assert.equal(lines[0], 'index\t001\t245$a\t020$a');
  assert.equal(lines[1]?.split('\t')[2], 'ActivePerl with ASP and ADO /');
  const jsonl = mrrc(['get', FIXTURES + 'pymarc/test.dat', '650$a', '--as', 'jsonl']);
  const first = JSON.parse(jsonl.stdout.toString('utf8').split('\n')[0] as string);
  assert.equal(first.index, 0);
  assert.ok(Array.isArray(first['650$a']));
  const csv = mrrc(['get', FIXTURES + 'pymarc/test.dat', '245$a', '--as', 'csv']);
  assert.match(csv.stdout.toString('utf8').split('\n')[0] as string, /^0,.*,ActivePerl with ASP and ADO \/$/);
});

test('a bad spec is a usage error (exit 2) that points at the column', () => {
  const bad = mrrc(['get', SAMPLE, '245$a{']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /column 7/);
});
