import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, mrrc, withUnreadableSecond } from './helpers.js';
import { FIXTURES } from '../helpers.js';
import { check } from '../../src/cli/commands/read-commands.js';
import { Iso2709Writer } from '../../src/iso2709/writer.js';
import { Record } from '../../src/record/record.js';
import { readRecordsSync, toMarcXml } from '../../src/index.js';
import { ControlField, DataField } from '../../src/record/field.js';

const SCHEMA_FIXTURE = FIXTURES + 'validate/authority-profile.avram.json';
const SAMPLE = FIXTURES + 'mrrc-testbed/bibliographic/sample.mrc';

/** Two authority records for check --schema: one follows the test profile, one lacks 001 and 100 $a. */
function schemaCheckRecords(): Buffer {
  const writer = new Iso2709Writer();
  const fixed = new ControlField('008', '860211n| azannaabn          |a aaa      ');
  const good = new Record({ leader: '00000nz  a2200000n  4500', fields: [new ControlField('001', 'a1'), fixed, new DataField('040', ' ', ' ', [{ code: 'a', value: 'DLC' }]), new DataField('100', '1', ' ', [{ code: 'a', value: 'Twain, Mark' }])] });
  const bad = new Record({ leader: '00000nz  a2200000n  4500', fields: [fixed, new DataField('040', ' ', ' ', [{ code: 'a', value: 'DLC' }]), new DataField('100', '1', ' ', [{ code: 'd', value: '1835-1910' }])] });
  return Buffer.concat([writer.write(good), writer.write(bad)]);
}



test('stats --json: counts, record types, tags, subfields', () => {
  const result = mrrc(['stats', '--json', FIXTURES + 'pymarc/test.dat']);
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.records, 10);
  assert.deepEqual(report.recordTypes, { a: 10 });
  assert.equal(report.tags['245'], 10);
  assert.ok(report.subfields['245$a'] >= 10);
  assert.deepEqual(report.errors, {});
});

test('a command stopped by a record it cannot read still writes what it did before (dump, split, filter, get)', () => {
  const bytes = readFileSync(SAMPLE);
  const end = bytes.indexOf(0x1d) + 1;
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-stop-'));
  const input = join(dir, 'in.mrc');
  writeFileSync(input, withUnreadableSecond(bytes));
  const id = bytes.toString('latin1', 0, end).match(/\x1e([^\x1e]*)\x1e/)?.[1] ?? '';
  assert.ok(id.length > 0);
  for (const args of [['dump', input], ['split', input, '--limit', '5'], ['filter', input, '--where', '001'], ['filter', input, '--where', '001', '-t', 'marcxml'], ['get', input, '001']]) {
    const result = mrrc([...args, '--mode', 'lenient']);
    assert.equal(result.status, 1, args.join(' '));
    assert.match(result.stderr, /E107/, args.join(' '));
    assert.ok(result.stdout.includes(id), `${args.join(' ')}: the record before the failure is written`);
  }
  const xml = mrrc(['filter', input, '--where', '001', '-t', 'marcxml', '--mode', 'lenient']);
  assert.match(xml.stdout, /<\/collection>\s*$/, 'and ended as a document');
  const parts = join(dir, 'part');
  assert.equal(mrrc(['split', input, '--every', '5', '-o', parts, '--mode', 'lenient']).status, 1);
  assert.ok(readFileSync(parts + '-0001.mrc').includes(id), 'split --every keeps the part being written');
});

test('split and filter: a record ISO 2709 cannot hold stops lenient mode saying which, and permissive mode skips it', () => {
  const small = (id: string) => new Record({ fields: [new ControlField('001', id)] });
  const big = new Record({ fields: [new ControlField('001', 'big')] });
  for (let i = 0; i < 25; i++) big.addField(new DataField('500', ' ', ' ', [{ code: 'a', value: 'x'.repeat(5000) }]));
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-refused-'));
  const input = join(dir, 'in.xml');
  writeFileSync(input, toMarcXml([small('a'), big, small('b'), small('c')]));
  const ids = (stdout: string) => [...readRecordsSync(Buffer.from(stdout))].map((r) => r.getValue('001'));
  for (const args of [['split', input], ['filter', input, '--where', '001']]) {
    const lenient = mrrc([...args, '--mode', 'lenient']);
    assert.equal(lenient.status, 1);
    assert.match(lenient.stderr, /E404 .*\(record 1, 001 "big", record at byte \d+\)/, args[0]);
    assert.deepEqual(ids(lenient.stdout), ['a']);
    const permissive = mrrc([...args, '--mode', 'permissive']);
    assert.equal(permissive.status, 1);
    assert.match(permissive.stderr, /E404 .*record 1/);
    assert.deepEqual(ids(permissive.stdout), ['a', 'b', 'c'], args[0]);
  }
  const two = mrrc(['split', input, '--limit', '2', '--mode', 'permissive']);
  assert.deepEqual(ids(two.stdout), ['a', 'b'], 'a refused record takes no place in --limit');
});

