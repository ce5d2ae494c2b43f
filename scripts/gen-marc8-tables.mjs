#!/usr/bin/env node
/**
 * Builds src/encoding/marc8/tables.generated.ts from the Library of Congress MARC-8 code tables
 * (codetables.xml, public domain).
 *
 *   node scripts/gen-marc8-tables.mjs            write the module
 *   node scripts/gen-marc8-tables.mjs --check    exit 1 when the committed module is stale
 *   --source <xml>   primary table   (default ../shared/corpora/loc-codetables/yaz/codetables.xml)
 *   --compare <xml>  cross-check    (default ../shared/corpora/loc-codetables/marc4j/codetables.xml)
 *
 * Two copies of codetables.xml circulate (marc4j's and yaz's). Their mappings agree; the yaz copy
 * is the one used because it is the later edit of the same file:
 *   - it lists U+02BE as the alternative for ALIF (ANSEL AE), left over from the March 2005
 *     remapping to U+02BC, so text written before 2005 still encodes;
 *   - it lists EACC 212321 (ideographic space per ANSI Z39.64) before 212320 ("in some
 *     implementations"), and the first-listed code is the one U+3000 encodes to;
 *   - it corrects the note on the double diacritics (the Unicode mark goes between the two
 *     spanned characters, not after the second) and fixes typos in notes;
 *   - it gives Extended Cyrillic and Extended Arabic in their G0 form (0x40.., 0x21..) where the
 *     marc4j copy uses the G1 form (0xC0.., 0xA1..). Both mean the same 94 positions, since a set
 *     can be designated into G0 or G1; the generator keeps only the low seven bits.
 * The --compare run prints every mapping difference so a new copy of either file cannot slip in
 * unnoticed.
 *
 * The XML is LC's own fixed-shape file, so regexes are enough; no XML parser dependency.
 */

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const argValue = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? resolve(args[i + 1]) : fallback;
};
const sourcePath = argValue('--source', resolve(root, '../shared/corpora/loc-codetables/yaz/codetables.xml'));
const comparePath = argValue('--compare', resolve(root, '../shared/corpora/loc-codetables/marc4j/codetables.xml'));
const outPath = join(root, 'src/encoding/marc8/tables.generated.ts');
const check = args.includes('--check');

/** Set order is the runtime set index; the final byte is what ESC sequences name. */
const SETS = [
  { final: 'B', iso: '42', label: 'Basic Latin (ASCII)' },
  { final: 'E', iso: '45', label: 'Extended Latin (ANSEL)' },
  { final: 'g', iso: '67', label: 'Greek symbols' },
  { final: 'b', iso: '62', label: 'Subscripts' },
  { final: 'p', iso: '70', label: 'Superscripts' },
  { final: '2', iso: '32', label: 'Basic Hebrew' },
  { final: 'N', iso: '4E', label: 'Basic Cyrillic' },
  { final: 'Q', iso: '51', label: 'Extended Cyrillic' },
  { final: '3', iso: '33', label: 'Basic Arabic' },
  { final: '4', iso: '34', label: 'Extended Arabic' },
  { final: 'S', iso: '53', label: 'Basic Greek' },
  { final: '1', iso: '31', label: 'East Asian (EACC)' },
];
const EACC_INDEX = SETS.length - 1;

// Entry flags; code points need 21 bits, so flags start at bit 24.
const COMBINING = 1 << 24;
const SECOND_HALF = 1 << 25;

