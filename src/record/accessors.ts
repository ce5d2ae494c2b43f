/**
 * pymarc's convenience accessors, with pymarc 5's exact rules.
 *
 * People move between pymarc and mrrc with the same records, so every accessor answers what
 * pymarc 5 answers for the same record, quirks included: each looks at the *first* field of its
 * tag only (a second 020 is never consulted by `isbn`), values are returned as catalogued (no
 * trimming, ISBD punctuation kept), and the field lists are pymarc's fixed tag lists rather than
 * whole hundreds (a 653 is a subject, a 649 is not). Where pymarc returns `None`, these return
 * `undefined`. The one accessor pymarc lacks, `isbns`, is marked as an mrrc extension.
 *
 * `Record` exposes each of these as a getter (`record.title`, `record.isbns`, …).
 */
import type { Record } from './record.js';
import type { DataField, Field } from './field.js';

/** pymarc's `isbn_regex`: the first run of digits, hyphens and x/X is the number. */
const ISBN_PATTERN = /[0-9\-xX]+/;

/** pymarc 5's `Record.subjects` tag list (690-699 are local but common in OCLC/RLIN records). */
export const SUBJECT_TAGS: readonly string[] = [
  '600', '610', '611', '630', '648', '650', '651', '653', '654', '655',
  '656', '657', '658', '662', '690', '691', '696', '697', '698', '699',
];

/** pymarc 5's `Record.addedentries` tag list (790-799 are local but common). */
export const ADDED_ENTRY_TAGS: readonly string[] = [
  '700', '710', '711', '720', '730', '740', '752', '753', '754', '790',
  '791', '792', '793', '796', '797', '798', '799',
];

/** pymarc 5's `Record.notes` tag list: the defined 5XX notes plus local 590-599. */
export const NOTE_TAGS: readonly string[] = [
  '500', '501', '502', '504', '505', '506', '507', '508', '510', '511',
  '513', '514', '515', '516', '518', '520', '521', '522', '524', '525',
  '526', '530', '533', '534', '535', '536', '538', '540', '541', '544',
  '545', '546', '547', '550', '552', '555', '556', '561', '562', '563',
  '565', '567', '580', '581', '583', '584', '585', '586', '590', '591',
  '592', '593', '594', '595', '596', '597', '598', '599',
];

/** pymarc 5's `Record.series` tag list: 440 (obsolete), 490 and the 8XX series added entries. */
export const SERIES_TAGS: readonly string[] = ['440', '490', '800', '810', '811', '830'];

/**
 * The first field with `tag` when it is a data field. pymarc's `record.get(tag)` never skips
 * ahead to a later field, and subfield lookups on a control field give `None`, so a control
 * field under a data tag answers undefined here rather than a later field's value.
 */
function firstDataField(record: Record, tag: string): DataField | undefined {
  const field = record.get(tag);
  return field !== undefined && field.isDataField() ? field : undefined;
}

/**
 * pymarc's title/subtitle join: `$a`, then a space and `$b` when both are non-empty. An empty
 * `$a` is returned as the empty string (pymarc returns it unchanged); a missing one is undefined,
 * even when `$b` is present.
 */
function joinAB(field: DataField | undefined): string | undefined {
  if (field === undefined) return undefined;
  const a = field.get('a');
  if (!a) return a;
  const b = field.get('b');
  return b ? `${a} ${b}` : a;
}

/** The ISBN in `value` as pymarc cleans it: the first run of `[0-9xX-]`, hyphens removed. */
export function cleanIsbn(value: string): string | undefined {
  const match = ISBN_PATTERN.exec(value);
  return match === null ? undefined : match[0].replaceAll('-', '');
}

/**
 * Title: the first 245's `$a`, followed by a space and its `$b` when both are non-empty
 * (`"Foo :"` + `"bar"` → `"Foo : bar"`). No trimming, `$c`/`$n`/`$p` ignored. Undefined when there
 * is no 245 or it has no `$a`.
 */
export function title(record: Record): string | undefined {
  return joinAB(firstDataField(record, '245'));
}

/**
 * Key title (pymarc `issn_title`): the first 222's `$a`, plus a space and `$b` when both are
 * non-empty, exactly as `title` does for 245. Undefined when there is no 222 or no `$a`.
 */
export function issnTitle(record: Record): string | undefined {
  return joinAB(firstDataField(record, '222'));
}

/**
 * Author: `formatField()` of the first 100; if the record has no 100, of the first 110; then of
 * the first 111. The tag order wins over record order (a 100 after a 110 is still chosen).
 * Subfields are joined with spaces, `$6` dropped. Undefined when none of the three is present.
 */
export function author(record: Record): string | undefined {
  const field = record.get('100') ?? record.get('110') ?? record.get('111');
  return field?.formatField();
}

/**
 * Uniform title (pymarc `uniformtitle`): `formatField()` of the first 130, else of the first 240.
 * Undefined when neither is present.
 */
