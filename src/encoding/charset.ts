/**
 * The character-set interface between the ISO 2709 builder and the encodings.
 *
 * The builder hands a decoder one field's data at a time (for a data field: everything after the
 * two indicators, subfield delimiters included; for a control field: its value). Decoders keep
 * escape state for the length of one field and must pass 0x1F and the subfield code byte that
 * follows it through unchanged, so the builder can split the decoded text on U+001F. Decoders
 * never throw on bad bytes: they substitute U+FFFD and report a problem, and the reader's mode
 * decides whether that becomes a thrown error (strict) or an entry in `record.errors` (lenient).
 */

import { firstInvalidUtf8, isUtf8, utf8, encodeUtf8, latin1 } from '../util/bytes.js';
import type { ErrorCode } from '../errors.js';

export interface DecodeProblem {
  code: ErrorCode;
  message: string;
  /** Absolute offset into the `bytes` passed to `decode`. */
  offset: number;
}

export interface FieldDecoder {
  /** Canonical name: 'utf-8', 'marc-8', or a WHATWG label such as 'windows-1251'. */
  readonly name: string;
  /** True when the output of `decode` for ASCII-only input is the input itself. */
  readonly asciiTransparent: boolean;
  decode(bytes: Uint8Array, start: number, end: number, problems: DecodeProblem[]): string;
}

export interface FieldEncoder {
  readonly name: string;
  /** Leader/09 value that describes text written by this encoder. */
  readonly leader09: string;
  encode(text: string, problems: DecodeProblem[]): Uint8Array;
}

export const utf8Decoder: FieldDecoder = {
  name: 'utf-8',
  asciiTransparent: true,
  decode(bytes, start, end, problems) {
    if (!isUtf8(bytes, start, end)) {
      const at = firstInvalidUtf8(bytes, start, end);
      problems.push({
        code: 'E301',
        message: `invalid UTF-8 byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}`,
        offset: at < 0 ? start : at,
      });
    }
    return utf8(bytes, start, end);
  },
};

export const utf8Encoder: FieldEncoder = {
  name: 'utf-8',
  leader09: 'a',
  encode(text) {
    return encodeUtf8(text);
  },
};

/** Latin-1 proper (ISO-8859-1), not the WHATWG alias that means windows-1252. */
export const latin1Decoder: FieldDecoder = {
  name: 'iso-8859-1',
  asciiTransparent: true,
  decode(bytes, start, end) {
    return latin1(bytes, start, end);
  },
};

/** Single-byte legacy charsets that TextDecoder knows (windows-1251, ibm866, koi8-r, …). */
export function textDecoderCharset(label: string): FieldDecoder {
  const decoder = new TextDecoder(label);
  return {
    name: decoder.encoding,
    asciiTransparent: true,
    decode(bytes, start, end) {
      return decoder.decode(bytes.subarray(start, end));
    },
  };
}

/** Names accepted by the `encoding` option; 'auto' means: follow leader/09. */
export type EncodingName = 'auto' | 'utf-8' | 'utf8' | 'marc-8' | 'marc8' | (string & {});

const registry = new Map<string, (options?: unknown) => FieldDecoder>();
const encoderRegistry = new Map<string, (options?: unknown) => FieldEncoder>();

/** Lets an encoding module (MARC-8) plug in without the core importing its tables eagerly. */
export function registerDecoder(names: string[], factory: (options?: unknown) => FieldDecoder): void {
  for (const name of names) registry.set(name.toLowerCase(), factory);
}

export function registerEncoder(names: string[], factory: (options?: unknown) => FieldEncoder): void {
  for (const name of names) encoderRegistry.set(name.toLowerCase(), factory);
}

export function normaliseEncodingName(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'utf8' || lower === 'utf-8') return 'utf-8';
  if (lower === 'marc8' || lower === 'marc-8') return 'marc-8';
  if (lower === 'latin1' || lower === 'iso-8859-1' || lower === 'iso8859-1') return 'iso-8859-1';
  return lower;
}

export function getDecoder(name: string, options?: unknown): FieldDecoder {
  const key = normaliseEncodingName(name);
  if (key === 'utf-8') return utf8Decoder;
  if (key === 'iso-8859-1') return latin1Decoder;
  const factory = registry.get(key);
  if (factory !== undefined) return factory(options);
  try {
    return textDecoderCharset(key);
  } catch {
    throw new RangeError(`unknown encoding ${JSON.stringify(name)}`);
  }
}

export function getEncoder(name: string, options?: unknown): FieldEncoder {
  const key = normaliseEncodingName(name);
  if (key === 'utf-8') return utf8Encoder;
  const factory = encoderRegistry.get(key);
  if (factory !== undefined) return factory(options);
  throw new RangeError(`cannot write encoding ${JSON.stringify(name)}`);
}
