/**
 * How the ISO 2709 parser reaches the MARC 21 checks behind `validation: 'marc21'` without
 * importing them: validate.ts pulls in 165 KB of generated rule tables, ~20 ms to load, which
 * every worker and every CLI start paid for an option the CLI never sets. validate.ts fills this
 * slot as it loads; the package's entry loads it, and a worker loads it before a task that asks
 * for the checks. The parser refuses the option rather than skip the checks when the slot is empty.
 */
import type { checkIndicators, checkLeaderValues } from './validate.js';

export interface Marc21Checks {
  checkLeaderValues: typeof checkLeaderValues;
  checkIndicators: typeof checkIndicators;
}

let installed: Marc21Checks | null = null;

export function installMarc21Checks(checks: Marc21Checks): void {
  installed = checks;
}

export function marc21Checks(): Marc21Checks {
  if (installed === null) throw new Error("validation: 'marc21' needs mrrc's validate module, which was not loaded (import the checks from the package entry, 'mrrc')");
  return installed;
}
