/** Where the CLI writes: its two streams, and its output (to --out or stdout) without losing it. */
import { writeFile } from 'node:fs/promises';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * The output: to --out, or stdout. Should writing fail after all (the disk filled up, the folder went
 * away), the text goes to stdout instead, with the reason on stderr — the work is not lost.
 */
export async function writeOutput(out: string | undefined, text: string, io: Io): Promise<void> {
  if (out === undefined) return io.stdout(text);
  try {
    await writeFile(out, text);
  } catch (err) {
    io.stderr(`could not write ${out} (${(err as Error).message}); the output follows on stdout\n`);
    io.stdout(text);
  }
}

