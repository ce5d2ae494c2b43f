import type { MarcError } from '../errors.js';

/** One line per problem: what a cataloguer needs to find the record again. */
export function describeError(error: MarcError): string {
  return `mrrc: ${error.message}`;
}
