/**
 * 3XX physical description, work and expression characteristics (340/341/344-348/351-353,
 * 370/377/380-386), as LC's marc2bibframe2 v2.10 converts them (ConvSpec-3XX): one node per
 * subfield, its IRI from a following `$0` or LC's term lists, `$0` identifiers, `$2` sources
 * and `$3` "applies to" labels attached as LC attaches them.
 */
import type { DataField, Subfield } from '../../record/field.js';
import { BF, BFLC, GraphBuilder, RDF, RDFS, VOCAB, XSD, iri, type NamedNode, type Subject } from './graph.js';
import { chopPunct, normalizeSpace, urlEncode } from './text.js';

const RDFS_label = iri(RDFS + 'label');
const RDF_value = iri(RDF + 'value');
const BF_source = iri(BF + 'source');
const BF_Source = iri(BF + 'Source');
const BF_code = iri(BF + 'code');
const BF_count = iri(BF + 'count');
const BF_identifiedBy = iri(BF + 'identifiedBy');
const BF_Identifier = iri(BF + 'Identifier');
const BF_status = iri(BF + 'status');
const BF_Status = iri(BF + 'Status');
const BFLC_appliesTo = iri(BFLC + 'appliesTo');
const BFLC_AppliesTo = iri(BFLC + 'AppliesTo');
const XSD_duration = iri(XSD + 'duration');

/** What a 3XX handler needs of the converter's context. */
export interface PhysicalCtx {
  g: GraphBuilder;
  work: Subject;
  instance: Subject;
  /** Term IRIs already stated for this record: LC keeps the first node of a repeated term. */
  seenTerms: Set<string>;
  /** The marcKey-style text of a field (`382` + indicators + `$a...`). */
  marcKey: (f: DataField) => string;
}

const bf = (name: string): NamedNode => iri(BF + name);

/** The `$0`s that follow a subfield, up to the next subfield of another code. */
function following0(f: DataField, i: number): string[] {
  const out: string[] = [];
  for (let j = i + 1; j < f.subfieldList().length; j++) {
    const s = f.subfieldList()[j] as Subfield;
    if (s.code !== '0') break;
    out.push(s.value);
  }
  return out;
}

const isUri = (v: string): boolean => v.includes('://');
const uriOf = (v: string): string => (v.startsWith('(uri)') ? v.substring(5) : v);

/** LC's subfield0orw for a non-IRI `$0`: an Identifier, its source the parenthesised code. */
function identifier0(g: GraphBuilder, node: Subject, value: string): void {
  const m = /^\(([^)]*)\)\s*(.*)$/.exec(value);
  const id = g.node(node, BF_identifiedBy, BF_Identifier);
  g.lit(id, RDF_value, m ? (m[2] as string) : value);
  if (!m) return;
  const code = m[1] as string;
  // An organisation code (upper case, as MARC writes them) gets its organizations IRI.
  const about = /^[A-Z][A-Za-z-]*$/.test(code) ? VOCAB + 'organizations/' + code.toLowerCase() : undefined;
  g.lit(g.node(id, BF_source, BF_Source, about), BF_code, code);
}

function appliesTo(g: GraphBuilder, node: Subject, f: DataField): void {
  for (const s of f.subfieldList()) if (s.code === '3') g.lit(g.node(node, BFLC_appliesTo, BFLC_AppliesTo), RDFS_label, chopPunct(s.value));
}

/** `$2` as a Source: a code, or with a vocabulary stem its IRI and code. */
function source2(g: GraphBuilder, node: Subject, f: DataField, stem?: string): void {
  for (const s of f.subfieldList()) {
    if (s.code !== '2') continue;
    const src = g.node(node, BF_source, BF_Source, stem !== undefined ? stem + urlEncode(normalizeSpace(s.value)) : undefined);
    g.lit(src, BF_code, s.value);
  }
}

/** A term node from subfield i: IRI from the first following `$0` IRI (or `target`), other `$0`s as identifiers. */
function term(ctx: PhysicalCtx, s: Subject, prop: NamedNode, cls: NamedNode, f: DataField, i: number, label: string, target?: string, labelProp: NamedNode = RDFS_label): Subject | null {
  const { g } = ctx;
  const zeros = following0(f, i);
  const uris = zeros.filter(isUri);
  const about = uris.length > 0 ? uriOf(uris[0] as string) : target;
  if (about !== undefined) {
    if (ctx.seenTerms.has(about)) {
      g.ref(s, prop, about);
      return null;
    }
    ctx.seenTerms.add(about);
  }
  const node = g.node(s, prop, cls, about);
  g.lit(node, labelProp, label);
  for (const z of zeros) if (!isUri(z)) identifier0(g, node, z);
  return node;
}

