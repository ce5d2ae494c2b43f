import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { MarcError, parseMarcXml, DataField, ControlField, type Record } from '../../src/index.js';
import { toMods } from '../../src/formats/mods/index.js';
import { modsToMarcXml, modsToRecords } from '../../src/formats/mods/mods2marc.js';
import { canonicalize, canonDiff, LC_FIXTURES, MARC_COMPARE } from './helpers-xml.js';

// Exact matches with LC's MODS3-8_MARC21slim_XSLT1-0.xsl per dataset: a floor, so a regression
// fails and an improvement only needs the number raised.
const FLOOR: { [dataset: string]: [exact: number, total: number] } = {
  'marc2bibframe2-loc_general': [99, 99],
  'marc2bibframe2-nlm': [99, 99],
  'marc2bibframe2-princeton': [99, 99],
  'mrrc-bibframe-baselines': [41, 41],
  'pymarc-batch': [2, 2],
  'mrrc-mods': [4, 4],
};

/** [dataset, MODS input, LC's MARCXML] for every pair in the fixtures. */
function pairs(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const d of readdirSync(LC_FIXTURES, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const dir = LC_FIXTURES + d.name + '/';
    for (const f of readdirSync(dir).sort()) {
      if (d.name === 'mrrc-mods' && f.endsWith('_reference.xml')) out.push([d.name, dir + f.replace('_reference.xml', '.xml'), dir + f]);
      else if (f.endsWith('.mods2marc.xml')) out.push([d.name, dir + f.replace('.mods2marc.xml', '.mods.xml'), dir + f]);
    }
  }
  return out;
}

test('MODS → MARC: exact matches with LC per dataset are at least the recorded floor', () => {
  const seen: { [dataset: string]: [number, number] } = {};
  const failures: string[] = [];
  for (const [dataset, input, expectedPath] of pairs()) {
    const expectedText = readFileSync(expectedPath, 'utf8');
    // mrrc's serial_journal reference is xsltproc's error message (run without altRepGroup).
    if (!expectedText.includes('<')) continue;
    const counts = (seen[dataset] ??= [0, 0]);
    counts[1]++;
    const actual = canonicalize(modsToMarcXml(readFileSync(input, 'utf8')), MARC_COMPARE);
    const expected = canonicalize(expectedText, MARC_COMPARE);
    if (actual === expected) counts[0]++;
    else if (failures.length < 3) failures.push(`${dataset}/${input.slice(input.lastIndexOf('/') + 1)}\n${canonDiff(expected, actual)}`);
  }
  for (const [dataset, [exact, total]] of Object.entries(FLOOR)) {
    const got = seen[dataset];
    assert.ok(got !== undefined, `dataset ${dataset} has no pairs`);
    assert.equal(got[1], total, `${dataset}: number of pairs`);
    assert.ok(got[0] >= exact, `${dataset}: ${got[0]}/${total} exact, floor ${exact}\n${failures.join('\n\n')}`);
  }
});

test('the comparison can fail: one record against another record\'s MARC differs', () => {
  const [a, b] = pairs();
  assert.ok(a !== undefined && b !== undefined);
  assert.notEqual(canonicalize(modsToMarcXml(readFileSync(a[1], 'utf8'))), canonicalize(readFileSync(b[2], 'utf8')));
});

// ---------------------------------------------------------------- round trip

const norm = (s: string): string => s.replace(/[\s.,:;/=[\]]+/g, ' ').trim();

function values(r: Record, tags: RegExp, code: string, skipIf?: string): string[] {
  return r.fields
    .filter((f): f is DataField => f instanceof DataField && tags.test(f.tag) && (skipIf === undefined || !f.subfields.some((s) => s.code === skipIf))).flatMap((f) => f.subfields.filter((s) => s.code === code).map((s) => norm(s.value)));
}

function control(r: Record, tag: string): string | undefined {
  const f = r.fields.find((x): x is ControlField => x instanceof ControlField && x.tag === tag);
  return f?.data;
}

