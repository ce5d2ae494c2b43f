/**
 * MARC → Dublin Core, as the Library of Congress's three stylesheets do it:
 * MARC21slim2OAIDC.xsl (`oai_dc`), MARC21slim2RDFDC.xsl (`rdf_dc`) and MARC21slim2SRWDC.xsl
 * (`srw_dc`). The element order, the subfield selections and the quirks (260 $a and $b both go
 * to dc:publisher; 520 and 521 are output twice, once on their own and once among the 5XX) are
 * LC's; see docs/crosswalks.md.
 *
 * One deliberate difference: where LC takes the string value of a whole datafield (dc:creator,
 * and dc:type from 655, in oai_dc and rdf_dc), XSLT picks up the indentation whitespace of the
 * input MARCXML between subfields. That text depends on how the input file was laid out, which
 * a Record does not keep, so we join the subfields with `fieldSeparator` (one space unless
 * told); SRW DC (which LC normalize-space()s) comes out identical for indented input.
 */

import type { Record } from '../../record/record.js';
import { registerFormat } from '../../io/formats.js';
import { escapeText } from '../mods/xml.js';
import { marcView, subfieldSelect, type MarcDataField, type MarcView } from '../mods/marc-view.js';

export type DcFlavor = 'oai_dc' | 'rdf_dc' | 'srw_dc';

export interface DublinCoreOptions {
  /** Default 'oai_dc'. */
  flavor?: DcFlavor;
  /** Emit the XML declaration (default true). */
  declaration?: boolean;
  /**
   * What goes between subfields where LC takes a whole field's text (dc:creator, 655 dc:type):
   * default ' '. LC's output has whatever whitespace the input MARCXML had there: '' for
   * unindented MARCXML.
   */
  fieldSeparator?: string;
}

const DC_NS = 'http://purl.org/dc/elements/1.1/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

const ROOTS: { [F in DcFlavor]: { open: string; close: string; prefix: string; decl: string } } = {
  oai_dc: {
    open: `<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="${DC_NS}" xmlns:xsi="${XSI_NS}" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">`,
    close: '</oai_dc:dc>',
    prefix: 'dc:',
    decl: '<?xml version="1.0"?>\n',
  },
  rdf_dc: {
    open: `<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="${DC_NS}">`,
    close: '</rdf:Description>',
    prefix: 'dc:',
    decl: '<?xml version="1.0"?>\n',
  },
  srw_dc: {
    open: `<srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema" xmlns="${DC_NS}" xmlns:xsi="${XSI_NS}" xsi:schemaLocation="info:srw/schema/1/dc-schema http://www.loc.gov/standards/sru/resources/dc-schema.xsd">`,
    close: '</srw_dc:dc>',
    prefix: '',
    decl: '<?xml version="1.0" encoding="UTF-8"?>\n',
  },
};

/** The collection wrappers LC's oai_dc and srw_dc stylesheets write for a `collection` input. */
export const DC_COLLECTION: { [F in DcFlavor]: { open: string; close: string } } = {
  oai_dc: {
    open: `<oai_dc:dcCollection xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="${DC_NS}" xmlns:xsi="${XSI_NS}" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">`,
    close: '</oai_dc:dcCollection>',
  },
  // RDF DC has no collection element of its own in LC's stylesheet; rdf:RDF is the RDF/XML one.
  rdf_dc: { open: '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">', close: '</rdf:RDF>' },
  srw_dc: {
    open: `<srw_dc:dcCollection xmlns:srw_dc="info:srw/schema/1/dc-schema" xmlns="${DC_NS}" xmlns:xsi="${XSI_NS}" xsi:schemaLocation="info:srw/schema/1/dc-schema http://www.loc.gov/standards/sru/resources/dc-schema.xsd">`,
    close: '</srw_dc:dcCollection>',
  },
};

type Entry = [name: string, value: string, attr?: string];

const RELATION_TAGS = new Set(['760', '762', '765', '767', '770', '772', '773', '774', '775', '776', '777', '780', '785', '786', '787']);
const CREATOR_TAGS = new Set(['100', '110', '111', '700', '710', '711', '720']);

function first(f: MarcDataField, code: string): string {
  for (const sf of f.subfields) if (sf.code === code) return sf.value;
  return '';
}

