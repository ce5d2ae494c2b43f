import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ControlField, DataField, createField, isControlTag, SUBFIELD_DELIMITER } from '../../src/record/field.js';
import { readRecordsSync } from '../../src/io/sync.js';
import { fixture } from '../helpers.js';

function title245(): DataField {
  return new DataField('245', '1', '0', [
    { code: 'a', value: 'The pragmatic programmer : ' },
    { code: 'b', value: 'from journeyman to master /' },
    { code: 'c', value: 'Andrew Hunt, David Thomas.' },
  ]);
}

describe('isControlTag', () => {
  test('only 00X digit tags are control tags (pymarc rule)', () => {
    assert.equal(isControlTag('001'), true);
    assert.equal(isControlTag('008'), true);
    assert.equal(isControlTag('009'), true);
    assert.equal(isControlTag('010'), false);
    assert.equal(isControlTag('245'), false);
    assert.equal(isControlTag('CAT'), false);
    assert.equal(isControlTag('00A'), false);
    assert.equal(isControlTag('01'), false);
    assert.equal(isControlTag('0001'), false);
  });
});

describe('ControlField', () => {
  test('holds data', () => {
    const field = new ControlField('001', 'fol05731351 ');
    assert.equal(field.tag, '001');
    assert.equal(field.data, 'fol05731351 ');
    assert.equal(field.isControlField(), true);
    assert.equal(field.isDataField(), false);
    assert.equal(new ControlField('005').data, '');
  });

  test('value() and formatField() are the data, untrimmed', () => {
    const field = new ControlField('008', '000107s2000    nyua          001 0 eng  ');
    assert.equal(field.value(), '000107s2000    nyua          001 0 eng  ');
    assert.equal(field.formatField(), '000107s2000    nyua          001 0 eng  ');
  });

  test('toString() is MARCMaker with blanks as backslashes', () => {
    assert.equal(new ControlField('001', 'fol05731351 ').toString(), '=001  fol05731351\\');
    assert.equal(
      new ControlField('008', '000107s2000    nyua          001 0 eng  ').toString(),
      '=008  000107s2000\\\\\\\\nyua\\\\\\\\\\\\\\\\\\\\001\\0\\eng\\\\',
    );
    assert.equal(String(new ControlField('001', 'abc')), '=001  abc');
  });

  test('data can be replaced; clone is independent; toJSON is {tag, value}', () => {
    const field = new ControlField('001', 'a');
    field.data = 'b';
    assert.equal(field.data, 'b');
    const copy = field.clone();
    copy.data = 'c';
    assert.equal(field.data, 'b');
    assert.deepEqual(field.toJSON(), { tag: '001', value: 'b' });
  });

  test('a control field built in code is not pristine and has no raw bytes', () => {
    const field = new ControlField('001', 'a');
    assert.equal(field.isPristine(), false);
    assert.equal(field.rawRange(), null);
  });
});

describe('DataField construction', () => {
  test('tag, indicators and subfields', () => {
    const field = title245();
    assert.equal(field.tag, '245');
    assert.equal(field.ind1, '1');
    assert.equal(field.ind2, '0');
    assert.deepEqual(field.indicators, ['1', '0']);
    assert.equal(field.subfields.length, 3);
    assert.equal(field.isDataField(), true);
    assert.equal(field.isControlField(), false);
  });

  test('defaults to blank indicators and no subfields', () => {
    const field = new DataField('500');
    assert.deepEqual(field.indicators, [' ', ' ']);
    assert.deepEqual(field.subfields, []);
    assert.equal(field.value(), '');
    assert.equal(field.formatField(), '');
    assert.equal(field.toString(), '=500  \\\\');
  });

  test('indicators can be set singly or as a pair', () => {
    const field = title245();
    field.ind1 = '0';
    assert.deepEqual(field.indicators, ['0', '0']);
    field.indicators = ['1', '4'];
    assert.equal(field.ind1, '1');
    assert.equal(field.ind2, '4');
  });

  test('createField picks the class from the tag', () => {
    const control = createField('001', { value: 'x' });
    assert.ok(control instanceof ControlField);
    assert.equal(control.value(), 'x');
    assert.ok(createField('008', { data: 'y' }) instanceof ControlField);
    const data = createField('245', { ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'T' }] });
    assert.ok(data instanceof DataField);
    assert.equal(data.toString(), '=245  10$aT');
    // Subfields on a control tag make a data field, as some local practice needs.
    assert.ok(createField('009', { subfields: [{ code: 'a', value: 'z' }] }) instanceof DataField);
    assert.ok(createField('CAT') instanceof DataField);
  });
});

