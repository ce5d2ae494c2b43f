/**
 * mrrc's error catalogue (error_coverage.toml) applied to our reader: every ISO 2709 error fixture
 * yields its expected code. Where our reader meets a different defect first, the table says which
 * and why; those cases also check that the documented defect is reported in lenient mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { readRecordsSync, readResultsSync, parseRecord, toMarcXml, MarcError, Record, DataField, ControlField, Iso2709Writer, type ErrorCode } from '../../src/index.js';
import { FIXTURES, corpusRecords, fixture } from '../helpers.js';

interface Case { id: string; code: string; trigger_kind: string; trigger_fixture?: string; validation_level?: string }

function parseCoverage(text: string): Case[] {
  const cases: Case[] = [];
  let current: { [key: string]: string } | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '[[case]]') {
      current = {};
      cases.push(current as unknown as Case);
      continue;
    }
    const m = /^(\w+)\s*=\s*"(.*)"\s*$/.exec(line);
    if (m !== null && current !== null) current[m[1] as string] = m[2] as string;
  }
  return cases;
}

const cases = parseCoverage(readFileSync(FIXTURES + 'mrrc/error_coverage.toml', 'utf8'));

/**
 * Cases where strict mode stops at an earlier defect than the one the fixture was made for.
 * The authority fixtures carry an 008 whose directory length (41) is one short of its bytes,
 * which mrrc does not check and we report as E102 first.
 */
const FIRST_DEFECT: { [id: string]: ErrorCode | undefined } = {
  e106_authority_field_too_short: 'E102',
  e301_invalid_utf8_in_authority_control_field: 'E102',
};

/** Checks that run only when asked for MARC 21 validation (mrrc's strict_marc level). */
const needsValidation = (c: Case) => c.validation_level === 'strict_marc';

const isoCases = cases.filter((c) => (c.trigger_kind === 'parse_iso2709' || c.trigger_kind === 'parse_authority' || c.trigger_kind === 'parse_iso2709_lenient') && c.trigger_fixture?.endsWith('.bin'));

test('the catalogue has the ISO 2709 cases we expect', () => {
  assert.ok(isoCases.length >= 30, `${isoCases.length} cases`);
  const files = new Set(readdirSync(FIXTURES + 'mrrc/error_fixtures'));
  for (const c of isoCases) assert.ok(files.has((c.trigger_fixture as string).split('/').pop() as string), c.id);
});

for (const c of isoCases) {
  const file = (c.trigger_fixture as string).split('/').pop() as string;
  const bytes = readFileSync(FIXTURES + 'mrrc/error_fixtures/' + file);
  const validation = needsValidation(c) ? 'marc21' as const : 'structure' as const;
  const lenient = c.trigger_kind === 'parse_iso2709_lenient';
  test(`${c.id}: ${lenient ? 'lenient mode records' : 'strict mode throws'} ${FIRST_DEFECT[c.id] ?? c.code}`, () => {
    const expected = FIRST_DEFECT[c.id] ?? c.code;
    if (lenient) {
      const [result] = [...readResultsSync(bytes, { mode: 'lenient', eager: true })];
      assert.ok(result?.record, 'lenient mode delivers the record');
      assert.ok(result.errors.some((e) => e.code === expected), `${result.errors.map((e) => e.code)} includes ${expected}`);
      return;
    }
    assert.throws(
      () => [...readRecordsSync(bytes, { mode: 'strict', eager: true, validation, encoding: c.code === 'E301' ? 'utf-8' : 'auto' })],
      (e: unknown) => {
        assert.ok(e instanceof MarcError, String(e));
        assert.equal(e.code, expected, e.message);
        assert.equal(e.recordIndex, 0);
        assert.equal(typeof e.byteOffset, 'number');
        assert.equal(typeof e.bytesNear, 'string');
        return true;
      },
    );
    if (FIRST_DEFECT[c.id] !== undefined) {
      const results = [...readResultsSync(bytes, { mode: 'permissive', eager: true, validation, encoding: c.code === 'E301' ? 'utf-8' : 'auto' })];
      const codes = results.flatMap((r) => r.errors.map((e) => e.code));
      assert.ok(codes.includes(c.code as ErrorCode), `${codes} includes ${c.code}`);
    }
  });
}

