import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../helpers.js';
import { JsonRecordParser, MarcJsonParser, marcJsonToRecord } from '../../src/formats/marcjson/reader.js';
import { MarcJsonFastPath } from '../../src/formats/marcjson/fast.js';
import { toMarcJson, toMarcJsonObject, toMarcJsonText } from '../../src/formats/marcjson/writer.js';
import { ControlField, DataField } from '../../src/record/field.js';
import { Record } from '../../src/record/record.js';
import type { RecordParser } from '../../src/formats/common.js';
import type { Mode } from '../../src/errors.js';

// The fast path (MarcJsonParser) against the general one (brace scanner + JSON.parse + converter):
// the same results, errors and raw bytes, or the same thrown error, for every input and chunking.

const general = (mode: Mode): RecordParser => new JsonRecordParser(marcJsonToRecord, 'E402', 'marcjson', { mode });
const fast = (mode: Mode): RecordParser => new MarcJsonParser({ mode });

function run(make: () => RecordParser, bytes: Uint8Array, size: number): unknown {
  const parser = make();
  const out: unknown[] = [];
  try {
    for (let at = 0; at < bytes.length; at += size) {
      for (const r of parser.push(bytes.subarray(at, at + size))) out.push(describe(r));
    }
    for (const r of parser.end()) out.push(describe(r));
  } catch (e) {
    const err = e as { code?: string; message: string; recordIndex?: number };
    out.push({ thrown: err.code, message: err.message, recordIndex: err.recordIndex });
  }
  return out;
}

function describe(r: ReturnType<RecordParser['push']>[number]): unknown {
  return {
    record: r.record === null ? null : JSON.stringify(r.record.toJSON()),
    errors: r.errors.map((e) => `${e.code} ${e.message}`),
    raw: Buffer.from(r.raw).toString('hex'),
    index: r.recordIndex,
    offset: r.recordOffset,
  };
}

const leader = '00000nam a2200000   4500';
const good = `{"leader":"${leader}","fields":[{"001":"x1"},{"245":{"subfields":[{"a":"T"},{"b":"sub"}],"ind1":"1","ind2":"0"}}]}`;
const synthetic: { [name: string]: string } = {
  lines: `${good}\n${good}\r\n${good}`,
  array: `[${good},\n ${good}]\n`,
  concatenated: `${good}${good} ${good}`,
  pretty: JSON.stringify(JSON.parse(good), null, 2) + '\n' + JSON.stringify(JSON.parse(good), null, '\t'),
  indicatorsFirst: `{"leader":"${leader}","fields":[{"245":{"ind1":"1","ind2":" ","subfields":[{"a":"T"}]}}]}`,
  fieldsFirst: `{"fields":[{"001":"x"}],"leader":"${leader}"}`,
  extraKey: `{"leader":"${leader}","fields":[],"x":1}`,
  escapes: `{"leader":"${leader}","fields":[{"245":{"subfields":[{"a":"q\\"x\\\\y\\u00e9\\n\\/"},{"b":"\\\\"}],"ind1":"\\"","ind2":" "}},{"500":{"subfields":[{"a":"plain"}],"ind1":" ","ind2":" "}}]}`,
  badEscape: `{"leader":"${leader}","fields":[{"001":"a\\qb"}]}\n${good}`,
  rawNewline: `{"leader":"${leader}","fields":[{"001":"a\nb"}]}\n${good}`,
  rawTab: `{"leader":"${leader}","fields":[{"245":{"subfields":[{"a":"a\tb"}],"ind1":" ","ind2":" "}}]}\n${good}`,
  shortLeader: `{"leader":"00000nam","fields":[{"001":"x"}]}\n${good}`,
  noLeader: `{"fields":[{"001":"x"}]}\n${good}`,
  wideIndicator: `{"leader":"${leader}","fields":[{"245":{"subfields":[{"a":"T"}],"ind1":"10","ind2":" "}}]}\n${good}`,
  longTag: `{"leader":"${leader}","fields":[{"2450":"x"},{"24":"y"},{"ABC":"z"}]}\n${good}`,
  longCode: `{"leader":"${leader}","fields":[{"245":{"subfields":[{"ab":"T"}],"ind1":" ","ind2":" "}}]}\n${good}`,
  numberValue: `{"leader":"${leader}","fields":[{"001":5},{"245":{"subfields":[{"a":null}],"ind1":" ","ind2":" "}}]}\n${good}`,
  twoKeys: `{"leader":"${leader}","fields":[{"001":"x","003":"y"}]}\n${good}`,
  emptyFields: `{"leader":"${leader}","fields":[]}\n{"leader":"${leader}","fields":[{"245":{"subfields":[],"ind1":" ","ind2":" "}}]}`,
  notRecord: `{"fields": 3}\n${good}\n[1]\n`,
  stray: `${good}\nhello\n${good}`,
  truncated: `${good}\n{"leader":"${leader}","fields":[{"001":"x`,
  trailingComma: `{"leader":"${leader}","fields":[{"001":"x"},]}\n${good}`,
  unicode: `{"leader":"${leader}","fields":[{"245":{"subfields":[{"a":"Μαρούδης 😀 \\ud83d\\ude00"}],"ind1":" ","ind2":" "}}]}`,
  bom: `\ufeff${good}`,
};

