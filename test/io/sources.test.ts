import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { Readable, Writable, PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  readRecords, readRecordsSync, readResults, readResultsSync, writeRecords, registerFormat, createParserStream, createSerializerStream, readFormatSync,
  createParserTransformStream, createSerializerTransformStream, MarcError, type Record,
} from '../../src/index.js';
import { fixture, fixturePath } from '../helpers.js';
import { chunked, collect, settledHandles, summarise } from './helpers.js';

const FILE = 'mrrc-testbed/authority/sample.mrc';
const bytes = fixture(FILE);
const expected = [...readRecordsSync(bytes)].map((r) => JSON.stringify(r.toJSON()));
const json = (records: Record[]): string[] => records.map((r) => JSON.stringify(r.toJSON()));

async function* asyncChunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (const chunk of chunked(data, size)) yield chunk;
}

test('every source type gives identical records', async () => {
  const sources: [string, () => unknown][] = [
    ['path', () => fixturePath(FILE)],
    ['file URL', () => pathToFileURL(fixturePath(FILE))],
    ['Buffer', () => bytes],
    ['Uint8Array', () => new Uint8Array(bytes)],
    ['fs.createReadStream', () => createReadStream(fixturePath(FILE), { highWaterMark: 1000 })],
    ['Readable.from', () => Readable.from(chunked(bytes, 777))],
    ['WHATWG ReadableStream', () => Readable.toWeb(createReadStream(fixturePath(FILE), { highWaterMark: 333 }))],
    ['async generator', () => asyncChunks(bytes, 5000)],
    ['array of chunks', () => [...chunked(bytes, 12345)]],
  ];
  for (const [name, make] of sources) {
    const records = await collect(readRecords(make() as Parameters<typeof readRecords>[0]));
    assert.deepEqual(json(records), expected, name);
  }
  assert.deepEqual(await settledHandles(), []);
});

test('records carry the index and absolute offset of a sequential read, on every lane', async () => {
  const sync = [...readResultsSync(bytes)].map((r) => summarise(r, false));
  assert.deepEqual((await collect(readResults(fixturePath(FILE), { chunkSize: 4096 }))).map((r) => summarise(r, false)), sync);
  const records = await collect(readRecords(createReadStream(fixturePath(FILE), { highWaterMark: 999 })));
  assert.deepEqual(records.map((r) => [r.origin?.recordIndex, r.origin?.recordOffset]), [...readRecordsSync(bytes)].map((r) => [r.origin?.recordIndex, r.origin?.recordOffset]));
});

test('readBatch and batches()', async () => {
  const reader = readRecords(fixturePath(FILE));
  const first = await reader.readBatch(7);
  assert.equal(first.length, 7);
  const one = await reader.next();
  assert.equal(one.done, false);
  const rest: Record[] = [];
  for await (const batch of reader.batches(30)) {
    assert.ok(batch.length <= 30 && batch.length > 0);
    rest.push(...batch);
  }
  assert.deepEqual(json([...first, one.value as Record, ...rest]), expected);
  assert.deepEqual(await reader.readBatch(5), []);
});

test('batches(): a read error ends the batches after the records before it, as iteration does', async () => {
  // bad_records.mrc: record 0 reads, record 1 is the first a strict read refuses (E004).
  // bad_directory.mrc: in lenient mode records 0-1 read (repaired) and record 2, data with no
  // directory entry to hold it, cannot be read at all (E107).
  for (const [mode, file, before, code] of [['strict', 'pymarc/bad_records.mrc', 1, 'E004'], ['lenient', 'mrrc-testbed/malformed/bad_directory.mrc', 2, 'E107']] as const) {
    const iterated: Record[] = [];
    await assert.rejects(async () => {
      for await (const r of readRecords(fixturePath(file), { mode })) iterated.push(r);
    }, (e: unknown) => e instanceof MarcError && e.code === code);
    assert.equal(iterated.length, before);
    const batched: Record[][] = [];
    await assert.rejects(async () => {
      for await (const batch of readRecords(fixturePath(file), { mode }).batches(100)) batched.push(batch);
    }, (e: unknown) => e instanceof MarcError && e.code === code);
    assert.deepEqual(batched.map((b) => json(b)), [json(iterated)]);
    // readBatch keeps its contract (fewer records only at the end): it throws, and says so.
    await assert.rejects(readRecords(fixturePath(file), { mode }).readBatch(100), (e: unknown) => e instanceof MarcError && e.code === code);
  }
  assert.deepEqual(await settledHandles(), []);
});

