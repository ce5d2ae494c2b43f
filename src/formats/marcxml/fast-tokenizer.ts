/**
 * A specialised MARCXML tokenizer: `indexOf` and sticky regexes over the decoded text, feeding the
 * same element events the saxes driver feeds the builder, several times faster.
 *
 * It accepts only a strict subset of XML it can tokenize with certainty: elements with ASCII
 * names and quoted attributes, text with the five predefined entities and character references,
 * comments, and an XML declaration at the very start. Anything else (a DOCTYPE, CDATA, processing
 * instructions, CR line ends, disallowed characters, malformed markup) stops it at the last token
 * boundary and it hands the rest of the input over (`Handover`) for saxes to carry on. The
 * subset is chosen so that everything it accepted saxes would have accepted with the same events;
 * then the events before the handover point are exactly saxes's, and saxes, primed with a
 * synthetic prefix that puts it in the same state (open elements, root seen), produces exactly
 * the events and errors it would have produced after that point. No event is emitted twice or
 * lost, and every error comes from saxes, as before.
 */

import { isWellFormed } from '../../util/well-formed.js';

/** Where the element events go. Offsets are stream offsets (UTF-16 units from the start). */
export interface TokenSink {
  /** An element opened: `start` is the offset of its '<', `end` just past its '>'. */
  open(name: string, attrs: { readonly [key: string]: string }, start: number, end: number): void;
  /** An element closed: `end` is just past its '>' (that of the start tag when self-closing). */
  close(end: number): void;
  text(text: string): void;
  /** A comment: its text between `<!--` and `-->`. */
  comment?(text: string): void;
}

/** The point where saxes takes over. */
export interface Handover {
  /** Stream offset of the first character not consumed. */
  at: number;
  /** The text from `at` on that this tokenizer holds. */
  rest: string;
  /** Markup to feed saxes (events ignored) first, so that it is in the state it would be at `at`. */
  prefix: string;
  /** saxes's line (1-based) and column (0-based, in code points) at `at`. */
  line: number;
  column: number;
}

// Names are restricted to ASCII so that every name accepted here is a name for saxes too.
const OPEN = /<([A-Za-z_][A-Za-z0-9._:-]*)/y;
const ATTR = /[ \t\n]+([A-Za-z_][A-Za-z0-9._:-]*)[ \t\n]*=[ \t\n]*(?:"([^"<]*)"|'([^'<]*)')/y;
const OPEN_END = /[ \t\n]*(\/?)>/y;
const CLOSE = /<\/([A-Za-z_][A-Za-z0-9._:-]*)[ \t\n]*>/y;
const DECL = /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>/y;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/y;
/** Characters XML 1.0 forbids, CR, and ']]>'. */
const DISALLOWED = /[\0-\x08\x0B-\x1F\uFFFE\uFFFF]|]]>/;
/** The same, or a surrogate (lone ones are forbidden too). */
const SUSPECT = /[\0-\x08\x0B-\x1F\uD800-\uDFFF\uFFFE\uFFFF]|]]>/;
const BLANK = /^[ \t\n]*$/;
// What may follow a start tag's name and complete attributes when the chunk ends inside the tag.
const OPEN_TAIL = /(?:[ \t\n]*\/?|[ \t\n]+([A-Za-z_][A-Za-z0-9._:-]*)(?:[ \t\n]*(?:=[ \t\n]*(?:"[^"<&]*|'[^'<&]*)?)?)?)$/y;
const CLOSE_TAIL = /<\/(?:[A-Za-z_][A-Za-z0-9._:-]*[ \t\n]*)?$/y;
const NAMED: { readonly [name: string]: string } = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

interface KnownTag {
  /** The tag's text, once it is in the table. */
  text: string;
  readonly name: string;
  readonly attrs: { readonly [key: string]: string };
  /** Self-closing. */
  readonly empty: boolean;
}

const KNOWN_SLOTS = 4096;
const MAX_PENDING = 1 << 16;
const SURROGATE = /[\uD800-\uDFFF]/;
/** Distances back from a tag's '>' of the characters hashed (unrolled in #open for long tags). */
const PROBES = [2, 3, 4, 11, 20, 21, 22];

