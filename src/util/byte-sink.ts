/**
 * A growable byte buffer for writers that produce UTF-8 directly.
 *
 * Writers that build strings pay three times for every byte: once to copy it into a string, once
 * to flatten the concatenation, once to encode it as UTF-8 at the end. Writing bytes into one
 * reused buffer pays once. Hot loops read `bytes` and `length` into locals after `reserve` and
 * store `length` back when done, so the buffer is never touched through a method per byte.
 */

const encoder = new TextEncoder();

export class ByteSink {
  /** The buffer; valid up to `length`. Replaced (not resized in place) when it grows. */
  bytes: Uint8Array;
  length = 0;
  #view: DataView | null = null;
  #viewOf: Uint8Array | null = null;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more bytes and returns the (possibly new) buffer. */
  reserve(extra: number): Uint8Array {
    const need = this.length + extra;
    if (need > this.bytes.length) {
      let size = Math.max(1, this.bytes.length * 2);
      while (size < need) size *= 2;
      const grown = this.allocate(size);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    return this.bytes;
  }

  /**
   * A DataView of `bytes` (made again when `bytes` changes), for writers that store a 32-bit
   * word at a time. Fetch it after `reserve`, which may replace the buffer.
   */
  get view(): DataView {
    const bytes = this.bytes;
    if (this.#viewOf !== bytes || this.#view === null) {
      this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.#viewOf = bytes;
    }
    return this.#view;
  }

  /** Memory for a grown buffer (a subclass may want another kind, e.g. shared). */
  protected allocate(size: number): Uint8Array {
    return new Uint8Array(size);
  }

  /** Bytes as they are. */
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length).set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Markup known to be ASCII (element names, attribute values checked by the caller). */
  ascii(text: string): void {
    const out = this.reserve(text.length);
    let pos = this.length;
    for (let i = 0; i < text.length; i++) out[pos++] = text.charCodeAt(i);
    this.length = pos;
  }

  /** Any string, as UTF-8 (lone surrogates become U+FFFD, as TextEncoder does). */
  text(text: string): void {
    // Three bytes per UTF-16 unit is the most UTF-8 can need.
    const out = this.reserve(text.length * 3);
    const { written } = encoder.encodeInto(text, out.subarray(this.length));
    this.length += written;
  }

  /** A copy of what was written, and the sink emptied for reuse. */
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.length);
    this.length = 0;
    return out;
  }
}
