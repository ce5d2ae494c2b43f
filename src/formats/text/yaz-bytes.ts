/**
 * The byte path of the 'yaz' text style (`mrrc dump`, `convert -t text`): a field read from UTF-8
 * or ASCII ISO 2709 and never changed is copied from its source bytes into the line, with no
 * string built for it. Building each line from field strings, then encoding it, cost five times
 * yaz-marcdump's time for the same dump; most of it was the garbage collector.
 *
 * Anything the byte path is not sure of (a control character, the delimiter in a control field,
 * invalid UTF-8, a subfield code that needs repair, text before the first delimiter) sends the
 * field, or the record, through the strings instead, so the output is the same byte for byte
 * either way.
 */

import type { Field } from '../../record/field.js';
import type { Record } from '../../record/record.js';
import type { ByteSink } from '../../util/byte-sink.js';
import { isAsciiString, utf8SequenceLength } from '../../util/bytes.js';
import { bytePathCode, bytePathDataField, isSafeText, MARKUP_SLACK, nextCodeAt, putMarkup, PRINTABLE_ASCII, TagMarkup, writeRawFields, type RawFieldWriter } from '../raw-fields.js';

/**
 * What an indicator, a tag or a subfield code may be on the byte path. A module-local copy: an
 * imported binding is reloaded, with a hole check, at every use in a loop (see parser.ts).
 */
const PRINTABLE = PRINTABLE_ASCII;

class YazLines implements RawFieldWriter {
  /** `tag + ' '`, the start of every line. */
  readonly #heads = new TagMarkup((tag) => (isSafeText(tag, PRINTABLE) ? `${tag} ` : null));

  rawControl(sink: ByteSink, tag: string, bytes: Uint8Array, source: DataView, start: number, end: number): boolean {
    const head = this.#heads.get(tag);
    if (head === null) return false;
    const out = sink.reserve(head.length + (end - start) + 1 + MARKUP_SLACK);
    const view = sink.view;
    let pos = putMarkup(view, sink.length, head);
    pos = copyValue(bytes, source, start, end, out, view, pos);
    // The delimiter (DanMARC's subfields in 00X) is shown as ` $a ` by the string path.
    if (pos < 0 || valueStop !== end) return false;
    out[pos++] = 0x0a;
    sink.length = pos;
    return true;
  }

  rawData(sink: ByteSink, tag: string, bytes: Uint8Array, source: DataView, start: number, end: number): boolean {
    if (!bytePathDataField(bytes, start, end, PRINTABLE)) return false;
    const head = this.#heads.get(tag);
    if (head === null) return false;
    // Each subfield's two bytes (delimiter, code) become four (` $a `): room for twice the content.
    const out = sink.reserve(head.length + 2 * (end - start) + 1 + MARKUP_SLACK);
    const view = sink.view;
    let pos = putMarkup(view, sink.length, head);
    out[pos++] = bytes[start] as number;
    out[pos++] = bytes[start + 1] as number;
    for (let codeAt = nextCodeAt(bytes, start + 2, end); codeAt < end; codeAt = nextCodeAt(bytes, valueStop, end)) {
      const code = bytes[codeAt] as number;
      if (!bytePathCode(code, PRINTABLE)) return false;
      out[pos++] = 0x20;
      out[pos++] = 0x24;
      out[pos++] = code;
      out[pos++] = 0x20;
      pos = copyValue(bytes, source, codeAt + 1, end, out, view, pos);
      if (pos < 0) return false;
    }
    out[pos++] = 0x0a;
    sink.length = pos;
    return true;
  }

  fieldText(sink: ByteSink, field: Field): void {
    sink.text(field.dumpLine() + '\n');
  }
}

/** Where `copyValue` stopped (a module slot, not a returned object: it runs for every subfield). */
let valueStop = 0;

/**
 * Copies a value from `bytes[start, end)` to `out` at `pos` up to the next subfield delimiter (its
 * index left in `valueStop`), or returns -1 when a byte needs the string path: another control
 * character, or bytes that are not well-formed UTF-8. Runs of printable ASCII move four bytes at a
 * time (has-less-than test from "Bit Twiddling Hacks"; a false alarm only sends a word to the
 * byte loop).
 */
function copyValue(bytes: Uint8Array, source: DataView, start: number, end: number, out: Uint8Array, view: DataView, pos: number): number {
  const base = bytes.byteOffset;
  let i = start;
  while (i < end) {
    for (; i + 4 <= end; i += 4, pos += 4) {
      const w = source.getInt32(base + i, true);
      if ((w | (((w - 0x20202020) | 0) & ~w)) & 0x80808080) break;
      view.setInt32(pos, w, true);
    }
    if (i >= end) break;
    const b = bytes[i] as number;
    if (b < 0x20) {
      if (b === 0x1f) break;
      return -1;
    }
    if (b < 0x80) {
      out[pos++] = b;
      i++;
      continue;
    }
    const n = utf8SequenceLength(bytes, i, end);
    if (n === 0) return -1;
    for (let k = 0; k < n; k++) out[pos++] = bytes[i + k] as number;
    i += n;
  }
  valueStop = i;
  return pos;
}

const lines = new YazLines();

/**
 * `record.toString()` as UTF-8 appended to `sink`, then the blank line yaz-marcdump puts after a
 * record. Returns false (and `sink` as it was) when the record has to go through its strings.
 */
export function writeYazBytes(record: Record, sink: ByteSink): boolean {
  const mark = sink.length;
  const leader = record.leader.value;
  if (!isAsciiString(leader)) return false;
  sink.ascii(leader);
  sink.ascii('\n');
  if (writeRawFields(sink, lines, record)) {
    sink.ascii('\n');
    return true;
  }
  sink.length = mark;
  return false;
}
