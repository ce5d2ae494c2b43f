/**
 * The path lane with workers: the pool reads and frames byte ranges of the file; this thread only
 * turns the frames it receives into records (lazily, leader and directory) as the consumer asks.
 *
 * Record indexes come from the one `RecordAssembler` on this thread, which sees every frame in
 * file order, so a worker never needs to know how many records came before its range, and every
 * error carries the same index and absolute offset as in a sequential read.
 */

import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { MarcError } from '../errors.js';
import { DEFAULT_MAX_RECORD_SIZE, type Frame } from '../iso2709/framer.js';
import { FrameKind, frameProblem, newFrameResult, scanFrame } from '../iso2709/scanner.js';
import { findBoundary } from './boundary.js';
import type { FrameBatch, FrameLane, ReadRecordsOptions } from '../io/read.js';
import { FLAG_JUNK, FRAME_STRIDE, type FrameTask, type FrameTaskResult } from './protocol.js';
import { TaskWindow, WorkerPool } from './pool.js';
import { DEFAULT_PARALLEL_THRESHOLD, FileRanges, openFileForWorkers, workerError } from './ranges.js';

/**
 * The head of the file, read and framed on this thread while the workers start (30–100 ms, during
 * which this thread used to wait for the first batch). It is cut into pieces at
 * the same record boundaries a worker computes (`findBoundary` is a pure function of the bytes),
 * each piece read whole and framed exactly as a worker frames its range, so frames, offsets and
 * problems are those of a sequential read; the pool's ranges start where the head ends.
 */
class HeadLane {
  readonly #result = newFrameResult();
  #pos = 0;
  #pending: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    /** Nominal end of the head: the pool's first range starts at the boundary at or after it. */
    private readonly end: number,
    private readonly pieceSize: number,
    private readonly maxRecordSize: number,
  ) {}

  #boundary(nominal: number): number {
    const fd = this.handle.fd;
    return findBoundary((position, length) => {
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return out.subarray(0, done);
    }, this.size, nominal);
  }

  /** The next piece's frames; `delivered` (records handed out so far) is for error messages. */
  async next(delivered: number): Promise<FrameBatch | null> {
    while (!this.#closed && this.#pos < this.end) {
      const start = this.#pos;
      // Pieces end on boundaries too, and the last one on the pool's first cut.
      const nominal = Math.min(this.end, start + this.pieceSize);
      const stop = Math.max(start, this.#boundary(nominal));
      this.#pos = Math.max(stop, nominal);
      if (stop === start) continue;
      const bytes = new Uint8Array(stop - start);
      const read = this.#read(bytes, start);
      this.#pending = read.catch(() => undefined);
      const where = `reading bytes ${start}–${stop} (records from index ${delivered})`;
      let got: number;
      try {
        got = await read;
      } catch (e) {
        throw new MarcError('E007', `${where} failed: ${(e as Error).message}`, { source: 'io', recordOffset: start, recordIndex: delivered }, { cause: e });
      }
      if (this.#closed) return null;
      if (got !== bytes.length) {
        throw new MarcError('E007', `${where}: the file ended at byte ${start + got}, before byte ${stop}: it changed while being read`, { source: 'io', byteOffset: start + got, recordOffset: start, recordIndex: delivered });
      }
      const frames = this.#frame(bytes, start);
      if (frames.length > 0) return { frames };
    }
    return null;
  }

  async #read(bytes: Uint8Array, position: number): Promise<number> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await this.handle.read(bytes, done, bytes.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  /** What `frameTask` in worker.ts does, here: views of `bytes`, absolute offsets. */
  #frame(bytes: Uint8Array, start: number): Frame[] {
    const frames: Frame[] = [];
    const r = this.#result;
    let pos = 0;
    while (true) {
      const kind = scanFrame(bytes, pos, bytes.length, true, this.maxRecordSize, r);
      if (kind === FrameKind.End || kind === FrameKind.NeedMore) break;
      frames.push({
        bytes: bytes.subarray(r.start, r.end),
        offset: start + r.start,
        junk: kind === FrameKind.Junk,
        problem: r.problem === null ? null : frameProblem(r.problem, r.detail, start + r.start, start + r.end),
      });
      pos = r.end;
    }
    return frames;
  }

  /** Stops; resolves once no read of the head is in flight (the handle may then be closed). */
  close(): Promise<unknown> {
    this.#closed = true;
    return this.#pending;
  }
}

class WorkerLane implements FrameLane {
  #delivered = 0;
  #head: HeadLane | null;
  constructor(private readonly window: TaskWindow<FrameTaskResult>, head: HeadLane | null) {
    this.#head = head;
  }

