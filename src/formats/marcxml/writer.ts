/**
 * The MARCXML writer (MARC 21 slim): one record, or a `<collection>` written record by record.
 *
 * Characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF; lone
 * surrogates) are never written. The `invalidChars` option decides what happens instead:
 * 'replace' (default) writes U+FFFD, 'strip' drops them, 'error' throws E304. A record that had
 * none of them reads back identical.
 */

import { MarcError } from '../../errors.js';
import type { Field } from '../../record/field.js';
import { Record } from '../../record/record.js';
import { ByteSink } from '../../util/byte-sink.js';
import { isAsciiString, utf8, utf8SequenceLength } from '../../util/bytes.js';
import { writeAll, type RecordWriter } from '../common.js';
import { bytePathCode, bytePathDataField, isSafeText, Markup, MARKUP_SLACK, nextCodeAt, putMarkup, safeByteTable, TagMarkup, writeRawFields, type RawFieldWriter } from '../raw-fields.js';
import { MARC_NS } from './builder.js';

export interface MarcXmlWriteOptions {
  /** Wrap records in `<collection>` (default true for the streaming writer, false for one record). */
  collection?: boolean;
  /** Indentation per level ('' or undefined: none, everything on one line per record). */
  indent?: string | number;
  /** Write `<?xml version="1.0" encoding="UTF-8"?>` first (default true). */
  declaration?: boolean;
  /** Element prefix, e.g. 'marc' for `<marc:record xmlns:marc=…>` (default: the default namespace). */
  prefix?: string;
  /** Declare the namespace (default true). */
  namespace?: boolean;
  /** What to do with characters XML 1.0 cannot carry (see the module comment). */
  invalidChars?: 'replace' | 'strip' | 'error';
  /** Called with each character replaced or stripped (`invalidChars`), so a caller can report it. */
  onInvalidChar?: (codePoint: number) => void;
  /**
   * Escape fields read from UTF-8 or ASCII ISO 2709 and never changed straight from their source
   * bytes (default true), for `write` as well as `writeTo`. false builds every field's strings: the
   * same output, slower; it is the reference the byte path is tested against.
   */
  bytePath?: boolean;
}

// Text needs escaping for & < > and for characters XML cannot carry or would normalise away (CR).
// eslint-disable-next-line no-control-regex
const TEXT_SPECIAL = /[&<>\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
// Attribute values also need " escaped, and tab / newline kept from attribute-value normalisation.
// eslint-disable-next-line no-control-regex
const ATTR_SPECIAL = /[&<>"\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

function escapeSlow(text: string, attr: boolean, invalid: 'replace' | 'strip' | 'error', onInvalid: ((codePoint: number) => void) | undefined): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let rep: string | null = null;
    if (c === 0x26) rep = '&amp;';
    else if (c === 0x3c) rep = '&lt;';
    else if (c === 0x3e) rep = '&gt;';
    else if (c === 0x22 && attr) rep = '&quot;';
    else if (c === 0x0d) rep = '&#13;';
    else if ((c === 0x09 || c === 0x0a) && attr) rep = c === 0x09 ? '&#9;' : '&#10;';
    else if (c < 0x20 && c !== 0x09 && c !== 0x0a) rep = invalidChar(c, invalid, onInvalid);
    else if (c === 0xfffe || c === 0xffff) rep = invalidChar(c, invalid, onInvalid);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      rep = invalidChar(c, invalid, onInvalid);
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = invalidChar(c, invalid, onInvalid);
    if (rep === null) continue;
    out += text.slice(last, i) + rep;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Printable ASCII (and space) with nothing to escape: a leader as it nearly always is. */
function isXmlSafeAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x26 || c === 0x3c || c === 0x3e) return false;
  }
  return true;
}

