/**
 * MARC → MODS and MARC → Dublin Core throughput on the 7×99-record MARCXML datasets of
 * lcnetdev/marc2bibframe2 (records parsed once up front: this times the crosswalk alone).
 * LC's MARC21slim2MODS3-7.xsl under xsltproc does about 185 records/s on the 2-core bench
 * machine; the target is ≥ 20× that.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parseMarcXml, readMarcXml, type Record } from '../src/index.js';
import { toMods } from '../src/formats/mods/index.js';
import { toDublinCore } from '../src/formats/dc/index.js';
import { ROOT, row, timeBest, type Row } from './common.js';

const XSLTPROC_MODS = 185;

function records(): { records: Record[]; mb: number } {
  const dir = ROOT + '../shared/corpora/marc2bibframe2/dataset/';
  const out: Record[] = [];
  let bytes = 0;
  if (existsSync(dir)) {
    // loc_physical.xml is a byte-identical copy of loc_general.xml.
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.xml') && n !== 'loc_physical.xml').sort()) {
      const text = readFileSync(dir + f);
      bytes += text.length;
      out.push(...readMarcXml(text, { mode: 'lenient' }));
    }
  } else {
    const fx = ROOT + 'test/fixtures/lc-reference/';
    for (const d of readdirSync(fx, { withFileTypes: true })) {
      if (!d.isDirectory() || d.name === 'mrrc-mods') continue;
      for (const f of readdirSync(fx + d.name).filter((n) => n.endsWith('.marcxml'))) {
        const text = readFileSync(fx + d.name + '/' + f);
        bytes += text.length;
        out.push(parseMarcXml(text, { mode: 'lenient' }));
      }
    }
  }
  return { records: out, mb: bytes / (1024 * 1024) };
}

export function run(): Row[] {
  const { records: recs, mb } = records();
  const rows: Row[] = [];
  const mods = timeBest(5, () => {
    let n = 0;
    for (const r of recs) n += toMods(r).length > 0 ? 1 : 0;
    return n;
  });
  const modsRow = row('crosswalk', 'MARC → MODS 3.7 (mrrc)', mods.records, mods.seconds, mb);
  modsRow.ratio = modsRow.recPerSec / XSLTPROC_MODS;
  modsRow.note = `ratio to LC's XSLT under xsltproc (~${XSLTPROC_MODS} rec/s on the reference 2-core machine)`;
  rows.push(modsRow);
  for (const flavor of ['oai_dc', 'rdf_dc', 'srw_dc'] as const) {
    const t = timeBest(5, () => {
      let n = 0;
      for (const r of recs) n += toDublinCore(r, { flavor }).length > 0 ? 1 : 0;
      return n;
    });
    rows.push(row('crosswalk', `MARC → ${flavor} (mrrc)`, t.records, t.seconds, mb));
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { table } = await import('./common.js');
  console.log(table(run()));
}
