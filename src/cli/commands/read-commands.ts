/**
 * Commands that read records and report on them: count, stats, check, split (dump is a convert).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Iso2709Writer } from '../../iso2709/writer.js';
import type { ReadResult } from '../../iso2709/reader.js';
import { MarcError } from '../../errors.js';
import { openInput, type InputBytes, type InputFlags } from '../input.js';
import { Output } from '../output.js';
import { createProgress, type Progress } from '../progress.js';
import { describeError } from '../describe-error.js';
import { EncodingHint } from '../encoding-hint.js';
import { overwritesInput, sameFile } from '../../util/same-file.js';
import { UsageError } from '../usage-error.js';

export interface CommonFlags extends InputFlags {
  output?: string;
  progress?: boolean;
}

export interface Tally {
  records: number;
  skipped: number;
  repaired: number;
}

/** Iterates results with progress and error reporting; `visit` sees each readable record. */
export async function eachRecord(input: string | undefined | InputBytes, flags: CommonFlags, visit: (result: ReadResult, progress: Progress) => void | Promise<void>, extra: { eager?: boolean } = {}): Promise<Tally> {
  const source = openInput(input, flags, extra);
  const progress = createProgress(source.size, flags.progress);
  const tally: Tally = { records: 0, skipped: 0, repaired: 0 };
  const hint = new EncodingHint(flags.encoding);
  try {
    for await (const batch of source.resultBatches()) {
      for (const result of batch) {
        if (result.record === null) {
          tally.skipped++;
          hint.see(result.errors);
          for (const error of result.errors) progress.log(describeError(error));
        } else {
          let written = true;
          try {
            // Awaited only when the visitor had to wait (an output flush): most records need no turn.
            const pending = visit(result, progress);
            if (pending !== undefined) await pending;
          } catch (e) {
            // A record the output cannot hold (ISO 2709's E404, from split or filter): permissive
            // mode skips and reports it, as it does one that cannot be read; the others stop,
            // saying which record it was.
            if (!(e instanceof MarcError)) throw e;
            e.withContext({ recordIndex: result.recordIndex, recordOffset: result.recordOffset });
            if (flags.mode !== 'permissive') {
              // What reading repaired in the record is often why it cannot be written (a field
              // without indicators, read with two of its text bytes as them): said first.
              if (result.record.hasErrors) {
                hint.see(result.record.errors);
                for (const error of result.record.errors) progress.log(describeError(error));
              }
              throw e;
            }
            progress.log(describeError(e));
            written = false;
          }
          if (written) tally.records++;
          else tally.skipped++;
          // After visiting: fields decode lazily, so their problems appear while they are read.
          if (result.record.hasErrors) {
            if (written) tally.repaired++;
            hint.see(result.record.errors);
            for (const error of result.record.errors) progress.log(describeError(error));
          }
        }
        progress.tick(tally.records + tally.skipped, source.reached ?? (() => result.recordOffset + result.raw.length));
      }
    }
  } catch (e) {
    hint.stoppedBy(e);
    throw e;
  } finally {
    hint.tell(progress);
    progress.stop();
  }
  return tally;
}

