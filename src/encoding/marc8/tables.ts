/**
 * Unpacks the generated MARC-8 tables into lookup arrays.
 *
 * The generated module holds base64 strings rather than literals so that importing it costs one
 * string scan (about a millisecond) instead of parsing a 16,000-entry object. The single-byte sets
 * are unpacked on import; EACC on the first CJK character and the Unicode → MARC-8 direction on the
 * first encode, so reading Latin MARC-8 never pays for either.
 */

import {
  C1_CONTROLS,
  EACC_ASTRAL,
  EACC_BASE64,
  EACC_COUNT,
  EACC_PREFERRED,
  EACC_ROW_COUNT,
  EACC_SET,
  FLAG_COMBINING,
  FLAG_SECOND_HALF,
  HALVES,
  REVERSE_EXTRA,
  SET_FINALS,
  SINGLE_BYTE_BASE64,
} from './tables.generated.js';

export { EACC_SET, FLAG_COMBINING, FLAG_SECOND_HALF };

export const ASCII_SET = 0;
export const ANSEL_SET = 1;
export const GREEK_SYMBOLS_SET = 2;
export const SUBSCRIPT_SET = 3;
export const SUPERSCRIPT_SET = 4;
export const HEBREW_SET = 5;
export const CYRILLIC_SET = 6;
export const EXTENDED_CYRILLIC_SET = 7;
export const ARABIC_SET = 8;
export const EXTENDED_ARABIC_SET = 9;
export const GREEK_SET = 10;

export const SET_NAMES: readonly string[] = [
  'Basic Latin (ASCII)',
  'Extended Latin (ANSEL)',
  'Greek symbols',
  'Subscripts',
  'Superscripts',
  'Basic Hebrew',
  'Basic Cyrillic',
  'Extended Cyrillic',
  'Basic Arabic',
  'Extended Arabic',
  'Basic Greek',
  'East Asian (EACC)',
];

/** Final byte of each set's designation escape, by set index. */
export const SET_FINAL_BYTES: readonly number[] = Array.from(SET_FINALS, (c) => c.charCodeAt(0));

/** Set index for an escape's final byte, or -1. 's' is technique 1's name for ASCII. */
export const SET_BY_FINAL = new Int8Array(128).fill(-1);
SET_FINAL_BYTES.forEach((b, i) => (SET_BY_FINAL[b] = i));
SET_BY_FINAL[0x73] = ASCII_SET;

const SINGLE_SETS = SET_FINALS.length - 1;

function fromBase64(text: string): Uint8Array {
  const NodeBuffer = (globalThis as { Buffer?: { from(s: string, e: 'base64'): Uint8Array } }).Buffer;
  if (NodeBuffer !== undefined) return NodeBuffer.from(text, 'base64');
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Single-byte sets: `SINGLE[set * 128 + (byte & 0x7f)]` is a code point ORed with FLAG_* bits,
 * or 0 when the position is unmapped. The ligature halves follow LC's primary mapping.
 */
export const SINGLE = new Int32Array(SINGLE_SETS * 128);
{
  const raw = fromBase64(SINGLE_BYTE_BASE64);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let s = 0; s < SINGLE_SETS; s++) {
    for (let p = 0; p < 96; p++) SINGLE[s * 128 + 0x20 + p] = view.getUint32((s * 96 + p) * 4, true);
  }
}

let singleHalves: Int32Array | undefined;
/** The same table with the halves mapped to U+FE20–FE23, as pymarc and pre-2004 LC tables do. */
export function singleWithHalves(): Int32Array {
  if (singleHalves === undefined) {
    singleHalves = SINGLE.slice();
    for (let i = 0; i < HALVES.length; i += 3) {
      singleHalves[(HALVES[i] as number) * 128 + (HALVES[i + 1] as number)] = (HALVES[i + 2] as number) | FLAG_COMBINING;
    }
  }
  return singleHalves;
}

/** C1 controls 0x80–0x9F, whatever G1 holds: `C1[byte - 0x80]` is a code point or 0. */
export const C1 = new Int32Array(32);
for (let i = 0; i < C1_CONTROLS.length; i += 2) C1[(C1_CONTROLS[i] as number) - 0x80] = C1_CONTROLS[i + 1] as number;

