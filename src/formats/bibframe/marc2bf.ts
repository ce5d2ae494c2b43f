/**
 * MARC 21 bibliographic → BIBFRAME 2, following LC's marc2bibframe2 (v2.10): one Work, one
 * Instance and the Items of a record, with the same URIs, classes and properties, so the output
 * can be compared with LC's triple for triple. URIs are `<baseUri><001>#Work`, `#Instance` and
 * `#<Entity><tag>-<n>` where n is the field's position in the record counting the leader as 1,
 * as LC's converter mints them.
 */
import type { Record } from '../../record/record.js';
import type { DataField, Subfield } from '../../record/field.js';
import { BF, BFLC, EDTF, GraphBuilder, MADS, RDF, RDFS, VOCAB, XSD, iri, type Quad, type Subject } from './graph.js';
import { chopPunct, normalizeSpace, u2x, urlEncode } from './text.js';
import * as codes from './codes.js';

export interface BibframeOptions {
  /** Base for minted URIs; LC's default. */
  baseUri?: string;
  /** Field holding the record id: a control tag ('001'), or tag + subfield ('035a'). */
  idField?: string;
  /** Organisation URI of the converting agency (LC's `idsource`); none by default. */
  idSource?: string;
  /** The generation AdminMetadata's datestamp (LC's pGenerationDatestamp); default now. */
  generationDate?: string;
  /** `bf:generationProcess` IRI; LC's v2.10.0 release by default. */
  generationProcess?: string;
  /** Convert LC's locally defined fields (LC's `localfields`). */
  localFields?: boolean;
  /** Number of the record in its file, for ids of records without an id field. */
  recordNumber?: number;
  /**
   * Whether the source record had a leader. LC's XSLT numbers fields by element position and
   * reads the leader from the element, so a MARCXML record without one shifts every position
   * down by one and loses all leader-driven output. Default: read from the record's E002
   * "no leader" repair, which the MARCXML reader records.
   */
  hasLeader?: boolean;
}

const DEFAULT_PROCESS = 'https://github.com/lcnetdev/marc2bibframe2/releases/tag/v2.10.0';

interface Ctx {
  g: GraphBuilder;
  record: Record;
  fields: { tag: string; field: DataField | null; data: string; pos: number }[];
  id: string;
  work: Subject;
  instance: Subject;
  leader: string;
  f008: string;
  item?: Subject;
  options: BibframeOptions;
}

const sfv = (f: DataField, code: string): string | undefined => {
  for (const s of f.subfields) if (s.code === code) return s.value;
  return undefined;
};
const sfAll = (f: DataField, codes: string): string[] => f.subfields.filter((s) => codes.includes(s.code)).map((s) => s.value);

function marcKey(f: DataField, subs?: Subfield[]): string {
  let key = f.tag + f.ind1 + f.ind2;
  for (const s of subs ?? f.subfields) key += '$' + s.code + s.value;
  return key;
}

function orgUri(code: string): string {
  return VOCAB + 'organizations/' + normalizeCode(code);
}

function normalizeCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9-]/g, '');
}

/** Record id as marc2bibframe2's recordid mode: the URL-encoded, whitespace-normalised id field. */
export function recordIdOf(record: Record, options: BibframeOptions = {}): string {
  const base = options.baseUri ?? 'http://example.org/';
  const idField = options.idField ?? '001';
  const tag = idField.substring(0, 3);
  let id = '';
  if (tag < '010') {
    const found = record.fields.filter((f) => f.tag === tag);
    if (found.length === 1 && found[0]?.isControlField()) id = urlEncode(normalizeSpace(found[0].data));
  } else {
    const code = idField.charAt(3) || 'a';
    const values = record.getDataFields(tag).flatMap((f) => sfAll(f, code));
    if (values.length === 1) id = urlEncode(normalizeSpace(values[0] as string));
  }
  return base + (id !== '' ? id : 'record' + (options.recordNumber ?? 1));
}

/** The BIBFRAME triples of one MARC bibliographic record. */
export function toBibframe(record: Record, options: BibframeOptions = {}): Quad[] {
  const g = new GraphBuilder();
  convertInto(g, record, options);
  return g.quads;
}

/** The BIBFRAME triples of several records in one graph (shared vocabulary nodes stated once). */
export function recordsToBibframe(records: Iterable<Record>, options: BibframeOptions = {}): Quad[] {
  const g = new GraphBuilder();
  let n = options.recordNumber ?? 1;
  for (const record of records) convertInto(g, record, { ...options, recordNumber: n++ });
  return g.quads;
}

function lostLeader(record: Record): boolean {
  if (!record.hasErrors) return false;
  for (const e of record.errors) if (e.code === 'E002' && e.detail.startsWith('record has no leader')) return true;
  return false;
}

export function convertInto(g: GraphBuilder, record: Record, options: BibframeOptions = {}): void {
  const id = recordIdOf(record, options);
  const hasLeader = options.hasLeader ?? !lostLeader(record);
  const first = hasLeader ? 2 : 1;
  const fields = record.fields.map((field, i) => ({ tag: field.tag, field: field.isDataField() ? field : null, data: field.isControlField() ? field.data : '', pos: i + first }));
  const f008 = fields.find((f) => f.tag === '008')?.data ?? '';
  const ctx: Ctx = { g, record, fields, id, work: iri(id + '#Work'), instance: iri(id + '#Instance'), leader: hasLeader ? record.leader.value : '', f008, options };
  g.type(ctx.work, BF + 'Work');
  g.type(ctx.instance, BF + 'Instance');
  adminMetadata(ctx);
  leaderWork(ctx);
  work008(ctx);
  for (const f of fields) {
    if (f.field === null) continue;
    workField(ctx, f.field, f.pos);
  }
  g.ref(ctx.work, BF + 'hasInstance', ctx.instance.value);
  leaderInstance(ctx);
  provision(ctx);
  for (const f of fields) {
    if (f.field === null) continue;
    instanceField(ctx, f.field, f.pos);
  }
  defaultsInstance(ctx);
  g.ref(ctx.instance, BF + 'instanceOf', ctx.work.value);
}

// ---------------------------------------------------------------- admin metadata

function status(g: GraphBuilder, s: Subject, code: string, prop = BF + 'status'): void {
  const node = g.node(s, prop, BF + 'Status', VOCAB + 'mstatus/' + code);
  g.lit(node, RDFS + 'label', codes.STATUS_LABELS[code]);
}

function agentCode(g: GraphBuilder, s: Subject, p: string, code: string, uriFor?: (code: string) => boolean): void {
  const withUri = uriFor ? uriFor(code) : true;
  const node = g.node(s, p, BF + 'Agent', withUri ? orgUri(code) : undefined);
  g.lit(node, BF + 'code', code);
}

