/**
 * The triples a conversion builds, as rdf-js quads (N3.js's DataFactory), plus the namespaces the
 * converter and the serialisers share.
 */
import { DataFactory } from 'n3';
import type { BlankNode, Literal, NamedNode, Quad } from '@rdfjs/types';

export type { Quad };
export type Subject = NamedNode | BlankNode;
export type Obj = NamedNode | BlankNode | Literal;

export const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
export const BF = 'http://id.loc.gov/ontologies/bibframe/';
export const BFLC = 'http://id.loc.gov/ontologies/bflc/';
export const MADS = 'http://www.loc.gov/mads/rdf/v1#';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const EDTF = 'http://id.loc.gov/datatypes/edtf';
export const VOCAB = 'http://id.loc.gov/vocabulary/';

/** Prefixes for Turtle and RDF/XML output; LC's RDF/XML declares the first five. */
export const PREFIXES: { [prefix: string]: string } = { rdf: RDF, rdfs: RDFS, bf: BF, bflc: BFLC, madsrdf: MADS, xsd: XSD };

const { namedNode, blankNode, literal, quad } = DataFactory;

const named = new Map<string, NamedNode>();
/** Interned named nodes: the converter names the same few hundred IRIs over and over. */
export function iri(value: string): NamedNode {
  let node = named.get(value);
  if (node === undefined) {
    node = namedNode(value);
    if (named.size < 50_000) named.set(value, node);
  }
  return node;
}

let blankCounter = 0;

const TYPE = iri(RDF + 'type');
const XSD_STRING = iri(XSD + 'string');

/** Collects one record's (or one document's) triples; drops repeated statements about named nodes. */
export class GraphBuilder {
  readonly quads: Quad[] = [];
  readonly #seen = new Set<string>();

  /** A fresh blank node, typed when `type` is given. */
  blank(type?: string): BlankNode {
    const node = blankNode('b' + (++blankCounter).toString(36));
    if (type !== undefined) this.add(node, RDF + 'type', iri(type));
    return node;
  }

  add(s: Subject, p: string, o: Obj): void {
    if (s.termType === 'NamedNode') {
      const key = s.value + '\u0001' + p + '\u0001' + o.termType + o.value + (o.termType === 'Literal' ? '\u0001' + o.datatype.value + o.language : '');
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
    }
    this.quads.push(quad(s, iri(p), o));
  }

  type(s: Subject, type: string): void {
    this.add(s, TYPE.value, iri(type));
  }

  /** A literal triple; nothing for an empty value. */
  lit(s: Subject, p: string, value: string | undefined, langOrType?: string): void {
    if (value === undefined || value === '') return;
    this.add(s, p, langOrType === undefined ? literal(value) : langOrType.includes(':') ? literal(value, iri(langOrType)) : literal(value, langOrType));
  }

  ref(s: Subject, p: string, target: string): void {
    this.add(s, p, iri(target));
  }

  /** `s p [a type]` (or `s p <about>` typed) and the new node. */
  node(s: Subject, p: string, type: string, about?: string): Subject {
    const o = about === undefined ? this.blank() : iri(about);
    this.add(s, p, o);
    this.add(o, RDF + 'type', iri(type));
    return o;
  }
}

export function isPlainString(l: Literal): boolean {
  return l.language === '' && (l.datatype.value === XSD_STRING.value);
}
