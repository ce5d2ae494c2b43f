#!/usr/bin/env node
// Generates src/validate/marc21-rules.generated.ts from an Avram-format MARC 21 schema
// (https://format.gbv.de/schema/avram/specification), by default the marc-schema.json that
// Debian's libmarc-schema-perl installs (MARC::Schema, derived from LC's MARC 21 Bibliographic
// documentation):
//
//   apt-get install libmarc-schema-perl
//   node scripts/gen-marc21-rules.mjs [path/to/marc-schema.json]
//
// (`apt-get download libmarc-schema-perl && dpkg-deb -x libmarc-schema-perl_*.deb x` gives the
// same file without installing the Perl modules.) The output is committed: tests and users never
// need the schema installed.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEFAULT_SCHEMA = '/usr/share/perl5/auto/share/dist/MARC-Schema/marc-schema.json';
const schemaPath = process.argv[2] ?? DEFAULT_SCHEMA;
const out = fileURLToPath(new URL('../src/validate/marc21-rules.generated.ts', import.meta.url));

const text = readFileSync(schemaPath, 'utf8');
const schema = JSON.parse(text);
const sha256 = createHash('sha256').update(text).digest('hex');

let debianVersion = null;
try {
  debianVersion = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'libmarc-schema-perl'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
} catch {
  // Not installed through dpkg (extracted by hand): the checksum identifies the file.
}
let moduleVersion = null;
try {
  const pm = readFileSync(schemaPath.replace(/auto\/share\/dist\/MARC-Schema\/marc-schema\.json$/, 'MARC/Schema.pm'), 'utf8');
  moduleVersion = /\$VERSION\s*=\s*'([^']+)'/.exec(pm)?.[1] ?? null;
} catch {
  // Schema.pm not beside the JSON.
}

/** Indicator codes: '0-9' and '1-9' expand to their digits; ' ' is blank. */
function indicatorValues(ind) {
  if (ind === null || ind === undefined) return null;
  let out = '';
  for (const code of Object.keys(ind.codes ?? {})) {
    const range = /^(\d)-(\d)$/.exec(code);
    if (range) {
      for (let d = Number(range[1]); d <= Number(range[2]); d++) out += String(d);
    } else if (code.length === 1) {
      out += code;
    } else {
      throw new Error(`unexpected indicator code ${JSON.stringify(code)}`);
    }
  }
  return [...new Set(out)].sort().join('');
}

const fields = {};
for (const [tag, def] of Object.entries(schema.fields)) {
  if (tag === 'LDR') continue;
  const rule = { label: def.label, repeatable: def.repeatable === true };
  if (def.subfields !== undefined || def.indicator1 !== undefined) {
    rule.ind1 = indicatorValues(def.indicator1);
    rule.ind2 = indicatorValues(def.indicator2);
    if (def.indicator1) rule.ind1Label = def.indicator1.label;
    if (def.indicator2) rule.ind2Label = def.indicator2.label;
    const subfields = {};
    for (const [code, sf] of Object.entries(def.subfields ?? {})) subfields[code] = [sf.label, sf.repeatable === true];
    rule.subfields = subfields;
    const historical = Object.keys(def['historical-subfields'] ?? {}).filter((c) => !(c in subfields));
    if (historical.length > 0) rule.obsoleteSubfields = historical.sort().join('');
  } else {
    rule.control = true;
  }
  fields[tag] = rule;
}

/** Fixed-field positions per material type, with the codes each may hold. */
function positions(defs) {
  const out = [];
  for (const [key, p] of Object.entries(defs)) {
    const pos = { key, start: p.start, end: p.end, label: p.label };
    if (p.codes !== undefined) {
      const codes = [];
      const ranges = [];
      for (const code of Object.keys(p.codes)) {
        const range = /^(\d+)-(\d+)$/.exec(code);
        if (range && range[1].length === range[2].length && range[1].length > 1) ranges.push([range[1], range[2]]);
        else codes.push(code);
      }
      pos.codes = codes;
      if (ranges.length > 0) pos.ranges = ranges;
      const historical = Object.keys(p['historical-codes'] ?? {}).filter((c) => !codes.includes(c));
      if (historical.length > 0) pos.obsolete = historical;
      if (p.repeatableContent && p.unitLength) pos.unit = p.unitLength;
    }
    out.push(pos);
  }
  return out.sort((a, b) => a.start - b.start);
}

const fixed = {};
for (const tag of ['006', '007', '008']) {
  const types = {};
  for (const [name, t] of Object.entries(schema.fields[tag]?.types ?? {})) types[name] = positions(t.positions);
  fixed[tag] = types;
}

/** One entry per line: diffs of a regenerated table then show which fields changed. */
function lines(obj, depth) {
  const entries = Object.entries(obj).map(([k, v]) => {
    const inner = depth > 1 && !Array.isArray(v) ? lines(v, depth - 1) : Array.isArray(v) && depth > 1 ? `[\n${v.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n]` : JSON.stringify(v);
    return `${JSON.stringify(k)}: ${inner}`;
  });
  return `{\n${entries.map((e) => e.split('\n').map((l) => `  ${l}`).join('\n')).join(',\n')}\n}`;
}

const header = `// GENERATED by scripts/gen-marc21-rules.mjs — do not edit by hand; re-run the script.
// Source: ${schema.title} (${schema.url}), Avram schema ${schema.$schema}
// File: marc-schema.json from MARC::Schema ${moduleVersion ?? '(version not found)'}${debianVersion ? `, Debian package libmarc-schema-perl ${debianVersion}` : ''}
// sha256 ${sha256}
/* eslint-disable */
`;

const body = `
import type { FieldRule, FixedPosition } from './rule-types.js';

export const SCHEMA_SOURCE = ${JSON.stringify({ title: schema.title, url: schema.url, avram: schema.$schema, module: moduleVersion === null ? null : `MARC::Schema ${moduleVersion}`, debianPackage: debianVersion === null ? null : `libmarc-schema-perl ${debianVersion}`, sha256 })} as const;

/** MARC 21 Bibliographic fields by tag. */
export const BIBLIOGRAPHIC_FIELDS: { readonly [tag: string]: FieldRule } = ${lines(fields, 1)};

/** 006, 007 and 008 positions by material type ('All Materials', 'Books', … for 008). */
export const BIBLIOGRAPHIC_FIXED_FIELDS: { readonly [tag: string]: { readonly [type: string]: readonly FixedPosition[] } } = ${lines(fixed, 3)};
`;

writeFileSync(out, header + body);
console.error(`wrote ${out}: ${Object.keys(fields).length} fields, sha256 ${sha256.slice(0, 12)}…`);
