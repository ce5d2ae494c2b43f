/**
 * Test-only helpers for the MARC-8 suites: a minimal ISO 2709 field walker and a MARCXML reader
 * for yaz's expected outputs, so the codec is checked at the string level independently of the
 * record reader (which has its own suites).
 */

export interface RawField {
  record: number;
  tag: string;
  /** Leader/09 of the record the field belongs to. */
  leader09: string;
  /** For a data field: everything after the indicators. */
  start: number;
  end: number;
  ind1: string;
  ind2: string;
}

const text = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

export function rawRecords(bytes: Uint8Array): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const c = bytes[pos] as number;
    if (c < 0x30 || c > 0x39) {
      pos++;
      continue;
    }
    const length = Number(text(bytes, pos, pos + 5));
    out.push({ start: pos, end: pos + length });
    pos += length;
  }
  return out;
}

export function rawFields(bytes: Uint8Array): RawField[] {
  const out: RawField[] = [];
  rawRecords(bytes).forEach((r, record) => {
    const base = r.start + Number(text(bytes, r.start + 12, r.start + 17));
    const leader09 = text(bytes, r.start + 9, r.start + 10);
    for (let d = r.start + 24; bytes[d] !== 0x1e; d += 12) {
      const tag = text(bytes, d, d + 3);
      const length = Number(text(bytes, d + 3, d + 7));
      const at = base + Number(text(bytes, d + 7, d + 12));
      const control = tag < '010';
      out.push({
        record,
        tag,
        leader09,
        start: control ? at : at + 2,
        end: at + length - 1,
        ind1: control ? '' : text(bytes, at, at + 1),
        ind2: control ? '' : text(bytes, at + 1, at + 2),
      });
    }
  });
  return out;
}

/** Splits a decoded data field on U+001F into [code, value] pairs (text before the first is dropped). */
export function subfields(data: string): [string, string][] {
  return data
    .split('\u001f')
    .slice(1)
    .map((s) => [s.slice(0, 1), s.slice(1)] as [string, string]);
}

export interface XmlField {
  tag: string;
  value?: string;
  ind1?: string;
  ind2?: string;
  subfields?: [string, string][];
}

const unescape = (s: string): string =>
  s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );

/** yaz-marcdump's MARCXML (one record per file, attributes in a fixed order). */
export function yazMarcXml(xml: string): XmlField[] {
  const fields: XmlField[] = [];
  const re = /<controlfield tag="([^"]*)">([^<]*)<\/controlfield>|<datafield tag="([^"]*)" ind1="([^"]*)" ind2="([^"]*)">([\s\S]*?)<\/datafield>/g;
  for (let m; (m = re.exec(xml)) !== null; ) {
    if (m[1] !== undefined) {
      fields.push({ tag: m[1], value: unescape(m[2] ?? '') });
    } else {
      const subs: [string, string][] = [];
      const sre = /<subfield code="([^"]*)">([^<]*)<\/subfield>/g;
      for (let s; (s = sre.exec(m[6] ?? '')) !== null; ) subs.push([unescape(s[1] ?? ''), unescape(s[2] ?? '')]);
      fields.push({ tag: m[3] ?? '', ind1: unescape(m[4] ?? ''), ind2: unescape(m[5] ?? ''), subfields: subs });
    }
  }
  return fields;
}