  async next(): Promise<FrameBatch | null> {
    if (this.#head !== null) {
      const batch = await this.#head.next(this.#delivered);
      if (batch !== null) {
        this.#delivered += batch.frames.length;
        return batch;
      }
      this.#head = null;
    }
    const outcome = await this.window.take();
    if (outcome === null) return null;
    const { scheduled, result, error } = outcome;
    if (result === undefined) throw workerError(error, scheduled.start, scheduled.end, this.#delivered, 'reading');
    const { bytes, table, problems } = result;
    const count = table.length / FRAME_STRIDE;
    const frames: Frame[] = new Array<Frame>(count);
    let p = 0;
    let problemAt = problems.length > 0 ? (problems[0] as [number, unknown])[0] : -1;
    for (let i = 0; i < count; i++) {
      const at = table[i * FRAME_STRIDE] as number;
      let problem: MarcError | null = null;
      if (i === problemAt) {
        problem = MarcError.fromJSON((problems[p++] as [number, Parameters<typeof MarcError.fromJSON>[0]])[1]);
        problemAt = p < problems.length ? (problems[p] as [number, unknown])[0] : -1;
      }
      frames[i] = {
        // Views of the batch, not copies: a copy is an ArrayBuffer allocation per record on the
        // one thread that builds records. The batch buffer then lives as long as its records,
        // so it is not handed back to the workers for reuse.
        bytes: bytes.subarray(at, at + (table[i * FRAME_STRIDE + 1] as number)),
        offset: result.start + at,
        junk: ((table[i * FRAME_STRIDE + 2] as number) & FLAG_JUNK) !== 0,
        problem,
      };
    }
    this.#delivered += count;
    return { frames };
  }

  async close(): Promise<void> {
    const head = this.#head;
    this.#head = null;
    if (head !== null) await head.close();
    return this.window.close();
  }
}

/**
 * Default bytes per task of this lane (parallelMap's are 256 KiB). Batches stay alive until the
 * GC finds their last record, so smaller tasks and fewer in flight keep less of the file in
 * memory. 220 MB with 2 workers and workers + 1 in flight, medians of 6 alternating runs: 512 KiB
 * 127 MB peak RSS (122–132), 507 ms, event-loop p99 7.3 ms; 2 MiB 186 MB (171–202), 514 ms,
 * 8.7 ms; 256 KiB 130 MB, 477 ms, 8.2 ms. (4 MiB with 2 × workers in flight had measured 202–206 MB.)
 */
const LANE_TASK_SIZE = 512 * 1024;
/**
 * At most this much of the file is read on this thread while the workers start, in pieces of
 * HEAD_PIECE (each framed in one step, then handed out as one batch). While the workers boot, the
 * three threads share two cores and a long step here is a late timer: with 16 MiB in 1 MiB pieces
 * the event-loop delay p99 of a 220 MB read with 2 workers was 10.6 ms (median of 10 runs, range
 * 8.3–12.5); with 4 MiB in 128 KiB pieces, 9.3 ms (6.9–10.0), same speed (615 against 606 ms);
 * with no head, 8.1 ms but 6% slower (the first batch waits for a worker).
 */
const HEAD_MAX = 4 * 1024 * 1024;
const HEAD_PIECE = 128 * 1024;

/** The worker lane for a path, or null when the file is small enough for one thread. */
export async function openWorkerLane(path: string, options: ReadRecordsOptions): Promise<FrameLane | null> {
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  const { handle, size } = await openFileForWorkers(path);
  if (size < (options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD)) {
    await handle.close();
    return null;
  }
  const maxRecordSize = options.maxRecordSize;
  const taskSize = options.taskSize ?? LANE_TASK_SIZE;
  const maxInFlight = options.maxInFlight ?? workers + 1;
  // This thread reads the head while the pool starts; the pool begins where the head ends.
  const headEnd = Math.min(HEAD_MAX, Math.floor(size / 8));
  const head = headEnd > 0 ? new HeadLane(handle, size, headEnd, Math.min(taskSize, HEAD_PIECE), maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE) : null;
  // Each batch is a buffer of its own: its records are views of it, so it lives as long as they do
  // and cannot be handed back for another task.
  const ranges = new FileRanges(handle, size, taskSize, (range) => {
    const task: FrameTask = { kind: 'frame', range, ...(maxRecordSize === undefined ? {} : { maxRecordSize }) };
    return { task };
  }, headEnd);
  const pool = new WorkerPool({ workers, youngGenerationMb: 4, userCode: false });
  // Records are built here in file order: the assembler's indexes need it, and building is the
  // costly step, so handing batches over out of order would buy nothing (`ordered` is for parallelMap).
  const window = new TaskWindow<FrameTaskResult>(pool, ranges, {
    maxInFlight,
    ordered: true,
    count: (r) => r.table.length / FRAME_STRIDE,
  });
  return new WorkerLane(window, head);
}
