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
import { writeAll, type RecordWriter } from '../common.js';
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
}

// Text needs escaping for & < > and for characters XML cannot carry or would normalise away (CR).
// eslint-disable-next-line no-control-regex
const TEXT_SPECIAL = /[&<>\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
// Attribute values also need " escaped, and tab / newline kept from attribute-value normalisation.
// eslint-disable-next-line no-control-regex
const ATTR_SPECIAL = /[&<>"\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

function escapeSlow(text: string, attr: boolean, invalid: 'replace' | 'strip' | 'error'): string {
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
    else if (c < 0x20 && c !== 0x09 && c !== 0x0a) rep = invalidChar(c, invalid);
    else if (c === 0xfffe || c === 0xffff) rep = invalidChar(c, invalid);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      rep = invalidChar(c, invalid);
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = invalidChar(c, invalid);
    if (rep === null) continue;
    out += text.slice(last, i) + rep;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

function invalidChar(c: number, invalid: 'replace' | 'strip' | 'error'): string {
  if (invalid === 'strip') return '';
  if (invalid === 'replace') return '\ufffd';
  throw new MarcError('E304', `U+${c.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML 1.0`, { source: 'marcxml' });
}

export class MarcXmlWriter implements RecordWriter {
  readonly #collection: boolean;
  readonly #declaration: boolean;
  readonly #invalid: 'replace' | 'strip' | 'error';
  readonly #p: string;
  readonly #nsAttr: string;
  readonly #nl: string;
  readonly #i1: string;
  readonly #i2: string;
  readonly #i3: string;
  #started = false;

  constructor(options: MarcXmlWriteOptions = {}) {
    this.#collection = options.collection ?? true;
    this.#declaration = options.declaration ?? true;
    this.#invalid = options.invalidChars ?? 'replace';
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
  }

  #text(text: string): string {
    return TEXT_SPECIAL.test(text) ? escapeSlow(text, false, this.#invalid) : text;
  }

  #attr(text: string): string {
    return ATTR_SPECIAL.test(text) ? escapeSlow(text, true, this.#invalid) : text;
  }

  begin(): string {
    this.#started = true;
    let out = this.#declaration ? `<?xml version="1.0" encoding="UTF-8"?>${this.#nl}` : '';
    if (this.#collection) out += `<${this.#p}collection${this.#nsAttr}>${this.#nl}`;
    return out;
  }

  write(record: Record): string {
    const p = this.#p;
    const nl = this.#nl;
    const i1 = this.#i1;
    const i2 = this.#i2;
    // A bare record carries the namespace itself; in a collection the collection does.
    let out = `${this.#i3}<${p}record${this.#collection ? '' : this.#nsAttr}>${nl}${i1}<${p}leader>${this.#text(record.leader.value)}</${p}leader>${nl}`;
    const fields = record.fields;
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f] as Field;
      if (field.isControlField()) {
        out += `${i1}<${p}controlfield tag="${this.#attr(field.tag)}">${this.#text(field.data)}</${p}controlfield>${nl}`;
        continue;
      }
      out += `${i1}<${p}datafield tag="${this.#attr(field.tag)}" ind1="${this.#attr(field.ind1)}" ind2="${this.#attr(field.ind2)}">${nl}`;
      const subfields = field.subfieldList();
      for (let s = 0; s < subfields.length; s++) {
        const sf = subfields[s] as { code: string; value: string };
        out += `${i2}<${p}subfield code="${this.#attr(sf.code)}">${this.#text(sf.value)}</${p}subfield>${nl}`;
      }
      out += `${i1}</${p}datafield>${nl}`;
    }
    return out + `${this.#i3}</${p}record>${nl}`;
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
