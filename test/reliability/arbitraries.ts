/**
 * fast-check arbitraries for MARC records and the MARC-8 alphabet, shared by the property tests.
 */
import fc from 'fast-check';
import { ControlField, DataField, type Field } from '../../src/record/field.js';
import { Record } from '../../src/record/record.js';
import { encodeMarc8, decodeMarc8 } from '../../src/encoding/marc8/index.js';
import type { DecodeProblem } from '../../src/encoding/charset.js';

const range = (from: number, to: number): fc.Arbitrary<string> => fc.integer({ min: from, max: to }).map((cp) => String.fromCodePoint(cp));

/**
 * Text a MARC record can hold in every format: any Unicode scalar except C0 controls (ISO 2709
 * terminators, and not allowed in XML 1.0) and the XML non-characters U+FFFE/U+FFFF. Weighted
 * towards what breaks codecs: combining marks, astral characters, RTL and CJK, markup characters.
 */
export const char: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: range(0x20, 0x7e) },
  { weight: 2, arbitrary: range(0x300, 0x36f) },
  { weight: 2, arbitrary: range(0xa0, 0x24f) },
  { weight: 1, arbitrary: fc.constantFrom('&', '<', '>', '"', "'", '$', '{', '}', '\\', '|', '#', '&#x41;', '{dollar}', ']]>') },
  { weight: 1, arbitrary: range(0x590, 0x6ff) },
  { weight: 1, arbitrary: range(0x4e00, 0x9fff) },
  { weight: 1, arbitrary: range(0x1f300, 0x1faff) },
  { weight: 1, arbitrary: range(0x10000, 0x10ffff).filter((c) => !/[\ufffe\uffff]/.test(c)) },
  { weight: 1, arbitrary: range(0x80, 0xfffd).filter((c) => !/[\ud800-\udfff]/.test(c)) },
);

export const text = (maxLength = 24): fc.Arbitrary<string> => fc.array(char, { maxLength }).map((cs) => cs.join(''));

const digit = fc.constantFrom(...'0123456789');
const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
export const indicator = fc.constantFrom(...' 0123456789abcdefghijklmnopqrstuvwxyz');
export const subfieldCode = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');

export const controlTag = fc.integer({ min: 1, max: 9 }).map((n) => `00${n}`);
/** Numeric tags from 010, and the alphanumeric tags real exports carry (pymarc alphatag.dat). */
export const dataTag = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(digit, digit, digit).map((t) => t.join('')).filter((t) => !t.startsWith('00')) },
  { weight: 1, arbitrary: fc.tuple(alnum, alnum, alnum).map((t) => t.join('')).filter((t) => !/^00\d$/.test(t)) },
);

export const field: fc.Arbitrary<Field> = fc.oneof(
  fc.tuple(controlTag, text(40)).map(([tag, value]) => new ControlField(tag, value) as Field),
  fc.tuple(dataTag, indicator, indicator, fc.array(fc.record({ code: subfieldCode, value: text() }), { minLength: 1, maxLength: 6 }))
    .map(([tag, ind1, ind2, subfields]) => new DataField(tag, ind1, ind2, subfields) as Field),
);

/** Leader positions a writer sets (lengths, addresses, 09) are left to it; the rest vary. */
export const leader: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom(...'acdnp'), fc.constantFrom(...'acdefgijkmoprt'), fc.constantFrom(...'abcdims'), fc.constantFrom(' ', 'a'),
  fc.constantFrom(' ', '1', '2', '3', '4', '5', '7', '8', 'u', 'z'), fc.constantFrom(' ', 'a', 'c', 'i', 'n', 'u'), fc.constantFrom(' ', 'a', 'b', 'c'),
).map(([status, type, level, control, encoding, form, multipart]) => `00000${status}${type}${level}${control} 2200000${encoding}${form}${multipart}4500`);

export const record: fc.Arbitrary<Record> = fc.tuple(leader, fc.array(field, { minLength: 1, maxLength: 8 }))
  .map(([l, fields]) => new Record({ leader: l, fields }));

/** What must survive: the leader less what writers compute (0–4 length, 09 encoding, 12–16 base). */
export function comparable(record: Record, normalize?: 'NFC'): unknown {
  const n = (s: string): string => (normalize === undefined ? s : s.normalize(normalize));
  const l = record.leader.value;
  return {
    leader: l.slice(5, 9) + l.slice(10, 12) + l.slice(17),
    fields: record.fields.map((f) => (f.isControlField()
      ? { tag: f.tag, value: n(f.data) }
      : { tag: f.tag, ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => ({ code: s.code, value: n(s.value) })) })),
  };
}

let alphabet: string[] | null = null;

/**
 * Every character MARC-8 can spell and reads back as itself (up to canonical equivalence): the
 * domain where encode → decode must be the identity. Found by asking the codec, then checked
 * against the alternate mappings that are one-way by design (see the MARC-8 test for those).
 */
export function marc8Alphabet(): string[] {
  if (alphabet !== null) return alphabet;
  const out: string[] = [];
  for (let cp = 0x20; cp < 0x30000; cp++) {
    if (cp >= 0xd800 && cp < 0xe000) continue;
    if (cp >= 0x2fa20 && cp < 0x20000) continue;
    const c = String.fromCodePoint(cp);
    const problems: DecodeProblem[] = [];
    const bytes = encodeMarc8(c, { mode: 'strict' }, problems);
    if (problems.length > 0) continue;
    if (decodeMarc8(bytes, { normalize: 'NFC' }) === c.normalize('NFC')) out.push(c);
  }
  alphabet = out;
  return out;
}
