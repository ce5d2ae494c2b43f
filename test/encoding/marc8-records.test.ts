import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodeProblem } from '../../src/encoding/charset.js';
import { Marc8Decoder, looksLikeMarc8, looksLikeUtf8 } from '../../src/encoding/marc8/index.js';
import { MarcError, parseRecord, readRecordsSync } from '../../src/index.js';
import { fixture } from '../helpers.js';
import { rawFields, rawRecords, subfields, yazMarcXml, type RawField } from './marc8-iso.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeField(bytes: Uint8Array, f: RawField, decoder = new Marc8Decoder()): { text: string; problems: DecodeProblem[] } {
  const problems: DecodeProblem[] = [];
  return { text: decoder.decode(bytes, f.start, f.end, problems), problems };
}

/** Field as yaz's MARCXML shows it: the value, or the subfield pairs; NFC because yaz keeps MARC's decomposed order. */
function shape(tag: string, text: string): string {
  return JSON.stringify(tag < '010' ? text : subfields(text));
}

for (const n of [6, 7, 8, 9]) {
  test(`yaz marc${n}.marc (MARC-8) → marc${n}.xml, every field`, () => {
    const bytes = fixture(`marc8/yaz-marc${n}.marc`);
    const expected = yazMarcXml(fixture(`marc8/yaz-marc${n}.xml`).toString('utf8'));
    const fields = rawFields(bytes);
    assert.equal(fields.length, expected.length);
    fields.forEach((f, i) => {
      const e = expected[i];
      assert.equal(f.tag, e?.tag);
      const { text, problems } = decodeField(bytes, f);
      assert.deepEqual(problems, [], `${f.tag}`);
      const want = f.tag < '010' ? JSON.stringify((e?.value ?? '').normalize('NFC')) : JSON.stringify((e?.subfields ?? []).map(([c, v]) => [c, v.normalize('NFC')]));
      assert.equal(shape(f.tag, text), want, `${f.tag}`);
    });
  });
}

test('yaz marc12.marc (EACC, Greek, raw C0 controls) → marc12.xml: 40 of 42 fields, two known differences', () => {
  const bytes = fixture('marc8/yaz-marc12.marc');
  const expected = yazMarcXml(fixture('marc8/yaz-marc12.xml').toString('utf8'));
  const fields = rawFields(bytes);
  assert.equal(fields.length, 42);
  const differing: string[] = [];
  fields.forEach((f, i) => {
    const e = expected[i];
    const { text, problems } = decodeField(bytes, f);
    const want = f.tag < '010' ? JSON.stringify(e?.value ?? '') : JSON.stringify((e?.subfields ?? []).map(([c, v]) => [c, v.normalize('NFC')]));
    if (shape(f.tag, text) === want) return;
    differing.push(f.tag);
    if (problems.length > 0) {
      // 0xFD 0xFD inside an EACC run: not MARC-8; yaz drops the bytes, we report them.
      assert.equal(problems.length, 1);
      assert.equal(shape(f.tag, text.replace('\ufffd', '')), want);
    } else {
      // The 520 880: C0 controls (0x0C, 0x1A), which the XML writer drops, and a delimiter
      // followed by ESC, which yaz 2025 keeps inside the subfield. Characters are the same.
      const ours = text.replace(/[\u0000-\u001e]/g, '').replace(/\u001f(?![a-z0-9])/g, '');
      assert.equal(shape(f.tag, ours), want);
    }
  });
  assert.deepEqual(differing, ['880', '880']);
});

test('marc4js marc8.mrc → utf8.mrc and pymarc marc8.dat → utf8_with_leader_flag.dat, every field', () => {
  for (const [from, to] of [
    ['marc4js-marc8.mrc', 'marc4js-utf8.mrc'],
    ['marc8.dat', 'utf8_with_leader_flag.dat'],
  ] as const) {
    const a = fixture(`marc8/${from}`);
    const b = fixture(`marc8/${to}`);
    const fa = rawFields(a);
    const fb = rawFields(b);
    assert.equal(fa.length, 27);
    fa.forEach((f, i) => {
      const g = fb[i] as RawField;
      const { text, problems } = decodeField(a, f);
      assert.deepEqual(problems, []);
      assert.equal(text, utf8.decode(b.subarray(g.start, g.end)).normalize('NFC'), `${from} ${f.tag}`);
    });
  }
});

