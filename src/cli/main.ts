#!/usr/bin/env node
/**
 * The `mrrc` command line. Exit codes: 0 ok, 1 records had errors, 2 usage or unreadable input.
 */

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { MarcError } from '../errors.js';
import type { CheckFlags, CommonFlags, SplitFlags } from './commands/read-commands.js';
import type { ConvertFlags } from './commands/convert.js';
import type { FilterFlags, GetFlags } from './commands/query-commands.js';
import { parseLeaderEdit } from './record-edits.js';
import type { ReadResult } from '../iso2709/reader.js';
import { UsageError } from './usage-error.js';
import { describeError } from './describe-error.js';
import { takeFailureHint } from './encoding-hint.js';
import { overwritesInput, sameFile } from '../util/same-file.js';
import { TARGET_FORMATS } from './writer-loader.js';
import { getDecoder, normaliseEncodingName } from '../encoding/charset.js';

// Each command's module is loaded when the command runs: loading them all took ~100 ms before
// any work (`mrrc --version` 0.17 s against 0.07 s for Node itself), a tenth of converting 220 MB.
const readCommands = () => import('./commands/read-commands.js');
const queryCommands = () => import('./commands/query-commands.js');

/** `check --rules`: validate() on every readable record, reported in check's columns. */
async function ruleChecker(): Promise<(result: ReadResult) => { code: string; severity: string; tag?: string; message: string }[]> {
  const { validate } = await import('../validate/validate.js');
  return (result) => {
    if (result.record === null) return [];
    return validate(result.record).map((issue) => ({ code: issue.code, severity: issue.severity, ...(issue.tag === undefined ? {} : { tag: issue.tag }), message: issue.message }));
  };
}

/** The package version, from the nearest package.json (dist/src/cli in the package, src/cli in a checkout). */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mrrc' && pkg.version !== undefined) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/** What `--from` accepts: the readers input.ts dispatches to, with the formats' other names. */
const SOURCE_FORMATS = ['auto', 'iso2709', 'marc', 'marcxml', 'xml', 'marcjson', 'json', 'jsonl', 'ndjson', 'plain-json', 'mrk', 'text'];

function encodingName(value: string): string {
  const key = normaliseEncodingName(value);
  // MARC-8 registers itself when the reader loads; anything else must be a decoder we have now.
  if (key === 'auto' || key === 'marc-8') return value;
  try {
    getDecoder(key);
  } catch {
    throw new InvalidArgumentError('unknown character set; use auto, utf-8, marc-8, or a name TextDecoder knows (windows-1251, ibm866, koi8-r, iso-8859-2, …)');
  }
  return value;
}

