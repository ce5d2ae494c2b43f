// Every input the fuzzer ever failed on, replayed against every invariant. Inputs of bugs still
// open carry a `todo` in their .json and run as todo tests until the fix lands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REGRESSIONS, failureOf, type RegressionMeta } from '../../scripts/fuzz.js';

const names = readdirSync(REGRESSIONS).filter((n) => n.endsWith('.json')).sort();

test('there are regression inputs to replay', () => {
  assert.ok(names.length > 0);
});

for (const name of names) {
  const meta = JSON.parse(readFileSync(join(REGRESSIONS, name), 'utf8')) as RegressionMeta;
  const input = new Uint8Array(readFileSync(join(REGRESSIONS, name.replace(/\.json$/, '.bin'))));
  test(`fuzz regression ${name.replace(/\.json$/, '')} (${meta.target}, ${meta.kind})`, meta.todo === undefined ? {} : { todo: meta.todo }, () => {
    const failure = failureOf(meta.target, input);
    assert.equal(failure === null ? null : `${failure.kind}: ${failure.message}`, null);
  });
}
