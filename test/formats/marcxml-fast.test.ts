/**
 * The fast MARCXML tokenizer against saxes: for every fixture and for generated variations and
 * corruptions, read in many chunkings and every mode, both must give the same results — records,
 * repairs, skipped records, raw bytes, offsets — and the same thrown error, position included;
 * and each result's raw bytes are the input's (as UTF-8, for a string) at its byte offset.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIXTURES, rng } from '../helpers.js';
import { MarcXmlParser, type MarcXmlReadOptions } from '../../src/formats/marcxml/reader.js';
import { FastMarcXmlTokenizer } from '../../src/formats/marcxml/fast-tokenizer.js';
import { MarcXmlWriter } from '../../src/formats/marcxml/writer.js';
import { ControlField, DataField, type Field } from '../../src/record/field.js';
import { Record } from '../../src/record/record.js';
import type { ReadResult } from '../../src/iso2709/reader.js';

import { MODES, assertInputBytes, assertSameText, errorShape, marcXmlFixturePaths, resultShape } from './marcxml-helpers.js';

/** Everything a read produces, in order, with the error it stopped on (if any). */
function run(input: Buffer | string, chunk: number, options: MarcXmlReadOptions): string {
  const parser = new MarcXmlParser(options);
  const out: unknown[] = [];
  const all: ReadResult[] = [];
  try {
    for (let at = 0; at < input.length; at += chunk) {
      const piece = typeof input === 'string' ? input.slice(at, at + chunk) : input.subarray(at, at + chunk);
      for (const r of parser.push(piece)) all.push(r), out.push(resultShape(r));
    }
    for (const r of parser.end()) all.push(r), out.push(resultShape(r));
  } catch (e) {
    out.push({ thrown: errorShape(e) });
  }
  // Offsets are bytes of the input (a string's as UTF-8), and raw is those bytes.
  assertInputBytes(typeof input === 'string' ? Buffer.from(input) : input, all, `chunk=${chunk} ${JSON.stringify(options)}`);
  return JSON.stringify(out);
}

function same(input: Buffer | string, chunks: number[], label: string, extra: MarcXmlReadOptions = {}, modes: readonly string[] = MODES): void {
  for (const mode of modes as typeof MODES) {
    for (const chunk of chunks) {
      const slow = run(input, chunk, { ...extra, mode, tokenizer: 'saxes' });
      const fast = run(input, chunk, { ...extra, mode });
      assertSameText(fast, slow, `${label} mode=${mode} chunk=${chunk} input=${JSON.stringify(String(input).slice(0, 2000))}`);
    }
  }
}

const marcXmlFixtures = marcXmlFixturePaths();

test('every MARCXML fixture: fast and saxes agree', () => {
  assert.ok(marcXmlFixtures.length > 300, `found ${marcXmlFixtures.length}`);
  for (const path of marcXmlFixtures) {
    const bytes = readFileSync(path);
    const label = path.slice(FIXTURES.length);
    // Every mode where errors are expected; well-formed documents read alike in all modes, so
    // one mode suffices for the chunkings there (and keeps this test fast).
    const broken = /corrupt|error|fuzz/.test(label);
    same(bytes, [bytes.length + 1], label);
    same(bytes, bytes.length < 2500 ? [1, 13, 997] : [997], label, {}, broken ? MODES : ['strict']);
  }
});

// ---- generated variations -------------------------------------------------------------------

function sampleRecords(random: () => number): Record[] {
  const records: Record[] = [];
  const words = ['Hamlet', 'Ω', 'naïve', 'a & b', '<tag>', '"quoted"', "it's", '𝔘nicode', 'x > y', '  spaced  ', 'Ла́дога', '東京'];
  const word = (): string => words[Math.floor(random() * words.length)] as string;
  for (let n = 0; n < 3; n++) {
    const fields: Field[] = [new ControlField('001', `rec${n}`), new ControlField('008', '910926s1957    nyuuun              eng  ')];
    for (let f = 0; f < 4; f++) {
      const tag = String(100 + Math.floor(random() * 800));
      fields.push(new DataField(tag, random() < 0.5 ? ' ' : '1', random() < 0.5 ? '0' : ' ', [{ code: 'a', value: word() }, { code: 'b', value: word() + ' ' + word() }]));
    }
    records.push(new Record({ leader: '00000nam a2200000   4500', fields }));
  }
  return records;
}

function baseDocument(records: Record[]): string {
  const writer = new MarcXmlWriter();
  return writer.begin() + records.map((r) => writer.write(r)).join('') + writer.end();
}

type Variation = (xml: string, random: () => number) => string;

