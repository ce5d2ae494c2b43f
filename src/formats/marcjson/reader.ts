/**
 * MARC-in-JSON (the LC / Ross Singer shape read and written by pymarc, ruby-marc, marc4j and yaz):
 * `{"leader": "…", "fields": [{"001": "…"}, {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": "…"}]}}]}`.
 *
 * Accepts one document, a JSON array of records, JSON Lines, or records one after another.
 */

import { MarcError, type ErrorCode } from '../../errors.js';
import { ControlField, DataField, type Field, type Subfield } from '../../record/field.js';
import { DEFAULT_LEADER, Leader } from '../../record/leader.js';
import { Record } from '../../record/record.js';
import { DeferredStop, PARSER_SLICE, extraIndicators, ModeGate, TextBytes, recordsOf, runSync, wellFormedText, type FormatReadOptions, type ReadResult, type RecordParser, type TextChunk } from '../common.js';
import { MarcJsonFastPath } from './fast.js';
import { JsonObjectScanner, type JsonFastPath, type JsonProblem, type JsonSlice } from './scanner.js';

export interface JsonReadOptions extends FormatReadOptions {
  /** Largest record in characters (default 16 MiB). */
  maxRecordSize?: number;
}


/** Turns one parsed JSON object into a record, reporting repairs through `repair`. */
export type JsonConverter = (value: unknown, repair: (code: ErrorCode, detail: string, tag?: string) => void) => Record;

/** The incremental reader shared by the JSON formats; they differ only in the converter. */
export class JsonRecordParser implements RecordParser {
  readonly #decoder = new TextBytes();
  readonly #scanner: JsonObjectScanner;
  readonly #gate: ModeGate;
  readonly #convert: JsonConverter;
  readonly #code: ErrorCode;
  readonly #stop = new DeferredStop();
  #ended = false;

  /** `fast` reads the objects it can straight to records (values of the converter's type, never repaired). */
  constructor(convert: JsonConverter, code: ErrorCode, source: string, options: JsonReadOptions = {}, fast: JsonFastPath | null = null) {
    this.#convert = convert;
    this.#code = code;
    this.#gate = new ModeGate(options, source);
    this.#scanner = new JsonObjectScanner(options.maxRecordSize ?? 16 * 1024 * 1024, fast);
  }

  push(chunk: TextChunk): ReadResult[] {
    if (chunk.length > PARSER_SLICE) return this.#stop.sliced(chunk, (slice) => this.push(slice));
    this.#stop.check();
    if (this.#ended) throw new MarcError('E007', 'push() after end()', { source: this.#gate.source });
    const text = this.#decoder.decode(chunk);
    if (text.length === 0) return [];
    return this.#scan((slices, problems) => this.#scanner.push(text, slices, problems));
  }

  end(): ReadResult[] {
    this.#stop.check();
    if (this.#ended) return [];
    this.#ended = true;
    return this.#scan((slices, problems) => {
      const rest = this.#decoder.flush();
      if (rest.length > 0) this.#scanner.push(rest, slices, problems);
      this.#scanner.end(problems);
    });
  }

