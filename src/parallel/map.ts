/**
 * `parallelMap`: run the user's function on every record inside the worker pool and hand back only
 * its results, in file order. The lane where this thread does almost nothing: workers read, frame,
 * build and map; results come back a batch per task (values by structured clone, or with
 * `concat` one UTF-8 buffer per batch, in shared memory), never one message per record.
 */

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MAX_ERRORS, MarcError, tooManyUnreadable, type MarcErrorData, type SkippedRecord } from '../errors.js';
import type { Record } from '../record/record.js';
import { Iso2709Framer, type Frame } from '../iso2709/framer.js';
import type { ReadRecordsOptions } from '../io/read.js';
import { abortReason, isPathSource, openChunks, pathOf, type ByteSource, type ChunkReader } from '../io/source.js';
import { DEFAULT_PARALLEL_THRESHOLD, DEFAULT_TASK_SIZE, defaultWorkers, FileRanges, openFileForWorkers, workerError } from './ranges.js';
import { appendResult, errorFromThrown, thrownData, FRAME_STRIDE, FLAG_JUNK, sharedBuffer, type FramedBytes, type MapFunction, type MapTask, type MapTaskResult, type ThrownData, type WorkerReadOptions } from './protocol.js';
import type { Dispatch, TaskSource } from './pool.js';
import { ByteSink } from '../util/byte-sink.js';

const MAP_TASK_SIZE = 256 * 1024;
/** How long `parallelMap` below its threshold runs the function before letting the event loop in. */
const MAP_HERE_TURN_MS = 4;

export interface ParallelMapOptions extends ReadRecordsOptions {
  /** The module's export to call (default: `default`). */
  exportName?: string;
  /**
   * Join each batch's results (strings or Uint8Arrays) into one UTF-8 `Uint8Array`: for writing
   * output (`convert --jobs`) this thread then only writes bytes. The function may also write into
   * the batch's bytes itself: see `MapFunction`.
   */
  concat?: boolean;
  /**
   * With `concat`: you hand every batch back with `results.release(bytes)` once it is written, and
   * batches come as views of shared memory that later tasks reuse: no copy. Without it each batch
   * is copied out of the shared memory (which goes back to the workers at once), so batches you
   * keep stay valid and the garbage collector frees them: shared memory is not counted in the
   * heap's pressure, so unreleased shared batches piled up (600 MB peak for 220 MB of input).
   */
  recycle?: boolean;
  /**
   * Called as each worker task's results are handed out: how many records (skipped ones
   * included) it covered and the input byte offset it reached. With `concat` the batches carry no
   * record count, so this is how a progress display learns it.
   */
  onProgress?: (done: { records: number; inputEnd: number }) => void;
  /**
   * Called for each record read with repairs (lenient and permissive modes): `record.errors` as
   * they stood after your function ran, in input order, as its batch is handed out. Workers send
   * repairs back only when this is given; without it they are seen by your function alone.
   */
  onRepair?: (repaired: { errors: MarcError[]; recordIndex: number; recordOffset: number }) => void;
}

/**
 * The user's function threw on a record (where, in the input), or its module could not be loaded
 * or lacks the function (then no record and no range: `recordIndex` undefined, range 0–0). The
 * same error whether the records were mapped in workers or, below the threshold, on this thread.
 */
