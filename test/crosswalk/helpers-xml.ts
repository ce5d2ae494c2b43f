/**
 * XML canonicalisation for comparing crosswalk output with LC's, close to Exclusive XML
 * Canonicalization 1.0 (no comments):
 * - no XML declaration, comments or processing instructions; empty elements as start-end pairs;
 * - namespace declarations only where a prefix is visibly used and not already in force in the
 *   output ancestors (so where a document declares `xmlns:dc` does not matter), sorted by prefix;
 * - attributes sorted by namespace URI then local name; C14N escaping of text and attributes.
 * On top of C14N, whitespace-only text between elements (indentation) is dropped.
 * `collapse` names elements whose text is compared after normalize-space(), and `ignoreText`
 * elements whose text is not compared at all (recordOrigin's version text).
 */

import { SaxesParser, type SaxesTagNS } from 'saxes';

export interface CanonOptions {
  /** Qualified names (as written, e.g. 'dc:creator') or local names of elements to normalize-space. */
  collapse?: ReadonlySet<string>;
  /** Local names of elements whose text is replaced by '…'. */
  ignoreText?: ReadonlySet<string>;
}

interface Elem {
  tag: SaxesTagNS;
  children: (Elem | string)[];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

function escAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

export function parseXml(xml: string): Elem {
  const parser = new SaxesParser({ xmlns: true });
  const stack: Elem[] = [];
  let root: Elem | null = null;
  parser.on('opentag', (tag) => {
    const e: Elem = { tag, children: [] };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(e);
    else root = e;
    stack.push(e);
  });
  parser.on('closetag', () => void stack.pop());
  const onText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + t;
    else parent.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(xml).close();
  if (root === null) throw new Error('no root element');
  return root;
}

export function canonicalize(xml: string, options: CanonOptions = {}): string {
  const out: string[] = [];
  render(parseXml(xml), new Map(), options, out);
  return out.join('');
}

function render(e: Elem, inScope: Map<string, string>, options: CanonOptions, out: string[]): void {
  const tag = e.tag;
  const used = new Map<string, string>();
  used.set(tag.prefix, tag.uri);
  const attrs: { uri: string; local: string; name: string; value: string }[] = [];
  for (const a of Object.values(tag.attributes)) {
    if (a.name === 'xmlns' || a.prefix === 'xmlns') continue;
    if (a.prefix !== '' && a.prefix !== 'xml') used.set(a.prefix, a.uri);
    attrs.push({ uri: a.uri, local: a.local, name: a.name, value: a.value });
  }
  const scope = new Map(inScope);
  const decls: [string, string][] = [];
  for (const [prefix, uri] of used) {
    if ((inScope.get(prefix) ?? '') === uri) continue;
    decls.push([prefix, uri]);
    scope.set(prefix, uri);
  }
  decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  attrs.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.local < b.local ? -1 : a.local > b.local ? 1 : 0));
  let open = '<' + tag.name;
  for (const [prefix, uri] of decls) open += (prefix === '' ? ' xmlns' : ' xmlns:' + prefix) + '="' + escAttr(uri) + '"';
  for (const a of attrs) open += ' ' + a.name + '="' + escAttr(a.value) + '"';
  out.push(open + '>');
  const hasElements = e.children.some((c) => typeof c !== 'string');
  const collapse = options.collapse !== undefined && (options.collapse.has(tag.name) || options.collapse.has(tag.local));
  if (options.ignoreText?.has(tag.local) === true && !hasElements) {
    out.push('…');
  } else {
    for (const c of e.children) {
      if (typeof c === 'string') {
        if (hasElements && c.trim() === '') continue;
        out.push(esc(collapse ? c.replace(/[ \t\r\n]+/g, ' ').trim() : c));
      } else {
        render(c, scope, options, out);
      }
    }
  }
  out.push('</' + tag.name + '>');
}

/** A readable line diff of two canonical forms (one element per line), for failure messages. */
export function canonDiff(a: string, b: string, context = 2): string {
  const split = (s: string): string[] => s.replace(/></g, '>\n<').split('\n');
  const la = split(a);
  const lb = split(b);
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  let ja = la.length - 1;
  let jb = lb.length - 1;
  while (ja > i && jb > i && la[ja] === lb[jb]) {
    ja--;
    jb--;
  }
  const from = Math.max(0, i - context);
  return [...la.slice(from, i).map((l) => '  ' + l), ...la.slice(i, ja + 1).map((l) => '- ' + l), ...lb.slice(i, jb + 1).map((l) => '+ ' + l)].join('\n');
}

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LC_FIXTURES = fileURLToPath(new URL('../fixtures/lc-reference/', import.meta.url));

export interface LcCase {
  dataset: string;
  id: string;
  dir: string;
}

/** Every record of the committed LC reference set, by dataset. */
export function lcCases(): LcCase[] {
  const out: LcCase[] = [];
  for (const d of readdirSync(LC_FIXTURES, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name === 'mrrc-mods') continue;
    const dir = LC_FIXTURES + d.name + '/';
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.marcxml')) out.push({ dataset: d.name, id: f.slice(0, -'.marcxml'.length), dir });
  }
  return out;
}

export function readCase(c: LcCase, ext: string): string {
  return readFileSync(c.dir + c.id + ext, 'utf8');
}

/** '' for unindented MARCXML input: what LC's whole-field values have between subfields. */
export function dcSeparator(marcxml: string): string {
  return /<\/(?:marc:)?subfield>\s+</.test(marcxml) ? ' ' : '';
}

// How each crosswalk's output is compared with LC's (see docs/crosswalks.md).

/**
 * LC's oai_dc and rdf_dc take the string value of a whole datafield for dc:creator and the
 * 655 dc:type, which carries the input file's indentation; we join subfields with one space.
 */
export const DC_COMPARE: CanonOptions = { collapse: new Set(['dc:creator', 'dc:type']) };

/** recordOrigin names the stylesheet version. */
export const MODS_COMPARE: CanonOptions = { ignoreText: new Set(['recordOrigin']) };

export const MARC_COMPARE: CanonOptions = {};
