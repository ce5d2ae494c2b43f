import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DecodeProblem } from '../../src/encoding/charset.js';
import { getEncoder } from '../../src/encoding/charset.js';
import { Marc8Decoder, Marc8Encoder, decodeMarc8, encodeMarc8 } from '../../src/encoding/marc8/index.js';
import { eacc } from '../../src/encoding/marc8/tables.js';
import { fixture, fixturePath, rng } from '../helpers.js';
import { rawFields } from './marc8-iso.js';

interface Vector {
  source: string;
  direction: 'marc8->utf8' | 'utf8->marc8' | 'both';
  marc8_hex: string;
  utf8: string;
}

const vectors = JSON.parse(readFileSync(fixturePath('marc8/marc8_vectors.json'), 'utf8')) as Vector[];
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function encode(text: string, options?: ConstructorParameters<typeof Marc8Encoder>[0]): { bytes: string; problems: DecodeProblem[] } {
  const problems: DecodeProblem[] = [];
  const out = new Marc8Encoder(options).encode(text, problems);
  return { bytes: latin1(out), problems };
}

// MARC::Charset returns to ASCII with ESC s after any set; we use ESC ( B after technique-2 sets,
// as LC's records and yaz do, and ESC s only after the technique-1 sets.
const ESC_S_STYLE = new Set([20, 22]);

test('marc8 vectors: UTF-8 → MARC-8 byte for byte', () => {
  let checked = 0;
  vectors.forEach((v, i) => {
    if (v.direction === 'marc8->utf8') return;
    const { bytes, problems } = encode(v.utf8);
    const expected = Buffer.from(v.marc8_hex, 'hex').toString('latin1');
    if (ESC_S_STYLE.has(i)) assert.equal(bytes, expected.replace(/\x1bs$/, '\x1b(B'), `vector ${i}`);
    else assert.equal(bytes, expected, `vector ${i} (${v.source})`);
    assert.deepEqual(problems, []);
    checked++;
  });
  assert.equal(checked, 9);
});

test('marc8 vectors: encoding then decoding gives the text back, for all 40', () => {
  for (const v of vectors) assert.equal(decodeMarc8(encodeMarc8(v.utf8)), v.utf8.normalize('NFC'), v.source);
});

test('marc8 vectors written by LC-style encoders come back byte for byte', () => {
  // Decoded and re-encoded; those not listed use another writer's escape style (per-word
  // escapes, ESC g for α, the space inside EACC) or are not LC MARC-8 at all.
  const identical = vectors
    .map((v, i) => [v, i] as const)
    .filter(([v]) => v.direction !== 'utf8->marc8')
    .filter(([v]) => latin1(encodeMarc8(decodeMarc8(Buffer.from(v.marc8_hex, 'hex')))) === Buffer.from(v.marc8_hex, 'hex').toString('latin1'))
    .map(([, i]) => i);
  assert.deepEqual(identical, [0, 3, 5, 6, 7, 10, 15, 17, 23, 24, 25, 26, 27, 29, 30, 31, 33, 34, 35, 36, 37, 38, 39]);
});

test('precomposed letters are decomposed; marks go before their base', () => {
  assert.equal(encode('é').bytes, '\xe2e');
  assert.equal(encode('Phép lạ').bytes, 'Ph\xe2ep l\xf2a');
  assert.equal(encode('e\u0301').bytes, '\xe2e');
  // MARC-8 has ư (BD) but no combining horn: the largest precomposed base it has is used.
  assert.equal(encode('ứ').bytes, '\xe2\xbd');
  assert.equal(encode('u\u031b\u0301').bytes, '\xe2\xbd');
  assert.equal(encode('Å').bytes, '\xeaA');
  assert.equal(encode('\u212b').bytes, '\xeaA', 'ANGSTROM SIGN via its canonical decomposition');
  assert.equal(encode('\u2126').bytes, '\x1b(S]\x1b(B', 'OHM SIGN is Greek capital omega');
  // Marks keep their order when MARC-8 has every piece (what normalize: false decoding gives).
  assert.equal(encode('e\u0301\u0323').bytes, '\xe2\xf2e');
  assert.equal(encode('e\u0323\u0301').bytes, '\xf2\xe2e');
  // Hebrew presentation forms decompose to letter + point.
  assert.equal(encode('\ufb2a').bytes, '\x1b(2My\x1b(B');
  // A mark on a space.
  assert.equal(encode(' \u0301').bytes, '\xe2 ');
});

