import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mrrcBytes as mrrc, withUnreadableSecond } from './helpers.js';
import { convertJobs } from '../../src/cli/commands/convert.js';
import { FIXTURES, withFifo } from '../helpers.js';
import { ControlField, DataField, Record, parseRecord, readRecordsSync } from '../../src/index.js';

const SAMPLE = FIXTURES + 'mrrc-testbed/bibliographic/sample.mrc';

test('convert ISO 2709 → each text format → ISO 2709 gives the input back byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-convert-'));
  for (const format of ['marcxml', 'marcjson', 'plain-json', 'mrk']) {
    const file = join(dir, `out.${format}`);
    const there = mrrc(['convert', SAMPLE, '-t', format, '-o', file]);
    assert.equal(there.status, 0, `${format}: ${there.stderr}`);
    const back = mrrc(['convert', file, '-t', 'marc']);
    assert.equal(back.status, 0, `${format} back: ${back.stderr}`);
    assert.deepEqual(back.stdout, readFileSync(SAMPLE), format);
  }
});

test('convert reads standard input and sniffs the format', () => {
  const xml = mrrc(['convert', '-t', 'marcxml'], readFileSync(FIXTURES + 'pymarc/one.dat'));
  assert.equal(xml.status, 0, xml.stderr);
  assert.match(xml.stdout.toString('utf8'), /<collection xmlns="http:\/\/www.loc.gov\/MARC21\/slim">/);
  const back = mrrc(['convert', '-t', 'marc'], xml.stdout);
  assert.deepEqual(back.stdout, readFileSync(FIXTURES + 'pymarc/one.dat'));
});

test('convert --to-encoding marc8 and back; --leader edits; --normalize nfd', () => {
  const marc8 = mrrc(['convert', FIXTURES + 'pymarc/utf8_with_leader_flag.dat', '-t', 'marc', '--to-encoding', 'marc8']);
  assert.equal(marc8.status, 0, marc8.stderr);
  const [record] = [...readRecordsSync(marc8.stdout)];
  assert.equal(record?.raw?.[9], 0x20, 'leader/09 blank for MARC-8');
  assert.equal(record?.getValue('240', 'a')?.normalize('NFC'), 'De la solitude à la communauté.');
  const edited = mrrc(['convert', FIXTURES + 'pymarc/one.dat', '-t', 'marc', '--leader', '5=c', '--leader', '17=7']);
  const e = parseRecord(edited.stdout);
  assert.equal(e.leader.recordStatus, 'c');
  assert.equal(e.leader.encodingLevel, '7');
  const nfd = mrrc(['convert', FIXTURES + 'marc8/marc8.dat', '-t', 'marc', '--normalize', 'nfd']);
  const value = parseRecord(nfd.stdout).getValue('240', 'a') ?? '';
  assert.equal(value, value.normalize('NFD'));
  assert.notEqual(value, value.normalize('NFC'));
});

