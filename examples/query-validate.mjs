// MARCspec queries (compiled once for a loop) and validation against MARC 21.
// node examples/query-validate.mjs
import { readRecordsSync, compileQuery, validate } from 'mrrc';

const isbns = compileQuery('020$a');
const lcsh = compileQuery('650$a{^2=\\0}');
let records = 0;
let withIsbn = 0;
let headings = 0;
for (const record of readRecordsSync('samples/loc-bibliographic.mrc')) {
  records++;
  if (isbns.values(record).length > 0) withIsbn++;
  headings += lcsh.values(record).length;
}
console.log(`${records} records, ${withIsbn} with an ISBN, ${headings} LCSH topical headings`);

const counts = new Map();
for (const record of readRecordsSync('test/fixtures/pymarc/test.dat', { mode: 'lenient' })) {
  for (const issue of validate(record)) counts.set(issue.code, (counts.get(issue.code) ?? 0) + 1);
}
console.log('issues in pymarc test.dat by code:', Object.fromEntries([...counts].sort()));