test('precomposed letters MARC-8 has are kept whole', () => {
  assert.equal(encode('ё').bytes, '\x1b)Q\xc4\x1b)E');
  assert.equal(encode('й').bytes, '\x1b(NJ\x1b(B');
  assert.equal(encode('ơư').bytes, '\xbc\xbd');
  // Spelled with a mark, Cyrillic ё stays that way: it decodes (NFC) to the same text.
  assert.equal(encode('е\u0308').bytes, '\xe8\x1b(NE\x1b(B');
});

test('minimal escapes: stay in a set while it has the next character', () => {
  assert.equal(encode('Иван Петров, 1990').bytes, '\x1b(NiWAN pETROW, 1990\x1b(B');
  assert.equal(encode('ب ت').bytes, '\x1b(3H J\x1b(B');
  assert.equal(encode('ё ё').bytes, '\x1b)Q\xc4 \xc4\x1b)E');
  assert.equal(encode('Ж²').bytes, '\x1b(Nv\x1bp2\x1bs');
  // Technique 1 is left with ESC s before a standard set is designated.
  assert.equal(encode('²Ж').bytes, '\x1bp2\x1bs\x1b(Nv\x1b(B');
  // Greek accents come from the Greek set while Greek is designated, from ANSEL otherwise.
  assert.equal(encode('ά').bytes, '\x1b(S"a\x1b(B');
  assert.equal(encode('á').bytes, '\xe2a');
  // A mark only Greek has, on a Latin base.
  assert.equal(encode('a\u0342').bytes, '\x1b(S$\x1b(Ba');
  // α β γ go to Basic Greek, not the technique-1 Greek symbols (LC's 2004 note).
  assert.equal(encode('αβγ').bytes, '\x1b(Sabd\x1b(B');
});

test('spaces and controls around EACC and technique-1 sets are written in ASCII', () => {
  assert.equal(encode('中 文').bytes, '\x1b$1!04\x1b(B \x1b$1!BX\x1b(B');
  assert.equal(encode('CO₂ is').bytes, 'CO\x1bb2\x1bs is');
  assert.equal(encode('米\u000c米').bytes, '\x1b$1!PV\x1b(B\x0c\x1b$1!PV\x1b(B');
});

test('every field ends in ASCII / ANSEL, and so does every subfield', () => {
  assert.equal(encode('\u001faИван\u001fbx').bytes, '\x1fa\x1b(NiWAN\x1b(B\x1fbx');
  assert.equal(encode('\u001faڍ\u001fbx').bytes, '\x1fa\x1b)4\xb9\x1b)E\x1fbx');
  assert.equal(encode('\u001fa米\u001fb米').bytes, '\x1fa\x1b$1!PV\x1b(B\x1fb\x1b$1!PV\x1b(B');
  assert.equal(encode('x²').bytes, 'x\x1bp2\x1bs');
});

test('ligature and double tilde: U+0361/U+0360 become the two halves, U+FE20–FE23 map directly', () => {
  assert.equal(encode('t\u0361s').bytes, '\xebt\xecs');
  assert.equal(encode('Han\u0360gin').bytes, 'Ha\xfan\xfbgin');
  assert.equal(encode('t\ufe20s\ufe21').bytes, '\xebt\xecs');
  assert.equal(encode('n\ufe22g\ufe23').bytes, '\xfan\xfbg');
  // Last character of the field: the second half still follows it.
  assert.equal(encode('t\u0361').bytes, '\xebt\xec');
});