const pick = <T,>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const variations: { [name: string]: Variation } = {
  identity: (xml) => xml,
  prefixed: (xml, random) => {
    const p = pick(random, ['marc', 'm', 'slim_1']);
    return xml
      .replace(/<(\/?)(collection|record|leader|controlfield|datafield|subfield)\b/g, `<$1${p}:$2`)
      .replace('xmlns="http://www.loc.gov/MARC21/slim"', `xmlns:${p}="http://www.loc.gov/MARC21/slim"`);
  },
  compact: (xml) => xml.replace(/>\s+</g, '><'),
  oai: (xml) => {
    const body = xml.replace(/^<\?xml[^>]*>\s*/, '').replace(/<\/?collection[^>]*>/g, '');
    const recs = body.split(/(?=<record)/).filter((s) => s.includes('<record'));
    return '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>' +
      recs.map((r) => `<record><header><identifier>oai:x</identifier></header><metadata>${r.replace('<record', '<record xmlns="http://www.loc.gov/MARC21/slim"')}</metadata></record>`).join('\n') +
      '</ListRecords></OAI-PMH>\n';
  },
  sru: (xml) => {
    const body = xml.replace(/^<\?xml[^>]*>\s*/, '').replace(/<\/?collection[^>]*>/g, '');
    const recs = body.split(/(?=<record)/).filter((s) => s.includes('<record'));
    return "<?xml version='1.0'?><zs:searchRetrieveResponse xmlns:zs='http://www.loc.gov/zing/srw/'><zs:records>" +
      recs.map((r) => `<zs:record><zs:recordData>${r.replace('<record', "<record xmlns='http://www.loc.gov/MARC21/slim'")}</zs:recordData></zs:record>`).join('') +
      '</zs:records></zs:searchRetrieveResponse>';
  },
  comments: (xml, random) => xml.replace(/></g, (m) => (random() < 0.3 ? '><!-- c - o > m <x> -->\n<' : m)),
  references: (xml, random) =>
    // Not in blank runs, which may be outside the root (where references are errors).
    xml.replace(/>([^<]*[^<\s][^<]*)</g, (_, text: string) => '>' + (text.match(/&[^;]*;|[^]/gu) ?? []).map((c) => {
      if (c.length > 2) return c; // an entity already
      const r = random();
      if (r < 0.15) return `&#${c.codePointAt(0)};`;
      if (r < 0.3) return `&#x${(c.codePointAt(0) as number).toString(16)};`;
      if (r < 0.35) return c === ' ' ? '&amp;' : c;
      return c;
    }).join('') + '<'),
  attributes: (xml, random) =>
    xml.replace(/<([\w:]+)((?:\s+[\w:]+="[^"]*")+)\s*(\/?)>/g, (_, name: string, attrs: string, slash: string) => {
      const list = [...attrs.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string] as const);
      list.sort(() => random() - 0.5);
      const text = list.map(([k, v]) => {
        const q = random() < 0.5 ? '"' : "'";
        const value = q === "'" ? v.replace(/&quot;/g, '"') : v;
        return `${pick(random, [' ', '\n\t', '  '])}${k}${pick(random, ['=', ' = '])}${q}${value}${q}`;
      }).join('');
      return `<${name}${text}${pick(random, ['', ' ', '\n'])}${slash}>`;
    }),
  concatenated: (xml) => xml + '\n' + xml,
  crlf: (xml) => xml.replace(/\n/g, '\r\n'),
};

/** Corruptions: everything the fast path must hand over, and plain breakage. */
const corruptions: readonly string[] = [
  '<', '>', '&', '&bogus;', '&#0;', '&#xD800;', ']]>', '<![CDATA[cd<a>ta]]>', '<!DOCTYPE x>', '<?pi x?>', '<?xml version="1.0"?>',
  '\r', '\0', '\uFFFE', '\uD800', '</x>', '<x>', '<x/>', '"', "'", '=', ' ', '--', '<!-- c -- d -->', '</record>', '<record>',
  '<subfield code="z">extra</subfield>', 'stray text', '&amp;', '&#65;', '<a b="1" b="2"/>', '<a b="&lt;"/>', '<é/>', '𝔘',
];

test('generated variations and corruptions: fast and saxes agree', () => {
  const random = rng(20260126);
  const docs: [string, string][] = [];
  for (let i = 0; i < 3; i++) {
    const base = baseDocument(sampleRecords(random));
    for (const [name, variation] of Object.entries(variations)) docs.push([name, variation(base, random)]);
    // Two variations stacked.
    const names = Object.keys(variations);
    const a = pick(random, names);
    const b = pick(random, names);
    docs.push([`${a}+${b}`, (variations[b] as Variation)((variations[a] as Variation)(base, random), random)]);
  }
  for (const [name, xml] of docs) {
    same(xml, [xml.length + 1, 1, 2, 3, 5, 8, 64, 1000], name);
    // As bytes, on the byte path (and the text path for what it leaves).
    same(Buffer.from(xml), [xml.length + 1, 1, 7, 64, 1000], `${name} (bytes)`);
  }
  // Corrupted at random places, also in bytes (so chunk edges fall inside UTF-8 sequences).
  let cases = 0;
  for (const [name, xml] of docs) {
    for (let k = 0; k < 15; k++) {
      const at = Math.floor(random() * xml.length);
      const bad = random() < 0.8 ? xml.slice(0, at) + pick(random, corruptions) + xml.slice(at) : xml.slice(0, at) + xml.slice(at + 1 + Math.floor(random() * 20));
      same(random() < 0.5 ? bad : Buffer.from(bad), [bad.length + 1, 1 + Math.floor(random() * 40)], `${name} corrupted #${k}`);
      cases++;
    }
  }
  assert.ok(cases > 400, `${cases} cases`);
});

