/**
 * The format registry: every text format's incremental parser and streaming writer by name, and
 * the generic sync / async entry points over them.
 *
 * The I/O layer plugs in here: for a source it reads as chunks, `getFormat(name).parser(options)`
 * gives a `RecordParser` to `push(chunk)` into and `end()`; for a destination,
 * `getFormat(name).writer(options)` gives a `RecordWriter` whose `begin()`, `write(record)` and
 * `end()` strings, written in order as UTF-8, are the file.
 */

import { MarcError } from '../errors.js';
import { registerFormat, type FormatWriter } from '../io/formats.js';
import type { Record } from '../record/record.js';
import { parserSlices, recordsOf, runSync, type FormatReadOptions, type ReadResult, type RecordParser, type RecordWriter, type TextChunk } from './common.js';
import { CsvWriter, type CsvWriteOptions } from './csv/index.js';
import { detectFormat, type DetectedFormat } from './detect.js';
import { firstBytesHint } from '../iso2709/scanner.js';
import { MarcJsonParser, type JsonReadOptions } from './marcjson/reader.js';
import { MarcJsonWriter, type JsonLayout, type JsonWriteOptions } from './marcjson/writer.js';
import { MarcXmlParser, type MarcXmlReadOptions } from './marcxml/reader.js';
import { MarcXmlWriter, type MarcXmlWriteOptions } from './marcxml/writer.js';
import { MrkParser, MrkWriter, type MrkReadOptions, type MrkWriteOptions } from './mrk/index.js';
import { PlainJsonParser, PlainJsonWriter } from './plain-json/index.js';
import { TextParser, TextWriter, type TextReadOptions, type TextWriteOptions } from './text/index.js';
import { concatBytes, SIGNATURE_BYTES } from '../util/bytes.js';

export type TextFormatName = 'marcxml' | 'marcjson' | 'plain-json' | 'mrk' | 'text' | 'csv';

export interface FormatInfo {
  name: TextFormatName;
  /** File extensions, most usual first. */
  extensions: readonly string[];
  /** Null for write-only formats (csv). */
  parser: ((options?: object) => RecordParser) | null;
  writer: (options?: object) => RecordWriter;
}

export type AnyReadOptions = FormatReadOptions & MarcXmlReadOptions & JsonReadOptions & MrkReadOptions & TextReadOptions;
export type AnyWriteOptions = MarcXmlWriteOptions & JsonWriteOptions & MrkWriteOptions & TextWriteOptions & CsvWriteOptions;

export const FORMATS: { readonly [K in TextFormatName]: FormatInfo } = {
  marcxml: { name: 'marcxml', extensions: ['xml', 'marcxml'], parser: (o) => new MarcXmlParser(o as MarcXmlReadOptions), writer: (o) => new MarcXmlWriter(o as MarcXmlWriteOptions) },
  marcjson: { name: 'marcjson', extensions: ['json', 'jsonl', 'ndjson', 'mij'], parser: (o) => new MarcJsonParser(o as JsonReadOptions), writer: (o) => new MarcJsonWriter(o as JsonWriteOptions) },
  'plain-json': { name: 'plain-json', extensions: ['json'], parser: (o) => new PlainJsonParser(o as JsonReadOptions), writer: (o) => new PlainJsonWriter(o as JsonWriteOptions) },
  mrk: { name: 'mrk', extensions: ['mrk', 'mrk8', 'txt'], parser: (o) => new MrkParser(o as MrkReadOptions), writer: (o) => new MrkWriter(o as MrkWriteOptions) },
  text: { name: 'text', extensions: ['txt'], parser: (o) => new TextParser(o as TextReadOptions), writer: (o) => new TextWriter(o as TextWriteOptions) },
  csv: { name: 'csv', extensions: ['csv'], parser: null, writer: (o) => new CsvWriter(o as CsvWriteOptions) },
};

/** Other names a format goes by: MARC-in-JSON is written one record per line (JSON Lines). */
const FORMAT_ALIASES: { readonly [name: string]: TextFormatName } = { json: 'marcjson', jsonl: 'marcjson', ndjson: 'marcjson', xml: 'marcxml' };

export function getFormat(name: string): FormatInfo {
  const info = (FORMATS as { [name: string]: FormatInfo })[FORMAT_ALIASES[name] ?? name];
  if (info === undefined) throw new RangeError(`unknown format ${JSON.stringify(name)} (known: ${Object.keys(FORMATS).join(', ')})`);
  return info;
}

/** A parser for `format`; 'auto' sniffs the first chunk (see `AutoParser`). */
export function createParser(format: string, options: AnyReadOptions = {}): RecordParser {
  if (format === 'auto') return new AutoParser(options);
  const info = getFormat(format);
  if (info.parser === null) throw new RangeError(`format ${format} can be written but not read`);
  return new ForeignInputHint(info.parser(options));
}

