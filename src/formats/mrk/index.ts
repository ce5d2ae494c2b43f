/**
 * MARCMaker / MarcEdit mnemonic text (.mrk): `=LDR  leader`, `=001  data`, `=245  10$aTitle`.
 *
 * Blanks in control fields and indicators are written `\`; `$` in data is `{dollar}`; other
 * characters may be written as mnemonics (`{eacute}`, `{1B}`). Two text forms exist:
 * - UTF-8 (MarcEdit's default for leader/09 'a'): characters as themselves, mnemonics allowed.
 * - MARC-8 mnemonic (MARCMaker's own): ASCII only; every byte of the MARC-8 record that is not
 *   printable ASCII is a mnemonic. Read by mapping mnemonics to MARC-8 bytes and decoding.
 * Records are separated by a blank line (a new `=LDR` also starts one).
 */

import { MarcError } from '../../errors.js';
import { ControlField, DataField, isControlTag, type Field, type Subfield } from '../../record/field.js';
import { DEFAULT_LEADER, Leader } from '../../record/leader.js';
import { Record } from '../../record/record.js';
import { decodeMarc8, encodeMarc8 } from '../../encoding/marc8/index.js';
import type { DecodeProblem } from '../../encoding/charset.js';
import { CUT_SHORT, DeferredStop, PARSER_SLICE, ModeGate, TextBytes, recordsOf, runSync, writeAll, type FormatReadOptions, type ReadResult, type RecordParser, type RecordWriter, type TextChunk } from '../common.js';
import { BYTE_MNEMONIC, mnemonicBytes } from './mnemonics.js';
import type { ErrorCode, MarcErrorContext } from '../../errors.js';
import { ByteSink } from '../../util/byte-sink.js';
import { isAsciiString, utf8 } from '../../util/bytes.js';
import { writeRawFields } from '../raw-fields.js';
import { MrkLines } from './bytes.js';

export type MrkEncoding = 'auto' | 'utf-8' | 'marc-8';

export interface MrkReadOptions extends FormatReadOptions {
  /**
   * 'auto' (default): a record whose leader/09 is 'a', or whose text has non-ASCII characters, is
   * read as UTF-8 text; otherwise as MARC-8 mnemonic text. 'utf-8' / 'marc-8' force one form.
   */
  encoding?: MrkEncoding;
}

export interface MrkWriteOptions {
  /** 'auto' (default): UTF-8 text when leader/09 is 'a', MARC-8 mnemonic text otherwise. */
  encoding?: MrkEncoding;
  /** Blanks in the leader: kept as spaces (default, as marc4j and pymarc) or written `\` (MarcEdit). */
  leaderBlanks?: 'space' | 'backslash';
  /** Line ending (default '\n'). */
  newline?: '\n' | '\r\n';
  /**
   * Copy fields read from UTF-8 or ASCII ISO 2709 and never changed straight from their source
   * bytes, escaping as they go (default true), for `write` as well as `writeTo`. false builds every
   * field's strings: the same output, slower; it is the reference the byte path is tested against.
   */
  bytePath?: boolean;
}

interface PendingRecord {
  lines: { text: string; line: number }[];
  /** Stream offsets (characters) of its first line and of the end of its last line's line end. */
  offset: number;
  end: number;
  start: number;
}

export class MrkParser implements RecordParser {
  readonly #decoder = new TextBytes();
  readonly #gate: ModeGate;
  readonly #encoding: MrkEncoding;
  readonly #stop = new DeferredStop();
  #carry = '';
  /** Stream offset (characters) of the first character of `#carry`. */
  #offset = 0;
  #line = 0;
  #rec: PendingRecord | null = null;
  #ended = false;

  constructor(options: MrkReadOptions = {}) {
    this.#gate = new ModeGate(options, 'mrk');
    this.#encoding = options.encoding ?? 'auto';
  }

