/**
 * MODS → MARC as LC's MODS3-8_MARC21slim_XSLT1-0.xsl (Revision 3.07, 20230520, "no 880s") does
 * it, run by xsltproc with `altRepGroup=false`. Each XSLT template is ported to one function
 * returning the result-tree fragment it would build, so the oddities of the stylesheet survive:
 * subject children that become bare `<marc:subfield>`s in the record, datafields nested in
 * datafields, a datafield with `tag=""` for unknown accessCondition types, whitespace text copied
 * by the built-in text template, and everything the catch-all `<xsl:template match="*"/>`
 * swallows (language, location, recordInfo, part, typeOfResource outside the 008 …).
 *
 * `modsToMarcXml` serialises that tree as xsltproc would (up to canonical equivalence);
 * `modsToRecords` keeps what fits a MARC record (see `toRecord`).
 */

import { MarcError } from '../../errors.js';
import { ControlField, DataField } from '../../record/field.js';
import { Record } from '../../record/record.js';
import {
  anyEq,
  anyNe,
  attr,
  elements,
  first,
  followingSiblingElements,
  hasAncestorOrSelf,
  isMods,
  kids,
  parseDom,
  path,
  precedingSiblingElements,
  str,
  xlink,
  type DomElement,
  type DomNode,
} from './mods-dom.js';

const MARC_NS = 'http://www.loc.gov/MARC21/slim';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const SCHEMA_LOCATION = 'http://www.loc.gov/MARC21/slim http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd';
const CONVERSION_NOTE = 'Converted from MODS 3.8 to MARCXML using MODS3-8_MARC21slim_XSLT1-0.xsl (Revision 3.07 20230520)';
// The literal text before the end date inside the stylesheet's 260$c: a newline, the template's
// ten tabs of indentation, then "- ". XSLT keeps it because it is not whitespace-only.
const DATE_RANGE_SEPARATOR = '\n' + '\t'.repeat(10) + '- ';

/** A node of the MARCXML result tree: an element (qualified name, attributes, children) or text. */
export interface OutElement {
  name: string;
  attrs: [string, string][];
  children: Out[];
}
export type Out = OutElement | string;

function el(name: string, attrs: [string, string][], children: Out[]): OutElement {
  return { name, attrs, children };
}

function sf(code: string, value: string): OutElement {
  return el('marc:subfield', [['code', code]], [value]);
}

/** MARC21slimUtils.xsl `datafield`: indicators default to a space. */
function df(tag: string, subfields: Out[], ind1 = ' ', ind2 = ' '): OutElement {
  return el('marc:datafield', [['tag', tag], ['ind1', ind1], ['ind2', ind2]], subfields);
}

/** The string value of a result fragment, as `$var != ''` sees it. */
function fragmentText(out: Out[]): string {
  let s = '';
  for (const o of out) s += typeof o === 'string' ? o : fragmentText(o.children);
  return s;
}

// XPath string functions count characters, not UTF-16 units.
const strlen = (s: string): number => Array.from(s).length;
const dropLast = (s: string, n: number): string => Array.from(s).slice(0, Math.max(0, strlen(s) - n)).join('');

function typed(nodes: DomElement[], type: string): DomElement[] {
  return nodes.filter((n) => attr(n, 'type') === type);
}

function roleTerms(name: DomElement, type: 'text' | 'code'): DomElement[] {
  return typed(path(name, 'role', 'roleTerm'), type);
}

// ---------------------------------------------------------------- the record (mods:mods)

const LEADER06: [string, string][] = [
  ['sound recording-nonmusical', 'i'],
  ['sound recording', 'j'],
  ['sound recording-musical', 'j'],
  ['still image', 'k'],
  ['moving image', 'g'],
  ['three dimensional object', 'r'],
  ['software, multimedia', 'm'],
  ['mixed material', 'p'],
];

function leader(m: DomElement): string {
  const tor = kids(m, 'typeOfResource')[0];
  const t1 = tor === undefined ? null : str(tor);
  // The stylesheet tests @manuscript on <mods> itself, which never has it; kept as written.
  const ms = attr(m, 'manuscript') === 'yes';
  let l06 = 'a';
  if (t1 === 'text') l06 = 'a';
  else if (t1 === 'cartographic' && ms) l06 = 'f';
  else if (t1 === 'cartographic') l06 = 'e';
  else if (t1 === 'notated music' && ms) l06 = 'd';
  else if (t1 === 'notated music') l06 = 'c';
  else l06 = LEADER06.find(([k]) => k === t1)?.[1] ?? 'a';
  const iss = path(m, 'originInfo', 'issuance');
  let l07 = 'm';
  if (anyEq(iss, 'monographic')) l07 = 'm';
  else if (anyEq(iss, 'continuing')) l07 = 's';
  else if (kids(m, 'typeOfResource').some((t) => attr(t, 'collection') === 'yes')) l07 = 'c';
  else if (anyEq(iss, 'multipart monograph') || anyEq(iss, 'single unit')) l07 = 'm';
  else if (anyEq(iss, 'integrating resource')) l07 = 'i';
  else if (anyEq(iss, 'serial')) l07 = 's';
  return `     n${l06}${l07}  22     uu 4500`;
}

/** mode="ctrl008" on one typeOfResource: BK, SE, MP, MU, VM, CF, MM or ''. */
function typeOf008(t: DomElement): string {
  // text()='x': any text node child equals x.
  const is = (v: string): boolean => t.children.some((c) => c.kind === 'text' && c.value === v);
  if (is('text') && attr(t, 'manuscript') === 'yes') return 'BK';
  if (is('text')) {
    const iss = t.parent === null ? [] : path(t.parent, 'originInfo', 'issuance');
    if (anyEq(iss, 'monographic')) return 'BK';
    if (anyEq(iss, 'continuing') || anyEq(iss, 'serial')) return 'SE';
    return '';
  }
  if (is('cartographic')) return 'MP';
  if (is('notated music') || is('sound recording') || is('sound recording-nonmusical') || is('sound recording-musical')) return 'MU';
  if (is('still image') || is('moving image') || is('three dimensional object')) return 'VM';
  if (is('software, multimedia')) return 'CF';
  if (is('mixed material')) return 'MM';
  return '';
}

