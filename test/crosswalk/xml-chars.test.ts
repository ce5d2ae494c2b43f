// Characters XML 1.0 cannot carry never reach the crosswalks' XML: written raw, a C0 control or a
// lone surrogate made MODS, Dublin Core and BIBFRAME RDF/XML output that no XML parser accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlField, DataField, Record } from '../../src/index.js';
import { toMods } from '../../src/formats/mods/index.js';
import { toDublinCore } from '../../src/formats/dc/index.js';
import { toBibframe, toRdfXml } from '../../src/formats/bibframe/index.js';
import { withoutXmlInvalid } from '../../src/util/xml-chars.js';

// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

test('withoutXmlInvalid replaces what XML 1.0 cannot carry, and keeps tab, newlines and surrogate pairs', () => {
  assert.equal(withoutXmlInvalid('a\u0007b\u0000c\ufffed\ud800e\udc00f'), 'a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf');
  assert.equal(withoutXmlInvalid('tab\tlf\ncr\r emoji \ud83d\ude00'), 'tab\tlf\ncr\r emoji \ud83d\ude00');
});

test('MODS, Dublin Core and BIBFRAME RDF/XML write U+FFFD for such characters, in text and attributes', () => {
  const record = new Record({
    leader: '00000nam a2200000 a 4500',
    fields: [
      new ControlField('001', 'a\u00012'),
      new DataField('100', '1', ' ', [{ code: 'a', value: 'Name\u0007,' }]),
      new DataField('245', '1', '0', [{ code: 'a', value: 'Bell\u0007 and \ud800 lone /' }]),
      new DataField('856', '4', '0', [{ code: 'u', value: 'http://example.org/\u0000x' }]),
    ],
  });
  const outputs = { mods: toMods(record), dc: toDublinCore(record), bibframe: toRdfXml(toBibframe(record, { baseUri: 'http://example.org/' })) };
  for (const [name, xml] of Object.entries(outputs)) {
    assert.equal(INVALID.test(xml), false, name);
    assert.ok(xml.includes('Bell\ufffd and \ufffd lone'), name);
  }
});