test('every error fixture is delivered or reported in permissive mode, never thrown', () => {
  for (const file of readdirSync(FIXTURES + 'mrrc/error_fixtures').filter((f) => f.endsWith('.bin'))) {
    const bytes = readFileSync(FIXTURES + 'mrrc/error_fixtures/' + file);
    const results = [...readResultsSync(bytes, { mode: 'permissive', eager: true })];
    assert.ok(results.length >= 1, file);
    for (const r of results) assert.ok(r.record !== null || r.errors.length > 0, file);
  }
});

test('an eager read leaves nothing to find: decoding every field afterwards reports nothing new', () => {
  // Eager reads skip the decode when it could find nothing (well-formed text, printable codes);
  // whichever way a record went, every problem must already be on it.
  const raws = corpusRecords(300).map(({ file, result }) => ({ file, raw: result.raw }));
  for (const name of readdirSync(FIXTURES + 'mrrc/error_fixtures').filter((f) => f.endsWith('.bin'))) {
    for (const r of readResultsSync(readFileSync(FIXTURES + 'mrrc/error_fixtures/' + name), { mode: 'permissive' })) raws.push({ file: name, raw: r.raw });
  }
  assert.ok(raws.length > 1500, `${raws.length} records`);
  let withProblems = 0;
  for (const { file, raw } of raws) {
    for (const maxSubfields of [undefined, 2]) {
      let record: Record;
      try {
        record = parseRecord(raw, { mode: 'lenient', eager: true, ...(maxSubfields === undefined ? {} : { maxSubfields }) });
      } catch {
        continue;
      }
      const found = record.errors.map((e) => `${e.code} ${e.tag} ${e.message}`);
      if (found.length > 0) withProblems++;
      record.decodeAll();
      for (const field of record.fields) field.value();
      assert.deepEqual(record.errors.map((e) => `${e.code} ${e.tag} ${e.message}`), found, `${file}${maxSubfields === undefined ? '' : ' maxSubfields 2'}`);
    }
  }
  assert.ok(withProblems > 100, `${withProblems} records with problems`);
});

test('an eager read finds a bad subfield code after an empty delimiter, and too many subfields', () => {
  const make = (data: number[]): Uint8Array => {
    const field = Uint8Array.from([0x31, 0x30, ...data, 0x1e]);
    const dir = new TextEncoder().encode('245' + String(field.length).padStart(4, '0') + '00000');
    const base = 24 + dir.length + 1;
    const leader = new TextEncoder().encode(String(base + field.length + 1).padStart(5, '0') + 'nam a22' + String(base).padStart(5, '0') + '   4500');
    return Uint8Array.from([...leader, ...dir, 0x1e, ...field, 0x1d]);
  };
  const badCode = make([0x1f, 0x61, 0x41, 0x1f, 0x1f, 0x0a, 0x42]);
  assert.deepEqual(parseRecord(badCode, { mode: 'lenient', eager: true }).errors.map((e) => e.code), ['E202']);
  assert.throws(() => parseRecord(badCode, { mode: 'strict', eager: true }), (e: unknown) => e instanceof MarcError && e.code === 'E202');
  const three = make([0x1f, 0x61, 0x41, 0x1f, 0x62, 0x42, 0x1f, 0x63, 0x43]);
  assert.deepEqual(parseRecord(three, { mode: 'lenient', eager: true }).errors.map((e) => e.code), []);
  assert.deepEqual(parseRecord(three, { mode: 'lenient', eager: true, maxSubfields: 2 }).errors.map((e) => e.code), ['E008']);
});