export interface EaccTables {
  /** `rows[(b1 - 0x20) * 96 + (b2 - 0x20)]`: row number, or -1 when no code starts with b1 b2. */
  readonly rows: Int16Array;
  /** `cells[row * 96 + (b3 - 0x20)]`: BMP code point; 0 unmapped; 0xFFFF look in `astral`. */
  readonly cells: Uint16Array;
  readonly astral: Map<number, number>;
  /** Every code in ascending order, and its code point (for the reverse table and tests). */
  readonly codes: Int32Array;
  readonly values: Int32Array;
}

let eaccTables: EaccTables | undefined;

/**
 * EACC in two levels, for constant-time lookups (about 190 KB for LC's 981 rows). Unpacked on
 * first use: most MARC-8 never designates EACC, and loading stays under a millisecond.
 */
export function eacc(): EaccTables {
  if (eaccTables !== undefined) return eaccTables;
  const raw = fromBase64(EACC_BASE64);
  const rows = new Int16Array(96 * 96).fill(-1);
  const cells = new Uint16Array(EACC_ROW_COUNT * 96);
  const astral = new Map<number, number>();
  for (let i = 0; i < EACC_ASTRAL.length; i += 2) astral.set(EACC_ASTRAL[i] as number, EACC_ASTRAL[i + 1] as number);
  const codes = new Int32Array(EACC_COUNT);
  const values = new Int32Array(EACC_COUNT);
  // The code points come first (uint16 LE), then the codes as varint deltas.
  let at = EACC_COUNT * 2;
  let code = 0;
  let rowCount = 0;
  for (let i = 0; i < EACC_COUNT; i++) {
    let b = raw[at++] as number;
    let delta = b & 0x7f;
    for (let shift = 7; b >= 0x80; shift += 7) {
      b = raw[at++] as number;
      delta += (b & 0x7f) << shift;
    }
    code += delta;
    codes[i] = code;
    let value = (raw[i * 2] as number) | ((raw[i * 2 + 1] as number) << 8);
    if (value === 0) value = astral.get(code) ?? 0;
    values[i] = value;
    const r = (((code >> 16) & 0xff) - 0x20) * 96 + (((code >> 8) & 0xff) - 0x20);
    let row = rows[r] as number;
    if (row < 0) rows[r] = row = rowCount++;
    cells[row * 96 + ((code & 0xff) - 0x20)] = value > 0xffff ? 0xffff : value;
  }
  eaccTables = { rows, cells, astral, codes, values };
  return eaccTables;
}

/** Code point for a 24-bit EACC code (bytes already masked to seven bits), or 0. */
export function eaccToUnicode(code: number): number {
  const b1 = (code >> 16) & 0xff;
  const b2 = (code >> 8) & 0xff;
  const b3 = code & 0xff;
  if (b1 < 0x20 || b2 < 0x20 || b3 < 0x20 || b1 > 0x7f || b2 > 0x7f || b3 > 0x7f) return 0;
  const { rows, cells, astral } = eacc();
  const row = rows[(b1 - 0x20) * 96 + (b2 - 0x20)] as number;
  if (row < 0) return 0;
  const v = cells[row * 96 + (b3 - 0x20)] as number;
  return v === 0xffff ? (astral.get(code) ?? 0) : v;
}

// ---- Unicode → MARC-8 ---------------------------------------------------------------------------

/**
 * A candidate is `set * 2^24 + code`, plus CAND_COMBINING when the MARC-8 code is a combining
 * mark. `code` is the 7-bit position for single-byte sets and the 24-bit code for EACC.
 */
export const CAND_COMBINING = 2 ** 28;
export const candSet = (c: number): number => Math.floor(c / 2 ** 24) & 0xf;
export const candCode = (c: number): number => c & 0xffffff;

/**
 * Order in which sets are tried when the character is in none of the designated sets. The Latin
 * sets first; Basic Greek before the technique-1 Greek symbols, as LC's 2004 note asks; the quote
 * marks that only Greek and Arabic carry go to Greek (left-to-right, like the text around them).
 */
