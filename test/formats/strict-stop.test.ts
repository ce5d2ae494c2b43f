/*
 * Strict mode stops at the first record it cannot take, and hands out every record before it:
 * in every text format, from a whole buffer, from a stream of chunks, and in `mrrc convert`.
 * Until session 15 a push's completed records went down with the error (a 1 MiB push of a line
 * format holds a thousand records: `convert --mode strict` of a dump with a bad record 300 wrote
 * none).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRecordsSync } from '../../src/io/sync.js';
import { MarcError } from '../../src/errors.js';
import { createParser, readFormat, readFormatSync, writeFormatSync } from '../../src/formats/index.js';
import { PARSER_SLICE } from '../../src/formats/common.js';
import type { Record } from '../../src/record/record.js';
import { mrrcBytes } from '../cli/helpers.js';

const records = [...readRecordsSync('samples/loc-bibliographic.mrc')];
const BAD = 250;

/** The k-th (0-based) match of `needle` in `text`. */
function nth(text: string, needle: string, k: number): number {
  let at = -1;
  for (let i = 0; i <= k; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `occurrence ${i} of ${needle}`);
  }
  return at;
}

/** Each format's text of the sample with one defect strict mode refuses in record BAD. */
const broken: { [format: string]: () => string } = {
  // A line that is no field (E403).
  text: () => {
    const text = writeFormatSync(records, { format: 'text' });
    const at = text.indexOf('\n', nth(text, '\n\n', BAD - 1) + 2);
    return `${text.slice(0, at)}\nXX${text.slice(at)}`;
  },
  mrk: () => {
    const text = writeFormatSync(records, { format: 'mrk' });
    const at = text.indexOf('\n', nth(text, '=LDR', BAD));
    return `${text.slice(0, at)}\n=24${text.slice(at)}`;
  },
  // A leader of 5 characters (E002).
  marcxml: () => {
    const text = writeFormatSync(records, { format: 'marcxml' });
    const at = nth(text, '<leader>', BAD) + '<leader>'.length;
    return text.slice(0, at + 5) + text.slice(at + 24);
  },
  marcjson: () => {
    const text = writeFormatSync(records, { format: 'marcjson' });
    const at = nth(text, '"leader":"', BAD) + '"leader":"'.length;
    return text.slice(0, at + 5) + text.slice(at + 24);
  },
};

const json = (list: Record[]): unknown[] => list.map((r) => r.toJSON());

for (const [format, make] of Object.entries(broken)) {
  const text = make();

  test(`${format}: strict mode hands out the ${BAD} records before the bad one, then throws`, () => {
    assert.ok(Buffer.byteLength(text) > 3 * PARSER_SLICE, 'the input spans several pushes');
    const got: Record[] = [];
    const error = (() => {
      try {
        for (const record of readFormatSync(Buffer.from(text), { format, mode: 'strict' })) got.push(record);
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(error instanceof MarcError, `${format} threw a MarcError`);
    assert.equal(error.recordIndex, BAD);
    assert.equal(got.length, BAD);
    assert.deepEqual(json(got.slice(-2)), json(records.slice(BAD - 2, BAD)));
  });

  test(`${format}: the same from one push of the whole input (the parser takes it in slices)`, () => {
    const parser = createParser(format, { mode: 'strict' });
    const got = parser.push(Buffer.from(text));
    assert.equal(got.length, BAD, 'the records completed before the stop');
    assert.deepEqual(json(got.slice(-1).map((r) => r.record as Record)), json(records.slice(BAD - 1, BAD)));
    assert.throws(() => parser.end(), (e: unknown) => e instanceof MarcError && e.recordIndex === BAD);
  });

  test(`${format}: the same from chunks of 1 MiB (as the CLI reads)`, async () => {
    const bytes = Buffer.from(text);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 1 << 20) yield bytes.subarray(at, at + (1 << 20));
    }
    let count = 0;
    await assert.rejects(async () => {
      for await (const _ of readFormat(chunks(), { format, mode: 'strict' })) count++;
    }, (e: unknown) => e instanceof MarcError && e.recordIndex === BAD);
    assert.equal(count, BAD);
  });
}

test('mrrc convert --mode strict writes every record before the bad one (each text format)', () => {
  for (const [format, make] of Object.entries(broken)) {
    const run = mrrcBytes(['convert', '--mode', 'strict', '-f', format, '-t', 'marc', '-'], Buffer.from(make()));
    assert.equal(run.status, 1, `${format}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`record ${BAD}\\b`));
    const written = [...readRecordsSync(run.stdout)];
    assert.equal(written.length, BAD, format);
    assert.deepEqual(json(written.slice(-1)), json(records.slice(BAD - 1, BAD)), format);
  }
});
