/**
 * ISO 2709 writer: lengths in bytes, directory and base address recomputed, leader/09 matching
 * what is written.
 *
 * Untouched records are written back as the bytes they were read from; untouched fields of
 * edited records are copied from the source bytes. Only changed text is encoded.
 */

import { MarcError } from '../errors.js';
import { getEncoder, type DecodeProblem, type FieldEncoder } from '../encoding/charset.js';
import type { Field } from '../record/field.js';
import type { Record } from '../record/record.js';
import { isAsciiString, utf8ByteLength, writeAscii, writeUtf8 } from '../util/bytes.js';
import { DIRECTORY_ENTRY_LENGTH, FIELD_TERMINATOR, LEADER_LENGTH, MAX_ISO2709_LENGTH, RECORD_TERMINATOR, SUBFIELD_DELIMITER } from './constants.js';

export interface WriteOptions {
  /**
   * 'utf-8' (default) writes Unicode and sets leader/09 to 'a' (left as it is when every byte
   * written is ASCII, since both readings agree); 'marc-8' converts and sets leader/09 blank;
   * 'preserve' writes each record in the encoding it was read in (an untouched record as its
   * exact bytes, whatever the encoding).
   */
  encoding?: 'utf-8' | 'utf8' | 'marc-8' | 'marc8' | 'preserve';
  /**
   * A record over 99,999 bytes cannot state its length. 'error' (default) throws E404;
   * 'truncate-length' writes it whole with length 99999, which terminator-framing readers
   * (mrrc, yaz) read back correctly.
   */
  oversize?: 'error' | 'truncate-length';
  /** Options for the MARC-8 encoder ('lossless' NCRs by default). */
  marc8?: unknown;
}

type Target = 'utf-8' | 'marc-8';

function targetFor(record: Record, encoding: WriteOptions['encoding']): Target {
  if (encoding === 'marc-8' || encoding === 'marc8') return 'marc-8';
  if (encoding === 'preserve') {
    const origin = record.origin;
    return origin !== null && origin.encoding === 'marc-8' && !origin.ascii ? 'marc-8' : 'utf-8';
  }
  return 'utf-8';
}

/** Growable byte buffer reused across records. */
class ByteSink {
  buf = new Uint8Array(64 * 1024);
  length = 0;

  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    this.buf.set(src.subarray(start, end), this.length);
    this.length += end - start;
  }

  utf8(text: string): void {
    if (text.length < 64 && isAsciiString(text)) {
      this.ensure(text.length);
      this.length += writeAscii(this.buf, text, this.length);
      return;
    }
    this.ensure(utf8ByteLength(text));
    this.length += writeUtf8(this.buf, text, this.length);
  }
}

/** Writes records one after another; reuses its buffers, so keep one per output. */
export class Iso2709Writer {
  readonly #options: WriteOptions;
  readonly #data = new ByteSink();
  #encoder: FieldEncoder | null = null;
  #finished = false;
  #written = 0;

  constructor(options: WriteOptions = {}) {
    this.#options = options;
  }

  get recordsWritten(): number {
    return this.#written;
  }

