/**
 * MARC 21 bibliographic → BIBFRAME 2, following LC's marc2bibframe2 (v2.10): one Work, one
 * Instance and the Items of a record, with the same URIs, classes and properties, so the output
 * can be compared with LC's triple for triple. URIs are `<baseUri><001>#Work`, `#Instance` and
 * `#<Entity><tag>-<n>` where n is the field's element position in the record (the leader element
 * counts when there is one, and so does each XML comment before the field that the MARCXML reader
 * kept in `record.xmlComments`), as LC's converter mints them.
 */
import type { Record } from '../../record/record.js';
import { DataField, type Subfield } from '../../record/field.js';
import { BF, BFLC, EDTF, GraphBuilder, MADS, RDF, RDFS, VOCAB, XSD, iri, minted, type NamedNode, type Quad, type Subject } from './graph.js';
import { chopPunct, normalizeSpace, u2x, urlEncode } from './text.js';
import * as codes from './codes.js';
import { instance3xx, work3xx, type PhysicalCtx } from './physical.js';

/** LC's pGenerationDatestamp default: now, to the second, without a zone. */
export function generationTimestamp(): string {
  return new Date().toISOString().substring(0, 19);
}

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

// Property and class IRIs as module constants: the same string objects every time, so map
// lookups while building the graph hit their cached hashes instead of hashing fresh concatenations.
const BFLC_AppliesTo = iri(BFLC + 'AppliesTo');
const BFLC_EncodingLevel = iri(BFLC + 'EncodingLevel');
const BFLC_Uncontrolled = iri(BFLC + 'Uncontrolled');
const BFLC_applicableInstitution = iri(BFLC + 'applicableInstitution');
const BFLC_appliesTo = iri(BFLC + 'appliesTo');
const BFLC_citation = iri(BFLC + 'citation');
const BFLC_encodingLevel = iri(BFLC + 'encodingLevel');
const BFLC_marcKey = iri(BFLC + 'marcKey');
const BFLC_nonSortNum = iri(BFLC + 'nonSortNum');
const BFLC_simpleAgent = iri(BFLC + 'simpleAgent');
const BFLC_simpleDate = iri(BFLC + 'simpleDate');
const BFLC_simplePlace = iri(BFLC + 'simplePlace');
const BF_AdminMetadata = iri(BF + 'AdminMetadata');
const BF_Agent = iri(BF + 'Agent');
const BF_Carrier = iri(BF + 'Carrier');
const BF_Content = iri(BF + 'Content');
const BF_ContentAccessibility = iri(BF + 'ContentAccessibility');
const BF_Contribution = iri(BF + 'Contribution');
const BF_DescriptionAuthentication = iri(BF + 'DescriptionAuthentication');
const BF_DescriptionConventions = iri(BF + 'DescriptionConventions');
const BF_Dissertation = iri(BF + 'Dissertation');
const BF_Electronic = iri(BF + 'Electronic');
const BF_Extent = iri(BF + 'Extent');
const BF_Frequency = iri(BF + 'Frequency');
const BF_GenreForm = iri(BF + 'GenreForm');
const BF_Hub = iri(BF + 'Hub');
const BF_Identifier = iri(BF + 'Identifier');
const BF_Illustration = iri(BF + 'Illustration');
const BF_ImmediateAcquisition = iri(BF + 'ImmediateAcquisition');
const BF_Instance = iri(BF + 'Instance');
const BF_IntendedAudience = iri(BF + 'IntendedAudience');
const BF_Isbn = iri(BF + 'Isbn');
const BF_Issn = iri(BF + 'Issn');
const BF_Item = iri(BF + 'Item');
const BF_Language = iri(BF + 'Language');
const BF_Lccn = iri(BF + 'Lccn');
const BF_Local = iri(BF + 'Local');
const BF_Media = iri(BF + 'Media');
const BF_Notation = iri(BF + 'Notation');
const BF_Note = iri(BF + 'Note');
const BF_OclcNumber = iri(BF + 'OclcNumber');
const BF_PrimaryContribution = iri(BF + 'PrimaryContribution');
const BF_ProvisionActivity = iri(BF + 'ProvisionActivity');
const BF_Publication = iri(BF + 'Publication');
const BF_Relation = iri(BF + 'Relation');
const BF_Relationship = iri(BF + 'Relationship');
const BF_Role = iri(BF + 'Role');
const BF_Series = iri(BF + 'Series');
const BF_Source = iri(BF + 'Source');
const BF_Status = iri(BF + 'Status');
const BF_StockNumber = iri(BF + 'StockNumber');
const BF_Summary = iri(BF + 'Summary');
const BF_SupplementaryContent = iri(BF + 'SupplementaryContent');
const BF_SystemRequirement = iri(BF + 'SystemRequirement');
const BF_TableOfContents = iri(BF + 'TableOfContents');
const BF_Title = iri(BF + 'Title');
const BF_Topic = iri(BF + 'Topic');
const BF_VariantTitle = iri(BF + 'VariantTitle');
const BF_Work = iri(BF + 'Work');
const BF_adminMetadata = iri(BF + 'adminMetadata');
const BF_agent = iri(BF + 'agent');
const BF_assigner = iri(BF + 'assigner');
const BF_associatedResource = iri(BF + 'associatedResource');
const BF_carrier = iri(BF + 'carrier');
const BF_classification = iri(BF + 'classification');
const BF_classificationPortion = iri(BF + 'classificationPortion');
const BF_code = iri(BF + 'code');
const BF_colorContent = iri(BF + 'colorContent');
const BF_content = iri(BF + 'content');
const BF_contentAccessibility = iri(BF + 'contentAccessibility');
const BF_contribution = iri(BF + 'contribution');
const BF_copyrightDate = iri(BF + 'copyrightDate');
const BF_count = iri(BF + 'count');
const BF_custodialHistory = iri(BF + 'custodialHistory');
const BF_date = iri(BF + 'date');
const BF_descriptionAuthentication = iri(BF + 'descriptionAuthentication');
const BF_descriptionConventions = iri(BF + 'descriptionConventions');
const BF_descriptionLanguage = iri(BF + 'descriptionLanguage');
const BF_descriptionLevel = iri(BF + 'descriptionLevel');
const BF_descriptionModifier = iri(BF + 'descriptionModifier');
const BF_dimensions = iri(BF + 'dimensions');
const BF_dissertation = iri(BF + 'dissertation');
const BF_edition = iri(BF + 'edition');
const BF_editionStatement = iri(BF + 'editionStatement');
const BF_electronicLocator = iri(BF + 'electronicLocator');
const BF_expressionOf = iri(BF + 'expressionOf');
const BF_extent = iri(BF + 'extent');
const BF_frequency = iri(BF + 'frequency');
const BF_generationProcess = iri(BF + 'generationProcess');
const BF_genreForm = iri(BF + 'genreForm');
const BF_geographicCoverage = iri(BF + 'geographicCoverage');
const BF_hasInstance = iri(BF + 'hasInstance');
const BF_hasItem = iri(BF + 'hasItem');
const BF_heldBy = iri(BF + 'heldBy');
const BF_identifiedBy = iri(BF + 'identifiedBy');
const BF_illustrativeContent = iri(BF + 'illustrativeContent');
const BF_immediateAcquisition = iri(BF + 'immediateAcquisition');
const BF_instanceOf = iri(BF + 'instanceOf');
const BF_intendedAudience = iri(BF + 'intendedAudience');
const BF_issuance = iri(BF + 'issuance');
const BF_itemOf = iri(BF + 'itemOf');
const BF_itemPortion = iri(BF + 'itemPortion');
const BF_language = iri(BF + 'language');
const BF_mainTitle = iri(BF + 'mainTitle');
const BF_media = iri(BF + 'media');
const BF_notation = iri(BF + 'notation');
const BF_note = iri(BF + 'note');
const BF_part = iri(BF + 'part');
const BF_partName = iri(BF + 'partName');
const BF_partNumber = iri(BF + 'partNumber');
const BF_place = iri(BF + 'place');
const BF_provisionActivity = iri(BF + 'provisionActivity');
const BF_provisionActivityStatement = iri(BF + 'provisionActivityStatement');
const BF_publicationStatement = iri(BF + 'publicationStatement');
const BF_qualifier = iri(BF + 'qualifier');
const BF_relation = iri(BF + 'relation');
const BF_relationship = iri(BF + 'relationship');
const BF_responsibilityStatement = iri(BF + 'responsibilityStatement');
const BF_role = iri(BF + 'role');
const BF_seriesEnumeration = iri(BF + 'seriesEnumeration');
const BF_source = iri(BF + 'source');
const BF_status = iri(BF + 'status');
const BF_subject = iri(BF + 'subject');
const BF_subtitle = iri(BF + 'subtitle');
const BF_summary = iri(BF + 'summary');
const BF_supplementaryContent = iri(BF + 'supplementaryContent');
const BF_systemRequirement = iri(BF + 'systemRequirement');
const BF_tableOfContents = iri(BF + 'tableOfContents');
const BF_title = iri(BF + 'title');
const BF_usageAndAccessPolicy = iri(BF + 'usageAndAccessPolicy');
const BF_variantType = iri(BF + 'variantType');
const MADS_ComplexSubject = iri(MADS + 'ComplexSubject');
const MADS_authoritativeLabel = iri(MADS + 'authoritativeLabel');
const MADS_componentList = iri(MADS + 'componentList');
const MADS_isMemberOfMADSScheme = iri(MADS + 'isMemberOfMADSScheme');
const RDFS_label = iri(RDFS + 'label');
const RDF_first = iri(RDF + 'first');
const RDF_nil = iri(RDF + 'nil');
const RDF_rest = iri(RDF + 'rest');
const RDF_type = iri(RDF + 'type');
const RDF_value = iri(RDF + 'value');
const XSD_date = iri(XSD + 'date');
const XSD_dateTime = iri(XSD + 'dateTime');
const BF_AbbreviatedTitle = iri(BF + 'AbbreviatedTitle');
const BF_IssnL = iri(BF + 'IssnL');
const BF_KeyTitle = iri(BF + 'KeyTitle');
const BF_firstIssue = iri(BF + 'firstIssue');
const BF_lastIssue = iri(BF + 'lastIssue');
const BFLC_SerialPubType = iri(BFLC + 'SerialPubType');
const BFLC_serialPubType = iri(BFLC + 'serialPubType');
const BF_Manuscript = iri(BF + 'Manuscript');
const BF_Organization = iri(BF + 'Organization');
const BF_Capture = iri(BF + 'Capture');
const BF_DissertationIdentifier = iri(BF + 'DissertationIdentifier');
const BF_GeographicCoverage = iri(BF + 'GeographicCoverage');
const BF_Place = iri(BF + 'Place');
const BF_Scale = iri(BF + 'Scale');
const BF_capture = iri(BF + 'capture');
const BF_degree = iri(BF + 'degree');
const BF_grantingInstitution = iri(BF + 'grantingInstitution');
const BF_preferredCitation = iri(BF + 'preferredCitation');
const BF_scale = iri(BF + 'scale');
const BF_BaseMaterial = iri(BF + 'BaseMaterial');
const BF_GrooveCharacteristic = iri(BF + 'GrooveCharacteristic');
const BF_PlayingSpeed = iri(BF + 'PlayingSpeed');
const BF_baseMaterial = iri(BF + 'baseMaterial');
const BF_soundCharacteristic = iri(BF + 'soundCharacteristic');
const MADS_NameTitle = iri(MADS + 'NameTitle');
const MADS_Title = iri(MADS + 'Title');

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
  alternates: Map<DataField, DataField>;
  pairedAlternates: Set<DataField>;
  /** Whether the record has 880 fields at all (only then can a field carry a language tag). */
  has880: boolean;
  options: BibframeOptions;
  /** Term IRIs of 3XX nodes already stated (LC keeps the first node of a repeated term). */
  seenTerms: Set<string>;
}

function physicalCtx(ctx: Ctx): PhysicalCtx {
  return { g: ctx.g, work: ctx.work, instance: ctx.instance, seenTerms: ctx.seenTerms, marcKey: (f) => marcKey(f) };
}

const sfv = (f: DataField, code: string): string | undefined => {
  for (const s of f.subfieldList()) if (s.code === code) return s.value;
  return undefined;
};
/** A field's subfields for a new field, read without marking the record's field as changed. */
const copyOf = (f: DataField): Subfield[] => f.subfieldList().map((s) => ({ ...s }));
const sfAll = (f: DataField, codes: string): string[] => f.subfieldList().filter((s) => codes.includes(s.code)).map((s) => s.value);

/**
 * 880 fields are converted as the field they pair with (a DataField copy carrying the linked
 * tag); this remembers that the copy came from an 880, for the marcKey and for the URIs of
 * unpaired ones, which LC mints with the tag 880.
 */
const ALTERNATE = new WeakMap<DataField, { paired: boolean }>();

function uriTag(f: DataField): string {
  const alt = ALTERNATE.get(f);
  return alt !== undefined && !alt.paired ? '880' : f.tag;
}