test('E404: writer refuses a bad tag, an oversized record, and use after finish', () => {
  const badTag = new Record({ fields: [new ControlField('001', 'x'), new DataField('24', ' ', ' ', [{ code: 'a', value: 't' }])] });
  assert.throws(() => badTag.toMarc(), (e: unknown) => e instanceof MarcError && e.code === 'E404' && e.tag === '24');
  const huge = new Record({ fields: [new ControlField('001', 'x')] });
  for (let i = 0; i < 30; i++) huge.addField(new DataField('500', ' ', ' ', [{ code: 'a', value: 'y'.repeat(5000) }]));
  assert.throws(() => huge.toMarc(), (e: unknown) => e instanceof MarcError && e.code === 'E404' && e.controlNumber === 'x');
  // Limits no oversize option lifts: a field's length has 4 digits, the base address 5.
  const longField = new Record({ fields: [new ControlField('001', 'x'), new DataField('520', ' ', ' ', [{ code: 'a', value: 'z'.repeat(10_000) }])] });
  for (const oversize of ['error', 'truncate-length'] as const) {
    assert.throws(() => longField.toMarc({ oversize }), (e: unknown) => e instanceof MarcError && e.code === 'E404' && e.tag === '520' && /520 is 10005 bytes, beyond the directory's 4-digit length/.test(e.message), oversize);
  }
  const manyFields = new Record({ fields: [new ControlField('001', 'x')] });
  for (let i = 0; i < 8400; i++) manyFields.addField(new DataField('500', ' ', ' ', [{ code: 'a', value: 'n' }]));
  for (const oversize of ['error', 'truncate-length'] as const) {
    assert.throws(() => manyFields.toMarc({ oversize }), (e: unknown) => e instanceof MarcError && e.code === 'E404' && /8401 fields need a 100837-byte directory/.test(e.message), oversize);
  }
  const writer = new Iso2709Writer();
  assert.ok(writer.write(new Record({ fields: [new ControlField('001', 'y')] })).length > 24);
  writer.finish();
  assert.throws(() => writer.write(new Record()), (e: unknown) => e instanceof MarcError && e.code === 'E404');
});

test('E404: what would not read back as written is refused, never written changed', () => {
  const withField = (field: ControlField | DataField): Record => new Record({ fields: [new ControlField('001', 'x'), field] });
  const refused: [string, Record, RegExp][] = [
    ['two-character indicator', withField(new DataField('500', 'ab', ' ', [{ code: 'a', value: 'v' }])), /indicators "ab"/],
    ['two-character code', withField(new DataField('500', ' ', ' ', [{ code: 'ab', value: 'v' }])), /subfield code "ab"/],
    ['delimiter as a code', withField(new DataField('500', ' ', ' ', [{ code: '\x1f', value: 'v' }])), /subfield code/],
    ['delimiter in a value', withField(new DataField('500', ' ', ' ', [{ code: 'a', value: 'x\x1fby' }])), /\$a holds a subfield delimiter \(0x1F\) at character 1/],
  ];
  for (const [what, record, message] of refused) {
    for (const encoding of ['utf-8', 'marc-8'] as const) {
      assert.throws(() => record.toMarc({ encoding }), (e: unknown) => e instanceof MarcError && e.code === 'E404' && message.test(e.message) && e.controlNumber === 'x', `${what}, ${encoding}`);
    }
  }
  // A leader character above U+00FF has no byte (it was written as its low byte, another character).
  const leader = withField(new DataField('500', ' ', ' ', [{ code: 'a', value: 'v' }]));
  leader.leader.set(5, '\u0115');
  for (const encoding of ['utf-8', 'marc-8'] as const) {
    assert.throws(() => leader.toMarc({ encoding }), (e: unknown) => e instanceof MarcError && e.code === 'E404' && /leader\/05 is "ĕ" \(U\+0115\)/.test(e.message) && e.controlNumber === 'x', encoding);
  }
  // An edit is checked like a field built in code.
  const [record] = [...readRecordsSync(withField(new DataField('245', '1', '0', [{ code: 'a', value: 'Title' }])).toMarc())];
  (record?.getDataField('245') as DataField).setSubfield('a', 'a\x1fbc');
  assert.throws(() => record?.toMarc(), (e: unknown) => e instanceof MarcError && e.code === 'E404' && e.tag === '245');
  // Terminators inside a field are held by the directory and read back the same: written as given.
  const held = withField(new DataField('500', ' ', ' ', [{ code: 'a', value: 'x\x1ey\x1dz' }]));
  held.addField(new ControlField('005', '2020\x1e'));
  const [back] = [...readRecordsSync(held.toMarc())];
  assert.equal(back?.getValue('500', 'a'), 'x\x1ey\x1dz');
  assert.equal(back?.getValue('005'), '2020\x1e');
  // An empty indicator is written blank, as before.
  assert.equal([...readRecordsSync(withField(new DataField('500', '', ' ', [{ code: 'a', value: 'v' }])).toMarc())][0]?.getDataField('500')?.ind1, ' ');
  assert.throws(() => new Iso2709Writer({ encoding: 'ebcdic' as 'utf-8' }), (e: unknown) => e instanceof RangeError && /not "ebcdic"/.test(e.message));
});

test('E404: an indicator is written as one byte or refused, never as text that shifts the field', () => {
  const withIndicator = (ind1: string): Record => new Record({ fields: [new ControlField('001', 'x'), new DataField('500', ind1, '0', [{ code: 'a', value: 'caf\u00e9' }])] });
  // UTF-8 has no one-byte form of a non-ASCII character (written as text, 'é' took two bytes,
  // and the next read took 0xA9 for the second indicator and '0' for uncoded text).
  assert.throws(() => withIndicator('\u00e9').toMarc(), (e: unknown) => e instanceof MarcError && e.code === 'E404' && e.tag === '500' && /indicator "é" \(U\+00E9\) is not ASCII/.test(e.message));
  for (const encoding of ['utf-8', 'marc-8'] as const) {
    assert.throws(() => withIndicator('\u0115').toMarc({ encoding }), (e: unknown) => e instanceof MarcError && e.code === 'E404' && /U\+0115/.test(e.message), encoding);
  }
  // MARC-8 output: the Latin-1 byte a reader keeps such an indicator as (not a combining acute
  // and an 'e'), so it reads back the same.
  const marc8 = withIndicator('\u00e9').toMarc({ encoding: 'marc-8' });
  const [back] = [...readRecordsSync(marc8, { mode: 'lenient' })];
  const field = back?.getDataField('500');
  assert.deepEqual([field?.ind1, field?.ind2, field?.subfieldList()], ['\u00e9', '0', [{ code: 'a', value: 'caf\u00e9' }]]);
  assert.deepEqual(back?.errors, []);
  // A real MARC-8 record with such a byte: edited, it keeps the byte; transcoded to UTF-8 it is
  // refused with the reason instead of written shifted.
  const [read] = [...readRecordsSync(marc8, { mode: 'lenient' })];
  (read?.getDataField('500') as DataField).setSubfield('a', 'edited');
  const edited = read?.toMarc({ encoding: 'marc-8' }) as Uint8Array;
  const at = edited.indexOf(0xe9);
  assert.deepEqual([...edited.subarray(at - 1, at + 4)], [0x1e, 0xe9, 0x30, 0x1f, 0x61]);
  assert.equal([...readRecordsSync(edited)][0]?.getDataField('500')?.ind1, '\u00e9');
  assert.throws(() => read?.toMarc({ encoding: 'utf-8' }), (e: unknown) => e instanceof MarcError && e.code === 'E404' && /indicator "é"/.test(e.message));
});

test('E099: permissive reading stops after maxErrors unreadable records', () => {
  const junk = Buffer.alloc(40, 0x41);
  const input = Buffer.concat([junk, Buffer.from([0x1d]), junk, Buffer.from([0x1d]), junk, Buffer.from([0x1d])]);
  const skipped: number[] = [];
  assert.throws(
    () => [...readRecordsSync(input, { mode: 'permissive', maxErrors: 2, onError: (s) => skipped.push(s.recordIndex) })],
    (e: unknown) => e instanceof MarcError && e.code === 'E099',
  );
  assert.deepEqual(skipped, [0, 1]);
});

test('E007: a file that cannot be opened', () => {
  assert.throws(() => [...readRecordsSync('/nonexistent/file.mrc')], (e: unknown) => e instanceof MarcError && e.code === 'E007');
});

test('errors serialise to plain data and back (for postMessage)', () => {
  try {
    [...readRecordsSync(readFileSync(FIXTURES + 'mrrc/error_fixtures/e004_base_address_past_record.bin'))];
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof MarcError);
    const copy = MarcError.fromJSON(JSON.parse(JSON.stringify(e)));
    assert.equal(copy.code, 'E004');
    assert.equal(copy.message, e.message);
    assert.equal(copy.byteOffset, e.byteOffset);
  }
});

