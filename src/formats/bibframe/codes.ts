/**
 * Code lists of LC's marc2bibframe2 (conf/codeMaps.xml and the ConvSpec modules) that the
 * converter needs, as `code → [uri-or-local-code, label]`.
 */

export const ENCODING_LEVEL: { [code: string]: [string, string] } = {
  '0': ['f', 'full'], ' ': ['f', 'full'], '1': ['1', 'full not examined'], '2': ['2', 'less-than-full not examined'], '3': ['3', 'abbreviated'],
  '4': ['4', 'core'], '5': ['5', 'preliminary'], '7': ['7', 'minimal'], '8': ['8', 'prepublication'], u: ['u', 'unknown'], z: ['z', 'not applicable'],
};

export const DESCRIPTION_CONVENTIONS: { [code: string]: string } = { a: 'aacr', c: 'isbd', i: 'isbd' };

/** Leader/06 → Work class and content type. */
export const CONTENT: { [code: string]: [string, string | null, string | null] } = {
  a: ['Text', 'txt', 'text'], t: ['Text', 'txt', 'text'], c: ['NotatedMusic', 'ntm', 'notated music'], d: ['NotatedMusic', 'ntm', 'notated music'],
  e: ['Cartography', 'cri', 'cartographic image'], f: ['Cartography', 'cri', 'cartographic image'], g: ['MovingImage', 'tdi', 'two-dimensional moving image'],
  i: ['Audio', 'spw', 'spoken word'], j: ['MusicAudio', 'prm', 'performed music'], k: ['StillImage', 'sti', 'still image'], m: ['Multimedia', 'cop', 'computer program'],
  o: ['MixedMaterial', null, null], p: ['MixedMaterial', null, null], r: ['Object', 'tdf', 'three-dimensional form'],
};

export const ISSUANCE: { [code: string]: string } = { a: 'mono', b: 'serl', c: 'mulm', d: 'mono', i: 'intg', m: 'mono', s: 'serl' };
export const LEADER07_TYPE: { [code: string]: string } = { a: 'Monograph', b: 'Serial', c: 'Collection', d: 'Collection', m: 'Monograph', i: 'Integrating', s: 'Serial' };

export const MILLUS: { [code: string]: [string, string] } = {
  a: ['ill', 'illustrations'], b: ['map', 'maps'], c: ['por', 'portraits'], d: ['chr', 'charts'], e: ['pln', 'plans'], f: ['plt', 'plates'], g: ['mus', 'music'],
  h: ['fac', 'facsimiles'], i: ['coa', 'coats of arms'], j: ['gnt', 'geneological tables'], k: ['for', 'forms'], l: ['sam', 'samples'], m: ['pho', 'phonodisc'],
  o: ['pht', 'photographs'], p: ['ilm', 'illuminations'],
};

export const MAUDIENCE: { [code: string]: [string, string] } = {
  a: ['pre', 'preschool'], b: ['pri', 'primary'], c: ['pad', 'pre-adolescent'], d: ['ado', 'adolescent'], e: ['adu', 'adult'], f: ['spe', 'specialized'], g: ['gen', 'general'], j: ['juv', 'juvenile'],
};

/** 008/24-27 (books, continuing resources): nature of contents. */
export const MARCGT: { [code: string]: [string, string] } = {
  b: ['http://id.loc.gov/vocabulary/msupplcont/bibliography', 'bibliography'], c: ['http://id.loc.gov/authorities/genreForms/gf2014026057', 'Catalogs'],
  d: ['http://id.loc.gov/authorities/genreForms/gf2014026086', 'Dictionaries'], e: ['http://id.loc.gov/authorities/genreForms/gf2014026092', 'Encyclopedias'],
  f: ['http://id.loc.gov/authorities/genreForms/gf2014026109', 'Handbooks and manuals'], g: ['http://id.loc.gov/authorities/genreForms/gf2011026351', 'Law materials'],
  h: ['http://id.loc.gov/authorities/genreForms/gf2014026049', 'Biographies'], i: ['http://id.loc.gov/authorities/genreForms/gf2014026112', 'Indexes'],
  j: ['http://id.loc.gov/authorities/genreForms/gf2011026438', 'Patents'], k: ['http://id.loc.gov/vocabulary/msupplcont/discography', 'discography'],
  l: ['http://id.loc.gov/authorities/genreForms/gf2011026351', 'Law materials'], m: ['http://id.loc.gov/authorities/genreForms/gf2014026039', 'Academic theses'],
  q: ['http://id.loc.gov/vocabulary/msupplcont/film', 'filmography'], r: ['http://id.loc.gov/authorities/genreForms/gf2014026087', 'Directories'],
  s: ['http://id.loc.gov/authorities/genreForms/gf2014026181', 'Statistics'], t: ['http://id.loc.gov/authorities/genreForms/gf2015026093', 'Technical reports'],
  v: ['http://id.loc.gov/authorities/genreForms/gf2011026351', 'Law materials'], w: ['http://id.loc.gov/authorities/genreForms/gf2011026351', 'Law materials'],
  y: ['http://id.loc.gov/authorities/genreForms/gf2014026208', 'Yearbooks'], z: ['http://id.loc.gov/authorities/genreForms/gf2011026707', 'Treaties'],
  '5': ['http://id.loc.gov/authorities/genreForms/gf2014026055', 'Calendars'], '6': ['http://id.loc.gov/authorities/genreForms/gf2014026266', 'Comics (graphic works)'],
};

