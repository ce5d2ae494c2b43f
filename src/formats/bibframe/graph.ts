/**
 * The triples a conversion builds, as rdf-js quads, plus the namespaces the converter and the
 * serialisers share. The terms are small rdf-js classes of our own rather than N3.js's: N3's
 * literals keep one encoded id string and decode value, language and datatype on every read,
 * which made term access and garbage the largest costs of a conversion.
 */
import type { BlankNode as RdfBlankNode, DefaultGraph as RdfDefaultGraph, Literal as RdfLiteral, NamedNode as RdfNamedNode, Quad, Term } from '@rdfjs/types';

export type { Quad };
export type Subject = RdfNamedNode | RdfBlankNode;
export type Obj = RdfNamedNode | RdfBlankNode | RdfLiteral;

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

export class NamedNode implements RdfNamedNode {
  /** `minted`: an IRI made for one record's resource (its labels may carry a language tag). */
  constructor(readonly value: string, readonly minted = false) {}
  get termType(): 'NamedNode' {
    return 'NamedNode';
  }
  equals(other: Term | null | undefined): boolean {
    return !!other && other.termType === 'NamedNode' && other.value === this.value;
  }
}

export class BlankNode implements RdfBlankNode {
  constructor(readonly value: string) {}
  get termType(): 'BlankNode' {
    return 'BlankNode';
  }
  equals(other: Term | null | undefined): boolean {
    return !!other && other.termType === 'BlankNode' && other.value === this.value;
  }
}

const XSD_STRING_NODE = new NamedNode(XSD + 'string');
const LANG_STRING_NODE = new NamedNode(RDF + 'langString');

export class Literal implements RdfLiteral {
  constructor(readonly value: string, readonly language: string, readonly datatype: RdfNamedNode) {}
  get termType(): 'Literal' {
    return 'Literal';
  }
  get direction(): '' {
    return '';
  }
  equals(other: Term | null | undefined): boolean {
    return !!other && other.termType === 'Literal' && other.value === this.value && other.language === this.language && other.datatype.value === this.datatype.value;
  }
}

class DefaultGraph implements RdfDefaultGraph {
  get termType(): 'DefaultGraph' {
    return 'DefaultGraph';
  }
  get value(): '' {
    return '';
  }
  equals(other: Term | null | undefined): boolean {
    return !!other && other.termType === 'DefaultGraph';
  }
}
const DEFAULT_GRAPH = new DefaultGraph();

export class Triple implements Quad {
  constructor(readonly subject: Subject, readonly predicate: RdfNamedNode, readonly object: Obj) {}
  get termType(): 'Quad' {
    return 'Quad';
  }
  get value(): '' {
    return '';
  }
  get graph(): RdfDefaultGraph {
    return DEFAULT_GRAPH;
  }
  equals(other: Term | null | undefined): boolean {
    return !!other && other.termType === 'Quad' && this.subject.equals(other.subject) && this.predicate.equals(other.predicate) && this.object.equals(other.object) && other.graph.termType === 'DefaultGraph';
  }
}

const interned = new Map<string, NamedNode>();
/** Interned named nodes for vocabulary IRIs: the converter names the same few hundred over and over. */
export function iri(value: string): NamedNode {
  let node = interned.get(value);
  if (node === undefined) {
    node = new NamedNode(value);
    if (interned.size < 20_000) interned.set(value, node);
  }
  return node;
}

/** A named node minted for one record (not interned: each is used a handful of times). */
export function minted(value: string): NamedNode {
  return new NamedNode(value, true);
}

export function literal(value: string, langOrType?: string | RdfNamedNode): Literal {
  if (langOrType === undefined) return new Literal(value, '', XSD_STRING_NODE);
  if (typeof langOrType !== 'string') return new Literal(value, '', langOrType);
  return langOrType.includes(':') ? new Literal(value, '', iri(langOrType)) : new Literal(value, langOrType.toLowerCase(), LANG_STRING_NODE);
}

let blankCounter = 0;

const TYPE = iri(RDF + 'type');

