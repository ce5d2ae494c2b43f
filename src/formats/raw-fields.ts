/**
 * The byte path shared by the text writers (MARCXML, MARC-in-JSON): a record read from ISO 2709
 * in UTF-8 (or plain ASCII) already holds its text as UTF-8, so a field nobody changed can be
 * escaped straight from the source bytes into the output, with no string built for it. Anything
 * the byte path is not sure about (a changed field, MARC-8, a control character, invalid UTF-8, a
 * subfield code that needs repair) goes through the field's strings as before, so the output is
 * the same byte for byte either way.
 */

import { isControlTag, type Field } from '../record/field.js';
import type { Record } from '../record/record.js';
import type { ByteSink } from '../util/byte-sink.js';

/** What a byte-level writer does with each field. */
export interface RawFieldWriter {
  /**
   * Control field data in `bytes[start, end)`; false (output untouched) when it needs strings.
   * `source` is a DataView of `bytes`' whole buffer (see `sourceView`).
   */
  rawControl(sink: ByteSink, tag: string, bytes: Uint8Array, source: DataView, start: number, end: number): boolean;
  /** Data field content in `bytes[start, end)`: two indicator bytes, then the subfields. */
  rawData(sink: ByteSink, tag: string, bytes: Uint8Array, source: DataView, start: number, end: number): boolean;
  /** A field through its decoded strings. */
  fieldText(sink: ByteSink, field: Field): void;
}

function writeField(sink: ByteSink, w: RawFieldWriter, field: Field): void {
  const range = field.sourceRange();
  if (range !== null && range.src.utf8Compatible && range.src.maxSubfields === undefined) {
    const mark = sink.length;
    const bytes = range.src.bytes;
    const source = sourceView(bytes);
    const done = field.isControlField()
      ? w.rawControl(sink, field.tag, bytes, source, range.start, range.end)
      : w.rawData(sink, field.tag, bytes, source, range.start, range.end);
    if (done) return;
    sink.length = mark;
  }
  w.fieldText(sink, field);
}

/**
 * Writes every field of `record` through `w`. Returns false when the record has to be written
 * through its strings as a whole; the caller then discards what was written for it. That only
 * happens for a record whose fields were never built (building one here would decode it a second
 * time later, and report its problems twice).
 */
export function writeRawFields(sink: ByteSink, w: RawFieldWriter, record: Record): boolean {
  const view = record.lazyView();
  if (view === null) {
    const fields = record.fields;
    for (let i = 0; i < fields.length; i++) writeField(sink, w, fields[i] as Field);
    return true;
  }
  const { lazy, slots } = view;
  const src = lazy.source;
  // maxSubfields is checked while decoding: the byte path would skip the check.
  if (!src.utf8Compatible || src.maxSubfields !== undefined) return false;
  const bytes = src.bytes;
  const source = sourceView(bytes);
  for (let i = 0; i < lazy.count; i++) {
    const built = slots === null ? undefined : slots[i];
    if (built !== undefined) {
      writeField(sink, w, built);
      continue;
    }
    const tag = lazy.tagAt(i);
    const start = lazy.startOf(i);
    const end = lazy.endOf(i);
    const done = isControlTag(tag) ? w.rawControl(sink, tag, bytes, source, start, end) : w.rawData(sink, tag, bytes, source, start, end);
    if (!done) return false;
  }
  return true;
}


/**
 * Bytes that stand for themselves in a format's markup (an attribute value, a JSON key): printable
 * ASCII but the characters `escaped`, as a 256-entry table (1: safe), so a check is one load.
 */
export function safeByteTable(escaped: string): Uint8Array {
  const table = new Uint8Array(256);
  for (let b = 0x20; b < 0x7f; b++) table[b] = escaped.includes(String.fromCharCode(b)) ? 0 : 1;
  return table;
}

/** Printable ASCII, blank included, as a `safeByteTable`. */
export const PRINTABLE_ASCII = safeByteTable('');

export function isSafeText(text: string, safe: Uint8Array): boolean {
  for (let i = 0; i < text.length; i++) if (safe[text.charCodeAt(i)] !== 1) return false;
  return true;
}

