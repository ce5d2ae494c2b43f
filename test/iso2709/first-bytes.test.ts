/*
 * Input that is no MARC at all, recognisable by its first bytes (gzip, UTF-16 text), gets its
 * first record's error saying so, in every mode, on every reading path, instead of only a
 * baffling E001/E003/E009.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { readFormatSync, readRecords, readResultsSync } from '../../src/index.js';
import { MarcError, type Mode } from '../../src/errors.js';

const sample = readFileSync('samples/loc-bibliographic.mrc');
const inputs: [string, Buffer, RegExp][] = [
  ['gzip', gzipSync(sample), /; the input starts with gzip's magic bytes 1f 8b: decompress it first/],
  ['UTF-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0"?><collection/>', 'utf16le')]), /; the input starts with a UTF-16 byte order mark/],
];

function firstError(input: Uint8Array, mode: Mode): MarcError {
  try {
    for (const result of readResultsSync(input, { mode })) {
      const error = result.errors[0];
      if (error !== undefined) return error;
    }
  } catch (e) {
    if (e instanceof MarcError) return e;
    throw e;
  }
  assert.fail('no error at all');
}

for (const [what, bytes, hint] of inputs) {
  test(`${what} read as ISO 2709: the first error says what the input is (every mode)`, () => {
    for (const mode of ['strict', 'lenient', 'permissive'] as const) assert.match(firstError(bytes, mode).message, hint, mode);
  });

  test(`${what} from a stream: the same`, async () => {
    await assert.rejects(async () => {
      for await (const _ of readRecords(Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]))) { /* nothing */ }
    }, (e: unknown) => e instanceof MarcError && hint.test(e.message));
  });
}

test('the hint is for the input\'s first bytes only: a record further in says nothing of it', () => {
  const later = Buffer.concat([sample.subarray(0, sample.indexOf(0x1d) + 1), Buffer.from([0x1f, 0x8b]), Buffer.from('junk\x1d')]);
  const messages = [...readResultsSync(later, { mode: 'permissive' })].flatMap((r) => r.errors.map((e) => e.message));
  assert.ok(messages.length > 0);
  for (const message of messages) assert.doesNotMatch(message, /gzip/);
});

test('readFormatSync with format auto: the same hint when it cannot tell the format', () => {
  for (const [, bytes, hint] of inputs) {
    assert.throws(() => [...readFormatSync(bytes, { format: 'auto' })], (e: unknown) => e instanceof MarcError && e.code === 'E403' && hint.test(e.message));
  }
});
