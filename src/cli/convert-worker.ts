/**
 * What `mrrc convert --jobs N` runs inside each worker: one record in, its text (or ISO 2709
 * bytes) out. One export per target format; options arrive through MRRC_CONVERT_OPTIONS, which
 * the main thread sets before the pool starts (workers copy the environment).
 */
import { createWriter } from '../formats/index.js';
import { createFormatWriter } from '../io/formats.js';
import { Iso2709Writer } from '../iso2709/writer.js';
import type { Record } from '../record/record.js';
import { createRequire } from 'node:module';
import { applyEdits, type EditOptions } from './record-edits.js';
import type { ByteSink } from '../util/byte-sink.js';

interface ConvertOptions extends EditOptions {
  toEncoding?: 'utf-8' | 'marc-8';
  writerOptions?: { [key: string]: unknown };
}

// Read once: process.env is an interceptor, far too slow to consult per record.
const options = JSON.parse(process.env.MRRC_CONVERT_OPTIONS ?? '{}') as ConvertOptions;
const format = process.env.MRRC_CONVERT_FORMAT ?? 'marcxml';
// Crosswalk writers pull in RDF and XML libraries; load them only in workers that need them
// (no top-level await: under tsx this module is loaded as CommonJS).
let loading: Promise<unknown> | null =
  format === 'bibframe' ? load('../formats/bibframe/register.js') : format === 'mods' || format === 'dc' ? load('../formats/mods/register.js') : null;

/** import(), or, when this file runs as TypeScript in a worker (tests under tsx), require of the .ts. */
async function load(path: string): Promise<unknown> {
  try {
    return await import(path);
  } catch (e) {
    if (!import.meta.url.endsWith('.ts')) throw e;
    return createRequire(import.meta.url)(path.replace(/\.js$/, '.ts'));
  }
}
const hasEdits = (options.leader?.length ?? 0) > 0 || (options.normalize !== undefined && options.normalize !== 'none');
const iso = new Iso2709Writer({ encoding: options.toEncoding ?? 'utf-8' });
type TextWriter = { write(record: Record): string; writeTo?(record: Record, sink: ByteSink): void };
const writers = new Map<string, TextWriter>();

function textWriter(format: string): TextWriter {
  let writer = writers.get(format);
  if (writer === undefined) {
    try {
      writer = createWriter(format, options.writerOptions ?? {});
    } catch {
      const fw = createFormatWriter(format, options.writerOptions ?? {});
      writer = { write: (record) => { const out = fw.write(record); return typeof out === 'string' ? out : Buffer.from(out).toString('utf8'); } };
    }
    writers.set(format, writer);
  }
  return writer;
}

export function iso2709(record: Record): Uint8Array {
  return iso.write(hasEdits ? applyEdits(record, options) : record);
}

let writer: TextWriter | null = null;

/** With `concat` (as `convert` maps), a byte-path writer writes straight into the task's output. */
export function text(record: Record, sink?: ByteSink): string | Uint8Array | undefined | Promise<string | Uint8Array | undefined> {
  if (loading !== null) {
    return loading.then(() => {
      loading = null;
      return text(record, sink);
    });
  }
  writer ??= textWriter(format);
  const edited = hasEdits ? applyEdits(record, options) : record;
  if (writer.writeTo === undefined || sink === undefined) return writer.write(edited);
  writer.writeTo(edited, sink);
  return undefined;
}
