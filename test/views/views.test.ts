import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Record } from '../../src/record/record.js';
import { ControlField, DataField } from '../../src/record/field.js';
import { readRecordsSync } from '../../src/index.js';
import {
  authority,
  HEADING_TAGS,
  holdings,
  isAuthority,
  isHoldings,
  readAuthorityRecordsSync,
  readHoldingsRecordsSync,
  RecordTypeError,
} from '../../src/views/index.js';
import { fixture } from '../helpers.js';

function df(tag: string, ind: string, ...pairs: string[]): DataField {
  const subfields = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) subfields.push({ code: pairs[i]!, value: pairs[i + 1]! });
  return new DataField(tag, ind.charAt(0) || ' ', ind.charAt(1) || ' ', subfields);
}

describe('authority view', () => {
  test('every one of the 5,000 LC authority records yields a heading of a known type', () => {
    const counts = new Map<string, number>();
    let n = 0;
    for (const view of readAuthorityRecordsSync(fixture('folio/5000.mrc'))) {
      const heading = view.heading;
      assert.ok(heading !== undefined, `record ${n} (${view.controlNumber}) has no heading`);
      assert.ok((HEADING_TAGS as readonly string[]).includes(heading.tag), heading.tag);
      assert.ok(heading.text.length > 0);
      counts.set(heading.type, (counts.get(heading.type) ?? 0) + 1);
      assert.equal(view.fixedData?.complete, true);
      n++;
    }
    assert.equal(n, 5000);
    // The tag counts of the file: 4709 × 150, 248 × 151, 29 × 110, 14 × 100.
    assert.deepEqual(Object.fromEntries(counts), { 'topical-term': 4709, 'geographic-name': 248, 'corporate-name': 29, 'personal-name': 14 });
  });

  test('heading, tracings, source data and 008 of one record', () => {
    const records = [...readRecordsSync(fixture('folio/5000.mrc'))];
    const view = authority(records.find((r) => r.getValue('150', 'a') === 'Mass media and globalization')!);
    assert.equal(view.heading?.text, 'Mass media and globalization');
    assert.equal(view.headingType, 'topical-term');
    assert.deepEqual(view.seeFrom.map((t) => [t.tag, t.type, t.text]), [['450', 'topical-term', 'Globalization and mass media']]);
    assert.deepEqual(view.seeAlso.map((t) => [t.tag, t.text, t.control]), [['550', 'Globalization', 'g']]);
    assert.deepEqual(view.sourceDataFound.map((s) => s.citation), ['Work cat.: 2009016086: Media events in a global age, 2009.']);
    const fixed = view.fixedData!;
    assert.equal(fixed.dateEnteredOnFile, '090521');
    assert.deepEqual(fixed.kindOfRecord, { code: 'a', label: 'Established heading' });
    assert.deepEqual(fixed.subjectHeadingSystem, { code: 'a', label: 'Library of Congress Subject Headings' });
    assert.deepEqual(fixed.levelOfEstablishment, { code: 'a', label: 'Fully established' });
    assert.equal(fixed.subjectAddedEntryUse.code, 'a');
  });

  test('675, notes and 7XX linking entries across the file', () => {
    let notFound = 0;
    let linking = 0;
    let nonpublic = 0;
    for (const view of readAuthorityRecordsSync(fixture('folio/5000.mrc'))) {
      notFound += view.sourceDataNotFound.length;
      for (const entry of view.linkingEntries) {
        linking++;
        assert.equal(entry.tag, '781');
        assert.equal(entry.type, 'geographic-subdivision');
      }
      nonpublic += view.notes.filter((n) => n.kind === 'nonpublic-general').length;
    }
    assert.ok(notFound >= 75, String(notFound));
    assert.equal(linking, 118);
    assert.equal(nonpublic, 3900);
  });

  test('subdivisions display after " -- "', () => {
    const record = new Record({
      leader: '00000cz  a2200000n  4500',
      fields: [df('150', '  ', 'a', 'Art', 'x', 'History', 'y', '20th century', '0', 'http://id.loc.gov/x'), df('450', '  ', 'w', 'nne', 'a', 'Art history', 'i', 'See:')],
    });
    const view = authority(record);
    assert.equal(view.heading?.text, 'Art -- History -- 20th century');
    assert.deepEqual(view.heading?.identifiers, ['http://id.loc.gov/x']);
    assert.deepEqual(view.seeFrom.map((t) => [t.text, t.control, t.relationship]), [['Art history', 'nne', 'See:']]);
  });

  test('name authority records of the mrrc testbed', () => {
    let n = 0;
    for (const view of readAuthorityRecordsSync(fixture('mrrc-testbed/authority/sample.mrc'), { mode: 'lenient' })) {
      assert.ok(view.heading !== undefined, `record ${n}`);
      n++;
    }
    assert.equal(n, 150);
  });

  test('the wrong record type is a clear error', () => {
    assert.throws(() => [...readAuthorityRecordsSync(fixture('pymarc/test.dat'))], (e: unknown) => {
      assert.ok(e instanceof RecordTypeError);
      assert.equal(e.recordIndex, 0);
      assert.equal(e.found, 'a');
      assert.deepEqual(e.expected, ['z']);
      assert.match(e.message, /E108 wrong_record_type: expected an authority record \(leader\/06 'z'\), but leader\/06 is 'a' \(Language material\) \(record 0, 001/);
      return true;
    });
    const bib = new Record({ leader: '00000cam a2200000 a 4500' });
    assert.equal(isAuthority(bib), false);
    assert.throws(() => holdings(bib), /expected a holdings record \(leader\/06 'u', 'v', 'x', 'y'\)/);
  });
});

/** A serial holdings record built after the examples of LC's holdings format (853/863 pairs). */
function serialHoldings(): Record {
  return new Record({
    leader: '00000cy  a22000003  4500',
    fields: [
      new ControlField('001', 'h1'),
      new ControlField('004', 'b123'),
      new ControlField('008', '9502014p    8   4001aa   0950201'),
      df('852', '01', 'a', 'DLC', 'b', 'Main', 'c', 'Stacks', 'h', 'QA76', 'i', '.J6', 't', '1', 'z', 'Latest year in reading room'),
      df('853', '20', '8', '1', 'a', 'v.', 'b', 'no.', 'u', '12', 'v', 'r', 'i', '(year)', 'j', '(month)', 'w', 'm'),
      df('863', '40', '8', '1.1', 'a', '1-10', 'b', '1-12', 'i', '1990-1999'),
      df('863', '41', '8', '1.2', 'a', '12', 'i', '2001', 'z', 'Lacks no. 3'),
      df('854', '00', '8', '2', 'a', 'suppl.'),
      df('864', '40', '8', '2.1', 'a', '1-3'),
      df('865', '40', '8', '9.1', 'a', '1'),
      df('866', '31', '8', '0', 'a', 'v.1-10 (1990-1999), v.12 (2001)', 'z', 'Some issues missing'),
      df('867', '30', '8', '0', 'a', 'Supplements 1-3'),
      df('876', '  ', 'a', 'i111', 'p', '39999000001', 't', '1', 'j', 'available', 'c', '$10.00', '3', 'v.1'),
      df('877', '  ', 'p', '39999000002'),
    ],
  });
}

describe('holdings view', () => {
  test('locations, captions paired with enumerations, textual holdings and items', () => {
    const view = holdings(serialHoldings());
    const [location] = view.locations;
    assert.equal(location?.institution, 'DLC');
    assert.deepEqual(location?.sublocations, ['Main']);
    assert.deepEqual(location?.shelvingLocations, ['Stacks']);
    assert.equal(location?.callNumber, 'QA76 .J6');
    assert.equal(location?.copyNumber, '1');
    assert.deepEqual(location?.publicNotes, ['Latest year in reading room']);

    assert.deepEqual(view.captions.map((c) => [c.field.tag, c.unit, c.link, c.levels.map((l) => `${l.code}=${l.caption}`).join(' '), c.frequency]), [
      ['853', 'basic', '1', 'a=v. b=no. i=(year) j=(month)', 'm'],
      ['854', 'supplement', '2', 'a=suppl.', undefined],
    ]);
    const enumerations = view.enumerations;
    assert.deepEqual(enumerations.map((e) => [e.field.tag, e.link, e.sequence, e.caption?.field.tag, e.display]), [
      ['863', '1', '1', '853', 'v.1-10:no.1-12 (1990-1999)'],
      ['863', '1', '2', '853', 'v.12 (2001)'],
      ['864', '2', '1', '854', 'suppl.1-3'],
      ['865', '9', '1', undefined, '1'],
    ]);
    assert.deepEqual(enumerations[1]?.publicNotes, ['Lacks no. 3']);
    assert.deepEqual(view.problems.map((p) => p.message), ['865 $8 "9.1" has no 855 with link number "9"']);

    assert.deepEqual(view.textualHoldings.map((t) => [t.unit, t.text, t.publicNotes]), [
      ['basic', 'v.1-10 (1990-1999), v.12 (2001)', ['Some issues missing']],
      ['supplement', 'Supplements 1-3', []],
    ]);
    assert.deepEqual(view.items.map((i) => [i.unit, i.internalNumber, i.pieceDesignations, i.copyNumber, i.statuses, i.costs, i.materialsSpecified]), [
      ['basic', 'i111', ['39999000001'], '1', ['available'], ['$10.00'], 'v.1'],
      ['supplement', undefined, ['39999000002'], undefined, [], [], undefined],
    ]);
    assert.equal(view.bibliographicControlNumber, 'b123');
  });

  test('holdings 008 as typed values', () => {
    const fixed = holdings(serialHoldings()).fixedData!;
    assert.equal(fixed.complete, true);
    assert.equal(fixed.dateEnteredOnFile, '950201');
    assert.deepEqual(fixed.receiptOrAcquisitionStatus, { code: '4', label: 'Currently received' });
    assert.deepEqual(fixed.methodOfAcquisition, { code: 'p', label: 'Purchase' });
    assert.equal(fixed.expectedAcquisitionEndDate, '    ');
    assert.deepEqual(fixed.generalRetentionPolicy, { code: '8', label: 'Permanently retained' });
    assert.deepEqual(fixed.completeness, { code: '4', label: 'Not applicable' });
    assert.equal(fixed.numberOfCopiesReported, '001');
    assert.deepEqual(fixed.lendingPolicy, { code: 'a', label: 'Will lend' });
    assert.deepEqual(fixed.reproductionPolicy, { code: 'a', label: 'Will reproduce' });
    assert.equal(fixed.language, '   ');
    assert.deepEqual(fixed.separateOrCompositeCopyReport, { code: '0', label: 'Separate copy report' });
    assert.equal(fixed.dateOfReport, '950201');
  });

  test('the mrrc holdings fixture reads as a holdings record', () => {
    const views = [...readHoldingsRecordsSync(fixture('mrrc/simple_holdings.mrc'), { mode: 'lenient' })];
    assert.equal(views.length, 1);
    assert.equal(views[0]!.record.leader.recordType, 'x');
    assert.equal(isHoldings(views[0]!.record), true);
    assert.deepEqual(views[0]!.locations, []);
    // Its 008 is an authority-style 008 of 40 characters, not the 32 of holdings.
    assert.equal(views[0]!.fixedData?.complete, false);
  });

  test('holdings readers reject authority records', () => {
    assert.throws(() => [...readHoldingsRecordsSync(fixture('mrrc/simple_authority.mrc'), { mode: 'lenient' })], (e: unknown) => {
      assert.ok(e instanceof RecordTypeError);
      assert.equal(e.found, 'z');
      assert.match(e.message, /leader\/06 is 'z' \(Authority data\)/);
      return true;
    });
  });
});
