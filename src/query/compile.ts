/**
 * Compiles a parsed MARCspec into closures, so a query reused over millions of records pays for
 * parsing and dispatch once. The common shapes (`245$a`, `650$a{$2=\lcsh}`, `008/35-37`) end up
 * as the same calls a hand-written loop makes: `record.getFields(tag)` and `field.getAll(code)`.
 *
 * Queries only read. They never touch `DataField.subfields` (the live array), because handing it
 * out marks the field as possibly edited and would stop an untouched record from being written
 * back byte for byte.
 */

import type { DataField, Field } from '../record/field.js';
import type { Record } from '../record/record.js';
import { parseLinkage } from '../linkage/linkage.js';
import type { FieldSelector, Operator, PosRange, Spec, SubfieldPart, SubSpec, SubTerm } from './ast.js';
import { parseSpec } from './parse.js';
import { fieldsWhere } from './scan.js';

/** One referenced data element. `field` is null for the leader; `code` is set for subfields. */
export interface QueryHit {
  field: Field | null;
  code?: string;
  value: string;
}

export interface QueryOptions {
  /**
   * Order of the values of a spec naming several subfields (`245$a$b$c`): 'field' (default) keeps
   * the order they have in the field, 'spec' lists every $a, then every $b (Catmandu's `pluck`).
   */
  order?: 'field' | 'spec';
}

/** A MARCspec compiled for reuse: compile once, run on every record. */
export interface CompiledQuery {
  readonly spec: string;
  readonly kind: Spec['kind'];
  readonly ast: Spec;
  /** The referenced data as strings (see docs/query.md for what a bare field spec yields). */
  values(record: Record): string[];
  /** The first value, or undefined. */
  first(record: Record): string | undefined;
  /** The fields that hold referenced data, each once, in record order. Never the leader. */
  fields(record: Record): Field[];
  /** Values with the field (and subfield code) they came from. */
  hits(record: Record): QueryHit[];
  /** True when the spec references any data in the record. */
  test(record: Record): boolean;
}

type Sink = (field: Field | null, code: string | undefined, value: string) => void;

/** Evaluation of one spec over a record or over one field occurrence. */
interface SpecRunner {
  /** Over the whole record. */
  run(record: Record, sink: Sink): void;
  /** Over one field occurrence (null: the leader) as if the record held only it. */
  runField(record: Record, field: Field | null, sink: Sink): void;
}

/** What a subSpec is evaluated against: the record, the field occurrence and the element in hand. */
interface EvalContext {
  record: Record;
  field: Field | null;
  /** The element's own value before the outer spec's character positions (element-bound terms). */
  element: string;
}

type Condition = (ctx: EvalContext) => boolean;

// ---------------------------------------------------------------- positions and indexes

/** Resolves a range against a length; [from, to) or null when it references nothing. */
function resolve(range: PosRange, length: number): [number, number] | null {
  if (length === 0) return null;
  const { start, end } = range;
  if (start === '#') {
    // `#-n` counts backwards from the last: the last n + 1 elements.
    if (end === '#') return [length - 1, length];
    return [Math.max(0, length - 1 - end), length];
  }
  if (start >= length) return null;
  if (end === '#') return [start, length];
  return [start, Math.min(end + 1, length)];
}

function substring(value: string, chars: PosRange | undefined): string | null {
  if (chars === undefined) return value;
  const r = resolve(chars, value.length);
  return r === null ? null : value.slice(r[0], r[1]);
}

function sliceIndex<T>(list: T[], index: PosRange | undefined): T[] {
  if (index === undefined) return list;
  const r = resolve(index, list.length);
  return r === null ? [] : list.slice(r[0], r[1]);
}

// ---------------------------------------------------------------- field selection

