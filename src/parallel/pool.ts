/**
 * The worker pool and the scheduling every parallel lane shares: tasks dispatched in file order, at
 * most `maxInFlight` of them not yet consumed (so a slow consumer pauses the workers and memory
 * stays flat), results handed out in file order or as they complete.
 *
 * Raw worker_threads rather than a pool library (piscina until 0.x): loading piscina held the
 * event loop 15–20 ms in one synchronous block (its CommonJS graph and the built-ins it pulls in),
 * the largest single pause of a worker read and enough on its own to break the 10 ms event-loop
 * target, and its per-task bookkeeping (timing histograms, async resources) ran on the thread
 * this design keeps free. What it gave us is small here: a fixed number of workers, a queue,
 * transfer lists, a worker that dies mid-task failing its tasks and being replaced, and
 * `close()` terminating everything at once. A pool lives for one read.
 */

import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { MarcError } from '../errors.js';
import { TRANSFER, type Task } from './protocol.js';

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
 * The worker's task handler next to this module: `worker.js` in the built package, `worker.ts`
 * when the sources run under tsx (tests), in which case the workers need tsx's loader too.
 *
 * Built, a worker that runs no user code (`userCode: false`, the frame lane) gets no execArgv at
 * all: a parent run under a loader (`--import tsx`) would otherwise make every worker load it
 * too, ~0.5 s of startup for nothing. With user code, the worker inherits the parent's options as
 * Node does by default (a mapped `.ts` module needs the parent's loader); `execArgv` is not passed
 * explicitly, since an explicit list holding a V8 flag (`--trace-gc`, `--max-old-space-size`)
 * makes `new Worker` throw ERR_WORKER_INVALID_EXEC_ARGV.
 */
function workerEntry(userCode: boolean): { handler: string; execArgv?: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const execArgv = process.execArgv.some((a, i, all) => a.includes('tsx') && (a.startsWith('--import') || all[i - 1] === '--import'))
      ? process.execArgv
      : [...process.execArgv, '--import', 'tsx'];
    return { handler: new URL('./worker.ts', here).href, execArgv };
  }
  return userCode ? { handler: new URL('./worker.js', here).href } : { handler: new URL('./worker.js', here).href, execArgv: [] };
}

/**
 * Each thread runs this module (a data: URL, so the package needs no separate plain-JavaScript
 * entry file), which loads the handler and then answers `{id, task}` messages with `{id, value}`
 * or `{id, error}`. A handler result `{[TRANSFER]: buffers, value}` posts `value` with those
 * buffers transferred. Messages sent before the handler is loaded wait in the port.
 */
const BOOTSTRAP = new URL('data:text/javascript,' + encodeURIComponent(`
import { workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const TRANSFER = Symbol.for(${JSON.stringify(TRANSFER.description)});
const { handler, port } = workerData;
// Under tsx a worker gets tsx's require hook but not its ESM hooks: a .ts handler is required.
const { default: handle } = handler.endsWith('.ts') ? createRequire(handler)(fileURLToPath(handler)) : await import(handler);
port.on('message', ({ id, task }) => {
  let pending;
  try { pending = Promise.resolve(handle(task)); } catch (error) { pending = Promise.reject(error); }
  pending.then((out) => {
    if (out !== null && typeof out === 'object' && TRANSFER in out) port.postMessage({ id, value: out.value }, out[TRANSFER]);
    else port.postMessage({ id, value: out });
  }, (error) => port.postMessage({ id, error }));
});
port.postMessage({ ready: true });
`));

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

interface PoolTask {
  id: number;
  task: Task;
  transfer: ArrayBuffer[] | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Thread {
  worker: Worker;
  /** Tasks and results travel on this port (see `#holdLoop` for why not the worker's own). */
  port: MessagePort;
  ready: boolean;
  /** Tasks posted to it and not yet answered, by id. */
  running: Map<number, PoolTask>;
  /** What killed it, when it died of an uncaught exception. */
  error: unknown;
}

export class WorkerPool {
  readonly #threads: Thread[] = [];
  readonly #queue: PoolTask[] = [];
  readonly #perWorker: number;
  readonly #handler: string;
  readonly #workerOptions: { execArgv?: string[]; resourceLimits?: { maxYoungGenerationSizeMb: number } };
  #nextId = 0;
  #closed = false;
  #failure: unknown = undefined;

  constructor(options: PoolOptions) {
    const { handler, execArgv } = workerEntry(options.userCode ?? true);
    this.#handler = handler;
    this.#perWorker = Math.max(1, options.tasksPerWorker ?? 1);
    this.#workerOptions = {
      ...(execArgv === undefined ? {} : { execArgv }),
      ...(options.youngGenerationMb === undefined ? {} : { resourceLimits: { maxYoungGenerationSizeMb: options.youngGenerationMb } }),
    };
    for (let i = 0; i < Math.max(1, Math.floor(options.workers)); i++) this.#spawn();
  }

