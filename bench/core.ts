/**
 * Issue 2's benchmarks: read, extract, roundtrip and edit on realistic.mrc ×25 (~58 MB) and on
 * folio 5000.mrc, with marcjs and `yaz-marcdump -n` measured in the same run.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Record } from '../src/index.js';
import { fileMB, realFile, realisticFile, ROOT, row, timeBest, timeBestAsync, timeCommand, type Row } from './common.js';

// The built library, as users run it and as the io and cli sections measure it (tsx's transform
// of the sources ran ~10% more instructions a record in callgrind); the sources when not built.
// MRRC_BENCH_DIST names another build, as for the io section.
const built = (process.env.MRRC_BENCH_DIST === undefined ? ROOT + 'dist/' : process.env.MRRC_BENCH_DIST.replace(/\/?$/, '/')) + 'src/index.js';
const { readRecordsSync } = (await import(existsSync(built) ? pathToFileURL(built).href : '../src/index.js')) as typeof import('../src/index.js');

const require = createRequire(import.meta.url);

interface MarcjsRecord { leader: string; fields: (string[])[] }
const marcjs = require('marcjs') as {
  Iso2709Parser: { parse(raw: Buffer): MarcjsRecord };
  Marc: { createStream(type: string, what: string): NodeJS.ReadWriteStream };
};

/** marcjs as its README shows it: a file stream piped into its parser stream. */
function marcjsStream(path: string, extract: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    let sink = 0;
    const parser = marcjs.Marc.createStream('Iso2709', 'Parser');
    parser.on('data', (record: MarcjsRecord) => {
      n++;
      if (extract) for (const field of record.fields) sink += marcjsValue(field).length;
    });
    parser.on('end', () => resolve(n + (sink < 0 ? 1 : 0)));
    parser.on('error', reject);
    createReadStream(path).pipe(parser);
  });
}

function marcjsRecords(bytes: Buffer): Buffer[] {
  // marcjs's stream splits on 0x1D and parses each record; do the same without the stream
  // machinery (which adds a setImmediate per record) so the peer gets its best case.
  const out: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(0x1d); i >= 0; i = bytes.indexOf(0x1d, start)) {
    out.push(bytes.subarray(start, i + 1));
    start = i + 1;
  }
  return out;
}

function marcjsValue(field: string[]): string {
  if (field.length === 2) return field[1] as string;
  const parts: string[] = [];
  for (let i = 3; i < field.length; i += 2) parts.push((field[i] as string).trim());
  return parts.join(' ');
}

export async function run(options: { runs?: number; sizeMB?: number } = {}): Promise<Row[]> {
  const runs = options.runs ?? 5;
  const rows: Row[] = [];
  for (const [label, path] of [[`realistic ×${options.sizeMB ?? 58} MB`, realisticFile(options.sizeMB ?? 58)], ['folio 5000.mrc (authority)', realFile()]] as const) {
    const bytes = readFileSync(path);
    const mb = fileMB(path);
    const section = `core: ${label}`;
    const yazSeconds = timeCommand(runs, 'yaz-marcdump', ['-n', path]);
    let count = 0;
    for (const _ of readRecordsSync(bytes)) count++;
    const anchor = yazSeconds === null ? undefined : count / yazSeconds;
    if (yazSeconds !== null) rows.push({ ...row(section, 'yaz-marcdump -n (anchor)', count, yazSeconds, mb), ratio: 1 });

    // What the passes add up, so that no work is optimised away; cut back before each pass so it
    // stays a small integer (past 2^30 every addition would allocate a heap number).
    let sink = 0;
    const measure = (name: string, fn: () => number, note?: string) => {
      const t = timeBest(runs, () => {
        sink &= 0xffff;
        return fn();
      });
      const r = row(section, name, t.records, t.seconds, mb, note);
      if (anchor !== undefined) r.ratio = r.recPerSec / anchor;
      rows.push(r);
    };
    measure('mrrc read', () => {
      let n = 0;
      for (const _ of readRecordsSync(bytes)) n++;
      return n;
    });
    measure('mrrc extract', () => {
      let n = 0;
      for (const record of readRecordsSync(bytes)) {
        n++;
        sink += (record.title ?? '').length;
        for (const field of record.fields) sink += field.value().length;
      }
      return n;
    }, 'title + every field.value()');
    measure('mrrc roundtrip', () => {
      let n = 0;
      for (const record of readRecordsSync(bytes)) {
        n++;
        sink += record.toMarc().length;
      }
      return n;
    }, 'parse + toMarc (untouched: source bytes)');
    measure('mrrc roundtrip (fields built)', () => {
      let n = 0;
      for (const record of readRecordsSync(bytes)) {
        n++;
        // Every field built, and the leader changed so the record is not written as its source.
        sink += record.fields.length;
        record.leader.recordStatus = record.leader.recordStatus === 'c' ? 'n' : 'c';
        sink += record.toMarc().length;
      }
      return n;
    }, 'all fields built, leader/05 set: re-encoded from field ranges');
    measure('mrrc edit', () => {
      let n = 0;
      for (const record of readRecordsSync(bytes)) {
        n++;
        const f245 = record.getDataField('245') as Record['fields'][number] & { setSubfield?: unknown };
        if (f245 !== undefined && f245.isDataField() && f245.has('a')) f245.setSubfield('a', 'Edited title /');
        sink += record.toMarc().length;
      }
      return n;
    }, 'set 245$a, toMarc');

    const raws = marcjsRecords(bytes);
    measure('marcjs read', () => {
      let n = 0;
      for (const raw of raws) if (marcjs.Iso2709Parser.parse(raw).leader.length > 0) n++;
      return n;
    }, 'Iso2709Parser.parse per record');
    measure('marcjs extract', () => {
      let n = 0;
      for (const raw of raws) {
        const record = marcjs.Iso2709Parser.parse(raw);
        n++;
        for (const field of record.fields) sink += marcjsValue(field).length;
      }
      return n;
    });
    for (const extract of [false, true]) {
      const t = await timeBestAsync(Math.min(runs, 3), () => marcjsStream(path, extract));
      const r = row(section, `marcjs stream ${extract ? 'extract' : 'read'}`, t.records, t.seconds, mb, 'createStream(\'Iso2709\', \'Parser\'), as documented');
      if (anchor !== undefined) r.ratio = r.recPerSec / anchor;
      rows.push(r);
    }
    if (sink === -1) console.log(sink);
  }
  return rows;
}