function tagMatcher(sel: FieldSelector): ((tag: string) => boolean) | null {
  const { tag, tagEnd } = sel;
  if (tagEnd !== undefined) return (t) => t.length === 3 && t >= tag && t <= tagEnd;
  if (!tag.includes('.')) return null;
  const c0 = tag.charAt(0), c1 = tag.charAt(1), c2 = tag.charAt(2);
  return (t) => t.length === 3 && (c0 === '.' || t.charAt(0) === c0) && (c1 === '.' || t.charAt(1) === c1) && (c2 === '.' || t.charAt(2) === c2);
}

/** The fields a selector names, in record order, before its index. */
function fieldSelector(sel: FieldSelector): (record: Record) => Field[] {
  const matcher = tagMatcher(sel);
  let select: (record: Record) => Field[];
  if (matcher === null) {
    const tag = sel.tag;
    select = (record) => record.getFields(tag);
  } else {
    select = (record) => fieldsWhere(record, matcher);
  }
  if (sel.linkedTo !== undefined) {
    const linked = tagMatcher({ tag: sel.linkedTo }) ?? ((t: string) => t === sel.linkedTo);
    const inner = select;
    select = (record) => inner(record).filter((f) => {
      if (!f.isDataField()) return false;
      const link = parseLinkage(f.get('6') ?? '');
      return link !== null && linked(link.tag);
    });
  }
  return select;
}

/** Whether `field` is one the selector names (for field-bound terms), ignoring the index. */
function selectorAccepts(sel: FieldSelector): (field: Field) => boolean {
  const matcher = tagMatcher(sel);
  const tagOk = matcher ?? ((t: string) => t === sel.tag);
  if (sel.linkedTo === undefined) return (f) => tagOk(f.tag);
  const linked = tagMatcher({ tag: sel.linkedTo }) ?? ((t: string) => t === sel.linkedTo);
  return (f) => {
    if (!tagOk(f.tag) || !f.isDataField()) return false;
    const link = parseLinkage(f.get('6') ?? '');
    return link !== null && linked(link.tag);
  };
}

function fieldValue(field: Field): string {
  return field.isControlField() ? field.data : field.value();
}

// ---------------------------------------------------------------- subSpecs

function compileConditions(subSpecs: SubSpec[], selfChars: PosRange | undefined): { field: Condition | null; element: Condition | null } {
  const fieldLevel: Condition[] = [];
  const elementLevel: Condition[] = [];
  for (const sub of subSpecs) {
    const alternatives = sub.alternatives.map((set) => compileTermSet(set.left, set.operator, set.right, selfChars));
    const cond: Condition = alternatives.length === 1 ? (alternatives[0] as Condition) : (ctx) => alternatives.some((a) => a(ctx));
    (sub.fieldLevel ? fieldLevel : elementLevel).push(cond);
  }
  return { field: all(fieldLevel), element: all(elementLevel) };
}

function all(conds: Condition[]): Condition | null {
  if (conds.length === 0) return null;
  if (conds.length === 1) return conds[0] as Condition;
  return (ctx) => conds.every((c) => c(ctx));
}

type TermValues = (ctx: EvalContext) => string[];

function compileTerm(term: SubTerm, selfChars: PosRange | undefined): TermValues {
  switch (term.kind) {
    case 'string': {
      const values = [term.value];
      return () => values;
    }
    case 'regex':
      throw new Error('a regular expression is only valid on the right of =~');
    case 'self':
      return (ctx) => {
        const v = substring(ctx.element, selfChars);
        return v === null ? [] : [v];
      };
    case 'spec': {
      const spec = term.spec;
      if (term.binding === 'element') {
        const chars = spec.kind === 'subfield' ? spec.subfields[0]?.chars : spec.chars;
        return (ctx) => {
          const v = substring(ctx.element, chars);
          return v === null ? [] : [v];
        };
      }
      const runner = compileRunner(spec);
      if (term.binding === 'field') {
        const accepts = selectorAccepts(spec.field);
        return (ctx) => {
          const out: string[] = [];
          if (ctx.field === null || accepts(ctx.field)) runner.runField(ctx.record, ctx.field, (_f, _c, v) => out.push(v));
          return out;
        };
      }
      return (ctx) => {
        const out: string[] = [];
        runner.run(ctx.record, (_f, _c, v) => out.push(v));
        return out;
      };
    }
  }
}

