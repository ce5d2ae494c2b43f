/**
 * RDF helpers for the BIBFRAME tests and the comparison script: RDF/XML parsing (the library's
 * own, over rdfxml-streaming-parser) and a graph comparison that matches blank nodes by
 * structure, so two conversions can be compared triple by triple although their blank node
 * labels are arbitrary.
 */
import type { Quad, Term } from '@rdfjs/types';
// The library's own RDF/XML parser: the tests compare through the same parsing as users get.
export { parseRdfXml } from '../../src/formats/bibframe/rdf.js';

export type { Quad };

/** A triple as text, for listings: N-Triples-like, blank nodes as `_:`. */
export function tripleText(s: Term, p: Term, o: Term): string {
  return `${termText(s)} ${termText(p)} ${termText(o)}`;
}

export function termText(t: Term): string {
  if (t.termType === 'NamedNode') return `<${t.value}>`;
  if (t.termType === 'BlankNode') return '_:b';
  if (t.termType === 'Literal') {
    const dt = t.datatype.value;
    const suffix = t.language ? `@${t.language}` : dt === 'http://www.w3.org/2001/XMLSchema#string' || dt === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString' ? '' : `^^<${dt}>`;
    return JSON.stringify(t.value) + suffix;
  }
  return t.value;
}

interface Edge {
  p: string;
  o: Term;
}

interface Graph {
  out: Map<string, Edge[]>;
  /** Blank nodes that are the object of some triple. */
  referenced: Set<string>;
  size: number;
}

function keyOf(t: Term): string {
  return t.termType === 'BlankNode' ? '_:' + t.value : t.value;
}

function index(quads: readonly Quad[]): Graph {
  const out = new Map<string, Edge[]>();
  const referenced = new Set<string>();
  const seen = new Set<string>();
  let size = 0;
  for (const q of quads) {
    const ok = keyOf(q.subject) + ' ' + q.predicate.value + ' ' + (q.object.termType === 'BlankNode' ? '_:' + q.object.value : termText(q.object));
    if (seen.has(ok)) continue;
    seen.add(ok);
    size++;
    const k = keyOf(q.subject);
    let list = out.get(k);
    if (list === undefined) out.set(k, (list = []));
    list.push({ p: q.predicate.value, o: q.object });
    if (q.object.termType === 'BlankNode') referenced.add('_:' + q.object.value);
  }
  return { out, referenced, size };
}

export interface Comparison {
  /** Triples in the expected graph. */
  expected: number;
  /** Triples in the actual graph. */
  actual: number;
  /** Expected triples the actual graph has (blank nodes matched). */
  matched: number;
  /** Expected triples missing from the actual graph. */
  missing: string[];
  /** Actual triples the expected graph does not have. */
  added: string[];
  /**
   * Added triples that LC's graph contradicts: same subject and predicate, and LC gives that
   * (named) subject a different literal for a property it states only once.
   */
  conflicts: string[];
}

/**
 * Compares two graphs. Named subjects are matched by IRI; a blank node is matched to the unused
 * blank node under the same subject and predicate whose subtree shares most triples with it
 * (greedy, best first), which is exact for the tree shapes RDF/XML writers like LC's produce.
 * `ignore(p, o)` drops expected and actual triples that are run-dependent.
 */