// ---------------------------------------------------------------- Work

/** 340 $p (illustrative content), 341, 348 (Work part), 351, 353, 370, 377, 380, 382-386. */
export function work3xx(ctx: PhysicalCtx, f: DataField): void {
  const { g, work } = ctx;
  switch (f.tag) {
    case '340':
      f.subfieldList().forEach((s, i) => {
        if (s.code === 'p') term(ctx, work, bf('illustrativeContent'), bf('Illustration'), f, i, s.value);
      });
      return;
    case '341': {
      const prefixes: { [code: string]: string } = { b: 'Textual assistive features: ', c: 'Visual assistive features: ', d: 'Auditory assistive features: ', e: 'Tactile assistive features: ' };
      for (const a of f.subfieldList()) {
        if (a.code !== 'a') continue;
        const node = g.node(work, bf('contentAccessibility'), bf('ContentAccessibility'));
        g.lit(node, RDFS_label, 'Content access mode: ' + a.value);
        for (const s of f.subfieldList()) {
          const p = prefixes[s.code];
          if (p !== undefined) g.lit(node, RDFS_label, p + s.value);
        }
        source2(g, node, f);
        appliesTo(g, node, f);
      }
      return;
    }
    case '348':
      f.subfieldList().forEach((s, i) => {
        let node: Subject | null = null;
        if (s.code === 'a') node = term(ctx, work, bf('musicFormat'), bf('MusicFormat'), f, i, s.value, lookup(MUSIC_FORMAT, VOCAB + 'mmusicformat/', s.value));
        else if (s.code === 'c') node = term(ctx, work, bf('notation'), bf('MusicNotation'), f, i, s.value);
        if (node === null) return;
        appliesTo(g, node, f);
        source2(g, node, f);
      });
      return;
    case '351': {
      const node = g.node(work, bf('collectionArrangement'), bf('CollectionArrangement'));
      appliesTo(g, node, f);
      for (const s of f.subfieldList()) {
        const p = s.code === 'c' ? 'hierarchicalLevel' : s.code === 'a' ? 'collectionOrganization' : s.code === 'b' ? 'pattern' : null;
        if (p !== null) g.lit(node, bf(p), chopPunct(s.value));
      }
      return;
    }
    case '353':
      f.subfieldList().forEach((s, i) => {
        if (s.code !== 'a') return;
        const next = f.subfieldList()[i + 1];
        const about = next?.code === 'b' ? VOCAB + 'msupplcont/' + urlEncode(normalizeSpace(next.value)) : undefined;
        g.lit(g.node(work, bf('supplementaryContent'), bf('SupplementaryContent'), about), RDFS_label, s.value);
      });
      return;
    case '370':
      f.subfieldList().forEach((s, i) => {
        if (s.code !== 'c' && s.code !== 'g') return;
        const node = term(ctx, work, bf('originPlace'), bf('Place'), f, i, s.value);
        if (node === null) return;
        // A $2 belongs to the place it follows (past its $0/$1).
        for (let j = i + 1; j < f.subfieldList().length; j++) {
          const n = f.subfieldList()[j] as Subfield;
          if (n.code === '0' || n.code === '1') continue;
          if (n.code === '2') g.node(node, BF_source, BF_Source, VOCAB + 'subjectSchemes/' + urlEncode(normalizeSpace(n.value)));
          else break;
        }
      });
      return;
    case '377':
      f.subfieldList().forEach((s, i) => {
        if (s.code === 'a') {
          if (f.ind2 === ' ') {
            const node = term(ctx, work, bf('language'), bf('Language'), f, i, '', VOCAB + 'languages/' + s.value);
            if (node !== null) appliesTo(g, node, f);
          } else {
            const node = g.node(work, bf('language'), bf('Language'));
            g.lit(node, RDF_value, s.value);
            source2(g, node, f);
          }
        } else if (s.code === 'l') {
          const node = term(ctx, work, bf('language'), bf('Language'), f, i, s.value);
          if (node !== null) appliesTo(g, node, f);
        }
      });
      return;
    case '380':
      f.subfieldList().forEach((s, i) => {
        if (s.code !== 'a') return;
        const node = term(ctx, work, bf('genreForm'), bf('GenreForm'), f, i, s.value);
        if (node !== null) source2(g, node, f, VOCAB + 'genreFormSchemes/');
      });
      return;
    case '382': {
      // v2.10 keeps the medium of performance as the field text for later parsing.
      const node = g.node(work, bf('musicMedium'), bf('MusicMedium'));
      if (f.ind1 === '1') {
        const st = g.node(node, BF_status, BF_Status, VOCAB + 'mstatus/part');
        g.lit(st, RDFS_label, 'partial');
      }
      g.lit(node, iri(BFLC + 'readMarc382'), ctx.marcKey(f));
      appliesTo(g, node, f);
      return;
    }
    case '383':
      for (const s of f.subfieldList()) {
        if (s.code === 'a') g.lit(work, bf('musicSerialNumber'), chopPunct(s.value, { end: ':,;/' }));
        else if (s.code === 'b') g.lit(work, bf('musicOpusNumber'), s.value);
        else if (s.code === 'c') g.lit(work, bf('musicThematicNumber'), normalizeSpace(s.value + ' ' + (f.subfieldList().find((d) => d.code === 'd')?.value ?? '')));
      }
      return;
    case '384':
      for (const s of f.subfieldList()) if (s.code === 'a') g.lit(work, bf('musicKey'), s.value);
      return;
    case '385': case '386': {
      const prop = f.tag === '385' ? bf('intendedAudience') : iri(BFLC + 'creatorCharacteristic');
      const cls = f.tag === '385' ? bf('IntendedAudience') : iri(BFLC + 'CreatorCharacteristic');
      const zero = f.subfieldList().find((s) => s.code === '0')?.value ?? '';
      const dg = zero.includes(')') ? normalizeSpace(zero.substring(zero.indexOf(')') + 1)) : '';
      const as = f.subfieldList().filter((s) => s.code === 'a');
      f.subfieldList().forEach((s, i) => {
        if (s.code !== 'a') return;
        const node = g.node(work, prop, cls, dg.startsWith('dg') ? VOCAB.replace('vocabulary/', 'authorities/') + 'demographicTerms/' + urlEncode(dg) : undefined);
        g.lit(node, RDFS_label, s.value);
        const b = f.subfieldList()[i + 1];
        if (b?.code === 'b') g.lit(node, BF_code, b.value);
        source2(g, node, f, VOCAB + 'subjectSchemes/');
        appliesTo(g, node, f);
      });
      if (as.length === 0) {
        // A demographic group alone ($m label, $n code).
        const n = f.subfieldList().find((s) => s.code === 'n')?.value;
        const m = f.subfieldList().find((s) => s.code === 'm')?.value;
        if (n === undefined) return;
        const about = VOCAB.replace('vocabulary/', 'authorities/') + 'demographicTerms/' + urlEncode(normalizeSpace(n));
        if (m === undefined) g.ref(work, prop, about);
        else g.lit(g.node(work, prop, iri(BFLC + 'DemographicGroup'), about), RDFS_label, m);
      }
      return;
    }
    default:
  }
}

