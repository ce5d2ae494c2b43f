/**
 * The MARC-in-JSON writer. Key order follows pymarc and yaz (`subfields`, `ind1`, `ind2`), so
 * output compares equal to theirs as text when the indentation matches.
 */

import { Record } from '../../record/record.js';
import type { Field, Subfield } from '../../record/field.js';
import { ByteSink } from '../../util/byte-sink.js';
import { utf8, utf8SequenceLength } from '../../util/bytes.js';
import { writeAll, type RecordWriter } from '../common.js';
import { bytePathCode, bytePathDataField, isSafeText, Markup, MARKUP_SLACK, nextCodeAt, putMarkup, safeByteTable, TagMarkup, writeRawFields, type RawFieldWriter } from '../raw-fields.js';

export type JsonLayout = 'lines' | 'array' | 'concatenated';

export interface JsonWriteOptions {
  /**
   * 'lines' (default): JSON Lines, one record per line. 'array': one JSON array. 'concatenated':
   * objects one after another, as yaz-marcdump writes them.
   */
  layout?: JsonLayout;
  /** Indentation for pretty output (ignored by 'lines', which must stay one record per line). */
  indent?: string | number;
  /**
   * Copy fields read from UTF-8 or ASCII ISO 2709 and never changed straight from their source
   * bytes (default true), for `write` as well as `writeTo`. false builds every field's strings: the
   * same output, slower; it is the reference the byte path is tested against.
   */
  bytePath?: boolean;
  /**
   * @internal The records continue an array begun by another writer: in 'array' layout every
   * record, the first included, follows a comma. `convert --jobs` has each worker write its part
   * of one array so, and drops the comma before the very first record.
   */
  continued?: boolean;
}

type MarcJsonField = { [tag: string]: string | { subfields: { [code: string]: string }[]; ind1: string; ind2: string } };

/** A record as a MARC-in-JSON object. */
export function toMarcJsonObject(record: Record): { leader: string; fields: MarcJsonField[] } {
  const fields: MarcJsonField[] = [];
  for (const field of record.fields as Field[]) {
    if (field.isControlField()) {
      fields.push({ [field.tag]: field.data });
      continue;
    }
    const subfields = field.subfieldList().map((sf: Subfield) => ({ [sf.code]: sf.value }));
    fields.push({ [field.tag]: { subfields, ind1: field.ind1, ind2: field.ind2 } });
  }
  return { leader: record.leader.value, fields };
}

/** Shared by the JSON formats: layout around per-record objects. */
export class JsonLayoutWriter implements RecordWriter {
  readonly #layout: JsonLayout;
  readonly #indent: string | number | undefined;
  readonly #toObject: (record: Record) => unknown;
  readonly #toText: ((record: Record) => string) | null;
  readonly #toBytes: ((record: Record, sink: ByteSink) => boolean) | null;
  readonly #compact: boolean;
  /** `write`'s buffer for the byte path, kept between records. */
  #scratch: ByteSink | null = null;
  #count = 0;

  constructor(
    toObject: (record: Record) => unknown,
    options: JsonWriteOptions = {},
    toText: ((record: Record) => string) | null = null,
    toBytes: ((record: Record, sink: ByteSink) => boolean) | null = null,
  ) {
    this.#toObject = toObject;
    this.#toText = toText;
    this.#toBytes = toBytes;
    this.#layout = options.layout ?? 'lines';
    this.#indent = this.#layout === 'lines' ? undefined : options.indent;
    this.#compact = this.#indent === undefined || this.#indent === '' || this.#indent === 0;
    if (options.bytePath === false) this.#toBytes = null;
    if (options.continued === true) this.#count = 1;
  }

  begin(): string {
    return this.#layout === 'array' ? '[' : '';
  }

