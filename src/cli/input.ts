/**
 * Opening the input of a command: a path, or standard input when it is '-' or absent, in any
 * readable format (ISO 2709, MARCXML, MARC-in-JSON, plain JSON, MARCMaker, text), sniffed from the
 * first bytes unless `--from` says. Records are streamed (constant memory) through the same
 * reading cores as the library.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { MarcError, type Mode } from '../errors.js';
import type { ReadOptions, ReadResult } from '../iso2709/reader.js';
import { detectFormat, readerForUnknown } from '../formats/detect.js';
import { readResultBatches } from '../io/read.js';
import { foreignSignature, SIGNATURE_BYTES, type ForeignSignature } from '../util/bytes.js';

export interface InputFlags {
  mode: Mode;
  encoding: string;
  from?: string;
}

/** An input's bytes before any format is chosen: decompressed when gzip, refused when no MARC at all. */
export interface InputBytes {
  /** Size in bytes when known (a file), else 0. */
  size: number;
  name: string;
  /** A regular file, which workers can read in byte ranges (not standard input, a pipe, a device). */
  regular: boolean;
  /** What a regular file's first bytes say it is when it is no MARC at all (null otherwise, and for the rest). */
  signature: ForeignSignature | null;
  /**
   * For a compressed file, the bytes of it read so far: where the progress bar stands, since the
   * records' offsets count the bytes they decompress to. Undefined otherwise.
   */
  reached?: () => number;
  /** The bytes from the start (standard input can be read once only). */
  chunks(): AsyncIterable<Uint8Array>;
}

export interface Input extends InputBytes {
  results(): AsyncIterable<ReadResult>;
  /** The same results in arrays (one per read for ISO 2709), so a command awaits once per batch. */
  resultBatches(): AsyncIterable<ReadResult[]>;
}

/**
 * Bytes per read from a file. An ISO 2709 read is one batch of records, alive together until the
 * command has handled them: with 1 MiB (~900 records) `stats` and `check` of 58 MB took 0.68 and
 * 0.48 s at 151 and 117 MB of memory, with 256 KiB 0.55 and 0.43 s at 96 and 77 MB.
 */
const CHUNK = 1 << 18;

/** Bytes read before choosing a format: a leader, an XML prolog with its namespace, a JSON opening. */
const SNIFF_BYTES = 4096;

/** The bytes of a path, or of standard input when it is '-' or absent. */
export function inputBytes(input: string | undefined): InputBytes {
  if (input === undefined || input === '-') {
    const name = 'standard input';
    return { size: 0, name, regular: false, signature: null, chunks: () => refuseForeign(gunzipIfCompressed(process.stdin as AsyncIterable<Uint8Array>, name), name) };
  }
  let size: number;
  let regular: boolean;
  try {
    const info = statSync(input);
    size = info.size;
    regular = info.isFile();
  } catch (e) {
    throw new MarcError('E007', `cannot open ${input}: ${(e as Error).message}`, { source: 'io' }, { cause: e });
  }
  // A gzip file's progress is counted in its own bytes. A pipe is not looked at before it is read
  // (it can be read once only); its bytes are decompressed all the same when they are gzip.
  const signature = regular ? fileSignature(input) : null;
  const gzip = signature === 'gzip';
  const read = { bytes: 0 };
  const source = (): AsyncIterable<Uint8Array> => (gzip ? counted(fileChunks(input), read) : fileChunks(input));
  return { size, name: input, regular, signature, ...(gzip ? { reached: () => read.bytes } : {}), chunks: () => refuseForeign(gunzipIfCompressed(source(), input), input) };
}

export function openInput(input: string | undefined | InputBytes, flags: InputFlags, extra: ReadOptions = {}): Input {
  const options: ReadOptions = { mode: flags.mode, encoding: flags.encoding, ...extra };
  const bytes = typeof input === 'object' ? input : inputBytes(input);
  return {
    ...bytes,
    results: () => unbatch(readAny(bytes.chunks(), flags.from ?? 'auto', options)),
    resultBatches: () => readAny(bytes.chunks(), flags.from ?? 'auto', options),
  };
}

/**
 * The format `from` names, or when it is 'auto' the one the first bytes show, and the bytes again
 * from their start. JSON or XML that is not MARC-shaped goes to that format's reader (which says
 * what is missing), anything else unknown to the ISO 2709 reader.
 */
export async function chooseFormat(chunks: AsyncIterable<Uint8Array>, from: string): Promise<{ format: string; all: AsyncIterable<Uint8Array> }> {
  if (from !== 'auto') return { format: from === 'marc' ? 'iso2709' : from, all: chunks };
  const { head, all } = await peek(chunks, SNIFF_BYTES);
  return { format: head.length === 0 ? 'iso2709' : formatOf(head), all };
}

/**
 * What `chooseFormat` makes of a file that is not compressed, from a read of its first bytes: as
 * many as detection looks at, which is as many as a stream's first read may hand it.
 */
export function fileFormat(path: string): string {
  return formatOf(fileHead(path, 64 * 1024));
}

function formatOf(head: Uint8Array): string {
  const detected = detectFormat(head);
  return detected === 'unknown' ? readerForUnknown(head) : detected;
}

