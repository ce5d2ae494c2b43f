/**
 * The MARCXML byte path: whole `<record>` elements read straight from the UTF-8 input into ISO 2709
 * bytes (leader, directory, 0x1F / 0x1E / 0x1D, entities resolved while copying, UTF-8 copied as
 * is), which the ISO 2709 builder turns into the same lazy record the binary reader makes: no text
 * is decoded until a field is asked for.
 *
 * It reads only a record that is certain to read the same way on the text path without a single
 * repair: a leader of 24 printable ASCII bytes, control fields (tags 00X) and data fields (other
 * tags, one printable ASCII byte per indicator) holding subfields with printable ASCII codes, any
 * prefix, whitespace and comments between elements (those among the record element's children
 * kept as `xmlComments`), and text with the five entities and character references, in valid
 * UTF-8 with no character XML forbids and none of ISO 2709's separators.
 * Anything else — a missing or odd attribute, an unknown element, text outside a field, CDATA, a
 * PI, CR, invalid UTF-8, a record too large for ISO 2709 — is `FAIL`, and the caller hands the
 * record to the text path, which then reads it (and reports on it) exactly as it always has.
 */

import { parseRecordAt, type ParseOptions } from '../../iso2709/parser.js';
import type { Mode } from '../../errors.js';
import { Leader } from '../../record/leader.js';
import type { Record, RecordOrigin } from '../../record/record.js';

/** The input ended before the element did: wait for more. */
export const INCOMPLETE = -1;
/** Not something this path reads: the text path takes it. */
export const FAIL = -2;

const enum El {
  Other,
  Record,
  Leader,
  Control,
  Data,
  Subfield,
}

// Character classes of XML names, restricted to ASCII (as the text path's fast tokenizer is).
const NAME_START = new Uint8Array(256);
const NAME_CHAR = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) NAME_START[c] = 1;
  if (/[A-Za-z0-9._:-]/.test(ch)) NAME_CHAR[c] = 1;
}

/** Comment text (valid UTF-8, checked while reading); a leading U+FEFF is text here, not a BOM. */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });
const MAX_FIELD = 9999;
const MAX_RECORD = 99999;
/** Room for field data: more than a record can hold, so reading stops (FAIL) before it fills. */
const OUT_SIZE = MAX_RECORD + (1 << 16);
const SLAB = 1 << 20;

function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x09;
}

function printable(b: number): boolean {
  return b >= 0x20 && b < 0x7f;
}

export class ByteRecordReader {
  // The start tag (`startTag`).
  /** Qualified name of the record element. */
  name = '';
  /** Its attributes, or null when it has none. */
  attrs: { [key: string]: string } | null = null;
  #nameAt = 0;
  #nameLength = 0;
  #contentAt = 0;

  // The whole record (`body`).
  /** UTF-16 units, newlines, and code points after the last newline (or in all, without one). */
  units = 0;
  lines = 0;
  column = 0;
  /** Deepest nesting inside the record (1: the record element alone). */
  depth = 0;
  fields = 0;
  /** Most subfields in one field. */
  subfields = 0;
  /** Offset just past the record's end tag. */
  end = 0;

  #lines = 0;
  #lastNewline = -1;
  #cont = 0;
  #contAtNewline = 0;
  #astral = 0;
  #empty = false;
  // Attribute values of the tag last read (offsets into the input, -1 when absent).
  #tagAt = -1;
  #ind1At = -1;
  #ind2At = -1;
  #codeAt = -1;
  #leaderAt = -1;
  /** Field data as it will be in the record, and its length. */
  #out = new Uint8Array(1 << 14);
  #o = 0;
  /** Per field: tag (three bytes in one number), start in #out, end (past the terminator). */
  #dir: number[] = [];
  /** Per comment among the record element's children: the fields before it, its text's start and end. */
  #comments: number[] = [];
  #slab = new Uint8Array(1 << 16);
  #slabAt = 0;
  #ascii = true;

