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
          // Any single byte passes, as the decoder passes it (a second 0x1F: an empty subfield).
          if (code < 0x80 && code !== ESC) {
            this.byte(code);
          } else {
            problems.push({ code: 'E304', message: `subfield code U+${hex4(code)} is not ASCII`, offset: i });
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
          if (this.g0 === EACC_SET || isTechnique1(this.g0)) this.designateG0(ASCII_SET); // see SPACE
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
        if (this.mode === 'lossless') {
          this.ncr(0xfffd);
        } else {
          this.designateG0(ASCII_SET);
          this.raw(this.replacement);
        }
        i++;
        continue;
      }

      let j = i + width;
      if (marks.length !== 0) marks.length = 0;
      while (j < text.length) {
        const m = text.codePointAt(j) as number;
        if (m < 0x300 || !this.isMark(m)) break;
        marks.push(m);
        j += m > 0xffff ? 2 : 1;
      }
      if (marks.length === 0) {
        // The common case, without building a plan: ASCII while G0 is ASCII, or one character.
        if (cp < 0x7f && this.g0 === ASCII_SET) {
          this.byte(cp);
          i = j;
          continue;
        }
        const c = this.cands(cp, false);
        if (c !== undefined) {
          this.put(this.choose(c, this.g0, this.g1));
          i = j;
          continue;
        }
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
    // A code point's candidates are all marks or all not (reverseTables checks), so the first decides.
    const first = typeof c === 'number' ? c : (c[0] as number);
    return ((first & CAND_COMBINING) !== 0) === combining ? c : undefined;
  }

  private cluster(base: number, marks: readonly number[], offset: number, problems: DecodeProblem[]): void {
    // As written, when MARC-8 has every piece: keeps the order of marks that decoding with
    // normalize: false produced, so such text goes back byte for byte.
    const asIs = this.plan(base, marks);
    if (asIs !== undefined) return this.write(asIs);

    // Canonically decomposed, then recomposed as far as MARC-8 has a precomposed base for
    // (ứ → ư + acute); the marks stay in canonical order.
    const split = marks.length === 0 ? this.decompose(base) : this.splitCluster(String.fromCodePoint(base, ...marks));
    if (split !== NO_DECOMPOSITION) {
      const plan = this.plan(split[0] as number, split.slice(1));
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

  /** [base, ...marks] with a base MARC-8 has for one character, or NO_DECOMPOSITION. Cached. */
  private decompose(cp: number): number[] | typeof NO_DECOMPOSITION {
    const known = decompositions.get(cp);
    if (known !== undefined) return known;
    const result = this.cands(cp, false) !== undefined ? [cp] : this.splitCluster(String.fromCodePoint(cp));
    if (decompositions.size > 4096) decompositions.clear();
    decompositions.set(cp, result);
    return result;
  }

  /**
   * The cluster's canonical decomposition with its longest prefix recomposed into a base MARC-8
   * has, when MARC-8 has every remaining mark too; else NO_DECOMPOSITION.
   */
  private splitCluster(cluster: string): number[] | typeof NO_DECOMPOSITION {
    const d = Array.from(cluster.normalize('NFD'), (c) => c.codePointAt(0) as number);
    for (let k = d.length; k >= 1; k--) {
      const headText = k === 1 ? String.fromCodePoint(d[0] as number) : String.fromCodePoint(...d.slice(0, k)).normalize('NFC');
      const head = headText.codePointAt(0) as number;
      if (headText.length !== (head > 0xffff ? 2 : 1) || this.cands(head, false) === undefined) continue;
      const rest = d.slice(k);
      if (rest.every((x) => this.cands(x, true) !== undefined)) return [head, ...rest];
    }
    return NO_DECOMPOSITION;
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
      // 0x20 is a space in the standard single-byte sets, so Arabic or Cyrillic stays designated
      // across words, as in LC's and OCLC's records. Around EACC and the technique-1 sets LC's
      // records return to ASCII first ("CO ESC b 2 ESC s is"), and readers that take EACC three
      // bytes at a time (pymarc, ruby-marc) depend on it.
      if (this.g0 === EACC_SET || isTechnique1(this.g0)) this.designateG0(ASCII_SET);
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
    // Technique 1 is left with ESC s; from it, a standard set needs ESC s first, as yaz writes.
    if (isTechnique1(this.g0) && set !== ASCII_SET && !isTechnique1(set)) this.raw(ESC_S);
    this.raw(set === ASCII_SET && isTechnique1(this.g0) ? ESC_S : (G0_ESCAPES[set] as Uint8Array));
    this.g0 = set;
  }

  private designateG1(set: number): void {
    if (this.g1 === set) return;
    this.raw(G1_ESCAPES[set] as Uint8Array);
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
/** Designation of each set into G0: ESC g/b/p for technique 1, ESC $ 1 for EACC, ESC ( F otherwise. */
const G0_ESCAPES = SET_FINAL_BYTES.map((final, set) =>
  isTechnique1(set) ? Uint8Array.of(ESC, final) : set === EACC_SET ? Uint8Array.of(ESC, 0x24, final) : Uint8Array.of(ESC, 0x28, final),
);
const G1_ESCAPES = SET_FINAL_BYTES.map((final) => Uint8Array.of(ESC, 0x29, final));
/** Space as a candidate, since it can carry marks; `put` writes it without an escape where it can. */
const SPACE = ASCII_SET * 2 ** 24 + 0x20;

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
