// Every script in examples/ runs as a user runs it (plain node, importing the built package by
// its name) and prints what examples/output/<name>.txt says. Module files that a script hands
// to the workers (they `export` a function) are run through the script that uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const stat = statSync(full);
    newest = Math.max(newest, stat.isDirectory() ? newestSource(full) : name.endsWith('.ts') ? stat.mtimeMs : 0);
  }
  return newest;
}

const scripts = readdirSync(EXAMPLES).filter((name) => name.endsWith('.mjs') && !/^export /m.test(readFileSync(join(EXAMPLES, name), 'utf8')));

test('the examples run against a build of the current source', () => {
  const built = join(ROOT, 'dist/src/index.js');
  assert.ok(existsSync(built), 'no dist/: run `npm run build` (npm ci does it)');
  assert.ok(statSync(built).mtimeMs >= newestSource(join(ROOT, 'src')), 'dist/ is older than src/: run `npm run build`');
  assert.ok(scripts.length >= 8, `only ${scripts.length} example scripts found`);
});

for (const script of scripts) {
  test(`examples/${script} prints what examples/output says`, () => {
    const run = spawnSync(process.execPath, [join('examples', script)], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.stderr, '', `stderr of ${script}`);
    assert.equal(run.status, 0);
    const expected = readFileSync(join(EXAMPLES, 'output', script.replace(/\.mjs$/, '.txt')), 'utf8');
    assert.equal(run.stdout, expected);
  });
}
