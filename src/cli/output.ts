/**
 * Where a command writes: standard output, or the `-o` file. Writes wait for 'drain', so a slow
 * reader downstream pauses us instead of filling memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export class Output {
  readonly #stream: Writable;
  readonly #ownsStream: boolean;
  #pending: (string | Uint8Array)[] = [];
  #pendingSize = 0;

  constructor(path: string | undefined) {
    if (path === undefined || path === '-') {
      this.#stream = process.stdout;
      this.#ownsStream = false;
    } else {
      // A big high-water mark: with the default 16 KiB every batch (hundreds of KB) would wait
      // for 'drain', and while we wait the worker pool's results are not taken, so it stalls.
      this.#stream = createWriteStream(path, { highWaterMark: 16 << 20 });
      this.#ownsStream = true;
    }
  }

  /** Buffers small pieces into ~64 KB writes; call `flush` (or await `maybeFlush`) regularly. */
  write(piece: string | Uint8Array): void {
    this.#pending.push(piece);
    this.#pendingSize += piece.length;
  }

  /** A promise only when it flushed, so per-record callers await nothing most of the time. */
  maybeFlush(): Promise<void> | undefined {
    return this.#pendingSize >= 1 << 18 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const pieces = this.#pending;
    this.#pending = [];
    this.#pendingSize = 0;
    const chunk = pieces.every((p) => typeof p === 'string')
      ? (pieces as string[]).join('')
      : Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.#ownsStream) {
      this.#stream.end();
      await once(this.#stream, 'finish');
    }
  }
}
