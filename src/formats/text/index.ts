/**
 * Human-readable line dumps.
 *
 * Styles:
 * - 'yaz' (default): yaz-marcdump's line format, `245 10 $a Title / $c Author.`, the leader on
 *   its own line, a blank line after each record (also `Record#toString()`).
 * - 'pymarc': pymarc's `str(record)`, `=245  10$aTitle /$cAuthor.` (blanks in control fields and
 *   indicators as `\`), records one after another.
 * - 'marc4js': marc4js's TextWriter, `245 10 $aTitle /$cAuthor.`, `LDR    leader`, a blank line
 *   between records.
 * - 'natlibfi': @natlibfi/marc-record's `toString()`, `245 10 ‡aTitle /‡cAuthor.`; records joined
 *   by a newline with none at the end.
 * Every style but 'pymarc' reads back (`readText`), each record in the style its lines show:
 * 'yaz' by a bare leader line (or, without one, `$a ` with a blank after the code), as
 * `yaz-marcdump -i line` reads it; 'marc4js' and 'natlibfi' by their `LDR` line.
 */

import { MarcError } from '../../errors.js';
import { ControlField, DataField, isControlTag, type Field, type Subfield } from '../../record/field.js';
import { DEFAULT_LEADER, Leader } from '../../record/leader.js';
import { Record } from '../../record/record.js';
import { ChunkDecoder, CUT_SHORT, DeferredStop, PARSER_SLICE, ModeGate, recordsOf, runSync, utf8Bytes, writeAll, type FormatReadOptions, type ReadResult, type RecordParser, type RecordWriter, type TextChunk } from '../common.js';
import { ByteSink } from '../../util/byte-sink.js';
import { utf8 } from '../../util/bytes.js';
import { writeYazBytes } from './yaz-bytes.js';

export type TextStyle = 'yaz' | 'pymarc' | 'marc4js' | 'natlibfi';

export interface TextWriteOptions {
  style?: TextStyle;
  /**
   * In the 'yaz' style, copy fields read from UTF-8 or ASCII ISO 2709 and never changed straight
   * from their source bytes (default true), for `write` as well as `writeTo`. false builds every
   * field's strings: the same output, slower; it is the reference the byte path is tested against.
   */
  bytePath?: boolean;
}

export class TextWriter implements RecordWriter {
  readonly #style: TextStyle;
  readonly #bytePath: boolean;
  #count = 0;
  /** `write`'s buffer for the byte path, kept between records. */
  #scratch: ByteSink | null = null;

  constructor(options: TextWriteOptions = {}) {
    this.#style = options.style ?? 'yaz';
    this.#bytePath = options.bytePath !== false;
  }

  begin(): string {
    return '';
  }

  write(record: Record): string {
    const first = this.#count++ === 0;
    switch (this.#style) {
      case 'yaz': {
        if (!this.#bytePath) return record.toString() + '\n';
        // The byte path and one decode: a fraction of building the lines from field strings.
        const scratch = (this.#scratch ??= new ByteSink(1 << 14));
        scratch.length = 0;
        return writeYazBytes(record, scratch) ? utf8(scratch.bytes, 0, scratch.length) : record.toString() + '\n';
      }
      case 'pymarc': {
        let out = `=LDR  ${record.leader.value}\n`;
        for (const field of record.fields) out += field.toString() + '\n';
        return out;
      }
      case 'marc4js':
        return (first ? '' : '\n') + lineDump(record, '$') + '\n';
      case 'natlibfi':
        return (first ? '' : '\n') + lineDump(record, '‡');
    }
  }

  /**
   * `write(record)` as UTF-8 appended to `sink`: the same bytes, but in the 'yaz' style fields
   * read from UTF-8 or ASCII ISO 2709 and never changed are copied from their source bytes.
   */
  writeTo(record: Record, sink: ByteSink): void {
    if (this.#style !== 'yaz' || !this.#bytePath) sink.text(this.write(record));
    else if (!writeYazBytes(record, sink)) sink.text(record.toString() + '\n');
  }

  end(): string {
    return '';
  }
}

function lineDump(record: Record, delimiter: string): string {
  const lines = [`LDR    ${record.leader.value}`];
  for (const field of record.fields as Field[]) {
    if (field.isControlField()) {
      lines.push(`${field.tag}    ${field.data}`);
      continue;
    }
    let line = `${field.tag} ${field.ind1}${field.ind2} `;
    for (const sf of field.subfieldList()) line += delimiter + sf.code + sf.value;
    lines.push(line);
  }
  return lines.join('\n');
}

/** Records as text in one style (default yaz-marcdump's). */
export function toText(records: Record | Iterable<Record>, options: TextWriteOptions = {}): string {
  return writeAll(new TextWriter(options), records instanceof Record ? [records] : records);
}

export interface TextReadOptions extends FormatReadOptions {
  /** The subfield delimiter: '$' (marc4js) or '‡' (natlibfi). Default: whichever the first data field uses. */
  delimiter?: string;
}

/**
 * Reads the 'yaz' line style (`mrrc dump`'s and yaz-marcdump's: a bare leader line, `001 …`,
 * `245 10 $a Title / $c Author.`) and the 'marc4js' and 'natlibfi' ones (`LDR    …`, `001    …`,
 * `245 10 $aTitle`). Records end at a blank line or the next leader line.
 */
export class TextParser implements RecordParser {
  readonly #decoder = new ChunkDecoder();
  readonly #gate: ModeGate;
  readonly #stop = new DeferredStop();
  #delimiter: string | undefined;
  #carry = '';
  #offset = 0;
  #lines: string[] = [];
  #start = 0;

  constructor(options: TextReadOptions = {}) {
    this.#gate = new ModeGate(options, 'text');
    this.#delimiter = options.delimiter;
  }

  push(chunk: TextChunk): ReadResult[] {
    if (chunk.length > PARSER_SLICE) return this.#stop.sliced(chunk, (slice) => this.push(slice));
    const out: ReadResult[] = [];
    return this.#stop.run(() => {
      const text = this.#carry + this.#decoder.decode(chunk);
      let at = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
        this.#line(text.slice(at, nl > at && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl), out);
        this.#offset += nl + 1 - at;
        at = nl + 1;
      }
      this.#carry = text.slice(at);
      return out;
    }, () => out);
  }

