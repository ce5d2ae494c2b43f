/**
 * RDF serialisations of converter output: RDF/XML (nested, typed node elements, the shape LC's
 * marc2bibframe2 writes), Turtle and N-Triples (N3.js's writer), JSON-LD (expanded form), and
 * parsers back to quads (RDF/XML through rdfxml-streaming-parser, Turtle/N-Triples through N3.js).
 */
import { Parser, Writer } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import type { Quad, Term } from '@rdfjs/types';
import { PREFIXES, RDF } from './graph.js';
import { withoutXmlInvalid, XML_INVALID_CLASS } from '../../util/xml-chars.js';

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

// What needs escaping, and (in the same one test) what XML 1.0 cannot carry at all.
const TEXT_SPECIAL = new RegExp(`[&<>\\r${XML_INVALID_CLASS}]`);
const ATTR_SPECIAL = new RegExp(`[&<>\\r"\\n\\t${XML_INVALID_CLASS}]`);
const TEXT_ESCAPES: { [ch: string]: string } = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;', '"': '&quot;', '\n': '&#10;', '\t': '&#9;' };
const escapeChar = (ch: string): string => TEXT_ESCAPES[ch] as string;

// Most literals need no escaping: one test, and a single replace pass only when one does.
function escapeText(s: string): string {
  return TEXT_SPECIAL.test(s) ? withoutXmlInvalid(s).replace(/[&<>\r]/g, escapeChar) : s;
}