function fileHead(path: string, n: number): Uint8Array {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = new Uint8Array(n);
    return head.subarray(0, readSync(fd, head, 0, n, 0));
  } catch {
    return new Uint8Array(0);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** What the file at `path` is when it is no MARC at all (null also when it cannot be read: the read says why). */
export function fileSignature(path: string): ForeignSignature | null {
  return foreignSignature(fileHead(path, SIGNATURE_BYTES));
}

async function* counted(chunks: AsyncIterable<Uint8Array>, read: { bytes: number }): AsyncGenerator<Uint8Array> {
  read.bytes = 0;
  for await (const chunk of chunks) {
    read.bytes += chunk.length;
    yield chunk;
  }
}

/**
 * The input's bytes, decompressed on the way when they are gzip (`records.mrc.gz`, or `zcat`'s
 * output not yet piped through it): catalogue dumps are often shipped that way, and read as MARC
 * their first bytes gave a baffling E003. A stream, so memory stays flat; concatenated gzip
 * members are read one after another, as gunzip does.
 */
async function* gunzipIfCompressed(chunks: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
  const { head, all } = await peek(chunks, 2);
  if (foreignSignature(head) !== 'gzip') {
    yield* all;
    return;
  }
  const source = Readable.from(all, { objectMode: false });
  // Output pieces as big as a file read (zlib's default is 16 KiB: a batch of ~15 records each).
  const gunzip = createGunzip({ chunkSize: CHUNK });
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Uint8Array>) yield chunk;
  } catch (e) {
    if (e instanceof MarcError) throw e;
    throw new MarcError('E007', `cannot decompress ${name} (gzip): ${(e as Error).message}`, { source: 'io' }, { cause: e });
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

/**
 * The input, unless its first bytes say it is no MARC at all. UTF-16 (MARCXML from .NET's
 * XmlWriter, a Windows "Unicode" save) read as UTF-8 gave "text data outside of root node" or a
 * whole file of junk, and a compressed file or an archive other than gzip (which is read as what it
 * holds) a baffling E003: each is said plainly instead, with the way out. Transcoding or unpacking
 * here would make every byte offset in the messages point elsewhere, or need a dependency per
 * format for files a one-line command turns into MARC.
 */
async function* refuseForeign(chunks: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
  const { head, all } = await peek(chunks, SIGNATURE_BYTES);
  const signature = foreignSignature(head);
  if (signature === 'utf-16le' || signature === 'utf-16be') {
    const bom = head[0] === 0xff || head[0] === 0xfe;
    const endian = signature === 'utf-16le' ? 'little-endian' : 'big-endian';
    const what = bom ? `it starts with the byte order mark ${signature === 'utf-16le' ? 'FF FE' : 'FE FF'}, ${endian}` : `${endian} without a byte order mark: a zero in every other byte`;
    const from = bom ? 'UTF-16' : signature === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
    throw new MarcError('E403', `${name} is UTF-16 (${what}); MARC formats are read as UTF-8: convert it first, e.g. iconv -f ${from} -t UTF-8`, { source: 'io' });
  }
  if (signature !== null && signature !== 'gzip') {
    const file = name === 'standard input' ? 'FILE' : shellWord(name);
    const what = signature === 'zip' || signature === 'tar' ? `a ${signature} archive` : `${signature}-compressed`;
    const command = signature === 'zip' ? `unzip -p ${file}` : signature === 'tar' ? `tar -xOf ${file}` : `${signature} -dc ${file}`;
    throw new MarcError('E403', `${name} is ${what}; mrrc reads MARC, and gzip itself, but not ${signature}: ${signature === 'zip' || signature === 'tar' ? 'take the MARC out of it' : 'decompress it'} first, e.g. ${command} | mrrc …`, { source: 'io' });
  }
  yield* all;
}

function shellWord(text: string): string {
  return /^[\w./+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * At least the first `n` bytes of a stream (fewer only at its end), and the whole stream again
 * from its start: for the stages that decide by the first bytes what the rest is.
 */
async function peek(chunks: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let seen = 0;
  while (seen < n) {
    const next = await iterator.next();
    if (next.done === true) break;
    held.push(next.value);
    seen += next.value.length;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* held;
    while (true) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  return { head: held.length === 1 ? (held[0] as Uint8Array) : Buffer.concat(held), all: all() };
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) yield chunk;
  } catch (e) {
    throw new MarcError('E007', `reading ${path} failed: ${(e as Error).message}`, { source: 'io' }, { cause: e });
  }
}

async function* unbatch(batches: AsyncIterable<ReadResult[]>): AsyncGenerator<ReadResult> {
  for await (const batch of batches) yield* batch;
}

async function* readAny(chunks: AsyncIterable<Uint8Array>, from: string, options: ReadOptions): AsyncGenerator<ReadResult[]> {
  const { format, all } = await chooseFormat(chunks, from);
  // The library's own streaming readers: the CLI frames and assembles exactly as they do.
  if (format === 'iso2709') {
    yield* readResultBatches(all, options);
    return;
  }
  // The text formats' parsers are loaded only for text input: most commands read ISO 2709.
  const { readFormatResultBatches } = await import('../formats/index.js');
  yield* readFormatResultBatches(all, { format, mode: options.mode ?? 'strict', ...(options.onError === undefined ? {} : { onError: options.onError }), ...(options.eager === undefined ? {} : { eager: options.eager }) });
}