function marcKey(f: DataField, subs?: Subfield[]): string {
  let key = (ALTERNATE.has(f) ? '880' : f.tag) + f.ind1 + f.ind2;
  for (const s of subs ?? f.subfieldList()) key += '$' + s.code + normalizeSpace(s.value);
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

// Languages whose 880 text LC tags, as ISO 639-1 (or -2 where there is none) plus script.
const XML_LANG: { [code: string]: string } = {
  ara: 'ar-arab', per: 'fa-arab', urd: 'ur-arab', ota: 'ota-arab', pus: 'ps-arab', jpn: 'ja-jpan', chi: 'zh-hani', kor: 'ko-kore',
  rus: 'ru-cyrl', ukr: 'uk-cyrl', bel: 'be-cyrl', bul: 'bg-cyrl', srp: 'sr-cyrl', mac: 'mk-cyrl', heb: 'he-hebr', yid: 'yi-hebr', gre: 'el-grek',
  arm: 'hy-armn', geo: 'ka-geor', tha: 'th-thai', hin: 'hi-deva', amh: 'am-ethi',
};

/** The xml:lang LC gives a field's text: only when its $6 names a script (after the link). */
function xmlLangOf(ctx: Ctx, f: DataField): string {
  if (!ctx.has880) return '';
  // $6 is "tag-occurrence/script/orientation"; "/r" alone is an orientation, not a script.
  const script = (sfv(f, '6') ?? '').split('/')[1];
  if (script === undefined || script === '' || script === 'r') return '';
  return XML_LANG[ctx.f008.substring(35, 38)] ?? '';
}

/**
 * Converts a field together with its 880 (alternate script) partner as LC does: the partner's
 * text lands on the same nodes (a second label, title, marcKey...), each tagged by its own $6.
 * An 880 without a partner is converted alone, as the field its $6 names.
 */
function withAlternate(ctx: Ctx, f: DataField, pos: number, handler: (ctx: Ctx, f: DataField, pos: number) => void): void {
  const { g } = ctx;
  if (f.tag === '880') {
    const six = sfv(f, '6') ?? '';
    const linked = six.substring(0, 3);
    if (!/^\d{3}$/.test(linked) || linked === '880') return;
    if (ctx.pairedAlternates.has(f)) return;
    const copy = new DataField(linked, f.ind1, f.ind2, copyOf(f));
    ALTERNATE.set(copy, { paired: false });
    g.lang = xmlLangOf(ctx, f);
    handler(ctx, copy, pos);
    g.lang = '';
    return;
  }
  const alt = ctx.alternates.get(f);
  g.lang = xmlLangOf(ctx, f);
  if (alt === undefined) {
    handler(ctx, f, pos);
    g.lang = '';
    return;
  }
  g.beginPair();
  handler(ctx, f, pos);
  g.replayPair();
  const copy = new DataField(f.tag, alt.ind1, alt.ind2, copyOf(alt));
  ALTERNATE.set(copy, { paired: true });
  g.lang = xmlLangOf(ctx, alt);
  handler(ctx, copy, pos);
  g.endPair();
  g.lang = '';
}

/** Each field's 880 partner ($6 "880-NN" ↔ 880 $6 "TAG-NN"). */
function pairAlternates(record: Record): { alternates: Map<DataField, DataField>; paired: Set<DataField> } {
  const alternates = new Map<DataField, DataField>();
  const paired = new Set<DataField>();
  let byLink: Map<string, DataField> | null = null;
  for (const field of record.fields) {
    if (!field.isDataField() || field.tag !== '880') continue;
    const six = sfv(field, '6');
    if (six === undefined || six.length < 6) continue;
    (byLink ??= new Map()).set(six.substring(0, 6), field);
  }
  if (byLink === null) return { alternates, paired };
  for (const field of record.fields) {
    if (!field.isDataField() || field.tag === '880') continue;
    const six = sfv(field, '6');
    if (six === undefined || !six.startsWith('880-')) continue;
    const alt = byLink.get(field.tag + '-' + six.substring(4, 6));
    if (alt !== undefined && !paired.has(alt)) {
      alternates.set(field, alt);
      paired.add(alt);
    }
  }
  return { alternates, paired };
}

/**
 * XML comments among the record element's children that stand before field `index`: LC's XSLT
 * numbers by position among the record's child nodes, and a comment is one (whitespace is not).
 */
function commentsBefore(comments: readonly { before: number }[], index: number): number {
  let n = 0;
  for (const c of comments) if (c.before <= index) n++;
  return n;
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
  const comments = record.xmlComments;
  const fields = record.fields.map((field, i) => ({ tag: field.tag, field: field.isDataField() ? field : null, data: field.isControlField() ? field.data : '', pos: i + first + (comments === undefined ? 0 : commentsBefore(comments, i)) }));
  const f008 = fields.find((f) => f.tag === '008')?.data ?? '';
  const { alternates, paired } = pairAlternates(record);
  const ctx: Ctx = { g, record, fields, id, work: minted(id + '#Work'), instance: minted(id + '#Instance'), leader: hasLeader ? record.leader.value : '', f008, options, alternates, pairedAlternates: paired, has880: fields.some((f) => f.tag === '880'), seenTerms: new Set() };
  g.type(ctx.work, BF_Work);
  g.type(ctx.instance, BF_Instance);
  adminMetadata(ctx);
  leaderWork(ctx);
  work008(ctx);
  for (const f of fields) {
    if (f.field === null) continue;
    withAlternate(ctx, f.field, f.pos, workField);
  }
  g.add(ctx.work, BF_hasInstance, ctx.instance);
  leaderInstance(ctx);
  provision(ctx);
  for (const f of fields) {
    if (f.field === null) continue;
    withAlternate(ctx, f.field, f.pos, instanceField);
  }
  defaultsInstance(ctx);
  g.add(ctx.instance, BF_instanceOf, ctx.work);
}

// ---------------------------------------------------------------- admin metadata

function status(g: GraphBuilder, s: Subject, code: string, prop = BF_status): void {
  const node = g.node(s, prop, BF_Status, VOCAB + 'mstatus/' + code);
  g.lit(node, RDFS_label, codes.STATUS_LABELS[code]);
}

function agentCode(g: GraphBuilder, s: Subject, p: NamedNode, code: string, uriFor?: (code: string) => boolean): void {
  const withUri = uriFor ? uriFor(code) : true;
  const node = g.node(s, p, BF_Agent, withUri ? orgUri(code) : undefined);
  g.lit(node, BF_code, code);
}

function adminMetadata(ctx: Ctx): void {
  const { g, work, f008, leader, options } = ctx;
  const f040 = ctx.record.getDataField('040');
  const isDlc = (code: string) => code === 'DLC';
  // "new": 008/00-05 and the original cataloguing agency.
  // LC builds the date from 008/00-05 whatever they hold ("19--" without an 008).
  const yy = f008.substring(0, 2);
  const created = (/^\d\d$/.test(yy) && Number(yy) < 50 ? '20' : '19') + yy + '-' + f008.substring(2, 4) + '-' + f008.substring(4, 6);
  {
    const am = g.node(work, BF_adminMetadata, BF_AdminMetadata);
    status(g, am, 'n');
    g.lit(am, BF_date, created, XSD_date);
    const a = f040 ? sfv(f040, 'a') : undefined;
    if (a) agentCode(g, am, BF_agent, a, isDlc);
  }
  const f005 = ctx.fields.find((f) => f.tag === '005')?.data ?? '';
  // LC states the change unless the record is new (leader/05 n); prepublication (p) is its own status.
  if (leader.charAt(5) !== 'n') {
    const am = g.node(work, BF_adminMetadata, BF_AdminMetadata);
    status(g, am, leader.charAt(5) === 'p' ? 'p' : 'c');
    if (f005.length >= 14 && !f005.startsWith('0000')) g.lit(am, BF_date, `${f005.substring(0, 4)}-${f005.substring(4, 6)}-${f005.substring(6, 8)}T${f005.substring(8, 10)}:${f005.substring(10, 12)}:${f005.substring(12, 14)}`, XSD_dateTime);
    if (f040) {
      const d = sfAll(f040, 'd');
      if (d.length > 0) agentCode(g, am, BF_descriptionModifier, d[d.length - 1] as string, isDlc);
      else {
        const c = sfv(f040, 'c') ?? sfv(f040, 'a');
        if (c) agentCode(g, am, BF_agent, c, isDlc);
      }
    }
  }
  {
    const am = g.node(work, BF_adminMetadata, BF_AdminMetadata);
    status(g, am, 'c');
    g.ref(am, BF_generationProcess, options.generationProcess ?? DEFAULT_PROCESS);
    g.lit(am, BF_date, options.generationDate ?? generationTimestamp(), XSD_dateTime);
    if (options.idSource) g.ref(am, BF_agent, options.idSource);
  }
  const am = g.node(work, BF_adminMetadata, BF_AdminMetadata);
  g.ref(am, BF_descriptionLevel, 'http://id.loc.gov/ontologies/bibframe-2-6-0/');
  const enc = codes.ENCODING_LEVEL[leader.charAt(17)];
  if (enc) {
    const node = g.node(am, BFLC_encodingLevel, BFLC_EncodingLevel, VOCAB + 'menclvl/' + enc[0]);
    g.lit(node, RDFS_label, enc[1]);
  }
  const e040 = f040 ? sfAll(f040, 'e') : [];
  const conv = codes.DESCRIPTION_CONVENTIONS[leader.charAt(18)];
  if (conv && !(e040.includes('rda') && 'apr'.includes(leader.charAt(18)))) descConv(g, am, conv);
  for (const e of e040) descConv(g, am, e);
  const f001 = ctx.fields.find((f) => f.tag === '001');
  if (f001) {
    const local = g.node(am, BF_identifiedBy, BF_Local);
    g.lit(local, RDF_value, f001.data);
    const f003 = ctx.fields.find((f) => f.tag === '003')?.data;
    if (f003 === undefined || f003 === '' || f003 === 'DLC') agentCode(g, local, BF_assigner, 'DLC');
    else agentCode(g, local, BF_assigner, f003, () => false);
  }
  const entry = materialType(leader) === 'CR' && f008.length >= 40 ? ENTRY_CONVENTIONS[f008.charAt(34)] : undefined;
  if (entry) {
    const note = g.node(am, BF_note, BF_Note);
    g.ref(note, RDF_type, VOCAB + 'mnotetype/metaentry');
    g.lit(note, RDFS_label, entry);
  }
  if (f040) {
    const note = g.node(am, BF_note, BF_Note);
    g.ref(note, RDF_type, VOCAB + 'mnotetype/internal');
    g.lit(note, RDFS_label, marcKey(f040).replace(/^040(.)(.)/, '040$1$2'));
    const b = sfv(f040, 'b');
    if (b) g.ref(am, BF_descriptionLanguage, VOCAB + 'languages/' + b.trim());
  }
  for (const f of ctx.record.getDataFields('042')) {
    for (const a of sfAll(f, 'a')) {
      const node = g.node(am, BF_descriptionAuthentication, BF_DescriptionAuthentication, VOCAB + 'marcauthen/' + urlEncode(normalizeSpace(a)));
      g.lit(node, BF_code, a);
    }
  }
}

function descConv(g: GraphBuilder, s: Subject, code: string): void {
  const node = g.node(s, BF_descriptionConventions, BF_DescriptionConventions, VOCAB + 'descriptionConventions/' + normalizeCode(code));
  g.lit(node, BF_code, code);
}

// ---------------------------------------------------------------- leader, 008

function leaderWork(ctx: Ctx): void {
  const { g, work, leader } = ctx;
  const content = codes.CONTENT[leader.charAt(6)];
  if (content) {
    g.type(work, BF + content[0]);
    if (content[1] !== null && !ctx.record.get('336') && leader.charAt(6) !== 'q') {
      const node = g.node(work, BF_content, BF_Content, VOCAB + 'contentTypes/' + content[1]);
      g.lit(node, RDFS_label, content[2] ?? undefined);
    }
  }
  const t = codes.LEADER07_TYPE[leader.charAt(7)];
  if (t) g.type(work, BF + t);
  // Manuscript language material, music and maps are also typed Manuscript.
  if ('tdf'.includes(leader.charAt(6)) && leader.charAt(6) !== '') g.type(work, BF_Manuscript);
}

function leaderInstance(ctx: Ctx): void {
  const issuance = codes.ISSUANCE[ctx.leader.charAt(7)];
  if (issuance && !ctx.record.get('334')) ctx.g.ref(ctx.instance, BF_issuance, VOCAB + 'issuance/' + issuance);
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

const SERIAL_PUB_TYPES: { [c: string]: string } = { p: 'periodical', n: 'newspaper' };
const ENTRY_CONVENTIONS: { [c: string]: string } = { '0': '0 - successive', '1': '1 - latest', '2': '2 - integrated' };

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
      if (m) g.lit(g.node(work, BF_illustrativeContent, BF_Illustration, VOCAB + 'millus/' + m[0]), RDFS_label, m[1]);
    }
  }
  if (type === 'BK' || type === 'CF' || type === 'MU' || type === 'VM') {
    const a = codes.MAUDIENCE[f008.charAt(22)];
    if (a) g.lit(g.node(work, BF_intendedAudience, BF_IntendedAudience, VOCAB + 'maudience/' + a[0]), RDFS_label, a[1]);
  }
  if (type === 'BK' || type === 'CR') {
    const contents = type === 'BK' ? f008.substring(24, 28) : f008.substring(25, 28);
    for (const c of contents) {
      const m = codes.MARCGT[c];
      if (!m) continue;
      if (m[0].includes('msupplcont')) g.lit(g.node(work, BF_supplementaryContent, BF_SupplementaryContent, m[0]), RDFS_label, m[1]);
      else g.lit(g.node(work, BF_genreForm, BF_GenreForm, m[0]), RDFS_label, m[1]);
    }
    if (f008.charAt(29) === '1') g.lit(g.node(work, BF_genreForm, BF_GenreForm, 'http://id.loc.gov/authorities/genreForms/gf2014026068'), RDFS_label, 'Conference papers and proceedings');
  }
  if (type === 'BK') {
    if (f008.charAt(30) === '1') g.lit(g.node(work, BF_genreForm, BF_GenreForm, 'http://id.loc.gov/vocabulary/marcgt/fes'), RDFS_label, 'festschrift');
    if (f008.charAt(31) === '1') g.lit(g.node(work, BF_supplementaryContent, BF_SupplementaryContent, VOCAB + 'msupplcont/index'), RDFS_label, 'index');
    const lit = codes.LITFORM[f008.charAt(33)];
    if (lit) g.lit(g.node(work, BF_genreForm, BF_GenreForm, 'http://id.loc.gov/authorities/genreForms/' + lit[0]), RDFS_label, lit[1]);
    const bio = codes.BIOFORM[f008.charAt(34)];
    if (bio) g.lit(g.node(work, BF_genreForm, BF_GenreForm, 'http://id.loc.gov/authorities/genreForms/' + bio[0]), RDFS_label, bio[1]);
  }
  if (type === 'CR') {
    const fr = codes.FREQUENCY[f008.charAt(18)];
    if (fr) g.lit(g.node(ctx.instance, BF_frequency, BF_Frequency, VOCAB + 'frequencies/' + fr[0]), RDFS_label, fr[1]);
    // Regularity (008/19): normalized (n) or completely (x) irregular.
    if (f008.charAt(19) === 'n' || f008.charAt(19) === 'x') g.lit(g.node(ctx.instance, BF_frequency, BF_Frequency, VOCAB + 'frequencies/irr'), RDFS_label, 'irregular');
    // Original alphabet or script of the title (008/33).
    const script = SCRIPTS[f008.charAt(33)];
    if (script) g.lit(g.node(work, BF_notation, iri(BF + 'Script'), VOCAB + 'mscript/' + f008.charAt(33)), RDFS_label, script);
    const pub = SERIAL_PUB_TYPES[f008.charAt(21)];
    if (pub) g.lit(g.node(work, BFLC_serialPubType, BFLC_SerialPubType, VOCAB + 'mserialpubtype/' + pub), RDFS_label, pub);
  }
  // A reprint (008/06 r) dates its original in Date 2.
  if (f008.charAt(6) === 'r') {
    const d2 = u2x(f008.substring(11, 15));
    if (/^[0-9X]{4}$/.test(d2) && d2 !== 'XXXX') g.lit(work, iri(BF + 'originDate'), d2, EDTF);
  }
  lang008(ctx);
}