test('convert --jobs 2 gives the same output as one thread, in every output format', () => {
  const input = FIXTURES + 'folio/5000.mrc';
  // Formats whose records depend on the ones before (mrk, csv, plain-json) run on one thread: here
  // they must still match, which they did not when workers wrote them.
  for (const format of ['marcxml', 'json', 'jsonl', 'plain-json', 'mrk', 'text', 'csv', 'marc', 'mods', 'dc', 'bibframe']) {
    // BIBFRAME's admin metadata holds the time of conversion, as LC's marc2bibframe2 writes it.
    const undated = (bytes: Buffer) => bytes.toString('latin1').replace(/(#dateTime">)[^<]+/g, '$1');
    const one = undated(mrrc(['convert', input, '-t', format, '--jobs', '1']).stdout);
    const two = mrrc(['convert', input, '-t', format, '--jobs', '2']);
    assert.equal(two.status, 0, two.stderr);
    assert.ok(one.length > 1000);
    // Not deepEqual: a diff of two multi-MB strings runs the test process out of memory.
    const same = undated(two.stdout) === one;
    assert.ok(same, `${format}: --jobs 2 output differs from --jobs 1`);
  }
});

test('convert --jobs 2 -o over a longer earlier output replaces it whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-over-'));
  try {
    const out = join(dir, 'out.xml');
    // An earlier, longer output: the new one must not keep its tail.
    writeFileSync(out, 'x'.repeat(4 << 20));
    const expected = mrrc(['convert', FIXTURES + 'folio/5000.mrc', '-t', 'marcxml', '--jobs', '1']).stdout;
    const run = mrrc(['convert', FIXTURES + 'folio/5000.mrc', '-t', 'marcxml', '--jobs', '2', '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(readFileSync(out).equals(expected));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('convert --jobs: every core by default from 64 MiB; --jobs wins; one thread for formats that carry state between records', () => {
  const MiB = 1024 * 1024;
  assert.equal(convertJobs('marcxml', undefined, 63 * MiB, 8), 1);
  assert.equal(convertJobs('marcxml', undefined, 64 * MiB, 8), 8);
  assert.equal(convertJobs('json', 1, 500 * MiB, 8), 1);
  assert.equal(convertJobs('marc', 3, 1, 8), 3);
  for (const format of ['mrk', 'csv', 'bibframe']) assert.equal(convertJobs(format, 2, 500 * MiB, 8), 1, format);
  assert.equal(convertJobs('plain-json', 2, 500 * MiB, 8), 2, 'a JSON array is written in parts');
});

test('convert -t bibframe --jobs 2: records without an 001 are named by their position in the input, each once; one datestamp per output', () => {
  // Each worker counted its own records, so records of different workers were given one IRI
  // (their works merged in the graph), and each record carried the second it was converted in.
  const records = [...readRecordsSync(readFileSync(SAMPLE))];
  const without001: Record[] = [];
  for (let copy = 0; copy < 3; copy++) {
    for (const r of records) without001.push(new Record({ leader: r.leader.value, fields: r.fields.filter((f) => f.tag !== '001').map((f) => f.clone()) }));
  }
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-bf-'));
  const input = join(dir, 'no001.mrc');
  writeFileSync(input, Buffer.concat(without001.map((r) => r.toMarc())));
  assert.ok(readFileSync(input).length > 1024 * 1024, 'more than one worker task');
  const run = mrrc(['convert', input, '-t', 'bibframe', '--jobs', '2']);
  assert.equal(run.status, 0, run.stderr);
  const text = run.stdout.toString('utf8');
  const works = [...text.matchAll(/<bf:Work rdf:about="http:\/\/example\.org\/([^"#]+)#Work"/g)].map((m) => m[1]);
  assert.deepEqual(works, without001.map((_, i) => `record${i + 1}`));
  const stamps = [...text.matchAll(/<bf:generationProcess [^>]*\/>\s*<bf:date [^>]*>([^<]+)</g)].map((m) => m[1]);
  assert.equal(stamps.length, without001.length);
  assert.equal(new Set(stamps).size, 1, 'one datestamp');
});

test('convert -t json writes one JSON array (workers too, and [] for no records); jsonl a record a line', () => {
  const input = FIXTURES + 'folio/5000.mrc';
  const expected = [...readRecordsSync(readFileSync(input))].map((r) => r.getValue('001'));
  for (const format of ['json', 'marcjson', 'plain-json']) {
    for (const jobs of ['1', '2']) {
      const run = mrrc(['convert', input, '-t', format, '--jobs', jobs]);
      assert.equal(run.status, 0, run.stderr);
      const parsed = JSON.parse(run.stdout.toString('utf8')) as { fields: { [tag: string]: unknown }[] }[];
      assert.ok(Array.isArray(parsed), `${format} --jobs ${jobs}`);
      const ids = parsed.map((r) => (format === 'plain-json' ? (r.fields[0] as { value: string }).value : r.fields[0]?.['001']));
      assert.deepEqual(ids, expected, `${format} --jobs ${jobs}`);
    }
  }
  const indented = mrrc(['convert', input, '-t', 'json', '--jobs', '2', '--indent']);
  assert.equal((JSON.parse(indented.stdout.toString('utf8')) as unknown[]).length, 5000);
  assert.match(indented.stdout.toString('utf8'), /^\[\n\{\n {2}"leader"/);
  assert.equal(mrrc(['convert', '-t', 'json', '-f', 'iso2709'], Buffer.alloc(0)).stdout.toString('utf8'), '[]\n');
  const lines = mrrc(['convert', input, '-t', 'jsonl']).stdout.toString('utf8').trimEnd().split('\n');
  assert.equal(lines.length, 5000);
  assert.equal((JSON.parse(lines[4999] as string) as { fields: { [tag: string]: string }[] }).fields[0]?.['001'], expected[4999]);
});

test('convert: an unknown output format is a usage error; a corrupt input in each mode', () => {
  const unknown = mrrc(['convert', SAMPLE, '-t', 'nonsense']);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /nonsense/);
  const bad = FIXTURES + 'pymarc/bad_records.mrc';
  const strict = mrrc(['convert', bad, '-t', 'marcxml', '--mode', 'strict']);
  assert.equal(strict.status, 1);
  assert.match(strict.stderr, /E004/);
  const permissive = mrrc(['convert', bad, '-t', 'marcxml', '--mode', 'permissive']);
  assert.equal(permissive.status, 1);
  // Record 6 is a leader alone: read, with a warning (E107), as its own writer's output must be.
  assert.equal((permissive.stdout.toString('utf8').match(/<record>/g) ?? []).length, 8);
  assert.match(permissive.stderr, /E107 no_fields: the record has no fields; read as its leader alone \(record 6,/);
});

test('an unknown --to is a usage error (exit 2) that lists every output format, before any record is read', () => {
  for (const args of [['convert', SAMPLE, '-t', 'nope'], ['filter', SAMPLE, '--where', '245', '-t', 'nope']]) {
    const result = mrrc(args);
    assert.equal(result.status, 2, args.join(' '));
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /nope/);
    assert.match(result.stderr, /mods, dc, bibframe/);
  }
});

test('every name in TARGET_FORMATS loads a writer, and every registered output format is among them', async () => {
  const { TARGET_FORMATS, loadTargetWriter } = await import('../../src/cli/writer-loader.js');
  const [record] = [...readRecordsSync(readFileSync(FIXTURES + 'pymarc/one.dat'))];
  for (const format of TARGET_FORMATS) {
    const writer = await loadTargetWriter(format, {});
    assert.ok(writer.write(record!).length > 0, format);
  }
  const { formatNames } = await import('../../src/io/formats.js');
  for (const name of formatNames()) assert.ok(TARGET_FORMATS.includes(name), `${name} is registered but --to does not accept it`);
  await assert.rejects(loadTargetWriter('nope', {}), /E403/);
});

test('an unknown --from or --encoding is a usage error (exit 2) with the choices, not a stack trace', () => {
  const from = mrrc(['convert', SAMPLE, '-f', 'csv', '-t', 'marcxml']);
  assert.equal(from.status, 2);
  assert.match(from.stderr, /--from.*'csv' is invalid.*marcxml/);
  const encoding = mrrc(['count', SAMPLE, '--encoding', 'klingon']);
  assert.equal(encoding.status, 2);
  assert.match(encoding.stderr, /--encoding.*'klingon' is invalid/);
  assert.doesNotMatch(from.stderr + encoding.stderr, /\n\s+at /);
  for (const name of ['windows-1251', 'MARC8', 'utf8', 'latin1']) assert.equal(mrrc(['count', SAMPLE, '--encoding', name]).status, 0, name);
});

test('a record the target cannot hold: lenient stops at it keeping the records before; permissive skips and reports it, exit 1 either way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-unwritable-'));
  const good = parseRecord(readFileSync(FIXTURES + 'pymarc/one.dat'));
  const plain = good.toJSON();
  const bad = good.toJSON();
  const f245 = bad.fields.find((f) => f.tag === '245') as { subfields: { code: string; value: string }[] };
  (f245.subfields[0] as { value: string }).value = 'Bad\u001fvalue';
  // MARC-in-JSON can carry a 0x1F inside a value; ISO 2709 cannot.
  const input = join(dir, 'in.jsonl');
  const toMij = (r: typeof plain): string => mrrc(['convert', '-f', 'plain-json', '-t', 'jsonl'], Buffer.from(JSON.stringify(r))).stdout.toString('utf8');
  writeFileSync(input, toMij(plain) + toMij(bad) + toMij(plain));
  const lenient = mrrc(['convert', input, '-t', 'marc']);
  assert.equal(lenient.status, 1);
  assert.match(lenient.stderr, /E404 .*\(245\) cannot be written as ISO 2709: \$a holds a subfield delimiter \(0x1F\).*record 1/);
  assert.equal([...readRecordsSync(lenient.stdout)].length, 1, 'the record before the failure is written');
  const permissive = mrrc(['convert', input, '-t', 'marc', '--mode', 'permissive']);
  assert.equal(permissive.status, 1);
  assert.match(permissive.stderr, /record 1/);
  const written = [...readRecordsSync(permissive.stdout)];
  assert.equal(written.length, 2);
  assert.ok(written.every((r) => r.title === good.title));
});

test('convert stopped by a record it cannot read leaves a document that can be read: the records before it, then the end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-convert-'));
  const input = join(dir, 'in.mrc');
  writeFileSync(input, withUnreadableSecond(readFileSync(SAMPLE)));
  for (const jobs of ['1', '2']) {
    const xml = mrrc(['convert', input, '-t', 'marcxml', '--mode', 'lenient', '--jobs', jobs]);
    assert.equal(xml.status, 1);
    assert.match(xml.stderr, /E107/);
    assert.match(xml.stdout.toString('utf8'), /<\/collection>\s*$/);
    assert.equal(mrrc(['count', '--mode', 'strict', '-f', 'marcxml'], xml.stdout).stdout.toString('utf8').trim(), '1');
    const json = mrrc(['convert', input, '-t', 'json', '--mode', 'lenient', '--jobs', jobs]);
    assert.equal(json.status, 1);
    assert.equal((JSON.parse(json.stdout.toString('utf8')) as unknown[]).length, 1, `--jobs ${jobs}`);
  }
});

