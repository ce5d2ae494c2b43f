/**
 * MARC → MODS 3.7, a template-by-template port of LC's MARC21slim2MODS3-7.xsl (Revision 1.140,
 * 20200717) with MARC21slimUtils.xsl. Output order, attribute choices and the stylesheet's own
 * quirks are kept (they are what "the same as LC" means); where a quirk is an XPath slip the
 * comment says so. See docs/crosswalks.md for the list.
 */

import { add, addText, el, setAttr, type XmlNode } from './xml.js';
import { subfieldSelect, type MarcDataField, type MarcView } from './marc-view.js';

type F = MarcDataField;

const WS = /[ \t\r\n]+/g;
export function normalizeSpace(s: string): string {
  return s.replace(WS, ' ').replace(/^ | $/g, '');
}

export function chop(s: string, punctuation = '.:,;/ '): string {
  let end = s.length;
  while (end > 0 && punctuation.includes(s.charAt(end - 1))) end--;
  return s.substring(0, end);
}

export function chopFront(s: string): string {
  let i = 0;
  while (i < s.length && '.:,;/[ '.includes(s.charAt(i))) i++;
  return s.substring(i);
}

function first(f: F, code: string): string {
  for (const sf of f.subfields) if (sf.code === code) return sf.value;
  return '';
}

function has(f: F, code: string): boolean {
  for (const sf of f.subfields) if (sf.code === code) return true;
  return false;
}

function hasAny(f: F, codes: string): boolean {
  for (const sf of f.subfields) if (sf.code !== '' && codes.includes(sf.code)) return true;
  return false;
}

function last(f: F, code: string): string | null {
  let v: string | null = null;
  for (const sf of f.subfields) if (sf.code === code) v = sf.value;
  return v;
}

/** XPath number(): '' and non-numeric strings are NaN. */
function num(s: string): number {
  const t = s.trim();
  return t === '' || !/^-?(\d+\.?\d*|\.\d+)$/.test(t) ? NaN : Number(t);
}

/** The specialSubfieldSelect template. */
function special(f: F, o: { any?: string; axis: string; before?: string; after?: string }): string {
  const sfs = f.subfields;
  let s = '';
  for (let i = 0; i < sfs.length; i++) {
    const code = (sfs[i] as { code: string }).code;
    let take = o.any !== undefined && o.any.includes(code);
    if (!take && o.before !== undefined && o.before.includes(code)) {
      for (let j = i + 1; j < sfs.length; j++) if ((sfs[j] as { code: string }).code === o.axis) take = true;
    }
    if (!take && o.after !== undefined && o.after.includes(code)) {
      for (let j = 0; j < i; j++) if ((sfs[j] as { code: string }).code === o.axis) take = true;
    }
    if (take) s += (sfs[i] as { value: string }).value + ' ';
  }
  return s.substring(0, s.length - 1);
}

/** Subfields other than `skip`, each followed by a space, less the last character (the notes). */
function joinExcept(f: F, skip: string): string {
  let s = '';
  for (const sf of f.subfields) if (!skip.includes(sf.code) || sf.code === '') s += sf.value + ' ';
  return s.substring(0, s.length - 1);
}

const SCRIPTS: { [code: string]: string } = { '': 'Latn', '(3': 'Arab', '(4': 'Arab', '(B': 'Latn', '!E': 'Latn', $1: 'CJK', '(N': 'Cyrl', '(Q': 'Cyrl', '(2': 'Hebr', '(S': 'Grek' };

function sub(s: string, start: number, length?: number): string {
  // XPath substring(s, start, length) for integer arguments.
  const from = Math.max(start - 1, 0);
  const to = length === undefined ? s.length : Math.max(start - 1 + length, 0);
  return to <= from ? '' : s.substring(from, to);
}

class Converter {
  readonly v: MarcView;
  readonly df: F[];
  readonly anySix: boolean;
  readonly leader6: string;
  readonly leader7: string;
  readonly leader19: string;
  readonly cf008: string;
  readonly has008: boolean;
  readonly typeOf008: string;
  readonly cf007: string[];
  /** Fields by tag, and 880s by the tag their $6 links to, each in record order. */
  readonly byTag = new Map<string, F[]>();
  readonly by880 = new Map<string, F[]>();
  readonly pos = new Map<F, number>();

  constructor(v: MarcView) {
    this.v = v;
    this.df = v.datafields;
    this.anySix = this.df.some((f) => has(f, '6'));
    this.leader6 = v.leader.charAt(6);
    this.leader7 = v.leader.charAt(7);
    this.leader19 = v.leader.charAt(19);
    this.cf008 = v.cf008;
    this.has008 = v.controlfields.some((c) => c.tag === '008');
    this.cf007 = v.controlfields.filter((c) => c.tag === '007').map((c) => c.data);
    this.typeOf008 = typeOf008(this.leader6, this.leader7);
    this.df.forEach((f, i) => {
      this.pos.set(f, i);
      push(this.byTag, f.tag, f);
      if (f.tag === '880') push(this.by880, first(f, '6').substring(0, 3), f);
    });
  }

  tag(t: string): F[] {
    return this.byTag.get(t) ?? [];
  }

  /** `datafield[@tag=T] | datafield[@tag='880'][starts-with($6, T)]`, in record order. */
  with880(t: string, pred?: (f: F) => boolean): F[] {
    const own = this.byTag.get(t) ?? [];
    const linked = this.by880.get(t) ?? [];
    let all = linked.length === 0 ? own : own.length === 0 ? linked : [...own, ...linked].sort((a, b) => (this.pos.get(a) as number) - (this.pos.get(b) as number));
    if (pred !== undefined) all = all.filter(pred);
    return all;
  }

  /** The xxx880 template: altRepGroup and script from the field's $6. */
  x880(node: XmlNode, f: F): void {
    if (!has(f, '6')) return;
    const sf06 = normalizeSpace(first(f, '6'));
    const b = sub(sf06, 5, 2);
    if (b !== '00') setAttr(node, 'altRepGroup', b);
    if (this.anySix) setAttr(node, 'script', SCRIPTS[sub(sf06, 8, 2)] ?? '');
  }

  /** The xxs880 template: the same from the first $6 before subfield `index`. */
  s880(node: XmlNode, f: F, index: number): void {
    let six: string | null = null;
    for (let i = 0; i < index; i++) {
      const sf = f.subfields[i] as { code: string; value: string };
      if (sf.code === '6') {
        six = sf.value;
        break;
      }
    }
    if (six === null) return;
    const sf06 = normalizeSpace(six);
    const b = sub(sf06, 5, 2);
    if (b !== '00') setAttr(node, 'altRepGroup', b);
    setAttr(node, 'script', SCRIPTS[sub(sf06, 8, 2)] ?? '');
  }

  xlink0(node: XmlNode, f: F, nonEmpty: boolean): void {
    for (const sf of f.subfields) if (sf.code === '0' && (!nonEmpty || sf.value !== '')) setAttr(node, 'xlink:href', sf.value);
  }

  /** The uri template: xlink:href from every $u and $0 (the last wins). */
  uri(node: XmlNode, f: F): void {
    for (const sf of f.subfields) if (sf.code === 'u' || sf.code === '0') setAttr(node, 'xlink:href', sf.value);
  }

  part(node: XmlNode, f: F): void {
    const partNumber = special(f, { axis: 'n', any: 'n', after: 'fgkdlmor' });
    const partName = ['700', '800', '710', '810', '711', '811', '730', '830', '740', '440'].includes(f.tag) ? first(f, 'p') : special(f, { axis: 'p', any: 'p', after: 'fgkdlmor' });
    if (normalizeSpace(partNumber) !== '') add(node, 'partNumber', [], chop(partNumber));
    if (normalizeSpace(partName) !== '') add(node, 'partName', [], chop(partName));
  }

  subtitle(node: XmlNode, f: F): void {
    if (has(f, 'b')) add(node, 'subTitle', [], chop(first(f, 'b')));
  }

  role(node: XmlNode, f: F): void {
    for (const sf of f.subfields) if (sf.code === 'e') add(add(node, 'role'), 'roleTerm', [['type', 'text']], chop(sf.value));
    for (const sf of f.subfields) if (sf.code === '4') add(add(node, 'role'), 'roleTerm', [['authority', 'marcrelator'], ['type', 'code']], sf.value);
  }

  termsOfAddress(node: XmlNode, f: F): void {
    if (hasAny(f, 'bc')) add(node, 'namePart', [['type', 'termsOfAddress']], subfieldSelect(f, 'bc'));
  }

  nameDate(node: XmlNode, f: F): void {
    for (const sf of f.subfields) if (sf.code === 'd') add(node, 'namePart', [['type', 'date']], chop(sf.value));
  }

  affiliation(node: XmlNode, f: F): void {
    for (const sf of f.subfields) if (sf.code === 'u') add(node, 'affiliation', [], sf.value);
  }

  nameIdentifier(node: XmlNode, f: F): void {
    if (has(f, '0')) add(node, 'nameIdentifier', [], subfieldSelect(f, '0'));
  }

  nameABCDQ(node: XmlNode, f: F): void {
    add(node, 'namePart', [], subfieldSelect(f, 'aq'));
    this.termsOfAddress(node, f);
    this.nameDate(node, f);
  }

  nameABCDN(node: XmlNode, f: F): void {
    for (const sf of f.subfields) if (sf.code === 'a') add(node, 'namePart', [], sf.value);
    for (const sf of f.subfields) if (sf.code === 'b') add(node, 'namePart', [], sf.value);
    if (hasAny(f, 'cdn')) add(node, 'namePart', [], subfieldSelect(f, 'cdn'));
  }

  precedingNameCount(f: F): number {
    let n = 0;
    for (const g of this.df) {
      if (g === f) break;
      if (g.tag === '700' || g.tag === '710' || g.tag === '711' || g.tag === '880') n++;
    }
    return n + 2;
  }

  nameTitleGroup(node: XmlNode, f: F): void {
    const six = first(f, '6');
    if (f.tag === '240') {
      if (this.df.some((g) => g.tag === '100' || g.tag === '110' || g.tag === '111')) setAttr(node, 'nameTitleGroup', '1');
    } else if (f.tag === '880' && six.startsWith('240')) {
      if (this.df.some((g) => g.tag === '880' && (first(g, '6').startsWith('100') || first(g, '6').startsWith('110') || first(g, '6').startsWith('111')))) setAttr(node, 'nameTitleGroup', String(this.precedingNameCount(f)));
    } else if (f.tag === '100' || f.tag === '110' || f.tag === '111') {
      if (this.df.some((g) => g.tag === '240')) setAttr(node, 'nameTitleGroup', '1');
    } else if (f.tag === '880' && (six.startsWith('100') || six.startsWith('110') || six.startsWith('111'))) {
      if (this.df.some((g) => g.tag === '880' && first(g, '6').startsWith('240'))) setAttr(node, 'nameTitleGroup', String(this.precedingNameCount(f)));
    } else if (f.tag === '700' || f.tag === '710' || f.tag === '711') {
      if (has(f, 't')) setAttr(node, 'nameTitleGroup', String(this.precedingNameCount(f)));
    } else if (f.tag === '880' && (six.startsWith('700') || six.startsWith('710') || six.startsWith('711')) && !has(f, 't')) {
      // no group
    } else {
      setAttr(node, 'nameTitleGroup', String(this.precedingNameCount(f)));
    }
  }