export class ParallelMapError extends Error {
  override readonly name = 'ParallelMapError';
  constructor(
    message: string,
    /** Index of the record in the whole input, when known. */
    readonly recordIndex: number | undefined,
    /** Absolute byte offset of the record. */
    readonly recordOffset: number | undefined,
    /** The byte range the failing task covered. */
    readonly rangeStart: number,
    readonly rangeEnd: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function moduleHref(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) return module;
  return pathToFileURL(resolve(module)).href;
}

// Each parse option by name: the options object also holds functions and a signal, which cannot
// cross to a worker. (validation, maxSubfields and marc8 were once left out here, so above the
// threshold a map ran without the checks or limits the caller asked for.)
function workerOptions(options: ParallelMapOptions): WorkerReadOptions {
  const out: WorkerReadOptions = {};
  if (options.mode !== undefined) out.mode = options.mode;
  if (options.encoding !== undefined) out.encoding = options.encoding;
  if (options.normalize !== undefined) out.normalize = options.normalize;
  if (options.marc8 !== undefined) out.marc8 = { ...options.marc8 };
  if (options.eager !== undefined) out.eager = options.eager;
  if (options.validation !== undefined) out.validation = options.validation;
  if (options.maxFields !== undefined) out.maxFields = options.maxFields;
  if (options.maxSubfields !== undefined) out.maxSubfields = options.maxSubfields;
  if (options.maxRecordSize !== undefined) out.maxRecordSize = options.maxRecordSize;
  return out;
}

/** Chunks already read (copies, when the source reuses its buffer), then the rest of the source. */
class ReplayChunks implements ChunkReader {
  /** As the rest's: a framer must copy what it keeps of a buffer the source reads into again. */
  readonly reused: boolean;
  constructor(private readonly head: Uint8Array[], private readonly rest: ChunkReader | null) {
    this.reused = rest?.reused ?? false;
  }
  async read(): Promise<Uint8Array | null> {
    const next = this.head.shift();
    if (next !== undefined) return next;
    return this.rest === null ? null : this.rest.read();
  }
  close(): Promise<void> {
    this.head.length = 0;
    return this.rest === null ? Promise.resolve() : this.rest.close();
  }
}

/**
 * A non-path source framed here (framing is the cheap part, ~0.4 µs a record) into tasks of about
 * `taskSize` bytes of whole frames, each shipped in one piece of shared memory with its frame
 * table. The pieces are taken back (`release`) when their task's results arrive: the worker has
 * copied its records out by then. Fresh memory per task, shared or moved, piled up between
 * collections (364 and 265 MB of memory for 220 MB of input, against 118 MB from a path).
 */
class FramedStream implements TaskSource {
  readonly #framer: Iso2709Framer;
  #pending: Frame[] = [];
  #pendingBytes = 0;
  #ended = false;
  readonly #memory = new SharedPool();
  readonly #inFlight = new Map<number, SharedArrayBuffer>();

  constructor(
    private readonly chunks: ChunkReader,
    private readonly taskSize: number,
    private readonly makeTask: (input: FramedBytes) => MapTask,
    maxRecordSize: number | undefined,
  ) {
    this.#framer = new Iso2709Framer({ copy: chunks.reused, ...(maxRecordSize === undefined ? {} : { maxRecordSize }) });
  }