// ---------------------------------------------------------------- Instance

const P340: { [code: string]: [string, string] } = {
  a: ['baseMaterial', 'BaseMaterial'], c: ['appliedMaterial', 'AppliedMaterial'], d: ['productionMethod', 'ProductionMethod'], e: ['mount', 'Mount'],
  f: ['reductionRatio', 'ReductionRatio'], g: ['colorContent', 'ColorContent'], j: ['generation', 'Generation'], k: ['layout', 'Layout'], l: ['binding', 'Binding'],
  m: ['bookFormat', 'BookFormat'], n: ['fontSize', 'FontSize'], o: ['polarity', 'Polarity'], q: ['reductionRatio', 'ReductionRatio'],
};

const P34X: { [tag: string]: { [code: string]: [string, string, string?] } } = {
  '344': {
    a: ['soundCharacteristic', 'RecordingMethod', 'mrectype'], b: ['soundCharacteristic', 'RecordingMedium', 'mrecmedium'], c: ['soundCharacteristic', 'PlayingSpeed'],
    d: ['soundCharacteristic', 'GrooveCharacteristic', 'mgroove'], e: ['soundCharacteristic', 'TrackConfig'], f: ['soundCharacteristic', 'TapeConfig'],
    g: ['soundCharacteristic', 'PlaybackChannels', 'mplayback'], h: ['soundCharacteristic', 'PlaybackCharacteristic', 'mspecplayback'], i: ['soundContent', 'SoundContent', 'msoundcontent'],
  },
  '345': { a: ['projectionCharacteristic', 'PresentationFormat', 'mpresformat'], b: ['projectionCharacteristic', 'ProjectionSpeed'], c: ['aspectRatio', 'AspectRatio'], d: ['aspectRatio', 'AspectRatio'] },
  '346': { a: ['videoCharacteristic', 'VideoFormat', 'mvidformat'], b: ['videoCharacteristic', 'BroadcastStandard', 'mbroadstd'] },
  '347': {
    a: ['digitalCharacteristic', 'FileType', 'mfiletype'], b: ['digitalCharacteristic', 'EncodingFormat', 'mencformat'], c: ['digitalCharacteristic', 'FileSize'],
    d: ['digitalCharacteristic', 'Resolution'], e: ['digitalCharacteristic', 'RegionalEncoding', 'mregencoding'], f: ['digitalCharacteristic', 'EncodedBitrate'],
  },
};

