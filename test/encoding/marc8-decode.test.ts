import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DecodeProblem } from '../../src/encoding/charset.js';
import { getDecoder } from '../../src/encoding/charset.js';
import { Marc8Decoder, decodeMarc8 } from '../../src/encoding/marc8/index.js';
import { fixture, fixturePath } from '../helpers.js';

interface Vector {
  source: string;
  direction: 'marc8->utf8' | 'utf8->marc8' | 'both';
  marc8_hex: string;
  utf8: string;
}

const vectors = JSON.parse(readFileSync(fixturePath('marc8/marc8_vectors.json'), 'utf8')) as Vector[];
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function decode(input: Uint8Array | string, options?: ConstructorParameters<typeof Marc8Decoder>[0]): { text: string; problems: DecodeProblem[] } {
  const problems: DecodeProblem[] = [];
  const b = typeof input === 'string' ? bytes(input) : input;
  const text = new Marc8Decoder(options).decode(b, 0, b.length, problems);
  return { text, problems };
}

/** Lines of a file split on LF, as byte ranges (the MARC-8 file is not text). */
function lines(buf: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i <= buf.length; i++) {
    if (i === buf.length || buf[i] === 0x0a) {
      if (i > start || i < buf.length) out.push([start, i]);
      start = i + 1;
    }
  }
  return out;
}

// Vectors whose expected text is not what LC's tables give; each is checked on its own below.
const NOT_LC = new Map<number, string>([
  [11, "Innovative Interfaces' private EACC codes (MARC::Charset only)"],
  [12, 'EACC 0x212024 (halfwidth middle dot) is not in LC’s EACC table'],
  [28, 'bad escape: we substitute U+FFFD where pymarc keeps the ESC'],
  [32, 'bad EACC: the expected U+FFFD comes with a problem'],
]);

test('marc8 vectors: every MARC-8 → UTF-8 vector LC’s tables define', () => {
  let checked = 0;
  vectors.forEach((v, i) => {
    if (v.direction === 'utf8->marc8' || NOT_LC.has(i)) return;
    const { text, problems } = decode(Buffer.from(v.marc8_hex, 'hex'));
    assert.equal(text, v.utf8.normalize('NFC'), `vector ${i} (${v.source})`);
    assert.deepEqual(problems, [], `vector ${i}`);
    checked++;
  });
  assert.equal(checked, 29);
});

test('marc8 vectors: the three that LC’s tables answer differently', () => {
  const iii = decode(Buffer.from((vectors[11] as Vector).marc8_hex, 'hex'));
  assert.ok(iii.problems.length > 0, 'III codes are reported, not guessed');
  assert.ok(iii.problems.every((p) => p.code === 'E302'));

  const kana = decode(Buffer.from((vectors[12] as Vector).marc8_hex, 'hex'));
  assert.equal(kana.text, (vectors[12] as Vector).utf8.replace(/\uFF65/g, '\uFFFD'));
  assert.deepEqual(kana.problems.map((p) => p.offset), [12, 34]);
  assert.match(kana.problems[0]?.message ?? '', /0x212024/);

  // pymarc's bad_marc8_escape.dat: "ESC ," cut short by the end of the field.
  const esc = decode(Buffer.from((vectors[28] as Vector).marc8_hex, 'hex'));
  assert.equal(esc.text, 'La Sociét\uFFFD,');
  assert.equal(esc.problems.length, 1);
  assert.equal(esc.problems[0]?.offset, 10);
  assert.match(esc.problems[0]?.message ?? '', /truncated escape sequence ESC ,/);
});

test('marc8 vectors: bad EACC gives ruby-marc’s replace-mode text and the offset of the bad triple', () => {
  const { text, problems } = decode(Buffer.from((vectors[32] as Vector).marc8_hex, 'hex'));
  assert.equal(text, '米国の統治の仕組\uFFFD');
  // One run of bad bytes, one problem: the triple "{69" starts at byte 27 (ruby-marc reports 30,
  // the position after it).
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.offset, 27);
  assert.match(problems[0]?.message ?? '', /EACC code 0x7B3639/);
});

