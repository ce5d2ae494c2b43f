/**
 * The MARCXML reader: an incremental parser over saxes (a conforming, non-validating XML 1.0
 * parser), fed chunks of bytes or text, handing out records as their `</record>` arrives.
 *
 * Three paths, each used only where it reads exactly as the next would: records of the common
 * shape in byte input go straight to lazy ISO 2709-backed records (byte-records.ts); everything
 * else is decoded and read by a specialised text tokenizer (fast-tokenizer.ts), which hands over to
 * saxes at the first construct it does not handle. See docs/formats.md, MARCXML.
 *
 * Hostile input: saxes never fetches anything and never expands entities beyond the five XML
 * ones and character references; a DOCTYPE is refused outright (E401), so no internal-subset
 * entity can be declared either. Depth (maxDepth) and the size of one record or one run of text
 * between tags (maxRecordSize) are bounded (E008).
 */

import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { MarcError } from '../../errors.js';
import { Record } from '../../record/record.js';
import { parsePlan, type ParseOptions } from '../../iso2709/parser.js';
import { DEFAULT_MAX_FIELDS, DEFAULT_MAX_SUBFIELDS, DeferredStop, PARSER_SLICE, ModeGate, TextBytes, recordsOf, runSync, type FormatReadOptions, type ReadResult, type RecordParser, type TextChunk } from '../common.js';
import { MarcXmlBuilder } from './builder.js';
import { FastMarcXmlTokenizer, type Handover } from './fast-tokenizer.js';
import { ByteRecordReader, FAIL, INCOMPLETE } from './byte-records.js';
import { isPlainCode } from '../../record/field.js';

export interface MarcXmlReadOptions extends FormatReadOptions {
  /** Deepest element nesting accepted (default 64; MARCXML in an OAI-PMH envelope needs ~8). */
  maxDepth?: number;
  /** Largest record, and largest run of text between two tags, in characters (default 16 MiB). */
  maxRecordSize?: number;
  /**
   * 'fast' (default): byte input is read record by record straight into lazy ISO 2709-backed
   * records where a record has the common shape, the rest by a specialised text tokenizer that
   * hands over to saxes at the first thing it does not handle; 'text': that text tokenizer alone
   * (every record built eagerly from text); 'saxes': saxes throughout.
   */
  tokenizer?: 'fast' | 'text' | 'saxes';
}

export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_XML_RECORD = 16 * 1024 * 1024;

/** Errors saxes reports for input we accept: several documents (or roots) one after another. */
const TOLERATED = [
  'documents may contain only one root',
  'an XML declaration must be at the start of the document',
  'the XML declaration must appear at the start of the document',
];

const XML_DECL = /<\?xml\s[^?]*\?>/g;
/** The start of what XML_DECL may match, cut short. */
const DECL_START = /^<(?:\?(?:x(?:m(?:l(?:\s[^?]*\??)?)?)?)?)?$/;

/** A start tag this long and still unfinished at the end of the input so far is not waited for. */
const MAX_TAG_WAIT = 4096;
const RECORD_NAME = Buffer.from('record');

