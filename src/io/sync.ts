/**
 * Synchronous reading from a buffer or a file path (Node). Paths are read in large chunks into a
 * reused buffer and framed incrementally, so a file of any size reads in constant memory.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MarcError } from '../errors.js';
import { Iso2709Framer, type Frame } from '../iso2709/framer.js';
import { readRecordsSync as readBufferRecords, readResultsSync as readBufferResults, RecordAssembler, type ReadOptions, type ReadResult } from '../iso2709/reader.js';
import type { Record } from '../record/record.js';
import { shrankWhileRead } from './source.js';

export const READ_CHUNK_SIZE = 4 * 1024 * 1024;

export type SyncSource = Uint8Array | string | URL;

function checkSyncSource(source: unknown): void {
  if (!(source instanceof Uint8Array) && typeof source !== 'string' && !(source instanceof URL)) {
    throw new TypeError('readRecordsSync: the source must be a path (string or URL) or a Uint8Array');
  }
}

/** Records from a buffer or a file path, lazily, as a re-iterable. */
export function readRecordsSync(source: SyncSource, options: ReadOptions = {}): Iterable<Record> {
  checkSyncSource(source);
  if (source instanceof Uint8Array) return readBufferRecords(source, options);
  const results = readResultsSync(source, options);
  return {
    sourcePath: results.sourcePath,
    *[Symbol.iterator]() {
      for (const result of results) if (result.record !== null) yield result.record;
    },
  } as Iterable<Record>;
}

/** Every frame of the input as a record or as skipped bytes with its error (`{record, errors, raw}`). */
export function readResultsSync(source: SyncSource, options: ReadOptions = {}): Iterable<ReadResult> & { sourcePath?: string } {
  checkSyncSource(source);
  if (source instanceof Uint8Array) return readBufferResults(source, options);
  const path = source instanceof URL ? fileURLToPath(source) : source;
  return {
    // @internal The file read: writeRecords refuses to write over it.
    sourcePath: path,
    *[Symbol.iterator]() {
      const fd = openFile(path);
      // A file cut short while read would otherwise end the records early, in silence.
      const size = fstatSync(fd).size;
      let total = 0;
      try {
        // Chunks are reused, so frames are copied out (copy: true): records never pin the buffer.
        const framer = new Iso2709Framer({ copy: true, ...(options.maxRecordSize === undefined ? {} : { maxRecordSize: options.maxRecordSize }) });
        const assembler = new RecordAssembler(options);
        const chunk = new Uint8Array(READ_CHUNK_SIZE);
        const frames: Frame[] = [];
        while (true) {
          let n: number;
          try {
            n = readSync(fd, chunk, 0, chunk.length, null);
          } catch (e) {
            throw new MarcError('E007', `reading ${path} failed: ${(e as Error).message}`, { source: 'io' }, { cause: e });
          }
          if (n === 0 && total < size) {
            throw shrankWhileRead(path, total, size);
          }
          total += n;
          frames.length = 0;
          if (n === 0) framer.end(frames);
          else framer.push(chunk.subarray(0, n), frames);
          for (const frame of frames) yield assembler.assemble(frame);
          if (n === 0) break;
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw new MarcError('E007', `cannot open ${path}: ${(e as Error).message}`, { source: 'io' }, { cause: e });
  }
}
