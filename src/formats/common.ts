/**
 * What every text format shares: chunk decoding (and mapping decoded text back to input bytes),
 * the mode rules for bad records, the sync wrapper over an incremental parser, and the writer
 * shape.
 *
 * Every reader here is an incremental parser: `push` a chunk (bytes or text) and get back the
 * results it completed, `end` at end of input. The sync readers push a whole buffer through the
 * same parser in slices, and the async / stream layer in src/io pushes what it reads, so every
 * source goes through one code path and behaves alike.
 */

import type { ByteSink } from '../util/byte-sink.js';
import { MarcError, modeOf, tooManyUnreadable, type ErrorCode, type MarcErrorContext, type Mode, type SkippedRecord } from '../errors.js';
import { DEFAULT_MAX_ERRORS, type ReadResult } from '../iso2709/reader.js';
import type { Record } from '../record/record.js';
import { isPlainCode } from '../record/field.js';
import { controlCharactersIn, describeControlCharacters } from '../record/control-characters.js';
import { concatBytes } from '../util/bytes.js';
import { isWellFormed, toWellFormed } from '../util/well-formed.js';

export type { ReadResult };

export type TextChunk = Uint8Array | string;

/** Options every format reader takes, with the meaning they have for ISO 2709. */
export interface FormatReadOptions {
  /** 'strict' (default) throws at the first defect; 'lenient' repairs; 'permissive' also skips. */
  mode?: Mode;
  /** Called for every record skipped in permissive mode. */
  onError?: (skipped: SkippedRecord) => void;
  /** Stop with E099 after this many skipped records. */
  maxErrors?: number;
  /** Limits against hostile input (E008): fields in one record, subfields in one field. */
  maxFields?: number;
  maxSubfields?: number;
  /**
   * Look through every record's text now, as ISO 2709's eager read does (`mrrc check` reads so):
   * a control character (U+0000–U+001F: a tab, a line break, a terminator…) in a field's text is
   * E305, a subfield code other than printable ASCII E202. Kept as read; strict mode throws.
   */
  eager?: boolean;
}

export const DEFAULT_MAX_FIELDS = 10_000;
export const DEFAULT_MAX_SUBFIELDS = 10_000;

function overLimit(record: Record, maxFields: number, maxSubfields: number): string | null {
  const fields = record.fields;
  if (fields.length > maxFields) return `a record has more than maxFields (${maxFields}) fields`;
  for (const field of fields) {
    if (field.isDataField() && field.subfieldList().length > maxSubfields) return `field ${field.tag} has more than maxSubfields (${maxSubfields}) subfields`;
  }
  return null;
}

/**
 * A line format has no end mark but the line end: input that stops inside a line (a download cut
 * short, a file truncated by a full disk) leaves a last record that reads as a whole one.
 * Flagged (E005, thrown in strict mode) as ISO 2709 flags a record the input cuts, in the formats
 * whose writers end every line (MARCMaker, yaz's line dump); a hand-edited file that merely lacks
 * its last line end gets the same flag. A cut that falls on a line end cannot be told.
 */
export const CUT_SHORT = 'the input ends inside this record\'s last line (no line end after it): the record may have been cut short';

/**
 * Strict mode stops at the first record it cannot take, but the records a push completed before
 * that one are the caller's (`mrrc convert --mode strict` writes everything before the bad
 * record; a push of 64 KiB completes dozens). A parser catches what its work threw, hands back
 * what it had completed, and throws the error at its next push or end; at once when it had
 * completed nothing.
 */
export class DeferredStop {
  #error: unknown = undefined;
  #stopped = false;

