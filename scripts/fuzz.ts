/**
 * Mutation fuzzer for every reader: ISO 2709, MARCXML, MARC-in-JSON, MARCMaker (.mrk) and the
 * MARC-8 decoder, each in every mode.
 *
 *   npm run fuzz -- --seed 1 --seconds 60 --target all
 *   npm run fuzz -- --seed 1 --replay 4711          (one input again, with its full report)
 *
 * Inputs are real records from test/fixtures (never ../shared, so CI needs nothing else), mutated:
 * bit flips, digit changes in the leader and directory, truncation, splicing two inputs, inserted
 * terminators, deleted and duplicated ranges, or plain random bytes. Input `i` of seed `s` is made
 * from its own PRNG seeded with (s, i), so any one input can be rebuilt from those two numbers.
 *
 * Invariants checked on every input:
 * - only MarcError escapes (no TypeError, RangeError, stack overflow), including from the lazy
 *   field decoding and the writers that run on every record a reader returns;
 * - the input finishes within PER_INPUT_MS (a loop that never ends is caught by the watchdog
 *   thread, which kills the worker and reports the input);
 * - the heap stays under a bound;
 * - ISO 2709, permissive: the results tile the input, every byte belongs to a record or a reported
 *   error; any chunking frames exactly as one buffer does; a strict read that succeeds gives the
 *   same records in lenient and permissive mode;
 * - text formats, permissive: nothing is thrown at all (a bad record is reported, not fatal),
 *   except E008 / E099, which stop reading by design; their results also tile the input like
 *   ISO 2709's (each result's offset and raw bytes are the input's; between them only whitespace,
 *   brackets and commas, blank lines, XML markup that is no record: see TEXT_GAPS), and any
 *   chunking gives the same results as one buffer.
 *
 * A failing input is minimised (while it fails the same way) and, with --save, written to
 * test/fixtures/fuzz-regressions/ where test/reliability/fuzz-regressions.test.ts replays it.
 */

import { rng } from '../test/helpers.js';
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { MarcError, type Mode } from '../src/errors.js';
import { Iso2709Framer, type Frame } from '../src/iso2709/framer.js';
import { readResultsSync } from '../src/iso2709/reader.js';
import { createParser, readFormatResultsSync, writeFormatSync } from '../src/formats/index.js';
import { decodeMarc8, encodeMarc8 } from '../src/encoding/marc8/index.js';
import { concatBytes } from '../src/util/bytes.js';
import type { Marc8DecoderOptions } from '../src/encoding/marc8/index.js';
import type { DecodeProblem } from '../src/encoding/charset.js';
import type { Record } from '../src/record/record.js';
import type { ReadResult } from '../src/iso2709/reader.js';

export const TARGETS = ['iso2709', 'marcxml', 'marcjson', 'mrk', 'text', 'marc8'] as const;
export type Target = (typeof TARGETS)[number];
export const MODES: readonly Mode[] = ['strict', 'lenient', 'permissive'];

/** An input taking longer than this (all modes together) is a failure. */
export const PER_INPUT_MS = 1000;
/** The watchdog gives up on an input after this long: it is stuck, not slow. */
export const HANG_MS = 10_000;
/** Heap allowed to the fuzzing thread; inputs are at most a few hundred KiB. */
export const HEAP_LIMIT_MB = 512;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures');
export const REGRESSIONS = join(FIXTURES, 'fuzz-regressions');

// ---------------------------------------------------------------- randomness

/** mulberry32, shared with the tests: small, fast, and the same on every platform. */
export const prng = rng;

function mix(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

class Rand {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------- seeds

export interface Seeds {
  iso2709: Uint8Array[];
  marcxml: Uint8Array[];
  marcjson: Uint8Array[];
  mrk: Uint8Array[];
  text: Uint8Array[];
  /** MARC-8 field data: ISO 2709 records read as MARC-8 are mostly that. */
  marc8: Uint8Array[];
}

const ISO_SEED_FILES = [
  'pymarc', 'marc8', 'mrrc', 'mrrc-testbed/malformed', 'mrrc-testbed/edge_cases', 'mrrc-testbed/authority',
  'marc4js', 'marcjs', 'ruby-marc', 'yaz-marccol', 'formats/yaz', 'corrupt',
];
const MAX_RECORDS_PER_FILE = 12;

function filesUnder(dir: string, pattern: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names.sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, pattern));
    else if (pattern.test(name)) out.push(full);
  }
  return out;
}

const utf8 = new TextEncoder();

