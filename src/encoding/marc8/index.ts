/**
 * MARC-8 for mrrc: decoder, encoder and mislabel heuristics, registered with the charset registry
 * under 'marc-8' and 'marc8' when this module is imported.
 *
 * Options pass through the registry: `getDecoder('marc-8', { normalize: 'NFD' })`,
 * `getEncoder('marc-8', { mode: 'strict' })`. See docs/marc8.md.
 */

import { registerDecoder, registerEncoder, type DecodeProblem } from '../charset.js';
import { Marc8Decoder, expandNcrs, type Marc8DecoderOptions } from './decoder.js';
import { Marc8Encoder, type Marc8EncoderOptions } from './encoder.js';

export { Marc8Decoder, Marc8Encoder, expandNcrs };
export type { Marc8DecoderOptions, Marc8EncoderOptions };
export { looksLikeMarc8, looksLikeUtf8 } from './detect.js';

function optionsObject<T extends object>(options: unknown, what: string): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object') throw new TypeError(`marc-8 ${what} options must be an object`);
  return options as T;
}

registerDecoder(['marc-8', 'marc8'], (options) => new Marc8Decoder(optionsObject<Marc8DecoderOptions>(options, 'decoder')));
registerEncoder(['marc-8', 'marc8'], (options) => new Marc8Encoder(optionsObject<Marc8EncoderOptions>(options, 'encoder')));

const defaultDecoder = new Marc8Decoder();
const defaultEncoder = new Marc8Encoder();

/**
 * Decodes a MARC-8 string (one field's worth: escape state starts at ASCII/ANSEL). Problems, if
 * any, are appended to `problems`; without that argument bad bytes just become U+FFFD.
 */
export function decodeMarc8(bytes: Uint8Array, options?: Marc8DecoderOptions, problems: DecodeProblem[] = []): string {
  const decoder = options === undefined ? defaultDecoder : new Marc8Decoder(options);
  return decoder.decode(bytes, 0, bytes.length, problems);
}

/** Encodes text as MARC-8, ending in ASCII/ANSEL. */
export function encodeMarc8(text: string, options?: Marc8EncoderOptions, problems: DecodeProblem[] = []): Uint8Array {
  const encoder = options === undefined ? defaultEncoder : new Marc8Encoder(options);
  return encoder.encode(text, problems);
}
