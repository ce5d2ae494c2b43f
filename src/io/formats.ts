/**
 * Output formats for `writeRecords` and the serializer streams: a small registry of writers.
 *
 * A format is a factory of `FormatWriter`s. A writer is made per output and may keep state (an
 * open XML collection, a count for JSON separators); it returns each piece as bytes or a string
 * (strings are written as UTF-8). To add a format:
 *
 *     registerFormat('marcxml', (options) => ({
 *       header: () => '<collection xmlns="http://www.loc.gov/MARC21/slim">\n',
 *       write: (record) => recordToXml(record, options),
 *       footer: () => '</collection>\n',
 *     }));
 */

import { Iso2709Writer, type WriteOptions } from '../iso2709/writer.js';
import type { Record } from '../record/record.js';
import type { ByteSink } from '../util/byte-sink.js';

export interface FormatWriter {
  /** Bytes before the first record (also written when there are no records). */
  header?(): Uint8Array | string;
  write(record: Record): Uint8Array | string;
  /** `write(record)` appended to `sink` as bytes, for writers that can skip building strings. */
  writeTo?(record: Record, sink: ByteSink): void;
  /** Bytes after the last record. */
  footer?(): Uint8Array | string;
}

/** Makes one writer per output; `options` are the caller's write options, passed through. */
export type FormatFactory = (options: { [key: string]: unknown }) => FormatWriter;

const formats = new Map<string, FormatFactory>();

export function registerFormat(name: string, factory: FormatFactory): void {
  formats.set(name.toLowerCase(), factory);
}

export function formatNames(): string[] {
  return [...formats.keys()];
}

export function createFormatWriter(name: string, options: { [key: string]: unknown } = {}): FormatWriter {
  const factory = formats.get(name.toLowerCase());
  if (factory === undefined) throw new TypeError(`unknown output format ${JSON.stringify(name)} (known: ${formatNames().join(', ')})`);
  return factory(options);
}

registerFormat('iso2709', (options) => {
  const writer = new Iso2709Writer(options as WriteOptions);
  return { write: (record) => writer.write(record) };
});
registerFormat('marc', (options) => createFormatWriter('iso2709', options));
