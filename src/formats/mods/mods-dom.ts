/**
 * A minimal namespace-aware element tree for MODS input, with just the XPath-like helpers the
 * MODS → MARC port needs. Text is kept exactly (including indentation) because LC's stylesheet
 * copies whitespace text nodes and takes string values of whole subtrees.
 */

import { SaxesParser } from 'saxes';
import { MarcError } from '../../errors.js';

export const MODS_NS = 'http://www.loc.gov/mods/v3';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';

export interface DomElement {
  readonly kind: 'element';
  readonly uri: string;
  readonly local: string;
  /** Attributes keyed by `{uri}local`, or just `local` when not in a namespace. */
  readonly attrs: Map<string, string>;
  readonly children: DomNode[];
  readonly parent: DomElement | null;
}

export interface DomText {
  readonly kind: 'text';
  readonly value: string;
}

export type DomNode = DomElement | DomText;

export function parseDom(xml: string): DomElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: DomElement[] = [];
  let root: DomElement | null = null;
  let failure: Error | null = null;
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1] ?? null;
    const attrs = new Map<string, string>();
    for (const a of Object.values(tag.attributes)) {
      if (a.name === 'xmlns' || a.prefix === 'xmlns') continue;
      attrs.set(a.uri === '' ? a.local : `{${a.uri}}${a.local}`, a.value);
    }
    const e: DomElement = { kind: 'element', uri: tag.uri, local: tag.local, attrs, children: [], parent };
    if (parent !== null) parent.children.push(e);
    else root ??= e;
    stack.push(e);
  });
  parser.on('closetag', () => void stack.pop());
  const onText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) return;
    const last = parent.children[parent.children.length - 1];
    // Adjacent text and CDATA form one XPath text node.
    if (last?.kind === 'text') parent.children[parent.children.length - 1] = { kind: 'text', value: last.value + t };
    else parent.children.push({ kind: 'text', value: t });
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(xml).close();
  } catch (e) {
    failure ??= e instanceof Error ? e : new Error(String(e));
  }
  if (failure !== null) throw new MarcError('E403', `MODS is not well-formed XML: ${(failure as Error).message}`, { source: 'mods' }, { cause: failure });
  if (root === null) throw new MarcError('E403', 'MODS input has no root element', { source: 'mods' });
  return root;
}

export function isMods(n: DomNode | undefined | null, local?: string): n is DomElement {
  return n !== undefined && n !== null && n.kind === 'element' && n.uri === MODS_NS && (local === undefined || n.local === local);
}

/** `mods:<local>` children (all MODS children when local is omitted). */
export function kids(e: DomElement, local?: string): DomElement[] {
  const out: DomElement[] = [];
  for (const c of e.children) if (isMods(c, local)) out.push(c);
  return out;
}

/** `*`: every child element, any namespace. */
export function elements(e: DomElement): DomElement[] {
  const out: DomElement[] = [];
  for (const c of e.children) if (c.kind === 'element') out.push(c);
  return out;
}

/** A child path `a/b/c` of MODS elements from each context element, in document order. */
export function path(from: DomElement | DomElement[], ...steps: string[]): DomElement[] {
  let cur = Array.isArray(from) ? from : [from];
  for (const s of steps) cur = cur.flatMap((e) => kids(e, s));
  return cur;
}

export function attr(e: DomElement, name: string): string | undefined {
  return e.attrs.get(name);
}

export function xlink(e: DomElement, local: string): string | undefined {
  return e.attrs.get(`{${XLINK_NS}}${local}`);
}

/** XPath string-value: all descendant text, in order. */
export function str(n: DomNode | undefined): string {
  if (n === undefined) return '';
  if (n.kind === 'text') return n.value;
  let s = '';
  for (const c of n.children) s += c.kind === 'text' ? c.value : str(c);
  return s;
}

/** XPath `value-of` a node-set: the first node's string value, or ''. */
export function first(nodes: DomElement[]): string {
  return str(nodes[0]);
}

/** XPath `node-set = 'literal'`: true when any node's string value equals it. */
export function anyEq(nodes: DomElement[], value: string): boolean {
  return nodes.some((n) => str(n) === value);
}

/** XPath `node-set != 'literal'`: true when any node's string value differs from it. */
export function anyNe(nodes: DomElement[], value: string): boolean {
  return nodes.some((n) => str(n) !== value);
}

export function followingSiblingElements(e: DomElement): DomElement[] {
  const p = e.parent;
  if (p === null) return [];
  const i = p.children.indexOf(e);
  return p.children.slice(i + 1).filter((c): c is DomElement => c.kind === 'element');
}

export function precedingSiblingElements(e: DomElement): DomElement[] {
  const p = e.parent;
  if (p === null) return [];
  const i = p.children.indexOf(e);
  return p.children.slice(0, i).filter((c): c is DomElement => c.kind === 'element');
}

export function hasAncestorOrSelf(e: DomElement, local: string): boolean {
  for (let cur: DomElement | null = e; cur !== null; cur = cur.parent) if (cur.uri === MODS_NS && cur.local === local) return true;
  return false;
}
