// The record model: build a record, read it the pymarc way, edit it, write ISO 2709 and read it
// back. node examples/build-and-edit.mjs
import { Record, ControlField, DataField, parseRecord } from 'mrrc';

const record = new Record({
  leader: '00000nam a2200000 i 4500',
  fields: [
    new ControlField('001', 'ocm12345'),
    new DataField('245', '1', '0', [
      { code: 'a', value: 'The pragmatic programmer :' },
      { code: 'b', value: 'from journeyman to master /' },
      { code: 'c', value: 'Andrew Hunt, David Thomas.' },
    ]),
  ],
});
record.addOrderedField(new DataField('100', '1', ' ', [{ code: 'a', value: 'Hunt, Andrew,' }, { code: 'e', value: 'author.' }]));
record.addOrderedField(new DataField('020', ' ', ' ', [{ code: 'a', value: '020161622X' }]));
record.addField(new DataField('650', ' ', '0', [{ code: 'a', value: 'Computer programming.' }]));

console.log(record.fields.map((f) => f.tag).join(' '));   // insertion in tag order
console.log(record.title);                                // 245 $a and $b, as pymarc 5
console.log(record.author, '|', record.isbn);
console.log(record.get('245')?.get('c'));                 // pymarc's field['c']

const f245 = record.getDataField('245');
f245?.setSubfield('a', 'The pragmatic programmer, 20th anniversary edition :');
console.log(String(f245));                                // MARCMaker form

const bytes = record.toMarc();
console.log(bytes.length, 'bytes; leader', new TextDecoder().decode(bytes.subarray(0, 24)));
const back = parseRecord(bytes);
console.log(back.title === record.title, JSON.stringify(back.toJSON().fields[0]));