/**
 * Adds to the first record's errors what the input's first bytes say when they are no text at all
 * (compressed, an archive, UTF-16), as the ISO 2709 reader does: a parser's own words ("disallowed
 * character", "line does not start with =") do not say that the input needs unpacking first.
 */
class ForeignInputHint implements RecordParser {
  /** The first bytes, for the hint; null once there are enough, or for text input. */
  #head: Uint8Array | null = new Uint8Array(0);
  /**
   * Bytes not yet given to the parser, which may throw on the second byte: held until there are
   * enough to tell all but tar. Too few for any record, so no record waits on them.
   */
  #held: Uint8Array | null = new Uint8Array(0);
  #hint = '';

  constructor(private readonly inner: RecordParser) {}

  push(chunk: TextChunk): ReadResult[] {
    if (typeof chunk === 'string') {
      // Text was decoded already, so it is no compressed file; bytes held before it go first.
      this.#head = null;
      const held = this.#held;
      this.#held = null;
      if (held !== null && held.length > 0) return this.#explained(() => [...this.inner.push(held), ...this.inner.push(chunk)]);
      return this.#explained(() => this.inner.push(chunk));
    }
    if (this.#head !== null) {
      const head = concatBytes([this.#head, chunk.subarray(0, SIGNATURE_BYTES - this.#head.length)]);
      this.#hint = firstBytesHint(head, 0);
      this.#head = head.length >= SIGNATURE_BYTES ? null : head;
    }
    let bytes = chunk;
    if (this.#held !== null) {
      bytes = this.#held.length === 0 ? chunk : concatBytes([this.#held, chunk]);
      if (bytes.length < HELD_BYTES) {
        this.#held = bytes;
        return [];
      }
      this.#held = null;
    }
    return this.#explained(() => this.inner.push(bytes));
  }

  end(): ReadResult[] {
    const held = this.#held;
    this.#held = null;
    const first = held === null || held.length === 0 ? [] : this.#explained(() => this.inner.push(held));
    return first.concat(this.#explained(() => this.inner.end()));
  }

  #explained(run: () => ReadResult[]): ReadResult[] {
    if (this.#hint === '') return run();
    let results: ReadResult[];
    try {
      results = run();
    } catch (e) {
      if (e instanceof MarcError && (e.recordIndex ?? 0) === 0) e.explain(this.#hint);
      throw e;
    }
    for (const result of results) {
      if (result.recordIndex !== 0) continue;
      for (const error of result.record === null ? result.errors : result.record.errors) error.explain(this.#hint);
    }
    return results;
  }
}

/** Enough first bytes for every signature but tar's (xz's is six). */
const HELD_BYTES = 6;

/**
 * The JSON layout a format name implies when the options name none: `json` is one JSON document,
 * an array (as `mrrc convert -t json` and pymarc's JSONWriter write it: a `.json` file JSON.parse
 * reads whole); `jsonl` and `ndjson` are a record a line. `marcjson` keeps the writer's default,
 * lines, which a stream can be cut anywhere between.
 */
const LAYOUT_OF_NAME: { readonly [name: string]: JsonLayout } = { json: 'array', jsonl: 'lines', ndjson: 'lines' };

export function createWriter(format: string, options: AnyWriteOptions = {}): RecordWriter {
  const layout = LAYOUT_OF_NAME[format];
  return getFormat(format).writer(layout === undefined || options.layout !== undefined ? options : { ...options, layout });
}

/**
 * Sniffs the format from the first bytes, then hands everything to that format's parser. ISO 2709
 * is recognised but read by the ISO 2709 reader, not here: it throws E403 so the caller can route.
 */
export class AutoParser implements RecordParser {
  readonly #options: AnyReadOptions;
  #inner: RecordParser | null = null;
  #held: TextChunk[] = [];
  #heldLength = 0;

  constructor(options: AnyReadOptions = {}) {
    this.#options = options;
  }

  /** The format chosen, once known. */
  format: DetectedFormat | null = null;

  push(chunk: TextChunk): ReadResult[] {
    if (this.#inner !== null) return this.#inner.push(chunk);
    this.#held.push(chunk);
    this.#heldLength += chunk.length;
    // Enough to see past a prolog, comments and an envelope's header.
    if (this.#heldLength < 4096) return [];
    return this.#start();
  }

  end(): ReadResult[] {
    const out = this.#inner === null ? this.#start() : [];
    return out.concat((this.#inner as RecordParser).end());
  }

  #start(): ReadResult[] {
    const held = this.#held;
    this.#held = [];
    const first = held.length === 1 ? (held[0] as TextChunk) : concat(held);
    const format = detectFormat(first);
    this.format = format;
    if (format === 'iso2709') throw new MarcError('E403', 'the input is ISO 2709: read it with the ISO 2709 reader (readRecordsSync / readRecords)', { source: 'detect' });
    if (format === 'unknown') {
      const hint = typeof first === 'string' ? '' : firstBytesHint(first, 0);
      throw new MarcError('E403', `cannot tell the format of the input from its first bytes${hint}`, { source: 'detect' });
    }
    this.#inner = createParser(format, this.#options);
    return first.length === 0 ? [] : this.#inner.push(first);
  }
}

function concat(chunks: TextChunk[]): TextChunk {
  if (chunks.every((c) => typeof c === 'string')) return (chunks as string[]).join('');
  return concatBytes(chunks.map((c) => (typeof c === 'string' ? new TextEncoder().encode(c) : c)));
}

/** Every result (records, and skipped ones in permissive mode) of a whole buffer or string. */
export function readFormatResultsSync(input: TextChunk, options: AnyReadOptions & { format: string }): Iterable<ReadResult> {
  return { [Symbol.iterator]: () => runSync(createParser(options.format, options), input) };
}

/** Records of a whole buffer or string in `format` ('auto' sniffs it). */
export function readFormatSync(input: TextChunk, options: AnyReadOptions & { format: string }): Iterable<Record> {
  return { [Symbol.iterator]: () => recordsOf(runSync(createParser(options.format, options), input)) };
}

/** Results from any async source of chunks (a Node stream, a fetch body reader, a generator). */
export async function* readFormatResults(source: AsyncIterable<TextChunk> | Iterable<TextChunk>, options: AnyReadOptions & { format: string }): AsyncGenerator<ReadResult, void, undefined> {
  for await (const batch of readFormatResultBatches(source, options)) yield* batch;
}

/**
 * The same results in arrays, one per slice of input that completed any, so that a consumer
 * awaits once per batch rather than once per record (the CLI's commands).
 */
export async function* readFormatResultBatches(source: AsyncIterable<TextChunk> | Iterable<TextChunk>, options: AnyReadOptions & { format: string }): AsyncGenerator<ReadResult[], void, undefined> {
  const parser = createParser(options.format, options);
  for await (const chunk of source) {
    for (const slice of parserSlices(chunk)) {
      const batch = parser.push(slice);
      if (batch.length > 0) yield batch;
    }
  }
  const last = parser.end();
  if (last.length > 0) yield last;
}

/** Records from any async source of chunks. */
export async function* readFormat(source: AsyncIterable<TextChunk> | Iterable<TextChunk>, options: AnyReadOptions & { format: string }): AsyncGenerator<Record, void, undefined> {
  for await (const result of readFormatResults(source, options)) if (result.record !== null) yield result.record;
}

/** The text of `records` in `format`, as strings to write in order (a stream's async iterable). */
export async function* writeFormat(records: AsyncIterable<Record> | Iterable<Record>, options: AnyWriteOptions & { format: string }): AsyncGenerator<string, void, undefined> {
  const writer = createWriter(options.format, options);
  const begin = writer.begin();
  if (begin !== '') yield begin;
  let pending = '';
  for await (const record of records) {
    pending += writer.write(record);
    // Hand out text in pieces of useful size rather than one tiny string per record.
    if (pending.length >= 64 * 1024) {
      yield pending;
      pending = '';
    }
  }
  pending += writer.end();
  if (pending !== '') yield pending;
}

/** The whole text of `records` in `format`. */
export function writeFormatSync(records: Iterable<Record>, options: AnyWriteOptions & { format: string }): string {
  const writer = createWriter(options.format, options);
  let out = writer.begin();
  for (const record of records) out += writer.write(record);
  return out + writer.end();
}

// Plug the writers into the I/O layer's registry, so `writeRecords(records, dest, {format})`
// and the serializer streams know every text format.
for (const name of [...Object.keys(FORMATS), ...Object.keys(FORMAT_ALIASES)]) {
  registerFormat(name, (options) => {
    const writer = createWriter(name, options as AnyWriteOptions);
    const formatWriter: FormatWriter = { header: () => writer.begin(), write: (record) => writer.write(record), footer: () => writer.end() };
    const writeTo = writer.writeTo;
    if (writeTo !== undefined) formatWriter.writeTo = (record, sink) => writeTo.call(writer, record, sink);
    return formatWriter;
  });
}

export { detectFormat };
export type { DetectedFormat, RecordParser, RecordWriter, ReadResult, TextChunk, FormatReadOptions };
