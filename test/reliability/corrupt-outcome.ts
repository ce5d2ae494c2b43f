/**
 * The outcome of reading one corrupt file in one mode, as a comparable summary: how many records
 * came back, how many frames were skipped, which error codes were reported, and what (if
 * anything) was thrown. Used by the generator of test/fixtures/corrupt/expected.json and the test.
 */
import { MarcError, type Mode } from '../../src/errors.js';
import { readResultsSync, type ReadResult } from '../../src/iso2709/reader.js';
import { readFormatResultsSync } from '../../src/formats/index.js';

export type CorruptFormat = 'iso2709' | 'marcxml' | 'marcjson' | 'text';

export interface Outcome {
  records: number;
  skipped: number;
  /** Codes reported on skipped frames and as repairs on records, sorted, each once. */
  codes: string[];
  /** Code of the error that stopped the read, or null when it ran to the end. */
  threw: string | null;
}

export function formatOf(path: string): CorruptFormat {
  if (/\.xml$|marcxml\/erroneous$/.test(path)) return 'marcxml';
  if (/\.json$|json\/erroneous$/.test(path)) return 'marcjson';
  if (/\.txt$|text\/erroneous$/.test(path)) return 'text';
  return 'iso2709';
}

export function outcome(bytes: Uint8Array, format: CorruptFormat, mode: Mode): Outcome {
  const out: Outcome = { records: 0, skipped: 0, codes: [], threw: null };
  const codes = new Set<string>();
  const results: Iterable<ReadResult> = format === 'iso2709'
    ? readResultsSync(bytes, { mode, maxErrors: 1e9 })
    : readFormatResultsSync(bytes, { format, mode, maxErrors: 1e9 });
  try {
    for (const result of results) {
      if (result.record === null) {
        out.skipped++;
      } else {
        // Field decoding is lazy: decode now so its problems count in this mode too.
        result.record.decodeAll();
        out.records++;
      }
      for (const e of result.errors) codes.add(e.code);
      if (result.record !== null) for (const e of result.record.errors) codes.add(e.code);
    }
  } catch (e) {
    if (!(e instanceof MarcError)) throw e;
    out.threw = e.code;
  }
  out.codes = [...codes].sort();
  return out;
}