function invalidChar(c: number, invalid: 'replace' | 'strip' | 'error', onInvalid: ((codePoint: number) => void) | undefined): string {
  if (invalid !== 'error') onInvalid?.(c);
  if (invalid === 'strip') return '';
  if (invalid === 'replace') return '\ufffd';
  throw new MarcError('E304', `U+${c.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML 1.0`, { source: 'marcxml' });
}

/**
 * How each source byte goes into MARCXML text: 0 copied, 1-3 the escapes of & < >, 4 CR (kept as
 * a character reference, as the string path does), 5 a character the string path must handle
 * (other controls: XML 1.0 cannot carry them), 6 the start of a multibyte UTF-8 sequence.
 * Tab and LF are copied. 0x1F never reaches the table: it ends a subfield.
 */
const XML_TEXT_CLASS = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) XML_TEXT_CLASS[b] = b === 0x09 || b === 0x0a ? 0 : b === 0x0d ? 4 : 5;
XML_TEXT_CLASS[0x26] = 1;
XML_TEXT_CLASS[0x3c] = 2;
XML_TEXT_CLASS[0x3e] = 3;
for (let b = 0x80; b < 0x100; b++) XML_TEXT_CLASS[b] = 6;
const AMP = new Markup('&amp;');
const LT = new Markup('&lt;');
const GT = new Markup('&gt;');
const CR = new Markup('&#13;');
const ESCAPES = [null, AMP, LT, GT, CR] as const;

/** Bytes that may stand in an attribute value as they are: printable ASCII other than " & < >. */
const ATTR_SAFE = safeByteTable('"&<>');

/** Text markup pieces as bytes, made once per writer. */
class XmlBytes implements RawFieldWriter {
  readonly #controlClose: Markup;
  readonly #ind2: Markup;
  readonly #dataOpenEnd: Markup;
  readonly #dataClose: Markup;
  readonly #subfieldCloseText: string;
  /** Per subfield code: its opening tag, alone (first subfield) and after the previous one's closing tag. */
  readonly #subfieldOpen: (Markup | undefined)[] = new Array<Markup | undefined>(128);
  readonly #subfieldNext: (Markup | undefined)[] = new Array<Markup | undefined>(128);
  /** The last subfield's closing tag and the field's. */
  readonly #lastClose: Markup;
  readonly #subfieldPrefix: string;
  /** Longest markup one subfield adds: its opening tag (with code) and closing tag. */
  readonly #subfieldMarkup: number;
  /** Opening markup up to the content (control) or the first indicator (data). */
  readonly #controlHeads: TagMarkup;
  readonly #dataHeads: TagMarkup;
  readonly #fieldText: (field: Field) => string;

  constructor(p: string, nl: string, i1: string, i2: string, fieldText: (field: Field) => string) {
    this.#controlClose = new Markup(`</${p}controlfield>${nl}`);
    this.#ind2 = new Markup('" ind2="');
    this.#dataOpenEnd = new Markup(`">${nl}`);
    this.#dataClose = new Markup(`${i1}</${p}datafield>${nl}`);
    this.#subfieldPrefix = `${i2}<${p}subfield code="`;
    this.#subfieldCloseText = `</${p}subfield>${nl}`;
    this.#lastClose = new Markup(`</${p}subfield>${nl}${i1}</${p}datafield>${nl}`);
    this.#subfieldMarkup = this.#subfieldPrefix.length + 3 + this.#subfieldCloseText.length;
    this.#fieldText = fieldText;
    const controlOpen = `${i1}<${p}controlfield tag="`;
    const dataOpen = `${i1}<${p}datafield tag="`;
    this.#controlHeads = new TagMarkup((tag) => (isSafeText(tag, ATTR_SAFE) ? `${controlOpen}${tag}">` : null));
    this.#dataHeads = new TagMarkup((tag) => (isSafeText(tag, ATTR_SAFE) ? `${dataOpen}${tag}" ind1="` : null));
  }

