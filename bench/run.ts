/**
 * `npm run bench`: every section, peers in the same run, results to docs/benchmarks.md.
 * `npm run bench -- core` (or io, formats, query, marc8) runs one section.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { machine, ROOT, table, type Row } from './common.js';

const only = process.argv.slice(2);
const sections: [string, string][] = [
  ['core', './core.ts'],
  ['crosswalk-mods', './crosswalk-mods.ts'],
  ['crosswalk-bibframe', './crosswalk-bibframe.ts'],
  ['io', './io.ts'],
  ['formats', './formats.ts'],
  ['xml-parsers', './xml-parsers.ts'],
  ['marc8', './marc8.ts'],
  ['query', './query.ts'],
  ['cli', './cli.ts'],
  ['machine', './machine.ts'],
];

const rows: Row[] = [];
for (const [name, file] of sections) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (!existsSync(new URL(file, import.meta.url))) continue;
  const mod = (await import(file)) as { run(options?: object): Row[] | Promise<Row[]> };
  console.error(`running ${name}…`);
  for (const r of await mod.run()) {
    // Sections that report a peer of their own say which, so the ratio column can be read.
    const extra = r as Row & { peer?: string; peerRecPerSec?: number; marcjsRecPerSec?: number };
    if (extra.peer !== undefined && r.note === undefined) {
      const marcjs = typeof extra.marcjsRecPerSec === 'number' && Number.isFinite(extra.marcjsRecPerSec) ? `; marcjs ${Math.round(extra.marcjsRecPerSec).toLocaleString('en-US')}/s` : '';
      r.note = `ratio to ${extra.peer} (${Math.round(extra.peerRecPerSec ?? 0).toLocaleString('en-US')}/s)${marcjs}`;
    }
    r.section ??= name;
    rows.push(r);
  }
}
const text = `Machine: ${machine()}\n\n${table(rows)}\n`;
console.log(text);
// The results go between markers in docs/benchmarks.md; the prose around them is kept.
const doc = ROOT + 'docs/benchmarks.md';
const BEGIN = '<!-- results:begin -->';
const END = '<!-- results:end -->';
if (only.length === 0 && existsSync(doc)) {
  const old = readFileSync(doc, 'utf8');
  const a = old.indexOf(BEGIN);
  const b = old.indexOf(END);
  if (a >= 0 && b > a) writeFileSync(doc, old.slice(0, a + BEGIN.length) + '\n' + text + old.slice(b));
}