  write(record: Record): string {
    if (this.#toBytes !== null && this.#compact) {
      // The byte path and one decode: a third of the time of stringifying the fields.
      const scratch = (this.#scratch ??= new ByteSink(1 << 14));
      scratch.length = 0;
      if (this.#writeBytes(record, scratch)) return utf8(scratch.bytes, 0, scratch.length);
    }
    return this.#writeText(record);
  }

  #writeText(record: Record): string {
    const compact = this.#compact;
    const text = compact && this.#toText !== null ? this.#toText(record) : JSON.stringify(this.#toObject(record), null, this.#indent);
    const first = this.#count++ === 0;
    switch (this.#layout) {
      case 'lines':
        return text + '\n';
      case 'array':
        return (first ? '' : ',') + (this.#indent === undefined || this.#indent === '' || this.#indent === 0 ? '' : '\n') + text;
      default:
        return text + '\n';
    }
  }

  /** `write(record)` as UTF-8 appended to `sink`, straight from the source bytes where it can. */
  writeTo(record: Record, sink: ByteSink): void {
    if (this.#toBytes === null || !this.#compact || !this.#writeBytes(record, sink)) sink.text(this.#writeText(record));
  }

  /** The record through the byte path; false (and `sink` as it was) when it needs the strings. */
  #writeBytes(record: Record, sink: ByteSink): boolean {
    const toBytes = this.#toBytes;
    if (toBytes === null) return false;
    const mark = sink.length;
    const array = this.#layout === 'array';
    if (array && this.#count > 0) sink.ascii(',');
    if (toBytes(record, sink)) {
      this.#count++;
      if (!array) sink.ascii('\n');
      return true;
    }
    sink.length = mark;
    return false;
  }

  end(): string {
    if (this.#layout !== 'array') return '';
    return this.#indent === undefined || this.#indent === '' || this.#indent === 0 ? ']\n' : '\n]\n';
  }
}

/**
 * Strings that JSON.stringify would change beyond adding quotes: quote, backslash, control
 * characters, and surrogates (it escapes lone ones; paired ones go the slow way too, being rare).
 * One native regex test per value is far cheaper than stringify's copy for the clean majority.
 */
const NEEDS_ESCAPE = /["\\\x00-\x1f\ud800-\udfff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** Per-tag opening pieces, so a field's prefix is one lookup instead of several concatenations. */
const controlOpen = new Map<string, string>();
const dataOpen = new Map<string, string>();
/** Bounds the caches against inputs with endless distinct (broken) tags. */
const MAX_CACHED_TAGS = 2048;

function opening(cache: Map<string, string>, tag: string, after: string): string {
  let piece = cache.get(tag);
  if (piece === undefined) {
    piece = '{' + quote(tag) + after;
    if (cache.size < MAX_CACHED_TAGS) cache.set(tag, piece);
  }
  return piece;
}

/**
 * Pieces joined once at the end: `+=` made a cons-string node per piece, and flattening those
 * trees (and collecting them) cost more than building the text. Shared because the function is
 * synchronous and not reentrant; cleared on entry too, in case a previous call threw.
 */
const parts: string[] = [];

/**
 * Compact MARC-in-JSON text built directly: objects keyed by tag or code would each be a new
 * dictionary-mode object for JSON.stringify, which made writing ~10× slower than this. The text is
 * byte-identical to `JSON.stringify(toMarcJsonObject(record))`.
 */
export function toMarcJsonText(record: Record): string {
  parts.length = 0;
  parts.push('{"leader":', quote(record.leader.value), ',"fields":[');
  const fields = record.fields as Field[];
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) parts.push(',');
    pushField(parts, fields[i] as Field);
  }
  parts.push(']}');
  const text = parts.join('');
  parts.length = 0;
  return text;
}

function pushField(parts: string[], field: Field): void {
  if (field.isControlField()) {
    parts.push(opening(controlOpen, field.tag, ':'), quote(field.data), '}');
    return;
  }
  parts.push(opening(dataOpen, field.tag, ':{"subfields":['));
  const subfields = field.subfieldList();
  for (let s = 0; s < subfields.length; s++) {
    const sf = subfields[s] as Subfield;
    const code = sf.code;
    const value = sf.value;
    // The code is nearly always one plain character, so test it by its char code.
    const c = code.length === 1 ? code.charCodeAt(0) : 0;
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0xd800 || c > 0xdfff)) parts.push(s > 0 ? ',{"' : '{"', code, '":');
    else parts.push(s > 0 ? ',{' : '{', quote(code), ':');
    if (NEEDS_ESCAPE.test(value)) parts.push(JSON.stringify(value), '}');
    else parts.push('"', value, '"}');
  }
  parts.push('],"ind1":', quote(field.ind1), ',"ind2":', quote(field.ind2), '}}');
}

/** One field's compact MARC-in-JSON text, as `toMarcJsonText` writes it. */
function fieldJson(field: Field): string {
  const own: string[] = [];
  pushField(own, field);
  return own.join('');
}

/**
 * How each source byte goes into a JSON string: 0 copied, 1 escaped (JSON_ESCAPES, exactly as
 * JSON.stringify writes it), 6 the start of a multibyte UTF-8 sequence. 0x1F ends a subfield.
 */
const JSON_CLASS = new Uint8Array(256);
const JSON_ESCAPES: (Markup | undefined)[] = new Array<Markup | undefined>(0x60);
for (let b = 0; b < 0x20; b++) JSON_CLASS[b] = 1;
JSON_CLASS[0x22] = 1;
JSON_CLASS[0x5c] = 1;
for (let b = 0; b < 0x60; b++) if (JSON_CLASS[b] === 1) JSON_ESCAPES[b] = new Markup(JSON.stringify(String.fromCharCode(b)).slice(1, -1));
for (let b = 0x80; b < 0x100; b++) JSON_CLASS[b] = 6;

/** Bytes that stand for themselves inside a JSON string: printable ASCII but " and \. */
const JSON_SAFE = safeByteTable('"\\');

/**
 * Escapes `bytes[start, end)` (stopping early at a delimiter when `stopAtDelimiter`) into `out`
 * at `pos`. Returns the new position, or -1 when the string path must take over. The index
 * where it stopped is left in `jsonStop`. `source` and `view` are DataViews of `bytes`' buffer
 * and of `out`: runs of plain ASCII move four bytes at a time (as in the MARCXML writer).
 */
let jsonStop = 0;
function copyJson(bytes: Uint8Array, source: DataView, start: number, end: number, out: Uint8Array, view: DataView, pos: number, stopAtDelimiter: boolean): number {
  const table = JSON_CLASS;
  const base = bytes.byteOffset;
  let i = start;
  while (i < end) {
    for (; i + 4 <= end; i += 4, pos += 4) {
      const w = source.getInt32(base + i, true);
      const quote = w ^ 0x22222222;
      const backslash = w ^ 0x5c5c5c5c;
      // A high bit set in any byte of: w (non-ASCII), a byte below 0x20 (controls, the
      // delimiter), a zero byte in `quote` or `backslash`.
      if ((w | (((w - 0x20202020) | 0) & ~w) | (((quote - 0x01010101) | 0) & ~quote) | (((backslash - 0x01010101) | 0) & ~backslash)) & 0x80808080) break;
      view.setInt32(pos, w, true);
    }
    if (i >= end) break;
    const b = bytes[i] as number;
    const kind = table[b] as number;
    if (kind === 0) {
      out[pos++] = b;
    } else if (kind === 1) {
      if (b === 0x1f && stopAtDelimiter) break;
      pos = putMarkup(view, pos, JSON_ESCAPES[b] as Markup);
    } else {
      const n = utf8SequenceLength(bytes, i, end);
      if (n === 0) return -1;
      for (let k = 0; k < n; k++) out[pos++] = bytes[i + k] as number;
      i += n - 1;
    }
    i++;
  }
  jsonStop = i;
  return pos;
}

const SUBFIELDS_OPEN = new Markup(':{"subfields":[');
const IND1 = new Markup('],"ind1":"');
const IND2 = new Markup('","ind2":"');
const DATA_CLOSE = new Markup('"}}');

/** MARC-in-JSON fields from their source bytes; `first` says whether a comma goes before the next. */
class JsonBytes implements RawFieldWriter {
  first = true;
  /** `{"tag":"` (control) and `{"tag"` (data). */
  readonly #controlHeads = new TagMarkup((tag) => (isSafeText(tag, JSON_SAFE) ? `{"${tag}":"` : null));
  readonly #dataHeads = new TagMarkup((tag) => (isSafeText(tag, JSON_SAFE) ? `{"${tag}"` : null));
  readonly #subfieldOpen: (Markup | undefined)[][] = [new Array<Markup | undefined>(128), new Array<Markup | undefined>(128)];

