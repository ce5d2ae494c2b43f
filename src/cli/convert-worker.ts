/**
 * What `mrrc convert --jobs N` runs inside each worker: one record in, its text (or ISO 2709
 * bytes) out. One export per target format; options arrive through MRRC_CONVERT_OPTIONS, which
 * the main thread sets before the pool starts (workers copy the environment).
 */
import { Iso2709Writer } from '../iso2709/writer.js';
import type { Record } from '../record/record.js';
import { applyEdits, type EditOptions } from './record-edits.js';
import type { ByteSink } from '../util/byte-sink.js';
import { loadTargetWriter, oversizeOf, type TargetWriter } from './writer-loader.js';

interface ConvertOptions extends EditOptions {
  toEncoding?: 'utf-8' | 'marc-8';
  writerOptions?: { [key: string]: unknown };
}

// Read once: process.env is an interceptor, far too slow to consult per record.
const options = JSON.parse(process.env.MRRC_CONVERT_OPTIONS ?? '{}') as ConvertOptions;
const format = process.env.MRRC_CONVERT_FORMAT ?? 'marcxml';

const hasEdits = (options.leader?.length ?? 0) > 0 || (options.normalize !== undefined && options.normalize !== 'none');
const iso = new Iso2709Writer({ encoding: options.toEncoding ?? 'utf-8', oversize: oversizeOf(options.writerOptions ?? {}) });

export function iso2709(record: Record): Uint8Array {
  return iso.write(hasEdits ? applyEdits(record, options) : record);
}

let writer: TargetWriter | null = null;
let loading: Promise<unknown> | null = null;

/** With `concat` (as `convert` maps), a byte-path writer writes straight into the task's output. */
export function text(record: Record, sink?: ByteSink): string | Uint8Array | undefined | Promise<string | Uint8Array | undefined> {
  if (writer === null) {
    // Only the target format's modules, on first use (no top-level await: under tsx this module
    // is loaded as CommonJS).
    loading ??= loadTargetWriter(format, options.writerOptions ?? {}, options.toEncoding).then((loaded) => {
      writer = loaded;
    });
    return loading.then(() => text(record, sink));
  }
  const edited = hasEdits ? applyEdits(record, options) : record;
  if (writer.writeTo === undefined || sink === undefined) return writer.write(edited);
  writer.writeTo(edited, sink);
  return undefined;
}
