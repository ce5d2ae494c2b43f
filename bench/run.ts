/**
 * `npm run bench`: every section, peers in the same run, results to docs/benchmarks.md.
 * `npm run bench -- core` (or io, formats, query, marc8) runs one section.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { machine, ROOT, table, type Row } from './common.js';

const only = process.argv.slice(2);
const sections: [string, string][] = [
  ['core', './core.ts'],
  ['io', './io.ts'],
  ['formats', './formats.ts'],
  ['marc8', './marc8.ts'],
  ['query', './query.ts'],
];

const rows: Row[] = [];
for (const [name, file] of sections) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (!existsSync(new URL(file, import.meta.url))) continue;
  const mod = (await import(file)) as { run(options?: object): Row[] | Promise<Row[]> };
  console.error(`running ${name}…`);
  rows.push(...(await mod.run()));
}
const text = `Machine: ${machine()}\n\n${table(rows)}\n`;
console.log(text);
if (only.length === 0) {
  writeFileSync(ROOT + 'docs/benchmarks-latest.md', `# Latest full benchmark run\n\n${text}`);
}