  /**
   * The start tag at `lt` (a '<'): the offset past it when it is a `record` element (any prefix)
   * with plain attributes, else FAIL or INCOMPLETE. Sets `name` and `attrs`.
   */
  startTag(buf: Uint8Array, lt: number, limit: number): number {
    let i = lt + 1;
    if (i >= limit) return INCOMPLETE;
    if (NAME_START[buf[i] as number] !== 1) return FAIL;
    let colon = -1;
    while (i < limit && NAME_CHAR[buf[i] as number] === 1) {
      if (colon < 0 && buf[i] === 0x3a) colon = i;
      i++;
    }
    if (i >= limit) return INCOMPLETE;
    const local = colon < 0 ? lt + 1 : colon + 1;
    if (i - local !== 6 || buf[local] !== 0x72 || buf[local + 1] !== 0x65 || buf[local + 2] !== 0x63 || buf[local + 3] !== 0x6f || buf[local + 4] !== 0x72 || buf[local + 5] !== 0x64) return FAIL;
    this.#nameAt = lt + 1;
    this.#nameLength = i - lt - 1;
    this.name = this.#nameLength === 6 ? 'record' : latin1(buf, lt + 1, i);
    this.attrs = null;
    this.#resetCounts(lt);
    const end = this.#attributes(buf, i, limit, El.Record);
    if (end < 0) return end;
    if (this.#empty) return FAIL;
    this.#contentAt = end;
    return end;
  }

  #resetCounts(start: number): void {
    this.#lines = 0;
    this.#lastNewline = start - 1;
    this.#cont = 0;
    this.#contAtNewline = 0;
    this.#astral = 0;
  }

