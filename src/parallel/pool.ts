/**
 * The worker pool (piscina) and the scheduling every parallel lane shares: tasks dispatched in file
 * order, at most `maxInFlight` of them not yet consumed (so a slow consumer pauses the workers and
 * memory stays flat), results handed out in file order or as they complete.
 *
 * Piscina rather than raw worker_threads: it already handles a worker that dies mid-task (the
 * task's promise rejects and a fresh worker replaces it), queues, transfer lists and clean
 * shutdown, and is maintained by Node core contributors. A pool lives for one read: `close()`
 * terminates its threads at once, so early exit leaves nothing running.
 */

import { Piscina } from 'piscina';
import type { Worker } from 'node:worker_threads';
import { MarcError } from '../errors.js';
import type { Task } from './protocol.js';

/**
 * Test-only, not part of the API (not exported from the package index): fault tests set
 * `onDispatch` to see each task as it goes to the pool, with the pool's threads, so they can kill
 * a worker from outside while it works (test/parallel/kill.test.ts). Unset it costs one property
 * read per task.
 */
export const poolTestHooks: {
  onDispatch?: (task: { seq: number; start: number; end: number; threads: () => readonly Worker[] }) => void;
} = {};

/**
 * The worker entry next to this module: `worker.js` in the built package, `worker.ts` when the
 * sources run under tsx (tests), in which case the workers need tsx's loader too.
 *
 * Built, a worker that runs no user code (`userCode: false`, the frame lane) gets no execArgv at
 * all: a parent run under a loader (`--import tsx`) would otherwise make every worker load it
 * too, ~0.5 s of startup for nothing. With user code, the worker inherits the parent's options as
 * Node does by default (a mapped `.ts` module needs the parent's loader); `execArgv` is not passed
 * explicitly, since an explicit list holding a V8 flag (`--trace-gc`, `--max-old-space-size`)
 * makes `new Worker` throw ERR_WORKER_INVALID_EXEC_ARGV.
 */
function workerEntry(userCode: boolean): { filename: string; execArgv?: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const execArgv = process.execArgv.some((a, i, all) => a.includes('tsx') && (a.startsWith('--import') || all[i - 1] === '--import'))
      ? process.execArgv
      : [...process.execArgv, '--import', 'tsx'];
    return { filename: new URL('./worker.ts', here).href, execArgv };
  }
  return userCode ? { filename: new URL('./worker.js', here).href } : { filename: new URL('./worker.js', here).href, execArgv: [] };
}

export interface PoolOptions {
  workers: number;
  /** Young-generation size per worker; a framing worker allocates almost nothing, so keep it small. */
  youngGenerationMb?: number;
  /** The workers load user code (parallelMap's module): they keep the parent's Node options. */
  userCode?: boolean;
  /**
   * Tasks a worker holds at once (it runs them in order). Two let a worker start its next task
   * without a round trip through this thread's event loop, when there are enough tasks in flight
   * to keep every worker's queue full (see map.ts); with only a few in flight, a second task on
   * one worker can leave another idle.
   */
  tasksPerWorker?: number;
}

export class WorkerPool {
  readonly #piscina: Piscina;
  #closed = false;

