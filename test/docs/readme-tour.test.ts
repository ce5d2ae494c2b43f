// The README's tour of the command line shows real output: each `$ npx mrrc …` line runs here
// (through bash, with the built CLI in place of npx) and must print what the README shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'dist/src/cli/main.js'))}`;

interface Step {
  command: string;
  expected: string;
}

function tour(): Step[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const steps: Step[] = [];
  for (const block of readme.matchAll(/^```console\n([\s\S]*?)^```$/gm)) {
    let current: Step | null = null;
    for (const line of (block[1] as string).split('\n')) {
      if (line.startsWith('$ ')) {
        if (current !== null) steps.push(current);
        current = { command: line.slice(2), expected: '' };
      } else if (current !== null) {
        current.expected += line + '\n';
      }
    }
    if (current !== null) steps.push(current);
  }
  // A blank line separates one command's output from the next command.
  return steps.map((s) => ({ ...s, expected: s.expected.replace(/\n+$/, '\n') }));
}

const steps = tour();

test('the README has a command-line tour to check', () => {
  assert.ok(steps.length >= 6, `${steps.length} commands`);
});

for (const step of steps) {
  test(`README: $ ${step.command}`, () => {
    const run = spawnSync('bash', ['-c', step.command.replaceAll('npx mrrc', CLI)], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, step.expected);
  });
}