test('permissive reading reports each skipped frame once, with its bytes; strict throws at the same record', async () => {
  const bad = Buffer.concat([fixture('pymarc/bad_records.mrc'), fixture('mrrc-testbed/malformed/bad_directory.mrc')]);
  const skipped: number[] = [];
  const records = await collect(readRecords(chunked(bad, 50), { mode: 'permissive', onError: (s) => skipped.push(s.recordIndex) }));
  const syncSkipped: number[] = [];
  const syncRecords = [...readRecordsSync(bad, { mode: 'permissive', onError: (s) => syncSkipped.push(s.recordIndex) })];
  assert.deepEqual(skipped, syncSkipped);
  assert.ok(skipped.length > 0);
  assert.deepEqual(json(records), json(syncRecords));
  let syncError: unknown;
  try {
    for (const _ of readRecordsSync(bad)) { /* until it throws */ }
  } catch (e) {
    syncError = e;
  }
  await assert.rejects(collect(readRecords(chunked(bad, 64))), (e: unknown) => e instanceof MarcError && e.message === (syncError as Error).message);
});

test('break closes the file at once; abort rejects the pending read and closes the file', async () => {
  for await (const _ of readRecords(fixturePath('folio/5000.mrc'), { chunkSize: 64 * 1024 })) break;
  assert.deepEqual(await settledHandles(), []);

  const controller = new AbortController();
  let n = 0;
  await assert.rejects(async () => {
    for await (const _ of readRecords(fixturePath('folio/5000.mrc'), { signal: controller.signal, chunkSize: 16 * 1024 })) {
      if (++n === 100) controller.abort();
    }
  }, { name: 'AbortError' });
  assert.ok(n >= 100 && n < 5000, `stopped after ${n}`);
  assert.deepEqual(await settledHandles(), []);

  const stream = createReadStream(fixturePath('folio/5000.mrc'));
  for await (const _ of readRecords(stream)) break;
  assert.equal(stream.destroyed, true, 'the stream is destroyed');

  const already = AbortSignal.abort();
  await assert.rejects(collect(readRecords(fixturePath(FILE), { signal: already })), { name: 'AbortError' });
  assert.deepEqual(await settledHandles(), []);
});

test('a failing source surfaces as E007, not as a short read', async () => {
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield bytes.subarray(0, 5000);
    throw new Error('disk on fire');
  }
  await assert.rejects(collect(readRecords(failing())), (e: unknown) => e instanceof MarcError && e.code === 'E007' && /disk on fire/.test(e.message));
  await assert.rejects(collect(readRecords('/nonexistent/file.mrc')), (e: unknown) => e instanceof MarcError && e.code === 'E007');
  const text = new PassThrough();
  text.setEncoding('utf8');
  text.end(bytes);
  await assert.rejects(collect(readRecords(text)), (e: unknown) => e instanceof MarcError && e.code === 'E007' && /setEncoding|encoding/.test(e.message));
});

test('the reader pulls: a paused consumer stops reading the stream', async () => {
  let pulled = 0;
  const source = new Readable({
    highWaterMark: 1024,
    read() {
      const at = pulled;
      pulled += 1024;
      this.push(at < bytes.length ? bytes.subarray(at, at + 1024) : null);
    },
  });
  const reader = readRecords(source);
  await reader.next();
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(pulled < 16 * 1024, `pulled ${pulled} bytes for one record`);
  await reader.close();
  assert.equal(source.destroyed, true);
});

test('Node Transform: parser and serializer round-trip through pipeline, with backpressure', async () => {
  const out: Uint8Array[] = [];
  await pipeline(
    createReadStream(fixturePath(FILE), { highWaterMark: 100 }),
    createParserStream({ highWaterMark: 4 }),
    createSerializerStream(),
    new Writable({
      highWaterMark: 1,
      write(chunk: Uint8Array, _e, cb) {
        out.push(chunk);
        setImmediate(cb);
      },
    }),
  );
  assert.deepEqual(Buffer.concat(out), bytes);

  const parser = createParserStream({ highWaterMark: 2 });
  let accepted = 0;
  for (const chunk of chunked(bytes, 4096)) {
    if (!parser.write(chunk)) break;
    accepted++;
  }
  assert.ok(accepted < 10, `write() said stop after ${accepted} chunks with nobody reading`);
  parser.destroy();
});

