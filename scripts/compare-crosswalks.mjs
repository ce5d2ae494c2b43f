#!/usr/bin/env node
/**
 * Compares mrrc's MODS and Dublin Core crosswalks with LC's own outputs on every record of
 * ../shared/corpora/lc-reference (and MODS → MARC on ../shared/corpora/mrrc/mods), after XML
 * canonicalisation, and prints one table per dataset and kind.
 *
 *   node --import tsx scripts/compare-crosswalks.mjs [kind…] [--show N] [--only dataset]
 *
 * kinds: mods, oai_dc, rdf_dc, srw_dc, mods2marc (default: all). --show N prints the first
 * differences of N failing records per kind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMarcXml } from '../src/formats/marcxml/reader.ts';
import { toDublinCore } from '../src/formats/dc/index.ts';
import { canonicalize, canonDiff, dcSeparator, DC_COMPARE, MODS_COMPARE, MARC_COMPARE } from '../test/crosswalk/helpers-xml.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REF = ROOT + '../shared/corpora/lc-reference/';
// mods2marc: the mrrc MODS pairs, from the shared corpus or else their copy in the fixtures.
const MRRC_MODS = [ROOT + '../shared/corpora/mrrc/mods/', ROOT + 'test/fixtures/lc-reference/mrrc-mods/'].find((d) => existsSync(d)) ?? null;
if (!existsSync(REF)) {
  console.error('../shared/corpora/lc-reference is not here: nothing to compare.');
  process.exit(0);
}

const args = process.argv.slice(2);
let show = 0;
let only = null;
const kinds = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--show') show = Number(args[++i]);
  else if (args[i] === '--only') only = args[++i];
  else kinds.push(args[i]);
}
const ALL = ['mods', 'oai_dc', 'rdf_dc', 'srw_dc', 'mods2marc'];
const wanted = kinds.length > 0 ? kinds : ALL;

let mods = null;
async function modsModule() {
  mods ??= await import('../src/formats/mods/index.ts');
  return mods;
}

async function convert(kind, input) {
  if (kind === 'oai_dc' || kind === 'rdf_dc' || kind === 'srw_dc') return toDublinCore(parseMarcXml(input, { mode: 'lenient' }), { flavor: kind, fieldSeparator: dcSeparator(input) });
  const m = await modsModule();
  if (kind === 'mods') return m.toMods(parseMarcXml(input, { mode: 'lenient' }));
  if (kind === 'mods2marc') return m.modsToMarcXml(input);
  throw new Error(kind);
}

function optionsFor(kind) {
  return kind === 'mods' ? MODS_COMPARE : kind === 'mods2marc' ? MARC_COMPARE : DC_COMPARE;
}

const datasets = readdirSync(REF, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const rows = [];
for (const kind of wanted) {
  let shown = 0;
  const sets = datasets.map((d) => [d, REF + d + '/']);
  if (kind === 'mods2marc' && MRRC_MODS !== null) sets.push(['mrrc-mods', MRRC_MODS]);
  for (const [dataset, dir] of sets) {
    if (only !== null && dataset !== only) continue;
    const files = readdirSync(dir);
    const pairs = [];
    if (dataset === 'mrrc-mods') {
      for (const f of files) if (f.endsWith('_reference.xml')) pairs.push([dir + f.replace('_reference.xml', '.xml'), dir + f, f]);
    } else {
      const inExt = kind === 'mods2marc' ? '.mods.xml' : '.marcxml';
      for (const f of files) if (f.endsWith('.' + kind + '.xml')) pairs.push([dir + f.replace('.' + kind + '.xml', inExt), dir + f, f]);
    }
    let exact = 0;
    let total = 0;
    const failed = [];
    for (const [input, expectedPath, name] of pairs.sort()) {
      const expectedText = readFileSync(expectedPath, 'utf8');
      if (!expectedText.includes('<')) continue; // an error message, not a document (mrrc serial_journal)
      total++;
      let actual;
      try {
        actual = canonicalize(await convert(kind, readFileSync(input, 'utf8')), optionsFor(kind));
      } catch (error) {
        actual = 'ERROR ' + (error instanceof Error ? error.stack : String(error));
      }
      const expected = canonicalize(expectedText, optionsFor(kind));
      if (actual === expected) exact++;
      else {
        failed.push(name);
        if (shown < show) {
          shown++;
          console.log(`--- ${kind} ${dataset}/${name}\n${actual.startsWith('ERROR') ? actual : canonDiff(expected, actual)}\n`);
        }
      }
    }
    rows.push({ kind, dataset, exact, total, failed });
  }
}

console.log('| kind | dataset | exact | records | % |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.kind} | ${r.dataset} | ${r.exact} | ${r.total} | ${r.total === 0 ? '–' : ((100 * r.exact) / r.total).toFixed(1)} |`);
if (process.env.LIST_FAILED) for (const r of rows) if (r.failed.length > 0) console.log(r.kind, r.dataset, r.failed.join(' '));
