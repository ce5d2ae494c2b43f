/**
 * ISO 2709 writer: lengths in bytes, directory and base address recomputed, leader/09 matching
 * what is written.
 *
 * Untouched records are written back as the bytes they were read from; untouched fields of
 * edited records are copied from the source bytes. Only changed text is encoded.
 */

import { MarcError } from '../errors.js';
import { getEncoder, type DecodeProblem, type FieldEncoder } from '../encoding/charset.js';
import { isControlTag, type Field, type FieldSource } from '../record/field.js';
import { holdsEntry, type LazyFields, type Record } from '../record/record.js';
import { isAsciiString, writeUtf8 } from '../util/bytes.js';
import * as iso from './constants.js';

// Module-local copies: an imported binding is loaded from its module cell, with a hole check, at
// every use in a hot loop; a local const is folded into the compiled code (see parser.ts).
const DIRECTORY_ENTRY_LENGTH = iso.DIRECTORY_ENTRY_LENGTH;
const FIELD_TERMINATOR = iso.FIELD_TERMINATOR;
const LEADER_LENGTH = iso.LEADER_LENGTH;
const MAX_ISO2709_LENGTH = iso.MAX_ISO2709_LENGTH;
const RECORD_TERMINATOR = iso.RECORD_TERMINATOR;
const SUBFIELD_DELIMITER = iso.SUBFIELD_DELIMITER;

export interface WriteOptions {
  /**
   * 'utf-8' (default) writes Unicode and sets leader/09 to 'a' (left as it is when every byte
   * written is ASCII, since both readings agree); 'marc-8' converts and sets leader/09 blank;
   * 'preserve' writes each record in the encoding it was read in (an untouched record as its
   * exact bytes, whatever the encoding).
   */
  encoding?: 'utf-8' | 'utf8' | 'marc-8' | 'marc8' | 'preserve';
  /**
   * A record over 99,999 bytes cannot state its length. 'error' (default) throws E404;
   * 'truncate-length' writes it whole with length 99999 (and 99999 for positions past it). A
   * reader that frames by the record terminator gets every field back: mrrc does in lenient mode,
   * reporting the length (E001) and the fields it found by their terminators (E102). yaz-marcdump
   * 5.34 does not read such a record (it stops: "EOF while searching for RS"); writing one, it
   * drops fields until the record fits, without a word.
   */
  oversize?: 'error' | 'truncate-length';
  /** Options for the MARC-8 encoder ('lossless' NCRs by default). */
  marc8?: unknown;
}

type Target = 'utf-8' | 'marc-8';

function targetFor(record: Record, encoding: WriteOptions['encoding']): Target {
  if (encoding === 'marc-8' || encoding === 'marc8') return 'marc-8';
  if (encoding === 'preserve') {
    const origin = record.origin;
    return origin !== null && origin.encoding === 'marc-8' && !origin.ascii ? 'marc-8' : 'utf-8';
  }
  return 'utf-8';
}

/** Growable byte buffer reused across records. */
class ByteSink {
  buf = new Uint8Array(64 * 1024);
  length = 0;
  /** Set when a non-ASCII string was written, so leader/09 can say 'a'. */
  wroteNonAscii = false;

  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    this.buf.set(src.subarray(start, end), this.length);
    this.length += end - start;
  }

  utf8(text: string): void {
    const length = text.length;
    if (length === 1 && text.charCodeAt(0) < 0x80) {
      this.ensure(1);
      this.buf[this.length++] = text.charCodeAt(0);
      return;
    }
    // One native write into room for the worst case (3 bytes per UTF-16 unit) instead of
    // measuring first: a byte count equal to the length means the text was ASCII.
    this.ensure(length * 3);
    const written = writeUtf8(this.buf, text, this.length);
    if (written !== length) this.wroteNonAscii = true;
    this.length += written;
  }
}

/** Writes records one after another; reuses its buffers, so keep one per output. */
export class Iso2709Writer {
  readonly #options: WriteOptions;
  readonly #data = new ByteSink();
  #encoder: FieldEncoder | null = null;
  #finished = false;
  #ends = new Int32Array(64);
  #tagAt = new Int32Array(64);
  #tagText: string[] = [];
  #written = 0;