// LC's term lists (label → code) for the 344-348 vocabularies.
const TERMS: { [vocab: string]: { [label: string]: string } } = {
  mrectype: { analog: 'analog', digital: 'digital' },
  mrecmedium: { magnetic: 'mag', optical: 'opt', 'magneto-optical': 'magopt' },
  mgroove: { 'coarse groove': 'coarse', microgroove: 'micro' },
  mplayback: { mono: 'mon', quadraphonic: 'mul', surround: 'mul', stereo: 'ste' },
  mspecplayback: { 'CCIR encoded': 'ccir', 'CX encoded': 'cx', 'dbx encoded': 'dbx', Dolby: 'dolby', 'Dolby-A encoded': 'dolbya', 'Dolby-B encoded': 'dolbyb', 'Dolby-C encoded': 'dolbyc', LPCM: 'lpcm', 'NAB standard': 'nab' },
  msoundcontent: { sound: 'sound', silent: 'silent' },
  mpresformat: { '3D': '3d', Cinerama: 'ciner', Cinemiracle: 'cinem', Circarama: 'circa', IMAX: 'imax', multiprojector: 'mproj', multiscreen: 'mscreen', Panavision: 'pana', 'standard silent aperture': 'silent', 'standard sound aperture': 'sound', stereoscopic: 'stereo', Techniscope: 'tech' },
  mvidformat: { '8 mm': '8mm', Betacam: 'betacam', 'Betacam SP': 'betasp', Betamax: 'betamax', CED: 'ced', 'D-2': 'd2', EIAJ: 'eiaj', 'Hi-8 mm': 'hi8mm', 'laser optical': 'laser', 'M-II': 'mii', Quadruplex: 'quad', 'Super-VHS': 'svhs', 'Type C': 'typec', 'U-matic': 'umatic', VHS: 'vhs' },
  mbroadstd: { HDTV: 'hdtv', NTSC: 'ntsc', PAL: 'pal', SECAM: 'secam' },
  mfiletype: { 'audio file': 'audio', 'data file': 'data', 'image file': 'image', 'program file': 'program', 'text file': 'text', 'video file': 'video' },
  mregencoding: { 'all regions': 'all', 'region 1': 'region1', 'region 2': 'region2', 'region 3': 'region3', 'region 4': 'region4', 'region 5': 'region5', 'region 6': 'region6', 'region 7': 'region7', 'region 8': 'region8', 'region A': 'regionA', 'region B': 'regionB', 'region C (Blu-Ray)': 'regionCblu', 'region C (video game)': 'regionCgame', 'region J': 'regionJ', 'region U/C': 'regionU' },
};

// Encoding formats (347 $b) by their lower-cased name without hyphens: code and LC's label.
const ENCODING_FORMATS: { [name: string]: [string, string?] } = {
  bluray: ['bluray', 'Blu-ray video'], 'dvd video': ['dvdv', 'DVD video'], 'cd audio': ['cda'], mp3: ['mp3'], 'cdrom': ['cdr'], 'sacd': ['sacd'],
  'cd audio (cd-da)': ['cda'], 'dvd audio': ['dvda'], hddvd: ['hddvd'], wav: ['wav'], mpeg4: ['mpeg4'], pdf: ['pdf'], jpeg: ['jpeg'], tiff: ['tiff'], html: ['html'], xml: ['xml'],
};

const MUSIC_FORMAT: { [label: string]: string } = {
  'choir book': 'choirbk', 'chorus score': 'chscore', 'condensed score': 'conscore', part: 'part', 'piano conductor part': 'pianoconpt', 'piano score': 'pianoscore', score: 'score',
  'study score': 'studyscore', 'table book': 'tablebk', 'violin conductor part': 'violconpart', 'vocal score': 'vocalscore',
};

