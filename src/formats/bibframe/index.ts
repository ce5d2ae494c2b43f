/**
 * BIBFRAME 2: MARC → BIBFRAME as LC's marc2bibframe2 converts, BIBFRAME → MARC for the same core,
 * and RDF serialisations (RDF/XML as LC emits it, Turtle, N-Triples, JSON-LD).
 */
import type { Quad } from '@rdfjs/types';
import type { Record } from '../../record/record.js';
import { bibframeToRecords } from './bf2marc.js';
import { GraphBuilder } from './graph.js';
import { convertInto, type BibframeOptions } from './marc2bf.js';
import { RdfXmlWriter, parseRdfXml, parseTurtle } from './rdf.js';
// Importing `mrrc/bibframe` makes 'bibframe' an output format of writeRecords and the streams.
import './register.js';

export { toBibframe, recordsToBibframe, recordIdOf } from './marc2bf.js';
export type { BibframeOptions } from './marc2bf.js';
export { bibframeToRecords, fieldFromMarcKey } from './bf2marc.js';
export { RdfXmlWriter, toRdfXml, toTurtle, toNTriples, toJsonLd, parseRdfXml, parseTurtle } from './rdf.js';
export type { JsonLdNode } from './rdf.js';
export { chopPunct } from './text.js';
export type { Quad };

/** MARC records from BIBFRAME as RDF/XML (LC's serialisation) or Turtle / N-Triples text. */
export async function bibframeTextToRecords(text: string, format: 'rdfxml' | 'turtle' | 'ntriples' = text.trimStart().startsWith('<?xml') || text.trimStart().startsWith('<rdf:RDF') ? 'rdfxml' : 'turtle'): Promise<Record[]> {
  const quads = format === 'rdfxml' ? await parseRdfXml(text) : parseTurtle(text);
  return bibframeToRecords(quads);
}

/**
 * MARC records to one RDF/XML document, as LC's converter runs (MARCXML in, RDF/XML out). Each
 * record is converted and written on its own, so only one record's graph is alive at a time;
 * the document's graph is the same as `toRdfXml(recordsToBibframe(records))` gives, but
 * vocabulary nodes shared by several records are stated once per record, as LC's output does.
 */
export function recordsToRdfXml(records: Iterable<Record>, options: BibframeOptions = {}): string {
  const writer = new RdfXmlWriter();
  let n = options.recordNumber ?? 1;
  for (const record of records) {
    const g = new GraphBuilder();
    convertInto(g, record, { ...options, recordNumber: n++ });
    writer.add(g.quads);
  }
  return writer.end();
}