  // ---- titles

  titleFrom245(mods: XmlNode, f: F): void {
    const ti = add(mods, 'titleInfo');
    this.x880(ti, f);
    const title = has(f, 'b') ? special(f, { axis: 'b', before: 'afgks' }) : subfieldSelect(f, 'abfgks');
    this.nonSortTitle(ti, f, chop(title));
    if (has(f, 'b')) add(ti, 'subTitle', [], chop(special(f, { axis: 'b', any: 'b', after: 'afgks' })));
    this.part(ti, f);
  }

  nonSortTitle(ti: XmlNode, f: F, titleChop: string): void {
    const n = num(f.ind2);
    if (f.ind2 !== ' ' && n > 0) {
      add(ti, 'nonSort', [['xml:space', 'preserve']], sub(titleChop, 1, n) + ' ');
      add(ti, 'title', [], sub(titleChop, n + 1));
    } else {
      add(ti, 'title', [], titleChop);
    }
  }

  titleFrom210(mods: XmlNode, f: F): void {
    const ti = add(mods, 'titleInfo', [['type', 'abbreviated']]);
    this.x880(ti, f);
    add(ti, 'title', [], chop(subfieldSelect(f, 'a')));
    this.subtitle(ti, f);
  }

  titleFrom246(mods: XmlNode, f: F): void {
    const ti = add(mods, 'titleInfo', [['type', f.ind2 === '1' ? 'translated' : 'alternative']]);
    this.x880(ti, f);
    for (const sf of f.subfields) if (sf.code === 'i') setAttr(ti, 'displayLabel', sf.value);
    add(ti, 'title', [], chop(subfieldSelect(f, 'af')));
    this.subtitle(ti, f);
    this.part(ti, f);
  }

  uniformTitle(f: F, withS: boolean): string {
    const hasNP = hasAny(f, 'np');
    const sfs = f.subfields;
    let str = '';
    for (let i = 0; i < sfs.length; i++) {
      const sf = sfs[i] as { code: string; value: string };
      // 130/730 add $s on its own and again below: LC's duplication (fixed for 240 only, 1.102).
      if (withS && 's'.includes(sf.code)) str += sf.value + ' ';
      if ('adfklmors'.includes(sf.code)) {
        let followingNP = false;
        for (let j = i + 1; j < sfs.length; j++) if ((sfs[j] as { code: string }).code === 'n' || (sfs[j] as { code: string }).code === 'p') followingNP = true;
        if (!hasNP || followingNP) str += sf.value + ' ';
      }
    }
    return chop(str.substring(0, str.length - 1));
  }

  titleFrom240(mods: XmlNode, f: F): void {
    const ti = add(mods, 'titleInfo', [['type', 'uniform']]);
    this.nameTitleGroup(ti, f);
    this.x880(ti, f);
    this.xlink0(ti, f, true);
    add(ti, 'title', [], this.uniformTitle(f, false));
    this.part(ti, f);
  }

  titleFrom130(mods: XmlNode, f: F): void {
    const ti = add(mods, 'titleInfo', [['type', 'uniform']]);
    this.x880(ti, f);
    this.xlink0(ti, f, true);
    add(ti, 'title', [], this.uniformTitle(f, true));
    this.part(ti, f);
  }

  titleFrom740(mods: XmlNode, f: F): void {
    const ti = add(mods, 'titleInfo', [['type', 'alternative']]);
    this.x880(ti, f);
    add(ti, 'title', [], chop(subfieldSelect(f, 'ah')));
    this.part(ti, f);
  }

  titleFrom242(mods: XmlNode, f: F): void {
    const ti = add(mods, 'titleInfo', [['type', 'translated']]);
    for (const sf of f.subfields) if (sf.code === 'y') setAttr(ti, 'lang', sf.value);
    this.nonSortTitle(ti, f, chop(chop(subfieldSelect(f, 'a'))));
    this.subtitle(ti, f);
    this.part(ti, f);
  }

  // ---- names

  nameFrom100(mods: XmlNode, f: F): void {
    if (f.ind1 === '0' || f.ind1 === '1' || f.ind1 === '3') {
      const family = f.ind1 === '3';
      const n = add(mods, 'name', [['type', family ? 'family' : 'personal'], ['usage', 'primary']]);
      this.x880(n, f);
      this.nameTitleGroup(n, f);
      if (!family) this.xlink0(n, f, true);
      this.nameABCDQ(n, f);
      this.affiliation(n, f);
      this.role(n, f);
      this.nameIdentifier(n, f);
    }
  }

  nameCorporate(mods: XmlNode, f: F): void {
    const n = add(mods, 'name', [['type', 'corporate']]);
    this.x880(n, f);
    this.nameTitleGroup(n, f);
    this.xlink0(n, f, true);
    this.nameABCDN(n, f);
    this.role(n, f);
    this.nameIdentifier(n, f);
  }

  nameConference(mods: XmlNode, f: F): void {
    const n = add(mods, 'name', [['type', 'conference']]);
    this.x880(n, f);
    this.nameTitleGroup(n, f);
    this.xlink0(n, f, true);
    add(n, 'namePart', [], subfieldSelect(f, 'acdenq'));
    this.role(n, f);
    this.nameIdentifier(n, f);
  }

  nameFrom700(mods: XmlNode, f: F): void {
    if (f.ind1 === '0' || f.ind1 === '1') {
      const n = add(mods, 'name', [['type', 'personal']]);
      this.x880(n, f);
      this.nameTitleGroup(n, f);
      this.xlink0(n, f, true);
      this.nameABCDQ(n, f);
      this.affiliation(n, f);
      this.role(n, f);
      this.nameIdentifier(n, f);
    }
    if (f.ind1 === '3') {
      const n = add(mods, 'name', [['type', 'family']]);
      this.x880(n, f);
      this.nameABCDQ(n, f);
      this.affiliation(n, f);
      this.role(n, f);
      this.nameIdentifier(n, f);
    }
  }

  nameFrom720(mods: XmlNode, f: F): void {
    const n = add(mods, 'name');
    if (num(f.ind1) === 1) setAttr(n, 'type', 'personal');
    this.x880(n, f);
    add(n, 'namePart', [], first(f, 'a'));
    this.role(n, f);
  }

  // ---- genre

  genres008(mods: XmlNode): void {
    const c = this.cf008;
    const t = this.typeOf008;
    const g = (text: string): void => void add(mods, 'genre', [['authority', 'marcgt']], text);
    const has007 = (a: string, b: string): boolean => this.cf007.some((d) => d.charAt(0) === a && d.charAt(1) === b);
    if (c.charAt(25) === 'd') g('globe');
    if (has007('a', 'r')) g('remote-sensing image');
    if (t === 'MP') {
      const c25 = c.charAt(25);
      if (c25 === 'a' || c25 === 'b' || c25 === 'c' || has007('a', 'j')) g('map');
      else if (c25 === 'e' || has007('a', 'd')) g('atlas');
    }
    if (t === 'SE') {
      const m: { [k: string]: string } = { d: 'database', l: 'loose-leaf', m: 'series', n: 'newspaper', p: 'periodical', w: 'web site' };
      const x = m[c.charAt(21)];
      if (x !== undefined && c.length > 21) g(x);
    }
    if (t === 'BK' || t === 'SE') {
      const c24 = sub(c, 25, 4);
      const order: [string, string][] = [['a', 'abstract or summary'], ['b', 'bibliography'], ['c', 'catalog'], ['d', 'dictionary'], ['e', 'encyclopedia'], ['f', 'handbook'], ['g', 'legal article'], ['i', 'index'], ['k', 'discography'], ['l', 'legislation'], ['m', 'theses'], ['n', 'survey of literature'], ['o', 'review'], ['p', 'programmed text'], ['q', 'filmography'], ['r', 'directory'], ['s', 'statistics'], ['t', 'technical report'], ['v', 'legal case and case notes'], ['w', 'law report or digest'], ['z', 'treaty']];
      for (const [k, text] of order) {
        if (c24.includes(k)) {
          g(text);
          break;
        }
      }
      if (c.charAt(29) === '1') g('conference publication');
    }
    if (t === 'CF') {
      const m: { [k: string]: string } = { a: 'numeric data', e: 'database', f: 'font', g: 'game' };
      const x = c.length > 26 ? m[c.charAt(26)] : undefined;
      if (x !== undefined) g(x);
    }
    if (t === 'BK') {
      if (c.charAt(24) === 'j') g('patent');
      if (c.charAt(24) === '2') g('offprint');
      if (c.charAt(30) === '1') g('festschrift');
      const c34 = c.charAt(34);
      if (c34 === 'a' || c34 === 'b' || c34 === 'c' || c34 === 'd') g('biography');
      const m: { [k: string]: string } = { e: 'essay', d: 'drama', c: 'comic strip', l: 'fiction', h: 'humor, satire', i: 'letter', f: 'novel', j: 'short story', s: 'speech' };
      const x = c.length > 33 ? m[c.charAt(33)] : undefined;
      if (x !== undefined) g(x);
    }
    if (t === 'MU') {
      const c30 = sub(c, 31, 2);
      for (const [k, text] of [['b', 'biography'], ['c', 'conference publication'], ['d', 'drama'], ['e', 'essay'], ['f', 'fiction'], ['o', 'folktale'], ['h', 'history'], ['k', 'humor, satire'], ['m', 'memoir'], ['p', 'poetry'], ['r', 'rehearsal'], ['g', 'reporting'], ['s', 'sound'], ['l', 'speech']] as [string, string][]) if (c30.includes(k)) g(text);
    }
    if (t === 'VM') {
      const m: { [k: string]: string } = { a: 'art original', b: 'kit', c: 'art reproduction', d: 'diorama', f: 'filmstrip', g: 'legal article', i: 'picture', k: 'graphic', l: 'technical drawing', m: 'motion picture', n: 'chart', o: 'flash card', p: 'microscope slide' };
      const c33 = c.length > 33 ? c.charAt(33) : '';
      const x = m[c33];
      if (x !== undefined) g(x);
      else if (c33 === 'q' || has007('a', 'q')) g('model');
      else {
        const m2: { [k: string]: string } = { r: 'realia', s: 'slide', t: 'transparency', v: 'videorecording', w: 'toy' };
        const y = m2[c33];
        if (y !== undefined) g(y);
      }
    }
    if (t === 'BK' || t === 'CF' || t === 'MP' || t === 'VM') {
      const c28 = c.length > 28 ? c.charAt(28) : '';
      if (c28 !== '' && 'acfmilosuz|'.includes(c28)) g('government publication');
    }
  }

