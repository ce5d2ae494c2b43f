/**
 * Every byte source the async readers accept, as one pull interface over chunks.
 *
 * Pull, not push: the reader asks for the next chunk only when its consumer asked for more
 * records, which is what gives backpressure to Node streams (async iteration pauses them),
 * WHATWG streams (the reader's `read()` is the demand signal) and files (no read is issued).
 */

import { open, type FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MarcError } from '../errors.js';

/** A path, bytes, a Node `Readable`, a WHATWG `ReadableStream`, or any (async) iterable of chunks. */
export type ByteSource =
  | string
  | URL
  | Uint8Array
  | NodeJS.ReadableStream
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/** Large reads: fewer syscalls and awaits per record than fs streams' 64 KiB. */
export const PATH_CHUNK_SIZE = 1024 * 1024;

export interface ChunkReader {
  /** The next chunk, or null at the end. */
  read(): Promise<Uint8Array | null>;
  /** Releases the source (closes the file, destroys or cancels the stream). Idempotent. */
  close(): Promise<void>;
  /** True when the chunk's memory is reused by the next read: frames must be copied out. */
  readonly reused: boolean;
}

export function isPathSource(source: unknown): source is string | URL {
  return typeof source === 'string' || source instanceof URL;
}

export function pathOf(source: string | URL): string {
  return source instanceof URL ? fileURLToPath(source) : source;
}

function isWebStream(source: unknown): source is ReadableStream<Uint8Array> {
  return typeof source === 'object' && source !== null && typeof (source as ReadableStream).getReader === 'function';
}

function isNodeReadable(source: unknown): source is NodeJS.ReadableStream & AsyncIterable<unknown> & { destroy?(): void } {
  return typeof source === 'object' && source !== null && typeof (source as NodeJS.ReadableStream).pipe === 'function'
    && typeof (source as NodeJS.ReadableStream).on === 'function';
}

/** E007 for a file that ended before the size it had when opened: never a silently short read. */
export function shrankWhileRead(path: string, at: number, size: number): MarcError {
  return ioError(`${path} ended at byte ${at}, before its ${size} bytes: it changed while being read`);
}

function ioError(message: string, cause?: unknown): MarcError {
  return new MarcError('E007', message, { source: 'io' }, cause === undefined ? undefined : { cause });
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  // A string chunk means someone called setEncoding(): its bytes are already gone.
  throw ioError(`the source gave a ${typeof chunk === 'string' ? 'string' : typeof chunk} chunk; ISO 2709 is read from bytes (don't set an encoding on the stream)`);
}

export function openChunks(source: ByteSource, chunkSize = PATH_CHUNK_SIZE): ChunkReader {
  if (source === null || (typeof source !== 'object' && typeof source !== 'string')) throw notASource();
  if (isPathSource(source)) return new FileChunks(pathOf(source), chunkSize);
  if (source instanceof Uint8Array) return new BufferChunks(source);
  if (isWebStream(source)) return new WebChunks(source);
  if (isNodeReadable(source)) return new IteratorChunks(source as AsyncIterable<unknown>, () => (source as { destroy?(): void }).destroy?.());
  if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (source as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return new IteratorChunks(source as AsyncIterable<unknown>, null);
  }
  throw notASource();
}

function notASource(): TypeError {
  return new TypeError('readRecords: the source must be a path, a Uint8Array, a Readable, a ReadableStream or an iterable of Uint8Array chunks');
}

class BufferChunks implements ChunkReader {
  readonly reused = false;
  #bytes: Uint8Array | null;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  async read(): Promise<Uint8Array | null> {
    const bytes = this.#bytes;
    this.#bytes = null;
    return bytes;
  }
  async close(): Promise<void> {
    this.#bytes = null;
  }
}

class FileChunks implements ChunkReader {
  readonly reused = true;
  #handle: Promise<FileHandle> | null = null;
  #buffer: Uint8Array;
  #closed = false;
  #pending: Promise<unknown> = Promise.resolve();
  /** The size at open, to tell a file cut while being read from one that ended. */
  #size = -1;
  #bytesRead = 0;

  constructor(readonly path: string, chunkSize: number) {
    this.#buffer = new Uint8Array(chunkSize);
  }

