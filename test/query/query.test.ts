import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Record } from '../../src/record/record.js';
import { ControlField, DataField } from '../../src/record/field.js';
import { readRecordsSync } from '../../src/index.js';
import { compileQuery, query, QuerySyntaxError } from '../../src/query/index.js';
import { fixture } from '../helpers.js';
import { hasLazyScan } from '../../src/query/scan.js';

function df(tag: string, ind: string, ...pairs: string[]): DataField {
  const subfields = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) subfields.push({ code: pairs[i]!, value: pairs[i + 1]! });
  return new DataField(tag, ind.charAt(0) || ' ', ind.charAt(1) || ' ', subfields);
}

function sample(): Record {
  return new Record({
    leader: '01234cam a2200301 a 4500',
    fields: [
      new ControlField('001', '12345'),
      new ControlField('007', 'ta'),
      new ControlField('007', 'vd cvaizq'),
      new ControlField('008', '000107s2000    nyua          001 0 eng  '),
      df('020', '  ', 'a', '0394170660', 'q', 'Random House', 'q', 'paperback', 'c', '$4.95'),
      df('020', '  ', 'a', '9780394502885', 'q', 'Random House', 'q', 'hardcover', 'c', '$12.50'),
      df('100', '1 ', '6', '880-01', 'a', 'Zilbershtain, Yitshak ben David Yosef.'),
      df('245', '10', '6', '880-02', 'a', 'The title :', 'b', 'a subtitle /', 'c', 'by someone.'),
      df('300', '  ', 'a', '1 v.'),
      df('650', ' 0', 'a', 'Perl (Computer program language)', 'x', 'History.'),
      df('650', ' 7', 'a', 'Perl.', '2', 'fast'),
      df('650', ' 0', 'a', 'Web servers.'),
      df('651', ' 0', 'a', 'Kostroma (Russia)'),
      df('700', '1 ', 'a', 'Poe, Edgar Allan.'),
      df('880', '1 ', '6', '100-01/(2/r', 'a', 'זילברשטיין, יצחק יוסף בן דוד.'),
      df('880', '10', '6', '245-02/(2/r', 'a', 'כותר'),
      df('880', '  ', '6', '500-00/(2/r', 'a', 'הערה'),
    ],
  });
}