  constructor(options: WriteOptions = {}) {
    const encoding = options.encoding;
    if (encoding !== undefined && !['utf-8', 'utf8', 'marc-8', 'marc8', 'preserve'].includes(encoding)) {
      throw new RangeError(`ISO 2709 is written in 'utf-8', 'marc-8' or 'preserve' (each record's own), not ${JSON.stringify(encoding)}`);
    }
    this.#options = options;
  }

  get recordsWritten(): number {
    return this.#written;
  }

  /**
   * The record's ISO 2709 bytes. For an untouched record these are its source bytes themselves
   * (no copy): treat the result as read-only, and copy it before changing it.
   */
  write(record: Record): Uint8Array {
    if (this.#finished) throw new MarcError('E404', 'this writer was finished; create a new one', { source: 'iso2709' });
    const target = targetFor(record, this.#options.encoding);
    const origin = record.origin;
    // An ASCII record reads the same in both, but its leader/09 says which it is: one flagged
    // UTF-8 ('a') is re-encoded for MARC-8 output, which says so (blank), as every other is.
    const passthrough = this.#options.encoding === 'preserve' || (target === 'marc-8' ? origin?.encoding === 'marc-8' : origin?.encoding === 'utf-8' || origin?.ascii === true);
    if (origin !== null && passthrough && record.isUntouched()) {
      this.#written++;
      // The record's own bytes, not a copy: copying was a third of a round trip's cost, and
      // nothing in mrrc writes to a record's source. Copy before modifying what is returned.
      return origin.raw;
    }
    const out = this.#encode(record, target);
    this.#written++;
    return out;
  }

  finish(): void {
    this.#finished = true;
  }

  #marc8(): FieldEncoder {
    this.#encoder ??= getEncoder('marc-8', this.#options.marc8);
    return this.#encoder;
  }

  #encode(record: Record, target: Target): Uint8Array {
    const view = record.lazyView();
    if (view !== null) {
      const patched = this.#encodePatched(record, view.lazy, view.slots, target);
      if (patched !== null) return patched;
    }
    const fields = view === null ? record.fields : null;
    const count = view === null ? (fields as Field[]).length : view.lazy.count;
    const data = this.#data;
    const ends = this.#begin(count);
    const tagAt = this.#tagAt;
    const tagText = this.#tagText;
    // A tag is the offset of its bytes in the lazy source, or -1 and a string for built fields.
    const lazySource = view === null ? null : view.lazy.source.bytes;
    let allAscii = true;
    const problems: DecodeProblem[] = [];
    // Untouched fields are copied from their source; neighbours in the source are copied as one
    // run (one memcpy for most of an edited record), terminators between them included.
    // (No closure for flushing: captured variables would live in a heap context in this loop.)
    let runSrc: Uint8Array | null = null;
    let runStart = 0;
    let runEnd = 0;
    for (let i = 0; i < count; i++) {
      let field: Field | undefined;
      let src: FieldSource | null = null;
      let from = 0;
      let to = 0;
      if (view !== null) {
        field = view.slots?.[i];
        if (field === undefined) {
          src = view.lazy.source;
          from = view.lazy.startOf(i);
          to = view.lazy.endOf(i);
          const at = view.lazy.tagOffsetOf(i);
          const bytes = lazySource as Uint8Array;
          if (!isPrintable(bytes[at] as number) || !isPrintable(bytes[at + 1] as number) || !isPrintable(bytes[at + 2] as number)) {
            checkTag(view.lazy.tagAt(i), record, i);
          }
          tagAt[i] = at;
          // A data field too short to hold its indicators (repaired on read) is built, and so
          // written with the blank ones it reads as, rather than copied short again.
          if (to - from < 2 && !isControlTag(view.lazy.tagAt(i))) src = null;
        }
      } else {
        field = (fields as Field[])[i] as Field;
      }
      if (field !== undefined) {
        tagAt[i] = -1;
        tagText[i] = field.tag;
        checkTag(field.tag, record, i);
        const range = field.sourceRange();
        if (range !== null) {
          src = range.src;
          from = range.start;
          to = range.end;
        }
      }
      if (src !== null && copiesTo(src, target)) {
        const bytes = src.bytes;
        if (!src.ascii) allAscii = false;
        if (runSrc === bytes && from === runEnd + 1 && bytes[runEnd] === FIELD_TERMINATOR) {
          runEnd = to;
        } else {
          if (runSrc !== null) {
            data.bytes(runSrc, runStart, runEnd);
            data.byte(FIELD_TERMINATOR);
          }
          runSrc = bytes;
          runStart = from;
          runEnd = to;
        }
        ends[i] = data.length + (runEnd - runStart) + 1;
        continue;
      }
      if (runSrc !== null) {
        data.bytes(runSrc, runStart, runEnd);
        data.byte(FIELD_TERMINATOR);
        runSrc = null;
      }
      this.#appendField(field ?? (view as NonNullable<typeof view>).lazy.build(i), target, problems, record, i);
      ends[i] = data.length;
    }
    if (runSrc !== null) {
      data.bytes(runSrc, runStart, runEnd);
      data.byte(FIELD_TERMINATOR);
    }
    if (data.wroteNonAscii) allAscii = false;

    const base = LEADER_LENGTH + count * DIRECTORY_ENTRY_LENGTH + 1;
    const total = base + data.length + 1;
    if (base > MAX_ISO2709_LENGTH) {
      throw new MarcError('E404', `${count} fields need a ${base}-byte directory, beyond ISO 2709's 99999`, { source: 'iso2709', ...recordContext(record) });
    }
    let lengthField = total;
    if (total > MAX_ISO2709_LENGTH) {
      if (this.#options.oversize !== 'truncate-length') {
        throw new MarcError('E404', `record is ${total} bytes, beyond ISO 2709's 99999 (write with oversize: 'truncate-length' to keep it whole)`, { source: 'iso2709', ...recordContext(record) });
      }
      lengthField = MAX_ISO2709_LENGTH;
    }

    const out = allocBytes(total);
    writeLeader(out, record, lengthField, base, target, allAscii);

    let start = 0;
    for (let i = 0; i < count; i++) {
      const e = LEADER_LENGTH + i * DIRECTORY_ENTRY_LENGTH;
      const at = tagAt[i] as number;
      let tag: string;
      if (at >= 0) {
        const bytes = lazySource as Uint8Array;
        out[e] = bytes[at] as number;
        out[e + 1] = bytes[at + 1] as number;
        out[e + 2] = bytes[at + 2] as number;
        tag = '';
      } else {
        tag = tagText[i] as string;
        out[e] = tag.charCodeAt(0);
        out[e + 1] = tag.charCodeAt(1);
        out[e + 2] = tag.charCodeAt(2);
      }
      const end = ends[i] as number;
      const length = end - start;
      if (length > 9999) {
        tag ||= latin1Tag(out, e);
        throw new MarcError('E404', `field ${tag} is ${length} bytes, beyond the directory's 4-digit length`, { source: 'iso2709', tag, ...recordContext(record) });
      }
      if (start > MAX_ISO2709_LENGTH) {
        if (this.#options.oversize !== 'truncate-length') {
          tag ||= latin1Tag(out, e);
          throw new MarcError('E404', `field ${tag} starts at ${start}, beyond the directory's 5-digit position`, { source: 'iso2709', tag, ...recordContext(record) });
        }
      }
      writeDigits(out, e + 3, length, 4);
      writeDigits(out, e + 7, Math.min(start, MAX_ISO2709_LENGTH), 5);
      start = end;
    }
    out[base - 1] = FIELD_TERMINATOR;
    out.set(data.buf.subarray(0, data.length), base);
    out[total - 1] = RECORD_TERMINATOR;
    return out;
  }