function adminMetadata(ctx: Ctx): void {
  const { g, work, f008, leader, options } = ctx;
  const f040 = ctx.record.getDataField('040');
  const isDlc = (code: string) => code === 'DLC';
  // "new": 008/00-05 and the original cataloguing agency.
  const created = /^\d{6}/.test(f008) ? (Number(f008.substring(0, 2)) < 50 ? '20' : '19') + f008.substring(0, 2) + '-' + f008.substring(2, 4) + '-' + f008.substring(4, 6) : '';
  {
    const am = g.node(work, BF + 'adminMetadata', BF + 'AdminMetadata');
    status(g, am, 'n');
    g.lit(am, BF + 'date', created, XSD + 'date');
    const a = f040 ? sfv(f040, 'a') : undefined;
    if (a) agentCode(g, am, BF + 'agent', a, isDlc);
  }
  const f005 = ctx.fields.find((f) => f.tag === '005')?.data ?? '';
  if (f005.length >= 14 && !f005.startsWith('0000')) {
    const am = g.node(work, BF + 'adminMetadata', BF + 'AdminMetadata');
    status(g, am, 'c');
    g.lit(am, BF + 'date', `${f005.substring(0, 4)}-${f005.substring(4, 6)}-${f005.substring(6, 8)}T${f005.substring(8, 10)}:${f005.substring(10, 12)}:${f005.substring(12, 14)}`, XSD + 'dateTime');
    if (f040) {
      const d = sfAll(f040, 'd');
      if (d.length > 0) agentCode(g, am, BF + 'descriptionModifier', d[d.length - 1] as string, isDlc);
      else {
        const c = sfv(f040, 'c') ?? sfv(f040, 'a');
        if (c) agentCode(g, am, BF + 'agent', c, isDlc);
      }
    }
  }
  {
    const am = g.node(work, BF + 'adminMetadata', BF + 'AdminMetadata');
    status(g, am, 'c');
    g.ref(am, BF + 'generationProcess', options.generationProcess ?? DEFAULT_PROCESS);
    g.lit(am, BF + 'date', options.generationDate ?? new Date().toISOString().substring(0, 19), XSD + 'dateTime');
    if (options.idSource) g.ref(am, BF + 'agent', options.idSource);
  }
  const am = g.node(work, BF + 'adminMetadata', BF + 'AdminMetadata');
  g.ref(am, BF + 'descriptionLevel', 'http://id.loc.gov/ontologies/bibframe-2-6-0/');
  const enc = codes.ENCODING_LEVEL[leader.charAt(17)];
  if (enc) {
    const node = g.node(am, BFLC + 'encodingLevel', BFLC + 'EncodingLevel', VOCAB + 'menclvl/' + enc[0]);
    g.lit(node, RDFS + 'label', enc[1]);
  }
  const e040 = f040 ? sfAll(f040, 'e') : [];
  const conv = codes.DESCRIPTION_CONVENTIONS[leader.charAt(18)];
  if (conv && !(e040.includes('rda') && 'apr'.includes(leader.charAt(18)))) descConv(g, am, conv);
  for (const e of e040) descConv(g, am, e);
  const f001 = ctx.fields.find((f) => f.tag === '001');
  if (f001) {
    const local = g.node(am, BF + 'identifiedBy', BF + 'Local');
    g.lit(local, RDF + 'value', f001.data);
    const f003 = ctx.fields.find((f) => f.tag === '003')?.data;
    if (f003 === undefined || f003 === '' || f003 === 'DLC') agentCode(g, local, BF + 'assigner', 'DLC');
    else agentCode(g, local, BF + 'assigner', f003, () => false);
  }
  if (f040) {
    const note = g.node(am, BF + 'note', BF + 'Note');
    g.ref(note, RDF + 'type', VOCAB + 'mnotetype/internal');
    g.lit(note, RDFS + 'label', marcKey(f040).replace(/^040(.)(.)/, '040$1$2'));
    const b = sfv(f040, 'b');
    if (b) g.ref(am, BF + 'descriptionLanguage', VOCAB + 'languages/' + b.trim());
  }
  for (const f of ctx.record.getDataFields('042')) {
    for (const a of sfAll(f, 'a')) {
      const node = g.node(am, BF + 'descriptionAuthentication', BF + 'DescriptionAuthentication', VOCAB + 'marcauthen/' + normalizeCode(a));
      g.lit(node, BF + 'code', a);
    }
  }
}

function descConv(g: GraphBuilder, s: Subject, code: string): void {
  const node = g.node(s, BF + 'descriptionConventions', BF + 'DescriptionConventions', VOCAB + 'descriptionConventions/' + normalizeCode(code));
  g.lit(node, BF + 'code', code);
}

// ---------------------------------------------------------------- leader, 008

function leaderWork(ctx: Ctx): void {
  const { g, work, leader } = ctx;
  const content = codes.CONTENT[leader.charAt(6)];
  if (content) {
    g.type(work, BF + content[0]);
    if (content[1] !== null && !ctx.record.get('336') && leader.charAt(6) !== 'q') {
      const node = g.node(work, BF + 'content', BF + 'Content', VOCAB + 'contentTypes/' + content[1]);
      g.lit(node, RDFS + 'label', content[2] ?? undefined);
    }
  }
  const t = codes.LEADER07_TYPE[leader.charAt(7)];
  if (t) g.type(work, BF + t);
}

function leaderInstance(ctx: Ctx): void {
  const issuance = codes.ISSUANCE[ctx.leader.charAt(7)];
  if (issuance && !ctx.record.get('334')) ctx.g.ref(ctx.instance, BF + 'issuance', VOCAB + 'issuance/' + issuance);
}

function materialType(leader: string): string {
  const t = leader.charAt(6);
  const l7 = leader.charAt(7);
  if (t === 'a' || t === 't') return 'bsi'.includes(l7) ? 'CR' : 'BK';
  if (t === 'm') return 'CF';
  if (t === 'e' || t === 'f') return 'MP';
  if ('cdij'.includes(t)) return 'MU';
  if ('gkor'.includes(t)) return 'VM';
  if (t === 'p') return 'MX';
  return '';
}

function work008(ctx: Ctx): void {
  const { g, work, f008 } = ctx;
  if (f008.length < 40) {
    if (f008.length >= 38) lang008(ctx);
    return;
  }
  const type = materialType(ctx.leader);
  if (type === 'BK') {
    for (const c of f008.substring(18, 22)) {
      const m = codes.MILLUS[c];
      if (m) g.lit(g.node(work, BF + 'illustrativeContent', BF + 'Illustration', VOCAB + 'millus/' + m[0]), RDFS + 'label', m[1]);
    }
  }
  if (type === 'BK' || type === 'CF' || type === 'MU' || type === 'VM') {
    const a = codes.MAUDIENCE[f008.charAt(22)];
    if (a) g.lit(g.node(work, BF + 'intendedAudience', BF + 'IntendedAudience', VOCAB + 'maudience/' + a[0]), RDFS + 'label', a[1]);
  }
  if (type === 'BK' || type === 'CR') {
    const contents = type === 'BK' ? f008.substring(24, 28) : f008.substring(25, 28);
    for (const c of contents) {
      const m = codes.MARCGT[c];
      if (!m) continue;
      if (m[0].includes('msupplcont')) g.lit(g.node(work, BF + 'supplementaryContent', BF + 'SupplementaryContent', m[0]), RDFS + 'label', m[1]);
      else g.lit(g.node(work, BF + 'genreForm', BF + 'GenreForm', m[0]), RDFS + 'label', m[1]);
    }
    if (f008.charAt(29) === '1') g.lit(g.node(work, BF + 'genreForm', BF + 'GenreForm', 'http://id.loc.gov/authorities/genreForms/gf2014026068'), RDFS + 'label', 'conference papers and proceedings');
  }
  if (type === 'BK') {
    if (f008.charAt(30) === '1') g.lit(g.node(work, BF + 'genreForm', BF + 'GenreForm', 'http://id.loc.gov/vocabulary/marcgt/fes'), RDFS + 'label', 'festschrift');
    if (f008.charAt(31) === '1') g.lit(g.node(work, BF + 'supplementaryContent', BF + 'SupplementaryContent', VOCAB + 'msupplcont/index'), RDFS + 'label', 'index');
    const lit = codes.LITFORM[f008.charAt(33)];
    if (lit) g.lit(g.node(work, BF + 'genreForm', BF + 'GenreForm', 'http://id.loc.gov/authorities/genreForms/' + lit[0]), RDFS + 'label', lit[1]);
    const bio = codes.BIOFORM[f008.charAt(34)];
    if (bio) g.lit(g.node(work, BF + 'genreForm', BF + 'GenreForm', 'http://id.loc.gov/authorities/genreForms/' + bio[0]), RDFS + 'label', bio[1]);
  }
  if (type === 'CR') {
    const fr = codes.FREQUENCY[f008.charAt(18)];
    if (fr) g.lit(g.node(ctx.instance, BF + 'frequency', BF + 'Frequency', VOCAB + 'frequencies/' + fr[0]), RDFS + 'label', fr[1]);
  }
  lang008(ctx);
}

function lang008(ctx: Ctx): void {
  const lang = ctx.f008.substring(35, 38);
  if (/^[a-z]{3}$/.test(lang) && lang !== 'zxx' && lang !== 'und' && lang !== 'mul') ctx.g.ref(ctx.work, BF + 'language', VOCAB + 'languages/' + lang);
  else if (/^[a-z]{3}$/.test(lang)) ctx.g.ref(ctx.work, BF + 'language', VOCAB + 'languages/' + lang);
}

// ---------------------------------------------------------------- Work fields