  end(): ReadResult[] {
    const out: ReadResult[] = [];
    return this.#stop.run(() => {
      const rest = this.#carry + this.#decoder.flush();
      this.#carry = '';
      if (rest.length > 0) this.#line(rest, out);
      this.#flush(out, rest.trim() !== '');
      return out;
    }, () => out);
  }

  #line(line: string, out: ReadResult[]): void {
    if (line.trim() === '') {
      this.#flush(out);
      return;
    }
    const lines = this.#lines;
    if (line.startsWith('    ') && lines.length > 0) {
      // yaz's continuation line: four blanks go on with the line before, after a blank (or in
      // place of a '=' that ends a long line). No other style's line starts with a blank.
      const before = lines[lines.length - 1] as string;
      lines[lines.length - 1] = before.length > 60 && before.endsWith('=') ? before.slice(0, -1) + line.slice(4) : `${before} ${line.slice(4)}`;
      return;
    }
    // yaz's annotations (`(…)`) and record marks (`$…` at the start of a line) carry no data.
    if (line.charAt(0) === '(') return;
    if (line.charAt(0) === '$') {
      this.#flush(out);
      return;
    }
    // A new record at a leader line; `LDR` starts one only where the record is not yaz-style (whose
    // leader line is bare, and where `LDR` is a tag like any other).
    if (lines.length > 0 && (isLeaderLine(line) || (line.startsWith('LDR') && !isLeaderLine(lines[0] as string)))) this.#flush(out);
    if (this.#lines.length === 0) this.#start = this.#offset;
    this.#lines.push(line);
  }

  /** `cut`: the input ended inside the record's last line (see CUT_SHORT; yaz style only). */
  #flush(out: ReadResult[], cut = false): void {
    if (this.#lines.length === 0) return;
    const lines = this.#lines;
    this.#lines = [];
    const offset = this.#start;
    const raw = (): Uint8Array => utf8Bytes(lines.join('\n'));
    const errors: MarcError[] = [];
    const repair = (detail: string, tag?: string): void => this.#gate.repair(errors, 'E403', detail, { tag, recordOffset: offset });
    let leader: string | null = null;
    const fields: Field[] = [];
    if (isYazStyle(lines)) {
      // Only in yaz's style, whose writers end every line (natlibfi's ends its last one without).
      if (cut) this.#gate.repair(errors, 'E005', CUT_SHORT, { recordOffset: offset });
      for (const line of lines) {
        if (isLeaderLine(line)) {
          leader = line;
          continue;
        }
        const tag = line.slice(0, 3);
        if (line.length < 4 || line.charAt(3) !== ' ' || tag.includes(' ')) {
          repair(`malformed line ${JSON.stringify(line.slice(0, 30))}; dropped`);
          continue;
        }
        if (isControlTag(tag)) {
          fields.push(new ControlField(tag, line.slice(4)));
          continue;
        }
        const content = line.charAt(6) === ' ' ? line.slice(7) : line.slice(6);
        const subfields = yazSubfields(content);
        if (subfields[0]?.code === '') this.#gate.repair(errors, 'E106', `${tag} has text before its first subfield; kept under an empty code`, { tag, recordOffset: offset });
        fields.push(new DataField(tag, line.charAt(4) || ' ', line.charAt(5) || ' ', subfields));
      }
      if (leader === null) repair('record has no leader line; a default leader was used');
      out.push(this.#gate.ok(new Record({ leader: leader ?? DEFAULT_LEADER, fields }), errors, raw, offset));
      return;
    }
    for (const line of lines) {
      const tag = line.slice(0, 3);
      if (tag === 'LDR') {
        leader = line.slice(7);
        continue;
      }
      if (line.length < 4 || line.charAt(3) !== ' ') {
        if (fields.length === 0 && leader === null) {
          out.push(this.#gate.fail(this.#gate.error('E403', `not a text record line: ${JSON.stringify(line.slice(0, 30))}`, { recordOffset: offset }), raw, offset));
          return;
        }
        repair(`malformed line ${JSON.stringify(line.slice(0, 30))}; dropped`);
        continue;
      }
      const rest = line.slice(7);
      const first = rest.charAt(0);
      const data = !isControlTag(tag) && (first === '$' || first === '‡' || first === this.#delimiter);
      if (!data) {
        fields.push(new ControlField(tag, rest));
        continue;
      }
      this.#delimiter ??= first;
      const subfields: Subfield[] = [];
      for (const piece of rest.slice(1).split(this.#delimiter)) subfields.push({ code: piece.charAt(0), value: piece.slice(1) });
      fields.push(new DataField(tag, line.charAt(4) || ' ', line.charAt(5) || ' ', subfields));
    }
    if (leader === null) repair('record has no LDR line; a default leader was used');
    else if (leader.length !== 24) {
      this.#gate.repair(errors, 'E002', Leader.lengthRepair(leader), { recordOffset: offset });
      leader = Leader.normalise(leader);
    }
    const record = new Record({ leader: leader ?? DEFAULT_LEADER, fields });
    out.push(this.#gate.ok(record, errors, raw, offset));
  }
}

/**
 * yaz's leader line: 24 characters, the first five digits (a record made in code says 00000; a
 * field line cannot look like this, as its fourth character is a blank).
 */
function isLeaderLine(line: string): boolean {
  return line.length === 24 && /^\d{5}/.test(line);
}

/** A data field line in yaz's style: tag, indicators, then `$` and a code with a blank after it. */
const YAZ_DATA_LINE = /^[^ ]{3} ..[ ]?\$[A-Za-z0-9] /;

function isYazStyle(lines: string[]): boolean {
  const first = lines[0] as string;
  if (isLeaderLine(first)) return true;
  if (lines.some((line) => line.startsWith('LDR'))) return false;
  const data = lines.find((line) => !isControlTag(line.slice(0, 3)));
  return data !== undefined && YAZ_DATA_LINE.test(data);
}

/**
 * A yaz-style field's subfields: each starts at `$`, a letter or digit and a blank (yaz's rule),
 * at the start or after a blank; the blank after the code and the one before the next `$` are
 * the writer's, not the value's. Text before the first is kept under an empty code (as the ISO
 * 2709 reader keeps it). A value that starts with `$1 ` is read as such (yaz splits it). The format
 * has no escape: a value holding ` $a ` elsewhere reads as two subfields, in yaz too.
 */
function yazSubfields(content: string): Subfield[] {
  const starts: number[] = [];
  // The last start kept, tracked apart: `starts[starts.length - 1]` on an empty array is a read at
  // index -1, which V8 looks up as the property "-1" on the slow path (a fifth of this function).
  let last = -4;
  for (let at = content.indexOf('$'); at >= 0; at = content.indexOf('$', at + 1)) {
    if (at > 0 && content.charCodeAt(at - 1) !== 0x20) continue;
    if (!isLetterOrDigit(content.charCodeAt(at + 1))) continue;
    // The blank after the code is required, at the end of the line too: `066    $c $1` holds "$1".
    if (content.charCodeAt(at + 2) !== 0x20) continue;
    // Right after a code and its blank it is the value's start (`$c $1 $c Zsym`, 066 of a CJK
    // record): an empty value is written with two blanks before the next `$`.
    if (at === last + 3) continue;
    starts.push(at);
    last = at;
  }
  const out: Subfield[] = [];
  const count = starts.length;
  // A value ends at the blank before the next start (none before a start at 0), or the line's end.
  const first = count > 0 ? (starts[0] as number) : content.length;
  if (first > 0) out.push({ code: '', value: content.slice(0, count > 0 ? first - 1 : first) });
  for (let k = 0; k < count; k++) {
    const at = starts[k] as number;
    const from = at + 3;
    const to = k + 1 < count ? (starts[k + 1] as number) - 1 : content.length;
    out.push({ code: content.charAt(at + 1), value: content.slice(from, Math.max(from, to)) });
  }
  return out;
}

function isLetterOrDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function readTextResults(input: TextChunk, options: TextReadOptions = {}): Iterable<ReadResult> {
  return { [Symbol.iterator]: () => runSync(new TextParser(options), input) };
}

export function readText(input: TextChunk, options: TextReadOptions = {}): Iterable<Record> {
  return { [Symbol.iterator]: () => recordsOf(runSync(new TextParser(options), input)) };
}
