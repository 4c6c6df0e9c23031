/**
 * Where the CLI writes; injectable for tests. Its own module so the commands (`runCommand`,
 * `recordCommand`) need not import `main.ts`, which imports them.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** What `--out -` streams to (default process.stdout). */
  readonly stdout?: NodeJS.WritableStream;
}
