import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import jsonld from 'jsonld';
import { parseMarcXml, readMarcXml } from '../../src/index.js';
import { chopPunct, toBibframe, recordsToBibframe, recordsToRdfXml, toRdfXml, toTurtle, toNTriples, toJsonLd, parseTurtle, bibframeToRecords, bibframeTextToRecords, fieldFromMarcKey, type Quad } from '../../src/formats/bibframe/index.js';
import '../../src/formats/bibframe/register.js';
import { createFormatWriter } from '../../src/io/formats.js';
import { compareGraphs, parseRdfXml } from './helpers-rdf.js';

const DIR = new URL('../fixtures/bibframe/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DIR));
const OPTIONS = { baseUri: 'http://example.org/', generationDate: '2000-01-01T00:00:00' };
const BF = 'http://id.loc.gov/ontologies/bibframe/';

/** The generation AdminMetadata names the run and the release: not compared. */
function dropRunDependent(quads: readonly Quad[]): Quad[] {
  const gen = new Set(quads.filter((q) => q.predicate.value === BF + 'generationProcess').map((q) => q.subject.value));
  return quads.filter((q) => q.predicate.value !== BF + 'generationProcess' && !(gen.has(q.subject.value) && q.predicate.value === BF + 'date'));
}

test('chopPunct follows LC tChopPunct', () => {
  assert.equal(chopPunct('Immanuel Velikovsky - The Truth Behind the Torment.'), 'Immanuel Velikovsky - The Truth Behind the Torment');
  assert.equal(chopPunct('200 p. :'), '200 p.');
  assert.equal(chopPunct('ill. ;'), 'ill.');
  assert.equal(chopPunct('16 x 23 cm.'), '16 x 23 cm');
  assert.equal(chopPunct('Einstein, Albert,'), 'Einstein, Albert');
  assert.equal(chopPunct('Smith, J.'), 'Smith, J.');
  assert.equal(chopPunct('guest editors, Ole Petter Clausen ... [et al.].'), 'guest editors, Ole Petter Clausen ... [et al.].');
  assert.equal(chopPunct('[Edo'), '[Edo]');
  assert.equal(chopPunct('(pbk.)', { chopParens: true }), 'pbk');
});

// Share of LC's triples produced per fixture; the floor guards against regressions.
const PAIRS: [string, string, number][] = [
  ['001_16972248.marcxml', '001_16972248.bf.rdf.xml', 1],
  ['001_268167.marcxml', '001_268167.bf.rdf.xml', 1],
  ['003_5952219.marcxml', '003_5952219.bf.rdf.xml', 1],
  // nlm serial: 022 on the Work, 041 with an unnamed source, 210/222, 310/321, 362, 510, 583, 770-785.
  ['014_117811.marcxml', '014_117811.bf.rdf.xml', 1],
  // 856 (electronic Instance and supplementary content), 440-less series, notes.
  ['049_15695419.marcxml', '049_15695419.bf.rdf.xml', 1],
  // Japanese 880 pairs: the alternate script on the same nodes, xml:lang from $6.
  ['004_6131707.marcxml', '004_6131707.bf.rdf.xml', 0.94],
  // 787 with a related Work and Instance.
  ['linking-entries_003_3.marcxml', 'linking-entries_003_3.bf.rdf.xml', 0.9],
  // A record without a leader element: LC numbers fields from the first element present.
  ['uniform-titles_006_6.marcxml', 'uniform-titles_006_6.bf.rdf.xml', 0.96],
];

for (const [marc, rdf, floor] of PAIRS) {
  test(`LC marc2bibframe2 v2.10.0 triples: ${marc}`, async () => {
    const record = parseMarcXml(read(marc), { mode: 'lenient' });
    const ours = dropRunDependent(toBibframe(record, OPTIONS));
    const theirs = dropRunDependent(await parseRdfXml(read(rdf).toString('utf8')));
    const c = compareGraphs(theirs, ours);
    assert.ok(c.matched / c.expected >= floor, `${c.matched}/${c.expected} matched; missing:\n${c.missing.slice(0, 20).join('\n')}`);
    // Nothing of ours may contradict LC's single value for a property.
    assert.deepEqual(c.conflicts, []);
  });
}

for (const name of ['001_16972248', '001_268167', '003_5952219', '014_117811', '049_15695419']) {
  test(`${name} matches LC exactly`, async () => {
    const record = parseMarcXml(read(name + '.marcxml'), { mode: 'lenient' });
    const c = compareGraphs(dropRunDependent(await parseRdfXml(read(name + '.bf.rdf.xml').toString('utf8'))), dropRunDependent(toBibframe(record, OPTIONS)));
    assert.deepEqual(c.missing, []);
    assert.deepEqual(c.conflicts, []);
  });
}

// The 41 synthetic mrrc records (one per file, LC v2.10.0 output for each): they exercise every
// corner of the format (3XX, 5XX with $5, 6XX schemes, 7XX Hubs, 76X-78X), so the floor is on the
// whole set, with per-file floors for the records each area of the converter was ported against.
const MRRC = new URL('mrrc-baselines/', DIR);
const MRRC_FLOORS: { [file: string]: number } = {
  'physical-desc_001_1': 0.99, 'physical-desc_002_2': 1, 'subjects_001_1': 0.98, 'notes_001_1': 1, 'linking-entries_001_1': 1,
  'names-agents_002_2': 0.96, 'publication_002_5295609': 1, 'publication_005_11457859': 1, 'publication_008_12027497': 1,
  'publication_009_18825600': 1, 'titles_004_4': 1, 'titles_007_7': 1, 'uniform-titles_001_1': 1, 'uniform-titles_002_2': 0.99,
  'uniform-titles_004_4': 1, 'uniform-titles_005_5': 1, 'alternate-scripts_001_1': 0.99, 'simple-record_001_13600108': 1,
  // An XML comment between fields: it counts in LC's numbering of the Hubs and Agents after it.
  'names-agents_001_1': 1,
};

test('LC marc2bibframe2 v2.10.0 triples: the mrrc baselines as a whole', async () => {
  let expected = 0;
  let matched = 0;
  const conflicts: string[] = [];
  const low: string[] = [];
  for (const name of readdirSync(MRRC).filter((f) => f.endsWith('.marcxml')).map((f) => f.replace('.marcxml', ''))) {
    const records = [...readMarcXml(readFileSync(new URL(name + '.marcxml', MRRC)), { mode: 'lenient' })];
    const c = compareGraphs(dropRunDependent(await parseRdfXml(readFileSync(new URL(name + '.bf.rdf.xml', MRRC), 'utf8'))), dropRunDependent(recordsToBibframe(records, OPTIONS)));
    expected += c.expected;
    matched += c.matched;
    conflicts.push(...c.conflicts);
    const floor = MRRC_FLOORS[name];
    if (floor !== undefined && c.matched / c.expected < floor) low.push(`${name}: ${c.matched}/${c.expected}\n  ${c.missing.slice(0, 10).join('\n  ')}`);
  }
  assert.deepEqual(low, []);
  assert.ok(matched / expected >= 0.985, `${matched}/${expected}`);
  // Nothing of ours may contradict LC's single value for a property.
  assert.deepEqual(conflicts, []);
});

test('URIs: base URI, 001, and tag-position names as LC mints them', () => {
  const record = parseMarcXml(read('001_16972248.marcxml'));
  const quads = toBibframe(record, { baseUri: 'https://lib.example/bib/', generationDate: '2024-01-01T00:00:00' });
  const subjects = new Set(quads.map((q) => q.subject.value));
  assert.ok(subjects.has('https://lib.example/bib/16972248#Work'));
  assert.ok(subjects.has('https://lib.example/bib/16972248#Instance'));
  assert.ok(subjects.has('https://lib.example/bib/16972248#Agent100-13'));
  assert.ok(quads.some((q) => q.predicate.value === BF + 'date' && q.object.value === '2024-01-01T00:00:00'));
});

// The synthetic subjects record has no leader element; LC's v3.0.0 output (647/656/662, FAST).
test('v3.0.0 baseline (subjects, no leader)', async () => {
  const records = [...readMarcXml(read('subjects.marcxml'), { mode: 'lenient' })];
  const c = compareGraphs(dropRunDependent(await parseRdfXml(read('subjects.v3.rdf.xml').toString('utf8'))), dropRunDependent(recordsToBibframe(records, OPTIONS)));
  assert.ok(c.matched / c.expected >= 0.98, `${c.matched}/${c.expected}`);
});

test('field positions count the leader only when the record has one', () => {
  const record = parseMarcXml(read('uniform-titles_006_6.marcxml'), { mode: 'lenient' });
  const subjects = (quads: readonly Quad[]) => new Set(quads.map((q) => q.subject.value));
  const without = toBibframe(record, OPTIONS);
  assert.ok(subjects(without).has('http://example.org/6#Agent100-2'));
  assert.ok(subjects(without).has('http://example.org/6#Hub240-3'));
  // Nothing read from the default leader the reader filled in.
  assert.ok(!without.some((q) => q.predicate.value === BF + 'issuance'));
  assert.ok(subjects(toBibframe(record, { ...OPTIONS, hasLeader: true })).has('http://example.org/6#Agent100-3'));
});

test('field positions count the XML comments before the field, as LC numbers them', () => {
  // names-agents_001_1 (no leader): 001 100 600 600 600 700 700 700 700, a comment, 700 700 700.
  const record = parseMarcXml(read('mrrc-baselines/names-agents_001_1.marcxml'), { mode: 'lenient' });
  assert.deepEqual(record.xmlComments, [{ before: 9, text: ' MTA Hub examples ' }]);
  const label = (quads: readonly Quad[], s: string) => quads.find((q) => q.subject.value === s && q.predicate.value === 'http://www.w3.org/2000/01/rdf-schema#label')?.object.value;
  const quads = toBibframe(record, OPTIONS);
  // Position 10 is the comment's.
  assert.equal(label(quads, 'http://example.org/1#Agent700-10'), undefined);
  assert.equal(label(quads, 'http://example.org/1#Agent700-11'), 'Tyler, Anne');
  assert.equal(label(quads, 'http://example.org/1#Agent700-12'), 'Collodi, Carlo, 1826-1890');
  // The same record without its comment (built in code, say): numbered by fields alone.
  delete record.xmlComments;
  assert.equal(label(toBibframe(record, OPTIONS), 'http://example.org/1#Agent700-10'), 'Tyler, Anne');
  // A comment before the leader or between it and the first field moves every field.
  const withLeader = parseMarcXml(`<record><!-- a --><leader>00000nam a2200000   4500</leader><!-- b --><controlfield tag="001">9</controlfield><datafield tag="100" ind1="1" ind2=" "><subfield code="a">Smith, J.</subfield></datafield></record>`);
  assert.deepEqual(withLeader.xmlComments?.map((c) => c.before), [0, 0]);
  assert.ok(toBibframe(withLeader, OPTIONS).some((q) => q.subject.value === 'http://example.org/9#Agent100-5'));
});

test('880 text lands on the paired field\'s nodes, tagged by its own $6', () => {
  const quads = toBibframe(parseMarcXml(read('004_6131707.marcxml'), { mode: 'lenient' }), OPTIONS);
  const labels = quads.filter((q) => q.subject.value === 'http://example.org/6131707#Agent100-8' && q.predicate.value === 'http://www.w3.org/2000/01/rdf-schema#label');
  assert.deepEqual(labels.map((q) => [q.object.value, (q.object as { language?: string }).language]).sort(), [['Ōtani, Sonʼyū, 1886-1939', 'ja-jpan'], ['大谷, 尊由, 1886-1939', '']]);
  assert.ok(quads.some((q) => q.predicate.value === 'http://id.loc.gov/ontologies/bflc/marcKey' && q.object.value === '8801 $6100-01$a大谷, 尊由,$d1886-1939.'));
});

test('856 with ind2 1 is a separate electronic Instance of the Work', () => {
  const quads = toBibframe(parseMarcXml(read('049_15695419.marcxml')), OPTIONS);
  const uri = 'http://example.org/15695419#Instance856-43';
  assert.ok(quads.some((q) => q.subject.value === 'http://example.org/15695419#Work' && q.predicate.value === BF + 'hasInstance' && q.object.value === uri));
  assert.ok(quads.some((q) => q.subject.value === uri && q.object.value === BF + 'Electronic'));
  assert.equal(quads.filter((q) => q.predicate.value === BF + 'supplementaryContent').length, 2);
});

test('recordsToRdfXml writes the same graph as toRdfXml(recordsToBibframe())', async () => {
  const records = ['001_16972248.marcxml', '014_117811.marcxml', '004_6131707.marcxml', 'subjects.marcxml'].flatMap((f) => [...readMarcXml(read(f), { mode: 'lenient' })]);
  const streamed = await parseRdfXml(recordsToRdfXml(records, OPTIONS));
  await sameGraph(await parseRdfXml(toRdfXml(recordsToBibframe(records, OPTIONS))), streamed);
  assert.ok(streamed.length > 800, String(streamed.length));
});

async function sameGraph(a: readonly Quad[], b: readonly Quad[]): Promise<void> {
  const c = compareGraphs(a, b);
  assert.equal(c.matched, c.expected, c.missing.slice(0, 5).join('\n'));
  assert.deepEqual(c.added, []);
}

test('RDF/XML, Turtle, N-Triples and JSON-LD all carry the same graph', async () => {
  const records = [...readMarcXml(read('subjects.marcxml'), { mode: 'lenient' })];
  const quads = recordsToBibframe(records, OPTIONS);
  await sameGraph(quads, await parseRdfXml(toRdfXml(quads)));
  await sameGraph(quads, parseTurtle(toTurtle(quads)));
  await sameGraph(quads, parseTurtle(toNTriples(quads)));
  const nquads = (await jsonld.toRDF(toJsonLd(quads) as jsonld.JsonLdDocument, { format: 'application/n-quads' })) as unknown as string;
  await sameGraph(quads, parseTurtle(nquads));
});

test('RDF/XML nests blank nodes under typed elements as LC does', () => {
  const xml = toRdfXml(toBibframe(parseMarcXml(read('001_16972248.marcxml')), OPTIONS));
  assert.match(xml, /<bf:Work rdf:about="http:\/\/example.org\/16972248#Work">/);
  assert.match(xml, /<bf:title>\s*<bf:Title>\s*<bf:mainTitle>Immanuel Velikovsky - The Truth Behind the Torment<\/bf:mainTitle>/);
  assert.doesNotMatch(xml, /rdf:nodeID/);
});

test('BIBFRAME → MARC keeps the core of a record', async () => {
  const record = parseMarcXml(read('001_16972248.marcxml'));
  const [back] = bibframeToRecords(toBibframe(record, OPTIONS));
  assert.ok(back);
  assert.equal(back.getValue('001'), '16972248');
  assert.equal(back.getValue('245', 'a'), 'Immanuel Velikovsky - The Truth Behind the Torment');
  assert.equal(back.getValue('100', 'a'), 'Sharon, Ruth Velikovsky');
  assert.deepEqual(back.getSubfieldValues('020', 'a'), ['1906833214', '9781906833213']);
  assert.equal(back.getDataFields('650').length, 6);
  assert.equal(back.getValue('600', 'a'), 'Velikovsky, Immanuel,');
  assert.equal(back.getValue('300', 'a'), '200 p.');
  assert.equal(back.getValue('300', 'c'), '16 x 23 cm');
  assert.equal(back.leader.value.charAt(6), 'a');
  assert.equal(back.leader.value.charAt(7), 'm');
  assert.equal(back.getValue('008')?.substring(35, 38), 'eng');
  // From LC's own RDF/XML as well.
  const [fromLc] = await bibframeTextToRecords(read('001_16972248.bf.rdf.xml').toString('utf8'));
  assert.equal(fromLc?.getValue('245', 'a'), 'Immanuel Velikovsky - The Truth Behind the Torment');
  assert.equal(fromLc?.getValue('100', 'a'), 'Sharon, Ruth Velikovsky');
});

test('fieldFromMarcKey', () => {
  const f = fieldFromMarcKey('60010$aVelikovsky, Immanuel,$d1895-1979.');
  assert.equal(f?.tag, '600');
  assert.equal(f?.ind1, '1');
  assert.equal(f?.ind2, '0');
  assert.deepEqual(f?.subfields, [{ code: 'a', value: 'Velikovsky, Immanuel,' }, { code: 'd', value: '1895-1979.' }]);
});

test("registered 'bibframe' writer format streams a parseable RDF/XML document", async () => {
  const records = [...readMarcXml(read('subjects.marcxml'), { mode: 'lenient' })];
  for (const rdfFormat of ['rdfxml', 'ntriples', 'turtle', 'jsonld']) {
    const writer = createFormatWriter('bibframe', { ...OPTIONS, rdfFormat });
    let text = String(writer.header?.() ?? '');
    for (const r of records) text += String(writer.write(r));
    text += String(writer.footer?.() ?? '');
    const quads = rdfFormat === 'rdfxml' ? await parseRdfXml(text) : rdfFormat === 'jsonld' ? parseTurtle((await jsonld.toRDF(JSON.parse(text) as jsonld.JsonLdDocument, { format: 'application/n-quads' })) as unknown as string) : parseTurtle(text);
    assert.ok(quads.filter((q) => q.predicate.value === BF + 'instanceOf').length === records.length, rdfFormat);
  }
});