const fixtures = ['pymarc/one.json', 'pymarc/batch.json', 'marc4js/marc_in_json.json', 'marc4js/collection.json', 'mrrc-errors/e402_malformed_marcjson.json', ...Array.from({ length: 12 }, (_, n) => `yaz/marc${n}.json`)];

test('MARC-in-JSON fast path: same results and errors as the general path, any chunking, every mode', () => {
  const inputs: [string, Uint8Array][] = [
    ...fixtures.map((f): [string, Uint8Array] => [f, fixture(`formats/${f}`)]),
    ...Object.entries(synthetic).map(([name, s]): [string, Uint8Array] => [name, new TextEncoder().encode(s)]),
  ];
  for (const [name, bytes] of inputs) {
    for (const mode of ['strict', 'lenient', 'permissive'] as const) {
      for (const size of [1, 3, 64, 1000, bytes.length || 1]) {
        assert.deepEqual(run(() => fast(mode), bytes, size), run(() => general(mode), bytes, size), `${name} ${mode} by ${size}`);
      }
    }
  }
});

test('MARC-in-JSON fast path takes the common shapes and leaves the rest', () => {
  // Guards against the fast path silently never matching (the equality test would still pass).
  const hits = (s: string): boolean => {
    const fp = new MarcJsonFastPath();
    fp.begin(s);
    return fp.parse(s.indexOf('{')) !== null;
  };
  for (const name of ['lines', 'array', 'pretty', 'indicatorsFirst', 'escapes', 'emptyFields', 'unicode', 'bom']) assert.ok(hits(synthetic[name] as string), name);
  for (const name of ['fieldsFirst', 'extraKey', 'badEscape', 'rawNewline', 'rawTab', 'shortLeader', 'noLeader', 'wideIndicator', 'longTag', 'longCode', 'numberValue', 'twoKeys', 'notRecord', 'trailingComma']) assert.ok(!hits(synthetic[name] as string), name);
  assert.ok(!hits(good.slice(0, -1)), 'cut');
  const [r] = new MarcJsonParser().push(synthetic['escapes'] as string);
  assert.equal(r?.record?.getValue('245', 'a'), 'q"x\\yé\n/');
});