describe('DataField subfield access', () => {
  test('get gives the first value of a code, or undefined', () => {
    const field = new DataField('260', ' ', ' ', [
      { code: 'a', value: 'Paris :' },
      { code: 'b', value: 'Gauthier-Villars ;' },
      { code: 'a', value: 'Chicago :' },
      { code: 'b', value: 'University of Chicago Press,' },
      { code: 'c', value: '1955.' },
    ]);
    assert.equal(field.get('a'), 'Paris :');
    assert.equal(field.get('b'), 'Gauthier-Villars ;');
    assert.equal(field.get('z'), undefined);
    assert.equal(field.has('c'), true);
    assert.equal(field.has('z'), false);
  });

  test('getAll gives the values of the codes asked for, in field order', () => {
    const field = new DataField('260', ' ', ' ', [
      { code: 'a', value: 'Paris :' },
      { code: 'b', value: 'Gauthier-Villars ;' },
      { code: 'a', value: 'Chicago :' },
      { code: 'c', value: '1955.' },
    ]);
    assert.deepEqual(field.getAll('a'), ['Paris :', 'Chicago :']);
    assert.deepEqual(field.getAll('c', 'a'), ['Paris :', 'Chicago :', '1955.']);
    assert.deepEqual(field.getAll('z'), []);
    assert.deepEqual(field.getSubfields('a', 'b'), ['Paris :', 'Gauthier-Villars ;', 'Chicago :']);
    // With no codes, every value (mrrc; pymarc's get_subfields() gives []).
    assert.deepEqual(field.getAll(), ['Paris :', 'Gauthier-Villars ;', 'Chicago :', '1955.']);
  });

  test('addSubfield appends or inserts at a position', () => {
    const field = new DataField('856', '4', '0', [{ code: 'u', value: 'http://a' }]);
    field.addSubfield('z', 'note');
    field.addSubfield('3', 'Table of contents', 0);
    field.addSubfield('x', 'past the end', 99);
    assert.deepEqual(field.subfields.map((s) => s.code), ['3', 'u', 'z', 'x']);
    assert.equal(field.toString(), '=856  40$3Table of contents$uhttp://a$znote$xpast the end');
  });

  test('setSubfield sets the one subfield with the code and throws otherwise', () => {
    const field = title245();
    field.setSubfield('c', 'Hunt & Thomas.');
    assert.equal(field.get('c'), 'Hunt & Thomas.');
    assert.throws(() => field.setSubfield('z', 'x'), RangeError);
    field.addSubfield('c', 'again');
    assert.throws(() => field.setSubfield('c', 'x'), RangeError);
  });

  test('removeSubfield removes the first with the code and returns its value', () => {
    const field = new DataField('650', ' ', '0', [
      { code: 'a', value: 'Perl' },
      { code: 'x', value: 'one' },
      { code: 'x', value: 'two' },
    ]);
    assert.equal(field.removeSubfield('x'), 'one');
    assert.deepEqual(field.getAll('x'), ['two']);
    assert.equal(field.removeSubfield('q'), undefined);
  });

  test('removeSubfields removes every subfield with the codes', () => {
    const field = new DataField('650', ' ', '0', [
      { code: 'a', value: 'Perl' },
      { code: 'x', value: 'one' },
      { code: '2', value: 'fast' },
      { code: 'x', value: 'two' },
    ]);
    assert.equal(field.removeSubfields('x', '2'), 3);
    assert.deepEqual(field.subfields, [{ code: 'a', value: 'Perl' }]);
    assert.equal(field.removeSubfields('x'), 0);
  });

  test('the subfields array is live', () => {
    const field = title245();
    field.subfields.push({ code: 'n', value: 'Part 1.' });
    field.subfields[0]!.value = 'Changed';
    assert.equal(field.get('a'), 'Changed');
    assert.equal(field.get('n'), 'Part 1.');
    field.subfields = [{ code: 'a', value: 'Only' }];
    assert.equal(field.toString(), '=245  10$aOnly');
  });

  test('iterates its subfields', () => {
    assert.deepEqual([...title245()].map((s) => s.code), ['a', 'b', 'c']);
  });
});