/** The one subfield code of a plain field-bound subfield term (`$2`, `650$2`), or null. */
function plainSubfieldCode(term: SubTerm): string | null {
  if (term.kind !== 'spec' || term.binding !== 'field' || term.spec.kind !== 'subfield') return null;
  const part = term.spec.subfields[0];
  if (part === undefined || part.codes.length !== 1 || part.index !== undefined || part.chars !== undefined) return null;
  return part.codes[0] as string;
}

/**
 * The shapes filters take in practice (`{^2=\0}`, `{$2=\lcsh}`, `{$x}`, `{$a=~/…/}`) as direct
 * reads of the field in hand. Same results as the general path, without building value lists.
 */
function fastTermSet(left: SubTerm, operator: Operator, right: SubTerm, selfChars: PosRange | undefined): Condition | null {
  if (left.kind === 'self' && selfChars === undefined) {
    // The element itself against a literal: `245$a{~\\Perl}`, `020$a{=~/^97[89]/}`.
    if (right.kind === 'regex') {
      const re = right.regex;
      const want = operator === '=~';
      return (ctx) => re.test(ctx.element) === want;
    }
    if (right.kind === 'string' && operator !== '?' && operator !== '!') {
      const value = right.value;
      if (operator === '=') return (ctx) => ctx.element === value;
      if (operator === '!=') return (ctx) => ctx.element !== value;
      if (operator === '~') return (ctx) => ctx.element.includes(value);
      if (operator === '!~') return (ctx) => !ctx.element.includes(value);
    }
  }
  if ((operator === '?' || operator === '!') && left.kind === 'self') {
    const code = plainSubfieldCode(right);
    if (code === null) return null;
    const want = operator === '?';
    return (ctx) => {
      const f = ctx.field;
      return f !== null && f.isDataField() && (f.get(code) !== undefined) === want;
    };
  }
  if (left.kind !== 'spec' || left.binding !== 'field') return null;
  if (left.spec.kind === 'indicator' && right.kind === 'string' && (operator === '=' || operator === '!=')) {
    const first = left.spec.indicator === 1;
    const value = right.value;
    const want = operator === '=';
    return (ctx) => {
      const f = ctx.field;
      if (f === null || !f.isDataField()) return false;
      return ((first ? f.ind1 : f.ind2) === value) === want;
    };
  }
  const code = plainSubfieldCode(left);
  if (code === null) return null;
  if (operator === '=~' || operator === '!=~') {
    if (right.kind !== 'regex') return null;
    const re = right.regex;
    const want = operator === '=~';
    return (ctx) => {
      const f = ctx.field;
      if (f === null || !f.isDataField()) return false;
      const values = f.getAll(code);
      return values.length > 0 && values.some((v) => re.test(v)) === want;
    };
  }
  if (right.kind !== 'string' || operator === '?' || operator === '!') return null;
  const value = right.value;
  const equal = operator === '=' || operator === '!=';
  const want = operator === '=' || operator === '~';
  return (ctx) => {
    const f = ctx.field;
    if (f === null || !f.isDataField()) return false;
    const values = f.getAll(code);
    if (values.length === 0) return false;
    let found = false;
    for (let i = 0; i < values.length && !found; i++) found = equal ? values[i] === value : (values[i] as string).includes(value);
    return found === want;
  };
}