const TARGET_AUDIENCE: Record_<string> = { adolescent: 'd', adult: 'e', general: 'g', juvenile: 'j', preschool: 'a', specialized: 'f' };
type Record_<T> = { [k: string]: T };

const G24_27: Record_<string> = {
  'abstract or summary': 'a', bibliography: 'b', catalog: 'c', 'comic or graphic novel': '6', dictionary: 'd', directory: 'r', discography: 'k',
  encyclopedia: 'e', filmography: 'q', handbook: 'f', index: 'i', 'law report or digest': 'w', 'legal article': 'g', 'legal case and case notes': 'v',
  legislation: 'l', offprint: '2', patent: 'j', 'programmed text': 'p', review: 'o', 'standard or specification': 'u', statistics: 's',
  'survey of literature': 'n', 'technical report': 't', theses: 'm', thesis: 'm', treaty: 'z', yearbook: 'y',
};
const G30_31: Record_<string> = {
  autobiography: 'a', biography: 'b', 'conference publication': 'c', drama: 'd', essay: 'e', fiction: 'f', folktale: 'o', history: 'h',
  'humor, satire': 'k', instruction: 'i', interview: 't', 'language instruction': 'j', memoir: 'm', poetry: 'p', rehersal: 'r', reporting: 'g',
  sound: 's', speech: 'l',
};

/** `makeSize`: normalize-space, then cut or pad with '|' to length. */
function makeSize(chars: string, length: number): string {
  const n = chars.replace(/[ \t\r\n]+/g, ' ').trim();
  const len = strlen(n);
  if (len > length) return Array.from(n).slice(0, length).join('');
  return n + '|'.repeat(length - len);
}

/** The first matching [value, code] pair in stylesheet order whose value some node equals. */
function firstOf(nodes: DomElement[], table: [string, string][], otherwise = '|'): string {
  for (const [v, c] of table) if (anyEq(nodes, v)) return c;
  return otherwise;
}

function field008(m: DomElement): string {
  const type = kids(m, 'typeOfResource').map(typeOf008).join('');
  const gt = kids(m, 'genre').filter((g) => attr(g, 'authority') === 'marcgt');
  const origin = kids(m, 'originInfo');
  const iss = path(origin, 'issuance');
  const di = path(origin, 'dateIssued');
  const marcDi = di.filter((d) => attr(d, 'encoding') === 'marc');
  const start = di.filter((d) => attr(d, 'point') === 'start');
  const end = di.filter((d) => attr(d, 'point') === 'end');
  const marcEnd = marcDi.filter((d) => attr(d, 'point') === 'end');
  const forms = path(m, 'physicalDescription', 'form');
  const marcForms = forms.filter((f) => attr(f, 'authority') === 'marcform');
  let s = '';
  // 00-05
  const ri = kids(m, 'recordInfo');
  s += path(ri, 'recordContentSource').some((r) => attr(r, 'authority') === 'marcorg') ? first(path(ri, 'recordCreationDate').filter((d) => attr(d, 'encoding') === 'marc')) : '      ';
  // 06
  if (anyEq(iss, 'monographic') && di.length === 1) s += 's';
  else if (di.some((d) => attr(d, 'qualifier') === 'questionable')) s += 'q';
  else if (anyEq(iss, 'monographic') && start.length > 0 && end.length > 0) s += 'm';
  else if (anyEq(iss, 'continuing') && anyEq(marcEnd, '9999')) s += 'c';
  else if (anyEq(iss, 'continuing') && anyEq(marcEnd, 'uuuu')) s += 'u';
  else if (anyEq(iss, 'continuing') && marcEnd.length > 0) s += 'd';
  else if (iss.length === 0 && di.length > 0) s += 's';
  else if (path(origin, 'copyrightDate').length > 0) s += 's';
  else s += '|';
  // 07-10, 11-14
  const marcStart = marcDi.filter((d) => attr(d, 'point') === 'start');
  s += marcStart.length > 0 ? first(marcStart) : marcDi.length > 0 ? first(marcDi) : '    ';
  s += marcEnd.length > 0 ? first(marcEnd) : '    ';
  // 15-17
  const country = path(origin, 'place', 'placeTerm').filter((p) => attr(p, 'type') === 'code' && attr(p, 'authority') === 'marccountry');
  if (country.length > 0) s += first(country) + (strlen(first(country)) === 2 ? ' ' : '');
  else s += '   ';
  s += '|||';
  // 21
  s += type === 'SE' ? firstOf(gt, [['database', 'd'], ['loose-leaf', 'l'], ['newspaper', 'n'], ['periodical', 'p'], ['series', 'm'], ['web site', 'w']]) : '|';
  // 22
  const ta = kids(m, 'targetAudience').filter((t) => attr(t, 'authority') === 'marctarget');
  s += ta.length > 0 ? ta.map((t) => TARGET_AUDIENCE[str(t)] ?? '|').join('') : '|';
  // 23
  const formCodes: [string, string][] = [['braille', 'f'], ['electronic', 's'], ['microfiche', 'b'], ['microfilm', 'a'], ['print', ' ']];
  s += type === 'BK' || type === 'MU' || type === 'SE' || type === 'MM' ? firstOf(marcForms, formCodes) : '|';
  // 24-27
  if (type === 'BK') s += makeSize(gt.map((g) => G24_27[str(g)] ?? '').join(''), 4);
  else if (type === 'MP') s += '|' + firstOf(gt, [['atlas', 'e'], ['globe', 'd']]) + '||';
  else if (type === 'CF') s += '||' + firstOf(gt, [['database', 'e'], ['font', 'f'], ['game', 'g'], ['numerical data', 'a'], ['numeric data', 'a'], ['sound', 'h']]) + '|';
  else if (type === 'SE') {
    s += '|||' + firstOf(gt, [
      ['abstract or summary', 'a'], ['bibliography', 'b'], ['calendar', '5'], ['catalog', 'c'], ['comic or graphic novel', '6'], ['dictionary', 'd'],
      ['directory', 'r'], ['discography', 'k'], ['encyclopedia', 'e'], ['filmography', 'q'], ['handbook', 'f'], ['index', 'i'], ['law report or digest', 'w'],
      ['legal article', 'g'], ['legal case and case notes', 'v'], ['legislation', 'l'], ['programmed text', 'p'], ['review', 'o'], ['statistics', 's'],
      ['survey of literature', 'n'], ['technical report', 't'], ['theses', 'm'], ['treaty', 'z'], ['yearbook', 'y'],
    ]);
  } else s += '||||';
  s += '|';
  // 29
  if (type === 'BK' || type === 'SE') s += anyEq(gt, 'conference publication') ? '1' : '|';
  else if (type === 'MP' || type === 'VM') s += firstOf(forms, [['braille', 'f'], ['electronic', 'm'], ['microfiche', 'b'], ['microfilm', 'a'], ['print', ' ']]);
  else s += '|';
  // 30-31
  if (type === 'MU') s += makeSize(gt.map((g) => G30_31[str(g)] ?? '').join(''), 2);
  else if (type === 'BK') s += (anyEq(gt, 'festschrift') ? '1' : '|') + '|';
  else s += '||';
  s += '|';
  // 33
  if (type === 'VM')
    s += firstOf(gt, [
      ['art original', 'a'], ['art reproduction', 'c'], ['chart', 'n'], ['diorama', 'd'], ['filmstrip', 'f'], ['flash card', 'o'], ['graphic', 'k'], ['kit', 'b'],
      ['technical drawing', 'l'], ['slide', 's'], ['realia', 'r'], ['picture', 'i'], ['motion picture', 'm'], ['model', 'q'], ['microscope slide', 'p'], ['toy', 'w'],
      ['transparency', 't'], ['videorecording', 'v'],
    ]);
  else if (type === 'BK')
    s += firstOf(gt, [
      ['comic or graphic novel', 'c'], ['fiction', '1'], ['essay', 'e'], ['drama', 'd'], ['humor, satire', 'h'], ['letter', 'i'], ['novel', 'f'], ['poetry', 'p'],
      ['short story', 'j'], ['speech', 's'],
    ]);
  else s += '|';
  // 34
  s += type === 'BK' ? firstOf(gt, [['autobiography', 'a'], ['biography', 'd']]) : '|';
  // 35-37
  const langs = kids(m, 'language').filter((l) => kids(l, 'languageTerm').some((t) => attr(t, 'authority') === 'iso639-2b'));
  s += langs[0] === undefined ? '|||' : first(kids(langs[0], 'languageTerm').filter((t) => attr(t, 'authority') === 'iso639-2b'));
  return s + '||';
}