function escapeAttr(s: string): string {
  return ATTR_SPECIAL.test(s) ? withoutXmlInvalid(s).replace(/[&<>\r"\n\t]/g, escapeChar) : s;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /^[A-Za-z_][A-Za-z0-9._-]*$/;

class QNames {
  readonly byNs = new Map<string, string>();
  readonly #cache = new Map<string, string | null>();
  readonly #known = new Map<string, boolean>();
  readonly #tags = new Map<string, string[] | null>();
  #n = 0;
  constructor(prefixes: { [p: string]: string }) {
    for (const [p, ns] of Object.entries(prefixes)) this.byNs.set(ns, p);
  }
  /** True when the IRI's namespace already has a prefix (typed elements use only those). */
  known(iri: string): boolean {
    let hit = this.#known.get(iri);
    if (hit === undefined) {
      const cut = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/')) + 1;
      hit = this.byNs.has(iri.substring(0, cut)) && this.of(iri) !== null;
      this.#known.set(iri, hit);
    }
    return hit;
  }
  /**
   * For a property: `</qname>\n` at index 0 and, at index d, `<qname` indented to depth d, so a
   * line is written from four pieces.
   */
  tags(iri: string, depth: number): string[] | null {
    let hit = this.#tags.get(iri);
    if (hit === undefined) {
      const q = this.of(iri);
      hit = q === null ? null : ['</' + q + '>\n'];
      this.#tags.set(iri, hit);
    }
    if (hit !== null && hit[depth] === undefined) hit[depth] = indentOf(depth) + '<' + this.of(iri);
    return hit;
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

/** One subject's statements, in input order. */
interface Group {
  subject: Term;
  quads: Quad[];
  /** Times a blank subject is the object of a triple. */
  refs: number;
  done: boolean;
}

const RDF_TYPE = RDF + 'type';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

/**
 * RDF/XML with blank nodes nested under their only referrer and each node written as a typed
 * element (its first rdf:type), as LC's converter writes; everything else is rdf:Description.
 */
export function toRdfXml(quads: readonly Quad[], prefixes: { [prefix: string]: string } = PREFIXES): string {
  const writer = new RdfXmlWriter(prefixes);
  writer.add(quads);
  return writer.end();
}

/**
 * RDF/XML written in pieces: each `add` writes the nodes of one set of triples (one record's,
 * say), so a long conversion never holds more than one record's graph; `end` wraps the bodies
 * in the document element with every namespace the pieces used.
 */
export class RdfXmlWriter {
  readonly #names: QNames;
  // Each add's nodes as a list of pieces joined once (+= on one string builds a rope of
  // millions of cons cells that the flatten and the GC then walk); the document joins those.
  readonly #bodies: string[] = [];
  readonly #scratch: string[] = [];

  constructor(prefixes: { [prefix: string]: string } = PREFIXES) {
    this.#names = new QNames(prefixes);
  }

  add(quads: readonly Quad[]): void {
    const parts = this.#scratch;
    writeNodes(quads, this.#names, parts);
    this.#bodies.push(parts.join(''));
    parts.length = 0;
  }

  end(): string {
    let head = '<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF';
    for (const [ns, p] of this.#names.byNs) head += ' xmlns:' + p + '="' + escapeAttr(ns) + '"';
    return head + '>\n' + this.#bodies.join('') + '</rdf:RDF>\n';
  }
}

const INDENTS: string[] = [];
const indentOf = (depth: number): string => (INDENTS[depth] ??= '  '.repeat(depth));

function writeNodes(quads: readonly Quad[], names: QNames, out: string[]): void {
  // Named and blank subjects in separate maps, so no key string is built per triple.
  const named = new Map<string, Group>();
  const blanks = new Map<string, Group>();
  const order: Group[] = [];
  for (const q of quads) {
    const s = q.subject;
    const map = s.termType === 'BlankNode' ? blanks : named;
    let group = map.get(s.value);
    if (group === undefined) {
      group = { subject: s, quads: [], refs: 0, done: false };
      map.set(s.value, group);
      order.push(group);
    }
    group.quads.push(q);
    const o = q.object;
    if (o.termType === 'BlankNode') {
      let target = blanks.get(o.value);
      if (target === undefined) {
        // Referenced before stated: a placeholder that the subject's own triples fill later.
        target = { subject: o, quads: [], refs: 0, done: false };
        blanks.set(o.value, target);
        order.push(target);
      }
      target.refs++;
    }
  }
  const nestable = (g: Group | undefined): g is Group => g !== undefined && g.refs === 1 && g.quads.length > 0;

  const writeNode = (group: Group, depth: number, nested: boolean): void => {
    group.done = true;
    const list = group.quads;
    let typeQuad: Quad | undefined;
    for (const q of list) {
      if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode' && names.known(q.object.value)) {
        typeQuad = q;
        break;
      }
    }
    const element = typeQuad ? (names.of(typeQuad.object.value) as string) : 'rdf:Description';
    const subject = group.subject;
    const indent = indentOf(depth);
    out.push(indent, '<', element);
    if (subject.termType === 'NamedNode') out.push(' rdf:about="', escapeAttr(subject.value), '"');
    else if (!nested) out.push(' rdf:nodeID="', escapeAttr(subject.value), '"');
    if (list.length === (typeQuad ? 1 : 0)) {
      out.push('/>\n');
      return;
    }
    out.push('>\n');
    const inner = indentOf(depth + 1);
    for (const q of list) {
      if (q === typeQuad) continue;
      const tags = names.tags(q.predicate.value, depth + 1);
      if (tags === null) throw new Error(`cannot write predicate ${q.predicate.value} in RDF/XML`);
      const open = tags[depth + 1] as string;
      const close = tags[0] as string;
      const o = q.object;
      if (o.termType === 'Literal') {
        if (o.language) out.push(open, ' xml:lang="', escapeAttr(o.language), '">', escapeText(o.value), close);
        else if (o.datatype.value !== XSD_STRING) out.push(open, ' rdf:datatype="', escapeAttr(o.datatype.value), '">', escapeText(o.value), close);
        else out.push(open, '>', escapeText(o.value), close);
      } else if (o.termType === 'NamedNode') {
        out.push(open, ' rdf:resource="', escapeAttr(o.value), '"/>\n');
      } else {
        const child = blanks.get(o.value);
        if (nestable(child) && !child.done) {
          out.push(open, '>\n');
          writeNode(child, depth + 2, true);
          out.push(inner, close);
        } else out.push(open, ' rdf:nodeID="', escapeAttr(o.value), '"/>\n');
      }
    }
    out.push(indent, '</', element, '>\n');
  };

  for (const group of order) {
    if (group.done || group.quads.length === 0) continue;
    if (group.subject.termType === 'BlankNode' && nestable(group)) continue;
    writeNode(group, 1, false);
  }
  // Blank nodes nested under a node that was itself never reached (cycles) still get written.
  for (const group of order) if (!group.done && group.quads.length > 0) writeNode(group, 1, false);
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
