/**
 * `readRecords`: the async reading API over every source, with one parsing core.
 *
 * A lane yields batches of frames in file order (the stream lane frames chunks on this thread; the
 * worker lane gets them framed by a pool); `RecordReader` turns frames into records with the same
 * `RecordAssembler` the sync readers use, one record at a time as the consumer asks, so strict,
 * lenient and permissive behave exactly as in `readRecordsSync` whatever the lane.
 */

import { Iso2709Framer, type Frame, type FramerOptions } from '../iso2709/framer.js';
import { RecordAssembler, type ReadOptions, type ReadResult } from '../iso2709/reader.js';
import type { Record } from '../record/record.js';
import { abortReason, isPathSource, openChunks, pathOf, type ByteSource, type ChunkReader } from './source.js';

export interface ReadRecordsOptions extends ReadOptions {
  /** Stops reading: the pending and later reads reject with the signal's reason; files close, workers stop. */
  signal?: AbortSignal;
  /**
   * Worker threads for a path source (default 0: this thread). Workers read and frame the file in
   * byte ranges; this thread only builds the records handed out. Files below `parallelThreshold`
   * are read on this thread whatever this says. Other sources are always read on this thread.
   */
  workers?: number;
  /** With workers: hand out batches in file order (default) or as they complete (`false`). */
  ordered?: boolean;
  /** Records per batch for `readBatch()` and `batches()` (default 1024). */
  batchSize?: number;
  /** Bytes per worker task (default 2 MiB for `readRecords`, 256 KiB for `parallelMap`). */
  taskSize?: number;
  /** Bytes per read from a path on this thread (default 1 MiB). */
  chunkSize?: number;
  /** Files smaller than this stay on one thread even with `workers` (default 4 MiB). */
  parallelThreshold?: number;
  /** Worker tasks dispatched and not yet consumed (default `workers + 1` for `readRecords`, `4 × workers` for `parallelMap`): bounds memory. */
  maxInFlight?: number;
}

export const DEFAULT_BATCH_SIZE = 1024;

/** A run of frames in file order; `firstIndex` is set when it is not the next run in the file. */
export interface FrameBatch {
  frames: Frame[];
  firstIndex?: number;
}

/** Where frames come from: a stream on this thread, a buffer, or a worker pool. */
export interface FrameLane {
  next(): Promise<FrameBatch | null>;
  close(): Promise<void>;
}

function framerOptions(options: ReadRecordsOptions, copy: boolean): FramerOptions {
  return options.maxRecordSize === undefined ? { copy } : { copy, maxRecordSize: options.maxRecordSize };
}

/** Frames chunks as they come; a record split over any number of chunks is carried until whole. */
export class StreamLane implements FrameLane {
  readonly #chunks: ChunkReader;
  readonly #framer: Iso2709Framer;
  #ended = false;

  constructor(chunks: ChunkReader, options: ReadRecordsOptions) {
    this.#chunks = chunks;
    // Reused chunk memory (file reads) means frames must own their bytes.
    this.#framer = new Iso2709Framer(framerOptions(options, chunks.reused));
  }

  async next(): Promise<FrameBatch | null> {
    while (!this.#ended) {
      const chunk = await this.#chunks.read();
      const frames: Frame[] = [];
      if (chunk === null) {
        this.#ended = true;
        this.#framer.end(frames);
        await this.#chunks.close();
      } else {
        this.#framer.push(chunk, frames);
      }
      if (frames.length > 0) return { frames };
    }
    return null;
  }

  close(): Promise<void> {
    this.#ended = true;
    return this.#chunks.close();
  }
}

/** A whole buffer: frames are views of it, found a batch at a time rather than all up front. */
export class BufferLane implements FrameLane {
  #frames: Generator<Frame, void, undefined> | null;
  constructor(bytes: Uint8Array, private readonly options: ReadRecordsOptions) {
    this.#frames = Iso2709Framer.frames(bytes, framerOptions(options, false));
  }

  async next(): Promise<FrameBatch | null> {
    const iterator = this.#frames;
    if (iterator === null) return null;
    const size = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const frames: Frame[] = [];
    while (frames.length < size) {
      const step = iterator.next();
      if (step.done === true) {
        this.#frames = null;
        break;
      }
      frames.push(step.value);
    }
    return frames.length > 0 ? { frames } : null;
  }

  async close(): Promise<void> {
    this.#frames = null;
  }
}