function workField(ctx: Ctx, f: DataField, pos: number): void {
  const tag = f.tag;
  switch (tag) {
    case '041': return lang041(ctx, f);
    case '043': for (const a of sfAll(f, 'a')) ctx.g.ref(ctx.work, BF + 'geographicCoverage', VOCAB + 'geographicAreas/' + a.replace(/-+$/, '')); return;
    case '050': case '060': case '082': case '084': case '086': case '055': case '070': case '080': return classification(ctx, f);
    case '100': case '110': case '111': case '700': case '710': case '711': case '720': return contribution(ctx, f, pos);
    case '130': case '240': return uniformTitle(ctx, f, pos);
    case '245': return title245(ctx, f, ctx.work, true);
    case '246': case '247': return variantTitle(ctx, f, ctx.work);
    case '600': case '610': case '611': case '630': case '648': case '650': case '651': case '655': return subject(ctx, f, pos);
    case '653': return keywords(ctx, f);
    case '490': return series490(ctx, f);
    case '800': case '810': case '811': case '830': return series8xx(ctx, f, pos);
    case '505': return contentsNote(ctx, f);
    case '520': return summary(ctx, f);
    case '521': return audience(ctx, f);
    case '546': return langNote(ctx, f);
    case '580': return workNote(ctx, f);
    case '532':
      for (const a of sfAll(f, 'a')) {
        const node = ctx.g.node(ctx.work, BF + 'contentAccessibility', BF + 'ContentAccessibility');
        ctx.g.lit(node, RDFS + 'label', a);
        appliesTo(ctx, node, f);
      }
      return;
    case '510': return citation510(ctx, f);
    case '336': return rdaType(ctx, f, ctx.work, BF + 'content', BF + 'Content', 'contentTypes');
    case '008':
      return;
    default:
      if (tag >= '760' && tag <= '787') return linking(ctx, f, pos, true);
  }
}

const LANGUAGE_PARTS: { [code: string]: string } = { a: 'Resource', b: 'Summary or abstract', d: 'Sung or spoken text', e: 'Libretto', f: 'Table of contents', g: 'Accompanying material', h: 'Original', j: 'Subtitles or captions', k: 'Intermediate translations', m: 'Original accompanying materials', n: 'Original libretto' };

function lang041(ctx: Ctx, f: DataField): void {
  const parts: { [code: string]: string } = { a: 'text', b: 'summary', d: 'sung or spoken text', e: 'libretto', f: 'table of contents', g: 'accompanying material', h: 'original', j: 'subtitles or captions', k: 'intermediate translations', m: 'original accompanying materials', n: 'original libretto' };
  for (const s of f.subfields) {
    const part = parts[s.code];
    if (part === undefined) continue;
    for (let i = 0; i + 3 <= s.value.length; i += 3) {
      const code = s.value.substring(i, i + 3);
      if (f.ind2 !== ' ' && f.ind2 !== '7') {
        // Codes from an unnamed source: LC keeps them as literal values with the part named.
        const node = ctx.g.node(ctx.work, BF + 'language', BF + 'Language');
        ctx.g.lit(node, RDF + 'value', code);
        ctx.g.lit(node, BF + 'part', LANGUAGE_PARTS[s.code]);
      } else if (s.code === 'a' && f.ind2 !== '7') ctx.g.ref(ctx.work, BF + 'language', VOCAB + 'languages/' + code);
      else {
        const node = ctx.g.node(ctx.work, BF + 'language', BF + 'Language', VOCAB + 'languages/' + code);
        ctx.g.lit(node, BF + 'part', part);
      }
    }
  }
}

function classification(ctx: Ctx, f: DataField): void {
  const { g, work } = ctx;
  const cls = { '050': 'ClassificationLcc', '055': 'ClassificationLcc', '060': 'ClassificationNlm', '070': 'ClassificationNal', '080': 'ClassificationUdc', '082': 'ClassificationDdc', '084': 'Classification', '086': 'Classification' }[f.tag] ?? 'Classification';
  const as = sfAll(f, 'a');
  const b = sfv(f, 'b');
  if (f.tag === '082') {
    const node = g.node(work, BF + 'classification', BF + cls);
    for (const a of as) g.lit(node, BF + 'classificationPortion', a);
    if (b) g.lit(node, BF + 'itemPortion', b);
    const edition = sfv(f, '2');
    if (edition) g.lit(g.node(node, BF + 'source', BF + 'Source'), BF + 'code', edition);
    if (f.ind1 === '0') g.lit(node, BF + 'edition', 'full');
    else if (f.ind1 === '1') g.lit(node, BF + 'edition', 'abridged');
    if (f.ind2 === '0') g.ref(node, BF + 'assigner', orgUri('DLC'));
    return;
  }
  as.forEach((a, i) => {
    if (f.tag === '050' && !validLcc(a)) return;
    const node = g.node(work, BF + 'classification', BF + cls);
    g.lit(node, BF + 'classificationPortion', a);
    if (i === 0 && b) g.lit(node, BF + 'itemPortion', b);
    if (f.tag === '050' || f.tag === '060') {
      if (f.ind2 === '0') g.ref(node, BF + 'assigner', orgUri(f.tag === '050' ? 'DLC' : 'DNLM'));
      if (f.ind1 === '0') g.ref(node, BF + 'status', VOCAB + 'mstatus/uba');
      else if (f.ind1 === '1') g.ref(node, BF + 'status', VOCAB + 'mstatus/nuba');
    }
    const src = sfv(f, '2');
    if (src && f.tag !== '050' && f.tag !== '060') g.lit(g.node(node, BF + 'source', BF + 'Source'), BF + 'code', src);
  });
}

function validLcc(call: string): boolean {
  return /^[A-Z](?:[A-Z](?:[A-Z][0-9]|[0-9])|[0-9])/.test(call);
}

// ---------------------------------------------------------------- names

const NAME_CLASS: { [tagEnd: string]: string } = { '00': 'Person', '10': 'Organization', '11': 'Meeting', '20': 'Agent' };

function nameClass(f: DataField): string {
  const t = f.tag.substring(1);
  if (t === '00' && f.ind1 === '3') return 'Family';
  return NAME_CLASS[t] ?? 'Agent';
}

/** The subfields naming the agent: everything before $t, without the relator and control subfields. */
function nameSubfields(f: DataField): Subfield[] {
  const out: Subfield[] = [];
  const skip = f.tag.endsWith('11') ? 'j4012345678evxyz' : 'e4012345678vxyz';
  for (const s of f.subfields) {
    if (s.code === 't' || s.code === 'k') break;
    if (!skip.includes(s.code)) out.push(s);
  }
  return out;
}

function nameLabel(f: DataField): string {
  return chopPunct(nameSubfields(f).map((s) => s.value).join(' '));
}

function agent(ctx: Ctx, f: DataField, uri: string, keySubs?: Subfield[]): Subject {
  const { g } = ctx;
  const node = iri(uri);
  g.type(node, BF + 'Agent');
  g.type(node, BF + nameClass(f));
  g.lit(node, RDFS + 'label', nameLabel(f));
  g.lit(node, BFLC + 'marcKey', marcKey(f, keySubs));
  return node;
}

function contribution(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  if (f.tag >= '700' && sfv(f, 't') !== undefined) return relatedWork7xx(ctx, f, pos);
  const c = g.node(ctx.work, BF + 'contribution', BF + 'Contribution');
  const primary = f.tag.startsWith('1');
  if (primary) g.type(c, BF + 'PrimaryContribution');
  const a = agent(ctx, f, `${ctx.id}#Agent${f.tag}-${pos}`);
  g.add(c, BF + 'agent', a);
  roles(ctx, c, f, primary && ctx.leader.charAt(6) === 'a' ? 'aut' : 'ctb');
  for (const inst of sfAll(f, '5')) {
    const node = g.node(c, BFLC + 'applicableInstitution', BF + 'Agent', orgUri(inst));
    g.lit(node, BF + 'code', inst);
  }
}

function roles(ctx: Ctx, c: Subject, f: DataField, fallback: string): void {
  const { g } = ctx;
  const textCode = f.tag.endsWith('11') ? 'j' : 'e';
  let any = false;
  for (const s of f.subfields) {
    if (s.code === textCode) {
      for (const part of s.value.split(/,\s*|\s+and\s+/)) {
        const label = chopPunct(part);
        if (label === '') continue;
        g.lit(g.node(c, BF + 'role', BF + 'Role'), RDFS + 'label', label);
        any = true;
      }
    } else if (s.code === '4') {
      const code = s.value.trim();
      if (code.startsWith('http')) g.node(c, BF + 'role', BF + 'Role', code);
      else g.node(c, BF + 'role', BF + 'Role', VOCAB + 'relators/' + normalizeCode(code.substring(0, 3)));
      any = true;
    }
  }
  if (!any) g.node(c, BF + 'role', BF + 'Role', VOCAB + 'relators/' + fallback);
}

// ---------------------------------------------------------------- titles

