import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Iso2709Framer } from '../../src/index.js';
import { findBoundary } from '../../src/parallel/boundary.js';
import { fixture } from '../helpers.js';
import { corpusFiles } from '../io/helpers.js';

test('every cut is a record start of the sequential framing, on every corpus file', () => {
  for (const file of corpusFiles()) {
    const bytes = fixture(file);
    const starts = new Set([...Iso2709Framer.frames(bytes)].map((f) => f.offset));
    starts.add(bytes.length).add(0);
    const readAt = (position: number, length: number): Uint8Array => bytes.subarray(position, position + length);
    const step = Math.max(1, Math.floor(bytes.length / 400));
    for (let from = 0; from <= bytes.length; from += step) {
      const cut = findBoundary(readAt, bytes.length, from);
      assert.ok(cut >= from, `${file}: cut ${cut} before ${from}`);
      assert.ok(starts.has(cut), `${file}: cut at ${cut} (asked ${from}) is not where a sequential read starts a record`);
    }
  }
});

test('cuts find the next record, not a later one, in clean files; long stretches without one slide the window', () => {
  const bytes = fixture('folio/5000.mrc');
  const frames = [...Iso2709Framer.frames(bytes)];
  const readAt = (position: number, length: number): Uint8Array => bytes.subarray(position, position + length);
  for (const f of frames.slice(1, 200)) {
    assert.equal(findBoundary(readAt, bytes.length, f.offset), f.offset);
    assert.equal(findBoundary(readAt, bytes.length, f.offset - 5), f.offset);
  }
  // 600 kB without a boundary: the 256 KiB window slides on until it finds one.
  const big = new Uint8Array(600_000).fill(0x41);
  big[big.length - 1] = 0x1d;
  const head = fixture('pymarc/test.dat');
  const joined = Buffer.concat([head, big, head]);
  const cut = findBoundary((p, l) => joined.subarray(p, p + l), joined.length, head.length + 10);
  assert.equal(cut, head.length + big.length);
  assert.equal(findBoundary((p, l) => joined.subarray(p, p + l), joined.length, joined.length - 3), joined.length);
});
