/**
 * Control characters (U+0000–U+001F) in a record's text, wherever the record came from. MARC 21
 * has them in no character set (MARC-8's ESC is consumed by decoding), XML 1.0 can carry only
 * tab and line breaks, and ISO 2709 reads three of them as structure: a record holding one is
 * not what it seems. The ISO 2709 reader finds them in the bytes (E102, E305); these find them in
 * the strings of a record from any format, for eager reads of the text formats and `validate()`.
 */

/** The first control character in a text, where it is (UTF-16 units) and how many there are. */
export interface ControlCharacters {
  char: number;
  at: number;
  count: number;
}

const CONTROL = /[\x00-\x1f]/;

/** The control characters in `text`, or null for none. */
export function controlCharactersIn(text: string): ControlCharacters | null {
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

/**
 * `field 3 (245) $a holds a tab (0x09) at character 5 and 1 more`. `where`: `'data'` (a control
 * field's), `'ind1'`, `'ind2'` or a subfield (`'$a'`).
 */
export function describeControlCharacters(field: number, tag: string, where: string, found: ControlCharacters): string {
  const more = found.count > 1 ? ` and ${found.count - 1} more` : '';
  const place = where === 'data' ? '' : ` ${where}`;
  return `field ${field} (${tag})${place} holds ${controlCharacterName(found.char)} at character ${found.at}${more}`;
}