/** Real records from the fixtures, one input per record (plus whole small files), in every format. */
export function loadSeeds(): Seeds {
  const iso: Uint8Array[] = [];
  const records: Record[] = [];
  for (const folder of ISO_SEED_FILES) {
    for (const file of filesUnder(join(FIXTURES, folder), /\.(mrc|dat|marc|bin)$/i)) {
      const bytes = new Uint8Array(readFileSync(file));
      if (bytes.length <= 4096) iso.push(bytes);
      let n = 0;
      try {
        for (const result of readResultsSync(bytes, { mode: 'permissive', maxErrors: 1e9 })) {
          iso.push(result.raw.slice());
          if (result.record !== null) records.push(result.record);
          if (++n >= MAX_RECORDS_PER_FILE) break;
        }
      } catch {
        // a file the reader refuses whole is still a seed as raw bytes
      }
    }
  }
  const text = (format: string, options: object, pattern: RegExp): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (const file of filesUnder(join(FIXTURES, 'formats'), pattern)) {
      const bytes = readFileSync(file);
      if (bytes.length <= 64 * 1024) out.push(new Uint8Array(bytes));
    }
    // Every real record written in the format too, one input per pair of records.
    for (let i = 0; i + 1 < records.length; i += 2) {
      try {
        out.push(utf8.encode(writeFormatSync([records[i] as Record, records[i + 1] as Record], { format, ...options })));
      } catch {
        // a record the writer refuses is not a seed for the reader
      }
    }
    return out;
  };
  const marc8: Uint8Array[] = [];
  for (const bytes of iso) {
    // The field data of MARC-8 records (leader/09 blank): everything after the directory.
    if (bytes.length < 25 || bytes[9] !== 0x20) continue;
    const base = Number(new TextDecoder().decode(bytes.subarray(12, 17)));
    if (Number.isInteger(base) && base > 24 && base < bytes.length) marc8.push(bytes.slice(base));
  }
  for (const line of readFileSync(join(FIXTURES, 'marc8/test_marc8.txt'), 'latin1').split('\n').slice(0, 400)) {
    marc8.push(new Uint8Array(Buffer.from(line, 'latin1')));
  }
  return {
    iso2709: iso,
    marcxml: text('marcxml', {}, /\.(xml|marcxml)$/),
    marcjson: text('marcjson', {}, /\.json$/),
    mrk: [...text('mrk', { encoding: 'utf-8' }, /\.mrk$/), ...text('mrk', { encoding: 'marc-8' }, /^$/)],
    // Line dumps: yaz-marcdump's style (`mrrc dump`), and marc4js's and natlibfi's.
    text: [...text('text', {}, /\.txt$/), ...text('text', { style: 'marc4js' }, /^$/), ...text('text', { style: 'natlibfi' }, /^$/)],
    marc8,
  };
}

/**
 * Inputs are made from the seed files, so `--replay` rebuilds an input only with the same
 * fixtures: the fingerprint printed with every run says which set it was.
 */
export function seedsFingerprint(seeds: Seeds): string {
  const hash = createHash('sha256');
  for (const target of TARGETS) for (const s of seeds[target]) hash.update(s);
  return `${TARGETS.map((t) => seeds[t].length).join('/')} ${hash.digest('hex').slice(0, 10)}`;
}

// ---------------------------------------------------------------- mutation

const TERMINATORS = [0x1d, 0x1e, 0x1f, 0x1b, 0x00, 0x0a, 0x3c, 0x7b, 0x22, 0x24, 0x3d];

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

function randomBytes(r: Rand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const ascii = r.chance(0.5);
  for (let i = 0; i < n; i++) out[i] = ascii ? 0x20 + r.int(0x5f) : r.int(256);
  return out;
}

/** Positions of digits a reader trusts: leader lengths and addresses, and directory entries. */
function structuralDigit(r: Rand, b: Uint8Array): number {
  if (b.length < 24) return r.int(Math.max(1, b.length));
  if (r.chance(0.4)) return r.pick([0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23]);
  const entries = Math.max(1, Math.floor((Math.min(b.length, 24 + 12 * 40) - 24) / 12));
  return Math.min(b.length - 1, 24 + 12 * r.int(entries) + r.int(12));
}

