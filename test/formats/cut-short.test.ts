/*
 * A line format cut inside a line (a download cut short) flags its last record E005, as ISO 2709
 * flags a record the input cuts: lenient and permissive keep it with the flag, strict stops there
 * having handed out the records before it. Only where the writers end every line: MARCMaker and
 * yaz's line dump, not natlibfi's style (which never ends its last line).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecordsSync } from '../../src/io/sync.js';
import { MarcError } from '../../src/errors.js';
import { readFormatResultsSync, writeFormatSync } from '../../src/formats/index.js';
import { toText } from '../../src/formats/text/index.js';

const records = [...readRecordsSync('samples/loc-bibliographic.mrc')].slice(0, 20);

for (const format of ['mrk', 'text'] as const) {
  const whole = writeFormatSync(records, { format });
  // Into the last record, part way through one of its lines.
  const cut = whole.slice(0, whole.lastIndexOf('\n', whole.length - 3) - 7);

  test(`${format}: cut inside a line, the last record is flagged E005 (lenient, permissive)`, () => {
    for (const mode of ['lenient', 'permissive'] as const) {
      const results = [...readFormatResultsSync(cut, { format, mode })];
      assert.equal(results.length, records.length, mode);
      const last = results[results.length - 1];
      assert.equal(last?.errors[0]?.code, 'E005', mode);
      assert.match(last?.errors[0]?.message ?? '', /ends inside this record's last line/);
      assert.ok(results.slice(0, -1).every((r) => r.errors.length === 0), `${mode}: only the last record`);
    }
  });

  test(`${format}: cut inside a line, strict mode stops at the last record having handed out the rest`, () => {
    const got: unknown[] = [];
    assert.throws(() => {
      for (const result of readFormatResultsSync(cut, { format, mode: 'strict' })) got.push(result);
    }, (e: unknown) => e instanceof MarcError && e.code === 'E005' && e.recordIndex === records.length - 1);
    assert.equal(got.length, records.length - 1);
  });

  test(`${format}: whole, or without only its final line end after a blank line, nothing is flagged`, () => {
    for (const input of [whole, whole.replace(/\n+$/, '\n')]) {
      const results = [...readFormatResultsSync(input, { format, mode: 'lenient' })];
      assert.equal(results.length, records.length);
      assert.ok(results.every((r) => r.errors.length === 0));
    }
  });
}

test('text: natlibfi style, which ends its last line without a line end, is not flagged', () => {
  const natlibfi = toText(records, { style: 'natlibfi' });
  assert.ok(!natlibfi.endsWith('\n'));
  const results = [...readFormatResultsSync(natlibfi, { format: 'text', mode: 'strict' })];
  assert.equal(results.length, records.length);
  assert.ok(results.every((r) => r.errors.length === 0));
});