  read(): Promise<Uint8Array | null> {
    const result = this.#read();
    this.#pending = result.catch(() => undefined);
    return result;
  }

  async #read(): Promise<Uint8Array | null> {
    if (this.#closed) return null;
    if (this.#handle === null) {
      this.#handle = open(this.path, 'r');
      this.#handle.catch(() => undefined);
    }
    let handle: FileHandle;
    try {
      handle = await this.#handle;
    } catch (e) {
      throw ioError(`cannot open ${this.path}: ${(e as Error).message}`, e);
    }
    if (this.#closed) return null;
    try {
      if (this.#size < 0) this.#size = (await handle.stat()).size;
      const { bytesRead } = await handle.read(this.#buffer, 0, this.#buffer.length, null);
      if (bytesRead === 0 && this.#bytesRead < this.#size) {
        // Cut short while we read it: the records we would have read are not silently missing.
        throw shrankWhileRead(this.path, this.#bytesRead, this.#size);
      }
      this.#bytesRead += bytesRead;
      return bytesRead === 0 ? null : this.#buffer.subarray(0, bytesRead);
    } catch (e) {
      if (e instanceof MarcError) throw e;
      throw ioError(`reading ${this.path} failed: ${(e as Error).message}`, e);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Closing under a read in flight is an error on some platforms; let it land first.
    await this.#pending;
    const handle = this.#handle;
    if (handle !== null) {
      try {
        await (await handle).close();
      } catch { /* it never opened, or is closed already */ }
    }
  }
}

class WebChunks implements ChunkReader {
  readonly reused = false;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #done = false;
  constructor(private readonly stream: ReadableStream<Uint8Array>) {}

  async read(): Promise<Uint8Array | null> {
    if (this.#done) return null;
    this.#reader ??= this.stream.getReader();
    let result: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
    try {
      result = await this.#reader.read();
    } catch (e) {
      throw ioError(`the stream failed: ${(e as Error).message}`, e);
    }
    if (result.done) {
      this.#done = true;
      this.#reader.releaseLock();
      return null;
    }
    return toBytes(result.value);
  }

  async close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    const reader = this.#reader ?? this.stream.getReader();
    try {
      await reader.cancel();
    } catch { /* already errored */ }
    reader.releaseLock();
  }
}

class IteratorChunks implements ChunkReader {
  readonly reused = false;
  #iterator: AsyncIterator<unknown> | Iterator<unknown> | null = null;
  #done = false;
  #reading = false;
  constructor(private readonly source: AsyncIterable<unknown> | Iterable<unknown>, private readonly destroy: (() => void) | null) {}

  async read(): Promise<Uint8Array | null> {
    if (this.#done) return null;
    if (this.#iterator === null) {
      const s = this.source as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
      const asyncIterator = s[Symbol.asyncIterator];
      this.#iterator = asyncIterator !== undefined ? asyncIterator.call(s) : (s as Iterable<unknown>)[Symbol.iterator]();
    }
    let result: IteratorResult<unknown>;
    this.#reading = true;
    try {
      result = await this.#iterator.next();
    } catch (e) {
      this.#done = true;
      if (e instanceof MarcError) throw e;
      throw ioError(`the stream failed: ${(e as Error).message}`, e);
    } finally {
      this.#reading = false;
    }
    if (this.#done) return null;
    if (result.done === true) {
      this.#done = true;
      this.#iterator = null;
      return null;
    }
    return toBytes(result.value);
  }

  async close(): Promise<void> {
    if (this.#done && this.#iterator === null) {
      this.destroy?.();
      return;
    }
    this.#done = true;
    // Destroy first: a Readable then settles a read in flight, and its descriptor closes even if
    // it was never iterated.
    this.destroy?.();
    const iterator = this.#iterator;
    this.#iterator = null;
    if (iterator === null) return;
    // An async generator queues return() behind a pending next(); don't wait on a source that
    // may never answer, but still ask it to finish so its own finally blocks run.
    const returned = Promise.resolve((iterator as AsyncIterator<unknown>).return?.()).catch(() => undefined);
    if (!this.#reading) await returned;
  }
}

/** Why an aborted operation stopped: the signal's reason, or an AbortError as fetch throws. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
