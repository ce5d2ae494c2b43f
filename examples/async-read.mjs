// Reading without blocking the event loop: from a path, from a Node stream, in batches, and a
// corrupt file in permissive mode, where every record is either delivered or reported.
// node examples/async-read.mjs
import { createReadStream } from 'node:fs';
import { readRecords } from 'mrrc';

let n = 0;
for await (const record of readRecords('samples/loc-bibliographic.mrc')) if (record.title !== undefined) n++;
console.log('path:', n, 'records with a title');

const fromStream = readRecords(createReadStream('samples/loc-bibliographic.mrc', { highWaterMark: 1000 }));
const first = await fromStream.readBatch(5);
console.log('stream, first batch:', first.map((r) => r.get('001')?.value()).join(' '));
let rest = 0;
for await (const batch of fromStream.batches(100)) rest += batch.length;
console.log('stream, the rest in batches:', rest);

const results = readRecords('test/fixtures/mrrc-testbed/malformed/bad_directory.mrc', { mode: 'permissive' }).results();
for await (const { record, errors, raw, recordIndex } of results) {
  const what = record === null ? `skipped, ${raw?.length} raw bytes kept` : `read, ${record.fields.length} field(s)`;
  console.log(`record ${recordIndex}: ${what};`, errors.map((e) => `${e.code} at byte ${e.byteOffset}`).join(', '));
}
