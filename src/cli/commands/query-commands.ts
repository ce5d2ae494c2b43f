/**
 * `mrrc filter` and `mrrc get`: MARCspec (docs/query.md) over a stream of records.
 */
import { stringify } from 'csv-stringify/sync';
import { compileQuery, type CompiledQuery } from '../../query/compile.js';
import { QuerySyntaxError } from '../../query/parse.js';
import { Iso2709Writer } from '../../iso2709/writer.js';
import { createWriter } from '../../formats/index.js';
import type { Record } from '../../record/record.js';
import { Output } from '../output.js';
import { eachRecord, type CommonFlags } from './read-commands.js';
import { UsageError } from '../usage-error.js';

/** A bad spec is a usage error: say where in the spec, then exit 2. */
export { UsageError };

function compile(spec: string): CompiledQuery {
  try {
    return compileQuery(spec);
  } catch (e) {
    if (e instanceof QuerySyntaxError) throw new UsageError(`bad spec ${JSON.stringify(spec)}: ${e.message}`);
    throw e;
  }
}

async function eachReadable(input: string | undefined, flags: CommonFlags, visit: (record: Record, index: number) => void | Promise<void>): Promise<number> {
  const tally = await eachRecord(input, flags, ({ record, recordIndex }) => visit(record as Record, recordIndex));
  return tally.skipped + tally.repaired;
}

export interface FilterFlags extends CommonFlags {
  where: string[];
  to?: string;
  invert?: boolean;
}

export async function filter(input: string | undefined, flags: FilterFlags): Promise<number> {
  const queries = flags.where.map(compile);
  const to = flags.to ?? 'iso2709';
  const iso = to === 'iso2709' || to === 'marc' ? new Iso2709Writer({ encoding: 'preserve' }) : null;
  const text = iso === null ? createWriter(to) : null;
  const out = new Output(flags.output);
  if (text !== null) out.write(text.begin());
  const problems = await out.keepOnFailure(
    () =>
      eachReadable(input, flags, async (record) => {
        // Every --where must match (AND); --invert keeps the records that fail.
        const keep = queries.every((q) => q.test(record)) !== (flags.invert === true);
        if (!keep) return;
        out.write(iso !== null ? iso.write(record) : (text as NonNullable<typeof text>).write(record));
        await out.maybeFlush();
      }),
    text === null ? undefined : () => text.end(),
  );
  if (text !== null) out.write(text.end());
  await out.close();
  return problems > 0 ? 1 : 0;
}

export interface GetFlags extends CommonFlags {
  as: 'tsv' | 'csv' | 'jsonl';
  header?: boolean;
  separator: string;
}

export async function get(input: string | undefined, specs: string[], flags: GetFlags): Promise<number> {
  const queries = specs.map(compile);
  const out = new Output(flags.output);
  const columns = ['index', '001', ...specs];
  const tsvCell = (text: string): string => text.replace(/[\t\n\r\\]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\\\'));
  if (flags.header === true && flags.as !== 'jsonl') {
    out.write(flags.as === 'csv' ? stringify([columns]) : columns.map(tsvCell).join('\t') + '\n');
  }
  const problems = await out.keepOnFailure(() => eachReadable(input, flags, async (record, index) => {
    const id = record.getControlField('001')?.data ?? '';
    const values = queries.map((q) => q.values(record));
    if (flags.as === 'jsonl') {
      const row: { [key: string]: unknown } = { index, '001': id };
      specs.forEach((spec, i) => (row[spec] = values[i]));
      out.write(JSON.stringify(row) + '\n');
    } else {
      const cells = [String(index), id, ...values.map((v) => v.join(flags.separator))];
      out.write(flags.as === 'csv' ? stringify([cells]) : cells.map(tsvCell).join('\t') + '\n');
    }
    await out.maybeFlush();
  }));
  await out.close();
  return problems > 0 ? 1 : 0;
}
