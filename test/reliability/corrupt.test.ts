// Every corrupt file of the shared corpora (copied under test/fixtures/corrupt), read in all three
// modes: the outcome of each is written down in expected.json (regenerate with
// corrupt-expected.gen.ts and review the diff), and permissive mode recovers at least as many
// records with data as yaz-marcdump does from the same file (yaz's counts are data in that file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../helpers.js';
import { outcome, type CorruptFormat, type Outcome } from './corrupt-outcome.js';

interface Expected {
  format: CorruptFormat;
  yaz: number | null;
  yazAll: number | null;
  strict: Outcome;
  lenient: Outcome;
  permissive: Outcome;
}

const DIR = join(FIXTURES, 'corrupt');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { [path: string]: Expected };

test('the corrupt set is there', () => {
  assert.ok(Object.keys(expected).length >= 70);
});

for (const [path, want] of Object.entries(expected)) {
  test(`corrupt: ${path}`, () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, path)));
    for (const mode of ['strict', 'lenient', 'permissive'] as const) {
      assert.deepEqual(outcome(bytes, want.format, mode), want[mode], `${mode} mode`);
    }
    // Permissive never stops early: everything is a record or a reported skip.
    assert.equal(want.permissive.threw, null);
    if (want.yaz !== null) assert.ok(want.permissive.records >= want.yaz, `permissive recovers ${want.permissive.records}, yaz ${want.yaz}`);
  });
}
