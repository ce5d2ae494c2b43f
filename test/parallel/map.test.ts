import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteSink, MarcXmlWriter, parallelMap, readRecords, readRecordsSync, readResultsSync, MarcError, ParallelMapError } from '../../src/index.js';
import { fixture, fixturePath, withFifo } from '../helpers.js';
import { collect, settledHandles } from '../io/helpers.js';

const MODULE = new URL('./fixtures/map.ts', import.meta.url);
const FILE = 'folio/5000.mrc';
const records = [...readRecordsSync(fixture(FILE))];
const PARALLEL = { parallelThreshold: 0, taskSize: 128 * 1024, workers: 2 };

test('parallelMap returns the function\'s results in input order, from a path and from a stream', async () => {
  const titles = records.map((r) => r.title ?? null);
  assert.deepEqual(await collect(parallelMap(fixturePath(FILE), MODULE, PARALLEL)), titles);
  assert.deepEqual(await collect(parallelMap(createReadStream(fixturePath(FILE), { highWaterMark: 10_000 }), MODULE, PARALLEL)), titles);
  // Below the threshold it runs here, with the same results.
  assert.deepEqual(await collect(parallelMap(fixture(FILE), MODULE, { parallelThreshold: 1 << 30 })), titles);
  assert.deepEqual(await settledHandles(), []);
});

test('unordered: every result once; concat: one UTF-8 buffer per batch; undefined results are dropped', async () => {
  const ids = records.map((r) => r.getValue('001') ?? '').filter((id) => id.length % 2 === 1);
  const unordered = await collect(parallelMap<string>(fixturePath(FILE), MODULE, { ...PARALLEL, exportName: 'oddOnly', ordered: false }));
  assert.deepEqual([...unordered].sort(), [...ids].sort());
  const chunks = await collect(parallelMap(fixturePath(FILE), MODULE, { ...PARALLEL, exportName: 'json', concat: true }));
  assert.ok(chunks.length > 5 && chunks.every((c) => c instanceof Uint8Array));
  assert.equal(Buffer.concat(chunks).toString('utf8'), records.map((r) => JSON.stringify(r.toJSON()) + '\n').join(''));
  assert.deepEqual(await settledHandles(), []);
});

test('concat: output far larger than its input, multi-byte text and byte results come back whole, from a path and a stream', async () => {
  const { uneven, idBytes } = await import('./fixtures/map.js');
  const expected = records.map((r) => uneven(r)).join('');
  for (const source of [fixturePath(FILE), createReadStream(fixturePath(FILE), { highWaterMark: 10_000 })]) {
    const chunks = await collect(parallelMap(source, MODULE, { ...PARALLEL, exportName: 'uneven', concat: true }));
    assert.equal(Buffer.concat(chunks).toString('utf8'), expected);
  }
  const bytes = await collect(parallelMap(fixturePath(FILE), MODULE, { ...PARALLEL, exportName: 'idBytes', concat: true }));
  assert.deepEqual(Buffer.concat(bytes), Buffer.concat(records.map((r) => idBytes(r))));
  assert.deepEqual(await settledHandles(), []);
});

test('concat: a function may write into the sink it is given; results are taken before the next call; in workers and here', async () => {
  const writer = new MarcXmlWriter();
  const sink = new ByteSink();
  for (const r of records) writer.writeTo(r, sink);
  const xml = Buffer.from(sink.bytes.subarray(0, sink.length));
  const ids = Buffer.from(records.map((r) => `${r.getValue('001') ?? ''}\n`).join(''));
  const sources = () => [
    { label: 'path, workers', source: fixturePath(FILE), options: PARALLEL },
    { label: 'stream, workers', source: createReadStream(fixturePath(FILE), { highWaterMark: 10_000 }), options: PARALLEL },
    { label: 'below the threshold, here', source: fixture(FILE), options: { parallelThreshold: 1 << 30 } },
  ];
  for (const { label, source, options } of sources()) {
    const chunks = await collect(parallelMap(source, MODULE, { ...options, exportName: 'xmlInto', concat: true }));
    assert.ok(Buffer.concat(chunks).equals(xml), label);
  }
  for (const { label, source, options } of sources()) {
    const chunks = await collect(parallelMap(source, MODULE, { ...options, exportName: 'reusedView', concat: true }));
    assert.ok(Buffer.concat(chunks).equals(ids), label);
  }
  assert.deepEqual(await settledHandles(), []);
});