  rawControl(sink: ByteSink, tag: string, bytes: Uint8Array, source: DataView, start: number, end: number): boolean {
    const head = this.#controlHeads.get(tag);
    if (head === null) return false;
    const out = sink.reserve(1 + head.length + (end - start) * 6 + 2 + MARKUP_SLACK);
    const view = sink.view;
    let pos = sink.length;
    if (!this.first) out[pos++] = 0x2c;
    pos = putMarkup(view, pos, head);
    pos = copyJson(bytes, source, start, end, out, view, pos, false);
    if (pos < 0) return false;
    out[pos++] = 0x22;
    out[pos++] = 0x7d;
    sink.length = pos;
    this.first = false;
    return true;
  }

  rawData(sink: ByteSink, tag: string, bytes: Uint8Array, source: DataView, start: number, end: number): boolean {
    if (!bytePathDataField(bytes, start, end, JSON_SAFE)) return false;
    const ind1 = bytes[start] as number;
    const ind2 = bytes[start + 1] as number;
    const head = this.#dataHeads.get(tag);
    if (head === null) return false;
    // Worst case: 6 bytes per content byte, and 9 of markup (`,{"a":""}`) for every two.
    const out = sink.reserve(1 + head.length + SUBFIELDS_OPEN.length + (end - start) * 6 + ((end - start) >> 1) * 9 + IND1.length + IND2.length + DATA_CLOSE.length + 2 + MARKUP_SLACK);
    const view = sink.view;
    let pos = sink.length;
    if (!this.first) out[pos++] = 0x2c;
    pos = putMarkup(view, pos, head);
    pos = putMarkup(view, pos, SUBFIELDS_OPEN);
    let count = 0;
    for (let codeAt = nextCodeAt(bytes, start + 2, end); codeAt < end; codeAt = nextCodeAt(bytes, jsonStop, end)) {
      const code = bytes[codeAt] as number;
      if (!bytePathCode(code, JSON_SAFE)) return false;
      const opens = this.#subfieldOpen[count === 0 ? 0 : 1] as (Markup | undefined)[];
      const open = opens[code] ?? (opens[code] = new Markup(`${count === 0 ? '' : ','}{"${String.fromCharCode(code)}":"`));
      pos = putMarkup(view, pos, open);
      pos = copyJson(bytes, source, codeAt + 1, end, out, view, pos, true);
      if (pos < 0) return false;
      out[pos++] = 0x22;
      out[pos++] = 0x7d;
      count++;
    }
    pos = putMarkup(view, pos, IND1);
    out[pos++] = ind1;
    pos = putMarkup(view, pos, IND2);
    out[pos++] = ind2;
    pos = putMarkup(view, pos, DATA_CLOSE);
    sink.length = pos;
    this.first = false;
    return true;
  }

