// parallelMap: workers read, parse and run your module's function; only its results come back,
// in file order. Files below a few MB stay on one thread unless parallelThreshold says otherwise.
// node examples/parallel-map.mjs
import { parallelMap, readRecords } from 'mrrc';

const lines = [];
for await (const line of parallelMap('samples/loc-bibliographic.mrc', new URL('./to-json-line.mjs', import.meta.url), { workers: 2, parallelThreshold: 0 })) lines.push(line);
console.log(lines.length, 'lines; the first two:');
process.stdout.write(lines.slice(0, 2).join(''));

// The record reader itself can parse in workers too; records still arrive in file order.
const ids = [];
for await (const record of readRecords('samples/loc-bibliographic.mrc', { workers: 2, parallelThreshold: 0 })) ids.push(record.get('001')?.value());
console.log(ids.length, 'records from 2 workers, first', ids[0], 'last', ids.at(-1));
