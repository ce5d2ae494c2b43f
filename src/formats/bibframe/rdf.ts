/**
 * RDF serialisations of converter output: RDF/XML (nested, typed node elements, the shape LC's
 * marc2bibframe2 writes), Turtle and N-Triples (N3.js's writer), JSON-LD (expanded form), and
 * parsers back to quads (RDF/XML through rdfxml-streaming-parser, Turtle/N-Triples through N3.js).
 */
import { Parser, Writer } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import type { Quad, Term } from '@rdfjs/types';
import { PREFIXES, RDF } from './graph.js';

export function toNTriples(quads: readonly Quad[]): string {
  return new Writer({ format: 'N-Triples' }).quadsToString(quads as Quad[]);
}

/** Turtle with prefix declarations (N3.js's quadsToString leaves them out; end() writes them). */
export function toTurtle(quads: readonly Quad[], prefixes: { [prefix: string]: string } = PREFIXES): string {
  const writer = new Writer({ format: 'Turtle', prefixes });
  writer.addQuads(quads as Quad[]);
  let out = '';
  // With no output stream N3.js calls back synchronously with the whole text.
  writer.end((error, result: string) => {
    if (error) throw error;
    out = result;
  });
  return out;
}

/** Turtle, TriG, N-Triples or N-Quads text to quads (synchronous). */
export function parseTurtle(text: string, baseIRI?: string): Quad[] {
  return new Parser(baseIRI === undefined ? {} : { baseIRI }).parse(text) as unknown as Quad[];
}

/** RDF/XML text to quads. */
export function parseRdfXml(text: string, baseIRI = 'http://example.org/'): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const parser = new RdfXmlParser({ baseIRI });
    const out: Quad[] = [];
    parser.on('data', (q: Quad) => out.push(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(out));
    parser.write(text);
    parser.end();
  });
}

// ---------------------------------------------------------------- RDF/XML

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /^[A-Za-z_][A-Za-z0-9._-]*$/;

class QNames {
  readonly byNs = new Map<string, string>();
  readonly #cache = new Map<string, string | null>();
  #n = 0;
  constructor(prefixes: { [p: string]: string }) {
    for (const [p, ns] of Object.entries(prefixes)) this.byNs.set(ns, p);
  }
  /** True when the IRI's namespace already has a prefix (typed elements use only those). */
  known(iri: string): boolean {
    const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/')) + 1;
    return this.byNs.has(iri.substring(0, cut)) && this.of(iri) !== null;
  }
  /** The qname of an IRI, declaring a new prefix when needed; null when it cannot be one. */
  of(iri: string): string | null {
    const hit = this.#cache.get(iri);
    if (hit !== undefined) return hit;
    const q = this.#of(iri);
    this.#cache.set(iri, q);
    return q;
  }

  #of(iri: string): string | null {
    let cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/')) + 1;
    while (cut < iri.length && !NAME_START.test(iri.charAt(cut))) cut++;
    const local = iri.substring(cut);
    if (local === '' || !NAME_CHAR.test(local)) return null;
    const ns = iri.substring(0, cut);
    let prefix = this.byNs.get(ns);
    if (prefix === undefined) {
      prefix = 'ns' + this.#n++;
      this.byNs.set(ns, prefix);
    }
    return prefix + ':' + local;
  }
}

/**
 * RDF/XML with blank nodes nested under their only referrer and each node written as a typed
 * element (its first rdf:type), as LC's converter writes; everything else is rdf:Description.
 */
