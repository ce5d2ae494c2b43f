/**
 * Progress on stderr while a long job runs: records, MB, rate and (for files) ETA. Shown only when
 * stderr is a terminal, so pipelines and logs get nothing but errors.
 */
import { createRequire } from 'node:module';
import type { SingleBar } from 'cli-progress';

// Required when a bar is shown (cli-progress is CommonJS): a pipeline or a log never loads it.
const require = createRequire(import.meta.url);

export interface Progress {
  /**
   * Called per record with the input byte offset reached, or a function giving it: a text
   * format's result makes its raw bytes on first access, which only a drawn bar needs.
   */
  tick(recordsDone: number, bytesDone: number | (() => number)): void;
  /** Error lines must not be drawn over by the bar. */
  log(line: string): void;
  stop(): void;
}

class TerminalProgress implements Progress {
  readonly #bar: SingleBar;
  readonly #totalBytes: number;
  readonly #started = Date.now();
  #lastDraw = 0;

  constructor(totalBytes: number) {
    this.#totalBytes = totalBytes;
    const known = totalBytes > 0;
    const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
    this.#bar = new Bar({
      stream: process.stderr,
      format: known
        ? ' {bar} {percentage}% | {records} records | {mb}/{totalMb} MB | {rate} rec/s | ETA {eta_formatted}'
        : ' {records} records | {mb} MB | {rate} rec/s',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
      noTTYOutput: false,
    });
    this.#bar.start(known ? totalBytes : 1, 0, { records: 0, mb: '0.0', totalMb: (totalBytes / 1048576).toFixed(1), rate: 0 });
  }

  tick(records: number, bytesDone: number | (() => number)): void {
    // Redrawing costs more than parsing a record; a few times a second is enough for a person.
    const now = Date.now();
    if (now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    const bytes = typeof bytesDone === 'number' ? bytesDone : bytesDone();
    const seconds = Math.max(0.001, (now - this.#started) / 1000);
    this.#bar.update(this.#totalBytes > 0 ? Math.min(bytes, this.#totalBytes) : 0, {
      records,
      mb: (bytes / 1048576).toFixed(1),
      rate: Math.round(records / seconds),
    });
  }

  log(line: string): void {
    process.stderr.write('\r\x1b[K' + line + '\n');
    this.#lastDraw = 0;
  }

  stop(): void {
    this.#bar.stop();
  }
}

const silent: Progress = {
  tick() {},
  log(line) {
    process.stderr.write(line + '\n');
  },
  stop() {},
};

export function createProgress(totalBytes: number, enabled: boolean | undefined): Progress {
  const show = enabled ?? (process.stderr.isTTY === true);
  return show ? new TerminalProgress(totalBytes) : silent;
}
