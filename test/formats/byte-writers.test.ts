// The text writers' byte path (MARCXML, MARC-in-JSON, the 'yaz' text dump, .mrk) (fields escaped straight from their ISO 2709 bytes) must write
// exactly what the string path (`bytePath: false`) writes, and report the same problems, for every
// record of every corpus file, in every state a record can be in: untouched, some fields read, all
// fields built, one field edited; through `writeTo` and through `write`, which also takes the
// byte path when it can.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusRecords } from '../helpers.js';
import type { Record } from '../../src/record/record.js';
import type { DataField } from '../../src/record/field.js';
import { ByteSink } from '../../src/util/byte-sink.js';
import { MarcXmlWriter, type MarcXmlWriteOptions } from '../../src/formats/marcxml/writer.js';
import { MarcJsonWriter, type JsonWriteOptions } from '../../src/formats/marcjson/writer.js';
import { parseRecord } from '../../src/iso2709/parser.js';
import { TextWriter } from '../../src/formats/text/index.js';
import { MrkWriter, type MrkWriteOptions } from '../../src/formats/mrk/index.js';

const MAX_PER_FILE = 300;

/** Every record's raw bytes (permissive: broken ones too). */
function corpusRecordBytes(): { file: string; raw: Uint8Array }[] {
  return corpusRecords(MAX_PER_FILE).map(({ file, result }) => ({ file, raw: result.raw }));
}

type State = 'untouched' | 'some-read' | 'built' | 'edited';
const STATES: readonly State[] = ['untouched', 'some-read', 'built', 'edited'];

function prepare(raw: Uint8Array, state: State): Record {
  const record = parseRecord(raw, { mode: 'lenient' });
  if (state === 'some-read') {
    record.get('245');
    record.getFields('6XX');
  } else if (state === 'built') {
    record.decodeAll();
  } else if (state === 'edited') {
    const field = record.getDataField('245') ?? (record.fields.find((f) => f.isDataField()) as DataField | undefined);
    field?.addSubfield('z', 'edited & <added>');
  }
  return record;
}

interface Writer {
  write(record: Record): string;
  writeTo(record: Record, sink: ByteSink): void;
}

function checkWriter(name: string, make: (bytePath: boolean) => Writer): void {
  test(`${name}: byte path equals the string path on every corpus record`, () => {
    const records = corpusRecordBytes();
    assert.ok(records.length > 1000, `only ${records.length} records`);
    const encoder = new TextEncoder();
    let compared = 0;
    for (const { file, raw } of records) {
      for (const state of STATES) {
        let viaString: Uint8Array | Error;
        let stringErrors: string[] = [];
        try {
          const record = prepare(raw, state);
          viaString = encoder.encode(make(false).write(record));
          stringErrors = record.errors.map((e) => e.code);
        } catch (e) {
          viaString = e as Error;
        }
        const ways: [string, (record: Record) => Uint8Array][] = [
          ['writeTo', (record) => {
            const sink = new ByteSink(16);
            sink.ascii('>'); // something before, as in a stream
            make(true).writeTo(record, sink);
            return sink.take().subarray(1);
          }],
          ['write', (record) => encoder.encode(make(true).write(record))],
        ];
        for (const [way, write] of ways) {
          let viaBytes: Uint8Array | Error;
          let byteErrors: string[] = [];
          try {
            const record = prepare(raw, state);
            viaBytes = write(record);
            byteErrors = record.errors.map((e) => e.code);
          } catch (e) {
            viaBytes = e as Error;
          }
          if (viaString instanceof Error || viaBytes instanceof Error) {
            assert.equal(String(viaBytes), String(viaString), `${file} (${state}, ${way}): both paths fail alike`);
            continue;
          }
          assert.deepEqual(Buffer.from(viaBytes).toString('utf8'), Buffer.from(viaString).toString('utf8'), `${file} (${state}, ${way})`);
          assert.ok(Buffer.from(viaBytes).equals(Buffer.from(viaString)), `${file} (${state}, ${way}): same bytes`);
          assert.deepEqual(byteErrors, stringErrors, `${file} (${state}, ${way}): same problems reported`);
          compared++;
        }
      }
    }
    assert.ok(compared > 8000);
  });
}

const xmlOptions: MarcXmlWriteOptions[] = [{}, { indent: 2 }, { collection: false, prefix: 'marc' }, { invalidChars: 'strip' }];
for (const options of xmlOptions) checkWriter(`MARCXML ${JSON.stringify(options)}`, (bytePath) => new MarcXmlWriter({ ...options, bytePath }));

const jsonOptions: JsonWriteOptions[] = [{}, { layout: 'array' }, { layout: 'concatenated' }, { layout: 'array', indent: 2 }];
for (const options of jsonOptions) checkWriter(`MARC-in-JSON ${JSON.stringify(options)}`, (bytePath) => new MarcJsonWriter({ ...options, bytePath }));

checkWriter('text (yaz-marcdump lines)', (bytePath) => new TextWriter({ bytePath }));

const mrkOptions: MrkWriteOptions[] = [{}, { encoding: 'marc-8' }, { encoding: 'utf-8', leaderBlanks: 'backslash', newline: '\r\n' }];
for (const options of mrkOptions) checkWriter(`mrk ${JSON.stringify(options)}`, (bytePath) => new MrkWriter({ ...options, bytePath }));