function record(m: DomElement): OutElement {
  const attrs: [string, string][] = [['xmlns:xsi', XSI_NS]];
  if (!isMods(m.parent, 'modsCollection')) attrs.push(['xsi:schemaLocation', SCHEMA_LOCATION]);
  const out: Out[] = [el('marc:leader', [], [leader(m)])];
  // controlRecordInfo
  for (const id of path(m, 'recordInfo', 'recordIdentifier')) {
    out.push(el('marc:controlfield', [['tag', '001']], [str(id)]));
    const source = attr(id, 'source');
    if (source !== undefined) out.push(el('marc:controlfield', [['tag', '003']], [source]));
  }
  for (const d of path(m, 'recordInfo', 'recordChangeDate')) if (attr(d, 'encoding') === 'iso8601') out.push(el('marc:controlfield', [['tag', '005']], [str(d)]));
  const gt = kids(m, 'genre').filter((g) => attr(g, 'authority') === 'marcgt');
  for (const [g, v] of [['atlas', 'ad||||||'], ['model', 'aq||||||'], ['remote sensing image', 'ar||||||'], ['map', 'aj||||||'], ['globe', 'd|||||']] as const) {
    if (anyEq(gt, g)) out.push(el('marc:controlfield', [['tag', '007']], [v]));
  }
  out.push(el('marc:controlfield', [['tag', '008']], [field008(m)]));
  // source
  for (const r of path(m, 'recordInfo', 'recordContentSource')) if (attr(r, 'authority') === 'marcorg') out.push(df('040', [sf('a', str(r))]));
  for (const c of m.children) out.push(...apply(c));
  out.push(df('500', [sf('a', CONVERSION_NOTE)]));
  const lcc = kids(m, 'classification').filter((c) => attr(c, 'authority') === 'lcc');
  // lcClassification tests ../mods:recordInfo from <mods>, which never exists: ind2 is always 2.
  if (lcc.length > 0) {
    const dlc = m.parent !== null && anyEq(path(m.parent, 'recordInfo', 'recordContentSource'), 'DLC');
    const lc = m.parent !== null && anyEq(path(m.parent, 'recordInfo', 'recordContentSource'), 'Library of Congress');
    out.push(df('050', lcc.map((c) => sf('a', str(c))), ' ', dlc || lc ? '0' : '2'));
  }
  return el('marc:record', attrs, out);
}

// ---------------------------------------------------------------- template dispatch