test('round trip MARC → MODS → MARC keeps the core fields', () => {
  const dirs = ['pymarc-batch', 'marc2bibframe2-loc_general', 'marc2bibframe2-nlm', 'marc2bibframe2-princeton'];
  let n = 0;
  for (const d of dirs) {
    const files = readdirSync(LC_FIXTURES + d).filter((f) => f.endsWith('.marcxml')).sort().slice(0, 5);
    for (const f of files) {
      const before = parseMarcXml(readFileSync(LC_FIXTURES + d + '/' + f, 'utf8'), { mode: 'lenient' });
      const records = modsToRecords(toMods(before));
      assert.equal(records.length, 1);
      const after = records[0]!;
      const where = `${d}/${f}`;
      n++;
      assert.equal(control(after, '001'), control(before, '001'), where);
      // Leader/06 survives where MODS typeOfResource names it one to one.
      const type = before.leader.toString().charAt(6);
      if ('acegijkmpr'.includes(type)) assert.equal(after.leader.toString().charAt(6), type, `${where} leader/06`);
      const d008a = control(after, '008') ?? '';
      const d008b = control(before, '008') ?? '';
      if (d008b.length === 40 && /^[a-z]{3}$/.test(d008b.slice(35, 38))) assert.equal(d008a.slice(35, 38), d008b.slice(35, 38), `${where} 008/35-37`);
      // 245 $a: MODS keeps nonSort and title apart; the way back joins them (with LC's extra space).
      const title = values(before, /^245$/, 'a')[0];
      if (title !== undefined) assert.ok(values(after, /^245$/, 'a').some((t) => t.replace(/\s+/g, ' ') === title.replace(/\s+/g, ' ')), `${where} 245 ${title}`);
      // MODS folds $q (fuller form) into the namePart, so the name comes back with it appended; a
      // name-title 7XX ($t) becomes a relatedItem, not a name.
      for (const name of values(before, /^(100|700)$/, 'a', 't')) assert.ok(values(after, /^(100|700)$/, 'a').some((x) => x.startsWith(name)), `${where} name ${name}`);
      for (const name of values(before, /^(110|710)$/, 'a', 't')) assert.ok(values(after, /^(110|710)$/, 'a').includes(name), `${where} corporate ${name}`);
      for (const isbn of values(before, /^020$/, 'a')) assert.ok(values(after, /^020$/, 'a').some((v) => v.startsWith(isbn.split(' ')[0] ?? '')), `${where} isbn ${isbn}`);
      const subjects = values(after, /^65[01]$/, 'a');
      for (const s of values(before, /^65[01]$/, 'a')) assert.ok(subjects.includes(s), `${where} subject ${s}`);
      const extents = values(after, /^300$/, 'a');
      for (const e of values(before, /^300$/, 'a')) assert.ok(extents.some((x) => x.startsWith(e)), `${where} extent ${e}`);
    }
  }
  assert.equal(n, 17);
});

// ---------------------------------------------------------------- stylesheet behaviour the corpus does not reach

const MODS_HEAD = '<mods xmlns="http://www.loc.gov/mods/v3" xmlns:xlink="http://www.w3.org/1999/xlink" version="3.8">';

