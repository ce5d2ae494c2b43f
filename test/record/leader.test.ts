import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Leader, LEADER_LENGTH, LeaderPosition } from '../../src/record/leader.js';
import { Record } from '../../src/record/record.js';
import {
  CODED_LEADER_POSITIONS,
  allowedLeaderValues,
  describeLeaderValue,
  formatOfRecordType,
  isValidLeaderValue,
  leaderPositionDefinition,
  leaderPositionName,
} from '../../src/record/leader-values.js';

// one.dat (pymarc/ruby-marc): a real LC leader with encoding level '4' and form 'a'.
const ONE_DAT_LEADER = '00755cam  22002414a 4500';

describe('Leader construction', () => {
  test('defaults to a blank new language-material monograph', () => {
    const leader = new Leader();
    assert.equal(leader.value, '00000nam a2200000   4500');
    assert.equal(leader.value.length, LEADER_LENGTH);
  });

  test('refuses a string of another length instead of shifting or dropping positions', () => {
    assert.throws(() => new Leader('00755cam'), (e: unknown) => e instanceof RangeError && /24 characters; "00755cam" is 8/.test(e.message));
    assert.throws(() => new Leader(ONE_DAT_LEADER + 'XYZ'), RangeError);
    const leader = new Leader(ONE_DAT_LEADER);
    assert.throws(() => { leader.value = 'abc'; }, RangeError);
    assert.equal(leader.value, ONE_DAT_LEADER, 'a refused value leaves the leader as it was');
    assert.throws(() => new Leader(null as unknown as string), TypeError);
    assert.throws(() => new Record({ leader: '00755cam', fields: [] }), RangeError);
  });

  test('record.leader takes a Leader or its 24 characters, as pymarc does, and nothing else', () => {
    const record = new Record();
    record.leader = ONE_DAT_LEADER;
    assert.ok(record.leader instanceof Leader);
    assert.equal(record.leader.bibliographicLevel, 'm');
    assert.throws(() => { record.leader = '00755cam'; }, RangeError);
    assert.throws(() => { record.leader = null as unknown as string; }, TypeError);
    assert.equal(record.leader.value, ONE_DAT_LEADER);
  });

  test('normalise is the explicit repair: pads with blanks or cuts', () => {
    assert.equal(Leader.normalise('00755cam'), '00755cam                ');
    assert.equal(Leader.normalise(ONE_DAT_LEADER + 'XYZ'), ONE_DAT_LEADER);
    assert.equal(Leader.normalise(ONE_DAT_LEADER), ONE_DAT_LEADER);
  });

  test('toString and toJSON give the 24 characters', () => {
    const leader = new Leader(ONE_DAT_LEADER);
    assert.equal(String(leader), ONE_DAT_LEADER);
    assert.equal(JSON.stringify({ leader }), `{"leader":"${ONE_DAT_LEADER}"}`);
  });

  test('clone is independent', () => {
    const leader = new Leader(ONE_DAT_LEADER);
    const copy = leader.clone();
    copy.recordStatus = 'd';
    assert.equal(leader.recordStatus, 'c');
    assert.equal(copy.recordStatus, 'd');
  });
});

describe('Leader get/set', () => {
  test('get reads one or several positions', () => {
    const leader = new Leader(ONE_DAT_LEADER);
    assert.equal(leader.get(5), 'c');
    assert.equal(leader.get(0, 5), '00755');
    assert.equal(leader.get(20, 4), '4500');
    assert.equal(leader.get(23), '0');
  });

  test('set overwrites from a position, spanning several', () => {
    const leader = new Leader(ONE_DAT_LEADER);
    leader.set(5, 'n');
    leader.set(17, ' a ');
    assert.equal(leader.value, '00755nam  2200241 a 4500');
    leader.set(0, '99999');
    assert.equal(leader.get(0, 5), '99999');
    assert.equal(leader.value.length, 24);
  });

  test('positions outside 0..23 throw RangeError', () => {
    const leader = new Leader();
    assert.throws(() => leader.get(24), RangeError);
    assert.throws(() => leader.get(-1), RangeError);
    assert.throws(() => leader.get(22, 3), RangeError);
    assert.throws(() => leader.get(1.5), RangeError);
    assert.throws(() => leader.set(23, 'ab'), RangeError);
    assert.throws(() => leader.set(-1, 'a'), RangeError);
    assert.equal(leader.value, '00000nam a2200000   4500', 'a failed set changes nothing');
  });

  test('LeaderPosition names the MARC 21 positions', () => {
    assert.equal(LeaderPosition.recordType, 6);
    assert.equal(LeaderPosition.encodingLevel, 17);
    assert.equal(LeaderPosition.baseAddress, 12);
    assert.equal(LeaderPosition.undefinedEntryMap, 23);
  });
});

