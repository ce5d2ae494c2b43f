/**
 * The byte path of the .mrk writer: a field read from UTF-8 or ASCII ISO 2709 and never changed
 * is copied from its source bytes into its line, escaping the line syntax's characters (`$`, `\`,
 * `{`, `}`; a control field's blanks) on the way. Built from field strings, the lines of a 58 MB
 * file took 5 s, two thirds of it in the garbage collector and in joining the strings.
 *
 * A control character (written as a mnemonic whose name depends on the form), invalid UTF-8, a
 * character outside ASCII in the MARC-8 form, a subfield code that needs repair: those send the
 * field, or the record, through the strings instead, so the output is the same byte for byte.
 */

import type { Field } from '../../record/field.js';
import type { ByteSink } from '../../util/byte-sink.js';
import { utf8SequenceLength } from '../../util/bytes.js';
import { bytePathCode, bytePathDataField, isSafeText, Markup, MARKUP_SLACK, nextCodeAt, PRINTABLE_ASCII, putMarkup, safeByteTable, TagMarkup, type RawFieldWriter } from '../raw-fields.js';

/** What a byte becomes: copied (0), a mnemonic (its index in ESCAPES), or the string path (BAIL). */
const COPY = 0;
const BAIL = 255;
const ESCAPES: (Markup | undefined)[] = [undefined, new Markup('{dollar}'), new Markup('{bsol}'), new Markup('{lcub}'), new Markup('{rcub}'), new Markup('\\')];
const LONGEST_ESCAPE = 8;

function byteClasses(blank: number): Uint8Array {
  const table = new Uint8Array(256).fill(BAIL);
  for (let b = 0x20; b < 0x7f; b++) table[b] = COPY;
  table[0x24] = 1;
  table[0x5c] = 2;
  table[0x7b] = 3;
  table[0x7d] = 4;
  table[0x20] = blank;
  return table;
}
/** In subfields a blank is itself; in control fields it is `\`. */
const DATA_CLASSES = byteClasses(COPY);
const CONTROL_CLASSES = byteClasses(5);

/** Tags and subfield codes the byte path writes as they are: printable, none of the escaped four. */
const PLAIN = safeByteTable('$\\{}');

/** Indicators: a blank is `\`, `$` and `\` are mnemonics, other printable ASCII itself. */
const INDICATOR_TEXT: (Markup | undefined)[] = Array.from({ length: 128 }, (_, b) => {
  if (b < 0x20 || b === 0x7f) return undefined;
  return new Markup(b === 0x20 ? '\\' : b === 0x5c ? '{bsol}' : b === 0x24 ? '{dollar}' : String.fromCharCode(b));
});

/** Where `#copy` stopped (a module slot, not a returned object: it runs for every subfield). */
let copyStop = 0;

export class MrkLines implements RawFieldWriter {
  readonly #heads = new TagMarkup((tag) => (isSafeText(tag, PLAIN) ? `=${tag}  ` : null));
  readonly #nl: number[];

  /**
   * `utf8`: the UTF-8 form, which copies characters outside ASCII as they are (the MARC-8 form
   * writes them as mnemonics of their MARC-8 bytes: the string path). `line` is a field's line
   * through its strings, without the line end.
   */
  constructor(newline: string, readonly utf8: boolean, readonly line: (field: Field) => string) {
    this.#nl = Array.from(newline, (c) => c.charCodeAt(0));
  }

  rawControl(sink: ByteSink, tag: string, bytes: Uint8Array, _source: DataView, start: number, end: number): boolean {
    const head = this.#heads.get(tag);
    if (head === null) return false;
    const out = sink.reserve(head.length + (end - start) * LONGEST_ESCAPE + 2 + MARKUP_SLACK);
    const view = sink.view;
    let pos = putMarkup(view, sink.length, head);
    pos = this.#copy(bytes, start, end, out, view, pos, CONTROL_CLASSES);
    // A delimiter in a control field is a control character: the string path writes it.
    if (pos < 0 || copyStop !== end) return false;
    sink.length = this.#newline(out, pos);
    return true;
  }

  rawData(sink: ByteSink, tag: string, bytes: Uint8Array, _source: DataView, start: number, end: number): boolean {
    if (!bytePathDataField(bytes, start, end, PRINTABLE_ASCII)) return false;
    const head = this.#heads.get(tag);
    if (head === null) return false;
    const out = sink.reserve(head.length + 2 * LONGEST_ESCAPE + (end - start) * LONGEST_ESCAPE + 2 + MARKUP_SLACK);
    const view = sink.view;
    let pos = putMarkup(view, sink.length, head);
    pos = putMarkup(view, pos, INDICATOR_TEXT[bytes[start] as number] as Markup);
    pos = putMarkup(view, pos, INDICATOR_TEXT[bytes[start + 1] as number] as Markup);
    for (let codeAt = nextCodeAt(bytes, start + 2, end); codeAt < end; codeAt = nextCodeAt(bytes, copyStop, end)) {
      const code = bytes[codeAt] as number;
      if (!bytePathCode(code, PLAIN)) return false;
      out[pos++] = 0x24;
      out[pos++] = code;
      pos = this.#copy(bytes, codeAt + 1, end, out, view, pos, DATA_CLASSES);
      if (pos < 0) return false;
    }
    sink.length = this.#newline(out, pos);
    return true;
  }

  fieldText(sink: ByteSink, field: Field): void {
    sink.text(this.line(field) + String.fromCharCode(...this.#nl));
  }

  #newline(out: Uint8Array, pos: number): number {
    const nl = this.#nl;
    for (let k = 0; k < nl.length; k++) out[pos++] = nl[k] as number;
    return pos;
  }

  /**
   * Escapes `bytes[start, end)` into `out` at `pos` up to the next subfield delimiter (its index
   * left in `copyStop`); -1 when a byte needs the string path.
   */
  #copy(bytes: Uint8Array, start: number, end: number, out: Uint8Array, view: DataView, pos: number, classes: Uint8Array): number {
    const utf8 = this.utf8;
    let i = start;
    for (; i < end; i++) {
      const b = bytes[i] as number;
      const kind = classes[b] as number;
      if (kind === COPY) {
        out[pos++] = b;
        continue;
      }
      if (kind !== BAIL) {
        pos = putMarkup(view, pos, ESCAPES[kind] as Markup);
        continue;
      }
      if (b === 0x1f) break;
      if (b < 0x80 || !utf8) return -1;
      const n = utf8SequenceLength(bytes, i, end);
      if (n === 0) return -1;
      for (let k = 0; k < n; k++) out[pos++] = bytes[i + k] as number;
      i += n - 1;
    }
    copyStop = i;
    return pos;
  }
}
