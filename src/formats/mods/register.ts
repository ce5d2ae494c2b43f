/**
 * Registers the 'mods' and 'dc' writer formats with the I/O layer (`writeRecords(records, dest,
 * {format: 'mods'})`, the serializer streams). Import this module once for the side effect.
 * Options: `flavor` ('oai_dc' | 'rdf_dc' | 'srw_dc') and `fieldSeparator` for 'dc'.
 */
import { registerFormat } from '../../io/formats.js';
import { DublinCoreWriter, type DcFlavor } from '../dc/index.js';
import { ModsWriter } from './index.js';

registerFormat('mods', () => {
  const w = new ModsWriter();
  return { header: () => w.begin(), write: (record) => w.write(record), footer: () => w.end() };
});

registerFormat('dc', (options) => {
  const w = new DublinCoreWriter({ flavor: (options.flavor as DcFlavor | undefined) ?? 'oai_dc', fieldSeparator: typeof options.fieldSeparator === 'string' ? options.fieldSeparator : ' ' });
  return { header: () => w.begin(), write: (record) => w.write(record), footer: () => w.end() };
});