export function compareGraphs(expectedQuads: readonly Quad[], actualQuads: readonly Quad[], ignore?: (s: Term, p: string, o: Term) => boolean): Comparison {
  const filter = (qs: readonly Quad[]) => (ignore ? qs.filter((q) => !ignore(q.subject, q.predicate.value, q.object)) : qs);
  const e = index(filter(expectedQuads));
  const a = index(filter(actualQuads));
  const missing: string[] = [];
  const added: string[] = [];
  const conflicts: string[] = [];
  let matched = 0;
  const memo = new Map<string, number>();
  const usedActual = new Set<string>();

  // Score of matching blank node x (expected) with y (actual): number of shared triples below.
  const score = (x: string, y: string, depth: number): number => {
    const mk = x + '|' + y;
    const hit = memo.get(mk);
    if (hit !== undefined) return hit;
    let n = 0;
    const ex = e.out.get(x) ?? [];
    const ay = a.out.get(y) ?? [];
    for (const edge of ex) {
      if (edge.o.termType === 'BlankNode') {
        if (depth > 12) continue;
        let best = 0;
        for (const other of ay) if (other.p === edge.p && other.o.termType === 'BlankNode') best = Math.max(best, 1 + score('_:' + edge.o.value, '_:' + other.o.value, depth + 1));
        n += best;
      } else if (ay.some((other) => other.p === edge.p && other.o.termType !== 'BlankNode' && other.o.equals(edge.o))) n += 1;
    }
    memo.set(mk, n);
    return n;
  };

  const walk = (x: string, y: string | null, label: string): void => {
    const ex = e.out.get(x) ?? [];
    const ay = y === null ? [] : (a.out.get(y) ?? []);
    const usedEdge = new Set<number>();
    // Literal and IRI objects first, then blank children by best score.
    for (const edge of ex) {
      if (edge.o.termType === 'BlankNode') continue;
      const i = ay.findIndex((other, j) => !usedEdge.has(j) && other.p === edge.p && other.o.termType !== 'BlankNode' && other.o.equals(edge.o));
      if (i >= 0) {
        usedEdge.add(i);
        matched++;
      } else missing.push(`${label} <${edge.p}> ${termText(edge.o)}`);
    }
    const blanks = ex.filter((edge) => edge.o.termType === 'BlankNode');
    const pairs: { ei: number; aj: number; s: number }[] = [];
    blanks.forEach((edge, ei) => {
      ay.forEach((other, aj) => {
        if (other.p === edge.p && other.o.termType === 'BlankNode' && !usedActual.has('_:' + other.o.value)) pairs.push({ ei, aj, s: score('_:' + edge.o.value, '_:' + other.o.value, 0) });
      });
    });
    pairs.sort((p, q) => q.s - p.s);
    const doneE = new Set<number>();
    for (const pair of pairs) {
      if (doneE.has(pair.ei) || usedEdge.has(pair.aj)) continue;
      doneE.add(pair.ei);
      usedEdge.add(pair.aj);
      const edge = blanks[pair.ei] as Edge;
      const target = '_:' + (ay[pair.aj] as Edge).o.value;
      usedActual.add(target);
      matched++;
      walk('_:' + edge.o.value, target, `${label} <${edge.p}> [`);
    }
    blanks.forEach((edge, ei) => {
      if (doneE.has(ei)) return;
      missing.push(`${label} <${edge.p}> _:b`);
      walk('_:' + edge.o.value, null, `${label} <${edge.p}> [`);
    });
    // What the actual node says beyond the expected one.
    ay.forEach((other, j) => {
      if (usedEdge.has(j)) return;
      const text = `${label} <${other.p}> ${termText(other.o)}`;
      added.push(text);
      if (other.o.termType === 'Literal' && !x.startsWith('_:')) {
        const same = ex.filter((edge) => edge.p === other.p);
        if (same.length === 1 && (same[0] as Edge).o.termType === 'Literal') conflicts.push(`${text} (LC: ${termText((same[0] as Edge).o)})`);
      }
      if (other.o.termType === 'BlankNode') addAll('_:' + other.o.value, `${label} <${other.p}> [`);
    });
  };

  const addAll = (y: string, label: string): void => {
    usedActual.add(y);
    for (const other of a.out.get(y) ?? []) {
      added.push(`${label} <${other.p}> ${termText(other.o)}`);
      if (other.o.termType === 'BlankNode' && !usedActual.has('_:' + other.o.value)) addAll('_:' + other.o.value, `${label} <${other.p}> [`);
    }
  };

  for (const subject of e.out.keys()) {
    if (subject.startsWith('_:') && e.referenced.has(subject)) continue;
    if (subject.startsWith('_:')) {
      // A root blank node (rare): match it against the best unreferenced actual root.
      let best: string | null = null;
      let bestScore = -1;
      for (const cand of a.out.keys()) {
        if (!cand.startsWith('_:') || a.referenced.has(cand) || usedActual.has(cand)) continue;
        const s = score(subject, cand, 0);
        if (s > bestScore) [best, bestScore] = [cand, s];
      }
      if (best !== null) usedActual.add(best);
      walk(subject, best, '_:root');
    } else walk(subject, a.out.has(subject) ? subject : null, `<${subject}>`);
  }
  for (const subject of a.out.keys()) {
    if (e.out.has(subject) && !subject.startsWith('_:')) continue;
    if (subject.startsWith('_:') && (a.referenced.has(subject) || usedActual.has(subject))) continue;
    addAll(subject, subject.startsWith('_:') ? '_:root' : `<${subject}>`);
  }
  return { expected: e.size, actual: a.size, matched, missing, added, conflicts };
}