test('toMarcJsonText is JSON.stringify of the object form, escapes and surrogates included', () => {
  const values = ['plain', '', 'q"x', 'back\\slash', 'nl\nx', '\u0000\u001f', 'é Μ 😀', 'lone \ud83d', '\udc00x', '</script>', '\u2028'];
  const records = values.map(
    (v) =>
      new Record({
        leader: v === 'plain' ? leader : leader.slice(0, 23) + '"',
        fields: [new ControlField('001', v), new ControlField(v.slice(0, 3) || '009', v), new DataField('245', v.charAt(0) || ' ', '\\', [{ code: v.charAt(0) || 'a', value: v }, { code: 'b', value: v + v }])],
      }),
  );
  for (const r of records) assert.equal(toMarcJsonText(r), JSON.stringify(toMarcJsonObject(r)));
  // Half a surrogate pair is written as JSON.stringify escapes it; read back, a value holding one
  // has U+FFFD in its place, reported (E402; see the next test).
  const lone = (v: string): boolean => !(v as unknown as { isWellFormed(): boolean }).isWellFormed();
  for (const layout of ['lines', 'array', 'concatenated'] as const) {
    const text = toMarcJson(records, { layout });
    const back = [...new JsonRecordParser(marcJsonToRecord, 'E402', 'marcjson', { mode: 'lenient' }).push(text)];
    assert.equal(back.length, records.length);
    back.forEach((b, i) => {
      const v = values[i] as string;
      if (!lone(v)) {
        assert.deepEqual(JSON.stringify(b.record?.toJSON()), JSON.stringify(records[i]?.toJSON()), `${layout} ${JSON.stringify(v)}`);
        assert.ok(b.errors.every((e) => e.code !== 'E402'), `${layout} ${JSON.stringify(v)}`);
        return;
      }
      const repaired = (v as unknown as { toWellFormed(): string }).toWellFormed();
      assert.equal(b.record?.getValue('001'), repaired);
      assert.deepEqual(b.record?.getDataField('245')?.subfieldList().map((sf) => sf.value), [repaired, repaired + repaired]);
      // The 001, the other control field and both subfields of the 245.
      assert.equal(b.errors.filter((e) => e.code === 'E402').length, 4, `${layout} ${JSON.stringify(v)}`);
    });
  }
});

test('half a surrogate pair in a JSON string is replaced with U+FFFD and reported, on the fast path and the general one', async () => {
  const { readFormatSync, MarcError } = await import('../../src/index.js');
  // A UTF-8 writer would have put U+FFFD in its place in silence; a whole pair is a character.
  const texts = {
    marcjson: '{"leader":"00000nam a2200000   4500","fields":[{"001":"x\\ud800"},{"245":{"ind1":"1","ind2":"0","subfields":[{"a":"T\\udc00itle \\ud83d\\ude00"}]}}]}',
    'plain-json': '{"leader":"00000nam a2200000   4500","fields":[{"tag":"001","value":"x\\ud800"},{"tag":"245","ind1":"1","ind2":"0","subfields":[{"code":"a","value":"T\\udc00itle \\ud83d\\ude00"}]}]}',
  };
  for (const [format, text] of Object.entries(texts)) {
    const [record, more] = [...readFormatSync(text, { format, mode: 'lenient' })];
    assert.equal(more, undefined);
    assert.equal(record?.getValue('001'), 'x\ufffd', format);
    assert.equal(record?.getValue('245', 'a'), 'T\ufffditle \u{1f600}', format);
    const code = format === 'marcjson' ? 'E402' : 'E403';
    assert.deepEqual(record?.errors.map((e) => [e.code, e.tag]), [[code, '001'], [code, '245']], format);
    assert.match(record?.errors[1]?.message ?? '', /subfield \$a holds \\uDC00 at character 1, half of a surrogate pair and no character; read as U\+FFFD/);
    assert.throws(() => [...readFormatSync(text, { format })], (e: unknown) => e instanceof MarcError && e.code === code, format);
  }
  // The fast path leaves such a string to the general one (which reports it).
  const fast = new MarcJsonFastPath();
  fast.begin(texts.marcjson);
  assert.equal(fast.parse(0), null);
  fast.begin(texts.marcjson.replace('\\ud800', '\\u00e9').replace('\\udc00', '\\u00e9'));
  assert.equal((fast.parse(0)?.value as Record | undefined)?.getValue('001'), 'x\u00e9', 'escapes that are characters stay on the fast path');
});
