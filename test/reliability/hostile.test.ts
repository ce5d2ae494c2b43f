// Hostile input: entity expansion, external entities, deep nesting, huge attributes and runs of
// text, inputs with no terminators, and the limits that bound them. Each is refused with a clear
// MarcError, quickly, without the heap growing with the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarcError } from '../../src/errors.js';
import { readFormatResults, readFormatResultsSync } from '../../src/formats/index.js';
import { readResultsSync } from '../../src/iso2709/reader.js';
import { readResults } from '../../src/io/read.js';
import { toMarc } from '../../src/iso2709/writer.js';
import { Record } from '../../src/record/record.js';
import { ControlField, DataField } from '../../src/record/field.js';

const LEADER = '<leader>00000nam a2200000   4500</leader>';

function rejects(fn: () => unknown, code: string, what: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof MarcError && e.code === code && what.test(e.message), `expected ${code}`);
}

async function rejectsAsync(fn: () => Promise<unknown>, code: string): Promise<MarcError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof MarcError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

const all = <T>(it: Iterable<T>): T[] => [...it];

for (const mode of ['strict', 'lenient', 'permissive'] as const) {
  test(`XML (${mode}): billion laughs is refused before any expansion`, () => {
    const lol = '<!ENTITY l0 "lol">' + Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE c [${lol}]><collection><record>${LEADER}<datafield tag="245" ind1="0" ind2="0"><subfield code="a">&l9;</subfield></datafield></record></collection>`;
    const before = process.memoryUsage().heapUsed;
    rejects(() => all(readFormatResultsSync(xml, { format: 'marcxml', mode })), 'E401', /DOCTYPE/);
    assert.ok(process.memoryUsage().heapUsed - before < 50e6);
  });

  test(`XML (${mode}): external entities are never fetched`, () => {
    for (const decl of ['<!ENTITY x SYSTEM "file:///etc/passwd">', '<!ENTITY x SYSTEM "http://127.0.0.1:9/x">', '<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;']) {
      const xml = `<?xml version="1.0"?><!DOCTYPE r [${decl}]><record>${LEADER}<datafield tag="245" ind1=" " ind2=" "><subfield code="a">&x;</subfield></datafield></record>`;
      rejects(() => all(readFormatResultsSync(xml, { format: 'marcxml', mode })), 'E401', /DOCTYPE/);
    }
    // A DOCTYPE naming an external DTD is refused the same way.
    rejects(() => all(readFormatResultsSync(`<!DOCTYPE r SYSTEM "file:///etc/passwd"><record>${LEADER}</record>`, { format: 'marcxml', mode })), 'E401', /DOCTYPE/);
  });

  test(`XML (${mode}): an undeclared entity is a malformed record, not an expansion`, () => {
    const xml = `<collection><record>${LEADER}<datafield tag="245" ind1=" " ind2=" "><subfield code="a">&x;</subfield></datafield></record></collection>`;
    if (mode === 'permissive') {
      const results = all(readFormatResultsSync(xml, { format: 'marcxml', mode }));
      assert.ok(results.some((r) => r.record === null && r.errors[0]?.code === 'E401'));
    } else {
      rejects(() => all(readFormatResultsSync(xml, { format: 'marcxml', mode })), 'E401', /entity/);
    }
  });

  test(`XML (${mode}): deep nesting stops at maxDepth, in and out of records, without recursion`, () => {
    rejects(() => all(readFormatResultsSync('<a>'.repeat(200_000), { format: 'marcxml', mode })), 'E008', /maxDepth \(64\)/);
    rejects(() => all(readFormatResultsSync(`<record>${LEADER}` + '<x>'.repeat(200_000), { format: 'marcxml', mode })), 'E008', /maxDepth/);
    rejects(() => all(readFormatResultsSync('<a>'.repeat(20), { format: 'marcxml', mode, maxDepth: 10 })), 'E008', /maxDepth \(10\)/);
  });
}

test('XML: a huge attribute streamed in chunks is refused at maxRecordSize with bounded memory', async () => {
  const limit = 1_000_000;
  const chunk = 'x'.repeat(64 * 1024);
  // 64 MiB of attribute, never held whole: the reader must give up near the limit.
  async function* source(prefix: string): AsyncGenerator<string> {
    yield prefix;
    for (let i = 0; i < 1024; i++) yield chunk;
    yield '"/></record>';
  }
  for (const prefix of [`<record>${LEADER}<datafield tag="245" ind1="`, '<collection a="']) {
    const before = process.memoryUsage().heapUsed;
    let pulled = 0;
    const counted = (async function* () { for await (const c of source(prefix)) { pulled += c.length; yield c; } })();
    const error = await rejectsAsync(async () => { for await (const _ of readFormatResults(counted, { format: 'marcxml', mode: 'permissive', maxRecordSize: limit })) { /* drain */ } }, 'E008');
    assert.match(error.message, /maxRecordSize/);
    assert.ok(pulled < 4 * limit, `read ${pulled} characters before refusing`);
    assert.ok(process.memoryUsage().heapUsed - before < 64e6, 'heap grew with the input');
  }
});

test('XML: a huge run of text in a subfield is refused at maxRecordSize', () => {
  const xml = `<record>${LEADER}<datafield tag="245" ind1=" " ind2=" "><subfield code="a">${'y'.repeat(3_000_000)}</subfield></datafield></record>`;
  rejects(() => all(readFormatResultsSync(xml, { format: 'marcxml', mode: 'permissive', maxRecordSize: 1_000_000 })), 'E008', /maxRecordSize/);
});