  genre047(mods: XmlNode, f: F): void {
    const gn = add(mods, 'genre', [['authority', 'marcgt']]);
    if (f.ind2 === ' ') setAttr(gn, 'authority', 'marcmuscomp');
    else if (f.ind2 === '7' && has(f, '2')) setAttr(gn, 'authority', first(f, '2'));
    setAttr(gn, 'type', 'musical composition');
    this.x880(gn, f);
    gn.text = subfieldSelect(f, 'abcdef', '-');
  }

  genre336(mods: XmlNode, f: F): void {
    const gn = add(mods, 'genre');
    if (has(f, '2')) setAttr(gn, 'authority', first(f, '2'));
    this.x880(gn, f);
    gn.text = subfieldSelect(f, 'a', '-');
  }

  genre655(mods: XmlNode, f: F): void {
    const gn = add(mods, 'genre', [['authority', 'marcgt']]);
    if (has(f, '2')) setAttr(gn, 'authority', first(f, '2'));
    else if (f.ind2 !== ' ') setAttr(gn, 'authority', f.ind2);
    this.x880(gn, f);
    gn.text = subfieldSelect(f, 'abvxyz', '-');
  }

  // ---- originInfo

  originInfoShared(): XmlNode[] {
    const out = el('x');
    const c = this.cf008;
    const l6 = this.leader6;
    const mss = l6 === 'd' || l6 === 'f' || l6 === 'p' || l6 === 't';
    const code = normalizeSpace(sub(c, 16, 3));
    if (code.replace(/\|/g, '') !== '') add(add(out, 'place'), 'placeTerm', [['type', 'code'], ['authority', 'marccountry']], code);
    const d710 = normalizeSpace(sub(c, 8, 4));
    const d1114 = normalizeSpace(sub(c, 12, 4));
    const d6 = normalizeSpace(sub(c, 7, 1));
    const first260c = this.df.find((f) => f.tag === '260' && has(f, 'c'));
    const dataField260c = chop(first260c === undefined ? '' : first(first260c, 'c'));
    if ('eprst'.includes(d6) && d6 !== '') {
      if (d710 !== '' && d710 !== dataField260c) add(out, mss ? 'dateCreated' : 'dateIssued', [['encoding', 'marc']], d710);
    }
    if (d6 !== '' && 'cdikmu'.includes(d6)) {
      if (d710 !== '') add(out, 'dateIssued', [['encoding', 'marc'], ['point', 'start']], d710);
      if (d1114 !== '') add(out, 'dateIssued', [['encoding', 'marc'], ['point', 'end']], d1114);
    }
    if (d6 === 'q') {
      if (d710 !== '') add(out, 'dateIssued', [['encoding', 'marc'], ['point', 'start'], ['qualifier', 'questionable']], d710);
      if (d1114 !== '') add(out, 'dateIssued', [['encoding', 'marc'], ['point', 'end'], ['qualifier', 'questionable']], d1114);
    }
    if (d6 === 't' && d1114 !== '') add(out, 'copyrightDate', [['encoding', 'marc']], d1114);
    // for-each marc:leader: a record without a leader element gets no issuance.
    const l7 = this.leader7;
    const l19 = this.leader19;
    if (this.v.leader !== '' && (l7 === 'a' || l7 === 'c' || l7 === 'd' || l7 === 'm' || l7 === 'b' || l7 === 'i' || l7 === 's')) {
      let text = '';
      if (l7 === 'a' || l7 === 'c' || l7 === 'd' || l7 === 'm') text = 'monographic';
      else if (l7 === 'i') text = 'integrating resource';
      else if (l7 === 'b' || l7 === 's') text = 'serial';
      add(out, 'issuance', [], text);
    }
    if (this.typeOf008 === 'SE') {
      for (const cf of this.v.controlfields) {
        if (cf.tag !== '008') continue;
        const m: { [k: string]: string } = { a: 'Annual', b: 'Bimonthly', c: 'Semiweekly', d: 'Daily', e: 'Biweekly', f: 'Semiannual', g: 'Biennial', h: 'Triennial', i: 'Three times a week', j: 'Three times a month', k: 'Continuously updated', m: 'Monthly', q: 'Quarterly', s: 'Semimonthly', t: 'Three times a year', u: 'Unknown', w: 'Weekly', ' ': 'Completely irregular', '#': 'Completely irregular' };
        const x = c.length > 18 ? m[c.charAt(18)] : undefined;
        if (x !== undefined) add(out, 'frequency', [['authority', 'marcfrequency']], x);
      }
    }
    return out.children;
  }

  originContent(node: XmlNode, f: F): void {
    const t = f.tag === '880' ? first(f, '6').substring(0, 3) : f.tag;
    const mss = 'dfpt'.includes(this.leader6) && this.leader6 !== '';
    if (t === '044') {
      for (const sf of f.subfields) if (sf.code === 'c') add(add(node, 'place'), 'placeTerm', [['type', 'code'], ['authority', 'iso3166']], chopFront(chop(sf.value)));
    } else if (t === '260') {
      for (const sf of f.subfields) if (sf.code === 'a') add(add(node, 'place'), 'placeTerm', [['type', 'text']], chopFront(chop(sf.value)));
      for (const sf of f.subfields) if (sf.code === 'b') add(node, 'publisher', [], chop(sf.value, ':,;/ '));
      for (const sf of f.subfields) if (sf.code === 'c') add(node, mss ? 'dateCreated' : 'dateIssued', [], chop(sf.value));
      for (const sf of f.subfields) if (sf.code === 'g') add(node, 'dateCreated', [], sf.value);
    } else if (t === '046') {
      for (const sf of f.subfields) if (sf.code === 'm') add(node, 'dateValid', [['point', 'start']], sf.value);
      for (const sf of f.subfields) if (sf.code === 'n') add(node, 'dateValid', [['point', 'end']], sf.value);
      for (const sf of f.subfields) if (sf.code === 'j') add(node, 'dateModified', [], sf.value);
      for (const sf of f.subfields) if (sf.code === 'c') add(node, 'dateIssued', [['encoding', 'marc'], ['point', 'start']], sf.value);
      for (const sf of f.subfields) if (sf.code === 'e') add(node, 'dateIssued', [['encoding', 'marc'], ['point', 'end']], sf.value);
      for (const sf of f.subfields) if (sf.code === 'k') add(node, 'dateCreated', [['encoding', 'marc'], ['point', 'start']], sf.value);
      for (const sf of f.subfields) if (sf.code === 'l') add(node, 'dateCreated', [['encoding', 'marc'], ['point', 'end']], sf.value);
    } else if (t === '033') {
      const i1 = num(f.ind1);
      const as = f.subfields.filter((sf) => sf.code === 'a');
      if (i1 === 0 || i1 === 1) for (const sf of as) add(node, 'dateCaptured', [['encoding', 'iso8601']], sf.value);
      if (i1 === 2) {
        if (as[0] !== undefined) add(node, 'dateCaptured', [['encoding', 'iso8601'], ['point', 'start']], as[0].value);
        if (as[1] !== undefined) add(node, 'dateCaptured', [['encoding', 'iso8601'], ['point', 'end']], as[1].value);
      }
    } else if (t === '250') {
      for (const sf of f.subfields) if (sf.code === 'a') add(node, 'edition', [], sf.value);
    } else if (t === '310' || t === '321') {
      add(node, 'frequency', [], subfieldSelect(f, 'ab'));
    }
  }

  originInfo(mods: XmlNode): void {
    const shared = this.originInfoShared();
    const copyShared = (node: XmlNode): void => void node.children.push(...shared.map(cloneNode));
    const ORIGIN = new Set(['044', '260', '046', '033', '250', '310', '321']);
    const fields = this.df.filter((f) => ORIGIN.has(f.tag));
    const withSix = fields.filter((f) => has(f, '6'));
    if (withSix.length > 0) {
      for (const f of withSix) {
        const oi = add(mods, 'originInfo');
        this.x880(oi, f);
        copyShared(oi);
        this.originContent(oi, f);
      }
      const rest = fields.filter((f) => !has(f, '6'));
      if (rest.length > 0) {
        const oi = add(mods, 'originInfo');
        copyShared(oi);
        for (const f of rest) this.originContent(oi, f);
      }
    } else if (fields.length > 0 || this.has008) {
      const oi = add(mods, 'originInfo');
      copyShared(oi);
      // 044 $c has no template in mode originInfo: the built-in rules copy its text as is.
      for (const f of this.tag('044')) for (const sf of f.subfields) if (sf.code === 'c') addText(oi, sf.value);
      for (const t of ['260', '046', '033', '250']) for (const f of this.tag(t)) this.originContent(oi, f);
      for (const f of fields) if (f.tag === '310' || f.tag === '321') this.originContent(oi, f);
    }
    for (const f of this.df) {
      if (f.tag !== '880') continue;
      const six = first(f, '6');
      if (!['260', '250', '044', '046', '033', '310', '321'].some((t) => six.startsWith(t))) continue;
      const oi = add(mods, 'originInfo');
      this.x880(oi, f);
      copyShared(oi);
      this.originContent(oi, f);
    }
  }

  originInfo264(mods: XmlNode): void {
    const events: [number, string, string, string | null][] = [
      [0, 'producer', 'dateOther', 'production'],
      [1, 'publisher', 'dateIssued', null],
      [2, 'distributor', 'dateOther', 'distribution'],
      [3, 'manufacturer', 'dateOther', 'manufacture'],
    ];
    for (const [ind2, eventType, dateName, dateType] of events) {
      for (const f of this.with880('264', (g) => num(g.ind2) === ind2)) {
        const oi = add(mods, 'originInfo', [['eventType', eventType]]);
        this.x880(oi, f);
        const as = f.subfields.filter((sf) => sf.code === 'a');
        if (as.length > 1) {
          const sfs = f.subfields;
          for (let i = 0; i < sfs.length; i++) {
            const sf = sfs[i] as { code: string; value: string };
            if (sf.code !== 'a') continue;
            add(add(oi, 'place'), 'placeTerm', [['type', 'text']], sf.value);
            for (let j = i + 1; j < sfs.length; j++) {
              if ((sfs[j] as { code: string }).code === 'b') {
                add(oi, 'publisher', [], (sfs[j] as { value: string }).value);
                break;
              }
            }
          }
        } else {
          add(add(oi, 'place'), 'placeTerm', [['type', 'text']], first(f, 'a'));
          add(oi, 'publisher', [], first(f, 'b'));
        }
        if (has(f, 'c')) add(oi, dateName, dateType === null ? [] : [['type', dateType]], first(f, 'c'));
      }
    }
  }

  // ---- language

