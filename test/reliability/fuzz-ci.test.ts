// The CI slice of the fuzzer: a fixed seed for a fixed time, every target, every mode. Same
// harness as `npm run fuzz`; a failure prints the --seed / --replay pair that rebuilds the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REGRESSIONS, failureOf, fuzzGuarded, type RegressionMeta } from '../../scripts/fuzz.js';

const SEED = 20240917;
// Room under the 30 s file budget for loading seeds and starting the worker.
const SECONDS = 18;

function key(target: string, kind: string, message: string): string {
  return `${target}|${kind}|${message.replace(/\d+/g, '#')}`;
}

/** Failures that are open bugs already (a todo regression input fails the same way). */
function knownKinds(): Set<string> {
  const out = new Set<string>();
  for (const name of readdirSync(REGRESSIONS).filter((n) => n.endsWith('.json'))) {
    const meta = JSON.parse(readFileSync(join(REGRESSIONS, name), 'utf8')) as RegressionMeta;
    if (meta.todo !== undefined) out.add(key(meta.target, meta.kind, meta.message));
  }
  return out;
}

test(`fuzz: seed ${SEED} for ${SECONDS} s finds nothing new`, { timeout: 60_000 }, async (t) => {
  const summary = await fuzzGuarded({ seed: SEED, seconds: SECONDS });
  t.diagnostic(`${summary.inputs} inputs (${Object.entries(summary.perTarget).map(([k, n]) => `${k} ${n}`).join(', ')}), ${summary.failures.length} failures, max heap ${Math.round(summary.maxHeapMb)} MiB`);
  const known = knownKinds();
  // Other test files run beside this one: an input slow under that load is checked again now,
  // and counts only if it is still slow (a real blow-up always is).
  const fresh = summary.failures
    .filter((f) => !known.has(key(f.target, f.kind, f.message)))
    .filter((f) => f.kind !== 'slow' || failureOf(f.target, f.input)?.kind === 'slow');
  const report = fresh.map((f) => `${f.target} --seed ${f.seed} --replay ${f.index}: ${f.kind}: ${f.message}`);
  assert.deepEqual(report, []);
  assert.ok(summary.inputs > 1000, `only ${summary.inputs} inputs ran`);
  for (const target of ['iso2709', 'marcxml', 'marcjson', 'mrk', 'text', 'marc8'] as const) assert.ok((summary.perTarget[target] ?? 0) > 0, `${target} never ran`);
  assert.ok(summary.maxHeapMb < 512);
});
