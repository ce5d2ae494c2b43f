#!/usr/bin/env node
/**
 * Compares mrrc's MARC → BIBFRAME conversion with LC's marc2bibframe2 outputs, as RDF graphs
 * (blank nodes matched by structure), and prints the per-dataset coverage table.
 *
 *   node --import tsx scripts/compare-bibframe.mjs [--verbose] [--missing N] [--dataset name] [--conflicts]
 *
 * Needs ../shared/corpora (lc-reference: v2.10.0 outputs; mrrc/bibframe-baselines: v3.0.0).
 * Run-dependent triples (the generation AdminMetadata's date and generationProcess) are dropped
 * on both sides.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMarcXml } from '../src/formats/marcxml/reader.ts';
import { recordsToBibframe } from '../src/formats/bibframe/index.ts';
import { compareGraphs, parseRdfXml } from '../test/crosswalk/helpers-rdf.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPORA = ROOT + '../shared/corpora/';
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const missingN = args.includes('--missing') ? Number(args[args.indexOf('--missing') + 1]) : 0;
const only = args.includes('--dataset') ? args[args.indexOf('--dataset') + 1] : null;
const showConflicts = args.includes('--conflicts');
const BF = 'http://id.loc.gov/ontologies/bibframe/';

if (!existsSync(CORPORA + 'lc-reference')) {
  console.log('../shared/corpora is not present: nothing to compare.');
  process.exit(0);
}

/** Drops the generation AdminMetadata's date and process: they name the run and the release. */
function dropRunDependent(quads) {
  const gen = new Set(quads.filter((q) => q.predicate.value === BF + 'generationProcess').map((q) => q.subject.value));
  return quads.filter((q) => q.predicate.value !== BF + 'generationProcess' && !(gen.has(q.subject.value) && q.predicate.value === BF + 'date'));
}

const options = { baseUri: 'http://example.org/', generationDate: '2000-01-01T00:00:00' };
const rows = [];
const missingCounts = new Map();
const addedCounts = new Map();
const key = (line) => line.replace(/<http:\/\/example\.org\/[^>#]*#/g, '<#').replace(/"[^"]*"(\^\^<[^>]*>)?/g, '"…"').replace(/-\d+>/g, '>');

async function compareOne(dataset, file, marcxml, rdfxml) {
  const records = [...readMarcXml(marcxml, { mode: 'lenient' })];
  const ours = dropRunDependent(recordsToBibframe(records, options));
  const theirs = dropRunDependent(await parseRdfXml(rdfxml));
  const c = compareGraphs(theirs, ours);
  for (const m of c.missing) missingCounts.set(key(m), (missingCounts.get(key(m)) ?? 0) + 1);
  for (const m of c.added) addedCounts.set(key(m), (addedCounts.get(key(m)) ?? 0) + 1);
  if (showConflicts) for (const x of c.conflicts) console.log(`! ${dataset}/${file}: ${x}`);
  if (verbose) {
    console.log(`\n## ${dataset}/${file}: ${c.matched}/${c.expected}`);
    for (const m of c.missing) console.log('  - ' + m);
    for (const m of c.added) console.log('  + ' + m);
  }
  return { records: records.length, ...c };
}

const datasets = [];
const lc = CORPORA + 'lc-reference/';
for (const ds of readdirSync(lc)) {
  if (!existsSync(lc + ds + '/index.tsv') && !ds.includes('-')) continue;
  if (!readdirSync(lc + ds).some((f) => f.endsWith('.bf.rdf.xml'))) continue;
  datasets.push({ name: ds + ' (v2.10.0)', files: readdirSync(lc + ds).filter((f) => f.endsWith('.bf.rdf.xml')).map((f) => ({ file: f, marc: lc + ds + '/' + f.replace('.bf.rdf.xml', '.marcxml'), rdf: lc + ds + '/' + f })) });
}
const base = CORPORA + 'mrrc/bibframe-baselines/';
if (existsSync(base)) {
  datasets.push({ name: 'mrrc bibframe-baselines (v3.0.0)', files: readdirSync(base + 'marc-input').map((f) => ({ file: f, marc: base + 'marc-input/' + f, rdf: base + 'bibframe-output/' + f.replace('.xml', '.rdf.xml') })) });
}

for (const ds of datasets) {
  if (only && !ds.name.includes(only)) continue;
  let records = 0, expected = 0, matched = 0, actual = 0, conflicts = 0, worst = 1, worstFile = '';
  for (const { file, marc, rdf } of ds.files) {
    if (!existsSync(rdf)) continue;
    const r = await compareOne(ds.name, file, readFileSync(marc), readFileSync(rdf, 'utf8'));
    records += r.records; expected += r.expected; matched += r.matched; actual += r.actual; conflicts += r.conflicts.length;
    const share = r.expected === 0 ? 1 : r.matched / r.expected;
    if (share < worst) { worst = share; worstFile = file; }
  }
  rows.push({ name: ds.name, files: ds.files.length, records, expected, matched, added: actual - matched, conflicts, worst, worstFile });
}

console.log('| dataset | files | records | LC triples | matched | share | added by us | contradicted | worst file |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
let te = 0, tm = 0, ta = 0;
for (const r of rows) {
  te += r.expected; tm += r.matched; ta += r.added;
  console.log(`| ${r.name} | ${r.files} | ${r.records} | ${r.expected} | ${r.matched} | ${(100 * r.matched / r.expected).toFixed(1)}% | ${r.added} | ${r.conflicts} | ${r.worstFile} (${(100 * r.worst).toFixed(0)}%) |`);
}
console.log(`| **all** | | | ${te} | ${tm} | ${(100 * tm / te).toFixed(1)}% | ${ta} | | |`);
if (missingN > 0) {
  console.log('\nMost frequent missing triple shapes:');
  for (const [k, n] of [...missingCounts].sort((a, b) => b[1] - a[1]).slice(0, missingN)) console.log(String(n).padStart(6) + '  ' + k);
  console.log('\nMost frequent added triple shapes:');
  for (const [k, n] of [...addedCounts].sort((a, b) => b[1] - a[1]).slice(0, missingN)) console.log(String(n).padStart(6) + '  ' + k);
}
