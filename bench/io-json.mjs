// The parallelMap functions for bench/io.ts, one export per lane:
// - json / default: a MARC-in-JSON-like line per record (record.toJSON());
// - marcxml: a bare MARCXML <record> per line, by the library's MarcXmlWriter;
// - extract: the extract work of the record lanes (245 title, 001), nothing returned (bulk-parse-2).
// The library's own modules come from the build the benchmark measures (MRRC_BENCH_SRC, set by
// bench/io.ts), so records and writer share one Record class.
const base = process.env.MRRC_BENCH_SRC ?? new URL('../dist/src/', import.meta.url).href;

export default function toJsonLine(record) {
  return JSON.stringify(record.toJSON()) + '\n';
}

export const json = toJsonLine;

// Loaded only in the MARCXML lanes' workers (bench/io.ts runs those on a build only).
const { MarcXmlWriter } = (process.env.MRRC_IO_SCENARIO ?? '').includes('marcxml') ? await import(base + 'formats/marcxml/writer.js') : {};
const xmlWriter = MarcXmlWriter === undefined ? null : new MarcXmlWriter({ collection: false, declaration: false });

export function marcxml(record) {
  if (xmlWriter === null) throw new Error('bench/io-json.mjs: no built MarcXmlWriter to load (build dist/ or set MRRC_BENCH_DIST)');
  return xmlWriter.write(record) + '\n';
}

let chars = 0;
export function extract(record) {
  chars += (record.title ?? '').length + (record.getValue('001') ?? '').length;
  return undefined;
}
export function extracted() {
  return chars;
}
