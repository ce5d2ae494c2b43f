/**
 * Unicode → MARC-8, one field at a time.
 *
 * Each field starts and ends with G0 = ASCII and G1 = ANSEL, and the sets are put back before
 * every subfield delimiter so the delimiter and code are plain ASCII. In between, an escape is
 * written only when the next character is in neither designated set (minimal escapes: Cyrillic
 * text keeps Cyrillic designated across spaces, digits and the punctuation that set shares with
 * ASCII).
 *
 * Characters are written as MARC-8 spells them: a precomposed letter MARC-8 lacks (é) becomes its
 * base and combining marks, marks go before their base, U+0361/U+0360 get their second half (EC/FB)
 * after the first spanned character. A character MARC-8 cannot hold becomes LC's lossless numeric
 * character reference `&#xHHHH;` (mode 'lossless', the default), a replacement plus an E304
 * problem ('strict'), or a silent replacement ('lossy'); yaz calls these marc8lossless, marc8 and
 * marc8lossy.
 */

import type { DecodeProblem, FieldEncoder } from '../charset.js';
import {
  ANSEL_SET,
  ASCII_SET,
  CAND_COMBINING,
  EACC_SET,
  EXTENDED_ARABIC_SET,
  EXTENDED_CYRILLIC_SET,
  GREEK_SYMBOLS_SET,
  SET_FINAL_BYTES,
  SINGLE,
  SUBSCRIPT_SET,
  SUPERSCRIPT_SET,
  candCode,
  candSet,
  reverseTables,
  type ReverseTables,
} from './tables.js';

export interface Marc8EncoderOptions {
  /** What to do with characters MARC-8 cannot hold (see the module comment). Default 'lossless'. */
  mode?: 'lossless' | 'strict' | 'lossy';
  /** ASCII text written for such characters in 'strict' and 'lossy' modes. Default '?'. */
  replacement?: string;
}

const ESC = 0x1b;
const MARK_RE = /^\p{M}$/u;
const NCR_AHEAD_RE = /^&#x[0-9A-Fa-f]{4,6};/;

/** A base and its marks resolved to candidates: MARC-8 can spell the whole cluster. */
interface Plan {
  base: number | number[];
  marks: (number | number[])[];
  /** Code point of each mark, to tell U+0361/U+0360 from the U+FE2x halves. */
  markCps: number[];
}

const NO_DECOMPOSITION = 0;
// Per code point: how a base MARC-8 lacks can be written as a base it has plus marks. Shared by all
// encoders; bounded so that a stream of unusual text cannot grow it without limit.
const decompositions = new Map<number, number[] | typeof NO_DECOMPOSITION>();

export class Marc8Encoder implements FieldEncoder {
  readonly name = 'marc-8';
  readonly leader09 = ' ';

  private readonly mode: 'lossless' | 'strict' | 'lossy';
  private readonly replacement: Uint8Array;
  private buf = new Uint8Array(256);
  private n = 0;
  private g0 = ASCII_SET;
  private g1 = ANSEL_SET;
  private rev: ReverseTables | undefined;

  constructor(options: Marc8EncoderOptions = {}) {
    const mode = options.mode ?? 'lossless';
    if (mode !== 'lossless' && mode !== 'strict' && mode !== 'lossy') {
      throw new RangeError(`marc-8: mode must be 'lossless', 'strict' or 'lossy', not ${JSON.stringify(mode)}`);
    }
    this.mode = mode;
    const replacement = options.replacement ?? '?';
    if (!/^[\x20-\x7e]*$/.test(replacement)) throw new RangeError('marc-8: replacement must be printable ASCII');
    this.replacement = Uint8Array.from(replacement, (c) => c.charCodeAt(0));
  }