function lookup(table: { [label: string]: string }, stem: string, value: string): string | undefined {
  const code = table[value];
  return code === undefined ? undefined : stem + code;
}

/** 300 (extent), 306, 310/321, 334, 340, 344-347, 352. */
export function instance3xx(ctx: PhysicalCtx, f: DataField): void {
  const { g, instance } = ctx;
  switch (f.tag) {
    case '306':
      for (const s of f.subfieldList()) if (s.code === 'a') g.lit(instance, bf('duration'), s.value, XSD_duration);
      return;
    case '310': case '321': {
      // The field's first $0 IRI names the frequency; other $0s identify it.
      const zeros = f.subfieldList().filter((s) => s.code === '0').map((s) => s.value);
      const uri = zeros.find(isUri);
      for (const a of f.subfieldList()) {
        if (a.code !== 'a') continue;
        const node = g.node(instance, bf('frequency'), bf('Frequency'), uri !== undefined ? uriOf(uri) : undefined);
        g.lit(node, RDFS_label, chopPunct(a.value, { end: ':,;/' }));
        for (const b of f.subfieldList()) if (b.code === 'b') g.lit(node, bf('date'), b.value);
        const st = g.node(node, BF_status, BF_Status, VOCAB + 'mstatus/' + (f.tag === '310' ? 'current' : 'former'));
        g.lit(st, RDFS_label, f.tag === '310' ? 'current' : 'former');
        source2(g, node, f);
        for (const z of zeros) if (!isUri(z)) identifier0(g, node, z);
      }
      return;
    }
    case '334':
      f.subfieldList().forEach((s, i) => {
        if (s.code !== 'b') return;
        const prev = f.subfieldList()[i - 1];
        const node = g.node(instance, bf('issuance'), bf('Issuance'), VOCAB + 'issuance/' + urlEncode(normalizeSpace(s.value)));
        if (prev?.code === 'a') g.lit(node, RDFS_label, prev.value);
      });
      return;
    case '340':
      f.subfieldList().forEach((s, i) => {
        if (s.code === 'b') {
          g.lit(instance, bf('dimensions'), chopPunct(s.value));
          return;
        }
        if (s.code === 'i') {
          g.lit(g.node(instance, bf('systemRequirement'), bf('SystemRequirement')), RDFS_label, chopPunct(s.value));
          return;
        }
        const p = P340[s.code];
        if (p === undefined) return;
        const node = term(ctx, instance, bf(p[0]), bf(p[1]), f, i, s.value, undefined, s.code === 'f' ? RDF_value : RDFS_label);
        if (node !== null) source2(g, node, f);
      });
      return;
    case '344': case '345': case '346': case '347': {
      const map = P34X[f.tag] as { [code: string]: [string, string, string?] };
      f.subfieldList().forEach((s, i) => {
        const p = map[s.code];
        if (p === undefined) return;
        let target: string | undefined;
        let label = s.value;
        const vocab = p[2];
        if (vocab === 'mencformat') {
          const hit = ENCODING_FORMATS[normalizeSpace(s.value.toLowerCase().replace(/-/g, ''))];
          if (hit) {
            target = VOCAB + 'mencformat/' + hit[0];
            if (hit[1] !== undefined) label = hit[1];
          }
        } else if (vocab !== undefined) {
          const code = TERMS[vocab]?.[s.value];
          if (code !== undefined) target = VOCAB + vocab + '/' + code;
          else if (vocab === 'msoundcontent') target = VOCAB + vocab + '/' + urlEncode(normalizeSpace(s.value));
        }
        const node = term(ctx, instance, bf(p[0]), bf(p[1]), f, i, label, target, f.tag === '345' && s.code === 'c' ? RDF_value : RDFS_label);
        if (node === null) return;
        appliesTo(g, node, f);
        source2(g, node, f);
      });
      return;
    }
    case '352':
      f.subfieldList().forEach((s, i) => {
        if (s.code === 'a' || s.code === 'q') {
          g.lit(g.node(instance, bf('digitalCharacteristic'), bf(s.code === 'a' ? 'CartographicDataType' : 'EncodingFormat')), RDFS_label, chopPunct(s.value));
        } else if (s.code === 'b') {
          const node = g.node(instance, bf('digitalCharacteristic'), bf('CartographicObjectType'));
          g.lit(node, RDFS_label, chopPunct(s.value));
          const c = f.subfieldList()[i + 1];
          if (c?.code === 'c') g.lit(node, BF_count, chopPunct(c.value, { chopParens: true }));
        }
      });
      return;
    default:
  }
}
