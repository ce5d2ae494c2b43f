/**
 * `writeRecords`: records to a path or a stream in any registered format, with backpressure.
 *
 * Pieces are gathered into writes of about 256 KiB: one syscall or stream write per record would
 * cost more than encoding the record. Each write is awaited (a file) or waits for 'drain' (a Node
 * stream) or for `writer.ready` (a WHATWG stream), so a slow destination slows the producer.
 */

import { MarcError } from '../errors.js';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { Record } from '../record/record.js';
import { ByteSink } from '../util/byte-sink.js';
import { concatBytes } from '../util/bytes.js';
import { overwritesInput, sameFile } from '../util/same-file.js';
import { createFormatWriter, type FormatWriter } from './formats.js';
import { abortReason, isPathSource, pathOf } from './source.js';

export interface WriteRecordsOptions {
  /** A registered format name (default 'iso2709'). */
  format?: string;
  signal?: AbortSignal;
  /** Bytes gathered before each write (default 256 KiB). */
  writeSize?: number;
  /** Leave a stream destination open after the last record (default: end it). Paths are always closed. */
  keepOpen?: boolean;
  /** Anything else goes to the format's writer (e.g. `encoding` for ISO 2709). */
  [option: string]: unknown;
}

export type Destination = string | URL | NodeJS.WritableStream | WritableStream<Uint8Array>;

const encoder = new TextEncoder();

export function toBytes(piece: Uint8Array | string): Uint8Array {
  return typeof piece === 'string' ? encoder.encode(piece) : piece;
}