describe('Leader typed accessors', () => {
  test('read the coded positions of a real leader', () => {
    const leader = new Leader(ONE_DAT_LEADER);
    assert.equal(leader.recordLength, 755);
    assert.equal(leader.recordStatus, 'c');
    assert.equal(leader.recordType, 'a');
    assert.equal(leader.bibliographicLevel, 'm');
    assert.equal(leader.typeOfControl, ' ');
    assert.equal(leader.characterCodingScheme, ' ');
    assert.equal(leader.indicatorCount, 2);
    assert.equal(leader.subfieldCodeCount, 2);
    assert.equal(leader.baseAddress, 241);
    assert.equal(leader.encodingLevel, '4');
    assert.equal(leader.descriptiveCatalogingForm, 'a');
    assert.equal(leader.multipartResourceRecordLevel, ' ');
    assert.equal(leader.entryMap, '4500');
  });

  test('write single positions', () => {
    const leader = new Leader(ONE_DAT_LEADER);
    leader.recordStatus = 'n';
    leader.recordType = 'c';
    leader.bibliographicLevel = 's';
    leader.typeOfControl = 'a';
    leader.characterCodingScheme = 'a';
    leader.encodingLevel = ' ';
    leader.descriptiveCatalogingForm = 'i';
    leader.multipartResourceRecordLevel = 'a';
    assert.equal(leader.value, '00755ncsaa2200241 ia4500');
  });

  test('numbers are zero-padded and range-checked', () => {
    const leader = new Leader();
    leader.recordLength = 755;
    leader.baseAddress = 241;
    leader.indicatorCount = 2;
    leader.subfieldCodeCount = 2;
    assert.equal(leader.value, '00755nam a2200241   4500');
    assert.throws(() => { leader.recordLength = 100000; }, RangeError);
    assert.throws(() => { leader.recordLength = -1; }, RangeError);
    assert.throws(() => { leader.recordLength = 1.5; }, RangeError);
    assert.throws(() => { leader.baseAddress = 123456; }, RangeError);
    assert.throws(() => { leader.indicatorCount = 10; }, RangeError);
    assert.throws(() => { leader.subfieldCodeCount = -1; }, RangeError);
  });

  test('non-digit lengths read as NaN', () => {
    // ruby-marc one.xml: MARCXML leaders often leave the computed numbers blank.
    const leader = new Leader('     njm a22     uu 4500');
    assert.ok(Number.isNaN(leader.recordLength));
    assert.ok(Number.isNaN(leader.baseAddress));
    assert.equal(leader.indicatorCount, 2);
  });

  test('single-character setters reject other lengths', () => {
    const leader = new Leader();
    assert.throws(() => { leader.recordStatus = ''; }, RangeError);
    assert.throws(() => { leader.recordType = 'ab'; }, RangeError);
    assert.throws(() => { leader.encodingLevel = '12'; }, RangeError);
    assert.throws(() => { leader.entryMap = '450'; }, RangeError);
    leader.entryMap = '4500';
    assert.equal(leader.entryMap, '4500');
  });
});

