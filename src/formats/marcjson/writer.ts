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
 * Compact MARC-in-JSON text built directly: objects keyed by tag or code would each be a new
 * dictionary-mode object for JSON.stringify, which made writing ~10× slower than this.
 */
export function toMarcJsonText(record: Record): string {
  let out = `{"leader":${JSON.stringify(record.leader.value)},"fields":[`;
  const fields = record.fields as Field[];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as Field;
    if (i > 0) out += ',';
    if (field.isControlField()) {
      out += `{${JSON.stringify(field.tag)}:${JSON.stringify(field.data)}}`;
      continue;
    }
    out += `{${JSON.stringify(field.tag)}:{"subfields":[`;
    const subfields = field.subfieldList();
    for (let s = 0; s < subfields.length; s++) {
      const sf = subfields[s] as Subfield;
      out += `${s > 0 ? ',' : ''}{${JSON.stringify(sf.code)}:${JSON.stringify(sf.value)}}`;
    }
    out += `],"ind1":${JSON.stringify(field.ind1)},"ind2":${JSON.stringify(field.ind2)}}}`;
  }
  return out + ']}';
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