describe('DataField value()', () => {
  test('joins the values, each trimmed, with single spaces (pymarc)', () => {
    assert.equal(
      title245().value(),
      'The pragmatic programmer : from journeyman to master / Andrew Hunt, David Thomas.',
    );
  });

  test('keeps $6 and subject subdivisions as plain values', () => {
    const field = new DataField('650', ' ', '0', [
      { code: '6', value: '880-01' },
      { code: 'a', value: 'Perl (Computer program language)' },
      { code: 'v', value: 'Handbooks, manuals, etc.' },
    ]);
    assert.equal(field.value(), '880-01 Perl (Computer program language) Handbooks, manuals, etc.');
  });

  test('an empty subfield still gets its separator, as pymarc joins', () => {
    const field = new DataField('500', ' ', ' ', [
      { code: 'a', value: '' },
      { code: 'b', value: '  x  ' },
    ]);
    assert.equal(field.value(), ' x');
  });
});

describe('DataField formatField()', () => {
  test('joins with spaces and trims the ends only', () => {
    assert.equal(
      title245().formatField(),
      'The pragmatic programmer :  from journeyman to master / Andrew Hunt, David Thomas.',
    );
  });

  test('skips $6', () => {
    const field = new DataField('245', '1', '0', [
      { code: '6', value: '880-01' },
      { code: 'a', value: 'Rū Harison no wārudo myūjikku nyūmon' },
    ]);
    assert.equal(field.formatField(), 'Rū Harison no wārudo myūjikku nyūmon');
  });

  test('puts subject subdivisions v x y z after " -- " in 6XX fields', () => {
    const field = new DataField('650', ' ', '0', [
      { code: 'a', value: 'World War, 1939-1945' },
      { code: 'z', value: 'France' },
      { code: 'x', value: 'Campaigns' },
      { code: 'y', value: '1944' },
      { code: 'v', value: 'Maps.' },
      { code: '2', value: 'lcsh' },
    ]);
    assert.equal(field.formatField(), 'World War, 1939-1945 -- France -- Campaigns -- 1944 -- Maps. lcsh');
    assert.equal(field.isSubjectField(), true);
  });

  test('v x y z are plain outside 6XX', () => {
    const field = new DataField('830', ' ', '0', [
      { code: 'a', value: 'Lecture notes in computer science ;' },
      { code: 'v', value: '1234.' },
      { code: 'x', value: '0302-9743' },
    ]);
    assert.equal(field.formatField(), 'Lecture notes in computer science ; 1234. 0302-9743');
    assert.equal(field.isSubjectField(), false);
  });

  test('a subdivision first in the field still gets its dashes, then the ends are trimmed', () => {
    const field = new DataField('651', ' ', '0', [{ code: 'x', value: 'History' }]);
    assert.equal(field.formatField(), '-- History');
  });
});