const SCRIPTS: { [code: string]: string } = {
  a: 'Basic roman', b: 'Extended roman', c: 'Cyrillic', d: 'Japanese', e: 'Chinese', f: 'Arabic', g: 'Greek', h: 'Hebrew', i: 'Thai', j: 'Devanagari', k: 'Korean', l: 'Tamil',
};

function lang008(ctx: Ctx): void {
  const lang = ctx.f008.substring(35, 38);
  if (/^[a-z]{3}$/.test(lang) && lang !== 'zxx' && lang !== 'und' && lang !== 'mul') ctx.g.ref(ctx.work, BF_language, VOCAB + 'languages/' + lang);
  else if (/^[a-z]{3}$/.test(lang)) ctx.g.ref(ctx.work, BF_language, VOCAB + 'languages/' + lang);
}

// ---------------------------------------------------------------- Work fields

function workField(ctx: Ctx, f: DataField, pos: number): void {
  const tag = f.tag;
  switch (tag) {
    case '041': return lang041(ctx, f);
    case '043': for (const a of sfAll(f, 'a')) ctx.g.ref(ctx.work, BF_geographicCoverage, VOCAB + 'geographicAreas/' + a.replace(/-+$/, '')); return;
    case '050': case '060': case '082': case '084': case '086': case '055': case '070': case '080': return classification(ctx, f);
    case '100': case '110': case '111': case '700': case '710': case '711': case '720': return contribution(ctx, f, pos);
    case '130': case '240': return uniformTitle(ctx, f, pos);
    case '245':
      title245(ctx, f, ctx.work, true);
      // Inclusive dates of a collection or archive are the Work's dates of origin (unless a 046
      // gives them), with any final period dropped; $s is the version.
      if (!ctx.record.getDataFields('046').some((d) => sfv(d, 'k') !== undefined)) for (const d of sfAll(f, 'f')) ctx.g.lit(ctx.work, iri(BF + 'originDate'), chopPunct(d).replace(/\.$/, ''));
      for (const v of sfAll(f, 's')) ctx.g.lit(ctx.work, iri(BF + 'version'), chopPunct(v));
      return;
    case '046': {
      // Beginning ($k) and ending ($l) dates of creation, as an EDTF interval.
      const k = sfv(f, 'k');
      const l = sfv(f, 'l');
      if (k !== undefined) ctx.g.lit(ctx.work, iri(BF + 'originDate'), l !== undefined ? `${k.trim()}/${l.trim()}` : k.trim(), EDTF);
      return;
    }
    case '246': case '247':
      // Titles from the item in hand (cover, added title page, caption, running, spine) describe the Instance.
      if (f.tag === '246' && '45678'.includes(f.ind2)) return;
      return variantTitle(ctx, f, ctx.work);
    case '243': {
      const node = ctx.g.node(ctx.work, BF_title, iri(BF + 'CollectiveTitle'));
      ctx.g.lit(node, BF_mainTitle, chopPunct(sfAll(f, 'a').join(' ')));
      return;
    }
    case '222': {
      const node = ctx.g.node(ctx.work, BF_title, BF_KeyTitle);
      ctx.g.lit(node, BF_mainTitle, sfv(f, 'a'));
      ctx.g.lit(node, BF_qualifier, sfv(f, 'b'));
      return;
    }
    case '022': return issn022(ctx, f);
    case '600': case '610': case '611': case '630': case '647': case '648': case '650': case '651': case '655': case '656': case '662': return subject(ctx, f, pos);
    case '653': return keywords(ctx, f);
    case '490':
      series490(ctx, f);
      // Like a 440, a series statement with a volume comes out of LC's converter twice (traced or
      // not), and so does an unpaired 880 series statement.
      if (sfv(f, 'v') !== undefined || ALTERNATE.get(f)?.paired === false) series490(ctx, f);
      return;
    case '740': return uncontrolled740(ctx, f, pos);
    case '730': return relatedHub730(ctx, f, pos);
    case '440':
      // LC's series processing states an obsolete 440 with a volume ($v) twice, identically.
      series490(ctx, f);
      if (sfv(f, 'v') !== undefined) series490(ctx, f);
      return;
    case '800': case '810': case '811': case '830': return series8xx(ctx, f, pos);
    case '505': return contentsNote(ctx, f);
    case '520': return summary(ctx, f);
    case '521': return audience(ctx, f);
    case '546': return langNote(ctx, f);
    case '580': return workNote(ctx, f);
    case '511': return typedWorkNote(ctx, f, 'participants', f.ind1 === '1' ? 'Cast: ' : '');
    case '508': return typedWorkNote(ctx, f, 'credits');
    case '525': return typedWorkNote(ctx, f, 'suppl');
    case '586': return typedWorkNote(ctx, f, 'award');
    case '507': {
      const node = ctx.g.node(ctx.work, BF_scale, BF_Scale);
      ctx.g.lit(node, RDFS_label, normalizeSpace(sfAll(f, 'ab').join(' ')));
      return;
    }
    case '518': {
      const { g } = ctx;
      const node = g.node(ctx.work, BF_capture, BF_Capture);
      for (const s of f.subfieldList()) {
        if (s.code === 'a') g.lit(node, RDFS_label, s.value);
        else if (s.code === 'd') g.lit(node, BF_date, chopPunct(s.value));
        else if (s.code === 'o') g.lit(g.node(node, BF_note, BF_Note), RDFS_label, chopPunct(s.value));
        else if (s.code === 'p') g.lit(g.node(node, BF_place, BF_Place), RDFS_label, chopPunct(s.value));
      }
      appliesTo(ctx, node, f);
      return;
    }
    case '522':
      for (const a of sfAll(f, 'a')) ctx.g.lit(ctx.g.node(ctx.work, BF_geographicCoverage, BF_GeographicCoverage), RDFS_label, a);
      return;
    case '587': {
      const { g } = ctx;
      const node = g.node(ctx.work, BF_note, BF_Note);
      if (f.ind1 === ' ') g.ref(node, RDF_type, VOCAB + 'mnotetype/datasource');
      else if (f.ind1 === '0') g.ref(node, RDF_type, VOCAB + 'mnotetype/datanf');
      for (const a of sfAll(f, 'a')) g.lit(node, BF_preferredCitation, chopPunct(a));
      for (const b of sfAll(f, 'b')) g.lit(node, RDFS_label, b);
      for (const u of sfAll(f, 'u')) g.ref(node, BF_electronicLocator, u);
      return;
    }
    case '502': {
      const { g } = ctx;
      const node = g.node(ctx.work, BF_dissertation, BF_Dissertation);
      for (const s of f.subfieldList()) {
        if (s.code === 'a') g.lit(node, RDFS_label, s.value);
        else if (s.code === 'b') g.lit(node, BF_degree, chopPunct(s.value));
        else if (s.code === 'c') g.lit(g.node(node, BF_grantingInstitution, BF_Agent), RDFS_label, chopPunct(s.value));
        else if (s.code === 'd') g.lit(node, BF_date, chopPunct(s.value));
        else if (s.code === 'g') g.lit(g.node(node, BF_note, BF_Note), RDFS_label, chopPunct(s.value));
        else if (s.code === 'o') g.lit(g.node(node, BF_identifiedBy, BF_DissertationIdentifier), RDF_value, chopPunct(s.value));
      }
      return;
    }
    case '532':
      for (const a of sfAll(f, 'a')) {
        const node = ctx.g.node(ctx.instance, BF_contentAccessibility, BF_ContentAccessibility);
        ctx.g.lit(node, RDFS_label, a);
        appliesTo(ctx, node, f);
      }
      return;
    case '510': return citation510(ctx, f);
    case '336': return rdaType(ctx, f, ctx.work, BF_content, BF_Content, 'contentTypes');
    case '340': case '341': case '348': case '351': case '353': case '370': case '377': case '380': case '382': case '383': case '384': case '385': case '386':
      return work3xx(physicalCtx(ctx), f);
    case '008':
      return;
    default:
      if (tag >= '760' && tag <= '787') return linking(ctx, f, pos, true);
  }
}

const LANGUAGE_PARTS: { [code: string]: string } = { a: 'Resource', b: 'Summary or abstract', d: 'Sung or spoken text', e: 'Libretto', f: 'Table of contents', g: 'Accompanying material', h: 'Original', j: 'Subtitles or captions', k: 'Intermediate translations', m: 'Original accompanying materials', n: 'Original libretto' };