function mutateOnce(r: Rand, input: Uint8Array, seeds: Uint8Array[]): Uint8Array {
  const b = input.slice();
  const n = b.length;
  switch (r.int(11)) {
    case 0: { // bit flips
      if (n === 0) return b;
      const k = 1 + r.int(8);
      for (let i = 0; i < k; i++) {
        const at = r.int(n);
        b[at] = (b[at] as number) ^ (1 << r.int(8));
      }
      return b;
    }
    case 1: { // a digit of the leader or directory becomes another digit, or not a digit
      if (n === 0) return b;
      const at = structuralDigit(r, b);
      b[at] = r.chance(0.8) ? 0x30 + r.int(10) : r.pick([0x20, 0x2d, 0x41, 0xff, 0x00]);
      return b;
    }
    case 2: // truncation
      return b.slice(0, r.int(n + 1));
    case 3: { // splice: the start of this one and the end of another
      const other = r.pick(seeds);
      return concat(b.subarray(0, r.int(n + 1)), other.subarray(r.int(other.length + 1)));
    }
    case 4: { // inserted terminators and delimiters
      const at = r.int(n + 1);
      const k = 1 + r.int(3);
      const ins = new Uint8Array(k);
      for (let i = 0; i < k; i++) ins[i] = r.pick(TERMINATORS);
      return concat(b.subarray(0, at), ins, b.subarray(at));
    }
    case 5: { // overwrite with a terminator
      if (n === 0) return b;
      b[r.int(n)] = r.pick(TERMINATORS);
      return b;
    }
    case 6: { // delete a range
      const at = r.int(n + 1);
      return concat(b.subarray(0, at), b.subarray(Math.min(n, at + 1 + r.int(64))));
    }
    case 7: { // duplicate a range
      const at = r.int(n + 1);
      const end = Math.min(n, at + 1 + r.int(256));
      return concat(b.subarray(0, end), b.subarray(at, end), b.subarray(end));
    }
    case 8: { // two whole inputs in a row (records after a damaged one)
      return concat(b, r.pick(seeds));
    }
    case 9: { // random bytes inserted
      const at = r.int(n + 1);
      return concat(b.subarray(0, at), randomBytes(r, 1 + r.int(32)), b.subarray(at));
    }
    default: { // an interesting byte anywhere
      if (n === 0) return b;
      b[r.int(n)] = r.pick([0x00, 0x20, 0x30, 0x39, 0x7f, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xff, 0xed]);
      return b;
    }
  }
}

/** Input `index` of `seed` for `target`: the same bytes on every run. */
export function makeInput(seeds: Seeds, target: Target, seed: number, index: number): Uint8Array {
  const r = new Rand(prng(mix(seed, index)));
  const pool = seeds[target].length > 0 ? seeds[target] : seeds.iso2709;
  if (r.chance(0.04)) return randomBytes(r, r.int(2048));
  let input = r.pick(pool);
  const rounds = 1 + r.int(r.chance(0.2) ? 12 : 4);
  for (let i = 0; i < rounds; i++) input = mutateOnce(r, input, pool);
  // Keep inputs small: the invariants are about structure, and time per input is bounded.
  return input.length > 256 * 1024 ? input.subarray(0, 256 * 1024) : input;
}

// ---------------------------------------------------------------- invariants

export class InvariantFailure extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const frame = (e.stack ?? '').split('\n').find((l) => l.includes('/src/')) ?? '';
    return `${e.name}: ${e.message}${frame === '' ? '' : ' ' + frame.trim()}`;
  }
  return String(e);
}

/** Rethrows anything but a MarcError as an invariant failure, naming what was being done. */
function guard<T>(what: string, fn: () => T): T | MarcError {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MarcError) return e;
    throw new InvariantFailure('crash', `${what}: ${describe(e)}`);
  }
}

/** Everything a caller may do with a record returned by a reader: all of it must be safe. */
function exercise(record: Record, what: string): void {
  guard(`${what}: decodeAll`, () => record.decodeAll());
  guard(`${what}: toJSON`, () => JSON.stringify(record.toJSON()));
  guard(`${what}: leader`, () => record.leader.value);
  guard(`${what}: get(245)`, () => record.get('245'));
  guard(`${what}: toMarc`, () => record.toMarc());
  guard(`${what}: toMarc marc-8`, () => record.toMarc({ encoding: 'marc-8' }));
  guard(`${what}: marcxml`, () => writeFormatSync([record], { format: 'marcxml' }));
  guard(`${what}: marcjson`, () => writeFormatSync([record], { format: 'marcjson' }));
  guard(`${what}: mrk`, () => writeFormatSync([record], { format: 'mrk' }));
}

/** Every result, or the error that stopped the read (the results before it left in `out`). */
function collect(what: string, results: () => Iterable<ReadResult>, out: ReadResult[] = []): ReadResult[] | MarcError {
  return guard(what, () => {
    for (const result of results()) out.push(result);
    return out;
  });
}

