/**
 * Shared benchmark plumbing: data files, timing, machine description, Markdown tables.
 * Every section measures its peers in the same process run, so ratios compare like with like.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DATA_DIR = ROOT + 'bench/data/';
const CORPORA = ROOT + '../shared/corpora/';

export interface Row {
  section: string;
  name: string;
  records: number;
  seconds: number;
  recPerSec: number;
  mbPerSec: number;
  /** Ratio to the section's anchor (yaz unless said otherwise). */
  ratio?: number;
  note?: string;
}

/** realistic.mrc repeated to about `targetMB`; built once into bench/data (gitignored). */
export function realisticFile(targetMB: number): string {
  const path = `${DATA_DIR}realistic-${targetMB}mb.mrc`;
  if (existsSync(path)) return path;
  mkdirSync(DATA_DIR, { recursive: true });
  const source = existsSync(CORPORA + 'mrrc/fixtures/realistic.mrc') ? CORPORA + 'mrrc/fixtures/realistic.mrc' : ROOT + 'test/fixtures/mrrc-testbed/bibliographic/sample.mrc';
  const one = readFileSync(source);
  const copies = Math.max(1, Math.round((targetMB * 1024 * 1024) / one.length));
  writeFileSync(path, Buffer.concat(Array.from({ length: copies }, () => one)));
  return path;
}

export function realFile(): string {
  return existsSync(CORPORA + 'folio-mod-data-import/5000.mrc') ? CORPORA + 'folio-mod-data-import/5000.mrc' : ROOT + 'test/fixtures/folio/5000.mrc';
}

export function fileMB(path: string): number {
  return statSync(path).size / (1024 * 1024);
}

/** Best of `runs` after one warm-up: the least disturbed run on a shared machine. */
export function timeBest(runs: number, fn: () => number): { records: number; seconds: number } {
  fn();
  let best = Number.POSITIVE_INFINITY;
  let records = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    records = fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (seconds < best) best = seconds;
  }
  return { records, seconds: best };
}

export async function timeBestAsync(runs: number, fn: () => Promise<number>): Promise<{ records: number; seconds: number }> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  let records = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    records = await fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (seconds < best) best = seconds;
  }
  return { records, seconds: best };
}

/** Times an external command (best of `runs`); null when it is not installed. */
export function timeCommand(runs: number, command: string, args: string[]): number | null {
  const probe = spawnSync(command, ['--help'], { stdio: 'ignore' });
  if (probe.error !== undefined) return null;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs + 1; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
    if (i > 0 && seconds < best) best = seconds;
  }
  return best;
}

export function row(section: string, name: string, records: number, seconds: number, mb: number, note?: string): Row {
  return { section, name, records, seconds, recPerSec: records / seconds, mbPerSec: mb / seconds, ...(note === undefined ? {} : { note }) };
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let yaz = 'not installed';
  try {
    yaz = execFileSync('yaz-marcdump', ['-V'], { encoding: 'utf8' }).trim().split('\n')[0] ?? yaz;
  } catch {
    try {
      yaz = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'yaz'], { encoding: 'utf8' }).trim();
    } catch { /* stays 'not installed' */ }
  }
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, yaz ${yaz}, ${new Date().toISOString().slice(0, 10)}`;
}

export function table(rows: Row[]): string {
  const lines = ['| section | benchmark | records | s | records/s | MB/s | ratio | note |', '|---|---|---:|---:|---:|---:|---:|---|'];
  for (const r of rows) {
    // Sections written by different hands fill different columns: print what each row has.
    const num = (v: unknown, digits: number): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '');
    const rate = typeof r.recPerSec === 'number' && Number.isFinite(r.recPerSec) ? Math.round(r.recPerSec).toLocaleString('en-US') : '';
    lines.push(`| ${r.section ?? ''} | ${r.name} | ${r.records ?? ''} | ${num(r.seconds, 3)} | ${rate} | ${num(r.mbPerSec, 1)} | ${typeof r.ratio === 'number' ? r.ratio.toFixed(2) + '×' : ''} | ${r.note ?? ''} |`);
  }
  return lines.join('\n');
}
