/**
 * `mrrc convert`: any readable format to any writable one, streamed, optionally on the worker
 * pool (`--jobs N`), where the workers build records and write their text and the main thread
 * only joins batches in order.
 */
import { availableParallelism } from 'node:os';
import type { Record } from '../../record/record.js';
import { parallelMap } from '../../parallel/map.js';
import { MarcError } from '../../errors.js';
import { Output } from '../output.js';
import { ByteSink } from '../../util/byte-sink.js';
import { createProgress } from '../progress.js';
import { describeError } from '../describe-error.js';
import { applyEdits, type EditOptions } from '../record-edits.js';
import { isIsoFormat, loadTargetWriter, type TargetWriter } from '../writer-loader.js';
import type { CommonFlags } from './read-commands.js';
import { chooseFormat, fileFormat, inputBytes, type InputBytes } from '../input.js';
import { EncodingHint } from '../encoding-hint.js';

// Readers and writers are loaded as they are needed (writer-loader.ts, and read-commands.js for
// reading on this thread): with `--jobs` this thread reads no records, and the workers start
// while it loads the output's writer.

export interface ConvertFlags extends CommonFlags {
  to: string;
  toEncoding?: 'utf8' | 'marc8';
  normalize?: 'nfc' | 'nfd' | 'none';
  leader?: [number, string][];
  jobs?: number;
  indent?: boolean;
  oversize?: 'error' | 'truncate-length';
}

/** Writer settings from the flags: `indent` for the XML and JSON writers, `oversize` for ISO 2709. */
type ConvertWriterOptions = {
  indent?: number;
  oversize?: 'error' | 'truncate-length';
};

/**
 * Formats whose text for a record does not depend on the records written before it, so workers can
 * write them independently. The others carry state from record to record: a separator before every
 * record but the first (mrk), a running record number (csv), or the record's position in the
 * input, which names a BIBFRAME record without an 001 (`record7`, as LC's converter names it; each
 * worker counted its own, so records of different workers got one IRI, merging their works in the
 * graph). Written by several workers, those came out wrong where one worker's records met the
 * next's; they run on one thread whatever `--jobs` says. The JSON arrays are written in parts
 * (see ARRAYS).
 */
const INDEPENDENT_RECORDS = new Set(['iso2709', 'marc', 'mrc', 'marcxml', 'xml', 'marcjson', 'json', 'jsonl', 'ndjson', 'plain-json', 'text', 'mods', 'dc']);

/**
 * Formats written as one JSON array. Workers put a comma before each of their records, the first
 * included (the writers' `continued`), and this thread drops the one before the array's first.
 */
const ARRAYS = new Set(['marcjson', 'json', 'plain-json']);

/**
 * Files from which `convert` uses every core unless `--jobs` says otherwise. Below this the
 * workers' start (each loads the reader and writer and runs cold for its first tasks) costs what
 * they save. To MARCXML on the 2-core machine (best of 3): 22 MB 0.35 s on one thread, 0.42 s on
 * two workers; 58 MB 0.64 s and 0.61 s; 220 MB 1.45 s and 1.08 s.
 */
const DEFAULT_PARALLEL_BYTES = 64 * 1024 * 1024;

/** A gzip file's records are counted at this many times its size (MARC compresses 3–5 times). */
const GZIP_RATIO = 4;

/** Worker threads for `convert`: `--jobs` if given, else every core for big files; one for formats that need it. */
export function convertJobs(to: string, requested: number | undefined, size: number, cores = availableParallelism()): number {
  if (!INDEPENDENT_RECORDS.has(to)) return 1;
  return requested ?? (size >= DEFAULT_PARALLEL_BYTES ? cores : 1);
}

/**
 * `mrrc dump`: `convert -t text`, so a dump takes the text writer's byte path, and the worker pool
 * for big files, as a conversion does.
 */
export function dump(input: string | undefined, flags: CommonFlags): Promise<number> {
  return convert(input, { ...flags, to: 'text' });
}

