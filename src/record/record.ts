/**
 * A MARC record: a leader and one ordered list of fields.
 *
 * Field order is the record's own order and is never regrouped by tag. Records read from
 * ISO 2709 are lazy: the builder hands over the directory as integers and fields are built on
 * first access, one at a time for `get(tag)` or all at once for `fields`.
 */

import { Leader } from './leader.js';
import { ControlField, DataField, isControlTag, type Field, type FieldSource, type Subfield } from './field.js';
import type { MarcError } from '../errors.js';
import * as accessors from './accessors.js';
import { toMarc, type WriteOptions } from '../iso2709/writer.js';
import { query as runQuery, type CompiledQuery } from '../query/compile.js';
import { linkedFields as linked } from '../linkage/linkage.js';

/** Builds field `index` of a lazily parsed record; supplied by the ISO 2709 builder. */
export interface LazyFields {
  readonly count: number;
  /** The source entries decode from (for writers' copy decisions). */
  readonly source: FieldSource;
  /** Content range of entry `index` in the source bytes (indicators included, terminator not). */
  startOf(index: number): number;
  endOf(index: number): number;
  /** Offset of entry `index`'s 3 tag bytes in the source bytes. */
  tagOffsetOf(index: number): number;
  tagAt(index: number): string;
  /** True when entry `index`'s tag matches the 3 chars of `tag` (no string built). */
  tagEquals(index: number, tag: string): boolean;
  build(index: number): Field;
}

/** What the reader knows about where a record came from; used for errors and passthrough. */
export interface RecordOrigin {
  /** The record's bytes as read. */
  raw: Uint8Array;
  /** Encoding the bytes were decoded with ('utf-8', 'marc-8', …). */
  encoding: string;
  /** True when the whole record is ASCII. */
  ascii: boolean;
  /** The leader as read, to tell whether it was changed since. */
  leader: string;
  /** True when the raw bytes are a well-formed record that may be written back as is. */
  clean: boolean;
  recordIndex?: number;
  recordOffset?: number;
}

export interface PlainControlField {
  tag: string;
  value: string;
}

export interface PlainDataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

/** The `{leader, fields}` shape of @natlibfi/marc-record. */
export interface PlainRecord {
  leader: string;
  fields: (PlainControlField | PlainDataField)[];
}

export type FieldSpec = string | RegExp;

export class Record {
  /**
   * XML comments that were children of the MARCXML `record` element, in document order; set by
   * the MARCXML reader only on a record that had some (absent otherwise). `text` is what stood
   * between `<!--` and `-->`. `before` is the index in `fields` (as read) of the field the comment
   * precedes, `fields.length` for one after the last field. The leader is an element but not a
   * field: a comment before the first field has `before` 0 whether it stands before or after the
   * leader. Comments inside a field or the leader, and outside the record, are not kept. Nothing
   * updates `before` when fields are added or removed later. (Declared only: records without
   * comments carry no property.)
   */
  declare xmlComments?: { before: number; text: string }[];

  #leader: Leader | null;
  #errors: MarcError[] | null;
  #fields: Field[] | null;
  #lazy: LazyFields | null;
  #slots: (Field | undefined)[] | null;
  #origin: RecordOrigin | null;
  /** The directory-backed source the field list was built from, to tell whether it still is that. */
  #builtFrom: LazyFields | null = null;

  constructor(init: { leader?: Leader | string; fields?: Field[] } = {}) {
    this.#leader = init.leader === LAZY_LEADER ? null : init.leader instanceof Leader ? init.leader : new Leader(init.leader);
    this.#fields = init.fields === LAZY_FIELDS ? null : (init.fields ?? []);
    this.#lazy = null;
    this.#slots = null;
    this.#origin = null;
    this.#errors = null;
  }

  /**
   * @internal Used by the ISO 2709 builder. The leader, the errors list and the field slots are
   * created on first use: a record that is only counted or passed through allocates none of them.
   */
  static fromLazy(lazy: LazyFields, origin: RecordOrigin, errors: MarcError[] | null): Record {
    const record = new Record({ leader: LAZY_LEADER, fields: LAZY_FIELDS });
    record.#lazy = lazy;
    record.#origin = origin;
    record.#errors = errors;
    return record;
  }

