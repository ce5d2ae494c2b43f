import { MarcError } from '../errors.js';
import type { Progress } from './progress.js';

/** The hint for the error that stopped the run, said after it (main's reportFailure). */
let failureHint: string | null = null;

/** Takes the hint `EncodingHint.stoppedBy` left for the error that stopped the run. */
export function takeFailureHint(): string | null {
  const hint = failureHint;
  failureHint = null;
  return hint;
}

/**
 * Counts records holding bytes MARC-8 does not map (E302) while the character set was guessed
 * from leader/09, and says once, at the end, how to name the right one: a file in windows-1251 or
 * Latin-1 with leader/09 blank gives an E302 per field and nothing else to go on.
 */
export class EncodingHint {
  readonly #guessed: boolean;
  #records = 0;

  constructor(encoding: string | undefined) {
    this.#guessed = encoding === undefined || encoding === 'auto';
  }

  see(errors: readonly MarcError[]): void {
    if (this.#guessed && errors.some((e) => e.code === 'E302')) this.#records++;
  }

  /**
   * The run stopped at `error`: strict mode stops at the first E302, before any count, and the
   * error itself is printed after everything here, so its hint waits to follow it.
   */
  stoppedBy(error: unknown): void {
    if (this.#guessed && error instanceof MarcError && error.code === 'E302') failureHint = `mrrc: hint: this record holds ${ADVICE}`;
  }

  tell(progress: Progress): void {
    if (this.#records === 0) return;
    const n = this.#records === 1 ? '1 record holds' : `${this.#records} records hold`;
    progress.log(`mrrc: hint: ${n} ${ADVICE}`);
  }
}

const ADVICE = 'bytes MARC-8 does not map (E302); if the file is in another character set, name it with --encoding (windows-1251, iso-8859-1, ibm866, …)';