  constructor(options: PoolOptions) {
    const { filename, execArgv } = workerEntry(options.userCode ?? true);
    this.#piscina = new Piscina({
      filename,
      ...(execArgv === undefined ? {} : { execArgv }),
      minThreads: options.workers,
      maxThreads: options.workers,
      // Tasks are few and large (MiBs): the pool's own idle teardown would only add restarts.
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: options.tasksPerWorker ?? 1,
      ...(options.youngGenerationMb === undefined ? {} : { resourceLimits: { maxYoungGenerationSizeMb: options.youngGenerationMb } }),
    });
    // piscina reports a worker's result that arrives after its task was dropped (a break or an
    // abort destroys the pool while tasks are in flight) as an 'error' event; with no listener
    // that would crash the process. After close it is expected and harmless; before close it
    // fails the next task instead.
    this.#piscina.on('error', (error: unknown) => {
      if (!this.#closed) this.#failure ??= error;
    });
    // piscina rejects the tasks a dying worker held, but not the ones still in its queue, and it
    // never replaces a worker that dies before it is ready. So workers killed from outside while
    // their replacements start leave queued tasks with no thread to run them: fail those.
    this.#piscina.on('workerDestroy', () => {
      if (!this.#closed) queueMicrotask(() => this.#failIfNoThreads());
    });
  }

  #failure: unknown = undefined;
  /** Rejecters of the tasks not yet settled, to fail them when no thread is left. */
  readonly #pending = new Set<(error: unknown) => void>();

  #failIfNoThreads(): void {
    if (this.#closed || this.#pending.size === 0 || this.#piscina.threads.length > 0) return;
    const error = new Error('worker exited and no worker thread is left to run the task');
    this.#failure ??= error;
    for (const reject of [...this.#pending]) reject(error);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The pool's worker threads now (for `poolTestHooks` only). */
  get threads(): readonly Worker[] {
    return this.#piscina.threads;
  }

  run<R>(task: Task, transferList?: ArrayBuffer[]): Promise<R> {
    if (this.#closed) return Promise.reject(new MarcError('E007', 'the worker pool is closed', { source: 'io' }));
    if (this.#failure !== undefined) {
      return Promise.reject(new MarcError('E007', `the worker pool failed: ${String((this.#failure as Error).message ?? this.#failure)}`, { source: 'io' }, { cause: this.#failure }));
    }
    const running = this.#piscina.run(task, transferList === undefined ? undefined : { transferList }) as Promise<R>;
    return new Promise<R>((resolve, reject) => {
      this.#pending.add(reject);
      running.then((result) => {
        this.#pending.delete(reject);
        resolve(result);
      }, (error: unknown) => {
        this.#pending.delete(reject);
        reject(error);
      });
    });
  }

  /** Terminates every worker now (tasks in flight reject; callers have already stopped listening). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.clear();
    await this.#piscina.destroy();
  }
}

/** One scheduled task: its nominal byte range (for error messages) and its promised result. */
export interface Scheduled<R> {
  seq: number;
  start: number;
  end: number;
  promise: Promise<R>;
  settled: boolean;
}

export interface Dispatch {
  task: Task;
  transfer?: ArrayBuffer[];
  /** Nominal byte range, for error messages when the task never reports its real one. */
  start: number;
  end: number;
}

export interface TaskSource {
  /** The next task to dispatch, or null when there are no more. */
  next(): Promise<Dispatch | null> | Dispatch | null;
  /** Releases what the source holds (file descriptors, streams). */
  close(): Promise<void>;
}

export interface Outcome<R> {
  scheduled: Scheduled<R>;
  result?: R;
  error?: unknown;
}

/**
 * Keeps up to `maxInFlight` tasks dispatched and not yet taken; `take()` returns the next outcome
 * in file order (or the first to complete when unordered) and dispatches a replacement at once,
 * so workers stay busy while the consumer works on what it took.
 */
export class TaskWindow<R> {
  readonly #pool: WorkerPool;
  readonly #source: TaskSource;
  readonly #maxInFlight: number;
  readonly #ordered: boolean;
  readonly #count: (result: R) => number;
  readonly #inFlight: Scheduled<R>[] = [];
  #seq = 0;
  #exhausted = false;
  #sourceError: { error: unknown } | null = null;
  #filling: Promise<void> | null = null;
  #closed = false;
  #waiters: (() => void)[] = [];
  /** Frames per task by sequence number; `#bases[k]` is the index of task k's first frame. */
  readonly #counts: (number | null | undefined)[] = [];
  readonly #bases: number[] = [0];
  #known = 0;

  constructor(pool: WorkerPool, source: TaskSource, options: { maxInFlight: number; ordered: boolean; count: (result: R) => number }) {
    this.#pool = pool;
    this.#source = source;
    this.#maxInFlight = Math.max(1, options.maxInFlight);
    this.#ordered = options.ordered;
    this.#count = options.count;
  }

  async #fill(): Promise<void> {
    while (!this.#closed && !this.#exhausted && this.#inFlight.length < this.#maxInFlight) {
      let next: Dispatch | null;
      try {
        next = await this.#source.next();
      } catch (error) {
        // Sticky, and reported after the tasks already dispatched: they cover earlier bytes.
        this.#sourceError = { error };
        next = null;
      }
      if (this.#closed) return;
      if (next === null) {
        this.#exhausted = true;
        return;
      }
      const scheduled: Scheduled<R> = { seq: this.#seq++, start: next.start, end: next.end, promise: this.#pool.run<R>(next.task, next.transfer), settled: false };
      scheduled.promise.then((result) => this.#settle(scheduled, this.#count(result)), () => this.#settle(scheduled, null));
      this.#inFlight.push(scheduled);
      poolTestHooks.onDispatch?.({ seq: scheduled.seq, start: next.start, end: next.end, threads: () => this.#pool.threads });
    }
  }

  #settle(scheduled: Scheduled<R>, count: number | null): void {
    scheduled.settled = true;
    this.#counts[scheduled.seq] = count;
    while (typeof this.#counts[this.#known] === 'number') {
      this.#bases[this.#known + 1] = (this.#bases[this.#known] as number) + (this.#counts[this.#known] as number);
      this.#known++;
    }
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #settled(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #ensureFilling(): Promise<void> {
    this.#filling ??= this.#fill().finally(() => {
      this.#filling = null;
    });
    return this.#filling;
  }

  /** The next outcome, or null when every task has been taken. */
  async take(): Promise<Outcome<R> | null> {
    while (true) {
      await this.#ensureFilling();
      if (this.#closed) return null;
      if (this.#inFlight.length === 0) {
        if (this.#sourceError !== null) throw this.#sourceError.error;
        return null;
      }
      let index = 0;
      if (!this.#ordered) {
        index = this.#inFlight.findIndex((s) => s.settled);
        if (index < 0) {
          await this.#settled();
          continue;
        }
      }
      const scheduled = this.#inFlight[index] as Scheduled<R>;
      let outcome: Outcome<R>;
      try {
        outcome = { scheduled, result: await scheduled.promise };
      } catch (error) {
        outcome = { scheduled, error };
      }
      if (this.#closed) return null;
      this.#inFlight.splice(this.#inFlight.indexOf(scheduled), 1);
      void this.#ensureFilling().catch(() => undefined);
      return outcome;
    }
  }

  /**
   * Index of task `seq`'s first frame in the whole input, once every earlier task has reported its
   * count (waits for them); undefined when an earlier task failed.
   */
  async baseOf(seq: number): Promise<number | undefined> {
    while (this.#known < seq && !this.#closed) {
      for (let k = this.#known; k < seq; k++) if (this.#counts[k] === null) return undefined;
      await this.#settled();
    }
    return this.#bases[seq];
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const wake of this.#waiters) wake();
    this.#waiters = [];
    for (const s of this.#inFlight) s.promise.catch(() => undefined);
    this.#inFlight.length = 0;
    await Promise.allSettled([this.#pool.close(), this.#source.close()]);
  }
}