function compileTermSet(left: SubTerm, operator: Operator, right: SubTerm, selfChars: PosRange | undefined): Condition {
  const fast = fastTermSet(left, operator, right, selfChars);
  if (fast !== null) return fast;
  const implicitLeft = left.kind === 'self';
  if (operator === '?' || operator === '!') {
    const r = compileTerm(right, selfChars);
    const l = implicitLeft ? null : compileTerm(left, selfChars);
    const want = operator === '?';
    return (ctx) => (l === null || l(ctx).length > 0) && (r(ctx).length > 0) === want;
  }
  const l = compileTerm(left, selfChars);
  if (operator === '=~' || operator === '!=~') {
    if (right.kind !== 'regex') throw new Error('=~ takes a regular expression');
    const re = right.regex;
    const want = operator === '=~';
    return (ctx) => {
      const values = l(ctx);
      return values.length > 0 && values.some((v) => re.test(v)) === want;
    };
  }
  const r = compileTerm(right, selfChars);
  const compare = operator === '=' || operator === '!=' ? (a: string, b: string) => a === b : (a: string, b: string) => a.includes(b);
  const want = operator === '=' || operator === '~';
  return (ctx) => {
    const values = l(ctx);
    if (values.length === 0) return false;
    const others = r(ctx);
    let found = false;
    for (const a of values) {
      for (const b of others) {
        if (compare(a, b)) {
          found = true;
          break;
        }
      }
      if (found) break;
    }
    return found === want;
  };
}

// ---------------------------------------------------------------- runners

function compileRunner(spec: Spec, options: QueryOptions = {}): SpecRunner {
  if (spec.field.tag === 'LDR' && spec.field.tagEnd === undefined) return leaderRunner(spec);
  switch (spec.kind) {
    case 'field':
      return fieldRunner(spec);
    case 'indicator':
      return indicatorRunner(spec);
    case 'subfield':
      return subfieldRunner(spec, options);
  }
}

function leaderRunner(spec: Spec): SpecRunner {
  const conds = compileConditions(spec.subSpecs, spec.chars);
  const chars = spec.chars;
  // The leader has no indicators or subfields, and there is only one of it.
  const usable = spec.kind === 'field' && (spec.field.index === undefined || resolve(spec.field.index, 1) !== null);
  const runField = (record: Record, _field: Field | null, sink: Sink): void => {
    if (!usable) return;
    const element = record.leader.value;
    const ctx: EvalContext = { record, field: null, element };
    if (conds.field !== null && !conds.field(ctx)) return;
    if (conds.element !== null && !conds.element(ctx)) return;
    const v = substring(element, chars);
    if (v !== null) sink(null, undefined, v);
  };
  return { run: (record, sink) => runField(record, null, sink), runField };
}

function fieldRunner(spec: Spec): SpecRunner {
  const select = fieldSelector(spec.field);
  const index = spec.field.index;
  const chars = spec.chars;
  const conds = compileConditions(spec.subSpecs, chars);
  const one = (record: Record, field: Field, sink: Sink): void => {
    const element = fieldValue(field);
    if (conds.field !== null || conds.element !== null) {
      const ctx: EvalContext = { record, field, element };
      if (conds.field !== null && !conds.field(ctx)) return;
      if (conds.element !== null && !conds.element(ctx)) return;
    }
    const v = substring(element, chars);
    if (v !== null) sink(field, undefined, v);
  };
  return {
    run(record, sink) {
      for (const field of sliceIndex(select(record), index)) one(record, field, sink);
    },
    runField(record, field, sink) {
      if (field !== null) one(record, field, sink);
    },
  };
}

function indicatorRunner(spec: Spec): SpecRunner {
  const select = fieldSelector(spec.field);
  const index = spec.field.index;
  const first = spec.indicator === 1;
  const conds = compileConditions(spec.subSpecs, undefined);
  const one = (record: Record, field: Field, sink: Sink): void => {
    if (!field.isDataField()) return;
    const element = first ? field.ind1 : field.ind2;
    if (conds.field !== null || conds.element !== null) {
      const ctx: EvalContext = { record, field, element };
      if (conds.field !== null && !conds.field(ctx)) return;
      if (conds.element !== null && !conds.element(ctx)) return;
    }
    sink(field, undefined, element);
  };
  return {
    run(record, sink) {
      for (const field of sliceIndex(select(record), index)) one(record, field, sink);
    },
    runField(record, field, sink) {
      if (field !== null) one(record, field, sink);
    },
  };
}