describe('leader value tables', () => {
  test('format from leader/06', () => {
    assert.equal(formatOfRecordType('a'), 'bibliographic');
    assert.equal(formatOfRecordType('z'), 'authority');
    for (const code of ['u', 'v', 'x', 'y']) assert.equal(formatOfRecordType(code), 'holdings');
    assert.equal(formatOfRecordType('w'), 'classification');
    assert.equal(formatOfRecordType('q'), 'community');
    assert.equal(formatOfRecordType('?'), 'bibliographic');
  });

  test('bibliographic descriptions', () => {
    assert.equal(describeLeaderValue(5, 'c'), 'Corrected or revised');
    assert.equal(describeLeaderValue(6, 'a'), 'Language material');
    assert.equal(describeLeaderValue(6, 'j'), 'Musical sound recording');
    assert.equal(describeLeaderValue(7, 'm'), 'Monograph/Item');
    assert.equal(describeLeaderValue(8, ' '), 'No specified type');
    assert.equal(describeLeaderValue(9, 'a'), 'UCS/Unicode');
    assert.equal(describeLeaderValue(9, ' '), 'MARC-8');
    assert.equal(describeLeaderValue(17, ' '), 'Full level');
    assert.equal(describeLeaderValue(17, '8'), 'Prepublication level');
    assert.equal(describeLeaderValue(18, 'i'), 'ISBD punctuation included');
    assert.equal(describeLeaderValue(19, 'b'), 'Part with independent title');
    assert.equal(describeLeaderValue(17, 'n'), undefined, 'n is an authority code');
  });

  test('authority: 17 is n/o, 18 is punctuation policy, 07-08 undefined', () => {
    assert.equal(describeLeaderValue(17, 'n', 'z'), 'Complete authority record');
    assert.equal(describeLeaderValue(17, 'o', 'authority'), 'Incomplete authority record');
    assert.equal(describeLeaderValue(17, ' ', 'z'), undefined);
    assert.equal(isValidLeaderValue(17, ' ', 'z'), false);
    assert.equal(leaderPositionName(18, 'z'), 'Punctuation policy');
    assert.equal(describeLeaderValue(18, 'c', 'z'), 'Punctuation omitted');
    assert.equal(describeLeaderValue(5, 'x', 'z'), 'Deleted; heading replaced by another heading');
    assert.equal(isValidLeaderValue(5, 'p', 'z'), false);
    assert.equal(leaderPositionName(7, 'z'), 'Undefined');
    assert.equal(isValidLeaderValue(7, ' ', 'z'), true);
    assert.equal(isValidLeaderValue(7, 'm', 'z'), false);
  });

  test('holdings: 17 is 1 2 3 4 5 m u z, 18 item information', () => {
    assert.deepEqual(allowedLeaderValues(17, 'y'), ['1', '2', '3', '4', '5', 'm', 'u', 'z']);
    assert.equal(describeLeaderValue(17, '5', 'x'), 'Holdings level 4 with piece designation');
    assert.equal(leaderPositionName(18, 'v'), 'Item information in record');
    assert.deepEqual(allowedLeaderValues(18, 'holdings'), ['i', 'n']);
    assert.deepEqual(allowedLeaderValues(5, 'u'), ['c', 'd', 'n']);
  });

  test('classification and community', () => {
    assert.equal(describeLeaderValue(17, 'n', 'w'), 'Complete classification record');
    assert.equal(leaderPositionName(7, 'q'), 'Kind of data');
    assert.equal(describeLeaderValue(7, 'q', 'q'), 'Event');
    assert.equal(describeLeaderValue(7, 'n', 'community'), 'Individual');
    assert.equal(isValidLeaderValue(17, ' ', 'q'), true);
    assert.equal(isValidLeaderValue(17, 'n', 'q'), false);
  });

  test('leader/06 is read across formats', () => {
    assert.equal(describeLeaderValue(6, 'z'), 'Authority data');
    assert.equal(describeLeaderValue(6, 'y', 'authority'), 'Serial item holdings');
    assert.equal(isValidLeaderValue(6, 'w'), true);
    assert.equal(isValidLeaderValue(6, 's'), false, 's is not a type of record');
  });

  test('obsolete codes are described but not valid', () => {
    assert.equal(describeLeaderValue(6, 'b'), 'Archival and manuscripts control [obsolete]');
    assert.equal(isValidLeaderValue(6, 'b'), false);
    assert.equal(describeLeaderValue(18, 'p'), 'Partial ISBD (BK) [obsolete]');
    assert.equal(isValidLeaderValue(18, 'p'), false);
  });

  test('structural positions', () => {
    assert.equal(leaderPositionDefinition(10), undefined);
    assert.equal(describeLeaderValue(10, '2'), undefined);
    assert.equal(leaderPositionName(12), 'Base address of data');
    assert.equal(isValidLeaderValue(10, '2'), true);
    assert.equal(isValidLeaderValue(11, '3'), false);
    assert.equal(isValidLeaderValue(23, '0'), true);
    assert.equal(isValidLeaderValue(23, ' '), false);
    assert.equal(isValidLeaderValue(0, '7'), true);
    assert.equal(isValidLeaderValue(14, ' '), false);
    assert.equal(isValidLeaderValue(99, 'a'), false);
  });

  test('every coded position has a table in every format', () => {
    for (const recordType of ['a', 'z', 'y', 'w', 'q']) {
      for (const position of CODED_LEADER_POSITIONS) {
        const definition = leaderPositionDefinition(position, recordType);
        assert.ok(definition !== undefined, `${recordType} ${position}`);
        assert.ok(Object.keys(definition.values).length > 0);
        for (const code of Object.keys(definition.values)) assert.equal(code.length, 1);
      }
    }
  });
});

