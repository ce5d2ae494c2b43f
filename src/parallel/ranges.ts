/**
 * Splitting a file into nominal byte ranges for the pool, and naming a failed range in errors.
 * Kept apart from pool.ts so that importing mrrc does not load the pool until it is used.
 */

import { open, stat, type FileHandle } from 'node:fs/promises';
import { MarcError } from '../errors.js';
import { availableParallelism } from 'node:os';
import type { Dispatch, TaskSource } from './pool.js';

export const DEFAULT_TASK_SIZE = 4 * 1024 * 1024;
export const DEFAULT_PARALLEL_THRESHOLD = 4 * 1024 * 1024;

/** Nominal ranges of `taskSize` bytes over a file the main thread holds open. */
export class FileRanges implements TaskSource {
  #next = 0;
  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly taskSize: number,
    private readonly makeTask: (range: { fd: number; size: number; start: number; end: number }) => { task: Dispatch['task']; transfer?: ArrayBuffer[] },
  ) {}

  next(): Dispatch | null {
    if (this.#next >= this.size) return null;
    const start = this.#next;
    const end = Math.min(this.size, start + this.taskSize);
    this.#next = end;
    return { ...this.makeTask({ fd: this.handle.fd, size: this.size, start, end }), start, end };
  }

  async close(): Promise<void> {
    try {
      await this.handle.close();
    } catch { /* closed already */ }
  }
}

export function workerError(error: unknown, start: number, end: number, firstIndex: number | undefined, what: string): MarcError {
  if (error instanceof MarcError && error.code === 'E099') return error;
  const reason = error instanceof Error ? error.message : String(error);
  const at = firstIndex === undefined ? '' : ` (records from index ${firstIndex})`;
  return new MarcError('E007', `a worker failed ${what} bytes ${start}–${end}${at}: ${reason}`, { source: 'io', recordOffset: start, ...(firstIndex === undefined ? {} : { recordIndex: firstIndex }) }, { cause: error });
}

/**
 * The file at `path` opened for reads of byte ranges, or null when it is not a regular file: a
 * pipe or a device (`<(zcat …)`, /dev/stdin) has no ranges, and stat calls it 0 bytes, which gave
 * the workers nothing to read and the caller no records, without a word. The caller reads such a
 * path as a stream; it is looked at without being opened, since a pipe can be opened once only.
 */
export async function openFileForWorkers(path: string): Promise<{ handle: FileHandle; size: number } | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
  } catch (e) {
    throw new MarcError('E007', `cannot open ${path}: ${(e as Error).message}`, { source: 'io' }, { cause: e });
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new MarcError('E007', `cannot open ${path}: ${(e as Error).message}`, { source: 'io' }, { cause: e });
  }
  try {
    return { handle, size: (await handle.stat()).size };
  } catch (e) {
    await handle.close();
    throw new MarcError('E007', `cannot stat ${path}: ${(e as Error).message}`, { source: 'io' }, { cause: e });
  }
}

/** Leave a core to the thread that consumes the results. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}
