/** Largest URL list a host takes, from a file or pasted: about a million URLs. */
export const MAX_URL_LIST_BYTES = 64 * 1024 * 1024;

/**
 * Why a URL list file cannot be used, in the words every UI shows, or null.
 * A NUL byte means a binary file (a spreadsheet, an image).
 */
export function urlListFileProblem(name: string, size: number, bytes?: Uint8Array): string | null {
  if (size > MAX_URL_LIST_BYTES) {
    return `${name} is ${Math.ceil(size / 1048576)} MB; a URL list may be at most ${MAX_URL_LIST_BYTES / 1048576} MB`;
  }
  if (bytes?.includes(0)) return `${name} is not a text file of URLs`;
  return null;
}
