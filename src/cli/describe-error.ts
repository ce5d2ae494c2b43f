import type { MarcError } from '../errors.js';

/** One line per problem: what a cataloguer needs to find the record again. */
export function describeError(error: MarcError): string {
  // The writer names its library option; here the flag that sets it is what helps.
  const message = error.code === 'E404' ? error.message.replace("write with oversize: 'truncate-length'", 'convert with --oversize truncate-length') : error.message;
  return `mrrc: ${message}`;
}