interface Sink {
  write(bytes: Uint8Array): Promise<void>;
  end(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * A destination's failure as E007, like the readers' I/O errors (the original is the `cause`);
 * a MarcError (a closed stream, already E007) passes as it is.
 */
function outputFailure(what: string, e: unknown): MarcError {
  if (e instanceof MarcError) return e;
  return new MarcError('E007', `${what}: ${e instanceof Error ? e.message : String(e)}`, { source: 'io' }, { cause: e });
}

function fileSink(path: string): Sink {
  const handle = open(path, 'w').catch((e: unknown) => {
    throw outputFailure(`cannot write ${path}`, e);
  });
  handle.catch(() => undefined);
  return {
    async write(bytes) {
      const h = await handle;
      let done = 0;
      try {
        while (done < bytes.length) done += (await h.write(bytes, done, bytes.length - done)).bytesWritten;
      } catch (e) {
        throw outputFailure(`writing ${path} failed`, e);
      }
    },
    async end() {
      try {
        await (await handle).close();
      } catch (e) {
        throw outputFailure(`writing ${path} failed`, e);
      }
    },
    async abort() {
      try {
        await (await handle).close();
      } catch { /* never opened */ }
    },
  };
}

function closedEarly(): MarcError {
  return new MarcError('E007', 'the output stream was closed before every record was written', { source: 'io' });
}

function streamFailure(e: unknown): MarcError {
  return outputFailure('writing the output stream failed', e);
}

function nodeSink(stream: NodeJS.WritableStream & { destroyed?: boolean; destroy?(e?: Error): void }, keepOpen: boolean): Sink {
  let failure: MarcError | null = null;
  const onError = (e: unknown) => {
    failure = streamFailure(e);
  };
  stream.on('error', onError);
  return {
    async write(bytes) {
      if (failure !== null) throw failure;
      if (stream.destroyed === true) throw closedEarly();
      if (!stream.write(bytes)) {
        // 'drain', 'error' or 'close', whichever comes first: a stream destroyed without an
        // error emits only 'close', and waiting for 'drain' would then hang for ever.
        await new Promise<void>((resolve, reject) => {
          const emitter = stream as unknown as NodeJS.EventEmitter;
          const done = (error?: unknown): void => {
            emitter.off('drain', onDrain);
            emitter.off('close', onClose);
            emitter.off('error', onFail);
            if (error === undefined) resolve();
            else reject(error);
          };
          const onDrain = (): void => done();
          const onClose = (): void => done(closedEarly());
          const onFail = (e: unknown): void => done(streamFailure(e));
          emitter.on('drain', onDrain);
          emitter.on('close', onClose);
          emitter.on('error', onFail);
        });
      }
      if (failure !== null) throw failure;
    },
    async end() {
      stream.off('error', onError);
      if (failure !== null) throw failure;
      if (keepOpen) return;
      await new Promise<void>((resolve, reject) => {
        stream.once('error', (e) => reject(streamFailure(e)));
        stream.end(() => resolve());
      });
    },
    async abort() {
      stream.off('error', onError);
      if (!keepOpen) stream.destroy?.();
    },
  };
}

function webSink(stream: WritableStream<Uint8Array>, keepOpen: boolean): Sink {
  const writer = stream.getWriter();
  return {
    async write(bytes) {
      try {
        await writer.ready;
        await writer.write(bytes);
      } catch (e) {
        throw streamFailure(e);
      }
    },
    async end() {
      if (keepOpen) writer.releaseLock();
      else {
        try {
          await writer.close();
        } catch (e) {
          throw streamFailure(e);
        }
      }
    },
    async abort() {
      try {
        if (keepOpen) writer.releaseLock();
        else await writer.abort();
      } catch { /* already errored */ }
    },
  };
}

function sinkFor(destination: Destination, keepOpen: boolean): Sink {
  if (isPathSource(destination)) return fileSink(pathOf(destination));
  if (typeof (destination as WritableStream).getWriter === 'function') return webSink(destination as WritableStream<Uint8Array>, keepOpen);
  if (typeof (destination as NodeJS.WritableStream).write === 'function') return nodeSink(destination as NodeJS.WritableStream, keepOpen);
  throw new TypeError('writeRecords: the destination must be a path, a Node Writable or a WHATWG WritableStream');
}

/** Gathers small pieces into writes of about `size` bytes. */
export class ChunkGatherer {
  #parts: Uint8Array[] = [];
  #length = 0;
  constructor(readonly size: number) {}
  get length(): number {
    return this.#length;
  }
  add(piece: Uint8Array): boolean {
    if (piece.length === 0) return this.#length >= this.size;
    this.#parts.push(piece);
    this.#length += piece.length;
    return this.#length >= this.size;
  }
  take(): Uint8Array {
    const parts = this.#parts;
    this.#parts = [];
    this.#length = 0;
    return parts.length === 1 ? (parts[0] as Uint8Array) : concatBytes(parts);
  }
}

/**
 * Writes every record to `destination` in `format` (default ISO 2709). Resolves with the counts
 * once everything is written and (for paths, and streams unless `keepOpen`) closed.
 */
export async function writeRecords(
  records: AsyncIterable<Record> | Iterable<Record>,
  destination: Destination,
  options: WriteRecordsOptions = {},
): Promise<{ records: number; bytes: number }> {
  const { format = 'iso2709', signal, writeSize = 256 * 1024, keepOpen = false, ...writerOptions } = options;
  signal?.throwIfAborted();
  // Opening the destination truncates it; records still being read from it would be lost.
  const readFrom = (records as { sourcePath?: unknown }).sourcePath;
  if (typeof readFrom === 'string' && isPathSource(destination) && sameFile(readFrom, pathOf(destination))) {
    throw new MarcError('E007', `writeRecords: ${overwritesInput(pathOf(destination))}`, { source: 'io' });
  }
  const writer: FormatWriter = createFormatWriter(format, writerOptions);
  const sink = sinkFor(destination, keepOpen);
  const gather = new ChunkGatherer(writeSize);
  let count = 0;
  let bytes = 0;
  // Set when the destination itself failed: then nothing more is written to it.
  let destinationFailed = false;
  const toDestination = async (operation: () => Promise<void>): Promise<void> => {
    try {
      await operation();
    } catch (e) {
      destinationFailed = true;
      throw e;
    }
  };
  const flush = async (): Promise<void> => {
    if (gather.length === 0) return;
    const chunk = gather.take();
    bytes += chunk.length;
    await toDestination(() => sink.write(chunk));
  };
  // Writers that produce bytes directly fill one buffer, handed on whenever it holds a write's worth.
  const bytesOut = writer.writeTo === undefined ? null : new ByteSink(writeSize + (writeSize >> 1));
  const finish = async (): Promise<void> => {
    if (bytesOut !== null && bytesOut.length > 0) gather.add(bytesOut.take());
    if (writer.footer !== undefined) gather.add(toBytes(writer.footer()));
    await flush();
    await toDestination(() => sink.end());
  };
  try {
    if (writer.header !== undefined) gather.add(toBytes(writer.header()));
    for await (const record of records) {
      if (signal?.aborted === true) throw abortReason(signal);
      if (bytesOut !== null) {
        const mark = bytesOut.length;
        try {
          (writer.writeTo as NonNullable<FormatWriter['writeTo']>)(record, bytesOut);
        } catch (e) {
          // A record the format cannot hold leaves nothing of itself behind.
          bytesOut.length = mark;
          throw e;
        }
        if (bytesOut.length >= writeSize) {
          gather.add(bytesOut.take());
          await flush();
        }
      } else if (gather.add(toBytes(writer.write(record)))) {
        await flush();
      }
      count++;
    }
    await finish();
  } catch (e) {
    // The records failed (an iterable that threw, a record the format cannot hold): the ones
    // before are written out and the document ended (the collection's end tag), as the CLI does.
    // A destination that failed, or an abort, is closed as it is.
    // (If ending it fails, the destination failed as well: closed below.)
    if (!destinationFailed && signal?.aborted !== true && (await finish().then(() => true, () => false))) throw e;
    await sink.abort();
    throw e;
  }
  return { records: count, bytes };
}