  /** The record's ISO 2709 bytes (a new array the caller owns). */
  write(record: Record): Uint8Array {
    if (this.#finished) throw new MarcError('E404', 'this writer was finished; create a new one', { source: 'iso2709' });
    const target = targetFor(record, this.#options.encoding);
    const origin = record.origin;
    const passthrough = this.#options.encoding === 'preserve' || (target === 'marc-8' ? origin?.encoding === 'marc-8' : origin?.encoding === 'utf-8') || origin?.ascii === true;
    if (origin !== null && passthrough && record.isUntouched()) {
      this.#written++;
      return origin.raw.slice();
    }
    const out = this.#encode(record, target);
    this.#written++;
    return out;
  }

  finish(): void {
    this.#finished = true;
  }

  #marc8(): FieldEncoder {
    this.#encoder ??= getEncoder('marc-8', this.#options.marc8);
    return this.#encoder;
  }

  #encode(record: Record, target: Target): Uint8Array {
    const fields = record.fields;
    const data = this.#data;
    data.length = 0;
    const count = fields.length;
    const ends = new Int32Array(count);
    let allAscii = true;
    const problems: DecodeProblem[] = [];
    for (let i = 0; i < count; i++) {
      const field = fields[i] as Field;
      checkTag(field.tag, record, i);
      if (target === 'marc-8') {
        this.#encodeMarc8(field, problems, record);
      } else if (field.isControlField()) {
        const raw = field.rawRange();
        if (raw !== null) data.bytes(raw.bytes, raw.start, raw.end);
        else data.utf8(field.data);
      } else {
        data.utf8(field.ind1.length === 1 ? field.ind1 : (field.ind1 + ' ').charAt(0));
        data.utf8(field.ind2.length === 1 ? field.ind2 : (field.ind2 + ' ').charAt(0));
        const raw = field.rawRange();
        if (raw !== null) data.bytes(raw.bytes, raw.start, raw.end);
        else {
          for (const sf of field.subfields) {
            // An empty code holds text that stood before the first delimiter in a malformed
            // field (kept by lenient reading); write it back where it was, without a delimiter.
            if (sf.code !== '') {
              data.byte(SUBFIELD_DELIMITER);
              data.utf8(sf.code);
            }
            data.utf8(sf.value);
          }
        }
      }
      data.byte(FIELD_TERMINATOR);
      ends[i] = data.length;
    }
    if (target === 'utf-8') {
      for (let i = 0; i < data.length; i++) {
        if ((data.buf[i] as number) >= 0x80) {
          allAscii = false;
          break;
        }
      }
    }

    const base = LEADER_LENGTH + count * DIRECTORY_ENTRY_LENGTH + 1;
    const total = base + data.length + 1;
    if (base > MAX_ISO2709_LENGTH) {
      throw new MarcError('E404', `${count} fields need a ${base}-byte directory, beyond ISO 2709's 99999`, { source: 'iso2709', ...recordContext(record) });
    }
    let lengthField = total;
    if (total > MAX_ISO2709_LENGTH) {
      if (this.#options.oversize !== 'truncate-length') {
        throw new MarcError('E404', `record is ${total} bytes, beyond ISO 2709's 99999 (write with oversize: 'truncate-length' to keep it whole)`, { source: 'iso2709', ...recordContext(record) });
      }
      lengthField = MAX_ISO2709_LENGTH;
    }

    const out = new Uint8Array(total);
    const leader = record.leader.value;
    for (let i = 0; i < LEADER_LENGTH; i++) out[i] = leader.charCodeAt(i) & 0xff;
    writeDigits(out, 0, lengthField, 5);
    writeDigits(out, 12, base, 5);
    if (target === 'marc-8') out[9] = 0x20;
    else if (!allAscii) out[9] = 0x61;
    // A leader repaired on read may hold non-digits here; write MARC 21's values, not garbage.
    if (out[10]! < 48 || out[10]! > 57) out[10] = 50;
    if (out[11]! < 48 || out[11]! > 57) out[11] = 50;

    let start = 0;
    for (let i = 0; i < count; i++) {
      const e = LEADER_LENGTH + i * DIRECTORY_ENTRY_LENGTH;
      const tag = (fields[i] as Field).tag;
      out[e] = tag.charCodeAt(0);
      out[e + 1] = tag.charCodeAt(1);
      out[e + 2] = tag.charCodeAt(2);
      const end = ends[i] as number;
      const length = end - start;
      if (length > 9999) {
        throw new MarcError('E404', `field ${tag} is ${length} bytes, beyond the directory's 4-digit length`, { source: 'iso2709', tag, ...recordContext(record) });
      }
      if (start > MAX_ISO2709_LENGTH) {
        if (this.#options.oversize !== 'truncate-length') {
          throw new MarcError('E404', `field ${tag} starts at ${start}, beyond the directory's 5-digit position`, { source: 'iso2709', tag, ...recordContext(record) });
        }
      }
      writeDigits(out, e + 3, length, 4);
      writeDigits(out, e + 7, Math.min(start, MAX_ISO2709_LENGTH), 5);
      start = end;
    }
    out[base - 1] = FIELD_TERMINATOR;
    out.set(data.buf.subarray(0, data.length), base);
    out[total - 1] = RECORD_TERMINATOR;
    return out;
  }

  #encodeMarc8(field: Field, problems: DecodeProblem[], record: Record): void {
    const encoder = this.#marc8();
    const data = this.#data;
    problems.length = 0;
    let bytes: Uint8Array;
    if (field.isControlField()) {
      bytes = encoder.encode(field.data, problems);
    } else {
      let text = (field.ind1 + ' ').charAt(0) + (field.ind2 + ' ').charAt(0);
      for (const sf of field.subfields) text += (sf.code === '' ? '' : '\x1f' + sf.code) + sf.value;
      bytes = encoder.encode(text, problems);
    }
    const first = problems[0];
    if (first !== undefined) {
      throw new MarcError(first.code, first.message, { source: 'marc8', tag: field.tag, ...recordContext(record) });
    }
    data.bytes(bytes, 0, bytes.length);
  }
}

function checkTag(tag: string, record: Record, index: number): void {
  if (tag.length === 3 && isAsciiString(tag)) return;
  throw new MarcError('E404', `field ${index} has tag ${JSON.stringify(tag)}; ISO 2709 tags are 3 ASCII characters`, { source: 'iso2709', tag, ...recordContext(record) });
}

function recordContext(record: Record): { recordIndex?: number; controlNumber?: string } {
  const control = record.get('001');
  return {
    recordIndex: record.origin?.recordIndex,
    controlNumber: control !== undefined && control.isControlField() ? control.data : undefined,
  };
}

function writeDigits(out: Uint8Array, at: number, value: number, width: number): void {
  for (let i = width - 1; i >= 0; i--) {
    out[at + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}

const defaultWriter = new Iso2709Writer();

/** One record as ISO 2709 bytes. */
export function toMarc(record: Record, options?: WriteOptions): Uint8Array {
  return options === undefined ? defaultWriter.write(record) : new Iso2709Writer(options).write(record);
}