/** xsl:apply-templates on one node in the default mode. */
function apply(n: DomNode): Out[] {
  if (n.kind === 'text') return [n.value]; // the built-in text template
  if (!isMods(n)) return [];
  const parentIs = (local: string): boolean => isMods(n.parent, local);
  switch (n.local) {
    case 'modsCollection':
      return [el('marc:collection', [['xmlns:xsi', XSI_NS], ['xsi:schemaLocation', SCHEMA_LOCATION]], n.children.flatMap(apply))];
    case 'mods':
      return [record(n)];
    case 'titleInfo':
      return titleInfoTemplate(n);
    case 'name':
      return nameTemplate(n);
    case 'genre':
      return genreTemplate(n);
    case 'originInfo':
      return originInfoTemplate(n);
    case 'physicalDescription':
      return n.children.flatMap(apply);
    case 'extent':
      return [df('300', [sf('a', str(n))])];
    case 'form':
      return formTemplate(n);
    case 'abstract':
      return [df('520', [sf('a', str(n)), ...href(n, 'u')], labelInd(n, { Subject: '0', Review: '1', 'Scope and content': '2', Abstract: '2', 'Content advice': '4' }, ' '))];
    case 'tableOfContents':
      return [df('505', [sf('a', str(n)), ...href(n, 'u')], labelInd(n, { Contents: '0', 'Incomplete contents': '1', 'Partial contents': '2' }, '0'))];
    case 'targetAudience':
      if (attr(n, 'authority') === 'marctarget') return [];
      return [
        df(
          '521',
          [sf('a', str(n))],
          labelInd(n, { 'Reading grade level': '0', 'Interest age level': '1', 'Interest grade level': '2', 'Special audience characteristics': '3', 'Motivation or interest level': '3' }, ' '),
        ),
      ];
    case 'note':
      return noteTemplate(n);
    case 'accessCondition': {
      const t = attr(n, 'type');
      return [df(t === 'restrictionOnAccess' ? '506' : t === 'useAndReproduction' ? '540' : '', [sf('a', str(n))])];
    }
    case 'subject':
      return subjectTemplate(n);
    case 'geographicCode':
      if (!parentIs('subject') || attr(n, 'authority') === undefined) return [];
      return [df('043', attr(n, 'authority') === 'marcgac' ? [sf('a', str(n))] : attr(n, 'authority') === 'iso3166' ? [sf('c', str(n))] : [])];
    case 'hierarchicalGeographic':
      return parentIs('subject') ? [hierarchicalGeographic(n)] : [];
    case 'cartographics':
      if (!parentIs('subject')) return [];
      return [df('255', [...kids(n, 'coordinates').map((c) => sf('c', str(c))), ...kids(n, 'scale').map((c) => sf('a', str(c))), ...kids(n, 'projection').map((c) => sf('b', str(c)))])];
    case 'occupation':
      return parentIs('subject') ? [df('656', [sf('a', str(n))])] : [];
    case 'topic':
      return parentIs('subject') ? [sf('x', str(n))] : [];
    case 'temporal':
      return parentIs('subject') ? [sf('y', str(n))] : [];
    case 'geographic':
      return parentIs('subject') ? [sf('z', str(n))] : [];
    case 'classification':
      return classificationTemplate(n);
    case 'identifier':
      return identifierTemplate(n);
    case 'url':
      if (!parentIs('location')) return [];
      return [
        df('856', [
          sf('u', str(n)),
          ...optional(attr(n, 'displayLabel'), (v) => sf('3', v)),
          ...optional(attr(n, 'dateLastAccessed'), (v) => sf('z', 'Last accessed: ' + v)),
        ]),
      ];
    case 'physicalLocation':
      if (!parentIs('location')) return [];
      return [df('852', [sf('a', str(n)), ...optional(attr(n, 'xlink'), () => sf('u', str(n))), ...optional(attr(n, 'displayLabel'), (v) => sf('3', v))])];
    case 'uri':
      return parentIs('location') ? [df('852', [el('marc:subfield', [], [locationUriCode(n) + str(n)])])] : [];
    case 'extension':
      return [df('887', [sf('a', str(n))])];
    case 'relatedItem':
      return relatedItemTemplate(n);
    default:
      return []; // <xsl:template match="*"/>
  }
}

function optional<T>(v: string | undefined, f: (v: string) => T): T[] {
  return v === undefined ? [] : [f(v)];
}

function href(n: DomElement, code: string): OutElement[] {
  return optional(xlink(n, 'href'), (v) => sf(code, v));
}

function labelInd(n: DomElement, table: Record_<string>, otherwise: string): string {
  const label = attr(n, 'displayLabel');
  return label !== undefined && Object.hasOwn(table, label) ? (table[label] ?? otherwise) : otherwise;
}

function locationUriCode(n: DomElement): string {
  if (attr(n, 'displayLabel') === 'content') return '3';
  if (attr(n, 'dateLastAccessed') === 'content' || attr(n, 'note') === 'contents of subfield') return 'z';
  const access = attr(n, 'access');
  if (access === 'preview' || access === 'raw object' || access === 'object in context') return '3';
  if (access === 'primary display') return 'z';
  return '';
}

// ---------------------------------------------------------------- titles

function nonSortLength(t: DomElement | undefined): string {
  return String(t === undefined ? 0 : strlen(first(kids(t, 'nonSort'))));
}

/** The named template `titleInfo`: $a per title (with nonSort), then $b, $n, $p. */
function titleInfoSubfields(t: DomElement): OutElement[] {
  const nonSort = first(kids(t, 'nonSort'));
  return [
    ...kids(t, 'title').map((x) => sf('a', nonSort + str(x))),
    ...kids(t, 'subTitle').map((x) => sf('b', str(x))),
    ...kids(t, 'partNumber').map((x) => sf('n', str(x))),
    ...kids(t, 'partName').map((x) => sf('p', str(x))),
  ];
}

function titleInfoTemplate(t: DomElement): Out[] {
  const type = attr(t, 'type');
  const siblings = t.parent === null ? [t] : kids(t.parent, 'titleInfo');
  if (type === undefined) {
    if (hasAncestorOrSelf(t, 'subject')) return [];
    const untyped = siblings.filter((s) => attr(s, 'type') === undefined);
    if (untyped[0] !== t) return [df('246', titleInfoSubfields(t), '3')];
    const p = t.parent;
    const primary = p !== null && kids(p, 'name').some((n) => attr(n, 'usage') === 'primary');
    const uniform = siblings.some((s) => attr(s, 'type') === 'uniform');
    const soR = followingSiblingElements(t).filter((s) => isMods(s, 'note') && attr(s, 'type') === 'statement of responsibility');
    const gmd = p === null ? [] : path(p, 'physicalDescription', 'form').filter((f) => attr(f, 'authority') === 'gmd');
    const subs = [...titleInfoSubfields(t), ...soR.map((s) => sf('c', str(s))), ...(gmd.length > 0 ? [sf('h', first(gmd))] : [])];
    return [df('245', subs, !primary && !uniform ? '1' : '0', nonSortLength(t))];
  }
  if (type === 'abbreviated') return [df('210', titleInfoSubfields(t), '1')];
  if (type === 'translated') return [df('242', titleInfoSubfields(t), '1', nonSortLength(t))];
  if (type === 'alternative') return [df('246', titleInfoSubfields(t), '3')];
  if (type === 'uniform') {
    if (siblings.filter((s) => attr(s, 'type') === 'uniform')[0] !== t) return [df('730', titleInfoSubfields(t), nonSortLength(t))];
    const p = t.parent;
    const creator = (p !== null && anyEq(typed(path(p, 'name', 'role', 'roleTerm'), 'text'), 'creator')) || anyEq(typed(path(t, 'name', 'role', 'roleTerm'), 'code'), 'cre');
    return creator ? [df('240', titleInfoSubfields(t), '1', nonSortLength(t))] : [df('130', titleInfoSubfields(t), nonSortLength(t))];
  }
  return [];
}

