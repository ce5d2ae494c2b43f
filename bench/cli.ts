/**
 * Issue 6's benchmark: `mrrc convert` of a ≥ 200 MB file to MARCXML with --jobs 1 and --jobs 2,
 * next to `yaz-marcdump -o marcxml` in the same run; then the everyday commands on the 58 MB file
 * (one thread: below convert's worker threshold) next to yaz-marcdump's line dump, and `dump` on
 * the big file, where it takes the workers; and a line dump read back next to `yaz-marcdump -i
 * line`. Runs the built CLI (dist/), as users do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { fileMB, realisticFile, ROOT, row, timeCommand, type Row } from './common.js';

export function run(options: { runs?: number; sizeMB?: number } = {}): Row[] {
  // Best of three: with more threads than cores, single runs of --jobs 2 vary by up to 2×.
  const runs = options.runs ?? 3;
  const path = realisticFile(options.sizeMB ?? 220);
  const mb = fileMB(path);
  const cli = ROOT + 'dist/src/cli/main.js';
  if (!existsSync(cli) || statSync(cli).mtimeMs < statSync(ROOT + 'src/cli/main.ts').mtimeMs) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  const count = Number(spawnSync(process.execPath, [cli, 'count', path], { encoding: 'utf8' }).stdout.trim());
  const section = `cli: realistic ×${Math.round(mb)} MB → MARCXML`;
  const rows: Row[] = [];
  const yaz = timeCommand(runs, 'yaz-marcdump', ['-o', 'marcxml', path]);
  if (yaz !== null) rows.push({ ...row(section, 'yaz-marcdump -o marcxml (anchor)', count, yaz, mb), ratio: 1 });
  let one: number | undefined;
  for (const jobs of [1, 2]) {
    const seconds = timeCommand(runs, process.execPath, [cli, 'convert', path, '-t', 'marcxml', '--jobs', String(jobs), '--no-progress', '-o', '/dev/null']);
    if (seconds === null) continue;
    const r = row(section, `mrrc convert -t marcxml --jobs ${jobs}`, count, seconds, mb, jobs === 2 && one !== undefined ? `${(one / seconds).toFixed(2)}× --jobs 1` : undefined);
    if (yaz !== null) r.ratio = yaz / seconds;
    if (jobs === 1) one = seconds;
    rows.push(r);
  }
  const bigDump = timeCommand(runs, process.execPath, [cli, 'dump', path, '--no-progress']);
  const yazDump = timeCommand(runs, 'yaz-marcdump', [path]);
  const dumpSection = `cli: realistic ×${Math.round(mb)} MB, dump`;
  if (yazDump !== null) rows.push({ ...row(dumpSection, 'yaz-marcdump (anchor)', count, yazDump, mb), ratio: 1 });
  if (bigDump !== null) rows.push({ ...row(dumpSection, 'mrrc dump', count, bigDump, mb, 'workers: the file is above convert\'s 64 MB threshold'), ...(yazDump === null ? {} : { ratio: yazDump / bigDump }) });
  rows.push(...everyday(runs, cli));
  rows.push(...dumpReadBack(runs, cli));
  return rows;
}

/** Commands a cataloguer runs on a whole file, on one thread, next to yaz-marcdump's line dump. */
function everyday(runs: number, cli: string): Row[] {
  const path = realisticFile(58);
  const mb = fileMB(path);
  const count = Number(spawnSync(process.execPath, [cli, 'count', path], { encoding: 'utf8' }).stdout.trim());
  const section = `cli: realistic ×${Math.round(mb)} MB, everyday commands`;
  const rows: Row[] = [];
  const yaz = timeCommand(runs, 'yaz-marcdump', [path]);
  if (yaz !== null) rows.push({ ...row(section, 'yaz-marcdump (anchor)', count, yaz, mb), ratio: 1 });
  const commands: [string, string[], string?][] = [
    ['mrrc dump', ['dump']],
    ['mrrc convert -t mrk', ['convert', '-t', 'mrk']],
    ['mrrc count', ['count']],
    ['mrrc stats', ['stats']],
    ['mrrc check', ['check'], 'every field checked for control bytes, codes and encoding'],
  ];
  for (const [name, args, note] of commands) {
    const seconds = timeCommand(runs, process.execPath, [cli, ...args, path, '--no-progress']);
    if (seconds === null) continue;
    const r = row(section, name, count, seconds, mb, note);
    if (yaz !== null) r.ratio = yaz / seconds;
    rows.push(r);
  }
  return rows;
}

/**
 * A line dump read back into ISO 2709 (what a cataloguer does after editing one): yaz-marcdump's
 * dump of the 58 MB file, read by `yaz-marcdump -i line` and by `mrrc convert -f text`.
 */
function dumpReadBack(runs: number, cli: string): Row[] {
  const path = realisticFile(58);
  const dump = path.replace(/\.mrc$/, '.txt');
  if (!existsSync(dump)) {
    const made = spawnSync('yaz-marcdump', [path], { maxBuffer: 1 << 30 });
    const text = made.status === 0 ? made.stdout : spawnSync(process.execPath, [cli, 'dump', path, '--no-progress'], { maxBuffer: 1 << 30 }).stdout;
    writeFileSync(dump, text);
  }
  const mb = fileMB(dump);
  const count = Number(spawnSync(process.execPath, [cli, 'count', dump], { encoding: 'utf8' }).stdout.trim());
  const section = `cli: a ${Math.round(mb)} MB line dump read back`;
  const rows: Row[] = [];
  const yaz = timeCommand(runs, 'yaz-marcdump', ['-i', 'line', '-o', 'marc', dump]);
  if (yaz !== null) rows.push({ ...row(section, 'yaz-marcdump -i line -o marc (anchor)', count, yaz, mb), ratio: 1 });
  const seconds = timeCommand(runs, process.execPath, [cli, 'convert', '-f', 'text', '-t', 'marc', dump, '--no-progress']);
  if (seconds !== null) rows.push({ ...row(section, 'mrrc convert -f text -t marc', count, seconds, mb), ...(yaz === null ? {} : { ratio: yaz / seconds }) });
  return rows;
}
