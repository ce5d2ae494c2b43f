import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Iso2709Framer, readResultsSync, readRecordsSync, parseRecord, Record, type Frame } from '../../src/index.js';
import { fixture, rng } from '../helpers.js';

function frameInChunks(bytes: Uint8Array, sizes: () => number): Frame[] {
  const framer = new Iso2709Framer();
  const frames: Frame[] = [];
  let at = 0;
  while (at < bytes.length) {
    const n = Math.max(1, sizes());
    framer.push(bytes.subarray(at, at + n), frames);
    at += n;
  }
  framer.end(frames);
  return frames;
}

function summary(frames: Frame[]): string[] {
  return frames.map((f) => `${f.offset}:${f.bytes.length}:${f.junk}:${f.problem?.code ?? ''}:${Buffer.from(f.bytes).toString('base64')}`);
}

const FILES = [
  'pymarc/test.dat', 'pymarc/bad_records.mrc', 'pymarc/bad_indicator.dat', 'ruby-marc/cp866_multirecord.marc',
  'mrrc-testbed/malformed/garbage.mrc', 'mrrc-testbed/malformed/invalid_lengths.mrc', 'mrrc-testbed/malformed/embedded_terminators.mrc',
  'mrrc-testbed/malformed/missing_terminators.mrc', 'mrrc-testbed/malformed/truncated_leader.mrc', 'mrrc-testbed/malformed/bad_directory.mrc',
  'mrrc/error_fixtures/e005_truncated_record.bin', 'mrrc/error_fixtures/e006_no_record_terminator.bin', 'folio/sample100.mrc',
];

for (const file of FILES) {
  test(`chunking does not change the frames: ${file}`, () => {
    const bytes = fixture(file);
    const whole = summary([...Iso2709Framer.frames(bytes)]);
    for (const size of [1, 2, 3, 7, 24, 25, 100, 1023, 4096]) {
      assert.deepEqual(summary(frameInChunks(bytes, () => size)), whole, `chunk size ${size}`);
    }
    const random = rng(42);
    assert.deepEqual(summary(frameInChunks(bytes, () => Math.floor(random() * 300))), whole, 'random chunk sizes');
  });
}

test('frames cover every byte but separators: nothing is dropped unseen', () => {
  for (const file of FILES) {
    const bytes = fixture(file);
    let covered = 0;
    let cursor = 0;
    for (const frame of Iso2709Framer.frames(bytes)) {
      for (let i = cursor; i < frame.offset; i++) assert.ok([0x0a, 0x0d, 0x1a, 0x20, 0x00].includes(bytes[i] as number), `${file}: byte ${i} skipped`);
      covered += frame.bytes.length;
      cursor = frame.offset + frame.bytes.length;
    }
    for (let i = cursor; i < bytes.length; i++) assert.ok([0x0a, 0x0d, 0x1a, 0x20, 0x00].includes(bytes[i] as number), `${file}: trailing byte ${i}`);
    assert.ok(covered > 0, file);
  }
});

test('permissive reading of every corrupt file: each frame is a record or a reported error', () => {
  for (const file of FILES) {
    let skipped = 0;
    let errorsSeen = 0;
    const results = [...readResultsSync(fixture(file), { mode: 'permissive', onError: () => errorsSeen++ })];
    for (const r of results) {
      if (r.record === null) skipped++;
      assert.ok(r.record !== null || r.errors.length === 1, file);
      assert.equal(r.raw.length > 0, true);
    }
    assert.equal(skipped, errorsSeen, `${file}: every skip went through onError`);
  }
});

test('pymarc bad_records.mrc in permissive mode: 8 results, the first and last clean', () => {
  const results = [...readResultsSync(fixture('pymarc/bad_records.mrc'), { mode: 'permissive' })];
  assert.equal(results.length, 8);
  for (const i of [0, 7]) {
    const r = results[i]?.record;
    assert.ok(r);
    assert.equal(r.errors.length, 0);
    assert.equal(r.getValue('245', 'a'), 'The pragmatic programmer : ');
    assert.equal(r.getValue('245', 'b'), 'from journeyman to master /');
    assert.equal(r.getValue('245', 'c'), 'Andrew Hunt, David Thomas.');
  }
  // pymarc's classes for 1..6: base address invalid / not found, directory invalid (x2), bad base, no fields.
  const codes = results.slice(1, 7).map((r) => r.errors[0]?.code);
  assert.deepEqual(codes, ['E004', 'E003', 'E101', 'E101', 'E003', 'E107']);
  // Record 6 is a leader, the directory terminator and the record terminator: a well-formed record
  // with no fields, which is what a writer makes of one, so it reads (strict mode refuses it, as
  // pymarc does with NoFieldsFound).
  assert.equal(results[6]?.record?.fields.length, 0, 'a record with no fields is read, with a warning');
  assert.equal(results[6]?.record?.leader.value, '00026     2200025   4500');
  assert.equal(results[6]?.errors[0]?.severity, 'warning');
  assert.throws(() => parseRecord(results[6]!.raw), { code: 'E107' });
  assert.deepEqual(Buffer.from(results[6]!.record!.toMarc()), Buffer.from(results[6]!.raw), 'written back as read');
  const empty = new Record({ leader: '00000nam a2200000   4500' });
  assert.deepEqual([...readRecordsSync(empty.toMarc(), { mode: 'lenient' })].map((r) => [r.fields.length, r.errors.map((e) => e.code)]), [[0, ['E107']]], "the writer's own empty record reads back");
});

test('concatenated corrupt files read permissively without a crash (findControlNumber on a broken base address)', () => {
  const input = Buffer.concat(['mrrc-testbed/malformed/invalid_lengths.mrc', 'folio/sample100.mrc', 'mrrc-testbed/malformed/truncated_leader.mrc'].map((f) => fixture(f)));
  const results = [...readResultsSync(input, { mode: 'permissive', eager: true })];
  assert.ok(results.length > 100);
  for (const r of results) assert.ok(r.record !== null || r.errors.length > 0);
});