function titleNode(ctx: Ctx, s: Subject, f: DataField, type: string, codesWanted: string): Subject | null {
  const { g } = ctx;
  const node = g.node(s, BF + 'title', BF + type);
  for (const sf of f.subfields) {
    if (!codesWanted.includes(sf.code)) continue;
    const v = chopPunct(sf.value);
    if (sf.code === 'a') g.lit(node, BF + 'mainTitle', v);
    else if (sf.code === 'b') g.lit(node, BF + 'subtitle', v);
    else if (sf.code === 'n') g.lit(node, BF + 'partNumber', v);
    else if (sf.code === 'p') g.lit(node, BF + 'partName', v);
    else if (sf.code === 'f' || sf.code === 'g') g.lit(node, BF + 'date', v);
  }
  return node;
}

function title245(ctx: Ctx, f: DataField, s: Subject, isWork: boolean): void {
  const node = titleNode(ctx, s, f, 'Title', isWork ? 'anp' : 'abnp');
  if (node === null) return;
  if (/^[1-9]$/.test(f.ind2)) ctx.g.lit(node, BFLC + 'nonSortNum', f.ind2);
}

function variantTitle(ctx: Ctx, f: DataField, s: Subject): void {
  const { g } = ctx;
  const node = g.node(s, BF + 'title', BF + 'VariantTitle');
  if (f.tag === '246') {
    const vt = codes.VARIANT_TYPES[f.ind2];
    if (vt) g.lit(node, BF + 'variantType', vt);
  } else g.lit(node, BF + 'variantType', 'former');
  for (const sf of f.subfields) {
    const v = chopPunct(sf.value);
    if (sf.code === 'a') g.lit(node, BF + 'mainTitle', v);
    else if (sf.code === 'b') g.lit(node, BF + 'subtitle', v);
    else if (sf.code === 'n') g.lit(node, BF + 'partNumber', v);
    else if (sf.code === 'p') g.lit(node, BF + 'partName', v);
    else if (sf.code === 'f') g.lit(node, BF + 'date', v);
    else if (sf.code === 'i') g.lit(g.node(node, BF + 'note', BF + 'Note'), RDFS + 'label', chopPunct(sf.value, { end: ':' }));
  }
}

function uniformTitle(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const hubUri = `${ctx.id}#Hub${f.tag}-${pos}`;
  const hub = iri(hubUri);
  g.add(ctx.work, BF + 'expressionOf', hub);
  g.type(hub, BF + 'Hub');
  const main = ctx.record.getDataFields('100', '110', '111')[0];
  let key = marcKey(f);
  if (f.tag === '240' && main) {
    const c = g.node(hub, BF + 'contribution', BF + 'Contribution');
    g.type(c, BF + 'PrimaryContribution');
    g.add(c, BF + 'agent', agent(ctx, main, hubUri + '-Agent'));
    roles(ctx, c, main, ctx.leader.charAt(6) === 'a' ? 'aut' : 'ctb');
    key = marcKey(main, main.subfields.filter((s) => !'e4'.includes(s.code))) + f.subfields.filter((s) => !'0126'.includes(s.code)).map((s) => '$' + (s.code === 'a' ? 't' : s.code) + s.value).join('');
  }
  const t = g.node(hub, BF + 'title', BF + 'Title');
  for (const sf of f.subfields) {
    const v = chopPunct(sf.value);
    if (sf.code === 'a') g.lit(t, BF + 'mainTitle', v);
    else if (sf.code === 'n') g.lit(t, BF + 'partNumber', v);
    else if (sf.code === 'p') g.lit(t, BF + 'partName', v);
  }
  for (const l of sfAll(f, 'l')) g.ref(hub, BF + 'language', VOCAB + 'languages/' + chopPunct(l));
  g.lit(hub, BFLC + 'marcKey', key);
}

// ---------------------------------------------------------------- subjects

function sourceFor(ctx: Ctx, node: Subject, f: DataField, genre: boolean, mads: boolean): void {
  const { g } = ctx;
  const scheme = codes.SUBJECT_SCHEMES[f.ind2];
  if (scheme && !(genre && f.ind2 !== '0')) {
    if (mads && scheme[1]) g.ref(node, MADS + 'isMemberOfMADSScheme', scheme[0]);
    g.ref(node, BF + 'source', scheme[0]);
  } else if (f.ind2 === '7') {
    const code = sfv(f, '2');
    if (code) {
      const src = g.node(node, BF + 'source', BF + 'Source', VOCAB + (genre ? 'genreFormSchemes/' : 'subjectSchemes/') + normalizeCode(code));
      g.lit(src, BF + 'code', code);
    }
  }
}

function subject(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const tag = f.tag;
  const subdivisions = f.subfields.filter((s) => 'vxyz'.includes(s.code));
  const complex = subdivisions.length > 0;
  const isName = tag === '600' || tag === '610' || tag === '611';
  if (isName && sfv(f, 't') !== undefined) return;
  if (tag === '630') return;
  const genre = tag === '655';
  if (isName) {
    const agentUri = `${ctx.id}#Agent${tag}-${pos}`;
    const keySubs = f.subfields.filter((s) => !'vxyz'.includes(s.code) && s.code !== '2');
    if (!complex) {
      const a = agent(ctx, f, agentUri, keySubs);
      g.add(ctx.work, BF + 'subject', a);
      sourceFor(ctx, a, f, false, false);
      return;
    }
    const topic = iri(`${ctx.id}#Topic${tag}-${pos}`);
    g.add(ctx.work, BF + 'subject', topic);
    g.type(topic, BF + 'Topic');
    g.type(topic, MADS + 'ComplexSubject');
    g.lit(topic, MADS + 'authoritativeLabel', [nameLabel(f), ...subdivisions.map((s) => s.value)].join('--'));
    sourceFor(ctx, topic, f, false, true);
    const a = agent(ctx, f, agentUri, keySubs);
    sourceFor(ctx, a, f, false, false);
    const items: Subject[] = [a];
    for (const s of subdivisions) items.push(component(ctx, codes.SUBDIVISION[s.code] as string, chopPunct(s.value)));
    g.add(topic, MADS + 'componentList', list(ctx, items));
    return;
  }
  const main = { '648': 'Temporal', '650': 'Topic', '651': 'Geographic', '655': 'GenreForm' }[tag] as string;
  const entity = { '648': 'Temporal', '650': 'Topic', '651': 'Place', '655': 'GenreForm' }[tag] as string;
  const bfClass = { '648': 'Temporal', '650': 'Topic', '651': 'Place', '655': 'GenreForm' }[tag] as string;
  const heads = f.subfields.filter((s) => 'abcd'.includes(s.code));
  const headLabel = heads.map((s) => s.value).join(' ');
  const node = iri(`${ctx.id}#${entity}${tag}-${pos}`);
  const parts = [chopPunct(headLabel), ...subdivisions.map((s) => chopPunct(s.value))];
  const label = parts.join('--');
  if (!complex) {
    g.add(ctx.work, genre ? BF + 'genreForm' : BF + 'subject', node);
    g.type(node, BF + bfClass);
    g.type(node, MADS + main);
  } else {
    g.add(ctx.work, BF + 'subject', node);
    g.type(node, BF + 'Topic');
    g.type(node, MADS + 'ComplexSubject');
  }
  g.lit(node, RDFS + 'label', label);
  g.lit(node, MADS + 'authoritativeLabel', label);
  if (complex) {
    const items: Subject[] = [component(ctx, main, parts[0] as string)];
    subdivisions.forEach((s, i) => items.push(component(ctx, codes.SUBDIVISION[s.code] as string, parts[i + 1] as string)));
    g.add(node, MADS + 'componentList', list(ctx, items));
  }
  sourceFor(ctx, node, f, genre, true);
}

function component(ctx: Ctx, madsClass: string, label: string): Subject {
  const node = ctx.g.blank(MADS + madsClass);
  ctx.g.lit(node, MADS + 'authoritativeLabel', label);
  return node;
}

function list(ctx: Ctx, items: Subject[]): Subject {
  const { g } = ctx;
  const nil = iri(RDF + 'nil');
  let rest: Subject = nil;
  for (let i = items.length - 1; i >= 0; i--) {
    const cell = g.blank();
    g.add(cell, RDF + 'first', items[i] as Subject);
    g.add(cell, RDF + 'rest', rest);
    rest = cell;
  }
  return rest;
}

function keywords(ctx: Ctx, f: DataField): void {
  for (const a of sfAll(f, 'a')) {
    const node = ctx.g.node(ctx.work, BF + 'subject', BF + 'Topic');
    ctx.g.lit(node, RDFS + 'label', a);
  }
}

// ---------------------------------------------------------------- series, links

