/**
 * Regenerates test/fixtures/corrupt/: copies the corrupt files of ../shared/corpora (MANIFEST
 * STRUCTURE flags and CORRUPT notes) and writes expected.json with, per file, the outcome in each
 * mode and how many records yaz-marcdump recovers. Needs the shared corpora and yaz; the tests
 * need neither. Run: node --import tsx test/reliability/corrupt-expected.gen.ts
 *
 * Review the diff of expected.json after a run: a changed outcome is a behaviour change.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatOf, outcome, type Outcome } from './corrupt-outcome.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPORA = join(ROOT, '../shared/corpora');
const OUT = join(ROOT, 'test/fixtures/corrupt');

/** Formats mrrc does not read (legacy OAI MARC, Aleph sequential) and copies that add nothing. */
const SKIP = /oai-marcxml|aleph-sequential|yaz\/marc-files\/(t?marc\d+\.(xml|json)\.marc|xml2t?marc)/;

const rows = readFileSync(join(CORPORA, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const expected: { [path: string]: { format: string; source: string; licence: string; yaz: number | null; yazAll: number | null; strict: Outcome; lenient: Outcome; permissive: Outcome; note?: string } } = {};

for (const [path, source, licence, , , , , flags = '', notes = ''] of rows as string[][]) {
  if (path === undefined || SKIP.test(path)) continue;
  const structure = (flags.split('STRUCTURE:')[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('leader[20:24]') && !s.startsWith('no-leader'));
  if (structure.length === 0 && !/CORRUPT|malformed/i.test(notes) && !/bad_|invalid/i.test(path)) continue;
  const target = join(OUT, path);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(CORPORA, path), target);
  const bytes = new Uint8Array(readFileSync(target));
  const format = formatOf(path);
  expected[path] = {
    format,
    source: source ?? '',
    licence: licence ?? '',
    ...yazCounts(target, format),
    strict: outcome(bytes, format, 'strict'),
    lenient: outcome(bytes, format, 'lenient'),
    permissive: outcome(bytes, format, 'permissive'),
  };
}

/** The records yaz-marcdump writes out of the file (as MARCXML text), or null where yaz has no reader. */
function yazRecords(path: string, format: string): string[] | null {
  const input = format === 'marcxml' ? ['-i', 'marcxml'] : format === 'marcjson' ? ['-i', 'json'] : format === 'iso2709' ? [] : null;
  if (input === null) return null;
  let text = '';
  try {
    text = execFileSync('yaz-marcdump', [...input, '-o', 'marcxml', path], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    text = String((e as { stdout?: string }).stdout ?? '');
  }
  return text.split(/<record[\s>]/).slice(1);
}

/**
 * yaz writes out whatever leader it found even when no field survives; a record with no field is
 * no data recovered (mrrc reports it as E107), so `yaz` counts only records with a field and
 * `yazAll` every record yaz wrote.
 */
function yazCounts(path: string, format: string): { yaz: number | null; yazAll: number | null } {
  const records = yazRecords(path, format);
  if (records === null) return { yaz: null, yazAll: null };
  return { yaz: records.filter((r) => /<(controlfield|datafield)[\s>]/.test(r)).length, yazAll: records.length };
}

writeFileSync(join(OUT, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
console.log(`${Object.keys(expected).length} files`);
