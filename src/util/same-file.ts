import { statSync } from 'node:fs';

/**
 * True when both paths name one existing file (hard links and symlinks included). Opening an
 * output truncates it before a byte of the input is read, so an output that is the input would
 * destroy it.
 */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** The message for an output that is the input: `${what} is the input file; …`. */
export function overwritesInput(what: string): string {
  return `${what} is the input file; writing it would destroy what is being read (write elsewhere, then move it)`;
}