  language(mods: XmlNode): void {
    const lang = normalizeSpace(sub(this.cf008, 36, 3).replace(/[|#]/g, ''));
    if (lang !== '') add(add(mods, 'language'), 'languageTerm', [['authority', 'iso639-2b'], ['type', 'code']], sub(this.cf008, 36, 3));
    const OBJECT: { [k: string]: string } = { b: 'summary', d: 'sung or spoken text', e: 'libretto', f: 'table of contents', g: 'accompanying material', h: 'translation' };
    for (const f of this.tag('041')) {
      const rfc = first(f, '2') === 'rfc3066';
      for (const sf of f.subfields) {
        if (!'abdefgh'.includes(sf.code) || sf.code === '') continue;
        if (rfc) {
          const cur = sf.value;
          if (cur !== '' && cur !== lang && cur !== 'rfc3066') {
            const l = add(mods, 'language');
            if (sf.code !== 'a') setAttr(l, 'objectPart', sf.code === 'b' ? 'summary or subtitle' : (OBJECT[sf.code] ?? ''));
            add(l, 'languageTerm', [['authority', 'rfc3066'], ['type', 'code']], cur);
          }
          continue;
        }
        let used = lang;
        let current = sub(sf.value, 1, 3);
        let remaining = sub(sf.value, 4, sf.value.length - 3);
        while (current.length > 0) {
          if (!used.includes(current)) {
            const l = add(mods, 'language');
            if (sf.code !== 'a') setAttr(l, 'objectPart', OBJECT[sf.code] ?? '');
            add(l, 'languageTerm', [['authority', 'iso639-2b'], ['type', 'code']], current);
          }
          used += current;
          current = sub(remaining, 1, 3);
          remaining = sub(remaining, 4, remaining.length);
        }
      }
    }
  }

  // ---- physicalDescription

  digitalOrigin(node: XmlNode): void {
    if (this.typeOf008 !== 'CF') return;
    if (this.cf007.some((d) => d.charAt(11) === 'a')) add(node, 'digitalOrigin', [], 'reformatted digital');
    if (this.cf007.some((d) => d.charAt(11) === 'b')) add(node, 'digitalOrigin', [], 'digitized microfilm');
    if (this.cf007.some((d) => d.charAt(11) === 'd')) add(node, 'digitalOrigin', [], 'digitized other analog');
  }

  form(node: XmlNode): void {
    const c = this.cf008;
    const t = this.typeOf008;
    const l6 = this.leader6;
    const c23 = c.length > 23 ? c.charAt(23) : '';
    const c29 = c.length > 29 ? c.charAt(29) : '';
    const k23 = t === 'BK' || t === 'MU' || t === 'SE' || t === 'MM';
    const k29 = t === 'MP' || t === 'VM';
    const f = (text: string): void => void add(node, 'form', [['authority', 'marcform']], text);
    if ((k23 && c23 === 'f') || (k29 && c29 === 'f')) f('braille');
    else if ((c23 === ' ' && (l6 === 'c' || l6 === 'd')) || ((t === 'BK' || t === 'SE') && (c23 === ' ' || c === 'r'))) f('print');
    else if (l6 === 'm' || (k23 && c23 === 's') || (k29 && c29 === 's')) f('electronic');
    else if (l6 === 'o') f('kit');
    else if ((k23 && c23 === 'b') || (k29 && c29 === 'b')) f('microfiche');
    else if ((k23 && c23 === 'a') || (k29 && c29 === 'a')) f('microfilm');
    const some = (a: string, b?: string): boolean => this.cf007.some((d) => d.charAt(0) === a && (b === undefined || d.charAt(1) === b));
    for (const [cat, catName, smds] of FORMS_007) {
      if (some(cat)) add(node, 'form', [['authority', 'marccategory']], catName);
      for (const [smd, smdName] of smds) if (some(cat, smd)) add(node, 'form', [['authority', 'marcsmd']], smdName);
    }
  }

  reformattingQuality(node: XmlNode): void {
    for (const d of this.cf007) {
      if (d.charAt(0) !== 'c') continue;
      const q = d.charAt(13);
      if (q === 'a') add(node, 'reformattingQuality', [], 'access');
      else if (q === 'p') add(node, 'reformattingQuality', [], 'preservation');
      else if (q === 'r') add(node, 'reformattingQuality', [], 'replacement');
    }
  }

  /** Mode physDesc on a subfield (index `i` of `f`) or, with i = -1, on a 300/351 field. */
  physDesc(node: XmlNode, f: F, i: number): void {
    const t = f.tag === '880' ? first(f, '6').substring(0, 3) : f.tag;
    if (i < 0) {
      if (t === '300') {
        const e = add(node, 'extent');
        if (has(f, 'f')) setAttr(e, 'unit', subfieldSelect(f, 'f'));
        e.text = subfieldSelect(f, 'abce3g');
      } else if (t === '351') {
        let s = '';
        for (const sf of f.subfields) if (sf.code === '3') s += sf.value + ': ';
        add(node, 'note', [['type', 'arrangement']], s + subfieldSelect(f, 'abc'));
      }
      return;
    }
    const sf = f.subfields[i] as { code: string; value: string };
    if (sf.code === 'h') {
      const s = chop(sf.value);
      const c = chop(s);
      add(node, 'form', [['authority', 'gmd']], c.charAt(0) === '[' ? sub(c, 2, c.length - 2) : c);
    } else if (t === '337' || t === '338') {
      add(node, 'form', [['type', t === '337' ? 'media' : 'carrier'], ['authority', first(f, '2')]], sf.value);
    } else if (t === '256') {
      add(node, 'form', [], sf.value);
    } else if (t === '856' && sf.code === 'q') {
      if (sf.value.length > 1) add(node, 'internetMediaType', [], sf.value);
    }
  }

  /** The physDesc nodes in the order LC's unions give them (record order). */
  physNodes(six: boolean | null): [F, number][] {
    const out: [F, number][] = [];
    for (const f of this.df) {
      if (six !== null && has(f, '6') !== six) continue;
      if (H_TAGS.has(f.tag)) f.subfields.forEach((sf, i) => sf.code === 'h' && out.push([f, i]));
      else if (A_TAGS.has(f.tag)) f.subfields.forEach((sf, i) => sf.code === 'a' && out.push([f, i]));
      else if (f.tag === '300') out.push([f, -1]);
      else if (f.tag === '856') f.subfields.forEach((sf, i) => sf.code === 'q' && out.push([f, i]));
    }
    return out;
  }

  physicalDescription(mods: XmlNode): void {
    const fill = (node: XmlNode): void => {
      this.digitalOrigin(node);
      this.form(node);
      this.reformattingQuality(node);
    };
    const withSix = this.physNodes(true);
    if (withSix.length > 0) {
      for (const [f, i] of withSix) {
        const pd = add(mods, 'physicalDescription');
        if (i >= 0) this.s880(pd, f, i);
        else this.x880(pd, f);
        fill(pd);
        this.physDesc(pd, f, i);
      }
      const rest = this.physNodes(false);
      if (rest.length > 0) {
        const pd = add(mods, 'physicalDescription');
        fill(pd);
        // apply-templates on the datafields themselves: only 300 has a datafield template; the
        // others fall to the built-in rules, which copy the text of every subfield.
        for (const f of this.df) {
          if (has(f, '6')) continue;
          if ((H_TAGS.has(f.tag) && has(f, 'h')) || (A_TAGS.has(f.tag) && has(f, 'a')) || (f.tag === '856' && has(f, 'q'))) {
            for (const sf of f.subfields) addText(pd, sf.value);
          } else if (f.tag === '300') this.physDesc(pd, f, -1);
        }
      }
    } else {
      const pd = el('physicalDescription');
      fill(pd);
      for (const [f, i] of this.physNodes(null)) if (i >= 0 && f.tag !== '856') this.physDesc(pd, f, i);
      for (const f of this.tag('856')) f.subfields.forEach((sf, i) => sf.code === 'q' && this.physDesc(pd, f, i));
      for (const f of this.tag('300')) this.physDesc(pd, f, -1);
      for (const f of this.tag('351')) this.physDesc(pd, f, -1);
      if (normalizeSpace(textOf(pd)) !== '') mods.children.push(pd);
    }
    for (const f of this.df) {
      if (f.tag !== '880') continue;
      const t = first(f, '6').substring(0, 3);
      if (t === '300') {
        const pd = add(mods, 'physicalDescription');
        this.x880(pd, f);
        this.physDesc(pd, f, -1);
      } else if (H_TAGS.has(t) || A_TAGS.has(t)) {
        const code = H_TAGS.has(t) ? 'h' : 'a';
        f.subfields.forEach((sf, i) => {
          if (sf.code !== code) return;
          const pd = add(mods, 'physicalDescription');
          this.s880(pd, f, i);
          this.physDesc(pd, f, i);
        });
      }
    }
  }

  // ---- abstract, toc, audience, access

  abstract(mods: XmlNode, f: F): void {
    const labels: { [k: string]: string } = { '0': 'Subject', '1': 'Review', '2': 'Scope and content', '3': 'Abstract', '4': 'Content advice' };
    const a = add(mods, 'abstract');
    if (f.ind1 !== '8') setAttr(a, 'displayLabel', labels[f.ind1] ?? 'Summary');
    this.x880(a, f);
    this.uri(a, f);
    a.text = subfieldSelect(f, 'ab');
  }

  toc(mods: XmlNode, f: F): void {
    const labels: { [k: string]: string } = { '0': 'Contents', '1': 'Incomplete contents', '2': 'Partial contents' };
    const t = add(mods, 'tableOfContents');
    const label = labels[f.ind1];
    if (label !== undefined) setAttr(t, 'displayLabel', label);
    this.x880(t, f);
    this.uri(t, f);
    t.text = subfieldSelect(f, 'agrt');
  }

  audience521(mods: XmlNode, f: F): void {
    const labels: { [k: string]: string } = { '0': 'Reading grade level', '1': 'Interest age level', '2': 'Interest grade level', '3': 'Special audience characteristics', '4': 'Motivation or interest level', ' ': 'Audience' };
    const t = add(mods, 'targetAudience');
    this.x880(t, f);
    const label = labels[f.ind1];
    if (label !== undefined) setAttr(t, 'displayLabel', label);
    t.text = subfieldSelect(f, 'ab');
  }

  audience008(mods: XmlNode): void {
    const t = this.typeOf008;
    if (t !== 'BK' && t !== 'CF' && t !== 'MU' && t !== 'VM') return;
    const m: { [k: string]: string } = { d: 'adolescent', e: 'adult', g: 'general', b: 'juvenile', c: 'juvenile', j: 'juvenile', a: 'preschool', f: 'specialized' };
    const x = this.cf008.length > 22 ? m[this.cf008.charAt(22)] : undefined;
    if (x !== undefined) add(mods, 'targetAudience', [['authority', 'marctarget']], x);
  }

  note(mods: XmlNode, f: F, type: string | null, skip = '68'): void {
    const n = add(mods, 'note', type === null ? [] : [['type', type]]);
    this.x880(n, f);
    this.uri(n, f);
    n.text = joinExcept(f, skip);
  }

  notes(mods: XmlNode): void {
    for (const f of this.with880('245')) {
      if (!has(f, 'c')) continue;
      const n = add(mods, 'note', [['type', 'statement of responsibility']]);
      this.x880(n, f);
      n.text = subfieldSelect(f, 'c');
    }
    for (const [tag, type, skip] of NOTES) for (const f of this.with880(tag)) this.note(mods, f, type, skip);
    const plain = new Set(['501', '507', '513', '514', '516', '522', '525', '526', '544', '547', '550', '552', '555', '556', '565', '567', '580', '584', '586', '588']);
    const plain880 = ['501', '507', '513', '514', '516', '522', '525', '526', '544', '547', '550', '552', '555', '556', '565', '567', '580', '585', '584', '586'];
    for (const f of this.df) {
      if (plain.has(f.tag) || (f.tag === '880' && plain880.some((t) => first(f, '6').startsWith(t)))) this.note(mods, f, null);
    }
  }

  // ---- subjects

  subjectAuthority(node: XmlNode, f: F): void {
    const i2 = f.ind2;
    const n = num(i2);
    if (n === 4 || i2 === ' ' || n === 8 || n === 9) return;
    const m: { [k: number]: string } = { 0: 'lcsh', 1: 'lcshac', 2: 'mesh', 3: 'nal', 5: 'csh', 6: 'rvm' };
    setAttr(node, 'authority', n === 7 ? first(f, '2') : (m[n] ?? ''));
  }

  anyOrder(node: XmlNode, f: F): void {
    const names: { [k: string]: string } = { v: 'genre', x: 'topic', y: 'temporal', z: 'geographic' };
    for (const sf of f.subfields) {
      const name = names[sf.code];
      if (name !== undefined && sf.code !== '') add(node, name, [], chop(sf.value));
    }
  }

  subjectStart(mods: XmlNode, f: F): XmlNode {
    const s = add(mods, 'subject');
    this.x880(s, f);
    this.subjectAuthority(s, f);
    this.xlink0(s, f, false);
    return s;
  }

  subjectTitle(s: XmlNode, f: F, codes: string): void {
    if (!has(f, 't')) return;
    const ti = add(s, 'titleInfo');
    add(ti, 'title', [], chop(subfieldSelect(f, codes)));
    this.part(ti, f);
  }

  subjects(mods: XmlNode): void {
    for (const f of this.with880('043')) {
      const s = add(mods, 'subject');
      this.x880(s, f);
      const sfs = f.subfields;
      for (let i = 0; i < sfs.length; i++) {
        const sf = sfs[i] as { code: string; value: string };
        if (sf.code !== 'a' && sf.code !== 'b' && sf.code !== 'c') continue;
        let auth = '';
        if (sf.code === 'a') auth = 'marcgac';
        if (sf.code === 'b') for (let j = i + 1; j < sfs.length; j++) if ((sfs[j] as { code: string }).code === '2') {
          auth = (sfs[j] as { value: string }).value;
          break;
        }
        if (sf.code === 'c') auth = 'iso3166';
        add(s, 'geographicCode', [['authority', auth]], sf.value);
      }
    }
    const has045 = this.df.some((f) => f.tag === '045' && f.ind1 === '2' && hasAny(f, 'bc'));
    for (const f of this.with880('045')) {
      if (!has045) continue;
      const s = add(mods, 'subject');
      this.x880(s, f);
      const bc = f.subfields.filter((sf) => sf.code === 'b' || sf.code === 'c');
      add(s, 'temporal', [['encoding', 'iso8601'], ['point', 'start']], dates045b(bc[0]?.value ?? ''));
      add(s, 'temporal', [['encoding', 'iso8601'], ['point', 'end']], dates045b(bc[1]?.value ?? ''));
    }
    for (const f of this.with880('255')) {
      const s = add(mods, 'subject');
      this.x880(s, f);
      const c = add(s, 'cartographics');
      for (const sf of f.subfields) {
        if (sf.code === 'a') add(c, 'scale', [], sf.value);
        if (sf.code === 'b') add(c, 'projection', [], sf.value);
        if (sf.code === 'c') add(c, 'coordinates', [], sf.value);
      }
    }
    for (const f of this.with880('600')) {
      const s = this.subjectStart(mods, f);
      const n = add(s, 'name', [['type', 'personal']]);
      add(n, 'namePart', [], subfieldSelect(f, 'aq'));
      this.termsOfAddress(n, f);
      this.nameDate(n, f);
      this.affiliation(n, f);
      this.role(n, f);
      this.subjectTitle(s, f, 't');
      this.anyOrder(s, f);
    }
    for (const f of this.with880('610')) {
      const s = this.subjectStart(mods, f);
      const n = add(s, 'name', [['type', 'corporate']]);
      for (const sf of f.subfields) if (sf.code === 'a') add(n, 'namePart', [], sf.value);
      for (const sf of f.subfields) if (sf.code === 'b') add(n, 'namePart', [], sf.value);
      if (hasAny(f, 'cdnp')) add(n, 'namePart', [], subfieldSelect(f, 'cdnp'));
      this.role(n, f);
      this.subjectTitle(s, f, 't');
      this.anyOrder(s, f);
    }
    for (const f of this.with880('611')) {
      const s = this.subjectStart(mods, f);
      const n = add(s, 'name', [['type', 'conference']]);
      add(n, 'namePart', [], subfieldSelect(f, 'abcdeqnp'));
      for (const sf of f.subfields) if (sf.code === '4') add(add(n, 'role'), 'roleTerm', [['authority', 'marcrelator'], ['type', 'code']], sf.value);
      this.subjectTitle(s, f, 'tpn');
      this.anyOrder(s, f);
    }
    for (const f of this.with880('630')) {
      const s = this.subjectStart(mods, f);
      const ti = add(s, 'titleInfo');
      add(ti, 'title', [], chop(subfieldSelect(f, 'adfhklor')));
      this.part(ti, f);
      this.anyOrder(s, f);
    }
    for (const f of this.with880('648')) {
      const s = add(mods, 'subject');
      this.x880(s, f);
      if (has(f, '2')) setAttr(s, 'authority', first(f, '2'));
      this.uri(s, f);
      this.subjectAuthority(s, f);
      add(s, 'temporal', [], chop(subfieldSelect(f, 'abcd')));
      this.anyOrder(s, f);
    }
    for (const f of this.with880('650')) {
      const s = this.subjectStart(mods, f);
      add(s, 'topic', [], chop(subfieldSelect(f, 'abcd')));
      this.anyOrder(s, f);
    }
    for (const f of this.with880('651')) {
      const s = this.subjectStart(mods, f);
      for (const sf of f.subfields) if (sf.code === 'a') add(s, 'geographic', [], chop(sf.value));
      this.anyOrder(s, f);
    }
    for (const f of this.with880('653')) {
      const text = f.subfields.map((sf) => sf.value).join('');
      const one = (name: string, type?: string): void => {
        const s = add(mods, 'subject');
        this.x880(s, f);
        if (type === undefined) add(s, name, [], text);
        else add(add(s, 'name', [['type', type]]), 'namePart', [], text);
      };
      if (f.ind2 === ' ') one('topic');
      if (f.ind2 === '0') one('topic');
      // `@ind=' '` names no attribute, so only ind1 0 and 1 give a personal name.
      if (f.ind1 === '0' || f.ind1 === '1') one('name', 'personal');
      if (f.ind1 === '3') one('name', 'family');
      if (f.ind2 === '2') one('name', 'corporate');
      if (f.ind2 === '3') one('name', 'conference');
      if (num(f.ind2) === 4) one('temporal');
      if (num(f.ind2) === 5) one('geographic');
      if (num(f.ind2) === 6) one('genre');
    }
    for (const f of this.with880('656')) {
      const s = add(mods, 'subject');
      this.x880(s, f);
      this.xlink0(s, f, false);
      if (has(f, '2')) setAttr(s, 'authority', first(f, '2'));
      add(s, 'occupation', [], chop(first(f, 'a')));
    }
    for (const t of ['662', '752']) {
      for (const f of this.with880(t)) {
        const s = add(mods, 'subject');
        this.x880(s, f);
        const zero = last(f, '0');
        if (zero !== null) setAttr(s, 'valueURI', zero);
        const h = add(s, 'hierarchicalGeographic');
        if (has(f, '0')) setAttr(h, 'valueURI', first(f, '0'));
        for (const [code, name] of [['a', 'country'], ['b', 'state'], ['c', 'county'], ['d', 'city'], ['e', 'citySection'], ['g', 'area'], ['h', 'extraterrestrialArea']] as [string, string][]) {
          for (const sf of f.subfields) if (sf.code === code) add(h, name, [], chop(sf.value));
        }
      }
    }
  }

  // ---- classification

  classification(mods: XmlNode): void {
    for (const f of this.with880('050')) {
      const sfs = f.subfields;
      const label = has(f, '3') ? first(f, '3') : null;
      for (let i = 0; i < sfs.length; i++) {
        const sf = sfs[i] as { code: string; value: string };
        if (sf.code !== 'b') continue;
        const c = add(mods, 'classification', [['authority', 'lcc']]);
        this.x880(c, f);
        if (label !== null) setAttr(c, 'displayLabel', label);
        let a = '';
        for (let j = i - 1; j >= 0; j--) if ((sfs[j] as { code: string }).code === 'a') {
          a = (sfs[j] as { value: string }).value;
          break;
        }
        c.text = a + ' ' + sf.value;
      }
      for (let i = 0; i < sfs.length; i++) {
        const sf = sfs[i] as { code: string; value: string };
        if (sf.code !== 'a') continue;
        let followingB = false;
        for (let j = i + 1; j < sfs.length; j++) if ((sfs[j] as { code: string }).code === 'b') followingB = true;
        if (followingB) continue;
        const c = add(mods, 'classification', [['authority', 'lcc']]);
        this.x880(c, f);
        if (label !== null) setAttr(c, 'displayLabel', label);
        c.text = sf.value;
      }
    }
    for (const f of this.with880('060')) {
      const c = add(mods, 'classification', [['authority', 'nlm']]);
      this.x880(c, f);
      c.text = subfieldSelect(f, 'ab');
    }
    for (const f of this.with880('080')) {
      const c = add(mods, 'classification', [['authority', 'udc']]);
      this.x880(c, f);
      c.text = subfieldSelect(f, 'abx');
    }
    for (const f of this.with880('082')) {
      const c = add(mods, 'classification', [['authority', 'ddc']]);
      this.x880(c, f);
      if (has(f, '2')) setAttr(c, 'edition', first(f, '2'));
      c.text = subfieldSelect(f, 'ab');
    }
    for (const f of this.with880('084')) {
      const c = add(mods, 'classification', [['authority', first(f, '2')]]);
      this.x880(c, f);
      c.text = subfieldSelect(f, 'ab');
    }
    // 086: LC's template selects marc:datafield[@tag=086] below the 086 field itself, so it
    // never outputs anything.
  }

  // ---- location

  locations(mods: XmlNode): void {
    for (const f of this.with880('852')) {
      const l = add(mods, 'location');
      this.x880(l, f);
      if (hasAny(f, 'abe')) add(l, 'physicalLocation', [], subfieldSelect(f, 'abe'));
      if (has(f, 'u')) {
        const p = add(l, 'physicalLocation');
        this.uri(p, f);
        p.text = subfieldSelect(f, 'u');
      }
      if (hasAny(f, 'hijklmt')) add(l, 'shelfLocator', [], subfieldSelect(f, 'hijklmt'));
      if (hasAny(f, 'pt')) {
        const ci = add(add(l, 'holdingSimple'), 'copyInformation');
        for (const sf of f.subfields) if (sf.code === 'p' || sf.code === 't') add(ci, 'itemIdentifier', sf.code === 't' ? [['type', 'copy number']] : [], sf.value);
      }
    }
    const any856 = this.df.some((f) => f.tag === '856' && num(f.ind2) !== 2 && has(f, 'u'));
    const all856 = this.df.filter((f) => f.tag === '856');
    for (const f of this.with880('856')) {
      if (!any856) continue;
      const l = add(mods, 'location');
      this.x880(l, f);
      const url = add(l, 'url', [['displayLabel', 'electronic resource']]);
      const i2 = num(f.ind2);
      const preceding = this.df.slice(0, this.df.indexOf(f)).filter((g) => g.tag === '856');
      let primary = false;
      if (i2 === 0 && !preceding.some((g) => num(g.ind2) === 0)) primary = true;
      else if (i2 === 1 && !all856.some((g) => num(g.ind2) === 0) && !preceding.some((g) => num(g.ind2) === 1)) primary = true;
      else if (i2 !== 1 && i2 !== 0 && i2 !== 2 && !all856.some((g) => num(g.ind2) === 0 || num(g.ind2) === 1) && preceding.length === 0) primary = true;
      if (primary) setAttr(url, 'usage', 'primary display');
      if (hasAny(f, 'y3')) setAttr(url, 'displayLabel', subfieldSelect(f, 'y3'));
      if (has(f, 'z')) setAttr(url, 'note', subfieldSelect(f, 'z'));
      url.text = first(f, 'u');
    }
  }

  // ---- related items

  relatedSub(node: XmlNode, f: F, code: string, mode: 'relatedItem' | 'note'): void {
    f.subfields.forEach((sf, i) => {
      if (sf.code !== code) return;
      if (mode === 'note') {
        const n = add(node, 'note');
        this.s880(n, f, i);
        n.text = sf.value;
        return;
      }
      switch (code) {
        case 'x':
        case 'z':
        case 'w':
        case 'o': {
          const id = add(node, 'identifier', code === 'o' ? [] : [['type', code === 'x' ? 'issn' : code === 'z' ? 'isbn' : 'local']]);
          this.s880(id, f, i);
          id.text = sf.value;
          break;
        }
        case 'h': {
          const pd = add(node, 'physicalDescription');
          this.s880(pd, f, i);
          add(pd, 'form', [], sf.value);
          break;
        }
        case 'j': {
          const s = add(node, 'subject');
          this.s880(s, f, i);
          add(s, 'temporal', [['encoding', 'iso8601']], chop(sf.value));
          break;
        }
        case 'a': {
          const n = add(node, 'name');
          this.s880(n, f, i);
          add(n, 'namePart', [], sf.value);
          break;
        }
        case 'g':
        case 'n':
        case 'v':
          add(node, 'partNumber', [], chop(sf.value));
          break;
        case 'p':
          add(node, 'partName', [], chop(sf.value));
          break;
      }
    });
  }

  relatedForm(node: XmlNode, f: F): void {
    f.subfields.forEach((sf, i) => {
      if (sf.code !== 'h') return;
      const pd = add(node, 'physicalDescription');
      this.s880(pd, f, i);
      add(pd, 'form', [], sf.value);
    });
  }

  /** The 880s that pair with `f` (same $6 occurrence) for the `. | ../880[...]` selections. */
  paired(f: F, tagPrefix: string, pred: (g: F) => boolean): F[] {
    const s6 = sub(normalizeSpace(first(f, '6')), 5, 2);
    return this.df.filter((g) => g === f || (g.tag === '880' && first(g, '6').startsWith(tagPrefix) && pred(g) && sub(first(g, '6'), 5, 2) === s6));
  }

  /** The guard for 880s: an 880 stands alone only when no regular field has its occurrence. */
  lone880(f: F, regular: (g: F) => boolean): boolean {
    if (f.tag !== '880') return true;
    const s6 = sub(normalizeSpace(first(f, '6')), 5, 2);
    return !this.df.some((g) => regular(g) && sub(first(g, '6'), 5, 2) === s6);
  }

  relatedGroup(mods: XmlNode, tag: string, pred: (g: F) => boolean, attrs: [string, string][], body: (ri: XmlNode, g: F) => void, before?: (ri: XmlNode, f: F) => void): void {
    for (const f of this.with880(tag, pred)) {
      if (!this.lone880(f, (g) => g.tag === tag && pred(g))) continue;
      const ri = add(mods, 'relatedItem', attrs.map((a) => [a[0], a[1]]));
      if (before !== undefined) before(ri, f);
      for (const g of this.paired(f, tag, pred)) body(ri, g);
    }
  }

  titledPart(ti: XmlNode, f: F): void {
    const pn = chop(special(f, { any: 'n', axis: 't', after: 'n' }));
    if (pn !== '') add(ti, 'partNumber', [], pn);
    this.relatedSub(ti, f, 'p', 'relatedItem');
  }

  relatedItems(mods: XmlNode): void {
    const ind1Series = (g: F): boolean => g.ind1 === '0' || g.ind1 === ' ';
    this.relatedGroup(mods, '490', ind1Series, [['type', 'series']], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(subfieldSelect(g, 'a')));
      if (has(g, 'v')) add(ti, 'partNumber', [], chop(subfieldSelect(g, 'v')));
    });
    this.relatedGroup(mods, '440', ind1Series, [['type', 'series']], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(subfieldSelect(g, 'a')));
      if (has(g, 'v')) add(ti, 'partNumber', [], chop(subfieldSelect(g, 'v')));
    });
    this.relatedGroup(mods, '510', ind1Series, [['type', 'isReferencedBy']], (ri, g) => {
      g.subfields.forEach((sf, i) => {
        if (sf.code !== 'a') return;
        const ti = add(ri, 'titleInfo');
        this.s880(ti, g, i);
        add(ti, 'title', [], sf.value);
      });
      g.subfields.forEach((sf, i) => {
        if (sf.code !== 'b') return;
        const oi = add(ri, 'originInfo');
        this.s880(oi, g, i);
        add(oi, 'dateOther', [['type', 'coverage']], sf.value);
      });
      const part = add(ri, 'part');
      this.x880(part, g);
      add(add(part, 'detail', [['type', 'part']]), 'number', [], chop(subfieldSelect(g, 'c')));
    });
    this.relatedGroup(mods, '534', ind1Series, [['type', 'original']], (ri, g) => {
      g.subfields.forEach((sf, i) => {
        if (sf.code !== 't') return;
        const ti = add(ri, 'titleInfo');
        this.s880(ti, g, i);
        add(ti, 'title', [], chop(sf.value));
      });
      g.subfields.forEach((sf, i) => {
        if (sf.code !== 'a') return;
        const n = add(ri, 'name');
        this.s880(n, g, i);
        add(n, 'namePart', [], sf.value);
      });
      if (hasAny(g, 'bc')) {
        const oi = add(ri, 'originInfo');
        this.x880(oi, g);
        for (const sf of g.subfields) if (sf.code === 'c') add(oi, 'publisher', [], sf.value);
        for (const sf of g.subfields) if (sf.code === 'b') add(oi, 'edition', [], sf.value);
      }
      this.relatedSub(ri, g, 'x', 'relatedItem');
      this.relatedSub(ri, g, 'z', 'relatedItem');
      g.subfields.forEach((sf, i) => {
        if (sf.code !== 'n') return;
        // relatedNote calls xxs880 before <note>: its attributes land on the relatedItem.
        this.s880(ri, g, i);
        add(ri, 'note', [], sf.value);
      });
    });
    const withT = (g: F): boolean => has(g, 't');
    const otherType = (ri: XmlNode, f: F): void => {
      if (has(f, 'i')) setAttr(ri, 'otherType', first(f, 'i'));
      if (num(f.ind2) === 2) setAttr(ri, 'type', 'constituent');
    };
    this.relatedGroup(mods, '700', withT, [], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(special(g, { any: 'tfklmorsv', axis: 't', after: 'g' })));
      this.part(ti, g);
      const n = add(ri, 'name', [['type', 'personal']]);
      this.x880(n, g);
      add(n, 'namePart', [], special(g, { any: 'aq', axis: 't', before: 'g' }));
      this.termsOfAddress(n, g);
      this.nameDate(n, g);
      this.role(n, g);
      this.relatedForm(ri, g);
      this.relatedSub(ri, g, 'x', 'relatedItem');
    }, otherType);
    this.relatedGroup(mods, '710', withT, [], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(special(g, { any: 'tfklmors', axis: 't', after: 'dg' })));
      this.titledPart(ti, g);
      const n = add(ri, 'name', [['type', 'corporate']]);
      this.x880(n, g);
      for (const sf of g.subfields) if (sf.code === 'a') add(n, 'namePart', [], sf.value);
      for (const sf of g.subfields) if (sf.code === 'b') add(n, 'namePart', [], sf.value);
      const c = special(g, { any: 'c', axis: 't', before: 'dgn' });
      if (normalizeSpace(c) !== '') add(n, 'namePart', [], c);
      this.role(n, g);
      this.relatedForm(ri, g);
      this.relatedSub(ri, g, 'x', 'relatedItem');
    }, otherType);
    this.relatedGroup(mods, '711', withT, [], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(special(g, { any: 'tfkls', axis: 't', after: 'g' })));
      this.titledPart(ti, g);
      const n = add(ri, 'name', [['type', 'conference']]);
      this.x880(n, g);
      add(n, 'namePart', [], special(g, { any: 'aqdc', axis: 't', before: 'gn' }));
      this.role(n, g);
      this.relatedForm(ri, g);
      this.relatedSub(ri, g, 'x', 'relatedItem');
    }, otherType);
    const ind2Two = (g: F): boolean => (g.tag === '880' ? g.ind2 === '2' : num(g.ind2) === 2);
    this.relatedGroup(mods, '730', ind2Two, [], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(subfieldSelect(g, 'adfgklmors')));
      this.part(ti, g);
      this.relatedForm(ri, g);
      this.relatedSub(ri, g, 'x', 'relatedItem');
    }, otherType);
    this.relatedGroup(mods, '740', ind2Two, [], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(first(g, 'a')));
      this.part(ti, g);
      this.relatedForm(ri, g);
    }, otherType);
    this.linkingEntries(mods);
    const xlinkBefore = (ri: XmlNode, f: F): void => this.xlink0(ri, f, true);
    this.relatedGroup(mods, '800', () => true, [['type', 'series']], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(special(g, { any: 'tfklmors', axis: 't', after: 'g' })));
      this.relatedSub(ti, g, 'n', 'relatedItem');
      this.relatedSub(ti, g, 'v', 'relatedItem');
      this.relatedSub(ti, g, 'p', 'relatedItem');
      const n = add(ri, 'name', [['type', 'personal']]);
      this.x880(n, g);
      add(n, 'namePart', [], special(g, { any: 'aq', axis: 't', before: 'g' }));
      this.termsOfAddress(n, g);
      this.nameDate(n, g);
      this.role(n, g);
      this.relatedForm(ri, g);
    }, xlinkBefore);
    this.relatedGroup(mods, '810', () => true, [['type', 'series']], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(special(g, { any: 'tfklmors', axis: 't', after: 'dg' })));
      const pn = chop(special(g, { any: 'n', axis: 't', after: 'n' }));
      if (pn !== '') add(ti, 'partNumber', [], pn);
      this.relatedSub(ti, g, 'v', 'relatedItem');
      this.relatedSub(ti, g, 'p', 'relatedItem');
      const n = add(ri, 'name', [['type', 'corporate']]);
      this.x880(n, g);
      for (const sf of g.subfields) if (sf.code === 'a') add(n, 'namePart', [], sf.value);
      for (const sf of g.subfields) if (sf.code === 'b') add(n, 'namePart', [], sf.value);
      add(n, 'namePart', [], special(g, { any: 'c', axis: 't', before: 'dgn' }));
      this.role(n, g);
      this.relatedForm(ri, g);
    }, xlinkBefore);
    this.relatedGroup(mods, '811', () => true, [['type', 'series']], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(special(g, { any: 'tfkls', axis: 't', after: 'g' })));
      const pn = chop(special(g, { any: 'n', axis: 't', after: 'n' }));
      if (pn !== '') add(ti, 'partNumber', [], pn);
      this.relatedSub(ti, g, 'v', 'relatedItem');
      this.relatedSub(ti, g, 'p', 'relatedItem');
      const n = add(ri, 'name', [['type', 'conference']]);
      this.x880(n, g);
      add(n, 'namePart', [], special(g, { any: 'aqdc', axis: 't', before: 'gn' }));
      this.role(n, g);
      this.relatedForm(ri, g);
    }, xlinkBefore);
    this.relatedGroup(mods, '830', () => true, [['type', 'series']], (ri, g) => {
      const ti = add(ri, 'titleInfo');
      this.x880(ti, g);
      add(ti, 'title', [], chop(subfieldSelect(g, 'adfgklmors')));
      if (has(g, 'v')) add(ti, 'partNumber', [], chop(subfieldSelect(g, 'v')));
      this.relatedForm(ri, g);
    }, xlinkBefore);
    // 856 ind2=2 $q: the for-each runs on the subfields, where @tag is empty, so LC's guard
    // never lets a relatedItem out (only lone 880s could; not ported).
  }

  linkingEntries(mods: XmlNode): void {
    const LINKING = new Set(['760', '762', '765', '767', '770', '774', '775', '772', '773', '776', '777', '787', '780', '785', '786']);
    for (const f of this.df) {
      const six = first(f, '6');
      const isLink = LINKING.has(f.tag) || (f.tag === '880' && [...LINKING].some((t) => six.startsWith(t)));
      if (!isLink) continue;
      if (!this.lone880(f, (g) => LINKING.has(g.tag))) continue;
      const ri = add(mods, 'relatedItem');
      const t = f.tag;
      const types: { [k: string]: string } = { '760': 'series', '762': 'series', '770': 'constituent', '774': 'constituent', '765': 'otherVersion', '767': 'otherVersion', '772': 'host', '773': 'host', '776': 'otherFormat', '780': 'preceding', '785': 'succeeding', '786': 'original' };
      const type = t === '775' && f.ind2 === ' ' ? 'otherVersion' : types[t];
      if (type !== undefined) setAttr(ri, 'type', type);
      if (has(f, 'i')) {
        setAttr(ri, 'otherType', first(f, 'i'));
        setAttr(ri, 'displayLabel', first(f, 'i'));
      } else if (has(f, '3')) setAttr(ri, 'displayLabel', first(f, '3'));
      for (const g of this.paired(f, f.tag, () => true)) this.linkingBody(ri, g);
    }
  }

  linkingBody(ri: XmlNode, g: F): void {
    const titled = (code: string, attrs: [string, string][]): void => {
      g.subfields.forEach((sf, i) => {
        if (sf.code !== code) return;
        const ti = add(ri, 'titleInfo', attrs.map((a) => [a[0], a[1]]));
        this.s880(ti, g, i);
        add(ti, 'title', [], chop(sf.value));
        if (g.tag !== '773' && has(g, 'g')) this.relatedSub(ti, g, 'g', 'relatedItem');
      });
    };
    titled('t', []);
    titled('p', [['type', 'abbreviated']]);
    titled('s', [['type', 'uniform']]);
    if (hasAny(g, 'bdf')) {
      const oi = add(ri, 'originInfo');
      this.x880(oi, g);
      if (g.tag === '775') for (const sf of g.subfields) if (sf.code === 'f') add(add(oi, 'place'), 'placeTerm', [['type', 'code'], ['authority', 'marcgac']], chop(sf.value));
      for (const sf of g.subfields) if (sf.code === 'd') add(oi, 'publisher', [], chop(sf.value));
      for (const sf of g.subfields) if (sf.code === 'b') add(oi, 'edition', [], sf.value);
    }
    if (g.tag === '775' && has(g, 'e')) {
      const l = add(ri, 'language');
      this.x880(l, g);
      add(l, 'languageTerm', [['type', 'code'], ['authority', 'iso639-2b']], first(g, 'e'));
    }
    this.relatedSub(ri, g, 'h', 'relatedItem');
    this.relatedSub(ri, g, 'n', 'note');
    this.relatedSub(ri, g, 'j', 'relatedItem');
    this.relatedSub(ri, g, 'o', 'relatedItem');
    this.relatedSub(ri, g, 'x', 'relatedItem');
    this.relatedSub(ri, g, 'z', 'relatedItem');
    this.relatedSub(ri, g, 'w', 'relatedItem');
    if (g.tag === '773') {
      g.subfields.forEach((sf, i) => {
        if (sf.code !== 'g') return;
        const p = add(ri, 'part');
        this.s880(p, g, i);
        add(p, 'text', [], sf.value);
      });
      g.subfields.forEach((sf, i) => {
        if (sf.code !== 'q') return;
        const p = add(ri, 'part');
        this.s880(p, g, i);
        parsePart(p, sf.value);
      });
    }
    this.relatedSub(ri, g, 'a', 'relatedItem');
  }

  // ---- identifiers

  identifiers(mods: XmlNode): void {
    const id = (type: string | null, text: string, extra: [string, string][] = []): XmlNode => add(mods, 'identifier', [...(type === null ? [] : ([['type', type]] as [string, string][])), ...extra], text);
    for (const f of this.tag('020')) if (has(f, 'a')) id('isbn', first(f, 'a'));
    for (const f of this.tag('020')) if (has(f, 'z')) id('isbn', first(f, 'z'), [['invalid', 'yes']]);
    for (const f of this.tag('024')) if (f.ind1 === '0' && has(f, 'a')) id('isrc', first(f, 'a'));
    for (const f of this.tag('024')) if (f.ind1 === '2' && has(f, 'a')) id('ismn', first(f, 'a'));
    for (const f of this.tag('024')) if (f.ind1 === '4') id('sici', subfieldSelect(f, 'ab'));
    for (const f of this.tag('024')) if (f.ind1 === '7') id(has(f, '2') ? first(f, '2') : null, first(f, 'a'));
    for (const f of this.tag('024')) if (f.ind1 === '8') id(null, first(f, 'a'));
    for (const [code, type, invalid] of [['a', 'issn', false], ['z', 'issn', true], ['y', 'issn', true], ['l', 'issn-l', false], ['m', 'issn-l', true]] as [string, string, boolean][]) {
      for (const f of this.tag('022')) if (has(f, code)) id(type, first(f, code), invalid ? [['invalid', 'yes']] : []);
    }
    for (const f of this.tag('010')) if (has(f, 'a')) id('lccn', normalizeSpace(first(f, 'a')));
    for (const f of this.tag('010')) if (has(f, 'z')) id('lccn', normalizeSpace(first(f, 'z')), [['invalid', 'yes']]);
    const types028: { [k: string]: string } = { '0': 'issue number', '1': 'matrix number', '2': 'music plate', '3': 'music publisher', '4': 'videorecording identifier' };
    for (const f of this.tag('028')) id(types028[f.ind1] ?? '', subfieldSelect(f, 'ab'));
    for (const [marker, type] of [['(OCoLC)', 'oclc'], ['(WlCaITV)', 'WlCaITV']] as [string, string][]) {
      for (const f of this.tag('035')) {
        if (!f.subfields.some((sf) => sf.code === 'a' && sf.value.includes(marker))) continue;
        const a = first(f, 'a');
        const at = a.indexOf(marker);
        id(type, normalizeSpace(at < 0 ? '' : a.substring(at + marker.length)));
      }
    }
    for (const f of this.tag('037')) {
      const n = id('stock number', subfieldSelect(f, 'ab'));
      if (has(f, 'c')) setAttr(n, 'displayLabel', subfieldSelect(f, 'c'));
    }
    for (const f of this.tag('856')) {
      if (!has(f, 'u')) continue;
      const u = first(f, 'u');
      const after = u.indexOf('http://hdl.loc.gov/') < 0 ? '' : u.substring(u.indexOf('http://hdl.loc.gov/') + 'http://hdl.loc.gov/'.length);
      const hdl = u.startsWith('urn:hdl') || u.startsWith('hdl') || u.startsWith('http://hdl.loc.gov');
      if (hdl) id((u.startsWith('urn:doi') || u.startsWith('doi') ? 'doi' : '') + 'hdl', 'hdl:' + after);
      if (u.startsWith('urn:hdl') || u.startsWith('hdl')) {
        const n = id('hdl', 'hdl:' + after);
        if (hasAny(f, 'y3z')) setAttr(n, 'displayLabel', subfieldSelect(f, 'y3z'));
      }
    }
    for (const f of this.tag('024')) if (num(f.ind1) === 1) id('upc', first(f, 'a'));
    const rel856 = (g: F): boolean => num(g.ind2) === 2 && has(g, 'u');
    for (const f of this.with880('856', rel856)) {
      if (!this.lone880(f, (g) => g.tag === '856' && rel856(g))) continue;
      const url = add(add(add(mods, 'relatedItem'), 'location'), 'url');
      if (hasAny(f, 'y3')) setAttr(url, 'displayLabel', subfieldSelect(f, 'y3'));
      if (has(f, 'z')) setAttr(url, 'note', subfieldSelect(f, 'z'));
      url.text = first(f, 'u');
    }
  }

  recordInfo(mods: XmlNode): void {
    const ri = add(mods, 'recordInfo');
    if (this.v.leader.charAt(18) === 'a') add(ri, 'descriptionStandard', [], 'aacr');
    for (const f of this.tag('040')) {
      if (has(f, 'e')) add(ri, 'descriptionStandard', [], first(f, 'e'));
      add(ri, 'recordContentSource', [['authority', 'marcorg']], first(f, 'a'));
    }
    for (const c of this.v.controlfields) if (c.tag === '008') add(ri, 'recordCreationDate', [['encoding', 'marc']], sub(c.data, 1, 6));
    for (const c of this.v.controlfields) if (c.tag === '005') add(ri, 'recordChangeDate', [['encoding', 'iso8601']], c.data);
    const cf003 = this.v.controlfields.find((c) => c.tag === '003');
    for (const c of this.v.controlfields) if (c.tag === '001') add(ri, 'recordIdentifier', cf003 === undefined ? [] : [['source', cf003.data]], c.data);
    add(ri, 'recordOrigin', [], RECORD_ORIGIN);
    for (const f of this.tag('040')) for (const sf of f.subfields) if (sf.code === 'b') add(add(ri, 'languageOfCataloging'), 'languageTerm', [['authority', 'iso639-2b'], ['type', 'code']], sf.value);
  }

  /** The marcRecord template. */
  convert(): XmlNode {
    const mods = el('mods');
    const notT = (g: F): boolean => !has(g, 't');
    for (const f of this.with880('245')) this.titleFrom245(mods, f);
    for (const f of this.with880('210')) this.titleFrom210(mods, f);
    for (const f of this.with880('246')) this.titleFrom246(mods, f);
    for (const f of this.with880('240')) this.titleFrom240(mods, f);
    for (const f of this.with880('740')) this.titleFrom740(mods, f);
    for (const f of this.with880('130')) this.titleFrom130(mods, f);
    for (const f of this.with880('730', (g) => g.ind2 !== '2')) this.titleFrom130(mods, f);
    for (const f of this.tag('242')) this.titleFrom242(mods, f);
    for (const f of this.with880('100', notT)) this.nameFrom100(mods, f);
    for (const f of this.with880('110', notT)) this.nameCorporate(mods, f);
    for (const f of this.with880('111', notT)) this.nameConference(mods, f);
    for (const f of this.with880('700', notT)) this.nameFrom700(mods, f);
    for (const f of this.with880('710', notT)) this.nameCorporate(mods, f);
    for (const f of this.with880('711', notT)) this.nameConference(mods, f);
    for (const f of this.with880('720', notT)) this.nameFrom720(mods, f);
    const tor = add(mods, 'typeOfResource');
    if (this.leader7 === 'c') setAttr(tor, 'collection', 'yes');
    if ('dfpt'.includes(this.leader6) && this.leader6 !== '') setAttr(tor, 'manuscript', 'yes');
    tor.text = TYPE_OF_RESOURCE[this.leader6] ?? '';
    this.genres008(mods);
    for (const f of this.with880('047')) this.genre047(mods, f);
    for (const f of this.with880('336')) this.genre336(mods, f);
    for (const f of this.with880('655')) this.genre655(mods, f);
    this.originInfo(mods);
    this.originInfo264(mods);
    this.language(mods);
    this.physicalDescription(mods);
    for (const f of this.with880('520')) this.abstract(mods, f);
    for (const f of this.with880('505')) this.toc(mods, f);
    for (const f of this.with880('521')) this.audience521(mods, f);
    for (const [tag, type, codes] of [['506', 'restriction on access', 'abcd35'], ['540', 'use and reproduction', 'abcde35']]) {
      for (const f of this.with880(tag as string)) {
        const a = add(mods, 'accessCondition', [['type', type as string]]);
        this.x880(a, f);
        a.text = subfieldSelect(f, codes as string);
      }
    }
    this.audience008(mods);
    this.notes(mods);
    this.subjects(mods);
    this.classification(mods);
    this.locations(mods);
    this.relatedItems(mods);
    this.identifiers(mods);
    this.recordInfo(mods);
    return mods;
  }
}