test('marc4js marc8_utf8_mixed.mrc → utf8_only.mrc: LC mapping differs only where marc4j wrote U+FE20/FE21', () => {
  const a = fixture('marc8/marc4js-marc8_utf8_mixed.mrc');
  const b = fixture('marc8/marc4js-utf8_only.mrc');
  const fa = rawFields(a);
  const fb = rawFields(b);
  assert.equal(rawRecords(a).length, 6);
  for (const [ligatureHalves, differences] of [
    [false, 3],
    [true, 0],
  ] as const) {
    const decoder = new Marc8Decoder({ ligatureHalves });
    let differ = 0;
    fa.forEach((f, i) => {
      const g = fb[i] as RawField;
      const text = f.leader09 === 'a' ? utf8.decode(a.subarray(f.start, f.end)) : decodeField(a, f, decoder).text;
      const expected = utf8.decode(b.subarray(g.start, g.end)).normalize('NFC');
      if (text !== expected) {
        differ++;
        assert.equal(text.replace(/(.)\u0361(.)/gu, '$1\ufe20$2\ufe21'), expected);
      }
    });
    assert.equal(differ, differences);
  }
  const all = utf8.decode(b).normalize('NFC');
  assert.ok(all.includes('黑澤明') && all.includes('Premio del Público 27°'));
});

test('folio 61PRINT160129.mrc (246 records, ANSEL) against yaz-marcdump’s UTF-8 conversion', () => {
  // The expected file was made with `yaz-marcdump -f marc8 -t utf8 -o marc` (yaz 5.34).
  const a = fixture('marc8/folio-61PRINT160129.mrc');
  const b = fixture('marc8/folio-61PRINT160129.yaz-utf8.mrc');
  const fa = rawFields(a);
  const fb = rawFields(b);
  assert.equal(rawRecords(a).length, 246);
  assert.equal(fa.length, fb.length);
  const decoder = new Marc8Decoder();
  let nonAscii = 0;
  fa.forEach((f, i) => {
    const g = fb[i] as RawField;
    const { text, problems } = decodeField(a, f, decoder);
    assert.deepEqual(problems, []);
    if (a.subarray(f.start, f.end).some((x) => x >= 0x80)) nonAscii++;
    const expected = utf8.decode(b.subarray(g.start, g.end)).normalize('NFC');
    // yaz drops an empty subfield ("$b cri $ $2 rdacontent" in record 84); the characters agree.
    const ours = f.tag < '010' ? text : text.replace(/\u001f(?=\u001f)/g, '');
    assert.equal(ours, expected, `record ${f.record} ${f.tag}`);
  });
  assert.equal(nonAscii, 114);
});

test('pymarc bad_marc8_escape.dat: 260 $b "La Sociét" + U+FFFD + ","', () => {
  const bytes = fixture('marc8/bad_marc8_escape.dat');
  const f = rawFields(bytes).find((x) => x.tag === '260') as RawField;
  const { text, problems } = decodeField(bytes, f);
  assert.deepEqual(subfields(text), [
    ['a', 'Bordeaux :'],
    ['b', 'La Sociét\ufffd,'],
  ]);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.offset, f.end - 2, 'the ESC');
});