test('alternatives and preferences from the tables', () => {
  assert.equal(encode('\u02bc').bytes, '\xae');
  assert.equal(encode('\u02be').bytes, '\xae', 'ALIF before LC’s 2005 remapping');
  assert.equal(encode('\u3000').bytes, '\x1b$1!#!\x1b(B', 'EACC 0x212321, the ANSI Z39.64 ideographic space');
  assert.equal(encode('\u{212C4}').bytes, '\x1b$1!uY\x1b(B');
  assert.equal(encode('“q”').bytes, '\x1b(S2\x1b(Bq\x1b(S3\x1b(B', 'curly quotes exist only in Greek and Arabic');
});

test('lossless (default): LC numeric character references for what MARC-8 lacks', () => {
  assert.deepEqual(encode('aꭓb'), { bytes: 'a&#xAB53;b', problems: [] });
  assert.equal(encode('😀').bytes, '&#x1F600;');
  assert.equal(encode('Иꭓ').bytes, '\x1b(Ni\x1b(B&#xAB53;');
  // A base MARC-8 lacks takes its marks with it as references, in order.
  assert.equal(encode('ꭓ\u0301').bytes, '&#xAB53;&#x0301;');
  // A mark MARC-8 lacks follows the base, after the marks it has.
  assert.equal(encode('e\u0301\u20dd').bytes, '\xe2e&#x20DD;');
  // A mark with no base cannot go before one.
  assert.equal(encode('\u0301a').bytes, '&#x0301;a');
  assert.equal(encode('\u001fa\u0301').bytes, '\x1fa&#x0301;');
  // ESC, 1D and 1E would break the escape state or the record.
  assert.equal(encode('a\u001bb\u001ec').bytes, 'a&#x001B;b&#x001E;c');
  // A literal reference in the text is protected so that it reads back as written.
  assert.equal(encode('x &#x00E9; y').bytes, 'x &#x0026;#x00E9; y');
  assert.equal(decodeMarc8(encodeMarc8('x &#x00E9; y')), 'x &#x00E9; y');
  assert.equal(encode('&#x41; & &#').bytes, '&#x41; & &#');
});

test('strict: replacement plus E304 per character; lossy: replacement only', () => {
  const strict = encode('aꭓb😀', { mode: 'strict' });
  assert.equal(strict.bytes, 'a?b?');
  assert.deepEqual(
    strict.problems.map((p) => [p.code, p.offset, p.message]),
    [
      ['E304', 1, 'U+AB53 cannot be written in MARC-8'],
      ['E304', 3, 'U+1F600 cannot be written in MARC-8'],
    ],
  );
  assert.deepEqual(encode('aꭓb', { mode: 'lossy' }), { bytes: 'a?b', problems: [] });
  assert.equal(encode('aꭓb', { mode: 'lossy', replacement: '|' }).bytes, 'a|b');
  assert.equal(encode('Иꭓ', { mode: 'lossy' }).bytes, '\x1b(Ni\x1b(B?');
  assert.throws(() => new Marc8Encoder({ mode: 'loose' as 'lossy' }), RangeError);
  assert.throws(() => new Marc8Encoder({ replacement: '¿' }), RangeError);
});

test('lone surrogates and bad subfield codes are reported in every mode', () => {
  const lone = encode('a\ud800b');
  assert.equal(lone.bytes, 'a&#xFFFD;b');
  assert.equal(lone.problems[0]?.code, 'E304');
  const code = encode('\u001fäx');
  assert.equal(code.bytes, '\x1f?x');
  assert.equal(code.problems[0]?.offset, 1);
});

test('ASCII text is written as is', () => {
  const text = '\u001faThe Great Ray Charles\u001fh[sound recording]. & co';
  assert.equal(encode(text).bytes, text);
  assert.equal(encode('').bytes, '');
});

