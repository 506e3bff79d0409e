import { readFileSync, statSync } from 'node:fs';
import { UserError } from './user-error';

/** Largest URL list imported: about a million URLs. */
export const MAX_URL_LIST_BYTES = 64 * 1024 * 1024;

/**
 * Reads a URL list file (one URL per line, `#` comments) as UTF-8 text. A
 * file that is missing, too large, or binary (a NUL byte: a spreadsheet, an
 * image) is refused with a clear error.
 */
export function readUrlListFile(path: string): string {
  let bytes: Buffer;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new UserError(`${path} is not a file`);
    if (stats.size > MAX_URL_LIST_BYTES) {
      throw new UserError(
        `${path} is ${Math.ceil(stats.size / 1048576)} MB; a URL list may be at most ${MAX_URL_LIST_BYTES / 1048576} MB`,
      );
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (bytes.includes(0)) throw new UserError(`${path} is not a text file of URLs`);
  return new TextDecoder('utf-8').decode(bytes);
}