test('a throwing function and a dying worker are errors naming the record and the byte range', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-map-'));
  try {
    const target = 3210;
    const id = records[target]?.getValue('001');
    assert.ok(id !== undefined);
    const throws = join(dir, 'throws.mjs');
    writeFileSync(throws, `export default (r) => { if (r.getValue('001') === ${JSON.stringify(id)}) throw new RangeError('no good'); return 1; };`);
    let seen = 0;
    await assert.rejects(async () => {
      for await (const _ of parallelMap(fixturePath(FILE), throws, PARALLEL)) seen++;
    }, (e: unknown) => e instanceof ParallelMapError && e.recordIndex === target && e.recordOffset === records[target]?.origin?.recordOffset
      && /record 3210 \(byte \d+\) in bytes \d+–\d+: RangeError: no good/.test(e.message));
    assert.equal(seen, target, 'every result before the failing record was delivered, none after');

    const exits = join(dir, 'exits.mjs');
    writeFileSync(exits, `export default (r) => { if (r.getValue('001') === ${JSON.stringify(id)}) process.exit(3); return 1; };`);
    await assert.rejects(collect(parallelMap(fixturePath(FILE), exits, PARALLEL)), (e: unknown) => e instanceof MarcError && e.code === 'E007' && /a worker failed mapping bytes \d+–\d+ \(records from index \d+\)/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(await settledHandles(), []);
});

test('strict-mode errors from the workers carry the index of a sequential read; permissive reports skips', async () => {
  let syncError: unknown;
  try {
    for (const r of readRecordsSync(fixture('folio/sample100.mrc'))) r.title;
  } catch (e) {
    syncError = e;
  }
  await assert.rejects(collect(parallelMap(fixturePath('folio/sample100.mrc'), MODULE, { ...PARALLEL, taskSize: 4096 })), (e: unknown) => e instanceof MarcError && e.message === (syncError as Error).message);
  const skipped: number[] = [];
  const syncSkipped: number[] = [];
  const bad = fixturePath('pymarc/bad_records.mrc');
  const got = await collect(parallelMap(bad, MODULE, { ...PARALLEL, taskSize: 1024, mode: 'permissive', onError: (s) => skipped.push(s.recordIndex) }));
  const want = [...readRecordsSync(fixture('pymarc/bad_records.mrc'), { mode: 'permissive', onError: (s) => syncSkipped.push(s.recordIndex) })].map((r) => r.title ?? null);
  assert.deepEqual(got, want);
  assert.deepEqual(skipped, syncSkipped);
});

test('early exit and abort stop the workers at once', async () => {
  for await (const _ of parallelMap(fixturePath(FILE), MODULE, PARALLEL)) break;
  assert.deepEqual(await settledHandles(), [], 'after break');
  const controller = new AbortController();
  let n = 0;
  await assert.rejects(async () => {
    for await (const _ of parallelMap(fixturePath(FILE), MODULE, { ...PARALLEL, signal: controller.signal })) if (++n === 100) controller.abort();
  }, { name: 'AbortError' });
  assert.deepEqual(await settledHandles(), [], 'after abort');
});

test('onProgress counts every record and reaches the end of the input; with recycle, release hands shared buffers back for reuse', async () => {
  let counted = 0;
  let reached = 0;
  const results = parallelMap(fixturePath(FILE), MODULE, {
    ...PARALLEL,
    exportName: 'json',
    concat: true,
    recycle: true,
    onProgress: ({ records: n, inputEnd }) => {
      counted += n;
      assert.ok(inputEnd >= reached, 'input offsets only grow in ordered mode');
      reached = inputEnd;
    },
  });
  const text: string[] = [];
  const released: { view: Uint8Array; text: string }[] = [];
  for await (const batch of results.batches()) {
    for (const bytes of batch) {
      assert.ok(bytes.buffer instanceof SharedArrayBuffer);
      text.push(Buffer.from(bytes).toString('utf8'));
      released.push({ view: bytes, text: text[text.length - 1] as string });
      // Released buffers are written into by later tasks: the text above was copied first.
      results.release(bytes);
    }
  }
  assert.equal(counted, records.length);
  assert.equal(reached, fixture(FILE).length);
  assert.equal(text.join(''), records.map((r) => JSON.stringify(r.toJSON()) + '\n').join(''));
  // Shared memory has no identity across threads: reuse shows as a released batch overwritten.
  assert.ok(released.some(({ view, text: was }) => Buffer.from(view).toString('utf8') !== was), 'a later task wrote into a released buffer');
  assert.deepEqual(await settledHandles(), []);
});

test('concat without recycle: every batch is a copy of its own, valid however long it is kept', async () => {
  const chunks = await collect(parallelMap(fixturePath(FILE), MODULE, { ...PARALLEL, exportName: 'json', concat: true }));
  assert.ok(chunks.every((c) => !(c.buffer instanceof SharedArrayBuffer)));
  assert.equal(new Set(chunks.map((c) => c.buffer)).size, chunks.length);
  assert.equal(Buffer.concat(chunks).toString('utf8'), records.map((r) => JSON.stringify(r.toJSON()) + '\n').join(''));
});

test('a module that cannot be loaded, or lacks the export, is the same ParallelMapError in workers (path or stream) and on this thread', async () => {
  const missing = new URL('./fixtures/no-such-module.mjs', import.meta.url);
  const cases: [URL, string, RegExp][] = [
    [missing, 'default', /cannot use "default" of .*no-such-module\.mjs: Error: Cannot find module/],
    [MODULE, 'noSuchExport', /cannot use "noSuchExport" of .*map\.ts: TypeError: .* has no function export "noSuchExport"/],
  ];
  for (const [module, exportName, message] of cases) {
    for (const [source, options] of [
      [fixturePath(FILE), PARALLEL],
      [createReadStream(fixturePath(FILE), { highWaterMark: 10_000 }), PARALLEL],
      [fixture(FILE), { parallelThreshold: 1 << 30 }],
    ] as const) {
      await assert.rejects(collect(parallelMap(source, module, { ...options, exportName })), (e: unknown) => {
        assert.ok(e instanceof ParallelMapError, String(e));
        assert.match(e.message, message);
        assert.equal(e.recordIndex, undefined);
        assert.ok(e.cause instanceof Error);
        return true;
      });
    }
  }
  assert.deepEqual(await settledHandles(), []);
});

test('permissive: a MarcError from the function skips and reports that record (index, offset, bytes), in workers and on this thread; other modes stop', async () => {
  const ids = records.map((r) => r.getValue('001') ?? '');
  const refused = ids.map((id, i) => [id, i] as const).filter(([id]) => id.endsWith('3'));
  assert.ok(refused.length > 10);
  for (const options of [PARALLEL, { parallelThreshold: 1 << 30 }]) {
    const reported: { index: number; offset: number; raw: Uint8Array; message: string }[] = [];
    const chunks = await collect(parallelMap(fixturePath(FILE), MODULE, {
      ...options, exportName: 'refuseThrees', concat: true, mode: 'permissive',
      onError: (s) => reported.push({ index: s.recordIndex, offset: s.recordOffset, raw: s.raw, message: s.error.message }),
    }));
    assert.equal(Buffer.concat(chunks).toString('utf8'), ids.filter((id) => !id.endsWith('3')).map((id) => `${id}\n`).join(''));
    assert.deepEqual(reported.map((r) => r.index), refused.map(([, i]) => i));
    const first = reported[0];
    const [, firstIndex] = refused[0] as readonly [string, number];
    assert.equal(first?.offset, records[firstIndex]?.origin?.recordOffset);
    assert.ok(first !== undefined && Buffer.from(first.raw).equals(Buffer.from(records[firstIndex]?.raw ?? [])), 'the skipped record\'s bytes');
    assert.match(first?.message ?? '', /E404 .*refused/);
    await assert.rejects(collect(parallelMap(fixturePath(FILE), MODULE, { ...options, exportName: 'refuseThrees', concat: true, mode: 'lenient' })), (e: unknown) => e instanceof MarcError && e.code === 'E404');
  }
  assert.deepEqual(await settledHandles(), []);
});

test('onRepair: each record read with repairs, with its index and errors, the same in workers (path or stream) and on this thread', async () => {
  const file = 'pymarc/bad_records.mrc';
  const expected = [...readRecordsSync(fixture(file), { mode: 'permissive' })]
    .filter((r) => r.hasErrors)
    .map((r) => [r.origin?.recordIndex, r.errors.map((e) => e.code).join(',')]);
  assert.ok(expected.length >= 4);
  for (const [source, options] of [
    [fixturePath(file), { parallelThreshold: 0, taskSize: 256, workers: 2 }],
    [createReadStream(fixturePath(file), { highWaterMark: 100 }), { parallelThreshold: 0, taskSize: 256, workers: 2 }],
    [fixture(file), { parallelThreshold: 1 << 30 }],
  ] as const) {
    const seen: [number, string][] = [];
    await collect(parallelMap(source, MODULE, { ...options, mode: 'permissive', onRepair: (r) => seen.push([r.recordIndex, r.errors.map((e) => e.code).join(',')]) }));
    assert.deepEqual(seen, expected);
  }
  assert.deepEqual(await settledHandles(), []);
});

test('a record the function refuses: its repairs are reported with the skip or before the failure, in workers and on this thread alike', async () => {
  // Record 0's first tag is not ASCII: read with repairs (E101, E106), refused by the writer (E404).
  const file = fixturePath('mrrc-testbed/malformed/bad_directory.mrc');
  for (const mode of ['permissive', 'lenient'] as const) {
    const runs: string[][] = [];
    for (const options of [{ parallelThreshold: 0, taskSize: 256, workers: 2 }, { parallelThreshold: 1 << 30 }]) {
      const events: string[] = [];
      try {
        await collect(parallelMap(file, MODULE, {
          ...options,
          mode,
          exportName: 'iso',
          onError: (s) => events.push(`skip ${s.recordIndex} ${s.error.code}`),
          onRepair: (r) => events.push(`repair ${r.recordIndex} ${r.errors.map((e) => e.code).join(',')}`),
        }));
        events.push('end');
      } catch (e) {
        events.push(e instanceof MarcError ? `threw ${e.recordIndex} ${e.code} at ${e.recordOffset}` : String(e));
      }
      runs.push(events);
    }
    const [workers, here] = runs;
    assert.equal(workers?.[0], mode === 'permissive' ? 'skip 0 E404' : 'repair 0 E101,E106,E106', mode);
    if (mode === 'permissive') assert.equal(workers?.[1], 'repair 0 E101,E106,E106');
    else assert.deepEqual(workers?.slice(1), ['threw 0 E404 at 0']);
    assert.deepEqual(here, workers, mode);
  }
  // A function failing on record 0: record 2's skip, read ahead on this thread, is not reported
  // (a worker stops reading its range at the failure).
  const runs: string[][] = [];
  for (const options of [{ parallelThreshold: 0, taskSize: 256, workers: 2 }, { parallelThreshold: 1 << 30 }]) {
    const events: string[] = [];
    await assert.rejects(
      collect(parallelMap(file, MODULE, { ...options, mode: 'permissive', exportName: 'failFirst', onError: (s) => events.push(`skip ${s.recordIndex}`), onRepair: (r) => events.push(`repair ${r.recordIndex}`) })),
      (e: unknown) => e instanceof ParallelMapError && e.recordIndex === 0 && /first record refused/.test(e.message),
    );
    runs.push(events);
  }
  assert.deepEqual(runs[0], ['repair 0']);
  assert.deepEqual(runs[1], runs[0]);
  assert.deepEqual(await settledHandles(), []);
});

test('every parse option reaches the workers: the same records and repairs as on this thread', async () => {
  const cases = [
    // MARC 21 checks: test.dat has one record with indicators the rules refuse (E201).
    ['pymarc/test.dat', { mode: 'lenient', validation: 'marc21' }, 'E201'],
    ['pymarc/test.dat', { mode: 'lenient', maxSubfields: 2 }, 'E008'],
    // A MARC-8 character reference kept as written instead of expanded.
    ['marc8/escaped_character_reference.marc8.marc', { mode: 'lenient', marc8: { expandNcr: false } }, null],
  ] as const;
  for (const [file, options, code] of cases) {
    const expectedRepairs: string[] = [];
    const expected = [...readRecordsSync(fixture(file), options)].map((r) => {
      const json = JSON.stringify(r.toJSON()) + '\n';
      if (r.hasErrors) expectedRepairs.push(`${r.origin?.recordIndex} ${r.errors.map((e) => e.code).join(',')}`);
      return json;
    });
    if (code !== null) assert.ok(expectedRepairs.some((line) => line.includes(code)), `${file}: ${code} expected on this thread`);
    else assert.ok(expected.join('').includes('&#xFFFD;'), 'the reference is kept');
    const repairs: string[] = [];
    const mapped = await collect(parallelMap(fixturePath(file), MODULE, { ...options, parallelThreshold: 0, workers: 2, exportName: 'json', onRepair: (r) => repairs.push(`${r.recordIndex} ${r.errors.map((e) => e.code).join(',')}`) }));
    assert.deepEqual(mapped, expected, `${file} ${JSON.stringify(options)}`);
    assert.deepEqual(repairs, expectedRepairs, `${file} ${JSON.stringify(options)}`);
  }
  assert.deepEqual(await settledHandles(), []);
});

test('a read error ends the map after the results of the records before it, in workers and on this thread alike', async () => {
  for (const [mode, file, before, code] of [['strict', 'pymarc/bad_records.mrc', 1, 'E004'], ['lenient', 'mrrc-testbed/malformed/bad_directory.mrc', 2, 'E107']] as const) {
    for (const options of [{ parallelThreshold: 0, taskSize: 256, workers: 2 }, { parallelThreshold: 1 << 30 }]) {
      const titles: unknown[] = [];
      await assert.rejects(async () => {
        for await (const title of parallelMap(fixturePath(file), MODULE, { ...options, mode })) titles.push(title);
      }, (e: unknown) => e instanceof MarcError && e.code === code, `${mode} ${JSON.stringify(options)}`);
      assert.equal(titles.length, before, `${mode} ${JSON.stringify(options)}`);
    }
  }
  assert.deepEqual(await settledHandles(), []);
});

test('a stream\'s tasks reuse their shared memory, and no result or skipped record\'s bytes show it', async () => {
  // Small tasks, so each piece of shared memory carries many tasks one after another: had a
  // result been a view of it, later tasks would have written over the earlier results.
  const options = { parallelThreshold: 0, taskSize: 4096, workers: 2, exportName: 'raw' };
  const mapped = await collect(parallelMap<Uint8Array>(createReadStream(fixturePath(FILE), { highWaterMark: 10_000 }), MODULE, options));
  assert.equal(mapped.length, records.length);
  mapped.forEach((bytes, i) => assert.ok(Buffer.from(bytes).equals(records[i]?.raw ?? new Uint8Array(0)), `record ${i}`));
  const corrupt = fixture('corrupt/mrrc-testbed/synthetic/malformed/invalid_lengths.mrc');
  const skipped: Uint8Array[] = [];
  const expected: Uint8Array[] = [];
  for (const r of readResultsSync(corrupt, { mode: 'permissive' })) if (r.record === null) expected.push(r.raw);
  assert.equal(expected.length, 2);
  await collect(parallelMap(createReadStream(fixturePath('corrupt/mrrc-testbed/synthetic/malformed/invalid_lengths.mrc'), { highWaterMark: 100 }), MODULE, { ...options, taskSize: 256, mode: 'permissive', onError: (s) => skipped.push(s.raw) }));
  assert.deepEqual(skipped.map((b) => Buffer.from(b).toString('latin1')), expected.map((b) => Buffer.from(b).toString('latin1')));
});

test('a path that is a pipe (a FIFO) is read as a stream, by parallelMap and by readRecords with workers', (t) =>
  withFifo(t, async (fifo) => {
    const feed = (): Promise<void> => pipeline(createReadStream(fixturePath(FILE)), createWriteStream(fifo));
    // stat calls a pipe 0 bytes: both delivered nothing, without a word.
    const fed = feed();
    const titles = await collect(parallelMap(fifo, MODULE, PARALLEL));
    await fed;
    assert.deepEqual(titles, records.map((r) => r.title ?? null));
    const fedAgain = feed();
    let count = 0;
    for await (const record of readRecords(fifo, { workers: 2, parallelThreshold: 0 })) if (record.leader.value.length === 24) count++;
    await fedAgain;
    assert.equal(count, records.length);
  }));