function lang041(ctx: Ctx, f: DataField): void {
  const parts: { [code: string]: string } = { a: 'text', b: 'summary', d: 'sung or spoken text', e: 'libretto', f: 'table of contents', g: 'accompanying material', h: 'original', j: 'subtitles or captions', k: 'intermediate translations', m: 'original accompanying materials', n: 'original libretto' };
  for (const s of f.subfieldList()) {
    const part = parts[s.code];
    if (part === undefined) continue;
    for (let i = 0; i + 3 <= s.value.length; i += 3) {
      const code = s.value.substring(i, i + 3);
      if (f.ind2 !== ' ' && f.ind2 !== '7') {
        // Codes from an unnamed source: LC keeps them as literal values with the part named.
        const node = ctx.g.node(ctx.work, BF_language, BF_Language);
        ctx.g.lit(node, RDF_value, code);
        ctx.g.lit(node, BF_part, LANGUAGE_PARTS[s.code]);
      } else if (s.code === 'a' && f.ind2 !== '7') ctx.g.ref(ctx.work, BF_language, VOCAB + 'languages/' + code);
      else if (s.code === 'h' && f.ind2 !== '7') {
        // The language of the original: a note on the Work naming the original text's language.
        const node = ctx.g.node(ctx.work, BF_note, BF_Note);
        ctx.g.ref(node, RDF_type, VOCAB + 'resourceComponents/otx');
        ctx.g.ref(node, BF_language, VOCAB + 'languages/' + code);
      } else {
        const node = ctx.g.node(ctx.work, BF_language, BF_Language, VOCAB + 'languages/' + code);
        ctx.g.lit(node, BF_part, part);
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
    const node = g.node(work, BF_classification, BF + cls);
    for (const a of as) g.lit(node, BF_classificationPortion, a);
    if (b) g.lit(node, BF_itemPortion, b);
    const edition = sfv(f, '2');
    if (edition) g.lit(g.node(node, BF_source, BF_Source), BF_code, edition);
    if (f.ind1 === '0') g.lit(node, BF_edition, 'full');
    else if (f.ind1 === '1') g.lit(node, BF_edition, 'abridged');
    if (f.ind2 === '0') g.ref(node, BF_assigner, orgUri('DLC'));
    return;
  }
  as.forEach((a, i) => {
    if (f.tag === '050' && !validLcc(a)) return;
    const node = g.node(work, BF_classification, BF + cls);
    g.lit(node, BF_classificationPortion, a);
    if (i === 0 && b) g.lit(node, BF_itemPortion, b);
    if (f.tag === '050' || f.tag === '060' || f.tag === '055') {
      // 055 ind2 0: assigned by Library and Archives Canada (its name authority).
      if (f.ind2 === '0') g.ref(node, BF_assigner, f.tag === '055' ? 'http://id.loc.gov/authorities/names/no2004037399' : orgUri(f.tag === '050' ? 'DLC' : 'DNLM'));
      if (f.ind1 === '0') g.ref(node, BF_status, VOCAB + 'mstatus/uba');
      else if (f.ind1 === '1') g.ref(node, BF_status, VOCAB + 'mstatus/nuba');
    }
    const src = sfv(f, '2');
    if (src && f.tag !== '050' && f.tag !== '060') g.lit(g.node(node, BF_source, BF_Source), BF_code, src);
  });
}

// LC only requires a call number to start with a capital ("Atlantic 1259" is kept).
function validLcc(call: string): boolean {
  return /^[A-Z]/.test(call);
}

// ---------------------------------------------------------------- names

const NAME_CLASS: { [tagEnd: string]: string } = { '00': 'Person', '10': 'Organization', '11': 'Meeting', '20': 'Agent' };

function nameClass(f: DataField): string {
  const t = f.tag.substring(1);
  if (t === '00' && f.ind1 === '3') return 'Family';
  if (t === '10' && f.ind1 === '1') return 'Jurisdiction';
  return NAME_CLASS[t] ?? 'Agent';
}

/** The subfields naming the agent: everything before $t, without the relator and control subfields. */
function nameSubfields(f: DataField): Subfield[] {
  const out: Subfield[] = [];
  // Relator, relationship ($i), affiliation ($u), control and subject subdivisions are not the name.
  const skip = f.tag.endsWith('11') ? 'ij4012345678evxyzu' : 'ie4012345678vxyzu';
  for (const s of f.subfieldList()) {
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
  const node = minted(uri);
  g.type(node, BF_Agent);
  g.type(node, BF + nameClass(f));
  g.lit(node, RDFS_label, nameLabel(f));
  g.lit(node, BFLC_marcKey, marcKey(f, keySubs));
  return node;
}

function contribution(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  if (f.tag >= '700' && sfv(f, 't') !== undefined) return relatedWork7xx(ctx, f, pos);
  const c = g.node(ctx.work, BF_contribution, BF_Contribution);
  const primary = f.tag.startsWith('1');
  if (primary) g.type(c, BF_PrimaryContribution);
  // An LC name authority in $0 names the agent by its real-world-object IRI, as LC does.
  const authority = sfAll(f, '0').map((z) => /^(?:\(uri\))?https?:\/\/id\.loc\.gov\/authorities\/names\/([a-z]+\d+)$/.exec(z)).find((m) => m !== null);
  const a = agent(ctx, f, authority ? 'http://id.loc.gov/rwo/agents/' + (authority[1] as string) : `${ctx.id}#Agent${uriTag(f)}-${pos}`);
  if (authority) g.ref(a, MADS + 'isIdentifiedByAuthority', (authority[0] as string).replace(/^\(uri\)/, ''));
  for (const z of sfAll(f, '0')) if (!z.includes('://')) identifier0(ctx, a, z);
  for (const code of sfAll(f, '2')) g.lit(g.node(a, BF_source, BF_Source, VOCAB + 'nameTitleSchemes/' + normalizeCode(code)), BF_code, code);
  g.add(c, BF_agent, a);
  roles(ctx, c, f, primary && ctx.leader.charAt(6) === 'a' ? 'aut' : 'ctb');
  // A name-title main entry without a uniform title field: the title part is the Work's Hub.
  if (primary && sfv(f, 't') !== undefined && ctx.record.getDataFields('130', '240').length === 0) {
    const hub = minted(`${ctx.id}#Hub${uriTag(f)}-${pos}`);
    g.add(ctx.work, BF_expressionOf, hub);
    g.type(hub, BF_Hub);
    hubTitleFromT(ctx, hub, f);
  }
  for (const inst of sfAll(f, '5')) {
    const node = g.node(c, BFLC_applicableInstitution, BF_Agent, orgUri(inst));
    g.lit(node, BF_code, inst);
  }
}

function roles(ctx: Ctx, c: Subject, f: DataField, fallback: string): void {
  const { g } = ctx;
  const textCode = f.tag.endsWith('11') ? 'j' : 'e';
  let any = false;
  for (const s of f.subfieldList()) {
    if (s.code === textCode) {
      for (const part of s.value.split(/,\s*(?:and\s+)?|\s+and\s+/)) {
        const label = chopPunct(part);
        if (label === '') continue;
        g.lit(g.node(c, BF_role, BF_Role), RDFS_label, label);
        any = true;
      }
    } else if (s.code === '4') {
      const code = s.value.trim();
      if (code.startsWith('http')) g.node(c, BF_role, BF_Role, code);
      else g.node(c, BF_role, BF_Role, VOCAB + 'relators/' + normalizeCode(code.substring(0, 3)));
      any = true;
    }
  }
  // A paired 880 shares the field's contribution: its roles are the field's.
  if (!any && ALTERNATE.get(f)?.paired !== true) g.node(c, BF_role, BF_Role, VOCAB + 'relators/' + fallback);
}

// ---------------------------------------------------------------- titles

function titleNode(ctx: Ctx, s: Subject, f: DataField, type: string, codesWanted: string): Subject | null {
  const { g } = ctx;
  const node = g.node(s, BF_title, BF + type);
  for (const sf of f.subfieldList()) {
    if (!codesWanted.includes(sf.code)) continue;
    const v = chopPunct(sf.value);
    if (sf.code === 'a') g.lit(node, BF_mainTitle, v);
    else if (sf.code === 'b') g.lit(node, BF_subtitle, v);
    else if (sf.code === 'n') g.lit(node, BF_partNumber, v);
    else if (sf.code === 'p') g.lit(node, BF_partName, v);
    else if (sf.code === 'f' || sf.code === 'g') g.lit(node, BF_date, v);
  }
  return node;
}

function title245(ctx: Ctx, f: DataField, s: Subject, isWork: boolean): void {
  const node = titleNode(ctx, s, f, 'Title', isWork ? 'anp' : 'abnp');
  if (node === null) return;
  if (/^[1-9]$/.test(f.ind2)) ctx.g.lit(node, BFLC_nonSortNum, f.ind2);
}

// LC types variant titles with the vartitletype vocabulary (only the codes it is seen to use).
const VARIANT_TITLE_TYPES: { [ind2: string]: string } = { '0': 'por', '4': 'cov', '8': 'spi' };

function variantTitle(ctx: Ctx, f: DataField, s: Subject): void {
  const { g } = ctx;
  // A parallel title (246 ind2 1) is its own class; a 242 is a translated title.
  const parallel = f.tag === '246' && f.ind2 === '1';
  const node = g.node(s, BF_title, parallel ? iri(BF + 'ParallelTitle') : BF_VariantTitle);
  if (f.tag === '242') g.lit(node, BF_variantType, 'translated');
  const vt = f.tag === '246' ? VARIANT_TITLE_TYPES[f.ind2] : f.tag === '242' ? undefined : 'for';
  if (vt) g.ref(node, RDF_type, VOCAB + 'vartitletype/' + vt);
  for (const sf of f.subfieldList()) {
    const v = chopPunct(sf.value);
    if (sf.code === 'a') g.lit(node, BF_mainTitle, v);
    else if (sf.code === 'b') g.lit(node, BF_subtitle, v);
    else if (sf.code === 'n') g.lit(node, BF_partNumber, v);
    else if (sf.code === 'p') g.lit(node, BF_partName, v);
    else if (sf.code === 'f') g.lit(node, BF_date, v);
    else if (sf.code === 'i') g.lit(g.node(node, BF_note, BF_Note), RDFS_label, chopPunct(sf.value, { end: ':' }));
  }
}

function uniformTitle(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const hubUri = `${ctx.id}#Hub${uriTag(f)}-${pos}`;
  const hub = minted(hubUri);
  g.add(ctx.work, BF_expressionOf, hub);
  g.type(hub, BF_Hub);
  const main = ctx.record.getDataFields('100', '110', '111')[0];
  let key = marcKey(f);
  if (f.tag === '240' && main) {
    const c = g.node(hub, BF_contribution, BF_Contribution);
    g.type(c, BF_PrimaryContribution);
    g.add(c, BF_agent, agent(ctx, main, hubUri + '-Agent'));
    // The main entry's 880 names the same agent (its label and marcKey added).
    const altMain = ctx.alternates.get(main);
    if (altMain !== undefined) {
      const copy = new DataField(main.tag, altMain.ind1, altMain.ind2, copyOf(altMain));
      ALTERNATE.set(copy, { paired: true });
      const lang = g.lang;
      g.lang = xmlLangOf(ctx, altMain);
      agent(ctx, copy, hubUri + '-Agent');
      g.lang = lang;
    }
    roles(ctx, c, main, ctx.leader.charAt(6) === 'a' ? 'aut' : 'ctb');
    key = marcKey(main, main.subfieldList().filter((s) => s.code !== '4')) + f.subfieldList().filter((s) => !'0126'.includes(s.code)).map((s) => '$' + (s.code === 'a' ? 't' : s.code) + s.value).join('');
  }
  hubTitle(ctx, hub, f, f.tag === '240' ? f.ind2 : f.ind1);
  // LC keeps one marcKey on a Hub: its paired 880 adds none.
  if (!ALTERNATE.has(f)) g.lit(hub, BFLC_marcKey, key);
}

// ---------------------------------------------------------------- subjects

/** A name subject's relator terms ($e/$j) and codes ($4): the agent's relation to this Work. */
function subjectRelations(ctx: Ctx, a: Subject, f: DataField): void {
  const { g } = ctx;
  const textCode = f.tag.endsWith('11') ? 'j' : 'e';
  for (const s of f.subfieldList()) {
    if (s.code !== textCode && s.code !== '4') continue;
    const rel = g.node(a, BF_relation, BF_Relation);
    if (s.code === '4') g.node(rel, BF_relationship, BF_Relationship, s.value.includes('://') ? s.value.trim() : VOCAB + 'relators/' + normalizeCode(s.value.substring(0, 3)));
    else g.lit(g.node(rel, BF_relationship, BF_Relationship), RDFS_label, chopPunct(s.value));
    g.add(rel, iri(BF + 'relatedTo'), ctx.work);
  }
}

function sourceFor(ctx: Ctx, node: Subject, f: DataField, genre: boolean, mads: boolean): void {
  const { g } = ctx;
  const scheme = codes.SUBJECT_SCHEMES[f.ind2];
  if (scheme && !(genre && f.ind2 !== '0' && f.ind2 !== '2')) {
    if (mads && scheme[1]) g.ref(node, MADS_isMemberOfMADSScheme, scheme[0]);
    g.ref(node, BF_source, scheme[0]);
  } else if (f.ind2 === '7') {
    const code = sfv(f, '2');
    // FAST headings name their scheme by IRI alone.
    if (code === 'fast') g.ref(node, BF_source, VOCAB + 'subjectSchemes/fast');
    else if (code) {
      const src = g.node(node, BF_source, BF_Source, VOCAB + (genre ? 'genreFormSchemes/' : 'subjectSchemes/') + normalizeCode(code));
      g.lit(src, BF_code, code);
    }
  }
}

function subject(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const tag = f.tag;
  const subdivisions = f.subfieldList().filter((s) => 'vxyz'.includes(s.code));
  const complex = subdivisions.length > 0;
  const isName = tag === '600' || tag === '610' || tag === '611';
  if ((isName && sfv(f, 't') !== undefined) || tag === '630') return titleSubject(ctx, f, pos, subdivisions);
  const genre = tag === '655';
  if (isName) {
    const agentUri = `${ctx.id}#Agent${uriTag(f)}-${pos}`;
    const keySubs = f.subfieldList().filter((s) => !'vxyz'.includes(s.code) && s.code !== '2');
    if (!complex) {
      const a = agent(ctx, f, agentUri, keySubs);
      g.add(ctx.work, BF_subject, a);
      sourceFor(ctx, a, f, false, false);
      subjectRelations(ctx, a, f);
      return;
    }
    const topic = minted(`${ctx.id}#Topic${uriTag(f)}-${pos}`);
    g.add(ctx.work, BF_subject, topic);
    g.type(topic, BF_Topic);
    g.type(topic, MADS_ComplexSubject);
    g.lit(topic, MADS_authoritativeLabel, normalizeSpace([nameLabel(f), ...subdivisions.map((s) => s.value)].join('--')));
    sourceFor(ctx, topic, f, false, true);
    const a = agent(ctx, f, agentUri, keySubs);
    sourceFor(ctx, a, f, false, false);
    const items: Subject[] = [a];
    for (const s of subdivisions) items.push(component(ctx, codes.SUBDIVISION[s.code] as string, chopPunct(s.value)));
    g.add(topic, MADS_componentList, list(ctx, items));
    return;
  }
  if (tag === '656' || tag === '662') return otherSubject(ctx, f, pos);
  const event = tag === '647';
  const main = { '647': 'Event', '648': 'Temporal', '650': 'Topic', '651': 'Geographic', '655': 'GenreForm' }[tag] as string;
  const entity = { '647': 'Event', '648': 'Temporal', '650': 'Topic', '651': 'Place', '655': 'GenreForm' }[tag] as string;
  const bfClass = { '647': 'Event', '648': 'Temporal', '650': 'Topic', '651': 'Place', '655': 'GenreForm' }[tag] as string;
  const heads = f.subfieldList().filter((s) => (event ? 'acdg' : 'abcd').includes(s.code));
  const headLabel = heads.map((s) => s.value).join(' ');
  const authority = complex ? undefined : subjectAuthority(f);
  const node = authority !== undefined ? iri(authority.about) : minted(`${ctx.id}#${entity}${uriTag(f)}-${pos}`);
  const parts = [chopPunct(headLabel), ...subdivisions.map((s) => chopPunct(s.value))];
  // LC chops the joined heading, so a final period stays when the text has another one.
  const label = complex ? chopPunct([headLabel, ...subdivisions.map((s) => s.value)].join('--')) : parts.join('--');
  if (!complex) {
    g.add(ctx.work, genre ? BF_genreForm : BF_subject, node);
    g.type(node, BF + bfClass);
    if (!event) g.type(node, MADS + main);
  } else {
    g.add(ctx.work, BF_subject, node);
    g.type(node, BF_Topic);
    g.type(node, MADS_ComplexSubject);
  }
  // A paired 880 adds its authoritative label; LC keeps the romanized rdfs:label alone.
  if (ALTERNATE.get(f)?.paired !== true) g.lit(node, RDFS_label, label);
  g.lit(node, MADS_authoritativeLabel, label);
  if (complex) {
    const first = event ? g.blank(BF + 'Event') : component(ctx, main, parts[0] as string);
    if (event) {
      g.lit(first, MADS_authoritativeLabel, parts[0]);
      g.lit(first, RDFS_label, parts[0]);
    }
    const items: Subject[] = [first];
    subdivisions.forEach((s, i) => items.push(component(ctx, codes.SUBDIVISION[s.code] as string, parts[i + 1] as string)));
    g.add(node, MADS_componentList, list(ctx, items));
  }
  sourceFor(ctx, node, f, genre, true);
  if (authority?.authority !== undefined) g.ref(node, MADS + 'isIdentifiedByAuthority', authority.authority);
  if (!complex) for (const one of sfAll(f, '1')) g.ref(node, MADS + 'identifiesRWO', one);
  if (event && !complex) g.lit(node, BFLC_marcKey, marcKey(f));
}

/**
 * The IRI LC gives a simple subject from its $0: a FAST number as its FAST IRI, an LC name
 * authority as its real-world object (with the authority kept), any other IRI as is.
 */
function subjectAuthority(f: DataField): { about: string; authority?: string } | undefined {
  for (const z of sfAll(f, '0')) {
    const fast = /^\(OCoLC\)fst0*(\d+)$/.exec(z);
    if (fast) return { about: 'http://id.worldcat.org/fast/' + (fast[1] as string).padStart(8, '0') };
    if (!z.includes('://')) continue;
    const uri = z.replace(/^\(uri\)/, '');
    const name = /^https?:\/\/id\.loc\.gov\/authorities\/names\/([a-z]+\d+)$/.exec(uri);
    if (name) return { about: 'http://id.loc.gov/rwo/agents/' + (name[1] as string), authority: uri };
    return { about: uri };
  }
  return undefined;
}

const HIERARCHICAL: { [code: string]: string } = { a: 'Country', b: 'State', c: 'County', d: 'City', f: 'CitySection', g: 'Region', h: 'ExtraterrestrialArea' };

/** 656 (occupation) and 662 (hierarchical place) subjects: components labelled with rdfs:label. */
function otherSubject(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const occupation = f.tag === '656';
  const parts = f.subfieldList().filter((s) => (occupation ? 'avxyz' : 'abcdfgh').includes(s.code));
  if (parts.length === 0) return;
  const node = minted(`${ctx.id}#${occupation ? 'Topic' : 'Place'}${uriTag(f)}-${pos}`);
  g.add(ctx.work, BF_subject, node);
  g.type(node, occupation ? BF_Topic : BF_Place);
  g.type(node, MADS + (occupation ? 'ComplexSubject' : 'HierarchicalGeographic'));
  g.lit(node, RDFS_label, normalizeSpace(parts.map((s) => s.value).join('--')));
  const items = parts.map((s) => {
    const cls = occupation ? (s.code === 'a' ? 'Occupation' : (codes.SUBDIVISION[s.code] as string)) : (HIERARCHICAL[s.code] as string);
    const c = g.blank(MADS + cls);
    g.lit(c, RDFS_label, chopPunct(s.value));
    return c;
  });
  g.add(node, MADS_componentList, list(ctx, items));
  for (const code of sfAll(f, '2')) {
    const src = g.node(node, BF_source, BF_Source, occupation ? undefined : VOCAB + 'subjectSchemes/' + normalizeCode(code));
    g.lit(src, BF_code, code);
  }
}

/**
 * 600-611 with $t (a name-title) and 630 (a title) as subjects: a Hub (`#Hub6XX-n`), with its
 * agent for a name-title; with subdivisions, a complex Topic whose component list starts with it.
 */
function titleSubject(ctx: Ctx, f: DataField, pos: number, subdivisions: Subfield[]): void {
  const { g } = ctx;
  const nameTitle = f.tag !== '630';
  // A $0 IRI names the heading (LC gives it to the Hub and, with subdivisions, the Topic too).
  const uri0 = sfAll(f, '0').find((z) => z.includes('://'))?.replace(/^\(uri\)/, '');
  const hub = uri0 !== undefined ? iri(uri0) : minted(`${ctx.id}#Hub${uriTag(f)}-${pos}`);
  const scheme = codes.SUBJECT_SCHEMES[f.ind2];
  const heading = f.subfieldList().filter((s) => !'vxyz012345678'.includes(s.code));
  const headLabel = chopPunct(heading.map((s) => s.value).join(' '));
  g.type(hub, BF_Hub);
  g.type(hub, nameTitle ? MADS_NameTitle : MADS_Title);
  g.lit(hub, MADS_authoritativeLabel, headLabel);
  if (scheme && scheme[1]) g.ref(hub, MADS_isMemberOfMADSScheme, scheme[0]);
  if (nameTitle) {
    const c = g.node(hub, BF_contribution, BF_Contribution);
    g.add(c, BF_agent, agent(ctx, f, `${ctx.id}#Agent${uriTag(f)}-${pos}`, f.subfieldList().filter((s) => !'vxyz'.includes(s.code))));
    g.ref(c, BF_role, VOCAB + 'relators/ctb');
  }
  const t = g.node(hub, BF_title, BF_Title);
  let inTitle = !nameTitle;
  for (const sf of f.subfieldList()) {
    if (sf.code === 't') inTitle = true;
    if (!inTitle) continue;
    if (sf.code === 't' && nameTitle) g.lit(t, BF_mainTitle, chopPunct(sf.value));
    else if (sf.code === 'a' && !nameTitle) g.lit(t, BF_mainTitle, headLabel);
    else if (sf.code === 'n') g.lit(t, BF_partNumber, chopPunct(sf.value));
    else if (sf.code === 'p') g.lit(t, BF_partName, chopPunct(sf.value));
  }
  if (!ALTERNATE.has(f)) g.lit(hub, BFLC_marcKey, marcKey(f));
  if (subdivisions.length === 0) {
    g.add(ctx.work, BF_subject, hub);
    return;
  }
  const topic = uri0 !== undefined ? hub : minted(`${ctx.id}#Topic${uriTag(f)}-${pos}`);
  g.add(ctx.work, BF_subject, topic);
  g.type(topic, BF_Topic);
  g.type(topic, MADS_ComplexSubject);
  g.lit(topic, MADS_authoritativeLabel, normalizeSpace([nameTitle ? heading.map((s) => s.value).join(' ') : headLabel, ...subdivisions.map((s) => s.value)].join('--')));
  sourceFor(ctx, topic, f, false, true);
  const items: Subject[] = [hub];
  for (const sd of subdivisions) items.push(component(ctx, codes.SUBDIVISION[sd.code] as string, chopPunct(sd.value)));
  g.add(topic, MADS_componentList, list(ctx, items));
}

function component(ctx: Ctx, madsClass: string, label: string): Subject {
  const node = ctx.g.blank(MADS + madsClass);
  ctx.g.lit(node, MADS_authoritativeLabel, label);
  return node;
}

function list(ctx: Ctx, items: Subject[]): Subject {
  const { g } = ctx;
  const nil = RDF_nil;
  let rest: Subject = nil;
  for (let i = items.length - 1; i >= 0; i--) {
    const cell = g.blank();
    g.add(cell, RDF_first, items[i] as Subject);
    g.add(cell, RDF_rest, rest);
    rest = cell;
  }
  return rest;
}

function keywords(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  f.subfieldList().forEach((s, i) => {
    if (s.code !== 'a') return;
    // An IRI in the $0 that follows names the keyword.
    const next = f.subfieldList()[i + 1];
    const about = next?.code === '0' && next.value.includes('://') ? next.value.replace(/^\(uri\)/, '') : undefined;
    const node = g.node(ctx.work, BF_subject, BF_Topic, about);
    g.type(node, BFLC_Uncontrolled);
    g.lit(node, RDFS_label, s.value);
    institutions(ctx, node, f);
  });
}

// ---------------------------------------------------------------- series, links

function series490(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  const titles = sfAll(f, 'a');
  if (titles.length === 0) return;
  const rel = g.node(ctx.work, BF_relation, BF_Relation);
  g.lit(g.node(rel, BF_relationship, BF_Relationship, VOCAB + 'relationship/series'), RDFS_label, 'series');
  const series = g.node(rel, BF_associatedResource, BF_Series);
  g.type(series, BFLC_Uncontrolled);
  status(g, series, 't');
  if (f.ind1 === '1') status(g, series, 'tr');
  const t = g.node(series, BF_title, BF_Title);
  g.lit(t, BF_mainTitle, chopPunct(titles.join(' ')));
  const x = sfv(f, 'x');
  if (x) {
    const issn = g.node(series, BF_identifiedBy, BF_Issn);
    g.lit(issn, RDF_value, chopPunct(x));
  }
  const v = sfv(f, 'v');
  if (v) g.lit(rel, BF_seriesEnumeration, chopPunct(v));
}

function series8xx(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const rel = g.node(ctx.work, BF_relation, BF_Relation);
  g.lit(g.node(rel, BF_relationship, BF_Relationship, VOCAB + 'relationship/series'), RDFS_label, 'series');
  const hub = minted(`${ctx.id}#Hub${uriTag(f)}-${pos}`);
  g.add(rel, BF_associatedResource, hub);
  g.type(hub, BF_Hub);
  g.type(hub, BF_Series);
  if (f.tag !== '830') {
    const c = g.node(hub, BF_contribution, BF_Contribution);
    g.type(c, BF_PrimaryContribution);
    g.add(c, BF_agent, agent(ctx, f, `${ctx.id}#Agent${uriTag(f)}-${pos}`));
  }
  const t = g.node(hub, BF_title, BF_Title);
  // The title is every title subfield (from $t for a name-title), its parts also stated apart.
  const parts: string[] = [];
  let inTitle = f.tag === '830';
  for (const sf of f.subfieldList()) {
    if (sf.code === 't') inTitle = true;
    if (!inTitle) continue;
    if ('adfghklmnoprst'.includes(sf.code)) parts.push(sf.value);
    if (sf.code === 'n') g.lit(t, BF_partNumber, chopPunct(sf.value));
    else if (sf.code === 'p') g.lit(t, BF_partName, chopPunct(sf.value));
  }
  g.lit(t, BF_mainTitle, chopPunct(normalizeSpace(parts.join(' '))));
  if (!ALTERNATE.has(f)) g.lit(hub, BFLC_marcKey, marcKey(f, f.subfieldList().filter((s) => !'x5'.includes(s.code))));
  const v = sfv(f, 'v');
  if (v) g.lit(rel, BF_seriesEnumeration, v);
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
  const relation = g.node(ctx.work, BF_relation, BF_Relation);
  if (rel) g.ref(relation, BF_relationship, VOCAB + 'relationship/' + rel);
  const target = minted(`${ctx.id}#Work${uriTag(f)}-${pos}`);
  const instance = minted(`${ctx.id}#Instance${uriTag(f)}-${pos}`);
  g.add(relation, BF_associatedResource, target);
  g.type(target, BF_Work);
  const instTitle0 = sfv(f, 't') ?? sfv(f, 's');
  let workTitle = sfv(f, 's') ?? instTitle0;
  let instTitle = instTitle0;
  if (workTitle === undefined) {
    const t245 = ctx.record.getDataField('245');
    if (t245) workTitle = instTitle = sfAll(t245, 'ab').join(' ');
  }
  if (workTitle) {
    const t = g.node(target, BF_title, BF_Title);
    g.lit(t, BF_mainTitle, chopPunct(workTitle));
    for (const c of sfAll(f, 'c')) g.lit(t, BF_qualifier, chopPunct(c, { chopParens: true }));
  }
  for (const p of sfAll(f, 'p')) g.lit(g.node(target, BF_title, BF_AbbreviatedTitle), BF_mainTitle, chopPunct(p));
  const a = sfv(f, 'a');
  if (a) {
    const c = g.node(target, BF_contribution, BF_PrimaryContribution);
    const ag = g.node(c, BF_agent, BF_Agent);
    g.lit(ag, RDFS_label, chopPunct(a));
  }
  const i = sfv(f, 'i');
  if (i) g.lit(g.node(relation, BF_relationship, BF_Relationship), RDFS_label, chopPunct(i));
  for (const x of sfAll(f, 'x')) g.lit(g.node(target, BF_identifiedBy, BF_Issn), RDF_value, chopPunct(x));
  for (const e of sfAll(f, 'e')) g.node(target, BF_language, BF_Language, VOCAB + 'languages/' + normalizeCode(e));
  for (const v of sfAll(f, 'v')) g.lit(g.node(target, BF_note, BF_Note), RDFS_label, chopPunct(v));
  const roles4 = sfAll(f, '4').filter((r) => r.includes('://'));
  for (const r of roles4) g.node(target, BF_role, BF_Role, r);
  appliesTo(ctx, target, f);
  g.add(target, BF_hasInstance, instance);
  g.type(instance, BF_Instance);
  if (instTitle) g.lit(g.node(instance, BF_title, BF_Title), BF_mainTitle, chopPunct(instTitle));
  for (const sf of f.subfieldList()) {
    const v = sf.value;
    switch (sf.code) {
      case 'b': g.lit(instance, BF_editionStatement, v); break;
      case 'd': g.lit(instance, BF_provisionActivityStatement, chopPunct(v)); break;
      case 'f': g.node(g.node(instance, BF_provisionActivity, BF_ProvisionActivity), BF_place, BF_Place, VOCAB + 'countries/' + normalizeCode(v)); break;
      case 'g': g.lit(instance, BF_part, v); break;
      case 'h': g.lit(g.node(instance, BF_extent, BF_Extent), RDFS_label, v); break;
      case 'j': case 'm': case 'n': case 'q': g.lit(g.node(instance, BF_note, BF_Note), RDFS_label, v); break;
      case 'k': g.lit(instance, iri(BF + 'seriesStatement'), chopPunct(v)); break;
      case 'o': g.lit(g.node(instance, BF_identifiedBy, BF_Local), RDF_value, v); break;
      case 'r': g.lit(g.node(instance, BF_identifiedBy, iri(BF + 'ReportNumber')), RDF_value, v); break;
      case 'u': g.lit(g.node(instance, BF_identifiedBy, iri(BF + 'Strn')), RDF_value, v); break;
      case 'y': g.lit(g.node(instance, BF_identifiedBy, iri(BF + 'Coden')), RDF_value, v); break;
      case 'z': g.lit(g.node(instance, BF_identifiedBy, BF_Isbn), RDF_value, chopPunct(v)); break;
      default:
    }
  }
  for (const r of roles4) g.node(instance, BF_role, BF_Role, r);
  appliesTo(ctx, instance, f);
  for (const w of sfAll(f, 'w')) {
    const m = /^\(([^)]*)\)(.*)$/.exec(w);
    const org = m?.[1];
    const node = g.node(instance, BF_identifiedBy, org === 'DLC' ? BF_Lccn : BF_Identifier);
    g.lit(node, RDF_value, m ? (m[2] as string) : w);
    if (org !== undefined) g.lit(g.node(node, BF_assigner, BF_Agent, org === 'DLC' ? orgUri(org) : undefined), BF_code, org);
  }
  g.add(instance, BF_instanceOf, target);
}

function relatedWork7xx(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const hub = minted(`${ctx.id}#Hub${uriTag(f)}-${pos}`);
  const rel = g.node(ctx.work, BF_relation, BF_Relation);
  g.add(rel, BF_associatedResource, hub);
  g.type(hub, BF_Hub);
  relationship7xx(ctx, rel, f);
  const c = g.node(hub, BF_contribution, BF_Contribution);
  const key = f.subfieldList().filter((s) => s.code !== '5');
  g.add(c, BF_agent, agent(ctx, f, `${ctx.id}#Agent${uriTag(f)}-${pos}`, key));
  roles(ctx, c, f, 'ctb');
  hubTitleFromT(ctx, hub, f);
  for (const z of sfAll(f, '0')) if (!z.includes('://')) identifier0(ctx, hub, z);
  if (!ALTERNATE.has(f)) g.lit(hub, BFLC_marcKey, marcKey(f, key));
}

/** The title of a name-title field's Hub: $t and the title subfields after it. */
function hubTitleFromT(ctx: Ctx, hub: Subject, f: DataField): void {
  const { g } = ctx;
  const t = g.node(hub, BF_title, BF_Title);
  let after = false;
  const titleParts: string[] = [];
  for (const sf of f.subfieldList()) {
    if (sf.code === 't') after = true;
    if (!after) continue;
    if ('tfgklmnoprs'.includes(sf.code)) titleParts.push(sf.value);
    if (sf.code === 'n') g.lit(t, BF_partNumber, chopPunct(sf.value));
    else if (sf.code === 'p') g.lit(t, BF_partName, chopPunct(sf.value));
    else if (sf.code === 'f') g.lit(hub, iri(BF + 'originDate'), chopPunct(sf.value));
  }
  // A title of several parts keeps LC's final punctuation; a bare $t is chopped. A paired 880
  // adds its title only when its $6 names a script (and so it carries a language tag).
  if (ALTERNATE.get(f)?.paired === true && g.lang === '') return;
  g.lit(t, BF_mainTitle, titleParts.length === 1 ? chopPunct(titleParts[0] as string) : normalizeSpace(titleParts.join(' ')));
}

/**
 * A uniform title's Hub (130/240/730): the title from all its title subfields, its parts, and the
 * work attributes LC lifts onto the Hub (legal and origin date, key, medium, version...).
 */
function hubTitle(ctx: Ctx, hub: Subject, f: DataField, nonSort: string): void {
  const { g } = ctx;
  const t = g.node(hub, BF_title, BF_Title);
  if (/^[1-9]$/.test(nonSort)) g.lit(t, BFLC_nonSortNum, nonSort);
  // LC keeps a final period after a date ("Bible. Latin. Vulgate. 1456.").
  const joined = normalizeSpace(f.subfieldList().filter((s) => 'adfghklmnoprs'.includes(s.code)).map((s) => s.value).join(' '));
  g.lit(t, BF_mainTitle, /\d\.$/.test(joined) ? joined : chopPunct(joined));
  f.subfieldList().forEach((sf, i) => {
    const v = chopPunct(sf.value);
    if (sf.code === 'n') g.lit(t, BF_partNumber, v);
    else if (sf.code === 'p') g.lit(t, BF_partName, v);
    else if (sf.code === 'd') g.lit(hub, iri(BF + 'legalDate'), chopPunct(sf.value, { chopParens: true }));
    else if (sf.code === 'f') g.lit(hub, iri(BF + 'originDate'), v);
    else if (sf.code === 's') g.lit(hub, iri(BF + 'version'), v);
    else if (sf.code === 'r') g.lit(hub, iri(BF + 'musicKey'), v);
    else if (sf.code === 'o' && v.startsWith('arr')) g.type(hub, BF + 'Arrangement');
    else if (sf.code === 'm') g.lit(g.node(hub, iri(BF + 'musicMedium'), iri(BF + 'MusicMedium')), RDFS_label, v);
    else if (sf.code === 'l') g.lit(g.node(hub, BF_language, BF_Language), RDFS_label, v);
    else if (sf.code === 'x') g.lit(g.node(hub, BF_identifiedBy, BF_Issn), RDF_value, v);
    else if (sf.code === '0' && !sf.value.includes('://') && f.subfieldList()[i - 1]?.code !== '0') identifier0(ctx, hub, sf.value);
  });
}

/** LC's subfield0orw for a non-IRI $0: an Identifier, its source the parenthesised code. */
function identifier0(ctx: Ctx, node: Subject, value: string): void {
  const { g } = ctx;
  const m = /^\(([^)]*)\)\s*(.*)$/.exec(value);
  const id = g.node(node, BF_identifiedBy, BF_Identifier);
  g.lit(id, RDF_value, m ? (m[2] as string) : value);
  if (m) g.lit(g.node(id, BF_source, BF_Source), BF_code, m[1]);
}

// Relationship terms LC recognises in a 7XX $i ("is arrangement of" → arrangementof).
const RELATIONSHIPS = new Set(['abridgementof', 'adaptationof', 'arrangementof', 'basedon', 'continuationof', 'continuedby', 'continues', 'derivativeof',
  'dramatizationof', 'expandedversionof', 'freetranslationof', 'imitationof', 'inspiredby', 'librettofor', 'musicalsettingof', 'novelizationof', 'paraphraseof',
  'remakeof', 'revisionof', 'screenplayfor', 'sequelto', 'summaryof', 'supplementto', 'translationof', 'variationsbasedon', 'versionof']);

/** The relationship of a 7XX related work: from $i when LC knows the term, else from ind2. */
function relationship7xx(ctx: Ctx, rel: Subject, f: DataField): void {
  const { g } = ctx;
  const i = sfv(f, 'i');
  if (i !== undefined) {
    const code = chopPunct(i).replace(/^is\s+/i, '').toLowerCase().replace(/[^a-z]/g, '');
    if (RELATIONSHIPS.has(code)) {
      g.ref(rel, BF_relationship, VOCAB + 'relationship/' + code);
      return;
    }
    g.ref(rel, BF_relationship, VOCAB + 'relationship/relatedwork');
    g.lit(g.node(rel, BF_relationship, BF_Relationship), RDFS_label, chopPunct(i));
    return;
  }
  if (f.ind2 === '4') g.ref(rel, BF_relationship, BFLC + 'hasVariantEntry');
  else g.ref(rel, BF_relationship, VOCAB + 'relationship/' + (f.ind2 === '2' ? 'part' : 'relatedwork'));
}

/** 730: a related Hub titled by the uniform title, with its version, key, medium and ISSN. */
function relatedHub730(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const hub = minted(`${ctx.id}#Hub${uriTag(f)}-${pos}`);
  const rel = g.node(ctx.work, BF_relation, BF_Relation);
  relationship7xx(ctx, rel, f);
  g.add(rel, BF_associatedResource, hub);
  g.type(hub, BF_Hub);
  hubTitle(ctx, hub, f, f.ind1);
  appliesTo(ctx, hub, f);
  for (const inst of sfAll(f, '5')) g.ref(hub, BFLC_applicableInstitution, orgUri(inst));
  if (!ALTERNATE.has(f)) g.lit(hub, BFLC_marcKey, marcKey(f));
}

/** 740: an uncontrolled related (or, ind2 2, contained) Work with its title. */
function uncontrolled740(ctx: Ctx, f: DataField, pos: number): void {
  const { g } = ctx;
  const rel = g.node(ctx.work, BF_relation, BF_Relation);
  g.ref(rel, BF_relationship, VOCAB + 'relationship/' + (f.ind2 === '2' ? 'part' : 'relatedwork'));
  const w = minted(`${ctx.id}#Work${uriTag(f)}-${pos}`);
  g.add(rel, BF_associatedResource, w);
  g.type(w, BF_Work);
  g.type(w, BFLC_Uncontrolled);
  const t = g.node(w, BF_title, BF_Title);
  if (/^[0-9]$/.test(f.ind1)) g.lit(t, BFLC_nonSortNum, f.ind1);
  for (const sf of f.subfieldList()) {
    if (sf.code === 'a') g.lit(t, BF_mainTitle, chopPunct(sf.value));
    else if (sf.code === 'n') g.lit(t, BF_partNumber, chopPunct(sf.value));
    else if (sf.code === 'p') g.lit(t, BF_partName, chopPunct(sf.value));
  }
}

// ---------------------------------------------------------------- notes (Work)

function contentsNote(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  const text = normalizeSpace(sfAll(f, 'agrt').join(' '));
  const node = g.node(ctx.work, BF_tableOfContents, BF_TableOfContents);
  g.lit(node, RDFS_label, text);
  for (const u of sfAll(f, 'u')) g.ref(node, BF_electronicLocator, u);
  if (f.ind1 === '1') g.lit(g.node(node, BF_status, BF_Status, VOCAB + 'mstatus/incmp'), RDFS_label, 'Incomplete');
  else if (f.ind1 === '2') g.lit(g.node(node, BF_status, BF_Status, VOCAB + 'mstatus/part'), RDFS_label, 'Partial');
}

function summary(ctx: Ctx, f: DataField): void {
  const node = ctx.g.node(ctx.work, BF_summary, BF_Summary);
  ctx.g.lit(node, RDFS_label, normalizeSpace(sfAll(f, 'abc').join(' ')));
  subfieldsU35(ctx, node, f);
}

const AUDIENCE_NOTES: { [ind1: string]: string } = { '0': 'reading grade level', '1': 'interest age level', '2': 'interest grade level' };

function audience(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  const node = g.node(ctx.work, BF_intendedAudience, BF_IntendedAudience);
  g.lit(node, RDFS_label, normalizeSpace(sfAll(f, 'a').join(' ')));
  const note = AUDIENCE_NOTES[f.ind1];
  if (note) g.lit(g.node(node, BF_note, BF_Note), RDFS_label, note);
  for (const b of sfAll(f, 'b')) g.lit(g.node(node, BF_source, BF_Source), RDFS_label, b);
  appliesTo(ctx, node, f);
}

/** A typed Work note from $a (one per $a), with $3 attached. */
function typedWorkNote(ctx: Ctx, f: DataField, type: string, prefix = ''): void {
  for (const a of sfAll(f, 'a')) {
    const node = ctx.g.node(ctx.work, BF_note, BF_Note);
    ctx.g.ref(node, RDF_type, VOCAB + 'mnotetype/' + type);
    ctx.g.lit(node, RDFS_label, prefix + a);
    appliesTo(ctx, node, f);
  }
}

function langNote(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  for (const a of sfAll(f, 'a')) {
    const node = g.node(ctx.work, BF_note, BF_Note);
    g.ref(node, RDF_type, VOCAB + 'mnotetype/lang');
    g.lit(node, RDFS_label, chopPunct(a, { end: ':;,/=' }));
    appliesTo(ctx, node, f);
  }
  for (const b of sfAll(f, 'b')) {
    const node = g.node(ctx.work, BF_notation, BF_Notation);
    g.lit(node, RDFS_label, chopPunct(b));
    appliesTo(ctx, node, f);
  }
}

function rdaType(ctx: Ctx, f: DataField, s: Subject, prop: NamedNode, cls: NamedNode, vocab: string): void {
  const { g } = ctx;
  const as = sfAll(f, 'a');
  const bs = sfAll(f, 'b');
  const n = Math.max(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    const b = bs[i];
    const node = g.node(s, prop, cls, b ? VOCAB + vocab + '/' + b : undefined);
    g.lit(node, RDFS_label, as[i]);
    if (!b && bs.length === 0) {
      const code = sfv(f, '2');
      if (code) g.lit(g.node(node, BF_source, BF_Source), BF_code, code);
    } else if (b) for (const code of sfAll(f, '2')) g.node(node, BF_source, BF_Source, 'http://id.loc.gov/vocabulary/genreFormSchemes/' + urlEncode(normalizeSpace(code)));
    appliesTo(ctx, node, f);
  }
}

// ---------------------------------------------------------------- Instance

function instanceField(ctx: Ctx, f: DataField, pos: number): void {
  const { g, instance } = ctx;
  switch (f.tag) {
    case '010': {
      const a = sfv(f, 'a');
      if (a) g.lit(g.node(instance, BF_identifiedBy, BF_Lccn), RDF_value, a);
      for (const z of sfAll(f, 'z')) {
        const node = g.node(instance, BF_identifiedBy, BF_Lccn);
        g.lit(node, RDF_value, z);
        status(g, node, 'cancinv');
      }
      return;
    }
    case '210': {
      const node = g.node(instance, BF_title, BF_AbbreviatedTitle);
      g.lit(node, BF_mainTitle, sfv(f, 'a'));
      g.lit(node, BF_qualifier, sfv(f, 'b'));
      const src = sfv(f, '2');
      if (src) g.lit(g.node(node, BF_assigner, BF_Agent), BF_code, src);
      return;
    }
    case '306': case '310': case '321': case '334': case '340': case '344': case '345': case '346': case '347': case '352':
      return instance3xx(physicalCtx(ctx), f);
    case '362': {
      const a0 = sfv(f, 'a');
      // A formatted designation with one range: LC splits it into first and last issue.
      if (f.ind1 === '0' && a0 !== undefined && a0.split('-').length === 2) {
        const [first, last] = a0.split('-') as [string, string];
        g.lit(instance, BF_firstIssue, chopPunct(first));
        g.lit(instance, BF_lastIssue, chopPunct(last));
        return;
      }
      for (const a of sfAll(f, 'a')) {
        const node = g.node(instance, BF_note, BF_Note);
        g.ref(node, RDF_type, VOCAB + 'mnotetype/number');
        g.lit(node, RDFS_label, a);
      }
      return;
    }
    case '028': {
      const node = g.node(instance, BF_identifiedBy, BF + (MUSIC_NUMBERS[f.ind1] ?? 'MusicPublisherNumber'));
      g.lit(node, RDF_value, sfv(f, 'a'));
      const b = sfv(f, 'b');
      if (b) g.lit(g.node(node, BF_assigner, BF_Organization), RDFS_label, chopPunct(b));
      const q = sfv(f, 'q');
      if (q) g.lit(node, BF_qualifier, chopPunct(q, { chopParens: true }));
      return;
    }
    case '020': case '024': case '027': case '030': case '088':
      return identifier(ctx, f);
    case '037': {
      // Source of acquisition: stock number ($a), source ($b), terms ($c), note ($n).
      const node = g.node(instance, iri(BF + 'acquisitionSource'), iri(BF + 'AcquisitionSource'));
      for (const sf of f.subfieldList()) {
        if (sf.code === 'a') g.lit(g.node(node, BF_identifiedBy, BF_StockNumber), RDF_value, sf.value);
        else if (sf.code === 'b') g.lit(node, RDFS_label, sf.value);
        else if (sf.code === 'c') g.lit(node, iri(BF + 'acquisitionTerms'), sf.value);
        else if (sf.code === 'n') g.lit(g.node(node, BF_note, BF_Note), RDFS_label, sf.value);
      }
      return;
    }
    case '015': {
      // National bibliography numbers, their scheme from $2.
      for (const sf of f.subfieldList()) {
        if (sf.code !== 'a' && sf.code !== 'z') continue;
        const node = g.node(instance, BF_identifiedBy, iri(BF + 'Nbn'));
        g.lit(node, RDF_value, sf.value);
        if (sf.code === 'z') status(g, node, 'cancinv');
        for (const code of sfAll(f, '2')) g.lit(g.node(node, BF_source, BF_Source, VOCAB + 'nationalbibschemes/' + normalizeCode(code)), BF_code, code);
      }
      return;
    }
    case '016': {
      // A national bibliographic agency's control number: Library and Archives Canada unless $2 names another.
      for (const sf of f.subfieldList()) {
        if (sf.code !== 'a' && sf.code !== 'z') continue;
        const node = g.node(instance, BF_identifiedBy, BF_Local);
        g.lit(node, RDF_value, sf.value);
        if (sf.code === 'z') status(g, node, 'cancinv');
        const code = sfv(f, '2');
        if (f.ind1 === '7' && code !== undefined) g.lit(g.node(node, BF_source, BF_Source, orgUri(code)), BF_code, code);
        else if (f.ind1 === ' ') g.lit(g.node(node, BF_source, BF_Source, 'http://id.loc.gov/authorities/names/no2004037399'), RDFS_label, 'Library and Archives Canada');
      }
      return;
    }
    case '035': {
      for (const a of sfAll(f, 'a')) {
        const m = /^\(([^)]*)\)\s*(.*)$/.exec(a);
        const oclc = m?.[1] === 'OCoLC';
        const node = g.node(instance, BF_identifiedBy, oclc ? BF_OclcNumber : BF_Local);
        g.lit(node, RDF_value, m ? (m[2] as string) : a);
        // LC names the assigner by IRI only, with no code literal.
        if (m && !oclc) g.node(node, BF_assigner, BF_Agent, orgUri(m[1] as string));
      }
      return;
    }
    case '245': {
      title245(ctx, f, instance, false);
      const c = sfv(f, 'c');
      if (c) g.lit(instance, BF_responsibilityStatement, chopPunct(c));
      return;
    }
    case '250': {
      const text = f.subfieldList().filter((s) => 'ab'.includes(s.code)).map((s) => s.value).join(' ');
      if (text) g.lit(instance, BF_editionStatement, chopPunct(text));
      return;
    }
    case '242': return variantTitle(ctx, f, instance);
    case '246': if ('45678'.includes(f.ind2)) variantTitle(ctx, f, instance); return;
    case '300': return extent(ctx, f);
    case '337': return rdaType(ctx, f, instance, BF_media, BF_Media, 'mediaTypes');
    case '338': return rdaType(ctx, f, instance, BF_carrier, BF_Carrier, 'carriers');
    case '500': case '501': case '513': case '515': case '516': case '530': case '533': case '534': case '536': case '544': case '545': case '547': case '550': case '555': case '556': case '581': case '585': case '588': return note(ctx, f);
    case '538': {
      const node = g.node(instance, BF_systemRequirement, BF_SystemRequirement);
      for (const a of sfAll(f, 'a')) g.lit(node, RDFS_label, a);
      subfieldsU35(ctx, node, f);
      return;
    }
    case '510': return refCitation(ctx, f);
    case '583': return actionNote(ctx, f);
    case '524':
      for (const a of sfAll(f, 'a')) {
        const node = g.node(instance, BF_note, BF_Note);
        g.ref(node, RDF_type, VOCAB + 'mnotetype/citeas');
        g.lit(node, RDFS_label, a);
        const src = sfv(f, '2');
        if (src) g.lit(g.node(node, BF_source, BF_Source, VOCAB + 'citationschemes/' + normalizeCode(src)), BF_code, src);
        appliesTo(ctx, node, f);
      }
      return;
    case '506': case '540': {
      // $f is the policy's qualifier and $g its date; the other text subfields make the label.
      const text = normalizeSpace(sfAll(f, f.tag === '506' ? 'abcdeq' : 'abcdq').join(' '));
      for (const holder of holders(ctx, f)) {
        const node = g.node(holder, BF_usageAndAccessPolicy, BF + (f.tag === '506' ? 'AccessPolicy' : 'UsePolicy'));
        g.lit(node, RDFS_label, text);
        for (const d of sfAll(f, 'g')) {
          const m = /^(\d{4})(\d{2})(\d{2})$/.exec(d.trim());
          g.lit(node, iri(BF + 'validDate'), m ? `${m[1]}-${m[2]}-${m[3]}` : d, m ? EDTF : undefined);
        }
        for (const q of sfAll(f, 'f')) g.lit(node, BF_qualifier, q);
        subfieldsU35(ctx, node, f);
      }
      return;
    }
    case '561':
      for (const holder of holders(ctx, f)) for (const a of sfAll(f, 'a')) g.lit(holder, BF_custodialHistory, a);
      return;
    case '504': {
      const node = g.node(instance, BF_note, BF_Note);
      g.ref(node, RDF_type, VOCAB + 'mnotetype/biblio');
      for (const a of sfAll(f, 'a')) g.lit(node, RDFS_label, a);
      for (const b of sfAll(f, 'b')) g.lit(node, BF_count, chopPunct(b));
      return;
    }
    case '563':
      for (const holder of holders(ctx, f)) for (const a of sfAll(f, 'a')) {
        const node = g.node(holder, BF_note, BF_Note);
        g.ref(node, RDF_type, VOCAB + 'mnotetype/binding');
        g.lit(node, RDFS_label, a);
        appliesTo(ctx, node, f);
      }
      return;
    case '541': {
      // LC states the acquisition on the record's Item and, unless it is private or LC's own
      // copy's ($5 DLC), on the Instance.
      for (const holder of f.ind1 === '0' || lcCopy(f) ? [itemOf(ctx)] : [itemOf(ctx), instance]) {
        const node = g.node(holder, BF_immediateAcquisition, BF_ImmediateAcquisition);
        g.lit(node, RDFS_label, normalizeSpace(sfAll(f, 'abcdefhno').join(' ')));
        appliesTo(ctx, node, f);
        institutions(ctx, node, f);
      }
      return;
    }
    case '856': return electronic856(ctx, f, pos);
    default:
  }
}

