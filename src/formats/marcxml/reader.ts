/**
 * The MARCXML reader: an incremental parser over saxes (a conforming, non-validating XML 1.0
 * parser), fed chunks of bytes or text, handing out records as their `</record>` arrives.
 *
 * Hostile input: saxes never fetches anything and never expands entities beyond the five XML
 * ones and character references; a DOCTYPE is refused outright (E401), so no internal-subset
 * entity can be declared either. Depth (maxDepth) and the size of one record or one run of text
 * between tags (maxRecordSize) are bounded (E008).
 */

import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { MarcError } from '../../errors.js';
import type { Record } from '../../record/record.js';
import { ChunkDecoder, ModeGate, recordsOf, runSync, utf8Bytes, type FormatReadOptions, type ReadResult, type RecordParser, type TextChunk } from '../common.js';
import { MarcXmlBuilder } from './builder.js';
import { FastMarcXmlTokenizer, type Handover } from './fast-tokenizer.js';

export interface MarcXmlReadOptions extends FormatReadOptions {
  /** Deepest element nesting accepted (default 64; MARCXML in an OAI-PMH envelope needs ~8). */
  maxDepth?: number;
  /** Largest record, and largest run of text between two tags, in characters (default 16 MiB). */
  maxRecordSize?: number;
  /**
   * 'fast' (default): a specialised tokenizer for the common shape of MARCXML, handing over to
   * saxes at the first thing it does not handle; 'saxes': saxes throughout.
   */
  tokenizer?: 'fast' | 'saxes';
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

export class MarcXmlParser implements RecordParser {
  readonly #decoder = new ChunkDecoder();
  /** The fast tokenizer while it is in charge; null once saxes has taken over (or was asked for). */
  #fast: FastMarcXmlTokenizer | null = null;
  #parser: SaxesParser<{}> | null = null;
  readonly #builder: MarcXmlBuilder;
  readonly #gate: ModeGate;
  readonly #maxRecordSize: number;
  /**
   * Decoded text from stream offset `#base` on, kept for records' raw bytes: `#prev`, what was
   * kept from earlier feeds, then `#cur` from `#curBase` on. Kept apart because slicing a
   * joined string first copies all of it, and the common case is a slice of `#cur` alone.
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
  readonly #raw = (start: number, end: number): (() => Uint8Array) => {
    const text = this.#slice(start, end);
    return () => utf8Bytes(text);
  };

  constructor(options: MarcXmlReadOptions = {}) {
    this.#gate = new ModeGate(options, 'marcxml');
    this.#maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_XML_RECORD;
    this.#builder = new MarcXmlBuilder(this.#gate, options.maxDepth ?? DEFAULT_MAX_DEPTH, this.#maxRecordSize, { ...(options.maxFields === undefined ? {} : { maxFields: options.maxFields }), ...(options.maxSubfields === undefined ? {} : { maxSubfields: options.maxSubfields }) });
    if (options.tokenizer === 'saxes') {
      this.#parser = this.#saxes();
    } else {
      const builder = this.#builder;
      const raw = this.#raw;
      this.#fast = new FastMarcXmlTokenizer({
        open: (name, attrs, start, end) => {
          this.#lastEvent = end;
          builder.open(name, attrs, start);
        },
        close: (end) => {
          this.#lastEvent = end;
          builder.close(end, raw);
        },
        text: (text) => builder.text(text),
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
      builder.open(tag.name, tag.attributes, this.#pendingStart);
    });
    parser.on('closetag', () => {
      if (this.#muted) return;
      this.#lastEvent = position();
      builder.close(position(), this.#raw);
    });
    parser.on('text', (text) => {
      if (!this.#muted) builder.text(text);
    });
    parser.on('cdata', (text) => builder.text(text));
    parser.on('doctype', () => {
      throw this.#gate.error('E401', 'a DOCTYPE declaration was refused: DTDs and entity declarations are not accepted in MARCXML', where());
    });
    parser.on('error', (err) => {
      if (this.#muted) return;
      const message = err.message;
      for (const t of TOLERATED) if (message.includes(t)) return;
      const error = this.#gate.error('E401', `malformed XML: ${stripPosition(message)}`, where());
      builder.fatal(error, position(), this.#raw);
    });
    return parser;
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

  #slice(start: number, end: number): string {
    const cur = start - this.#curBase;
    if (cur >= 0) return this.#cur.slice(cur, Math.max(cur, end - this.#curBase));
    const from = Math.max(0, start - this.#base);
    if (end <= this.#curBase) return this.#prev.slice(from, Math.max(from, end - this.#base));
    return this.#prev.slice(from) + this.#cur.slice(0, end - this.#curBase);
  }

  push(chunk: TextChunk): ReadResult[] {
    if (this.#ended) throw new MarcError('E007', 'push() after end()', { source: 'marcxml' });
    const text = this.#decoder.decode(chunk);
    if (text.length === 0) return [];
    this.#feed(text);
    return this.#builder.take();
  }

  end(): ReadResult[] {
    if (this.#ended) return [];
    const rest = this.#decoder.flush();
    if (rest.length > 0) this.#feed(rest);
    this.#ended = true;
    let parser = this.#parser;
    if (this.#fast !== null) {
      const handover = this.#fast.end();
      if (handover !== null) parser = this.#takeOver(handover);
    }
    parser?.close();
    this.#builder.finish(this.#total, this.#raw);
    return this.#builder.take();
  }

  #feed(text: string): void {
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
      if (handover !== null) this.#takeOver(handover);
    } else {
      (this.#parser as SaxesParser<{}>).write(text);
    }
    const builder = this.#builder;
    // Everything written has been read. (Not saxes's `position`, which after a write counts the
    // last chunk twice and would trip the limits below early.)
    const position = this.#total;
    if (builder.inRecord) {
      if (position - builder.recordStart > this.#maxRecordSize) {
        throw this.#gate.error('E008', `a record exceeds maxRecordSize (${this.#maxRecordSize} characters)`, { recordOffset: builder.recordStart });
      }
      // Keep the open record's text for its raw bytes; drop what came before it.
      this.#drop(builder.recordStart);
    } else {
      if (position - this.#lastEvent > this.#maxRecordSize) {
        throw this.#gate.error('E008', `more than maxRecordSize (${this.#maxRecordSize}) characters without a tag`, { byteOffset: this.#lastEvent });
      }
      // Keep a little context back to the last '<' seen, for the next record's start.
      const inCur = this.#cur.lastIndexOf('<');
      const lt = inCur >= 0 ? this.#curBase + inCur : this.#prev.lastIndexOf('<') + this.#base;
      this.#drop(lt < this.#base ? position : Math.min(position, lt));
    }
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
