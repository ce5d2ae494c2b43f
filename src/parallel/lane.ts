/**
 * The path lane with workers: the pool reads and frames byte ranges of the file; this thread only
 * turns the frames it receives into records (lazily, leader and directory) as the consumer asks.
 *
 * Record indexes come from the one `RecordAssembler` on this thread, which sees every frame in
 * file order, so a worker never needs to know how many records came before its range, and every
 * error carries the same index and absolute offset as in a sequential read.
 */

import { MarcError } from '../errors.js';
import type { Frame } from '../iso2709/framer.js';
import type { FrameBatch, FrameLane, ReadRecordsOptions } from '../io/read.js';
import { FLAG_JUNK, FRAME_STRIDE, type FrameTask, type FrameTaskResult } from './protocol.js';
import { TaskWindow, WorkerPool } from './pool.js';
import { DEFAULT_PARALLEL_THRESHOLD, DEFAULT_TASK_SIZE, FileRanges, openFileForWorkers, workerError } from './ranges.js';

/**
 * Batch buffers go back to the workers once their records are copied out: memory stays at a few
 * buffers however long the file, instead of one fresh buffer per task left for the GC to find.
 */
export class BufferPool {
  readonly #free: ArrayBuffer[] = [];
  constructor(readonly size: number, readonly max: number) {}
  take(): ArrayBuffer | undefined {
    return this.#free.pop();
  }
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength >= this.size && this.#free.length < this.max) this.#free.push(buffer);
  }
}

class WorkerLane implements FrameLane {
  #delivered = 0;
  constructor(private readonly window: TaskWindow<FrameTaskResult>, private readonly buffers: BufferPool) {}

  async next(): Promise<FrameBatch | null> {
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

  close(): Promise<void> {
    return this.window.close();
  }
}

/** The worker lane for a path, or null when the file is small enough for one thread. */
export async function openWorkerLane(path: string, options: ReadRecordsOptions): Promise<FrameLane | null> {
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  const { handle, size } = await openFileForWorkers(path);
  if (size < (options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD)) {
    await handle.close();
    return null;
  }
  const maxRecordSize = options.maxRecordSize;
  const taskSize = options.taskSize ?? DEFAULT_TASK_SIZE;
  const maxInFlight = options.maxInFlight ?? workers * 2;
  // Room for the range moved to record boundaries at both ends, so buffers fit nearly every task.
  const buffers = new BufferPool(taskSize + 512 * 1024, maxInFlight + 1);
  const ranges = new FileRanges(handle, size, taskSize, (range) => {
    const buffer = buffers.take();
    const task: FrameTask = { kind: 'frame', range, bufferSize: buffers.size, ...(maxRecordSize === undefined ? {} : { maxRecordSize }), ...(buffer === undefined ? {} : { buffer }) };
    return buffer === undefined ? { task } : { task, transfer: [buffer] };
  });
  const pool = new WorkerPool({ workers, youngGenerationMb: 4 });
  // Records are built here in file order: the assembler's indexes need it, and building is the
  // costly step, so handing batches over out of order would buy nothing (`ordered` is for parallelMap).
  const window = new TaskWindow<FrameTaskResult>(pool, ranges, {
    maxInFlight,
    ordered: true,
    count: (r) => r.table.length / FRAME_STRIDE,
  });
  return new WorkerLane(window, buffers);
}
