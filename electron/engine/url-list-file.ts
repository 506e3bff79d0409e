import { readFileSync, statSync } from 'node:fs';
import { urlListFileProblem } from '../../shared/url-list';
import { UserError } from './user-error';

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
    const tooLarge = urlListFileProblem(path, stats.size);
    if (tooLarge) throw new UserError(tooLarge);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const binary = urlListFileProblem(path, bytes.length, bytes);
  if (binary) throw new UserError(binary);
  return new TextDecoder('utf-8').decode(bytes);
}