test('pymarc test_marc8.txt → test_utf8.txt: 1,514 standard lines', () => {
  const marc8 = fixture('marc8/test_marc8.txt');
  const utf8 = fixture('marc8/test_utf8.txt').toString('utf8').split('\n');
  const ranges = lines(marc8);
  assert.equal(ranges.length, 1515);
  const decoder = new Marc8Decoder();
  const nfd = new Marc8Decoder({ normalize: 'NFD' });
  let matched = 0;
  ranges.forEach(([start, end], i) => {
    // Line 1515 is Innovative Interfaces' private EACC codes (… “ — ’ ” ™), outside LC's tables.
    if (i === 1514) return;
    const problems: DecodeProblem[] = [];
    const expected = (utf8[i] ?? '').normalize('NFC');
    assert.equal(decoder.decode(marc8, start, end, problems), expected, `line ${i + 1}`);
    assert.deepEqual(problems, [], `line ${i + 1}`);
    assert.equal(nfd.decode(marc8, start, end, problems), expected.normalize('NFD'), `line ${i + 1} NFD`);
    matched++;
  });
  assert.equal(matched, 1514);

  const [start, end] = ranges[1514] as [number, number];
  const problems: DecodeProblem[] = [];
  decoder.decode(marc8, start, end, problems);
  assert.ok(problems.length > 0 && problems.every((p) => p.code === 'E302' && p.offset >= start && p.offset < end));
});

test('normalize: NFC by default, NFD, or the tables’ own decomposed order', () => {
  assert.equal(decode('tr\xe1es').text, 'très');
  assert.equal(decode('tr\xe1es', { normalize: 'NFD' }).text, 'tre\u0300s');
  assert.equal(decode('tr\xe1es', { normalize: false }).text, 'tre\u0300s');
  // Marks keep their MARC-8 order without normalisation; NFC/NFD put them in canonical order.
  assert.equal(decode('\xe2\xf2a', { normalize: false }).text, 'a\u0301\u0323');
  assert.equal(decode('\xe2\xf2a', { normalize: 'NFD' }).text, 'a\u0323\u0301');
  // Greek ano teleia is an NFC singleton: normalisation turns it into MIDDLE DOT.
  assert.equal(decode('\x1b(S;\x1b(B', { normalize: false }).text, '\u0387');
  assert.equal(decode('\x1b(S;\x1b(B').text, '\u00b7');
  assert.throws(() => new Marc8Decoder({ normalize: 'NFKC' as 'NFC' }), RangeError);
});

test('ligatures and double tildes: LC’s U+0361/U+0360 by default, U+FE20–FE23 as an option', () => {
  const input = 'Ha\xfan\xfbgin Il\xebi\xecushin';
  assert.equal(decode(input).text, 'Han\u0360gin Ili\u0361ushin');
  assert.equal(decode(input, { ligatureHalves: true }).text, 'Han\ufe22g\ufe23in Ili\ufe20u\ufe21shin');
  // A lone second half maps to nothing in LC's mapping.
  assert.equal(decode('(\xeco)').text, '(o)');
});

test('lossless character references', () => {
  assert.equal(decode('a &#x200F; b &#xfffd; c').text, 'a \u200f b \ufffd c');
  assert.equal(decode('&#x1F600;').text, '😀');
  // Too short, too long, surrogate or past U+10FFFF: left as written.
  for (const s of ['&#x41;', '&#x1234567;', '&#xD800;', '&#x110000;', '&#200F;', '#x2000;']) assert.equal(decode(s).text, s);
  assert.equal(decode('&#x00E9;', { expandNcr: false }).text, '&#x00E9;');
  // Expanded marks take part in normalisation.
  assert.equal(decode('e&#x0301;').text, 'é');
  // Both paths: plain ASCII and a field with ANSEL.
  assert.equal(decode('\xe1a &#x2113;').text, 'à ℓ');
});