function series490(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  const titles = sfAll(f, 'a');
  if (titles.length === 0) return;
  const rel = g.node(ctx.work, BF + 'relation', BF + 'Relation');
  g.lit(g.node(rel, BF + 'relationship', BF + 'Relationship', VOCAB + 'relationship/series'), RDFS + 'label', 'series');
  const series = g.node(rel, BF + 'associatedResource', BF + 'Series');
  g.type(series, BFLC + 'Uncontrolled');
  status(g, series, 't');
  if (f.ind1 === '1') status(g, series, 'tr');
  const t = g.node(series, BF + 'title', BF + 'Title');
  g.lit(t, BF + 'mainTitle', chopPunct(titles.join(' ')));
  const x = sfv(f, 'x');
  if (x) {
    const issn = g.node(series, BF + 'identifiedBy', BF + 'Issn');
    g.lit(issn, RDF + 'value', chopPunct(x));
  }
  const v = sfv(f, 'v');
  if (v) g.lit(rel, BF + 'seriesEnumeration', chopPunct(v));
}

function series8xx(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const rel = g.node(ctx.work, BF + 'relation', BF + 'Relation');
  g.lit(g.node(rel, BF + 'relationship', BF + 'Relationship', VOCAB + 'relationship/series'), RDFS + 'label', 'series');
  const hub = iri(`${ctx.id}#Hub${f.tag}-${pos}`);
  g.add(rel, BF + 'associatedResource', hub);
  g.type(hub, BF + 'Hub');
  g.type(hub, BF + 'Series');
  if (f.tag !== '830') {
    const c = g.node(hub, BF + 'contribution', BF + 'Contribution');
    g.type(c, BF + 'PrimaryContribution');
    g.add(c, BF + 'agent', agent(ctx, f, `${ctx.id}#Agent${f.tag}-${pos}`));
  }
  const t = g.node(hub, BF + 'title', BF + 'Title');
  const titleCode = f.tag === '830' ? 'a' : 't';
  for (const sf of f.subfields) {
    if (sf.code === titleCode) g.lit(t, BF + 'mainTitle', chopPunct(sf.value));
    else if (sf.code === 'n') g.lit(t, BF + 'partNumber', chopPunct(sf.value));
    else if (sf.code === 'p') g.lit(t, BF + 'partName', chopPunct(sf.value));
  }
  g.lit(hub, BFLC + 'marcKey', marcKey(f, f.subfields.filter((s) => !'vx5'.includes(s.code))));
  const v = sfv(f, 'v');
  if (v) g.lit(rel, BF + 'seriesEnumeration', v);
}

const LINK_RELATIONS: { [tag: string]: string } = {
  '760': 'series', '762': 'subseries', '765': 'translationof', '767': 'translatedas', '770': 'supplement', '772': 'supplementto',
  '773': 'partof', '774': 'part', '775': 'otheredition', '776': 'otherphysicalformat', '777': 'issuedwith', '786': 'datasource', '787': 'relatedwork',
};
const PRECEDING = ['continuationof', 'continuationinpartof', 'replacementof', 'partialreplacementof', 'mergerof', 'absorptionof', 'partialabsorptionof', 'separatedfrom'];
const SUCCEEDING = ['continuedby', 'continuedinpartby', 'replacedby', 'partiallyreplacedby', 'absorbedby', 'partiallyabsorbedby', 'splitinto', 'mergedinto', 'changedbackto'];

/**
 * 760-787: a related Work (`#Work7XX-n`) with its Instance (`#Instance7XX-n`), as LC makes
 * them; without $t/$s both take the record's own 245 title.
 */
function linking(ctx: Ctx, f: DataField, pos: number, _work: boolean): void {
  const { g } = ctx;
  const rel = f.tag === '780' ? PRECEDING[Number(f.ind2)] : f.tag === '785' ? SUCCEEDING[Number(f.ind2)] : LINK_RELATIONS[f.tag];
  if (f.tag !== '780' && f.tag !== '785' && !rel) return;
  const relation = g.node(ctx.work, BF + 'relation', BF + 'Relation');
  if (rel) g.ref(relation, BF + 'relationship', VOCAB + 'relationship/' + rel);
  const target = iri(`${ctx.id}#Work${f.tag}-${pos}`);
  const instance = iri(`${ctx.id}#Instance${f.tag}-${pos}`);
  g.add(relation, BF + 'associatedResource', target);
  g.type(target, BF + 'Work');
  let title = sfv(f, 't') ?? sfv(f, 's');
  if (title === undefined) {
    const t245 = ctx.record.getDataField('245');
    if (t245) title = sfAll(t245, 'ab').join(' ');
  }
  if (title) g.lit(g.node(target, BF + 'title', BF + 'Title'), BF + 'mainTitle', chopPunct(title));
  const a = sfv(f, 'a');
  if (a) {
    const c = g.node(target, BF + 'contribution', BF + 'Contribution');
    g.type(c, BF + 'PrimaryContribution');
    const ag = g.node(c, BF + 'agent', BF + 'Agent');
    g.lit(ag, RDFS + 'label', chopPunct(a));
  }
  const i = sfv(f, 'i');
  if (i) g.lit(relation, RDFS + 'label', chopPunct(i));
  for (const x of sfAll(f, 'x')) g.lit(g.node(target, BF + 'identifiedBy', BF + 'Issn'), RDF + 'value', chopPunct(x));
  g.add(target, BF + 'hasInstance', instance);
  g.type(instance, BF + 'Instance');
  if (title) g.lit(g.node(instance, BF + 'title', BF + 'Title'), BF + 'mainTitle', chopPunct(title));
  for (const z of sfAll(f, 'z')) g.lit(g.node(instance, BF + 'identifiedBy', BF + 'Isbn'), RDF + 'value', chopPunct(z));
  for (const w of sfAll(f, 'w')) {
    const m = /^\(([^)]*)\)\s*(.*)$/.exec(w);
    const org = m?.[1];
    const node = g.node(instance, BF + 'identifiedBy', org === 'DLC' ? BF + 'Lccn' : BF + 'Identifier');
    g.lit(node, RDF + 'value', m ? (m[2] as string) : w);
    if (org !== undefined) g.lit(g.node(node, BF + 'assigner', BF + 'Agent', org === 'DLC' ? orgUri(org) : undefined), BF + 'code', org);
  }
  g.ref(instance, BF + 'instanceOf', target.value);
}

function relatedWork7xx(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const hub = iri(`${ctx.id}#Hub${f.tag}-${pos}`);
  const rel = g.node(ctx.work, BF + 'relation', BF + 'Relation');
  g.add(rel, BF + 'associatedResource', hub);
  g.type(hub, BF + 'Hub');
  const i = sfv(f, 'i');
  if (i) g.lit(g.node(rel, BF + 'relationship', BF + 'Relationship'), RDFS + 'label', chopPunct(i));
  const c = g.node(hub, BF + 'contribution', BF + 'Contribution');
  g.type(c, BF + 'PrimaryContribution');
  g.add(c, BF + 'agent', agent(ctx, f, `${ctx.id}#Agent${f.tag}-${pos}`, nameSubfields(f)));
  const t = g.node(hub, BF + 'title', BF + 'Title');
  let after = false;
  for (const sf of f.subfields) {
    if (sf.code === 't') after = true;
    if (!after) continue;
    if (sf.code === 't') g.lit(t, BF + 'mainTitle', chopPunct(sf.value));
    else if (sf.code === 'n') g.lit(t, BF + 'partNumber', chopPunct(sf.value));
    else if (sf.code === 'p') g.lit(t, BF + 'partName', chopPunct(sf.value));
  }
  g.lit(hub, BFLC + 'marcKey', marcKey(f, f.subfields.filter((s) => !'i5'.includes(s.code))));
}

// ---------------------------------------------------------------- notes (Work)

function noteResource(ctx: Ctx, s: Subject, f: DataField, prop: string, cls: string, code: string): void {
  const text = sfAll(f, code).join(' ');
  if (text === '') return;
  ctx.g.lit(ctx.g.node(s, prop, cls), RDFS + 'label', text);
}

function contentsNote(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  const text = f.subfields.filter((s) => 'agrtu'.includes(s.code)).map((s) => s.value).join(' ');
  if (text === '') return;
  const node = g.node(ctx.work, BF + 'tableOfContents', BF + 'TableOfContents');
  g.lit(node, RDFS + 'label', text);
}

