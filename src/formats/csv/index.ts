/**
 * CSV export: one row per subfield (record index, 001, tag, ind1, ind2, code, value), or with
 * `perField: true` one row per field with the subfields joined as `$a…$b…`. Control fields fill
 * the same columns with empty indicators and code. Quoting is csv-stringify's (RFC 4180).
 */

import { stringify } from 'csv-stringify/sync';
import { Record } from '../../record/record.js';
import type { Field } from '../../record/field.js';
import { writeAll, type RecordWriter } from '../common.js';

export interface CsvWriteOptions {
  /** One row per field instead of per subfield. */
  perField?: boolean;
  /** Write the header row (default true). */
  header?: boolean;
  /** Field delimiter (default ','). */
  delimiter?: string;
  /** Subfield delimiter in per-field rows (default '$'). */
  subfieldDelimiter?: string;
}

export const CSV_COLUMNS = ['record', '001', 'tag', 'ind1', 'ind2', 'code', 'value'] as const;
export const CSV_FIELD_COLUMNS = ['record', '001', 'tag', 'ind1', 'ind2', 'value'] as const;

export class CsvWriter implements RecordWriter {
  readonly #options: CsvWriteOptions;
  #index = 0;

  constructor(options: CsvWriteOptions = {}) {
    this.#options = options;
  }

  begin(): string {
    if (this.#options.header === false) return '';
    return stringify([this.#options.perField === true ? [...CSV_FIELD_COLUMNS] : [...CSV_COLUMNS]], this.#stringifyOptions());
  }

  #stringifyOptions(): { delimiter?: string; record_delimiter: 'unix' } {
    return this.#options.delimiter === undefined ? { record_delimiter: 'unix' } : { delimiter: this.#options.delimiter, record_delimiter: 'unix' };
  }

  write(record: Record): string {
    const index = String(this.#index++);
    const control = record.get('001');
    const id = control !== undefined && control.isControlField() ? control.data : '';
    const rows: string[][] = [];
    const perField = this.#options.perField === true;
    const delimiter = this.#options.subfieldDelimiter ?? '$';
    for (const field of record.fields as Field[]) {
      if (field.isControlField()) {
        rows.push(perField ? [index, id, field.tag, '', '', field.data] : [index, id, field.tag, '', '', '', field.data]);
        continue;
      }
      if (perField) {
        let value = '';
        for (const sf of field.subfieldList()) value += delimiter + sf.code + sf.value;
        rows.push([index, id, field.tag, field.ind1, field.ind2, value]);
        continue;
      }
      for (const sf of field.subfieldList()) rows.push([index, id, field.tag, field.ind1, field.ind2, sf.code, sf.value]);
    }
    return rows.length === 0 ? '' : stringify(rows, this.#stringifyOptions());
  }

  end(): string {
    return '';
  }
}

export function toCsv(records: Record | Iterable<Record>, options: CsvWriteOptions = {}): string {
  return writeAll(new CsvWriter(options), records instanceof Record ? [records] : records);
}
