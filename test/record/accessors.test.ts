// The accessor rules, on records built in code. The cases marked "pymarc" are ported from
// pymarc 5's test/test_record.py and must give the same answers; the rest pin down the edges of
// each rule (first field only, 264 second indicator, fixed tag lists).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Record } from '../../src/record/record.js';
import { ControlField, DataField, type Subfield } from '../../src/record/field.js';
import * as accessors from '../../src/record/accessors.js';

function field(tag: string, ind1: string, ind2: string, ...pairs: [string, string][]): DataField {
  const subfields: Subfield[] = pairs.map(([code, value]) => ({ code, value }));
  return new DataField(tag, ind1, ind2, subfields);
}

function recordWith(...fields: (DataField | ControlField)[]): Record {
  return new Record({ fields });
}

describe('title', () => {
  test('pymarc test_title', () => {
    assert.equal(new Record().title, undefined);
    assert.equal(recordWith(field('245', '0', '1', ['a', 'Foo :'], ['b', 'bar'])).title, 'Foo : bar');
    assert.equal(recordWith(field('245', '0', '1', ['a', 'Farghin'])).title, 'Farghin');
  });

  test('no trimming: catalogued spacing and punctuation are kept', () => {
    const record = recordWith(field('245', '1', '0',
      ['a', 'The pragmatic programmer : '],
      ['b', 'from journeyman to master /'],
      ['c', 'Andrew Hunt, David Thomas.']));
    assert.equal(record.title, 'The pragmatic programmer :  from journeyman to master /');
  });

  test('$a and the first $b only; $n $p $c ignored', () => {
    const record = recordWith(field('245', '0', '0',
      ['a', 'Star wars.'], ['n', 'Episode IV,'], ['p', 'A new hope'], ['b', 'first'], ['b', 'second']));
    assert.equal(record.title, 'Star wars. first');
  });

  test('no $a means no title, even with $b; an empty $a is returned as is', () => {
    assert.equal(recordWith(field('245', '0', '0', ['b', 'subtitle only'])).title, undefined);
    assert.equal(recordWith(field('245', '0', '0', ['a', ''], ['b', 'sub'])).title, '');
    assert.equal(recordWith(field('245', '0', '0', ['a', 'Main'], ['b', ''])).title, 'Main');
  });

  test('only the first 245 counts', () => {
    const record = recordWith(field('245', '0', '0', ['b', 'x']), field('245', '0', '0', ['a', 'Second']));
    assert.equal(record.title, undefined);
  });

  test('the getter and the function agree', () => {
    const record = recordWith(field('245', '0', '0', ['a', 'T']));
    assert.equal(accessors.title(record), record.title);
  });
});

describe('issnTitle', () => {
  test('pymarc test_issn_title', () => {
    assert.equal(new Record().issnTitle, undefined);
    assert.equal(recordWith(field('222', ' ', ' ', ['a', 'Foo :'], ['b', 'bar'])).issnTitle, 'Foo : bar');
    assert.equal(recordWith(field('222', ' ', ' ', ['a', 'Farghin'])).issnTitle, 'Farghin');
    assert.equal(recordWith(field('222', ' ', ' ', ['b', 'bar'])).issnTitle, undefined);
  });
});

describe('isbn / isbns', () => {
  test('pymarc test_isbn', () => {
    assert.equal(new Record().isbn, undefined);
    const cases: [string, string][] = [
      ['9781416566113', '9781416566113'],
      ['978-1416566113', '9781416566113'],
      ['ISBN-978-1416566113', '9781416566113'],
      ['0456789012 (reel 1)', '0456789012'],
      ['006073132X', '006073132X'],
    ];
    for (const [value, expected] of cases) {
      assert.equal(recordWith(field('020', '0', '1', ['a', value])).isbn, expected, value);
    }
  });

  test('cleaning keeps a lowercase x and takes the first run only', () => {
    assert.equal(recordWith(field('020', ' ', ' ', ['a', '0-8044-2957-x (pbk.)'])).isbn, '080442957x');
    assert.equal(recordWith(field('020', ' ', ' ', ['a', '0914378295 (lim. ed.) (v. 1)'])).isbn, '0914378295');
    assert.equal(recordWith(field('020', ' ', ' ', ['a', '(pbk.)'])).isbn, undefined);
    assert.equal(recordWith(field('020', ' ', ' ', ['a', ''])).isbn, undefined);
  });

  test('only the first 020 is looked at', () => {
    // A record whose first 020 carries only a cancelled ISBN has no isbn in pymarc.
    const record = recordWith(field('020', ' ', ' ', ['z', '0000000000']), field('020', ' ', ' ', ['a', '0914378287']));
    assert.equal(record.isbn, undefined);
    assert.deepEqual(record.isbns, ['0914378287']);
  });

  test('isbns: every 020 $a in record order, cleaned, no $z', () => {
    const record = recordWith(
      field('020', ' ', ' ', ['a', '0914378287 (v. 1)']),
      field('020', ' ', ' ', ['a', '0914378295 (lim. ed.) (v. 1)'], ['z', '1111111111']),
      field('245', '1', '0', ['a', 'x']),
      field('020', ' ', ' ', ['a', '0914378260 (pbk.) (v. 1)'], ['a', '978-0-914378-26-7']),
      field('020', ' ', ' ', ['a', 'no digits']),
    );
    assert.deepEqual(record.isbns, ['0914378287', '0914378295', '0914378260', '9780914378267']);
    assert.equal(record.isbn, '0914378287');
    assert.deepEqual(new Record().isbns, []);
  });

  test('cleanIsbn is exported for callers with their own values', () => {
    assert.equal(accessors.cleanIsbn('ISBN 0-19-852663-6'), '0198526636');
    assert.equal(accessors.cleanIsbn('none'), undefined);
  });
});