const WAIT = -1;
const FAIL = -2;

export class FastMarcXmlTokenizer {
  readonly #sink: TokenSink;
  /** Unconsumed text (an incomplete token or text run) and its stream offset. */
  #pending = '';
  #at = 0;
  /** Names of the open elements, outermost first. */
  readonly #stack: string[] = [];
  #rootSeen = false;
  #rootClosed = false;
  /** The XML declaration read at the start, if any: saxes keeps what it declared as state. */
  #declaration = '';
  /** Line (1-based) and column (code points) of `#at`, counted as saxes counts them. */
  #line = 1;
  #column = 0;
  /** The text being read holds surrogate pairs (so columns and UTF-16 offsets differ). */
  #surrogates = false;
  readonly #known: (KnownTag | undefined)[] = new Array<KnownTag | undefined>(KNOWN_SLOTS).fill(undefined);
  #parsed: KnownTag | null = null;

  constructor(sink: TokenSink) {
    this.#sink = sink;
  }

  /** Tokenize what can be; a Handover when saxes must take over (this tokenizer is then done). */
  write(chunk: string): Handover | null {
    const pending = this.#pending;
    // Checked once per chunk rather than per token, in one regex pass (the cost that matters
    // here): CR (saxes rewrites line ends and counts lines its own way), characters XML forbids,
    // and ']]>' (forbidden in text) are all rare enough that handing the rest over is cheaper
    // than handling them. Surrogates are common and fine in pairs. (The pending text passed
    // already; a surrogate it ended with would not have.)
    let surrogates = false;
    if (SUSPECT.test(chunk)) {
      if (DISALLOWED.test(chunk) || !isWellFormed(chunk)) return this.#handover(pending + chunk, 0, 0);
      surrogates = true;
    }
    if (pending === '') {
      this.#surrogates = surrogates;
      return this.#finish(chunk, 0);
    }
    // A long run carried from chunk to chunk would be copied again with each: saxes does better.
    if (pending.length > MAX_PENDING) return this.#handover(pending + chunk, 0, 0);
    this.#surrogates = surrogates || SURROGATE.test(pending);
    // Joining the pending text to the whole chunk would copy the chunk (string operations
    // flatten the join): finish the pending token on a join with the chunk's start only.
    const lt = chunk.indexOf('<');
    const gt = lt < 0 ? -1 : chunk.indexOf('>', lt);
    if (gt < 0) {
      const buf = pending + chunk;
      return buf.includes(']]>') ? this.#handover(buf, 0, 0) : this.#finish(buf, 0);
    }
    const head = pending + chunk.slice(0, gt + 1);
    if (head.includes(']]>')) return this.#handover(pending + chunk, 0, 0);
    const pos = this.#run(head, 0);
    if (pos < 0) return this.#handover(pending + chunk, 0, -pos - 1);
    this.#advance(head, 0, pos);
    if (pos < pending.length) return this.#finish(pending + chunk, pos);
    return this.#finish(chunk, pos - pending.length);
  }