test('escape sequences: technique 1 and every G0/G1 designation form', () => {
  assert.equal(decode('x\x1bp2\x1bs y \x1bb2\x1bs \x1bga\x1bs').text, 'x² y ₂ α');
  assert.equal(decode('\x1b(NR\x1b(B').text, 'р');
  assert.equal(decode('\x1b,NR\x1b,B').text, 'р', 'ESC , designates G0 too');
  assert.equal(decode('\x1b)Q\xc4\x1b)E').text, 'ё', 'Extended Cyrillic in G1');
  assert.equal(decode('\x1b-Q\xc4\x1b-E\xe1a').text, 'ёà', 'ESC - designates G1');
  assert.equal(decode('\x1b(QD\x1b(B').text, 'ё', 'Extended Cyrillic in G0');
  assert.equal(decode('\x1b)4\xb9\x1b)!E\xe1a').text, 'ڍà', 'ESC ) ! E restores ANSEL');
  assert.equal(decode('\x1b$1!PV\x1b(B').text, '米');
  assert.equal(decode('\x1b$(1!PV\x1b(B').text, '米');
  assert.equal(decode('\x1b$,1!PV\x1b(B').text, '米');
  assert.equal(decode('\x1b$)1\xa1\xd0\xd6\x1b)E').text, '米', 'EACC in G1, high-bit triples');
  assert.equal(decode('\x1b(2`\x1b(B').text, 'א');
  assert.equal(decode('\x1b(3H\x1bs').text, 'ب', 'ESC s returns G0 to ASCII from any set');
  // Outside the BMP: EACC 0x217559 is U+212C4.
  assert.equal(decode('\x1b$1!uY\x1b(B').text, '\u{212C4}');
});

test('a space is a space in every set, EACC included', () => {
  assert.equal(decode('\x1b$1!PV !PV\x1b(B').text, '米 米');
  assert.equal(decode('\x1b(NR R\x1b(B').text, 'р р');
  assert.equal(decode('\x1bp2 2\x1bs').text, '² ²');
});

test('escape state lasts one field and starts at ASCII / ANSEL', () => {
  const decoder = new Marc8Decoder();
  const a = bytes('\x1b(NR');
  const b = bytes('R\xe1a');
  assert.equal(decoder.decode(a, 0, a.length, []), 'р');
  assert.equal(decoder.decode(b, 0, b.length, []), 'Rà');
});

test('subfields: delimiter and code pass through; state carries on, marks do not', () => {
  // The code is ASCII even while Cyrillic is designated; the text after it is still Cyrillic.
  assert.equal(decode('\x1fa\x1b(NR\x1fbR\x1b(B').text, '\u001faр\u001fbр');
  // A mark before a delimiter is flushed there rather than attached to the next subfield.
  assert.equal(decode('\x1fax\xe2\x1fbc', { normalize: false }).text, '\u001fax\u0301\u001fbc');
  assert.equal(decode('\x1fa\xe2\x1fbc', { normalize: false }).text, '\u001fa\u0301\u001fbc');
  // EACC: the delimiter and code are single bytes between triples.
  assert.equal(decode('\x1fa\x1b$1!PV\x1fb!PV\x1b(B').text, '\u001fa米\u001fb米');
  // A delimiter followed by ESC has no code: the escape is read as an escape (yaz marc12.marc).
  assert.equal(decode('\x1fa\x1b$1!PV\x1f\x1b$1!PV\x1b(B').text, '\u001fa米\u001f米');
  // An empty subfield: the second delimiter is the first one's code and passes through.
  assert.equal(decode('\x1fbx\x1f\x1f2y').text, '\u001fbx\u001f\u001f2y');
});