/** Collects one record's (or one document's) triples; drops repeated statements about named nodes. */
export class GraphBuilder {
  readonly quads: Quad[] = [];
  // Per named subject and predicate, the objects already stated (IRIs and blank labels by
  // value, literals by value and tag): nested maps keep the per-triple work to hash lookups.
  readonly #seen = new Map<string, Map<string, Set<string>>>();
  /** Language tag for plain literals (the xml:lang of the field being converted), or ''. */
  lang = '';
  // Pairing an 880 with its field: 1 while the field is converted (its blank nodes are noted),
  // 2 while the 880 is (the same blank nodes are handed out again, so its text lands on them).
  #pairing: 0 | 1 | 2 = 0;
  #noted: { s: Subject; p: string; type: string; o: Subject; used: boolean }[] = [];

  beginPair(): void {
    this.#pairing = 1;
    this.#noted = [];
  }

  replayPair(): void {
    this.#pairing = 2;
  }

  endPair(): void {
    this.#pairing = 0;
    this.#noted = [];
  }

  /** A fresh blank node, typed when `type` is given. */
  blank(type?: string | NamedNode): BlankNode {
    const node = new BlankNode('b' + (++blankCounter).toString(36));
    if (type !== undefined) this.quads.push(new Triple(node, TYPE, typeof type === 'string' ? iri(type) : type));
    return node;
  }

  add(s: Subject, p: string | NamedNode, o: Obj): void {
    const pred = typeof p === 'string' ? iri(p) : p;
    if (s.termType === 'NamedNode' || this.#pairing !== 0) {
      let byPred = this.#seen.get(s.value);
      if (byPred === undefined) this.#seen.set(s.value, (byPred = new Map()));
      let seen = byPred.get(pred.value);
      if (seen === undefined) byPred.set(pred.value, (seen = new Set()));
      const key = o.termType !== 'Literal' ? o.value : o.language === '' && o.datatype === XSD_STRING_NODE ? '"' + o.value : '"' + o.value + '\u0001' + o.datatype.value + '@' + o.language;
      if (seen.has(key)) return;
      seen.add(key);
    }
    this.quads.push(new Triple(s, pred, o));
  }

  type(s: Subject, type: string | NamedNode): void {
    this.add(s, TYPE, typeof type === 'string' ? iri(type) : type);
  }

  /** A literal triple; nothing for an empty value. */
  lit(s: Subject, p: string | NamedNode, value: string | undefined, langOrType?: string | NamedNode): void {
    if (value === undefined || value === '') return;
    // Vocabulary nodes (status, role...) keep their code-table labels untagged.
    const tag = langOrType === undefined && this.lang !== '' && (s.termType === 'BlankNode' || (s as NamedNode).minted === true);
    this.add(s, p, tag ? new Literal(value, this.lang, LANG_STRING_NODE) : literal(value, langOrType));
  }

  ref(s: Subject, p: string | NamedNode, target: string | NamedNode): void {
    this.add(s, p, typeof target === 'string' ? iri(target) : target);
  }

  /** `s p [a type]` (or `s p <about>` typed) and the new node. */
  node(s: Subject, p: string | NamedNode, type: string | NamedNode, about?: string): Subject {
    let o: Subject | undefined;
    if (about !== undefined) o = iri(about);
    else if (this.#pairing !== 0) {
      const pv = typeof p === 'string' ? p : p.value;
      const tv = typeof type === 'string' ? type : type.value;
      if (this.#pairing === 2) {
        const hit = this.#noted.find((n) => !n.used && n.p === pv && n.type === tv && n.s.value === s.value);
        if (hit !== undefined) {
          hit.used = true;
          o = hit.o;
        }
      }
      if (o === undefined) {
        o = this.blank();
        if (this.#pairing === 1) this.#noted.push({ s, p: pv, type: tv, o, used: false });
      }
    } else o = this.blank();
    this.add(s, p, o);
    this.add(o, TYPE, typeof type === 'string' ? iri(type) : type);
    return o;
  }
}

export function isPlainString(l: RdfLiteral): boolean {
  return l.language === '' && l.datatype.value === XSD_STRING_NODE.value;
}