  /** Tokens of buf from `from` (where `#at` is) on, keeping what is incomplete. */
  #finish(buf: string, from: number): Handover | null {
    const pos = this.#run(buf, from);
    if (pos < 0) return this.#handover(buf, from, -pos - 1);
    this.#advance(buf, from, pos);
    this.#pending = buf.slice(pos);
    return null;
  }

  /**
   * For the byte path, at a '<' it may read on its own: true when everything written has been
   * tokenized, after handing on pending text as the text event the '<' would have ended (as `#run`
   * does), false when something else is pending (a token cut short, a reference) or saxes would
   * have something to say about that text.
   */
  flushText(): boolean {
    const text = this.#pending;
    if (text === '') return true;
    if (text.includes('<')) return false;
    let out = text;
    if (this.#stack.length === 0) {
      if (!BLANK.test(text)) return false;
    } else if (text.includes('&')) {
      const decoded = decode(text, false);
      if (decoded === null) return false;
      out = decoded;
    }
    this.#sink.text(out);
    this.#advance(text, 0, text.length);
    this.#pending = '';
    return true;
  }

  /**
   * A whole element the byte path read in place of this tokenizer (right after `flushText`
   * returned true): `units` UTF-16 units holding `lines` newlines, and `column` code points after
   * the last of them (or in all, when there is none).
   */
  skip(units: number, lines: number, column: number): void {
    this.#at += units;
    if (lines > 0) {
      this.#line += lines;
      this.#column = column;
    } else {
      this.#column += column;
    }
    this.#rootSeen = true;
    if (this.#stack.length === 0) this.#rootClosed = true;
  }

  /** End of input: null when the document ended cleanly, else a Handover for saxes to finish. */
  end(): Handover | null {
    const buf = this.#pending;
    if (!this.#rootSeen || this.#stack.length > 0 || !BLANK.test(buf)) return this.#handover(buf, 0, 0);
    // saxes hands trailing text to its handler when it closes.
    if (buf.length > 0) this.#sink.text(buf);
    this.#advance(buf, 0, buf.length);
    this.#pending = '';
    return null;
  }

  /** saxes takes over at buf[pos]; `#at` is at buf[from]. */
  #handover(buf: string, from: number, pos: number): Handover {
    this.#advance(buf, from, pos);
    this.#pending = '';
    // The same declaration (on one line), or a comment, so saxes knows it is past the start.
    let prefix = this.#declaration !== '' ? this.#declaration : this.#at > 0 ? '<!---->' : '';
    if (this.#rootClosed) prefix += '<_/>';
    for (const name of this.#stack) prefix += `<${name}>`;
    return { at: this.#at, rest: buf.slice(pos), prefix, line: this.#line, column: this.#column };
  }

  /** Move `#at` (and line, column) over buf[from, to). */
  #advance(buf: string, from: number, to: number): void {
    const start = from;
    let nl = buf.indexOf('\n', from);
    if (nl >= 0 && nl < to) {
      let lines = 0;
      let last = nl;
      while (nl >= 0 && nl < to) {
        lines++;
        last = nl;
        nl = buf.indexOf('\n', nl + 1);
      }
      this.#line += lines;
      this.#column = 0;
      from = last + 1;
    }
    let column = to - from;
    // saxes counts columns in code points.
    if (this.#surrogates) {
      for (let i = from; i < to; i++) {
        const c = buf.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) column--;
      }
    }
    this.#column += column;
    this.#at += to - start;
  }

  /**
   * Tokens of `buf` from `from` on: the offset where an incomplete token begins (to wait for more
   * input), or -(offset + 1) of a token boundary where saxes must take over.
   */
  #run(buf: string, from: number): number {
    const sink = this.#sink;
    const stack = this.#stack;
    const base = this.#at - from;
    const length = buf.length;
    let pos = from;
    while (pos < length) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) return textTail(buf, pos, stack.length === 0) ? pos : -pos - 1;
      if (lt > pos) {
        let text = buf.slice(pos, lt);
        if (stack.length === 0) {
          // Outside the root only blanks are allowed; saxes still reports them.
          if (!BLANK.test(text)) return -pos - 1;
        } else if (text.includes('&')) {
          const decoded = decode(text, false);
          if (decoded === null) return -pos - 1;
          text = decoded;
        }
        sink.text(text);
        pos = lt;
      }
      const c = buf.charCodeAt(lt + 1);
      let end: number;
      if (c === 0x2f /* / */) end = this.#close(buf, lt, base);
      else if (c === 0x21 /* ! */) {
        end = comment(buf, lt);
        if (end >= 0) sink.comment?.(buf.slice(lt + 4, end - 3));
      } else if (c === 0x3f /* ? */) end = base + lt === 0 ? this.#xmlDeclaration(buf) : FAIL;
      else if (lt + 1 >= length) end = WAIT;
      else end = this.#open(buf, lt, base);
      if (end === WAIT) return lt;
      if (end === FAIL) return -lt - 1;
      pos = end;
    }
    return pos;
  }

  #xmlDeclaration(buf: string): number {
    DECL.lastIndex = 0;
    // Split across chunks (only with tiny chunks): saxes reads it, and what follows.
    if (DECL.exec(buf) === null) return FAIL;
    this.#declaration = buf.slice(0, DECL.lastIndex).replace(/[\t\n]/g, ' ');
    return DECL.lastIndex;
  }

  #open(buf: string, lt: number, base: number): number {
    // MARCXML repeats the same few start tags (`<subfield code="a">`) endlessly: a tag read once
    // is kept in a small table, found again by a hash of its length and a few characters near its
    // end (where subfield codes, tags and indicators sit) and confirmed by comparing its text,
    // which allocates nothing. Only tags without '>' in a value are kept, so the text up to the
    // first '>' is the whole tag.
    const gt = buf.indexOf('>', lt);
    let slot = -1;
    if (gt >= 0) {
      const length = gt + 1 - lt;
      let h = length;
      if (length > 23) {
        h = Math.imul(h, 31) + buf.charCodeAt(gt - 2);
        h = Math.imul(h, 31) + buf.charCodeAt(gt - 3);
        h = Math.imul(h, 31) + buf.charCodeAt(gt - 4);
        h = Math.imul(h, 31) + buf.charCodeAt(gt - 11);
        h = Math.imul(h, 31) + buf.charCodeAt(gt - 20);
        h = Math.imul(h, 31) + buf.charCodeAt(gt - 21);
        h = Math.imul(h, 31) + buf.charCodeAt(gt - 22);
      } else {
        for (const k of PROBES) {
          const i = gt - k;
          h = Math.imul(h, 31) + (i > lt ? buf.charCodeAt(i) : 0);
        }
      }
      h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
      slot = (h ^ (h >>> 16)) & (KNOWN_SLOTS - 1);
      const known = this.#known[slot];
      if (known !== undefined && known.text.length === length && same(buf, lt, known.text)) {
        this.#emitOpen(known, base + lt, base + gt + 1);
        return gt + 1;
      }
    }
    const end = this.#parseOpen(buf, lt);
    if (end < 0) return end;
    const tag = this.#parsed as KnownTag;
    if (end === gt + 1) {
      tag.text = buf.slice(lt, end);
      this.#known[slot] = tag;
    }
    this.#emitOpen(tag, base + lt, base + end);
    return end;
  }

  #emitOpen(tag: KnownTag, start: number, end: number): void {
    this.#rootSeen = true;
    const sink = this.#sink;
    sink.open(tag.name, tag.attrs, start, end);
    if (tag.empty) {
      sink.close(end);
      if (this.#stack.length === 0) this.#rootClosed = true;
    } else {
      this.#stack.push(tag.name);
    }
  }

  /** A start tag at `lt`: its end (and the tag in `#parsed`), WAIT or FAIL. */
  #parseOpen(buf: string, lt: number): number {
    OPEN.lastIndex = lt;
    const m = OPEN.exec(buf);
    if (m === null) return FAIL;
    const name = m[1] as string;
    const attrs: { [key: string]: string } = Object.create(null);
    let at = OPEN.lastIndex;
    for (;;) {
      ATTR.lastIndex = at;
      const a = ATTR.exec(buf);
      if (a === null) break;
      const key = a[1] as string;
      if (attrs[key] !== undefined) return FAIL; // saxes reports duplicates
      let value = a[2] ?? (a[3] as string);
      if (value.includes('&')) {
        const decoded = decode(value, true);
        if (decoded === null) return FAIL;
        value = decoded;
      } else if (value.includes('\t') || value.includes('\n')) {
        value = value.replace(/[\t\n]/g, ' ');
      }
      attrs[key] = value;
      at = ATTR.lastIndex;
    }
    OPEN_END.lastIndex = at;
    const e = OPEN_END.exec(buf);
    if (e === null) {
      if (buf.indexOf('>', lt) >= 0) return FAIL;
      OPEN_TAIL.lastIndex = at;
      const tail = OPEN_TAIL.exec(buf);
      return tail === null || (tail[1] !== undefined && attrs[tail[1]] !== undefined) ? FAIL : WAIT;
    }
    // Shared by every later occurrence of the same tag text: frozen, so no one can change it.
    this.#parsed = { text: '', name, attrs: Object.freeze(attrs), empty: e[1] === '/' };
    return OPEN_END.lastIndex;
  }

  #close(buf: string, lt: number, base: number): number {
    const stack = this.#stack;
    const top = stack[stack.length - 1];
    if (top === undefined) return closeTail(buf, lt);
    // The usual case first: exactly the name expected, no blanks.
    let end = lt + 2 + top.length;
    if (buf.charCodeAt(end) === 0x3e /* > */ && buf.startsWith(top, lt + 2)) {
      end++;
    } else {
      CLOSE.lastIndex = lt;
      const m = CLOSE.exec(buf);
      if (m === null) return closeTail(buf, lt);
      if (m[1] !== top) return FAIL;
      end = CLOSE.lastIndex;
    }
    stack.pop();
    if (stack.length === 0) this.#rootClosed = true;
    this.#sink.close(base + end);
    return end;
  }
}