  /**
   * A record read from ISO 2709 and edited in a few fields, whose source holds its fields end to
   * end in directory order (as writers lay them out): the source's directory and the data
   * between the edited fields are copied as they are, a few copies in all, and only the edited
   * fields are encoded and their directory entries, and the positions after them, rewritten. The
   * bytes are those `#encode`'s field-by-field loop writes (test/iso2709/roundtrip.test.ts).
   * The usual edit, one field of a record from a file, went from 3.4–3.6 to 3.1–3.2 µs a record
   * read, edited and written (realistic.mrc). Null when the record is not like that, or is one
   * the writer refuses (`#encode` says why).
   */
  #encodePatched(record: Record, lazy: LazyFields, slots: readonly (Field | undefined)[] | null, target: Target): Uint8Array | null {
    const origin = record.origin;
    const src = lazy.source;
    const raw = src.bytes;
    if (origin === null || !origin.clean || origin.raw !== raw) return null;
    if (!copiesTo(src, target)) return null;
    const count = lazy.count;
    const length = raw.length;
    const base = LEADER_LENGTH + count * DIRECTORY_ENTRY_LENGTH + 1;
    // Field i's content is [startOf(i), endOf(i)), its terminator at endOf(i): the fields must
    // run from the base address to the record terminator, one after another.
    if (lazy.startOf(0) !== base || lazy.endOf(count - 1) !== length - 2) return null;
    for (let i = 1; i < count; i++) if (lazy.startOf(i) !== lazy.endOf(i - 1) + 1) return null;