const MUSIC_NUMBERS: { [ind1: string]: string } = { '0': 'AudioIssueNumber', '1': 'MatrixNumber', '2': 'MusicPlate', '3': 'MusicPublisherNumber', '4': 'VideoRecordingNumber', '6': 'MusicDistributorNumber' };

/** 022 identifies the Work (the serial), with its linking ISSN, as LC has it. */
function issn022(ctx: Ctx, f: DataField): void {
  const { g } = ctx;
  for (const s of f.subfieldList()) {
    const cls = s.code === 'a' || s.code === 'y' || s.code === 'z' ? BF_Issn : s.code === 'l' || s.code === 'm' ? BF_IssnL : null;
    if (cls === null) continue;
    const node = g.node(ctx.work, BF_identifiedBy, cls);
    g.lit(node, RDF_value, s.value);
    if (s.code === 'z' || s.code === 'm') status(g, node, 'cancinv');
    else if (s.code === 'y') status(g, node, 'incorrect');
  }
}

function identifier(ctx: Ctx, f: DataField): void {
  const { g, instance } = ctx;
  const cls = f.tag === '020' ? 'Isbn' : f.tag === '022' ? 'Issn' : f.tag === '027' ? 'Strn' : f.tag === '028' ? 'MusicPublisherNumber' : f.tag === '030' ? 'Coden' : f.tag === '088' ? 'ReportNumber'
    : ({ '0': 'Isrc', '1': 'Upc', '2': 'Ismn', '3': 'Ean', '4': 'Sici', '7': 'Identifier', '8': 'Identifier' }[f.ind1] ?? 'Identifier');
  const q = sfAll(f, 'q').map((v) => chopPunct(v, { chopParens: true }));
  for (const s of f.subfieldList()) {
    if (s.code !== 'a' && s.code !== 'z' && s.code !== 'y') continue;
    const node = g.node(instance, BF_identifiedBy, BF + cls);
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
    g.lit(node, RDF_value, value);
    for (const qual of quals) g.lit(node, BF_qualifier, qual);
    if (s.code === 'z') status(g, node, 'cancinv');
    else if (s.code === 'y') status(g, node, 'incorrect');
  }
}

