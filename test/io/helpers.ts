import type { ReadResult } from '../../src/index.js';
import { fixtureFiles } from '../helpers.js';

/** Every ISO 2709 file among the test fixtures (.bin too), relative to the fixtures folder. */
export function corpusFiles(): string[] {
  return fixtureFiles(/\.(mrc|dat|marc|bin)$/i);
}

/** A comparable line per frame: where, what, why, and (deep) the record as decoded JSON. */
export function summarise(result: ReadResult, deep = true): string {
  let json = result.record === null ? 'skipped' : 'record';
  // Equal raw bytes parse equally, so decoding every field is only worth it once per file.
  if (deep && result.record !== null) {
    try {
      json = JSON.stringify(result.record.toJSON());
    } catch (e) {
      json = `throws ${(e as { code?: string }).code ?? (e as Error).message}`;
    }
  }
  const errors = result.errors.map((e) => `${e.code}@${e.byteOffset ?? ''}#${e.recordIndex ?? ''}:${e.message}`).join('|');
  return `${result.recordIndex}:${result.recordOffset}:${Buffer.from(result.raw).toString('base64')}:${errors}:${json}`;
}

/** The bytes in chunks of `size` (or sizes drawn from `size()`), as a sync iterable. */
export function* chunked(bytes: Uint8Array, size: number | (() => number)): Generator<Uint8Array> {
  let at = 0;
  while (at < bytes.length) {
    const n = Math.max(1, typeof size === 'number' ? size : size());
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Handles this test process holds open, less the ones a test runner always has. */
export function openHandles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap' && r !== 'Timeout' && r !== 'Immediate');
}

/** Waits a few turns for closes already requested to land, then lists what is still open. */
export async function settledHandles(): Promise<string[]> {
  for (let i = 0; i < 20; i++) {
    if (openHandles().length === 0) return [];
    await new Promise((r) => setTimeout(r, 10));
  }
  return openHandles();
}
