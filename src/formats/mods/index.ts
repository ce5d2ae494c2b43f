/**
 * MARC → MODS 3.7 as LC's MARC21slim2MODS3-7.xsl does it (see marc2mods.ts), as a string per
 * record or a streaming `<modsCollection>` writer.
 */

import type { Record } from '../../record/record.js';
import { registerFormat } from '../../io/formats.js';
import { marcView } from './marc-view.js';
import { marcToModsTree } from './marc2mods.js';
import { serialize } from './xml.js';

export interface ModsOptions {
  /** Emit the XML declaration (default true). */
  declaration?: boolean;
}

const NS = 'xmlns="http://www.loc.gov/mods/v3" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const SCHEMA = 'xsi:schemaLocation="http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-7.xsd"';

/** One record as a MODS 3.7 document with a `<mods>` root, as LC's stylesheet writes for a single record. */
export function toMods(record: Record, options: ModsOptions = {}): string {
  const head = options.declaration === false ? '' : '<?xml version="1.0" encoding="UTF-8"?>\n';
  return head + serialize(marcToModsTree(marcView(record)), 0, ` ${NS} version="3.7" ${SCHEMA}`);
}

/** A streaming `<modsCollection>` writer: `begin()`, `write(record)` per record, `end()`. */
export class ModsWriter {
  begin(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<modsCollection ${NS} ${SCHEMA}>\n`;
  }
  write(record: Record): string {
    return serialize(marcToModsTree(marcView(record)), 1, ' version="3.7"');
  }
  end(): string {
    return '</modsCollection>\n';
  }
}

export function toModsCollection(records: Iterable<Record>): string {
  const w = new ModsWriter();
  let s = w.begin();
  for (const r of records) s += w.write(r);
  return s + w.end();
}

export { modsToRecords, modsToMarcXml } from './mods2marc.js';

// Importing this module (`mrrc/mods`) makes 'mods' an output format of `writeRecords` and the
// serializer streams.
registerFormat('mods', () => {
  const w = new ModsWriter();
  return { header: () => w.begin(), write: (record) => w.write(record), footer: () => w.end() };
});
