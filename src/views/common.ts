/**
 * Shared pieces of the typed record views: the record-type check, coded fixed-field values and
 * subfield helpers that read without marking fields as edited.
 */

import { MarcError } from '../errors.js';
import type { DataField, Field } from '../record/field.js';
import type { Record } from '../record/record.js';
import { fieldsWhere } from '../query/scan.js';
import { describeLeaderValue } from '../record/leader-values.js';

/**
 * A record handed to a view or reader for a record type it is not (leader/06 says so). A
 * `MarcError` (E108) like every other error mrrc raises, so one `catch` handles them all.
 */
export class RecordTypeError extends MarcError {
  /** The leader/06 codes that were acceptable. */
  readonly expected: string[];
  /** The record's leader/06. */
  readonly found: string;

  constructor(record: Record, expected: readonly string[], what: string) {
    const found = record.leader.recordType;
    const origin = record.origin;
    const cn = record.getControlField('001')?.data;
    const name = describeLeaderValue(6, found, found) ?? 'not a MARC 21 record type';
    super('E108', `expected ${what} (leader/06 ${expected.map((c) => `'${c}'`).join(', ')}), but leader/06 is '${found}' (${name})`, {
      ...(origin?.recordIndex === undefined ? {} : { recordIndex: origin.recordIndex }),
      ...(origin?.recordOffset === undefined ? {} : { recordOffset: origin.recordOffset }),
      ...(cn === undefined ? {} : { controlNumber: cn }),
      source: 'views',
    });
    this.expected = [...expected];
    this.found = found;
  }
}

/** A coded position of a fixed field: the code as read and what MARC 21 calls it. */
export interface Coded {
  code: string;
  /** LC's label for the code; undefined when the code is not defined there. */
  label: string | undefined;
}

export type CodeTable = Readonly<{ [code: string]: string }>;

export function coded(data: string, position: number, length: number, table: CodeTable): Coded {
  const code = data.slice(position, position + length).padEnd(length, ' ');
  return { code, label: table[code] };
}

/** Every subfield as {code, value}, copied, so the field keeps its byte-for-byte state. */
export function subfieldsOf(field: DataField): { code: string; value: string }[] {
  return field.toJSON().subfields;
}

export function dataFields(record: Record, test: (tag: string) => boolean): DataField[] {
  return fieldsWhere(record, test).filter((f): f is DataField => f.isDataField());
}

export function firstValue(field: DataField, code: string): string | undefined {
  return field.get(code);
}

export function isDataField(field: Field): field is DataField {
  return field.isDataField();
}
