// The function parallel-map.mjs runs inside the worker threads: one record in, one line out.
export default (record) => JSON.stringify({ id: record.get('001')?.value(), title: record.title }) + '\n';