export class MarcXmlParser implements RecordParser {
  /**
   * Decodes what the text path reads and maps its stream offsets (UTF-16 units, counting what the
   * byte path read too) back to input bytes, for results' `recordOffset` and `raw`.
   */
  readonly #text = new TextBytes();
  /** The fast tokenizer while it is in charge; null once saxes has taken over (or was asked for). */
  #fast: FastMarcXmlTokenizer | null = null;
  #parser: SaxesParser<{}> | null = null;
  readonly #builder: MarcXmlBuilder;
  readonly #stop = new DeferredStop();
  readonly #gate: ModeGate;
  readonly #maxRecordSize: number;
  /**
   * Decoded text from stream offset `#base` on, kept for finding saxes's tag starts (raw bytes
   * come from `#text`): `#prev`, what was kept from earlier feeds, then `#cur` from `#curBase` on.
   */
  #prev = '';
  #cur = '';
  #base = 0;
  #curBase = 0;
  #total = 0;
  /** `#prev + #cur`, made once when needed (by saxes's tag starts). */
  #joined: string | null = null;
  /** Stream offset of the last tag event, to bound text runs. */
  #lastEvent = 0;
  #pendingStart = -1;
  #ended = false;
  /** The end of the text fed last, held back for the next: a declaration cut short. */
  #held = '';
  /** Stream offset from which `#text` still has the input (for the raw bytes of what is yet to be reported). */
  #kept = 0;
  /**
   * When saxes took over from the fast tokenizer it was first fed a synthetic prefix (on its
   * line 1): its positions are shifted by `#shift`, its lines by `#lineShift`, and columns on its
   * first line by `#columnShift`, to report what it would have reported reading from the start.
   */
  #shift = 0;
  #lineShift = 0;
  #columnShift = 0;
  /** Set while the synthetic prefix is fed: its events are not the document's. */
  #muted = false;
  /**
   * The byte path (null when off): bytes `#in[#pos, #len)` not yet read, by it or (decoded by
   * `#bytesDecoder`) by the text path. Off for good once saxes took over, or when the first chunk
   * is text.
   */
  #bytes: ByteRecordReader | null = null;
  #bytePath: boolean;
  #in: Buffer = Buffer.alloc(0);
  #pos = 0;
  #len = 0;
  /** Whether a leading BOM was looked for. */
  #bom = false;
  /**
   * Where chunks began in `#in`: the text path is fed pieces cut there too, never across, so that
   * what it makes of a chunk boundary (a declaration it blanks only when whole in one piece, the
   * context it keeps for raw bytes) is what it made of it without the byte path.
   */
  #cuts: number[] = [];
  /** The first of `#cuts` not yet passed. */
  #cut = 0;
  /** A record at `#pos` the input ends inside: where to look for its end tag next. */
  #waitFrom = -1;
  readonly #isoOptions: ParseOptions & { mode: 'strict' | 'lenient' | 'permissive' };
  readonly #maxDepth: number;
  readonly #maxFields: number;
  readonly #maxSubfields: number;
  readonly #eager: boolean;
  readonly #raw = (start: number, end: number): (() => Uint8Array) => this.#text.raw(start, end);
  readonly #byteAt = (at: number): number => this.#text.byteAt(at);