function checkIso2709(input: Uint8Array): void {
  const byMode = new Map<Mode, ReadResult[] | MarcError>();
  for (const mode of MODES) {
    const got = collect(`iso2709 ${mode}`, () => readResultsSync(input, { mode, maxErrors: 1e9 }));
    byMode.set(mode, got);
    if (got instanceof MarcError) {
      if (mode === 'permissive') throw new InvariantFailure('permissive-throws', `iso2709 permissive threw ${got.message}`);
      continue;
    }
    for (const result of got) if (result.record !== null) exercise(result.record, `iso2709 ${mode} record ${result.recordIndex}`);
  }
  const permissive = byMode.get('permissive') as ReadResult[];
  // An eager read (as `mrrc check` reads) frames the same records and never throws in permissive mode.
  const eager = collect('iso2709 permissive eager', () => readResultsSync(input, { mode: 'permissive', maxErrors: 1e9, eager: true }));
  if (eager instanceof MarcError) throw new InvariantFailure('permissive-throws', `iso2709 permissive eager threw ${eager.message}`);
  if (eager.map(resultFrame).join(',') !== permissive.map(resultFrame).join(',')) throw new InvariantFailure('mode-consistency', 'iso2709: an eager permissive read frames differently');
  // Every byte accounted for: results tile [0, length).
  let at = 0;
  for (const result of permissive) {
    if (result.recordOffset < at || !onlySeparators(input, at, result.recordOffset)) throw new InvariantFailure('accounting', `iso2709 permissive: bytes ${at}–${result.recordOffset} belong to no record and no error`);
    if (result.record === null && result.errors.length === 0) throw new InvariantFailure('accounting', `iso2709 permissive: result ${result.recordIndex} skipped without an error`);
    at = result.recordOffset + result.raw.length;
  }
  if (!onlySeparators(input, at, input.length)) throw new InvariantFailure('accounting', `iso2709 permissive: bytes ${at}–${input.length} belong to no record and no error`);
  // A read strict accepts is one the other modes agree with.
  const strict = byMode.get('strict');
  if (Array.isArray(strict)) {
    for (const mode of ['lenient', 'permissive'] as const) {
      const other = byMode.get(mode);
      const a = strict.map(resultFrame).join(',');
      const b = Array.isArray(other) ? other.map(resultFrame).join(',') : String(other);
      if (a !== b) throw new InvariantFailure('mode-consistency', `iso2709: strict read ${strict.length} results, ${mode} disagrees`);
    }
  }
  // Any chunking frames as one buffer does.
  const whole = [...Iso2709Framer.frames(input)].map(frameKey).join(',');
  const r = new Rand(prng(input.length * 7919 + (input[0] ?? 0)));
  for (const copy of [false, true]) {
    const framer = new Iso2709Framer({ copy });
    const frames: Frame[] = [];
    const chunked = guard('iso2709 framer', () => {
      let pos = 0;
      while (pos < input.length) {
        const size = 1 + r.int(r.chance(0.5) ? 8 : 600);
        framer.push(input.subarray(pos, pos + size), frames);
        pos += size;
      }
      framer.end(frames);
      return frames.map(frameKey).join(',');
    });
    if (chunked instanceof MarcError) throw new InvariantFailure('chunking', `iso2709 framer threw on chunks: ${chunked.message}`);
    if (chunked !== whole) throw new InvariantFailure('chunking', 'iso2709: chunked framing differs from one buffer');
  }
}

/**
 * The scanner skips line ends, 0x1A and space / NUL padding between records by design (see
 * scanner.ts): they carry no data, so a gap made only of them loses nothing.
 */
function onlySeparators(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b !== 0x0a && b !== 0x0d && b !== 0x1a && b !== 0x20 && b !== 0x00) return false;
  }
  return true;
}

function frameKey(f: Frame): string {
  return `${f.offset}+${f.bytes.length}${f.junk ? 'j' : ''}${f.problem?.code ?? ''}`;
}

/** Errors that end a text read in every mode on purpose: limits and the error budget. */
const FATAL_BY_DESIGN = new Set(['E008', 'E099']);

type TextTarget = 'marcxml' | 'marcjson' | 'mrk' | 'text';

