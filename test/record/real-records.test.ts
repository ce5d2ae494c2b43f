// The record model and the accessors on real records read from ISO 2709: the assertions other
// libraries make on these files (pymarc, ruby-marc; see the corpora README), and the accessors
// against pymarc 5's answers for 179 records.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRecordsSync, readResultsSync } from '../../src/iso2709/reader.js';
import type { Record } from '../../src/record/record.js';
import { DataField } from '../../src/record/field.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

function fixture(path: string): Uint8Array {
  return readFileSync(fixtures + path);
}

function records(path: string, mode: 'strict' | 'lenient' = 'strict'): Record[] {
  return [...readRecordsSync(fixture(path), { mode })];
}

function only(path: string): Record {
  const all = records(path);
  assert.equal(all.length, 1, `${path} has one record`);
  return all[0] as Record;
}

describe('pymarc test.dat (the "camel" records)', () => {
  const all = records('pymarc/test.dat');

  test('10 records; the first 245 $a (pymarc test_reader)', () => {
    assert.equal(all.length, 10);
    assert.equal(all[0]?.getValue('245', 'a'), 'ActivePerl with ASP and ADO /');
    assert.equal(all[0]?.get('245')?.formatField(), 'ActivePerl with ASP and ADO / Tobias Martinsson.');
  });

  test('accessors on the first two records', () => {
    const [first, second] = all as [Record, Record];
    assert.equal(first.title, 'ActivePerl with ASP and ADO /');
    assert.equal(first.author, 'Martinsson, Tobias, 1976-');
    assert.equal(first.isbn, '0471383147');
    assert.deepEqual(first.isbns, ['0471383147']);
    assert.equal(first.publisher, 'John Wiley & Sons,');
    assert.equal(first.pubyear, '2000.');
    assert.deepEqual(first.subjects.map((f) => f.formatField()), ['Perl (Computer program language)', 'Active server pages.', 'ActiveX.']);
    assert.deepEqual(first.physicalDescription.map((f) => f.formatField()), ['xxi, 289 p. : ill. ; 23 cm. + 1 computer  laser disc (4 3/4 in.)']);
    assert.deepEqual(first.notes.map(String), ['=500  \\\\$a"Wiley Computer Publishing."']);
    assert.equal(first.uniformTitle, undefined);
    assert.equal(first.issn, undefined);
    assert.equal(first.sudoc, undefined);

    assert.equal(second.title, 'Programming the Perl DBI /');
    assert.equal(second.author, 'Descartes, Alligator.');
    assert.equal(second.publisher, "O'Reilly,");
    assert.deepEqual(second.addedEntries.map(String), ['=700  1\\$aBunce, Tim.']);
  });

  test('every title, $b joined where there is one', () => {
    assert.deepEqual(all.map((r) => r.title), [
      'ActivePerl with ASP and ADO /',
      'Programming the Perl DBI /',
      "Perl : programmer's reference /",
      'Perl : the complete reference /',
      'CGI programming with Perl /',
      'Proceedings of the Perl Conference 4.0 : July 17-20, 2000, Monterey, California.',
      'Perl for system administration /',
      'Programming Perl /',
      "Perl programmer's interactive workbook /",
      'Cross-platform Perl /',
    ]);
    assert.equal(all[5]?.getValue('245', 'b'), 'July 17-20, 2000, Monterey, California.');
  });

  test('field order is the record\'s own (650 before 630 stays so)', () => {
    assert.deepEqual(all[0]?.getFields('6XX').map((f) => f.tag), ['650', '630', '630']);
  });

  test('the leaders are valid MARC 21 and describe as books', () => {
    for (const record of all) assert.deepEqual(record.leader.validate(), []);
    const described = all[0]?.leader.describe() ?? [];
    assert.deepEqual(described.map((d) => d.description), [
      'Corrected or revised',
      'Language material',
      'Monograph/Item',
      'No specified type',
      'MARC-8',
      'Core level',
      'AACR 2',
      'Not specified or not applicable',
    ]);
  });
});