test('MARC-in-JSON: deep nesting and huge records do not overflow the stack or the heap', () => {
  const deep = '{"leader":"00000nam a2200000   4500","fields":[' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + ']}';
  for (const mode of ['strict', 'lenient', 'permissive'] as const) {
    try {
      all(readFormatResultsSync(deep, { format: 'marcjson', mode }));
    } catch (e) {
      assert.ok(e instanceof MarcError, String(e));
    }
  }
  const huge = `{"leader":"00000nam a2200000   4500","fields":[{"500":{"ind1":" ","ind2":" ","subfields":[{"a":"${'z'.repeat(2_000_000)}"}]}}]}`;
  rejects(() => all(readFormatResultsSync(huge, { format: 'marcjson', mode: 'permissive', maxRecordSize: 1_000_000 })), 'E008', /./);
});

test('MARC-in-JSON: an array left open at the end of input is reported (a truncated file)', () => {
  for (const input of ['[', '[[[', '[{"leader":"00000nam a2200000   4500","fields":[]}, ']) {
    rejects(() => all(readFormatResultsSync(input, { format: 'marcjson', mode: 'strict' })), 'E402', /./);
  }
});

test('ISO 2709: bytes with no terminator are cut into junk frames of at most maxRecordSize', () => {
  const big = new Uint8Array(3_000_000).fill(0x30);
  const results = all(readResultsSync(big, { mode: 'permissive', maxRecordSize: 100_000 }));
  assert.ok(results.length >= 30);
  assert.ok(results.every((r) => r.record === null && r.raw.length <= 100_000 && r.errors.length === 1));
  assert.throws(() => all(readResultsSync(big, { mode: 'strict', maxRecordSize: 100_000 })), MarcError);
});

test('ISO 2709: a stream with no terminators never buffers more than maxRecordSize', async () => {
  const chunk = new Uint8Array(64 * 1024).fill(0x31);
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < 512; i++) yield chunk; // 32 MiB
  }
  const before = process.memoryUsage().heapUsed;
  let frames = 0;
  for await (const r of readResults(source(), { mode: 'permissive', maxRecordSize: 256 * 1024, maxErrors: 1e9 })) {
    assert.equal(r.record, null);
    frames++;
  }
  assert.ok(frames >= 100);
  assert.ok(process.memoryUsage().heapUsed - before < 64e6);
});

test('ISO 2709: maxFields bounds the fields of one record (E008)', () => {
  const fields = Array.from({ length: 2000 }, (_, i) => new ControlField('005', String(i)));
  const bytes = toMarc(new Record({ leader: '00000nam a2200000   4500', fields }));
  rejects(() => all(readResultsSync(bytes, { mode: 'strict', maxFields: 1000 })), 'E008', /./);
  const permissive = all(readResultsSync(bytes, { mode: 'permissive', maxFields: 1000 }));
  assert.equal(permissive.length, 1);
  assert.equal(permissive[0]?.record, null);
  assert.equal(permissive[0]?.errors[0]?.code, 'E008');
  assert.equal(all(readResultsSync(bytes)).length, 1);
});

// maxFields and maxSubfields: ISO 2709, MARCXML and MARC-in-JSON readers (E008).

test('text formats honour maxFields', () => {
  const xml = `<record>${LEADER}` + '<controlfield tag="005">1</controlfield>'.repeat(2000) + '</record>';
  rejects(() => all(readFormatResultsSync(xml, { format: 'marcxml', mode: 'strict', maxFields: 1000 } as never)), 'E008', /./);
});

test('every reader has a subfields-per-field limit', () => {
  const subfields = Array.from({ length: 3000 }, () => ({ code: 'a', value: '' }));
  const bytes = toMarc(new Record({ leader: '00000nam a2200000   4500', fields: [new DataField('500', ' ', ' ', subfields)] }));
  const record = all(readResultsSync(bytes, { mode: 'strict', maxSubfields: 1000 } as never))[0]?.record;
  assert.throws(() => record?.decodeAll(), (e: unknown) => e instanceof MarcError && e.code === 'E008');
});

test('MARC-in-JSON honours maxFields and maxSubfields (E008), skipped and reported in permissive mode', () => {
  const fields = Array.from({ length: 50 }, () => ({ '500': { ind1: ' ', ind2: ' ', subfields: Array.from({ length: 30 }, () => ({ a: 'x' })) } }));
  const json = JSON.stringify({ leader: '00000nam a2200000   4500', fields });
  rejects(() => all(readFormatResultsSync(json, { format: 'marcjson', mode: 'strict', maxFields: 10 } as never)), 'E008', /maxFields/);
  rejects(() => all(readFormatResultsSync(json, { format: 'marcjson', mode: 'strict', maxSubfields: 10 } as never)), 'E008', /maxSubfields/);
  const permissive = all(readFormatResultsSync(json, { format: 'marcjson', mode: 'permissive', maxFields: 10 } as never));
  assert.equal(permissive.length, 1);
  assert.equal(permissive[0]?.record, null);
  assert.equal(permissive[0]?.errors[0]?.code, 'E008');
});

test('MARCMaker honours maxFields (every text format checks the limits in one place)', () => {
  const mrk = '=LDR  00000nam\\\\2200000\\\\\\4500\n' + '=500  \\\\$ax\n'.repeat(50);
  rejects(() => all(readFormatResultsSync(mrk, { format: 'mrk', mode: 'strict', maxFields: 10 } as never)), 'E008', /maxFields/);
  assert.equal(all(readFormatResultsSync(mrk, { format: 'mrk', mode: 'strict' } as never))[0]?.record?.fields.length, 50);
});
