/**
 * I/O lanes benchmark: `node --import tsx bench/io.ts [--mb 220] [--runs 2]` prints a Markdown table;
 * bench/run.ts calls `run()`.
 *
 * Every scenario runs in its own child process, so peak RSS, main-thread CPU and event-loop delay
 * belong to that scenario alone. The library is loaded from dist/ when it is built (what users
 * run; workers then start in ~50 ms instead of compiling TypeScript), else from src/ under tsx.
 * Consumers do "extract"-style work on every record: the 245 title and the 001.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { realFile, realisticFile, ROOT, type Row } from './common.js';

export interface IoRow extends Row {
  speedup?: number;
  mainCpuShare?: number;
  elDelayP99Ms?: number;
  peakRssMb?: number;
}

const SCENARIOS = [
  'stream', 'stream-batched', 'path', 'path-workers-1', 'path-workers-2', 'map-json-1', 'map-json-2', 'bulk-sync', 'marcjs-stream',
] as const;
type Scenario = (typeof SCENARIOS)[number];

const USE_DIST = existsSync(ROOT + 'dist/src/parallel/worker.js') && existsSync(ROOT + 'dist/src/io/read.js');
const LIB = USE_DIST ? pathToFileURL(ROOT + 'dist/src/index.js').href : pathToFileURL(ROOT + 'src/index.ts').href;
const JSON_MODULE = pathToFileURL(ROOT + 'bench/io-json.mjs').href;

/** Main-thread CPU seconds from /proc (Linux), or null: process.cpuUsage() would add the workers. */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

type Lib = typeof import('../src/index.js');

async function scenario(name: Scenario, file: string): Promise<number> {
  const lib = (await import(LIB)) as Lib;
  let n = 0;
  let chars = 0;
  const extract = (r: InstanceType<Lib['Record']>): void => {
    n++;
    chars += (r.title ?? '').length + (r.getValue('001') ?? '').length;
  };
  switch (name) {
    case 'stream':
      for await (const r of lib.readRecords(createReadStream(file))) extract(r);
      break;
    case 'stream-batched':
      for await (const batch of lib.readRecords(createReadStream(file)).batches()) for (const r of batch) extract(r);
      break;
    case 'path':
      for await (const r of lib.readRecords(file)) extract(r);
      break;
    case 'path-workers-1':
    case 'path-workers-2':
      for await (const r of lib.readRecords(file, { workers: name.endsWith('1') ? 1 : 2 })) extract(r);
      break;
    case 'map-json-1':
    case 'map-json-2':
      for await (const chunk of lib.parallelMap(file, JSON_MODULE, { workers: name.endsWith('1') ? 1 : 2, concat: true })) {
        chars += chunk.length;
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) n++;
      }
      break;
    case 'bulk-sync':
      for (const r of lib.readRecordsSync(file)) extract(r);
      break;
    case 'marcjs-stream': {
      const require = createRequire(import.meta.url);
      const { Marc } = require('marcjs') as { Marc: { createStream(type: string, what: string): NodeJS.ReadWriteStream } };
      const parser = createReadStream(file).pipe(Marc.createStream('Iso2709', 'Parser'));
      for await (const r of parser as AsyncIterable<{ fields: string[][] }>) {
        n++;
        for (const f of r.fields) if (f[0] === '245' || f[0] === '001') chars += (f[f[0] === '001' ? 1 : 4] ?? '').length;
      }
      break;
    }
  }
  if (chars < 0) console.error(chars);
  return n;
}

