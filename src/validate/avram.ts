/**
 * Avram schemas (https://format.gbv.de/schema/avram/specification) to validate()'s rule tables.
 *
 * `avramFieldRules` is the one reading of an Avram schema: scripts/gen-marc21-rules.mjs runs it
 * (through tsx) to write the built-in tables, and `compileAvramSchema` runs it at run time on a
 * user's schema, so the two never interpret a schema differently.
 *
 * Read from a schema: field `repeatable`, `required`, `indicator1`/`indicator2` codes, `subfields`
 * (`repeatable`, `required`, `pattern`, `codes`, `deprecated-codes`), `deprecated-subfields`,
 * `positions` of control fields (`codes`, `deprecated-codes`, `pattern`) and the older
 * MARC::Schema keys (`types` of 006/007/008, `historical-subfields`, `historical-codes`).
 * Referenced codelists resolve through the schema's `codelists` directory; one that does not
 * resolve leaves the value unconstrained. Only MARC-family schemas are accepted (tags of three
 * digits or letters, and LDR, which is skipped: the leader has its own checks).
 */

import { readFileSync } from 'node:fs';
import type { FieldRule, FixedPosition, SubfieldValueRule, ValidationSchema } from './rule-types.js';

type Json = { readonly [key: string]: unknown };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new TypeError(`invalid Avram schema: ${message}`);
}

/** The codes of a codelist: an explicit one (object of code definitions, or array), or a reference resolved through `codelists`. */
function codeList(codes: unknown, codelists: Json | undefined, where: string): string[] | undefined {
  if (codes === undefined || codes === null) return undefined;
  if (typeof codes === 'string') {
    const resolved = codelists?.[codes];
    return resolved === undefined ? undefined : codeList(resolved, undefined, where);
  }
  if (Array.isArray(codes)) {
    if (!codes.every((c): c is string => typeof c === 'string')) fail(`${where}: codes must be strings`);
    return codes;
  }
  if (isObject(codes)) return Object.keys(codes);
  return fail(`${where}: codes must be an object, an array or a codelist reference`);
}

function checkPattern(pattern: unknown, where: string): string | undefined {
  if (pattern === undefined) return undefined;
  if (typeof pattern !== 'string') fail(`${where}: pattern must be a string`);
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    fail(`${where}: pattern ${JSON.stringify(pattern)} is not a regular expression (${(e as Error).message})`);
  }
  return pattern;
}

/**
 * Indicator values as one string (' ' is blank; '0-9' and '1-9' expand to their digits). null: the
 * indicator is undefined (must be blank); undefined: the schema does not constrain it.
 */
function indicatorValues(ind: unknown, codelists: Json | undefined, where: string): string | null | undefined {
  if (ind === null) return null;
  if (ind === undefined) return undefined;
  if (!isObject(ind)) return fail(`${where}: an indicator definition must be an object or null`);
  const codes = codeList(ind.codes, codelists, where);
  if (codes === undefined) return undefined;
  let out = '';
  for (const code of codes) {
    const range = /^(\d)-(\d)$/.exec(code);
    if (range) {
      for (let d = Number(range[1]); d <= Number(range[2]); d++) out += String(d);
    } else if (code.length === 1) {
      out += code;
    } else {
      fail(`${where}: unexpected indicator code ${JSON.stringify(code)}`);
    }
  }
  return [...new Set(out)].sort().join('');
}

