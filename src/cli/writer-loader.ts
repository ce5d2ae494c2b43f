/**
 * The writer for `convert`'s target format, loading only that format's modules: the format
 * registry (formats/index.js) brings every parser and writer with it (~35 ms), and crosswalks bring
 * RDF and XML libraries. Used by the main thread (the output's head and tail, or every record on
 * one thread) and by the convert workers. Modules are loaded with `importSibling`, which also
 * works in a worker running the TypeScript sources (tests under tsx).
 */
import { MarcError } from '../errors.js';
import type { Record } from '../record/record.js';
import type { ByteSink } from '../util/byte-sink.js';
import { importSibling } from '../util/import-sibling.js';
import type { MarcXmlWriteOptions } from '../formats/marcxml/writer.js';
import type { JsonWriteOptions } from '../formats/marcjson/writer.js';

export interface TargetWriter {
  begin(): string | Uint8Array;
  write(record: Record): string | Uint8Array;
  /** The writer's byte path, when it has one. */
  writeTo?: (record: Record, sink: ByteSink) => void;
  end(): string | Uint8Array;
}

const load = <T>(path: string): Promise<T> => importSibling<T>(import.meta.url, path);

/**
 * Every name `loadTargetWriter` accepts, for checking `--to` before any work starts (a static
 * list: the format registry is not loaded on the way to a usage error). test/cli checks it
 * against what loads.
 */
export const TARGET_FORMATS: readonly string[] = ['iso2709', 'marc', 'mrc', 'marcxml', 'xml', 'marcjson', 'json', 'jsonl', 'ndjson', 'plain-json', 'mrk', 'text', 'csv', 'mods', 'dc', 'bibframe'];

export function isIsoFormat(format: string): boolean {
  return format === 'iso2709' || format === 'marc' || format === 'mrc';
}

/** `--oversize` as the ISO 2709 writer takes it (convert's writer options travel as plain JSON). */
export function oversizeOf(writerOptions: { [key: string]: unknown }): 'error' | 'truncate-length' {
  return writerOptions['oversize'] === 'truncate-length' ? 'truncate-length' : 'error';
}

/** Throws E403 for a format nothing can write. */
export async function loadTargetWriter(format: string, writerOptions: { [key: string]: unknown }, toEncoding: 'utf-8' | 'marc-8' = 'utf-8'): Promise<TargetWriter> {
  if (isIsoFormat(format)) {
    const { Iso2709Writer } = await load<typeof import('../iso2709/writer.js')>('../iso2709/writer.js');
    const writer = new Iso2709Writer({ encoding: toEncoding, oversize: oversizeOf(writerOptions) });
    return { begin: () => '', write: (r) => writer.write(r), end: () => '' };
  }
  if (format === 'marcxml' || format === 'xml') {
    const { MarcXmlWriter } = await load<typeof import('../formats/marcxml/writer.js')>('../formats/marcxml/writer.js');
    const replaced: number[] = [];
    return bound(new MarcXmlWriter({ ...(writerOptions as MarcXmlWriteOptions), onInvalidChar: (c) => replaced.push(c) }), reportReplacements(replaced, 'marcxml'));
  }
  if (format === 'marcjson' || format === 'json') {
    const { MarcJsonWriter } = await load<typeof import('../formats/marcjson/writer.js')>('../formats/marcjson/writer.js');
    // `json` is one JSON document, an array, as plain-json is; `jsonl` and `ndjson` are lines.
    return bound(new MarcJsonWriter({ ...(writerOptions as JsonWriteOptions), layout: 'array' }));
  }
  if (format === 'text') {
    const { TextWriter } = await load<typeof import('../formats/text/index.js')>('../formats/text/index.js');
    return bound(new TextWriter());
  }
  // The crosswalks register their writers with the format registry on import.
  if (format === 'bibframe') await load('../formats/bibframe/register.js');
  if (format === 'mods' || format === 'dc') await load('../formats/mods/register.js');
  const { createWriter, getFormat } = await load<typeof import('../formats/index.js')>('../formats/index.js');
  const { createFormatWriter, formatNames } = await load<typeof import('../io/formats.js')>('../io/formats.js');
  try {
    getFormat(format);
    return bound(createWriter(format, writerOptions));
  } catch (e) {
    if (!formatNames().includes(format)) {
      throw new MarcError('E403', `unknown output format ${JSON.stringify(format)} (known: ${TARGET_FORMATS.join(', ')})`, { source: 'cli' }, { cause: e });
    }
    const writer = createFormatWriter(format, writerOptions);
    // The crosswalks write U+FFFD for what XML cannot carry through one helper, which lists them here.
    const { listXmlInvalidInto } = await load<typeof import('../util/xml-chars.js')>('../util/xml-chars.js');
    const replaced: number[] = [];
    listXmlInvalidInto(replaced);
    return bound({ begin: () => writer.header?.() ?? '', write: (r) => writer.write(r), end: () => writer.footer?.() ?? '' }, reportReplacements(replaced, format));
  }
}

/**
 * Characters XML 1.0 cannot carry are written as U+FFFD (docs/formats.md); the CLI says so, as an
 * E304 warning on the record, which the commands report like any repair (and exit 1), whether the
 * record was written here or in a worker.
 */
function reportReplacements(replaced: number[], source: string): (record: Record) => void {
  return (record) => {
    if (replaced.length === 0) return;
    const shown = [...new Set(replaced)].slice(0, 5).map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`).join(', ');
    const control = record.get('001');
    record.errors.push(new MarcError('E304', `${replaced.length} character${replaced.length === 1 ? '' : 's'} XML 1.0 cannot carry (${shown}) written as U+FFFD`, {
      source,
      recordIndex: record.origin?.recordIndex,
      recordOffset: record.origin?.recordOffset,
      controlNumber: control !== undefined && control.isControlField() ? control.data : undefined,
    }, { severity: 'warning' }));
    replaced.length = 0;
  };
}

/** The writer's methods as a TargetWriter; `after`, when given, runs once each record is written. */
function bound(writer: { begin(): string | Uint8Array; write(record: Record): string | Uint8Array; writeTo?(record: Record, sink: ByteSink): void; end(): string | Uint8Array }, after?: (record: Record) => void): TargetWriter {
  const write = after === undefined ? (r: Record) => writer.write(r) : (r: Record) => {
    const text = writer.write(r);
    after(r);
    return text;
  };
  const target: TargetWriter = { begin: () => writer.begin(), write, end: () => writer.end() };
  const writeTo = writer.writeTo;
  if (writeTo !== undefined) {
    target.writeTo = after === undefined ? (r, sink) => writeTo.call(writer, r, sink) : (r, sink) => {
      writeTo.call(writer, r, sink);
      after(r);
    };
  }
  return target;
}