/** Picks the lane once the source is known well enough (a path's size decides about workers). */
async function openLane(source: ByteSource, options: ReadRecordsOptions): Promise<FrameLane> {
  if (source instanceof Uint8Array) return new BufferLane(source, options);
  const workers = options.workers ?? 0;
  if (isPathSource(source) && workers > 0) {
    const { openWorkerLane } = await import('../parallel/lane.js');
    const lane = await openWorkerLane(pathOf(source), options);
    if (lane !== null) return lane;
  }
  return new StreamLane(openChunks(source, options.chunkSize), options);
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** How long the consumer may hold the event loop on buffered records before we give timers a turn. */
const TURN_MS = 2;

/** A batch size: a whole number of at least 1. */
function batchCount(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a whole number of at least 1, not ${String(n)}`);
  return n;
}

/**
 * Records from a source: iterate it (`for await`), take batches (`readBatch`, `batches()`), or
 * take every frame with its errors (`results()`). Single use, like the stream it reads.
 */
export class RecordReader implements AsyncIterableIterator<Record> {
  readonly #source: ByteSource;
  readonly #options: ReadRecordsOptions;
  readonly #assembler: RecordAssembler;
  #lane: Promise<FrameLane> | null = null;
  #frames: Frame[] = [];
  #pos = 0;
  #done = false;
  #closing: Promise<void> | null = null;
  #handed = 0;
  #turn = performance.now();
  #abort: Promise<never> | null = null;
  #onAbort: (() => void) | null = null;

  /** @internal The file read, when the source is a path: writeRecords refuses to write over it. */
  get sourcePath(): string | null {
    return isPathSource(this.#source) ? pathOf(this.#source) : null;
  }

  constructor(source: ByteSource, options: ReadRecordsOptions = {}) {
    if (options.batchSize !== undefined) batchCount(options.batchSize, 'batchSize');
    this.#source = source;
    this.#options = options;
    const { signal: _signal, onError, ...rest } = options;
    this.#assembler = new RecordAssembler(onError === undefined ? rest : { ...rest, onError });
    const signal = options.signal;
    if (signal !== undefined) {
      this.#abort = new Promise<never>((_, reject) => {
        this.#onAbort = () => {
          reject(abortReason(signal));
          void this.close();
        };
        if (signal.aborted) this.#onAbort();
        else signal.addEventListener('abort', this.#onAbort, { once: true });
      });
      this.#abort.catch(() => undefined);
    }
  }

  /** Records assembled so far (skipped ones included). */
  get recordsSeen(): number {
    return this.#assembler.recordsSeen;
  }

  /** Frames skipped so far in permissive mode. */
  get skipped(): number {
    return this.#assembler.skipped;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Record>> {
    const frames = this.#frames;
    try {
      while (this.#pos < frames.length) {
        const record = this.#take(frames[this.#pos++] as Frame);
        if (record !== null) return this.#hand(record);
      }
    } catch (e) {
      return this.#fail(e);
    }
    return this.#nextSlow();
  }

  async #nextSlow(): Promise<IteratorResult<Record>> {
    while (await this.#fill()) {
      const frames = this.#frames;
      try {
        while (this.#pos < frames.length) {
          const record = this.#take(frames[this.#pos++] as Frame);
          if (record !== null) return { done: false, value: record };
        }
      } catch (e) {
        return this.#fail(e);
      }
    }
    return DONE;
  }

  /**
   * Up to `n` records (fewer only at the end; empty when there are no more). When reading stops
   * with an error, that error is thrown and the records read before it in this batch are not
   * returned: `batches()` and `for await` deliver them first.
   */
  async readBatch(n = this.#options.batchSize ?? DEFAULT_BATCH_SIZE): Promise<Record[]> {
    const out: Record[] = [];
    await this.#readInto(out, n);
    await this.#maybeTurn(out.length);
    return out;
  }

  /**
   * readBatch into the caller's array, so that a caller who catches the error still has the
   * records read before it (strict mode stops at a bad record; what came before is good).
   */
  async #readInto(out: Record[], n: number): Promise<void> {
    while (out.length < n) {
      if (this.#pos >= this.#frames.length && !(await this.#fill())) break;
      const frames = this.#frames;
      try {
        while (this.#pos < frames.length && out.length < n) {
          const record = this.#take(frames[this.#pos++] as Frame);
          if (record !== null) out.push(record);
        }
      } catch (e) {
        await this.#fail(e);
      }
    }
  }

  /** Batches of up to `n` records until the end; on an error, the records before it, then the error. */
  async *batches(n = this.#options.batchSize ?? DEFAULT_BATCH_SIZE): AsyncGenerator<Record[], void, undefined> {
    // An empty batch means the end: batches of 0 would end a read that has not begun.
    batchCount(n, 'batches(n)');
    try {
      while (true) {
        const batch: Record[] = [];
        try {
          await this.#readInto(batch, n);
        } catch (e) {
          if (batch.length > 0) yield batch;
          throw e;
        }
        if (batch.length === 0) return;
        await this.#maybeTurn(batch.length);
        yield batch;
      }
    } finally {
      await this.close();
    }
  }

  /**
   * Every frame as `{record, errors, raw, recordIndex, recordOffset}`: records with their repairs,
   * and in permissive mode the skipped frames too (`record: null`, `errors` saying why).
   */
  async *results(): AsyncGenerator<ReadResult, void, undefined> {
    try {
      while (true) {
        if (this.#pos >= this.#frames.length && !(await this.#fill())) return;
        let result: ReadResult;
        try {
          result = this.#assembler.assemble(this.#frames[this.#pos++] as Frame);
        } catch (e) {
          await this.#fail(e);
          return;
        }
        await this.#maybeTurn(1);
        yield result;
      }
    } finally {
      await this.close();
    }
  }

  /**
   * `results()` in arrays, as the frames of one read arrive: a consumer that handles thousands of
   * results a second pays one await per batch instead of several per result.
   */
  async *resultBatches(): AsyncGenerator<ReadResult[], void, undefined> {
    try {
      while (true) {
        if (this.#pos >= this.#frames.length && !(await this.#fill())) return;
        const frames = this.#frames;
        const batch: ReadResult[] = [];
        try {
          while (this.#pos < frames.length) batch.push(this.#assembler.assemble(frames[this.#pos++] as Frame));
        } catch (e) {
          // Strict mode: what was read before the bad record is still delivered, then the error.
          if (batch.length > 0) yield batch;
          await this.#fail(e);
          return;
        }
        await this.#maybeTurn(batch.length);
        yield batch;
      }
    } finally {
      await this.close();
    }
  }

  return(): Promise<IteratorResult<Record>> {
    return this.close().then(() => DONE);
  }

  async throw(error?: unknown): Promise<IteratorResult<Record>> {
    await this.close();
    throw error;
  }

  /** Stops reading and releases the source (file, stream, workers). Safe to call more than once. */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    this.#done = true;
    this.#frames = [];
    this.#pos = 0;
    if (this.#onAbort !== null) this.#options.signal?.removeEventListener('abort', this.#onAbort);
    const lane = this.#lane;
    this.#closing = lane === null ? Promise.resolve() : lane.then((l) => l.close(), () => undefined);
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #take(frame: Frame): Record | null {
    if (!frame.junk && frame.problem === null) return this.#assembler.assembleClean(frame.bytes, frame.offset);
    return this.#assembler.assemble(frame).record;
  }

  #hand(record: Record): Promise<IteratorResult<Record>> {
    if ((++this.#handed & 63) === 0 && performance.now() - this.#turn > TURN_MS) {
      return new Promise((resolve) => setImmediate(() => {
        this.#turn = performance.now();
        resolve({ done: false, value: record });
      }));
    }
    return Promise.resolve({ done: false, value: record });
  }

  /**
   * Buffered records resolve as microtasks, which never let timers or I/O in: a consumer could hold
   * the event loop for a whole batch. Every few milliseconds, wait one macrotask turn.
   */
  #maybeTurn(count: number): Promise<void> | void {
    this.#handed += count;
    if (performance.now() - this.#turn <= TURN_MS) return;
    return new Promise((resolve) => setImmediate(() => {
      this.#turn = performance.now();
      resolve();
    }));
  }

  async #fail(error: unknown): Promise<never> {
    await this.close();
    throw error;
  }

  /** Loads the next batch of frames; false at the end. */
  async #fill(): Promise<boolean> {
    while (!this.#done) {
      this.#lane ??= openLane(this.#source, this.#options);
      this.#lane.catch(() => undefined);
      let batch: FrameBatch | null;
      try {
        const pending = this.#lane.then((lane) => lane.next());
        batch = await (this.#abort === null ? pending : Promise.race([pending, this.#abort]));
      } catch (e) {
        return this.#fail(e);
      }
      if (this.#done) break;
      if (batch === null) {
        await this.close();
        return false;
      }
      if (batch.frames.length === 0) continue;
      if (batch.firstIndex !== undefined) this.#assembler.seek(batch.firstIndex);
      this.#frames = batch.frames;
      this.#pos = 0;
      return true;
    }
    this.#options.signal?.throwIfAborted();
    return false;
  }
}


/**
 * Records from a path (string or file URL), bytes, a Node `Readable`, a WHATWG `ReadableStream`
 * or any (async) iterable of `Uint8Array` chunks. Correct for any chunking.
 */
export function readRecords(source: ByteSource, options: ReadRecordsOptions = {}): RecordReader {
  return new RecordReader(source, options);
}

/** The errors-included iteration of `readRecords`: every frame, skipped ones too (permissive). */
export function readResults(source: ByteSource, options: ReadRecordsOptions = {}): AsyncGenerator<ReadResult, void, undefined> {
  return new RecordReader(source, options).results();
}

/** `readResults` in arrays, one per read of the source (see `RecordReader.resultBatches`). */
export function readResultBatches(source: ByteSource, options: ReadRecordsOptions = {}): AsyncGenerator<ReadResult[], void, undefined> {
  return new RecordReader(source, options).resultBatches();
}

