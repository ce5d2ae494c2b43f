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

export interface MarcXmlReadOptions extends FormatReadOptions {
  /** Deepest element nesting accepted (default 64; MARCXML in an OAI-PMH envelope needs ~8). */
  maxDepth?: number;
  /** Largest record, and largest run of text between two tags, in characters (default 16 MiB). */
  maxRecordSize?: number;
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
  readonly #parser: SaxesParser<{}>;
  readonly #builder: MarcXmlBuilder;
  readonly #gate: ModeGate;
  readonly #maxRecordSize: number;
  /** Decoded text from stream offset `#base` on, kept for records' raw bytes. */
  #buf = '';
  #base = 0;
  #total = 0;
  /** Stream offset of the last tag event, to bound text runs. */
  #lastEvent = 0;
  #pendingStart = -1;
  #ended = false;
  readonly #raw = (start: number, end: number): (() => Uint8Array) => {
    const text = this.#slice(start, end);
    return () => utf8Bytes(text);
  };

  constructor(options: MarcXmlReadOptions = {}) {
    this.#gate = new ModeGate(options, 'marcxml');
    this.#maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_XML_RECORD;
    this.#builder = new MarcXmlBuilder(this.#gate, options.maxDepth ?? DEFAULT_MAX_DEPTH, this.#maxRecordSize);
    const parser = new SaxesParser({ xmlns: false, position: true });
    this.#parser = parser;
    const builder = this.#builder;
    parser.on('opentagstart', (tag) => {
      // The '<' of this tag: the position is just past its name.
      const pos = parser.position;
      const rel = pos - this.#base - tag.name.length - 2;
      const at = this.#buf.lastIndexOf('<', rel < 0 ? 0 : rel + 1);
      this.#pendingStart = at < 0 ? pos : this.#base + at;
    });
    parser.on('opentag', (tag: SaxesTagPlain) => {
      this.#lastEvent = parser.position;
      builder.open(tag.name, tag.attributes, this.#pendingStart);
      if (tag.isSelfClosing) return;
    });
    parser.on('closetag', () => {
      this.#lastEvent = parser.position;
      builder.close(parser.position, this.#raw);
    });
    parser.on('text', (text) => builder.text(text));
    parser.on('cdata', (text) => builder.text(text));
    parser.on('doctype', () => {
      throw this.#gate.error('E401', 'a DOCTYPE declaration was refused: DTDs and entity declarations are not accepted in MARCXML', { line: parser.line, column: parser.column });
    });
    parser.on('error', (err) => {
      const message = err.message;
      for (const t of TOLERATED) if (message.includes(t)) return;
      const error = this.#gate.error('E401', `malformed XML: ${stripPosition(message)}`, { line: parser.line, column: parser.column });
      builder.fatal(error, parser.position, this.#raw);
    });
  }

  #slice(start: number, end: number): string {
    const from = Math.max(0, start - this.#base);
    return this.#buf.slice(from, Math.max(from, end - this.#base));
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
    this.#parser.close();
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
    this.#buf += text;
    this.#total += text.length;
    this.#parser.write(text);
    const builder = this.#builder;
    const position = this.#parser.position;
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
      const lt = this.#buf.lastIndexOf('<');
      this.#drop(lt < 0 ? position : Math.min(position, this.#base + lt));
    }
  }

  #drop(until: number): void {
    const cut = until - this.#base;
    if (cut <= 0) return;
    this.#buf = this.#buf.slice(cut);
    this.#base = until;
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