test('pymarc/ruby-marc bad_eacc_encoding: error at the bad triple, or ruby-marc’s replace-mode text', () => {
  const bytes = fixture('marc8/bad_eacc_encoding.dat');
  const f = rawFields(bytes).find((x) => x.tag === '880' && bytes.subarray(x.start, x.end).includes(0x7b)) as RawField;
  const { text, problems } = decodeField(bytes, f);
  assert.equal(subfields(text)[1]?.[1], '米国の統治の仕組\ufffd');
  assert.equal(problems.length, 1);
  const valueStart = bytes.indexOf(0x1b, f.start);
  assert.equal(problems[0]?.offset, valueStart + 27, 'ruby-marc counts 30 from the subfield: the byte after the triple');

  // Through the reader: strict mode throws E302, lenient keeps the record with the error.
  assert.throws(
    () => {
      for (const r of readRecordsSync(bytes)) r.decodeAll();
    },
    (e: unknown) => e instanceof MarcError && e.code === 'E302',
  );
  const [record] = [...readRecordsSync(bytes, { mode: 'lenient' })];
  assert.ok(record !== undefined);
  const f880 = record.getDataFields('880').find((x) => x.get('6')?.startsWith('245'));
  assert.equal(f880?.get('a'), '米国の統治の仕組\ufffd');
  assert.ok(record.errors.some((e) => e.code === 'E302'));
});

test('ruby-marc escaped_character_reference: 260 $a with the expanded reference', () => {
  const bytes = fixture('marc8/escaped_character_reference.marc8.marc');
  const f = rawFields(bytes).find((x) => x.tag === '260') as RawField;
  assert.deepEqual(subfields(decodeField(bytes, f).text)[0], ['a', 'Rio de Janeiro escaped replacement char: \ufffd .']);
});

test('reader: pymarc marc8.dat 240 $a, NFC by default and NFD on request', () => {
  const bytes = fixture('marc8/marc8.dat');
  const [record] = [...readRecordsSync(bytes)];
  assert.equal(record?.getDataField('240')?.get('a'), 'De la solitude à la communauté.');
  assert.equal(record?.getControlField('008')?.data.startsWith('840112s1962'), true);
  const [nfd] = [...readRecordsSync(bytes, { normalize: 'NFD' })];
  assert.equal(nfd?.getDataField('240')?.get('a'), 'De la solitude à la communauté.'.normalize('NFD'));
  const [forced] = [...readRecordsSync(fixture('marc8/marc4js-marc8.mrc'), { encoding: 'marc-8' })];
  assert.equal(forced?.getDataField('240')?.get('a'), 'De la solitude à la communauté.');
});

test('reader: yaz marc9 880s in Arabic come out as Arabic', () => {
  const [record] = [...readRecordsSync(fixture('marc8/yaz-marc9.marc'))];
  const f = record?.getDataFields('880').find((x) => x.get('6')?.startsWith('245'));
  assert.equal(f?.get('a'), 'قضاء الأسرة :');
});

test(
  'reader: a MARC-8 record with only 7-bit bytes still goes through the decoder (escapes, references)',
  () => {
    // yaz marc8.marc has no byte above 0x7F but three ESC p / ESC ( B superscript escapes.
    const [record] = [...readRecordsSync(fixture('marc8/yaz-marc8.marc'), { encoding: 'marc-8' })];
    const notes = record?.getDataFields('500').map((f) => f.get('a')) ?? [];
    assert.ok(notes.includes('Signatures: A⁴ B²'), JSON.stringify(notes));
    const [ncr] = [...readRecordsSync(fixture('marc8/escaped_character_reference.marc8.marc'))];
    assert.equal(ncr?.getDataField('260')?.get('a'), 'Rio de Janeiro escaped replacement char: \ufffd .');
  },
);

test('ruby-marc marc8_accented_chars.marc: MARC-8 flagged as UTF-8', () => {
  const bytes = fixture('marc8/marc8_accented_chars.marc');
  const [r] = rawRecords(bytes);
  assert.equal(bytes[(r?.start ?? 0) + 9], 0x61, 'leader/09 says UTF-8');
  const f = rawFields(bytes).find((x) => x.tag === '100') as RawField;
  assert.deepEqual(subfields(decodeField(bytes, f).text)[0], ['a', 'Serreau, Geneviève.']);
  assert.equal(looksLikeMarc8(bytes, f.start, f.end), true);
  assert.equal(looksLikeUtf8(bytes, f.start, f.end), false);
  const [record] = [...readRecordsSync(bytes, { encoding: 'marc-8' })];
  assert.equal(record?.getDataField('100')?.get('a'), 'Serreau, Geneviève.');
});

