import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarcXml, Record, DataField, ControlField } from '../../src/index.js';
import { toDublinCore, DublinCoreWriter, type DcFlavor } from '../../src/formats/dc/index.js';
import { canonicalize, canonDiff, dcSeparator, DC_COMPARE, lcCases, readCase } from './helpers-xml.js';

const FLAVORS: DcFlavor[] = ['oai_dc', 'rdf_dc', 'srw_dc'];

for (const flavor of FLAVORS) {
  test(`${flavor}: every LC reference record matches LC's stylesheet after canonicalisation`, () => {
    const failures: string[] = [];
    const perDataset = new Map<string, [number, number]>();
    for (const c of lcCases()) {
      const input = readCase(c, '.marcxml');
      const actual = canonicalize(toDublinCore(parseMarcXml(input, { mode: 'lenient' }), { flavor, fieldSeparator: dcSeparator(input) }), DC_COMPARE);
      const expected = canonicalize(readCase(c, `.${flavor}.xml`), DC_COMPARE);
      const counts = perDataset.get(c.dataset) ?? [0, 0];
      counts[1]++;
      if (actual === expected) counts[0]++;
      else if (failures.length < 3) failures.push(`${c.dataset}/${c.id}\n${canonDiff(expected, actual)}`);
      else failures.push(`${c.dataset}/${c.id}`);
      perDataset.set(c.dataset, counts);
    }
    assert.equal(failures.length, 0, failures.join('\n\n'));
    assert.equal([...perDataset.values()].reduce((n, [, t]) => n + t, 0), 340);
  });
}

function sample(): Record {
  return new Record({
    leader: '00000cam a2200000 a 4500',
    fields: [
      new ControlField('008', '991231s1999    nyu           000 0 fre  '),
      new DataField('100', '1', ' ', [{ code: 'a', value: 'Doe, Jane,' }, { code: 'd', value: '1950-' }]),
      new DataField('245', '1', '0', [{ code: 'a', value: 'Titre :' }, { code: 'b', value: 'sous-titre /' }, { code: 'c', value: 'Jane Doe.' }]),
      new DataField('260', ' ', ' ', [{ code: 'a', value: 'Paris :' }, { code: 'b', value: 'Gallimard,' }, { code: 'c', value: '1999.' }]),
      new DataField('650', ' ', '0', [{ code: 'a', value: 'Cats' }, { code: 'z', value: 'France' }, { code: 'v', value: 'Fiction.' }]),
      new DataField('856', '4', '0', [{ code: 'u', value: 'http://example.org/?a=1&b=2' }]),
    ],
  });
}

test('oai_dc: LC mapping of a built record (publisher is 260 $a $b, date 260 $c, ISBN-less)', () => {
  const xml = toDublinCore(sample());
  assert.match(xml, /^<\?xml version="1.0"\?>\n<oai_dc:dc /);
  assert.match(xml, /<dc:title>Titre : sous-titre \/<\/dc:title>/);
  assert.match(xml, /<dc:creator>Doe, Jane, 1950-<\/dc:creator>/);
  assert.match(xml, /<dc:type>text<\/dc:type>/);
  assert.match(xml, /<dc:publisher>Paris : Gallimard,<\/dc:publisher>/);
  assert.match(xml, /<dc:date>1999.<\/dc:date>/);
  assert.match(xml, /<dc:language>fre<\/dc:language>/);
  assert.match(xml, /<dc:subject>Cats<\/dc:subject>/);
  assert.match(xml, /<dc:identifier>http:\/\/example.org\/\?a=1&amp;b=2<\/dc:identifier>/);
});

test('srw_dc: subject subdivisions joined by --, unprefixed DC elements', () => {
  const xml = toDublinCore(sample(), { flavor: 'srw_dc' });
  assert.match(xml, /<subject>Cats--France--Fiction.<\/subject>/);
  assert.match(xml, /<srw_dc:dc xmlns:srw_dc="info:srw\/schema\/1\/dc-schema" xmlns="http:\/\/purl.org\/dc\/elements\/1.1\/"/);
});

test('rdf_dc: bare rdf:Description, 530 relation typed original', () => {
  const r = sample();
  r.fields.push(new DataField('530', ' ', ' ', [{ code: 'a', value: 'Also online.' }]));
  const xml = toDublinCore(r, { flavor: 'rdf_dc' });
  assert.match(xml, /<rdf:Description /);
  assert.match(xml, /<dc:relation type="original">Also online.<\/dc:relation>/);
});

test('DublinCoreWriter wraps records in the flavour\'s collection element', () => {
  for (const flavor of FLAVORS) {
    const w = new DublinCoreWriter({ flavor });
    const xml = w.begin() + w.write(sample()) + w.write(sample()) + w.end();
    const canon = canonicalize(xml);
    assert.equal((canon.match(/<dc:title|<title/g) ?? []).length, 2, flavor);
  }
  assert.throws(() => toDublinCore(sample(), { flavor: 'nope' as DcFlavor }), RangeError);
});