test('C0 controls other than ESC pass through, in both paths', () => {
  assert.equal(decode('a\x0cb').text, 'a\u000cb');
  assert.equal(decode('\xe1a\x0c\x1ab').text, 'à\u000c\u001ab');
  assert.equal(decode('\x1b$1!PV\x1b(B\x0c\x1b$1!PV\x1b(B').text, '米\u000c米');
});

test('bad input: U+FFFD and an E302 problem at the absolute offset', () => {
  const cases: [string, string, number, RegExp][] = [
    ['a\xfdb', 'a\ufffdb', 1, /0xFD is not mapped in Extended Latin \(ANSEL\) \(G1\)/],
    ['a\x85b', 'a\ufffdb', 1, /C1 control 0x85/],
    ['\x1b(S,\x1b(B', '\ufffd', 3, /0x2C is not mapped in Basic Greek \(G0\)/],
    ['a\x1b(Xb', 'a\ufffdb', 1, /unknown escape sequence ESC \( X/],
    ['a\x1bZb', 'a\ufffdb', 1, /unknown escape sequence ESC Z/],
    ['a\x1b', 'a\ufffd', 1, /escape at end of field/],
    ['a\x1b(', 'a\ufffd(', 1, /truncated escape sequence ESC \(/],
    ['\x1b$1!P', '\ufffd', 3, /truncated EACC character/],
    ['\x1b$1!P\x1b(Bx', '\ufffdx', 3, /truncated EACC character/],
    ['\x1b$1!PV!!!\x1b(B', '米\ufffd', 6, /EACC code 0x212121 has no Unicode mapping/],
  ];
  for (const [input, text, offset, message] of cases) {
    const padded = new Uint8Array(5 + input.length);
    padded.set(bytes(input), 5);
    const problems: DecodeProblem[] = [];
    assert.equal(new Marc8Decoder().decode(padded, 5, padded.length, problems), text, JSON.stringify(input));
    assert.equal(problems.length, 1, JSON.stringify(input));
    assert.equal(problems[0]?.code, 'E302');
    assert.equal(problems[0]?.offset, 5 + offset, JSON.stringify(input));
    assert.match(problems[0]?.message ?? '', message);
  }
});

test('a run of bad bytes is one replacement and one problem; a good character ends the run', () => {
  const run = decode('a\xfd\xfd\xfdb');
  assert.equal(run.text, 'a\ufffdb');
  assert.equal(run.problems.length, 1);
  const two = decode('\xfda\xfd');
  assert.equal(two.text, '\ufffda\ufffd');
  assert.deepEqual(two.problems.map((p) => p.offset), [0, 2]);
});

test('marks before a replacement attach to it; marks with no base at the end are kept', () => {
  assert.equal(decode('\xe2\xfd', { normalize: false }).text, '\ufffd\u0301');
  assert.equal(decode('ab\xe2', { normalize: false }).text, 'ab\u0301');
});

test('ASCII fast path: the bytes themselves, NCRs still expanded', () => {
  const text = 'The Great Ray Charles [sound recording]. 1957 & more';
  assert.equal(decode(text).text, text);
  assert.equal(decode('').text, '');
  assert.equal(decode('a&#x00E9;', { normalize: false }).text, 'aé');
  const buf = bytes('xxabcxx');
  assert.equal(new Marc8Decoder().decode(buf, 2, 5, []), 'abc');
});

test('registered under marc-8 and marc8, with options', () => {
  const b = bytes('tr\xe1es');
  assert.equal(getDecoder('marc8').decode(b, 0, b.length, []), 'très');
  assert.equal(getDecoder('MARC-8', { normalize: false }).decode(b, 0, b.length, []), 'tre\u0300s');
  assert.equal(getDecoder('marc-8').name, 'marc-8');
  assert.equal(getDecoder('marc-8').asciiTransparent, false);
  assert.equal(decodeMarc8(b), 'très');
  const problems: DecodeProblem[] = [];
  assert.equal(decodeMarc8(bytes('\xfd'), undefined, problems), '\ufffd');
  assert.equal(problems.length, 1);
});
