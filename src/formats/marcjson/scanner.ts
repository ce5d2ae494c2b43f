/**
 * Finds top-level JSON objects in a stream of text, whatever holds them: one document, a JSON
 * array, JSON Lines, or objects written one after another (yaz-marcdump's `-o json` for several
 * records). Each complete object is handed to `JSON.parse` whole, so the per-character work in JS
 * is only the brace counting, and strings are jumped over with `indexOf`. A format may add a fast
 * path that reads an object straight from the buffer where it starts; the brace count then only
 * runs for the objects it declines (odd shapes, errors, an object cut by the chunk end).
 */

import type { TextChunk } from '../common.js';

export interface JsonSlice {
  /** The object's text. */
  text: string;
  /** Stream offset (characters) of its '{'. */
  offset: number;
  /** Set when a fast path read the object: its converted form. */
  value?: unknown;
}

export interface JsonProblem {
  detail: string;
  /** Stream offset (characters) and length of the text that could not be read. */
  offset: number;
  length: number;
}

/** What a fast path read: the object ends before `end`; `value` is its converted form. */
export interface JsonFastHit {
  end: number;
  value: unknown;
}

/**
 * Reads a whole object straight from the buffer, or gives up (null) and leaves it to the brace
 * count; a hit must cover exactly the text the brace count would have found.
 */
export interface JsonFastPath {
  /** The buffer the next `parse` calls index into. */
  begin(buf: string): void;
  parse(start: number): JsonFastHit | null;
}

const enum State {
  Between,
  InObject,
}

export class JsonObjectScanner {
  #buf = '';
  /** Stream offset of `#buf[0]`. */
  #base = 0;
  #pos = 0;
  #state = State.Between;
  #depth = 0;
  #start = 0;
  /** Depth of '[' wrappers around the objects (0 or 1 in practice). */
  #arrays = 0;
  /**
   * A run of text between objects that is not JSON, not ended yet (by a line end, a '{' or the
   * input's end): stream offset and the first characters, for the message. Carried across chunks
   * so that where the input was cut never changes what is reported.
   */
  #junk: { offset: number; head: string } | null = null;
  readonly #maxSize: number;
  readonly #fast: JsonFastPath | null;

  constructor(maxSize: number, fast: JsonFastPath | null = null) {
    this.#maxSize = maxSize;
    this.#fast = fast;
  }

  /** Adds text; returns the objects it completed and problems met (stray text between objects). */
  push(text: string, out: JsonSlice[], problems: JsonProblem[]): void {
    // Keep the open object's text (or nothing, between objects) and append the new text.
    const keep = this.#state === State.InObject ? this.#start : this.#pos;
    this.#buf = keep === this.#buf.length ? text : this.#buf.slice(keep) + text;
    this.#base += keep;
    this.#pos -= keep;
    this.#start -= keep;
    this.#scan(out, problems);
    if (this.#state === State.InObject && this.#buf.length - this.#start > this.#maxSize) {
      throw new RangeError(`a JSON record exceeds maxRecordSize (${this.#maxSize} characters)`);
    }
  }