export async function count(input: string | undefined, flags: CommonFlags & { json?: boolean }): Promise<number> {
  const tally = await eachRecord(input, flags, () => {});
  const out = new Output(flags.output);
  out.write(flags.json === true ? JSON.stringify({ records: tally.records, repaired: tally.repaired, skipped: tally.skipped }) + '\n' : `${tally.records}\n`);
  await out.close();
  return tally.skipped + tally.repaired > 0 ? 1 : 0;
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function sorted(map: Map<string, number>): [string, number][] {
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export async function stats(input: string | undefined, flags: CommonFlags & { json?: boolean }): Promise<number> {
  const recordTypes = new Map<string, number>();
  const encodings = new Map<string, number>();
  const tags = new Map<string, number>();
  // Per tag, per code: a key string made for each subfield was a tenth of the command's time.
  const subfields = new Map<string, Map<string, number>>();
  const errors = new Map<string, number>();
  let bytes = 0;
  const tally = await eachRecord(input, flags, ({ record, raw }) => {
    if (record === null) return;
    bytes += raw.length;
    bump(recordTypes, record.leader.recordType);
    bump(encodings, record.origin?.encoding ?? 'unknown');
    for (const field of record.fields) {
      bump(tags, field.tag);
      if (!field.isDataField()) continue;
      let codes = subfields.get(field.tag);
      if (codes === undefined) subfields.set(field.tag, (codes = new Map()));
      // Codes only: the values are not built where they need no decoding to be judged.
      for (const code of field.subfieldCodes()) bump(codes, code);
    }
    for (const error of record.errors) bump(errors, error.code);
  });
  const tables = {
    recordTypes: sorted(recordTypes),
    encodings: sorted(encodings),
    errors: sorted(errors),
    tags: sorted(tags),
    subfields: sorted(new Map([...subfields].flatMap(([tag, codes]) => [...codes].map(([code, n]): [string, number] => [`${tag}$${code}`, n])))),
  };
  const out = new Output(flags.output);
  if (flags.json === true) {
    const report: { [key: string]: number | { [key: string]: number } } = { records: tally.records, skipped: tally.skipped, repaired: tally.repaired, bytes };
    for (const [name, entries] of Object.entries(tables)) report[name] = Object.fromEntries(entries);
    out.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    out.write(`records\t${tally.records}\nskipped\t${tally.skipped}\nrepaired\t${tally.repaired}\nbytes\t${bytes}\n`);
    // From the sorted entries, not the JSON objects: an object lists integer-like keys ('100')
    // first, so tags 001–099 came after 999.
    for (const [title, entries] of [['record type (leader/06)', tables.recordTypes], ['encoding', tables.encodings], ['errors', tables.errors], ['tags', tables.tags], ['subfields', tables.subfields]] as const) {
      out.write(`\n${title}\n`);
      for (const [key, value] of entries) out.write(`${key}\t${value}\n`);
    }
  }
  await out.close();
  return tally.skipped + tally.repaired > 0 ? 1 : 0;
}

export interface CheckFlags extends CommonFlags {
  maxErrors?: number;
  json?: boolean;
  rules?: boolean;
  /** An Avram schema file (JSON): check rules against it instead of the built-in MARC 21 Bibliographic tables. Implies `rules`. */
  schema?: string;
}

/**
 * What validate() reports that check's eager read has reported already (record.errors, printed
 * above the rules' issues): encoding problems, subfield codes and control characters.
 */
const FOUND_ON_READ = new Set(['E202', 'E301', 'E302', 'E303', 'E305']);

export type RuleChecker = (result: ReadResult) => { code: string; severity: string; tag?: string; message: string }[];

export async function check(input: string | undefined, flags: CheckFlags, ruleChecker?: RuleChecker): Promise<number> {
  if (flags.schema !== undefined) {
    // --schema FILE: validate() against the rules compiled from the user's Avram schema.
    const [{ loadAvramSchema }, { validate }, { UsageError }] = await Promise.all([import('../../validate/avram.js'), import('../../validate/validate.js'), import('../usage-error.js')]);
    let schema: ReturnType<typeof loadAvramSchema>;
    try {
      schema = loadAvramSchema(flags.schema);
    } catch (e) {
      throw new UsageError(`--schema ${flags.schema}: ${(e as Error).message}`);
    }
    ruleChecker = (result) => (result.record === null ? [] : validate(result.record, { schema }).map((issue) => ({ code: issue.code, severity: issue.severity, ...(issue.tag === undefined ? {} : { tag: issue.tag }), message: issue.message })));
  }
  const out = new Output(flags.output);
  let problems = 0;
  const max = flags.maxErrors ?? Number.POSITIVE_INFINITY;
  const emit = (line: { [key: string]: unknown }): void => {
    problems++;
    if (problems > max) return;
    if (flags.json === true) out.write(JSON.stringify(line) + '\n');
    else out.write(`${line.recordIndex}\t${line.recordOffset}\t${line.controlNumber ?? ''}\t${line.tag ?? ''}\t${line.code}\t${line.message}\n`);
  };
  // Every problem is reported, so read permissively (nothing throws) and decode every field now.
  const source = openInput(input, { ...flags, mode: 'permissive' }, { eager: true });
  const progress = createProgress(source.size, flags.progress);
  const hint = new EncodingHint(flags.encoding);
  let records = 0;
  try {
    for await (const result of source.results()) {
      records++;
      const errors = result.record === null ? result.errors : result.record.errors;
      hint.see(errors);
      for (const e of errors) {
        emit({ recordIndex: result.recordIndex, recordOffset: result.recordOffset, byteOffset: e.byteOffset, controlNumber: e.controlNumber, tag: e.tag, code: e.code, severity: e.severity, message: e.detail });
      }
      if (ruleChecker !== undefined && result.record !== null) {
        for (const issue of ruleChecker(result)) {
          if (FOUND_ON_READ.has(issue.code)) continue;
          emit({ recordIndex: result.recordIndex, recordOffset: result.recordOffset, controlNumber: result.record.get('001')?.value(), tag: issue.tag, code: issue.code, severity: issue.severity, message: issue.message });
        }
      }
      progress.tick(records, source.reached ?? (() => result.recordOffset + result.raw.length));
      await out.maybeFlush();
      if (problems > max) break;
    }
  } finally {
    hint.tell(progress);
    progress.stop();
  }
  if (problems > max) process.stderr.write(`mrrc: stopped after --max-errors ${max} problems\n`);
  await out.close();
  return problems > 0 ? 1 : 0;
}

export interface SplitFlags extends CommonFlags {
  every?: number;
  offset?: number;
  limit?: number;
}

/**
 * The file `split --every` writes part `n` to: `-o parts/big` gives parts/big-0001.mrc, and so
 * does `-o parts/big.mrc` (not big.mrc-0001.mrc); another ISO 2709 extension is kept, and so is a
 * final `.gz` (`-o parts/big.mrc.gz`: parts/big-0001.mrc.gz, each part compressed).
 */
export function partName(output: string, n: number): string {
  const gz = /\.gz$/i.test(output) ? output.slice(-3) : '';
  const base = output.slice(0, output.length - gz.length);
  const extension = /\.(mrc|marc|dat|iso)$/i.exec(base);
  const stem = extension === null ? base : base.slice(0, extension.index);
  return `${stem}-${String(n).padStart(4, '0')}${extension === null ? '.mrc' : extension[0]}${gz}`;
}

export async function split(input: string | undefined, flags: SplitFlags): Promise<number> {
  const writer = new Iso2709Writer({ encoding: 'preserve' });
  const offset = flags.offset ?? 0;
  const limit = flags.limit ?? Number.POSITIVE_INFINITY;
  let index = 0;
  let taken = 0;
  if (flags.every === undefined) {
    const out = new Output(flags.output);
    const tally = await out.keepOnFailure(() =>
      eachRecord(input, flags, async ({ record }) => {
        const at = index++;
        if (at < offset || taken >= limit) return;
        // Encoded first: a record the writer refuses (skipped in permissive mode) takes no place.
        const bytes = writer.write(record as NonNullable<typeof record>);
        taken++;
        out.write(bytes);
        await out.maybeFlush();
      }),
    );
    await out.close();
    return tally.skipped + tally.repaired > 0 ? 1 : 0;
  }
  const every = flags.every;
  const prefix = flags.output ?? 'split';
  let part: Output | null = null;
  let partNumber = 0;
  let inPart = 0;
  const reading = eachRecord(input, flags, async ({ record }) => {
    const at = index++;
    if (at < offset || taken >= limit) return;
    // Encoded first: a record the writer refuses (skipped in permissive mode) takes no place.
    const bytes = writer.write(record as NonNullable<typeof record>);
    taken++;
    if (part === null || inPart === every) {
      if (part !== null) await part.close();
      partNumber++;
      const name = partName(prefix, partNumber);
      if (input !== undefined && input !== '-' && sameFile(input, name)) throw new UsageError(`split: ${overwritesInput(name)}`);
      mkdirSync(dirname(name), { recursive: true });
      part = new Output(name);
      inPart = 0;
    }
    inPart++;
    part.write(bytes);
    await part.maybeFlush();
  });
  let tally: Awaited<typeof reading>;
  try {
    tally = await reading;
  } catch (e) {
    // The part being written keeps the records read before the failure.
    if (part !== null) await (part as Output).close().catch(() => undefined);
    throw e;
  }
  if (part !== null) await (part as Output).close();
  return tally.skipped + tally.repaired > 0 ? 1 : 0;
}
