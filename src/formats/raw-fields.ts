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
  /** Control field data in `bytes[start, end)`; false (output untouched) when it needs strings. */
  rawControl(sink: ByteSink, tag: string, bytes: Uint8Array, start: number, end: number): boolean;
  /** Data field content in `bytes[start, end)`: two indicator bytes, then the subfields. */
  rawData(sink: ByteSink, tag: string, bytes: Uint8Array, start: number, end: number): boolean;
  /** A field through its decoded strings. */
  fieldText(sink: ByteSink, field: Field): void;
}

function writeField(sink: ByteSink, w: RawFieldWriter, field: Field): void {
  const range = field.sourceRange();
  if (range !== null && range.src.utf8Compatible && range.src.maxSubfields === undefined) {
    const mark = sink.length;
    const done = field.isControlField()
      ? w.rawControl(sink, field.tag, range.src.bytes, range.start, range.end)
      : w.rawData(sink, field.tag, range.src.bytes, range.start, range.end);
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
  for (let i = 0; i < lazy.count; i++) {
    const built = slots === null ? undefined : slots[i];
    if (built !== undefined) {
      writeField(sink, w, built);
      continue;
    }
    const tag = lazy.tagAt(i);
    const start = lazy.startOf(i);
    const end = lazy.endOf(i);
    const done = isControlTag(tag) ? w.rawControl(sink, tag, bytes, start, end) : w.rawData(sink, tag, bytes, start, end);
    if (!done) return false;
  }
  return true;
}

/**
 * Length of the well-formed UTF-8 sequence starting at `bytes[i]` (a byte ≥ 0x80), or 0 when it
 * is not one (the field then goes the string way, which reports it).
 */
export function utf8SequenceLength(bytes: Uint8Array, i: number, end: number): number {
  const b0 = bytes[i] as number;
  if (b0 < 0xc2) return 0;
  if (b0 < 0xe0) {
    return i + 1 < end && ((bytes[i + 1] as number) & 0xc0) === 0x80 ? 2 : 0;
  }
  if (b0 < 0xf0) {
    if (i + 2 >= end) return 0;
    const b1 = bytes[i + 1] as number;
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return b1 >= lo && b1 <= hi && ((bytes[i + 2] as number) & 0xc0) === 0x80 ? 3 : 0;
  }
  if (b0 < 0xf5) {
    if (i + 3 >= end) return 0;
    const b1 = bytes[i + 1] as number;
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return b1 >= lo && b1 <= hi && ((bytes[i + 2] as number) & 0xc0) === 0x80 && ((bytes[i + 3] as number) & 0xc0) === 0x80 ? 4 : 0;
  }
  return 0;
}

/**
 * Opening markup per tag as bytes, made on first use. `make` gives the markup, or null when the
 * tag cannot go into it as it is (the field then takes the string path). Tags of broken records
 * are unbounded, so the cache stops growing at 4,096; real files fill it long before.
 */
export class TagMarkup {
  readonly #made = new Map<string, Uint8Array | null>();
  constructor(readonly make: (tag: string) => string | null) {}

  get(tag: string): Uint8Array | null {
    let markup = this.#made.get(tag);
    if (markup === undefined) {
      const text = this.make(tag);
      markup = text === null ? null : asciiBytes(text);
      if (this.#made.size < 4096) this.#made.set(tag, markup);
    }
    return markup;
  }
}

/** ASCII markup as bytes, for copying with a plain loop. */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** True when every character of `text` is ASCII. */
export function isAsciiText(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}
