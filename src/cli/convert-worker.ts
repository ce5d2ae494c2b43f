/**
 * What `mrrc convert --jobs N` runs inside each worker: one record in, its text (or ISO 2709
 * bytes) out. One export per target format; options arrive through MRRC_CONVERT_OPTIONS, which
 * the main thread sets before the pool starts (workers copy the environment).
 */
import { Iso2709Writer } from '../iso2709/writer.js';
import type { Record } from '../record/record.js';
import { importSibling } from '../util/import-sibling.js';
import { applyEdits, type EditOptions } from './record-edits.js';
import type { ByteSink } from '../util/byte-sink.js';
import type { MarcXmlWriteOptions } from '../formats/marcxml/writer.js';
import type { JsonWriteOptions } from '../formats/marcjson/writer.js';

interface ConvertOptions extends EditOptions {
  toEncoding?: 'utf-8' | 'marc-8';
  writerOptions?: { [key: string]: unknown };
}

// Read once: process.env is an interceptor, far too slow to consult per record.
const options = JSON.parse(process.env.MRRC_CONVERT_OPTIONS ?? '{}') as ConvertOptions;
const format = process.env.MRRC_CONVERT_FORMAT ?? 'marcxml';

const load = <T>(path: string): Promise<T> => importSibling<T>(import.meta.url, path);
const hasEdits = (options.leader?.length ?? 0) > 0 || (options.normalize !== undefined && options.normalize !== 'none');
const iso = new Iso2709Writer({ encoding: options.toEncoding ?? 'utf-8' });
type TextWriter = { write(record: Record): string; writeTo?(record: Record, sink: ByteSink): void };

/**
 * Loads only what the target format needs, on first use: the format registry (formats/index.js)
 * brings every parser with it (~35 ms more of each worker's start, when the start is most of a
 * short run), and crosswalk writers bring RDF and XML libraries. (No top-level await: under tsx
 * this module is loaded as CommonJS.)
 */
async function loadWriter(): Promise<TextWriter> {
  const writerOptions = options.writerOptions ?? {};
  if (format === 'marcxml' || format === 'xml') {
    const { MarcXmlWriter } = await load<typeof import('../formats/marcxml/writer.js')>('../formats/marcxml/writer.js');
    return new MarcXmlWriter(writerOptions as MarcXmlWriteOptions);
  }
  if (format === 'marcjson' || format === 'json') {
    const { MarcJsonWriter } = await load<typeof import('../formats/marcjson/writer.js')>('../formats/marcjson/writer.js');
    return new MarcJsonWriter(writerOptions as JsonWriteOptions);
  }
  if (format === 'bibframe') await load('../formats/bibframe/register.js');
  if (format === 'mods' || format === 'dc') await load('../formats/mods/register.js');
  const { createWriter } = await load<typeof import('../formats/index.js')>('../formats/index.js');
  try {
    return createWriter(format, writerOptions);
  } catch {
    const { createFormatWriter } = await load<typeof import('../io/formats.js')>('../io/formats.js');
    const fw = createFormatWriter(format, writerOptions);
    return { write: (record) => { const out = fw.write(record); return typeof out === 'string' ? out : Buffer.from(out).toString('utf8'); } };
  }
}

export function iso2709(record: Record): Uint8Array {
  return iso.write(hasEdits ? applyEdits(record, options) : record);
}

let writer: TextWriter | null = null;
let loading: Promise<unknown> | null = null;

/** With `concat` (as `convert` maps), a byte-path writer writes straight into the task's output. */
export function text(record: Record, sink?: ByteSink): string | Uint8Array | undefined | Promise<string | Uint8Array | undefined> {
  if (writer === null) {
    loading ??= loadWriter().then((loaded) => {
      writer = loaded;
    });
    return loading.then(() => text(record, sink));
  }
  const edited = hasEdits ? applyEdits(record, options) : record;
  if (writer.writeTo === undefined || sink === undefined) return writer.write(edited);
  writer.writeTo(edited, sink);
  return undefined;
}