  encode(text: string, problems: DecodeProblem[]): Uint8Array {
    if (this.isPlainAscii(text)) {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
      return out;
    }
    this.rev ??= reverseTables();
    this.n = 0;
    this.g0 = ASCII_SET;
    this.g1 = ANSEL_SET;
    const marks: number[] = [];
    let i = 0;
    while (i < text.length) {
      const cp = text.codePointAt(i) as number;
      const width = cp > 0xffff ? 2 : 1;

      if (cp === 0x1f) {
        this.defaultSets();
        this.byte(0x1f);
        i++;
        if (i < text.length) {
          const code = text.charCodeAt(i);
          if (code > 0x20 && code < 0x7f) {
            this.byte(code);
          } else {
            problems.push({ code: 'E304', message: `subfield code U+${hex4(code)} is not printable ASCII`, offset: i });
            this.raw(this.replacement.length > 0 ? this.replacement : Uint8Array.of(0x3f));
          }
          i++;
        }
        continue;
      }
      if (cp < 0x20 || cp === 0x7f) {
        // ESC would start an escape sequence and 1D/1E would end the record: spell them out.
        if (cp === ESC || cp === 0x1d || cp === 0x1e) {
          this.unencodable(cp, i, problems);
        } else {
          if (this.g0 === EACC_SET) this.designateG0(ASCII_SET); // see SPACE
          this.byte(cp);
        }
        i++;
        continue;
      }
      if (cp === 0x20 && !(i + 1 < text.length && this.isMark(text.codePointAt(i + 1) as number))) {
        this.put(SPACE);
        i++;
        continue;
      }
      if (cp === 0x26 && this.mode === 'lossless' && NCR_AHEAD_RE.test(text.slice(i, i + 10))) {
        // A literal "&#x41;" would be expanded when read back; escaping its '&' keeps the text.
        this.ncr(0x26);
        i++;
        continue;
      }
      if (cp >= 0xd800 && cp <= 0xdfff) {
        // A lone surrogate has no code point to write or to reference.
        problems.push({ code: 'E304', message: `lone surrogate U+${hex4(cp)} cannot be written`, offset: i });
        if (this.mode === 'lossless') this.ncr(0xfffd);
        else this.raw(this.replacement);
        i++;
        continue;
      }

      let j = i + width;
      marks.length = 0;
      while (j < text.length) {
        const m = text.codePointAt(j) as number;
        if (!this.isMark(m)) break;
        marks.push(m);
        j += m > 0xffff ? 2 : 1;
      }
      this.cluster(cp, marks, i, problems);
      i = j;
    }
    this.defaultSets();
    return this.buf.slice(0, this.n);
  }