describe('DataField toString()', () => {
  test('is MARCMaker: two spaces after the tag, blank indicators as backslashes', () => {
    assert.equal(
      title245().toString(),
      '=245  10$aThe pragmatic programmer : $bfrom journeyman to master /$cAndrew Hunt, David Thomas.',
    );
    const subject = new DataField('630', '0', ' ', [
      { code: 'a', value: 'Tosefta.' },
      { code: 'l', value: 'English.' },
      { code: 'f', value: '1977.' },
    ]);
    // pymarc test_subjects: "=630  0\\$aTosefta.$lEnglish.$f1977."
    assert.equal(subject.toString(), '=630  0\\$aTosefta.$lEnglish.$f1977.');
    const location = new DataField('852', ' ', ' ', [{ code: 'a', value: 'American Institute of Physics.' }]);
    assert.equal(location.toString(), '=852  \\\\$aAmerican Institute of Physics.');
  });

  test('a backslash indicator stays a backslash; spaces in values stay spaces', () => {
    const field = new DataField('300', '\\', ' ', [{ code: 'a', value: '1 photographic print :' }]);
    assert.equal(field.toString(), '=300  \\\\$a1 photographic print :');
  });

  test('pymarc test_physicaldescription: an empty indicator prints as nothing', () => {
    const field = new DataField('300', '\\', '', [
      { code: 'a', value: 'FOO' },
      { code: 'b', value: 'BAR' },
      { code: 'c', value: 'BAZ' },
    ]);
    assert.equal(field.toString(), '=300  \\$aFOO$bBAR$cBAZ');
  });

  test('dumpLine is yaz-marcdump style', () => {
    assert.equal(
      title245().dumpLine(),
      '245 10 $a The pragmatic programmer :  $b from journeyman to master / $c Andrew Hunt, David Thomas.',
    );
  });

  test('uncoded text (a field with no delimiter after its indicators) is printed, without a $', () => {
    // yaz's marc5.marc: 250 holds "2η εκδ." with no subfield delimiter; yaz reads "2" as one.
    const [record] = [...readRecordsSync(fixture('formats/yaz/marc5.marc'), { mode: 'lenient' })];
    const f250 = record!.getDataField('250')!;
    assert.deepEqual(f250.subfields, [{ code: '', value: '2η εκδ.' }]);
    assert.equal(f250.dumpLine(), '250    2η εκδ.');
    assert.equal(f250.toString(), '=250  \\\\2η εκδ.');
    assert.equal(new DataField('500', ' ', ' ', [{ code: '', value: 'x' }, { code: 'a', value: 'y' }]).dumpLine(), '500    x $a y');
  });

  test("a control field holding subfields (DanMARC's 00X) is dumped as yaz-marcdump shows it, not as raw delimiters", () => {
    for (const [file, line] of [['marc3', '001    $a a00001508 $f a'], ['marc1', '001 000 $a 9 181 423 4 $b 710100 $f a']]) {
      const [record] = [...readRecordsSync(fixture(`formats/yaz/${file}.marc`), { mode: 'lenient' })];
      const lines = record!.toString().split('\n');
      assert.equal(lines[1], line, file);
      assert.match(record!.getControlField('001')!.data, /\x1fa/, 'the data itself is unchanged');
    }
  });
});

describe('DataField clone and toJSON', () => {
  test('clone copies deeply', () => {
    const field = title245();
    const copy = field.clone();
    copy.ind1 = '0';
    copy.subfields[0]!.value = 'Other';
    assert.equal(field.ind1, '1');
    assert.equal(field.get('a'), 'The pragmatic programmer : ');
    assert.deepEqual(copy.getAll('b', 'c'), field.getAll('b', 'c'));
  });

  test('toJSON is the marc-record shape and does not share subfield objects', () => {
    const field = title245();
    const json = field.toJSON();
    assert.deepEqual(json, {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: 'a', value: 'The pragmatic programmer : ' },
        { code: 'b', value: 'from journeyman to master /' },
        { code: 'c', value: 'Andrew Hunt, David Thomas.' },
      ],
    });
    json.subfields[0]!.value = 'x';
    assert.equal(field.get('a'), 'The pragmatic programmer : ');
  });

  test('a data field built in code is never pristine', () => {
    assert.equal(title245().isPristine(), false);
    assert.equal(title245().rawRange(), null);
  });

  test('the subfield delimiter constant is 0x1F', () => {
    assert.equal(SUBFIELD_DELIMITER, '\x1f');
  });
});
