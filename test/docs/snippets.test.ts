// The code in README.md and docs/*.md: every block parses, and every name it imports from the
// package exists under that name. Users copy these blocks; a renamed export or a path into src/
// (which an installed package does not have) would fail for them first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: { [path: string]: string | { import: string } } };

/** The source module behind a package specifier ('mrrc', 'mrrc/mods'), from package.json's exports. */
function sourceOf(specifier: string): string | undefined {
  const key = specifier === pkg.name ? '.' : `.${specifier.slice(pkg.name.length)}`;
  const entry = pkg.exports[key];
  if (entry === undefined || typeof entry === 'string') return undefined;
  return join(ROOT, entry.import.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

interface Block {
  file: string;
  line: number;
  code: string;
}

function blocks(): Block[] {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const out: Block[] = [];
  for (const file of files) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(js|ts|mjs|javascript|typescript)\s*$/.test(lines[i] as string)) continue;
      const start = i + 1;
      while (i + 1 < lines.length && !(lines[i + 1] as string).startsWith('```')) i++;
      out.push({ file, line: start + 1, code: lines.slice(start, i + 1).join('\n') });
      i++;
    }
  }
  return out;
}

const all = blocks();

test('the docs have code blocks to check', () => {
  assert.ok(all.length >= 20, `${all.length} blocks`);
});

test('every code block in the docs parses', () => {
  const broken: string[] = [];
  for (const b of all) {
    const result = ts.transpileModule(b.code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    for (const d of result.diagnostics ?? []) broken.push(`${b.file}:${b.line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  assert.deepEqual(broken, []);
});

test('every import in the docs names the package and an export it has', async () => {
  const problems: string[] = [];
  const pattern = /import\s+(type\s+)?(?:\{([^}]*)\}\s+from\s+)?'([^']+)'/g;
  for (const b of all) {
    for (const m of b.code.matchAll(pattern)) {
      const [, typeOnly, names, specifier] = m as unknown as [string, string | undefined, string | undefined, string];
      if (specifier.startsWith('node:')) continue;
      if (specifier !== pkg.name && !specifier.startsWith(`${pkg.name}/`)) {
        // A script's own helper module (`./to-json.mjs`) is fine; a path into the package's source is not.
        if (!/^\.{1,2}\/(src|dist|encoding|formats)\//.test(specifier)) continue;
        problems.push(`${b.file}:${b.line}: imports ${specifier}, which an installed package does not have`);
        continue;
      }
      const source = sourceOf(specifier);
      if (source === undefined) {
        problems.push(`${b.file}:${b.line}: ${specifier} is not in package.json's exports`);
        continue;
      }
      if (names === undefined || typeOnly !== undefined) continue;
      const module = (await import(pathToFileURL(source).href)) as { [name: string]: unknown };
      for (const raw of names.split(',')) {
        const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]?.trim() ?? '';
        if (name === '' || raw.trim().startsWith('type ')) continue;
        if (!(name in module)) problems.push(`${b.file}:${b.line}: ${specifier} has no export ${name}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
