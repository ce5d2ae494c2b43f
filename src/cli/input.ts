/**
 * Opening the input of a command: a path, or standard input when it is '-' or absent. Records are
 * streamed (constant memory) through the same reading core as the library.
 */
import { statSync } from 'node:fs';
import { MarcError, type Mode } from '../errors.js';
import { readResultsSync, type SyncSource } from '../io/sync.js';
import { Iso2709Framer, type Frame } from '../iso2709/framer.js';
import { RecordAssembler, type ReadOptions, type ReadResult } from '../iso2709/reader.js';

export interface InputFlags {
  mode: Mode;
  encoding: string;
  from?: string;
}

export interface Input {
  /** Size in bytes when known (a file), else 0. */
  size: number;
  name: string;
  results(): AsyncIterable<ReadResult>;
}

export function openInput(input: string | undefined, flags: InputFlags, extra: ReadOptions = {}): Input {
  const options: ReadOptions = { mode: flags.mode, encoding: flags.encoding, ...extra };
  if (input === undefined || input === '-') {
    return { size: 0, name: 'standard input', results: () => stdinResults(options) };
  }
  let size = 0;
  try {
    size = statSync(input).size;
  } catch (e) {
    throw new MarcError('E007', `cannot open ${input}: ${(e as Error).message}`, { source: 'io' }, { cause: e });
  }
  return {
    size,
    name: input,
    async *results() {
      yield* readResultsSync(input as SyncSource, options);
    },
  };
}

async function* stdinResults(options: ReadOptions): AsyncGenerator<ReadResult> {
  const framer = new Iso2709Framer({ copy: true, ...(options.maxRecordSize === undefined ? {} : { maxRecordSize: options.maxRecordSize }) });
  const assembler = new RecordAssembler(options);
  const frames: Frame[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
    frames.length = 0;
    framer.push(chunk, frames);
    for (const frame of frames) yield assembler.assemble(frame);
  }
  frames.length = 0;
  framer.end(frames);
  for (const frame of frames) yield assembler.assemble(frame);
}
