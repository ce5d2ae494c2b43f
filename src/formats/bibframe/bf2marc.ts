/**
 * BIBFRAME 2 → MARC 21 bibliographic for the core the forward conversion produces: one record per
 * Instance (with its Work): leader type and level, 001/005/008, identifiers, 040, classification,
 * names, titles, edition, publication, extent, content/media/carrier, series, notes, subjects and
 * genre/form. Where a resource carries LC's `bflc:marcKey`, the field is rebuilt from it, since it
 * is the exact MARC field the resource came from.
 */
import { Record } from '../../record/record.js';
import { ControlField, DataField, type Field, type Subfield } from '../../record/field.js';
import type { Quad, Term } from '@rdfjs/types';
import { BF, BFLC, MADS, RDF, RDFS } from './graph.js';

class Index {
  readonly out = new Map<string, Quad[]>();
  constructor(quads: readonly Quad[]) {
    for (const q of quads) {
      const k = key(q.subject);
      let list = this.out.get(k);
      if (list === undefined) this.out.set(k, (list = []));
      list.push(q);
    }
  }
  objects(s: Term, p: string): Term[] {
    return (this.out.get(key(s)) ?? []).filter((q) => q.predicate.value === p).map((q) => q.object);
  }
  value(s: Term, p: string): string | undefined {
    const o = this.objects(s, p).find((t) => t.termType === 'Literal');
    return o?.value;
  }
  values(s: Term, p: string): string[] {
    return this.objects(s, p).filter((t) => t.termType === 'Literal').map((t) => t.value);
  }
  types(s: Term): string[] {
    return this.objects(s, RDF + 'type').map((t) => t.value);
  }
  subjectsOfType(type: string): Term[] {
    const out: Term[] = [];
    for (const list of this.out.values()) if (list.some((q) => q.predicate.value === RDF + 'type' && q.object.value === type)) out.push((list[0] as Quad).subject);
    return out;
  }
}

function key(t: Term): string {
  return t.termType === 'BlankNode' ? '_:' + t.value : t.value;
}

/** A field from an LC marcKey ("7001 $aName,$d1900-"): tag, two indicators, then $-subfields. */
export function fieldFromMarcKey(marcKey: string): DataField | null {
  const m = /^(\d{3})(.)(.)(\$.*)$/s.exec(marcKey);
  if (!m) return null;
  const subfields: Subfield[] = [];
  for (const part of (m[4] as string).split('$').slice(1)) if (part.length > 0) subfields.push({ code: part.charAt(0), value: part.substring(1) });
  return new DataField(m[1] as string, m[2] as string, m[3] as string, subfields);
}

const LEADER06: { [cls: string]: string } = { Text: 'a', NotatedMusic: 'c', Cartography: 'e', MovingImage: 'g', Audio: 'j', StillImage: 'k', Multimedia: 'm', MixedMaterial: 'p', Object: 'r' };
const LEADER07: { [code: string]: string } = { mono: 'm', serl: 's', intg: 'i', mulm: 'c' };
const ENC: { [code: string]: string } = { f: ' ', '1': '1', '2': '2', '3': '3', '4': '4', '5': '5', '7': '7', '8': '8', u: 'u', z: 'z' };

/** MARC records of the Instances in `quads` (or in an RDF/XML string, parsed first). */
export function bibframeToRecords(quads: readonly Quad[]): Record[] {
  const g = new Index(quads);
  const out: Record[] = [];
  for (const instance of g.subjectsOfType(BF + 'Instance')) {
    const work = g.objects(instance, BF + 'instanceOf')[0];
    if (work === undefined) continue;
    out.push(instanceToRecord(g, instance, work));
  }
  return out;
}