const SET_PREFERENCE = [
  ASCII_SET,
  ANSEL_SET,
  GREEK_SET,
  CYRILLIC_SET,
  EXTENDED_CYRILLIC_SET,
  HEBREW_SET,
  ARABIC_SET,
  EXTENDED_ARABIC_SET,
  SUBSCRIPT_SET,
  SUPERSCRIPT_SET,
  EACC_SET,
  GREEK_SYMBOLS_SET,
];

export interface ReverseTables {
  /** Code point → candidate, or candidates in preference order. */
  readonly map: Map<number, number | number[]>;
  /** ANSEL position of a first half (EB, FA) → position of its second half (EC, FB). */
  readonly secondHalf: Map<number, number>;
}

let reverse: ReverseTables | undefined;

export function reverseTables(): ReverseTables {
  if (reverse !== undefined) return reverse;
  const rank = new Array<number>(SET_FINALS.length);
  SET_PREFERENCE.forEach((s, i) => (rank[s] = i));

  // Single-byte sets share many characters (ASCII punctuation, accents, quotes): collect lists.
  const lists = new Map<number, number[]>();
  const add = (cp: number, cand: number): void => {
    const list = lists.get(cp);
    if (list === undefined) lists.set(cp, [cand]);
    else if (!list.includes(cand)) list.push(cand);
  };
  for (let s = 0; s < EACC_SET; s++) {
    for (let p = 0x21; p < 0x7f; p++) {
      const entry = SINGLE[s * 128 + p] as number;
      if (entry === 0 || (entry & FLAG_SECOND_HALF) !== 0) continue;
      add(entry & 0x1fffff, s * 2 ** 24 + p + ((entry & FLAG_COMBINING) !== 0 ? CAND_COMBINING : 0));
    }
  }
  for (let i = 0; i < REVERSE_EXTRA.length; i += 3) {
    const cp = REVERSE_EXTRA[i] as number;
    const s = REVERSE_EXTRA[i + 1] as number;
    const p = REVERSE_EXTRA[i + 2] as number;
    const combining = ((SINGLE[s * 128 + p] as number) & FLAG_COMBINING) !== 0;
    add(cp, s * 2 ** 24 + p + (combining ? CAND_COMBINING : 0));
  }
  const map = new Map<number, number | number[]>();
  for (const [cp, list] of lists) {
    // The encoder relies on a character being a mark in every set or in none.
    if (list.some((c) => (c & CAND_COMBINING) !== ((list[0] as number) & CAND_COMBINING))) {
      throw new Error(`MARC-8 tables: U+${cp.toString(16)} is combining in one set and not in another`);
    }
    list.sort((a, b) => (rank[candSet(a)] as number) - (rank[candSet(b)] as number));
    map.set(cp, list.length === 1 ? (list[0] as number) : list);
  }

  // EACC shares no character with the single-byte sets, but several EACC codes can share one
  // (traditional, simplified and Japanese variants): the first LC lists wins, which is the lowest
  // code unless EACC_PREFERRED says otherwise.
  const { codes, values } = eacc();
  const preferred = new Map<number, number>();
  for (let i = 0; i < EACC_PREFERRED.length; i += 2) preferred.set(EACC_PREFERRED[i] as number, EACC_PREFERRED[i + 1] as number);
  for (let i = 0; i < EACC_COUNT; i++) {
    const cp = values[i] as number;
    const code = codes[i] as number;
    const want = preferred.get(cp);
    if (want !== undefined ? code !== want : map.has(cp)) continue;
    map.set(cp, EACC_SET * 2 ** 24 + code);
  }

  const secondHalf = new Map<number, number>();
  for (let p = 0x21; p < 0x7f; p++) {
    const entry = SINGLE[ANSEL_SET * 128 + p] as number;
    if ((entry & FLAG_SECOND_HALF) === 0) continue;
    const first = SINGLE[ANSEL_SET * 128 + p - 1] as number;
    // LC puts each first half directly before its second half (EB/EC, FA/FB); check rather than trust.
    if ((first & FLAG_COMBINING) === 0 || (first & FLAG_SECOND_HALF) !== 0) throw new Error('MARC-8 tables: unexpected half layout');
    secondHalf.set(p - 1, p);
  }
  reverse = { map, secondHalf };
  return reverse;
}