/** Every writer with a byte path, as `make(bytePath)`, for the edge cases below. */
const EDGE_WRITERS: ((bytePath: boolean) => Writer)[] = [
  (bytePath) => new MarcXmlWriter({ bytePath }),
  (bytePath) => new MarcXmlWriter({ invalidChars: 'strip', bytePath }),
  (bytePath) => new MarcJsonWriter({ bytePath }),
  (bytePath) => new TextWriter({ bytePath }),
  (bytePath) => new MrkWriter({ bytePath }),
  (bytePath) => new MrkWriter({ encoding: 'marc-8', bytePath }),
];

test('byte path: control characters, invalid UTF-8, U+FFFF and odd codes fall back to the string path', () => {
  const cases: [string, Uint8Array][] = [];
  const make = (data: number[]): Uint8Array => {
    // One 245 field with the given subfield bytes, UTF-8 leader.
    const field = Uint8Array.from([0x31, 0x30, ...data, 0x1e]);
    const dir = new TextEncoder().encode('245' + String(field.length).padStart(4, '0') + '00000');
    const base = 24 + dir.length + 1;
    const length = base + field.length + 1;
    const leader = new TextEncoder().encode(String(length).padStart(5, '0') + 'nam a22' + String(base).padStart(5, '0') + '   4500');
    return Uint8Array.from([...leader, ...dir, 0x1e, ...field, 0x1d]);
  };
  cases.push(['control char', make([0x1f, 0x61, 0x41, 0x07, 0x42])]);
  cases.push(['CR', make([0x1f, 0x61, 0x41, 0x0d, 0x42])]);
  cases.push(['invalid UTF-8', make([0x1f, 0x61, 0x41, 0xc3, 0x28])]);
  cases.push(['overlong', make([0x1f, 0x61, 0xc0, 0xaf])]);
  cases.push(['surrogate', make([0x1f, 0x61, 0xed, 0xa0, 0x80])]);
  cases.push(['U+FFFF', make([0x1f, 0x61, 0xef, 0xbf, 0xbf])]);
  cases.push(['4-byte', make([0x1f, 0x61, 0xf0, 0x9f, 0x98, 0x80])]);
  cases.push(['quote and backslash', make([0x1f, 0x61, 0x22, 0x5c, 0x26, 0x3c, 0x3e])]);
  cases.push(['bad code', make([0x1f, 0xe1, 0x41])]);
  cases.push(['quote code', make([0x1f, 0x22, 0x41])]);
  cases.push(['text before delimiter', make([0x41, 0x1f, 0x61, 0x42])]);
  cases.push(['empty delimiters', make([0x1f, 0x1f, 0x61, 0x42, 0x1f])]);
  cases.push(['no subfields', make([])]);
  cases.push(['mrk syntax', make([0x1f, 0x61, 0x24, 0x5c, 0x7b, 0x7d, 0x20, 0x1f, 0x24, 0x41])]);
  cases.push(['mrk code', make([0x1f, 0x7b, 0x41])]);
  for (const [name, raw] of cases) {
    for (const make of EDGE_WRITERS) {
      const a = parseRecord(raw, { mode: 'lenient' });
      const b = parseRecord(raw, { mode: 'lenient' });
      const sink = new ByteSink();
      make(true).writeTo(a, sink);
      const expected = make(false).write(b);
      assert.equal(Buffer.from(sink.take()).toString('utf8'), expected, name);
      assert.deepEqual(a.errors.map((e) => e.code), b.errors.map((e) => e.code), `${name}: same problems`);
    }
  }
});

test('byte path: word-at-a-time copying finds every special byte at every position, from any buffer offset', () => {
  // Runs of plain ASCII are tested four bytes at a time; a special byte in any lane of a word,
  // or in the tail after the last whole word, must still reach the byte-by-byte rules.
  const specials = [[0x26], [0x3c], [0x3e], [0x22], [0x5c], [0x24], [0x7b], [0x7d], [0x20], [0x09], [0x0a], [0x0d], [0x07], [0x7f], [0x1f, 0x62], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xc3], [0xef, 0xbf, 0xbf]];
  const makeRecord = (data: number[], pad: number): Uint8Array => {
    const field = Uint8Array.from([0x31, 0x30, 0x1f, 0x61, ...data, 0x1e]);
    const dir = new TextEncoder().encode('245' + String(field.length).padStart(4, '0') + '00000');
    const base = 24 + dir.length + 1;
    const length = base + field.length + 1;
    const leader = new TextEncoder().encode(String(length).padStart(5, '0') + 'nam a22' + String(base).padStart(5, '0') + '   4500');
    // The record sits `pad` bytes into a larger buffer, as records of a batch do.
    const buffer = new Uint8Array(pad + length + 8);
    buffer.set([...leader, ...dir, 0x1e, ...field, 0x1d], pad);
    return buffer.subarray(pad, pad + length);
  };
  let compared = 0;
  for (const special of specials) {
    for (let length = 0; length <= 11; length++) {
      for (let at = 0; at <= length; at++) {
        const text = Array.from({ length }, (_, k) => 0x41 + k);
        text.splice(at, 0, ...special);
        for (const pad of [0, 1, 3]) {
          for (const make of EDGE_WRITERS) {
            const a = parseRecord(makeRecord(text, pad), { mode: 'lenient' });
            const b = parseRecord(makeRecord(text, pad), { mode: 'lenient' });
            const sink = new ByteSink(8);
            make(true).writeTo(a, sink);
            assert.equal(Buffer.from(sink.take()).toString('utf8'), make(false).write(b), `${JSON.stringify(special)} at ${at} of ${length}, offset ${pad}`);
            compared++;
          }
        }
      }
    }
  }
  assert.equal(compared, specials.length * 78 * 3 * EDGE_WRITERS.length);
});
