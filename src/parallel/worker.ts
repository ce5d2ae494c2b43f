/**
 * The worker side of the pool (its task handler, loaded by the pool's bootstrap). Two tasks:
 * - `frame`: read a byte range of a file, frame it, send the bytes and a frame table back
 *   (transferred, never cloned). The main thread builds the records.
 * - `map`: read and frame a range (or take frames the main thread found), build each record, run
 *   the user's function on it, send back only the function's results, batched.
 * Errors travel as data (`MarcError.toJSON()`), since error classes lose their fields in transit.
 */

import { readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MarcError, type MarcErrorData } from '../errors.js';
import { DEFAULT_MAX_RECORD_SIZE, Iso2709Framer, type Frame } from '../iso2709/framer.js';
import { FrameKind, frameProblem, newFrameResult, scanFrame } from '../iso2709/scanner.js';
import type { Record } from '../record/record.js';
import { ByteSink } from '../util/byte-sink.js';
import { importSibling } from '../util/import-sibling.js';
import { findBoundary } from './boundary.js';
import { appendResult, thrownData, TRANSFER, FLAG_JUNK, FRAME_STRIDE, sharedBuffer, type FileRange, type FramedBytes, type FrameTask, type FrameTaskResult, type MapTask, type MapTaskResult, type MapFunction, type Task } from './protocol.js';

function readRange(fd: number, position: number, length: number, reuse?: ArrayBuffer, capacity = 0): Uint8Array {
  const out = reuse !== undefined && reuse.byteLength >= length ? new Uint8Array(reuse, 0, length) : new Uint8Array(new ArrayBuffer(Math.max(length, capacity)), 0, length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}

/** Moves the nominal range to record boundaries and reads it. */
function sliceOf(range: FileRange, reuse?: ArrayBuffer, capacity?: number): { start: number; end: number; bytes: Uint8Array } {
  const readAt = (position: number, length: number): Uint8Array => readRange(range.fd, position, length);
  const start = findBoundary(readAt, range.size, range.start);
  const end = Math.max(start, findBoundary(readAt, range.size, range.end));
  const bytes = readRange(range.fd, start, end - start, reuse, capacity);
  if (bytes.length !== end - start) {
    throw new MarcError('E007', `the file ended at byte ${start + bytes.length}, before byte ${end}: it changed while being read`, { source: 'io', byteOffset: start + bytes.length });
  }
  return { start, end, bytes };
}

function shifted(error: MarcError, by: number): MarcErrorData {
  const data = error.toJSON();
  if (data.recordOffset !== undefined) data.recordOffset += by;
  if (data.byteOffset !== undefined) data.byteOffset += by;
  return data;
}

function frameTask(task: FrameTask): unknown {
  const { start, end, bytes } = sliceOf(task.range);
  const maxRecordSize = task.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
  // Straight on the scanner: no frame objects or views per record, only integers into the table.
  let table = new Int32Array(Math.max(64, (bytes.length >> 9) * FRAME_STRIDE));
  let n = 0;
  const problems: [number, MarcErrorData][] = [];
  const r = newFrameResult();
  let pos = 0;
  while (true) {
    const kind = scanFrame(bytes, pos, bytes.length, true, maxRecordSize, r);
    if (kind === FrameKind.End || kind === FrameKind.NeedMore) break;
    if ((n + 1) * FRAME_STRIDE > table.length) {
      const grown = new Int32Array(table.length * 2);
      grown.set(table);
      table = grown;
    }
    table[n * FRAME_STRIDE] = r.start;
    table[n * FRAME_STRIDE + 1] = r.end - r.start;
    table[n * FRAME_STRIDE + 2] = kind === FrameKind.Junk ? FLAG_JUNK : 0;
    if (r.problem !== null) {
      // The same error Iso2709Framer builds for this frame, at absolute offsets.
      const recordOffset = start + r.start;
      problems.push([n, frameProblem(r.problem, r.detail, recordOffset, start + r.end).toJSON()]);
    }
    n++;
    pos = r.end;
  }
  table = table.slice(0, n * FRAME_STRIDE);
  const result: FrameTaskResult = { start, end, bytes, table, problems };
  return { [TRANSFER]: [bytes.buffer, table.buffer], value: result };
}

/**
 * The user's module. Under tsx (tests, TypeScript users) Node 20 workers get tsx's require hook but
 * not its ESM hooks, so a `.ts` module that `import()` refuses is loaded through `require`.
 */
async function importModule(url: string): Promise<{ [name: string]: unknown }> {
  try {
    return (await import(url)) as { [name: string]: unknown };
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !/\.[cm]?ts$/.test(url)) throw e;
    return createRequire(import.meta.url)(fileURLToPath(url)) as { [name: string]: unknown };
  }
}
const modules = new Map<string, Promise<MapFunction>>();

function loadFunction(url: string, exportName: string): Promise<MapFunction> {
  const key = `${url}#${exportName}`;
  let fn = modules.get(key);
  if (fn === undefined) {
    fn = importModule(url).then((mod: { [name: string]: unknown }) => {
      const value = mod[exportName];
      if (typeof value !== 'function') throw new TypeError(`${url} has no function export ${JSON.stringify(exportName)}`);
      return value as MapFunction;
    });
    modules.set(key, fn);
  }
  return fn;
}