function extent(ctx: Ctx, f: DataField): void {
  const { g, instance } = ctx;
  const as = f.subfieldList().filter((s) => 'afg'.includes(s.code)).map((s) => s.value);
  if (as.length > 0) {
    const node = g.node(instance, BF_extent, BF_Extent);
    g.lit(node, RDFS_label, chopPunct(as.join(' '), { end: ':;,/+' }));
    const b = sfv(f, 'b');
    if (b) {
      const n = g.node(node, BF_note, BF_Note);
      g.ref(n, RDF_type, VOCAB + 'mnotetype/physical');
      g.lit(n, RDFS_label, chopPunct(b, { end: ':;,/+' }));
    }
    appliesTo(ctx, node, f);
  }
  // Accompanying material is a note on the Instance, not on its extent.
  const e = sfv(f, 'e');
  if (e) {
    const n = g.node(instance, BF_note, BF_Note);
    g.ref(n, RDF_type, VOCAB + 'mnotetype/accmat');
    g.lit(n, RDFS_label, chopPunct(e));
  }
  for (const c of sfAll(f, 'c')) g.lit(instance, BF_dimensions, chopPunct(c, { end: '.:;,/+=' }));
}

const NOTE_TYPES: { [tag: string]: string } = {
  '501': 'with', '513': 'report', '515': 'issuance', '516': 'computer', '530': 'addphys', '533': 'repro', '534': 'orig',
  '536': 'fundinfo', '544': 'related', '581': 'related', '550': 'issuing', '556': 'doc', '585': 'exhibit', '588': 'descsource',
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
  for (const holder of holders(ctx, f)) {
    const node = g.node(holder, BF_note, BF_Note);
    g.lit(node, RDFS_label, label);
    if (type) g.ref(node, RDF_type, VOCAB + 'mnotetype/' + type);
    if (tag === '530') for (const d of sfAll(f, 'd')) g.lit(g.node(node, BF_identifiedBy, BF_StockNumber), RDF_value, chopPunct(d));
    else if (tag === '533') for (const m of sfAll(f, 'm')) g.lit(g.node(node, BFLC_appliesTo, BFLC_AppliesTo), RDFS_label, chopPunct(m));
    else if (tag === '534') {
      for (const p of sfAll(f, 'p')) g.lit(g.node(node, BFLC_appliesTo, BFLC_AppliesTo), RDFS_label, chopPunct(p));
      for (const s of f.subfieldList()) if (s.code === 'x' || s.code === 'z') g.lit(g.node(node, BF_identifiedBy, BF + (s.code === 'x' ? 'Issn' : 'Isbn')), RDF_value, chopPunct(s.value));
    } else if (tag === '536') {
      for (const s of f.subfieldList()) if ('bcdefgh'.includes(s.code)) g.lit(node, RDFS_label, chopPunct((FUNDING_PREFIX[s.code] ?? '') + s.value));
    } else if (tag === '581') for (const z of sfAll(f, 'z')) g.lit(g.node(node, BF_identifiedBy, BF_Isbn), RDF_value, chopPunct(z));
  subfieldsU35(ctx, node, f);
  }
}