export const RECORD_ORIGIN = 'Converted from MARCXML to MODS version 3.7 using MARC21slim2MODS3-7.xsl\n\t\t\t\t(Revision 1.140 20200717)';

const TYPE_OF_RESOURCE: { [k: string]: string } = { a: 'text', t: 'text', e: 'cartographic', f: 'cartographic', c: 'notated music', d: 'notated music', i: 'sound recording-nonmusical', j: 'sound recording-musical', k: 'still image', g: 'moving image', r: 'three dimensional object', m: 'software, multimedia', p: 'mixed material' };

const H_TAGS = new Set(['130', '240', '242', '245', '246', '730']);
const A_TAGS = new Set(['256', '337', '338']);

const NOTES: [string, string | null, string][] = [
  ['362', 'date/sequential designation', '68'],
  ['500', null, '68'],
  ['502', 'thesis', '68'],
  ['504', 'bibliography', '68'],
  ['508', 'creation/production credits', 'u368'],
  ['511', 'performers', '68'],
  ['515', 'numbering', '68'],
  ['518', 'venue', '368'],
  ['524', 'preferred citation', '68'],
  ['530', 'additional physical form', 'u368'],
  ['533', 'reproduction', '68'],
  ['535', 'original location', '68'],
  ['536', 'funding', '68'],
  ['538', 'system details', '68'],
  ['541', 'acquisition', '68'],
  ['545', 'biographical/historical', '68'],
  ['546', 'language', '68'],
  ['561', 'ownership', '68'],
  ['562', 'version identification', '68'],
  ['581', 'publications', '68'],
  ['583', 'action', '68'],
  ['585', 'exhibitions', '68'],
];