  /** The results of what `scan` finds; objects found before a scanner error are still read. */
  #scan(scan: (slices: JsonSlice[], problems: JsonProblem[]) => void): ReadResult[] {
    const slices: JsonSlice[] = [];
    const problems: JsonProblem[] = [];
    let stop: unknown = null;
    try {
      scan(slices, problems);
    } catch (e) {
      stop = e instanceof RangeError ? this.#gate.error('E008', e.message) : e;
    }
    const out: ReadResult[] = [];
    try {
      this.#results(slices, problems, out);
    } catch (e) {
      return this.#stop.hold(e, out);
    }
    return stop === null ? out : this.#stop.hold(stop, out);
  }

  #results(slices: JsonSlice[], problems: JsonProblem[], out: ReadResult[]): void {
    // Problems and objects are both in stream order; merge them by offset. Offsets and raw bytes
    // are the input's bytes, not the decoded text's characters.
    let p = 0;
    for (const slice of slices) {
      while (p < problems.length && (problems[p] as JsonProblem).offset < slice.offset) out.push(this.#problem(problems[p++] as JsonProblem));
      out.push(this.#record(slice));
    }
    while (p < problems.length) out.push(this.#problem(problems[p++] as JsonProblem));
    this.#decoder.release(this.#scanner.retained);
  }

  #problem(problem: JsonProblem): ReadResult {
    const offset = this.#decoder.byteAt(problem.offset);
    const error = this.#gate.error(this.#code, problem.detail, { recordOffset: offset });
    return this.#gate.fail(error, this.#decoder.raw(problem.offset, problem.offset + problem.length), offset);
  }

  #record(slice: JsonSlice): ReadResult {
    const offset = this.#decoder.byteAt(slice.offset);
    const raw = this.#decoder.raw(slice.offset, slice.offset + slice.text.length);
    // A fast-path record needed no repair (it gives up on anything a repair would change).
    if (slice.value !== undefined) return this.#gate.ok(slice.value as Record, NO_ERRORS, raw, offset, slice.unescaped === true);
    let value: unknown;
    try {
      value = JSON.parse(slice.text);
    } catch (e) {
      const error = this.#gate.error(this.#code, `malformed JSON: ${(e as Error).message}`, { recordOffset: offset });
      return this.#gate.fail(error, raw, offset);
    }
    const errors: MarcError[] = [];
    let record: Record;
    try {
      record = this.#convert(value, (code, detail, tag) => this.#gate.repair(errors, code, detail, { tag, recordOffset: offset }));
    } catch (e) {
      if (!(e instanceof NotARecord)) throw e;
      return this.#gate.fail(this.#gate.error(this.#code, e.message, { recordOffset: offset }), raw, offset);
    }
    return this.#gate.ok(record, errors, raw, offset);
  }
}

/** Read only by `ModeGate.ok` (it copies from it when non-empty), so one shared instance serves. */
const NO_ERRORS: MarcError[] = [];

/** Thrown by a converter for an object that cannot be a record at all. */
export class NotARecord extends Error {}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function leaderOf(value: { [key: string]: unknown }, repair: (code: ErrorCode, detail: string) => void): string {
  const leader = value['leader'];
  if (typeof leader === 'string') {
    if (leader.length === 24) return leader;
    repair('E002', Leader.lengthRepair(leader));
    return Leader.normalise(leader);
  }
  repair('E002', leader === undefined ? 'record has no leader; a default leader was used' : 'leader is not a string; a default leader was used');
  return DEFAULT_LEADER;
}

function text(value: unknown, what: string, tag: string, repair: (code: ErrorCode, detail: string, tag?: string) => void): string {
  if (typeof value === 'string') return wellFormedText(value, 'E402', what, tag, repair);
  repair('E402', `${what} is ${value === null ? 'null' : typeof value}, not a string; ${value === undefined || value === null ? 'read as empty' : 'converted'}`, tag);
  return value === undefined || value === null ? '' : String(value);
}

function indicator(value: unknown, which: string, tag: string, repair: (code: ErrorCode, detail: string, tag?: string) => void): string {
  if (typeof value === 'string' && value.length === 1) return value;
  if (value === undefined) {
    repair('E201', `field without ${which}; read as blank`, tag);
    return ' ';
  }
  const s = typeof value === 'string' ? value : String(value);
  const repaired = s.length === 0 ? ' ' : s.charAt(0);
  repair('E201', `${which} ${JSON.stringify(value)} is not one character; read as ${JSON.stringify(repaired)}`, tag);
  return repaired;
}