interface CompiledPart {
  part: SubfieldPart;
  codes: string[];
  single: string | null;
  field: Condition | null;
  element: Condition | null;
}

function isPlain(p: CompiledPart): boolean {
  return p.part.index === undefined && p.part.chars === undefined && p.field === null && p.element === null;
}

function subfieldRunner(spec: Spec, options: QueryOptions): SpecRunner {
  const select = fieldSelector(spec.field);
  const index = spec.field.index;
  const parts: CompiledPart[] = spec.subfields.map((part) => {
    const conds = compileConditions(part.subSpecs, part.chars);
    return { part, codes: part.codes, single: part.codes.length === 1 ? (part.codes[0] as string) : null, field: conds.field, element: conds.element };
  });
  const allPlain = parts.every(isPlain);
  const mergedCodes = [...new Set(parts.flatMap((p) => p.codes))];
  const merged = allPlain && (parts.length === 1 || options.order !== 'spec') && mergedCodes.length === parts.reduce((n, p) => n + p.codes.length, 0);
  const onlyPart = parts.length === 1 ? (parts[0] as CompiledPart) : null;

  let one: (record: Record, field: DataField, sink: Sink) => void;
  if (merged && onlyPart !== null && onlyPart.single !== null) {
    // The hot path: `245$a`.
    const code = onlyPart.single;
    one = (_record, field, sink) => {
      const values = field.getAll(code);
      for (let i = 0; i < values.length; i++) sink(field, code, values[i] as string);
    };
  } else if (onlyPart !== null && onlyPart.single !== null) {
    const p = onlyPart;
    const code = p.single as string;
    one = (record, field, sink) => {
      if (p.field !== null && !p.field({ record, field, element: '' })) return;
      const values = sliceIndex(field.getAll(code), p.part.index);
      for (const value of values) {
        if (p.element !== null && !p.element({ record, field, element: value })) continue;
        const v = substring(value, p.part.chars);
        if (v !== null) sink(field, code, v);
      }
    };
  } else {
    // Several codes: the subfields with their codes, in field order. Copies via toJSON() so the
    // field's live subfield array is never handed out.
    one = (record, field, sink) => {
      const subfields = field.toJSON().subfields;
      const chosen: { at: number; code: string; value: string }[] = [];
      for (const p of parts) {
        if (p.field !== null && !p.field({ record, field, element: '' })) continue;
        const matching: number[] = [];
        for (let i = 0; i < subfields.length; i++) if (p.codes.includes((subfields[i] as { code: string }).code)) matching.push(i);
        for (const at of sliceIndex(matching, p.part.index)) {
          const sf = subfields[at] as { code: string; value: string };
          if (p.element !== null && !p.element({ record, field, element: sf.value })) continue;
          const v = substring(sf.value, p.part.chars);
          if (v !== null) chosen.push({ at, code: sf.code, value: v });
        }
      }
      if (options.order !== 'spec' && parts.length > 1) chosen.sort((a, b) => a.at - b.at);
      for (const c of chosen) sink(field, c.code, c.value);
    };
  }
  return {
    run(record, sink) {
      const fields = sliceIndex(select(record), index);
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i] as Field;
        if (field.isDataField()) one(record, field, sink);
      }
    },
    runField(record, field, sink) {
      if (field !== null && field.isDataField()) one(record, field, sink);
    },
  };
}

// ---------------------------------------------------------------- public surface

