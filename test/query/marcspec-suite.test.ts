// Every case of the MARCspec test suite (MARCspec/MARCspec-Test-Suite): parse or reject as it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { FIXTURES } from '../helpers.js';
import { parseSpec, QuerySyntaxError } from '../../src/query/index.js';

interface Suite {
  description: string;
  tests: { description: string; data: string; valid: boolean }[];
}

// The suite's non-"wildCombination" files test one grammar production on its own (a bare
// indicator, a bare position, a comparison string without its leading '\'). Each is placed in
// the smallest full spec that contains that production, so the whole-spec parser judges it.
const EMBED: { [file: string]: (data: string) => string } = {
  'validFieldTag.json': (d) => d,
  'invalidFieldTag.json': (d) => d,
  'validIndicators.json': (d) => `245^${d}`,
  'invalidIndicators.json': (d) => `245^${d}`,
  'validPositionOrRange.json': (d) => `LDR/${d}`,
  'invalidPositionOrRange.json': (d) => `LDR/${d}`,
  'validSubfieldRange.json': (d) => `245$${d}`,
  'invalidSubfieldRange.json': (d) => `245$${d}`,
  'validSubfieldTag.json': (d) => `245$${d}`,
  'invalidSubfieldTag.json': (d) => `245$${d}`,
  'validComparisonString.json': (d) => `245{245$a=\\${d}}`,
  'invalidComparisonString.json': (d) => `245{245$a=\\${d}}`,
  'validSubSpec.json': (d) => `245${d}`,
};

let total = 0;
for (const dir of ['valid', 'invalid']) {
  for (const file of readdirSync(`${FIXTURES}marcspec/${dir}`).sort()) {
    const suite = JSON.parse(readFileSync(`${FIXTURES}marcspec/${dir}/${file}`, 'utf8')) as Suite;
    const embed = EMBED[file] ?? ((d: string) => d);
    total += suite.tests.length;
    test(`MARCspec suite ${dir}/${file} (${suite.tests.length} cases)`, () => {
      const wrong: string[] = [];
      for (const c of suite.tests) {
        const spec = embed(c.data);
        let ok = true;
        let why = '';
        try {
          parseSpec(spec);
        } catch (e) {
          if (!(e instanceof QuerySyntaxError)) throw e;
          ok = false;
          why = e.detail;
          assert.ok(e.column >= 1 && e.column <= spec.length + 1, `column ${e.column} inside ${JSON.stringify(spec)}`);
        }
        if (ok !== c.valid) wrong.push(`${JSON.stringify(spec)} (${c.description}): expected ${c.valid ? 'valid' : 'invalid'}${why ? `, got: ${why}` : ''}`);
      }
      assert.deepEqual(wrong, []);
    });
  }
}

test('the suite was found', () => {
  assert.ok(total > 2800, `only ${total} cases`);
});
