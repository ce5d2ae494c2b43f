/**
 * MARCXML element events → records, independent of the XML tokenizer that produces the events.
 *
 * Elements are matched by local name, so any prefix or none is accepted. A `record` is a MARC
 * record unless its namespace is a known envelope's (OAI-PMH, SRU), or it turns out to wrap another
 * `record` before holding any MARC content (an envelope we do not know). Everything outside MARC
 * records (collection, OAI-PMH and SRU wrappers) is walked through without comment.
 */

import { MarcError, type ErrorCode } from '../../errors.js';
import { ControlField, DataField, type Field, type Subfield } from '../../record/field.js';
import { DEFAULT_LEADER, Leader } from '../../record/leader.js';
import { Record } from '../../record/record.js';
import type { ReadResult } from '../../iso2709/reader.js';
import { DEFAULT_MAX_FIELDS, DEFAULT_MAX_SUBFIELDS, extraIndicators, type ModeGate } from '../common.js';

export const MARC_NS = 'http://www.loc.gov/MARC21/slim';

/** Namespaces whose `record` elements are envelopes, never MARC records. */
const ENVELOPE_NS = new Set([
  'http://www.openarchives.org/OAI/2.0/',
  'http://www.loc.gov/zing/srw/',
  'http://docs.oasis-open.org/ns/search-ws/sruResponse',
  'http://www.loc.gov/zing/srw/update/',
]);


/** Local names of the elements of a record's content. */
const MARC_CONTENT = new Set(['leader', 'controlfield', 'datafield', 'subfield']);
const NO_BYTES = new Uint8Array(0);

/**
 * A well-formedness error not built yet: the tokenizer can report one a character in a broken
 * stretch, and only the first of a stretch is ever shown (an Error's stack costs ~17 µs).
 */
type PendingError = () => MarcError;

/** Why a region or record was skipped: its first error, and how many more it held. */
interface Failure {
  error: MarcError;
  more: number;
}

const enum Capture {
  None,
  Leader,
  Control,
  Subfield,
}

interface OpenRecord {
  depth: number;
  start: number;
  leader: string | null;
  fields: Field[];
  errors: MarcError[];
  pending: [ErrorCode, string, string | undefined, string | undefined][];
  /** Set after an unrecoverable error in permissive mode: ignore the rest of this record. */
  dead: boolean;
  /** Why it is dead: reported at its end, with all its bytes. */
  failure: Failure | null;
  /** Comments among the record element's children (`Record.xmlComments`), or null. */
  comments: { before: number; text: string }[] | null;
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon);
}

export class MarcXmlBuilder {
  readonly #gate: ModeGate;
  readonly #maxDepth: number;
  readonly #out: ReadResult[] = [];
  #depth = 0;
  /** Namespace declarations in scope, innermost last: [depth, prefix, uri]. */
  readonly #ns: [number, string, string][] = [];
  #rec: OpenRecord | null = null;
  /** Depth of an element being skipped (unknown element in a record), or 0. */
  #skipUntil = 0;
  #field: DataField | null = null;
  #subfields: Subfield[] = [];
  #capture = Capture.None;
  #text = '';
  #tag = '';
  #code = '';
  #records = 0;
  #rootName = '';
  #rootNs = '';
  /** Whether an element other than a record stood under the root outside any record. */
  #strayElement = false;

  readonly #maxSize: number;

  readonly #maxFields: number;
  readonly #maxSubfields: number;
  /** Input byte offset of a stream offset (the stream offsets events carry are UTF-16 units). */
  readonly #byteAt: (at: number) => number;
  /** Stream offset where the last result's input ends: a skipped region starts there at the earliest. */
  #accounted = 0;

  constructor(gate: ModeGate, maxDepth: number, maxSize: number, limits: { maxFields?: number; maxSubfields?: number } = {}, byteAt: (at: number) => number = (at) => at) {
    this.#gate = gate;
    this.#byteAt = byteAt;
    this.#maxDepth = maxDepth;
    this.#maxSize = maxSize;
    this.#maxFields = limits.maxFields ?? DEFAULT_MAX_FIELDS;
    this.#maxSubfields = limits.maxSubfields ?? DEFAULT_MAX_SUBFIELDS;
  }