test('registered under marc-8 and marc8 with leader/09 blank', () => {
  const encoder = getEncoder('marc8', { mode: 'lossy' });
  assert.equal(encoder.leader09, ' ');
  assert.equal(encoder.name, 'marc-8');
  assert.equal(latin1(encoder.encode('éꭓ', [])), '\xe2e?');
  assert.equal(latin1(getEncoder('MARC-8').encode('ꭓ', [])), '&#xAB53;');
});

test('round trip MARC-8 → Unicode → MARC-8 on real records: byte-identical fields', () => {
  const cases: [string, number][] = [
    ['marc8/folio-61PRINT160129.mrc', 8260],
    ['marc8/marc8.dat', 27],
    ['marc8/marc4js-marc8.mrc', 27],
    ['marc8/yaz-marc9.marc', 40],
    ['marc8/escaped_character_reference.marc8.marc', 2],
  ];
  for (const normalize of ['NFC', false] as const) {
    const decoder = new Marc8Decoder({ normalize });
    const encoder = new Marc8Encoder();
    for (const [file, fields] of cases) {
      const bytes = fixture(file);
      const all = rawFields(bytes);
      assert.equal(all.length, fields, file);
      for (const f of all) {
        const problems: DecodeProblem[] = [];
        const text = decoder.decode(bytes, f.start, f.end, problems);
        assert.deepEqual(problems, []);
        assert.equal(latin1(encoder.encode(text, problems)), latin1(bytes.subarray(f.start, f.end)), `${file} ${f.tag}`);
      }
    }
  }
});

test('round trip on the MARC-8 records of marc4js’s mixed file and yaz’s CJK record', () => {
  const decoder = new Marc8Decoder();
  const encoder = new Marc8Encoder();
  const mixed = fixture('marc8/marc4js-marc8_utf8_mixed.mrc');
  const marc8Fields = rawFields(mixed).filter((f) => f.leader09 === ' ');
  for (const f of marc8Fields) {
    const text = decoder.decode(mixed, f.start, f.end, []);
    assert.equal(latin1(encoder.encode(text, [])), latin1(mixed.subarray(f.start, f.end)), f.tag);
  }
  // marc12: all but the field with unmapped bytes and the one using a second EACC code for a
  // character (0x273D6C; the encoder writes the first-listed 0x216462).
  const yaz = fixture('marc8/yaz-marc12.marc');
  const differing: string[] = [];
  for (const f of rawFields(yaz)) {
    const problems: DecodeProblem[] = [];
    const text = decoder.decode(yaz, f.start, f.end, problems);
    if (latin1(encoder.encode(text, [])) !== latin1(yaz.subarray(f.start, f.end))) differing.push(`${f.tag}${problems.length > 0 ? ' (bad bytes)' : ''}`);
  }
  assert.deepEqual(differing, ['880', '880 (bad bytes)']);
});

test('round trip on pymarc’s test_marc8.txt: all 1,514 lines decode back; 1,038 are byte-identical', () => {
  // The other 476 escape around every word ("ESC ( 3 word ESC ( B space ESC ( 3 word"), which
  // the minimal-escape encoder writes as one run.
  const buf = fixture('marc8/test_marc8.txt');
  const decoder = new Marc8Decoder({ normalize: false });
  let start = 0;
  let lines = 0;
  let identical = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    const problems: DecodeProblem[] = [];
    const text = decoder.decode(buf, start, i, problems);
    if (problems.length === 0) {
      lines++;
      const again = encodeMarc8(text);
      assert.equal(decodeMarc8(again, { normalize: false }), text);
      if (latin1(again) === latin1(buf.subarray(start, i))) identical++;
    }
    start = i + 1;
  }
  assert.equal(lines, 1514);
  assert.equal(identical, 1038);
});

