/**
 * ES2024's String.prototype.isWellFormed and toWellFormed: Node 20 has them, our lib setting
 * (ES2023) does not declare them.
 */
interface WellFormedness {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Whether `text` holds no half of a surrogate pair (one-byte strings answer at once). */
export function isWellFormed(text: string): boolean {
  return (text as unknown as WellFormedness).isWellFormed();
}

/** `text` with U+FFFD for each half of a surrogate pair. */
export function toWellFormed(text: string): string {
  return (text as unknown as WellFormedness).toWellFormed();
}