// ---------------------------------------------------------------- names

/** The 2.02 namePart loop: "family, " before a given name, else the part and a space if anything follows. */
function joinedNameParts(parts: DomElement[]): string {
  let s = '';
  for (const p of parts) {
    const following = followingSiblingElements(p);
    if (attr(p, 'type') === 'family' && following.some((f) => isMods(f, 'namePart') && attr(f, 'type') === 'given')) s += str(p) + ', ';
    else s += str(p) + (following.length > 0 ? ' ' : '');
  }
  return s;
}

function personalParts(n: DomElement): DomElement[] {
  return kids(n, 'namePart').filter((p) => attr(p, 'type') !== 'termsOfAddress' && attr(p, 'type') !== 'date');
}

function valueUri(n: DomElement): OutElement[] {
  return optional(attr(n, 'valueURI'), (v) => sf('0', v));
}

function nameTemplate(n: DomElement): Out[] {
  const type = attr(n, 'type');
  if (type === undefined) return [df('720', [sf('a', joinedNameParts(kids(n, 'namePart')))])];
  const text = roleTerms(n, 'text');
  const code = roleTerms(n, 'code');
  const creator = anyEq(text, 'creator') || anyEq(code, 'cre');
  // Both the creator and the other template match a name with mixed roles; xsltproc takes the
  // later one in the stylesheet, the 7XX.
  const other = anyNe(text, 'creator') || anyNe(code, 'cre') || kids(n, 'role').length === 0;
  const parts = kids(n, 'namePart');
  const e = text.map((r) => sf('e', str(r)));
  const four = code.map((r) => sf('4', str(r)));
  const g = kids(n, 'description').map((d) => sf('g', str(d)));
  if (type === 'personal') {
    const primary = creator || attr(n, 'usuage') === 'primary'; // sic: the stylesheet's typo
    if (!other && !primary) return [];
    const subs = [
      sf('a', joinedNameParts(personalParts(n))),
      ...typed(parts, 'termsOfAddress').map((p) => sf('c', str(p))),
      ...typed(parts, 'date').map((p) => sf('d', str(p))),
      ...e,
      ...four,
      ...kids(n, 'affiliation').map((a) => sf('u', str(a))),
    ];
    return other ? [df('700', [...subs, ...valueUri(n)], '1')] : [df('100', [...subs, ...g, ...valueUri(n)], '1')];
  }
  if (type === 'corporate') {
    if (!other && !creator) return [];
    return [df(other ? '710' : '110', [sf('a', first(parts)), ...parts.slice(1).map((p) => sf('b', str(p))), ...e, ...four, ...g, ...valueUri(n)], '2')];
  }
  if (type === 'conference') {
    if (!other && !creator) return [];
    return [df(other ? '711' : '111', [sf('a', first(parts)), ...four, ...text.map((r) => sf('j', str(r))), ...valueUri(n)], '2')];
  }
  return [];
}

// ---------------------------------------------------------------- genre, origin, physical description, notes

function genreTemplate(g: DomElement): Out[] {
  const authority = attr(g, 'authority');
  if (authority === 'marcgt') return [];
  const type = attr(g, 'type');
  const withAuthority = [sf('a', str(g)), ...optional(authority, (v) => sf('2', v))];
  if (isMods(g.parent, 'subject')) {
    if (followingSiblingElements(g).length > 0 || precedingSiblingElements(g).length > 0) return [sf('v', str(g))];
    return [df('655', [...withAuthority, ...valueUri(g)], ' ', '7')];
  }
  const tag = authority === 'content' && type === 'musical composition' ? '047' : authority === 'content' ? '336' : '655';
  return [df(tag, withAuthority, ' ', type === 'musical composition' && authority === 'marcmuscomp' ? '#' : '7')];
}

const EVENT_264 = ['production', 'publication', 'distribution', 'manufacture'];
const LABEL_264 = ['producer', 'publisher', 'manufacturer', 'distributor'];