test('subjects: bare subfields from a subject led by a code, nested name, generic 655, 264 by eventType', () => {
  const xml = `${MODS_HEAD}
    <titleInfo><nonSort>The </nonSort><title>Title</title></titleInfo>
    <originInfo eventType="production"><place><placeTerm type="text">Here</placeTerm></place><dateIssued point="start">1990</dateIssued><dateIssued point="end" qualifier="questionable">1995</dateIssued></originInfo>
    <subject><geographicCode authority="marcgac">n-us---</geographicCode><topic>Loose</topic></subject>
    <subject authority="lcsh"><topic>Cats</topic><name type="personal"><namePart>Doe, Jane</namePart></name><genre>Fiction</genre></subject>
    <subject><genre authority="gnd" valueURI="http://x/1">Roman</genre></subject>
    <subject><hierarchicalGeographic><country>France</country><city>Paris</city></hierarchicalGeographic></subject>
  </mods>`;
  const c = canonicalize(modsToMarcXml(xml));
  assert.match(c, /<marc:datafield ind1="1" ind2="4" tag="245"><marc:subfield code="a">The Title<\/marc:subfield><\/marc:datafield>/);
  assert.match(c, /<marc:datafield ind1=" " ind2="0" tag="264"><marc:subfield code="a">Here<\/marc:subfield><marc:subfield code="c">1990\n\t{10}- 1995\?<\/marc:subfield><marc:subfield code="c">1995\?<\/marc:subfield>/);
  // The 043 and then a subfield straight under <marc:record>.
  assert.match(c, /<marc:datafield ind1=" " ind2=" " tag="043"><marc:subfield code="a">n-us---<\/marc:subfield><\/marc:datafield><marc:subfield code="x">Loose<\/marc:subfield>/);
  // A name after the first topic becomes a 700 inside the 650; the genre a $v.
  assert.match(c, /tag="650"><marc:subfield code="a">Cats<\/marc:subfield><marc:datafield ind1="1" ind2=" " tag="700"><marc:subfield code="a">Doe, Jane<\/marc:subfield><\/marc:datafield><marc:subfield code="v">Fiction<\/marc:subfield><\/marc:datafield>/);
  assert.match(c, /tag="655"><marc:subfield code="a">Roman<\/marc:subfield><marc:subfield code="2">gnd<\/marc:subfield><marc:subfield code="0">http:\/\/x\/1<\/marc:subfield>/);
  assert.match(c, /tag="662"><marc:subfield code="a">France<\/marc:subfield><marc:subfield code="d">Paris<\/marc:subfield>/);
  // The Record view keeps the nested 700 after its 650 and drops the bare subfield.
  const [r] = modsToRecords(xml);
  assert.deepEqual(r!.fields.map((f) => f.tag), ['008', '245', '264', '043', '650', '700', '655', '662', '500']);
});

test('names: a personal name with creator and another role is a 700 (the later template wins), creator alone a 100', () => {
  const xml = `${MODS_HEAD}<titleInfo><title>T</title></titleInfo>
    <name type="personal"><namePart type="family">Doe</namePart><namePart type="given">Jane</namePart><namePart type="date">1950-</namePart><role><roleTerm type="text">creator</roleTerm></role><description>d</description></name>
    <name type="personal"><namePart>Roe, Rick</namePart><role><roleTerm type="text">creator</roleTerm><roleTerm type="text">editor</roleTerm></role></name>
    <name type="corporate"><namePart>Org</namePart><namePart>Dept</namePart><role><roleTerm type="code">cre</roleTerm></role></name>
    <name><namePart>Untyped</namePart></name></mods>`;
  const [r] = modsToRecords(xml);
  const show = r!.fields.filter((f): f is DataField => f instanceof DataField).map((f) => `${f.tag}${f.ind1}${f.ind2} ${f.subfields.map((s) => `$${s.code}${s.value}`).join('')}`);
  assert.deepEqual(show.slice(0, 5), [
    '24510 $aT',
    '1001  $aDoe, Jane $d1950-$ecreator$gd',
    '7001  $aRoe, Rick $ecreator$eeditor',
    '1102  $aOrg$bDept$4cre',
    '720   $aUntyped',
  ]);
});

test('modsCollection gives a marc:collection; records inside carry no schemaLocation', () => {
  const one = '<mods><titleInfo><title>A</title></titleInfo><recordInfo><recordIdentifier source="X">1</recordIdentifier></recordInfo></mods>';
  const xml = `<modsCollection xmlns="http://www.loc.gov/mods/v3">${one}${one.replace('>1<', '>2<')}</modsCollection>`;
  const out = modsToMarcXml(xml);
  assert.match(out, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<marc:collection /);
  assert.equal((out.match(/schemaLocation/g) ?? []).length, 1);
  const records = modsToRecords(xml);
  assert.deepEqual(records.map((r) => [control(r, '001'), control(r, '003')]), [['1', 'X'], ['2', 'X']]);
});

test('malformed or non-MODS input throws MarcError E403', () => {
  const bad = ['', 'not xml', `${MODS_HEAD}<titleInfo><title>x</titleInfo></mods>`, `${MODS_HEAD}<titleInfo>`, '<record xmlns="http://www.loc.gov/MARC21/slim"/>', '<mods><titleInfo/></mods>'];
  for (const xml of bad) {
    assert.throws(
      () => modsToRecords(xml),
      (e: unknown) => e instanceof MarcError && e.code === 'E403',
      JSON.stringify(xml),
    );
    assert.throws(() => modsToMarcXml(xml), MarcError);
  }
});