function summary(ctx: Ctx, f: DataField): void {
  const text = sfAll(f, 'ab').join(' ');
  if (text === '') return;
  ctx.g.lit(ctx.g.node(ctx.work, BF + 'summary', BF + 'Summary'), RDFS + 'label', text);
}

function audience(ctx: Ctx, f: DataField): void {
  for (const a of sfAll(f, 'a')) ctx.g.lit(ctx.g.node(ctx.work, BF + 'intendedAudience', BF + 'IntendedAudience'), RDFS + 'label', a);
}

function langNote(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  for (const a of sfAll(f, 'a')) {
    const node = g.node(ctx.work, BF + 'note', BF + 'Note');
    g.ref(node, RDF + 'type', VOCAB + 'mnotetype/lang');
    g.lit(node, RDFS + 'label', chopPunct(a, { end: ':;,/=' }));
    appliesTo(ctx, node, f);
  }
  for (const b of sfAll(f, 'b')) {
    const node = g.node(ctx.work, BF + 'notation', BF + 'Notation');
    g.lit(node, RDFS + 'label', chopPunct(b));
    appliesTo(ctx, node, f);
  }
}

function rdaType(ctx: Ctx, f: DataField, s: Subject, prop: string, cls: string, vocab: string): void {
  const { g } = ctx;
  const as = sfAll(f, 'a');
  const bs = sfAll(f, 'b');
  const n = Math.max(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    const b = bs[i];
    const node = g.node(s, prop, cls, b ? VOCAB + vocab + '/' + b : undefined);
    g.lit(node, RDFS + 'label', as[i]);
    if (!b && bs.length === 0) {
      const code = sfv(f, '2');
      if (code) g.lit(g.node(node, BF + 'source', BF + 'Source'), BF + 'code', code);
    }
  }
}

// ---------------------------------------------------------------- Instance

function instanceField(ctx: Ctx, f: DataField, pos: number): void {
  const { g, instance } = ctx;
  switch (f.tag) {
    case '010': {
      const a = sfv(f, 'a');
      if (a) g.lit(g.node(instance, BF + 'identifiedBy', BF + 'Lccn'), RDF + 'value', a);
      for (const z of sfAll(f, 'z')) {
        const node = g.node(instance, BF + 'identifiedBy', BF + 'Lccn');
        g.lit(node, RDF + 'value', z);
        status(g, node, 'cancinv');
      }
      return;
    }
    case '020': case '022': case '024': case '027': case '028': case '030': case '088':
      return identifier(ctx, f);
    case '035': {
      for (const a of sfAll(f, 'a')) {
        const m = /^\(([^)]*)\)\s*(.*)$/.exec(a);
        const oclc = m?.[1] === 'OCoLC';
        const node = g.node(instance, BF + 'identifiedBy', oclc ? BF + 'OclcNumber' : BF + 'Local');
        g.lit(node, RDF + 'value', m ? (m[2] as string) : a);
        if (m && !oclc) {
          const src = g.node(node, BF + 'assigner', BF + 'Agent', orgUri(m[1] as string));
          g.lit(src, BF + 'code', m[1]);
        }
      }
      return;
    }
    case '245': {
      title245(ctx, f, instance, false);
      const c = sfv(f, 'c');
      if (c) g.lit(instance, BF + 'responsibilityStatement', chopPunct(c));
      return;
    }
    case '250': {
      const text = f.subfields.filter((s) => 'ab'.includes(s.code)).map((s) => s.value).join(' ');
      if (text) g.lit(instance, BF + 'editionStatement', chopPunct(text));
      return;
    }
    case '300': return extent(ctx, f);
    case '337': return rdaType(ctx, f, instance, BF + 'media', BF + 'Media', 'mediaTypes');
    case '338': return rdaType(ctx, f, instance, BF + 'carrier', BF + 'Carrier', 'carriers');
    case '500': case '501': case '513': case '515': case '516': case '530': case '533': case '534': case '536': case '544': case '545': case '547': case '550': case '555': case '556': case '581': case '585': case '588': return note(ctx, f);
    case '525': for (const a of sfAll(f, 'a')) ctx.g.lit(ctx.g.node(ctx.work, BF + 'supplementaryContent', BF + 'SupplementaryContent'), RDFS + 'label', a); return;
    case '538': {
      const node = g.node(instance, BF + 'systemRequirement', BF + 'SystemRequirement');
      for (const a of sfAll(f, 'a')) g.lit(node, RDFS + 'label', a);
      subfieldsU35(ctx, node, f);
      return;
    }
    case '510': return refCitation(ctx, f);
    case '583': return actionNote(ctx, f);
    case '502': {
      const text = sfAll(f, 'abcdg').join(' ');
      if (text) g.lit(g.node(ctx.work, BF + 'dissertation', BF + 'Dissertation'), RDFS + 'label', text);
      return;
    }
    case '506': case '540': {
      const text = normalizeSpace(sfAll(f, f.tag === '506' ? 'abcdefgq' : 'acfgq').join(' '));
      const node = g.node(instance, BF + 'usageAndAccessPolicy', BF + (f.tag === '506' ? 'AccessPolicy' : 'UsePolicy'));
      g.lit(node, RDFS + 'label', text);
      if (f.tag === '540') for (const d of sfAll(f, 'd')) g.lit(g.node(node, BF + 'note', BF + 'Note'), RDFS + 'label', 'Authorized users: ' + chopPunct(d));
      subfieldsU35(ctx, node, f);
      return;
    }
    case '561': {
      const text = sfAll(f, 'a').join(' ');
      if (text) g.lit(instance, BF + 'custodialHistory', text);
      return;
    }
    case '504': {
      const node = g.node(instance, BF + 'note', BF + 'Note');
      g.ref(node, RDF + 'type', VOCAB + 'mnotetype/biblio');
      for (const a of sfAll(f, 'a')) g.lit(node, RDFS + 'label', a);
      for (const b of sfAll(f, 'b')) g.lit(node, BF + 'count', chopPunct(b));
      return;
    }
    case '563':
      for (const a of sfAll(f, 'a')) {
        const node = g.node(instance, BF + 'note', BF + 'Note');
        g.ref(node, RDF + 'type', VOCAB + 'mnotetype/binding');
        g.lit(node, RDFS + 'label', a);
        appliesTo(ctx, node, f);
      }
      return;
    case '541': {
      const item = itemOf(ctx);
      const node = g.node(item, BF + 'immediateAcquisition', BF + 'ImmediateAcquisition');
      g.lit(node, RDFS + 'label', normalizeSpace(sfAll(f, 'abcdefhno').join(' ')));
      appliesTo(ctx, node, f);
      institutions(ctx, node, f);
      return;
    }
    case '856': return electronic856(ctx, f, pos);
    default:
  }
}

function identifier(ctx: Ctx, f: DataField): void {
  const { g, instance } = ctx;
  const cls = f.tag === '020' ? 'Isbn' : f.tag === '022' ? 'Issn' : f.tag === '027' ? 'Strn' : f.tag === '028' ? 'MusicPublisherNumber' : f.tag === '030' ? 'Coden' : f.tag === '088' ? 'ReportNumber'
    : ({ '0': 'Isrc', '1': 'Upc', '2': 'Ismn', '3': 'Ean', '4': 'Sici', '7': 'Identifier', '8': 'Identifier' }[f.ind1] ?? 'Identifier');
  const q = sfAll(f, 'q').map((v) => chopPunct(v, { chopParens: true }));
  for (const s of f.subfields) {
    if (s.code !== 'a' && s.code !== 'z' && s.code !== 'y') continue;
    const node = g.node(instance, BF + 'identifiedBy', BF + cls);
    let value = s.value;
    const quals = [...q];
    if (f.tag === '020' || f.tag === '024') {
      const m = /^\s*(\S+)\s*(.*)$/.exec(value);
      if (m) {
        value = m[1] as string;
        const rest = (m[2] as string).trim();
        if (rest) quals.push(chopPunct(rest, { chopParens: true }));
      }
    }
    g.lit(node, RDF + 'value', value);
    for (const qual of quals) g.lit(node, BF + 'qualifier', qual);
    if (s.code === 'z') status(g, node, 'cancinv');
    else if (s.code === 'y') status(g, node, 'incorrect');
  }
}