test('a problem found while decoding is on the record once, however often the field is decoded', () => {
  // Writing to MARC-8 builds each field for the write and drops it, so the next read or write
  // decodes it again: each time, the bad bytes were added to record.errors once more.
  for (const file of ['mrrc/error_fixtures/e301_invalid_utf8_in_subfield.bin', 'ruby-marc/utf8_with_bad_bytes.marc']) {
    const raw = fixture(file);
    const eager = parseRecord(raw, { mode: 'lenient', eager: true }).errors.map((e) => e.message);
    assert.ok(eager.length > 0, file);
    const record = parseRecord(raw, { mode: 'lenient' });
    for (let i = 0; i < 3; i++) {
      try {
        record.toMarc({ encoding: 'marc-8' });
      } catch {
        // What MARC-8 cannot hold is refused; the reading is what is checked here.
      }
      toMarcXml(record);
    }
    for (const field of record.fields) field.value();
    record.toJSON();
    assert.deepEqual(record.errors.map((e) => e.message), eager, file);
  }
});

test('a byte that is not UTF-8 in the leader is reported in lenient mode too, and kept', () => {
  // folio's sample100.mrc record 11 has 0x92 at leader/22, leader/09 'a'. Strict mode stopped
  // at it; lenient mode (and so `mrrc check`) said nothing, since no field's decode covers the
  // leader.
  const result = [...readResultsSync(fixture('folio/sample100.mrc'), { mode: 'lenient' })].find((r) => r.raw[22] === 0x92);
  assert.ok(result?.record, 'the fixture still has its record');
  const record = result.record;
  const e301 = record.errors.filter((e) => e.code === 'E301');
  assert.equal(e301.length, 1);
  assert.match(e301[0]?.message ?? '', /invalid UTF-8 byte 0x92 in the leader \(position 22\), read as U\+0092/);
  assert.equal(e301[0]?.byteOffset, (result.recordOffset ?? 0) + 22);
  assert.equal(record.leader.value.charCodeAt(22), 0x92);
  assert.equal(Buffer.from(record.toMarc())[22], 0x92, 'written back as read');
  assert.throws(() => parseRecord(result.raw), { code: 'E301' });
});