/** Character positions ('00-04', '06') with the codes each may hold, sorted by start. */
function positions(defs: unknown, codelists: Json | undefined, where: string): FixedPosition[] {
  if (!isObject(defs)) return fail(`${where}: positions must be an object`);
  const out: FixedPosition[] = [];
  for (const [key, p] of Object.entries(defs)) {
    const at = `${where}/${key}`;
    if (!isObject(p)) fail(`${at}: a position definition must be an object`);
    const m = /^(\d+)(?:-(\d+))?$/.exec(key);
    const start = typeof p.start === 'number' ? p.start : m === null ? fail(`${at}: not a character position`) : Number(m[1]);
    const end = typeof p.end === 'number' ? p.end : m === null ? fail(`${at}: not a character position`) : Number(m[2] ?? m[1]) + 1;
    const pos: { -readonly [K in keyof FixedPosition]: FixedPosition[K] } = { key, start, end, label: typeof p.label === 'string' ? p.label : '' };
    const allCodes = codeList(p.codes, codelists, at);
    if (allCodes !== undefined) {
      const codes: string[] = [];
      const ranges: [string, string][] = [];
      for (const code of allCodes) {
        const range = /^(\d+)-(\d+)$/.exec(code);
        if (range && (range[1] as string).length === (range[2] as string).length && (range[1] as string).length > 1) ranges.push([range[1] as string, range[2] as string]);
        else codes.push(code);
      }
      pos.codes = codes;
      if (ranges.length > 0) pos.ranges = ranges;
      const historical = (codeList(p['historical-codes'] ?? p['deprecated-codes'], codelists, at) ?? []).filter((c) => !codes.includes(c));
      if (historical.length > 0) pos.obsolete = historical;
      if (p.repeatableContent === true && typeof p.unitLength === 'number') pos.unit = p.unitLength;
    }
    const pattern = checkPattern(p.pattern, at);
    if (pattern !== undefined) pos.pattern = pattern;
    out.push(pos);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Tags 001-009: control fields in MARC 21. */
function isControlTag(tag: string): boolean {
  return /^00[0-9]$/.test(tag);
}

/**
 * Converts the `fields` of a parsed Avram schema to rule tables. Throws a TypeError naming the
 * place when the schema is not one this reading understands.
 */
export function avramFieldRules(schema: unknown): { fields: { [tag: string]: FieldRule }; fixedFields: { [tag: string]: { [type: string]: FixedPosition[] } } } {
  if (!isObject(schema)) return fail('not a JSON object');
  if (!isObject(schema.fields)) return fail('no "fields" object');
  const codelists = isObject(schema.codelists) ? schema.codelists : undefined;
  const fields: { [tag: string]: FieldRule } = {};
  const fixedFields: { [tag: string]: { [type: string]: FixedPosition[] } } = {};
  for (const [tag, def] of Object.entries(schema.fields)) {
    if (tag === 'LDR') continue;
    if (!/^[0-9A-Za-z]{3}$/.test(tag)) fail(`field identifier ${JSON.stringify(tag)} is not a MARC tag (PICA occurrences and counters are not supported)`);
    if (!isObject(def)) fail(`field ${tag}: the definition must be an object`);
    const rule: { -readonly [K in keyof FieldRule]: FieldRule[K] } = { label: typeof def.label === 'string' ? def.label : '', repeatable: def.repeatable === true };
    if (def.required === true) rule.required = true;
    const historicalKey = def['historical-subfields'] !== undefined ? 'historical-subfields' : 'deprecated-subfields';
    const variable = def.subfields !== undefined || def[historicalKey] !== undefined || def.indicator1 !== undefined || def.indicator2 !== undefined;
    const fixed = def.positions !== undefined || def.types !== undefined;
    if (variable && fixed) fail(`field ${tag}: has both positions and subfields or indicators`);
    if (variable || (!fixed && !isControlTag(tag))) {
      const ind1 = indicatorValues(def.indicator1, codelists, `field ${tag} indicator1`);
      const ind2 = indicatorValues(def.indicator2, codelists, `field ${tag} indicator2`);
      // An indicator the schema leaves out, or defines without codes, is not constrained.
      if (ind1 !== undefined) rule.ind1 = ind1;
      if (ind2 !== undefined) rule.ind2 = ind2;
      if (isObject(def.indicator1) && typeof def.indicator1.label === 'string') rule.ind1Label = def.indicator1.label;
      if (isObject(def.indicator2) && typeof def.indicator2.label === 'string') rule.ind2Label = def.indicator2.label;
      if (def.subfields !== undefined) {
        if (!isObject(def.subfields)) fail(`field ${tag}: subfields must be an object`);
        const subfields: { [code: string]: readonly [string, boolean] } = {};
        const values: { [code: string]: SubfieldValueRule } = {};
        let required = '';
        for (const [code, sf] of Object.entries(def.subfields)) {
          const at = `field ${tag} subfield ${code}`;
          if ([...code].length !== 1) fail(`${at}: a subfield code is one character`);
          if (!isObject(sf)) fail(`${at}: the definition must be an object`);
          subfields[code] = [typeof sf.label === 'string' ? sf.label : '', sf.repeatable === true];
          if (sf.required === true) required += code;
          const value: { -readonly [K in keyof SubfieldValueRule]: SubfieldValueRule[K] } = {};
          const pattern = checkPattern(sf.pattern, at);
          if (pattern !== undefined) value.pattern = pattern;
          const codes = codeList(sf.codes, codelists, at);
          if (codes !== undefined) value.codes = codes;
          const obsolete = codeList(sf['deprecated-codes'] ?? sf['historical-codes'], codelists, at)?.filter((c) => codes?.includes(c) !== true);
          if (obsolete !== undefined && obsolete.length > 0) value.obsolete = obsolete;
          if (Object.keys(value).length > 0) values[code] = value;
        }
        rule.subfields = subfields;
        if (required !== '') rule.requiredSubfields = required;
        if (Object.keys(values).length > 0) rule.subfieldValues = values;
      }
      const oldCodes = def['historical-subfields'] ?? def['deprecated-subfields'];
      if (oldCodes !== undefined && !isObject(oldCodes)) fail(`field ${tag}: ${historicalKey} must be an object`);
      const historical = Object.keys(oldCodes ?? {}).filter((c) => rule.subfields?.[c] === undefined);
      if (historical.length > 0) rule.obsoleteSubfields = historical.sort().join('');
    } else {
      rule.control = true;
      if (def.positions !== undefined) rule.positions = positions(def.positions, codelists, `field ${tag} positions`);
      if (def.types !== undefined) {
        if (!isObject(def.types)) fail(`field ${tag}: types must be an object`);
        const types: { [type: string]: FixedPosition[] } = {};
        for (const [name, t] of Object.entries(def.types)) types[name] = positions(isObject(t) ? t.positions : undefined, codelists, `field ${tag} type ${name}`);
        fixedFields[tag] = types;
      }
    }
    fields[tag] = rule;
  }
  return { fields, fixedFields };
}

/**
 * Compiles an Avram schema (its JSON text, or the parsed object) to rule tables for
 * `validate(record, { schema })`, in the same shape as the built-in MARC 21 Bibliographic tables.
 */
export function compileAvramSchema(schema: string | object): ValidationSchema {
  let parsed: unknown = schema;
  if (typeof schema === 'string') {
    try {
      parsed = JSON.parse(schema);
    } catch (e) {
      fail(`not JSON (${(e as Error).message})`);
    }
  }
  const { fields, fixedFields } = avramFieldRules(parsed);
  const root = parsed as Json;
  const out: { -readonly [K in keyof ValidationSchema]: ValidationSchema[K] } = { fields, fixedFields };
  if (typeof root.title === 'string') out.title = root.title;
  if (typeof root.url === 'string') out.url = root.url;
  return out;
}

/** Reads and compiles an Avram schema file (JSON). */
export function loadAvramSchema(path: string): ValidationSchema {
  return compileAvramSchema(readFileSync(path, 'utf8'));
}
