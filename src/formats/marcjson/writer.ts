/**
 * The MARC-in-JSON writer. Key order follows pymarc and yaz (`subfields`, `ind1`, `ind2`), so
 * output compares equal to theirs as text when the indentation matches.
 */

import { Record } from '../../record/record.js';
import type { Field, Subfield } from '../../record/field.js';
import { writeAll, type RecordWriter } from '../common.js';

export type JsonLayout = 'lines' | 'array' | 'concatenated';

export interface JsonWriteOptions {
  /**
   * 'lines' (default): JSON Lines, one record per line. 'array': one JSON array. 'concatenated':
   * objects one after another, as yaz-marcdump writes them.
   */
  layout?: JsonLayout;
  /** Indentation for pretty output (ignored by 'lines', which must stay one record per line). */
  indent?: string | number;
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
  #count = 0;

  constructor(toObject: (record: Record) => unknown, options: JsonWriteOptions = {}, toText: ((record: Record) => string) | null = null) {
    this.#toObject = toObject;
    this.#toText = toText;
    this.#layout = options.layout ?? 'lines';
    this.#indent = this.#layout === 'lines' ? undefined : options.indent;
  }

  begin(): string {
    return this.#layout === 'array' ? '[' : '';
  }

  write(record: Record): string {
    const compact = this.#indent === undefined || this.#indent === '' || this.#indent === 0;
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
    const field = fields[i] as Field;
    if (i > 0) parts.push(',');
    if (field.isControlField()) {
      parts.push(opening(controlOpen, field.tag, ':'), quote(field.data), '}');
      continue;
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
  parts.push(']}');
  const text = parts.join('');
  parts.length = 0;
  return text;
}

export class MarcJsonWriter extends JsonLayoutWriter {
  constructor(options: JsonWriteOptions = {}) {
    super(toMarcJsonObject, options, toMarcJsonText);
  }
}

/**
 * One record as a MARC-in-JSON document, or many in the chosen layout (default JSON Lines).
 */
export function toMarcJson(records: Record | Iterable<Record>, options: JsonWriteOptions = {}): string {
  if (records instanceof Record) return JSON.stringify(toMarcJsonObject(records), null, options.indent);
  return writeAll(new MarcJsonWriter(options), records);
}
