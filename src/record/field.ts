/**
 * Control and data fields.
 *
 * Fields read from ISO 2709 start out as a byte range in their record (`FieldSource`) and build
 * their strings on first use, because building every subfield string is most of the cost of
 * parsing (field-notes: 145–320k records/s eager against ~1M/s for the framing alone). A field
 * whose content was never exposed for mutation keeps its byte range, so a writer can copy the
 * original bytes instead of re-encoding them: that is what makes untouched data round-trip
 * byte for byte and edits cheap.
 */

import type { DecodeProblem, FieldDecoder } from '../encoding/charset.js';

export const SUBFIELD_DELIMITER = '\x1f';

export interface Subfield {
  code: string;
  value: string;
}

/** The per-record state lazy fields decode from; shared by all fields of one record. */
export interface FieldSource {
  readonly bytes: Uint8Array;
  /** The whole record as Latin-1 when it is pure ASCII, so a field's text is a `substring`. */
  readonly asciiText: string | null;
  readonly decoder: FieldDecoder;
  /** True when a field's bytes can be copied verbatim into UTF-8 output. */
  readonly utf8Compatible: boolean;
  /** True when the source bytes are plain ASCII text (no MARC-8 escapes or references). */
  readonly ascii: boolean;
  /** Subfields per field above which decoding reports E008 (strict mode throws). */
  readonly maxSubfields?: number;
  /** Routes decoding problems: throws in strict mode, records them in lenient mode. */
  report(problems: DecodeProblem[], tag: string, subfieldCode?: string): void;
}

export interface FieldBase {
  tag: string;
  isControlField(): this is ControlField;
  isDataField(): this is DataField;
  /** Control field: its data. Data field: subfield values, each trimmed, joined by a space (pymarc). */
  value(): string;
  /** pymarc's human format: no $6, subject subdivisions ($v $x $y $z) after ' -- '. */
  formatField(): string;
  /** MARCMaker-style line (`=245  10$aTitle`), as pymarc's `str(field)`. */
  toString(): string;
  /** One line of yaz-marcdump's format: `001 ocm12345`, `245 10 $a Title / $c Author.` */
  dumpLine(): string;
  clone(): Field;
  /** @internal True while the field is still the bytes as read. */
  isPristine(): boolean;
  /** @internal The original bytes, when they can be copied verbatim into UTF-8 output. */
  rawRange(): { bytes: Uint8Array; start: number; end: number } | null;
  /**
   * @internal The field's whole content as read (indicators included, terminator excluded) and
   * the source it came from, while the field is pristine; writers copy it when the encodings agree.
   */
  sourceRange(): SourceRange | null;
}

export interface SourceRange {
  src: FieldSource;
  start: number;
  end: number;
}

export type Field = ControlField | DataField;

/**
 * Whether a subfield code (a byte, or a character's code) is one decoding keeps as it is:
 * printable ASCII but the blank. Any other is repaired and reported (E202); the readers' fast
 * paths hand a field with one to the decode, and eager reads skip the decode only without one.
 */