  #tooLarge(at: number): MarcError {
    return this.#gate.error('E008', `a record exceeds maxRecordSize (${this.#maxSize} characters)`, { recordOffset: this.#byteAt(at) });
  }

  get inRecord(): boolean {
    return this.#rec !== null;
  }

  get recordStart(): number {
    return this.#rec?.start ?? -1;
  }

  get depth(): number {
    return this.#depth;
  }

  /** Stream offset where the last result's input ends. */
  get accounted(): number {
    return this.#accounted;
  }

  /** Results completed since the last call. */
  take(): ReadResult[] {
    const out = this.#out.slice();
    this.#out.length = 0;
    return out;
  }

  // Problems wait for the record's end: a `record` that turns out to be an unknown envelope
  // (it wraps the real record) is dropped with its problems instead of failing in strict mode.
  #checkFields(count: number, start: number): void {
    if (count >= this.#maxFields) {
      throw this.#gate.error('E008', `a record has more than maxFields (${this.#maxFields}) fields`, { recordOffset: this.#byteAt(start) });
    }
  }

  #problem(code: ErrorCode, detail: string, tag?: string, subfieldCode?: string): void {
    const rec = this.#rec as OpenRecord;
    rec.pending.push([code, detail, tag, subfieldCode]);
  }

  #uri(prefix: string): string {
    for (let i = this.#ns.length - 1; i >= 0; i--) {
      const entry = this.#ns[i] as [number, string, string];
      if (entry[1] === prefix) return entry[2];
    }
    return prefix === 'xml' ? 'http://www.w3.org/XML/1998/namespace' : '';
  }

  /** An element opened. `start` is the stream offset of its '<', used for raw text and errors. */
  open(name: string, attrs: { [key: string]: string }, start: number, end = start): void {
    // Errors before this tag end at it; one inside it (a tag the tokenizer read past a defect)
    // takes the tag in, and the record it starts, if any.
    let inside: PendingError[] | null = null;
    if (this.#pendingErrors.length > 0) {
      // (The '<' itself is where the tokenizer reports text before it.)
      const first = this.#pendingAt.findIndex((at) => at > start + 1);
      if (first < 0) this.#flush(start);
      else if (this.#rec !== null || !this.#startsContent(name)) this.#flush(end);
      else {
        inside = this.#pendingErrors.splice(first);
        this.#pendingAt.length = first;
        this.#flush(start);
      }
    }
    const depth = ++this.#depth;
    if (depth > this.#maxDepth) {
      throw this.#gate.error('E008', `elements nest deeper than maxDepth (${this.#maxDepth})`, { recordOffset: this.#byteAt(start) });
    }
    const rec = this.#rec;
    if (rec !== null && (this.#skipUntil !== 0 || rec.dead)) return;
    // Hot path first: the elements of a record, in the order they are most common.
    const local = localName(name);
    if (rec !== null && this.#field !== null) {
      if (local === 'subfield' && this.#capture === Capture.None) {
        let code = attrs['code'];
        if (code === undefined) {
          this.#problem('E202', 'subfield without a code attribute; kept under an empty code', this.#tag);
          code = '';
        } else if (code.length !== 1) {
          this.#problem('E202', `subfield code ${JSON.stringify(code)} is not one character; kept as read`, this.#tag, code);
        }
        this.#code = code;
        this.#capture = Capture.Subfield;
        this.#text = '';
        return;
      }
      this.#unknown(name, depth);
      return;
    }
    if (rec !== null) {
      if (this.#capture !== Capture.None) {
        this.#unknown(name, depth);
        return;
      }
      switch (local) {
        case 'datafield': {
          const tag = this.#tagOf(attrs, 'datafield');
          const ind1 = this.#indicator(attrs['ind1'], 'ind1', tag);
          const ind2 = this.#indicator(attrs['ind2'], 'ind2', tag);
          this.#tag = tag;
          this.#subfields = [];
          const extra = extraIndicators((name) => attrs[name]);
          if (extra !== null) {
            this.#problem('E106', `datafield ${extra.detail}`, tag);
            if (extra.text !== '') this.#subfields.push({ code: '', value: extra.text });
          }
          this.#field = new DataField(tag, ind1, ind2, this.#subfields);
          return;
        }
        case 'controlfield':
          this.#tag = this.#tagOf(attrs, 'controlfield');
          this.#capture = Capture.Control;
          this.#text = '';
          return;
        case 'leader':
          if (rec.leader !== null) this.#problem('E002', 'record has more than one leader; the last one is kept');
          this.#capture = Capture.Leader;
          this.#text = '';
          return;
        case 'record':
          // A record inside a record: the outer one was an envelope we do not know, unless it
          // already held MARC content.
          if (rec.leader === null && rec.fields.length === 0) {
            this.#startRecord(depth, start);
            return;
          }
          this.#unknown(name, depth);
          return;
        default:
          this.#unknown(name, depth);
          return;
      }
    }
    // Outside records: follow namespaces, find records.
    for (const key in attrs) {
      if (key === 'xmlns') this.#ns.push([depth, '', attrs[key] as string]);
      else if (key.startsWith('xmlns:')) this.#ns.push([depth, key.slice(6), attrs[key] as string]);
    }
    if (depth === 1) {
      this.#rootName = local;
      this.#rootNs = this.#uri(prefixOf(name));
    } else if (inside === null && local !== 'record') {
      this.#strayElement = true;
    }
    if (inside !== null) {
      this.#startRecord(depth, start);
      const rec = this.#rec as OpenRecord;
      rec.dead = true;
      rec.failure = { error: (inside[0] as PendingError)(), more: inside.length - 1 };
    } else if (local === 'record') {
      if (!ENVELOPE_NS.has(this.#uri(prefixOf(name)))) this.#startRecord(depth, start);
    } else if (MARC_CONTENT.has(local)) {
      // A leader or field outside any record (a record element misspelt, or taken for an
      // envelope): a record read as nothing, so an error, whose region is this element.
      const error = this.#gate.error('E401', `<${name}> outside any MARC record`);
      if (this.#gate.mode !== 'permissive') this.#gate.fail(error, NO_BYTES, this.#byteAt(start));
      this.#startRecord(depth, start);
      const rec = this.#rec as OpenRecord;
      rec.dead = true;
      rec.failure = { error, more: 0 };
    }
  }

  /**
   * Whether `open(name, attrs)` now would start a MARC record: outside any record, a `record`
   * element whose namespace (declared on it, or in scope) is no envelope's. For the byte path.
   */
  startsRecord(name: string, attrs: { readonly [key: string]: string } | null): boolean {
    if (this.#rec !== null || localName(name) !== 'record') return false;
    const prefix = prefixOf(name);
    const declared = attrs?.[prefix === '' ? 'xmlns' : `xmlns:${prefix}`];
    return !ENVELOPE_NS.has(declared ?? this.#uri(prefix));
  }

  /** A record the byte path read whole: counted as `#endRecord` does. */
  recordRead(): void {
    this.#records++;
  }

  /** A result made elsewhere (the byte path, its input at stream offsets [start, end)), handed out in order with the others. */
  put(result: ReadResult, start: number, end: number): void {
    if (this.#pendingErrors.length > 0) this.#flush(start);
    this.#out.push(result);
    this.#accounted = end;
  }

  #startRecord(depth: number, start: number): void {
    this.#rec = { depth, start, leader: null, fields: [], errors: [], pending: [], dead: false, failure: null, comments: null };
    this.#field = null;
    this.#capture = Capture.None;
    this.#skipUntil = 0;
  }

  #unknown(name: string, depth: number): void {
    this.#problem('E401', `unexpected element <${name}> in a record; ignored`, this.#field !== null || this.#capture === Capture.Control ? this.#tag : undefined);
    this.#skipUntil = depth;
  }

  #tagOf(attrs: { [key: string]: string }, element: string): string {
    const tag = attrs['tag'];
    if (tag === undefined) {
      this.#problem('E106', `${element} without a tag attribute; read as tag "???"`);
      return '???';
    }
    if (tag.length === 3) return tag;
    if (tag.length < 3 && /^\d+$/.test(tag)) {
      const padded = tag.padStart(3, '0');
      this.#problem('E106', `tag ${JSON.stringify(tag)} is not 3 characters; read as ${padded}`, padded);
      return padded;
    }
    this.#problem('E106', `tag ${JSON.stringify(tag)} is not 3 characters; kept as read`, tag);
    return tag;
  }

  #indicator(value: string | undefined, which: string, tag: string): string {
    if (value === undefined) {
      this.#problem('E201', `datafield without an ${which} attribute; read as blank`, tag);
      return ' ';
    }
    if (value.length === 1) return value;
    const repaired = value.length === 0 ? ' ' : value.charAt(0);
    this.#problem('E201', `${which} ${JSON.stringify(value)} is not one character; read as ${JSON.stringify(repaired)}`, tag);
    return repaired;
  }

  /** An element closed. `end` is the stream offset just past its '>'; `raw` returns its text. */
  close(end: number, raw: (start: number, end: number) => () => Uint8Array): void {
    const depth = this.#depth--;
    while (this.#ns.length > 0 && (this.#ns[this.#ns.length - 1] as [number, string, string])[0] === depth) this.#ns.pop();
    const rec = this.#rec;
    if (rec === null) return;
    if (this.#skipUntil !== 0) {
      if (depth === this.#skipUntil) this.#skipUntil = 0;
      return;
    }
    if (end - rec.start > this.#maxSize) throw this.#tooLarge(rec.start);
    if (depth === rec.depth) {
      this.#endRecord(rec, end, raw);
      return;
    }
    if (rec.dead) return;
    switch (this.#capture) {
      case Capture.Subfield:
        if (this.#subfields.length >= this.#maxSubfields) {
          throw this.#gate.error('E008', `a field has more than maxSubfields (${this.#maxSubfields}) subfields`, { tag: this.#tag, recordOffset: this.#byteAt(rec.start) });
        }
        this.#subfields.push({ code: this.#code, value: this.#text });
        this.#capture = Capture.None;
        return;
      case Capture.Control:
        this.#checkFields(rec.fields.length, rec.start);
        rec.fields.push(new ControlField(this.#tag, this.#text));
        this.#capture = Capture.None;
        return;
      case Capture.Leader:
        rec.leader = this.#text;
        this.#capture = Capture.None;
        return;
      default:
        if (this.#field !== null) {
          this.#checkFields(rec.fields.length, rec.start);
          rec.fields.push(this.#field);
          this.#field = null;
        }
    }
  }

  /**
   * A comment (its text between `<!--` and `-->`): kept for the record when it is one of the
   * record element's own children (not inside a field, the leader or a skipped element).
   */
  comment(text: string): void {
    const rec = this.#rec;
    if (rec === null || rec.dead || this.#depth !== rec.depth) return;
    (rec.comments ??= []).push({ before: rec.fields.length, text });
  }

  text(text: string): void {
    if (text.length > this.#maxSize) throw this.#tooLarge(this.#rec?.start ?? 0);
    if (this.#capture !== Capture.None) {
      if (this.#skipUntil === 0) this.#text = this.#text === '' ? text : this.#text + text;
      return;
    }
    const rec = this.#rec;
    if (rec === null || rec.dead || this.#skipUntil !== 0) return;
    if (isBlank(text)) return;
    this.#problem('E401', `text ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)} outside any field; ignored`, this.#field !== null ? this.#tag : undefined);
  }

  #endRecord(rec: OpenRecord, end: number, raw: (start: number, end: number) => () => Uint8Array): void {
    this.#rec = null;
    this.#field = null;
    this.#capture = Capture.None;
    this.#accounted = end;
    const recordOffset = this.#byteAt(rec.start);
    if (rec.dead) {
      if (rec.failure !== null) this.#fail(rec.failure, raw, rec.start, end);
      return;
    }
    // The leader's repair first, as a record reads (and as ISO 2709 reports it); then the fields'.
    let leader = rec.leader;
    if (leader === null) {
      this.#gate.repair(rec.errors, 'E002', 'record has no leader; a default leader was used', { recordOffset });
      leader = DEFAULT_LEADER;
    } else if (leader.length !== 24) {
      this.#gate.repair(rec.errors, 'E002', Leader.lengthRepair(leader), { recordOffset });
      leader = Leader.normalise(leader);
    }
    for (const [code, detail, tag, subfieldCode] of rec.pending) this.#gate.repair(rec.errors, code, detail, { tag, subfieldCode, recordOffset });
    const record = new Record({ leader, fields: rec.fields });
    if (rec.comments !== null) record.xmlComments = rec.comments;
    this.#records++;
    this.#out.push(this.#gate.ok(record, rec.errors, raw(rec.start, end), recordOffset));
  }

  /**
   * A well-formedness error from the tokenizer at stream offset `at`. Strict and lenient mode:
   * thrown. Permissive: the record it falls in is skipped (reported when it ends, with all its
   * bytes) and reading goes on where the tokenizer can. Outside a record, the skipped region runs
   * from the last result (or the earliest offset still kept, `from`) to the next tag (or the end
   * of the input), the tokenizer's position being inside a token, not after it: the error waits
   * for that (`#flush`), and errors in a row share the region (`#fail`).
   */
  fatal(error: PendingError, at: number, from: number, raw: (start: number, end: number) => () => Uint8Array): void {
    const rec = this.#rec;
    if (rec !== null && rec.dead) return;
    if (this.#gate.mode !== 'permissive') this.#gate.fail(error(), NO_BYTES, this.#byteAt(rec === null ? at : rec.start));
    if (rec !== null) {
      rec.dead = true;
      rec.failure = { error: error(), more: 0 };
      this.#field = null;
      this.#capture = Capture.None;
      this.#skipUntil = 0;
      return;
    }
    if (this.#pendingErrors.length === 0) this.#accounted = Math.max(this.#accounted, from);
    this.#pendingErrors.push(error);
    this.#pendingAt.push(at);
    this.#pendingRaw = raw;
  }

  /**
   * Errors outside records waiting for the next tag, and where the tokenizer reported them. They
   * make one region: where in a run of bad markup the tokenizer reports what depends on where
   * the chunks were cut, but not which tags it finds.
   */
  readonly #pendingErrors: PendingError[] = [];
  readonly #pendingAt: number[] = [];
  #pendingRaw: ((start: number, end: number) => () => Uint8Array) | null = null;

  /** Whether errors wait for the next tag's start (`markup`). */
  get pending(): boolean {
    return this.#pendingErrors.length > 0;
  }

  /** A tag at stream offsets [start, end) that starts no element (an end tag): waiting errors end at it, or past it when inside it. */
  markup(start: number, end: number): void {
    if (this.#pendingErrors.length > 0) this.#flush(this.#pendingAt.some((at) => at > start + 1) ? end : start);
  }

  /** Whether an element `name` opened here, outside records, would start a record (or a dead one). */
  #startsContent(name: string): boolean {
    const local = localName(name);
    return local === 'record' || MARC_CONTENT.has(local);
  }

  #flush(until: number): void {
    const errors = this.#pendingErrors;
    const raw = this.#pendingRaw as (start: number, end: number) => () => Uint8Array;
    const start = this.#accounted;
    const end = Math.max(until, start);
    if (errors.length > 0) this.#fail({ error: (errors[0] as PendingError)(), more: errors.length - 1 }, raw, start, end);
    errors.length = 0;
    this.#pendingAt.length = 0;
    this.#pendingRaw = null;
    this.#accounted = end;
  }

  /**
   * A skipped region, stream offsets [start, end): one skipped result, the first error found in it
   * standing for its bytes and saying how many more the tokenizer reported there. (Which comes
   * first may depend on the chunking, where the region and the count do not.) One result per
   * error was a flood: saxes, lost in a broken prolog, reported 16,221 errors in a 16 KB file,
   * one a character, and a default read stopped at maxErrors (E099) with that many results.
   */
  #fail(failure: Failure, raw: (start: number, end: number) => () => Uint8Array, start: number, end: number): void {
    const error = failure.more === 0 ? failure.error : moreInRegion(failure.error, failure.more);
    this.#out.push(this.#gate.fail(error, raw(start, end), this.#byteAt(start)));
  }

  /**
   * A MARC `<collection>` with nothing in it: what writing no records gives (the schema allows it),
   * so it reads as no records. One holding other elements and no record is still an error.
   */
  #isEmptyCollection(): boolean {
    return this.#rootName === 'collection' && this.#rootNs === MARC_NS && !this.#strayElement;
  }

  /** End of input: a record still open is truncated; a document without records is an error. */
  finish(at: number, raw: (start: number, end: number) => () => Uint8Array): void {
    if (this.#pendingErrors.length > 0) this.#flush(at);
    const rec = this.#rec;
    if (rec !== null) {
      this.#rec = null;
      const failure = rec.failure ?? (rec.dead ? null : { error: this.#gate.error('E401', 'input ended inside a record'), more: 0 });
      if (failure !== null) this.#fail(failure, raw, rec.start, at);
      return;
    }
    if (this.#records === 0 && this.#gate.skipped === 0 && !isEnvelopeRoot(this.#rootName, this.#rootNs) && !this.#isEmptyCollection()) {
      const detail = this.#rootName === '' ? 'no XML element in the input' : `no MARC record element in <${this.#rootName}>`;
      this.#out.push(this.#gate.fail(this.#gate.error('E401', detail), raw(0, 0), 0));
    }
  }
}

/** A response wrapper that may legitimately hold no records (an empty OAI-PMH list, zero SRU hits). */
function isEnvelopeRoot(local: string, ns: string): boolean {
  return ENVELOPE_NS.has(ns) || local === 'OAI-PMH' || local === 'searchRetrieveResponse';
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** `first`, its detail saying how many more errors its region held. */
function moreInRegion(first: MarcError, more: number): MarcError {
  const { code, message, severity, ...context } = first.toJSON();
  return new MarcError(code, `${message} (and ${more} more XML ${more === 1 ? 'error' : 'errors'} in the same stretch)`, context, { severity });
}