  get leader(): Leader {
    if (this.#leader === null) this.#leader = new Leader((this.#origin as RecordOrigin).leader);
    return this.#leader;
  }

  /** A Leader, or its 24 characters as a string (as pymarc takes); anything else throws (new Leader checks). */
  set leader(leader: Leader | string) {
    this.#leader = leader instanceof Leader ? leader : new Leader(leader);
  }

  /**
   * @internal For writers: the source's leader bytes while no Leader object was made (so it
   * cannot have changed). Writers set leader/09 for what they write anyway.
   */
  unbuiltLeaderBytes(): Uint8Array | null {
    return this.#leader === null && this.#origin !== null ? this.#origin.raw.subarray(0, 24) : null;
  }

  /** Repairs and problems found while reading (lenient and permissive modes). */
  get errors(): MarcError[] {
    if (this.#errors === null) this.#errors = [];
    return this.#errors;
  }

  set errors(errors: MarcError[]) {
    this.#errors = errors;
  }

  /** True when reading found nothing to report (cheaper than `errors.length === 0`). */
  get hasErrors(): boolean {
    return this.#errors !== null && this.#errors.length > 0;
  }

  /** Where the record was read from, when it was read (raw bytes, index, offset, encoding). */
  get origin(): RecordOrigin | null {
    return this.#origin;
  }

  /** The record's bytes as read, or null for a record built in code. */
  get raw(): Uint8Array | null {
    return this.#origin?.raw ?? null;
  }

  /**
   * All fields in record order. This is the live array: push, splice and sort it freely.
   */
  get fields(): Field[] {
    if (this.#fields === null) this.#materialise();
    return this.#fields as Field[];
  }

  set fields(fields: Field[]) {
    this.#fields = fields;
    this.#lazy = null;
    this.#slots = null;
    this.#builtFrom = null;
  }

  #materialise(): void {
    const lazy = this.#lazy as LazyFields;
    const slots = this.#slots ?? new Array<Field | undefined>(lazy.count);
    for (let i = 0; i < lazy.count; i++) if (slots[i] === undefined) slots[i] = lazy.build(i);
    this.#fields = slots as Field[];
    this.#slots = null;
    this.#lazy = null;
    this.#builtFrom = lazy;
  }

  #slot(index: number): Field {
    const slots = (this.#slots ??= new Array<Field | undefined>((this.#lazy as LazyFields).count));
    let field = slots[index];
    if (field === undefined) {
      field = (this.#lazy as LazyFields).build(index);
      slots[index] = field;
    }
    return field;
  }

  /**
   * @internal True when no field has been handed out in a form that could have been changed and
   * the leader is as read: a writer may then copy the raw bytes.
   */
  isUntouched(): boolean {
    const origin = this.#origin;
    if (origin === null || !origin.clean) return false;
    if (this.#leader !== null && this.#leader.value !== origin.leader) return false;
    // Every field built (by reading `fields`) but none changed, added, removed or moved: reading
    // a record must not change what writing it gives (the source's bytes, as for one never read).
    if (this.#fields !== null) return this.#builtFrom !== null && fieldsAsRead(this.#fields, this.#builtFrom);
    if (this.#lazy === null) return false;
    const slots = this.#slots;
    if (slots === null) return true;
    for (let i = 0; i < slots.length; i++) {
      const field = slots[i];
      if (field === undefined) continue;
      if (!field.isPristine()) return false;
      if (field.tag !== this.#lazy.tagAt(i)) return false;
    }
    return true;
  }

  /**
   * @internal For writers: while the fields were never all built, the directory-backed source
   * and the slots built so far, so untouched fields can be copied without building them.
   */
  lazyView(): { lazy: LazyFields; slots: readonly (Field | undefined)[] | null } | null {
    if (this.#fields !== null || this.#lazy === null) return null;
    return { lazy: this.#lazy, slots: this.#slots };
  }

  /** Number of fields, without building them. */
  get fieldCount(): number {
    return this.#fields === null ? (this.#lazy as LazyFields).count : this.#fields.length;
  }

  /** The first field with `tag`, or undefined. */
  get(tag: string): Field | undefined {
    if (this.#fields === null) {
      const lazy = this.#lazy as LazyFields;
      for (let i = 0; i < lazy.count; i++) if (lazy.tagEquals(i, tag)) return this.#slot(i);
      return undefined;
    }
    for (const field of this.#fields) if (field.tag === tag) return field;
    return undefined;
  }

  /** The first data field with `tag` (control fields skipped), for code that needs subfields. */
  getDataField(tag: string): DataField | undefined {
    const field = this.get(tag);
    if (field !== undefined && field.isDataField()) return field;
    for (const f of this.getFields(tag)) if (f.isDataField()) return f;
    return undefined;
  }

  /** The first control field with `tag`. */
  getControlField(tag: string): ControlField | undefined {
    const field = this.get(tag);
    return field !== undefined && field.isControlField() ? field : undefined;
  }

  /**
   * Fields matching any of `specs`, in record order. A spec is a tag ('245'), a pattern where
   * 'X', 'x' or '.' matches any character ('6XX', '65.'), or a RegExp tested against the tag.
   * With no specs, every field.
   */
  getFields(...specs: FieldSpec[]): Field[] {
    if (specs.length === 0) return this.fields.slice();
    const out: Field[] = [];
    if (this.#fields === null && specs.every((s) => typeof s === 'string' && !hasWildcard(s))) {
      const lazy = this.#lazy as LazyFields;
      for (let i = 0; i < lazy.count; i++) {
        for (const spec of specs) {
          if (lazy.tagEquals(i, spec as string)) {
            out.push(this.#slot(i));
            break;
          }
        }
      }
      return out;
    }
    const matchers = specs.map(tagMatcher);
    for (const field of this.fields) if (matchers.some((m) => m(field.tag))) out.push(field);
    return out;
  }

  /** Fields whose tag passes `test`, in record order, building only those (queries use it). */
  getFieldsWhere(test: (tag: string) => boolean): Field[] {
    if (this.#fields !== null) return this.#fields.filter((f) => test(f.tag));
    const lazy = this.#lazy as LazyFields;
    const out: Field[] = [];
    for (let i = 0; i < lazy.count; i++) if (test(lazy.tagAt(i))) out.push(this.#slot(i));
    return out;
  }

  /** MARCspec query (docs/query.md): the values the spec selects, e.g. `record.query('650$a')`. */
  query(spec: string | CompiledQuery): string[] {
    return runQuery(this, spec);
  }

  /** The fields linked to `field` through $6 (its 880 counterparts, or the regular field of an 880). */
  linkedFields(field: Field): DataField[] {
    return linked(this, field);
  }

  /** Data fields matching `specs` (control fields dropped), typed for subfield access. */
  getDataFields(...specs: FieldSpec[]): DataField[] {
    return this.getFields(...specs).filter((f): f is DataField => f.isDataField());
  }

  /** The values of subfields `codes` of every field matching `tag` (pymarc get_subfields on records). */
  getSubfieldValues(tag: FieldSpec, ...codes: string[]): string[] {
    const out: string[] = [];
    for (const field of this.getFields(tag)) if (field.isDataField()) out.push(...field.getAll(...codes));
    return out;
  }

  /** The first value of `tag` $`code`, or undefined. */
  getValue(tag: string, code?: string): string | undefined {
    if (code === undefined) return this.get(tag)?.value();
    for (const field of this.getFields(tag)) {
      if (!field.isDataField()) continue;
      const value = field.get(code);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Appends fields at the end, in the order given. */
  addField(...fields: Field[]): this {
    this.fields.push(...fields);
    return this;
  }

  /** Inserts each field before the first field with a greater tag (pymarc add_ordered_field). */
  addOrderedField(...fields: Field[]): this {
    for (const field of fields) insertSorted(this.fields, field, (t) => t);
    return this;
  }

  /** Inserts each field after the last field of its hundred (pymarc add_grouped_field). */
  addGroupedField(...fields: Field[]): this {
    for (const field of fields) insertSorted(this.fields, field, (t) => t.charAt(0));
    return this;
  }

  /** Inserts a field at `index` in record order. */
  insertField(index: number, field: Field): this {
    this.fields.splice(index, 0, field);
    return this;
  }

  /** Removes the given field objects (pymarc remove_field). Throws for a field not in the record. */
  removeField(...fields: Field[]): this {
    const list = this.fields;
    for (const field of fields) {
      const index = list.indexOf(field);
      if (index < 0) throw new RangeError(`field ${field.tag} is not in this record`);
      list.splice(index, 1);
    }
    return this;
  }

  /** Removes every field matching `specs`; returns how many went. */
  removeFields(...specs: FieldSpec[]): number {
    const matchers = specs.map(tagMatcher);
    const list = this.fields;
    let kept = 0;
    for (const field of list) if (!matchers.some((m) => m(field.tag))) list[kept++] = field;
    const removed = list.length - kept;
    list.length = kept;
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<Field> {
    yield* this.fields;
  }

  /** Every field built and decoded now, so decoding problems surface here rather than later. */
  decodeAll(): this {
    for (const field of this.fields) {
      if (field.isControlField()) void field.data;
      else field.getAll();
    }
    return this;
  }

  /**
   * The record as ISO 2709 bytes; an untouched record comes back byte for byte as read (its source
   * bytes themselves: treat the result as read-only).
   */
  toMarc(options?: WriteOptions): Uint8Array {
    return toMarc(this, options);
  }

  toJSON(): PlainRecord {
    return {
      leader: this.leader.value,
      fields: this.fields.map((f) => f.toJSON()),
    };
  }

  /**
   * The record a `toJSON()` shape describes. The shape is checked as it is read: anything that is
   * not that shape is a `TypeError` naming where it is (`fields[3].subfields[1].value`), and a
   * leader that is not 24 characters a `RangeError`, rather than a record that fails later in a
   * writer. Missing indicators are blanks. `readPlainJson` reads the same shape leniently.
   */
  static fromJSON(data: PlainRecord): Record {
    const shape = (where: string, what: string, found: unknown): TypeError =>
      new TypeError(`Record.fromJSON: ${where} should be ${what}, not ${found === null ? 'null' : typeof found === 'string' ? JSON.stringify(found) : Array.isArray(found) ? 'an array' : typeof found}`);
    if (typeof data !== 'object' || data === null) throw shape('the record', 'an object', data);
    if (typeof data.leader !== 'string') throw shape('leader', 'a string', data.leader);
    if (!Array.isArray(data.fields)) throw shape('fields', 'an array', data.fields);
    const fields: Field[] = data.fields.map((f, i) => {
      const at = `fields[${i}]`;
      if (typeof f !== 'object' || f === null) throw shape(at, 'an object', f);
      if (typeof f.tag !== 'string') throw shape(`${at}.tag`, 'a string', f.tag);
      if ('subfields' in f && f.subfields !== undefined) {
        if (!Array.isArray(f.subfields)) throw shape(`${at}.subfields`, 'an array', f.subfields);
        const ind = (which: 'ind1' | 'ind2'): string => {
          const v: unknown = f[which];
          if (v === undefined) return ' ';
          if (typeof v !== 'string' || v.length !== 1) throw shape(`${at}.${which}`, 'one character', v);
          return v;
        };
        const subfields = f.subfields.map((sf, k) => {
          if (typeof sf !== 'object' || sf === null) throw shape(`${at}.subfields[${k}]`, 'an object', sf);
          if (typeof sf.code !== 'string') throw shape(`${at}.subfields[${k}].code`, 'a string', sf.code);
          if (typeof sf.value !== 'string') throw shape(`${at}.subfields[${k}].value`, 'a string', sf.value);
          return { code: sf.code, value: sf.value };
        });
        return new DataField(f.tag, ind('ind1'), ind('ind2'), subfields);
      }
      const value: unknown = (f as PlainControlField).value;
      if (typeof value !== 'string') throw shape(`${at}.value`, 'a string (or the field needs "subfields")', value);
      return new ControlField(f.tag, value);
    });
    return new Record({ leader: data.leader, fields });
  }

  clone(): Record {
    const copy = new Record({ leader: this.leader.clone(), fields: this.fields.map((f) => f.clone()) });
    // The BIBFRAME crosswalk reads them (LC's converter mints identifiers from them).
    if (this.xmlComments !== undefined) copy.xmlComments = this.xmlComments.map((c) => ({ ...c }));
    return copy;
  }

  /** The record as yaz-marcdump's line format (leader, then one line per field). */
  toString(): string {
    const lines = [this.leader.value];
    for (const field of this.fields) lines.push(field.dumpLine());
    return lines.join('\n') + '\n';
  }

  // pymarc's convenience accessors; the exact rule for each is documented in accessors.ts.
  get title(): string | undefined { return accessors.title(this); }
  get author(): string | undefined { return accessors.author(this); }
  get uniformTitle(): string | undefined { return accessors.uniformTitle(this); }
  get isbn(): string | undefined { return accessors.isbn(this); }
  get isbns(): string[] { return accessors.isbns(this); }
  get issn(): string | undefined { return accessors.issn(this); }
  get issnTitle(): string | undefined { return accessors.issnTitle(this); }
  get publisher(): string | undefined { return accessors.publisher(this); }
  get pubyear(): string | undefined { return accessors.pubyear(this); }
  get subjects(): Field[] { return accessors.subjects(this); }
  get notes(): Field[] { return accessors.notes(this); }
  get series(): Field[] { return accessors.series(this); }
  get physicalDescription(): Field[] { return accessors.physicalDescription(this); }
  get location(): Field[] { return accessors.location(this); }
  get addedEntries(): Field[] { return accessors.addedEntries(this); }
  get sudoc(): string | undefined { return accessors.sudoc(this); }
}

/** Whether `fields` are the entries of `lazy`, in order, each pristine under its own tag. */
function fieldsAsRead(fields: readonly Field[], lazy: LazyFields): boolean {
  if (fields.length !== lazy.count) return false;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as Field;
    if (field.tag !== lazy.tagAt(i) || !holdsEntry(field, lazy, i)) return false;
  }
  return true;
}

/**
 * @internal Whether `field` is still entry `index` of `lazy` as read: pristine, its range that
 * entry's (its tag may have been changed since).
 */
export function holdsEntry(field: Field, lazy: LazyFields, index: number): boolean {
  const range = field.sourceRange();
  return range !== null && range.src === lazy.source && range.start === lazy.startOf(index) && range.end === lazy.endOf(index);
}

/** '6XX', '65.', 'X00': digits and wildcards only, so local tags such as 'TXT' stay literal. */
const LAZY_LEADER = '\0lazy-leader';
const LAZY_FIELDS: Field[] = [];

function hasWildcard(spec: string): boolean {
  return spec.length !== 3 || (/[Xx.]/.test(spec) && /^[0-9Xx.]{3}$/.test(spec));
}

function tagMatcher(spec: FieldSpec): (tag: string) => boolean {
  if (spec instanceof RegExp) return (tag) => spec.test(tag);
  if (!hasWildcard(spec)) return (tag) => tag === spec;
  if (spec.length !== 3) throw new RangeError(`tag pattern ${JSON.stringify(spec)} must be 3 characters`);
  const pattern = new RegExp(`^${spec.replace(/[Xx.]/g, '.').replace(/[^\w.]/g, '\\$&')}$`);
  return (tag) => pattern.test(tag);
}

function insertSorted(list: Field[], field: Field, key: (tag: string) => string): void {
  const k = key(field.tag);
  let i = 0;
  while (i < list.length && key((list[i] as Field).tag) <= k) i++;
  list.splice(i, 0, field);
}

export { isControlTag };