function originInfoTemplate(o: DomElement): Out[] {
  const out: Out[] = [];
  const placeTerms = path(o, 'place', 'placeTerm');
  for (const p of placeTerms) if (attr(p, 'type') === 'code' && attr(p, 'authority') === 'iso3166') out.push(df('044', [sf('c', str(p))]));
  const captured = kids(o, 'dateCaptured');
  if (captured.some((d) => attr(d, 'encoding') === 'iso8601')) {
    const ranged = captured.some((d) => attr(d, 'point') === 'start' || attr(d, 'point') === 'end');
    out.push(df('033', captured.map((d) => sf('a', str(d))), ranged ? '2' : '0', '0'));
  }
  const created = kids(o, 'dateCreated');
  const valid = kids(o, 'dateValid');
  if (kids(o, 'dateModified').length + created.length + valid.length > 0) {
    out.push(
      df('046', [
        ...kids(o, 'dateModified').map((d) => sf('j', str(d))),
        ...created.filter((d) => attr(d, 'point') === 'start' || attr(d, 'point') === undefined).map((d) => sf('k', str(d))),
        ...created.filter((d) => attr(d, 'point') === 'end').map((d) => sf('l', str(d))),
        ...valid.filter((d) => attr(d, 'point') === 'start' || attr(d, 'point') === undefined).map((d) => sf('m', str(d))),
        ...valid.filter((d) => attr(d, 'point') === 'end').map((d) => sf('n', str(d))),
      ]),
    );
  }
  for (const e of kids(o, 'edition')) out.push(df('250', [sf('a', str(e))]));
  for (const f of kids(o, 'frequency')) out.push(df('310', [sf('a', str(f))]));
  for (const i of kids(o, 'issuance')) out.push(df('250', [sf('a', str(i))]));
  const textPlaces = placeTerms.filter((p) => attr(p, 'type') === 'text');
  const issued = kids(o, 'dateIssued');
  if (textPlaces.length > 0 || kids(o, 'publisher').length > 0 || issued.length > 0 || created.length > 0) {
    const event = attr(o, 'eventType');
    const label = attr(o, 'displayLabel');
    const aacr2 = o.parent !== null && anyEq(path(o.parent, 'recordInfo', 'descriptionStandard'), 'AACR2');
    const tag = (event !== undefined && EVENT_264.includes(event)) || (label !== undefined && LABEL_264.includes(label)) || aacr2 ? '264' : '260';
    // The stylesheet pairs manufacturer with distribution and distributor with manufacture.
    const ind2 =
      label === 'producer' || event === 'production'
        ? '0'
        : label === 'publisher' || event === 'publication'
          ? '1'
          : label === 'manufacturer' || event === 'distribution'
            ? '2'
            : label === 'distributor' || event === 'manufacture'
              ? '3'
              : ' ';
    const ends = issued.filter((d) => attr(d, 'point') === 'end');
    const q = (d: DomElement): string => (attr(d, 'qualifier') === 'questionable' ? '?' : '');
    const subs: Out[] = [
      ...textPlaces.map((p) => sf('a', str(p))),
      ...o.children.filter((c): c is DomElement => isMods(c, 'publisher') || isMods(c, 'agent')).map((p) => sf('b', str(p))),
      ...issued.map((d) => {
        if (attr(d, 'point') !== 'start') return sf('c', str(d) + q(d));
        let v = str(d) + q(d);
        if (ends.length > 0) v += DATE_RANGE_SEPARATOR + first(ends);
        if (ends.some((x) => attr(x, 'qualifier') === 'questionable')) v += '?';
        return sf('c', v);
      }),
      ...typed(kids(o, 'dateOther'), 'distribution').map((d) => sf('c', str(d))),
      ...kids(o, 'displayDate').map((d) => sf('c', str(d))),
      ...created.map((d) => sf('g', str(d))),
    ];
    out.push(df(tag, subs, ' ', ind2));
  }
  return out;
}

function formTemplate(f: DomElement): Out[] {
  const type = attr(f, 'type');
  const tag = type === 'media' ? '337' : type === 'carrier' ? '338' : type === 'material' || type === 'technique' ? '340' : null;
  if (tag === null) return [];
  return [df(tag, [sf(type === 'technique' ? 'd' : 'a', str(f)), ...optional(attr(f, 'authority'), (v) => sf('2', v))])];
}

const NOTE_TAGS: Record_<string> = {
  performers: '511', venue: '518', acquisition: '541', action: '583', 'additional physical form': '530', bibliography: '504',
  'biographical/historical': '545', 'citation/reference': '510', 'creation/production credits': '508', date: '518', exhibitions: '585',
  funding: '536', handwritten: '562', language: '546', numbering: '515', 'date/sequential designation': '362', 'original location': '535',
  'original version': '534', ownership: '561', 'preferred citation': '524', publications: '581', reproduction: '533', restriction: '506',
  'source characteristics': '786', 'source dimensions': '786', 'source identifier': '786', 'source note': '786', 'source type': '786',
  'system details': '538', thesis: '502', 'version identification': '562',
};

function noteTemplate(n: DomElement): Out[] {
  const type = attr(n, 'type');
  if (type === 'statement of responsibility') return [];
  const tag = type !== undefined && Object.hasOwn(NOTE_TAGS, type) ? (NOTE_TAGS[type] ?? '500') : '500';
  return [df(tag, [sf('a', str(n))]), ...optional(xlink(n, 'href'), (v) => df('856', [sf('u', v)]))];
}

// ---------------------------------------------------------------- subjects

function authorityInd(e: DomElement): string {
  const a = attr(e, 'authority');
  if (a === undefined) return ' ';
  return ({ lcsh: '0', lcshac: '1', mesh: '2', csh: '3', nal: '5', rvm: '6' } as Record_<string>)[a] ?? '7';
}

function subjectTemplate(s: DomElement): Out[] {
  const children = elements(s);
  const head = children[0];
  const rest = (): Out[] => children.slice(1).flatMap(apply);
  switch (head?.local) {
    case 'topic':
      return [df('650', [sf('a', str(head)), ...rest()], '1')];
    case 'titleInfo': {
      const titles = kids(s, 'titleInfo');
      return [df('630', [...titles.flatMap(titleInfoSubfields), ...rest()], String(strlen(first(path(titles, 'nonSort')))), authorityInd(s))];
    }
    case 'name':
      return subjectName(head, s);
    case 'geographic':
      return [df('651', [sf('a', str(head)), ...rest()], ' ', authorityInd(s))];
    case 'temporal':
      return [df('650', [sf('a', str(head)), ...rest()])];
    default:
      return s.children.flatMap(apply);
  }
}

/** The name subject: the context is the name, so its own @authority and its own later children count. */
function subjectName(n: DomElement, s: DomElement): Out[] {
  const type = attr(n, 'type');
  const parts = kids(n, 'namePart');
  const ownRest = (): Out[] => elements(n).slice(1).flatMap(apply);
  const text = roleTerms(n, 'text');
  if (type === 'personal') {
    return [
      df(
        '600',
        [
          sf('a', joinedNameParts(personalParts(n))),
          ...typed(parts, 'termsOfAddress').map((p) => sf('c', str(p))),
          ...typed(parts, 'date').map((p) => sf('d', str(p))),
          ...text.map((r) => sf('e', str(r))),
          ...kids(n, 'affiliation').map((a) => sf('u', str(a))),
          ...ownRest(),
        ],
        '1',
        authorityInd(n),
      ),
    ];
  }
  if (type === 'corporate') {
    const subs = [sf('a', first(parts)), ...parts.slice(1).map((p) => sf('a', str(p))), ...text.map((r) => sf('e', str(r))), ...elements(s).slice(1).flatMap(apply)];
    return [df('610', subs, '2', authorityInd(n))];
  }
  if (type === 'conference') {
    return [df('611', [sf('a', joinedNameParts(parts)), ...roleTerms(n, 'code').map((r) => sf('4', str(r))), ...text.map((r) => sf('j', str(r))), ...ownRest()], '2', authorityInd(n))];
  }
  return [];
}

