import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from './user-error';

const CHUNK = 1 << 20;
const STDIN = 0;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads a file, or a pipe (`--list <(grep … urls.txt)`), or standard input
 * for the path `-` as command-line tools do, to its end, but no more than
 * `maxBytes`: `tooLarge(size)` is thrown beyond that, so /dev/zero
 * or an endless pipe is refused instead of filling memory. A folder throws
 * `notAFile`. The file system's failures become a UserError saying it
 * `cannot read NAME` (`name`: how the user knows the file).
 */
export function readCapped(
  path: string,
  maxBytes: number,
  errors: { name: string; tooLarge: (size: number) => Error; notAFile: () => Error },
): Buffer {
  try {
    return readAll(path, maxBytes, errors);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${errors.name}: ${(error as Error).message}`);
  }
}

function readAll(
  path: string,
  maxBytes: number,
  errors: { tooLarge: (size: number) => Error; notAFile: () => Error },
): Buffer {
  const fd = path === '-' ? STDIN : openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw errors.notAFile();
    if (stats.isFile() && stats.size > maxBytes) throw errors.tooLarge(stats.size);
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const read = readBlocking(fd, chunk);
      if (read === 0) break;
      size += read;
      if (size > maxBytes) throw errors.tooLarge(size);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, size);
  } finally {
    if (fd !== STDIN) closeSync(fd);
  }
}

/**
 * readSync, waiting out EAGAIN: standard input may be a pipe in non-blocking
 * mode (its writer's choice), which answers EAGAIN until the next bytes come.
 */
function readBlocking(fd: number, chunk: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, chunk, 0, CHUNK, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(PAUSE, 0, 0, 10);
    }
  }
}
