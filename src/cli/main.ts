#!/usr/bin/env node
/**
 * The `mrrc` command line. Exit codes: 0 ok, 1 records had errors, 2 usage or unreadable input.
 */

import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { MarcError, type Mode } from '../errors.js';
import { readResultsSync } from '../io/sync.js';
import type { ReadResult } from '../iso2709/reader.js';

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

const VERSION = packageVersion();

interface ReadFlags {
  mode: Mode;
  encoding: string;
}

class Output {
  #buffer = '';
  write(text: string): void {
    this.#buffer += text;
    if (this.#buffer.length > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.#buffer.length === 0) return;
    try {
      // Sync writes keep ordering with stderr and are what a pipeline into `head` expects.
      process.stdout.write(this.#buffer);
    } finally {
      this.#buffer = '';
    }
  }
}

function readInput(input: string | undefined, flags: ReadFlags): Iterable<ReadResult> {
  const source = input === undefined || input === '-' ? new Uint8Array(readFileSync(0)) : input;
  return readResultsSync(source, { mode: flags.mode, encoding: flags.encoding });
}

function reportSkipped(result: ReadResult): void {
  for (const error of result.errors) process.stderr.write(`mrrc: ${error.message}\n`);
}

function addReadOptions(command: Command): Command {
  return command
    .addOption(new Option('-m, --mode <mode>', 'how to treat bad records').choices(['strict', 'lenient', 'permissive']).default('lenient'))
    .option('-e, --encoding <name>', "character set: auto (leader/09), utf-8, marc-8, or a legacy name such as windows-1251", 'auto');
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mrrc')
    .description('Read, check and convert MARC 21 records (ISO 2709).')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();

  addReadOptions(
    program
      .command('dump')
      .description('print records as text, one line per field (the line format of yaz-marcdump)')
      .argument('[input]', 'ISO 2709 file; - or absent for standard input')
      .addHelpText('after', '\nExamples:\n  mrrc dump samples/loc-sample.mrc\n  cat records.mrc | mrrc dump --mode permissive | less'),
  ).action((input: string | undefined, flags: ReadFlags) => {
    const out = new Output();
    let errors = 0;
    for (const result of readInput(input, flags)) {
      if (result.record === null) {
        errors++;
        reportSkipped(result);
        continue;
      }
      for (const error of result.record.errors) {
        errors++;
        process.stderr.write(`mrrc: ${error.message}\n`);
      }
      // yaz-marcdump ends every record with a blank line; scripts diff against it.
      out.write(result.record.toString() + '\n');
    }
    out.flush();
    process.exitCode = errors > 0 ? 1 : 0;
  });

  addReadOptions(
    program
      .command('count')
      .description('count records')
      .argument('[input]', 'ISO 2709 file; - or absent for standard input')
      .option('--json', 'print a JSON object'),
  ).action((input: string | undefined, flags: ReadFlags & { json?: boolean }) => {
    let records = 0;
    let skipped = 0;
    let repaired = 0;
    for (const result of readInput(input, flags)) {
      if (result.record === null) {
        skipped++;
        reportSkipped(result);
      } else {
        records++;
        if (result.record.errors.length > 0) repaired++;
      }
    }
    process.stdout.write(flags.json === true ? JSON.stringify({ records, repaired, skipped }) + '\n' : `${records}\n`);
    process.exitCode = skipped + repaired > 0 ? 1 : 0;
  });

  return program;
}

export function main(argv: string[]): void {
  // `mrrc dump big.mrc | head` closes our stdout early: that is success, not a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const program = buildProgram();
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof MarcError) {
      process.stderr.write(`mrrc: ${e.message}\n`);
      process.exitCode = e.code === 'E007' ? 2 : 1;
      return;
    }
    throw e;
  }
}

main(process.argv);
