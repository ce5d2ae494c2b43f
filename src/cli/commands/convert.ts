/**
 * `mrrc convert`: any readable format to any writable one, streamed, optionally on the worker
 * pool (`--jobs N`), where the workers build records and write their text and the main thread
 * only joins batches in order.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createWriter, getFormat } from '../../formats/index.js';
import { createFormatWriter, formatNames } from '../../io/formats.js';
import { Iso2709Writer } from '../../iso2709/writer.js';
import type { Record } from '../../record/record.js';
import { parallelMap } from '../../parallel/map.js';
import { MarcError } from '../../errors.js';
import { Output } from '../output.js';
import { ByteSink } from '../../util/byte-sink.js';
import { createProgress } from '../progress.js';
import { applyEdits, type EditOptions } from '../record-edits.js';
import { describeError, eachRecord, type CommonFlags } from './read-commands.js';

export interface ConvertFlags extends CommonFlags {
  to: string;
  toEncoding?: 'utf8' | 'marc8';
  normalize?: 'nfc' | 'nfd' | 'none';
  leader?: [number, string][];
  jobs?: number;
  indent?: boolean;
}

interface Sink {
  begin(): string | Uint8Array;
  write(record: Record): string | Uint8Array;
  /** The writer's byte path, when it has one. */
  writeTo?: (record: Record, bytes: ByteSink) => void;
  end(): string | Uint8Array;
}

function isIso(format: string): boolean {
  return format === 'iso2709' || format === 'marc' || format === 'mrc';
}

/**
 * Formats whose text for a record does not depend on the records written before it, so workers can
 * write them independently. The others carry state from record to record: a separator before every
 * record but the first (mrk, plain-json's array) or a running record number (csv). Written by
 * several workers, those came out wrong where one worker's records met the next's; they run on one
 * thread whatever `--jobs` says.
 */
const INDEPENDENT_RECORDS = new Set(['iso2709', 'marc', 'mrc', 'marcxml', 'xml', 'marcjson', 'json', 'jsonl', 'ndjson', 'text', 'mods', 'dc', 'bibframe']);

/**
 * Files from which `convert` uses every core unless `--jobs` says otherwise. Below this the
 * workers' start (~0.2–0.3 s) costs what they save: 58 MB to MARCXML took the same time on one
 * thread and on two workers (2-core machine, docs/benchmarks.md); 220 MB, 1.25–1.33× faster.
 */
const DEFAULT_PARALLEL_BYTES = 64 * 1024 * 1024;

/** Worker threads for `convert`: `--jobs` if given, else every core for big files; one for formats that need it. */
export function convertJobs(to: string, requested: number | undefined, size: number, cores = availableParallelism()): number {
  if (!INDEPENDENT_RECORDS.has(to)) return 1;
  return requested ?? (size >= DEFAULT_PARALLEL_BYTES ? cores : 1);
}

function sinkFor(flags: ConvertFlags): Sink {
  const to = flags.to;
  if (isIso(to)) {
    const writer = new Iso2709Writer({ encoding: flags.toEncoding === 'marc8' ? 'marc-8' : 'utf-8' });
    return { begin: () => '', write: (r) => writer.write(r), end: () => '' };
  }
  const writerOptions: { indent?: number } = flags.indent === true ? { indent: 2 } : {};
  try {
    getFormat(to);
    const writer = createWriter(to, writerOptions);
    const sink: Sink = { begin: () => writer.begin(), write: (r) => writer.write(r), end: () => writer.end() };
    const writeTo = writer.writeTo;
    if (writeTo !== undefined) sink.writeTo = (r, bytes) => writeTo.call(writer, r, bytes);
    return sink;
  } catch (e) {
    if (!formatNames().includes(to)) {
      throw new MarcError('E403', `unknown output format ${JSON.stringify(to)} (known: ${formatNames().join(', ')})`, { source: 'cli' }, { cause: e });
    }
    const writer = createFormatWriter(to, writerOptions);
    return { begin: () => writer.header?.() ?? '', write: (r) => writer.write(r), end: () => writer.footer?.() ?? '' };
  }
}

