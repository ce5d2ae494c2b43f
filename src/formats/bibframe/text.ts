/**
 * String rules of LC's marc2bibframe2 (utils.xsl): its punctuation chopping (tChopPunct) and
 * helpers. Ported rule for rule because most literals of the output pass through it, so every
 * difference shows up as a missed triple.
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ABBREVIATIONS = ['arr.', 'ed.', 'etc.', 'ft.', 'ill.', 'p.', 's.n.', 's.l.'];

/** XPath normalize-space: only space, tab, CR and LF are whitespace. */
export function normalizeSpace(s: string): string {
  // Nearly every value is already normal: check by scanning before building a new string.
  const n = s.length;
  let clean = n === 0 || (s.charCodeAt(0) !== 32 && s.charCodeAt(n - 1) !== 32);
  for (let i = 0; clean && i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || (c === 32 && s.charCodeAt(i + 1) === 32)) clean = false;
  }
  return clean ? s : s.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
}

/** XPath contains(haystack, needle) for one character: the empty string is always contained. */
function has(chars: string, ch: string): boolean {
  return ch === '' || chars.includes(ch);
}

export interface ChopOptions {
  end?: string;
  term?: string;
  lead?: string;
  forceTerm?: boolean;
  chopParens?: boolean;
  addBrackets?: boolean;
}

function findInitials(s: string): boolean {
  for (;;) {
    const n = s.length;
    if (has(UPPER, s.charAt(n - 1)) && has(' .', n >= 2 ? s.charAt(n - 2) : '')) return true;
    const last = s.lastIndexOf('.');
    if (last < 0) return false;
    s = s.substring(0, last);
  }
}

function balance(s: string, addBrackets: boolean): string {
  const open = s.indexOf('[');
  if (open >= 0 && !s.substring(open + 1).includes(']')) return s + ']';
  const close = s.indexOf(']');
  if (close >= 0 && !s.substring(0, close).includes('[')) return '[' + s;
  return addBrackets ? '[' + s + ']' : s;
}

const SPECIAL = /[()"{}[\]]/;

/** tChopPunct: trims ending (and some enclosing) punctuation the way LC's converter does. */
export function chopPunct(input: string, options: ChopOptions = {}): string {
  const end = options.end ?? '.:;,/=';
  const term = options.term ?? '.?!';
  const lead = options.lead ?? ';=';
  const addBrackets = options.addBrackets ?? false;
  let s = input;
  // Most values end in a letter or digit and hold no bracket, parenthesis or quote: nothing to
  // chop, only the balance check, which is a no-op without brackets either.
  {
    const v = normalizeSpace(s);
    const last = v.charCodeAt(v.length - 1);
    const first = v.charAt(0);
    if (v.length > 0 && ((last >= 48 && last <= 57) || (last >= 65 && last <= 90) || (last >= 97 && last <= 122)) && !end.includes(v.charAt(v.length - 1)) && !(lead !== '' && lead.includes(first)) && !SPECIAL.test(v)) {
      return addBrackets ? '[' + v + ']' : v;
    }
  }
  for (;;) {
    const v = normalizeSpace(s);
    const n = v.length;
    if (n === 0) return '';
    const first = v.charAt(0);
    if (first === '(' && options.chopParens) {
      const close = v.lastIndexOf(')') + 1;
      s = close > 2 ? v.substring(1, close - 1) + v.substring(close) : v.substring(1);
      continue;
    }
    if (lead !== '' && lead.includes(first)) {
      s = v.substring(1);
      continue;
    }
    let i = v.indexOf('(');
    if (i >= 0 && !v.substring(i + 1).includes(')')) {
      s = v.substring(0, i) + v.substring(i + 1);
      continue;
    }
    i = v.indexOf('{{');
    if (i >= 0 && !v.substring(i + 2).includes('}}')) {
      s = v.substring(0, i) + v.substring(i + 2);
      continue;
    }
    i = v.indexOf('"');
    if (i >= 0 && !v.substring(i + 1).includes('"')) {
      s = v.substring(0, i) + v.substring(i + 1);
      continue;
    }
    i = v.indexOf(')');
    if (i >= 0 && !v.substring(0, i).includes('(')) {
      s = v.substring(0, i) + v.substring(i + 1);
      continue;
    }
    i = v.indexOf('}}');
    if (i >= 0 && !v.substring(0, i).includes('{{')) {
      s = v.substring(0, i) + v.substring(i + 2);
      continue;
    }
    const last = v.charAt(n - 1);
    if (end.includes('.') && !options.forceTerm && last === '.') {
      const body = v.substring(0, n - 1);
      if (has(UPPER, n >= 2 ? v.charAt(n - 2) : '') && has(' .', n >= 3 ? v.charAt(n - 3) : '')) return balance(v, addBrackets);
      if (findInitials(body)) {
        s = body;
        continue;
      }
      if (ABBREVIATIONS.some((a) => v === a || (n > a.length && v.substring(n - a.length - 1) === ' ' + a))) return balance(v, addBrackets);
      if ([...term].some((c) => body.includes(c))) return balance(v, addBrackets);
      s = body;
      continue;
    }
    if (end.includes(last)) {
      s = v.substring(0, n - 1);
      continue;
    }
    return balance(v, addBrackets);
  }
}

/** url-encode of utils.xsl (ASCII only; anything else becomes %3F as LC's does). */
export function urlEncode(s: string): string {
  const safe = /[!'()*\-.0-9A-Z_a-z~]/;
  let out = '';
  for (const ch of s) {
    if (safe.test(ch)) out += ch;
    else {
      const code = ch.charCodeAt(0);
      out += '%' + (code >= 32 && code < 127 ? code : 63).toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

/** 'u' and 'U' to 'X' in dates (EDTF unspecified digits). */
export function u2x(s: string): string {
  return s.replace(/[uU]/g, 'X');
}
