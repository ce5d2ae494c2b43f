/*
 * What the input's first bytes say about the rest: gzip-compressed input (a `.mrc.gz` dump, or
 * compressed bytes on standard input) is read as what it holds, by every command, in any format;
 * a damaged one is an I/O error (exit 2). An output named `*.gz` is written compressed. UTF-16
 * input (by its byte order mark, or a zero in every other byte) and other compressed files or
 * archives (by their magic bytes) are refused with the way out, not read as junk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mrrc, mrrcBytes } from './helpers.js';
import { FIXTURES } from '../helpers.js';
import { fileSignature, openInput } from '../../src/cli/input.js';
import { partName } from '../../src/cli/commands/read-commands.js';

const SAMPLE = FIXTURES + 'mrrc-testbed/bibliographic/sample.mrc';
const dir = mkdtempSync(join(tmpdir(), 'mrrc-gzip-'));
const plain = readFileSync(SAMPLE);
const gz = join(dir, 'sample.mrc.gz');
writeFileSync(gz, gzipSync(plain));

const PACKED = FIXTURES + 'packed/';

test('fileSignature tells a compressed file or an archive by its magic bytes, not its name', () => {
  assert.equal(fileSignature(gz), 'gzip');
  assert.equal(fileSignature(SAMPLE), null);
  assert.equal(fileSignature(join(dir, 'missing.gz')), null);
  const named = join(dir, 'misnamed.mrc');
  writeFileSync(named, readFileSync(PACKED + 'one.mrc.xz'));
  assert.equal(fileSignature(named), 'xz');
  for (const [file, signature] of [['one.mrc.bz2', 'bzip2'], ['one.mrc.zst', 'zstd'], ['one.zip', 'zip'], ['one.tar', 'tar'], ['one.tar.gz', 'gzip']] as const) {
    assert.equal(fileSignature(PACKED + file), signature, file);
  }
});

test('a gzip file\'s progress is counted in the bytes of the file, which its size is', async () => {
  const input = openInput(gz, { mode: 'strict', encoding: 'auto' });
  assert.equal(input.size, readFileSync(gz).length);
  const reached = input.reached;
  assert.ok(reached !== undefined);
  let records = 0;
  let last = 0;
  for await (const result of input.results()) {
    assert.ok(result.record !== null);
    assert.ok(reached() >= last && reached() <= input.size);
    last = reached();
    records++;
  }
  assert.ok(records > 1);
  assert.equal(reached(), input.size);
  assert.equal(openInput(SAMPLE, { mode: 'strict', encoding: 'auto' }).reached, undefined);
});

test('count, dump, stats and get read a .gz file as the file it holds', () => {
  for (const args of [['count', '--json'], ['dump'], ['stats', '--json'], ['get', '245$a']]) {
    const fromGz = mrrc([args[0] as string, gz, ...args.slice(1)]);
    const fromPlain = mrrc([args[0] as string, SAMPLE, ...args.slice(1)]);
    assert.equal(fromGz.status, 0, `${args.join(' ')}: ${fromGz.stderr}`);
    assert.equal(fromGz.stdout, fromPlain.stdout, args.join(' '));
    assert.ok(fromGz.stdout.length > 0);
  }
});

test('convert reads gzip from a file (even with --jobs) and from standard input, in any format', () => {
  const fromFile = mrrcBytes(['convert', gz, '-t', 'marc', '--jobs', '2']);
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.deepEqual(fromFile.stdout, plain);
  const xml = mrrcBytes(['convert', SAMPLE, '-t', 'marcxml']).stdout;
  const fromStdin = mrrcBytes(['convert', '-', '-t', 'marc'], gzipSync(xml));
  assert.equal(fromStdin.status, 0, fromStdin.stderr);
  assert.deepEqual(fromStdin.stdout, plain);
  // Two gzip members one after the other (`cat a.gz b.gz`) are both read, as gunzip reads them.
  const twice = mrrc(['count', '--json', '-'], Buffer.concat([gzipSync(plain), gzipSync(plain)]));
  const once = JSON.parse(mrrc(['count', '--json', SAMPLE]).stdout) as { records: number };
  assert.equal((JSON.parse(twice.stdout) as { records: number }).records, once.records * 2);
});

test('a truncated gzip file is an I/O error naming the file (exit 2)', () => {
  const cut = join(dir, 'cut.mrc.gz');
  const whole = gzipSync(plain);
  writeFileSync(cut, whole.subarray(0, whole.length >> 1));
  const result = mrrc(['count', cut]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /E007 .*cannot decompress .*cut\.mrc\.gz \(gzip\): unexpected end of file/);
});

test('-o NAME.gz writes gzip: convert and split, read back as the records', () => {
  const out = join(dir, 'out.xml.gz');
  const result = mrrc(['convert', SAMPLE, '-t', 'marcxml', '-o', out]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(fileSignature(out), 'gzip');
  assert.deepEqual(mrrcBytes(['convert', out, '-t', 'marc']).stdout, plain);
  const parts = join(dir, 'parts', 'big.mrc.gz');
  const split = mrrc(['split', SAMPLE, '--every', '4', '-o', parts]);
  assert.equal(split.status, 0, split.stderr);
  const first = join(dir, 'parts', 'big-0001.mrc.gz');
  assert.equal(fileSignature(first), 'gzip');
  assert.equal(partName(parts, 1), first);
  const back = Buffer.concat(readdirSync(join(dir, 'parts')).sort().map((name) => gunzipSync(readFileSync(join(dir, 'parts', name)))));
  assert.deepEqual(back, plain);
});

test('-o NAME.gz in a directory that cannot be written is E007 (exit 2), as a plain name is', () => {
  const result = mrrc(['convert', SAMPLE, '-t', 'marc', '-o', join(dir, 'no', 'such', 'dir', 'x.mrc.gz')]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /E007 .*cannot write/);
});

test('UTF-16 input is refused by its byte order mark, saying how to convert it (file, stdin, gzip, -f)', () => {
  const xml = mrrcBytes(['convert', SAMPLE, '-t', 'marcxml']).stdout.toString('utf8');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
  const be = Buffer.from(le);
  be.swap16();
  const file = join(dir, 'utf16.xml');
  writeFileSync(file, le);
  for (const [args, input, order] of [
    [['count', file], undefined, 'FF FE, little-endian'],
    [['count', '-f', 'marcxml', '--mode', 'permissive', file], undefined, 'FF FE, little-endian'],
    [['count', '-'], be, 'FE FF, big-endian'],
    [['count', '-'], gzipSync(le), 'FF FE, little-endian'],
  ] as const) {
    const result = mrrc([...args], input);
    assert.equal(result.status, 1, args.join(' '));
    assert.ok(result.stderr.includes(`is UTF-16 (it starts with the byte order mark ${order}); MARC formats are read as UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8`), result.stderr);
  }
  // A UTF-8 byte order mark is only that.
  const bom8 = mrrc(['count', '--json', '-'], Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]));
  assert.equal(bom8.status, 0, bom8.stderr);
  assert.equal((JSON.parse(bom8.stdout) as { records: number }).records, (JSON.parse(mrrc(['count', '--json', SAMPLE]).stdout) as { records: number }).records);
});

test('UTF-16 without a byte order mark is refused too, by the zero in every other byte', () => {
  const xml = mrrcBytes(['convert', SAMPLE, '-t', 'marcxml']).stdout.toString('utf8');
  const le = Buffer.from(xml, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  for (const [input, endian, from] of [[le, 'little-endian', 'UTF-16LE'], [be, 'big-endian', 'UTF-16BE']] as const) {
    const result = mrrc(['count', '-'], input);
    assert.equal(result.status, 1);
    assert.ok(result.stderr.includes(`standard input is UTF-16 (${endian} without a byte order mark: a zero in every other byte); MARC formats are read as UTF-8: convert it first, e.g. iconv -f ${from} -t UTF-8`), result.stderr);
  }
});

test('xz, bzip2, zstd, zip and tar input is refused with the command that unpacks it (file, stdin, --jobs, .tar.gz)', () => {
  for (const [file, what, command] of [
    ['one.mrc.xz', 'xz-compressed', 'xz -dc'],
    ['one.mrc.bz2', 'bzip2-compressed', 'bzip2 -dc'],
    ['one.mrc.zst', 'zstd-compressed', 'zstd -dc'],
    ['one.zip', 'a zip archive', 'unzip -p'],
    ['one.tar', 'a tar archive', 'tar -xOf'],
    ['one.tar.gz', 'a tar archive', 'tar -xOf'],
  ] as const) {
    const path = PACKED + file;
    for (const args of [['count', path], ['convert', path, '-t', 'marcxml', '--jobs', '2'], ['dump', '--mode', 'permissive', path]]) {
      const result = mrrc(args);
      assert.equal(result.status, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.includes(`${path} is ${what}; mrrc reads MARC, and gzip itself, but not `), result.stderr);
      assert.ok(result.stderr.includes(`first, e.g. ${command} ${path} | mrrc`), result.stderr);
      // Nothing read, so nothing written but an empty MARCXML collection.
      assert.ok(!/<record|\d{5}/.test(result.stdout), `${args.join(' ')}: ${result.stdout}`);
    }
    const piped = mrrc(['count', '-'], readFileSync(path));
    assert.ok(piped.stderr.includes(`standard input is ${what}`) && piped.stderr.includes(`e.g. ${command} FILE | mrrc`), piped.stderr);
  }
  // What the archive holds, unpacked as the message says, is the record.
  assert.equal((JSON.parse(mrrc(['count', '--json', '-'], readFileSync(FIXTURES + 'pymarc/one.dat')).stdout) as { records: number }).records, 1);
});