function extent(ctx: Ctx, f: DataField): void {
  const { g, instance } = ctx;
  const as = f.subfields.filter((s) => 'af'.includes(s.code)).map((s) => s.value);
  if (as.length > 0) {
    const node = g.node(instance, BF + 'extent', BF + 'Extent');
    g.lit(node, RDFS + 'label', chopPunct(as.join(' '), { end: ':;,/+' }));
    const b = sfv(f, 'b');
    if (b) {
      const n = g.node(node, BF + 'note', BF + 'Note');
      g.ref(n, RDF + 'type', VOCAB + 'mnotetype/physical');
      g.lit(n, RDFS + 'label', chopPunct(b));
    }
    const e = sfv(f, 'e');
    if (e) {
      const n = g.node(node, BF + 'note', BF + 'Note');
      g.ref(n, RDF + 'type', VOCAB + 'mnotetype/accmat');
      g.lit(n, RDFS + 'label', chopPunct(e));
    }
  }
  for (const c of sfAll(f, 'c')) g.lit(instance, BF + 'dimensions', chopPunct(c));
}

const NOTE_TYPES: { [tag: string]: string } = {
  '501': 'with', '513': 'report', '515': 'issuance', '516': 'computer', '530': 'addphys', '533': 'repro', '534': 'orig',
  '536': 'fundinfo', '544': 'related', '581': 'related', '550': 'issuing', '585': 'exhibit', '588': 'descsource',
};
const NOTE_LABEL_CODES: { [tag: string]: string } = { '513': 'ab', '545': 'ab', '530': 'abc', '533': 'abcdefn', '534': 'abcefkmnt', '544': 'abcden', '555': 'abcd' };
const FUNDING_PREFIX: { [code: string]: string } = { b: 'Contract: ', c: 'Grant: ', e: 'Program element: ', f: 'Project: ', g: 'Task: ', h: 'Work unit: ' };

/** LC's instanceNote5XX: one Note per field, typed by tag, with $u, $3 and $5 attached. */
function note(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  const tag = f.tag;
  let label: string;
  if (tag === '588') label = (f.ind1 === '0' ? 'Description based on:' : f.ind1 === '1' ? 'Latest issue consulted:' : '') + ' ' + (sfv(f, 'a') ?? '');
  else label = sfAll(f, NOTE_LABEL_CODES[tag] ?? 'a').join(' ');
  label = normalizeSpace(label);
  let type = NOTE_TYPES[tag];
  if (tag === '545') type = f.ind1 === '0' ? 'biogdata' : f.ind1 === '1' ? 'adminhist' : undefined;
  else if (tag === '555') type = f.ind1 === ' ' ? 'index' : f.ind1 === '0' ? 'finding' : undefined;
  const node = g.node(ctx.instance, BF + 'note', BF + 'Note');
  g.lit(node, RDFS + 'label', label);
  if (type) g.ref(node, RDF + 'type', VOCAB + 'mnotetype/' + type);
  if (tag === '530') for (const d of sfAll(f, 'd')) g.lit(g.node(node, BF + 'identifiedBy', BF + 'StockNumber'), RDF + 'value', chopPunct(d));
  else if (tag === '533') for (const m of sfAll(f, 'm')) g.lit(g.node(node, BFLC + 'appliesTo', BFLC + 'AppliesTo'), RDFS + 'label', chopPunct(m));
  else if (tag === '534') {
    for (const p of sfAll(f, 'p')) g.lit(g.node(node, BFLC + 'appliesTo', BFLC + 'AppliesTo'), RDFS + 'label', chopPunct(p));
    for (const s of f.subfields) if (s.code === 'x' || s.code === 'z') g.lit(g.node(node, BF + 'identifiedBy', BF + (s.code === 'x' ? 'Issn' : 'Isbn')), RDF + 'value', chopPunct(s.value));
  } else if (tag === '536') {
    for (const s of f.subfields) if ('bcdefgh'.includes(s.code)) g.lit(node, RDFS + 'label', chopPunct((FUNDING_PREFIX[s.code] ?? '') + s.value));
  } else if (tag === '581') for (const z of sfAll(f, 'z')) g.lit(g.node(node, BF + 'identifiedBy', BF + 'Isbn'), RDF + 'value', chopPunct(z));
  subfieldsU35(ctx, node, f);
}

/** $u as electronicLocator, $3 as appliesTo, $5 as applicableInstitution, as LC attaches them. */
function subfieldsU35(ctx: Ctx, node: Subject, f: DataField): void {
  for (const u of sfAll(f, 'u')) ctx.g.ref(node, BF + 'electronicLocator', u);
  appliesTo(ctx, node, f);
  institutions(ctx, node, f);
}

function appliesTo(ctx: Ctx, node: Subject, f: DataField): void {
  for (const m of sfAll(f, '3')) ctx.g.lit(ctx.g.node(node, BFLC + 'appliesTo', BFLC + 'AppliesTo'), RDFS + 'label', chopPunct(m));
}

function institutions(ctx: Ctx, node: Subject, f: DataField): void {
  for (const inst of sfAll(f, '5')) ctx.g.lit(ctx.g.node(node, BFLC + 'applicableInstitution', BF + 'Agent', orgUri(inst)), BF + 'code', inst);
}

function workNote(ctx: Ctx, f: DataField): void {
  const node = ctx.g.node(ctx.work, BF + 'note', BF + 'Note');
  for (const a of sfAll(f, 'a')) ctx.g.lit(node, RDFS + 'label', a);
}

/** 510 with ind1 0-2 names an indexing service: a related Work "indexed in". */
function citation510(ctx: Ctx, f: DataField): void {
  if (f.ind1 !== '0' && f.ind1 !== '1' && f.ind1 !== '2') return;
  const { g } = ctx;
  const rel = g.node(ctx.work, BF + 'relation', BF + 'Relation');
  g.ref(rel, BF + 'relationship', VOCAB + 'relationship/indexedin');
  const w = g.node(rel, BF + 'associatedResource', BF + 'Work');
  const a = sfv(f, 'a');
  if (a) g.lit(g.node(w, BF + 'title', BF + 'Title'), BF + 'mainTitle', chopPunct(a));
  for (const b of sfAll(f, 'b')) {
    const n = g.node(w, BF + 'note', BF + 'Note');
    g.ref(n, RDF + 'type', VOCAB + 'mnotetype/coverage');
    g.lit(n, RDFS + 'label', chopPunct(b));
  }
  for (const x of sfAll(f, 'x')) g.lit(g.node(w, BF + 'identifiedBy', BF + 'Issn'), RDF + 'value', chopPunct(x));
}

/** 510 with ind1 3 or 4 is a reference citation: an Instance note with the location. */
function refCitation(ctx: Ctx, f: DataField): void {
  if (f.ind1 !== '3' && f.ind1 !== '4') return;
  const { g } = ctx;
  const node = g.node(ctx.instance, BF + 'note', BF + 'Note');
  g.ref(node, RDF + 'type', VOCAB + 'mnotetype/refcitation');
  for (const a of sfAll(f, 'a')) g.lit(node, RDFS + 'label', a);
  for (const c of sfAll(f, 'c')) g.lit(node, BFLC + 'citation', c);
  for (const u of sfAll(f, 'u')) g.ref(node, BF + 'electronicLocator', u);
  appliesTo(ctx, node, f);
}

function actionNote(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  const node = g.node(ctx.instance, BF + 'note', BF + 'Note');
  g.ref(node, RDF + 'type', VOCAB + 'mnotetype/action');
  for (const a of sfAll(f, 'a')) g.lit(node, RDFS + 'label', a);
  for (const c of sfAll(f, 'c')) g.lit(node, BF + 'date', chopPunct(c));
  for (const h of sfAll(f, 'h')) g.lit(node, RDFS + 'label', h);
  for (const k of sfAll(f, 'k')) g.lit(g.node(node, BF + 'agent', BF + 'Agent'), RDFS + 'label', chopPunct(k));
  for (const l of sfAll(f, 'l')) g.lit(g.node(node, BF + 'status', BF + 'Status'), RDFS + 'label', chopPunct(l));
  for (const z of sfAll(f, 'z')) g.lit(g.node(node, BF + 'note', BF + 'Note'), RDFS + 'label', chopPunct(z));
  for (const u of sfAll(f, 'u')) g.ref(node, BF + 'electronicLocator', u);
  const src = sfv(f, '2');
  if (src) g.lit(g.node(node, BF + 'source', BF + 'Source'), BF + 'code', src);
  appliesTo(ctx, node, f);
}

/** The record's one Item (LC's `#Item`), made on first use; LC marks it held by DLC. */
function itemOf(ctx: Ctx): Subject {
  if (ctx.item) return ctx.item;
  const item = iri(ctx.id + '#Item');
  ctx.item = item;
  ctx.g.ref(ctx.instance, BF + 'hasItem', item.value);
  ctx.g.type(item, BF + 'Item');
  ctx.g.ref(item, BF + 'heldBy', orgUri('DLC'));
  ctx.g.ref(item, BF + 'itemOf', ctx.instance.value);
  return item;
}

