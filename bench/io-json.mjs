// The parallelMap function for bench/io.ts: a MARC-in-JSON-like line per record (the formats
// engineer's MARCXML / MARC-in-JSON writers replace this when they land).
export default function toJsonLine(record) {
  return JSON.stringify(record.toJSON()) + '\n';
}