/** XPath string value of a datafield, with subfields joined by one space (see the header). */
function fieldText(f: MarcDataField, sep: string): string {
  let s = '';
  for (let i = 0; i < f.subfields.length; i++) s += (i === 0 ? '' : sep) + (f.subfields[i] as { value: string }).value;
  return s;
}

export function normalizeSpace(s: string): string {
  return s.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
}

function typeOf(leader6: string, leader7: string): string {
  let s = '';
  if (leader7 === 'c') s += 'collection';
  if (leader6 === 'd' || leader6 === 'f' || leader6 === 'p' || leader6 === 't') s += 'manuscript';
  switch (leader6) {
    case 'a': case 't': return s + 'text';
    case 'e': case 'f': return s + 'cartographic';
    case 'c': case 'd': return s + 'notated music';
    case 'i': case 'j': return s + 'sound recording';
    case 'k': return s + 'still image';
    case 'g': return s + 'moving image';
    case 'r': return s + 'three dimensional object';
    case 'm': return s + 'software, multimedia';
    case 'p': return s + 'mixed material';
    default: return s;
  }
}

function each(v: MarcView, tag: string, fn: (f: MarcDataField) => void): void {
  for (const f of v.datafields) if (f.tag === tag) fn(f);
}

/** SRW's subject: the main codes, then '--' and the subdivisions joined by '--'. */
function srwSubject(f: MarcDataField, codes: string): string {
  let s = subfieldSelect(f, codes);
  if (f.subfields.some((sf) => sf.code === 'v' || sf.code === 'x' || sf.code === 'y' || sf.code === 'z')) s += '--' + subfieldSelect(f, 'vxyz', '--');
  return s;
}

function entries(v: MarcView, flavor: DcFlavor, sep: string): Entry[] {
  const out: Entry[] = [];
  const srw = flavor === 'srw_dc';
  const leader6 = v.leader.charAt(6);
  const leader7 = v.leader.charAt(7);
  each(v, '245', (f) => out.push(['title', subfieldSelect(f, 'abfghk')]));
  for (const f of v.datafields) if (CREATOR_TAGS.has(f.tag)) out.push(['creator', srw ? normalizeSpace(fieldText(f, sep)) : fieldText(f, sep)]);
  out.push(['type', typeOf(leader6, leader7)]);
  each(v, '655', (f) => out.push(['type', srw ? normalizeSpace(fieldText(f, sep)) : fieldText(f, sep)]));
  each(v, '260', (f) => out.push(['publisher', subfieldSelect(f, 'ab')]));
  each(v, '260', (f) => {
    for (const sf of f.subfields) if (sf.code === 'c') out.push(['date', sf.value]);
  });
  const lang = v.cf008.substring(35, 38);
  if (!srw || lang !== '') out.push(['language', lang]);
  each(v, '856', (f) => {
    for (const sf of f.subfields) if (sf.code === 'q') out.push(['format', sf.value]);
  });
  each(v, '520', (f) => out.push(['description', srw ? normalizeSpace(first(f, 'a')) : first(f, 'a')]));
  each(v, '521', (f) => out.push(['description', first(f, 'a')]));
  for (const f of v.datafields) {
    const n = +f.tag;
    if (n >= 500 && n <= 599 && n !== 506 && n !== 530 && n !== 540 && n !== 546) out.push(['description', first(f, 'a')]);
  }
  if (srw) {
    each(v, '600', (f) => out.push(['subject', srwSubject(f, 'abcdefghjklmnopqrstu4')]));
    each(v, '610', (f) => out.push(['subject', srwSubject(f, 'abcdefghklmnoprstu4')]));
    each(v, '611', (f) => out.push(['subject', srwSubject(f, 'acdefghklnpqstu4')]));
    each(v, '630', (f) => out.push(['subject', srwSubject(f, 'adfghklmnoprst')]));
    each(v, '650', (f) => out.push(['subject', srwSubject(f, 'ae')]));
    each(v, '653', (f) => out.push(['subject', subfieldSelect(f, 'a')]));
    each(v, '651', (f) => out.push(['coverage', srwSubject(f, 'a')]));
  } else {
    for (const tag of ['600', '610', '611', '630', '650', '653']) each(v, tag, (f) => out.push(['subject', subfieldSelect(f, 'abcdq')]));
  }
  each(v, '752', (f) => out.push(['coverage', subfieldSelect(f, 'abcd')]));
  each(v, '530', (f) => out.push(['relation', subfieldSelect(f, 'abcdu'), flavor === 'rdf_dc' ? 'original' : undefined]));
  for (const f of v.datafields) if (RELATION_TAGS.has(f.tag)) out.push(['relation', subfieldSelect(f, 'ot')]);
  each(v, '856', (f) => out.push(['identifier', first(f, 'u')]));
  each(v, '020', (f) => out.push(['identifier', 'URN:ISBN:' + first(f, 'a')]));
  each(v, '506', (f) => out.push(['rights', first(f, 'a')]));
  each(v, '540', (f) => out.push(['rights', first(f, 'a')]));
  return out;
}