describe('MARCspec references', () => {
  const r = sample();
  const cases: [string, string[]][] = [
    ['LDR', ['01234cam a2200301 a 4500']],
    ['LDR/06', ['a']],
    ['LDR/6', ['a']],
    ['LDR/0-4', ['01234']],
    ['LDR/#', ['0']],
    ['008/35-37', ['eng']],
    ['008/7-10', ['2000']],
    ['007', ['ta', 'vd cvaizq']],
    ['007[1]', ['vd cvaizq']],
    ['007/0', ['t', 'v']],
    ['007/1-#', ['a', 'd cvaizq']],
    ['007/#', ['a', 'q']],
    ['007[1]/3{/0=\\v}', ['c']],
    ['007/3{/0=\\t}', []],
    ['245$a', ['The title :']],
    ['245$a/#-1', [' :']],
    ['245$a$b$c', ['The title :', 'a subtitle /', 'by someone.']],
    ['245$c$a', ['The title :', 'by someone.']],
    ['245$a-c', ['The title :', 'a subtitle /', 'by someone.']],
    ['245^1', ['1']],
    ['245^2', ['0']],
    ['650^2', ['0', '7', '0']],
    ['650[0]$a', ['Perl (Computer program language)']],
    ['650[#]$a', ['Web servers.']],
    ['650[#-1]$a', ['Perl.', 'Web servers.']],
    ['650[1-#]$a', ['Perl.', 'Web servers.']],
    ['020$q[0]', ['Random House', 'Random House']],
    ['020$q[#]', ['paperback', 'hardcover']],
    ['6..$a', ['Perl (Computer program language)', 'Perl.', 'Web servers.', 'Kostroma (Russia)']],
    ['65.[0]$a', ['Perl (Computer program language)']],
    ['600-650$a', ['Perl (Computer program language)', 'Perl.', 'Web servers.']],
    ['650$a{^2=\\0}', ['Perl (Computer program language)', 'Web servers.']],
    ['650$a{$2=\\fast}', ['Perl.']],
    ['650$a{$2!=\\lcsh}', ['Perl.']],
    ['650$a{$2!=\\fast}', []],
    ['650$a{$x}', ['Perl (Computer program language)']],
    ['650$a{!$x}', ['Perl.', 'Web servers.']],
    ['650$a{$x|$2}', ['Perl (Computer program language)', 'Perl.']],
    ['650$a{^2=\\0}{$x}', ['Perl (Computer program language)']],
    ['650$a{~\\Perl}', ['Perl (Computer program language)', 'Perl.']],
    ['650$a{!~\\Perl}', ['Web servers.']],
    ['650$a{=~/^Perl\\b/}', ['Perl (Computer program language)', 'Perl.']],
    ['650$a{=~/servers/i}', ['Web servers.']],
    ['650$a{!=~/^Perl/}', ['Web servers.']],
    ['020$a{=~/^97[89]/}', ['9780394502885']],
    ['020$c{$q=\\paperback}', ['$4.95']],
    ['020$c{?020$a}', ['$4.95', '$12.50']],
    ['020$z{!020$a}', []],
    ['008/18{LDR/6=\\t}', []],
    ['008/35-37{LDR/6=\\a}', ['eng']],
    ['008/35-37{LDR/6=\\a}{LDR/7=\\a|LDR/7=\\c|LDR/7=\\d|LDR/7=\\m}', ['eng']],
    ['245$b{007/0=\\a|007/0=\\t}', ['a subtitle /']],
    ['880$a{100$6~$6/3-5}{100$6~\\880}', ['זילברשטיין, יצחק יוסף בן דוד.']],
    ['245$a{/#=\\:}', ['The title :']],
    ['245$a{/0-2=\\The}', ['The title :']],
    ['245$a{/0-2=\\Thx}', []],
    ['700[0]{$a~\\Poe}{^1=\\1}', ['Poe, Edgar Allan.']],
    ['245{^2=\\0}', ['880-02 The title : a subtitle / by someone.']],
    ['LNK245$a', ['כותר']],
    ['LNK1..$a', ['זילברשטיין, יצחק יוסף בן דוד.']],
    ['LNK500', ['500-00/(2/r הערה']],
    ['880$a{$6~\\-00}', ['הערה']],
    ['999$a', []],
    ['245$z', []],
    ['008$a', []],
    ['LDR^1', []],
  ];
  for (const [spec, expected] of cases) {
    test(spec, () => assert.deepEqual(query(r, spec), expected));
  }

  test('a field spec yields fields with as: "fields"', () => {
    const fields = query(r, '650{^2=\\0}', 'fields');
    assert.deepEqual(fields.map((f) => f.tag), ['650', '650']);
    assert.deepEqual(query(r, '6..$a{$2}', 'fields').map((f) => f.toString()), ['=650  \\7$aPerl.$2fast']);
  });

  test('hits carry the field and subfield code', () => {
    const hits = query(r, '245$a-b', 'hits');
    assert.deepEqual(hits.map((h) => [h.field?.tag, h.code, h.value]), [['245', 'a', 'The title :'], ['245', 'b', 'a subtitle /']]);
    assert.deepEqual(query(r, 'LDR/6', 'hits'), [{ field: null, value: 'a' }]);
  });

  test('spec order on request', () => {
    const q = compileQuery('6..$x$a', { order: 'spec' });
    assert.deepEqual(q.values(r).slice(0, 2), ['History.', 'Perl (Computer program language)']);
  });

  test('first() falls back to later occurrences', () => {
    const rec = new Record({ fields: [new ControlField('008', 'short'), new ControlField('008', '000107s2000    nyua          001 0 eng  '), df('245', '10', 'b', 'no a'), df('245', '10', 'a', 'second')] });
    assert.equal(compileQuery('008/35-37').first(rec), 'eng');
    assert.equal(compileQuery('245$a').first(rec), 'second');
    assert.equal(compileQuery('100$a').first(rec), undefined);
  });

  test('compiled query: first, test, fields', () => {
    const q = compileQuery('650$a');
    assert.equal(q.first(r), 'Perl (Computer program language)');
    assert.equal(q.test(r), true);
    assert.equal(compileQuery('655$a').test(r), false);
    assert.equal(compileQuery('655$a').first(r), undefined);
    assert.equal(q.kind, 'subfield');
  });
});