function parseTables(path) {
  const xml = readFileSync(path, 'utf8');
  const sets = new Map();
  const setRe = /<characterSet\b([^>]*)>([\s\S]*?)<\/characterSet>/g;
  for (let m; (m = setRe.exec(xml)); ) {
    const iso = /ISOcode="([^"]*)"/.exec(m[1])?.[1];
    if (iso === undefined) throw new Error(`characterSet without ISOcode in ${path}`);
    const codes = [];
    const codeRe = /<code>([\s\S]*?)<\/code>/g;
    for (let c; (c = codeRe.exec(m[2])); ) {
      const body = c[1];
      const get = (tag) => {
        const r = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body);
        return r === null ? undefined : r[1].trim();
      };
      const marc = get('marc');
      if (marc === undefined || !/^[0-9A-F]{2}([0-9A-F]{4})?$/.test(marc)) throw new Error(`bad <marc> ${marc} in ${iso}`);
      const ucs = get('ucs');
      let alt = get('alt');
      const altUtf8 = get('altutf-8');
      if ((alt === undefined || alt === '') && altUtf8 !== undefined && altUtf8 !== '') {
        alt = utf8HexToCodePoint(altUtf8).toString(16).toUpperCase();
      }
      codes.push({
        marc: parseInt(marc, 16),
        ucs: ucs === undefined || ucs === '' ? undefined : parseInt(ucs, 16),
        alt: alt === undefined || alt === '' ? undefined : parseInt(alt, 16),
        combining: get('isCombining') === 'true',
      });
    }
    sets.set(iso, codes);
  }
  return { sets, sha256: createHash('sha256').update(xml).digest('hex') };
}

function utf8HexToCodePoint(hex) {
  const bytes = Buffer.from(hex, 'hex');
  const text = bytes.toString('utf8');
  const cp = text.codePointAt(0);
  if (cp === undefined || String.fromCodePoint(cp) !== text) throw new Error(`bad altutf-8 ${hex}`);
  return cp;
}

/** Mapping identity used to compare the two copies: set, 7-bit position, targets, flag. */
function mappingKeys(sets) {
  const keys = new Set();
  for (const [iso, codes] of sets) {
    for (const c of codes) {
      const pos = c.marc > 0xff ? c.marc : c.marc >= 0xa0 ? c.marc & 0x7f : c.marc;
      keys.add(`${iso}:${pos.toString(16)}>${c.ucs?.toString(16) ?? '-'}/${c.alt?.toString(16) ?? '-'}${c.combining ? '*' : ''}`);
    }
  }
  return keys;
}

const primary = parseTables(sourcePath);
const notes = [];
if (existsSync(comparePath)) {
  const other = parseTables(comparePath);
  const a = mappingKeys(primary.sets);
  const b = mappingKeys(other.sets);
  const onlyA = [...a].filter((k) => !b.has(k));
  const onlyB = [...b].filter((k) => !a.has(k));
  for (const k of onlyA) notes.push(`only in ${relative(root, sourcePath)}: ${k}`);
  for (const k of onlyB) notes.push(`only in ${relative(root, comparePath)}: ${k}`);
  if (!check) {
    console.log(`compared with ${relative(root, comparePath)}: ${onlyA.length + onlyB.length} mapping difference(s)`);
    for (const n of notes) console.log('  ' + n);
  }
}

// ---- single-byte sets -------------------------------------------------------------------------

const single = new Uint32Array((SETS.length - 1) * 96); // positions 0x20..0x7F per set
const c1 = []; // [byte, code point] for the C1 controls ANSEL defines (0x88 0x89 0x8D 0x8E)
const halves = []; // [set, position, alternative code point] for the ligature/double-tilde halves
const reverseExtra = []; // [code point, set, position]
const combiningMarks = new Set();

