import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI as a user runs it: a spawned process (from source, through tsx). */
export const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface Run<T> {
  status: number | null;
  stdout: T;
  stderr: string;
}

function run(args: string[], input: Buffer | undefined): Run<Buffer> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { input, maxBuffer: 1 << 28 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** Runs `mrrc args…`; standard output as text. */
export function mrrc(args: string[], input?: Buffer): Run<string> {
  const result = run(args, input);
  return { ...result, stdout: result.stdout.toString('utf8') };
}

/** Runs `mrrc args…`; standard output as bytes (ISO 2709 output). */
export function mrrcBytes(args: string[], input?: Buffer): Run<Buffer> {
  return run(args, input);
}

/**
 * `records` (ISO 2709) with an unreadable record after the first: data but no directory entry to
 * hold it (E107), so lenient mode stops there (exit 1), with one record read before it.
 */
export function withUnreadableSecond(records: Buffer): Buffer {
  const end = records.indexOf(0x1d) + 1;
  const unreadable = Buffer.from('00029nam a2200025   4500\x1eabc\x1d', 'latin1');
  return Buffer.concat([records.subarray(0, end), unreadable, records.subarray(end)]);
}