const FORMS_007: [string, string, [string, string][]][] = [
  ['c', 'electronic resource', [['b', 'chip cartridge'], ['c', 'computer optical disc cartridge'], ['j', 'magnetic disc'], ['m', 'magneto-optical disc'], ['o', 'optical disc'], ['r', 'remote'], ['a', 'tape cartridge'], ['f', 'tape cassette'], ['h', 'tape reel']]],
  ['d', 'globe', [['a', 'celestial globe'], ['e', 'earth moon globe'], ['b', 'planetary or lunar globe'], ['c', 'terrestrial globe']]],
  ['o', 'kit', [['o', 'kit']]],
  ['a', 'map', [['d', 'atlas'], ['g', 'diagram'], ['j', 'map'], ['q', 'model'], ['k', 'profile'], ['r', 'remote-sensing image'], ['s', 'section'], ['y', 'view']]],
  ['h', 'microform', [['a', 'aperture card'], ['e', 'microfiche'], ['f', 'microfiche cassette'], ['b', 'microfilm cartridge'], ['c', 'microfilm cassette'], ['d', 'microfilm reel'], ['g', 'microopaque']]],
  ['m', 'motion picture', [['c', 'film cartridge'], ['f', 'film cassette'], ['r', 'film reel']]],
  ['k', 'nonprojected graphic', [['n', 'chart'], ['c', 'collage'], ['d', 'drawing'], ['o', 'flash card'], ['e', 'painting'], ['f', 'photomechanical print'], ['g', 'photonegative'], ['h', 'photoprint'], ['i', 'picture'], ['j', 'print'], ['l', 'technical drawing']]],
  ['q', 'notated music', [['q', 'notated music']]],
  ['g', 'projected graphic', [['d', 'filmslip'], ['c', 'filmstrip cartridge'], ['o', 'filmstrip roll'], ['f', 'other filmstrip type'], ['s', 'slide'], ['t', 'transparency']]],
  ['r', 'remote-sensing image', [['r', 'remote-sensing image']]],
  ['s', 'sound recording', [['e', 'cylinder'], ['q', 'roll'], ['g', 'sound cartridge'], ['s', 'sound cassette'], ['d', 'sound disc'], ['t', 'sound-tape reel'], ['i', 'sound-track film'], ['w', 'wire recording']]],
  ['f', 'tactile material', [['c', 'braille'], ['b', 'combination'], ['a', 'moon'], ['d', 'tactile, with no writing system']]],
  ['t', 'text', [['c', 'braille'], ['b', 'large print'], ['a', 'regular print'], ['d', 'text in looseleaf binder']]],
  ['v', 'videorecording', [['c', 'videocartridge'], ['f', 'videocassette'], ['d', 'videodisc'], ['r', 'videoreel']]],
];

