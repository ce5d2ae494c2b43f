// The NatLibFi serializer pairs: fromN read gives one record whose natlibfi text is toN, and
// writing that record gives fromN back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fixture } from '../helpers.js';
import { readMarcXml, readMarcXmlResults } from '../../src/formats/marcxml/reader.js';
import { toMarcXml } from '../../src/formats/marcxml/writer.js';
import { readPlainJson, readPlainJsonResults, toPlainJson } from '../../src/formats/plain-json/index.js';
import { readText, readTextResults, toText } from '../../src/formats/text/index.js';

const dir = 'formats/natlibfi/';
const text = (path: string): string => fixture(dir + path).toString('utf8');

test('marcxml: fromN reads to the record whose text is toN', () => {
  const pairs: [string, string][] = [['from1', 'to1'], ['from2', 'to2'], ['from-namespace-xml1', 'to-namespace-xml1'], ['2RecordsFrom1', '2RecordsTo1'], ['2RecordsFrom2', '2RecordsTo2']];
  for (const [from, to] of pairs) {
    const records = [...readMarcXml(fixture(dir + 'marcxml/' + from))];
    assert.equal(toText(records, { style: 'natlibfi' }), text('marcxml/' + to), from);
  }
  // from3 and from4 have an empty <leader/>: strict mode refuses it (E002), lenient mode reads it
  // as 24 blanks (our leaders are always 24 characters; NatLibFi keeps it empty).
  for (const n of [3, 4]) {
    assert.throws(() => [...readMarcXml(fixture(dir + `marcxml/from${n}`))], { code: 'E002' });
    const records = [...readMarcXml(fixture(dir + `marcxml/from${n}`), { mode: 'lenient' })];
    assert.equal(records[0]?.errors[0]?.code, 'E002');
    assert.equal(toText(records, { style: 'natlibfi' }).replace(/^LDR {28}/, 'LDR    '), text(`marcxml/to${n}`), `from${n}`);
  }
});

test('marcxml: a record written back is fromN byte for byte', () => {
  for (const n of [1, 2]) {
    const source = text(`marcxml/from${n}`);
    const [record] = [...readMarcXml(source)];
    assert.ok(record);
    assert.equal(toMarcXml(record, { collection: false }), source.trimEnd(), `from${n}`);
  }
});

test('marcxml writer: indentation and no declaration (from-indent, from-no-xml-decl)', () => {
  const [indented] = [...readText(text('marcxml/from-indent'))];
  assert.ok(indented);
  assert.equal(toMarcXml(indented, { collection: false, indent: '\t' }).trimEnd(), text('marcxml/to-indent').trimEnd());
  const [plain] = [...readText(text('marcxml/from-no-xml-decl'))];
  assert.ok(plain);
  assert.equal(toMarcXml(plain, { collection: false, declaration: false }), text('marcxml/to-no-xml-decl').trimEnd());
});

test('marcxml: erroneous input gives an error, never a record, in every mode', () => {
  assert.throws(() => [...readMarcXml(fixture(dir + 'marcxml/erroneous'))], { name: 'MarcError' });
  assert.throws(() => [...readMarcXml(fixture(dir + 'marcxml/erroneous'), { mode: 'lenient' })], { name: 'MarcError' });
  const results = [...readMarcXmlResults(fixture(dir + 'marcxml/erroneous'), { mode: 'permissive' })];
  assert.ok(results.length >= 1);
  assert.ok(results.every((r) => r.record === null || r.errors.length > 0));
});

test('plain json: from1 / from_single read to to1, and write back', () => {
  for (const from of ['from1', 'from_single']) {
    const records = [...readPlainJson(fixture(dir + 'json/' + from))];
    assert.equal(records.length, 1);
    assert.equal(toText(records, { style: 'natlibfi' }), text('json/to1'));
    assert.deepEqual(JSON.parse(toPlainJson(records, { indent: 2 })), JSON.parse(text('json/from1')));
  }
  const results = [...readPlainJsonResults(fixture(dir + 'json/erroneous'), { mode: 'permissive' })];
  assert.ok(results.length > 0 && results.some((r) => r.record === null));
});

test('text: natlibfi style reads and writes back', () => {
  for (const [from, to] of [['from1', 'to1'], ['from_multiple', 'to_multiple1'], ['from_multiple2', 'to_multiple2']] as const) {
    // NatLibFi's test compares one record of each input with toN.
    const records = [...readText(text('text/' + from))];
    assert.ok(records.length >= 1, from);
    const dumps = records.map((r) => toText(r, { style: 'natlibfi' }));
    assert.ok(dumps.includes(text('text/' + to).trimEnd()), from);
    assert.equal(toText(records, { style: 'natlibfi' }), dumps.join('\n'));
  }
  assert.throws(() => [...readText(text('text/erroneous'))], { name: 'MarcError' });
  assert.ok(readdirSync(new URL('../fixtures/formats/natlibfi/text/', import.meta.url)).includes('no-ldr'));
  const results = [...readTextResults(text('text/no-ldr'), { mode: 'lenient' })];
  assert.equal(results.length, 1);
  assert.ok(results[0]?.errors.some((e) => e.code === 'E403'));
});