export async function convert(input: string | undefined, flags: ConvertFlags): Promise<number> {
  const edits: EditOptions = {
    ...(flags.leader === undefined ? {} : { leader: flags.leader }),
    ...(flags.normalize === undefined ? {} : { normalize: flags.normalize }),
  };
  const writerOptions: ConvertWriterOptions = {
    ...(flags.indent === true ? { indent: 2 } : {}),
    ...(flags.oversize === undefined ? {} : { oversize: flags.oversize }),
  };
  const toEncoding: 'utf-8' | 'marc-8' = flags.toEncoding === 'marc8' ? 'marc-8' : 'utf-8';
  const inputData = inputBytes(input);
  const path = input === undefined || input === '-' ? null : input;
  const gzip = inputData.signature === 'gzip';
  const jobs = convertJobs(flags.to, flags.jobs, gzip ? inputData.size * GZIP_RATIO : inputData.size);
  let source: InputBytes = inputData;
  if (jobs > 1) {
    const parallel = { ...edits, toEncoding, writerOptions };
    const from = flags.from ?? 'auto';
    if (path !== null && inputData.regular && !gzip) {
      // A plain file: the workers read byte ranges of it themselves.
      if (inputData.signature === null && (from === 'auto' ? fileFormat(path) === 'iso2709' : isIsoFormat(from))) return convertParallel(path, inputData, flags, parallel, jobs);
    } else {
      // Decompressed, standard input or a pipe: this thread frames records and hands the workers batches.
      const { format, all } = await chooseFormat(inputData.chunks(), from);
      if (isIsoFormat(format)) return convertParallel(all, inputData, flags, parallel, jobs);
      source = { ...inputData, chunks: () => all };
    }
  }
  const sink = await loadTargetWriter(flags.to, writerOptions, toEncoding);
  const out = new Output(flags.output);
  out.write(sink.begin());
  const { eachRecord } = await import('./read-commands.js');
  const writeTo = sink.writeTo;
  // Writers with a byte path fill one buffer, handed to the output every 256 KiB and taken back
  // once written (copying each piece out, `ByteSink.take`, was 4.7% of a 22 MB run's profile).
  const bytes = writeTo === undefined ? null : new ByteSink(1 << 19);
  const spare: Uint8Array[] = [];
  const handOver = (filled: ByteSink): void => {
    const buffer = filled.bytes;
    out.write(buffer.subarray(0, filled.length), () => spare.push(buffer));
    filled.bytes = spare.pop() ?? new Uint8Array(buffer.length);
    filled.length = 0;
  };
  // What was converted before a failure is written out, as a stream tool does, and ended as a
  // document (the collection's end tag, the array's bracket), so that it can still be read.
  const tally = await out.keepOnFailure(async () => {
    try {
      return await eachRecord(source, flags, ({ record }) => {
        const edited = applyEdits(record as Record, edits);
        const mark = bytes === null ? 0 : bytes.length;
        try {
          if (bytes !== null) {
            (writeTo as NonNullable<TargetWriter['writeTo']>)(edited, bytes);
            if (bytes.length < 1 << 18) return undefined;
            handOver(bytes);
          } else {
            out.write(sink.write(edited));
          }
        } catch (e) {
          // A record the target cannot hold (ISO 2709's E404) takes back what it wrote; eachRecord
          // skips and reports it in permissive mode and stops the others.
          if (bytes !== null) bytes.length = mark;
          throw e;
        }
        return out.maybeFlush();
      });
    } finally {
      if (bytes !== null && bytes.length > 0) handOver(bytes);
    }
  }, () => sink.end());
  out.write(sink.end());
  await out.close();
  return tally.skipped + tally.repaired > 0 ? 1 : 0;
}

/**
 * `workerOptions` are the edits and writer settings each convert worker reads (convert-worker.ts).
 * `source` is the file's path, or its records' bytes as a stream (decompressed, standard input).
 */
async function convertParallel(source: string | AsyncIterable<Uint8Array>, input: InputBytes, flags: ConvertFlags, workerOptions: EditOptions & { toEncoding: 'utf-8' | 'marc-8'; writerOptions: ConvertWriterOptions }, jobs: number): Promise<number> {
  const { toEncoding, writerOptions } = workerOptions;
  let commaToDrop = ARRAYS.has(flags.to);
  process.env.MRRC_CONVERT_OPTIONS = JSON.stringify(commaToDrop ? { ...workerOptions, writerOptions: { ...writerOptions, continued: true } } : workerOptions);
  process.env.MRRC_CONVERT_FORMAT = flags.to;
  const module = new URL(import.meta.url.endsWith('.ts') ? '../convert-worker.ts' : '../convert-worker.js', import.meta.url);
  const progress = createProgress(input.size, flags.progress);
  const hint = new EncodingHint(flags.encoding);
  let problems = 0;
  let records = 0;
  let inputDone = 0;
  const reached = input.reached ?? (() => inputDone);
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
      hint.see([skipped.error]);
      progress.log(describeError(skipped.error));
    },
    // Repairs are reported as on one thread (lenient mode's point): without this, workers kept them.
    onRepair: (repaired: { errors: MarcError[] }) => {
      problems++;
      hint.see(repaired.errors);
      for (const error of repaired.errors) progress.log(describeError(error));
    },
  };
  const iso = isIsoFormat(flags.to);
  const results = parallelMap<Uint8Array>(source, module, iso ? { ...options, exportName: 'iso2709' } : { ...options, exportName: 'text', concat: true, recycle: true });
  // Asking for the first batch starts the workers; they boot while this thread loads the writer
  // (the output's head and tail) and the output file is opened, off this thread: the workers get
  // their tasks from this thread, so it must not block in the truncation of a big earlier output.
  const batches = results.batches();
  const first = batches.next();
  first.catch(() => undefined);
  const opening = Output.open(flags.output);
  opening.catch(() => undefined);
  try {
    const sink = await loadTargetWriter(flags.to, writerOptions, toEncoding);
    const output = await opening;
    output.write(sink.begin());
    // What was converted before a failure is written out and ended, as on one thread.
    await output.keepOnFailure(async () => {
      for (let next = await first; next.done !== true; next = await batches.next()) {
        // With concat, each batch's buffer goes back to the pool once written, for a later task's output.
        for (const bytes of next.value) {
          const release = iso ? undefined : () => results.release(bytes);
          if (commaToDrop && bytes.length > 0) {
            commaToDrop = false;
            output.write(bytes[0] === 0x2c ? bytes.subarray(1) : bytes, release);
          } else {
            output.write(bytes, release);
          }
        }
        progress.tick(records, reached);
        await output.maybeFlush();
      }
    }, () => sink.end());
    output.write(sink.end());
    await output.close();
  } catch (e) {
    hint.stoppedBy(e);
    throw e;
  } finally {
    hint.tell(progress);
    progress.stop();
    await batches.return();
  }
  return problems > 0 ? 1 : 0;
}