/** MARC-in-JSON object → record. */
export const marcJsonToRecord: JsonConverter = (value, repair) => {
  if (!isObject(value)) throw new NotARecord('a MARC-in-JSON record must be an object');
  const fieldsValue = value['fields'];
  if (!Array.isArray(fieldsValue)) throw new NotARecord(fieldsValue === undefined ? 'record has no "fields" array' : '"fields" is not an array');
  const leader = leaderOf(value, repair);
  const fields: Field[] = [];
  for (const entry of fieldsValue) {
    if (!isObject(entry)) {
      repair('E402', 'a field is not an object; dropped');
      continue;
    }
    const keys = Object.keys(entry);
    if (keys.length !== 1) {
      repair('E402', `a field object has ${keys.length} keys, not one (its tag); ${keys.length === 0 ? 'dropped' : 'each key read as a field'}`);
    }
    for (const tag of keys) {
      const body = entry[tag];
      if (tag.length !== 3) repair('E106', `tag ${JSON.stringify(tag)} is not 3 characters; kept as read`, tag);
      if (!isObject(body)) {
        fields.push(new ControlField(tag, text(body, 'control field value', tag, repair)));
        continue;
      }
      const ind1 = indicator(body['ind1'], 'ind1', tag, repair);
      const ind2 = indicator(body['ind2'], 'ind2', tag, repair);
      const list = body['subfields'];
      const subfields: Subfield[] = [];
      const extra = extraIndicators((name) => body[name]);
      if (extra !== null) {
        repair('E106', `field ${extra.detail}`, tag);
        if (extra.text !== '') subfields.push({ code: '', value: extra.text });
      }
      // Every other key is reported: an ind5 after a missing ind4 too, which extraIndicators stops before.
      const extraKeys = extra?.count ?? 0;
      for (const key in body) {
        if (key === 'subfields' || key === 'ind1' || key === 'ind2') continue;
        if (/^ind[3-9]$/.test(key) && Number(key.charAt(3)) <= 2 + extraKeys) continue;
        repair('E402', `field ${tag} has a key ${JSON.stringify(key)}, which MARC-in-JSON does not have; ignored`, tag);
      }
      if (!Array.isArray(list)) {
        repair('E402', `field ${tag} has no "subfields" array; read with none`, tag);
      } else {
        for (const sf of list) {
          if (!isObject(sf)) {
            repair('E402', 'a subfield is not an object; dropped', tag);
            continue;
          }
          const codes = Object.keys(sf);
          if (codes.length !== 1) repair('E402', `a subfield object has ${codes.length} keys, not one`, tag);
          for (const code of codes) {
            if (code.length !== 1) repair('E202', `subfield code ${JSON.stringify(code)} is not one character; kept as read`, tag);
            subfields.push({ code, value: text(sf[code], `subfield $${code}`, tag, repair) });
          }
        }
      }
      fields.push(new DataField(tag, ind1, ind2, subfields));
    }
  }
  return new Record({ leader, fields });
};

export class MarcJsonParser extends JsonRecordParser {
  constructor(options: JsonReadOptions = {}) {
    super(marcJsonToRecord, 'E402', 'marcjson', options, new MarcJsonFastPath());
  }
}

export function readMarcJsonResults(input: TextChunk, options: JsonReadOptions = {}): Iterable<ReadResult> {
  return { [Symbol.iterator]: () => runSync(new MarcJsonParser(options), input) };
}

export function readMarcJson(input: TextChunk, options: JsonReadOptions = {}): Iterable<Record> {
  return { [Symbol.iterator]: () => recordsOf(runSync(new MarcJsonParser(options), input)) };
}

/** A record from MARC-in-JSON text or an already parsed object. */
export function parseMarcJson(input: TextChunk | object, options: JsonReadOptions = {}): Record {
  if (typeof input === 'object' && !(input instanceof Uint8Array)) {
    return marcJsonFromObject(input, options);
  }
  for (const record of readMarcJson(input, options)) return record;
  throw new MarcError('E402', 'no MARC-in-JSON record in the input', { source: 'marcjson' });
}

/** A record from a parsed MARC-in-JSON object, with the reader's mode rules. */
export function marcJsonFromObject(value: object, options: FormatReadOptions = {}): Record {
  const gate = new ModeGate(options, 'marcjson');
  const errors: MarcError[] = [];
  try {
    const record = marcJsonToRecord(value, (code, detail, tag) => gate.repair(errors, code, detail, { tag }));
    record.errors.push(...errors);
    return record;
  } catch (e) {
    if (e instanceof NotARecord) throw gate.error('E402', e.message);
    throw e;
  }
}
