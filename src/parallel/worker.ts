/**
 * The worker side of the pool (a piscina task handler). Two tasks:
 * - `frame`: read a byte range of a file, frame it, send the bytes and a frame table back
 *   (transferred, never cloned). The main thread builds the records.
 * - `map`: read and frame a range (or take frames the main thread found), build each record, run
 *   the user's function on it, send back only the function's results, batched.
 * Errors travel as data (`MarcError.toJSON()`), since error classes lose their fields in transit.
 */

import { readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { move } from 'piscina';
import { MarcError, type MarcErrorData } from '../errors.js';
import { DEFAULT_MAX_RECORD_SIZE, Iso2709Framer, type Frame } from '../iso2709/framer.js';
import { FrameKind, frameProblem, newFrameResult, scanFrame } from '../iso2709/scanner.js';
import type { Record } from '../record/record.js';
import { RecordAssembler } from '../iso2709/reader.js';
import { findBoundary } from './boundary.js';
import { FLAG_JUNK, FRAME_STRIDE, type FileRange, type FramedBytes, type FrameTask, type FrameTaskResult, type MapTask, type MapTaskResult, type Task, type ThrownData } from './protocol.js';

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
  const { start, end, bytes } = sliceOf(task.range, task.buffer, task.bufferSize);
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
  return move({
    get [Symbol.for('Piscina.transferable')]() {
      return [bytes.buffer, table.buffer];
    },
    get [Symbol.for('Piscina.valueOf')]() {
      return result;
    },
  } as never);
}

type MapFunction = (record: Record) => unknown;

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

function thrownData(e: unknown): ThrownData {
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) };
  return { name: 'Error', message: String(e) };
}

/** The frames of a map task's input, with absolute offsets. */
function framesOf(input: FileRange | FramedBytes, maxRecordSize: number | undefined): { start: number; end: number; frames: Iterable<Frame> } {
  if ('fd' in input) {
    const { start, end, bytes } = sliceOf(input);
    const options = maxRecordSize === undefined ? {} : { maxRecordSize };
    return {
      start,
      end,
      frames: (function* () {
        for (const frame of Iso2709Framer.frames(bytes, options)) {
          if (frame.problem !== null) frame.problem = MarcError.fromJSON(shifted(frame.problem, start));
          frame.offset += start;
          yield frame;
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
          bytes: bytes.subarray(at, at + (table[i * FRAME_STRIDE + 1] as number)),
          offset: offsets[i] as number,
          junk: ((table[i * FRAME_STRIDE + 2] as number) & FLAG_JUNK) !== 0,
          problem: problem === undefined ? null : MarcError.fromJSON(problem),
        };
      }
    })(),
  };
}

async function mapTask(task: MapTask): Promise<unknown> {
  const fn = await loadFunction(task.module, task.exportName);
  const { start, end, frames } = framesOf(task.input, task.options.maxRecordSize);
  const skipped: MapTaskResult['skipped'] = [];
  let local = 0;
  const assembler = new RecordAssembler({
    ...task.options,
    // The main thread counts skipped frames over the whole input.
    maxErrors: Number.POSITIVE_INFINITY,
    onError: (s) => skipped.push({ index: local, offset: s.recordOffset, error: s.error.toJSON(), raw: s.raw.slice() }),
  });
  const values: unknown[] = [];
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
      try {
        let value = fn(record);
        if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') value = await value;
        if (value !== undefined) values.push(value);
      } catch (e) {
        // A MarcError here comes from decoding a field on access (strict mode): keep its data.
        failure = e instanceof MarcError ? { index: local, offset: frame.offset, marc: e.toJSON() } : { index: local, offset: frame.offset, thrown: thrownData(e) };
        break;
      }
    }
    local++;
  }
  const result: MapTaskResult = { start, end, frames: local, skipped, ...(failure === undefined ? {} : { failure }) };
  if (!task.concat) {
    result.values = values;
    return result;
  }
  const bytes = concatResults(values);
  result.bytes = bytes;
  return move({
    get [Symbol.for('Piscina.transferable')]() {
      return [bytes.buffer];
    },
    get [Symbol.for('Piscina.valueOf')]() {
      return result;
    },
  } as never);
}

const encoder = new TextEncoder();
const NodeBuffer = (globalThis as { Buffer?: { byteLength(s: string, e: 'utf8'): number; allocUnsafeSlow(n: number): Uint8Array & { write(s: string, offset: number, e: 'utf8'): number } } }).Buffer;

/**
 * Strings and byte arrays, joined as UTF-8 into one transferable buffer. Each string is written
 * straight into the output: joining them first built a second copy of a task's whole output as one
 * string, and that, not the user's function, was most of a worker's garbage.
 */
function concatResults(values: unknown[]): Uint8Array {
  let total = 0;
  for (const v of values) {
    if (typeof v === 'string') total += NodeBuffer !== undefined ? NodeBuffer.byteLength(v, 'utf8') : encoder.encode(v).length;
    else if (v instanceof Uint8Array) total += v.length;
    else throw new TypeError(`with concat, the function must return strings or Uint8Arrays, not ${typeof v}`);
  }
  if (NodeBuffer === undefined) {
    const out = new Uint8Array(total);
    let at = 0;
    for (const v of values) at += typeof v === 'string' ? encoder.encodeInto(v, out.subarray(at)).written : (out.set(v as Uint8Array, at), (v as Uint8Array).length);
    return out;
  }
  // allocUnsafeSlow: a buffer of its own (not a pool slice), so it can be transferred whole.
  const out = NodeBuffer.allocUnsafeSlow(total);
  let at = 0;
  for (const v of values) {
    if (typeof v === 'string') at += out.write(v, at, 'utf8');
    else {
      out.set(v as Uint8Array, at);
      at += (v as Uint8Array).length;
    }
  }
  return out;
}

export default function handle(task: Task): unknown {
  return task.kind === 'frame' ? frameTask(task) : mapTask(task);
}
