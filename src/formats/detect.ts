/**
 * Which format a file is in, from its first bytes.
 *
 * ISO 2709: five digits (or blanks) then a leader-like shape with a directory of digits. MARCXML:
 * '<' after an optional BOM and whitespace, with a MARC element or the MARC namespace in the first
 * few KiB (an OAI-PMH or SRU response counts when it holds one). JSON: '{' or '[': the MARC-in-JSON
 * shape (`{"001": …}` field objects) or the plain `{tag, …}` shape. MARCMaker: a line `=LDR  ` or
 * `=NNN  `. The text dump styles: `LDR    `, or a leader line then `NNN ` (yaz's line format).
 */

export type DetectedFormat = 'iso2709' | 'marcxml' | 'marcjson' | 'plain-json' | 'mrk' | 'text' | 'unknown';

const SNIFF = 64 * 1024;

export function detectFormat(input: Uint8Array | string): DetectedFormat {
  const head = typeof input === 'string' ? input.slice(0, SNIFF) : new TextDecoder('utf-8', { fatal: false }).decode(input.subarray(0, SNIFF));
  if (typeof input !== 'string' && looksLikeIso2709(input)) return 'iso2709';
  const text = afterBlanks(head);
  const first = text.charAt(0);
  if (first === '<') {
    if (/<(?:[\w.-]+:)?(?:record|collection|leader|controlfield|datafield)\b/.test(text) || text.includes('http://www.loc.gov/MARC21/slim')) return 'marcxml';
    return 'unknown';
  }
  if (first === '{' || first === '[') {
    // MARC-in-JSON names each field by its tag; the plain shape has a "tag" key.
    const fields = text.indexOf('"fields"');
    if (fields < 0) return text.includes('"leader"') ? 'marcjson' : 'unknown';
    const after = text.slice(fields, fields + 400);
    if (/"tag"\s*:/.test(after)) return 'plain-json';
    return 'marcjson';
  }
  if (/^=(LDR|\d{3}|[A-Z0-9]{3})  /.test(text)) return 'mrk';
  if (/^LDR {4}/.test(text)) return 'text';
  // yaz-marcdump's line format (`mrrc dump`): a leader line, then `001 …`.
  if (/^\d{5}[^\n]{19}\r?\n[0-9A-Za-z]{3} /.test(text)) return 'text';
  if (typeof input === 'string' && /^[\d ]{5}[a-z ]/.test(text) && text.includes('\x1e')) return 'iso2709';
  return 'unknown';
}

/**
 * Which reader to give input `detectFormat` calls 'unknown': JSON or XML that is not MARC-shaped
 * goes to that format's reader, which says what is missing ("record has no "fields" array", "no
 * MARC record element in <html>"), rather than to the ISO 2709 reader, which could only call the
 * whole file junk; anything else to the ISO 2709 reader.
 */
export function readerForUnknown(input: Uint8Array): 'marcjson' | 'marcxml' | 'iso2709' {
  const first = afterBlanks(new TextDecoder('utf-8', { fatal: false }).decode(input.subarray(0, 1024))).charAt(0);
  return first === '{' || first === '[' ? 'marcjson' : first === '<' ? 'marcxml' : 'iso2709';
}

/** `text` from its first character that is not a BOM, a blank, a line break or ^Z. */
function afterBlanks(text: string): string {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0xfeff || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x1a) i++;
    else break;
  }
  return text.slice(i);
}

function looksLikeIso2709(bytes: Uint8Array): boolean {
  let at = 0;
  // Skip what sits between records in real files: newlines, ^Z, blanks before a digit.
  while (at < bytes.length && (bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x1a)) at++;
  if (bytes.length - at < 24) return false;
  for (let i = at; i < at + 5; i++) {
    const b = bytes[i] as number;
    if (!((b >= 0x30 && b <= 0x39) || b === 0x20)) return false;
  }
  // Base address (12-16) digits or blanks, and a field terminator somewhere soon.
  for (let i = at + 12; i < at + 17; i++) {
    const b = bytes[i] as number;
    if (!((b >= 0x30 && b <= 0x39) || b === 0x20)) return false;
  }
  const limit = Math.min(bytes.length, at + 100_000);
  for (let i = at + 24; i < limit; i++) if (bytes[i] === 0x1e) return true;
  return false;
}
