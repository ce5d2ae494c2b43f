// Shared by the MARCXML path-against-path tests (marcxml-fast, marcxml-bytes): how a result is
// compared, and the check that each result's bytes are the input's own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ReadResult } from '../../src/iso2709/reader.js';
import { FIXTURES, fixtureFiles } from '../helpers.js';

export const MODES = ['strict', 'lenient', 'permissive'] as const;

export function errorShape(e: unknown): unknown {
  if (!(e instanceof Error)) return String(e);
  return { name: e.name, message: e.message, ...Object.fromEntries(Object.entries(e)) };
}

export function resultShape(r: ReadResult): unknown {
  return {
    record: r.record?.toJSON() ?? null,
    // Comments kept on the record (the property absent when there were none).
    xmlComments: r.record === null ? null : Object.hasOwn(r.record, 'xmlComments') ? r.record.xmlComments : 'absent',
    errors: r.errors.map(errorShape),
    raw: Buffer.from(r.raw).toString('latin1'),
    recordIndex: r.recordIndex,
    recordOffset: r.recordOffset,
  };
}

/** Every result stands for the input's own bytes at its offset, in order, without overlap. */
export function assertInputBytes(input: Uint8Array, results: readonly ReadResult[], label: string): void {
  let at = 0;
  for (const r of results) {
    assert.ok(r.recordOffset >= at, `${label}: result ${r.recordIndex} at ${r.recordOffset} starts before the previous one ends (${at})`);
    assert.ok(Buffer.from(r.raw).equals(input.subarray(r.recordOffset, r.recordOffset + r.raw.length)), `${label}: result ${r.recordIndex}'s raw bytes are not the input's at byte ${r.recordOffset}`);
    at = r.recordOffset + r.raw.length;
  }
}

/** Every MARCXML document among the fixtures (by content: some .xml fixtures are other XML), as full paths. */
export function marcXmlFixturePaths(): string[] {
  return fixtureFiles(/\.(xml|marcxml)$/).map((file) => FIXTURES + file).filter((path) => {
    const text = readFileSync(path, 'latin1');
    return text.includes('MARC21/slim') || /<([A-Za-z_][\w.-]*:)?record[\s>]/.test(text);
  });
}

/** Equal texts; when not, the first difference with some context (whole outputs are too long to read). */
export function assertSameText(actual: string, expected: string, message: string): void {
  if (actual === expected) return;
  let i = 0;
  while (actual[i] === expected[i]) i++;
  assert.equal(actual.slice(Math.max(0, i - 300), i + 300), expected.slice(Math.max(0, i - 300), i + 300), message);
}