for (let s = 0; s < SETS.length - 1; s++) {
  const codes = primary.sets.get(SETS[s].iso);
  if (codes === undefined) throw new Error(`set ${SETS[s].iso} missing`);
  for (const c of codes) {
    if (c.marc < 0x20) continue; // ESC, 1D, 1E, 1F: structure, handled by the codec itself
    if (c.marc === 0x20) continue; // space is a space in every set
    if (c.marc >= 0x80 && c.marc < 0xa0) {
      if (c.ucs === undefined) throw new Error('C1 control without mapping');
      c1.push(c.marc, c.ucs);
      continue;
    }
    const pos = c.marc & 0x7f;
    if (pos < 0x21 || pos > 0x7e) throw new Error(`position ${c.marc.toString(16)} outside 0x21-0x7E`);
    const index = s * 96 + (pos - 0x20);
    if (single[index] !== 0) throw new Error(`duplicate ${SETS[s].iso}:${pos.toString(16)}`);
    let entry;
    if (c.ucs === undefined) {
      // LC maps the second halves (EC, FB) to nothing: the first half's U+0361/U+0360 spans both.
      if (c.alt === undefined || !c.combining) throw new Error(`unmapped ${SETS[s].iso}:${c.marc.toString(16)}`);
      entry = SECOND_HALF | COMBINING | c.alt;
    } else {
      entry = c.ucs | (c.combining ? COMBINING : 0);
      if (c.combining) combiningMarks.add(c.ucs);
    }
    single[index] = entry;
    if (c.alt !== undefined) {
      if (c.combining) halves.push(s, pos, c.alt);
      reverseExtra.push(c.alt, s, pos);
    }
  }
}

// ---- EACC ---------------------------------------------------------------------------------------

const eacc = primary.sets.get(SETS[EACC_INDEX].iso);
if (eacc === undefined) throw new Error('EACC missing');
const eaccSorted = eacc.filter((c) => c.ucs !== undefined).slice().sort((x, y) => x.marc - y.marc);
for (let i = 1; i < eaccSorted.length; i++) {
  if (eaccSorted[i].marc === eaccSorted[i - 1].marc) throw new Error(`duplicate EACC ${eaccSorted[i].marc.toString(16)}`);
}
for (const c of eaccSorted) {
  for (const shift of [16, 8, 0]) {
    const b = (c.marc >> shift) & 0xff;
    if (b < 0x20 || b > 0x7e || (shift === 16 && b === 0x20)) throw new Error(`EACC byte out of range in ${c.marc.toString(16)}`);
  }
}
// Several EACC codes share a code point (traditional/simplified/Japanese variants). The encoder
// takes the first one the table lists, which is the lowest code except where LC lists otherwise.
const firstListed = new Map();
const lowest = new Map();
for (const c of eacc) {
  if (c.ucs === undefined) continue;
  if (!firstListed.has(c.ucs)) firstListed.set(c.ucs, c.marc);
  if (!lowest.has(c.ucs) || c.marc < lowest.get(c.ucs)) lowest.set(c.ucs, c.marc);
}
const eaccPreferred = [];
for (const [ucs, marc] of firstListed) if (lowest.get(ucs) !== marc) eaccPreferred.push(ucs, marc);

// Packed as: uint16 LE code points (0 = see the astral list), then the codes as varint deltas.
const eaccBytes = [];
const eaccAstral = [];
for (const c of eaccSorted) {
  const v = c.ucs > 0xffff ? 0 : c.ucs;
  if (c.ucs > 0xffff) eaccAstral.push(c.marc, c.ucs);
  eaccBytes.push(v & 0xff, v >> 8);
}
let prevKey = 0;
for (const c of eaccSorted) {
  let d = c.marc - prevKey;
  prevKey = c.marc;
  while (d >= 0x80) {
    eaccBytes.push((d & 0x7f) | 0x80);
    d >>>= 7;
  }
  eaccBytes.push(d);
}
const eaccAlts = eacc.filter((c) => c.alt !== undefined);
// EACC alternatives are all U+3013 GETA MARK for private-use components: a substitute, not a
// spelling, so it gets no reverse mapping.
for (const c of eaccAlts) if (c.alt !== 0x3013) throw new Error(`unexpected EACC alt ${c.alt.toString(16)}`);

// ---- emit ---------------------------------------------------------------------------------------

const b64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64');
const singleBytes = new Uint8Array(single.length * 4);
new DataView(singleBytes.buffer).setUint32(0, 0);
for (let i = 0; i < single.length; i++) new DataView(singleBytes.buffer).setUint32(i * 4, single[i], true);