    const data = this.#data;
    // Per entry: where its new bytes end in `data`, or -1 for the source's bytes.
    const ends = this.#begin(count);
    const problems: DecodeProblem[] = [];
    let dataLength = length - 1 - base;
    let copied = count;
    for (let i = 0; i < count; i++) {
      ends[i] = -1;
      const field = slots === null ? undefined : slots[i];
      if (field === undefined) continue;
      checkTag(field.tag, record, i);
      if (holdsEntry(field, lazy, i)) continue;
      // A field taken from another record: #encode copies its own source bytes.
      if (field.sourceRange() !== null) return null;
      const from = data.length;
      this.#appendField(field, target, problems, record, i);
      const fieldLength = data.length - from;
      if (fieldLength > 9999) return null;
      ends[i] = data.length;
      dataLength += fieldLength - (lazy.endOf(i) + 1 - lazy.startOf(i));
      copied--;
    }
    const total = base + dataLength + 1;
    if (total > MAX_ISO2709_LENGTH) return null;
    const out = allocBytes(total);
    // The directory and the data before the first edited field in one copy, and the data
    // between edited fields in one each; then the directory entries that changed.
    let from = LEADER_LENGTH;
    let at = LEADER_LENGTH;
    let dataAt = 0;
    for (let i = 0; i < count; i++) {
      const end = ends[i] as number;
      if (end < 0) continue;
      const start = lazy.startOf(i);
      out.set(raw.subarray(from, start), at);
      at += start - from;
      out.set(data.buf.subarray(dataAt, end), at);
      at += end - dataAt;
      dataAt = end;
      from = lazy.endOf(i) + 1;
    }
    out.set(raw.subarray(from, length), at);
    writeLeader(out, record, total, base, target, (copied === 0 || src.ascii) && !data.wroteNonAscii);
    // How far the edits before an entry moved its data.
    let shift = 0;
    dataAt = 0;
    for (let i = 0; i < count; i++) {
      const e = LEADER_LENGTH + i * DIRECTORY_ENTRY_LENGTH;
      const field = slots === null ? undefined : slots[i];
      if (field !== undefined) {
        // Its tag may have been changed since it was read.
        const tag = field.tag;
        out[e] = tag.charCodeAt(0);
        out[e + 1] = tag.charCodeAt(1);
        out[e + 2] = tag.charCodeAt(2);
      }
      const end = ends[i] as number;
      if (end < 0) {
        if (shift !== 0) writeDigits(out, e + 7, lazy.startOf(i) - base + shift, 5);
        continue;
      }
      const fieldLength = end - dataAt;
      writeDigits(out, e + 3, fieldLength, 4);
      writeDigits(out, e + 7, lazy.startOf(i) - base + shift, 5);
      shift += fieldLength - (lazy.endOf(i) + 1 - lazy.startOf(i));
      dataAt = end;
    }
    return out;
  }

  /** Empties the data and makes room for `count` entries; returns the entries' ends. */
  #begin(count: number): Int32Array {
    this.#data.length = 0;
    this.#data.wroteNonAscii = false;
    // Reused across records: a typed array per record costs more than encoding a short field.
    if (this.#ends.length < count) {
      this.#ends = new Int32Array(Math.max(count, this.#ends.length * 2));
      this.#tagAt = new Int32Array(this.#ends.length);
    }
    return this.#ends;
  }

  /** A field's bytes, terminator included, appended to the data. */
  #appendField(built: Field, target: Target, problems: DecodeProblem[], record: Record, index: number): void {
    const data = this.#data;
    // A field still as read (re-encoded only to change its charset) holds what its source held;
    // checking every character of it cost a tenth of a MARC-8 → UTF-8 conversion.
    if (!built.isPristine()) checkContent(built, record, index);
    if (target === 'marc-8') {
      this.#encodeMarc8(built, problems, record, index);
    } else if (built.isControlField()) {
      data.utf8(built.data);
    } else {
      data.byte(indicatorByte(built.ind1, target, built, record, index));
      data.byte(indicatorByte(built.ind2, target, built, record, index));
      for (const sf of built.subfieldList()) {
        // An empty code holds text that stood before the first delimiter in a malformed
        // field (kept by lenient reading); write it back where it was, without a delimiter.
        if (sf.code !== '') {
          data.byte(SUBFIELD_DELIMITER);
          data.utf8(sf.code);
        }
        data.utf8(sf.value);
      }
    }
    data.byte(FIELD_TERMINATOR);
  }

  #encodeMarc8(field: Field, problems: DecodeProblem[], record: Record, index: number): void {
    const encoder = this.#marc8();
    const data = this.#data;
    problems.length = 0;
    let bytes: Uint8Array;
    if (field.isControlField()) {
      bytes = encoder.encode(field.data, problems);
    } else {
      data.byte(indicatorByte(field.ind1, 'marc-8', field, record, index));
      data.byte(indicatorByte(field.ind2, 'marc-8', field, record, index));
      let text = '';
      for (const sf of field.subfieldList()) text += (sf.code === '' ? '' : '\x1f' + sf.code) + sf.value;
      bytes = encoder.encode(text, problems);
    }
    const first = problems[0];
    if (first !== undefined) {
      throw new MarcError(first.code, first.message, { source: 'marc8', tag: field.tag, ...recordContext(record) });
    }
    data.bytes(bytes, 0, bytes.length);
  }
}