test('bytes MARC-8 does not map end with one hint to name the character set; named, the file reads clean', () => {
  const input = FIXTURES + 'pymarc/1251.dat';
  const guessed = mrrc(['dump', input]);
  assert.equal(guessed.status, 1);
  const lines = guessed.stderr.trimEnd().split('\n');
  assert.ok(lines.filter((l) => / E302 /.test(l)).length > 5);
  assert.match(lines.at(-1) ?? '', /^mrrc: hint: \d+ records hold bytes MARC-8 does not map \(E302\); .*--encoding \(windows-1251/);
  assert.equal(lines.filter((l) => l.startsWith('mrrc: hint:')).length, 1, 'said once');
  const named = mrrc(['dump', input, '--encoding', 'windows-1251']);
  assert.equal(named.status, 0);
  assert.equal(named.stderr, '');
  assert.match(named.stdout, /Ильина/);
  const marc8 = mrrc(['dump', FIXTURES + 'marc8/bad_marc8_escape.dat', '--encoding', 'marc-8']);
  assert.doesNotMatch(marc8.stderr, /hint/, 'no hint once a character set is named');
  // check prints its problems on stdout and the hint on stderr, once.
  const checked = mrrc(['check', input]);
  assert.equal(checked.status, 1);
  assert.match(checked.stdout, /\tE302\t/);
  assert.match(checked.stderr, /^mrrc: hint: \d+ records hold bytes MARC-8 does not map \(E302\); .*--encoding \(windows-1251/m);
  assert.equal(checked.stderr.split('\n').filter((l) => l.startsWith('mrrc: hint:')).length, 1);
  assert.doesNotMatch(mrrc(['check', input, '--encoding', 'windows-1251']).stderr, /hint/);
  // Strict mode stops at the first E302: the hint follows the error, on one thread or several.
  for (const args of [['dump', input], ['convert', input, '-t', 'marcxml', '--jobs', '1'], ['convert', input, '-t', 'marcxml', '--jobs', '2']]) {
    const stopped = mrrc([...args, '--mode', 'strict']);
    assert.equal(stopped.status, 1, args.join(' '));
    const said = stopped.stderr.trimEnd().split('\n');
    assert.match(said.at(-2) ?? '', /^mrrc: E302 /, args.join(' '));
    assert.match(said.at(-1) ?? '', /^mrrc: hint: this record holds bytes MARC-8 does not map \(E302\); .*--encoding/, args.join(' '));
    assert.doesNotMatch(mrrc([...args, '--mode', 'strict', '--encoding', 'marc-8']).stderr, /hint/, 'not when MARC-8 was named');
  }
});

test('stats: the text report lists tags and subfields in tag order, 001 first', () => {
  const result = mrrc(['stats', FIXTURES + 'pymarc/test.dat']);
  assert.equal(result.status, 0, result.stderr);
  const sections = result.stdout.split('\n\n');
  const tags = (sections.find((s) => s.startsWith('tags\n')) ?? '').split('\n').slice(1).map((line) => line.split('\t')[0] ?? '');
  assert.ok(tags.length > 5 && tags.includes('001') && tags.includes('245'), tags.join(' '));
  assert.deepEqual(tags, [...tags].sort());
  const json = JSON.parse(mrrc(['stats', '--json', FIXTURES + 'pymarc/test.dat']).stdout) as { tags: { [tag: string]: number } };
  assert.equal(Object.keys(json.tags).length, tags.length);
});

test('check: one line per problem with index, offset and code; exit 1; clean input exits 0', () => {
  const bad = mrrc(['check', FIXTURES + 'pymarc/bad_records.mrc']);
  assert.equal(bad.status, 1);
  const lines = bad.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(lines[0]?.slice(0, 2), ['1', '127']);
  assert.equal(lines[0]?.[4], 'E004');
  assert.ok(lines.some((l) => l[4] === 'E107' && l[0] === '6'));
  const capped = mrrc(['check', '--max-errors', '2', FIXTURES + 'pymarc/bad_records.mrc']);
  assert.equal(capped.stdout.trim().split('\n').length, 2);
  assert.match(capped.stderr, /--max-errors 2/);
  const json = mrrc(['check', '--json', FIXTURES + 'mrrc/error_fixtures/e301_invalid_utf8_in_subfield.bin']);
  const problem = JSON.parse(json.stdout.trim().split('\n')[0] as string);
  assert.equal(problem.code, 'E301');
  assert.equal(problem.tag, '100');
  assert.equal(typeof problem.byteOffset, 'number');
  const clean = mrrc(['check', FIXTURES + 'mrrc-testbed/bibliographic/sample.mrc']);
  assert.equal(clean.status, 0, clean.stdout);
  assert.equal(clean.stdout, '');
});

test('JSON or XML that is not MARC is read by that format\'s reader, which says what is missing, not called junk by the ISO 2709 reader', () => {
  const json = mrrc(['check', '-'], Buffer.from('\ufeff  {"source": "a manifest", "files": []}\n'));
  assert.equal(json.status, 1);
  assert.match(json.stdout, /E402\trecord has no "fields" array/);
  const html = mrrc(['dump', '-'], Buffer.from('<html><body>not a record</body></html>'));
  assert.equal(html.status, 1);
  assert.match(html.stderr, /E401 marcxml_invalid: no MARC record element in <html>/);
  for (const run of [json, html]) assert.doesNotMatch(run.stdout + run.stderr, /E009|junk/);
});

test('check --rules adds MARC 21 rule problems (validate) to the structural ones', () => {
  const plain = mrrc(['check', FIXTURES + 'pymarc/test.dat']);
  assert.equal(plain.status, 0, plain.stdout);
  const rules = mrrc(['check', '--rules', FIXTURES + 'pymarc/test.dat']);
  assert.equal(rules.status, 1);
  const line = rules.stdout.trim().split('\n').find((l) => l.includes('\t100\t'));
  assert.ok(line, rules.stdout);
  assert.match(line, /^9\t\d+\tfol05882032 \t100\tE201\t/);
});

test('check --rules does not repeat what the read reported (encoding problems, codes, control characters)', () => {
  const input = FIXTURES + 'corrupt/ruby-marc/utf8_with_bad_bytes.marc';
  const e301 = (out: string) => out.split('\n').filter((l) => l.includes('\tE301\t'));
  const plain = mrrc(['check', input]);
  const rules = mrrc(['check', '--rules', input]);
  assert.ok(e301(plain.stdout).length > 0, plain.stdout);
  assert.deepEqual(e301(rules.stdout), e301(plain.stdout));
});

test('check on MARC-in-JSON and MARCXML: control characters in the text are problems (E305), as in ISO 2709', () => {
  const json = Buffer.from(JSON.stringify([{ leader: '00000nam a2200000 a 4500', fields: [{ '001': 'id7' }, { '245': { ind1: '1', ind2: '0', subfields: [{ a: 'Tab\there' }] } }] }]));
  const result = mrrc(['check', '-'], json);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '0\t1\tid7\t245\tE305\tfield 1 (245) $a holds a tab (0x09) at character 3; kept as read\n');
  const rules = mrrc(['check', '--rules', '-'], json);
  assert.equal(rules.stdout.split('\n').filter((l) => l.includes('E305')).length, 1, rules.stdout);
  // Pretty-printed MARCXML (LC's MODS→MARC output): line breaks inside subfields.
  const xml = mrrc(['check', FIXTURES + 'lc-reference/marc2bibframe2-nlm/015_117821.mods2marc.xml']);
  assert.equal(xml.status, 1);
  assert.deepEqual(xml.stdout.trim().split('\n').map((l) => l.split('\t').slice(3, 5).join(' ')), ['260 E305', '510 E305', '510 E305']);
});

test('check --schema FILE: rules from an Avram schema (in process)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-check-schema-'));
  const input = join(dir, 'authority.mrc');
  writeFileSync(input, schemaCheckRecords());
  const output = join(dir, 'report.txt');
  const status = await check(input, { mode: 'lenient', encoding: 'auto', output, progress: false, schema: SCHEMA_FIXTURE });
  assert.equal(status, 1);
  const lines = readFileSync(output, 'utf8').trim().split('\n');
  // Columns: record index, offset, 001 (none in the failing record), tag, code, message.
  assert.deepEqual(lines.map((l) => l.split('\t').filter((_, i) => i !== 1 && i !== 5)), [['1', '', '001', 'V105'], ['1', '', '100', 'V307']]);
  assert.match(lines[1]!, /100 \(Heading - Personal Name\) has no \$a \(Personal name\), which the schema requires$/);
  await assert.rejects(check(input, { mode: 'lenient', encoding: 'auto', progress: false, schema: join(dir, 'missing.json') }), /--schema .*missing\.json: ENOENT/);
});

