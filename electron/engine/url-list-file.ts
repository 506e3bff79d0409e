import { MAX_URL_LIST_BYTES, urlListFileProblem, urlListText } from '../../shared/url-list';
import { readCapped } from './read-capped';
import { UserError } from './user-error';

/**
 * Reads a URL list file (one URL per line, `#` comments) as text (urlListText). A
 * file that is missing, too large, or binary (a NUL byte: a spreadsheet, an
 * image) is refused with a clear error. A pipe is read too, to the same limit,
 * and standard input for `-`.
 */
export function readUrlListFile(path: string): string {
  const name = urlListName(path);
  const bytes = readCapped(path, MAX_URL_LIST_BYTES, {
    name,
    tooLarge: (size) => new UserError(urlListFileProblem(name, size)!),
    notAFile: () => new UserError(`${name} is not a file`),
  });
  const binary = urlListFileProblem(name, bytes.length, bytes);
  if (binary) throw new UserError(binary);
  return urlListText(bytes);
}

/** How errors name a list: its path, or standard input for `-`. */
export function urlListName(path: string): string {
  return path === '-' ? 'standard input' : path;
}
