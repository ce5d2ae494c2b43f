import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarcXml, Record, DataField, ControlField, createFormatWriter } from '../../src/index.js';
import { toMods, toModsCollection, ModsWriter } from '../../src/formats/mods/index.js';
import '../../src/formats/mods/register.js';
import { canonicalize, canonDiff, lcCases, readCase, MODS_COMPARE } from './helpers-xml.js';

test('MARC → MODS: every LC reference record matches MARC21slim2MODS3-7.xsl after canonicalisation', () => {
  const failures: string[] = [];
  let n = 0;
  for (const c of lcCases()) {
    n++;
    const actual = canonicalize(toMods(parseMarcXml(readCase(c, '.marcxml'), { mode: 'lenient' })), MODS_COMPARE);
    const expected = canonicalize(readCase(c, '.mods.xml'), MODS_COMPARE);
    if (actual !== expected) failures.push(failures.length < 3 ? `${c.dataset}/${c.id}\n${canonDiff(expected, actual)}` : `${c.dataset}/${c.id}`);
  }
  assert.equal(n, 340);
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('the comparison can fail: one record against another record\'s MODS differs', () => {
  const [a, b] = lcCases();
  assert.ok(a !== undefined && b !== undefined);
  const actual = canonicalize(toMods(parseMarcXml(readCase(a, '.marcxml'))), MODS_COMPARE);
  assert.notEqual(actual, canonicalize(readCase(b, '.mods.xml'), MODS_COMPARE));
});

function sample(): Record {
  return new Record({
    leader: '00000nam a2200000 a 4500',
    fields: [
      new ControlField('001', 'x1'),
      new ControlField('008', '991231s1999    nyu           000 0 eng  '),
      new DataField('100', '1', ' ', [{ code: 'a', value: 'Doe, Jane,' }, { code: 'd', value: '1950-' }, { code: 'u', value: 'Univ. of Somewhere' }, { code: '4', value: 'aut' }]),
      new DataField('245', '1', '4', [{ code: 'a', value: 'The title :' }, { code: 'b', value: 'a subtitle /' }, { code: 'c', value: 'Jane Doe.' }]),
      new DataField('264', ' ', '1', [{ code: 'a', value: 'New York :' }, { code: 'b', value: 'Pub,' }, { code: 'c', value: '1999.' }]),
      new DataField('650', ' ', '0', [{ code: 'a', value: 'Cats' }, { code: 'z', value: 'France' }, { code: 'v', value: 'Fiction.' }]),
      new DataField('830', ' ', '0', [{ code: 'a', value: 'Series ;' }, { code: 'v', value: 'v. 2.' }]),
    ],
  });
}

test('MODS of a built record: nonSort, affiliation and role, 264 event, subject parts, series', () => {
  const xml = toMods(sample());
  assert.match(xml, /<nonSort xml:space="preserve">The  <\/nonSort>/);
  assert.match(xml, /<title>title<\/title>\s*<subTitle>a subtitle<\/subTitle>/);
  assert.match(xml, /<affiliation>Univ. of Somewhere<\/affiliation>/);
  assert.match(xml, /<roleTerm authority="marcrelator" type="code">aut<\/roleTerm>/);
  assert.match(xml, /<originInfo eventType="publisher">\s*<place>\s*<placeTerm type="text">New York :<\/placeTerm>/);
  assert.match(xml, /<subject authority="lcsh">\s*<topic>Cats<\/topic>\s*<geographic>France<\/geographic>\s*<genre>Fiction<\/genre>/);
  assert.match(xml, /<relatedItem type="series">\s*<titleInfo>\s*<title>Series<\/title>\s*<partNumber>v. 2<\/partNumber>/);
  assert.match(xml, /<recordIdentifier>x1<\/recordIdentifier>/);
});

test('modsCollection writer and the registered mods/dc formats', () => {
  const coll = toModsCollection([sample(), sample()]);
  assert.equal((canonicalize(coll).match(/<mods /g) ?? []).length, 2);
  const w = new ModsWriter();
  assert.match(w.begin(), /<modsCollection /);
  const mods = createFormatWriter('mods');
  const text = String(mods.header?.()) + String(mods.write(sample())) + String(mods.footer?.());
  assert.equal(canonicalize(text), canonicalize(coll.replace(/<mods [\s\S]*?<\/mods>\n/, '')));
  const dc = createFormatWriter('dc', { flavor: 'srw_dc' });
  assert.match(String(dc.header?.()) + String(dc.write(sample())) + String(dc.footer?.()), /<srw_dc:dcCollection[\s\S]*<title>The title : a subtitle \/<\/title>/);
});
