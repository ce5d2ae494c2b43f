/**
 * Issue 4's benchmark: read a ≥ 20 MB MARC-8 file, decode to Unicode and write UTF-8 ISO 2709,
 * against `yaz-marcdump -f marc8 -t utf8 -o marc` in the same run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Iso2709Writer, readRecordsSync } from '../src/index.js';
import { DATA_DIR, fileMB, ROOT, row, timeBest, timeCommand, type Row } from './common.js';

function marc8File(): string {
  const path = DATA_DIR + 'marc8-20mb.mrc';
  if (existsSync(path)) return path;
  mkdirSync(DATA_DIR, { recursive: true });
  // folio's 61PRINT160129.mrc: 246 real MARC-8 records with ANSEL diacritics.
  const source = existsSync(ROOT + '../shared/corpora/folio-mod-data-import/61PRINT160129.mrc')
    ? ROOT + '../shared/corpora/folio-mod-data-import/61PRINT160129.mrc'
    : ROOT + 'test/fixtures/marc8/folio-61PRINT160129.mrc';
  const one = readFileSync(source);
  const copies = Math.ceil((20.5 * 1024 * 1024) / one.length);
  writeFileSync(path, Buffer.concat(Array.from({ length: copies }, () => one)));
  return path;
}

export function run(options: { runs?: number } = {}): Row[] {
  const runs = options.runs ?? 3;
  const path = marc8File();
  const bytes = readFileSync(path);
  const mb = fileMB(path);
  const section = 'marc8: folio 61PRINT ×46 (MARC-8)';
  const rows: Row[] = [];
  let count = 0;
  for (const _ of readRecordsSync(bytes)) count++;
  const yaz = timeCommand(runs, 'yaz-marcdump', ['-f', 'marc8', '-t', 'utf8', '-o', 'marc', path]);
  const anchor = yaz === null ? undefined : count / yaz;
  if (yaz !== null) rows.push({ ...row(section, 'yaz-marcdump -f marc8 -t utf8 -o marc (anchor)', count, yaz, mb), ratio: 1 });
  let sink = 0;
  const t = timeBest(runs, () => {
    const writer = new Iso2709Writer();
    let n = 0;
    for (const record of readRecordsSync(bytes)) {
      sink += writer.write(record).length;
      n++;
    }
    return n;
  });
  const r = row(section, 'mrrc read + decode MARC-8 + write UTF-8', t.records, t.seconds, mb, 'NFC (default)');
  if (anchor !== undefined) r.ratio = r.recPerSec / anchor;
  rows.push(r);
  if (sink < 0) console.log(sink);
  return rows;
}
