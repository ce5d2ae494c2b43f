// MODS, Dublin Core and BIBFRAME. Importing a crosswalk also registers it as an output format of
// writeRecords and the serializer streams. node examples/crosswalks.mjs
import { readFileSync } from 'node:fs';
import { readRecordsSync, createFormatWriter } from 'mrrc';
import { toMods } from 'mrrc/mods';
import { toDublinCore } from 'mrrc/dc';
import { toBibframe, toTurtle } from 'mrrc/bibframe';

const [record] = readRecordsSync(readFileSync('test/fixtures/pymarc/one.dat'));
const head = (text, n) => text.split('\n').slice(0, n).join('\n');
console.log(head(toMods(record), 6));
console.log(head(toDublinCore(record, { flavor: 'oai_dc' }), 5));
const quads = toBibframe(record, { baseUri: 'http://example.org/', generationDate: '2000-01-01T00:00:00' });
console.log(quads.length, 'BIBFRAME triples; as Turtle:', toTurtle(quads).length, 'characters');
console.log(typeof createFormatWriter('mods').write, typeof createFormatWriter('dc', { flavor: 'srw_dc' }).write, typeof createFormatWriter('bibframe').write);
