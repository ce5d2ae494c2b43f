/**
 * The plain `{leader, fields}` shape of @natlibfi/marc-record (`Record#toJSON`), as a format:
 * control fields `{tag, value}`, data fields `{tag, ind1, ind2, subfields: [{code, value}]}`.
 * Read as one document, an array, JSON Lines or objects one after another; written likewise.
 */

import { MarcError } from '../../errors.js';
import { ControlField, DataField, type Field, type Subfield } from '../../record/field.js';
import { Record } from '../../record/record.js';
import { recordsOf, runSync, wellFormedText, writeAll, type ReadResult, type TextChunk } from '../common.js';
import { JsonRecordParser, NotARecord, leaderOf, type JsonConverter, type JsonReadOptions } from '../marcjson/reader.js';
import { JsonLayoutWriter, type JsonWriteOptions } from '../marcjson/writer.js';

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const plainJsonToRecord: JsonConverter = (value, repair) => {
  if (!isObject(value)) throw new NotARecord('a record must be an object');
  const list = value['fields'];
  if (!Array.isArray(list)) throw new NotARecord(list === undefined ? 'record has no "fields" array' : '"fields" is not an array');
  const leader = leaderOf(value, repair);
  const fields: Field[] = [];
  for (const f of list) {
    if (!isObject(f) || typeof f['tag'] !== 'string') {
      repair('E403', 'a field is not an object with a string "tag"; dropped');
      continue;
    }
    const tag = f['tag'];
    if (tag.length !== 3) repair('E106', `tag ${JSON.stringify(tag)} is not 3 characters; kept as read`, tag);
    const subs = f['subfields'];
    if (Array.isArray(subs)) {
      const subfields: Subfield[] = [];
      for (const sf of subs) {
        if (!isObject(sf) || typeof sf['code'] !== 'string') {
          repair('E403', 'a subfield is not an object with a string "code"; dropped', tag);
          continue;
        }
        const v = sf['value'];
        if (typeof v !== 'string') repair('E403', `subfield $${sf['code']} has no string value; read as ${v === undefined || v === null ? 'empty' : 'text'}`, tag);
        subfields.push({ code: sf['code'], value: typeof v === 'string' ? wellFormedText(v, 'E403', `subfield $${sf['code']}`, tag, repair) : v === undefined || v === null ? '' : String(v) });
      }
      fields.push(new DataField(tag, indicator(f['ind1'], 'ind1', tag, repair), indicator(f['ind2'], 'ind2', tag, repair), subfields));
    } else {
      const v = f['value'];
      if (typeof v !== 'string') repair('E403', `field ${tag} has neither subfields nor a string value; read as empty`, tag);
      fields.push(new ControlField(tag, typeof v === 'string' ? wellFormedText(v, 'E403', 'control field value', tag, repair) : ''));
    }
  }
  return new Record({ leader, fields });
};

function indicator(value: unknown, which: string, tag: string, repair: (code: 'E201', detail: string, tag?: string) => void): string {
  if (typeof value === 'string' && value.length === 1) return value;
  const s = value === undefined || value === null ? '' : String(value);
  const repaired = s.length === 0 ? ' ' : s.charAt(0);
  repair('E201', `${which} ${value === undefined ? 'missing' : JSON.stringify(value)}; read as ${JSON.stringify(repaired)}`, tag);
  return repaired;
}

export class PlainJsonParser extends JsonRecordParser {
  constructor(options: JsonReadOptions = {}) {
    super(plainJsonToRecord, 'E403', 'plain-json', options);
  }
}

export function readPlainJsonResults(input: TextChunk, options: JsonReadOptions = {}): Iterable<ReadResult> {
  return { [Symbol.iterator]: () => runSync(new PlainJsonParser(options), input) };
}

export function readPlainJson(input: TextChunk, options: JsonReadOptions = {}): Iterable<Record> {
  return { [Symbol.iterator]: () => recordsOf(runSync(new PlainJsonParser(options), input)) };
}

export class PlainJsonWriter extends JsonLayoutWriter {
  constructor(options: JsonWriteOptions = {}) {
    super((record) => record.toJSON(), { layout: 'array', ...options });
  }
}

/** One record as a document, or many (default: a JSON array, as @natlibfi/marc-record-serializers writes). */
export function toPlainJson(records: Record | Iterable<Record>, options: JsonWriteOptions = {}): string {
  if (records instanceof Record) return JSON.stringify(records.toJSON(), null, options.indent);
  return writeAll(new PlainJsonWriter(options), records);
}

export function parsePlainJson(input: TextChunk, options: JsonReadOptions = {}): Record {
  for (const record of readPlainJson(input, options)) return record;
  throw new MarcError('E403', 'no record in the input', { source: 'plain-json' });
}