describe('issn / issnl', () => {
  test('pymarc test_issn and test_issnl', () => {
    assert.equal(new Record().issn, undefined);
    assert.equal(recordWith(field('022', '0', ' ', ['a', '0395-2037'])).issn, '0395-2037');
    assert.equal(accessors.issnl(new Record()), undefined);
    assert.equal(accessors.issnl(recordWith(field('022', '0', ' ', ['l', '0395-2037']))), '0395-2037');
  });

  test('the first 022 only, value as catalogued', () => {
    const record = recordWith(field('022', ' ', ' ', ['y', '1234-5678']), field('022', ' ', ' ', ['a', '0395-2037']));
    assert.equal(record.issn, undefined);
  });
});

describe('author', () => {
  test('pymarc test_author', () => {
    assert.equal(new Record().author, undefined);
    const record = recordWith(field('100', '1', '0', ['a', 'Bletch, Foobie,'], ['d', '1979-1981.']));
    assert.equal(record.author, 'Bletch, Foobie, 1979-1981.');
    assert.equal(recordWith(field('130', '0', ' ', ['a', 'Bible.'], ['l', 'Python.'])).author, undefined);
  });

  test('100 before 110 before 111, whatever the record order', () => {
    const record = recordWith(
      field('111', '2', ' ', ['a', 'Meeting']),
      field('110', '2', ' ', ['a', 'Corporation']),
      field('100', '1', ' ', ['a', 'Person']),
    );
    assert.equal(record.author, 'Person');
    assert.equal(recordWith(field('111', '2', ' ', ['a', 'Meeting']), field('110', '2', ' ', ['a', 'Corp.'])).author, 'Corp.');
    assert.equal(recordWith(field('111', '2', ' ', ['a', 'Meeting'], ['d', '(1999 :'], ['c', 'Paris)'])).author, 'Meeting (1999 : Paris)');
  });

  test('formatField rules: $6 dropped', () => {
    const record = recordWith(field('100', '1', ' ', ['6', '880-01'], ['a', 'Harrison, Lou.']));
    assert.equal(record.author, 'Harrison, Lou.');
  });
});

describe('uniformTitle', () => {
  test('pymarc test_uniformtitle', () => {
    assert.equal(new Record().uniformTitle, undefined);
    assert.equal(
      recordWith(field('130', '0', ' ', ['a', 'Tosefta.'], ['l', 'English.'], ['f', '1977.'])).uniformTitle,
      'Tosefta. English. 1977.',
    );
    assert.equal(
      recordWith(field('240', '1', '4', ['a', 'The Pickwick papers.'], ['l', 'French.'])).uniformTitle,
      'The Pickwick papers. French.',
    );
  });

  test('130 wins over an earlier 240', () => {
    const record = recordWith(field('240', '1', '0', ['a', 'From 240']), field('130', '0', ' ', ['a', 'From 130']));
    assert.equal(record.uniformTitle, 'From 130');
  });
});