/** $u as electronicLocator, $3 as appliesTo, $5 as applicableInstitution, as LC attaches them. */
function subfieldsU35(ctx: Ctx, node: Subject, f: DataField): void {
  for (const u of sfAll(f, 'u')) ctx.g.ref(node, BF_electronicLocator, u);
  appliesTo(ctx, node, f);
  institutions(ctx, node, f);
}

function appliesTo(ctx: Ctx, node: Subject, f: DataField): void {
  for (const m of sfAll(f, '3')) ctx.g.lit(ctx.g.node(node, BFLC_appliesTo, BFLC_AppliesTo), RDFS_label, chopPunct(m));
}

function institutions(ctx: Ctx, node: Subject, f: DataField): void {
  for (const inst of sfAll(f, '5')) ctx.g.lit(ctx.g.node(node, BFLC_applicableInstitution, BF_Agent, orgUri(inst)), BF_code, inst);
}

function workNote(ctx: Ctx, f: DataField): void {
  const node = ctx.g.node(ctx.work, BF_note, BF_Note);
  ctx.g.ref(node, RDF_type, VOCAB + 'mnotetype/relnote');
  for (const a of sfAll(f, 'a')) ctx.g.lit(node, RDFS_label, a);
}

/** 510 with ind1 0-2 names an indexing service: a related Work "indexed in". */
function citation510(ctx: Ctx, f: DataField): void {
  if (f.ind1 !== '0' && f.ind1 !== '1' && f.ind1 !== '2') return;
  const { g } = ctx;
  const rel = g.node(ctx.work, BF_relation, BF_Relation);
  g.ref(rel, BF_relationship, VOCAB + 'relationship/indexedin');
  const w = g.node(rel, BF_associatedResource, BF_Work);
  const a = sfv(f, 'a');
  if (a) g.lit(g.node(w, BF_title, BF_Title), BF_mainTitle, chopPunct(a));
  for (const b of sfAll(f, 'b')) {
    const n = g.node(w, BF_note, BF_Note);
    g.ref(n, RDF_type, VOCAB + 'mnotetype/coverage');
    g.lit(n, RDFS_label, chopPunct(b));
  }
  for (const x of sfAll(f, 'x')) g.lit(g.node(w, BF_identifiedBy, BF_Issn), RDF_value, chopPunct(x));
}

/** 510 with ind1 3 or 4 is a reference citation: an Instance note with the location. */
function refCitation(ctx: Ctx, f: DataField): void {
  if (f.ind1 !== '3' && f.ind1 !== '4') return;
  const { g } = ctx;
  const node = g.node(ctx.instance, BF_note, BF_Note);
  g.ref(node, RDF_type, VOCAB + 'mnotetype/refcitation');
  for (const a of sfAll(f, 'a')) g.lit(node, RDFS_label, a);
  for (const c of sfAll(f, 'c')) g.lit(node, BFLC_citation, c);
  for (const u of sfAll(f, 'u')) g.ref(node, BF_electronicLocator, u);
  appliesTo(ctx, node, f);
}

function actionNote(ctx: Ctx, f: DataField): void {
  for (const holder of holders(ctx, f)) actionNoteOn(ctx, holder, f);
}

function actionNoteOn(ctx: Ctx, holder: Subject, f: DataField): void {
  const { g } = ctx;
  const node = g.node(holder, BF_note, BF_Note);
  g.ref(node, RDF_type, VOCAB + 'mnotetype/action');
  for (const a of sfAll(f, 'a')) g.lit(node, RDFS_label, a);
  for (const c of sfAll(f, 'c')) g.lit(node, BF_date, chopPunct(c));
  for (const h of sfAll(f, 'h')) g.lit(node, RDFS_label, h);
  for (const k of sfAll(f, 'k')) g.lit(g.node(node, BF_agent, BF_Agent), RDFS_label, chopPunct(k));
  for (const l of sfAll(f, 'l')) g.lit(g.node(node, BF_status, BF_Status), RDFS_label, chopPunct(l));
  for (const z of sfAll(f, 'z')) g.lit(g.node(node, BF_note, BF_Note), RDFS_label, chopPunct(z));
  for (const u of sfAll(f, 'u')) g.ref(node, BF_electronicLocator, u);
  const src = sfv(f, '2');
  if (src) g.lit(g.node(node, BF_source, BF_Source), BF_code, src);
  appliesTo(ctx, node, f);
}

/** A note about LC's own copy ($5 DLC): LC's converter attaches it to the Item. */
function lcCopy(f: DataField): boolean {
  return sfAll(f, '5').some((v) => v.trim() === 'DLC');
}

/** Where LC states a 5XX: on the Instance, and for LC's copy ($5 DLC) on the Item as well. */
function holders(ctx: Ctx, f: DataField): Subject[] {
  return lcCopy(f) ? [ctx.instance, itemOf(ctx)] : [ctx.instance];
}

/** The record's one Item (LC's `#Item`), made on first use; LC marks it held by DLC. */
function itemOf(ctx: Ctx): Subject {
  if (ctx.item) return ctx.item;
  const item = minted(ctx.id + '#Item');
  ctx.item = item;
  ctx.g.add(ctx.instance, BF_hasItem, item);
  ctx.g.type(item, BF_Item);
  ctx.g.ref(item, BF_heldBy, orgUri('DLC'));
  ctx.g.add(item, BF_itemOf, ctx.instance);
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
  const notes = (node: Subject, codes: string) => { for (const s of f.subfieldList()) if (codes.includes(s.code)) g.lit(g.node(node, BF_note, BF_Note), RDFS_label, s.value); };
  // A table of contents online is the Work's, by IRI ("Table of contents", "... only").
  if (s3.startsWith('table of contents') && ' 0128'.includes(f.ind2)) {
    for (const u of us) g.ref(ctx.work, BF_tableOfContents, u);
    return;
  }
  if (f.ind2 === '2') {
    for (const u of us) {
      const node = g.node(ctx.instance, BF_supplementaryContent, BF_SupplementaryContent);
      g.ref(node, BF_electronicLocator, u);
      notes(node, 'zy3');
    }
    return;
  }
  if (!' 018'.includes(f.ind2)) {
    for (const u of us) g.ref(ctx.instance, BF_electronicLocator, u);
    return;
  }
  const f23 = ctx.f008.charAt(23);
  if (ctx.leader.charAt(6) === 'm' || f23 === 'o' || f23 === 's') {
    const item = minted(`${ctx.id}#Item${uriTag(f)}-${pos}`);
    g.add(ctx.instance, BF_hasItem, item);
    g.type(item, BF_Item);
    for (const u of us) g.ref(item, BF_electronicLocator, u);
    notes(item, 'zy3');
    g.add(item, BF_itemOf, ctx.instance);
    return;
  }
  const inst = minted(`${ctx.id}#Instance${uriTag(f)}-${pos}`);
  g.add(ctx.work, BF_hasInstance, inst);
  g.type(inst, BF_Instance);
  g.type(inst, BF_Electronic);
  const m3 = sfv(f, '3');
  if (m3 !== undefined) g.lit(g.node(inst, BF_title, BF_Title), BF_mainTitle, chopPunct(m3));
  else {
    const t245 = ctx.record.getDataField('245');
    if (t245) title245(ctx, t245, inst, false);
  }
  for (const u of us) g.ref(inst, BF_electronicLocator, u);
  notes(inst, 'zy');
  g.add(inst, BF_instanceOf, ctx.work);
}