  push(chunk: TextChunk): ReadResult[] {
    if (chunk.length > PARSER_SLICE) return this.#stop.sliced(chunk, (slice) => this.push(slice));
    const out: ReadResult[] = [];
    return this.#stop.run(() => {
      if (this.#ended) throw new MarcError('E007', 'push() after end()', { source: 'mrk' });
      const text = this.#carry + this.#decoder.decode(chunk);
      let at = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
        const line = text.slice(at, nl > at && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl);
        this.#lineIn(line, this.#offset, this.#offset + nl + 1 - at, out);
        this.#offset += nl + 1 - at;
        at = nl + 1;
      }
      this.#carry = text.slice(at);
      this.#decoder.release(this.#rec?.offset ?? this.#offset);
      return out;
    }, () => out);
  }

  end(): ReadResult[] {
    const out: ReadResult[] = [];
    return this.#stop.run(() => {
      if (this.#ended) return out;
      this.#ended = true;
      const rest = this.#carry + this.#decoder.flush();
      if (rest.length > 0) this.#lineIn(rest.endsWith('\r') ? rest.slice(0, -1) : rest, this.#offset, this.#offset + rest.length, out);
      this.#flush(out, rest.trim() !== '');
      return out;
    }, () => out);
  }

  /** A line, with the stream offsets of its start and of the end of its line end. */
  #lineIn(line: string, from: number, to: number, out: ReadResult[]): void {
    this.#line++;
    if (line.trim() === '') {
      // Blank lines separate records and belong to none.
      this.#flush(out);
      return;
    }
    if (line.startsWith('=LDR') && this.#rec !== null) this.#flush(out);
    if (this.#rec === null) this.#rec = { lines: [], offset: from, end: to, start: this.#line };
    this.#rec.lines.push({ text: line, line: this.#line });
    this.#rec.end = to;
  }

  /** `cut`: the input ended inside the record's last line (see CUT_SHORT). */
  #flush(out: ReadResult[], cut = false): void {
    const rec = this.#rec;
    if (rec === null) return;
    this.#rec = null;
    // The record's own bytes, from its first line to its last line's end.
    const raw = this.#decoder.raw(rec.offset, rec.end);
    const offset = this.#decoder.byteAt(rec.offset);
    try {
      const errors: MarcError[] = [];
      const repair: Repair = (code, detail, context) => this.#gate.repair(errors, code, detail, { recordOffset: offset, ...context });
      if (cut) repair('E005', CUT_SHORT, { line: rec.start + rec.lines.length - 1 });
      const record = parseMrkLines(rec.lines, this.#encoding, repair);
      out.push(this.#gate.ok(record, errors, raw, offset));
    } catch (e) {
      if (!(e instanceof Unreadable)) throw e;
      out.push(this.#gate.fail(this.#gate.error('E403', e.message, { line: e.line, recordOffset: offset }), raw, offset));
    }
  }
}

class Unreadable extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

type Repair = (code: ErrorCode, detail: string, context?: MarcErrorContext) => void;

function parseMrkLines(lines: { text: string; line: number }[], encoding: MrkEncoding, repair: Repair): Record {
  // Join continuation lines (lines not starting with '=') to the field before them.
  const fieldLines: { text: string; line: number }[] = [];
  for (const l of lines) {
    if (l.text.startsWith('=')) fieldLines.push({ ...l });
    else if (fieldLines.length > 0) {
      repair('E403', 'a line that does not start with "=" was joined to the field before it', { line: l.line });
      (fieldLines[fieldLines.length - 1] as { text: string }).text += l.text;
    } else throw new Unreadable(`line does not start with "=": ${JSON.stringify(l.text.slice(0, 30))}`, l.line);
  }
  let leader: string | null = null;
  let leaderLine = 0;
  const parsed: { tag: string; body: string; line: number }[] = [];
  for (const l of fieldLines) {
    // `=TAG  body`: the tag's three characters, one blank, an optional second one (tested by hand:
    // the regular expression that did it took 6–9% of the reader's time in a CPU profile).
    const text = l.text;
    if (text.length < 5 || text.charCodeAt(4) !== 0x20) {
      repair('E403', `malformed line ${JSON.stringify(text.slice(0, 30))}; dropped`, { line: l.line });
      continue;
    }
    const tag = text.slice(1, 4);
    const body = text.slice(text.charCodeAt(5) === 0x20 ? 6 : 5);
    if (tag === 'LDR') {
      leader = body;
      leaderLine = l.line;
    } else parsed.push({ tag, body, line: l.line });
  }
  let leaderText: string;
  if (leader === null) {
    repair('E002', 'record has no =LDR line; a default leader was used');
    leaderText = DEFAULT_LEADER;
  } else {
    leaderText = leader.replaceAll('\\', ' ');
    if (leaderText.length !== 24) {
      repair('E002', Leader.lengthRepair(leaderText), { line: leaderLine });
      leaderText = Leader.normalise(leaderText);
    }
  }
  const marc8 = encoding === 'marc-8' || (encoding === 'auto' && leaderText.charAt(9) !== 'a' && fieldLines.every((l) => isAscii(l.text)));
  const decode = marc8 ? marc8Text : utf8Text;
  const fields: Field[] = [];
  // One reporter for the record, told which field it is in, rather than a closure made per field.
  let tag = '';
  let line = 0;
  const report: Repair = (code, detail, context) => repair(code, detail, { tag, line, ...context });
  for (const field of parsed) {
    tag = field.tag;
    line = field.line;
    const body = field.body;
    if (isControlTag(tag)) {
      fields.push(new ControlField(tag, decode(body.replaceAll('\\', ' '), report)));
      continue;
    }
    const ind1 = blank(body.charAt(0));
    const ind2 = blank(body.charAt(1));
    if (body.length < 2) report('E201', 'indicators missing; read as blanks');
    const subfields: Subfield[] = [];
    // Subfields by `indexOf` rather than `split('$')`, whose array of pieces cost a fifth of the
    // reader's time.
    let at = body.indexOf('$', 2);
    const first = at < 0 ? body.slice(2) : body.slice(2, at);
    if (first !== '') {
      report('E106', 'text before the first $ is kept under an empty code');
      subfields.push({ code: '', value: decode(first, report) });
    }
    while (at >= 0) {
      const next = body.indexOf('$', at + 1);
      const end = next < 0 ? body.length : next;
      if (end === at + 1) {
        report('E202', '"$" with no subfield code; read as an empty subfield with an empty code');
        subfields.push({ code: '', value: '' });
      } else {
        const codeLength = (body.codePointAt(at + 1) as number) > 0xffff ? 2 : 1;
        subfields.push({ code: body.slice(at + 1, at + 1 + codeLength), value: decode(body.slice(at + 1 + codeLength, end), report) });
      }
      at = next;
    }
    fields.push(new DataField(tag, ind1, ind2, subfields));
  }
  return new Record({ leader: leaderText, fields });
}

function blank(c: string): string {
  return c === '\\' || c === '' ? ' ' : c;
}

function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[^\x00-\x7f]/.test(text);
}

const MNEMONIC = /\{([A-Za-z0-9]{1,12})\}/g;

/** UTF-8 form: characters as themselves; each mnemonic becomes its character. */
function utf8Text(value: string, repair: Repair): string {
  if (value.indexOf('{') < 0) return value;
  let out = '';
  let last = 0;
  // MARC-8 puts a combining mark before its base character, Unicode after: marks from mnemonics
  // wait here for the next character.
  let marks = '';
  const emit = (text: string): void => {
    if (text === '') return;
    if (marks === '') {
      out += text;
      return;
    }
    const n = (text.codePointAt(0) as number) > 0xffff ? 2 : 1;
    out += (text.slice(0, n) + marks).normalize('NFC') + text.slice(n);
    marks = '';
  };
  MNEMONIC.lastIndex = 0;
  for (let m = MNEMONIC.exec(value); m !== null; m = MNEMONIC.exec(value)) {
    const bytes = mnemonicBytes(m[1] as string);
    if (bytes === undefined) {
      repair('E403', `unknown mnemonic {${m[1]}}; kept as written`);
      continue;
    }
    emit(value.slice(last, m.index));
    last = m.index + m[0].length;
    const c = bytes.charCodeAt(0);
    if (bytes.length === 1 && c >= 0xe0 && c <= 0xfe) {
      // Decoded over a placeholder base, the mark is what follows the base.
      marks += decodeMarc8Bytes(bytes + 'x', repair).normalize('NFD').slice(1);
      continue;
    }
    emit(decodeMarc8Bytes(bytes, repair));
  }
  emit(value.slice(last));
  return out + marks;
}

/** MARC-8 mnemonic form: ASCII plus mnemonics are MARC-8 bytes; decode them as a whole. */
function marc8Text(value: string, repair: Repair): string {
  let bytes = value;
  if (value.indexOf('{') >= 0) {
    bytes = value.replace(MNEMONIC, (whole, name: string) => {
      const b = mnemonicBytes(name);
      if (b === undefined) {
        repair('E403', `unknown mnemonic {${name}}; kept as written`);
        return whole;
      }
      return b;
    });
  }
  // eslint-disable-next-line no-control-regex
  if (!/[^\x20-\x7e]/.test(bytes) && !bytes.includes('&#x')) return bytes;
  return decodeMarc8Bytes(bytes, repair);
}

function decodeMarc8Bytes(latin1: string, repair: Repair): string {
  const bytes = new Uint8Array(latin1.length);
  for (let i = 0; i < latin1.length; i++) bytes[i] = latin1.charCodeAt(i) & 0xff;
  const problems: DecodeProblem[] = [];
  const text = decodeMarc8(bytes, undefined, problems);
  for (const p of problems) repair(p.code, p.message);
  return text;
}

export class MrkWriter implements RecordWriter {
  readonly #encoding: MrkEncoding;
  readonly #leaderBlanks: 'space' | 'backslash';
  readonly #nl: string;
  readonly #bytePath: boolean;
  #count = 0;
  /** The byte path in each form (see bytes.ts). */
  readonly #utf8Lines: MrkLines;
  readonly #marc8Lines: MrkLines;
  /** `write`'s buffer for the byte path, kept between records. */
  #scratch: ByteSink | null = null;

  constructor(options: MrkWriteOptions = {}) {
    this.#encoding = options.encoding ?? 'auto';
    this.#leaderBlanks = options.leaderBlanks ?? 'space';
    this.#nl = options.newline ?? '\n';
    this.#bytePath = options.bytePath !== false;
    this.#utf8Lines = new MrkLines(this.#nl, true, (field) => fieldLine(field, utf8Mnemonic));
    this.#marc8Lines = new MrkLines(this.#nl, false, (field) => fieldLine(field, marc8Mnemonic));
  }

  begin(): string {
    return '';
  }

  write(record: Record): string {
    // The byte path and one decode: a fraction of building the lines from field strings.
    const scratch = (this.#scratch ??= new ByteSink(1 << 14));
    scratch.length = 0;
    if (this.#writeBytes(record, scratch)) return utf8(scratch.bytes, 0, scratch.length);
    return this.#writeText(record);
  }

  /**
   * `write(record)` as UTF-8 appended to `sink`: the same bytes, but fields read from UTF-8 or
   * ASCII ISO 2709 and never changed are copied from their source bytes.
   */
  writeTo(record: Record, sink: ByteSink): void {
    if (!this.#writeBytes(record, sink)) sink.text(this.#writeText(record));
  }

  end(): string {
    return '';
  }

  /** The record's head: the blank line before every record but the first, and the leader's line. */
  #head(leader: string): string {
    const nl = this.#nl;
    return `${this.#count++ === 0 ? '' : nl}=LDR  ${this.#leaderBlanks === 'space' ? leader : leader.replaceAll(' ', '\\')}${nl}`;
  }

  #isMarc8(leader: string): boolean {
    return this.#encoding === 'marc-8' || (this.#encoding === 'auto' && leader.charAt(9) !== 'a');
  }

  #writeText(record: Record): string {
    const nl = this.#nl;
    const leader = record.leader.value;
    const text = this.#isMarc8(leader) ? marc8Mnemonic : utf8Mnemonic;
    let out = this.#head(leader);
    for (const field of record.fields as Field[]) out += fieldLine(field, text) + nl;
    return out;
  }

  /** The record through the byte path; false (and `sink` and the record count as they were) when it needs the strings. */
  #writeBytes(record: Record, sink: ByteSink): boolean {
    if (!this.#bytePath) return false;
    const leader = record.leader.value;
    if (!isAsciiString(leader)) return false;
    const mark = sink.length;
    const count = this.#count;
    sink.ascii(this.#head(leader));
    if (writeRawFields(sink, this.#isMarc8(leader) ? this.#marc8Lines : this.#utf8Lines, record)) return true;
    sink.length = mark;
    this.#count = count;
    return false;
  }
}

/** A field's line, without its line end, with `text` writing values in the record's form. */
function fieldLine(field: Field, text: (value: string, control: boolean) => string): string {
  if (field.isControlField()) return `=${field.tag}  ${text(field.data, true)}`;
  let line = `=${field.tag}  ${indicator(field.ind1)}${indicator(field.ind2)}`;
  for (const sf of field.subfieldList()) line += (sf.code === '' ? '' : '$' + text(sf.code, false)) + text(sf.value, false);
  return line;
}

function indicator(ind: string): string {
  return ind === ' ' || ind === '' ? '\\' : ind === '\\' ? '{bsol}' : ind === '$' ? '{dollar}' : ind;
}

/** UTF-8 form: only the characters with a meaning in the line syntax, and controls, become mnemonics. */
function utf8Mnemonic(value: string, control: boolean): string {
  // eslint-disable-next-line no-control-regex
  if (!/[$\\{}\x00-\x1f\x7f ]/.test(value)) return value;
  let out = '';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch === ' ') out += control ? '\\' : ' ';
    else if (ch === '$') out += '{dollar}';
    else if (ch === '\\') out += '{bsol}';
    else if (ch === '{') out += '{lcub}';
    else if (ch === '}') out += '{rcub}';
    else if (c < 0x20 || c === 0x7f) out += `{${c.toString(16).toUpperCase().padStart(2, '0')}}`;
    else out += ch;
  }
  return out;
}

/** MARC-8 mnemonic form: the text as MARC-8 bytes, every non-printable-ASCII byte a mnemonic. */
function marc8Mnemonic(value: string, control: boolean): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x21-\x23\x25-\x5b\x5d-\x7a\x7c\x7e]/.test(value)) return value;
  const bytes = encodeMarc8(value);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x20) out += control ? '\\' : ' ';
    else if (b > 0x20 && b < 0x7f && b !== 0x24 && b !== 0x5c && b !== 0x7b && b !== 0x7d) out += String.fromCharCode(b);
    else {
      const name = BYTE_MNEMONIC.get(b);
      out += name !== undefined ? `{${name}}` : `{${b.toString(16).toUpperCase().padStart(2, '0')}}`;
    }
  }
  return out;
}

export function readMrkResults(input: TextChunk, options: MrkReadOptions = {}): Iterable<ReadResult> {
  return { [Symbol.iterator]: () => runSync(new MrkParser(options), input) };
}

export function readMrk(input: TextChunk, options: MrkReadOptions = {}): Iterable<Record> {
  return { [Symbol.iterator]: () => recordsOf(runSync(new MrkParser(options), input)) };
}

export function toMrk(records: Record | Iterable<Record>, options: MrkWriteOptions = {}): string {
  return writeAll(new MrkWriter(options), records instanceof Record ? [records] : records);
}