test('convert --oversize truncate-length writes a record over 99,999 bytes whole; without it, E404 names the flag', () => {
  const small = new Record({ fields: [new ControlField('001', 'small')] });
  const big = new Record({ fields: [new ControlField('001', 'big')] });
  for (let i = 0; i < 30; i++) big.addField(new DataField('500', ' ', ' ', [{ code: 'a', value: `${i} ${'x'.repeat(5000)}` }]));
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-oversize-'));
  const xml = join(dir, 'in.xml');
  writeFileSync(xml, mrrc(['convert', '-f', 'plain-json', '-t', 'marcxml'], Buffer.from(JSON.stringify([small.toJSON(), big.toJSON(), small.toJSON()]))).stdout);
  const refused = mrrc(['convert', xml, '-t', 'marc']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /E404 .*record is \d+ bytes, beyond ISO 2709's 99999 \(convert with --oversize truncate-length to keep it whole\)/);
  const whole = mrrc(['convert', xml, '-t', 'marc', '--oversize', 'truncate-length']);
  assert.equal(whole.status, 0, whole.stderr);
  const second = Number(whole.stdout.toString('latin1', 0, 5));
  assert.equal(whole.stdout.toString('latin1', second, second + 5), '99999', 'the big record states 99999');
  const back = [...readRecordsSync(whole.stdout, { mode: 'lenient' })];
  assert.deepEqual(back.map((r) => r.getValue('001')), ['small', 'big', 'small']);
  assert.deepEqual(back[1]?.toJSON().fields, big.toJSON().fields);
  // Through the workers too (the input is that ISO 2709 file, read leniently).
  const iso = join(dir, 'in.mrc');
  writeFileSync(iso, whole.stdout);
  const one = mrrc(['convert', iso, '-t', 'marc', '--oversize', 'truncate-length', '--jobs', '1', '--mode', 'lenient']);
  const two = mrrc(['convert', iso, '-t', 'marc', '--oversize', 'truncate-length', '--jobs', '2', '--mode', 'lenient']);
  assert.ok(Buffer.compare(one.stdout, whole.stdout) === 0);
  assert.ok(Buffer.compare(two.stdout, whole.stdout) === 0);
  assert.equal(two.stderr, one.stderr);
});

test('convert --jobs 2: a record ISO 2709 cannot hold is reported as on one thread, with its offset and its repairs', () => {
  // Its first entry's tag is not ASCII: read with repairs (E101, E106), then refused by the writer (E404).
  const input = FIXTURES + 'mrrc-testbed/malformed/bad_directory.mrc';
  for (const mode of ['permissive', 'lenient']) {
    const one = mrrc(['convert', input, '-t', 'marc', '--jobs', '1', '--mode', mode, '-f', 'iso2709']);
    const two = mrrc(['convert', input, '-t', 'marc', '--jobs', '2', '--mode', mode, '-f', 'iso2709']);
    assert.equal(one.status, 1);
    assert.equal(two.status, 1);
    // Permissive skips the record and goes on; lenient stops there, having said what reading
    // repaired in it (the repairs that made it unwritable), which it used to leave out.
    if (mode === 'permissive') assert.match(one.stderr, /E404 .*record at byte \d+\)\nmrrc: E101 /);
    else assert.match(one.stderr, /^mrrc: E101 .*\n(mrrc: E106 .*\n)+mrrc: E404 .*record at byte 0\)\n$/);
    assert.equal(two.stderr, one.stderr, mode);
    assert.ok(Buffer.compare(two.stdout, one.stdout) === 0, mode);
  }
});