/** Compiles a MARCspec (throws QuerySyntaxError with the column of a bad spec). */
export function compileQuery(spec: string, options: QueryOptions = {}): CompiledQuery {
  const ast = parseSpec(spec);
  const runner = compileRunner(ast, options);
  // A plain `tag$code` spec gets a dedicated loop: this is the shape hot extraction loops use.
  const fast = fastValues(ast, options);
  const slowFirst = (record: Record): string | undefined => {
    let found: string | undefined;
    runner.run(record, (_f, _c, v) => {
      if (found === undefined) found = v;
    });
    return found;
  };
  const firstFast = fastFirst(ast, slowFirst);
  const values = fast ?? ((record: Record): string[] => {
    const out: string[] = [];
    runner.run(record, (_f, _c, v) => out.push(v));
    return out;
  });
  return {
    spec,
    kind: ast.kind,
    ast,
    values,
    first: firstFast ?? slowFirst,
    fields(record) {
      const out: Field[] = [];
      runner.run(record, (f) => {
        if (f !== null && out[out.length - 1] !== f) out.push(f);
      });
      return out;
    },
    hits(record) {
      const out: QueryHit[] = [];
      runner.run(record, (field, code, value) => out.push(code === undefined ? { field, value } : { field, code, value }));
      return out;
    },
    test(record) {
      let found = false;
      runner.run(record, () => {
        found = true;
      });
      return found;
    },
  };
}

/** Element-level subSpecs that only compare the element itself with literals, as one predicate. */
function selfPredicate(subSpecs: SubSpec[]): ((value: string) => boolean) | null {
  if (subSpecs.length === 0) return null;
  const tests: ((value: string) => boolean)[] = [];
  for (const sub of subSpecs) {
    const alternatives: ((value: string) => boolean)[] = [];
    for (const set of sub.alternatives) {
      if (set.left.kind !== 'self') return null;
      const right = set.right;
      const op = set.operator;
      if (right.kind === 'regex') {
        const re = right.regex;
        alternatives.push(op === '=~' ? (v) => re.test(v) : (v) => !re.test(v));
      } else if (right.kind === 'string') {
        const s = right.value;
        if (op === '=') alternatives.push((v) => v === s);
        else if (op === '!=') alternatives.push((v) => v !== s);
        else if (op === '~') alternatives.push((v) => v.includes(s));
        else if (op === '!~') alternatives.push((v) => !v.includes(s));
        else return null;
      } else {
        return null;
      }
    }
    tests.push(alternatives.length === 1 ? (alternatives[0] as (v: string) => boolean) : (v) => alternatives.some((a) => a(v)));
  }
  return tests.length === 1 ? (tests[0] as (v: string) => boolean) : (v) => tests.every((t) => t(v));
}

/** Numeric character positions as [from, to) known at compile time, or null. */
function fixedSlice(chars: PosRange | undefined): [number, number] | null {
  if (chars === undefined || chars.start === '#' || chars.end === '#') return null;
  return [chars.start, chars.end + 1];
}

/**
 * Dedicated loops for the shapes hot extraction uses, so `values()` costs what a hand-written
 * loop costs: `245$a`, `650$a$x`, `650$a{^2=\0}`, `6..$a`, `008/35-37`. Everything else (and
 * hits/fields, which need codes) goes through the general runner.
 */