  fieldText(sink: ByteSink, field: Field): void {
    if (!this.first) sink.ascii(',');
    sink.text(fieldJson(field));
    this.first = false;
  }
}

const jsonBytes = new JsonBytes();

/** `toMarcJsonText(record)` as UTF-8 into `sink`; false (sink to be reset) when strings must do it. */
function toMarcJsonBytes(record: Record, sink: ByteSink): boolean {
  const leader = record.leader.value;
  if (!isSafeText(leader, JSON_SAFE)) return false;
  sink.ascii('{"leader":"');
  sink.ascii(leader);
  sink.ascii('","fields":[');
  jsonBytes.first = true;
  if (!writeRawFields(sink, jsonBytes, record)) return false;
  sink.ascii(']}');
  return true;
}

export class MarcJsonWriter extends JsonLayoutWriter {
  constructor(options: JsonWriteOptions = {}) {
    super(toMarcJsonObject, options, toMarcJsonText, toMarcJsonBytes);
  }
}

/**
 * One record as a MARC-in-JSON document, or many in the chosen layout (default JSON Lines).
 */
export function toMarcJson(records: Record | Iterable<Record>, options: JsonWriteOptions = {}): string {
  if (records instanceof Record) return JSON.stringify(toMarcJsonObject(records), null, options.indent);
  return writeAll(new MarcJsonWriter(options), records);
}