// Node's Buffer.allocUnsafe carves small buffers from a shared pool, several times cheaper than a
// fresh ArrayBuffer per record; every byte of the record is written below, so nothing stale leaks.
const NodeBuffer = (globalThis as { Buffer?: { allocUnsafe(size: number): Uint8Array } }).Buffer;

function allocBytes(size: number): Uint8Array {
  return NodeBuffer !== undefined ? NodeBuffer.allocUnsafe(size) : new Uint8Array(size);
}

/**
 * An indicator is one byte, whatever the record's encoding: written as text (two bytes of UTF-8,
 * or a MARC-8 combining mark and its letter) a non-ASCII one shifted the field, and the next read
 * took its second byte for the second indicator. Readers keep a non-ASCII indicator byte as its
 * Latin-1 character, so in MARC-8 output that character goes back as the byte it was read from;
 * in UTF-8 output that byte would make the record invalid UTF-8 (read back as MARC-8, all its
 * text with it), so the record is refused, as is any character above U+00FF. Empty is blank.
 */
function indicatorByte(indicator: string, target: Target, field: Field, record: Record, index: number): number {
  const c = indicator.length === 0 ? 0x20 : indicator.charCodeAt(0);
  // The rest apart, so that this stays small enough to inline where every built field is written.
  return c < 0x80 ? c : nonAsciiIndicatorByte(indicator, c, target, field, record, index);
}

function nonAsciiIndicatorByte(indicator: string, c: number, target: Target, field: Field, record: Record, index: number): number {
  if (c <= 0xff && target === 'marc-8') return c;
  const hex = c.toString(16).toUpperCase().padStart(4, '0');
  throw contentError(record, field.tag, index, `indicator ${JSON.stringify(indicator)} (U+${hex}) is not ${target === 'marc-8' ? 'a single byte' : 'ASCII, and an indicator is one byte: in UTF-8 it would take more'}; MARC 21 indicators are blanks, digits and lowercase letters`);
}

function isPrintable(b: number): boolean {
  return b >= 0x20 && b <= 0x7e;
}

function latin1Tag(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] as number, bytes[at + 1] as number, bytes[at + 2] as number);
}

function checkTag(tag: string, record: Record, index: number): void {
  if (tag.length === 3 && isAsciiString(tag)) return;
  throw new MarcError('E404', `field ${index} has tag ${JSON.stringify(tag)}; ISO 2709 tags are 3 ASCII characters`, { source: 'iso2709', tag, ...recordContext(record) });
}

