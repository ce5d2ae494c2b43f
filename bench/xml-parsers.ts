/**
 * Why saxes: the three well-kept XML parsers on the same MARCXML, counting records and text only
 * (no record building), so the number is the parser's own cost. Recorded in docs/design.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SaxesParser } from 'saxes';
import { Parser as HtmlParser } from 'htmlparser2';
import { readRecordsSync, toMarcXml, type Record } from '../src/index.js';
import { DATA_DIR, realisticFile, row, timeBest, type Row } from './common.js';

const require = createRequire(import.meta.url);
const sax = require('sax') as { parser(strict: boolean, options: object): { onopentag: (t: { name: string }) => void; ontext: (s: string) => void; write(s: string): unknown; close(): unknown } };

function xmlFile(): string {
  const path = DATA_DIR + 'realistic-10000.xml';
  if (existsSync(path)) return path;
  const records: Record[] = [];
  for (const r of readRecordsSync(realisticFile(58))) {
    records.push(r);
    if (records.length === 10_000) break;
  }
  writeFileSync(path, toMarcXml(records));
  return path;
}

export function run(options: { runs?: number } = {}): Row[] {
  const runs = options.runs ?? 3;
  const path = xmlFile();
  const text = readFileSync(path, 'utf8');
  const mb = Buffer.byteLength(text) / 1048576;
  const CH = 1 << 20;
  const section = 'xml parsers: 10,000 MARCXML records';
  const parsers: [string, () => number][] = [
    ['saxes (chosen)', () => {
      let n = 0;
      const p = new SaxesParser({ xmlns: false });
      p.on('opentag', (t) => { if (t.name === 'record') n++; });
      p.on('text', () => {});
      for (let i = 0; i < text.length; i += CH) p.write(text.slice(i, i + CH));
      p.close();
      return n;
    }],
    ['htmlparser2 (xmlMode)', () => {
      let n = 0;
      const p = new HtmlParser({ onopentag(name: string) { if (name === 'record') n++; }, ontext() {} }, { xmlMode: true, decodeEntities: true });
      for (let i = 0; i < text.length; i += CH) p.write(text.slice(i, i + CH));
      p.end();
      return n;
    }],
    ['sax (strict)', () => {
      let n = 0;
      const p = sax.parser(true, {});
      p.onopentag = (t) => { if (t.name === 'record') n++; };
      p.ontext = () => {};
      for (let i = 0; i < text.length; i += CH) p.write(text.slice(i, i + CH));
      p.close();
      return n;
    }],
  ];
  const rows: Row[] = [];
  let anchor: number | undefined;
  for (const [name, fn] of parsers) {
    const t = timeBest(runs, fn);
    const r = row(section, name, t.records, t.seconds, mb, name.startsWith('htmlparser2') ? 'auto-closes bad tags: cannot report malformed MARCXML' : undefined);
    anchor ??= r.recPerSec;
    r.ratio = r.recPerSec / anchor;
    rows.push(r);
  }
  return rows;
}