  /**
   * The record's content and end tag, after `startTag` accepted it: the offset past its end tag,
   * or FAIL / INCOMPLETE. Sets the counts above.
   */
  body(buf: Uint8Array, lt: number, limit: number): number {
    let i = this.#contentAt;
    this.#resetCounts(lt);
    // Counted again from the record's start: the start tag's newlines and characters too.
    for (let k = lt; k < i; k++) {
      if (buf[k] === 0x0a) {
        this.#lines++;
        this.#lastNewline = k;
      }
    }
    this.#o = 0;
    this.#dir.length = 0;
    this.#comments.length = 0;
    this.#leaderAt = -1;
    this.#ascii = true;
    this.depth = 1;
    this.subfields = 0;
    for (;;) {
      i = this.#blanks(buf, i, limit);
      if (i >= limit) return INCOMPLETE;
      if (buf[i] !== 0x3c) return FAIL; // text outside a field
      if (i + 1 >= limit) return INCOMPLETE;
      const c = buf[i + 1] as number;
      if (c === 0x2f) {
        i = this.#endTag(buf, i, limit, this.#nameAt, this.#nameLength);
        if (i < 0) return i;
        break;
      }
      if (c === 0x21) {
        const at = i;
        i = this.#comment(buf, i, limit);
        if (i < 0) return i;
        this.#comments.push(this.#dir.length / 3, at + 4, i - 3);
        continue;
      }
      // Past what ISO 2709 can hold: no use reading on.
      if (!this.#room()) return FAIL;
      const nameAt = i + 1;
      const kind = this.#element(buf, nameAt, limit);
      if (kind < 0) return kind;
      const nameEnd = this.#nameEnd;
      const nameLength = nameEnd - nameAt;
      i = kind === El.Data ? this.#quickData(buf, nameEnd, limit) : kind === El.Control ? this.#quickControl(buf, nameEnd, limit) : FAIL;
      if (i < 0) i = this.#attributes(buf, nameEnd, limit, kind);
      if (i < 0) return i;
      if (this.depth < 2) this.depth = 2;
      if (kind === El.Leader) {
        if (this.#empty || this.#leaderAt >= 0) return FAIL;
        const at = i;
        while (i < limit && printable(buf[i] as number) && buf[i] !== 0x3c && buf[i] !== 0x26) i++;
        if (i >= limit) return INCOMPLETE;
        if (buf[i] !== 0x3c || i - at !== 24) return FAIL;
        this.#leaderAt = at;
        i = this.#endTag(buf, i, limit, nameAt, nameLength);
        if (i < 0) return i;
      } else if (kind === El.Control) {
        const t = this.#tag(buf);
        if (t < 0 || !isControl(t)) return FAIL;
        const start = this.#o;
        if (!this.#empty) {
          i = this.#text(buf, i, limit);
          if (i < 0) return i;
          i = this.#endTag(buf, i, limit, nameAt, nameLength);
          if (i < 0) return i;
        }
        this.#out[this.#o++] = 0x1e;
        this.#dir.push(t, start, this.#o);
      } else if (kind === El.Data) {
        const t = this.#tag(buf);
        if (t < 0 || isControl(t) || this.#ind1At < 0 || this.#ind2At < 0) return FAIL;
        const start = this.#o;
        this.#out[this.#o++] = buf[this.#ind1At] as number;
        this.#out[this.#o++] = buf[this.#ind2At] as number;
        let count = 0;
        if (!this.#empty) {
          for (;;) {
            i = this.#blanks(buf, i, limit);
            if (i >= limit) return INCOMPLETE;
            if (buf[i] !== 0x3c) return FAIL;
            if (i + 1 >= limit) return INCOMPLETE;
            const d = buf[i + 1] as number;
            if (d === 0x2f) {
              i = this.#endTag(buf, i, limit, nameAt, nameLength);
              if (i < 0) return i;
              break;
            }
            if (d === 0x21) {
              i = this.#comment(buf, i, limit);
              if (i < 0) return i;
              continue;
            }
            if (!this.#room()) return FAIL;
            const subAt = i + 1;
            // `<subfield ` unprefixed, the usual case, without the general name reading.
            const sub = subAt + 9 <= limit && buf[subAt + 8] === 0x20 && buf[subAt] === 0x73 && buf[subAt + 1] === 0x75 && buf[subAt + 2] === 0x62 && buf[subAt + 3] === 0x66 && buf[subAt + 4] === 0x69 && buf[subAt + 5] === 0x65 && buf[subAt + 6] === 0x6c && buf[subAt + 7] === 0x64 ? this.#named(subAt + 8, El.Subfield) : this.#element(buf, subAt, limit);
            if (sub < 0) return sub;
            if (sub !== El.Subfield) return FAIL;
            const subLength = this.#nameEnd - subAt;
            i = this.#quickCode(buf, this.#nameEnd, limit);
            if (i < 0) i = this.#attributes(buf, this.#nameEnd, limit, El.Subfield);
            if (i < 0) return i;
            if (this.#codeAt < 0) return FAIL;
            this.depth = 3;
            count++;
            this.#out[this.#o++] = 0x1f;
            this.#out[this.#o++] = buf[this.#codeAt] as number;
            if (!this.#empty) {
              i = this.#text(buf, i, limit);
              if (i < 0) return i;
              i = this.#endTag(buf, i, limit, subAt, subLength);
              if (i < 0) return i;
            }
          }
        }
        if (count > this.subfields) this.subfields = count;
        this.#out[this.#o++] = 0x1e;
        this.#dir.push(t, start, this.#o);
      } else {
        return FAIL;
      }
    }
    if (this.#leaderAt < 0 || this.#dir.length === 0) return FAIL;
    this.fields = this.#dir.length / 3;
    this.end = i;
    this.units = i - lt - this.#cont + this.#astral;
    this.lines = this.#lines;
    // Code points after the last newline: bytes less continuation bytes.
    this.column = i - this.#lastNewline - 1 - (this.#cont - this.#contAtNewline);
    return i;
  }

  /**
   * The ISO 2709 record of what `body` read, parsed by the ISO 2709 builder; null when it does not
   * fit ISO 2709 (a field over 9,999 bytes, a record over 99,999) or the builder had anything to say.
   */
  record(buf: Uint8Array, options: ParseOptions & { mode: Mode }, recordIndex: number, recordOffset: number): Record | null {
    const dir = this.#dir;
    const count = dir.length / 3;
    const dataLength = this.#o;
    const base = 24 + count * 12 + 1;
    const total = base + dataLength + 1;
    if (total > MAX_RECORD) return null;
    if (this.#slabAt + total > this.#slab.length) {
      // The first slab is small, for documents of a few records.
      this.#slab = new Uint8Array(Math.max(SLAB, total));
      this.#slabAt = 0;
    }
    const slab = this.#slab;
    const at = this.#slabAt;
    const leaderAt = this.#leaderAt;
    for (let k = 0; k < 24; k++) slab[at + k] = buf[leaderAt + k] as number;
    digits(slab, at, total, 5);
    digits(slab, at + 12, base, 5);
    // The builder wants digits here; the leader the record shows is the one read, below.
    if (!isDigit(slab[at + 10] as number)) slab[at + 10] = 0x32;
    if (!isDigit(slab[at + 11] as number)) slab[at + 11] = 0x32;
    let e = at + 24;
    for (let f = 0; f < count; f++) {
      const tag = dir[f * 3] as number;
      const start = dir[f * 3 + 1] as number;
      const length = (dir[f * 3 + 2] as number) - start;
      if (length > MAX_FIELD) return null;
      slab[e] = tag >>> 16;
      slab[e + 1] = (tag >>> 8) & 0xff;
      slab[e + 2] = tag & 0xff;
      digits(slab, e + 3, length, 4);
      digits(slab, e + 7, start, 5);
      e += 12;
    }
    slab[e] = 0x1e;
    slab.set(this.#out.subarray(0, dataLength), at + base);
    slab[at + total - 1] = 0x1d;
    const bytes = slab.subarray(at, at + total);
    this.#slabAt = at + total;
    let record: Record;
    try {
      record = parseRecordAt(bytes, options, recordIndex, recordOffset);
    } catch {
      return null;
    }
    if (record.hasErrors) return null;
    // The leader as read: the builder's shows the computed length and base address, and leader/09
    // 'a' for a record that is not ASCII.
    let same = true;
    for (let k = 0; k < 24; k++) {
      if (slab[at + k] !== buf[leaderAt + k]) same = false;
    }
    if (!this.#ascii && buf[leaderAt + 9] !== 0x61) same = false;
    if (!same) record.leader = new Leader(latin1(buf, leaderAt, leaderAt + 24));
    // Writers copy a clean record's bytes whole when they may (an ASCII record whatever the target
    // encoding, leader/09 and all); a record read from XML is written as one read from text always
    // was, field by field (still copying untouched fields' bytes).
    (record.origin as RecordOrigin).clean = false;
    const comments = this.#comments;
    if (comments.length > 0) {
      const kept: { before: number; text: string }[] = [];
      for (let k = 0; k < comments.length; k += 3) kept.push({ before: comments[k] as number, text: utf8(buf, comments[k + 1] as number, comments[k + 2] as number) });
      record.xmlComments = kept;
    }
    return record;
  }

  #nameEnd = 0;

  /**
   * Room in `#out` for an element's own bytes (indicators, delimiter and code, terminator; its
   * text makes its own): false once the data is past what a record can hold.
   */
  #room(): boolean {
    if (this.#o > MAX_RECORD) return false;
    if (this.#o + 64 > this.#out.length) this.#grow();
    return true;
  }

  #grow(): void {
    const grown = new Uint8Array(OUT_SIZE);
    grown.set(this.#out.subarray(0, this.#o));
    this.#out = grown;
  }

  #named(end: number, kind: number): number {
    this.#nameEnd = end;
    return kind;
  }

  /** The element whose name starts at `at`: its kind (by local name), `#nameEnd` set. */
  #element(buf: Uint8Array, at: number, limit: number): number {
    if (at >= limit) return INCOMPLETE;
    if (NAME_START[buf[at] as number] !== 1) return FAIL;
    let i = at;
    let colon = -1;
    while (i < limit && NAME_CHAR[buf[i] as number] === 1) {
      if (colon < 0 && buf[i] === 0x3a) colon = i;
      i++;
    }
    if (i >= limit) return INCOMPLETE;
    this.#nameEnd = i;
    const l = colon < 0 ? at : colon + 1;
    switch (i - l) {
      case 8: // subfield
        return buf[l] === 0x73 && buf[l + 1] === 0x75 && buf[l + 2] === 0x62 && buf[l + 3] === 0x66 && buf[l + 4] === 0x69 && buf[l + 5] === 0x65 && buf[l + 6] === 0x6c && buf[l + 7] === 0x64 ? El.Subfield : FAIL;
      case 9: // datafield
        return buf[l] === 0x64 && buf[l + 1] === 0x61 && buf[l + 2] === 0x74 && buf[l + 3] === 0x61 && buf[l + 4] === 0x66 && buf[l + 5] === 0x69 && buf[l + 6] === 0x65 && buf[l + 7] === 0x6c && buf[l + 8] === 0x64 ? El.Data : FAIL;
      case 12: // controlfield
        return buf[l] === 0x63 && buf[l + 1] === 0x6f && buf[l + 2] === 0x6e && buf[l + 3] === 0x74 && buf[l + 4] === 0x72 && buf[l + 5] === 0x6f && buf[l + 6] === 0x6c && buf[l + 7] === 0x66 && buf[l + 8] === 0x69 && buf[l + 9] === 0x65 && buf[l + 10] === 0x6c && buf[l + 11] === 0x64 ? El.Control : FAIL;
      case 6: // leader
        return buf[l] === 0x6c && buf[l + 1] === 0x65 && buf[l + 2] === 0x61 && buf[l + 3] === 0x64 && buf[l + 4] === 0x65 && buf[l + 5] === 0x72 ? El.Leader : FAIL;
      default:
        return FAIL;
    }
  }

  /** The tag attribute as three bytes in one number, or FAIL. */
  #tag(buf: Uint8Array): number {
    const at = this.#tagAt;
    if (at < 0) return FAIL;
    return ((buf[at] as number) << 16) | ((buf[at + 1] as number) << 8) | (buf[at + 2] as number);
  }

  /**
   * Attributes from `i` (just past the name) to the end of the start tag: the offset past its '>'
   * (`#empty` says whether it was '/>'), or FAIL / INCOMPLETE. Field elements take only their own
   * attributes, each once, with the length MARC gives it; the record element takes any.
   */
  #attributes(buf: Uint8Array, i: number, limit: number, kind: number): number {
    this.#tagAt = -1;
    this.#ind1At = -1;
    this.#ind2At = -1;
    this.#codeAt = -1;
    for (;;) {
      if (i >= limit) return INCOMPLETE;
      let b = buf[i] as number;
      if (b === 0x3e) {
        this.#empty = false;
        return i + 1;
      }
      if (b === 0x2f) {
        if (i + 1 >= limit) return INCOMPLETE;
        if (buf[i + 1] !== 0x3e) return FAIL;
        this.#empty = true;
        return i + 2;
      }
      if (!isWs(b)) return FAIL;
      i = this.#blanks(buf, i, limit);
      if (i >= limit) return INCOMPLETE;
      b = buf[i] as number;
      if (b === 0x3e || b === 0x2f) continue;
      if (NAME_START[b] !== 1) return FAIL;
      const nameAt = i;
      while (i < limit && NAME_CHAR[buf[i] as number] === 1) i++;
      const nameEnd = i;
      i = this.#blanks(buf, i, limit);
      if (i >= limit) return INCOMPLETE;
      if (buf[i] !== 0x3d) return FAIL;
      i = this.#blanks(buf, i + 1, limit);
      if (i >= limit) return INCOMPLETE;
      const quote = buf[i] as number;
      if (quote !== 0x22 && quote !== 0x27) return FAIL;
      const valueAt = ++i;
      for (;;) {
        if (i >= limit) return INCOMPLETE;
        const v = buf[i] as number;
        if (v === quote) break;
        // Tabs and newlines (normalised to spaces), references and non-ASCII: the text path's.
        if (!printable(v) || v === 0x3c || v === 0x26) return FAIL;
        i++;
      }
      const valueLength = i - valueAt;
      i++;
      const n = nameEnd - nameAt;
      const n0 = buf[nameAt] as number;
      if (kind === El.Record) {
        const key = latin1(buf, nameAt, nameEnd);
        const attrs = (this.attrs ??= Object.create(null) as { [key: string]: string });
        if (attrs[key] !== undefined) return FAIL;
        attrs[key] = latin1(buf, valueAt, valueAt + valueLength);
      } else if (n === 3 && n0 === 0x74 && buf[nameAt + 1] === 0x61 && buf[nameAt + 2] === 0x67 && (kind === El.Control || kind === El.Data)) {
        if (this.#tagAt >= 0 || valueLength !== 3) return FAIL;
        this.#tagAt = valueAt;
      } else if (n === 4 && kind === El.Data && n0 === 0x69 && buf[nameAt + 1] === 0x6e && buf[nameAt + 2] === 0x64 && (buf[nameAt + 3] === 0x31 || buf[nameAt + 3] === 0x32)) {
        if (valueLength !== 1) return FAIL;
        if (buf[nameAt + 3] === 0x31) {
          if (this.#ind1At >= 0) return FAIL;
          this.#ind1At = valueAt;
        } else {
          if (this.#ind2At >= 0) return FAIL;
          this.#ind2At = valueAt;
        }
      } else if (n === 4 && kind === El.Subfield && n0 === 0x63 && buf[nameAt + 1] === 0x6f && buf[nameAt + 2] === 0x64 && buf[nameAt + 3] === 0x65) {
        // ISO 2709 subfield codes are printable ASCII other than a blank.
        if (this.#codeAt >= 0 || valueLength !== 1 || buf[valueAt] === 0x20) return FAIL;
        this.#codeAt = valueAt;
      } else {
        return FAIL;
      }
    }
  }

  // The attributes as MARCXML writers write them (`#attributes` reads any other way): `
  // code="a">`, ` tag="001">`, ` tag="245" ind1="1" ind2="0">`. The offset past the '>', or FAIL.

  #quickCode(buf: Uint8Array, i: number, limit: number): number {
    if (i + 10 > limit || buf[i] !== 0x20 || buf[i + 1] !== 0x63 || buf[i + 2] !== 0x6f || buf[i + 3] !== 0x64 || buf[i + 4] !== 0x65 || buf[i + 5] !== 0x3d || buf[i + 6] !== 0x22 || buf[i + 8] !== 0x22 || buf[i + 9] !== 0x3e) return FAIL;
    const c = buf[i + 7] as number;
    if (c <= 0x20 || c >= 0x7f || c === 0x22 || c === 0x3c || c === 0x26) return FAIL;
    this.#codeAt = i + 7;
    this.#empty = false;
    return i + 10;
  }

  #quickControl(buf: Uint8Array, i: number, limit: number): number {
    if (i + 11 > limit || !this.#quickTag(buf, i) || buf[i + 10] !== 0x3e) return FAIL;
    this.#tagAt = i + 6;
    this.#empty = false;
    return i + 11;
  }

  #quickData(buf: Uint8Array, i: number, limit: number): number {
    if (i + 29 > limit || !this.#quickTag(buf, i) || buf[i + 28] !== 0x3e) return FAIL;
    // ` ind1="x" ind2="y"`
    for (let k = 1; k <= 2; k++) {
      const at = i + 10 + (k - 1) * 9;
      if (buf[at] !== 0x20 || buf[at + 1] !== 0x69 || buf[at + 2] !== 0x6e || buf[at + 3] !== 0x64 || buf[at + 4] !== 0x30 + k || buf[at + 5] !== 0x3d || buf[at + 6] !== 0x22 || buf[at + 8] !== 0x22) return FAIL;
      const v = buf[at + 7] as number;
      if (!printable(v) || v === 0x22 || v === 0x3c || v === 0x26) return FAIL;
    }
    this.#tagAt = i + 6;
    this.#ind1At = i + 17;
    this.#ind2At = i + 26;
    this.#codeAt = -1;
    this.#empty = false;
    return i + 29;
  }

  /** ` tag="xyz"` at `i`, its value printable ASCII. */
  #quickTag(buf: Uint8Array, i: number): boolean {
    if (buf[i] !== 0x20 || buf[i + 1] !== 0x74 || buf[i + 2] !== 0x61 || buf[i + 3] !== 0x67 || buf[i + 4] !== 0x3d || buf[i + 5] !== 0x22 || buf[i + 9] !== 0x22) return false;
    for (let k = 6; k < 9; k++) {
      const v = buf[i + k] as number;
      if (!printable(v) || v === 0x22 || v === 0x3c || v === 0x26) return false;
    }
    return true;
  }

  /** Past blanks (space, tab, newline), counting newlines. */
  #blanks(buf: Uint8Array, i: number, limit: number): number {
    while (i < limit) {
      const b = buf[i] as number;
      if (b === 0x20 || b === 0x09) i++;
      else if (b === 0x0a) {
        this.#lines++;
        this.#lastNewline = i;
        this.#contAtNewline = this.#cont;
        i++;
      } else break;
    }
    return i;
  }

  /** An end tag `</name>` (blanks allowed before '>') at `lt`, for the name at `nameAt`. */
  #endTag(buf: Uint8Array, lt: number, limit: number, nameAt: number, nameLength: number): number {
    let i = lt + 2;
    if (i + nameLength >= limit) return INCOMPLETE;
    if (buf[lt + 1] !== 0x2f) return FAIL;
    for (let k = 0; k < nameLength; k++) if (buf[i + k] !== buf[nameAt + k]) return FAIL;
    i += nameLength;
    if (buf[i] === 0x3e) return i + 1;
    if (!isWs(buf[i] as number)) return FAIL;
    i = this.#blanks(buf, i, limit);
    if (i >= limit) return INCOMPLETE;
    return buf[i] === 0x3e ? i + 1 : FAIL;
  }

  /** A comment `<!-- … -->` at `lt`: its end, with its characters checked and counted. */
  #comment(buf: Uint8Array, lt: number, limit: number): number {
    if (lt + 4 > limit) return INCOMPLETE;
    if (buf[lt + 2] !== 0x2d || buf[lt + 3] !== 0x2d) return FAIL;
    let i = lt + 4;
    for (;;) {
      if (i + 2 >= limit) return INCOMPLETE;
      const b = buf[i] as number;
      if (b === 0x2d && buf[i + 1] === 0x2d) return buf[i + 2] === 0x3e ? i + 3 : FAIL;
      if (b >= 0x20 && b < 0x80) i++;
      else if (b === 0x0a) {
        this.#lines++;
        this.#lastNewline = i;
        this.#contAtNewline = this.#cont;
        i++;
      } else if (b === 0x09) i++;
      else {
        const next = this.#multibyte(buf, i, limit, false);
        if (next < 0) return next;
        i = next;
      }
    }
  }

  /**
   * A UTF-8 sequence at `i` (its lead byte ≥ 0x80): the offset past it, copied to `#out` when
   * `copy`, or FAIL (invalid, or a character XML forbids) / INCOMPLETE.
   */
  #multibyte(buf: Uint8Array, i: number, limit: number, copy: boolean): number {
    const b = buf[i] as number;
    let n: number;
    if (b < 0xc2) return FAIL;
    if (b < 0xe0) {
      if (i + 1 >= limit) return INCOMPLETE;
      if (((buf[i + 1] as number) & 0xc0) !== 0x80) return FAIL;
      n = 2;
    } else if (b < 0xf0) {
      if (i + 2 >= limit) return INCOMPLETE;
      const c1 = buf[i + 1] as number;
      const c2 = buf[i + 2] as number;
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return FAIL;
      if (b === 0xe0 && c1 < 0xa0) return FAIL;
      if (b === 0xed && c1 >= 0xa0) return FAIL; // surrogates
      if (b === 0xef && c1 === 0xbf && c2 >= 0xbe) return FAIL; // U+FFFE, U+FFFF
      n = 3;
    } else if (b < 0xf5) {
      if (i + 3 >= limit) return INCOMPLETE;
      const c1 = buf[i + 1] as number;
      if ((c1 & 0xc0) !== 0x80 || ((buf[i + 2] as number) & 0xc0) !== 0x80 || ((buf[i + 3] as number) & 0xc0) !== 0x80) return FAIL;
      if ((b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 >= 0x90)) return FAIL;
      n = 4;
      this.#astral++;
    } else {
      return FAIL;
    }
    this.#cont += n - 1;
    if (copy) {
      const out = this.#out;
      let o = this.#o;
      for (let k = 0; k < n; k++) out[o++] = buf[i + k] as number;
      this.#o = o;
      this.#ascii = false;
    }
    return i + n;
  }

  /** Text from `i` to the next '<' copied to `#out`, references resolved: the '<''s offset. */
  #text(buf: Uint8Array, i: number, limit: number): number {
    let out = this.#out;
    let o = this.#o;
    // Nothing writes more than it reads: stop reading before the output could fill.
    let stop = Math.min(limit, i + (out.length - o - 8));
    for (;;) {
      if (i >= stop) {
        if (i >= limit) return INCOMPLETE;
        if (out.length >= OUT_SIZE) return FAIL;
        this.#o = o;
        this.#grow();
        out = this.#out;
        stop = Math.min(limit, i + (out.length - o - 8));
        continue;
      }
      const b = buf[i] as number;
      if (b >= 0x20 && b < 0x7f && b !== 0x3c && b !== 0x26 && b !== 0x5d) {
        out[o++] = b;
        i++;
        continue;
      }
      if (b === 0x3c) break;
      if (b === 0x0a) {
        this.#lines++;
        this.#lastNewline = i;
        this.#contAtNewline = this.#cont;
        out[o++] = b;
        i++;
      } else if (b === 0x09 || b === 0x7f) {
        out[o++] = b;
        i++;
      } else if (b === 0x5d) {
        // ']]>' is not allowed in text.
        if (i + 2 >= limit) return INCOMPLETE;
        if (buf[i + 1] === 0x5d && buf[i + 2] === 0x3e) return FAIL;
        out[o++] = b;
        i++;
      } else if (b === 0x26) {
        this.#o = o;
        i = this.#reference(buf, i, limit);
        if (i < 0) return i;
        o = this.#o;
      } else if (b >= 0x80) {
        this.#o = o;
        i = this.#multibyte(buf, i, limit, true);
        if (i < 0) return i;
        o = this.#o;
      } else {
        return FAIL; // CR and the control characters XML forbids
      }
    }
    this.#o = o;
    return i;
  }

  /** A reference at `i` (its '&'), resolved into `#out`. */
  #reference(buf: Uint8Array, i: number, limit: number): number {
    let j = i + 1;
    if (j >= limit) return INCOMPLETE;
    let code: number;
    if (buf[j] === 0x23) {
      j++;
      if (j >= limit) return INCOMPLETE;
      const hex = buf[j] === 0x78;
      if (hex) j++;
      const digitsAt = j;
      code = 0;
      for (;;) {
        if (j >= limit) return INCOMPLETE;
        const d = buf[j] as number;
        if (d === 0x3b) break;
        let v: number;
        if (d >= 0x30 && d <= 0x39) v = d - 0x30;
        else if (hex && d >= 0x61 && d <= 0x66) v = d - 0x57;
        else if (hex && d >= 0x41 && d <= 0x46) v = d - 0x37;
        else return FAIL;
        code = code * (hex ? 16 : 10) + v;
        j++;
        if (j - digitsAt > (hex ? 6 : 7)) return FAIL;
      }
      if (j === digitsAt) return FAIL;
      if (!(code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff))) return FAIL;
    } else {
      // amp; lt; gt; quot; apos;
      if (j + 4 >= limit) {
        // Could still be one: wait, unless it already cannot.
        return INCOMPLETE;
      }
      const a = buf[j] as number;
      const b1 = buf[j + 1] as number;
      const b2 = buf[j + 2] as number;
      if (a === 0x6c && b1 === 0x74 && b2 === 0x3b) {
        code = 0x3c;
        j += 2;
      } else if (a === 0x67 && b1 === 0x74 && b2 === 0x3b) {
        code = 0x3e;
        j += 2;
      } else if (a === 0x61 && b1 === 0x6d && b2 === 0x70 && buf[j + 3] === 0x3b) {
        code = 0x26;
        j += 3;
      } else if (a === 0x71 && b1 === 0x75 && b2 === 0x6f && buf[j + 3] === 0x74 && buf[j + 4] === 0x3b) {
        code = 0x22;
        j += 4;
      } else if (a === 0x61 && b1 === 0x70 && b2 === 0x6f && buf[j + 3] === 0x73 && buf[j + 4] === 0x3b) {
        code = 0x27;
        j += 4;
      } else {
        return FAIL;
      }
    }
    const out = this.#out;
    let o = this.#o;
    if (code < 0x80) out[o++] = code;
    else {
      this.#ascii = false;
      if (code < 0x800) {
        out[o++] = 0xc0 | (code >> 6);
        out[o++] = 0x80 | (code & 0x3f);
      } else if (code < 0x10000) {
        out[o++] = 0xe0 | (code >> 12);
        out[o++] = 0x80 | ((code >> 6) & 0x3f);
        out[o++] = 0x80 | (code & 0x3f);
      } else {
        out[o++] = 0xf0 | (code >> 18);
        out[o++] = 0x80 | ((code >> 12) & 0x3f);
        out[o++] = 0x80 | ((code >> 6) & 0x3f);
        out[o++] = 0x80 | (code & 0x3f);
      }
    }
    this.#o = o;
    return j + 1;
  }
}

function isControl(tag: number): boolean {
  return tag >>> 8 === 0x3030 && isDigit(tag & 0xff);
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function digits(out: Uint8Array, at: number, value: number, width: number): void {
  for (let k = width - 1; k >= 0; k--) {
    out[at + k] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
}

/** Valid UTF-8 bytes [from, to) as a string (a short ASCII run without a decoder call). */
function utf8(buf: Uint8Array, from: number, to: number): string {
  if (to - from > 64) return UTF8.decode(buf.subarray(from, to));
  for (let k = from; k < to; k++) if ((buf[k] as number) >= 0x80) return UTF8.decode(buf.subarray(from, to));
  return latin1(buf, from, to);
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(buf[k] as number);
  return s;
}