/**
 * Whether a data field's shape lets it take the byte path: two indicators `safe` allows, and
 * subfields from the first byte after them (text before the first delimiter is kept under an
 * empty code by the string path, so that field goes the string way).
 */
export function bytePathDataField(bytes: Uint8Array, start: number, end: number, safe: Uint8Array): boolean {
  if (end - start < 2 || safe[bytes[start] as number] !== 1 || safe[bytes[start + 1] as number] !== 1) return false;
  return end === start + 2 || bytes[start + 2] === 0x1f;
}

/**
 * From `at` (a delimiter, or the end), the index of the next subfield's code, or `end` when there
 * is none: a delimiter with no code (doubled or trailing) holds no subfield and is passed over, as
 * the string path does.
 */
export function nextCodeAt(bytes: Uint8Array, at: number, end: number): number {
  while (at < end) {
    const codeAt = at + 1;
    if (codeAt < end && bytes[codeAt] !== 0x1f) return codeAt;
    at = codeAt;
  }
  return end;
}

/** A subfield code the byte path may write: printable, non-blank, safe (others are repaired and reported by the string path). */
export function bytePathCode(code: number, safe: Uint8Array): boolean {
  return code !== 0x20 && safe[code] === 1;
}

/**
 * Opening markup per tag as bytes, made on first use. `make` gives the markup, or null when the
 * tag cannot go into it as it is (the field then takes the string path). Tags of broken records
 * are unbounded, so the cache stops growing at 4,096; real files fill it long before.
 */
export class TagMarkup {
  readonly #made = new Map<string, Markup | null>();
  constructor(readonly make: (tag: string) => string | null) {}

  get(tag: string): Markup | null {
    let markup = this.#made.get(tag);
    if (markup === undefined) {
      const text = this.make(tag);
      markup = text === null ? null : new Markup(text);
      if (this.#made.size < 4096) this.#made.set(tag, markup);
    }
    return markup;
  }
}

/** ASCII markup as bytes. */
function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * ASCII markup as little-endian 32-bit words, the last one zero-padded, so it is copied a word
 * at a time with `putMarkup`. Copied byte by byte, markup was two thirds of the MARCXML byte
 * path's time (cpu profile of `convert -t marcxml`); a word loop copies a 13-byte piece in
 * ~15 ns against ~25.
 */
export class Markup {
  readonly length: number;
  readonly words: Int32Array;

  constructor(text: string) {
    const bytes = asciiBytes(text);
    this.length = bytes.length;
    this.words = new Int32Array((bytes.length + 3) >> 2);
    for (let k = 0; k < bytes.length; k++) this.words[k >> 2] = (this.words[k >> 2] as number) | ((bytes[k] as number) << ((k & 3) * 8));
  }
}

/** How far past its end `putMarkup` may write: callers reserve this much more. */
export const MARKUP_SLACK = 3;

/**
 * Copies `markup` to `pos` through `view` (a DataView of the output) and returns the position
 * after it. Up to MARKUP_SLACK bytes past that are overwritten with padding, which the next
 * write covers or `length` leaves out.
 */
export function putMarkup(view: DataView, pos: number, markup: Markup): number {
  const words = markup.words;
  for (let k = 0; k < words.length; k++) view.setInt32(pos + (k << 2), words[k] as number, true);
  return pos + markup.length;
}

/**
 * A DataView of a source record's whole buffer, for reading its bytes a word at a time (offsets
 * `bytes.byteOffset + i`). Records of one batch or file share a buffer, so the view is made again
 * only when the buffer changes. Held weakly: the last record written must not keep its batch (or
 * a whole file read into memory) alive.
 */
export function sourceView(bytes: Uint8Array): DataView {
  const buffer = bytes.buffer;
  const last = lastView?.deref();
  if (last !== undefined && last.buffer === buffer) return last;
  const view = new DataView(buffer);
  lastView = new WeakRef(view);
  return view;
}
let lastView: WeakRef<DataView> | null = null;