function hierarchicalGeographic(h: DomElement): OutElement {
  const area = h.children.filter((c): c is DomElement => isMods(c, 'country') || isMods(c, 'region') || isMods(c, 'territory') || isMods(c, 'island'));
  return df('662', [
    ...area.map((c) => sf('a', str(c))),
    ...kids(h, 'state').map((c) => sf('b', str(c))),
    ...kids(h, 'county').map((c) => sf('c', str(c))),
    ...kids(h, 'city').map((c) => sf('d', str(c))),
    ...kids(h, 'citySection').map((c) => sf('e', str(c))),
    ...kids(h, 'extraterrestrialArea').map((c) => sf('h', str(c))),
  ]);
}

// ---------------------------------------------------------------- classification and identifiers

function classificationTemplate(c: DomElement): Out[] {
  const a = [sf('a', str(c))];
  switch (attr(c, 'authority')) {
    case 'ddc':
      return [df('082', [...a, ...optional(attr(c, 'edition'), (v) => sf('2', v))], '0')];
    case 'udc':
      return [df('080', a)];
    case 'nlm':
      return [df('060', a, ' ', '4')];
    case 'sudocs':
      return [df('086', a, '0')];
    case 'candocs':
      return [df('086', a, '1')];
    case 'content':
      return [df('084', a, '1')];
    default:
      return []; // lcc is written after the 500 note
  }
}

function mediaType(ctx: DomElement): OutElement[] {
  const types = ctx.parent === null ? [] : path(ctx.parent, 'physicalDescription', 'internetMediaType');
  return types.length > 0 ? [sf('q', first(types))] : [];
}

function identifierTemplate(i: DomElement): Out[] {
  const type = attr(i, 'type');
  const v = str(i);
  const az = (): OutElement => sf(attr(i, 'invalid') === 'yes' ? 'z' : 'a', v);
  const a = (): OutElement => sf('a', v);
  switch (type) {
    case 'doi':
    case 'hdl':
      return [df('024', [a(), sf('2', type)])];
    case 'isbn':
      return [df('020', [az()])];
    case 'isrc':
      return [df('024', [az()], '0')];
    case 'ismn':
      return [df('024', [az()], '2')];
    case 'issn':
    case 'issn-l':
      return [df('022', [az()])];
    case 'issue number':
      return [df('028', [a()], '0', '0')];
    case 'lccn':
      return [df('010', [az()])];
    case 'matrix number':
      return [df('028', [a()], '1', '0')];
    case 'music publisher':
      return [df('028', [a()], '3', '0')];
    case 'music plate':
      return [df('028', [a()], '2', '0')];
    case 'sici':
      return [df('024', [az()], '4')];
    case 'stocknumber':
      return [df('037', [a()])];
    case 'uri':
      return [df('856', [sf('u', v), ...mediaType(i)], ' ', isMods(i.parent, 'relatedItem') ? '2' : ' ')];
    case 'upc':
      return [df('024', [az()], '1')];
    case 'videorecording':
      return [df('028', [a()], '4', '0')];
    default:
      return [];
  }
}

// ---------------------------------------------------------------- related items

function relatedItemNames(r: DomElement): OutElement[] {
  const names = kids(r, 'name');
  if (names.length === 0) return [];
  let s = '';
  for (const n of names) {
    const parts = kids(n, 'namePart');
    const p1 = parts[0];
    if (p1 !== undefined && attr(p1, 'type') !== 'date') s += str(p1);
    const dates = typed(parts.slice(1), 'date');
    if (dates.length > 0) s += ' ' + first(dates);
    const terms = path(n, 'role', 'roleTerm');
    if (terms.some((t) => attr(t, 'type') === 'text') || terms.some((t) => attr(t, 'type') === 'code')) s += ', ' + first(terms);
  }
  return [sf('a', dropLast(s + ', ', 2))];
}

/** The named template relatedItem76X-78X. */
function linkingSubfields(r: DomElement): OutElement[] {
  const type = attr(r, 'type');
  const out: OutElement[] = [];
  for (const t of kids(r, 'titleInfo')) {
    out.push(...kids(t, 'title').map((x) => sf('t', str(x))), ...kids(t, 'partNumber').map((x) => sf('g', str(x))), ...kids(t, 'partName').map((x) => sf('g', str(x))));
  }
  out.push(...relatedItemNames(r));
  const extents = path(r, 'physicalDescription', 'extent');
  if (type === 'original') out.push(...extents.map((x) => sf('e', str(x))));
  else if (type !== undefined) out.push(...extents.map((x) => sf('h', str(x))));
  out.push(...optional(attr(r, 'displayLabel'), (v) => sf('i', v)));
  const notes = kids(r, 'note').map((x) => sf('n', str(x)));
  const ids = kids(r, 'identifier');
  out.push(
    ...notes,
    ...ids.filter((x) => attr(x, 'type') === undefined).map((x) => sf('o', str(x))),
    ...typed(ids, 'issn').map((x) => sf('x', str(x))),
    ...typed(ids, 'isbn').map((x) => sf('z', str(x))),
    ...typed(ids, 'local').map((x) => sf('w', str(x))),
    ...kids(r, 'note').map((x) => sf('n', str(x))),
  );
  return out;
}

function seriesTemplate(r: DomElement): Out[] {
  const names = kids(r, 'name');
  const titles = kids(r, 'titleInfo');
  if (names.length === 0 && titles.length > 0) return titles.map((t) => df('830', titleInfoSubfields(t)));
  return names.map((n) => {
    const type = attr(n, 'type');
    const tag = type === 'personal' ? '800' : type === 'corporate' ? '810' : type === 'conference' ? '811' : '830';
    const parts = kids(n, 'namePart');
    const subs: OutElement[] = [sf('a', first(parts))];
    if (type === 'corporate') subs.push(...parts.slice(1).map((p) => sf('b', str(p))));
    if (type === 'personal') subs.push(...typed(parts, 'termsOfAddress').map((p) => sf('c', str(p))), ...typed(parts, 'date').map((p) => sf('d', str(p))));
    if (type !== undefined && type !== 'conference') subs.push(...roleTerms(n, 'text').map((t) => sf('e', str(t))));
    subs.push(...roleTerms(n, 'code').map((t) => sf('4', str(t))));
    if (tag !== '830') {
      for (const t of titles) {
        const nonSort = first(kids(t, 'nonSort'));
        const subTitle = first(kids(t, 'subTitle'));
        subs.push(...kids(t, 'title').map((x) => sf('t', nonSort + str(x) + subTitle)), ...kids(t, 'partNumber').map((x) => sf('n', str(x))), ...kids(t, 'partName').map((x) => sf('p', str(x))));
      }
    }
    return df(tag, subs);
  });
}