const wrap = (s, width = 100) => {
  const parts = [];
  for (let i = 0; i < s.length; i += width) parts.push(`  '${s.slice(i, i + width)}'`);
  return parts.join(' +\n');
};
const hexList = (nums, perLine = 8) => {
  const out = [];
  for (let i = 0; i < nums.length; i += perLine) {
    out.push('  ' + nums.slice(i, i + perLine).map((n) => '0x' + n.toString(16).toUpperCase()).join(', ') + ',');
  }
  return out.join('\n');
};

const sourceLabel = relative(root, sourcePath).split('\\').join('/');
const text = `// GENERATED by scripts/gen-marc8-tables.mjs — do not edit.
// Source: ${sourceLabel} (Library of Congress MARC-8 code tables, public domain)
// sha256 ${primary.sha256}
// Regenerate: node scripts/gen-marc8-tables.mjs (src/encoding/marc8/tables.ts unpacks this).

/** Final bytes of the character sets, in set-index order. */
export const SET_FINALS = '${SETS.map((s) => s.final).join('')}';

/** Index of the multibyte East Asian set in SET_FINALS. */
export const EACC_SET = ${EACC_INDEX};

/** Entry flag: the character is a combining mark (written before its base in MARC-8). */
export const FLAG_COMBINING = 0x${COMBINING.toString(16)};
/** Entry flag: second half of a ligature or double tilde; LC maps it to nothing. */
export const FLAG_SECOND_HALF = 0x${SECOND_HALF.toString(16)};

/**
 * Single-byte sets ${SETS.slice(0, -1).map((s) => s.final).join(' ')}: 96 uint32 LE entries each, for
 * positions 0x20–0x7F (G1 bytes use the same positions minus 0x80). An entry is a code point
 * ORed with flags; 0 means unmapped. For second halves the code point is the U+FE2x alternative.
 */
export const SINGLE_BYTE_BASE64 =
${wrap(b64(singleBytes))};

/** C1 controls that MARC-8 defines, independent of G1: [byte, code point, ...]. */
export const C1_CONTROLS: readonly number[] = [
${hexList(c1)}
];

/** Ligature and double-tilde halves and their U+FE20–FE23 alternatives: [set, position, code point, ...]. */
export const HALVES: readonly number[] = [
${hexList(halves, 9)}
];

/** Alternative Unicode spellings that encode to a MARC-8 code (decoding never yields them): [code point, set, position, ...]. */
export const REVERSE_EXTRA: readonly number[] = [
${hexList(reverseExtra, 9)}
];

/** Number of EACC mappings. */
export const EACC_COUNT = ${eaccSorted.length};

/** Number of distinct (first byte, second byte) rows they use. */
export const EACC_ROW_COUNT = ${new Set(eaccSorted.map((c) => c.marc >> 8)).size};

/** EACC: code points (uint16 LE; 0 = see EACC_ASTRAL), then the codes, ascending, as varint deltas. */
export const EACC_BASE64 =
${wrap(b64(new Uint8Array(eaccBytes)))};

/** EACC mappings outside the BMP: [code, code point, ...]. */
export const EACC_ASTRAL: readonly number[] = [
${hexList(eaccAstral)}
];

/** Code points with several EACC codes whose preferred code is not the lowest: [code point, code, ...]. */
export const EACC_PREFERRED: readonly number[] = [
${hexList(eaccPreferred)}
];
`;

if (check) {
  const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
  if (current !== text) {
    console.error(`${relative(root, outPath)} is stale; run node scripts/gen-marc8-tables.mjs`);
    process.exit(1);
  }
  console.log(`${relative(root, outPath)} is up to date`);
} else {
  writeFileSync(outPath, text);
  console.log(
    `wrote ${relative(root, outPath)}: ${text.length} bytes, ${eaccSorted.length} EACC mappings, ` +
      `${reverseExtra.length / 3} extra reverse mappings, ${eaccPreferred.length / 2} EACC preference overrides`,
  );
}