describe('pymarc / ruby-marc one.dat', () => {
  const record = only('pymarc/one.dat');

  test('leader and 18 fields (ruby-marc)', () => {
    assert.equal(record.leader.value, '00755cam  22002414a 4500');
    assert.equal(record.fieldCount, 18);
    assert.equal(record.fields.length, 18);
  });

  test('245 as text', () => {
    const f245 = record.getDataField('245') as DataField;
    assert.equal(f245.dumpLine(), '245 10 $a ActivePerl with ASP and ADO / $c Tobias Martinsson.');
    assert.equal(f245.toString(), '=245  10$aActivePerl with ASP and ADO /$cTobias Martinsson.');
    assert.equal(f245.value(), 'ActivePerl with ASP and ADO / Tobias Martinsson.');
    assert.equal(record.getControlField('001')?.toString(), '=001  fol05731351\\');
  });

  test('getFields with patterns on a lazily read record', () => {
    assert.deepEqual(record.getFields('0XX').map((f) => f.tag), ['001', '003', '005', '008', '010', '020', '040', '042', '050', '082']);
    assert.deepEqual(record.getFields('63.', /^65/).map((f) => f.tag), ['650', '630', '630']);
    assert.equal(record.getSubfieldValues('630', 'a').join('|'), 'Active server pages.|ActiveX.');
  });

  test('JSON round trip of a record read from ISO 2709', async () => {
    const { Record: RecordClass } = await import('../../src/record/record.js');
    const json = JSON.parse(JSON.stringify(record));
    const again = RecordClass.fromJSON(json);
    assert.deepEqual(again.toJSON(), record.toJSON());
    assert.equal(again.title, record.title);
    assert.deepEqual(again.subjects.map(String), record.subjects.map(String));
  });

  test('edits keep record order', () => {
    const copy = record.clone();
    copy.addOrderedField(new DataField('490', '0', ' ', [{ code: 'a', value: 'Wiley computer publishing' }]));
    copy.removeFields('042');
    assert.deepEqual(copy.getFields('4XX', '5XX', '6XX').map((f) => f.tag), ['490', '500', '650', '630', '630']);
    assert.deepEqual(copy.series.map((f) => f.formatField()), ['Wiley computer publishing']);
    assert.equal(record.fieldCount, 18, 'the original is untouched');
  });
});

describe('pymarc multi_isbn.dat', () => {
  const record = only('pymarc/multi_isbn.dat');

  test('isbn is the first 020 only (pymarc test_multiple_isbn)', () => {
    assert.equal(record.isbn, '0914378287');
  });

  test('isbns has all three, cleaned', () => {
    assert.deepEqual(record.isbns, ['0914378287', '0914378295', '0914378260']);
    assert.deepEqual(record.getSubfieldValues('020', 'a'), ['0914378287 (v. 1)', '0914378295 (lim. ed.) (v. 1)', '0914378260 (pbk.) (v. 1)']);
  });

  test('other accessors', () => {
    assert.equal(record.title, 'The town scold /');
    assert.equal(record.author, 'Johnson, Judith Emlyn.');
    assert.equal(record.publisher, 'Countryman Press,');
    assert.equal(record.pubyear, 'c1977.');
    assert.deepEqual(record.series.map((f) => f.formatField()), ['Her Waste ; pt. 1']);
    assert.deepEqual(record.subjects, []);
  });
});

describe('pymarc regression45.dat', () => {
  // Its 752s carry a third character before the first delimiter; pymarc drops it with a warning.
  const all = records('pymarc/regression45.dat', 'lenient');

  test('12 records; 752 $a $b $d (pymarc test_regression45)', () => {
    assert.equal(all.length, 12);
    const f752 = all[0]?.getDataField('752') as DataField;
    assert.equal(f752.get('a'), 'Russian Federation');
    assert.equal(f752.get('b'), 'Kostroma Oblast');
    assert.equal(f752.get('d'), 'Kostroma');
  });

  test('752 is an added entry; the leader describes a graphic', () => {
    const record = all[0] as Record;
    assert.deepEqual(record.addedEntries.filter((f) => f.tag === '752').map((f) => f.formatField()), [
      'Russian Federation Kostroma Oblast Kostroma',
      'Russian Federation Volga River Region.',
    ]);
    assert.equal(record.leader.describe()[1]?.description, 'Two-dimensional nonprojectable graphic');
    assert.deepEqual(record.leader.validate(), []);
  });
});

describe('pymarc utf8_with_leader_flag.dat', () => {
  const record = only('pymarc/utf8_with_leader_flag.dat');

  test('uniform title from 240, with its accents', () => {
    assert.equal(record.uniformTitle?.normalize('NFC'), 'De la solitude à la communauté. English.');
    assert.equal(record.getValue('240', 'a')?.normalize('NFC'), 'De la solitude à la communauté.');
  });

  test('subjects include the MeSH 650s, in record order', () => {
    assert.deepEqual(record.subjects.map((f) => f.formatField()), ['Loneliness.', 'Self.', 'Social psychology.', 'Loneliness.', 'Social Isolation.']);
    assert.equal(record.isbn, undefined);
    assert.deepEqual(record.isbns, []);
  });

  test('the leader says UCS/Unicode', () => {
    assert.equal(record.leader.describe().find((d) => d.position === 9)?.description, 'UCS/Unicode');
  });
});