test('Node Transform: a strict-mode error fails the pipeline; permissive goes on', async () => {
  const bad = fixture('pymarc/bad_records.mrc');
  await assert.rejects(pipeline(Readable.from([bad]), createParserStream(), new Writable({ objectMode: true, write: (_r, _e, cb) => cb() })), MarcError);
  const records: Record[] = [];
  await pipeline(Readable.from([bad]), createParserStream({ mode: 'permissive' }), new Writable({ objectMode: true, write: (r: Record, _e, cb) => { records.push(r); cb(); } }));
  assert.deepEqual(json(records), json([...readRecordsSync(bad, { mode: 'permissive' })]));
});

test('WHATWG TransformStreams: parser and serializer', async () => {
  const web = Readable.toWeb(createReadStream(fixturePath(FILE), { highWaterMark: 500 })) as ReadableStream<Uint8Array>;
  const records = await collect(web.pipeThrough(createParserTransformStream()) as unknown as AsyncIterable<Record>);
  assert.deepEqual(json(records), expected);
  const back = ReadableStream.from(records).pipeThrough(createSerializerTransformStream());
  assert.deepEqual(Buffer.concat(await collect(back as unknown as AsyncIterable<Uint8Array>)), bytes);
});

test('writeRecords: to a path, a Node stream and a WHATWG stream, in a registered format', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-io-'));
  try {
    const target = join(dir, 'out.mrc');
    const result = await writeRecords(readRecords(fixturePath(FILE)), target);
    assert.equal(result.records, 150);
    assert.deepEqual(readFileSync(target), bytes);

    const chunks: Buffer[] = [];
    const slow = new Writable({ highWaterMark: 10, write(chunk: Buffer, _e, cb) { chunks.push(chunk); setTimeout(cb, 1); } });
    await writeRecords(readRecordsSync(bytes), slow, { writeSize: 4096 });
    assert.deepEqual(Buffer.concat(chunks), bytes);
    assert.ok(chunks.length > 10, 'written in pieces, waiting for drain');

    const webChunks: Uint8Array[] = [];
    await writeRecords(readRecordsSync(bytes), new WritableStream<Uint8Array>({ write(c) { webChunks.push(c); } }));
    assert.deepEqual(Buffer.concat(webChunks), bytes);

    registerFormat('test-lines', () => ({ header: () => '[', write: (r) => `${r.getValue('001') ?? ''},`, footer: () => ']' }));
    await writeRecords(readRecordsSync(bytes), join(dir, 'ids.txt'), { format: 'test-lines' });
    assert.equal(readFileSync(join(dir, 'ids.txt'), 'utf8'), `[${[...readRecordsSync(bytes)].map((r) => `${r.getValue('001') ?? ''},`).join('')}]`);
    await writeRecords([], join(dir, 'empty.txt'), { format: 'test-lines' });
    assert.equal(readFileSync(join(dir, 'empty.txt'), 'utf8'), '[]');
    await assert.rejects(writeRecords([], join(dir, 'x'), { format: 'nope' }), TypeError);

    // A destination's failure is E007 with the original as its cause, as a source's is.
    const failing = new Writable({ write(_c, _e, cb) { cb(new Error('disk full')); } });
    await assert.rejects(writeRecords(readRecordsSync(bytes), failing, { writeSize: 1000 }), (e: unknown) => e instanceof MarcError && e.code === 'E007' && /disk full/.test(e.message) && (e.cause as Error).message === 'disk full');
    await assert.rejects(writeRecords(readRecordsSync(bytes), join(dir, 'no-such-dir', 'out.mrc')), (e: unknown) => e instanceof MarcError && e.code === 'E007' && /cannot write .*out\.mrc: ENOENT/.test(e.message));
    const webFailing = new WritableStream<Uint8Array>({ write() { throw new Error('quota exceeded'); } });
    await assert.rejects(writeRecords(readRecordsSync(bytes), webFailing), (e: unknown) => e instanceof MarcError && e.code === 'E007' && /quota exceeded/.test(e.message));
    writeFileSync(join(dir, 'keep'), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(await settledHandles(), []);
});

test('JSON format names mean what the CLI means: json is one document, jsonl and ndjson a record a line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-io-'));
  try {
    const objects = [...readRecordsSync(bytes)].map((r) => r.toJSON());
    for (const format of ['json', 'JSON']) {
      await writeRecords(readRecordsSync(bytes), join(dir, 'out.json'), { format });
      const text = readFileSync(join(dir, 'out.json'), 'utf8');
      assert.equal((JSON.parse(text) as unknown[]).length, objects.length, 'one JSON document, an array');
      assert.deepEqual([...readFormatSync(text, { format: 'marcjson' })].map((r) => r.toJSON()), objects);
    }
    await writeRecords([], join(dir, 'empty.json'), { format: 'json' });
    assert.equal(readFileSync(join(dir, 'empty.json'), 'utf8').trim(), '[]');
    for (const format of ['jsonl', 'ndjson', 'marcjson']) {
      await writeRecords(readRecordsSync(bytes), join(dir, 'out.jsonl'), { format });
      const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
      assert.equal(lines.length, objects.length, format);
      assert.deepEqual([...readFormatSync(lines[0] as string, { format: 'marcjson' })].map((r) => r.toJSON()), objects.slice(0, 1));
    }
    // An explicit layout wins over the name's.
    await writeRecords(readRecordsSync(bytes), join(dir, 'lines.json'), { format: 'json', layout: 'lines' });
    assert.equal(readFileSync(join(dir, 'lines.json'), 'utf8').split('\n').filter((l) => l !== '').length, objects.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeRecords: when the records fail midway, the ones before are written and the document ended; the promise rejects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-write-fail-'));
  try {
    const records = [...readRecordsSync(bytes)].slice(0, 3);
    async function* throwsAfterTwo(): AsyncGenerator<Record> {
      yield records[0] as Record;
      yield records[1] as Record;
      throw new Error('source broke');
    }
    for (const format of ['marcxml', 'marcjson', 'iso2709']) {
      const path = join(dir, `out.${format}`);
      await assert.rejects(writeRecords(throwsAfterTwo(), path, { format }), /source broke/, format);
      const back = format === 'iso2709' ? [...readRecordsSync(readFileSync(path))] : [...readFormatSync(readFileSync(path), { format, mode: 'strict' })];
      assert.deepEqual(json(back), json(records.slice(0, 2)), format);
      if (format === 'marcxml') assert.match(readFileSync(path, 'utf8'), /<\/collection>\s*$/);
    }
    // A record ISO 2709 cannot hold (a delimiter inside a value) stops the write: E404, and the
    // record before it is in the file whole, with nothing of the refused one.
    const bad = records[1]?.clone() as Record;
    bad.getDataFields()[0]?.subfields.push({ code: 'z', value: 'a\x1fb' });
    const path = join(dir, 'refused.mrc');
    await assert.rejects(writeRecords([records[0] as Record, bad, records[2] as Record], path), (e: unknown) => e instanceof MarcError && e.code === 'E404');
    assert.deepEqual(json([...readRecordsSync(readFileSync(path))]), json(records.slice(0, 1)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(await settledHandles(), []);
});

test('maxRecordSize under a record\'s own length: streams wait for the length the leader gives, as a read of the whole input does', async () => {
  const file = 'mrrc-testbed/bibliographic/sample.mrc';
  const expectedHere = [...readRecordsSync(fixture(file), { maxRecordSize: 600 })].map((r) => JSON.stringify(r.toJSON()));
  assert.ok(fixture(file).length / expectedHere.length > 600, 'records longer than the limit');
  assert.deepEqual(json(await collect(readRecords(chunked(fixture(file), 100), { maxRecordSize: 600 }))), expectedHere);
  assert.deepEqual(json(await collect(readRecords(fixturePath(file), { maxRecordSize: 600, chunkSize: 4096 }))), expectedHere);
  assert.deepEqual(await settledHandles(), []);
});