test('check --schema FILE: a spawned mrrc', { skip: !mrrc(['check', '--help']).stdout.includes('--schema') && 'the --schema option is declared in src/cli/main.ts (wired by the lead)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-check-schema-'));
  const input = join(dir, 'authority.mrc');
  writeFileSync(input, schemaCheckRecords());
  const result = mrrc(['check', '--schema', SCHEMA_FIXTURE, '--json', input]);
  assert.equal(result.status, 1, result.stderr);
  const problems = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { recordIndex: number; tag?: string; code: string });
  assert.deepEqual(problems.map((p) => [p.recordIndex, p.tag ?? '', p.code]), [[1, '001', 'V105'], [1, '100', 'V307']]);
  const bad = mrrc(['check', '--schema', join(dir, 'missing.json'), input]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--schema .*missing\.json/);
});

test('split --every writes numbered parts that join back to the input; --offset/--limit slice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-split-'));
  const input = FIXTURES + 'mrrc-testbed/bibliographic/sample.mrc';
  const result = mrrc(['split', input, '--every', '100', '-o', join(dir, 'part')]);
  assert.equal(result.status, 0, result.stderr);
  const parts = readdirSync(dir).sort();
  assert.deepEqual(parts, ['part-0001.mrc', 'part-0002.mrc', 'part-0003.mrc', 'part-0004.mrc']);
  const joined = Buffer.concat(parts.map((p) => readFileSync(join(dir, p))));
  assert.deepEqual(joined, readFileSync(input));
  // An output named with its extension gives the same parts, not part.mrc-0001.mrc.
  const named = mkdtempSync(join(tmpdir(), 'mrrc-split-'));
  assert.equal(mrrc(['split', input, '--every', '100', '-o', join(named, 'part.mrc')]).status, 0);
  assert.deepEqual(readdirSync(named).sort(), parts);
  assert.equal(mrrc(['split', input, '--every', '300', '-o', join(named, 'big.MARC')]).status, 0);
  assert.deepEqual(readdirSync(named).filter((p) => p.startsWith('big')).sort(), ['big-0001.MARC', 'big-0002.MARC']);
  rmSync(named, { recursive: true, force: true });
  const slice = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'split', input, '--offset', '5', '--limit', '2']);
  const counted = mrrc(['count'], slice.stdout);
  assert.equal(counted.stdout, '2\n');
  const firstOfSlice = mrrc(['dump'], slice.stdout).stdout.split('\n')[1];
  const sixth = mrrc(['dump', input]).stdout.split('\n\n')[5]?.split('\n')[1];
  assert.equal(firstOfSlice, sixth);
});