describe('bad specs name the column', () => {
  const bad: [string, number, RegExp][] = [
    ['', 1, /empty spec/],
    ['24', 3, /too short/],
    ['245$', 5, /subfield code/],
    ['245$A', 5, /lower case/],
    ['245$a{$2=lcsh}', 10, /write it as a comparison string: \\lcsh/],
    ['245$a{^2=0}', 10, /\\0/],
    ['LDR/2-1', 5, /ends before it starts/],
    ['245[1', 6, /'\]'/],
    ['008/0^1', 6, /indicator cannot follow a character position/],
    ['245$a{$b', 9, /'\|' or '}'/],
    ['245$a{=~/[/}', 9, /invalid regular expression/],
    ['245$a{\\a b}', 9, /\\s/],
    ['650-600', 5, /ends before it starts/],
    ['aBc', 2, /mixes upper and lower/],
    ['245[0-', 7, /expected an index after '-'/],
    ['008/x', 5, /expected a character position/],
    ["650$a{='Cookery'}", 8, /starts with a backslash, not a quote: write \\Cookery at/],
    ['245$a{~"New York"}', 8, /write \\New\\sYork at/],
  ];
  for (const [spec, column, message] of bad) {
    test(JSON.stringify(spec), () => {
      assert.throws(() => compileQuery(spec), (e: unknown) => {
        assert.ok(e instanceof QuerySyntaxError, String(e));
        assert.equal(e.column, column, e.message);
        assert.match(e.message, message);
        assert.ok(e.message.includes(`\n  ${spec}\n`), 'the message shows the spec');
        return true;
      });
    });
  }
});

test('the comparison string suggested for a quoted one is valid MARCspec and matches the quoted text', () => {
  const text = 'New York: a $ story {1} =~ \\ ok';
  const record = new Record({ fields: [new DataField('245', '1', '0', [{ code: 'a', value: text }])] });
  let suggested = '';
  try {
    compileQuery(`245$a{='${text}'}`);
  } catch (e) {
    suggested = /write (.*) at column/.exec((e as Error).message)?.[1] ?? '';
  }
  assert.ok(suggested.startsWith('\\'), suggested);
  assert.deepEqual(query(record, `245$a{=${suggested}}`), [text]);
});

describe('real records', () => {
  test('pymarc test.dat 245$a and 008/35-37', () => {
    const records = [...readRecordsSync(fixture('pymarc/test.dat'))];
    assert.equal(query(records[0]!, '245$a')[0], 'ActivePerl with ASP and ADO /');
    const langs = records.map((rec) => query(rec, '008/35-37')[0]);
    assert.equal(langs.length, 10);
    assert.ok(langs.every((l) => l === 'eng'), langs.join());
  });

  test('queries leave a record untouched, so it still writes back byte for byte', () => {
    const bytes = fixture('pymarc/one.dat');
    const [record] = [...readRecordsSync(bytes)];
    for (const spec of ['245$a', '245$a-c', '245$a$c', '650[0]', '245^1', 'LDR/6', '008/35-37', '020$a{=~/\\d/}']) {
      compileQuery(spec).hits(record!);
    }
    assert.equal(record!.isUntouched(), true);
    assert.deepEqual(Buffer.from(record!.toMarc()), bytes);
  });

  test('wildcard queries leave a record untouched too', { skip: !hasLazyScan(new Record()) && 'needs Record.getFieldsWhere (wired by the lead)' }, () => {
    const bytes = fixture('pymarc/one.dat');
    const [record] = [...readRecordsSync(bytes)];
    for (const spec of ['6..$a{$x}', '600-699$a', 'LNK245$a', '...']) compileQuery(spec).hits(record!);
    assert.equal(record!.isUntouched(), true);
  });

  test('a compiled query agrees with hand-written access over a real file', () => {
    const q = compileQuery('650$a');
    const lang = compileQuery('008/35-37');
    let n = 0;
    for (const rec of readRecordsSync(fixture('mrrc-testbed/bibliographic/sample.mrc'), { mode: 'lenient' })) {
      const byHand: string[] = [];
      for (const f of rec.getDataFields('650')) byHand.push(...f.getAll('a'));
      assert.deepEqual(q.values(rec), byHand);
      const data = rec.getControlField('008')?.data;
      assert.deepEqual(lang.values(rec), data !== undefined && data.length > 35 ? [data.slice(35, 38)] : []);
      n++;
    }
    assert.equal(n, 386);
  });
});