  /** Stream offset (characters) of the first text a later slice or problem may hold. */
  get retained(): number {
    if (this.#junk !== null) return this.#junk.offset;
    return this.#base + (this.#state === State.InObject ? this.#start : this.#pos);
  }

  /** End of input: an object still open is truncated. */
  end(problems: JsonProblem[]): void {
    if (this.#state === State.InObject) {
      problems.push({ detail: 'input ended inside a JSON object', offset: this.#base + this.#start, length: this.#buf.length - this.#start });
      this.#state = State.Between;
    } else {
      if (this.#junk !== null) this.#endJunk(this.#base + this.#buf.length, problems);
      if (this.#arrays > 0) {
        // An array never closed: the file was cut after a whole record, and what followed is lost.
        problems.push({ detail: 'input ended inside a JSON array (the file is truncated)', offset: this.#base + this.#buf.length, length: 0 });
      }
    }
    this.#arrays = 0;
    this.#buf = '';
    this.#pos = 0;
  }

  #scan(out: JsonSlice[], problems: JsonProblem[]): void {
    const buf = this.#buf;
    const n = buf.length;
    const fast = this.#fast;
    fast?.begin(buf);
    let i = this.#pos;
    let depth = this.#depth;
    while (i < n) {
      if (this.#state === State.Between) {
        const c = buf.charCodeAt(i);
        if (this.#junk !== null) {
          // A run of junk goes on to a line end or a '{', whatever lies between.
          if (c !== 0x0a && c !== 0x7b) {
            i = this.#junkRun(buf, i, problems);
            continue;
          }
          this.#endJunk(this.#base + i, problems);
        }
        if (c === 0x7b) {
          const hit = fast === null ? null : fast.parse(i);
          if (hit !== null) {
            out.push({ text: buf.slice(i, hit.end), offset: this.#base + i, value: hit.value });
            i = hit.end;
            continue;
          }
          this.#state = State.InObject;
          this.#start = i;
          depth = 1;
          i++;
          continue;
        }
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0xfeff) {
          i++;
          continue;
        }
        if (c === 0x5b) {
          this.#arrays++;
          i++;
          continue;
        }
        if (c === 0x5d && this.#arrays > 0) {
          this.#arrays--;
          i++;
          continue;
        }
        // Anything else between objects is not MARC-in-JSON: report it up to the next line or '{'
        // (which may be in a later chunk).
        i = this.#junkRun(buf, i, problems);
        continue;
      }
      // Inside an object: count braces outside strings.
      const c = buf.charCodeAt(i);
      if (c === 0x22) {
        const close = stringEnd(buf, i + 1);
        if (close < 0) {
          // The string is cut by the chunk end: resume at its opening quote.
          this.#pos = i;
          this.#depth = depth;
          return;
        }
        i = close + 1;
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) {
          out.push({ text: buf.slice(this.#start, i + 1), offset: this.#base + this.#start });
          this.#state = State.Between;
        }
      }
      i++;
    }
    this.#pos = i;
    this.#depth = depth;
  }

  /** Goes on with (or starts) a run of junk at `i`; ends it at a line end, a '{' or maxSize characters. */
  #junkRun(buf: string, i: number, problems: JsonProblem[]): number {
    const n = buf.length;
    const junk = (this.#junk ??= { offset: this.#base + i, head: '' });
    const limit = Math.min(n, junk.offset + this.#maxSize - this.#base);
    let stop = i;
    while (stop < limit && buf.charCodeAt(stop) !== 0x0a && buf.charCodeAt(stop) !== 0x7b) stop++;
    if (junk.head.length < 20) junk.head += buf.slice(i, Math.min(stop, i + 20 - junk.head.length));
    if (stop < n) this.#endJunk(this.#base + stop, problems);
    return stop;
  }

  #endJunk(end: number, problems: JsonProblem[]): void {
    const junk = this.#junk as { offset: number; head: string };
    this.#junk = null;
    problems.push({ detail: `unexpected ${JSON.stringify(junk.head)} between JSON objects`, offset: junk.offset, length: end - junk.offset });
  }
}

/** Index of the quote closing a string that starts at `from`, or -1 when the text ends first. */
export function stringEnd(buf: string, from: number): number {
  let at = buf.indexOf('"', from);
  while (at >= 0) {
    let slashes = 0;
    for (let k = at - 1; k >= from && buf.charCodeAt(k) === 0x5c; k--) slashes++;
    if ((slashes & 1) === 0) return at;
    at = buf.indexOf('"', at + 1);
  }
  return -1;
}

// ---------------------------------------------------------------- byte accounting

/*
 * Text readers work on decoded text, but a result's `recordOffset` and `raw` are the input's
 * bytes. `TextBytes` decodes chunks (replacing `ChunkDecoder`: characters split across chunks kept
 * whole, a leading BOM dropped) and remembers how decoded characters map back to input bytes, so
 * a reader can turn its stream offsets (in UTF-16 units) into byte offsets and hand out the exact
 * bytes of a record or a bad region, invalid UTF-8 included.
 *
 * Valid UTF-8 (nearly all input) keeps only its text: a character's byte offset is the UTF-8
 * length of the text before it (one byte per character for ASCII text), and the bytes of a span
 * are its text encoded again. A chunk with invalid UTF-8 keeps a copy of its bytes and a table of
 * where each character starts, since U+FFFD stands for one to three bytes there.
 *
 * It lives here because both MARC-in-JSON and MARCMaker use it; it belongs with `ChunkDecoder` in
 * ../common.ts (and MARCXML could use it too).
 */

interface Segment {
  /** Stream offset (UTF-16 units) of `text[0]`, and of the byte it came from. */
  char0: number;
  byte0: number;
  text: string;
  /** UTF-8 length of `text`: the stream offset of the next segment is `byte0 + bytes`. */
  bytes: number;
  /** One byte per character. */
  ascii: boolean;
  /** Invalid UTF-8: the input bytes, and where character k starts in them (`map[text.length]` = length). */
  input?: Uint8Array;
  map?: Int32Array;
}

const NodeBuffer = (globalThis as { Buffer?: { byteLength(text: string, encoding: 'utf8'): number } }).Buffer;
const textEncoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 length of `text` (a lone surrogate counts 3, as TextEncoder writes U+FFFD for it). */
export function utf8Length(text: string): number {
  if (NodeBuffer !== undefined) return NodeBuffer.byteLength(text, 'utf8');
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if ((c & 0xfc00) === 0xd800 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Valid second bytes of a sequence led by `lead` (WHATWG UTF-8 decoder), or null for no sequence. */
function secondRange(lead: number): [number, number] | null {
  if (lead >= 0xc2 && lead <= 0xdf) return [0x80, 0xbf];
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [0x80, 0xbf];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  if (lead >= 0xf1 && lead <= 0xf3) return [0x80, 0xbf];
  return null;
}

function sequenceLength(lead: number): number {
  return lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/**
 * How many bytes at the end of `bytes` are the valid start of a sequence cut by the chunk end
 * (a streaming decoder holds exactly these for the next chunk).
 */
function heldTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const lead = bytes[n - back] as number;
    if ((lead & 0xc0) === 0x80) continue;
    const range = secondRange(lead);
    if (range === null || sequenceLength(lead) <= back) return 0;
    if (back >= 2) {
      const second = bytes[n - back + 1] as number;
      if (second < range[0] || second > range[1]) return 0;
      if (back === 3 && ((bytes[n - 1] as number) & 0xc0) !== 0x80) return 0;
    }
    return back;
  }
  return 0;
}

/**
 * WHATWG UTF-8 decoding (U+FFFD per maximal invalid subpart, as TextDecoder does) that also says
 * where each character starts. Only for input that `TextDecoder` in fatal mode refused.
 */
export function decodeUtf8WithMap(bytes: Uint8Array): { text: string; map: Int32Array } {
  const codes: number[] = [];
  const starts: number[] = [];
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      codes.push(lead);
      starts.push(i++);
      continue;
    }
    const range = secondRange(lead);
    if (range === null) {
      codes.push(0xfffd);
      starts.push(i++);
      continue;
    }
    const need = sequenceLength(lead) - 1;
    let cp = lead & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let k = 1;
    let lower = range[0];
    let upper = range[1];
    for (; k <= need; k++) {
      const b = bytes[i + k];
      if (b === undefined || b < lower || b > upper) break;
      cp = (cp << 6) | (b & 0x3f);
      lower = 0x80;
      upper = 0xbf;
    }
    if (k <= need) {
      // The lead and the continuation bytes that fitted are one U+FFFD; the byte that did not fit
      // starts over.
      codes.push(0xfffd);
      starts.push(i);
      i += k;
      continue;
    }
    if (cp > 0xffff) {
      cp -= 0x10000;
      codes.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      starts.push(i, i);
    } else {
      codes.push(cp);
      starts.push(i);
    }
    i += need + 1;
  }
  let text = '';
  for (let at = 0; at < codes.length; at += 4096) text += String.fromCharCode(...codes.slice(at, at + 4096));
  const map = new Int32Array(starts.length + 1);
  map.set(starts);
  map[starts.length] = n;
  return { text, map };
}

export class TextBytes {
  #segments: Segment[] = [];
  /** Stream offsets of the end of the decoded text. */
  #chars = 0;
  #bytes = 0;
  /** Bytes of a sequence cut by the last chunk's end. */
  #held: Uint8Array | null = null;
  #started = false;
  /** Last answer of `byteAt` in a non-ASCII segment, to go on from (answers are asked in order). */
  #cursor: { segment: Segment; k: number; byte: number } | null = null;

  /** Text of the next chunk (bytes as UTF-8, or a string as is). */
  decode(chunk: TextChunk): string {
    if (typeof chunk === 'string') {
      let text = chunk;
      if (!this.#started && text.length > 0) {
        this.#started = true;
        if (text.charCodeAt(0) === 0xfeff) {
          text = text.slice(1);
          this.#bytes += 3;
        }
      }
      if (text.length === 0) return text;
      const bytes = utf8Length(text);
      this.#add({ char0: this.#chars, byte0: this.#bytes, text, bytes, ascii: bytes === text.length });
      return text;
    }
    let data = chunk;
    if (this.#held !== null) {
      data = new Uint8Array(this.#held.length + chunk.length);
      data.set(this.#held);
      data.set(chunk, this.#held.length);
      this.#held = null;
    }
    const hold = heldTail(data);
    if (hold > 0) this.#held = data.slice(data.length - hold);
    let complete = data.subarray(0, data.length - hold);
    if (complete.length === 0) return '';
    if (!this.#started) {
      this.#started = true;
      if (complete[0] === 0xef && complete[1] === 0xbb && complete[2] === 0xbf) {
        complete = complete.subarray(3);
        this.#bytes += 3;
        if (complete.length === 0) return '';
      }
    }
    let text: string | null = null;
    try {
      text = strictDecoder.decode(complete);
    } catch {
      text = null;
    }
    if (text !== null) {
      this.#add({ char0: this.#chars, byte0: this.#bytes, text, bytes: complete.length, ascii: text.length === complete.length });
      return text;
    }
    const decoded = decodeUtf8WithMap(complete);
    this.#add({ char0: this.#chars, byte0: this.#bytes, text: decoded.text, bytes: complete.length, ascii: false, input: complete.slice(), map: decoded.map });
    return decoded.text;
  }

  /** End of input: a sequence left cut is one U+FFFD. */
  flush(): string {
    const held = this.#held;
    if (held === null) return '';
    this.#held = null;
    this.#add({ char0: this.#chars, byte0: this.#bytes, text: '\ufffd', bytes: held.length, ascii: false, input: held, map: Int32Array.of(0, held.length) });
    return '\ufffd';
  }

  #add(segment: Segment): void {
    this.#segments.push(segment);
    this.#chars += segment.text.length;
    this.#bytes += segment.bytes;
  }

  /** Stream byte offset of stream character offset `at` (at most the end of the decoded text). */
  byteAt(at: number): number {
    const segment = this.#find(at);
    if (segment === null) return this.#bytes;
    const k = at - segment.char0;
    if (segment.ascii) return segment.byte0 + k;
    if (segment.map !== undefined) return segment.byte0 + (segment.map[k] as number);
    let cursor = this.#cursor;
    if (cursor === null || cursor.segment !== segment || cursor.k > k) cursor = { segment, k: 0, byte: segment.byte0 };
    cursor.byte += k === cursor.k ? 0 : utf8Length(segment.text.slice(cursor.k, k));
    cursor.k = k;
    this.#cursor = cursor;
    return cursor.byte;
  }

  /** The input bytes of stream characters [from, to), made when first asked for. */
  raw(from: number, to: number): () => Uint8Array {
    const parts: Segment[] = [];
    for (const s of this.#segments) if (s.char0 < to && s.char0 + s.text.length > from) parts.push(s);
    if (parts.length === 1) {
      const s = parts[0] as Segment;
      return () => pieceOf(s, from - s.char0, to - s.char0);
    }
    return () => {
      const pieces = parts.map((s) => pieceOf(s, Math.max(0, from - s.char0), Math.min(s.text.length, to - s.char0)));
      const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of pieces) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    };
  }

  /** Nothing before stream character `at` will be asked for again. */
  release(at: number): void {
    let drop = 0;
    while (drop < this.#segments.length - 1) {
      const s = this.#segments[drop] as Segment;
      if (s.char0 + s.text.length > at) break;
      drop++;
    }
    if (drop === 0) return;
    const dropped = this.#segments.splice(0, drop);
    if (this.#cursor !== null && dropped.includes(this.#cursor.segment)) this.#cursor = null;
  }

  #find(at: number): Segment | null {
    const list = this.#segments;
    // Usually the last or nearly: search from the end.
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i] as Segment;
      if (s.char0 <= at) return at < s.char0 + s.text.length ? s : null;
    }
    return null;
  }
}

function pieceOf(s: Segment, from: number, to: number): Uint8Array {
  if (s.input !== undefined && s.map !== undefined) return s.input.subarray(s.map[from] as number, s.map[to] as number);
  return textEncoder.encode(from === 0 && to === s.text.length ? s.text : s.text.slice(from, to));
}
