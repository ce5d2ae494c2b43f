// A worker killed from outside while it works on a file (worker.terminate(), as a supervisor or
// the OOM killer of a container would): the read fails with an error naming the byte range and
// the first record of the failed task, in ordered mode nothing after that range is delivered, the
// pool's threads and the file are released, nothing hangs, and the next read works.
//
// The threads are reached through `poolTestHooks` (src/parallel/pool.ts), a test-only hook. Hangs
// are caught by an AbortSignal watchdog passed to the read, not by timing the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { parallelMap, readRecords, readRecordsSync, MarcError, type Record } from '../../src/index.js';
import { poolTestHooks } from '../../src/parallel/pool.js';
import { fixture, fixturePath } from '../helpers.js';
import { collect, settledHandles } from '../io/helpers.js';

const FILE = 'folio/5000.mrc';
const records = [...readRecordsSync(fixture(FILE))];
const offsets = records.map((r) => r.origin?.recordOffset as number);
const dir = mkdtempSync(join(tmpdir(), 'mrrc-kill-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Long enough for a slow shared machine, far shorter than a hang the test runner would catch. */
const WATCHDOG_MS = 60_000;

/** Everything an iterable yields until it throws; the error, or null if it ended. */
async function drain<T>(iterable: AsyncIterable<T>, into: T[]): Promise<unknown> {
  try {
    for await (const item of iterable) into.push(item);
  } catch (e) {
    return e;
  }
  return null;
}

/**
 * The error names a failed task: `bytes S–E (records from index N)`, with N the first record at
 * or after S (the task's range starts at the first record boundary in it). Returns S, E and N.
 */
function failedRange(error: unknown, what: 'reading' | 'mapping'): { start: number; end: number; index: number } {
  assert.ok(error instanceof MarcError, `a MarcError, not ${String(error)}`);
  assert.equal(error.code, 'E007');
  const m = new RegExp(`a worker failed ${what} bytes (\\d+)–(\\d+) \\(records from index (\\d+)\\): worker exited`).exec(error.message);
  assert.ok(m !== null, error.message);
  const [start, end, index] = [Number(m[1]), Number(m[2]), Number(m[3])];
  assert.equal(index, offsets.findIndex((o) => o >= start), 'the first record of the failed range');
  assert.equal(error.recordIndex, index);
  assert.equal(error.recordOffset, start);
  return { start, end, index };
}

/** Delivered results are the first `n` records, in order, and stop before the failed range. */
function assertPrefix(delivered: (string | undefined)[], index: number): void {
  assert.equal(delivered.length, index, 'ordered: every record before the failed range, none from it or after');
  assert.deepEqual(delivered, records.slice(0, index).map((r) => r.getValue('001')));
}

for (const when of ['mid-file', 'as the pool starts'] as const) {
  test(`readRecords on workers: every thread killed ${when} is an E007 naming the range; nothing after it; the next read works`, { timeout: 3 * WATCHDOG_MS }, async () => {
    // 2.3 MB in 64 KiB tasks: about 36 of them. Killed when task 12 (or the first) is dispatched,
    // so the tasks on the threads die with them. A kill can land just after a thread finished
    // its task (the result already posted): nothing is lost then, the pool starts a new thread
    // and the read goes on; so mid-file the threads are killed again every 4 tasks until one
    // kill catches a task.
    const kills = when === 'mid-file' ? new Set([12, 16, 20, 24, 28, 32]) : new Set([0]);
    let killed = 0;
    poolTestHooks.onDispatch = ({ seq, threads }) => {
      if (!kills.has(seq)) return;
      for (const thread of threads()) {
        killed++;
        void thread.terminate();
      }
    };
    const watchdog = AbortSignal.timeout(WATCHDOG_MS);
    const delivered: Record[] = [];
    let error: unknown;
    try {
      error = await drain(readRecords(fixturePath(FILE), { parallelThreshold: 0, taskSize: 64 * 1024, workers: 2, maxInFlight: 4, signal: watchdog }), delivered);
    } finally {
      delete poolTestHooks.onDispatch;
    }
    assert.ok(!watchdog.aborted, 'the read hung after its workers were killed');
    assert.ok(killed >= 2);
    const { index } = failedRange(error, 'reading');
    if (when === 'mid-file') assert.ok(index > 0, 'tasks before the kill were delivered');
    assertPrefix(delivered.map((r) => r.getValue('001')), index);
    assert.deepEqual(delivered.map((r) => r.origin?.recordOffset), offsets.slice(0, index));
    assert.deepEqual(await settledHandles(), [], 'threads and the file are released');
    // The next read gets every record.
    const again = await collect(readRecords(fixturePath(FILE), { parallelThreshold: 0, taskSize: 64 * 1024, workers: 2, signal: AbortSignal.timeout(WATCHDOG_MS) }));
    assert.equal(again.length, records.length);
    assert.deepEqual(await settledHandles(), []);
  });
}

for (const ordered of [true, false]) {
  test(`parallelMap${ordered ? '' : ' (unordered)'}: the thread mapping record 2500, killed from outside mid-record, is an E007 naming the range; ${ordered ? 'nothing after it' : 'no result twice'}; the next run works`, { timeout: 3 * WATCHDOG_MS }, async () => {
    const target = 2500;
    const MAP_TASK = 96 * 1024;
    const id = records[target]?.getValue('001');
    assert.ok(id !== undefined);
    // At the target record the function tells the test which thread it is on, then waits to be
    // killed (never longer than the watchdog).
    const channelName = `mrrc-kill-${process.pid}-${String(ordered)}`;
    const module = join(dir, `blocks-${String(ordered)}.mjs`);
    writeFileSync(module, `import { threadId } from 'node:worker_threads';
  const channel = new BroadcastChannel(${JSON.stringify(channelName)});
  export default (r) => {
    const id = r.getValue('001');
    if (id !== ${JSON.stringify(id)}) return id;
    channel.postMessage(threadId);
    const wait = new Int32Array(new SharedArrayBuffer(4));
    for (const until = Date.now() + ${WATCHDOG_MS}; Date.now() < until;) Atomics.wait(wait, 0, 0, 20);
    throw new Error('not killed');
  };
  `);
    let threads: (() => readonly Worker[]) | null = null;
    poolTestHooks.onDispatch = (task) => {
      threads = task.threads;
    };
    const channel = new BroadcastChannel(channelName);
    let killed: number | null = null;
    channel.onmessage = (event: MessageEvent) => {
      const thread = threads?.().find((t) => t.threadId === (event.data as number));
      assert.ok(thread !== undefined, 'the thread is one of the pool\'s');
      killed = event.data as number;
      void thread.terminate();
    };
    const watchdog = AbortSignal.timeout(WATCHDOG_MS);
    const delivered: (string | undefined)[] = [];
    let error: unknown;
    try {
      error = await drain(parallelMap<string>(fixturePath(FILE), module, { parallelThreshold: 0, taskSize: MAP_TASK, workers: 2, ordered, signal: watchdog }), delivered);
    } finally {
      delete poolTestHooks.onDispatch;
      channel.close();
    }
    assert.ok(!watchdog.aborted, 'parallelMap hung after its worker was killed');
    assert.ok(killed !== null, 'the worker was killed at the target record');
    const { start, end, index } = failedRange(error, 'mapping');
    // The named range is the record's, or the task the same worker finished just before: a worker
    // holds two tasks, and a result it had posted but this thread had not yet taken in is lost
    // with it (the dead worker's port is closed), so that task fails too and, being earlier,
    // is the one named. Tasks alternate between the two workers: at most two ranges earlier.
    const at = offsets[target] as number;
    assert.ok(at >= start && at < end + 2 * MAP_TASK, `record ${target} (byte ${at}) is in the failed range ${start}–${end} or within two tasks after it`);
    if (ordered) assertPrefix(delivered, index);
    else {
      // As tasks complete: no result twice, none made up, none from the failed range.
      const ids = records.map((r) => r.getValue('001'));
      assert.equal(new Set(delivered).size, delivered.length);
      const failed = new Set(ids.slice(index, offsets.findIndex((o) => o >= end) < 0 ? records.length : offsets.findIndex((o) => o >= end)));
      assert.ok(delivered.every((d) => ids.includes(d) && !failed.has(d)));
    }
    assert.deepEqual(await settledHandles(), [], 'threads and the file are released');
    const okModule = join(dir, 'ok.mjs');
    writeFileSync(okModule, `export default (r) => r.getValue('001');`);
    const again = await collect(parallelMap<string>(fixturePath(FILE), okModule, { parallelThreshold: 0, taskSize: 96 * 1024, workers: 2, signal: AbortSignal.timeout(WATCHDOG_MS) }));
    assert.deepEqual(again, records.map((r) => r.getValue('001')));
    assert.deepEqual(await settledHandles(), []);
  });
}