export function isPlainCode(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** pymarc's rule: tags below 010 made of digits hold control data; everything else has subfields. */
export function isControlTag(tag: string): boolean {
  if (tag.length !== 3) return false;
  const a = tag.charCodeAt(0);
  const b = tag.charCodeAt(1);
  const c = tag.charCodeAt(2);
  return a === 48 && b === 48 && c >= 48 && c <= 57;
}

/** A field's text from its source: a slice of the record's text when ASCII, else decoded (problems reported). */
function decodeRange(src: FieldSource, start: number, end: number, tag: string): string {
  if (src.asciiText !== null) return src.asciiText.substring(start, end);
  const problems: DecodeProblem[] = [];
  const text = src.decoder.decode(src.bytes, start, end, problems);
  if (problems.length > 0) {
    decodeReported = true;
    src.report(problems, tag);
  }
  return text;
}

/**
 * Set when decoding a field reported a problem; read right after a decode (single-threaded, no
 * await in between). Decoding the same bytes again reports the same problems, so a decode that
 * reported nothing may be repeated freely: `toJSON()` relies on that to hand its caller a fresh
 * decode instead of copying a cached one.
 */
let decodeReported = false;

/** Sentinel for the lazy constructor path. */
const LAZY: Subfield[] = [];

export class ControlField implements FieldBase {
  tag: string;
  #data: string | undefined;
  #src: FieldSource | null;
  #start: number;
  #end: number;

  constructor(tag: string, data = '') {
    this.tag = tag;
    this.#data = data;
    this.#src = null;
    this.#start = 0;
    this.#end = 0;
  }

  /** @internal Lazy construction by the ISO 2709 builder: `end` excludes the field terminator. */
  static fromSource(tag: string, src: FieldSource, start: number, end: number): ControlField {
    const field = new ControlField(tag);
    field.#data = undefined;
    field.#src = src;
    field.#start = start;
    field.#end = end;
    return field;
  }

  get data(): string {
    if (this.#data === undefined) this.#data = this.#decode();
    return this.#data;
  }

  set data(value: string) {
    this.#data = value;
    this.#src = null;
  }

  #decode(): string {
    return decodeRange(this.#src as FieldSource, this.#start, this.#end, this.tag);
  }

  /** @internal True while the data is still the bytes as read. */
  isPristine(): boolean {
    return this.#src !== null;
  }

  /** @internal The original bytes, when the data was never replaced and they are UTF-8-compatible. */
  rawRange(): { bytes: Uint8Array; start: number; end: number } | null {
    const src = this.#src;
    if (src === null || !src.utf8Compatible) return null;
    return { bytes: src.bytes, start: this.#start, end: this.#end };
  }

  /** @internal */
  sourceRange(): SourceRange | null {
    return this.#src === null ? null : { src: this.#src, start: this.#start, end: this.#end };
  }

  isControlField(): this is ControlField {
    return true;
  }

  isDataField(): this is DataField {
    return false;
  }

  value(): string {
    return this.data;
  }

  formatField(): string {
    return this.data;
  }

  toString(): string {
    return `=${this.tag}  ${this.data.replaceAll(' ', '\\')}`;
  }

  dumpLine(): string {
    // Subfields in a control field (DanMARC's 00X, say) are shown as yaz-marcdump does, not as
    // raw delimiter bytes on a terminal.
    const data = this.data;
    return `${this.tag} ${data.includes('\x1f') ? data.replace(/\x1f([^\x1f])/g, ' $$$1 ') : data}`;
  }

  clone(): ControlField {
    return new ControlField(this.tag, this.data);
  }

  toJSON(): { tag: string; value: string } {
    return { tag: this.tag, value: this.data };
  }
}

export class DataField implements FieldBase {
  tag: string;
  #ind1: string;
  #ind2: string;
  #subfields: Subfield[] | null;
  #src: FieldSource | null;
  /** Byte range of the subfield data: after the indicators, before the field terminator. */
  #start: number;
  #end: number;
  /** False once the subfields or indicators may have changed since they were read. */
  #pristine: boolean;

  constructor(tag: string, ind1 = ' ', ind2 = ' ', subfields?: Subfield[]) {
    this.tag = tag;
    this.#ind1 = ind1;
    this.#ind2 = ind2;
    // fromSource passes LAZY so that no empty array is allocated for fields decoded later.
    this.#subfields = subfields === LAZY ? null : (subfields ?? []);
    this.#src = null;
    this.#start = 0;
    this.#end = 0;
    this.#pristine = false;
  }

  /** @internal Lazy construction by the ISO 2709 builder. */
  static fromSource(tag: string, ind1: string, ind2: string, src: FieldSource, start: number, end: number, pristine: boolean): DataField {
    const field = new DataField(tag, ind1, ind2, LAZY);
    field.#src = src;
    field.#start = start;
    field.#end = end;
    field.#pristine = pristine;
    return field;
  }

  get ind1(): string { return this.#ind1; }
  set ind1(value: string) { this.#ind1 = value; this.#pristine = false; }
  get ind2(): string { return this.#ind2; }
  set ind2(value: string) { this.#ind2 = value; this.#pristine = false; }

  /** pymarc's `indicators` pair. */
  get indicators(): [string, string] {
    return [this.#ind1, this.#ind2];
  }
  set indicators(value: [string, string]) {
    this.ind1 = value[0];
    this.ind2 = value[1];
  }

  /**
   * The ordered subfields, for reading and editing in place. Handing out the live array means the
   * caller may change it, so from here on the field is re-encoded rather than copied on write.
   */
  get subfields(): Subfield[] {
    this.#pristine = false;
    return this.#parsed();
  }

  set subfields(value: Subfield[]) {
    this.#subfields = value;
    this.#pristine = false;
  }

  #parsed(): Subfield[] {
    if (this.#subfields === null) this.#subfields = this.#decodeSubfields();
    return this.#subfields;
  }

  #text(): string {
    return decodeRange(this.#src as FieldSource, this.#start, this.#end, this.tag);
  }

  #decodeSubfields(): Subfield[] {
    const text = this.#text();
    const out: Subfield[] = [];
    let at = text.indexOf(SUBFIELD_DELIMITER);
    if (at !== 0 && text.length > 0) {
      // Text before the first delimiter has no code. The builder already recorded this as an
      // E106 repair; keep the text under an empty code so nothing is lost or invented.
      out.push({ code: '', value: at < 0 ? text : text.substring(0, at) });
    }
    while (at >= 0) {
      const next = text.indexOf(SUBFIELD_DELIMITER, at + 1);
      const stop = next < 0 ? text.length : next;
      // A delimiter with neither code nor value (doubled, or trailing) holds nothing: skip it,
      // as pymarc does, rather than invent a subfield.
      if (stop <= at + 1) {
        at = next;
        continue;
      }
      let code = text.charAt(at + 1);
      const c = code.charCodeAt(0);
      if (!isPlainCode(c) && at + 1 < stop) code = this.#badCode(code);
      out.push({ code, value: text.substring(at + 2, stop) });
      at = next;
    }
    const max = this.#src?.maxSubfields;
    if (max !== undefined && out.length > max) {
      // An ISO 2709 field is at most 9,999 bytes, so this bounds nothing by itself; it is the
      // limit a caller asked for, reported like every other (lenient mode keeps the subfields).
      decodeReported = true;
      this.#src?.report([{ code: 'E008', message: `field has ${out.length} subfields, more than maxSubfields (${max})`, offset: this.#start }], this.tag);
    }
    return out;
  }

  /**
   * A subfield code outside printable ASCII. Strict mode throws (E202); lenient mode keeps the
   * character, except that an accented Latin letter (a cataloguer's 'á' for 'a', seen in pymarc's
   * bad_subfield_code.dat) becomes its base letter, as pymarc reads it. Either way it is reported.
   */
  #badCode(code: string): string {
    decodeReported = true;
    const base = code.normalize('NFD').charAt(0);
    const repaired = /^[a-z0-9]$/i.test(base) ? base : code;
    const hex = code.codePointAt(0)?.toString(16).padStart(4, '0') ?? '?';
    const note = repaired === code ? 'kept as read' : `read as ${JSON.stringify(repaired)}`;
    (this.#src as FieldSource).report([{ code: 'E202', message: `subfield code U+${hex} is not a printable ASCII character; ${note}`, offset: this.#start }], this.tag, repaired);
    return repaired;
  }

  /** @internal True while indicators and subfields are still the bytes as read. */
  isPristine(): boolean {
    return this.#pristine;
  }

  /** @internal The original subfield bytes, when they can be copied verbatim into UTF-8 output. */
  rawRange(): { bytes: Uint8Array; start: number; end: number } | null {
    if (!this.#pristine || this.#src === null || !this.#src.utf8Compatible) return null;
    return { bytes: this.#src.bytes, start: this.#start, end: this.#end };
  }

  /** @internal Pristine means both indicator bytes were read, so the content starts two earlier. */
  sourceRange(): SourceRange | null {
    if (!this.#pristine || this.#src === null) return null;
    return { src: this.#src, start: this.#start - 2, end: this.#end };
  }

  dumpLine(): string {
    let line = `${this.tag} ${this.#ind1}${this.#ind2}`;
    // Uncoded text (kept from a malformed field, reported on read) is printed without a `$`, so
    // the dump shows every byte of the field without inventing a subfield code.
    for (const sf of this.#parsed()) line += sf.code === '' ? ` ${sf.value}` : ` $${sf.code} ${sf.value}`;
    return line;
  }

  isControlField(): this is ControlField {
    return false;
  }

  isDataField(): this is DataField {
    return true;
  }

  /** Value of the first subfield with `code`, as pymarc's `field['a']`. */
  get(code: string): string | undefined {
    if (this.#subfields === null && this.#src !== null && this.#src.asciiText !== null) {
      return this.#asciiFirst(code);
    }
    return this.#decodedFirst(code);
  }

  // The common lookup on an untouched ASCII field, answered from the record text without
  // building the subfield array.
  #asciiFirst(code: string): string | undefined {
    const src = this.#src as FieldSource;
    const text = src.asciiText as string;
    // The record's bytes are its text, one for one: compare codes there (see trimmedAsciiSlice).
    const bytes = src.bytes;
    const wanted = code.length === 1 ? code.charCodeAt(0) : -1;
    const end = this.#end;
    let at = text.indexOf(SUBFIELD_DELIMITER, this.#start);
    while (at >= 0 && at < end) {
      const next = text.indexOf(SUBFIELD_DELIMITER, at + 1);
      const stop = next < 0 || next > end ? end : next;
      const c = bytes[at + 1] as number;
      if (at + 1 < stop) {
        if (c === wanted) return text.substring(at + 2, stop);
        // A code that needs repair (E202): the decode reports it, and repairs the code looked for.
        if (!isPlainCode(c)) return this.#decodedFirst(code);
      }
      if (stop === end) break;
      at = next;
    }
    return undefined;
  }

  #decodedFirst(code: string): string | undefined {
    for (const sf of this.#parsed()) if (sf.code === code) return sf.value;
    return undefined;
  }

  /**
   * The subfields for reading, without marking the field as changed (unlike `subfields`). Do not
   * modify what it returns: edits made through it would not be written.
   */
  subfieldList(): readonly Readonly<Subfield>[] {
    return this.#parsed();
  }

  /**
   * The subfield codes in field order, as `subfieldList()` has them (an empty code for text
   * before the first delimiter). An untouched ASCII field answers from its bytes, without
   * building the values; one with a code that needs repair decodes as usual, so it is reported.
   */
  subfieldCodes(): string[] {
    const src = this.#src;
    if (this.#subfields === null && src !== null && src.asciiText !== null && src.maxSubfields === undefined) {
      const codes = this.#asciiCodes(src.asciiText, src.bytes);
      if (codes !== null) return codes;
    }
    return this.#parsed().map((sf) => sf.code);
  }

  // Null when decoding would report something, or when the field has uncoded text (left to the decode).
  #asciiCodes(text: string, bytes: Uint8Array): string[] | null {
    const end = this.#end;
    let at = this.#start;
    if (at < end && bytes[at] !== 0x1f) return null;
    const out: string[] = [];
    while (at >= 0 && at < end) {
      const codeAt = at + 1;
      if (codeAt < end && bytes[codeAt] !== 0x1f) {
        const c = bytes[codeAt] as number;
        if (!isPlainCode(c)) return null;
        out.push(text.charAt(codeAt));
      }
      at = text.indexOf(SUBFIELD_DELIMITER, codeAt);
    }
    return out;
  }

  /** Values of every subfield whose code is among `codes`, in field order (pymarc get_subfields). */
  getAll(...codes: string[]): string[] {
    const out: string[] = [];
    for (const sf of this.#parsed()) if (sf.code !== '' && (codes.length === 0 || codes.includes(sf.code))) out.push(sf.value);
    return out;
  }

  /** Alias kept for pymarc users. */
  getSubfields(...codes: string[]): string[] {
    return this.getAll(...codes);
  }

  has(code: string): boolean {
    return this.get(code) !== undefined;
  }

  /** Appends a subfield, or inserts it at subfield index `position`. */
  addSubfield(code: string, value: string, position?: number): this {
    const subfields = this.subfields;
    if (position === undefined || position >= subfields.length) subfields.push({ code, value });
    else subfields.splice(Math.max(0, position), 0, { code, value });
    return this;
  }

  /**
   * Sets the value of the one subfield with `code` (pymarc's `field['a'] = v`). Throws when there
   * is none or more than one, because silently picking one would hide a data problem.
   */
  setSubfield(code: string, value: string): this {
    const subfields = this.subfields;
    let found: Subfield | undefined;
    for (const sf of subfields) {
      if (sf.code !== code) continue;
      if (found !== undefined) throw new RangeError(`field ${this.tag} has more than one $${code}`);
      found = sf;
    }
    if (found === undefined) throw new RangeError(`field ${this.tag} has no $${code}`);
    found.value = value;
    return this;
  }

  /** Removes the first subfield with `code` and returns its value (pymarc delete_subfield). */
  removeSubfield(code: string): string | undefined {
    const subfields = this.subfields;
    const index = subfields.findIndex((sf) => sf.code === code);
    if (index < 0) return undefined;
    const [removed] = subfields.splice(index, 1);
    return removed?.value;
  }

  /** Removes every subfield with one of `codes`; returns how many went. */
  removeSubfields(...codes: string[]): number {
    const subfields = this.subfields;
    let kept = 0;
    for (const sf of subfields) if (!codes.includes(sf.code)) subfields[kept++] = sf;
    const removed = subfields.length - kept;
    subfields.length = kept;
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<Subfield> {
    yield* this.subfields;
  }

  value(): string {
    const src = this.#src;
    if (this.#subfields === null && src !== null && src.asciiText !== null) return this.#asciiValue(src.asciiText, src.bytes);
    return this.#decodedValue();
  }

  #decodedValue(): string {
    let out = '';
    let first = true;
    for (const sf of this.#parsed()) {
      if (sf.code === '') continue;
      out = first ? sf.value.trim() : out + ' ' + sf.value.trim();
      first = false;
    }
    return out;
  }

  #asciiValue(text: string, bytes: Uint8Array): string {
    const end = this.#end;
    let at = this.#start;
    // A well-formed field's data starts with the delimiter: skip the search (each indexOf call
    // costs about as much as a short substring).
    if (bytes[at] !== 0x1f || at >= end) {
      at = text.indexOf(SUBFIELD_DELIMITER, at);
      if (at < 0 || at >= end) return '';
    }
    let out = '';
    let first = true;
    while (true) {
      const next = text.indexOf(SUBFIELD_DELIMITER, at + 1);
      const stop = next < 0 || next > end ? end : next;
      if (at + 1 >= stop) {
        // Empty delimiter: no subfield (see #decodeSubfields).
        if (stop === end) return out;
        at = next;
        continue;
      }
      const c = bytes[at + 1] as number;
      // A code that needs repair (E202): the decode reports it (the value is the same).
      if (!isPlainCode(c)) return this.#decodedValue();
      const piece = at + 2 < stop ? trimmedAsciiSlice(text, bytes, at + 2, stop) : '';
      out = first ? piece : out + ' ' + piece;
      first = false;
      if (stop === end) return out;
      at = next;
    }
  }

  isSubjectField(): boolean {
    return this.tag.charAt(0) === '6';
  }

  formatField(): string {
    const subject = this.isSubjectField();
    let out = '';
    for (const sf of this.#parsed()) {
      if (sf.code === '6' || sf.code === '') continue;
      if (subject && (sf.code === 'v' || sf.code === 'x' || sf.code === 'y' || sf.code === 'z')) out += ` -- ${sf.value}`;
      else out += ` ${sf.value}`;
    }
    return out.trim();
  }

  toString(): string {
    let text = `=${this.tag}  ${indicatorText(this.#ind1)}${indicatorText(this.#ind2)}`;
    // Uncoded text (kept from a malformed field, reported on read) follows the indicators without
    // a `$`, as MARCMaker writes it: shown, and no subfield code invented.
    for (const sf of this.#parsed()) text += sf.code === '' ? sf.value : `$${sf.code}${sf.value}`;
    return text;
  }

  clone(): DataField {
    return new DataField(this.tag, this.#ind1, this.#ind2, this.#parsed().map((sf) => ({ code: sf.code, value: sf.value })));
  }

  toJSON(): { tag: string; ind1: string; ind2: string; subfields: Subfield[] } {
    if (this.#subfields === null && this.#src !== null) {
      // Not decoded yet: decode for the caller, who owns the result, and keep nothing (half the
      // allocation of decoding, caching and copying). A decode that reported problems is kept,
      // so they are not reported again on the next access.
      decodeReported = false;
      const fresh = this.#decodeSubfields();
      if (!decodeReported) return { tag: this.tag, ind1: this.#ind1, ind2: this.#ind2, subfields: fresh };
      this.#subfields = fresh;
    }
    return { tag: this.tag, ind1: this.#ind1, ind2: this.#ind2, subfields: this.#parsed().map((sf) => ({ code: sf.code, value: sf.value })) };
  }
}

/**
 * `text.substring(from, to).trim()` for a record's ASCII text without allocating twice. The blanks
 * are tested on its bytes (the text is the bytes, one for one): an element load costs less than
 * `charCodeAt` on a string whose representation the compiler cannot know.
 */
function trimmedAsciiSlice(text: string, bytes: Uint8Array, from: number, to: number): string {
  while (from < to && isAsciiSpace(bytes[from] as number)) from++;
  while (to > from && isAsciiSpace(bytes[to - 1] as number)) to--;
  return text.substring(from, to);
}

function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function indicatorText(ind: string): string {
  return ind === ' ' || ind === '\\' ? '\\' : ind;
}

export function createField(tag: string, init: { value?: string; data?: string; ind1?: string; ind2?: string; subfields?: Subfield[] } = {}): Field {
  if (isControlTag(tag) && init.subfields === undefined) return new ControlField(tag, init.value ?? init.data ?? '');
  return new DataField(tag, init.ind1 ?? ' ', init.ind2 ?? ' ', init.subfields ?? []);
}