  async next(): Promise<Dispatch | null> {
    while (!this.#ended && this.#pendingBytes < this.taskSize) {
      const chunk = await this.chunks.read();
      if (chunk === null) {
        this.#ended = true;
        this.#framer.end(this.#pending);
      } else {
        this.#framer.push(chunk, this.#pending);
      }
      this.#pendingBytes = 0;
      for (const f of this.#pending) this.#pendingBytes += f.bytes.length;
    }
    if (this.#pending.length === 0) return null;
    // Take whole frames up to the task size; the rest waits for the next task.
    let take = 0;
    let size = 0;
    while (take < this.#pending.length && (take === 0 || size + (this.#pending[take] as Frame).bytes.length <= this.taskSize)) {
      size += (this.#pending[take] as Frame).bytes.length;
      take++;
    }
    const frames = this.#pending.splice(0, take);
    this.#pendingBytes -= size;
    // One piece: the offsets (8-byte aligned), the table, then the bytes.
    const n = frames.length;
    const memory = this.#memory.take(2 ** Math.ceil(Math.log2(Math.max(64 * 1024, n * (8 + FRAME_STRIDE * 4) + size))));
    const offsets = new Float64Array(memory, 0, n);
    const table = new Int32Array(memory, n * 8, n * FRAME_STRIDE);
    const bytes = new Uint8Array(memory, n * (8 + FRAME_STRIDE * 4), size);
    const problems: [number, MarcErrorData][] = [];
    const offset = (frames[0] as Frame).offset;
    let at = 0;
    frames.forEach((f, i) => {
      bytes.set(f.bytes, at);
      // Separators between frames are not shipped: positions in `bytes` and file offsets differ.
      table[i * FRAME_STRIDE] = at;
      table[i * FRAME_STRIDE + 1] = f.bytes.length;
      table[i * FRAME_STRIDE + 2] = f.junk ? FLAG_JUNK : 0;
      offsets[i] = f.offset;
      if (f.problem !== null) problems.push([i, f.problem.toJSON()]);
      at += f.bytes.length;
    });
    const last = frames[frames.length - 1] as Frame;
    this.#inFlight.set(offset, memory);
    const input: FramedBytes = { bytes, offsets, table, problems };
    return { task: this.makeTask(input), start: offset, end: last.offset + last.bytes.length };
  }

  /** The task dispatched with `start` has its results: its memory can carry another. */
  release(start: number): void {
    const memory = this.#inFlight.get(start);
    if (memory === undefined) return;
    this.#inFlight.delete(start);
    this.#memory.give(memory);
  }

  close(): Promise<void> {
    this.#ended = true;
    this.#pending = [];
    this.#inFlight.clear();
    return this.chunks.close();
  }
}

/** Results of `parallelMap`: iterate them, or take them a batch at a time. */
export class MapResults<T> implements AsyncIterable<T> {
  readonly #batches: AsyncGenerator<T[], void, undefined>;
  readonly #outputs: SharedPool;
  constructor(batches: AsyncGenerator<T[], void, undefined>, outputs: SharedPool = new SharedPool()) {
    this.#batches = batches;
    this.#outputs = outputs;
  }

  /**
   * With `concat` and `recycle`: hands a batch's bytes back once they are written out, so a later
   * task writes its output into the same memory. Nothing may use `bytes` (or a view of it)
   * afterwards. Without `recycle` batches are copies and this does nothing.
   */
  release(bytes: Uint8Array): void {
    if (bytes.buffer instanceof SharedArrayBuffer) this.#outputs.give(bytes.buffer);
  }

  /** Results a batch (one worker task) at a time. */
  batches(): AsyncGenerator<T[], void, undefined> {
    return this.#batches;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    try {
      let turn = performance.now();
      for await (const batch of this.#batches) {
        for (let i = 0; i < batch.length; i++) {
          yield batch[i] as T;
          // Results yielded from a buffered batch resolve as microtasks; let timers and I/O in.
          if ((i & 255) === 255 && performance.now() - turn > 4) {
            await new Promise((r) => setImmediate(r));
            turn = performance.now();
          }
        }
      }
    } finally {
      await this.#batches.return();
    }
  }

  /** Stops the workers and closes the source. */
  async close(): Promise<void> {
    await this.#batches.return();
  }
}

/**
 * Runs `module`'s default export (or `exportName`) on every record of `source` in worker threads
 * and yields its results in input order (`ordered: false`: as batches complete). A function result
 * of `undefined` is dropped, so a module can filter. Inputs below `parallelThreshold` run here.
 */
export function parallelMap<T = unknown>(source: ByteSource, module: string | URL, options: ParallelMapOptions & { concat: true }): MapResults<Uint8Array>;
export function parallelMap<T = unknown>(source: ByteSource, module: string | URL, options?: ParallelMapOptions): MapResults<T>;
export function parallelMap<T = unknown>(source: ByteSource, module: string | URL, options: ParallelMapOptions = {}): MapResults<T> {
  const outputs = new SharedPool();
  return new MapResults<T>(runMap<T>(source, moduleHref(module), options, outputs), outputs);
}

/**
 * Shared buffers not in use: a stream's task inputs once their results are in (FramedStream), and
 * outputs handed back by the consumer (`recycle`) or at once when a batch has been copied out of
 * one. Fresh 1–2 MiB output buffers for every task at hundreds of MB a second cost the main thread
 * 18% of its time in GC when they were plain ArrayBuffers (`convert --jobs 2`).
 */
class SharedPool {
  readonly #free: SharedArrayBuffer[] = [];

  take(size: number): SharedArrayBuffer {
    for (let i = this.#free.length - 1; i >= 0; i--) {
      const buffer = this.#free[i] as SharedArrayBuffer;
      if (buffer.byteLength >= size) {
        this.#free.splice(i, 1);
        return buffer;
      }
    }
    return sharedBuffer(size);
  }

  give(buffer: SharedArrayBuffer): void {
    // A few spares cover the tasks in flight.
    if (this.#free.length < 16) this.#free.push(buffer);
  }
}

async function* runMap<T>(source: ByteSource, href: string, options: ParallelMapOptions, outputs: SharedPool): AsyncGenerator<T[], void, undefined> {
  const exportName = options.exportName ?? 'default';
  const threshold = options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD;
  // Map tasks are smaller than framing tasks: each one's records, results and output buffer
  // should die young in the worker's heap instead of being promoted (measured: GC was half of a
  // worker's time with 4 MiB tasks).
  const taskSize = options.taskSize ?? MAP_TASK_SIZE;
  const workers = Math.max(1, Math.floor(options.workers ?? defaultWorkers()));
  options.signal?.throwIfAborted();

  let taskSource: TaskSource;
  const concat = options.concat === true;
  // With concat, each task takes an output buffer allocated here, sized from the output/input
  // ratio seen so far (the worker grows its own if the guess is short).
  let ratio = 4;
  const makeTask = (input: MapTask['input']): MapTask => {
    const task: MapTask = { kind: 'map', module: href, exportName, input, options: workerOptions(options), concat };
    if (options.onRepair !== undefined) task.repairs = true;
    if (concat) {
      const inputBytes = 'fd' in input ? input.end - input.start : input.bytes.length;
      // Whole powers of two: a guess that moves a little between tasks still fits released buffers.
      task.output = outputs.take(2 ** Math.ceil(Math.log2(Math.max(64 * 1024, inputBytes * ratio * 1.25))));
    }
    return task;
  };
  // A path that is no regular file (a pipe) is read as a stream.
  const file = isPathSource(source) ? await openFileForWorkers(pathOf(source)) : null;
  if (file !== null) {
    const { handle, size } = file;
    if (size < threshold) {
      await handle.close();
      yield* mapHere<T>(source, href, exportName, options);
      return;
    }
    taskSource = new FileRanges(handle, size, taskSize, (range) => ({ task: makeTask(range) }));
  } else if (source instanceof Uint8Array && source.length < threshold) {
    yield* mapHere<T>(source, href, exportName, options);
    return;
  } else {
    // A stream: read ahead up to the threshold; a short stream is mapped here.
    const chunks = openChunks(source, options.chunkSize);
    const head: Uint8Array[] = [];
    let seen = 0;
    let ended = false;
    while (seen < threshold) {
      const chunk = await chunks.read();
      if (chunk === null) {
        ended = true;
        break;
      }
      head.push(chunks.reused ? chunk.slice() : chunk);
      seen += chunk.length;
    }
    if (ended) {
      await chunks.close();
      yield* mapHere<T>(head, href, exportName, options);
      return;
    }
    taskSource = new FramedStream(new ReplayChunks(head, chunks), taskSize, makeTask, options.maxRecordSize);
  }

  // Loaded on first use: importing mrrc should not load the pool.
  const { TaskWindow, WorkerPool } = await import('./pool.js');
  // Results are written out as they come (worker.ts, OutputSink), so a task leaves little garbage:
  // a small young generation costs no speed (4–96 MB measured the same) and keeps each worker's
  // heap small.
  // Two tasks per worker: with one, each finished task left its worker idle for a round trip
  // through this thread's event loop (16% of a map worker's time; a no-op map over 220 MB went
  // from 1.05 s to 0.74 s). With `workers × 4` in flight every worker's queue stays full. A worker
  // runs its tasks in order, so when one dies the earlier of its two failed ranges is the one it
  // was working on, and ordered reads report that one.
  const pool = new WorkerPool({ workers, youngGenerationMb: 8, tasksPerWorker: 2 });
  const window = new TaskWindow<MapTaskResult>(pool, taskSource, {
    maxInFlight: options.maxInFlight ?? workers * 4,
    ordered: options.ordered ?? true,
    count: (r) => r.frames,
  });
  const signal = options.signal;
  let onAbort: (() => void) | null = null;
  const aborted = signal === undefined ? null : new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(abortReason(signal));
      void window.close();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted?.catch(() => undefined);
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  let skipped = 0;
  try {
    while (true) {
      const outcome = await (aborted === null ? window.take() : Promise.race([window.take(), aborted]));
      if (outcome === null) {
        signal?.throwIfAborted();
        return;
      }
      const { scheduled, result, error } = outcome;
      taskSource.release?.(scheduled.start);
      if (result === undefined) {
        const base = await window.baseOf(scheduled.seq);
        throw workerError(error, scheduled.start, scheduled.end, base, 'mapping');
      }
      const needsBase = result.skipped.length > 0 || result.failure !== undefined || result.repaired !== undefined;
      const base = needsBase ? await window.baseOf(scheduled.seq) : undefined;
      // Skips and repairs in record order, as a read on one thread reports them.
      const repairs = result.repaired ?? [];
      let next = 0;
      const repairsBefore = (index: number): void => {
        for (; next < repairs.length && (repairs[next] as { index: number }).index < index; next++) {
          const r = repairs[next] as (typeof repairs)[number];
          const recordIndex = base === undefined ? -1 : base + r.index;
          options.onRepair?.({ errors: r.errors.map((d) => MarcError.fromJSON({ ...d, recordIndex })), recordIndex, recordOffset: r.offset });
        }
      };
      for (const s of result.skipped) {
        repairsBefore(s.index);
        const recordIndex = base === undefined ? undefined : base + s.index;
        skipped++;
        if (skipped > maxErrors) {
          throw tooManyUnreadable(maxErrors, { recordIndex, recordOffset: s.offset });
        }
        const skippedError = MarcError.fromJSON({ ...s.error, ...(recordIndex === undefined ? {} : { recordIndex }) });
        options.onError?.({ error: skippedError, raw: s.raw, recordIndex: recordIndex ?? -1, recordOffset: s.offset });
      }
      repairsBefore(Number.POSITIVE_INFINITY);
      if (concat && result.bytes !== undefined && result.end > result.start) ratio = Math.max(0.5, Math.min(64, result.bytes.length / (result.end - result.start)));
      const values = concat ? batchBytes(result.bytes, options.recycle === true, outputs) : (result.values ?? []);
      options.onProgress?.({ records: result.frames, inputEnd: result.end });
      if (values.length > 0) yield values as T[];
      const failure = result.failure;
      if (failure !== undefined) {
        const recordIndex = base === undefined ? undefined : base + failure.index;
        if (failure.marc !== undefined) throw MarcError.fromJSON({ ...failure.marc, ...(recordIndex === undefined ? {} : { recordIndex }) });
        const thrown = failure.thrown ?? { name: 'Error', message: 'unknown failure' };
        if (failure.load === true) throw loadError(href, exportName, thrown);
        throw userError(href, thrown, recordIndex, failure.offset, result.start, result.end);
      }
    }
  } finally {
    if (onAbort !== null) signal?.removeEventListener('abort', onAbort);
    await window.close();
  }
}

/** The module could not be loaded, or has no such function: one error on every path. */
function loadError(href: string, exportName: string, thrown: ThrownData): ParallelMapError {
  return new ParallelMapError(`cannot use ${JSON.stringify(exportName)} of ${href}: ${thrown.name}: ${thrown.message}`, undefined, undefined, 0, 0, { cause: errorFromThrown(thrown) });
}

function userError(href: string, thrown: ThrownData, recordIndex: number | undefined, recordOffset: number | undefined, start: number, end: number): ParallelMapError {
  const cause = errorFromThrown(thrown);
  const where = `${recordIndex === undefined ? 'a record' : `record ${recordIndex}`}${recordOffset === undefined ? '' : ` (byte ${recordOffset})`} in bytes ${start}–${end}`;
  return new ParallelMapError(`${href} threw on ${where}: ${thrown.name}: ${thrown.message}`, recordIndex, recordOffset, start, end, { cause });
}

/** A `concat` batch for the consumer: the shared bytes themselves, or a copy (see `recycle`). */
function batchBytes(bytes: Uint8Array | undefined, recycle: boolean, outputs: SharedPool): Uint8Array[] {
  if (bytes === undefined || bytes.length === 0) return [];
  if (recycle) return [bytes];
  // slice() of a shared view is a view of a new, unshared buffer.
  const copy = bytes.slice();
  outputs.give(bytes.buffer as SharedArrayBuffer);
  return [copy];
}

/** Small inputs: the same function on this thread, the same results and errors. */
async function* mapHere<T>(source: ByteSource | Uint8Array[], href: string, exportName: string, options: ParallelMapOptions): AsyncGenerator<T[], void, undefined> {
  let fn: unknown;
  try {
    fn = ((await import(href)) as { [name: string]: unknown })[exportName];
    if (typeof fn !== 'function') throw new TypeError(`${href} has no function export ${JSON.stringify(exportName)}`);
  } catch (e) {
    throw loadError(href, exportName, thrownData(e));
  }
  // Loaded here: the reader brings the whole record model, which a thread that only hands out
  // byte ranges and joins results never needs (~25 ms of `convert --jobs 2`'s start).
  const { readRecords } = await import('../io/read.js');
  // The reader skips an unreadable record while it reads a batch, before this loop maps the
  // records ahead of it: its report waits for them, so reports come in record order (workers').
  const onError = options.onError;
  const skips: SkippedRecord[] = [];
  let reportedSkips = 0;
  const reportSkipsBefore = (recordIndex: number): void => {
    if (onError === undefined) return;
    for (; reportedSkips < skips.length && (skips[reportedSkips] as SkippedRecord).recordIndex < recordIndex; reportedSkips++) onError(skips[reportedSkips] as SkippedRecord);
    if (reportedSkips === skips.length) skips.length = reportedSkips = 0;
  };
  const reader = readRecords(source, onError === undefined ? options : { ...options, onError: (skipped) => skips.push(skipped) });
  const batchSize = options.batchSize ?? 1024;
  const concat = options.concat === true;
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  let failed = 0;
  let turn = performance.now();
  const reportRepairs = (record: Record): void => {
    if (options.onRepair !== undefined && record.hasErrors) {
      options.onRepair({ errors: record.errors, recordIndex: record.origin?.recordIndex ?? -1, recordOffset: record.origin?.recordOffset ?? 0 });
    }
  };
  try {
    // batches() hands out the records read before a read error (strict mode's first bad record)
    // and then throws, so they are mapped and handed out first, as workers do.
    for await (const records of reader.batches(batchSize)) {
      const values: unknown[] = [];
      const sink = concat ? new ByteSink() : undefined;
      for (let i = 0; i < records.length; i++) {
        const record = records[i] as Record;
        reportSkipsBefore(record.origin?.recordIndex ?? Number.POSITIVE_INFINITY);
        // The function runs on this thread here: a batch of 1,024 held the event loop for 60–80 ms
        // (MARC-in-JSON of a 5,000-record file). Give timers and I/O a turn every few ms.
        if ((i & 63) === 63 && performance.now() - turn > MAP_HERE_TURN_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          turn = performance.now();
        }
        let value: unknown;
        const mark = sink === undefined ? 0 : sink.length;
        try {
          value = (fn as MapFunction)(record, sink);
          if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') value = await value;
        } catch (e) {
          if (e instanceof MarcError && options.mode === 'permissive') {
            // As in a worker: skipped and reported, with its bytes; what it wrote is taken back.
            if (sink !== undefined) sink.length = mark;
            const recordIndex = record.origin?.recordIndex ?? -1;
            const recordOffset = record.origin?.recordOffset ?? 0;
            if (++failed + reader.skipped > maxErrors) {
              throw tooManyUnreadable(maxErrors, { recordIndex, recordOffset });
            }
            options.onError?.({ error: e.withContext({ recordIndex, recordOffset }), raw: record.raw ?? new Uint8Array(0), recordIndex, recordOffset });
            reportRepairs(record);
            continue;
          }
          // What reading repaired is often why the function failed: reported first, as in a worker.
          reportRepairs(record);
          if (e instanceof MarcError) throw e.withContext({ recordIndex: record.origin?.recordIndex, recordOffset: record.origin?.recordOffset });
          const thrown = thrownData(e);
          const index = record.origin?.recordIndex;
          const offset = record.origin?.recordOffset;
          throw userError(href, thrown, index, offset, offset ?? 0, (offset ?? 0) + (record.raw?.length ?? 0));
        }
        reportRepairs(record);
        if (value === undefined) continue;
        // As in a worker: each result goes into the batch's bytes at once, before the next call
        // (a function may return a view of a buffer it reuses).
        if (sink !== undefined) appendResult(sink, value);
        else values.push(value);
      }
      reportSkipsBefore(Number.POSITIVE_INFINITY);
      if (sink !== undefined) {
        if (sink.length > 0) yield [sink.bytes.subarray(0, sink.length)] as T[];
      } else if (values.length > 0) {
        yield values as T[];
      }
    }
    reportSkipsBefore(Number.POSITIVE_INFINITY);
  } catch (e) {
    // An error comes after the skips before its record (too many unreadable ones: all of them).
    const at = e instanceof MarcError || e instanceof ParallelMapError ? e.recordIndex : undefined;
    reportSkipsBefore(at ?? Number.POSITIVE_INFINITY);
    throw e;
  } finally {
    await reader.close();
  }
}