describe('Leader.describe / validate', () => {
  test('describe names every coded position', () => {
    const described = new Leader(ONE_DAT_LEADER).describe();
    assert.deepEqual(described.map((d) => d.position), [5, 6, 7, 8, 9, 17, 18, 19]);
    assert.deepEqual(described[0], { position: 5, name: 'Record status', value: 'c', description: 'Corrected or revised' });
    assert.deepEqual(described[1], { position: 6, name: 'Type of record', value: 'a', description: 'Language material' });
    assert.deepEqual(described[5], { position: 17, name: 'Encoding level', value: '4', description: 'Core level' });
    assert.deepEqual(described[6], { position: 18, name: 'Descriptive cataloging form', value: 'a', description: 'AACR 2' });
    assert.deepEqual(described[7], { position: 19, name: 'Multipart resource record level', value: ' ', description: 'Not specified or not applicable' });
  });

  test('describe reads authority leaders as authority', () => {
    // A subject authority leader as in folio-mod-data-import/5000.mrc.
    const described = new Leader('00422cz  a2200157n  4500').describe();
    assert.equal(described.find((d) => d.position === 6)?.description, 'Authority data');
    assert.deepEqual(described.find((d) => d.position === 17), { position: 17, name: 'Encoding level', value: 'n', description: 'Complete authority record' });
    assert.equal(described.find((d) => d.position === 18)?.name, 'Punctuation policy');
    assert.equal(described.find((d) => d.position === 18)?.description, 'No information provided');
  });

  test('describe gives undefined for values the format lacks', () => {
    const described = new Leader('00000nam a2200000K  4500').describe();
    assert.equal(described.find((d) => d.position === 17)?.description, undefined);
  });

  test('a valid leader validates empty', () => {
    assert.deepEqual(new Leader(ONE_DAT_LEADER).validate(), []);
    assert.deepEqual(new Leader().validate(), []);
    assert.deepEqual(new Leader('00422cz  a2200157n  4500').validate(), []);
    assert.deepEqual(new Leader('00200cy  a22000851n 4500').validate(), []);
  });

  test('validate reports bad codes with what is allowed', () => {
    // OCLC's encoding level K is not MARC 21; UNIMARC ends its entry map in a blank.
    const problems = new Leader('01243nam a2200217K  450 ').validate();
    assert.deepEqual(problems.map((p) => p.position), [17, 23]);
    const level = problems[0];
    assert.equal(level?.name, 'Encoding level');
    assert.equal(level?.value, 'K');
    assert.equal(level?.description, undefined);
    assert.deepEqual(level?.allowed, [' ', '1', '2', '3', '4', '5', '7', '8', 'u', 'z']);
    assert.deepEqual(problems[1]?.allowed, ['0']);
  });

  test('validate uses the format of leader/06', () => {
    // A full-level bibliographic encoding level is wrong in an authority record.
    const problems = new Leader('00422cz  a2200157   4500').validate();
    assert.deepEqual(problems.map((p) => [p.position, p.value]), [[17, ' ']]);
    assert.deepEqual(problems[0]?.allowed, ['n', 'o']);
    // …and the other way round.
    assert.deepEqual(new Leader('00000nam a2200000n  4500').validate().map((p) => p.position), [17]);
    // An explicit record type overrides leader/06.
    assert.deepEqual(new Leader('00000nam a2200000n  4500').validate('authority').map((p) => p.position), [7]);
  });

  test('validate checks indicator and subfield counts and the entry map', () => {
    const problems = new Leader('00000nam a3300000   4501').validate();
    assert.deepEqual(problems.map((p) => p.position), [10, 11, 23]);
    assert.equal(problems[0]?.name, 'Indicator count');
  });

  test('validate leaves the computed lengths alone', () => {
    assert.deepEqual(new Leader('     njm a22     uu 4500').validate(), []);
  });
});
