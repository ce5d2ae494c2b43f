// The README's first example: read ISO 2709 from a path, print each record's 001, title and
// subjects, and a MARCspec query. Run from the repository root: node examples/read-titles.mjs
import { readRecordsSync } from 'mrrc';

let shown = 0;
for (const record of readRecordsSync('samples/loc-bibliographic.mrc')) {
  if (record.getDataFields('650').length === 0) continue;
  console.log(record.get('001')?.value(), record.title);
  for (const subject of record.getDataFields('650')) console.log('  ', subject.formatField());
  console.log('  ', record.query('650$a{^2=\\0}'));   // MARCspec: 650 $a where ind2 is 0 (LCSH)
  if (++shown === 3) break;
}
