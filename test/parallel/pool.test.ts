// The pool when its threads die from outside between tasks: it starts replacements, but not for a
// worker that dies before it is ready (it would likely die again), so a task queued for it must
// fail rather than wait forever (with no thread left, nothing keeps the process alive: a read
// killed twice in a row on a slow CI machine once ended the test process mid-file).
//
// A hang would show as the test being cancelled ("the event loop has already resolved"), or as
// the watchdog firing; neither is timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { WorkerPool } from '../../src/parallel/pool.js';
import type { FrameTask, FrameTaskResult } from '../../src/parallel/protocol.js';
import { fixturePath } from '../helpers.js';
import { settledHandles } from '../io/helpers.js';

const FILE = fixturePath('folio/5000.mrc');

async function withPool(body: (pool: WorkerPool, task: FrameTask) => Promise<void>): Promise<void> {
  const handle = await open(FILE, 'r');
  const { size } = await handle.stat();
  const pool = new WorkerPool({ workers: 1 });
  try {
    await body(pool, { kind: 'frame', range: { fd: handle.fd, size, start: 0, end: Math.min(size, 64 * 1024) } });
  } finally {
    await pool.close();
    await handle.close();
  }
  assert.deepEqual(await settledHandles(), []);
}

test('a thread killed between tasks: the next task runs on its replacement', async () => {
  await withPool(async (pool, task) => {
    const first = await pool.run<FrameTaskResult>(task);
    assert.ok(first.table.length > 0);
    const [thread] = pool.threads;
    assert.ok(thread !== undefined);
    await thread.terminate();
    // The replacement is still starting: the task waits in the pool's queue for it.
    const second = await pool.run<FrameTaskResult>(task);
    assert.deepEqual(second.table, first.table);
  });
});

test('replacement threads killed while starting: the queued task fails with a clear error, it does not wait forever', async () => {
  await withPool(async (pool, task) => {
    await pool.run<FrameTaskResult>(task);
    const [thread] = pool.threads;
    assert.ok(thread !== undefined);
    await thread.terminate();
    const queued = pool.run<FrameTaskResult>(task);
    const [replacement] = pool.threads;
    assert.ok(replacement !== undefined && replacement !== thread, 'the pool started a replacement');
    await replacement.terminate();
    await assert.rejects(queued, /worker exited and no worker thread is left/);
    // The pool is unusable now, and says so rather than queueing.
    await assert.rejects(pool.run(task), /the worker pool failed: worker exited/);
  });
});
