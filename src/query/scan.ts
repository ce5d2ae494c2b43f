/**
 * Reading every field of a lazily parsed record without marking it as possibly edited.
 *
 * `record.fields` hands out the live array, so a record whose fields were listed that way is no
 * longer written back byte for byte. Queries, linkage reports and validation only read, so they
 * use `Record.getFieldsWhere(test)` (one tag comparison per directory entry, fields built only
 * when they match) when the record class has it, and fall back to `record.fields` otherwise.
 */

import type { Field } from '../record/field.js';
import type { Record } from '../record/record.js';

interface LazyScan {
  getFieldsWhere(test: (tag: string) => boolean): Field[];
}

const ALL = (): boolean => true;

/** Fields whose tag passes `test`, in record order. */
export function fieldsWhere(record: Record, test: (tag: string) => boolean = ALL): Field[] {
  const scan = (record as unknown as Partial<LazyScan>).getFieldsWhere;
  if (typeof scan === 'function') return scan.call(record, test);
  const out: Field[] = [];
  for (const field of record.fields) if (test(field.tag)) out.push(field);
  return out;
}

/** True when `Record.getFieldsWhere` exists, i.e. wildcard queries keep records untouched. */
export function hasLazyScan(record: Record): boolean {
  return typeof (record as unknown as Partial<LazyScan>).getFieldsWhere === 'function';
}
