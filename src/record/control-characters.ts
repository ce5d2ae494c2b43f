/**
 * Control characters (U+0000–U+001F) in a record's text, wherever the record came from. MARC 21
 * has them in no character set (MARC-8's ESC is consumed by decoding), XML 1.0 can carry only
 * tab and line breaks, and ISO 2709 reads three of them as structure: a record holding one is
 * not what it seems. The ISO 2709 reader finds them in the bytes (E102, E305); this finds them in
 * the strings of a record from any format, for eager reads of the text formats and `validate()`.
 */

import type { Record } from './record.js';

export interface ControlCharacterFinding {
  /** Index of the field in `record.fields`. */
  field: number;
  tag: string;
  /** Where in the field: `'data'` (a control field), `'ind1'`, `'ind2'`, or a subfield `'$a'`. */
  where: string;
  /** The subfield's index in the field and its code, for a subfield value. */
  subfield?: number;
  subfieldCode?: string;
  /** The first control character found there, and its position (UTF-16 units) in that text. */
  char: number;
  at: number;
  /** How many control characters that text holds. */
  count: number;
}

const CONTROL = /[\x00-\x1f]/;

/** The name of a control character for a message: what it does in ISO 2709 when it does something. */
export function controlCharacterName(c: number): string {
  const hex = `0x${c.toString(16).padStart(2, '0').toUpperCase()}`;
  switch (c) {
    case 0x1d: return `a record terminator (${hex})`;
    case 0x1e: return `a field terminator (${hex})`;
    case 0x1f: return `a subfield delimiter (${hex})`;
    case 0x09: return `a tab (${hex})`;
    case 0x0a: return `a line feed (${hex})`;
    case 0x0d: return `a carriage return (${hex})`;
    default: return `control character ${hex}`;
  }
}

/** One finding per text (a control field's data, an indicator, a subfield value) that holds any. */
export function findControlCharacters(record: Record): ControlCharacterFinding[] {
  const out: ControlCharacterFinding[] = [];
  const fields = record.fields;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field === undefined) continue;
    const tag = field.tag;
    if (field.isControlField()) {
      look(field.data, i, tag, 'data', -1, undefined, out);
      continue;
    }
    look(field.ind1, i, tag, 'ind1', -1, undefined, out);
    look(field.ind2, i, tag, 'ind2', -1, undefined, out);
    // A code is judged as a code (E202, `isPlainCode`), not here.
    const subfields = field.subfieldList();
    for (let k = 0; k < subfields.length; k++) {
      const sf = subfields[k] as (typeof subfields)[number];
      look(sf.value, i, tag, `$${sf.code}`, k, sf.code, out);
    }
  }
  return out;
}

/** The first control character in `text`, where it is and how many there are; null for none. */
export function controlCharactersIn(text: string): { char: number; at: number; count: number } | null {
  // Nearly every text has none: one native test, then a loop only for the rest.
  if (!CONTROL.test(text)) return null;
  let at = -1;
  let count = 0;
  for (let k = 0; k < text.length; k++) {
    if (text.charCodeAt(k) >= 0x20) continue;
    if (at < 0) at = k;
    count++;
  }
  return { char: text.charCodeAt(at), at, count };
}

function look(text: string, field: number, tag: string, where: string, subfield: number, subfieldCode: string | undefined, out: ControlCharacterFinding[]): void {
  const found = controlCharactersIn(text);
  if (found === null) return;
  const finding: ControlCharacterFinding = { field, tag, where, ...found };
  if (subfieldCode !== undefined) {
    finding.subfield = subfield;
    finding.subfieldCode = subfieldCode;
  }
  out.push(finding);
}

/** `field 3 (245) $a holds a tab (0x09) at character 5 and 1 more` */
export function describeControlCharacters(f: ControlCharacterFinding): string {
  const more = f.count > 1 ? ` and ${f.count - 1} more` : '';
  const where = f.where === 'data' ? '' : ` ${f.where}`;
  return `field ${f.field} (${f.tag})${where} holds ${controlCharacterName(f.char)} at character ${f.at}${more}`;
}
