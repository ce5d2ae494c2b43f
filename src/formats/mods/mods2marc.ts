/**
 * MODS → MARC (LC's MODS3-8_MARC21slim_XSLT1-0.xsl): not ported yet. The functions exist so the
 * API and the comparison script are stable; they throw until the port lands.
 */
import type { Record } from '../../record/record.js';

export function modsToRecords(_xml: string): Record[] {
  throw new Error('modsToRecords: the MODS → MARC port (LC MODS3-8_MARC21slim_XSLT1-0.xsl) is not implemented yet');
}

export function modsToMarcXml(xml: string): string {
  return String(modsToRecords(xml));
}