test('convert --jobs 2 reports every repair and skip as --jobs 1 does, with the same exit code and output', () => {
  const input = FIXTURES + 'pymarc/bad_records.mrc';
  for (const mode of ['lenient', 'permissive', 'strict']) {
    const one = mrrc(['convert', input, '-t', 'marcxml', '--jobs', '1', '--mode', mode]);
    const two = mrrc(['convert', input, '-t', 'marcxml', '--jobs', '2', '--mode', mode]);
    assert.equal(one.status, 1, mode);
    assert.equal(two.status, one.status, mode);
    if (mode !== 'strict') assert.ok(one.stderr.split('\n').filter((l) => l.startsWith('mrrc: E')).length >= 7, one.stderr);
    assert.equal(two.stderr, one.stderr, `${mode}: the same lines in the same (record) order`);
    assert.ok(Buffer.compare(two.stdout, one.stdout) === 0, mode);
  }
  // Repairs alone, no skipped record: --jobs 2 said nothing and exited 0.
  const records = readFileSync(input);
  const ends: number[] = [];
  for (let i = records.indexOf(0x1d); i >= 0; i = records.indexOf(0x1d, i + 1)) ends.push(i + 1);
  const repairsOnly = mrrc(['convert', '-t', 'marcxml', '--jobs', '2', '-f', 'iso2709'], records.subarray(ends[0], ends[2]));
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-repairs-'));
  writeFileSync(join(dir, 'in.mrc'), records.subarray(ends[0], ends[2]));
  const fromFile = mrrc(['convert', join(dir, 'in.mrc'), '-t', 'marcxml', '--jobs', '2']);
  assert.equal(fromFile.status, 1);
  assert.match(fromFile.stderr, /E004 .*\(record 0,/);
  assert.match(fromFile.stderr, /E003 .*\(record 1,/);
  assert.equal(repairsOnly.status, 1, 'standard input, one thread');
});

test('characters XML cannot carry: convert -t marcxml writes U+FFFD and says so (E304 warning, record and 001, exit 1), with or without workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-xml-invalid-'));
  const make = (id: string, value: string): Uint8Array => new Record({ leader: '00000nam a2200000 a 4500', fields: [new ControlField('001', id), new DataField('245', '1', '0', [{ code: 'a', value }])] }).toMarc();
  const input = join(dir, 'in.mrc');
  writeFileSync(input, Buffer.concat([make('a1', 'Clean'), make('a2', 'Bell\x07 and\x00null'), make('a3', 'Clean too')]));
  const runs = ['1', '2'].map((jobs) => mrrc(['convert', input, '-t', 'marcxml', '--jobs', jobs]));
  for (const run of runs) {
    assert.equal(run.status, 1);
    assert.equal(run.stderr, 'mrrc: E304 unencodable_character: 2 characters XML 1.0 cannot carry (U+0007, U+0000) written as U+FFFD (record 1, 001 "a2", record at byte 63)\n');
    assert.match(run.stdout.toString('utf8'), /Bell\ufffd and\ufffdnull/);
  }
  assert.ok(Buffer.compare(runs[0]?.stdout ?? Buffer.alloc(0), runs[1]?.stdout ?? Buffer.alloc(1)) === 0);
  const clean = join(dir, 'clean.mrc');
  writeFileSync(clean, make('a1', 'Clean'));
  assert.equal(mrrc(['convert', clean, '-t', 'marcxml', '--jobs', '2']).status, 0);
});