describe('publisher / pubyear', () => {
  const paris = field('260', ' ', ' ',
    ['a', 'Paris :'], ['b', 'Gauthier-Villars ;'], ['a', 'Chicago :'], ['b', 'University of Chicago Press,'], ['c', '1955.']);

  test('pymarc test_publisher and test_pubyear', () => {
    assert.equal(new Record().publisher, undefined);
    assert.equal(new Record().pubyear, undefined);
    assert.equal(recordWith(paris.clone()).publisher, 'Gauthier-Villars ;');
    assert.equal(recordWith(paris.clone()).pubyear, '1955.');
    const penguin = recordWith(field('264', ' ', '1', ['a', 'London :'], ['b', 'Penguin,'], ['c', '1961.']));
    assert.equal(penguin.publisher, 'Penguin,');
    assert.equal(penguin.pubyear, '1961.');
  });

  test('264 counts only with second indicator 1 (publication)', () => {
    const record = recordWith(
      field('264', ' ', '0', ['b', 'Producer'], ['c', '2010']),
      field('264', ' ', '2', ['b', 'Distributor'], ['c', '2011']),
      field('264', ' ', '4', ['c', '©2009']),
      field('264', ' ', '1', ['b', 'Publisher'], ['c', '2012']),
      field('264', ' ', '3', ['b', 'Manufacturer']),
    );
    assert.equal(record.publisher, 'Publisher');
    assert.equal(record.pubyear, '2012');
    const onlyCopyright = recordWith(field('264', ' ', '4', ['c', '©2009']));
    assert.equal(onlyCopyright.pubyear, undefined);
  });

  test('the first qualifying field in record order answers, even without the subfield', () => {
    // A 260 before a 264 ind2=1: the 260 is chosen, and it has no $b.
    const record = recordWith(field('260', ' ', ' ', ['a', 'S.l. :'], ['c', '1999.']), field('264', ' ', '1', ['b', 'Later']));
    assert.equal(record.publisher, undefined);
    assert.equal(record.pubyear, '1999.');
    // A 264 ind2=1 before a 260: the 264 is chosen.
    const other = recordWith(field('264', ' ', '1', ['b', 'RDA']), field('260', ' ', ' ', ['b', 'AACR2'], ['c', '1999']));
    assert.equal(other.publisher, 'RDA');
    assert.equal(other.pubyear, undefined);
  });

  test('first $b / $c of the chosen field, as catalogued', () => {
    const record = recordWith(field('260', ' ', ' ', ['a', 'Taftsville, Vt. :'], ['b', 'Countryman Press,'], ['c', 'c1977.'], ['c', 'later']));
    assert.equal(record.pubyear, 'c1977.');
  });
});

