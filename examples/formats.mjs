// One record through MARCXML, MARC-in-JSON and MARCMaker, and back.
// node examples/formats.mjs
import { readFileSync } from 'node:fs';
import { readRecordsSync, toMarcXml, readMarcXml, toMarcJson, readMarcJson, toMrk, readMrk, toText, detectFormat } from 'mrrc';

const [record] = readRecordsSync(readFileSync('test/fixtures/pymarc/one.dat'));
const xml = toMarcXml(record, { indent: 2 });
console.log(xml.split('\n').slice(0, 6).join('\n'));
console.log('detected:', detectFormat(Buffer.from(xml)));

const json = toMarcJson(record);
console.log(json.slice(0, 80) + '…');
const mrk = toMrk(record);
console.log(mrk.split('\n').slice(0, 3).join('\n'));

const same = (other) => JSON.stringify(other.toJSON()) === JSON.stringify(record.toJSON());
console.log('round trips:', same([...readMarcXml(xml)][0]), same([...readMarcJson(json)][0]), same([...readMrk(mrk)][0]));
console.log(toText(record).split('\n').slice(0, 2).join('\n'));   // yaz-marcdump's lines
