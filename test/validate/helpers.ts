// Shared by the validation tests: building data fields briefly, and listing issues compactly.
import { DataField } from '../../src/record/field.js';
import type { ValidationIssue } from '../../src/validate/index.js';

/** `df('245', '10', 'a', 'Title', 'c', 'Author')`: a data field from indicators and code/value pairs. */
export function df(tag: string, ind: string, ...pairs: string[]): DataField {
  const subfields = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) subfields.push({ code: pairs[i]!, value: pairs[i + 1]! });
  return new DataField(tag, ind.charAt(0) || ' ', ind.charAt(1) || ' ', subfields);
}

/** Each issue as `CODE TAG`. */
export function codes(issues: ValidationIssue[]): string[] {
  return issues.map((i) => `${i.code} ${i.tag ?? ''}`.trim());
}