  #spawn(): void {
    const { port1: port, port2 } = new MessageChannel();
    const worker = new Worker(BOOTSTRAP, { ...this.#workerOptions, workerData: { handler: this.#handler, port: port2 }, transferList: [port2] });
    const thread: Thread = { worker, port, ready: false, running: new Map(), error: undefined };
    this.#threads.push(thread);
    worker.unref();
    // The thread is gone (killed, crashed, closed): hold the loop until its 'exit' is delivered,
    // which fails its tasks and settles a pending terminate().
    port.on('close', () => worker.ref());
    port.on('message', (message: { ready?: true; id: number; value?: unknown; error?: unknown }) => {
      if (message.ready === true) {
        thread.ready = true;
        this.#dispatch();
        return;
      }
      const task = thread.running.get(message.id);
      if (task === undefined) return;
      thread.running.delete(message.id);
      if ('error' in message) task.reject(message.error);
      else task.resolve(message.value);
      this.#dispatch();
    });
    // An uncaught exception in the thread; 'exit' follows and does the cleanup.
    worker.on('error', (error: unknown) => {
      thread.error = error;
    });
    worker.on('exit', (code: number) => this.#exited(thread, code));
    // After the 'message' listener, which references the port as it starts it.
    this.#holdLoop();
  }

  /**
   * A thread ended. Its tasks fail (their results are lost with it). A thread that had started
   * properly is replaced, so a kill between tasks costs nothing; one that died while starting is
   * not (it would likely die again), and when no thread is left the queued tasks fail instead of
   * waiting forever.
   */
  #exited(thread: Thread, code: number): void {
    const index = this.#threads.indexOf(thread);
    if (index >= 0) this.#threads.splice(index, 1);
    if (this.#closed) return;
    const cause = thread.error;
    const error = new Error(`worker exited (code ${code})${cause === undefined ? '' : `: ${String((cause as Error).message ?? cause)}`}`, cause === undefined ? undefined : { cause });
    for (const task of thread.running.values()) task.reject(error);
    thread.running.clear();
    if (thread.ready) this.#spawn();
    if (this.#threads.length === 0) {
      const none = new Error('worker exited and no worker thread is left to run the task');
      this.#failure ??= none;
      for (const task of this.#queue.splice(0)) task.reject(none);
      return;
    }
    this.#dispatch();
  }

  /**
   * Posts queued tasks to the ready threads with room, least loaded first. A task waits for a
   * thread to be ready rather than in a starting thread's port, so a thread that dies while
   * starting takes no task with it.
   */
  #dispatch(): void {
    while (this.#queue.length > 0) {
      let best: Thread | undefined;
      for (const thread of this.#threads) {
        if (thread.ready && thread.running.size < this.#perWorker && (best === undefined || thread.running.size < best.running.size)) best = thread;
      }
      if (best === undefined) break;
      const task = this.#queue.shift() as PoolTask;
      best.running.set(task.id, task);
      best.port.postMessage({ id: task.id, task: task.task }, task.transfer ?? []);
    }
    this.#holdLoop();
  }

  /**
   * Threads keep the process alive while there is work (queued tasks wait for a starting thread
   * too), and not when idle: a reader dropped without being closed must not hang the process.
   * It is the task port that is referenced, not the worker (as piscina does): a worker unreferenced
   * while idle and then terminated from outside could let the loop end before its 'exit' arrived;
   * the port's 'close' re-references the worker first.
   */
  #holdLoop(): void {
    const busy = this.#queue.length > 0;
    for (const thread of this.#threads) {
      if (busy || thread.running.size > 0) thread.port.ref();
      else thread.port.unref();
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The pool's worker threads now (for `poolTestHooks` only). */
  get threads(): readonly Worker[] {
    return this.#threads.map((t) => t.worker);
  }

  run<R>(task: Task, transferList?: ArrayBuffer[]): Promise<R> {
    if (this.#closed) return Promise.reject(new MarcError('E007', 'the worker pool is closed', { source: 'io' }));
    if (this.#failure !== undefined) {
      return Promise.reject(new MarcError('E007', `the worker pool failed: ${String((this.#failure as Error).message ?? this.#failure)}`, { source: 'io' }, { cause: this.#failure }));
    }
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, task, transfer: transferList, resolve: resolve as (value: unknown) => void, reject });
      this.#dispatch();
    });
  }

  /** Terminates every worker now (tasks in flight reject; callers have already stopped listening). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new MarcError('E007', 'the worker pool is closed', { source: 'io' });
    for (const task of this.#queue.splice(0)) task.reject(closed);
    const threads = this.#threads.splice(0);
    for (const thread of threads) for (const task of thread.running.values()) task.reject(closed);
    // An unreferenced thread's exit does not keep the loop alive: the awaited terminate() would
    // then never settle.
    await Promise.all(threads.map((t) => {
      t.worker.ref();
      t.port.close();
      return t.worker.terminate();
    }));
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
  /** The task dispatched at `start` has its outcome: what it held for the worker may be reused. */
  release?(start: number): void;
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
