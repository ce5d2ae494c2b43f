/**
 * A minimal element tree and indented serializer for the crosswalk writers (MODS, Dublin Core).
 *
 * The LC stylesheets build their output piecemeal (attributes added after the fact, elements
 * dropped when empty), so the ports build a small tree first and serialise it once, laid out as
 * xsltproc lays out `indent="yes"` output: two spaces per level, text-only elements on one line.
 */

import { MAY_HOLD_XML_INVALID, withoutXmlInvalid } from '../../util/xml-chars.js';

export interface XmlNode {
  name: string;
  attrs: [string, string][];
  children: XmlNode[];
  text: string;
}

export function el(name: string, attrs: [string, string][] = [], text = ''): XmlNode {
  return { name, attrs, children: [], text };
}

/** Appends a text child (mixed content: LC's built-in template copies some subfield text bare). */
export function addText(parent: XmlNode, text: string): void {
  if (text !== '') parent.children.push({ name: '#text', attrs: [], children: [], text });
}

/** Appends `child` to `parent` and returns the child. */
export function add(parent: XmlNode, name: string, attrs: [string, string][] = [], text = ''): XmlNode {
  const child: XmlNode = { name, attrs, children: [], text };
  parent.children.push(child);
  return child;
}

/** Sets attribute `name` (replacing, as xsl:attribute does). */
export function setAttr(node: XmlNode, name: string, value: string): void {
  for (const a of node.attrs) {
    if (a[0] === name) {
      a[1] = value;
      return;
    }
  }
  node.attrs.push([name, value]);
}

const TEXT_RE = /[&<>\r]/;
const ATTR_RE = /[&<>"\t\n\r]/;

export function escapeText(s: string): string {
  if (MAY_HOLD_XML_INVALID.test(s)) s = withoutXmlInvalid(s);
  if (!TEXT_RE.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function escapeAttr(s: string): string {
  if (MAY_HOLD_XML_INVALID.test(s)) s = withoutXmlInvalid(s);
  if (!ATTR_RE.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** The node as indented XML, starting at `depth` levels of two spaces, with a trailing newline. */
export function serialize(node: XmlNode, depth = 0, rootAttrs = ''): string {
  const parts: string[] = [];
  write(node, depth, rootAttrs, parts);
  return parts.join('');
}

function write(node: XmlNode, depth: number, extra: string, out: string[]): void {
  const pad = '  '.repeat(depth);
  let open = pad + '<' + node.name + extra;
  for (const [k, v] of node.attrs) open += ' ' + k + '="' + escapeAttr(v) + '"';
  if (node.children.length === 0) {
    out.push(node.text === '' ? open + '/>\n' : open + '>' + escapeText(node.text) + '</' + node.name + '>\n');
    return;
  }
  if (node.children.some((c) => c.name === '#text')) {
    // Mixed content: no indentation inside, as xsltproc does.
    out.push(open + '>' + inline(node.children) + '</' + node.name + '>\n');
    return;
  }
  out.push(open + '>\n');
  for (const child of node.children) write(child, depth + 1, '', out);
  out.push(pad + '</' + node.name + '>\n');
}

function inline(children: XmlNode[]): string {
  let s = '';
  for (const c of children) {
    if (c.name === '#text') {
      s += escapeText(c.text);
      continue;
    }
    let open = '<' + c.name;
    for (const [k, v] of c.attrs) open += ' ' + k + '="' + escapeAttr(v) + '"';
    s += c.children.length === 0 ? (c.text === '' ? open + '/>' : open + '>' + escapeText(c.text) + '</' + c.name + '>') : open + '>' + inline(c.children) + '</' + c.name + '>';
  }
  return s;
}