test('the common shapes stay on the fast path (no handover to saxes)', () => {
  const random = rng(99);
  const base = baseDocument(sampleRecords(random));
  for (const [name, variation] of Object.entries(variations)) {
    if (name === 'crlf') continue; // handed over by design
    const full = variation(base, random);
    for (const chunk of [full.length + 1, 1, 7, 100]) {
      // The reader blanks the second declaration only when a chunk holds it whole.
      if (name === 'concatenated' && chunk <= full.length) continue;
      // A declaration cut by a chunk is left to saxes (only tiny chunks do that).
      const xml = chunk < 64 ? full.replace(/^<\?xml[^>]*>/, '') : full;
      let events = 0;
      const tokenizer = new FastMarcXmlTokenizer({ open: () => events++, close: () => events++, text: () => events++ });
      const reader = new MarcXmlParser();
      let records = 0;
      let at = 0;
      while (at < xml.length) {
        // Chunks never split a surrogate pair, as the readers' decoders guarantee.
        let to = Math.min(at + chunk, xml.length);
        if ((xml.charCodeAt(to - 1) & 0xfc00) === 0xd800) to++;
        records += reader.push(xml.slice(at, to)).length;
        // The bare tokenizer does not blank the declarations of concatenated documents; the reader does.
        const handover = name === 'concatenated' ? null : tokenizer.write(xml.slice(at, to));
        assert.equal(handover, null, `${name} chunk=${chunk} at=${at}: ${handover?.rest.slice(0, 60)}`);
        assert.equal(reader.tokenizer, 'fast', `${name} chunk=${chunk} at=${at}`);
        at = to;
      }
      if (name !== 'concatenated') {
        assert.equal(tokenizer.end(), null, `${name} chunk=${chunk}`);
        assert.ok(events > 50, `${name} chunk=${chunk}: ${events} events`);
      }
      records += reader.end().length;
      assert.ok(records >= 3, `${name} chunk=${chunk}: ${records} records`);
      assert.equal(reader.tokenizer, 'fast');
    }
  }
});

test("tokenizer: 'saxes' is the old path; the default reads the same records", () => {
  const xml = baseDocument(sampleRecords(rng(5)));
  const records = (options: MarcXmlReadOptions): unknown[] => {
    const parser = new MarcXmlParser(options);
    return [...parser.push(xml), ...parser.end()].map((r) => r.record?.toJSON());
  };
  assert.equal(records({}).length, 3);
  assert.deepEqual(records({}), records({ tokenizer: 'saxes' }));
});

test('limits behave the same: maxDepth, maxRecordSize', () => {
  const random = rng(7);
  const xml = variations['comments']?.(baseDocument(sampleRecords(random)), random) as string;
  for (const maxDepth of [1, 2, 3, 4]) same(xml, [xml.length + 1, 7], `maxDepth=${maxDepth}`, { maxDepth });
  for (const maxRecordSize of [10, 200, 1000]) same(xml, [xml.length + 1, 7, 300], `maxRecordSize=${maxRecordSize}`, { maxRecordSize });
  const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
  same(deep, [deep.length + 1, 5], 'deep');
});

test('edge documents: empty, prolog only, blanks, declarations', () => {
  const docs = [
    '', ' ', '\n\n', '<?xml version="1.0"?>', '<?xml version="1.0"?>\n<!-- only -->\n', '<collection/>', '<record/>',
    '<?xml version="1.1"?><record><leader>00000nam a2200000   4500</leader></record>',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><record><leader>x</leader></record>  \n',
    '  <?xml version="1.0"?><record/>', '<record/>text', 'text<record/>', '<record/><record/>', '<record></record2>',
    '<record><leader>00000nam a2200000   4500</leader>', '<record><leader>00000nam a2200000   4500</leader></record><!--',
    '<record xmlns="http://www.openarchives.org/OAI/2.0/"><record><controlfield tag="001">x</controlfield></record></record>',
  ];
  for (const doc of docs) {
    same(doc, [doc.length + 1, 1, 3], JSON.stringify(doc));
    same(Buffer.from(doc), [doc.length + 1, 1, 3], `${JSON.stringify(doc)} (bytes)`);
  }
});