/**
 * Input buffers of map tasks, reused (as the shared input of a stream's tasks is, by the thread
 * that framed it): each record gets a copy of its bytes (slabCopy) instead of a view of the task's
 * buffer. A fresh buffer per task lived as long as the task, so it outlived a
 * few scavenges, was promoted and stayed until the next major GC: ~60 MB of dead input per worker.
 */
const inputBuffers: ArrayBuffer[] = [];

/**
 * The records' copies, carved one after another from 64 KiB slabs. A buffer per record came from
 * Buffer.allocUnsafe's 8 KiB pool, refilled every ~7 records: 4–5% of a map worker's time (cpu
 * profile of `convert --jobs 2`). A slab holds ~60 records mapped within a millisecond, so it dies
 * young with them; a record the map function keeps holds its slab.
 */
const SLAB_SIZE = 64 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

function slabCopy(frame: Uint8Array): Uint8Array {
  const n = frame.length;
  if (n > SLAB_SIZE >> 3) return frame.slice();
  if (slabUsed + n > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const copy = slab.subarray(slabUsed, slabUsed + n);
  copy.set(frame);
  slabUsed += n;
  return copy;
}

/** The frames of a map task's input, with absolute offsets. */
function framesOf(input: FileRange | FramedBytes, maxRecordSize: number | undefined): { start: number; end: number; frames: Iterable<Frame> } {
  if ('fd' in input) {
    const reuse = inputBuffers.pop();
    const { start, end, bytes } = sliceOf(input, reuse, Math.max(input.end - input.start + 64 * 1024, 1024 * 1024));
    const options = { copy: slabCopy, ...(maxRecordSize === undefined ? {} : { maxRecordSize }) };
    return {
      start,
      end,
      frames: (function* () {
        try {
          for (const frame of Iso2709Framer.frames(bytes, options)) {
            if (frame.problem !== null) frame.problem = MarcError.fromJSON(shifted(frame.problem, start));
            frame.offset += start;
            yield frame;
          }
        } finally {
          if (inputBuffers.length < 2) inputBuffers.push(bytes.buffer as ArrayBuffer);
        }
      })(),
    };
  }
  const { bytes, offsets, table, problems } = input;
  const byIndex = new Map(problems);
  const count = table.length / FRAME_STRIDE;
  return {
    start: count > 0 ? (offsets[0] as number) : 0,
    end: count > 0 ? (offsets[count - 1] as number) + (table[(count - 1) * FRAME_STRIDE + 1] as number) : 0,
    frames: (function* () {
      for (let i = 0; i < count; i++) {
        const at = table[i * FRAME_STRIDE] as number;
        const problem = byIndex.get(i);
        yield {
          // A copy: the shared input carries another task once this one's results are sent.
          bytes: slabCopy(bytes.subarray(at, at + (table[i * FRAME_STRIDE + 1] as number))),
          offset: offsets[i] as number,
          junk: ((table[i * FRAME_STRIDE + 2] as number) & FLAG_JUNK) !== 0,
          problem: problem === undefined ? null : MarcError.fromJSON(problem),
        };
      }
    })(),
  };
}

/**
 * The record builder, loaded by the first map task: a frame-lane worker never builds records, and
 * the builder's module graph (parser, fields, MARC-8 tables) was a third of its startup.
 */
let readerModule: Promise<typeof import('../iso2709/reader.js')> | null = null;
function loadReader(): Promise<typeof import('../iso2709/reader.js')> {
  readerModule ??= importSibling<typeof import('../iso2709/reader.js')>(import.meta.url, '../iso2709/reader.js');
  return readerModule;
}

/** The MARC 21 checks behind `validation: 'marc21'`, loaded only for a task that asks (see validate/hook.ts). */
let validationModule: Promise<unknown> | null = null;
function loadValidation(): Promise<unknown> {
  validationModule ??= importSibling(import.meta.url, '../validate/validate.js');
  return validationModule;
}

async function mapTask(task: MapTask): Promise<unknown> {
  // A worker holds two tasks. The first one's result is posted a few promise turns after it
  // returns; without a turn of the event loop here, the second one's whole loop could run first
  // and the result waited for it.
  await new Promise((resolve) => setImmediate(resolve));
  let fn: MapFunction;
  try {
    fn = await loadFunction(task.module, task.exportName);
  } catch (e) {
    // Reported as the user's module's failure (as on the main thread, below the threshold), not
    // as a worker dying: nothing about this range is wrong.
    const range = 'fd' in task.input ? task.input : { start: task.input.offsets[0] ?? 0, end: task.input.offsets[0] ?? 0 };
    const failed: MapTaskResult = { start: range.start, end: range.end, frames: 0, skipped: [], failure: { index: 0, offset: range.start, thrown: thrownData(e), load: true } };
    return failed;
  }
  const { RecordAssembler } = await loadReader();
  if (task.options.validation === 'marc21') await loadValidation();
  const { start, end, frames } = framesOf(task.input, task.options.maxRecordSize);
  const skipped: MapTaskResult['skipped'] = [];
  const repaired: NonNullable<MapTaskResult['repaired']> = [];
  let local = 0;
  const noteRepairs = (record: Record, offset: number): void => {
    if (task.repairs === true && record.hasErrors) repaired.push({ index: local, offset, errors: record.errors.map((e) => e.toJSON()) });
  };
  const assembler = new RecordAssembler({
    ...task.options,
    // The main thread counts skipped frames over the whole input.
    maxErrors: Number.POSITIVE_INFINITY,
    onError: (s) => skipped.push({ index: local, offset: s.recordOffset, error: s.error.toJSON(), raw: new Uint8Array(s.raw) }),
  });
  // With concat, each result is written out as it comes and dies young: collecting a task's
  // strings first kept them all alive until the task ended, so they were promoted to the old
  // generation (most of a map worker's GC and its heap growth).
  const values: unknown[] = [];
  const sink = task.concat ? new OutputSink(frameBytes(task.input), task.output) : null;
  let failure: MapTaskResult['failure'];
  for (const frame of frames) {
    let record: Record | null;
    try {
      record = !frame.junk && frame.problem === null ? assembler.assembleClean(frame.bytes, frame.offset) : assembler.assemble(frame).record;
    } catch (e) {
      if (!(e instanceof MarcError)) throw e;
      failure = { index: local, offset: frame.offset, marc: e.toJSON() };
      break;
    }
    if (record !== null) {
      const mark = sink === null ? 0 : sink.length;
      try {
        let value = fn(record, sink ?? undefined);
        if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') value = await value;
        if (value !== undefined) {
          if (sink !== null) appendResult(sink, value);
          else values.push(value);
        }
        // After the function: fields decode lazily, so their problems appear as they are read.
        noteRepairs(record, frame.offset);
      } catch (e) {
        // What reading repaired is often why the function failed (a writer's E404): reported with
        // the skip or the failure, as on one thread.
        noteRepairs(record, frame.offset);
        // A record the function could not handle has no offset of its own yet.
        if (e instanceof MarcError) e.withContext({ recordOffset: frame.offset });
        if (e instanceof MarcError && task.options.mode === 'permissive') {
          // Permissive: a record the function could not handle (a writer's E404, say) is skipped
          // and reported like an unreadable one, with its bytes; whatever it wrote is taken back.
          if (sink !== null) sink.length = mark;
          skipped.push({ index: local, offset: frame.offset, error: e.toJSON(), raw: new Uint8Array(frame.bytes) });
          local++;
          continue;
        }
        // A MarcError here comes from decoding a field on access (strict mode): keep its data.
        failure = e instanceof MarcError ? { index: local, offset: frame.offset, marc: e.toJSON() } : { index: local, offset: frame.offset, thrown: thrownData(e) };
        break;
      }
    }
    local++;
  }
  const result: MapTaskResult = { start, end, frames: local, skipped, ...(repaired.length === 0 ? {} : { repaired }), ...(failure === undefined ? {} : { failure }) };
  if (!task.concat) {
    result.values = values;
    return result;
  }
  // A view of shared memory: posted without a copy and without detaching anything.
  result.bytes = (sink as OutputSink).finish();
  return result;
}

/** Bytes of input a map task covers (a first guess at its output size). */
function frameBytes(input: FileRange | FramedBytes): number {
  return 'fd' in input ? Math.max(0, input.end - input.start) : input.bytes.length;
}

/** Scratch buffers kept between tasks (one per task running at once). */
const scratch: Uint8Array[] = [];

/**
 * A task's output, in shared memory (see `sharedBuffer`): the buffer the main thread sent with the
 * task (handed back whole, freed where it was allocated), else a scratch buffer kept between tasks
 * and copied once into a buffer of the exact size. The function writes into it itself (its second
 * argument) or returns strings and bytes that are appended as they come, so no result outlives its
 * record: collecting a task's strings first kept them all alive until the task ended.
 */
class OutputSink extends ByteSink {
  /** The main thread's buffer, still the one written to: handed back whole, no copy. */
  #provided: boolean;
  constructor(guess: number, provided?: SharedArrayBuffer) {
    super(0);
    this.#provided = provided !== undefined && provided.byteLength > 0;
    this.bytes = this.#provided ? new Uint8Array(provided as SharedArrayBuffer) : scratch.pop() ?? this.allocate(Math.max(256 * 1024, guess * 4));
  }

  protected override allocate(size: number): Uint8Array {
    this.#provided = false;
    return new Uint8Array(sharedBuffer(size));
  }

  /** The bytes written, in shared memory of their own; the scratch goes back. */
  finish(): Uint8Array {
    const written = this.bytes.subarray(0, this.length);
    if (this.#provided) return written;
    const out = new Uint8Array(sharedBuffer(this.length));
    out.set(written);
    // Kept for the next task unless one task's output made it huge.
    if (this.bytes.length <= 64 * 1024 * 1024) scratch.push(this.bytes);
    return out;
  }
}

export default function handle(task: Task): unknown {
  return task.kind === 'frame' ? frameTask(task) : mapTask(task);
}