function push(map: Map<string, F[]>, key: string, f: F): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [f]);
  else list.push(f);
}

function typeOf008(l6: string, l7: string): string {
  if (l6 === 'a') {
    if (l7 === 'a' || l7 === 'c' || l7 === 'd' || l7 === 'm') return 'BK';
    if (l7 === 'b' || l7 === 'i' || l7 === 's') return 'SE';
    return '';
  }
  if (l6 === 't') return 'BK';
  if (l6 === 'p') return 'MM';
  if (l6 === 'm') return 'CF';
  if (l6 === 'e' || l6 === 'f') return 'MP';
  if (l6 === 'g' || l6 === 'k' || l6 === 'o' || l6 === 'r') return 'VM';
  if (l6 === 'c' || l6 === 'd' || l6 === 'i' || l6 === 'j') return 'MU';
  return '';
}

function dates045b(s: string): string {
  const c = s.charAt(0);
  if (c === 'c') return '-' + s.substring(1);
  if (c === 'd') return s.substring(1);
  return s;
}

function parsePart(node: XmlNode, text: string): void {
  const before = (s: string, d: string): string => (s.includes(d) ? s.substring(0, s.indexOf(d)) : '');
  const after = (s: string, d: string): string => (s.includes(d) ? s.substring(s.indexOf(d) + d.length) : '');
  const level1 = text.includes(':') ? before(text, ':') : text.includes('<') ? before(text, '<') : text;
  const a1 = after(text, level1);
  const sici2 = a1.startsWith(':') ? a1.substring(1) : a1;
  const level2 = sici2.includes(':') ? before(sici2, ':') : sici2.includes('<') ? before(sici2, '<') : sici2;
  const a2 = after(sici2, level2);
  const sici3 = a2.startsWith(':') ? a2.substring(1) : a2;
  const level3 = sici3.includes('<') ? before(sici3, '<') : sici3;
  const page = text.includes('<') ? after(text, '<') : '';
  if (level1 !== '') add(add(node, 'detail', [['level', '1']]), 'number', [], level1);
  if (level2 !== '') add(add(node, 'detail', [['level', '2']]), 'number', [], level2);
  if (level3 !== '') add(add(node, 'detail', [['level', '3']]), 'number', [], level3);
  if (page !== '') add(add(node, 'extent', [['unit', 'page']]), 'start', [], page);
}

function cloneNode(n: XmlNode): XmlNode {
  return { name: n.name, attrs: n.attrs.map((a) => [a[0], a[1]]), children: n.children.map(cloneNode), text: n.text };
}

function textOf(n: XmlNode): string {
  return n.text + n.children.map(textOf).join('');
}

export function marcToModsTree(v: MarcView): XmlNode {
  return new Converter(v).convert();
}
