/**
 * Finds top-level JSON objects in a stream of text, whatever holds them: one document, a JSON
 * array, JSON Lines, or objects written one after another (yaz-marcdump's `-o json` for several
 * records). Each complete object is handed to `JSON.parse` whole, so the per-character work in JS
 * is only the brace counting, and strings are jumped over with `indexOf`. A format may add a fast
 * path that reads an object straight from the buffer where it starts; the brace count then only
 * runs for the objects it declines (odd shapes, errors, an object cut by the chunk end).
 */

export interface JsonSlice {
  /** The object's text. */
  text: string;
  /** Stream offset (characters) of its '{'. */
  offset: number;
  /** Set when a fast path read the object: its converted form. */
  value?: unknown;
  /** With `value`: true when no string in the object had an escape, so none holds a control character. */
  unescaped?: boolean;
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
  /** No string in the object had an escape (JSON text carries a control character only escaped). */
  unescaped: boolean;
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
            out.push({ text: buf.slice(i, hit.end), offset: this.#base + i, value: hit.value, unescaped: hit.unescaped });
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
