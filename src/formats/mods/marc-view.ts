/**
 * A read-only, flat view of a record for the crosswalks: leader, control fields and data fields
 * in record order, as the stylesheets see a MARCXML record. Built once per conversion so the
 * many XPath-like selections of the ports are plain array scans.
 */

import type { Record } from '../../record/record.js';
import type { Subfield } from '../../record/field.js';

export interface MarcDataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: readonly Subfield[];
}

export interface MarcControlField {
  tag: string;
  data: string;
}

export interface MarcView {
  leader: string;
  controlfields: MarcControlField[];
  datafields: MarcDataField[];
  /** The first 008, or ''. */
  cf008: string;
}

export function marcView(record: Record): MarcView {
  const controlfields: MarcControlField[] = [];
  const datafields: MarcDataField[] = [];
  let cf008: string | null = null;
  for (const f of record.fields) {
    if (f.isControlField()) {
      controlfields.push({ tag: f.tag, data: f.data });
      if (cf008 === null && f.tag === '008') cf008 = f.data;
    } else {
      datafields.push({ tag: f.tag, ind1: f.ind1, ind2: f.ind2, subfields: f.subfieldList() });
    }
  }
  // A leader the reader had to invent (E002: the input had none) is no leader to LC's
  // stylesheets, which see an empty string.
  const invented = record.hasErrors && record.errors.some((e) => e.code === 'E002');
  return { leader: invented ? '' : record.leader.value, controlfields, datafields, cf008: cf008 ?? '' };
}

/**
 * MARC21slimUtils' subfieldSelect: the values of the subfields whose code is in `codes`, each
 * followed by the delimiter, less the last delimiter.
 */
export function subfieldSelect(f: MarcDataField, codes: string, delimiter = ' '): string {
  let s = '';
  for (const sf of f.subfields) if (codes.includes(sf.code)) s += sf.value + delimiter;
  // substring($str, 1, string-length($str) - string-length($delimeter)) on an empty string is ''.
  return s.length === 0 ? '' : s.substring(0, s.length - delimiter.length);
}