  constructor(options: MarcXmlReadOptions = {}) {
    this.#gate = new ModeGate(options, 'marcxml');
    this.#maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_XML_RECORD;
    this.#maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.#maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS;
    this.#maxSubfields = options.maxSubfields ?? DEFAULT_MAX_SUBFIELDS;
    this.#eager = options.eager === true;
    // The ISO 2709 parser's options in its one shape, as every reader passes them.
    this.#isoOptions = parsePlan({ mode: this.#gate.mode, encoding: 'utf-8' }) as ParseOptions & { mode: 'strict' | 'lenient' | 'permissive' };
    this.#bytePath = options.tokenizer === undefined || options.tokenizer === 'fast';
    this.#builder = new MarcXmlBuilder(this.#gate, options.maxDepth ?? DEFAULT_MAX_DEPTH, this.#maxRecordSize, { ...(options.maxFields === undefined ? {} : { maxFields: options.maxFields }), ...(options.maxSubfields === undefined ? {} : { maxSubfields: options.maxSubfields }) }, this.#byteAt);
    if (options.tokenizer === 'saxes') {
      this.#parser = this.#saxes();
    } else {
      const builder = this.#builder;
      const raw = this.#raw;
      this.#fast = new FastMarcXmlTokenizer({
        open: (name, attrs, start, end) => {
          this.#lastEvent = end;
          builder.open(name, attrs, start, end);
        },
        close: (end) => {
          this.#lastEvent = end;
          builder.close(end, raw);
        },
        text: (text) => builder.text(text),
        comment: (text) => builder.comment(text),
      });
    }
  }

  /** Which tokenizer is reading now: 'fast' until (unless) it handed over to saxes. */
  get tokenizer(): 'fast' | 'saxes' {
    return this.#fast !== null ? 'fast' : 'saxes';
  }

  #saxes(): SaxesParser<{}> {
    const parser = new SaxesParser({ xmlns: false, position: true });
    const builder = this.#builder;
    const position = (): number => parser.position + this.#shift;
    const where = (): { line: number; column: number } => ({
      line: parser.line + this.#lineShift,
      column: parser.line === 1 ? parser.column + this.#columnShift : parser.column,
    });
    parser.on('opentagstart', (tag) => {
      if (this.#muted) return;
      // The '<' of this tag: the position is just past its name.
      const pos = position();
      const rel = pos - this.#base - tag.name.length - 2;
      const at = this.#buf().lastIndexOf('<', rel < 0 ? 0 : rel + 1);
      this.#pendingStart = at < 0 ? pos : this.#base + at;
    });
    parser.on('opentag', (tag: SaxesTagPlain) => {
      if (this.#muted) return;
      this.#lastEvent = position();
      builder.open(tag.name, tag.attributes, this.#pendingStart, Math.min(this.#lastEvent, this.#total));
    });
    parser.on('closetag', (tag: SaxesTagPlain) => {
      if (this.#muted) return;
      if (builder.pending) {
        // Errors wait for the next tag: this one's '<'. An end tag starts at its '</': a stray
        // '<' inside a malformed one (`</collection<>`) is not its start, and taking it for one
        // left the tag's last bytes in no record and no error.
        const rel = position() - this.#base - 1;
        const at = rel < 0 ? -1 : this.#buf().lastIndexOf(tag.isSelfClosing ? '<' : '</', rel);
        builder.markup(at < 0 ? Math.min(position(), this.#total) : this.#base + at, Math.min(position(), this.#total));
      }
      this.#lastEvent = position();
      builder.close(position(), this.#raw);
    });
    parser.on('text', (text) => {
      if (!this.#muted) builder.text(text);
    });
    parser.on('cdata', (text) => builder.text(text));
    parser.on('comment', (text) => {
      if (!this.#muted) builder.comment(text);
    });
    parser.on('doctype', () => {
      throw this.#gate.error('E401', 'a DOCTYPE declaration was refused: DTDs and entity declarations are not accepted in MARCXML', where());
    });
    parser.on('error', (err) => {
      if (this.#muted) return;
      const message = err.message;
      for (const t of TOLERATED) if (message.includes(t)) return;
      const context = where();
      const error = (): MarcError => this.#gate.error('E401', `malformed XML: ${stripPosition(message)}`, context);
      // Never past what was written (saxes's position can be, around a handover).
      builder.fatal(error, Math.min(position(), this.#total), this.#kept, this.#raw);
    });
    return parser;
  }

  /**
   * Runs saxes with no stack traces taken, in permissive mode: saxes makes an Error for every
   * well-formedness error, one a character in a broken stretch (16,000 in a 16 KB file), and the
   * stacks were two thirds of reading it. Only the first of a stretch is shown, and never thrown.
   */
  #withoutStacks<T>(run: () => T): T {
    if (this.#gate.mode !== 'permissive') return run();
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return run();
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /** saxes carries on from where the fast tokenizer stopped, in the state it would be in there. */
  #takeOver(handover: Handover): SaxesParser<{}> {
    this.#fast = null;
    const parser = this.#saxes();
    this.#parser = parser;
    this.#muted = true;
    try {
      if (handover.prefix !== '') parser.write(handover.prefix);
    } finally {
      this.#muted = false;
    }
    const length = handover.prefix.length;
    this.#shift = handover.at - length;
    this.#lineShift = handover.line - 1;
    this.#columnShift = handover.column - length;
    if (handover.rest !== '') parser.write(handover.rest);
    return parser;
  }

  #buf(): string {
    if (this.#joined === null) this.#joined = this.#prev + this.#cur;
    return this.#joined;
  }

  push(chunk: TextChunk): ReadResult[] {
    if (chunk.length > PARSER_SLICE) return this.#stop.sliced(chunk, (slice) => this.push(slice));
    return this.#stop.run(() => {
      if (this.#ended) throw new MarcError('E007', 'push() after end()', { source: 'marcxml' });
      if (this.#bytePath) {
        if (typeof chunk === 'string' || this.#fast === null) {
          this.#bytesOff();
        } else {
          this.#bytes ??= new ByteRecordReader(); // the BOM is looked for by #scan now
          this.#append(chunk);
          this.#scan(false);
          return this.#builder.take();
        }
      }
      const text = this.#text.decode(chunk);
      if (text.length > 0) this.#feed(text);
      return this.#builder.take();
    }, () => this.#builder.take());
  }

  end(): ReadResult[] {
    return this.#stop.run(() => {
      if (this.#ended) return [];
      if (this.#bytePath) {
        this.#scan(true);
        this.#bytesOff();
      }
      const rest = this.#text.flush();
      if (rest.length > 0 || this.#held !== '') this.#feed(rest, true);
      this.#ended = true;
      let parser = this.#parser;
      if (this.#fast !== null) {
        const handover = this.#fast.end();
        if (handover !== null) parser = this.#withoutStacks(() => this.#takeOver(handover));
      }
      if (parser !== null) this.#withoutStacks(() => parser.close());
      this.#builder.finish(this.#total, this.#raw);
      return this.#builder.take();
    }, () => {
      this.#ended = true;
      return this.#builder.take();
    });
  }

  /** The byte path ends: what it holds goes to the text path (and later chunks too). */
  #bytesOff(): void {
    if (!this.#bytePath) return;
    this.#bytePath = false;
    if (this.#pos < this.#len) this.#feedBytes(this.#pos, this.#len, true);
    this.#cuts.length = 0;
    this.#cut = 0;
    this.#in = Buffer.alloc(0);
    this.#pos = this.#len = 0;
  }

  #append(chunk: Uint8Array): void {
    const live = this.#len - this.#pos;
    if (live > 0) this.#cuts.push(this.#len);
    if (this.#len + chunk.length <= this.#in.length) {
      this.#in.set(chunk, this.#len);
      this.#len += chunk.length;
      return;
    }
    // A new buffer, never the old one compacted: results' raw bytes still point into it.
    const next = Buffer.allocUnsafe(Math.max(live + chunk.length, 2 * live, 1 << 16));
    next.set(this.#in.subarray(this.#pos, this.#len));
    next.set(chunk, live);
    if (this.#waitFrom >= 0) this.#waitFrom = Math.max(0, this.#waitFrom - this.#pos);
    // Only the cuts still ahead move to the new buffer.
    const ahead = this.#cuts.slice(this.#cut).map((cut) => cut - this.#pos).filter((cut) => cut > 0);
    this.#cuts = ahead;
    this.#cut = 0;
    this.#in = next;
    this.#pos = 0;
    this.#len = live + chunk.length;
  }

  /** Bytes [from, to) to the text path; `stream` when they may end inside a character. */
  #feedBytes(from: number, to: number, stream: boolean): void {
    const cuts = this.#cuts;
    let k = this.#cut;
    while (k < cuts.length && (cuts[k] as number) <= from) k++;
    while (k < cuts.length && (cuts[k] as number) < to) {
      const cut = cuts[k++] as number;
      const text = this.#text.decode(this.#in.subarray(from, cut));
      if (text.length > 0) this.#feed(text);
      from = cut;
    }
    this.#cut = k;
    let text = this.#text.decode(this.#in.subarray(from, to));
    if (!stream) text += this.#text.flush();
    if (text.length > 0) this.#feed(text);
  }

  /**
   * Reads what is buffered: whole records of the common shape on the byte path, everything else
   * (prolog, envelopes, records of another shape) decoded and fed to the text path, which reads it
   * as it always has. A record is read here only when the text path is at rest just before it (no
   * token pending) and would start a MARC record there, so both paths see the same document.
   */
  #scan(final: boolean): void {
    const buf = this.#in;
    const len = this.#len;
    let pos = this.#pos;
    if (!this.#bom) {
      if (len - pos < 3 && !final && buf[pos] === 0xef && (len - pos < 2 || buf[pos + 1] === 0xbb)) return;
      this.#bom = true;
      const bom = len - pos >= 3 && buf[pos] === 0xef && buf[pos + 1] === 0xbb && buf[pos + 2] === 0xbf ? 3 : 0;
      this.#text.skip(0, bom);
      pos += bom;
    }
    // Where to look for the next record from: past the start of one the byte path left.
    let from = pos;
    while (pos < len) {
      if (this.#fast === null) break; // saxes took over: bytesOff below
      const at = candidate(buf, from, len);
      if (at < 0) {
        // No record start in sight: all to the text path, but for a tag name the chunk cut
        // short, which may be a record's (it goes on with the next chunk, cut where it was).
        const cut = final ? len : nameCutShort(buf, pos, len);
        if (cut > pos) this.#feedBytes(pos, cut, true);
        pos = cut;
        break;
      }
      if (at > pos) {
        // The text path is fed up to the record, a piece the input did not cut there: only after
        // blanks (or a tag), where the cut makes no difference, even to saxes should it take over
        // in that piece. Otherwise the record is left to the text path, uncut.
        if (!blankTail(buf, pos, at)) {
          from = at + 1;
          continue;
        }
        // What comes before a tag ends before its '<', so no character is cut.
        this.#feedBytes(pos, at, false);
        pos = at;
        if (this.#fast === null) break;
      }
      const end = this.#byteRecord(pos, final);
      if (end === INCOMPLETE) break;
      if (end >= 0) pos = from = end;
      else from = pos + 1; // the text path reads this one
    }
    this.#pos = pos;
    if (this.#fast === null) this.#bytesOff();
  }

  /** The record at `lt` on the byte path: the offset past it, INCOMPLETE (wait) or FAIL. */
  #byteRecord(lt: number, final: boolean): number {
    const reader = this.#bytes as ByteRecordReader;
    const buf = this.#in;
    const len = this.#len;
    if (this.#waitFrom >= 0 && !final) {
      // Waiting for the end of a record cut by the input: look only at what is new.
      const at = find(buf, RECORD_NAME, this.#waitFrom, len);
      if (at < 0) {
        this.#waitFrom = Math.max(lt, len - RECORD_NAME.length);
        return len - lt > this.#maxRecordSize ? this.#giveUp() : INCOMPLETE;
      }
    }
    this.#waitFrom = -1;
    const content = reader.startTag(buf, lt, len);
    if (content === INCOMPLETE) return final || len - lt > MAX_TAG_WAIT ? FAIL : INCOMPLETE;
    if (content < 0) return FAIL;
    const builder = this.#builder;
    const fast = this.#fast as FastMarcXmlTokenizer;
    if (this.#held !== '' || !fast.flushText() || builder.inRecord || !builder.startsRecord(reader.name, reader.attrs)) return FAIL;
    const end = reader.body(buf, lt, len);
    if (end === INCOMPLETE) {
      if (final || len - lt > this.#maxRecordSize) return FAIL;
      this.#waitFrom = Math.max(lt, len - RECORD_NAME.length);
      return INCOMPLETE;
    }
    if (end < 0) return FAIL;
    // The limits: a record over any of them is the text path's to read and report.
    const units = reader.units;
    if (units > this.#maxRecordSize || builder.depth + reader.depth > this.#maxDepth || reader.fields > this.#maxFields || reader.subfields > this.#maxSubfields) return FAIL;
    const start = this.#total;
    const gate = this.#gate;
    // Everything before `lt` went through the text path (decoded whole) or was skipped here.
    const offset = this.#text.bytes;
    const record = reader.record(buf, this.#isoOptions, gate.nextIndex, offset);
    if (record === null) return FAIL;
    if (this.#eager && !plainText(record.origin?.raw)) record.errors.push(...gate.inspect(record, offset, { codes: false, controls: true }));
    // Counted by the gate as the text path would (limits were checked above, on the counts).
    const recordIndex = gate.count();
    builder.recordRead();
    fast.skip(units, reader.lines, reader.column);
    this.#text.skip(units, end - lt);
    const next = start + units;
    this.#total = next;
    this.#lastEvent = next;
    this.#prev = '';
    this.#cur = '';
    this.#base = next;
    this.#curBase = next;
    this.#joined = null;
    builder.put(result(record, buf, lt, end, recordIndex, offset), start, next);
    return end;
  }

  /** A record cut by the input that has grown past maxRecordSize: the text path reads (and reports) it. */
  #giveUp(): number {
    this.#waitFrom = -1;
    return FAIL;
  }

  #feed(text: string, final = false): void {
    // A declaration cut by the end of the piece waits for the rest: it is blanked (or not) whole,
    // wherever the chunks were cut.
    if (this.#held !== '') {
      text = this.#held + text;
      this.#held = '';
    }
    if (!final) {
      const lt = text.lastIndexOf('<');
      if (lt >= 0 && text.length - lt <= MAX_TAG_WAIT && DECL_START.test(text.slice(lt))) {
        this.#held = text.slice(lt);
        text = text.slice(0, lt);
        if (text === '') return;
      }
    }
    // Documents written one after another each start with a declaration; blank out all but the
    // first (same length, so offsets stay true) so the parser sees one stream of roots.
    if (text.includes('<?xml')) {
      const first = this.#total;
      text = text.replace(XML_DECL, (decl, at: number) => (first + at === 0 ? decl : ' '.repeat(decl.length)));
    }
    if (this.#cur !== '') this.#prev += this.#cur;
    this.#cur = text;
    this.#curBase = this.#total;
    this.#total += text.length;
    this.#joined = null;
    if (this.#fast !== null) {
      const handover = this.#fast.write(text);
      if (handover !== null) this.#withoutStacks(() => this.#takeOver(handover));
    } else {
      const parser = this.#parser as SaxesParser<{}>;
      this.#withoutStacks(() => parser.write(text));
    }
    const builder = this.#builder;
    // Everything written has been read. (Not saxes's `position`, which after a write counts the
    // last chunk twice and would trip the limits below early.)
    const position = this.#total;
    if (builder.inRecord) {
      if (position - builder.recordStart > this.#maxRecordSize) {
        throw this.#gate.error('E008', `a record exceeds maxRecordSize (${this.#maxRecordSize} characters)`, { recordOffset: this.#byteAt(builder.recordStart) });
      }
      // Keep the open record's text; drop what came before it.
      this.#drop(builder.recordStart);
      this.#release(builder.recordStart);
    } else {
      if (position - this.#lastEvent > this.#maxRecordSize) {
        throw this.#gate.error('E008', `more than maxRecordSize (${this.#maxRecordSize}) characters without a tag`, { byteOffset: this.#byteAt(this.#lastEvent) });
      }
      // Keep a little context back to the last '<' seen, for the next record's start; and the
      // input since the last result, which a well-formedness error before the next reports as
      // its bytes (unless that grew past maxRecordSize: then only what follows the last tag).
      const inCur = this.#cur.lastIndexOf('<');
      const lt = inCur >= 0 ? this.#curBase + inCur : this.#prev.lastIndexOf('<') + this.#base;
      const until = lt < this.#base ? position : Math.min(position, lt);
      this.#drop(until);
      const accounted = builder.accounted;
      this.#release(Math.min(until, position - accounted <= this.#maxRecordSize ? accounted : this.#lastEvent));
    }
  }

  /** Input before stream offset `at` is no longer needed for any result's raw bytes. */
  #release(at: number): void {
    this.#text.release(at);
    if (at > this.#kept) this.#kept = at;
  }

  #drop(until: number): void {
    const cut = until - this.#base;
    if (cut <= 0) return;
    if (until >= this.#curBase) {
      this.#prev = '';
      this.#cur = this.#cur.slice(until - this.#curBase);
      this.#curBase = until;
    } else {
      this.#prev = this.#prev.slice(cut);
    }
    this.#base = until;
    this.#joined = null;
  }
}

/**
 * The '<' of the next start tag named `record` (any prefix) from `from` on, or -1. Also one cut
 * short by the end of the input, which the byte path then waits for.
 */
function candidate(buf: Buffer, from: number, len: number): number {
  let at = from;
  for (;;) {
    at = find(buf, RECORD_NAME, at, len);
    if (at < 0) return -1;
    at++;
    const name = at - 1;
    const after = name + 6 < len ? (buf[name + 6] as number) : 0x3e;
    if (after !== 0x3e && after !== 0x2f && after !== 0x20 && after !== 0x0a && after !== 0x09 && after !== 0x0d) continue;
    let lt = name - 1;
    if (lt >= from && buf[lt] === 0x3a) {
      lt--;
      while (lt >= from && isNameByte(buf[lt] as number)) lt--;
    }
    if (lt >= from && buf[lt] === 0x3c) return lt;
  }
}

/** Whether [from, to) ends in blanks after a '>' (or is all blanks). */
function blankTail(buf: Buffer, from: number, to: number): boolean {
  for (let i = to - 1; i >= from; i--) {
    const b = buf[i] as number;
    if (b === 0x3e) return true;
    if (b !== 0x20 && b !== 0x0a && b !== 0x09) return false;
  }
  return true;
}

/** The '<' of a start tag name running to `len` (a short one), else `len`. */
function nameCutShort(buf: Buffer, pos: number, len: number): number {
  for (let i = len - 1; i >= pos && i >= len - 40; i--) {
    const b = buf[i] as number;
    if (b === 0x3c) return i;
    if (!isNameByte(b) && b !== 0x3a) return len;
  }
  return len;
}

function isNameByte(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x5f || b === 0x2d || b === 0x2e;
}

/** `buf.indexOf`, within the first `len` bytes (the rest of the buffer is not input). */
function find(buf: Buffer, what: number | Buffer, from: number, len: number): number {
  const at = buf.indexOf(what, from);
  return at < 0 || at + (typeof what === 'number' ? 1 : what.length) > len ? -1 : at;
}

/**
 * A byte-path record's result. Its raw bytes (the XML as read) are a view of the reader's own copy
 * of the input, which is never written again where a result points (a chunk that does not fit is
 * copied to a new buffer).
 */
function result(record: Record, buf: Uint8Array, start: number, end: number, recordIndex: number, recordOffset: number): ReadResult {
  return { record, errors: record.errors, raw: new Uint8Array(buf.buffer, buf.byteOffset + start, end - start), recordIndex, recordOffset };
}

function stripPosition(message: string): string {
  // saxes prefixes "line:column: "; we report line and column as fields.
  return message.replace(/^\d+:\d+: /, '');
}

/** Every result of a MARCXML buffer or string (records and, in permissive mode, skipped ones). */
export function readMarcXmlResults(input: TextChunk, options: MarcXmlReadOptions = {}): Iterable<ReadResult> {
  return { [Symbol.iterator]: () => runSync(new MarcXmlParser(options), input) };
}

/** Records of a MARCXML buffer or string. */
export function readMarcXml(input: TextChunk, options: MarcXmlReadOptions = {}): Iterable<Record> {
  return { [Symbol.iterator]: () => recordsOf(runSync(new MarcXmlParser(options), input)) };
}

/** The one record of a MARCXML document (the first, when there are several). */
export function parseMarcXml(input: TextChunk, options: MarcXmlReadOptions = {}): Record {
  for (const record of readMarcXml(input, options)) return record;
  throw new MarcError('E401', 'no MARC record in the input', { source: 'marcxml' });
}

/**
 * Whether the ISO 2709 bytes the byte path built for a record hold nothing an eager read reports:
 * no control byte but the structure's own, every subfield code printable ASCII. One pass over
 * the bytes, so an eager read (`mrrc check`) builds no strings for such a record (decoding every
 * record made checking MARCXML 15–25% slower).
 */
function plainText(raw: Uint8Array | undefined): boolean {
  if (raw === undefined) return false;
  const base = (raw[12] as number) * 10000 + (raw[13] as number) * 1000 + (raw[14] as number) * 100 + (raw[15] as number) * 10 + (raw[16] as number) - 0x30 * 11111;
  for (let at = base; at < raw.length; at++) {
    const b = raw[at] as number;
    if (b >= 0x20 || b === 0x1e || b === 0x1d) continue;
    if (b !== 0x1f || !isPlainCode(raw[at + 1] ?? 0)) return false;
    at++;
  }
  return true;
}