/** Whether buf holds text at `at` (a loop: faster than startsWith on these short strings). */
function same(buf: string, at: number, text: string): boolean {
  for (let i = text.length - 1; i >= 0; i--) if (buf.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Whether a chunk may end in text from `pos` and the tokenizer wait for more: only if saxes has
 * nothing to say about that text yet, so that any error is still reported in the same write.
 */
function textTail(buf: string, pos: number, outside: boolean): boolean {
  if (pos === buf.length) return true;
  const text = buf.slice(pos);
  if (outside) return BLANK.test(text);
  const amp = text.lastIndexOf('&');
  if (amp < 0) return true;
  // A reference still open (no ';' yet) is not judged by saxes yet; those before it are.
  const judged = text.indexOf(';', amp) < 0 ? text.slice(0, amp) : text;
  return decode(judged, false) !== null;
}

/** A close tag the chunk cut short: wait if it can still be one. */
function closeTail(buf: string, lt: number): number {
  if (buf.indexOf('>', lt) >= 0) return FAIL;
  CLOSE_TAIL.lastIndex = lt;
  return CLOSE_TAIL.test(buf) ? WAIT : FAIL;
}

function comment(buf: string, lt: number): number {
  if (!buf.startsWith('<!--', lt)) {
    return buf.length - lt < 4 && '<!--'.startsWith(buf.slice(lt)) ? WAIT : FAIL;
  }
  const end = buf.indexOf('-->', lt + 4);
  if (end < 0) {
    // saxes reports a '--' as soon as the character after it arrives.
    const dashes = buf.indexOf('--', lt + 4);
    return dashes < 0 || dashes >= buf.length - 2 ? WAIT : FAIL;
  }
  // '--' inside a comment is an error for saxes.
  return buf.indexOf('--', lt + 4) === end ? end + 3 : FAIL;
}


/**
 * Text or an attribute value with its references resolved, or null for anything saxes would
 * reject (or that we do not resolve). In attribute values literal tabs and newlines become
 * spaces, as saxes does; those from character references stay.
 */
function decode(s: string, attribute: boolean): string | null {
  let out = '';
  let pos = 0;
  for (;;) {
    const amp = s.indexOf('&', pos);
    const literal = s.slice(pos, amp < 0 ? s.length : amp);
    out += attribute ? literal.replace(/[\t\n]/g, ' ') : literal;
    if (amp < 0) return out;
    ENTITY.lastIndex = amp;
    const m = ENTITY.exec(s);
    if (m === null) return null;
    if (m[1] !== undefined) {
      out += NAMED[m[1]] as string;
    } else {
      const code = m[2] !== undefined ? parseInt(m[2], 10) : parseInt(m[3] as string, 16);
      if (!isXmlChar(code)) return null;
      out += String.fromCodePoint(code);
    }
    pos = ENTITY.lastIndex;
  }
}

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}
