/**
 * MARCMaker / MARCBreaker mnemonic character names, each mapped to its MARC-8 bytes.
 *
 * Sources (typed here from the published lists, not copied code):
 * - LC's MARCBreaker default character table (the names MARCBreaker writes for MARC-8 bytes that
 *   are not printable ASCII), as documented at loc.gov/marc/makrbrkr.html and carried in
 *   MARC::File::MARCMaker (`usmarc_default` / `ustext_default`).
 * - LC's "Text-to-MARC 21 character conversion table for MARCMaker 2.5" (R. Barry, 2003) for the
 *   letter-with-diacritic names (`{eacute}` = acute + e) and ASCII punctuation names. The letter
 *   names follow one rule (letter + SGML diacritic suffix), so they are generated below for every
 *   letter that has a precomposed Unicode form, rather than listed one by one.
 * - `{XX}` (two hex digits) is any byte.
 * Unknown names are kept as written (`{zilch}` stays `{zilch}`) with a warning.
 */

/** Name → MARC-8 byte(s), as a Latin-1 string (one char per byte). */
export const MNEMONIC_BYTES = new Map<string, string>();

/** MARC-8 byte → the name MARCBreaker writes for it (the reverse of its default table). */
export const BYTE_MNEMONIC = new Map<number, string>();

const BREAKER_NAMES: [string, number][] = [
  ['esc', 0x1b], ['dollar', 0x24], ['bsol', 0x5c], ['lcub', 0x7b], ['rcub', 0x7d],
  ['joiner', 0x8d], ['nonjoin', 0x8e],
  ['Lstrok', 0xa1], ['Ostrok', 0xa2], ['Dstrok', 0xa3], ['THORN', 0xa4], ['AElig', 0xa5], ['OElig', 0xa6],
  ['softsign', 0xa7], ['middot', 0xa8], ['flat', 0xa9], ['reg', 0xaa], ['plusmn', 0xab], ['Ohorn', 0xac],
  ['Uhorn', 0xad], ['mlrhring', 0xae], ['mllhring', 0xb0], ['lstrok', 0xb1], ['ostrok', 0xb2],
  ['dstrok', 0xb3], ['thorn', 0xb4], ['aelig', 0xb5], ['oelig', 0xb6], ['hardsign', 0xb7], ['inodot', 0xb8],
  ['pound', 0xb9], ['eth', 0xba], ['ohorn', 0xbc], ['uhorn', 0xbd], ['deg', 0xc0], ['scriptl', 0xc1],
  ['phono', 0xc2], ['copy', 0xc3], ['sharp', 0xc4], ['iquest', 0xc5], ['iexcl', 0xc6],
  ['hooka', 0xe0], ['grave', 0xe1], ['acute', 0xe2], ['circ', 0xe3], ['tilde', 0xe4], ['macr', 0xe5],
  ['breve', 0xe6], ['dot', 0xe7], ['uml', 0xe8], ['caron', 0xe9], ['ring', 0xea], ['llig', 0xeb],
  ['rlig', 0xec], ['rcommaa', 0xed], ['dblac', 0xee], ['candra', 0xef], ['cedil', 0xf0], ['ogon', 0xf1],
  ['dotb', 0xf2], ['dbldotb', 0xf3], ['ringb', 0xf4], ['dblunder', 0xf5], ['under', 0xf6], ['commab', 0xf7],
  ['rcedil', 0xf8], ['breveb', 0xf9], ['ldbltil', 0xfa], ['rdbltil', 0xfb], ['commaa', 0xfe],
];

// Names MARCMaker reads but MARCBreaker does not write (synonyms and ASCII punctuation).
const READ_ONLY_NAMES: [string, number][] = [
  ['curren', 0x24], ['diaer', 0xe8], ['alif', 0xae], ['ayn', 0xb0], ['mlprime', 0xa7], ['mlPrime', 0xb7],
  ['ETH', 0xa3], ['hookl', 0xf7], ['hookr', 0xf1], ['circb', 0xf4],
  ['amp', 0x26], ['apos', 0x27], ['quot', 0x22], ['lt', 0x3c], ['gt', 0x3e], ['ast', 0x2a], ['commat', 0x40],
  ['lsqb', 0x5b], ['rsqb', 0x5d], ['lpar', 0x28], ['rpar', 0x29], ['excl', 0x21], ['equals', 0x3d],
  ['hyphen', 0x2d], ['colon', 0x3a], ['comma', 0x2c], ['semi', 0x3b], ['sol', 0x2f], ['quest', 0x3f],
  ['num', 0x23], ['percnt', 0x25], ['plus', 0x2b], ['verbar', 0x7c], ['lowbar', 0x5f], ['period', 0x2e],
];

// SGML diacritic suffixes used in the letter names, with the MARC-8 combining byte and the
// Unicode combining mark that composes with a letter.
const DIACRITICS: [string, number, string][] = [
  ['acute', 0xe2, '\u0301'], ['grave', 0xe1, '\u0300'], ['circ', 0xe3, '\u0302'], ['tilde', 0xe4, '\u0303'],
  ['macr', 0xe5, '\u0304'], ['breve', 0xe6, '\u0306'], ['dot', 0xe7, '\u0307'], ['uml', 0xe8, '\u0308'],
  ['caron', 0xe9, '\u030c'], ['ring', 0xea, '\u030a'], ['dblac', 0xee, '\u030b'], ['cedil', 0xf0, '\u0327'],
  ['ogon', 0xf1, '\u0328'],
];

for (const [name, byte] of BREAKER_NAMES) {
  MNEMONIC_BYTES.set(name, String.fromCharCode(byte));
  BYTE_MNEMONIC.set(byte, name);
}
for (const [name, byte] of READ_ONLY_NAMES) MNEMONIC_BYTES.set(name, String.fromCharCode(byte));
for (const [suffix, byte, mark] of DIACRITICS) {
  for (let c = 0x41; c <= 0x7a; c++) {
    if (c > 0x5a && c < 0x61) continue;
    const letter = String.fromCharCode(c);
    // Never shadow a mark's own name: {rcedil} is the right cedilla, not r with cedilla.
    if ((letter + mark).normalize('NFC').length !== 1 || MNEMONIC_BYTES.has(letter + suffix)) continue;
    MNEMONIC_BYTES.set(letter + suffix, String.fromCharCode(byte) + letter);
  }
}
// {Idot} is LC's name for capital I with dot above.
MNEMONIC_BYTES.set('Idot', '\u00e7I');

/** The bytes for `{name}`, or undefined. Hex names `{1B}` are any byte. */
export function mnemonicBytes(name: string): string | undefined {
  const named = MNEMONIC_BYTES.get(name);
  if (named !== undefined) return named;
  if (name.length === 2 && /^[0-9A-Fa-f]{2}$/.test(name)) return String.fromCharCode(parseInt(name, 16));
  return undefined;
}
