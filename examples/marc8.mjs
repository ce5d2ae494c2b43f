// MARC-8 ⇄ Unicode, and a MARC-8 record read and written as UTF-8.
// node examples/marc8.mjs
import { readFileSync } from 'node:fs';
import { decodeMarc8, encodeMarc8, readRecordsSync } from 'mrrc';

console.log(decodeMarc8(Buffer.from('De la solitude \xe1a la communaut\xe2e.', 'latin1')));
console.log(Buffer.from(encodeMarc8('Иван, 1990')).toString('latin1').replaceAll('\x1b', 'ESC '));

const [record] = readRecordsSync(readFileSync('test/fixtures/marc8/marc8.dat'));
console.log('read as', record.origin.encoding, '→', record.get('240')?.value());
const utf8 = record.toMarc();   // UTF-8, leader/09 'a'
console.log('written as UTF-8: leader/09', JSON.stringify(String.fromCharCode(utf8[9])), 'and back to MARC-8:', record.toMarc({ encoding: 'marc-8' }).length, 'bytes');

// A leader that lies: strict mode (the default) stops and says which encoding to pass;
// lenient mode reads the bytes as what they are and records an E303 warning.
const lying = readFileSync('test/fixtures/marc8/marc8_accented_chars.marc');
try {
  [...readRecordsSync(lying)];
} catch (e) {
  console.log(e.code, e.detail);
}
const [lenient] = readRecordsSync(lying, { mode: 'lenient' });
console.log(lenient.title, lenient.errors.map((e) => `${e.code} (${e.severity})`));