function instanceToRecord(g: Index, instance: Term, work: Term): Record {
  const fields: Field[] = [];
  const data = (tag: string, ind1: string, ind2: string, subs: [string, string | undefined][]): void => {
    const subfields = subs.filter((s): s is [string, string] => s[1] !== undefined && s[1] !== '').map(([code, value]) => ({ code, value }));
    if (subfields.length > 0) fields.push(new DataField(tag, ind1, ind2, subfields));
  };
  const workTypes = g.types(work).map((t) => t.replace(BF, ''));
  const l06 = workTypes.map((t) => LEADER06[t]).find((c) => c !== undefined) ?? 'a';
  const issuance = g.objects(instance, BF + 'issuance')[0]?.value.split('/').pop() ?? 'mono';
  const l07 = LEADER07[issuance] ?? 'm';

  // Admin metadata.
  let id: string | undefined;
  let created = '';
  let changed = '';
  let enc = ' ';
  let conv = ' ';
  let f040: DataField | null = null;
  for (const am of g.objects(work, BF + 'adminMetadata')) {
    const status = g.objects(am, BF + 'status')[0]?.value ?? '';
    if (g.objects(am, BF + 'generationProcess').length > 0) continue;
    const date = g.value(am, BF + 'date');
    if (status.endsWith('/n') && date) created = date;
    else if (status.endsWith('/c') && date) changed = date;
    for (const local of g.objects(am, BF + 'identifiedBy')) if (g.types(local).includes(BF + 'Local')) id = g.value(local, RDF + 'value');
    const level = g.objects(am, BFLC + 'encodingLevel')[0]?.value.split('/').pop();
    if (level !== undefined) enc = ENC[level] ?? ' ';
    for (const dc of g.objects(am, BF + 'descriptionConventions')) {
      const code = dc.value.split('/').pop();
      if (code === 'aacr') conv = 'a';
      else if (code === 'isbd') conv = 'i';
    }
    for (const n of g.objects(am, BF + 'note')) {
      const label = g.value(n, RDFS + 'label');
      if (label?.startsWith('040')) f040 = fieldFromMarcKey(label);
    }
  }
  if (id !== undefined) fields.push(new ControlField('001', id));
  if (changed) fields.push(new ControlField('005', changed.replace(/[-:T]/g, '').substring(0, 14) + '.0'));

  // 008 from what the description states.
  let date1 = '    ';
  let place = '   ';
  for (const pa of g.objects(instance, BF + 'provisionActivity')) {
    const d = g.value(pa, BF + 'date');
    if (d && date1 === '    ') date1 = d.substring(0, 4).replace(/X/g, 'u').padEnd(4);
    const p = g.objects(pa, BF + 'place').find((t) => t.value.includes('/countries/'));
    if (p) place = (p.value.split('/').pop() ?? '').padEnd(3);
  }
  const langs = g.objects(work, BF + 'language').map((t) => t.value.split('/').pop() ?? '').filter((c) => /^[a-z]{3}$/.test(c));
  const yymmdd = /^\d{4}-\d{2}-\d{2}/.test(created) ? created.substring(2, 4) + created.substring(5, 7) + created.substring(8, 10) : '      ';
  fields.push(new ControlField('008', (yymmdd + 's' + date1 + '    ' + place).padEnd(35) + (langs[0] ?? '   ') + ' d'));

  // Identifiers.
  for (const idNode of g.objects(instance, BF + 'identifiedBy')) {
    const types = g.types(idNode);
    const value = g.value(idNode, RDF + 'value');
    const quals = g.values(idNode, BF + 'qualifier');
    const invalid = g.objects(idNode, BF + 'status').some((s) => /cancinv|incorrect/.test(s.value));
    if (types.includes(BF + 'Lccn')) data('010', ' ', ' ', [[invalid ? 'z' : 'a', value]]);
    else if (types.includes(BF + 'Isbn')) data('020', ' ', ' ', [[invalid ? 'z' : 'a', value], ...quals.map((q): [string, string] => ['q', q])]);
    else if (types.includes(BF + 'Issn')) data('022', ' ', ' ', [[invalid ? 'z' : 'a', value]]);
    else if (types.includes(BF + 'OclcNumber')) data('035', ' ', ' ', [['a', value === undefined ? undefined : '(OCoLC)' + value]]);
  }
  if (f040) fields.push(f040);

  // Classification.
  for (const c of g.objects(work, BF + 'classification')) {
    const types = g.types(c);
    const portion = g.values(c, BF + 'classificationPortion');
    const item = g.value(c, BF + 'itemPortion');
    if (types.includes(BF + 'ClassificationLcc')) data('050', ' ', '4', [...portion.map((p): [string, string] => ['a', p]), ['b', item]]);
    else if (types.includes(BF + 'ClassificationNlm')) data('060', ' ', '4', [...portion.map((p): [string, string] => ['a', p]), ['b', item]]);
    else if (types.includes(BF + 'ClassificationDdc')) {
      const edition = g.objects(c, BF + 'source').map((s) => g.value(s, BF + 'code')).find((v) => v !== undefined);
      data('082', g.value(c, BF + 'edition') === 'abridged' ? '1' : '0', '4', [...portion.map((p): [string, string] => ['a', p]), ['b', item], ['2', edition]]);
    }
  }

  // Names.
  const added: Field[] = [];
  for (const c of g.objects(work, BF + 'contribution')) {
    const primary = g.types(c).includes(BF + 'PrimaryContribution');
    const agent = g.objects(c, BF + 'agent')[0];
    if (agent === undefined) continue;
    const marcKey = g.value(agent, BFLC + 'marcKey');
    let field = marcKey ? fieldFromMarcKey(marcKey) : null;
    if (field === null) {
      const types = g.types(agent);
      const kind = types.includes(BF + 'Organization') ? '10' : types.includes(BF + 'Meeting') ? '11' : '00';
      field = new DataField((primary ? '1' : '7') + kind, kind === '00' ? '1' : '2', ' ', [{ code: 'a', value: g.value(agent, RDFS + 'label') ?? '' }]);
    }
    if (!primary && field.tag.startsWith('1')) field.tag = '7' + field.tag.substring(1);
    (primary ? fields : added).push(field);
  }

  // Titles.
  const title = g.objects(instance, BF + 'title').find((t) => g.types(t).includes(BF + 'Title')) ?? g.objects(work, BF + 'title').find((t) => g.types(t).includes(BF + 'Title'));
  if (title) {
    const nonSort = g.value(title, BFLC + 'nonSortNum') ?? '0';
    const hasMain = fields.some((f) => /^1[01]/.test(f.tag));
    const sub = g.value(title, BF + 'subtitle');
    const resp = g.value(instance, BF + 'responsibilityStatement');
    data('245', hasMain ? '1' : '0', nonSort, [
      ['a', g.value(title, BF + 'mainTitle')],
      ['b', sub],
      ...g.values(title, BF + 'partNumber').map((v): [string, string] => ['n', v]),
      ...g.values(title, BF + 'partName').map((v): [string, string] => ['p', v]),
      ['c', resp],
    ]);
  }
  for (const t of g.objects(work, BF + 'title')) {
    if (!g.types(t).includes(BF + 'VariantTitle')) continue;
    const ind2 = { portion: '0', parallel: '1', distinctive: '2', cover: '4', 'added title page': '5', caption: '6', running: '7', spine: '8' }[g.value(t, BF + 'variantType') ?? ''] ?? ' ';
    const note = g.objects(t, BF + 'note').map((n) => g.value(n, RDFS + 'label')).find((v) => v !== undefined);
    data('246', note ? '1' : '3', ind2, [['i', note === undefined ? undefined : note + ':'], ['a', g.value(t, BF + 'mainTitle')], ['b', g.value(t, BF + 'subtitle')]]);
  }
  data('250', ' ', ' ', [['a', g.value(instance, BF + 'editionStatement')]]);

  // Publication.
  for (const pa of g.objects(instance, BF + 'provisionActivity')) {
    const places = g.values(pa, BFLC + 'simplePlace');
    const agents = g.values(pa, BFLC + 'simpleAgent');
    const dates = g.values(pa, BFLC + 'simpleDate');
    if (places.length + agents.length + dates.length === 0) continue;
    const types = g.types(pa);
    const ind2 = types.includes(BF + 'Production') ? '0' : types.includes(BF + 'Distribution') ? '2' : types.includes(BF + 'Manufacture') ? '3' : '1';
    const field = new DataField('264', ' ', ind2, [...places.map((v) => ({ code: 'a', value: v })), ...agents.map((v) => ({ code: 'b', value: v })), ...dates.map((v) => ({ code: 'c', value: v }))]);
    // LC states the 260/264 twice (once merged with 008); keep one.
    if (!fields.some((f) => f.tag === '264' && f.toString() === field.toString())) fields.push(field);
  }

  // Physical description.
  const extents = g.objects(instance, BF + 'extent');
  const dims = g.values(instance, BF + 'dimensions');
  for (const e of extents.length > 0 ? extents : dims.length > 0 ? [null] : []) {
    const other = e === null ? undefined : g.objects(e, BF + 'note').map((n) => g.value(n, RDFS + 'label')).find((v) => v !== undefined);
    data('300', ' ', ' ', [['a', e === null ? undefined : g.value(e, RDFS + 'label')], ['b', other], ...dims.map((d): [string, string] => ['c', d])]);
  }
  for (const [prop, tag, source] of [[BF + 'content', '336', 'rdacontent'], [BF + 'media', '337', 'rdamedia'], [BF + 'carrier', '338', 'rdacarrier']] as const) {
    for (const t of g.objects(tag === '336' ? work : instance, prop)) {
      const code = t.termType === 'NamedNode' ? t.value.split('/').pop() : undefined;
      data(tag, ' ', ' ', [['a', g.value(t, RDFS + 'label')], ['b', code], ['2', source]]);
    }
  }

  // Series.
  for (const rel of g.objects(work, BF + 'relation')) {
    const relationship = g.objects(rel, BF + 'relationship')[0]?.value ?? '';
    if (!relationship.endsWith('/series')) continue;
    for (const res of g.objects(rel, BF + 'associatedResource')) {
      if (!g.types(res).includes(BFLC + 'Uncontrolled')) continue;
      const t = g.objects(res, BF + 'title')[0];
      const traced = g.objects(res, BF + 'status').some((s) => s.value.endsWith('/tr'));
      data('490', traced ? '1' : '0', ' ', [['a', t === undefined ? undefined : g.value(t, BF + 'mainTitle')], ['v', g.value(rel, BF + 'seriesEnumeration')]]);
    }
  }

  // Notes.
  for (const n of g.objects(instance, BF + 'note')) {
    const types = g.types(n);
    const label = g.value(n, RDFS + 'label');
    data(types.some((t) => t.endsWith('mnotetype/biblio')) ? '504' : '500', ' ', ' ', [['a', label]]);
  }
  for (const t of g.objects(work, BF + 'tableOfContents')) data('505', '0', ' ', [['a', g.value(t, RDFS + 'label')]]);
  for (const s of g.objects(work, BF + 'summary')) data('520', ' ', ' ', [['a', g.value(s, RDFS + 'label')]]);
  const custodial = g.value(instance, BF + 'custodialHistory');
  if (custodial) data('561', ' ', ' ', [['a', custodial]]);

  // Subjects and genre/form.
  for (const s of g.objects(work, BF + 'subject')) {
    const marcKey = g.value(s, BFLC + 'marcKey');
    const fromKey = marcKey ? fieldFromMarcKey(marcKey) : null;
    if (fromKey) {
      fields.push(fromKey);
      continue;
    }
    const label = g.value(s, MADS + 'authoritativeLabel') ?? g.value(s, RDFS + 'label');
    if (label === undefined) continue;
    const types = g.types(s);
    const source = g.objects(s, BF + 'source')[0]?.value ?? '';
    const ind2 = source.endsWith('authorities/subjects') ? '0' : source.endsWith('/mesh') ? '2' : '4';
    const tag = types.includes(BF + 'Place') ? '651' : types.includes(BF + 'Temporal') ? '648' : types.includes(BF + 'GenreForm') ? '655' : '650';
    const [head, ...subdivisions] = label.split('--');
    const subs: Subfield[] = [{ code: 'a', value: head as string }];
    const list = componentTypes(g, s);
    subdivisions.forEach((v, i) => subs.push({ code: { GenreForm: 'v', Topic: 'x', Temporal: 'y', Geographic: 'z' }[list[i + 1] ?? 'Topic'] ?? 'x', value: v }));
    fields.push(new DataField(tag, ' ', ind2, subs));
  }
  for (const s of g.objects(work, BF + 'genreForm')) {
    const label = g.value(s, MADS + 'authoritativeLabel');
    if (label === undefined || s.termType !== 'NamedNode' || !s.value.includes('#')) continue;
    const source = g.objects(s, BF + 'source')[0];
    const code = source === undefined ? undefined : g.value(source, BF + 'code');
    data('655', ' ', code ? '7' : source?.value.endsWith('/mesh') ? '2' : '0', [['a', label], ['2', code]]);
  }
  fields.push(...added);

  fields.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const leader = `00000n${l06}${l07} a22000008${enc === ' ' ? ' ' : enc}${conv} 4500`.substring(0, 24);
  const record = new Record({ leader: leader.substring(0, 17) + enc + conv + leader.substring(19), fields });
  return record;
}

function componentTypes(g: Index, s: Term): string[] {
  const out: string[] = [];
  let cell = g.objects(s, MADS + 'componentList')[0];
  while (cell !== undefined && cell.value !== RDF + 'nil') {
    const item = g.objects(cell, RDF + 'first')[0];
    if (item) out.push((g.types(item).find((t) => t.startsWith(MADS)) ?? '').replace(MADS, ''));
    cell = g.objects(cell, RDF + 'rest')[0];
  }
  return out;
}
