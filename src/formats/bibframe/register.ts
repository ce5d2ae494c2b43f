/**
 * Registers the 'bibframe' output format with the I/O layer, so `writeRecords(records, dest,
 * {format: 'bibframe'})` and the serializer streams write BIBFRAME. Options: `rdfFormat`
 * ('rdfxml' (default), 'turtle', 'ntriples', 'jsonld') and the converter's `BibframeOptions`.
 * RDF/XML and N-Triples stream record by record; Turtle and JSON-LD are written per record.
 */
import { registerFormat } from '../../io/formats.js';
import { generationTimestamp, toBibframe, type BibframeOptions } from './marc2bf.js';
import { toJsonLd, toNTriples, toRdfXml, toTurtle } from './rdf.js';

registerFormat('bibframe', (options) => {
  const rdfFormat = (options['rdfFormat'] as string | undefined) ?? 'rdfxml';
  // One datestamp for the whole output, as LC's converter takes it once per run (each record
  // stamped with the second it was converted in made the same input give different documents).
  const bfOptions = { ...(options as BibframeOptions) };
  bfOptions.generationDate ??= generationTimestamp();
  let n = 0;
  const convert = (record: Parameters<typeof toBibframe>[0]) => toBibframe(record, { ...bfOptions, recordNumber: ++n });
  if (rdfFormat === 'ntriples') return { write: (record) => toNTriples(convert(record)) };
  if (rdfFormat === 'turtle') return { write: (record) => toTurtle(convert(record)) + '\n' };
  if (rdfFormat === 'jsonld') {
    let first = true;
    return {
      header: () => '[\n',
      write: (record) => {
        const text = toJsonLd(convert(record)).map((node) => JSON.stringify(node)).join(',\n');
        const out = (first ? '' : ',\n') + text;
        first = false;
        return out;
      },
      footer: () => '\n]\n',
    };
  }
  return {
    header: () => '<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:bf="http://id.loc.gov/ontologies/bibframe/" xmlns:bflc="http://id.loc.gov/ontologies/bflc/" xmlns:madsrdf="http://www.loc.gov/mads/rdf/v1#" xmlns:xsd="http://www.w3.org/2001/XMLSchema#">\n',
    // The body of a one-record document: its nodes, without the prolog and the rdf:RDF wrapper.
    write: (record) => recordBody(toRdfXml(convert(record))),
    footer: () => '</rdf:RDF>\n',
  };
});

function recordBody(doc: string): string {
  const start = doc.indexOf('>\n', doc.indexOf('<rdf:RDF')) + 2;
  const end = doc.lastIndexOf('</rdf:RDF>');
  return doc.substring(start, end);
}