  /** ASCII with nothing that needs care: the bytes are the text, with no escapes. */
  private isPlainAscii(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80 || c === ESC || c === 0x1d || c === 0x1e || c === 0x7f) return false;
      if (c === 0x1f && i + 1 < text.length) {
        const code = text.charCodeAt(i + 1);
        if (code <= 0x20 || code >= 0x7f) return false;
      }
      if (c === 0x26 && this.mode === 'lossless' && text.charCodeAt(i + 1) === 0x23) return false;
    }
    return true;
  }

  private isMark(cp: number): boolean {
    if (cp < 0x300) return false;
    const cands = (this.rev as ReverseTables).map.get(cp);
    if (cands !== undefined) return ((typeof cands === 'number' ? cands : (cands[0] as number)) & CAND_COMBINING) !== 0;
    return MARK_RE.test(String.fromCodePoint(cp));
  }

  /** Candidates of `cp` of one kind (base or mark), or undefined. */
  private cands(cp: number, combining: boolean): number | number[] | undefined {
    if (cp === 0x20) return combining ? undefined : SPACE;
    const c = (this.rev as ReverseTables).map.get(cp);
    if (c === undefined) return undefined;
    if (typeof c === 'number') return ((c & CAND_COMBINING) !== 0) === combining ? c : undefined;
    const kept = c.filter((x) => ((x & CAND_COMBINING) !== 0) === combining);
    return kept.length === 0 ? undefined : kept.length === 1 ? kept[0] : kept;
  }

  private cluster(base: number, marks: readonly number[], offset: number, problems: DecodeProblem[]): void {
    // As written, when MARC-8 has every piece: keeps the order of marks that decoding with
    // normalize: false produced, so such text goes back byte for byte.
    const asIs = this.plan(base, marks);
    if (asIs !== undefined) return this.write(asIs);

    // Composed, then decomposed to the largest precomposed base MARC-8 has (ứ → ư + acute).
    const composed = Array.from(String.fromCodePoint(base, ...marks).normalize('NFC'), (c) => c.codePointAt(0) as number);
    const head = composed[0] as number;
    const split = this.decompose(head);
    if (split !== NO_DECOMPOSITION) {
      const plan = this.plan(split[0] as number, [...split.slice(1), ...composed.slice(1)]);
      if (plan !== undefined) return this.write(plan);
    }

    // Partly writable: the base (possibly decomposed) in MARC-8 with the marks MARC-8 has, up to the
    // first one it lacks; that mark and any after it follow the base as references, in order.
    const baseSplit = this.decompose(base);
    if (baseSplit === NO_DECOMPOSITION) {
      this.unencodable(base, offset, problems);
      for (const m of marks) this.unencodable(m, offset, problems);
      return;
    }
    const all = [...baseSplit.slice(1), ...marks];
    let k = 0;
    while (k < all.length && this.cands(all[k] as number, true) !== undefined) k++;
    const plan = this.plan(baseSplit[0] as number, all.slice(0, k)) as Plan;
    this.write(plan);
    for (let m = k; m < all.length; m++) this.unencodable(all[m] as number, offset, problems);
  }

  private plan(base: number, marks: readonly number[]): Plan | undefined {
    const b = this.cands(base, false);
    if (b === undefined) return undefined;
    const m: (number | number[])[] = [];
    for (const cp of marks) {
      const c = this.cands(cp, true);
      if (c === undefined) return undefined;
      m.push(c);
    }
    return { base: b, marks: m, markCps: marks.slice() };
  }

  /** [base, ...marks] with a base MARC-8 has, or NO_DECOMPOSITION. */
  private decompose(cp: number): number[] | typeof NO_DECOMPOSITION {
    const known = decompositions.get(cp);
    if (known !== undefined) return known;
    let result: number[] | typeof NO_DECOMPOSITION = NO_DECOMPOSITION;
    if (this.cands(cp, false) !== undefined) {
      result = [cp];
    } else {
      const d = Array.from(String.fromCodePoint(cp).normalize('NFD'), (c) => c.codePointAt(0) as number);
      if (d.length === 1 && d[0] !== cp) {
        const single = this.decompose(d[0] as number); // singletons: U+2126 OHM SIGN → Ω
        result = single;
      } else {
        for (let k = d.length - 1; k >= 1 && result === NO_DECOMPOSITION; k--) {
          const headText = String.fromCodePoint(...d.slice(0, k)).normalize('NFC');
          const head = headText.codePointAt(0) as number;
          if (headText.length !== (head > 0xffff ? 2 : 1) || this.cands(head, false) === undefined) continue;
          const rest = d.slice(k);
          if (rest.every((x) => this.cands(x, true) !== undefined)) result = [head, ...rest];
        }
      }
    }
    if (decompositions.size > 4096) decompositions.clear();
    decompositions.set(cp, result);
    return result;
  }

  private write(plan: Plan): void {
    const base = this.choose(plan.base, this.g0, this.g1);
    const baseSet = candSet(base);
    let p0 = this.g0;
    let p1 = this.g1;
    if (base !== SPACE && baseSet !== p0 && baseSet !== p1) {
      if (naturalRegister(baseSet) === 0) p0 = baseSet;
      else p1 = baseSet;
    }
    let secondHalves: number[] | undefined;
    const { secondHalf } = this.rev as ReverseTables;
    for (let k = 0; k < plan.marks.length; k++) {
      const mark = this.choose(plan.marks[k] as number | number[], p0, p1);
      this.put(mark);
      const set = candSet(mark);
      const code = candCode(mark);
      // U+0361 / U+0360 span two characters; MARC-8 spells them as two halves around the first.
      if (set === ANSEL_SET && secondHalf.has(code) && ((SINGLE[ANSEL_SET * 128 + code] as number) & 0x1fffff) === plan.markCps[k]) {
        (secondHalves ??= []).push(ANSEL_SET * 2 ** 24 + (secondHalf.get(code) as number));
      }
    }
    this.put(base);
    if (secondHalves !== undefined) for (const half of secondHalves) this.put(half);
  }

  /** First candidate already designated (G0 before G1), else the preferred one. */
  private choose(cands: number | number[], g0: number, g1: number): number {
    if (typeof cands === 'number') return cands;
    for (const c of cands) if (candSet(c) === g0) return c;
    for (const c of cands) if (candSet(c) === g1) return c;
    return cands[0] as number;
  }

  /** Writes one candidate, designating its set first when it is not in G0 or G1. */
  private put(cand: number): void {
    if (cand === SPACE) {
      // 0x20 is a space in the single-byte sets, so Arabic or Cyrillic stays designated across
      // words, as in LC's and OCLC's records. In EACC, LC's records switch to ASCII around every
      // space, and readers that take EACC three bytes at a time (pymarc, ruby-marc) need them to.
      if (this.g0 === EACC_SET) this.designateG0(ASCII_SET);
      this.byte(0x20);
      return;
    }
    const set = candSet(cand);
    const code = candCode(cand);
    let high = 0;
    if (set === this.g0) high = 0;
    else if (set === this.g1) high = 0x80;
    else if (naturalRegister(set) === 0) this.designateG0(set);
    else {
      this.designateG1(set);
      high = 0x80;
    }
    if (set === EACC_SET) {
      this.ensure(3);
      this.buf[this.n++] = ((code >> 16) & 0x7f) | high;
      this.buf[this.n++] = ((code >> 8) & 0x7f) | high;
      this.buf[this.n++] = (code & 0x7f) | high;
    } else {
      this.byte(code | high);
    }
  }

  private designateG0(set: number): void {
    if (this.g0 === set) return;
    const fromTechnique1 = isTechnique1(this.g0);
    if (set === ASCII_SET) {
      this.raw(fromTechnique1 ? ESC_S : ESC_ASCII);
    } else {
      // Technique 1 is left with ESC s before designating a standard set, as yaz does.
      if (fromTechnique1 && !isTechnique1(set)) this.raw(ESC_S);
      if (isTechnique1(set)) this.raw(Uint8Array.of(ESC, SET_FINAL_BYTES[set] as number));
      else if (set === EACC_SET) this.raw(Uint8Array.of(ESC, 0x24, SET_FINAL_BYTES[set] as number));
      else this.raw(Uint8Array.of(ESC, 0x28, SET_FINAL_BYTES[set] as number));
    }
    this.g0 = set;
  }

  private designateG1(set: number): void {
    if (this.g1 === set) return;
    this.raw(Uint8Array.of(ESC, 0x29, SET_FINAL_BYTES[set] as number));
    this.g1 = set;
  }

  private defaultSets(): void {
    this.designateG0(ASCII_SET);
    this.designateG1(ANSEL_SET);
  }

  private unencodable(cp: number, offset: number, problems: DecodeProblem[]): void {
    if (this.mode === 'lossless') {
      this.ncr(cp);
      return;
    }
    if (this.mode === 'strict') {
      problems.push({ code: 'E304', message: `U+${hex4(cp)} cannot be written in MARC-8`, offset });
    }
    this.designateG0(ASCII_SET);
    this.raw(this.replacement);
  }

  private ncr(cp: number): void {
    this.designateG0(ASCII_SET);
    const text = `&#x${hex4(cp)};`;
    this.ensure(text.length);
    for (let k = 0; k < text.length; k++) this.buf[this.n++] = text.charCodeAt(k);
  }

  private byte(b: number): void {
    if (this.n >= this.buf.length) this.grow(1);
    this.buf[this.n++] = b;
  }

  private raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.n);
    this.n += bytes.length;
  }

  private ensure(k: number): void {
    if (this.n + k > this.buf.length) this.grow(k);
  }

  private grow(k: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k + 64));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
}

const ESC_S = Uint8Array.of(ESC, 0x73);
/** Space as a candidate (a base that can carry marks): written as 0x20 without an escape, except in EACC. */
const SPACE = ASCII_SET * 2 ** 24 + 0x20;
const ESC_ASCII = Uint8Array.of(ESC, 0x28, 0x42);

function isTechnique1(set: number): boolean {
  return set === GREEK_SYMBOLS_SET || set === SUBSCRIPT_SET || set === SUPERSCRIPT_SET;
}

/** Where LC's tables place a set: the extended sets in G1, everything else in G0. */
function naturalRegister(set: number): 0 | 1 {
  return set === ANSEL_SET || set === EXTENDED_CYRILLIC_SET || set === EXTENDED_ARABIC_SET ? 1 : 0;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
