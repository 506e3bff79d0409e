import { MAX_URL_LIST_BYTES, urlListFileProblem, urlListText } from '../../shared/url-list';
import { readCapped } from './read-capped';
import { UserError } from './user-error';

/**
 * Reads a URL list file (one URL per line, `#` comments) as text (urlListText). A
 * file that is missing, too large, or binary (a NUL byte: a spreadsheet, an
 * image) is refused with a clear error. A pipe is read too, to the same limit.
 */
export function readUrlListFile(path: string): string {
  const bytes = readCapped(path, MAX_URL_LIST_BYTES, {
    name: path,
    tooLarge: (size) => new UserError(urlListFileProblem(path, size)!),
    notAFile: () => new UserError(`${path} is not a file`),
  });
  const binary = urlListFileProblem(path, bytes.length, bytes);
  if (binary) throw new UserError(binary);
  return urlListText(bytes);
}