/** NFC as the decoder applies it: per subfield, so a code never composes with a mark after it. */
function nfcBySubfield(text: string): string {
  const parts = text.split('\x1f');
  return parts.map((p, i) => (i === 0 ? p.normalize('NFC') : p.slice(0, 1) + p.slice(1).normalize('NFC'))).join('\x1f');
}

test('property: encode then decode is the identity (after NFC) on random text', () => {
  const random = rng(0x6d617263);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const cjk = Array.from(eacc().values).filter((cp) => cp < 0xe000 || cp > 0xf8ff);
  const pools: (() => string)[] = [
    () => pick(['The', 'library', 'of', 'Congress', '1990', '(ed.)', '[s.n.]', '&', '$', '~', '{x}', ';', '/']),
    () => pick(['é', 'ñ', 'ü', 'Å', 'ł', 'Ø', 'æ', 'Œ', 'ß', 'ð', 'þ', 'ı', 'ơ', 'ư', 'ứ', 'ộ', 'ǎ', '©', '℗', '®', '€', '£', '°', '¿', '¡', '♭', '♯', 'ℓ', 'ʻ', 'ʼ', 'ʹ', 'ʺ', '·', '±']),
    () => pick(['a', 'e', 'o', 'n', 'z']) + pick(['\u0300', '\u0301', '\u0302', '\u0303', '\u0304', '\u0306', '\u0307', '\u0308', '\u030c', '\u030a', '\u0323', '\u0327', '\u0328', '\u0310', '\u0315', '\u0313', '\u0333', '\u0332', '\u031c', '\u032e', '\u0326', '\u0325', '\u0324', '\u0309', '\u030b']),
    () => pick(['t', 'i', 'n']) + pick(['\u0361', '\u0360']) + pick(['s', 'u', 'g']),
    () => pick(['Иван', 'Пётр', 'ёж', 'Ђорђе', 'Ѣ', 'ґ', 'Її', 'щука', 'Ъ']),
    () => pick(['Ἀθῆναι', 'λόγος', 'ΑΒΓ', 'ϛ', 'ϡ', 'ᾳ', 'ὁ', '«', '»']),
    () => pick(['שָׁלוֹם', 'בְּרֵאשִׁית', 'ישראל', '׳', '״', 'װ']),
    () => pick(['كتاب', 'مُحَمَّد', 'ڍ', 'پ', 'گ', '،', '؛', '؟', '٣', 'ـ']),
    () => String.fromCodePoint(pick(cjk)) + String.fromCodePoint(pick(cjk)),
    () => pick(['₀', '₁', '₂', '₊', '₍', '⁰', '¹', '²', '³', '⁺', '⁽']),
    () => pick(['ꭓ', '😀', 'क', '\u20dd', 'ⅻ', '\u0301', '\u001b', 'Ա']),
    () => '\u001f' + pick(['a', 'b', '6', '2']),
    () => ' ',
  ];
  const decoder = new Marc8Decoder();
  const encoder = new Marc8Encoder();
  for (let n = 0; n < 3000; n++) {
    let text = '';
    const parts = 1 + Math.floor(random() * 12);
    for (let k = 0; k < parts; k++) text += pick(pools)();
    const problems: DecodeProblem[] = [];
    const bytes = encoder.encode(text, problems);
    assert.deepEqual(problems, [], JSON.stringify(text));
    const back = decoder.decode(bytes, 0, bytes.length, problems);
    assert.deepEqual(problems, [], JSON.stringify(text));
    assert.equal(back, nfcBySubfield(text), `case ${n}: ${JSON.stringify(text)} → ${JSON.stringify(latin1(bytes))}`);
    // And stable: NFC text encodes to bytes that decode and encode to themselves.
    const canonical = latin1(encoder.encode(nfcBySubfield(text), problems));
    assert.equal(latin1(encoder.encode(back, problems)), canonical, JSON.stringify(text));
  }
});