test('characters XML cannot carry: the MODS, Dublin Core and BIBFRAME crosswalks say so too (E304), with or without workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-xml-invalid-'));
  const make = (id: string, value: string): Uint8Array => new Record({ leader: '00000nam a2200000 a 4500', fields: [new ControlField('001', id), new DataField('245', '1', '0', [{ code: 'a', value }])] }).toMarc();
  const input = join(dir, 'in.mrc');
  writeFileSync(input, Buffer.concat([make('a1', 'Clean'), make('a2', 'Bell\x07 title'), make('a3', 'Clean too')]));
  for (const format of ['mods', 'dc', 'bibframe']) {
    const runs = ['1', '2'].map((jobs) => mrrc(['convert', input, '-t', format, '--jobs', jobs]));
    for (const run of runs) {
      assert.equal(run.status, 1, format);
      assert.match(run.stderr, /^mrrc: E304 unencodable_character: \d+ characters? XML 1\.0 cannot carry \(U\+0007\) written as U\+FFFD \(record 1, 001 "a2", record at byte 63\)\n$/, format);
      assert.match(run.stdout.toString('utf8'), /Bell\ufffd title/, format);
    }
    // BIBFRAME's admin metadata carries the time of the run.
    const output = (i: number): string => (runs[i]?.stdout.toString('utf8') ?? '').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/g, 'TIME');
    assert.equal(output(1), output(0), format);
  }
  const clean = join(dir, 'clean.mrc');
  writeFileSync(clean, make('a1', 'Clean'));
  for (const format of ['mods', 'dc', 'bibframe']) assert.equal(mrrc(['convert', clean, '-t', format]).status, 0, format);
});