// 007/00 → media type; 007/00-01 → carrier (the codes LC's output is seen to use).
const MEDIA_007: { [c: string]: string } = { c: 'c', s: 's', v: 'v', h: 'h', g: 'g', m: 'g', k: 'n' };
const CARRIERS_007: { [c: string]: string } = {
  cr: 'online resource', cd: 'computer disc', ca: 'computer tape cartridge', cf: 'computer tape cassette', ch: 'computer tape reel', ck: 'computer card',
  sd: 'audio disc', ss: 'audiocassette', st: 'audiotape reel', se: 'audio cylinder', vd: 'videodisc', vf: 'videocassette', vr: 'videotape reel',
  kh: 'sheet', hd: 'microfilm reel', he: 'microfiche', hj: 'microfilm roll', hb: 'microfilm cartridge', hc: 'microfilm cassette', gs: 'slide', gt: 'overhead transparency',
};
const PLAY_SPEED: { [c: string]: string } = { a: '16 rpm', b: '33 1/3 rpm', c: '45 rpm', d: '78 rpm', e: '8 rpm', f: '1.4 m/s' };
const GROOVE_WIDTH: { [c: string]: [string, string] } = { m: ['micro', 'microgroove'], s: ['coarse', 'coarse groove'] };
const GROOVE_CUTTING: { [c: string]: [string, string] } = { h: ['hill', 'hill-and-dale cutting'], l: ['lateral', 'lateral or combined cutting'] };
const DISC_MATERIAL: { [c: string]: [string, string] } = { a: ['lac', 'lacquer'], b: ['cel', 'cellulose nitrate'], g: ['gla', 'glass'], i: ['alu', 'aluminum'], l: ['met', 'metal'], p: ['pla', 'plastic'], s: ['she', 'shellac'], w: ['wax', 'wax'] };

function physical007(ctx: Ctx, f007: string): void {
  const { g, instance } = ctx;
  if (!ctx.record.get('338')) {
    // Nonprojected graphics (k) are all sheets to LC.
    const code = f007.charAt(0) === 'k' ? 'nb' : f007.substring(0, 2);
    const carrier = CARRIERS_007[f007.charAt(0) === 'k' ? 'kh' : code];
    if (carrier) g.lit(g.node(instance, BF_carrier, BF_Carrier, VOCAB + 'carriers/' + code), RDFS_label, carrier);
  }
  if (f007.charAt(0) === 's' && f007.charAt(1) === 'd') {
    const speed = PLAY_SPEED[f007.charAt(3)];
    if (speed) g.lit(g.node(instance, BF_soundCharacteristic, BF_PlayingSpeed, VOCAB + 'mplayspeed/' + f007.charAt(3)), RDFS_label, speed);
    const groove = GROOVE_WIDTH[f007.charAt(5)];
    if (groove) g.lit(g.node(instance, BF_soundCharacteristic, BF_GrooveCharacteristic, VOCAB + 'mgroove/' + groove[0]), RDFS_label, groove[1]);
    const material = DISC_MATERIAL[f007.charAt(10)];
    if (material) g.lit(g.node(instance, BF_baseMaterial, BF_BaseMaterial, VOCAB + 'mmaterial/' + material[0]), RDFS_label, material[1]);
    const cutting = GROOVE_CUTTING[f007.charAt(11)];
    if (cutting) g.lit(g.node(instance, BF_soundCharacteristic, BF_GrooveCharacteristic, VOCAB + 'mgroove/' + cutting[0]), RDFS_label, cutting[1]);
  }
}

// 007/03 color (computer files, graphics, motion pictures, video) and 007/05 sound of a computer file.
const COLOR_007: { [code: string]: [string, string] } = { b: ['blw', 'black and white'], c: ['mul', 'color'] };

function content007(ctx: Ctx, f007: string): void {
  const { g, instance } = ctx;
  const type = f007.charAt(0);
  if (!'cgkmv'.includes(type) || type === '') return;
  const color = COLOR_007[f007.charAt(3)];
  if (color) g.lit(g.node(instance, BF_colorContent, iri(BF + 'ColorContent'), VOCAB + 'mcolor/' + color[0]), RDFS_label, color[1]);
  if (type === 'c' && f007.length > 5 && f007.charAt(5) === ' ') g.lit(g.node(instance, iri(BF + 'soundContent'), iri(BF + 'SoundContent'), VOCAB + 'msoundcontent/silent'), RDFS_label, 'silent');
}

function defaultsInstance(ctx: Ctx): void {
  const { g, instance, leader } = ctx;
  const f007 = ctx.fields.find((f) => f.tag === '007')?.data ?? '';
  if (f007 !== '') physical007(ctx, f007);
  for (const f of ctx.fields) if (f.tag === '007') content007(ctx, f.data);
  if (ctx.record.get('337')) return;
  // Without a 337 LC states a media type from the 007, or for printed books (008/23 regular print).
  const f23 = ctx.f008.length > 23 ? ctx.f008.charAt(23) : '';
  const book = leader.charAt(6) === 'a' && !'bis'.includes(leader.charAt(7)) && (f23 === ' ' || f23 === 'r');
  const media = f007 !== '' ? MEDIA_007[f007.charAt(0)] : book ? 'n' : undefined;
  if (media) g.lit(g.node(instance, BF_media, BF_Media, VOCAB + 'mediaTypes/' + media), RDFS_label, codes.MEDIA_LABELS[media]);
}

// ---------------------------------------------------------------- provision activity

const PA_CLASS: { [ind2: string]: string } = { '0': 'Production', '1': 'Publication', '2': 'Distribution', '3': 'Manufacture' };
const STATEMENT: { [cls: string]: NamedNode } = {
  Production: iri(BF + 'productionStatement'), Publication: BF_publicationStatement, Distribution: iri(BF + 'distributionStatement'), Manufacture: iri(BF + 'manufactureStatement'),
};

function provision(ctx: Ctx): void {
  const { g, instance, f008 } = ctx;
  const pas = ctx.fields.filter((f) => f.field !== null && (f.tag === '260' || f.tag === '264' || f.tag === '261' || f.tag === '262'));
  let merged = false;
  const date008 = edtf008(f008);
  // A serial's 008 statement follows its current publisher (ind1 3) when there is one.
  const current = pas.find(({ field }) => field?.ind1 === '3' && field.tag !== '264')?.field ?? pas.find(({ field }) => field?.ind1 === '3')?.field;
  const status008 = f008.charAt(6) === 'c' && 'is'.includes(ctx.leader.charAt(7)) ? 'current' : f008.charAt(6) === 'd' && 'is'.includes(ctx.leader.charAt(7)) ? 'ceased' : undefined;
  const several = pas.length > 1;
  const place008 = f008.substring(15, 18).replace(/[ |#]+$/, '');
  for (const { field } of pas) {
    const f = field as DataField;
    if (f.tag === '264' && f.ind2 === '4') {
      for (const c of sfAll(f, 'c')) {
        // LC types a bare year, with its copyright or phonogram sign dropped, as EDTF.
        const v = chopPunct(c).replace(/^(?:©|℗|c|p)\s*/, '');
        if (/^\d{4}$/.test(v)) g.lit(instance, BF_copyrightDate, v, EDTF);
        else g.lit(instance, BF_copyrightDate, chopPunct(c));
      }
      continue;
    }
    const cls = f.tag === '264' ? (PA_CLASS[f.ind2] ?? 'Publication') : 'Publication';
    const own = bracketed(f);
    // A paired 880's text joins the statement piece by piece ("Tōkyō; 東京: ...") and the
    // activity's simple place, agent and date.
    // With a script named in its $6, the 880 keeps its own statement and tagged values instead.
    const alt = ctx.alternates.get(f);
    const altLang = alt !== undefined ? xmlLangOf(ctx, alt) : '';
    const altPieces = alt !== undefined ? bracketed(alt) : [];
    const pieces: Subfield[] = [];
    for (let i = 0; i < Math.max(own.length, altLang === '' ? altPieces.length : 0); i++) {
      if (own[i] !== undefined) pieces.push(own[i] as Subfield);
      if (altLang === '' && altPieces[i] !== undefined) pieces.push(altPieces[i] as Subfield);
    }
    const simpleOf = (pa: Subject, list: Subfield[]) => {
      for (const { code, value } of list) {
        if (code === 'a') g.lit(pa, BFLC_simplePlace, chopPunct(value));
        else if (code === 'b') g.lit(pa, BFLC_simpleAgent, chopPunct(value));
        else if (code === 'c') g.lit(pa, BFLC_simpleDate, chopPunct(value));
      }
    };
    const simple = (pa: Subject) => {
      simpleOf(pa, pieces);
      if (altLang === '') return;
      g.lang = altLang;
      simpleOf(pa, altPieces);
      g.lang = '';
    };
    const seq = f.ind1 === '3' ? 'current' : f.ind1 === ' ' && several ? 'earliest' : undefined;
    const plain = () => {
      const pa = g.node(instance, BF_provisionActivity, BF_ProvisionActivity);
      g.type(pa, BF + cls);
      if (seq) status(g, pa, seq);
      appliesTo(ctx, pa, f);
      simple(pa);
    };
    for (const statement of statementsOf(pieces)) g.lit(instance, STATEMENT[cls] ?? BF_provisionActivityStatement, statement);
    if (altLang !== '') for (const statement of statementsOf(altPieces)) g.lit(instance, STATEMENT[cls] ?? BF_provisionActivityStatement, statement, altLang);
    const mergeHere = !merged && cls === 'Publication' && (date008 || place008) && (current === undefined || current === f);
    // LC's Process 8 states an activity that names an agent twice; the field the 008 goes with
    // is stated as it is and once more merged with the 008, unless it gives a date alone.
    const hasAgent = pieces.some((p) => p.code === 'b');
    if (!mergeHere || pieces.some((p) => p.code !== 'c')) plain();
    if (!mergeHere && hasAgent) plain();
    if (mergeHere) {
      merged = true;
      const pa2 = g.node(instance, BF_provisionActivity, BF_ProvisionActivity);
      g.type(pa2, BF + cls);
      if (status008) status(g, pa2, status008);
      if (date008) g.lit(pa2, BF_date, date008, EDTF);
      if (/^[a-z]{2,3}$/.test(place008)) g.ref(pa2, BF_place, VOCAB + 'countries/' + place008);
      appliesTo(ctx, pa2, f);
      simple(pa2);
    }
  }
  // An unpaired 880 publication field: its own activity (twice when it names an agent, as LC's
  // Process 8 states those), without sequence status or 008 data.
  for (const { field } of ctx.fields) {
    if (field === null || field.tag !== '880' || ctx.pairedAlternates.has(field)) continue;
    const linked = (sfv(field, '6') ?? '').substring(0, 3);
    if (linked !== '260' && linked !== '264') continue;
    const f = new DataField(linked, field.ind1, field.ind2, field.subfields);
    if (linked === '264' && f.ind2 === '4') continue;
    const cls = linked === '264' ? (PA_CLASS[f.ind2] ?? 'Publication') : 'Publication';
    const pieces = bracketed(f);
    g.lang = xmlLangOf(ctx, field);
    for (let copy = 0; copy < (pieces.some((p) => p.code === 'b') ? 2 : 1); copy++) {
      const pa = g.node(instance, BF_provisionActivity, BF_ProvisionActivity);
      g.type(pa, BF + cls);
      appliesTo(ctx, pa, f);
      for (const { code, value } of pieces) {
        if (code === 'a') g.lit(pa, BFLC_simplePlace, chopPunct(value));
        else if (code === 'b') g.lit(pa, BFLC_simpleAgent, chopPunct(value));
        else if (code === 'c') g.lit(pa, BFLC_simpleDate, chopPunct(value));
      }
    }
    for (const statement of statementsOf(pieces)) g.lit(instance, STATEMENT[cls] ?? BF_provisionActivityStatement, statement);
    g.lang = '';
  }
  if (!merged && (date008 || place008) && f008.length >= 18) {
    const pa = g.node(instance, BF_provisionActivity, BF_ProvisionActivity);
    g.type(pa, BF_Publication);
    if (date008) g.lit(pa, BF_date, date008, EDTF);
    if (/^[a-z]{2,3}$/.test(place008)) g.ref(pa, BF_place, VOCAB + 'countries/' + place008);
  }
}

/**
 * The $a $b $c pieces of a 260/264 with their delimiting punctuation dropped; when a bracket
 * opened in one piece closes in a later one, every piece in between is bracketed on its own, as
 * LC's Process 8 does ("[Edo : $b Muraichi, $c 1852]" → "[Edo]", "[Muraichi]", "[1852]").
 */
function bracketed(f: DataField): Subfield[] {
  const subs = f.subfieldList().filter((s) => 'abc'.includes(s.code));
  let open = false;
  return subs.map((s, i) => {
    const raw = normalizeSpace(s.value);
    let v = i < subs.length - 1 ? raw.replace(/\s*[:;,]$/, '') : raw;
    const opens = v.lastIndexOf('[') > v.lastIndexOf(']');
    // A piece inside the open bracket: the closing one gets its '[', an agent its own pair
    // (chopped first: "[Milnor Centennial Corp]"); another date or place is left as it is.
    if (open && !v.includes('[')) v = v.includes(']') ? '[' + v : s.code === 'b' ? '[' + chopPunct(v) + ']' : v;
    else if (opens) v = chopPunct(v);
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
    case 'c':
      // A currently published serial: its open end is EDTF's "..".
      return d2 === '9999' ? `${d1}/..` : ok(d2) ? `${d1}/${d2}` : d1;
    case 'd': case 'i': case 'k': case 'm': case 'u':
      return ok(d2) ? `${d1}/${d2}` : d1;
    case 'q':
      // Questionable dates: an EDTF range of approximate years.
      return ok(d2) ? `${d1}~/${d2}~` : `${d1}~`;
    default:
      return d1;
  }
}