/** The crosswalks register their writers with the format registry on import; load on demand. */
async function loadCrosswalk(format: string): Promise<void> {
  if (format === 'bibframe') await import('../../formats/bibframe/register.js');
  if (format === 'mods' || format === 'dc') await import('../../formats/mods/register.js');
}

export async function convert(input: string | undefined, flags: ConvertFlags): Promise<number> {
  await loadCrosswalk(flags.to);
  const edits: EditOptions = {
    ...(flags.leader === undefined ? {} : { leader: flags.leader }),
    ...(flags.normalize === undefined ? {} : { normalize: flags.normalize }),
  };
  const sink = sinkFor(flags);
  const out = new Output(flags.output);
  const path = input === undefined || input === '-' ? null : input;
  const size = path === null ? 0 : safeSize(path);
  const jobs = convertJobs(flags.to, flags.jobs, size);
  const fromIso = flags.from === undefined || flags.from === 'auto' || isIso(flags.from);
  out.write(sink.begin());
  let problems = 0;
  if (jobs > 1 && path !== null && fromIso && (flags.from !== undefined && flags.from !== 'auto' ? true : looksIso(path))) {
    problems = await convertParallel(path, size, flags, edits, jobs, out);
  } else {
    const writeTo = sink.writeTo;
    // Writers with a byte path fill one buffer, handed to the output every 256 KiB.
    const bytes = writeTo === undefined ? null : new ByteSink(1 << 19);
    const tally = await eachRecord(input, flags, ({ record }) => {
      const edited = applyEdits(record as Record, edits);
      if (bytes !== null) {
        (writeTo as NonNullable<Sink['writeTo']>)(edited, bytes);
        if (bytes.length < 1 << 18) return undefined;
        out.write(bytes.take());
      } else {
        out.write(sink.write(edited));
      }
      return out.maybeFlush();
    });
    if (bytes !== null && bytes.length > 0) out.write(bytes.take());
    problems = tally.skipped + tally.repaired;
  }
  out.write(sink.end());
  await out.close();
  return problems > 0 ? 1 : 0;
}

function safeSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (e) {
    throw new MarcError('E007', `cannot open ${path}: ${(e as Error).message}`, { source: 'io' }, { cause: e });
  }
}

function looksIso(path: string): boolean {
  return /\.(mrc|marc|dat|iso|bin|001)$/i.test(path) || !/\.(xml|json|jsonl|ndjson|mrk|txt)$/i.test(path);
}

async function convertParallel(path: string, size: number, flags: ConvertFlags, edits: EditOptions, jobs: number, out: Output): Promise<number> {
  process.env.MRRC_CONVERT_OPTIONS = JSON.stringify({
    ...edits,
    toEncoding: flags.toEncoding === 'marc8' ? 'marc-8' : 'utf-8',
    writerOptions: flags.indent === true ? { indent: 2 } : {},
  });
  process.env.MRRC_CONVERT_FORMAT = flags.to;
  const module = new URL(import.meta.url.endsWith('.ts') ? '../convert-worker.ts' : '../convert-worker.js', import.meta.url);
  const progress = createProgress(size, flags.progress);
  let problems = 0;
  let records = 0;
  let inputDone = 0;
  const options = {
    workers: jobs,
    parallelThreshold: 0,
    onProgress: (done: { records: number; inputEnd: number }) => {
      records += done.records;
      inputDone = Math.max(inputDone, done.inputEnd);
    },
    mode: flags.mode,
    encoding: flags.encoding,
    onError: (skipped: { error: MarcError }) => {
      problems++;
      progress.log(describeError(skipped.error));
    },
  };
  try {
    if (isIso(flags.to)) {
      for await (const batch of parallelMap<Uint8Array>(path, module, { ...options, exportName: 'iso2709' }).batches()) {
        for (const bytes of batch) out.write(bytes);
        progress.tick(records, inputDone);
        await out.maybeFlush();
      }
    } else {
      const results = parallelMap(path, module, { ...options, exportName: 'text', concat: true, recycle: true });
      for await (const batch of results.batches()) {
        // Each batch's buffer goes back to the pool once written, for a later task's output.
        for (const bytes of batch) out.write(bytes, () => results.release(bytes));
        progress.tick(records, inputDone);
        await out.maybeFlush();
      }
    }
  } finally {
    progress.stop();
  }
  return problems;
}
