import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from './user-error';

const CHUNK = 1 << 20;

/**
 * Reads a file, or a pipe (`--list <(grep … urls.txt)`), to its end, but no
 * more than `maxBytes`: `tooLarge(size)` is thrown beyond that, so /dev/zero
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
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw errors.notAFile();
    if (stats.isFile() && stats.size > maxBytes) throw errors.tooLarge(stats.size);
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const read = readSync(fd, chunk, 0, CHUNK, null);
      if (read === 0) break;
      size += read;
      if (size > maxBytes) throw errors.tooLarge(size);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, size);
  } finally {
    closeSync(fd);
  }
}