test('mislabel heuristics on whole records and single fields', () => {
  const utf8Unflagged = fixture('marc8/utf8_without_leader_flag.dat');
  assert.equal(utf8Unflagged[9], 0x20, 'leader/09 says MARC-8');
  assert.equal(looksLikeUtf8(utf8Unflagged), true);
  assert.equal(looksLikeMarc8(utf8Unflagged), false);

  const marc8 = fixture('marc8/marc8.dat');
  assert.equal(looksLikeUtf8(marc8), false);
  assert.equal(looksLikeMarc8(marc8), true);

  // Pure 7-bit MARC-8: escape sequences are the only evidence, and they are valid UTF-8.
  const cyrillic = Uint8Array.from('\x1b(NiWAN\x1b(B', (c) => c.charCodeAt(0));
  assert.equal(looksLikeMarc8(cyrillic), true);
  assert.equal(looksLikeUtf8(cyrillic), false);

  // Plain ASCII is evidence of nothing.
  const ascii = Uint8Array.from('The pragmatic programmer', (c) => c.charCodeAt(0));
  assert.equal(looksLikeMarc8(ascii), false);
  assert.equal(looksLikeUtf8(ascii), false);

  // An ESC that is not a MARC-8 escape, or bytes MARC-8 cannot decode: not MARC-8.
  assert.equal(looksLikeMarc8(Uint8Array.of(0x41, 0x1b, 0x5a, 0x42)), false);
  assert.equal(looksLikeMarc8(Uint8Array.of(0x41, 0xfd, 0x42)), false);
  const f = rawFields(marc8).find((x) => x.tag === '240') as RawField;
  assert.equal(looksLikeMarc8(marc8, f.start, f.end), true);
  const g = rawFields(marc8).find((x) => x.tag === '245') as RawField;
  assert.equal(looksLikeMarc8(marc8, g.start, g.end), marc8.subarray(g.start, g.end).some((b) => b >= 0x80));
});

test('reader: 7-bit MARC-8 flagged UTF-8 (escapes only) is read as MARC-8 in lenient mode, with E303', () => {
  // G0 basic Cyrillic between ESC ( N and ESC ( B: every byte is ASCII, so the record is valid
  // UTF-8 too, and used to be read as UTF-8 with the escapes kept as text.
  const field = Buffer.from('10\x1fa\x1b(NPRIWET\x1b(B\x1e', 'latin1');
  const directory = '245' + String(field.length).padStart(4, '0') + '00000';
  const base = 24 + directory.length + 1;
  const length = base + field.length + 1;
  const leader = String(length).padStart(5, '0') + 'nam a22' + String(base).padStart(5, '0') + '   4500';
  const raw = Buffer.concat([Buffer.from(leader + directory + '\x1e', 'latin1'), field, Buffer.from('\x1d', 'latin1')]);
  assert.equal(raw[9], 0x61, 'leader/09 says UTF-8');
  const lenient = parseRecord(raw, { mode: 'lenient' });
  assert.equal(lenient.get('245')?.value(), 'привет');
  assert.deepEqual(lenient.errors.map((e) => e.code), ['E303']);
  assert.equal(looksLikeMarc8(raw, 24, raw.length), true);
  // Strict mode does not guess, and reading on as UTF-8 would leave the escapes in the text.
  assert.throws(() => parseRecord(raw, { mode: 'strict' }), (e: unknown) => e instanceof MarcError && e.code === 'E303' && e.severity === 'error' && /says utf-8 but the bytes are marc-8/.test(e.message));
  // An explicit encoding is obeyed whatever the bytes look like.
  assert.equal(parseRecord(raw, { mode: 'lenient', encoding: 'utf-8' }).get('245')?.value(), '\x1b(NPRIWET\x1b(B');
});

test('reader: a bad MARC-8 byte is reported with tag, subfield code and byte offset', () => {
  const bytes = fixture('marc8/bad_eacc_encoding.dat');
  assert.throws(() => {
    for (const r of readRecordsSync(bytes)) r.decodeAll();
  }, (e: unknown) => e instanceof MarcError && e.code === 'E302' && typeof e.tag === 'string' && typeof e.subfieldCode === 'string' && typeof e.byteOffset === 'number');
});