export function uniformTitle(record: Record): string | undefined {
  const field = record.get('130') ?? record.get('240');
  return field?.formatField();
}

/**
 * ISBN: the first 020's first `$a`, cleaned: the first run of digits, hyphens and x/X in it,
 * hyphens removed (`"ISBN-978-1416566113"` → `"9781416566113"`, `"0456789012 (reel 1)"` →
 * `"0456789012"`). Only the first 020 is looked at: when it has no `$a` (say only a `$z`), or the
 * `$a` has no digits, the answer is undefined even if a later 020 has one; use `isbns` for those.
 */
export function isbn(record: Record): string | undefined {
  const value = firstDataField(record, '020')?.get('a');
  if (!value) return undefined;
  return cleanIsbn(value);
}

/**
 * Every ISBN (mrrc extension; pymarc has only `isbn`): each `$a` of every 020, in record order,
 * cleaned as `isbn` cleans it. `$z` (cancelled/invalid ISBNs) is not included, nor are `$a`
 * values with no digits. Duplicates are kept, as catalogued.
 */
export function isbns(record: Record): string[] {
  const out: string[] = [];
  for (const value of record.getSubfieldValues('020', 'a')) {
    const cleaned = cleanIsbn(value);
    if (cleaned !== undefined) out.push(cleaned);
  }
  return out;
}

/**
 * ISSN: the first 022's first `$a`, as catalogued (hyphen kept, no cleaning). Undefined when
 * there is no 022 or it has no `$a`; a later 022 is not consulted.
 */
export function issn(record: Record): string | undefined {
  return firstDataField(record, '022')?.get('a');
}

/** ISSN-L (pymarc `issnl`): the first 022's first `$l`, as catalogued. */
export function issnl(record: Record): string | undefined {
  return firstDataField(record, '022')?.get('l');
}

/**
 * Publisher: walks the 260 and 264 fields in record order and answers from the first that
 * qualifies: any 260, or a 264 whose second indicator is `1` (publication; 264 with ind2 0, 2, 3
 * or 4 is production, distribution, manufacture or copyright, and is skipped). The answer is that
 * field's first `$b`, or undefined when that field has no `$b`; later fields are not consulted.
 */
export function publisher(record: Record): string | undefined {
  return fromPublicationField(record, 'b');
}

/**
 * Publication year: the first `$c` of the same field `publisher` chooses (the first 260, or 264
 * with second indicator `1`, in record order), as catalogued: `"c1977."`, `"1955."`,
 * `"[2001?]"`. No year is extracted from the text and 008/07-10 is not used.
 */
export function pubyear(record: Record): string | undefined {
  return fromPublicationField(record, 'c');
}

function fromPublicationField(record: Record, code: string): string | undefined {
  for (const field of record.getFields('260', '264')) {
    if (field.tag === '260') return field.isDataField() ? field.get(code) : undefined;
    if (field.isDataField() && field.ind2 === '1') return field.get(code);
  }
  return undefined;
}

/**
 * Subject fields, in record order: pymarc's fixed list 600, 610, 611, 630, 648, 650, 651, 653,
 * 654, 655, 656, 657, 658, 662 and the local 690, 691, 696-699. Other 6XX tags (e.g. 647, 649,
 * 688, 692) are not included; use `record.getFields('6XX')` for every 6XX.
 */
export function subjects(record: Record): Field[] {
  return record.getFields(...SUBJECT_TAGS);
}

/**
 * Note fields, in record order: pymarc's fixed list of 5XX notes, 500-586 plus local 590-599
 * (see `NOTE_TAGS`). It predates some notes: 542 (copyright status) and 588 (source of
 * description) are not included; use `record.getFields('5XX')` for every 5XX.
 */
export function notes(record: Record): Field[] {
  return record.getFields(...NOTE_TAGS);
}

/**
 * Series fields, in record order: 440 (series statement/added entry, obsolete since 2008), 490
 * (series statement) and the series added entries 800, 810, 811, 830.
 */
export function series(record: Record): Field[] {
  return record.getFields(...SERIES_TAGS);
}

/** Physical description fields (every 300), in record order. */
export function physicalDescription(record: Record): Field[] {
  return record.getFields('300');
}

/** Location fields (every 852), in record order. */
export function location(record: Record): Field[] {
  return record.getFields('852');
}

/**
 * Added entry fields, in record order: pymarc's fixed list 700, 710, 711, 720, 730, 740, 752,
 * 753, 754 and the local 790-793, 796-799. Linking entries (76X-78X) and 758 are not included.
 */
export function addedEntries(record: Record): Field[] {
  return record.getFields(...ADDED_ENTRY_TAGS);
}

/**
 * SuDoc (Superintendent of Documents classification): `formatField()` of the first 086, i.e.
 * all its subfields joined with spaces (`$2` included), not just `$a`. Undefined without an 086.
 */
export function sudoc(record: Record): string | undefined {
  return record.get('086')?.formatField();
}