export const LITFORM: { [code: string]: [string, string] } = {
  '1': ['gf2014026339', 'Fiction'], d: ['gf2014026297', 'Drama'], e: ['gf2014026094', 'Essays'], f: ['gf2015026020', 'Novels'], h: ['gf2014026110', 'Humor'],
  i: ['gf2014026141', 'Personal correspondence'], j: ['gf2014026542', 'Short stories'], m: ['gf2014026339', 'Fiction'], p: ['gf2014026481', 'Poetry'], s: ['gf2011026363', 'Speeches'],
};

export const BIOFORM: { [code: string]: [string, string] } = {
  // d (contains biographical information) is not a genre to LC.
  a: ['gf2014026047', 'Autobiographies'], b: ['gf2014026049', 'Biographies'], c: ['gf2014026049', 'Biographies'],
};

export const FREQUENCY: { [code: string]: [string, string] } = {
  a: ['ann', 'annual'], b: ['bmn', 'bimonthly'], c: ['swk', 'semiweekly'], d: ['dyl', 'daily'], e: ['bwk', 'biweekly'], f: ['san', 'semiannual'], g: ['bin', 'biennial'],
  h: ['ten', 'triennial'], i: ['ttw', 'three times a week'], j: ['ttm', 'three times a month'], k: ['con', 'continuously updated'], m: ['mon', 'monthly'],
  q: ['qrt', 'quarterly'], s: ['smn', 'semimonthly'], t: ['tty', 'three times a year'], w: ['wkl', 'weekly'],
};

export const CARRIER_008: { [code: string]: [string, string] } = {
  a: ['http://id.loc.gov/vocabulary/carriers/hd', 'microfilm reel'], b: ['http://id.loc.gov/vocabulary/carriers/he', 'microfiche'], c: ['http://id.loc.gov/vocabulary/carriers/hg', 'microopaque'],
  d: ['http://id.loc.gov/vocabulary/carriers/nc', 'volume'], f: ['http://id.loc.gov/vocabulary/carriers/nc', 'volume'], o: ['http://id.loc.gov/vocabulary/carriers/cr', 'online resource'],
  q: ['http://id.loc.gov/vocabulary/carriers/cz', 'electronic'], r: ['http://id.loc.gov/vocabulary/carriers/nc', 'volume'], s: ['http://id.loc.gov/vocabulary/carriers/cz', 'other computer carrier'],
};

export const MEDIA_LABELS: { [code: string]: string } = { s: 'audio', c: 'computer', h: 'microform', p: 'microscopic', g: 'projected', e: 'stereographic', n: 'unmediated', v: 'video', x: 'other', z: 'unspecified' };

export const STATUS_LABELS: { [code: string]: string } = { n: 'new', c: 'changed', t: 'transcribed', tr: 'traced', current: 'current', earliest: 'earliest', intervening: 'intervening', ceased: 'ceased', p: 'prepublication', former: 'former', incorrect: 'incorrect', cancinv: 'invalid', uba: 'used by assigner', nuba: 'not used by assigner' };


/** Subject subdivision subfields → MADS component class. */
export const SUBDIVISION: { [code: string]: string } = { v: 'GenreForm', x: 'Topic', y: 'Temporal', z: 'Geographic' };

/** 6XX second indicator → subject scheme (URI; true when LC also states isMemberOfMADSScheme). */
export const SUBJECT_SCHEMES: { [ind2: string]: [string, boolean] } = {
  '0': ['http://id.loc.gov/authorities/subjects', true],
  '1': ['http://id.loc.gov/authorities/childrensSubjects', true],
  '2': ['http://id.loc.gov/vocabulary/subjectSchemes/mesh', false],
  '3': ['http://id.loc.gov/vocabulary/subjectSchemes/nal', false],
  '5': ['http://id.loc.gov/vocabulary/subjectSchemes/cash', false],
  '6': ['http://id.loc.gov/vocabulary/subjectSchemes/rvm', false],
};