const JSON_SEPARATORS = new Set([0x20, 0x09, 0x0a, 0x0d, 0x2c, 0x5b, 0x5d]);
const gapDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Between MARC-in-JSON records: whitespace, array brackets and commas, byte order marks. */
function jsonGap(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (JSON_SEPARATORS.has(bytes[i] as number)) continue;
    if (bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

/** Between MARCMaker records: blank lines (whitespace only, as the reader's `trim()` sees it). */
function mrkGap(bytes: Uint8Array): boolean {
  const text = gapDecoder.decode(bytes);
  return !text.includes('\ufffd') && text.trim() === '';
}

/** One token of markup or text, where it may stand outside a MARC record. */
const XML_GAP_TOKEN = /\s+|[^<]+|<\?[^]*?\?>|<!--[^]*?-->|<!\[CDATA\[[^]*?\]\]>|<\/([^\s<>/="']+)\s*>|<([^\s<>/="'!?][^\s<>/="']*)(?:\s+[^\s<>/="']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*\/?>/y;
/** Elements of a MARC record's content: outside a record, they are a record read as nothing. */
const MARC_CONTENT = new Set(['leader', 'controlfield', 'datafield', 'subfield']);

/**
 * Between MARCXML records: what is markup and no record — whitespace, byte order marks, the XML
 * declaration and other processing instructions, comments, and envelopes (<collection>, OAI-PMH,
 * SRU, any other element, with its text), in whole, well-formed tokens. Never a record's content
 * (a leader or a field element), and never markup the reader could not have read without a report.
 */
export function xmlGap(bytes: Uint8Array): boolean {
  const text = gapDecoder.decode(bytes);
  XML_GAP_TOKEN.lastIndex = 0;
  while (XML_GAP_TOKEN.lastIndex < text.length) {
    const m = XML_GAP_TOKEN.exec(text);
    if (m === null) return false;
    const name = m[2];
    if (name !== undefined && MARC_CONTENT.has(name.slice(name.indexOf(':') + 1))) return false;
  }
  return true;
}

/**
 * Text formats whose permissive results must tile the input, with what may lie between two
 * results (bytes that are no record: whitespace, brackets, an envelope).
 */
const TEXT_GAPS: { readonly [F in TextTarget]?: (gap: Uint8Array) => boolean } = {
  marcxml: xmlGap,
  marcjson: jsonGap,
  mrk: mrkGap,
};

/**
 * Every byte accounted for: each result stands for `raw`, the input's bytes at `recordOffset`;
 * results are in order and do not overlap; what lies between them is only what `gap` allows.
 */
function checkTiling(what: string, input: Uint8Array, results: readonly ReadResult[], gap: (bytes: Uint8Array) => boolean): void {
  let at = 0;
  for (const result of results) {
    const raw = result.raw;
    const start = result.recordOffset;
    if (!Number.isInteger(start) || start < at || start + raw.length > input.length) {
      throw new InvariantFailure('accounting', `${what}: result ${result.recordIndex} at byte ${start}+${raw.length} overlaps or runs past the previous one (ends at ${at}) or the input (${input.length})`);
    }
    if (!equalBytes(raw, input, start)) throw new InvariantFailure('accounting', `${what}: result ${result.recordIndex}'s raw bytes are not the input's at byte ${start}`);
    if (!gap(input.subarray(at, start))) throw new InvariantFailure('accounting', `${what}: bytes ${at}–${start} belong to no record and no error`);
    at = start + raw.length;
  }
  if (!gap(input.subarray(at))) throw new InvariantFailure('accounting', `${what}: bytes ${at}–${input.length} belong to no record and no error`);
}

function equalBytes(raw: Uint8Array, input: Uint8Array, at: number): boolean {
  for (let i = 0; i < raw.length; i++) if (raw[i] !== input[at + i]) return false;
  return true;
}

function resultFrame(r: ReadResult): string {
  return `${r.recordOffset}:${r.raw.length}:${r.record === null ? '-' : 'r'}`;
}

function resultKey(r: ReadResult): string {
  return `${r.recordOffset}+${r.raw.length}${r.record === null ? '-' : 'r'}${r.errors.map((e) => e.code).join('')}`;
}

function checkText(format: TextTarget, input: Uint8Array): void {
  // Eager reads (as `mrrc check` reads) look through every record's text: never a throw in permissive mode.
  const variants: object[] = format === 'mrk' ? [{}, { encoding: 'utf-8' }, { encoding: 'marc-8' }, { eager: true }] : [{}, { eager: true }];
  const gap = TEXT_GAPS[format];
  for (const extra of variants) {
    // What strict mode handed out before it stopped, and at which record it stopped.
    let strictStop: { before: ReadResult[]; error: MarcError } | null = null;
    for (const mode of MODES) {
      const what = `${format} ${mode}${Object.keys(extra).length > 0 ? ' ' + JSON.stringify(extra) : ''}`;
      const options = { format, mode, maxErrors: 1e9, ...extra };
      const before: ReadResult[] = [];
      const got = collect(what, () => readFormatResultsSync(input, options), before);
      if (got instanceof MarcError) {
        if (mode === 'permissive' && !FATAL_BY_DESIGN.has(got.code)) throw new InvariantFailure('permissive-throws', `${what} threw ${got.message}`);
        if (mode === 'strict') {
          strictStop = { before, error: got };
          // Every record before the one strict mode stopped at was handed out.
          if (got.recordIndex !== undefined && got.recordIndex !== before.length) throw new InvariantFailure('mode-consistency', `${what}: stopped at record ${got.recordIndex} having handed out ${before.length}`);
        }
        continue;
      }
      if (mode === 'lenient' && strictStop !== null) {
        // They are the records lenient mode reads first (strict stops at the first repair).
        const a = strictStop.before.map(resultFrame).join(',');
        const b = got.slice(0, strictStop.before.length).map(resultFrame).join(',');
        if (a !== b) throw new InvariantFailure('mode-consistency', `${what}: the ${strictStop.before.length} records strict mode handed out before ${strictStop.error.code} are not lenient mode's first`);
      }
      for (const result of got) {
        if (result.record === null && result.errors.length === 0) throw new InvariantFailure('accounting', `${what}: result ${result.recordIndex} skipped without an error`);
        guard(`${what} raw`, () => result.raw);
        if (result.record !== null) exercise(result.record, `${what} record ${result.recordIndex}`);
      }
      if (mode !== 'permissive' || gap === undefined) continue;
      checkTiling(what, input, got, gap);
      // Offsets and raw bytes do not depend on where the chunks were cut (UTF-8 sequences too).
      const r = new Rand(prng(input.length * 7919 + (input[0] ?? 0)));
      const chunked = collect(`${what} chunked`, () => {
        const parser = createParser(format, options);
        const out: ReadResult[] = [];
        for (let pos = 0; pos < input.length;) {
          const size = 1 + r.int(r.chance(0.5) ? 8 : 600);
          out.push(...parser.push(input.subarray(pos, pos + size)));
          pos += size;
        }
        out.push(...parser.end());
        return out;
      });
      const a = got.map(resultKey).join(',');
      const b = chunked instanceof MarcError ? `threw ${chunked.code}` : chunked.map(resultKey).join(',');
      if (a !== b) throw new InvariantFailure('chunking', `${what}: chunked reading gives other results than one buffer`);
    }
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const MARC8_OPTIONS: Marc8DecoderOptions[] = [
  {}, { normalize: 'NFD' }, { normalize: false }, { ligatureHalves: true }, { expandNcr: false },
  { normalize: false, ligatureHalves: true, expandNcr: false },
];

function checkMarc8(input: Uint8Array): void {
  for (const options of MARC8_OPTIONS) {
    const problems: DecodeProblem[] = [];
    const text = guard(`decodeMarc8 ${JSON.stringify(options)}`, () => decodeMarc8(input, options, problems));
    // The decoder reports through `problems`; it has no reason to throw at all.
    if (text instanceof MarcError) throw new InvariantFailure('crash', `decodeMarc8 threw ${text.message}`);
    if (LONE_SURROGATE.test(text)) throw new InvariantFailure('decode', `decodeMarc8 ${JSON.stringify(options)} returned a lone surrogate`);
    for (const mode of ['lossless', 'strict', 'lossy'] as const) {
      guard(`encodeMarc8 ${mode}`, () => encodeMarc8(text, { mode }));
    }
  }
}

/** Runs every invariant for one input; throws InvariantFailure. Returns the time taken. */
export function checkInput(target: Target, input: Uint8Array): number {
  const started = performance.now();
  switch (target) {
    case 'iso2709': checkIso2709(input); break;
    case 'marcxml': checkText('marcxml', input); break;
    case 'marcjson': checkText('marcjson', input); break;
    case 'mrk': checkText('mrk', input); break;
    case 'text': checkText('text', input); break;
    case 'marc8': checkMarc8(input); break;
  }
  const elapsed = performance.now() - started;
  if (elapsed > PER_INPUT_MS) throw new InvariantFailure('slow', `${target}: took ${Math.round(elapsed)} ms (limit ${PER_INPUT_MS} ms)`);
  return elapsed;
}

/** The failure an input causes, or null. */
export function failureOf(target: Target, input: Uint8Array): InvariantFailure | null {
  const first = failureOnce(target, input);
  // The machine is shared: a stall (GC, another process) can make any input slow once. A real
  // blow-up is slow every time, so only a second slow run counts.
  if (first?.kind === 'slow') return failureOnce(target, input);
  return first;
}

function failureOnce(target: Target, input: Uint8Array): InvariantFailure | null {
  try {
    checkInput(target, input);
    return null;
  } catch (e) {
    if (e instanceof InvariantFailure) return e;
    return new InvariantFailure('crash', `harness: ${describe(e)}`);
  }
}

/** Same kind and same first words: the minimiser keeps a smaller input only if it fails alike. */
function signature(f: InvariantFailure): string {
  return `${f.kind}|${f.message.replace(/\d+/g, '#').slice(0, 80)}`;
}

/** Delta debugging, lite: drop ever smaller ranges while the input still fails the same way. */
export function minimise(target: Target, input: Uint8Array, budgetMs = 10_000): Uint8Array {
  const first = failureOf(target, input);
  if (first === null || first.kind === 'slow') return input;
  const want = signature(first);
  const deadline = performance.now() + budgetMs;
  let best = input;
  for (let size = best.length >> 1; size >= 1 && performance.now() < deadline; size >>= 1) {
    let at = 0;
    while (at < best.length && performance.now() < deadline) {
      const candidate = concat(best.subarray(0, at), best.subarray(at + size));
      const f = failureOf(target, candidate);
      if (f !== null && signature(f) === want) best = candidate;
      else at += size;
    }
  }
  return best;
}

// ---------------------------------------------------------------- the loop

export interface FuzzOptions {
  seed: number;
  /** Stop after this long … */
  seconds?: number;
  /** … or after this many inputs, whichever comes first. */
  iterations?: number;
  targets?: readonly Target[];
  /** First input index (to resume after a hang). */
  from?: number;
}

export interface FuzzFailure {
  target: Target;
  seed: number;
  index: number;
  kind: string;
  message: string;
  input: Uint8Array;
}

export interface FuzzSummary {
  seed: number;
  inputs: number;
  perTarget: { [K in Target]?: number };
  failures: FuzzFailure[];
  slowestMs: number;
  maxHeapMb: number;
  elapsedMs: number;
}

/** Which input is running, for the watchdog: [index, target number, seed]. */
export type Progress = Int32Array;

export function fuzz(options: FuzzOptions, progress?: Progress, seeds: Seeds = loadSeeds()): FuzzSummary {
  const targets = options.targets ?? TARGETS;
  const started = performance.now();
  const deadline = started + (options.seconds ?? Number.POSITIVE_INFINITY) * 1000;
  const limit = options.iterations ?? Number.POSITIVE_INFINITY;
  const summary: FuzzSummary = { seed: options.seed, inputs: 0, perTarget: {}, failures: [], slowestMs: 0, maxHeapMb: 0, elapsedMs: 0 };
  for (let index = options.from ?? 0; summary.inputs < limit && performance.now() < deadline; index++) {
    const target = targets[index % targets.length] as Target;
    if (progress !== undefined) {
      progress[0] = index;
      progress[1] = TARGETS.indexOf(target);
    }
    const input = makeInput(seeds, target, options.seed, index);
    const failure = failureOf(target, input);
    summary.inputs++;
    summary.perTarget[target] = (summary.perTarget[target] ?? 0) + 1;
    if (failure !== null) {
      summary.failures.push({ target, seed: options.seed, index, kind: failure.kind, message: failure.message, input });
      if (summary.failures.length >= 50) break;
    }
    if ((index & 127) === 0) {
      const heap = process.memoryUsage().heapUsed / 1048576;
      summary.maxHeapMb = Math.max(summary.maxHeapMb, heap);
      if (heap > HEAP_LIMIT_MB) {
        summary.failures.push({ target, seed: options.seed, index, kind: 'memory', message: `heap ${Math.round(heap)} MiB after input ${index}`, input });
        break;
      }
    }
  }
  summary.elapsedMs = performance.now() - started;
  return summary;
}

/**
 * Runs `fuzz` in a worker thread watched from here: if one input runs past HANG_MS the worker is
 * terminated, the input is reported as a hang (rebuilt from seed and index), and fuzzing resumes
 * after it. A worker that runs out of heap is reported the same way.
 */
export async function fuzzGuarded(options: FuzzOptions): Promise<FuzzSummary> {
  const total: FuzzSummary = { seed: options.seed, inputs: 0, perTarget: {}, failures: [], slowestMs: 0, maxHeapMb: 0, elapsedMs: 0 };
  const started = performance.now();
  const endAt = started + (options.seconds ?? 60) * 1000;
  let from = options.from ?? 0;
  let seeds: Seeds | null = null;
  while (performance.now() < endAt && total.inputs < (options.iterations ?? Number.POSITIVE_INFINITY)) {
    const shared = new SharedArrayBuffer(8);
    const progress = new Int32Array(shared);
    progress[0] = from;
    const seconds = (endAt - performance.now()) / 1000;
    const iterations = options.iterations === undefined ? undefined : options.iterations - total.inputs;
    // A worker's --import hooks are not in place when its entry module loads; an eval'd
    // entry that registers tsx itself, then imports this file, works under tsx and plain node.
    const worker = new Worker(workerEntry(), {
      eval: true,
      workerData: { options: { ...options, from, seconds, iterations }, shared },
      execArgv: workerExecArgv(),
      resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB * 2 },
    });
    let ready = false;
    const outcome = await new Promise<{ summary?: FuzzSummary; stuck?: number; error?: string }>((resolve) => {
      let last = -1;
      let since = performance.now();
      const timer = setInterval(() => {
        const now = Atomics.load(progress, 0);
        if (now !== last) {
          last = now;
          since = performance.now();
        } else if (performance.now() - since > HANG_MS) {
          clearInterval(timer);
          void worker.terminate();
          resolve({ stuck: now });
        }
      }, 250);
      worker.on('message', (message: FuzzSummary | 'ready') => {
        if (message === 'ready') {
          ready = true;
          return;
        }
        clearInterval(timer);
        resolve({ summary: message });
      });
      worker.once('error', (e) => {
        clearInterval(timer);
        resolve({ stuck: Atomics.load(progress, 0), error: describe(e) });
      });
      worker.once('exit', () => {
        clearInterval(timer);
        resolve({ stuck: Atomics.load(progress, 0), error: 'the worker exited' });
      });
    });
    await worker.terminate();
    if (!ready) throw new Error(`the fuzz worker did not start: ${outcome.error ?? 'stuck loading'}`);
    if (outcome.summary !== undefined) {
      const s = outcome.summary;
      total.inputs += s.inputs;
      for (const [t, n] of Object.entries(s.perTarget)) total.perTarget[t as Target] = (total.perTarget[t as Target] ?? 0) + n;
      total.failures.push(...s.failures.map((f) => ({ ...f, input: new Uint8Array(f.input) })));
      total.maxHeapMb = Math.max(total.maxHeapMb, s.maxHeapMb);
      break;
    }
    const index = outcome.stuck ?? from;
    const targets = options.targets ?? TARGETS;
    const target = targets[index % targets.length] as Target;
    seeds ??= loadSeeds();
    total.failures.push({ target, seed: options.seed, index, kind: outcome.error === undefined ? 'hang' : 'worker-died', message: outcome.error ?? `no progress for ${HANG_MS} ms`, input: makeInput(seeds, target, options.seed, index) });
    total.inputs += index - from + 1;
    from = index + 1;
  }
  total.elapsedMs = performance.now() - started;
  return total;
}

function workerEntry(): string {
  const self = JSON.stringify(import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return `import(${self})`;
  return `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${self}); })`;
}

function workerExecArgv(): string[] {
  return process.execArgv.filter((a, i, all) => !(a === 'tsx' && all[i - 1] === '--import') && !(a === '--import' && all[i + 1] === 'tsx') && !a.startsWith('--import=tsx'));
}

// ---------------------------------------------------------------- regressions

export interface RegressionMeta {
  target: Target;
  seed: number;
  index: number;
  kind: string;
  message: string;
  /** Set by hand while the bug is open: '<file>: <what>'; the replay test is then a todo. */
  todo?: string;
}

/** Saves a failing input (minimised) as `<target>-<hash>.bin` with a `.json` beside it. */
export function saveRegression(failure: FuzzFailure): string {
  mkdirSync(REGRESSIONS, { recursive: true });
  const small = minimise(failure.target, failure.input);
  const hash = createHash('sha256').update(small).digest('hex').slice(0, 12);
  const name = `${failure.target}-${hash}`;
  writeFileSync(join(REGRESSIONS, `${name}.bin`), small);
  const meta: RegressionMeta = { target: failure.target, seed: failure.seed, index: failure.index, kind: failure.kind, message: failure.message };
  writeFileSync(join(REGRESSIONS, `${name}.json`), JSON.stringify(meta, null, 2) + '\n');
  return name;
}

// ---------------------------------------------------------------- command line

function parseArgs(argv: string[]): { seed: number; seconds: number; targets: Target[]; replay?: number; save: boolean; iterations?: number } {
  const out: { seed: number; seconds: number; targets: Target[]; replay?: number; save: boolean; iterations?: number } = { seed: Date.now() % 1e9, seconds: 60, targets: [...TARGETS], save: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--seed') out.seed = Number(value());
    else if (arg === '--seconds') out.seconds = Number(value());
    else if (arg === '--iterations') out.iterations = Number(value());
    else if (arg === '--replay') out.replay = Number(value());
    else if (arg === '--save') out.save = true;
    else if (arg === '--target') {
      const t = value();
      out.targets = t === 'all' ? [...TARGETS] : t.split(',').map((x) => {
        if (!(TARGETS as readonly string[]).includes(x)) throw new Error(`unknown target ${x} (one of ${TARGETS.join(', ')}, all)`);
        return x as Target;
      });
    } else throw new Error(`unknown option ${arg}`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.replay !== undefined) {
    const seeds = loadSeeds();
    const target = args.targets[args.replay % args.targets.length] as Target;
    const input = makeInput(seeds, target, args.seed, args.replay);
    const failure = failureOf(target, input);
    console.log(`${target} seed ${args.seed} index ${args.replay}: ${input.length} bytes: ${failure === null ? 'ok' : `${failure.kind}: ${failure.message}`}`);
    if (failure !== null && args.save) console.log(`saved ${saveRegression({ target, seed: args.seed, index: args.replay, kind: failure.kind, message: failure.message, input })}`);
    process.exitCode = failure === null ? 0 : 1;
    return;
  }
  console.log(`fuzzing ${args.targets.join(', ')} for ${args.seconds} s, seed ${args.seed}, seed set ${seedsFingerprint(loadSeeds())}`);
  const summary = await fuzzGuarded({ seed: args.seed, seconds: args.seconds, targets: args.targets, ...(args.iterations === undefined ? {} : { iterations: args.iterations }) });
  console.log(`${summary.inputs} inputs in ${(summary.elapsedMs / 1000).toFixed(1)} s (${Object.entries(summary.perTarget).map(([t, n]) => `${t} ${n}`).join(', ')}); max heap ${Math.round(summary.maxHeapMb)} MiB; ${summary.failures.length} failures`);
  const seen = new Set<string>();
  for (const f of summary.failures) {
    const key = `${f.target}|${f.kind}|${f.message.replace(/\d+/g, '#')}`;
    const dup = seen.has(key);
    seen.add(key);
    console.log(`  ${dup ? '(same) ' : ''}${f.target} --seed ${f.seed} --replay ${f.index}: ${f.kind}: ${f.message}`);
    if (args.save && !dup) console.log(`    saved test/fixtures/fuzz-regressions/${saveRegression(f)}.bin`);
  }
  process.exitCode = summary.failures.length === 0 ? 0 : 1;
}

if (!isMainThread && (workerData as { shared?: SharedArrayBuffer } | null)?.shared !== undefined) {
  const data = workerData as { options: FuzzOptions; shared: SharedArrayBuffer };
  parentPort?.postMessage('ready');
  const summary = fuzz(data.options, new Int32Array(data.shared));
  parentPort?.postMessage(summary);
} else if (isMainThread && process.argv[1] !== undefined && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  });
}
