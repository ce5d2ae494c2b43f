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
import { DEFAULT_PARALLEL_THRESHOLD, FileRanges, openFileForWorkers, workerError } from './ranges.js';

class WorkerLane implements FrameLane {
  #delivered = 0;
  constructor(private readonly window: TaskWindow<FrameTaskResult>) {}

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

/**
 * Default bytes per task of this lane (parallelMap's are 256 KiB). Batches stay alive until the
 * GC finds their last record, so smaller tasks and fewer in flight keep less of the file in
 * memory. 220 MB with 2 workers and workers + 1 in flight, medians of 6 alternating runs: 512 KiB
 * 127 MB peak RSS (122–132), 507 ms, event-loop p99 7.3 ms; 2 MiB 186 MB (171–202), 514 ms,
 * 8.7 ms; 256 KiB 130 MB, 477 ms, 8.2 ms. (4 MiB with 2 × workers in flight had measured 202–206 MB.)
 */
const LANE_TASK_SIZE = 512 * 1024;

/** The worker lane for a path, or null when the file is small enough for one thread, or no regular file. */
export async function openWorkerLane(path: string, options: ReadRecordsOptions): Promise<FrameLane | null> {
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  const opened = await openFileForWorkers(path);
  if (opened === null) return null;
  const { handle, size } = opened;
  if (size < (options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD)) {
    await handle.close();
    return null;
  }
  const maxRecordSize = options.maxRecordSize;
  const taskSize = options.taskSize ?? LANE_TASK_SIZE;
  const maxInFlight = options.maxInFlight ?? workers + 1;
  // This thread reads nothing itself while the workers boot. It used to read and build the file's
  // head meanwhile (first record in ~15 ms instead of ~50–75), but with three busy threads on two
  // cores the OS then held it off long enough to make timers late: 220 MB with 2 workers, 8 runs
  // each, event-loop p99 median 9.6 ms (7.4–12.1) with a 4 MiB head, 7.0 ms (5.7–7.9) without,
  // same speed (529 against 522 ms).
  // Each batch is a buffer of its own: its records are views of it, so it lives as long as they do
  // and cannot be handed back for another task.
  const ranges = new FileRanges(handle, size, taskSize, (range) => {
    const task: FrameTask = { kind: 'frame', range, ...(maxRecordSize === undefined ? {} : { maxRecordSize }) };
    return { task };
  });
  const pool = new WorkerPool({ workers, youngGenerationMb: 4, userCode: false });
  // Records are built here in file order: the assembler's indexes need it, and building is the
  // costly step, so handing batches over out of order would buy nothing (`ordered` is for parallelMap).
  const window = new TaskWindow<FrameTaskResult>(pool, ranges, {
    maxInFlight,
    ordered: true,
    count: (r) => r.table.length / FRAME_STRIDE,
  });
  return new WorkerLane(window);
}