/** Child side: one scenario, measured, as one JSON line on stdout. */
async function child(name: Scenario, file: string): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpu0 = mainThreadCpu();
  const start = process.hrtime.bigint();
  const records = await scenario(name, file);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu1 = mainThreadCpu();
  delay.disable();
  process.stdout.write(JSON.stringify({
    records,
    seconds,
    mainCpuShare: cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) / seconds,
    elDelayP99Ms: delay.percentile(99) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n');
}

function runChild(name: Scenario, file: string): { records: number; seconds: number; mainCpuShare: number | null; elDelayP99Ms: number; peakRssMb: number } {
  const execArgv = ['--import', 'tsx'];
  const result = spawnSync(process.execPath, [...execArgv, new URL(import.meta.url).pathname, '--child', name, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
  const line = result.stdout.trim().split('\n').pop() as string;
  return JSON.parse(line) as ReturnType<typeof runChild>;
}

function timeYaz(file: string, runs: number): number | null {
  const probe = spawnSync('yaz-marcdump', ['-n', file], { stdio: 'ignore' });
  if (probe.error !== undefined) return null;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync('yaz-marcdump', ['-n', file], { stdio: 'ignore' });
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return best;
}

export async function run(options: { mb?: number; runs?: number; real?: boolean } = {}): Promise<IoRow[]> {
  const runs = options.runs ?? 2;
  const files: [string, string][] = [[`realistic ×${options.mb ?? 220} MB`, realisticFile(options.mb ?? 220)]];
  if (options.real !== false) files.push(['folio 5000.mrc', realFile()]);
  const rows: IoRow[] = [];
  for (const [label, file] of files) {
    const mb = statSync(file).size / (1024 * 1024);
    const section = `io: ${label}`;
    let base: number | null = null;
    let records = 0;
    for (const name of SCENARIOS) {
      let best: ReturnType<typeof runChild> | null = null;
      for (let i = 0; i < runs; i++) {
        const r = runChild(name, file);
        if (best === null || r.seconds < best.seconds) best = r;
      }
      const r = best as ReturnType<typeof runChild>;
      records = r.records;
      const recPerSec = r.records / r.seconds;
      if (name === 'stream') base = recPerSec;
      rows.push({
        section,
        name,
        records: r.records,
        seconds: r.seconds,
        recPerSec,
        mbPerSec: mb / r.seconds,
        ...(base === null ? {} : { speedup: recPerSec / base }),
        ...(r.mainCpuShare === null ? {} : { mainCpuShare: r.mainCpuShare }),
        elDelayP99Ms: r.elDelayP99Ms,
        peakRssMb: r.peakRssMb,
        note: USE_DIST ? 'dist' : 'src (tsx)',
      });
    }
    const yaz = timeYaz(file, runs + 1);
    if (yaz !== null) rows.push({ section, name: 'yaz-marcdump -n', records, seconds: yaz, recPerSec: records / yaz, mbPerSec: mb / yaz, ...(base === null ? {} : { speedup: records / yaz / base }) });
    const yazRow = rows.find((row) => row.section === section && row.name === 'yaz-marcdump -n');
    for (const row of rows) if (row.section === section && yazRow !== undefined) row.ratio = row.recPerSec / yazRow.recPerSec;
  }
  return rows;
}

export function markdown(rows: IoRow[]): string {
  const lines = [
    '| section | lane | records | s | records/s | MB/s | × stream | × yaz | main CPU | EL p99 ms | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.section} | ${r.name} | ${r.records} | ${r.seconds.toFixed(3)} | ${Math.round(r.recPerSec).toLocaleString('en-US')} | ${r.mbPerSec.toFixed(1)} | ${r.speedup?.toFixed(2) ?? ''} | ${r.ratio?.toFixed(2) ?? ''} | ${r.mainCpuShare === undefined ? '' : `${Math.round(r.mainCpuShare * 100)}%`} | ${r.elDelayP99Ms?.toFixed(1) ?? ''} | ${r.peakRssMb?.toFixed(0) ?? ''} |`);
  }
  return lines.join('\n');
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  await child(argv[1] as Scenario, argv[2] as string);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const mbAt = argv.indexOf('--mb');
  const runsAt = argv.indexOf('--runs');
  const rows = await run({
    ...(mbAt >= 0 ? { mb: Number(argv[mbAt + 1]) } : {}),
    ...(runsAt >= 0 ? { runs: Number(argv[runsAt + 1]) } : {}),
  });
  console.log(markdown(rows));
}