  rawControl(sink: ByteSink, tag: string, bytes: Uint8Array, source: DataView, start: number, end: number): boolean {
    const head = this.#controlHeads.get(tag);
    if (head === null) return false;
    const close = this.#controlClose;
    const out = sink.reserve(head.length + (end - start) * 5 + close.length + MARKUP_SLACK);
    const view = sink.view;
    let pos = sink.length;
    pos = putMarkup(view, pos, head);
    pos = copyText(bytes, source, start, end, out, view, pos, false);
    if (pos < 0) return false;
    pos = putMarkup(view, pos, close);
    sink.length = pos;
    return true;
  }

  rawData(sink: ByteSink, tag: string, bytes: Uint8Array, source: DataView, start: number, end: number): boolean {
    if (!bytePathDataField(bytes, start, end, ATTR_SAFE)) return false;
    const ind1 = bytes[start] as number;
    const ind2 = bytes[start + 1] as number;
    const head = this.#dataHeads.get(tag);
    if (head === null) return false;
    const mid = this.#ind2;
    const openEnd = this.#dataOpenEnd;
    // Worst case: every content byte escaped (5×), and a subfield's markup for every two bytes.
    const out = sink.reserve(head.length + mid.length + openEnd.length + 2 + (end - start) * 5 + ((end - start) >> 1) * this.#subfieldMarkup + this.#dataClose.length + MARKUP_SLACK);
    const view = sink.view;
    let pos = sink.length;
    pos = putMarkup(view, pos, head);
    out[pos++] = ind1;
    pos = putMarkup(view, pos, mid);
    out[pos++] = ind2;
    pos = putMarkup(view, pos, openEnd);
    // Each subfield's closing tag goes out with the next piece of markup, one copy instead of two.
    let open = this.#subfieldOpen;
    for (let codeAt = nextCodeAt(bytes, start + 2, end); codeAt < end; codeAt = nextCodeAt(bytes, textStop, end)) {
      const code = bytes[codeAt] as number;
      if (!bytePathCode(code, ATTR_SAFE)) return false;
      pos = putMarkup(view, pos, open[code] ?? this.#makeOpen(code, open));
      open = this.#subfieldNext;
      pos = copyText(bytes, source, codeAt + 1, end, out, view, pos, true);
      if (pos < 0) return false;
    }
    pos = putMarkup(view, pos, open === this.#subfieldOpen ? this.#dataClose : this.#lastClose);
    sink.length = pos;
    return true;
  }

  /** Makes both opening markups for `code` and returns the one from `table`. */
  #makeOpen(code: number, table: (Markup | undefined)[]): Markup {
    const tag = `${this.#subfieldPrefix}${String.fromCharCode(code)}">`;
    this.#subfieldOpen[code] = new Markup(tag);
    this.#subfieldNext[code] = new Markup(`${this.#subfieldCloseText}${tag}`);
    return table[code] as Markup;
  }

  fieldText(sink: ByteSink, field: Field): void {
    sink.text(this.#fieldText(field));
  }
}

/**
 * Escapes `bytes[start, end)` into `out` at `pos` (room reserved by the caller), stopping early at a
 * subfield delimiter when `stopAtDelimiter`. Returns the new position, or -1 when a byte needs the
 * string path; the index where it stopped is left in `textStop` (one pass: copy, escape, stop).
 * `source` and `view` are DataViews of `bytes`' buffer and of `out`: runs of plain ASCII move four
 * bytes at a time, tested all at once (bit tricks from "Bit Twiddling Hacks", haszero/hasless).
 */
let textStop = 0;
function copyText(bytes: Uint8Array, source: DataView, start: number, end: number, out: Uint8Array, view: DataView, pos: number, stopAtDelimiter: boolean): number {
  // A local: a module constant is reloaded (and hole-checked) on every iteration.
  const table = XML_TEXT_CLASS;
  const base = bytes.byteOffset;
  let i = start;
  while (i < end) {
    for (; i + 4 <= end; i += 4, pos += 4) {
      const w = source.getInt32(base + i, true);
      const amp = w ^ 0x26262626;
      const angle = (w | 0x02020202) ^ 0x3e3e3e3e;
      // A high bit set in any byte of: w itself (non-ASCII), a byte below 0x20 (controls, the
      // delimiter), a zero byte in `amp` ('&') or in `angle` ('<' or '>').
      if ((w | (((w - 0x20202020) | 0) & ~w) | (((amp - 0x01010101) | 0) & ~amp) | (((angle - 0x01010101) | 0) & ~angle)) & 0x80808080) break;
      view.setInt32(pos, w, true);
    }
    if (i >= end) break;
    const b = bytes[i] as number;
    if (b === 0x1f && stopAtDelimiter) break;
    const kind = table[b] as number;
    if (kind === 0) {
      out[pos++] = b;
    } else if (kind <= 4) {
      pos = putMarkup(view, pos, ESCAPES[kind] as Markup);
    } else if (kind === 6) {
      const n = xmlSequenceLength(bytes, i, end);
      if (n === 0) return -1;
      for (let k = 0; k < n; k++) out[pos++] = bytes[i + k] as number;
      i += n - 1;
    } else {
      return -1;
    }
    i++;
  }
  textStop = i;
  return pos;
}

/** A well-formed UTF-8 sequence's length, or 0; U+FFFE and U+FFFF (EF BF BE/BF) are not XML characters. */
function xmlSequenceLength(bytes: Uint8Array, i: number, end: number): number {
  const n = utf8SequenceLength(bytes, i, end);
  return n === 3 && bytes[i] === 0xef && bytes[i + 1] === 0xbf && (bytes[i + 2] as number) >= 0xbe ? 0 : n;
}

export class MarcXmlWriter implements RecordWriter {
  readonly #collection: boolean;
  readonly #declaration: boolean;
  readonly #invalid: 'replace' | 'strip' | 'error';
  readonly #onInvalid: ((codePoint: number) => void) | undefined;
  readonly #p: string;
  readonly #nsAttr: string;
  readonly #nl: string;
  readonly #i1: string;
  readonly #i2: string;
  readonly #i3: string;
  /** The byte path, when all the markup is ASCII (a non-ASCII prefix takes the string path). */
  readonly #bytes: XmlBytes | null;
  /** `write`'s buffer for the byte path, kept between records. */
  #scratch: ByteSink | null = null;
  readonly #recordOpen: string;
  readonly #recordClose: string;
  readonly #leaderOpen: string;
  readonly #leaderClose: string;
  #started = false;

  constructor(options: MarcXmlWriteOptions = {}) {
    this.#collection = options.collection ?? true;
    this.#declaration = options.declaration ?? true;
    this.#invalid = options.invalidChars ?? 'replace';
    this.#onInvalid = options.onInvalidChar;
    const prefix = options.prefix ?? '';
    this.#p = prefix === '' ? '' : prefix + ':';
    this.#nsAttr = options.namespace === false ? '' : ` xmlns${prefix === '' ? '' : ':' + prefix}="${MARC_NS}"`;
    const unit = typeof options.indent === 'number' ? ' '.repeat(options.indent) : options.indent ?? '';
    this.#nl = unit === '' ? '' : '\n';
    // Indentation inside a record depends on whether a collection wraps it.
    const base = this.#collection ? unit : '';
    this.#i1 = base + unit;
    this.#i2 = base + unit + unit;
    this.#i3 = base;
    const p = this.#p;
    this.#recordOpen = `${this.#i3}<${p}record${this.#collection ? '' : this.#nsAttr}>${this.#nl}`;
    this.#recordClose = `${this.#i3}</${p}record>${this.#nl}`;
    this.#leaderOpen = `${this.#i1}<${p}leader>`;
    this.#leaderClose = `</${p}leader>${this.#nl}`;
    const markup = this.#recordOpen + this.#i2 + this.#leaderClose;
    this.#bytes = options.bytePath !== false && isAsciiString(markup) ? new XmlBytes(p, this.#nl, this.#i1, this.#i2, (field) => this.#field(field)) : null;
  }

  #text(text: string): string {
    return TEXT_SPECIAL.test(text) ? escapeSlow(text, false, this.#invalid, this.#onInvalid) : text;
  }

  #attr(text: string): string {
    return ATTR_SPECIAL.test(text) ? escapeSlow(text, true, this.#invalid, this.#onInvalid) : text;
  }

  begin(): string {
    this.#started = true;
    let out = this.#declaration ? `<?xml version="1.0" encoding="UTF-8"?>${this.#nl}` : '';
    if (this.#collection) out += `<${this.#p}collection${this.#nsAttr}>${this.#nl}`;
    return out;
  }

  write(record: Record): string {
    if (this.#bytes !== null) {
      // The byte path and one decode: half the time of building the text from field strings.
      const scratch = (this.#scratch ??= new ByteSink(1 << 14));
      scratch.length = 0;
      if (this.#writeBytes(record, scratch)) return utf8(scratch.bytes, 0, scratch.length);
    }
    return this.#writeText(record);
  }

  #writeText(record: Record): string {
    // A bare record carries the namespace itself; in a collection the collection does.
    let out = `${this.#recordOpen}${this.#leaderOpen}${this.#text(record.leader.value)}${this.#leaderClose}`;
    const fields = record.fields;
    for (let f = 0; f < fields.length; f++) out += this.#field(fields[f] as Field);
    return out + this.#recordClose;
  }

  #field(field: Field): string {
    const p = this.#p;
    const nl = this.#nl;
    const i1 = this.#i1;
    if (field.isControlField()) return `${i1}<${p}controlfield tag="${this.#attr(field.tag)}">${this.#text(field.data)}</${p}controlfield>${nl}`;
    let out = `${i1}<${p}datafield tag="${this.#attr(field.tag)}" ind1="${this.#attr(field.ind1)}" ind2="${this.#attr(field.ind2)}">${nl}`;
    const i2 = this.#i2;
    const subfields = field.subfieldList();
    for (let s = 0; s < subfields.length; s++) {
      const sf = subfields[s] as { code: string; value: string };
      out += `${i2}<${p}subfield code="${this.#attr(sf.code)}">${this.#text(sf.value)}</${p}subfield>${nl}`;
    }
    return out + `${i1}</${p}datafield>${nl}`;
  }

  /**
   * `write(record)` as UTF-8 appended to `sink`: the same bytes, but fields read from UTF-8 or
   * ASCII ISO 2709 and never changed are escaped straight from their source bytes.
   */
  writeTo(record: Record, sink: ByteSink): void {
    if (this.#bytes === null || !this.#writeBytes(record, sink)) sink.text(this.#writeText(record));
  }

  /** The record through the byte path; false (and `sink` as it was) when it needs the strings. */
  #writeBytes(record: Record, sink: ByteSink): boolean {
    const mark = sink.length;
    const leader = record.leader.value;
    if (!isXmlSafeAscii(leader)) return false;
    sink.ascii(this.#recordOpen);
    sink.ascii(this.#leaderOpen);
    sink.ascii(leader);
    sink.ascii(this.#leaderClose);
    if (writeRawFields(sink, this.#bytes as XmlBytes, record)) {
      sink.ascii(this.#recordClose);
      return true;
    }
    sink.length = mark;
    return false;
  }

  end(): string {
    const start = this.#started ? '' : this.begin();
    return this.#collection ? `${start}</${this.#p}collection>\n` : start;
  }
}

/** Records as one MARCXML document: a collection, or with `{collection: false}` one bare record. */
export function toMarcXml(records: Record | Iterable<Record>, options: MarcXmlWriteOptions = {}): string {
  if (records instanceof Record) {
    const writer = new MarcXmlWriter({ collection: false, ...options });
    return writeAll(writer, [records]);
  }
  return writeAll(new MarcXmlWriter(options), records);
}
