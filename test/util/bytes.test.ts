// The byte primitives' Node fast paths must behave as their portable definitions do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyOf, indexOfByte } from '../../src/util/bytes.js';

test('copyOf: an exact copy that shares nothing with the source, small (from the pool) or large', () => {
  for (const size of [0, 1, 1173, 4095, 4096, 70_000]) {
    const backing = new Uint8Array(size + 10).map((_, i) => (i * 7) & 0xff);
    const copy = copyOf(backing.subarray(5, 5 + size));
    const expected = Array.from({ length: size }, (_, i) => ((i + 5) * 7) & 0xff);
    assert.deepEqual([...copy], expected);
    // The reader reuses its chunk buffers: a copy must not see the next chunk's bytes.
    backing.fill(0xee);
    assert.deepEqual([...copy], expected);
  }
});

test('indexOfByte: as Uint8Array.prototype.indexOf, for plain arrays, views and Buffers', () => {
  const bytes = Uint8Array.from([1, 29, 3, 30, 29, 0]);
  for (const input of [bytes, bytes.subarray(1), Buffer.from(bytes), Buffer.from(bytes).subarray(2)]) {
    for (const value of [0, 1, 3, 29, 30, 99]) {
      for (const from of [0, 1, 2, 4, 10]) {
        assert.equal(indexOfByte(input, value, from), Uint8Array.prototype.indexOf.call(input, value, from), `${value} from ${from}`);
      }
    }
  }
});