test("validation: 'marc21' from the parser alone (the rule tables not loaded) is refused, never skipped; through the package entry it checks", () => {
  // A fresh process that imports only the parser, as a worker or the CLI does.
  const parser = new URL('../../src/iso2709/parser.ts', import.meta.url).href;
  const bytes = JSON.stringify([...fixture('pymarc/test.dat').subarray(0, 2000)]);
  const code = `import { parseRecord } from ${JSON.stringify(parser)};
    const bytes = Uint8Array.from(${bytes}); const end = bytes.indexOf(0x1d) + 1;
    try { parseRecord(bytes.subarray(0, end), { mode: 'lenient', validation: 'marc21' }); console.log('parsed'); } catch (e) { console.log('refused: ' + e.message); }`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.match(run.stdout, /^refused: validation: 'marc21' needs mrrc's validate module/, run.stderr);
  const codes = [...readRecordsSync(fixture('pymarc/test.dat'), { mode: 'lenient', validation: 'marc21' })].flatMap((r) => r.errors.map((e) => e.code));
  assert.ok(codes.includes('E201'), codes.join(','));
});

test('a terminator inside a field (the directory says the field goes on) is reported by eager and validating reads, and kept', () => {
  // mrrc-testbed's embedded_terminators.mrc: 001 "ctrl\x1Dnumber", 245 "$aSplit\x1ETitle", 001
  // "\x1Dafterterm", each inside a directory length that ends at a real terminator. yaz cuts the
  // field at the first one; the testbed expects an error or a split. A plain (lazy) read does not
  // search each field, so it reads them silently.
  const bytes = fixture('corrupt/mrrc-testbed/synthetic/malformed/embedded_terminators.mrc');
  const lazy = [...readRecordsSync(bytes, { mode: 'lenient' })];
  assert.deepEqual(lazy.map((r) => r.errors.length), [0, 0, 0]);
  for (const options of [{ eager: true }, { validation: 'marc21' as const }]) {
    const records = [...readRecordsSync(bytes, { mode: 'lenient', ...options })];
    const e102 = records.map((r) => r.errors.filter((e) => e.code === 'E102').map((e) => [e.tag, e.byteOffset, e.message.replace(/^E102 directory_field_mismatch: | at byte.*/g, '')]));
    assert.deepEqual(e102, [
      [['001', 41, 'field 0 (001) holds a record terminator (0x1D)']],
      [['245', 50 + 63, 'field 1 (245) holds a field terminator (0x1E)']],
      [['001', 121 + 37, 'field 0 (001) holds a record terminator (0x1D)']],
    ], JSON.stringify(options));
    assert.equal(records[0]?.getValue('001'), 'ctrl\x1dnumber', 'kept as data');
    assert.equal(records[1]?.getDataField('245')?.get('a'), 'Split\x1eTitle');
    assert.deepEqual(Buffer.from(records[1]!.toMarc()), bytes.subarray(50, 121), 'written back as read');
  }
  assert.throws(() => [...readRecordsSync(bytes, { mode: 'strict', eager: true })], (e: unknown) => e instanceof MarcError && e.code === 'E102' && e.tag === '001' && e.recordIndex === 0);
});

test('control characters inside a field (a tab, line breaks, a form feed) are reported by eager and validating reads (E305), and kept', () => {
  const record = new Record({ leader: '00000nam a2200000   4500', fields: [new ControlField('001', 'c1'), new DataField('500', ' ', ' ', [{ code: 'a', value: 'one\ttwo\r\nthree' }])] });
  const bytes = Buffer.from(record.toMarc());
  assert.deepEqual([...readRecordsSync(bytes, { mode: 'lenient' })][0]?.errors, [], 'a plain read does not look');
  const [eager] = [...readRecordsSync(bytes, { mode: 'lenient', eager: true })];
  assert.deepEqual(eager?.errors.map((e) => [e.code, e.tag, e.severity, e.controlNumber]), [['E305', '500', 'warning', 'c1']]);
  assert.match(eager?.errors[0]?.message ?? '', /field 1 \(500\) holds control character 0x09 at byte \d+ and 2 more; kept as read/);
  assert.equal(bytes[eager?.errors[0]?.byteOffset ?? 0], 0x09);
  assert.equal(eager?.getDataField('500')?.get('a'), 'one\ttwo\r\nthree');
  assert.throws(() => [...readRecordsSync(bytes, { mode: 'strict', eager: true })], { code: 'E305' });
  // Real data: yaz's marc12.marc (MARC-8) has form feeds between its CJK sentences (26 of them in
  // one 880); its escapes are MARC-8's own and no control characters, nor are yaz-marc6's.
  const e305 = (file: string) => [...readRecordsSync(fixture(file), { mode: 'lenient', eager: true })].flatMap((r) => r.errors.filter((e) => e.code === 'E305').map((e) => e.message.replace(/^E305 control_character: | \(record .*$/g, '')));
  assert.deepEqual(e305('marc8/yaz-marc12.marc'), ['field 32 (880) holds control character 0x0C at byte 2070 and 25 more; kept as read']);
  assert.deepEqual(e305('marc8/yaz-marc6.marc'), []);
  assert.deepEqual(e305('marc8/folio-61PRINT160129.mrc'), []);
});
