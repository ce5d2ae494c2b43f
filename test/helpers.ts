import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readResultsSync } from '../src/io/sync.js';
import type { ReadResult } from '../src/iso2709/reader.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixture(path: string): Buffer {
  return readFileSync(FIXTURES + path);
}

export function fixturePath(path: string): string {
  return FIXTURES + path;
}

/** Deterministic PRNG (mulberry32) so generated cases are reproducible from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every file under test/fixtures whose name `pattern` matches, as paths relative to FIXTURES, sorted. */
export function fixtureFiles(pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (pattern.test(name)) out.push(full.slice(FIXTURES.length));
    }
  };
  walk(FIXTURES);
  return out.sort();
}

/** Every ISO 2709 file under test/fixtures (.mrc, .dat, .marc), as paths relative to FIXTURES, sorted. */
export function isoCorpusFiles(): string[] {
  return fixtureFiles(/\.(mrc|dat|marc)$/);
}

/**
 * Up to `maxPerFile` records of every ISO 2709 corpus file, read permissively (broken ones too),
 * counting only those `keep` accepts; a file the reader gives up on keeps what it gave before.
 */
export function corpusRecords(maxPerFile: number, keep: (result: ReadResult) => boolean = () => true): { file: string; result: ReadResult }[] {
  const out: { file: string; result: ReadResult }[] = [];
  for (const file of isoCorpusFiles()) {
    let n = 0;
    try {
      for (const result of readResultsSync(fixture(file), { mode: 'permissive', maxErrors: 1e9 })) {
        if (result.record === null || !keep(result)) continue;
        out.push({ file, result });
        if (++n >= maxPerFile) break;
      }
    } catch {
      continue;
    }
  }
  return out;
}

/** A named pipe in a fresh directory, removed after `use`; the test is skipped where there is no mkfifo. */
export async function withFifo(t: TestContext, use: (fifo: string, dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mrrc-fifo-'));
  try {
    const fifo = join(dir, 'in.fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      t.skip('mkfifo is not available here');
      return;
    }
    await use(fifo, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