describe('folio 1.mrc (an RDA record with 264)', () => {
  const record = only('folio/1.mrc');

  test('publisher and year come from 264 second indicator 1', () => {
    assert.equal(record.getDataField('264')?.ind2, '1');
    assert.equal(record.getDataField('260'), undefined);
    assert.equal(record.publisher, 'Clarendon Press,');
    assert.equal(record.pubyear, '2012.');
  });

  test('isbns, series, notes', () => {
    assert.equal(record.isbn, '9780199577521');
    assert.deepEqual(record.isbns, ['9780199577521', '0199577528']);
    assert.deepEqual(record.series.map((f) => f.tag), ['490', '800']);
    assert.deepEqual(record.notes.map((f) => f.tag), ['504']);
    assert.equal(record.author, 'Barnes, Jonathan, 1942-');
    assert.deepEqual(record.addedEntries.map((f) => f.formatField()), ['Bonelli, Maddalena.']);
  });

  test('an OCLC encoding level is described as undefined and fails validation', () => {
    assert.equal(record.leader.encodingLevel, 'I');
    assert.equal(record.leader.describe().find((d) => d.position === 17)?.description, undefined);
    assert.deepEqual(record.leader.validate().map((p) => p.position), [17]);
  });
});

describe('LC authority records (mrrc-testbed)', () => {
  const all = records('mrrc-testbed/authority/sample.mrc');

  test('150 records, all with valid authority leaders', () => {
    assert.equal(all.length, 150);
    for (const record of all) {
      assert.equal(record.leader.recordType, 'z');
      assert.deepEqual(record.leader.validate(), [], record.leader.value);
    }
  });

  test('describe reads them as authority records', () => {
    const described = all[0]?.leader.describe() ?? [];
    assert.equal(described.find((d) => d.position === 6)?.description, 'Authority data');
    assert.equal(described.find((d) => d.position === 17)?.description, 'Complete authority record');
    assert.equal(described.find((d) => d.position === 18)?.name, 'Punctuation policy');
  });

  test('bibliographic accessors find nothing in an authority record', () => {
    const record = all[0] as Record;
    assert.equal(record.title, undefined);
    assert.equal(record.isbn, undefined);
    assert.deepEqual(record.series, []);
  });
});

describe('accessors against pymarc 5 on 179 real records', () => {
  // Expected values: pymarc 5's accessor code, transcribed, run over the same files (see NOTICE).
  interface Expected {
    file: string;
    index: number;
    [accessor: string]: unknown;
  }
  const expected = JSON.parse(readFileSync(fixtures + 'pymarc5-expected/accessors.json', 'utf8')) as Expected[];
  const scalar = ['title', 'issnTitle', 'isbn', 'issn', 'sudoc', 'author', 'uniformTitle', 'publisher', 'pubyear'] as const;
  const lists = ['subjects', 'addedEntries', 'notes', 'series', 'physicalDescription', 'location'] as const;

  const byFile = new Map<string, Map<number, Record>>();
  function recordAt(file: string, index: number): Record | undefined {
    let map = byFile.get(file);
    if (map === undefined) {
      map = new Map();
      for (const result of readResultsSync(readFileSync(fixtures + '../../' + file), { mode: 'lenient' })) {
        if (result.record !== null) map.set(result.recordIndex, result.record);
      }
      byFile.set(file, map);
    }
    return map.get(index);
  }

  test('the expectations cover the accessors that vary', () => {
    assert.equal(expected.length, 179);
    assert.ok(expected.some((e) => e.issn !== null));
    assert.ok(expected.some((e) => e.issnTitle !== null));
    assert.ok(expected.some((e) => e.sudoc !== null));
    assert.ok(expected.some((e) => e.uniformTitle !== null));
    assert.ok(expected.some((e) => e.isbn === null));
  });

  for (const file of [...new Set(expected.map((e) => e.file))]) {
    test(file, () => {
      for (const exp of expected.filter((e) => e.file === file)) {
        const record = recordAt(file, exp.index);
        assert.ok(record !== undefined, `${file} #${exp.index} was read`);
        for (const name of scalar) {
          assert.equal(record[name], exp[name] ?? undefined, `${file} #${exp.index} ${name}`);
        }
        for (const name of lists) {
          assert.deepEqual(record[name].map(String), exp[name], `${file} #${exp.index} ${name}`);
        }
      }
    });
  }
});
