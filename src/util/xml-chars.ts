/**
 * Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF;
 * lone surrogates), for the writers that build XML as strings. Written raw, they make the
 * document not well-formed; the crosswalks write U+FFFD instead, as the MARCXML writer does by
 * default (see docs/formats.md).
 */

// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A one-class pre-test for escapers: true when `s` may hold something `withoutXmlInvalid` changes. */
// eslint-disable-next-line no-control-regex
export const MAY_HOLD_XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

export function withoutXmlInvalid(s: string): string {
  return s.replace(XML_INVALID, '\ufffd');
}