test('convert --jobs 2 from a gzip file or standard input: workers fed from this thread, the same output, reports and exit code as one thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-jobs-stream-'));
  try {
    for (const file of ['pymarc/bad_records.mrc', 'folio/5000.mrc']) {
      const input = FIXTURES + file;
      const gz = join(dir, 'in.mrc.gz');
      writeFileSync(gz, gzipSync(readFileSync(input)));
      for (const mode of ['lenient', 'permissive', 'strict']) {
        const one = mrrc(['convert', input, '-t', 'marcxml', '--jobs', '1', '--mode', mode]);
        for (const [label, run] of [
          ['gzip', mrrc(['convert', gz, '-t', 'marcxml', '--jobs', '2', '--mode', mode])],
          ['stdin', mrrc(['convert', '-', '-t', 'marcxml', '--jobs', '2', '--mode', mode], readFileSync(input))],
        ] as const) {
          const what = `${file} ${label} ${mode}`;
          assert.equal(run.status, one.status, what);
          assert.equal(run.stderr, one.stderr, what);
          assert.ok(Buffer.compare(run.stdout, one.stdout) === 0, what);
        }
      }
    }
    // A damaged gzip file: what came before the damage, written and ended; an I/O error (exit 2).
    const whole = gzipSync(readFileSync(FIXTURES + 'folio/5000.mrc'));
    const cut = join(dir, 'cut.mrc.gz');
    writeFileSync(cut, whole.subarray(0, whole.length >> 1));
    const damaged = mrrc(['convert', cut, '-t', 'marcxml', '--jobs', '2']);
    assert.equal(damaged.status, 2);
    assert.match(damaged.stderr, /E007 .*cannot decompress .*cut\.mrc\.gz \(gzip\): unexpected end of file/);
    const xml = damaged.stdout.toString('utf8');
    assert.ok(xml.endsWith('</collection>\n') || xml.endsWith('</collection>'), xml.slice(-100));
    assert.ok((xml.match(/<record>/g) ?? []).length > 100);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('convert --jobs 2 reads a file by what it holds, not its name: MARCXML named .dat is MARCXML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-jobs-sniff-'));
  try {
    const xml = join(dir, 'records.dat');
    writeFileSync(xml, mrrc(['convert', SAMPLE, '-t', 'marcxml']).stdout);
    // It went to the workers as ISO 2709 and came out as one E009 of junk.
    const run = mrrc(['convert', xml, '-t', 'marc', '--jobs', '2']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(Buffer.compare(run.stdout, readFileSync(SAMPLE)) === 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('convert --jobs 2 of a pipe given as a path (a FIFO, <(zcat …)): every record, not an empty output', (t) =>
  withFifo(t, (fifo, dir) => {
    const plain = readFileSync(SAMPLE);
    // stat calls a pipe 0 bytes: the workers were given no range to read, and the output was
    // empty, exit 0.
    for (const [what, bytes] of [['plain', plain], ['gzip', gzipSync(plain)]] as const) {
      const source = join(dir, `source-${what}`);
      writeFileSync(source, bytes);
      const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', source, fifo], { stdio: 'ignore' });
      const run = mrrc(['convert', fifo, '-t', 'marc', '--jobs', '2']);
      writer.kill();
      assert.equal(run.status, 0, `${what}: ${run.stderr}`);
      assert.ok(Buffer.compare(run.stdout, plain) === 0, what);
    }
  }));