function relatedItemTemplate(r: DomElement): Out[] {
  const type = attr(r, 'type');
  switch (type) {
    case undefined: {
      const urls = path(r, 'location', 'url');
      if (urls.length > 0 && kids(r, 'titleInfo').length === 0) return [df('856', [sf('u', first(urls))], ' ', '2')];
      const content = linkingSubfields(r);
      return fragmentText(content) !== '' ? [df('787', content, '0')] : [];
    }
    case 'isReferencedBy': {
      const note = elements(r)
        .map((c) => str(c) + ', ')
        .join('');
      return [df('510', [sf('a', dropLast(note, 2))])];
    }
    case 'series':
      return seriesTemplate(r);
    case 'preceding':
      return [df('780', linkingSubfields(r), '0', '0')];
    case 'succeeding':
      return [df('785', linkingSubfields(r), '0', '0')];
    case 'otherVersion':
      return [df('775', linkingSubfields(r))];
    case 'otherFormat':
      return [df('776', linkingSubfields(r))];
    case 'original': {
      const content = linkingSubfields(r);
      return fragmentText(content) !== '' ? [df('534', content)] : [];
    }
    case 'host': {
      const subs: OutElement[] = [...optional(attr(r, 'displaylabel'), (v) => sf('3', v)), ...path(r, 'part', 'text').map((t) => sf('g', str(t)))];
      const details = path(r, 'part', 'detail');
      if (details.length > 0) {
        const parts = details.map((d) => first(kids(d, 'number')) + ':').join('');
        subs.push(sf('q', dropLast(parts, 1) + '<' + first(path(r, 'part', 'extent', 'start'))));
      }
      return [df('773', [...subs, ...linkingSubfields(r)], '0')];
    }
    case 'constituent':
      return [df('774', linkingSubfields(r), '0')];
    default:
      return [];
  }
}

// ---------------------------------------------------------------- API

/** The stylesheet's result tree for a `<mods>` or `<modsCollection>` document. */
export function modsToMarcTree(xml: string): OutElement {
  const root = parseDom(xml);
  const rootName = `{${root.uri}}${root.local}`;
  // xsltproc would write an empty document here (the catch-all template matches the root).
  if (!isMods(root, 'mods') && !isMods(root, 'modsCollection')) {
    throw new MarcError('E403', `not MODS: the root element is ${rootName}, expected mods or modsCollection in the MODS v3 namespace`, { source: 'mods' });
  }
  const out = apply(root)[0];
  if (out === undefined || typeof out === 'string') throw new MarcError('E403', 'MODS produced no record', { source: 'mods' });
  return out;
}

function escText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function serializeOut(o: Out, root: boolean): string {
  if (typeof o === 'string') return escText(o);
  let s = '<' + o.name;
  if (root) s += ` xmlns:marc="${MARC_NS}"`;
  for (const [k, v] of o.attrs) if (root || k !== 'xmlns:xsi') s += ` ${k}="${escAttr(v)}"`;
  if (o.children.length === 0) return s + '/>';
  return s + '>' + o.children.map((c) => serializeOut(c, false)).join('') + '</' + o.name + '>';
}

/** MODS → MARCXML as LC's MODS3-8_MARC21slim_XSLT1-0.xsl writes it (a `marc:record` or `marc:collection`). */
export function modsToMarcXml(xml: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + serializeOut(modsToMarcTree(xml), true) + '\n';
}

function textOf(o: OutElement): string {
  return fragmentText(o.children);
}

function attrOf(o: OutElement, name: string): string {
  return o.attrs.find(([k]) => k === name)?.[1] ?? '';
}

/**
 * One stylesheet record as a Record. What a MARC record cannot hold is left out: subfields the
 * stylesheet writes straight into the record (subject children after a non-heading first child),
 * datafields whose tag is not three characters (accessCondition of other types gives tag=""); a
 * datafield nested in another is moved to just after it, and an indicator that is not one
 * character (a nonSort of ten or more) becomes a blank.
 */
function toRecord(r: OutElement): Record {
  const rec = new Record({ leader: textOf(r.children.find((c): c is OutElement => typeof c !== 'string' && c.name === 'marc:leader') ?? el('', [], [])) });
  const ind = (v: string): string => (v.length === 1 ? v : ' ');
  const addDataField = (d: OutElement): void => {
    const tag = attrOf(d, 'tag');
    const nested: OutElement[] = [];
    const subfields: { code: string; value: string }[] = [];
    for (const c of d.children) {
      if (typeof c === 'string') continue;
      if (c.name === 'marc:subfield') subfields.push({ code: attrOf(c, 'code'), value: textOf(c) });
      else if (c.name === 'marc:datafield') nested.push(c);
    }
    if (/^[0-9A-Za-z]{3}$/.test(tag)) rec.addField(new DataField(tag, ind(attrOf(d, 'ind1')), ind(attrOf(d, 'ind2')), subfields));
    for (const n of nested) addDataField(n);
  };
  for (const c of r.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'marc:controlfield') rec.addField(new ControlField(attrOf(c, 'tag'), textOf(c)));
    else if (c.name === 'marc:datafield') addDataField(c);
  }
  return rec;
}

/** MODS (`<mods>` or `<modsCollection>`) → MARC records, one per `<mods>`. Malformed input throws MarcError E403. */
export function modsToRecords(xml: string): Record[] {
  const tree = modsToMarcTree(xml);
  const records = tree.name === 'marc:collection' ? tree.children.filter((c): c is OutElement => typeof c !== 'string' && c.name === 'marc:record') : [tree];
  return records.map(toRecord);
}
