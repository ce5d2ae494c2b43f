/**
 * What crosses between the main thread and the workers. Everything here is plain data, typed
 * arrays or transferred buffers: field-notes measured structured clone of record objects at ~15×
 * the cost of sending bytes, and custom errors losing their fields across postMessage.
 */

import type { MarcErrorData } from '../errors.js';
import type { ByteSink } from '../util/byte-sink.js';
import type { Record } from '../record/record.js';
import type { ParseOptions } from '../iso2709/parser.js';

/** Every parse option a worker needs to build records as this thread would (functions and signals stay on the main thread). */
export interface WorkerReadOptions extends Omit<ParseOptions, 'recordIndex' | 'recordOffset'> {
  maxRecordSize?: number;
}

/** A byte range of a file the main thread holds open (`fd` is process-wide, shared by threads). */
export interface FileRange {
  fd: number;
  size: number;
  /** Nominal range; the worker moves both ends to the next record boundary. */
  start: number;
  end: number;
}

/** Frames found by the main thread, shipped with their bytes (stream sources). */
export interface FramedBytes {
  bytes: Uint8Array;
  /** Absolute offset of each frame (files may pass 2 GiB). */
  offsets: Float64Array;
  table: Int32Array;
  problems: [number, MarcErrorData][];
}

export interface FrameTask {
  kind: 'frame';
  range: FileRange;
  maxRecordSize?: number;
}

/**
 * Per frame, three int32s: offset in `bytes`, length, flags (1 = junk). Frame problems (rare) are
 * listed apart with the frame's position in the table, their offsets already absolute.
 */
export interface FrameTaskResult {
  start: number;
  end: number;
  bytes: Uint8Array;
  table: Int32Array;
  problems: [number, MarcErrorData][];
}

export interface MapTask {
  kind: 'map';
  module: string;
  exportName: string;
  input: FileRange | FramedBytes;
  options: WorkerReadOptions;
  /** Join string / byte results into one UTF-8 buffer instead of returning values. */
  concat: boolean;
  /**
   * With concat: a buffer for the output, allocated on the main thread, which is where the output
   * is freed. Buffers a worker allocated and the main thread freed much later (at its next major
   * GC) held ~60 MB of each worker's malloc arena. Shared, like every buffer a map task sends or
   * returns (see `sharedBuffer`).
   */
  output?: SharedArrayBuffer;
  /** Send back each record's repairs (`record.errors` after the function ran): someone reports them. */
  repairs?: boolean;
}

/** A thrown value that is not a MarcError, as data. */
export interface ThrownData {
  name: string;
  message: string;
  stack?: string;
}

/** A thrown value as data, to cross a thread or to be rebuilt as an error's cause. */
export function thrownData(e: unknown): ThrownData {
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) };
  return { name: 'Error', message: String(e) };
}

/** The Error that `thrownData` described (its class is lost; name, message and stack are kept). */
export function errorFromThrown(thrown: ThrownData): Error {
  const error = new Error(thrown.message);
  error.name = thrown.name;
  if (thrown.stack !== undefined) error.stack = thrown.stack;
  return error;
}

export interface MapTaskResult {
  start: number;
  end: number;
  /** Frames seen (records and skipped frames alike): the next task's index base. */
  frames: number;
  values?: unknown[];
  bytes?: Uint8Array;
  /** Permissive mode: frames skipped, with their bytes. `index` counts from the task's first frame. */
  skipped: { index: number; offset: number; error: MarcErrorData; raw: Uint8Array }[];
  /** With `repairs`: records read with repairs (lenient, permissive), and what was repaired. */
  repaired?: { index: number; offset: number; errors: MarcErrorData[] }[];
  /**
   * Why the task stopped early: a MarcError (strict / lenient), the user's function throwing, or
   * (`load`) its module failing to load or lacking the export, before any record.
   */
  failure?: { index: number; offset: number; marc?: MarcErrorData; thrown?: ThrownData; load?: true };
}

export type Task = FrameTask | MapTask;

/**
 * Memory for the bytes map tasks send and return. Shared rather than transferred: the first
 * transfer out of an isolate detaches a buffer, which invalidates V8's ArrayBufferDetaching
 * protector for the isolate's lifetime, and from then on optimised code checks for detachment on
 * typed-array accesses. In a map worker that made the MARCXML writer's byte loop 1.5× slower
 * (perf, same records, with and without one transfer). A shared buffer is posted without
 * detaching anything, on either side.
 */
export function sharedBuffer(length: number): SharedArrayBuffer {
  return new SharedArrayBuffer(length);
}

/**
 * A task handler's result that names buffers to transfer rather than copy: `{[TRANSFER]: buffers,
 * value}` (see the pool's worker bootstrap).
 */
export const TRANSFER: unique symbol = Symbol.for('mrrc.pool.transfer') as never;

export const FRAME_STRIDE = 3;
export const FLAG_JUNK = 1;

/**
 * What a `parallelMap` module exports: called once per record in a worker. With `concat`, it may
 * write its output into `sink` itself (the writers' `writeTo(record, sink)`) and return undefined,
 * which saves a copy of every byte; whatever it returns is appended after.
 */
export type MapFunction = (record: Record, sink?: ByteSink) => unknown;

/**
 * One value a `concat` map returned, into its batch's bytes: a string as UTF-8, bytes as they are.
 * (A function that wrote into the sink, its second argument, returns undefined: nothing to add.)
 */
export function appendResult(sink: ByteSink, value: unknown): void {
  if (typeof value === 'string') sink.text(value);
  else if (value instanceof Uint8Array) sink.append(value);
  else throw new TypeError(`with concat, the function must return strings or Uint8Arrays, not ${typeof value}`);
}