function fastValues(ast: Spec, options: QueryOptions): ((record: Record) => string[]) | null {
  const sel = ast.field;
  if (sel.index !== undefined || sel.linkedTo !== undefined || sel.tag === 'LDR') return null;
  const matcher = tagMatcher(sel);
  const tag = sel.tag;
  const select = matcher === null ? (record: Record) => record.getFields(tag) : (record: Record) => fieldsWhere(record, matcher);

  if (ast.kind === 'field' && ast.subSpecs.length === 0) {
    const chars = ast.chars;
    const slice = fixedSlice(chars);
    return (record) => {
      const out: string[] = [];
      const fields = select(record);
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i] as Field;
        const value = field.isControlField() ? field.data : field.value();
        if (slice !== null) {
          if (slice[0] < value.length) out.push(value.slice(slice[0], slice[1]));
        } else {
          const v = substring(value, chars);
          if (v !== null) out.push(v);
        }
      }
      return out;
    };
  }

  if (ast.kind !== 'subfield') return null;
  const parts = ast.subfields;
  if (parts.length > 1 && options.order === 'spec') return null;
  if (parts.some((p) => p.index !== undefined || p.chars !== undefined)) return null;
  const codes = parts.flatMap((p) => p.codes);
  if (new Set(codes).size !== codes.length) return null;
  // Only the first part may carry subSpecs, and only field-level ones: they then filter whole
  // fields, which is what they mean when it is the only part.
  if (parts.slice(1).some((p) => p.subSpecs.length > 0)) return null;
  const first = parts[0] as SubfieldPart;
  if (parts.length > 1 && first.subSpecs.length > 0) return null;
  const conds = compileConditions(first.subSpecs, undefined);
  const filter = conds.field;
  const keep = conds.element;
  // Element tests on the value alone (`{=~/^97[89]/}`, `{~\\x}`) need no context object.
  const test = selfPredicate(first.subSpecs.filter((sub) => !sub.fieldLevel));
  const single = codes.length === 1 ? (codes[0] as string) : null;
  return (record) => {
    const out: string[] = [];
    const fields = select(record);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as Field;
      if (!field.isDataField()) continue;
      if (filter !== null && !filter({ record, field, element: '' })) continue;
      const values = single !== null ? field.getAll(single) : field.getAll(...codes);
      for (let j = 0; j < values.length; j++) {
        const value = values[j] as string;
        if (keep === null || (test !== null ? test(value) : keep({ record, field, element: value }))) out.push(value);
      }
    }
    return out;
  };
}

/**
 * `first()` of an exact-tag spec without filters reads the first field with the tag
 * (`record.get`), which stops at the first directory match. When that field yields nothing it
 * falls back to the full evaluation, so later occurrences still count.
 */
function fastFirst(ast: Spec, fallback: (record: Record) => string | undefined): ((record: Record) => string | undefined) | null {
  const sel = ast.field;
  if (sel.index !== undefined || sel.linkedTo !== undefined || sel.tagEnd !== undefined || sel.tag.includes('.') || sel.tag === 'LDR') return null;
  const tag = sel.tag;
  if (ast.kind === 'field' && ast.subSpecs.length === 0) {
    const chars = ast.chars;
    const slice = fixedSlice(chars);
    return (record) => {
      const field = record.get(tag);
      if (field === undefined) return undefined;
      const value = field.isControlField() ? field.data : field.value();
      if (slice !== null && slice[0] < value.length) return value.slice(slice[0], slice[1]);
      return substring(value, chars) ?? fallback(record);
    };
  }
  const part = ast.subfields[0];
  if (ast.kind === 'subfield' && ast.subfields.length === 1 && part !== undefined && part.codes.length === 1 && part.index === undefined && part.chars === undefined && part.subSpecs.length === 0) {
    const code = part.codes[0] as string;
    return (record) => {
      const field = record.get(tag);
      if (field === undefined) return undefined;
      return (field.isDataField() ? field.get(code) : undefined) ?? fallback(record);
    };
  }
  return null;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, CompiledQuery>();

function cached(spec: string): CompiledQuery {
  let q = cache.get(spec);
  if (q === undefined) {
    q = compileQuery(spec);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(spec, q);
  }
  return q;
}

/**
 * The values a MARCspec references in `record` (`query(r, '650$a{$2=\\lcsh}')`), or with
 * `as: 'fields'` the fields holding them. Specs are compiled once and cached; in a hot loop,
 * hold on to `compileQuery(spec)` instead.
 */
export function query(record: Record, spec: string | CompiledQuery): string[];
export function query(record: Record, spec: string | CompiledQuery, as: 'values'): string[];
export function query(record: Record, spec: string | CompiledQuery, as: 'fields'): Field[];
export function query(record: Record, spec: string | CompiledQuery, as: 'hits'): QueryHit[];
export function query(record: Record, spec: string | CompiledQuery, as: 'values' | 'fields' | 'hits' = 'values'): string[] | Field[] | QueryHit[] {
  const q = typeof spec === 'string' ? cached(spec) : spec;
  if (as === 'fields') return q.fields(record);
  if (as === 'hits') return q.hits(record);
  return q.values(record);
}
