import type { MarcError } from '../errors.js';
import type { Progress } from './progress.js';

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

  tell(progress: Progress): void {
    if (this.#records === 0) return;
    const n = this.#records === 1 ? '1 record holds' : `${this.#records} records hold`;
    progress.log(`mrrc: hint: ${n} bytes MARC-8 does not map (E302); if the file is in another character set, name it with --encoding (windows-1251, iso-8859-1, ibm866, …)`);
  }
}