export function toRdfXml(quads: readonly Quad[], prefixes: { [prefix: string]: string } = PREFIXES): string {
  const names = new QNames(prefixes);
  const bySubject = new Map<string, Quad[]>();
  const refs = new Map<string, number>();
  const order: string[] = [];
  const keyOf = (t: Term) => (t.termType === 'BlankNode' ? '_:' + t.value : t.value);
  for (const q of quads) {
    const k = keyOf(q.subject);
    let list = bySubject.get(k);
    if (list === undefined) {
      bySubject.set(k, (list = []));
      order.push(k);
    }
    list.push(q);
    if (q.object.termType === 'BlankNode') refs.set(q.object.value, (refs.get(q.object.value) ?? 0) + 1);
  }
  const nested = (t: Term) => t.termType === 'BlankNode' && refs.get(t.value) === 1 && bySubject.has('_:' + t.value);
  const done = new Set<string>();
  let body = '';

  const writeNode = (key: string, subject: Term, indent: string): void => {
    done.add(key);
    const list = bySubject.get(key) ?? [];
    const typeQuad = list.find((q) => q.predicate.value === RDF + 'type' && q.object.termType === 'NamedNode' && names.known(q.object.value));
    const element = typeQuad ? (names.of(typeQuad.object.value) as string) : 'rdf:Description';
    let attrs = '';
    if (subject.termType === 'NamedNode') attrs = ` rdf:about="${escapeAttr(subject.value)}"`;
    else if (!nested(subject)) attrs = ` rdf:nodeID="${escapeAttr(subject.value)}"`;
    const props = list.filter((q) => q !== typeQuad);
    if (props.length === 0) {
      body += `${indent}<${element}${attrs}/>\n`;
      return;
    }
    body += `${indent}<${element}${attrs}>\n`;
    const inner = indent + '  ';
    for (const q of props) {
      const pname = names.of(q.predicate.value);
      if (pname === null) throw new Error(`cannot write predicate ${q.predicate.value} in RDF/XML`);
      const o = q.object;
      if (o.termType === 'Literal') {
        let a = '';
        if (o.language) a = ` xml:lang="${escapeAttr(o.language)}"`;
        else if (o.datatype.value !== 'http://www.w3.org/2001/XMLSchema#string') a = ` rdf:datatype="${escapeAttr(o.datatype.value)}"`;
        body += `${inner}<${pname}${a}>${escapeText(o.value)}</${pname}>\n`;
      } else if (o.termType === 'NamedNode') {
        body += `${inner}<${pname} rdf:resource="${escapeAttr(o.value)}"/>\n`;
      } else if (nested(o) && !done.has('_:' + o.value)) {
        body += `${inner}<${pname}>\n`;
        writeNode('_:' + o.value, o, inner + '  ');
        body += `${inner}</${pname}>\n`;
      } else body += `${inner}<${pname} rdf:nodeID="${escapeAttr(o.value)}"/>\n`;
    }
    body += `${indent}</${element}>\n`;
  };

  for (const key of order) {
    if (done.has(key)) continue;
    const first = (bySubject.get(key) as Quad[])[0] as Quad;
    if (nested(first.subject)) continue;
    writeNode(key, first.subject, '  ');
  }
  // Blank nodes nested under a node that was itself never reached (cycles) still get written.
  for (const key of order) if (!done.has(key)) writeNode(key, ((bySubject.get(key) as Quad[])[0] as Quad).subject, '  ');
  let head = '<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF';
  for (const [ns, p] of names.byNs) head += ` xmlns:${p}="${escapeAttr(ns)}"`;
  return head + '>\n' + body + '</rdf:RDF>\n';
}

// ---------------------------------------------------------------- JSON-LD

export type JsonLdNode = { '@id': string; [key: string]: unknown };

/** Expanded, flattened JSON-LD: one node object per subject, no context needed to read it. */
export function toJsonLd(quads: readonly Quad[]): JsonLdNode[] {
  const nodes = new Map<string, JsonLdNode>();
  const id = (t: Term) => (t.termType === 'BlankNode' ? '_:' + t.value : t.value);
  for (const q of quads) {
    const s = id(q.subject);
    let node = nodes.get(s);
    if (node === undefined) nodes.set(s, (node = { '@id': s }));
    const o = q.object;
    if (q.predicate.value === RDF + 'type' && o.termType !== 'Literal') {
      ((node['@type'] ??= []) as string[]).push(id(o));
      continue;
    }
    let value: object;
    if (o.termType === 'Literal') {
      value = o.language ? { '@value': o.value, '@language': o.language } : o.datatype.value === 'http://www.w3.org/2001/XMLSchema#string' ? { '@value': o.value } : { '@value': o.value, '@type': o.datatype.value };
    } else value = { '@id': id(o) };
    ((node[q.predicate.value] ??= []) as object[]).push(value);
  }
  return [...nodes.values()];
}
