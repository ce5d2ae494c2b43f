/**
 * Where a command writes: standard output, or the `-o` file. Writes wait for 'drain', so a slow
 * reader downstream pauses us instead of filling memory.
 */
import { createWriteStream, open, openSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { MarcError } from '../errors.js';

/** An output path that asks for gzip (`out.xml.gz`), as input in gzip is read as what it holds. */
function wantsGzip(path: string): boolean {
  return /\.gz$/i.test(path);
}

export class Output {
  readonly #stream: Writable;
  /** The file under a gzip stream (`#stream` then compresses into it); null otherwise. */
  readonly #file: Writable | null = null;
  readonly #ownsStream: boolean;
  #pending: (string | Uint8Array)[] = [];
  /** Called once the matching pending piece is written (or copied): its memory may be reused. */
  #done: ((() => void) | undefined)[] = [];
  #pendingSize = 0;
  readonly #path: string;
  /** The file stream's first error: reported (E007) at the next flush or close. */
  #error: Error | null = null;
  #closed = false;

  /**
   * Opens `path` off this thread. Opening for writing truncates, and the kernel's freeing of an
   * earlier run's output takes time (~0.35 s for 550 MB here) that a worker pool, whose tasks this
   * thread hands out, would otherwise spend idle.
   */
  static async open(path: string | undefined): Promise<Output> {
    if (path === undefined || path === '-') return new Output(path);
    const fd = await new Promise<number>((resolve, reject) => {
      open(path, 'w', (error, opened) => (error === null ? resolve(opened) : reject(cannotWrite(path, error))));
    });
    return new Output(path, fd);
  }

  constructor(path: string | undefined, openedFd?: number) {
    if (path === undefined || path === '-') {
      this.#stream = process.stdout;
      this.#ownsStream = false;
      this.#path = 'standard output';
    } else {
      // Opened here, so a path that cannot be written is a clear error before any work starts,
      // rather than an 'error' event on a stream nobody listens to yet.
      let fd: number;
      try {
        fd = openedFd ?? openSync(path, 'w');
      } catch (e) {
        throw cannotWrite(path, e);
      }
      // A big high-water mark: with the default 16 KiB every batch (hundreds of KB) would wait
      // for 'drain', and while we wait the worker pool's results are not taken, so it stalls.
      const file = createWriteStream(path, { fd, highWaterMark: 16 << 20 });
      file.on('error', (e: Error) => {
        this.#error ??= e;
      });
      if (wantsGzip(path)) {
        // zlib compresses on libuv's threads; its write callbacks fire once a piece is consumed.
        const gzip = createGzip();
        gzip.on('error', (e: Error) => {
          this.#error ??= e;
        });
        gzip.pipe(file);
        this.#stream = gzip;
        this.#file = file;
      } else {
        this.#stream = file;
      }
      this.#ownsStream = true;
      this.#path = path;
    }
  }

  #failed(cause: unknown): MarcError {
    const error = this.#error ?? cause;
    return new MarcError('E007', `writing ${this.#path} failed: ${(error as Error).message}`, { source: 'io' }, { cause: error });
  }

  /** Waits for `event` on the stream (for 'finish', the file's); a write error instead becomes E007. */
  async #wait(event: 'drain' | 'finish'): Promise<void> {
    const file = this.#file;
    try {
      if (file === null) await once(this.#stream, event);
      // Under gzip the file can fail too, which `once` on the gzip stream would not see.
      else await whichever(event === 'finish' ? file : this.#stream, event, [this.#stream, file]);
    } catch (e) {
      throw this.#failed(e);
    }
  }

  /** Buffers small pieces into ~64 KB writes; call `flush` (or await `maybeFlush`) regularly. */
  write(piece: string | Uint8Array, written?: () => void): void {
    this.#pending.push(piece);
    this.#done.push(written);
    this.#pendingSize += piece.length;
  }

  /** A promise only when it flushed, so per-record callers await nothing most of the time. */
  maybeFlush(): Promise<void> | undefined {
    return this.#pendingSize >= 1 << 18 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.#error !== null) throw this.#failed(this.#error);
    if (this.#pending.length === 0) return;
    const pieces = this.#pending;
    const done = this.#done;
    this.#pending = [];
    this.#done = [];
    this.#pendingSize = 0;
    if (pieces.length <= 16 && pieces.every((p) => typeof p !== 'string')) {
      // A few byte pieces are big ones (a worker's batch, a 256 KiB buffer): joining them would
      // only copy them again. Many small ones (a record each) are joined into one write below.
      let ready = true;
      for (let i = 0; i < pieces.length; i++) ready = this.#stream.write(pieces[i] as Uint8Array, done[i]);
      if (!ready) await this.#wait('drain');
      return;
    }
    const chunk = pieces.every((p) => typeof p === 'string')
      ? (pieces as string[]).join('')
      : Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    // Joined: the pieces were copied.
    for (const callback of done) callback?.();
    if (!this.#stream.write(chunk)) await this.#wait('drain');
  }

  /** Ends the output; once (a second call, from an error path, would wait for 'finish' forever). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    if (this.#ownsStream) {
      this.#stream.end();
      if (this.#error !== null) throw this.#failed(this.#error);
      await this.#wait('finish');
    }
  }

  /**
   * Runs `work`, which writes here. When it fails (a record that stops lenient reading, say), what
   * it wrote is still written out, ended by `tail` when given (a collection's end tag) so that it
   * stays a document, before the error goes on: output held in the buffer was lost.
   */
  async keepOnFailure<T>(work: () => Promise<T>, tail?: () => string | Uint8Array): Promise<T> {
    try {
      return await work();
    } catch (e) {
      try {
        if (tail !== undefined) this.write(tail());
      } catch {
        // The failure was the output's own.
      }
      await this.close().catch(() => undefined);
      throw e;
    }
  }
}

/** `event` on `target`, or the first 'error' of any of `watched`; no listener is left behind. */
function whichever(target: Writable, event: string, watched: Writable[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      target.off(event, onEvent);
      for (const stream of watched) stream.off('error', onError);
    };
    const onEvent = (): void => {
      done();
      resolve();
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    target.on(event, onEvent);
    for (const stream of watched) stream.on('error', onError);
  });
}

function cannotWrite(path: string, cause: unknown): MarcError {
  return new MarcError('E007', `cannot write ${path}: ${(cause as Error).message}`, { source: 'io' }, { cause });
}
