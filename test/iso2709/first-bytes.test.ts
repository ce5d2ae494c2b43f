/*
 * Input that is no MARC at all, recognisable by its first bytes (compressed, an archive, UTF-16
 * text), gets its
 * first record's error saying so, in every mode, on every reading path, instead of only a
 * baffling E001/E003/E009.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { readFormatResults, readFormatResultsSync, readFormatSync, readRecords, readResultsSync } from '../../src/index.js';
import { MarcError, type Mode } from '../../src/errors.js';
import { FIXTURES } from '../helpers.js';
import { foreignSignature, SIGNATURE_BYTES } from '../../src/util/bytes.js';

const sample = readFileSync('samples/loc-bibliographic.mrc');
const inputs: [string, Buffer, RegExp][] = [
  ['gzip', gzipSync(sample), /; the input starts with gzip's magic bytes 1f 8b: decompress it first/],
  ['UTF-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0"?><collection/>', 'utf16le')]), /; the input starts with a UTF-16 byte order mark/],
  ['UTF-16 without a byte order mark', Buffer.from('<?xml version="1.0"?><collection/>', 'utf16le'), /; the input looks like UTF-16 \(a zero in every other byte\)/],
  ['xz', readFileSync(FIXTURES + 'packed/one.mrc.xz'), /; the input is xz-compressed \(by its magic bytes\): decompress it first/],
  ['zip', readFileSync(FIXTURES + 'packed/one.zip'), /; the input is a zip archive: take the MARC file out of it first/],
  ['tar', readFileSync(FIXTURES + 'packed/one.tar'), /; the input is a tar archive: take the MARC file out of it first/],
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

test('no fixture but the packed ones is taken for a compressed file, an archive or UTF-16', () => {
  const taken: string[] = [];
  let files = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        files++;
        const signature = foreignSignature(readFileSync(path).subarray(0, SIGNATURE_BYTES));
        if (signature !== null && !path.includes('/packed/')) taken.push(`${signature} ${path}`);
      }
    }
  };
  walk(FIXTURES);
  assert.ok(files > 500, `${files} files`);
  assert.deepEqual(taken, []);
});

test('a text format named outright: the first record\'s error says what the input is too (whole, in pieces, every mode)', async () => {
  for (const [what, bytes, hint] of inputs) {
    for (const format of ['marcxml', 'marcjson', 'mrk', 'text']) {
      for (const mode of ['strict', 'lenient', 'permissive'] as const) {
        const label = `${what} as ${format}, ${mode}`;
        const first = (results: () => Iterable<{ errors: MarcError[]; record: { errors: MarcError[] } | null }>): MarcError => {
          try {
            for (const r of results()) {
              const e = (r.record === null ? r.errors : r.record.errors)[0];
              if (e !== undefined) return e;
            }
          } catch (e) {
            if (e instanceof MarcError) return e;
            throw e;
          }
          return assert.fail(`${label}: no error at all`);
        };
        assert.match(first(() => readFormatResultsSync(bytes, { format, mode })).message, hint, label);
        const pieces: MarcError[] = [];
        try {
          // Every signature is told from six bytes but tar's, at byte 257: a parser that stops
          // before then is given the first six bytes' hint alone.
          const cut = what === 'tar' ? 300 : 9;
          for await (const r of readFormatResults([bytes.subarray(0, 3), bytes.subarray(3, cut), bytes.subarray(cut)], { format, mode })) {
            pieces.push(...(r.record === null ? r.errors : r.record.errors));
            if (pieces.length > 0) break;
          }
        } catch (e) {
          if (!(e instanceof MarcError)) throw e;
          pieces.push(e);
        }
        assert.match(pieces[0]?.message ?? '', hint, `${label}, in pieces`);
      }
    }
  }
});