/**
 * What would not read back as it was written, refused rather than written: a two-character
 * indicator or code would lose a character, a code that is a delimiter or terminator would not be
 * a code, and a subfield delimiter (0x1F) inside a value would start a new subfield. (A 0x1E or
 * 0x1D inside a field is held by the directory's length and reads back the same, here and in
 * readers that follow the directory; records with them exist, and are written as they came. An
 * empty indicator is written blank; an empty code is text that stood before a field's first
 * delimiter, written back as it was.)
 */
function checkContent(field: Field, record: Record, index: number): void {
  if (field.isControlField()) return;
  if (field.ind1.length > 1 || field.ind2.length > 1) {
    throw contentError(record, field.tag, index, `indicators ${JSON.stringify(field.ind1)} and ${JSON.stringify(field.ind2)}: each is one character`);
  }
  for (const sf of field.subfieldList()) {
    const code = sf.code.charCodeAt(0);
    if (sf.code.length > 1 || (code >= 0x1d && code <= 0x1f)) {
      throw contentError(record, field.tag, index, `subfield code ${JSON.stringify(sf.code)}: a code is one character, not a delimiter or terminator`);
    }
    const at = sf.value.indexOf('\x1f');
    if (at >= 0) throw contentError(record, field.tag, index, `$${sf.code} holds a subfield delimiter (0x1F) at character ${at}, which would start a new subfield on the next read`);
  }
}

function contentError(record: Record, tag: string, index: number, what: string): MarcError {
  return new MarcError('E404', `field ${index} (${tag}) cannot be written as ISO 2709: ${what}`, { source: 'iso2709', tag, ...recordContext(record) });
}

function recordContext(record: Record): { recordIndex?: number; controlNumber?: string } {
  const control = record.get('001');
  return {
    recordIndex: record.origin?.recordIndex,
    controlNumber: control !== undefined && control.isControlField() ? control.data : undefined,
  };
}

/** Whether a field's bytes from `src` can be written as they are in `target`'s encoding. */
function copiesTo(src: FieldSource, target: Target): boolean {
  return target === 'utf-8' ? src.utf8Compatible : src.ascii || src.decoder.name === 'marc-8';
}

function writeLeader(out: Uint8Array, record: Record, lengthField: number, base: number, target: Target, allAscii: boolean): void {
  const rawLeader = record.unbuiltLeaderBytes();
  if (rawLeader !== null) out.set(rawLeader);
  else {
    const leader = record.leader.value;
    for (let i = 0; i < LEADER_LENGTH; i++) {
      // Readers take the leader's bytes as Latin-1, so up to U+00FF a character is its byte; one
      // above has none (it was written as its low byte: another character, in silence).
      const c = leader.charCodeAt(i);
      if (c > 0xff) throw leaderCharacterError(record, leader, i);
      out[i] = c;
    }
  }
  writeDigits(out, 0, lengthField, 5);
  writeDigits(out, 12, base, 5);
  if (target === 'marc-8') out[9] = 0x20;
  else if (!allAscii) out[9] = 0x61;
  // A leader repaired on read may hold non-digits here; write MARC 21's values, not garbage.
  if (out[10]! < 48 || out[10]! > 57) out[10] = 50;
  if (out[11]! < 48 || out[11]! > 57) out[11] = 50;
}

function leaderCharacterError(record: Record, leader: string, at: number): MarcError {
  const hex = leader.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
  return new MarcError('E404', `leader/${String(at).padStart(2, '0')} is ${JSON.stringify(leader.charAt(at))} (U+${hex}), which is no byte; a leader is 24 bytes`, { source: 'iso2709', ...recordContext(record) });
}

function writeDigits(out: Uint8Array, at: number, value: number, width: number): void {
  // Integer division: `% 10` and Math.floor on doubles were a tenth of an edit's cost.
  for (let i = width - 1; i >= 0; i--) {
    const q = (value / 10) | 0;
    out[at + i] = 48 + value - q * 10;
    value = q;
  }
}

const defaultWriter = new Iso2709Writer();

/** One record as ISO 2709 bytes. */
export function toMarc(record: Record, options?: WriteOptions): Uint8Array {
  return options === undefined ? defaultWriter.write(record) : new Iso2709Writer(options).write(record);
}