describe('field lists', () => {
  test('pymarc test_subjects', () => {
    const record = new Record();
    assert.equal(record.subjects.length, 0);
    record.addField(
      field('630', '0', ' ', ['a', 'Tosefta.'], ['l', 'English.'], ['f', '1977.']),
      field('730', '0', ' ', ['a', 'Tosefta.'], ['l', 'English.'], ['f', '1977.']),
      field('600', '1', '0', ['a', 'Le Peu, Pepe.']),
    );
    assert.deepEqual(record.subjects.map(String), ['=630  0\\$aTosefta.$lEnglish.$f1977.', '=600  10$aLe Peu, Pepe.']);
  });

  test('subjects follow pymarc\'s fixed list, not every 6XX', () => {
    const inList = accessors.SUBJECT_TAGS;
    const record = new Record();
    for (let n = 600; n <= 699; n++) record.addField(field(String(n), ' ', '0', ['a', String(n)]));
    assert.deepEqual(record.subjects.map((f) => f.tag), [...inList]);
    assert.ok(!record.subjects.some((f) => ['647', '649', '688', '692'].includes(f.tag)));
  });

  test('pymarc test_added_entries', () => {
    const record = new Record();
    assert.equal(record.addedEntries.length, 0);
    record.addField(
      field('730', '0', ' ', ['a', 'Tosefta.'], ['l', 'English.'], ['f', '1977.']),
      field('700', '1', '0', ['a', 'Le Peu, Pepe.']),
      field('245', '0', '0', ["a", "Le Peu's Tosefa."]),
    );
    assert.deepEqual(record.addedEntries.map(String), ['=730  0\\$aTosefta.$lEnglish.$f1977.', '=700  10$aLe Peu, Pepe.']);
  });

  test('added entries follow pymarc\'s fixed list (752 in, 76X-78X and 758 out)', () => {
    const record = new Record();
    for (let n = 700; n <= 799; n++) record.addField(field(String(n), ' ', ' ', ['a', String(n)]));
    assert.deepEqual(record.addedEntries.map((f) => f.tag), [...accessors.ADDED_ENTRY_TAGS]);
  });

  test('pymarc test_physicaldescription', () => {
    const record = new Record();
    assert.equal(record.physicalDescription.length, 0);
    record.addField(
      field('300', '\\', '', ['a', '1 photographic print :'], ['b', 'gelatin silver ;'], ['c', '10 x 56 in.']),
      field('300', '\\', '', ['a', 'FOO'], ['b', 'BAR'], ['c', 'BAZ']),
    );
    assert.deepEqual(record.physicalDescription.map(String), [
      '=300  \\$a1 photographic print :$bgelatin silver ;$c10 x 56 in.',
      '=300  \\$aFOO$bBAR$cBAZ',
    ]);
  });

  test('pymarc test_location', () => {
    const record = new Record();
    assert.equal(record.location.length, 0);
    record.addField(
      field('040', ' ', ' ', ['a', 'DLC'], ['c', 'DLC']),
      field('852', ' ', ' ', ['a', 'American Institute of Physics.'], ['b', 'Niels Bohr Library and Archives.'], ['e', 'College Park, MD']),
      field('852', '0', '1', ['a', 'CtY'], ['b', 'Main'], ['h', 'LB201'], ['i', '.M63']),
    );
    assert.deepEqual(record.location.map(String), [
      '=852  \\\\$aAmerican Institute of Physics.$bNiels Bohr Library and Archives.$eCollege Park, MD',
      '=852  01$aCtY$bMain$hLB201$i.M63',
    ]);
  });

  test('pymarc test_notes', () => {
    const record = new Record();
    assert.equal(record.notes.length, 0);
    record.addField(field('500', ' ', ' ', ['a', "Recast in bronze from artist's plaster original of 1903."]));
    assert.equal(record.notes[0]?.formatField(), "Recast in bronze from artist's plaster original of 1903.");
  });

  test('notes follow pymarc\'s fixed list (588 and 542 are not in it)', () => {
    const record = new Record();
    for (let n = 500; n <= 599; n++) record.addField(field(String(n), ' ', ' ', ['a', String(n)]));
    const found = record.notes.map((f) => f.tag);
    assert.deepEqual(found, [...accessors.NOTE_TAGS]);
    assert.equal(found.length, 58);
    assert.ok(!found.includes('588'));
    assert.ok(!found.includes('542'));
  });

  test('series: 440, 490, 800, 810, 811, 830 in record order', () => {
    const record = recordWith(
      field('830', ' ', '0', ['a', 'Lecture notes in computer science ;'], ['v', '1234.']),
      field('490', '1', ' ', ['a', 'Lecture notes in computer science ;'], ['v', '1234']),
      field('440', ' ', '0', ['a', 'Old series']),
      field('400', '1', '0', ['a', 'Pre-AACR2 author/title series']),
      field('800', '1', ' ', ['a', 'Person.'], ['t', 'Series.']),
      field('840', ' ', ' ', ['a', 'Obsolete']),
    );
    assert.deepEqual(record.series.map((f) => f.tag), ['830', '490', '440', '800']);
  });

  test('the lists keep record order and never regroup', () => {
    const record = recordWith(field('651', ' ', '0', ['a', 'B']), field('600', '1', '0', ['a', 'A']), field('650', ' ', '0', ['a', 'C']));
    assert.deepEqual(record.subjects.map((f) => f.tag), ['651', '600', '650']);
  });

  test('the lists are the record\'s own field objects', () => {
    const subject = field('650', ' ', '0', ['a', 'Perl']);
    const record = recordWith(subject);
    assert.equal(record.subjects[0], subject);
  });
});

describe('sudoc', () => {
  test('formatField of the first 086, every subfield', () => {
    assert.equal(new Record().sudoc, undefined);
    assert.equal(recordWith(field('086', '0', ' ', ['a', 'I 19.79:EC 7/'])).sudoc, 'I 19.79:EC 7/');
    const withSource = recordWith(field('086', ' ', ' ', ['a', 'A 1.2:P 43/'], ['2', 'sudocs']), field('086', '0', ' ', ['a', 'second']));
    assert.equal(withSource.sudoc, 'A 1.2:P 43/ sudocs');
  });
});

describe('control fields under data tags', () => {
  test('answer undefined, as pymarc does for subfield lookups on control fields', () => {
    const record = recordWith(new ControlField('245', 'junk'), field('245', '0', '0', ['a', 'Second']));
    assert.equal(record.title, undefined);
    const record260 = recordWith(new ControlField('260', 'junk'), field('264', ' ', '1', ['b', 'P']));
    assert.equal(record260.publisher, undefined);
  });
});