function targetFormat(value: string): string {
  if (!TARGET_FORMATS.includes(value)) throw new InvalidArgumentError(`unknown format; one of ${TARGET_FORMATS.join(', ')}`);
  return value;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** For counts where 0 means nothing sensible (records per file, threads). */
function positiveInteger(value: string): number {
  const n = wholeNumber(value);
  if (n === 0) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return n;
}

const EXIT_CODES = `
Exit codes:
  0  every record was read cleanly
  1  some records had errors (repaired, skipped, or failing a check)
  2  usage error, or the input could not be opened or read`;

function withInputOptions(command: Command): Command {
  return command
    .argument('[input]', 'input file (gzip-compressed ones too); - or absent for standard input')
    .addOption(new Option('-m, --mode <mode>', 'how to treat bad records: strict stops at the first, lenient repairs and reports, permissive also skips (and reports) records that cannot be read or written').choices(['strict', 'lenient', 'permissive']).default('lenient'))
    .option('-e, --encoding <name>', 'character set: auto (leader/09), utf-8, marc-8, or a legacy name such as windows-1251', encodingName, 'auto')
    .addOption(new Option('-f, --from <format>', 'input format (auto: sniffed from the first bytes)').choices(SOURCE_FORMATS).default('auto'))
    .option('-o, --output <file>', 'write here instead of standard output (a name ending in .gz is written gzip-compressed)')
    .option('--progress', 'show a progress bar on stderr (default: when stderr is a terminal)')
    .option('--no-progress', 'never show a progress bar');
}

export function buildProgram(run: (work: Promise<number>) => void): Command {
  const program = new Command();
  program
    .name('mrrc')
    .description('Read, check, convert and query MARC 21 records.')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', EXIT_CODES)
    .hook('preAction', (_program, command) => {
      // Records never come from a keyboard: with no input named and a terminal on standard input,
      // say what to give rather than wait in silence. `-` still reads the terminal when asked to.
      const input = command.processedArgs[0] as string | undefined;
      if (input === undefined && process.stdin.isTTY === true) {
        throw new UsageError(`${command.name()}: no input: give a file, or pipe records in (\`-\` reads this terminal)`);
      }
      // `split --every` takes -o as a prefix; it checks each file it names (read-commands.ts).
      const { output, every } = command.opts() as { output?: unknown; every?: unknown };
      const prefix = command.name() === 'split' && every !== undefined;
      if (typeof output === 'string' && !prefix && input !== undefined && input !== '-' && sameFile(input, output)) {
        throw new UsageError(`${command.name()}: ${overwritesInput(`-o ${output}`)}`);
      }
    });

  withInputOptions(program.command('dump').description('print records as text, one line per field (the line format of yaz-marcdump)'))
    .addHelpText('after', '\nExamples:\n  mrrc dump samples/loc-bibliographic.mrc | less\n  cat records.mrc | mrrc dump --mode permissive 2> errors.txt')
    .action((input: string | undefined, flags: CommonFlags) => run(import('./commands/convert.js').then((m) => m.dump(input, flags))));

  withInputOptions(program.command('count').description('count records'))
    .option('--json', 'print {"records", "repaired", "skipped"}')
    .addHelpText('after', '\nExamples:\n  mrrc count samples/loc-bibliographic.mrc\n  mrrc count --json --mode permissive broken.mrc')
    .action((input: string | undefined, flags: CommonFlags & { json?: boolean }) => run(readCommands().then((m) => m.count(input, flags))));

  withInputOptions(program.command('stats').description('record types, encodings, tag and subfield frequencies, error summary'))
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  mrrc stats samples/loc-bibliographic.mrc\n  mrrc stats --json dump.mrc | jq .tags')
    .action((input: string | undefined, flags: CommonFlags & { json?: boolean }) => run(readCommands().then((m) => m.stats(input, flags))));

  withInputOptions(program.command('check').description('validate structure and encoding; print each problem with record index, byte offset, 001 and tag'))
    .option('--max-errors <n>', 'stop after this many problems', wholeNumber)
    .option('--rules', 'also check MARC 21 rules: leader values, indicators, repeatability, 008, ISBN/ISSN check digits, $6 links (docs/validation.md)')
    .option('--schema <file>', 'check rules against this Avram schema (JSON) instead of the built-in MARC 21 Bibliographic tables; implies --rules')
    .option('--json', 'one JSON object per problem')
    .addHelpText('after', '\nOutput columns: record index, record byte offset, 001, tag, code, message.\nExit status 0 only when the input is clean.\n\nExamples:\n  mrrc check samples/loc-bibliographic.mrc\n  mrrc check --max-errors 20 vendor-load.mrc')
    .action((input: string | undefined, flags: CheckFlags) => run(readCommands().then(async (m) => m.check(input, flags, flags.rules === true ? await ruleChecker() : undefined))));

  withInputOptions(program.command('split').description('write every N records to numbered files, or take a slice'))
    .option('--every <n>', 'records per output file: -o parts/big (or parts/big.mrc) names them parts/big-0001.mrc, …; -o parts/big.mrc.gz compresses each', positiveInteger)
    .option('--offset <n>', 'skip the first n records', wholeNumber)
    .option('--limit <n>', 'take at most n records', wholeNumber)
    .addHelpText('after', '\nExamples:\n  mrrc split big.mrc --every 10000 -o parts/big\n  mrrc split big.mrc --offset 500 --limit 10 > ten.mrc')
    .action((input: string | undefined, flags: SplitFlags) => run(readCommands().then((m) => m.split(input, flags))));

  withInputOptions(program.command('convert').description('convert between formats: iso2709 (marc), marcxml, MARC-in-JSON as one array (json, marcjson) or a record a line (jsonl, ndjson), plain-json, mrk, text, csv, and the crosswalks mods, dc and bibframe (output only)'))
    .requiredOption('-t, --to <format>', 'output format', targetFormat)
    .addOption(new Option('--to-encoding <encoding>', 'character set of ISO 2709 output').choices(['utf8', 'marc8']))
    .addOption(new Option('--normalize <form>', 'Unicode normalisation of the output text').choices(['nfc', 'nfd', 'none']))
    .option('--leader <position=value>', 'set leader characters, e.g. 9=a (repeatable)', (v: string, prev?: [number, string][]) => {
      try {
        return parseLeaderEdit(v, prev);
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    })
    .option('-j, --jobs <n>', 'worker threads for ISO 2709 input (default: every core for files of 64 MiB or more, gzip-compressed ones of 16 MiB, else 1; standard input: 1 unless given; mrk, csv and bibframe output always use one)', positiveInteger)
    .option('--indent', 'indent XML output and JSON arrays')
    .addOption(new Option('--oversize <policy>', "ISO 2709 output: a record over 99,999 bytes is an error (E404), or is written whole with length 99999 ('truncate-length': mrrc reads it back in lenient mode; yaz-marcdump does not)").choices(['error', 'truncate-length']))
    .addHelpText('after', '\nExamples:\n  mrrc convert samples/loc-bibliographic.mrc -t marcxml -o records.xml\n  mrrc convert records.xml -t marc -o records.mrc\n  mrrc convert old.mrc -t marc --to-encoding utf8 --leader 9=a -o new.mrc\n  mrrc convert big.mrc -t jsonl --jobs 2 > big.jsonl\n  mrrc convert records.mrc -t mods -o records.mods.xml')
    .action((input: string | undefined, flags: ConvertFlags) => run(import('./commands/convert.js').then((m) => m.convert(input, flags))));

  withInputOptions(program.command('filter').description('keep the records a MARCspec matches (every --where must match)'))
    .requiredOption('-w, --where <spec>', 'MARCspec, e.g. 650$a{$2=\\lcsh} or 008/35-37{=\\fre} (repeatable: all must match)', (v: string, prev: string[] = []) => [...prev, v])
    .option('-v, --invert', 'keep the records that do not match')
    .option('-t, --to <format>', 'output format (default: iso2709, as read)', targetFormat)
    .addHelpText('after', "\nSpecs follow MARCspec (docs/query.md).\n\nExamples:\n  mrrc filter samples/loc-bibliographic.mrc --where 'LDR/06{=\\e}' > maps.mrc\n  mrrc filter dump.mrc --where '020' --invert -t marcxml")
    .action((input: string | undefined, flags: FilterFlags) => run(queryCommands().then((m) => m.filter(input, flags))));

  withInputOptions(program.command('get').description('print values selected by MARCspecs, one row per record: index, 001, then one column per spec'))
    .argument('<specs...>', 'MARCspecs, e.g. 245$a 650$a 008/35-37')
    .addOption(new Option('--as <format>', 'tsv, csv or jsonl').choices(['tsv', 'csv', 'jsonl']).default('tsv'))
    .option('--header', 'print a header row (tsv, csv)')
    .option('--separator <text>', 'between several values of one spec', ' | ')
    .addHelpText('after', "\nExamples:\n  mrrc get samples/loc-bibliographic.mrc '245$a' '020$a'\n  mrrc get dump.mrc '650$a' --as jsonl | jq .")
    .action((input: string, specs: string[], flags: GetFlags) => run(queryCommands().then((m) => m.get(input === '-' ? undefined : input, specs, flags))));

  return program;
}

function reportFailure(e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`mrrc: ${e.message}\n`);
    return 2;
  }
  if (e instanceof MarcError) {
    process.stderr.write(describeError(e) + '\n');
    const hint = takeFailureHint();
    if (hint !== null) process.stderr.write(hint + '\n');
    return e.code === 'E007' ? 2 : 1;
  }
  throw e;
}

export async function main(argv: string[]): Promise<void> {
  // `mrrc dump big.mrc | head` closes our stdout early: that is success, not a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A full disk or a broken device behind a redirect: say so, as for -o, not with a stack trace.
    process.stderr.write(`mrrc: ${new MarcError('E007', `writing standard output failed: ${e.message}`, { source: 'io' }).message}\n`);
    process.exit(2);
  });
  let work: Promise<number> | undefined;
  const program = buildProgram((w) => {
    work = w;
  });
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportFailure(e);
    return;
  }
  if (work === undefined) return;
  try {
    process.exitCode = await work;
  } catch (e) {
    process.exitCode = reportFailure(e);
  }
}

await main(process.argv);
