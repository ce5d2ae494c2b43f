/**
 * Validation codes. Structural problems keep the MarcError code the readers use for the same
 * fault (E002 leader value, E201 indicator, E202 subfield code, E30x encoding), so a strict read
 * and a validation report agree; rule violations that only MARC 21's content designation makes
 * (a subfield the field does not define, a repeated non-repeatable field) get V codes. A code
 * never changes meaning once released.
 */

import type { Severity } from '../errors.js';

export interface ValidationCodeInfo {
  readonly slug: string;
  readonly severity: Severity;
  readonly summary: string;
}

export const VALIDATION_CODES = {
  E002: { slug: 'leader_invalid', severity: 'error', summary: 'a leader position holds a value MARC 21 does not define for this record type' },
  E201: { slug: 'invalid_indicator', severity: 'error', summary: 'an indicator is not a digit, lowercase letter or blank, or not a value MARC 21 defines for the tag' },
  E202: { slug: 'bad_subfield_code', severity: 'error', summary: 'a subfield code is not a printable ASCII character' },
  E301: { slug: 'utf8_invalid', severity: 'error', summary: 'bytes that are not valid UTF-8 (found on read)' },
  E302: { slug: 'marc8_invalid', severity: 'error', summary: 'MARC-8 text that cannot be decoded (found on read)' },
  E303: { slug: 'encoding_mismatch', severity: 'warning', summary: 'leader/09 does not describe the bytes (found on read)' },
  E305: { slug: 'control_character', severity: 'error', summary: "a control character (U+0000-U+001F) in a field's text, which MARC 21 does not allow" },
  V101: { slug: 'invalid_tag', severity: 'error', summary: 'a tag is not three ASCII digits or letters' },
  V102: { slug: 'undefined_tag', severity: 'warning', summary: 'a tag MARC 21 (or the schema given to validate) does not define and that is not in a local range (9XX, X9X)' },
  V103: { slug: 'field_not_repeatable', severity: 'error', summary: 'a non-repeatable field occurs more than once' },
  V104: { slug: 'field_kind_mismatch', severity: 'error', summary: 'a control field tag holds subfields, or a data field tag holds control data' },
  V105: { slug: 'missing_required_field', severity: 'error', summary: 'a field the schema marks required (Avram field "required") is missing from the record' },
  V301: { slug: 'undefined_subfield', severity: 'error', summary: 'a subfield code the field does not define' },
  V302: { slug: 'obsolete_subfield', severity: 'warning', summary: 'a subfield code MARC 21 made obsolete in this field' },
  V303: { slug: 'subfield_not_repeatable', severity: 'error', summary: 'a non-repeatable subfield occurs more than once in a field' },
  V304: { slug: 'no_subfields', severity: 'error', summary: 'a data field without subfields' },
  V305: { slug: 'empty_subfield', severity: 'warning', summary: 'a subfield with no data' },
  V306: { slug: 'data_before_first_subfield', severity: 'error', summary: 'text between the indicators and the first subfield delimiter' },
  V307: { slug: 'missing_required_subfield', severity: 'error', summary: 'a field lacks a subfield the schema marks required (Avram subfield "required")' },
  V308: { slug: 'subfield_pattern_mismatch', severity: 'error', summary: 'a subfield value does not match the pattern the schema gives for it' },
  V309: { slug: 'subfield_value_undefined', severity: 'warning', summary: 'a subfield value that is not in the codelist the schema gives for it' },
  V310: { slug: 'subfield_value_deprecated', severity: 'warning', summary: 'a subfield value the schema lists as a deprecated code' },
  V401: { slug: 'fixed_field_length', severity: 'error', summary: '008 (or 006) is not the length MARC 21 defines for the record type' },
  V402: { slug: 'fixed_field_value', severity: 'warning', summary: 'a coded 008 position holds a value MARC 21 does not define for the material type' },
  V403: { slug: 'fixed_field_obsolete', severity: 'warning', summary: 'a coded 008 position holds a value MARC 21 made obsolete' },
  V404: { slug: 'missing_fixed_field', severity: 'warning', summary: 'the record has no 008' },
  V405: { slug: 'position_value', severity: 'warning', summary: 'a control-field position holds a value its schema positions do not allow (codes or pattern)' },
  V406: { slug: 'position_value_deprecated', severity: 'warning', summary: 'a control-field position holds a value its schema positions list as deprecated' },
  V501: { slug: 'isbn_check_digit', severity: 'error', summary: 'an ISBN (020 $a) whose check digit is wrong' },
  V502: { slug: 'isbn_format', severity: 'error', summary: 'an ISBN (020 $a) that is not 10 or 13 digits' },
  V503: { slug: 'issn_check_digit', severity: 'error', summary: 'an ISSN (022 $a, $l) whose check digit is wrong' },
  V504: { slug: 'issn_format', severity: 'error', summary: 'an ISSN (022 $a, $l) that is not NNNN-NNNC' },
  V601: { slug: 'linkage_malformed', severity: 'error', summary: 'a $6 that is not tag-occurrence[/script[/orientation]]' },
  V602: { slug: 'linkage_dangling', severity: 'error', summary: 'a $6 link with no counterpart (a regular field without its 880, an 880 without its field)' },
  V603: { slug: 'linkage_duplicate', severity: 'error', summary: 'two fields claim the same $6 link' },
  V604: { slug: 'linkage_target', severity: 'error', summary: 'a regular field whose $6 links to a tag other than 880' },
} as const satisfies { readonly [code: string]: ValidationCodeInfo };

export type ValidationCode = keyof typeof VALIDATION_CODES;
