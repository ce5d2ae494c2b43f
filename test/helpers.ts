import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Every ISO 2709 file under test/fixtures (.mrc, .dat, .marc), as paths relative to FIXTURES, sorted. */
export function isoCorpusFiles(dir: string = FIXTURES): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...isoCorpusFiles(full));
    else if (/\.(mrc|dat|marc)$/.test(name)) out.push(full.slice(FIXTURES.length));
  }
  return out.sort();
}