/** The record's Dublin Core elements, indented for a root at depth `depth - 1`. */
function body(v: MarcView, flavor: DcFlavor, depth: number, sep = ' '): string {
  const prefix = ROOTS[flavor].prefix;
  const pad = '  '.repeat(depth);
  let s = '';
  for (const [name, value, type] of entries(v, flavor, sep)) {
    const tag = prefix + name;
    const attr = type === undefined ? '' : ` type="${type}"`;
    s += value === '' ? `${pad}<${tag}${attr}/>\n` : `${pad}<${tag}${attr}>${escapeText(value)}</${tag}>\n`;
  }
  return s;
}

/** One record as a Dublin Core document (`<oai_dc:dc>`, `<rdf:Description>` or `<srw_dc:dc>`). */
export function toDublinCore(record: Record, options: DublinCoreOptions = {}): string {
  const flavor = options.flavor ?? 'oai_dc';
  const root = ROOTS[flavor];
  if (root === undefined) throw new RangeError(`unknown Dublin Core flavor ${JSON.stringify(flavor)} (oai_dc, rdf_dc, srw_dc)`);
  const head = options.declaration === false ? '' : root.decl;
  return `${head}${root.open}\n${body(marcView(record), flavor, 1, options.fieldSeparator)}${root.close}\n`;
}

/** One record's element inside a collection wrapper (no declaration, indented one level). */
export function dublinCoreRecordElement(record: Record, flavor: DcFlavor = 'oai_dc', fieldSeparator = ' '): string {
  const root = ROOTS[flavor];
  // Inside the collection the namespaces are declared on the wrapper.
  const open = flavor === 'oai_dc' ? '<oai_dc:dc>' : flavor === 'srw_dc' ? '<srw_dc:dc>' : '<rdf:Description>';
  return `  ${open}\n${body(marcView(record), flavor, 2, fieldSeparator)}  ${root.close}\n`;
}

/** A streaming writer: `begin()`, `write(record)` per record, `end()`, concatenated, are the file. */
export class DublinCoreWriter {
  readonly #flavor: DcFlavor;
  readonly #sep: string;
  constructor(options: DublinCoreOptions = {}) {
    this.#flavor = options.flavor ?? 'oai_dc';
    this.#sep = options.fieldSeparator ?? ' ';
    if (ROOTS[this.#flavor] === undefined) throw new RangeError(`unknown Dublin Core flavor ${JSON.stringify(this.#flavor)} (oai_dc, rdf_dc, srw_dc)`);
  }
  begin(): string {
    return `${ROOTS[this.#flavor].decl}${DC_COLLECTION[this.#flavor].open}\n`;
  }
  write(record: Record): string {
    return dublinCoreRecordElement(record, this.#flavor, this.#sep);
  }
  end(): string {
    return `${DC_COLLECTION[this.#flavor].close}\n`;
  }
}

// Importing this module (`mrrc/dc`) makes 'dc' an output format of `writeRecords` and the
// serializer streams. Options: `flavor` and `fieldSeparator`, as for the writer.
registerFormat('dc', (options) => {
  const w = new DublinCoreWriter({ flavor: (options.flavor as DcFlavor | undefined) ?? 'oai_dc', fieldSeparator: typeof options.fieldSeparator === 'string' ? options.fieldSeparator : ' ' });
  return { header: () => w.begin(), write: (record) => w.write(record), footer: () => w.end() };
});
