/**
 * Stream adapters: bytes → records and records → bytes, for Node streams (`Transform`) and WHATWG
 * streams (`TransformStream`). The same framer and assembler as every other reader.
 *
 * Backpressure is the streams' own: the parser's readable side counts records (objectMode
 * `highWaterMark`), and a full side stops the transform callback from being called back, so the
 * writer above it sees `write()` return false. No timers, no polling.
 */

import { Transform, type TransformCallback } from 'node:stream';
import { Iso2709Framer, type Frame } from '../iso2709/framer.js';
import { RecordAssembler, type ReadOptions } from '../iso2709/reader.js';
import type { Record } from '../record/record.js';
import { createFormatWriter, type FormatWriter } from './formats.js';
import { toBytes } from './write.js';
import { ByteSink } from '../util/byte-sink.js';

export interface ParserStreamOptions extends ReadOptions {
  /** Records buffered on the readable side before the writable side is paused (default 256). */
  highWaterMark?: number;
}

export interface SerializerStreamOptions {
  /** A registered format name (default 'iso2709'). */
  format?: string;
  /** Records buffered on the writable side (default 256). */
  highWaterMark?: number;
  /** Anything else goes to the format's writer. */
  [option: string]: unknown;
}

function parts(options: ParserStreamOptions): { framer: Iso2709Framer; assembler: RecordAssembler } {
  const { highWaterMark: _hwm, ...read } = options;
  return {
    framer: new Iso2709Framer(read.maxRecordSize === undefined ? {} : { maxRecordSize: read.maxRecordSize }),
    assembler: new RecordAssembler(read),
  };
}

function take(assembler: RecordAssembler, frame: Frame): Record | null {
  if (!frame.junk && frame.problem === null) return assembler.assembleClean(frame.bytes, frame.offset);
  return assembler.assemble(frame).record;
}

/** A Node `Transform`: ISO 2709 bytes in, `Record`s out (object mode). */
export function createParserStream(options: ParserStreamOptions = {}): Transform {
  const { framer, assembler } = parts(options);
  const frames: Frame[] = [];
  const emit = (stream: Transform): void => {
    for (const frame of frames) {
      const record = take(assembler, frame);
      if (record !== null) stream.push(record);
    }
    frames.length = 0;
  };
  return new Transform({
    writableObjectMode: false,
    readableObjectMode: true,
    readableHighWaterMark: options.highWaterMark ?? 256,
    transform(this: Transform, chunk: Uint8Array, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        framer.push(chunk, frames);
        emit(this);
        callback();
      } catch (e) {
        frames.length = 0;
        callback(e as Error);
      }
    },
    flush(this: Transform, callback: TransformCallback) {
      try {
        framer.end(frames);
        emit(this);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
}

/** One record's bytes: through the writer's byte path when it has one (no string built). */
function recordEncoder(writer: FormatWriter): (record: Record) => Uint8Array {
  const writeTo = writer.writeTo;
  if (writeTo === undefined) return (record) => toBytes(writer.write(record));
  const sink = new ByteSink();
  return (record) => {
    writeTo.call(writer, record, sink);
    return sink.take();
  };
}

/** A Node `Transform`: `Record`s in (object mode), bytes of `format` out. */
export function createSerializerStream(options: SerializerStreamOptions = {}): Transform {
  const { format = 'iso2709', highWaterMark = 256, ...writerOptions } = options;
  const writer: FormatWriter = createFormatWriter(format, writerOptions);
  let started = false;
  const start = (stream: Transform): void => {
    if (started) return;
    started = true;
    if (writer.header !== undefined) stream.push(toBytes(writer.header()));
  };
  const encode = recordEncoder(writer);
  return new Transform({
    writableObjectMode: true,
    writableHighWaterMark: highWaterMark,
    readableObjectMode: false,
    transform(this: Transform, record: Record, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        start(this);
        callback(null, encode(record));
      } catch (e) {
        callback(e as Error);
      }
    },
    flush(this: Transform, callback: TransformCallback) {
      try {
        start(this);
        if (writer.footer !== undefined) this.push(toBytes(writer.footer()));
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
}

/** A WHATWG `TransformStream`: ISO 2709 bytes in, `Record`s out. */
export function createParserTransformStream(options: ParserStreamOptions = {}): TransformStream<Uint8Array, Record> {
  const { framer, assembler } = parts(options);
  const frames: Frame[] = [];
  const emit = (controller: TransformStreamDefaultController<Record>): void => {
    try {
      for (const frame of frames) {
        const record = take(assembler, frame);
        if (record !== null) controller.enqueue(record);
      }
    } finally {
      frames.length = 0;
    }
  };
  return new TransformStream<Uint8Array, Record>(
    {
      transform(chunk, controller) {
        framer.push(chunk, frames);
        emit(controller);
      },
      flush(controller) {
        framer.end(frames);
        emit(controller);
      },
    },
    undefined,
    new CountQueuingStrategy({ highWaterMark: options.highWaterMark ?? 256 }),
  );
}

/** A WHATWG `TransformStream`: `Record`s in, bytes of `format` out. */
export function createSerializerTransformStream(options: SerializerStreamOptions = {}): TransformStream<Record, Uint8Array> {
  const { format = 'iso2709', highWaterMark = 256, ...writerOptions } = options;
  const writer: FormatWriter = createFormatWriter(format, writerOptions);
  const encode = recordEncoder(writer);
  return new TransformStream<Record, Uint8Array>(
    {
      start(controller) {
        if (writer.header !== undefined) controller.enqueue(toBytes(writer.header()));
      },
      transform(record, controller) {
        controller.enqueue(encode(record));
      },
      flush(controller) {
        if (writer.footer !== undefined) controller.enqueue(toBytes(writer.footer()));
      },
    },
    new CountQueuingStrategy({ highWaterMark }),
  );
}
