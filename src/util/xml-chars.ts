/**
 * Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF;
 * lone surrogates), for the writers that build XML as strings. Written raw, they make the
 * document not well-formed; the crosswalks write U+FFFD instead, as the MARCXML writer does by
 * default (see docs/formats.md).
 */

// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The characters `withoutXmlInvalid` may change, as the body of a regular-expression class. */
export const XML_INVALID_CLASS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ud800-\\udfff\\ufffe\\uffff';

/** A one-class pre-test for escapers: true when `s` may hold something `withoutXmlInvalid` changes. */
export const MAY_HOLD_XML_INVALID = new RegExp(`[${XML_INVALID_CLASS}]`);

let replacedInto: number[] | null = null;

/**
 * @internal Where `withoutXmlInvalid` lists the code point of each character it replaces (null:
 * nowhere). The CLI sets it so that it can report the replacements record by record; writing is
 * synchronous, so what a record's write adds is that record's.
 */
export function listXmlInvalidInto(into: number[] | null): void {
  replacedInto = into;
}

export function withoutXmlInvalid(s: string): string {
  const into = replacedInto;
  if (into === null) return s.replace(XML_INVALID, '\ufffd');
  return s.replace(XML_INVALID, (c) => {
    into.push(c.charCodeAt(0));
    return '\ufffd';
  });
}