  /** Throws the held error, if any: the parser's state after it is not to be used. */
  check(): void {
    if (this.#stopped) throw this.#error;
  }

  hold(error: unknown, completed: ReadResult[]): ReadResult[] {
    if (completed.length === 0) throw error;
    this.#stopped = true;
    this.#error = error;
    return completed;
  }

  /**
   * A push of more than PARSER_SLICE, made slice by slice through `push`. Text decoded from more
   * than ~128 KiB at once is a string too large for V8's heap pages: each gets fresh memory from
   * the OS, whose page faults cost more than decoding and parsing it (1 MiB pushes read MARC-in-JSON
   * ~20% slower than 64 KiB ones). A stop in one slice ends the push with what the slices before
   * it completed, as a stop in one push does.
   */
  sliced(chunk: TextChunk, push: (slice: TextChunk) => ReadResult[]): ReadResult[] {
    const completed: ReadResult[] = [];
    for (const slice of parserSlices(chunk)) {
      let results: ReadResult[];
      try {
        results = push(slice);
      } catch (e) {
        return this.hold(e, completed);
      }
      for (const result of results) completed.push(result);
      if (this.#stopped) break;
    }
    return completed;
  }

  /** A push or end: `work`'s results, or when it throws, what `completed` says it had finished. */
  run(work: () => ReadResult[], completed: () => ReadResult[]): ReadResult[] {
    this.check();
    try {
      return work();
    } catch (e) {
      return this.hold(e, completed());
    }
  }
}

/**
 * An incremental parser: chunks in, finished results out. When a record stops the read (strict
 * mode, or limits), `push` first returns the results completed before it, and the next `push` or
 * `end` throws (see DeferredStop).
 */
export interface RecordParser {
  push(chunk: TextChunk): ReadResult[];
  end(): ReadResult[];
}

/** A streaming writer: a header, one string per record, a footer. Concatenated, they are the file. */
export interface RecordWriter {
  /** Text before the first record ('' when the format has none). */
  begin(): string;
  write(record: Record): string;
  /**
   * `write(record)` as UTF-8 appended to `sink`, where a writer can produce bytes directly (the
   * MARCXML and MARC-in-JSON writers copy untouched UTF-8 fields from their source bytes).
   */
  writeTo?(record: Record, sink: ByteSink): void;
  /** Text after the last record. */
  end(): string;
}

const encoder = new TextEncoder();

/**
 * Indicators beyond MARC 21's two (`ind3`…, DanMARC's third, as yaz-marcdump writes it in MARCXML
 * and MARC-in-JSON): their text, kept before the field's first subfield (which is how the same
 * field reads from ISO 2709, and how it is written back there), the problem to report and how many
 * there were (ind3 onwards, without a gap); null when there are none.
 */
export function extraIndicators(get: (name: string) => unknown): { text: string; detail: string; count: number } | null {
  let text = '';
  let named = '';
  let count = 0;
  for (let n = 3; n <= 9; n++) {
    const value = get(`ind${n}`);
    if (value === undefined) break;
    text += typeof value === 'string' ? value : String(value);
    named += `${named === '' ? '' : ' '}ind${n} ${JSON.stringify(value)}`;
    count++;
  }
  return count === 0 ? null : { text, detail: `indicators beyond MARC 21's two (${named}); kept as text before the first subfield`, count };
}

/**
 * JSON text can spell half a surrogate pair (`"\ud800"`), which is no character: every UTF-8
 * writer (ISO 2709, MARCXML, the CLI's output) would put U+FFFD in its place without a word. It is
 * replaced here instead, where the record is read, and reported with the format's code.
 */
export function wellFormedText(value: string, code: ErrorCode, what: string, tag: string, repair: (code: ErrorCode, detail: string, tag?: string) => void): string {
  if (isWellFormed(value)) return value;
  let at = 0;
  for (; at < value.length; at++) {
    const c = value.charCodeAt(at);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = value.charCodeAt(at + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) at++;
    else break;
  }
  const hex = value.charCodeAt(at).toString(16).toUpperCase();
  repair(code, `${what} holds \\u${hex} at character ${at}, half of a surrogate pair and no character; read as U+FFFD`, tag);
  return toWellFormed(value);
}

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * UTF-8 chunks to text, with characters split across chunks kept whole and a leading BOM dropped.
 * Strings pass through (a BOM at their start is dropped too).
 */
export class ChunkDecoder {
  readonly #decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  #started = false;

  decode(chunk: TextChunk): string {
    if (typeof chunk === 'string') {
      if (!this.#started) {
        this.#started = true;
        if (chunk.charCodeAt(0) === 0xfeff) return chunk.slice(1);
      }
      return chunk;
    }
    this.#started = true;
    return this.#decoder.decode(chunk, { stream: true });
  }

  flush(): string {
    return this.#decoder.decode();
  }
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
 * MARC-in-JSON, MARCMaker and MARCXML (its text path) use it.
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
  /** A string chunk's last character when it is the first half of a surrogate pair. */
  #heldText = '';
  #started = false;
  /** Last answer of `byteAt` in a non-ASCII segment, to go on from (answers are asked in order). */
  #cursor: { segment: Segment; k: number; byte: number } | null = null;

  /** Text of the next chunk (bytes as UTF-8, or a string as is). */
  decode(chunk: TextChunk): string {
    if (typeof chunk === 'string') {
      let text = chunk;
      // A surrogate pair cut by the chunk end waits for its second half (else each half would
      // count as a character of its own: 3 bytes each, not 4 together).
      if (this.#heldText !== '') {
        text = this.#heldText + text;
        this.#heldText = '';
      }
      if (text.length > 0 && (text.charCodeAt(text.length - 1) & 0xfc00) === 0xd800) {
        this.#heldText = text.slice(-1);
        text = text.slice(0, -1);
      }
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

  /** End of input: a sequence left cut is one U+FFFD (a lone surrogate of a string stays one). */
  flush(): string {
    if (this.#heldText !== '') {
      const text = this.#heldText;
      this.#heldText = '';
      this.#add({ char0: this.#chars, byte0: this.#bytes, text, bytes: 3, ascii: false });
      return text;
    }
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

  /**
   * Input read by other means (a reader's byte path): `chars` UTF-16 units that were `bytes` input
   * bytes, never decoded here. Only between chunks' characters (nothing held), and it ends the
   * looking for a BOM, as the start of any input does.
   */
  skip(chars: number, bytes: number): void {
    this.#started = true;
    this.#chars += chars;
    this.#bytes += bytes;
  }

  /** Stream offsets of the end of what was decoded (or skipped): UTF-16 units, and bytes. */
  get chars(): number {
    return this.#chars;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Stream byte offset of stream character offset `at` (at most the end of the decoded text). */
  byteAt(at: number): number {
    if (at >= this.#chars) return this.#bytes;
    const segment = this.#find(at);
    if (segment === null) {
      // Not in decoded text: input skipped after a segment (its end is exact; further in, the
      // skipped input is counted as one byte a unit, a guess nobody asks for), or before them.
      const before = this.#before(at);
      if (before === null) return at;
      return before.byte0 + before.bytes + (at - before.char0 - before.text.length);
    }
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
      return () => pieceOf(s, Math.max(0, from - s.char0), Math.min(s.text.length, to - s.char0));
    }
    return () => {
      return concatBytes(parts.map((s) => pieceOf(s, Math.max(0, from - s.char0), Math.min(s.text.length, to - s.char0))));
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

  /** The last segment that starts at or before `at`. */
  #before(at: number): Segment | null {
    const list = this.#segments;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i] as Segment;
      if (s.char0 <= at) return s;
    }
    return null;
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

/**
 * The strict / lenient / permissive rules for text formats, kept identical to ISO 2709's
 * `RecordAssembler`: repairs throw in strict mode and are listed on the record otherwise; an
 * unreadable record throws in strict and lenient mode and is skipped (and reported) in permissive.
 */
export class ModeGate {
  readonly mode: Mode;
  readonly source: string;
  readonly #options: FormatReadOptions;
  #index = 0;
  #skipped = 0;

  constructor(options: FormatReadOptions, source: string) {
    this.mode = modeOf(options.mode);
    this.source = source;
    this.#options = options;
  }

  /** Index the next record will get. */
  get nextIndex(): number {
    return this.#index;
  }

  /**
   * Counts a record read and checked elsewhere (the MARCXML byte path, which checks the limits on
   * its counts without building fields): its index, as `ok` would have given it.
   */
  count(): number {
    return this.#index++;
  }

  get skipped(): number {
    return this.#skipped;
  }

  error(code: ErrorCode, detail: string, context: MarcErrorContext = {}, warning = false): MarcError {
    return new MarcError(code, detail, { source: this.source, ...context }, warning ? { severity: 'warning' } : undefined);
  }

  /** A repairable defect: throws in strict mode, otherwise returns it (as a warning) for the record. */
  repair(errors: MarcError[], code: ErrorCode, detail: string, context: MarcErrorContext = {}): void {
    const error = this.error(code, detail, { recordIndex: this.#index, ...context }, this.mode !== 'strict');
    if (this.mode === 'strict') throw error;
    errors.push(error);
  }

  /**
   * A finished record. `errors` are its repairs. `noControls`: the reader knows no text of the
   * record holds a control character (an eager read then looks only at the subfield codes).
   */
  ok(record: Record, errors: MarcError[], raw: Uint8Array | (() => Uint8Array), recordOffset: number, noControls = false): ReadResult {
    // The hostile-input limits, for every text format in one place (E008; skipped in permissive).
    const over = overLimit(record, this.#options.maxFields ?? DEFAULT_MAX_FIELDS, this.#options.maxSubfields ?? DEFAULT_MAX_SUBFIELDS);
    if (over !== null) return this.fail(this.error('E008', over, { recordOffset }), raw, recordOffset);
    if (this.#options.eager === true) {
      const found = this.inspect(record, recordOffset, { codes: true, controls: !noControls });
      // (`errors` may be a reader's shared empty list: never pushed to.)
      if (found.length > 0) errors = errors.concat(found);
    }
    const recordIndex = this.#index++;
    if (errors.length > 0) {
      const control = record.get('001');
      const controlNumber = control?.isControlField() ? control.data : undefined;
      for (const e of errors) e.withContext({ recordIndex, controlNumber });
      record.errors.push(...errors);
    }
    return makeResult(record, record.errors, raw, recordIndex, recordOffset);
  }

  /**
   * An eager read's look through a record's text (see `eager`), before the gate counts it: what
   * it finds, subfield codes first (E202), then control characters (E305); strict mode throws at
   * the first. Readers that build a record without `ok` (the MARCXML byte path) call it
   * themselves, without `codes`: their records decode from bytes, which reports codes.
   */
  inspect(record: Record, recordOffset: number, look: { codes: boolean; controls: boolean }): MarcError[] {
    const codes: [string, string, string][] = [];
    const controls: [string, string, string | undefined][] = [];
    const control = (text: string, i: number, tag: string, where: string, subfieldCode?: string): void => {
      const found = controlCharactersIn(text);
      if (found !== null) controls.push([`${describeControlCharacters(i, tag, where, found)}; kept as read`, tag, subfieldCode]);
    };
    const fields = record.fields;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as Record['fields'][number];
      const tag = field.tag;
      if (field.isControlField()) {
        if (look.controls) control(field.data, i, tag, 'data');
        continue;
      }
      if (look.controls) {
        control(field.ind1, i, tag, 'ind1');
        control(field.ind2, i, tag, 'ind2');
      }
      for (const { code, value } of field.subfieldList()) {
        if (look.codes && code.length === 1 && !isPlainCode(code.charCodeAt(0))) {
          codes.push([`field ${i} (${tag}) has subfield code ${JSON.stringify(code)}, which is not printable ASCII; kept as read`, tag, code]);
        }
        if (look.controls) control(value, i, tag, `$${code}`, code);
      }
    }
    const out: MarcError[] = [];
    if (codes.length + controls.length === 0) return out;
    const first = record.get('001');
    const controlNumber = first?.isControlField() ? first.data : undefined;
    for (const [detail, tag, subfieldCode] of codes) this.repair(out, 'E202', detail, { tag, subfieldCode, recordOffset, controlNumber });
    for (const [detail, tag, subfieldCode] of controls) this.repair(out, 'E305', detail, { tag, subfieldCode, recordOffset, controlNumber });
    return out;
  }

  /** A record that cannot be read: throws unless permissive, where it is skipped and reported. */
  fail(error: MarcError, raw: Uint8Array | (() => Uint8Array), recordOffset: number): ReadResult {
    const recordIndex = this.#index++;
    error.withContext({ recordIndex, recordOffset, source: this.source });
    if (this.mode !== 'permissive') throw error;
    this.#skipped++;
    const max = this.#options.maxErrors ?? DEFAULT_MAX_ERRORS;
    if (this.#skipped > max) {
      throw tooManyUnreadable(max, { recordIndex, recordOffset, source: this.source });
    }
    const result = makeResult(null, [error], raw, recordIndex, recordOffset);
    this.#options.onError?.({ error, raw: result.raw, recordIndex, recordOffset });
    return result;
  }
}

/**
 * A result whose `raw` bytes are made on first access: text formats hold the record's text, and
 * encoding it for every record would cost time nobody asked for.
 */
function makeResult(record: Record | null, errors: MarcError[], raw: Uint8Array | (() => Uint8Array), recordIndex: number, recordOffset: number): ReadResult {
  if (raw instanceof Uint8Array) return { record, errors, raw, recordIndex, recordOffset };
  return new LazyRawResult(record, errors, raw, recordIndex, recordOffset);
}

/**
 * A class rather than an object literal with a `get raw()`: V8 kept the records such literals
 * pointed to alive through every young-generation collection (promoted 21 MB against 1.3 MB while
 * reading 10,000 records of `mrrc dump`; 42 against 28 µs a record, measured apart from the push
 * size). `raw` is a getter on the prototype, so `{...result}` and `Object.keys` do not see it.
 */
class LazyRawResult implements ReadResult {
  record: Record | null;
  errors: MarcError[];
  recordIndex: number;
  recordOffset: number;
  #make: (() => Uint8Array) | null;
  #bytes: Uint8Array | null = null;

  constructor(record: Record | null, errors: MarcError[], make: () => Uint8Array, recordIndex: number, recordOffset: number) {
    this.record = record;
    this.errors = errors;
    this.recordIndex = recordIndex;
    this.recordOffset = recordOffset;
    this.#make = make;
  }

  get raw(): Uint8Array {
    if (this.#bytes === null) {
      this.#bytes = (this.#make as () => Uint8Array)();
      this.#make = null;
    }
    return this.#bytes;
  }
}

/**
 * The most a text parser is given at once by the library's wrappers. A parser hands back every
 * record a push completes, so a push's records are all alive together; with 1 MiB pushes (a
 * thousand records of a line format) the young generation's collections copied and promoted
 * them, and reading a `mrrc dump` took 31 µs a record against 7 µs with 64 KiB pushes (.mrk
 * 29–34 against 9–14, MARC-in-JSON 32–39 against 17–22, MARCXML no slower; 12 MB files).
 */
export const PARSER_SLICE = 1 << 16;

/** A chunk in pieces of at most PARSER_SLICE, never splitting a string's surrogate pair. */
export function* parserSlices(input: TextChunk): Generator<TextChunk, void, undefined> {
  const length = input.length;
  if (length <= PARSER_SLICE) {
    if (length > 0) yield input;
    return;
  }
  let at = 0;
  while (at < length) {
    let to = Math.min(at + PARSER_SLICE, length);
    if (typeof input === 'string' && to < length && (input.charCodeAt(to - 1) & 0xfc00) === 0xd800) to++;
    yield typeof input === 'string' ? input.slice(at, to) : input.subarray(at, to);
    at = to;
  }
}

/**
 * Runs a whole buffer or string through an incremental parser, lazily: results are handed out as
 * each slice completes them, so a large input never has all its records alive at once.
 */
export function* runSync(parser: RecordParser, input: TextChunk): Generator<ReadResult, void, undefined> {
  for (const slice of parserSlices(input)) yield* parser.push(slice);
  yield* parser.end();
}

/** Records only, from results: skipped ones were already reported through onError. */
export function* recordsOf(results: Iterable<ReadResult>): Generator<Record, void, undefined> {
  for (const result of results) if (result.record !== null) yield result.record;
}

/** Line and column (1-based) of offset `at` in `text`, for error messages of line formats. */
export function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/** Writes every record through `writer` into one string (begin, records, end). */
export function writeAll(writer: RecordWriter, records: Iterable<Record>): string {
  let out = writer.begin();
  for (const record of records) out += writer.write(record);
  return out + writer.end();
}