test('--help for every command shows examples; --version', () => {
  for (const command of ['dump', 'count', 'stats', 'check', 'split']) {
    const help = mrrc([command, '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Examples:/, command);
  }
  assert.match(mrrc(['--version']).stdout, /^\d+\.\d+\.\d+/);
  assert.match(mrrc(['--help']).stdout, /Exit codes:/);
});

test('an output that cannot be written is E007, exit 2, with no stack trace: a missing directory, a full device, stdout on a full device', { skip: !existsSync('/dev/full') && 'needs /dev/full (Linux)' }, () => {
  const missing = mrrc(['convert', SAMPLE, '-t', 'marcxml', '-o', join(tmpdir(), 'mrrc-no-such-dir', 'x', 'out.xml')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^mrrc: E007 io_error: cannot write .*out\.xml: ENOENT/);
  // With workers, the output is opened while they start: the same error, and they are stopped.
  const missingWithWorkers = mrrc(['convert', SAMPLE, '-t', 'marcxml', '--jobs', '2', '-o', join(tmpdir(), 'mrrc-no-such-dir', 'x', 'out.xml')]);
  assert.equal(missingWithWorkers.status, 2);
  assert.match(missingWithWorkers.stderr, /^mrrc: E007 io_error: cannot write .*out\.xml: ENOENT/);
  const full = mrrc(['convert', SAMPLE, '-t', 'marcxml', '-o', '/dev/full']);
  assert.equal(full.status, 2);
  assert.match(full.stderr, /^mrrc: E007 io_error: writing \/dev\/full failed: ENOSPC/);
  const fd = openSync('/dev/full', 'w');
  try {
    const stdout = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'dump', SAMPLE], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    assert.equal(stdout.status, 2);
    assert.match(stdout.stderr, /^mrrc: E007 io_error: writing standard output failed: ENOSPC/);
    for (const run of [missing, missingWithWorkers, full, stdout]) assert.doesNotMatch(run.stderr, /\n\s+at /);
  } finally {
    closeSync(fd);
  }
});

test('counts that must be at least one (--every, --jobs) refuse 0 as a usage error', () => {
  for (const args of [['split', SAMPLE, '--every', '0', '-o', join(tmpdir(), 'mrrc-every-0', 'p')], ['convert', SAMPLE, '-t', 'marcxml', '--jobs', '0']]) {
    const result = mrrc(args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /1 or more/);
  }
  assert.equal(existsSync(join(tmpdir(), 'mrrc-every-0')), false, 'nothing was written');
  assert.equal(mrrc(['split', SAMPLE, '--limit', '0']).stdout.length, 0);
});

// `script` (util-linux) runs the command with a terminal on standard input, as a user at a shell.
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

test('no input and a terminal on standard input: a usage error that says what to give, not a silent wait', { skip: hasScript ? false : 'needs script(1) for a terminal' }, () => {
  for (const command of ['count', 'dump', 'convert -t marcxml']) {
    const shell = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(CLI)} ${command}`;
    const run = spawnSync('script', ['-qec', shell, '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 2, `${command}: ${run.stdout}`);
    assert.match(run.stdout, /mrrc: \w+: no input: give a file, or pipe records in/, command);
  }
  // Not a terminal: standard input is read as before.
  const piped = mrrc(['count'], readFileSync(join(FIXTURES, 'pymarc/one.dat')));
  assert.equal(piped.status, 0);
  assert.equal(piped.stdout, '1\n');
});

test('an output that is the input file is refused before it is opened (opening it would truncate the input): exit 2, input intact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-same-file-'));
  const original = readFileSync(join(FIXTURES, 'pymarc/test.dat'));
  const input = join(dir, 'split-0002.mrc');
  writeFileSync(input, original);
  symlinkSync(input, join(dir, 'link.mrc'));
  const runs: [string, string[]][] = [
    ['convert', ['convert', input, '-t', 'marc', '-o', input]],
    ['filter', ['filter', input, '--where', '245', '-o', input]],
    ['dump through a symlink', ['dump', join(dir, 'link.mrc'), '-o', input]],
    ['split slice', ['split', input, '--limit', '2', '-o', input]],
    // --every names its files prefix-0001.mrc, …: the second of them is the input here.
    ['split parts', ['split', input, '--every', '4', '-o', join(dir, 'split')]],
  ];
  for (const [what, args] of runs) {
    const run = mrrc(args);
    assert.equal(run.status, 2, what);
    assert.match(run.stderr, /is the input file; writing it would destroy what is being read/, what);
    assert.deepEqual(readFileSync(input), original, `${what}: the input is intact`);
  }
  const elsewhere = mrrc(['convert', input, '-t', 'marc', '-o', join(dir, 'out.mrc')]);
  assert.equal(elsewhere.status, 0);
  assert.deepEqual(readFileSync(join(dir, 'out.mrc')), original);
});
