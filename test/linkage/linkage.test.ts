import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Record } from '../../src/record/record.js';
import { DataField } from '../../src/record/field.js';
import { readRecordsSync } from '../../src/index.js';
import { linkageReport, linkedFields, linkedPairs, parseLinkage } from '../../src/linkage/index.js';
import { query } from '../../src/query/index.js';
import { fixture } from '../helpers.js';

function df(tag: string, ...pairs: string[]): DataField {
  const subfields = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) subfields.push({ code: pairs[i]!, value: pairs[i + 1]! });
  return new DataField(tag, ' ', ' ', subfields);
}

describe('$6 parsing', () => {
  const cases: [string, object | null][] = [
    ['880-01', { tag: '880', occurrence: '01', raw: '880-01' }],
    ['245-02/(2/r', { tag: '245', occurrence: '02', script: '(2', orientation: 'r', raw: '245-02/(2/r' }],
    ['710-16/$1', { tag: '710', occurrence: '16', script: '$1', raw: '710-16/$1' }],
    ['610-00/$1', { tag: '610', occurrence: '00', script: '$1', raw: '610-00/$1' }],
    ['100-123/(N', { tag: '100', occurrence: '123', script: '(N', raw: '100-123/(N' }],
    ['245-01//r', { tag: '245', occurrence: '01', orientation: 'r', raw: '245-01//r' }],
    ['880', null],
    ['8801', null],
    ['', null],
  ];
  for (const [value, expected] of cases) test(JSON.stringify(value), () => assert.deepEqual(parseLinkage(value), expected));
});

describe('pairs, unlinked 880s and dangling links', () => {
  function record(): Record {
    return new Record({
      fields: [
        df('100', '6', '880-01', 'a', 'Zilbershtain'),
        df('245', '6', '880-02', 'a', 'Title'),
        df('490', '6', '880-04', 'a', 'Series'),
        df('500', '6', 'nonsense', 'a', 'Note'),
        df('880', '6', '100-01/(2/r', 'a', 'זילברשטיין'),
        df('880', '6', '245-02/(2/r', 'a', 'כותר'),
        df('880', '6', '260-03/(2/r', 'a', 'ירושלים'),
        df('880', '6', '500-00/(2/r', 'a', 'הערה'),
      ],
    });
  }

  test('report', () => {
    const r = record();
    const report = linkageReport(r);
    assert.deepEqual(report.pairs.map((p) => [p.field.tag, p.alternate.get('a'), p.occurrence, p.script, p.orientation]), [
      ['100', 'זילברשטיין', '01', '(2', 'r'],
      ['245', 'כותר', '02', '(2', 'r'],
    ]);
    assert.deepEqual(report.unlinked.map((f) => f.get('a')), ['הערה']);
    assert.deepEqual(report.problems.map((p) => [p.kind, p.field.tag, p.fieldIndex]), [
      ['missing-880', '490', 2],
      ['malformed', '500', 3],
      ['missing-field', '880', 6],
    ]);
    assert.match(report.problems[0]!.message, /490 \$6 "880-04" has no 880 with \$6 490-04/);
    assert.match(report.problems[2]!.message, /880 \$6 "260-03\/\(2\/r" has no 260 with \$6 880-03/);
  });

  test('linkedFields goes both ways', () => {
    const r = record();
    const f245 = r.get('245')!;
    const [alt] = linkedFields(r, f245);
    assert.equal(alt?.get('a'), 'כותר');
    assert.deepEqual(linkedFields(r, alt!).map((f) => f.tag), ['245']);
    assert.deepEqual(linkedFields(r, r.get('490')!), []);
    assert.deepEqual(linkedFields(r, r.getFields('880')[3]!), []);
  });

  test('queries reach the vernacular through LNK', () => {
    const r = record();
    assert.deepEqual(query(r, 'LNK245$a'), ['כותר']);
    assert.deepEqual(query(r, 'LNK1..$a'), ['זילברשטיין']);
    assert.deepEqual(query(r, 'LNK2..$a'), ['כותר', 'ירושלים']);
    assert.deepEqual(query(r, 'LNK500$a'), ['הערה']);
  });
});

describe('real records with 880s', () => {
  // For the yaz files the counts agree with yaz's own line dumps (marccolN.u8.1.lst): 880 lines,
  // 880s with occurrence 00, and regular fields whose $6 names an 880.
  const files: [string, number, number, number, number][] = [
    // file, records, pairs, unlinked 880s, problems
    ['yaz-marccol/marccol1.u8.marc', 19, 83, 0, 0],
    ['yaz-marccol/marccol3.u8.marc', 1, 6, 0, 0],
    ['yaz-marccol/marccol4.u8.marc', 1, 3, 1, 0],
    ['yaz-marccol/marccol5.u8.marc', 11, 57, 5, 0],
    ['marc8/bad_eacc_encoding.dat', 1, 1, 0, 0],
    ['marc8/marc4js-utf8_only.mrc', 6, 28, 0, 1],
  ];
  for (const [file, records, pairs, unlinked, problems] of files) {
    test(file, () => {
      let n = 0, p = 0, u = 0, q = 0;
      for (const r of readRecordsSync(fixture(file), { mode: 'lenient' })) {
        const report = linkageReport(r);
        n++;
        p += report.pairs.length;
        u += report.unlinked.length;
        q += report.problems.length;
        for (const pair of report.pairs) {
          assert.equal(linkedFields(r, pair.field)[0], pair.alternate);
          assert.equal(linkedFields(r, pair.alternate)[0], pair.field);
        }
        assert.equal(linkedPairs(r).length, report.pairs.length);
      }
      assert.deepEqual([n, p, u, q], [records, pairs, unlinked, problems]);
    });
  }

  test('marccol4: every 880 is reachable, the 610-00 one as unlinked', () => {
    const [r] = [...readRecordsSync(fixture('yaz-marccol/marccol4.u8.marc'))];
    assert.deepEqual(query(r!, 'LNK245$a'), ['四国産学官連携センタ̄̄ー活動報告.']);
    assert.deepEqual(linkageReport(r!).unlinked.map((f) => f.get('6')), ['610-00/$1']);
  });

  test('the dangling 710-13 link in marc4js utf8_only.mrc is reported', () => {
    const records = [...readRecordsSync(fixture('marc8/marc4js-utf8_only.mrc'))];
    const problems = records.flatMap((r) => linkageReport(r).problems);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.kind, 'missing-field');
    assert.equal(problems[0]!.linkage?.raw, '710-13/(3/r');
  });
});