/**
 * 856 as LC shapes it: ind2 2 is supplementary content of the Instance; ind2 blank/0/1/8 is a
 * separate electronic Instance (`#Instance856-n`) unless the record itself describes an
 * electronic resource, in which case it is an Item (`#Item856-n`) of the Instance.
 */
function electronic856(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const us = sfAll(f, 'u');
  if (us.length === 0) return;
  const s3 = normalizeSpace(sfv(f, '3') ?? '').toLowerCase();
  const notes = (node: Subject, codes: string) => { for (const s of f.subfields) if (codes.includes(s.code)) g.lit(g.node(node, BF + 'note', BF + 'Note'), RDFS + 'label', s.value); };
  if (f.ind2 === '2') {
    if (s3 === 'table of contents') return;
    for (const u of us) {
      const node = g.node(ctx.instance, BF + 'supplementaryContent', BF + 'SupplementaryContent');
      g.ref(node, BF + 'electronicLocator', u);
      notes(node, 'zy3');
    }
    return;
  }
  if (!' 018'.includes(f.ind2)) {
    for (const u of us) g.ref(ctx.instance, BF + 'electronicLocator', u);
    return;
  }
  const f23 = ctx.f008.charAt(23);
  if (ctx.leader.charAt(6) === 'm' || f23 === 'o' || f23 === 's') {
    const item = iri(`${ctx.id}#Item${f.tag}-${pos}`);
    g.add(ctx.instance, BF + 'hasItem', item);
    g.type(item, BF + 'Item');
    for (const u of us) g.ref(item, BF + 'electronicLocator', u);
    notes(item, 'zy3');
    g.ref(item, BF + 'itemOf', ctx.instance.value);
    return;
  }
  const inst = iri(`${ctx.id}#Instance${f.tag}-${pos}`);
  g.add(ctx.work, BF + 'hasInstance', inst);
  g.type(inst, BF + 'Instance');
  g.type(inst, BF + 'Electronic');
  const m3 = sfv(f, '3');
  if (m3 !== undefined) g.lit(g.node(inst, BF + 'title', BF + 'Title'), BF + 'mainTitle', chopPunct(m3));
  else {
    const t245 = ctx.record.getDataField('245');
    if (t245) title245(ctx, t245, inst, false);
  }
  for (const u of us) g.ref(inst, BF + 'electronicLocator', u);
  notes(inst, 'zy');
  g.ref(inst, BF + 'instanceOf', ctx.work.value);
}

function defaultsInstance(ctx: Ctx): void {
  const { g, instance, leader } = ctx;
  // LC states a media type without 337 only for printed books (008/23 regular print) and, from
  // the 007, for other carriers.
  const f23 = ctx.f008.length > 23 ? ctx.f008.charAt(23) : '';
  const book = leader.charAt(6) === 'a' && !'bis'.includes(leader.charAt(7)) && (f23 === ' ' || f23 === 'r');
  if (!ctx.record.get('337') && (book || ctx.record.get('007'))) {
    const t = leader.charAt(6);
    const media = t === 'm' ? 'c' : t === 'i' || t === 'j' ? 's' : t === 'g' ? 'v' : 'n';
    g.lit(g.node(instance, BF + 'media', BF + 'Media', VOCAB + 'mediaTypes/' + media), RDFS + 'label', codes.MEDIA_LABELS[media]);
  }
}

// ---------------------------------------------------------------- provision activity

const PA_CLASS: { [ind2: string]: string } = { '0': 'Production', '1': 'Publication', '2': 'Distribution', '3': 'Manufacture' };

function provision(ctx: Ctx): void {
  const { g, instance, f008 } = ctx;
  const pas = ctx.fields.filter((f) => f.field !== null && (f.tag === '260' || f.tag === '264' || f.tag === '261' || f.tag === '262'));
  let merged = false;
  const date008 = edtf008(f008);
  const place008 = f008.substring(15, 18).replace(/[ |#]+$/, '');
  for (const { field } of pas) {
    const f = field as DataField;
    if (f.tag === '264' && f.ind2 === '4') {
      for (const c of sfAll(f, 'c')) g.lit(instance, BF + 'copyrightDate', chopPunct(c));
      continue;
    }
    const cls = f.tag === '264' ? (PA_CLASS[f.ind2] ?? 'Publication') : 'Publication';
    const pieces = bracketed(f);
    const simple = (pa: Subject) => {
      for (const { code, value } of pieces) {
        if (code === 'a') g.lit(pa, BFLC + 'simplePlace', chopPunct(value));
        else if (code === 'b') g.lit(pa, BFLC + 'simpleAgent', chopPunct(value));
        else if (code === 'c') g.lit(pa, BFLC + 'simpleDate', chopPunct(value));
      }
    };
    const pa = g.node(instance, BF + 'provisionActivity', BF + 'ProvisionActivity');
    g.type(pa, BF + cls);
    simple(pa);
    for (const statement of statementsOf(pieces)) g.lit(instance, cls === 'Publication' ? BF + 'publicationStatement' : BF + 'provisionActivityStatement', statement);
    if (!merged && cls === 'Publication' && (date008 || place008)) {
      merged = true;
      const pa2 = g.node(instance, BF + 'provisionActivity', BF + 'ProvisionActivity');
      g.type(pa2, BF + cls);
      if (date008) g.lit(pa2, BF + 'date', date008, EDTF);
      if (/^[a-z]{2,3}$/.test(place008)) g.ref(pa2, BF + 'place', VOCAB + 'countries/' + place008);
      simple(pa2);
    }
  }
  if (!merged && (date008 || place008) && f008.length >= 18) {
    const pa = g.node(instance, BF + 'provisionActivity', BF + 'ProvisionActivity');
    g.type(pa, BF + 'Publication');
    if (date008) g.lit(pa, BF + 'date', date008, EDTF);
    if (/^[a-z]{2,3}$/.test(place008)) g.ref(pa, BF + 'place', VOCAB + 'countries/' + place008);
  }
}

/**
 * The $a $b $c pieces of a 260/264 with their delimiting punctuation dropped; when a bracket
 * opened in one piece closes in a later one, every piece in between is bracketed on its own, as
 * LC's Process 8 does ("[Edo : $b Muraichi, $c 1852]" → "[Edo]", "[Muraichi]", "[1852]").
 */
function bracketed(f: DataField): Subfield[] {
  const subs = f.subfields.filter((s) => 'abc'.includes(s.code));
  let open = false;
  return subs.map((s, i) => {
    const raw = normalizeSpace(s.value);
    let v = i < subs.length - 1 ? raw.replace(/\s*[:;,]$/, '') : raw;
    const opens = v.lastIndexOf('[') > v.lastIndexOf(']');
    if (open && !v.includes('[')) v = v.includes(']') ? '[' + v : '[' + v + ']';
    else if (opens) v = v + ']';
    if (opens) open = true;
    else if (raw.includes(']')) open = false;
    return { code: s.code, value: v };
  });
}

/**
 * LC's statements: an $a after an agent or date opens a new one, pieces are chopped, places
 * are joined by "; ", ": " follows a place, ", " anything else.
 */
function statementsOf(subs: Subfield[]): string[] {
  const out: string[] = [];
  let cur = '';
  let prev = '';
  for (const s of subs) {
    const v = chopPunct(s.value);
    if (v === '') continue;
    if (s.code === 'a' && cur !== '' && prev !== 'a') {
      out.push(cur);
      cur = '';
    }
    if (cur !== '') cur += prev === 'a' ? (s.code === 'a' ? '; ' : ': ') : ', ';
    cur += v;
    prev = s.code;
  }
  if (cur !== '') out.push(cur);
  return out;
}

function edtf008(f008: string): string {
  if (f008.length < 15) return '';
  const type = f008.charAt(6);
  const d1 = u2x(f008.substring(7, 11));
  const d2 = u2x(f008.substring(11, 15));
  const ok = (d: string) => /^[0-9X]{4}$/.test(d);
  if (!ok(d1)) return '';
  switch (type) {
    case 'c': case 'd': case 'i': case 'k': case 'm': case 'u':
      return ok(d2) ? `${d1}/${d2}` : d1;
    case 'q':
      return ok(d2) ? `${d1}/${d2}` : d1;
    default:
      return d1;
  }
}
