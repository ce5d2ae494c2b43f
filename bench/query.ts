/**
 * Issue 7's benchmark: compiled MARCspec queries against the same extraction written by hand
 * with field access, over realistic.mrc repeated to ~58 MB (52,000 records).
 *
 * Two measurements per spec:
 * - extraction only: records read once and held, both sides run over the same records (after a
 *   warm-up pass, so both see decoded fields); this isolates the cost of the query machinery;
 * - read + extract: the whole pipeline from the file, as a batch job runs it.
 * The ratio is query time / hand-written time; the target is ≤ 1.2×.
 */
import { readFileSync } from 'node:fs';
import { readRecordsSync, type Record } from '../src/index.js';
import { compileQuery } from '../src/query/index.js';
import { fileMB, realisticFile, row, timeBest, type Row } from './common.js';

interface Case {
  spec: string;
  byHand: (record: Record) => string[];
}

const ISBN13 = /^97[89]/;

const CASES: Case[] = [
  {
    spec: '245$a',
    byHand: (record) => {
      const out: string[] = [];
      for (const f of record.getFields('245')) if (f.isDataField()) out.push(...f.getAll('a'));
      return out;
    },
  },
  {
    spec: '650$a{^2=\\0}',
    byHand: (record) => {
      const out: string[] = [];
      for (const f of record.getFields('650')) if (f.isDataField() && f.ind2 === '0') out.push(...f.getAll('a'));
      return out;
    },
  },
  {
    // MARCspec references every 008, so the same extraction by hand lists them all too; the
    // first-only form is measured below against `first()`.
    spec: '008/35-37',
    byHand: (record) => {
      const out: string[] = [];
      for (const f of record.getFields('008')) if (f.isControlField() && f.data.length > 35) out.push(f.data.slice(35, 38));
      return out;
    },
  },
  {
    spec: '6..$a',
    byHand: (record) => {
      const out: string[] = [];
      for (const f of record.getFields('6XX')) if (f.isDataField()) out.push(...f.getAll('a'));
      return out;
    },
  },
  {
    spec: '020$a{=~/^97[89]/}',
    byHand: (record) => {
      const out: string[] = [];
      for (const f of record.getFields('020')) if (f.isDataField()) for (const v of f.getAll('a')) if (ISBN13.test(v)) out.push(v);
      return out;
    },
  },
  {
    spec: '650$a$x',
    byHand: (record) => {
      const out: string[] = [];
      for (const f of record.getFields('650')) if (f.isDataField()) out.push(...f.getAll('a', 'x'));
      return out;
    },
  },
];

function count(records: Record[], extract: (r: Record) => string[]): number {
  let n = 0;
  for (let i = 0; i < records.length; i++) n += extract(records[i] as Record).length;
  return n;
}

function passes(records: Record[], extract: (r: Record) => string[], times: number): number {
  let n = 0;
  for (let t = 0; t < times; t++) n += count(records, extract);
  return n;
}

export function run(options: { runs?: number; sizeMB?: number; passes?: number } = {}): Row[] {
  const runs = options.runs ?? 9;
  const times = options.passes ?? 4;
  const path = realisticFile(options.sizeMB ?? 58);
  const mb = fileMB(path);
  const bytes = readFileSync(path);
  const rows: Row[] = [];
  const section = `query: realistic ×${Math.round(mb)} MB`;

  // The pipeline first, while no records are held: 200 MB of live records would make every
  // collection in these runs slower and the comparison noisier.
  let total = 0;
  for (const c of CASES.slice(0, 3)) {
    const q = compileQuery(c.spec);
    let hand = Number.POSITIVE_INFINITY;
    let query = Number.POSITIVE_INFINITY;
    // Two reads per timing: one read of the file takes ~0.1 s, short enough for a collection
    // to swing a single timing by half.
    for (let i = 0; i < runs; i++) {
      hand = Math.min(hand, timeBest(1, () => {
        let n = 0;
        for (let k = 0; k < 2; k++) for (const r of readRecordsSync(bytes, { mode: 'lenient' })) n += c.byHand(r).length;
        return n;
      }).seconds);
      query = Math.min(query, timeBest(1, () => {
        let n = 0;
        for (let k = 0; k < 2; k++) for (const r of readRecordsSync(bytes, { mode: 'lenient' })) n += q.values(r).length;
        total = n;
        return n;
      }).seconds);
    }
    rows.push(row(section, `read + ${c.spec} by hand (2 reads)`, 104000, hand, mb * 2));
    rows.push({ ...row(section, `read + ${c.spec} compiled query (2 reads)`, 104000, query, mb * 2), ratio: query / hand });
  }
  void total;

  const records = [...readRecordsSync(bytes, { mode: 'lenient' })];
  for (const r of rows) {
    r.records = records.length * 2;
    r.recPerSec = r.records / r.seconds;
  }
  for (const c of CASES) {
    const q = compileQuery(c.spec);
    const expected = count(records, c.byHand);
    const got = count(records, (r) => q.values(r));
    if (got !== expected) throw new Error(`${c.spec}: query found ${got} values, the hand-written loop ${expected}`);
    // Interleaved, so drift on a shared machine hits both alike.
    let hand = Number.POSITIVE_INFINITY;
    let query = Number.POSITIVE_INFINITY;
    // Alternating which side goes first, so a collection owed by one run is not always paid by
    // the same side.
    for (let i = 0; i < runs; i++) {
      const h = (): void => {
        hand = Math.min(hand, timeBest(1, () => (passes(records, c.byHand, times), records.length)).seconds);
      };
      const qq = (): void => {
        query = Math.min(query, timeBest(1, () => (passes(records, (r) => q.values(r), times), records.length)).seconds);
      };
      if (i % 2 === 0) (h(), qq());
      else (qq(), h());
    }
    const n = records.length * times;
    rows.push(row(section, `extract ${c.spec} by hand (${times} passes)`, n, hand, mb * times, `${expected} values a pass`));
    rows.push({ ...row(section, `extract ${c.spec} compiled query (${times} passes)`, n, query, mb * times), ratio: query / hand });
  }

  // First value only: `first()` against the getControlField / get(code) a hand-written loop uses.
  const firsts: [string, (r: Record) => string | undefined][] = [
    ['008/35-37', (r) => {
      const data = r.getControlField('008')?.data;
      return data !== undefined && data.length > 35 ? data.slice(35, 38) : undefined;
    }],
    ['245$a', (r) => r.getDataField('245')?.get('a')],
  ];
  for (const [spec, byHand] of firsts) {
    const q = compileQuery(spec);
    // A first value costs a fraction of a microsecond: more passes, or timer noise dominates.
    const one = (f: (r: Record) => string | undefined) => () => {
      let n = 0;
      for (let t = 0; t < times * 5; t++) for (let i = 0; i < records.length; i++) if (f(records[i] as Record) !== undefined) n++;
      return n;
    };
    let hand = Number.POSITIVE_INFINITY;
    let query = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) {
      hand = Math.min(hand, timeBest(1, one(byHand)).seconds);
      query = Math.min(query, timeBest(1, one((r) => q.first(r))).seconds);
    }
    const n = records.length * times * 5;
    rows.push(row(section, `first ${spec} by hand (${times * 5} passes)`, n, hand, mb * times * 5));
    rows.push({ ...row(section, `first ${spec} compiled query (${times * 5} passes)`, n, query, mb * times * 5), ratio: query / hand });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { machine, table } = await import('./common.js');
  console.log(`Machine: ${machine()}\n\n${table(run())}`);
}
