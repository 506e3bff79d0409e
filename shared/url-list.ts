import { getBOMEncoding, legacyHookDecode } from '@exodus/bytes/encoding-lite.js';

/** Largest URL list a host takes, from a file or pasted: about a million URLs. */
export const MAX_URL_LIST_BYTES = 64 * 1024 * 1024;

/**
 * Why a URL list file cannot be used, in the words every UI shows, or null.
 * A NUL byte means a binary file (a spreadsheet, an image), unless a UTF-16
 * byte order mark starts it.
 */
export function urlListFileProblem(name: string, size: number, bytes?: Uint8Array): string | null {
  if (size > MAX_URL_LIST_BYTES) {
    return `${name} is ${Math.ceil(size / 1048576)} MB; a URL list may be at most ${MAX_URL_LIST_BYTES / 1048576} MB`;
  }
  // UTF-16 text (with its byte order mark, as Windows PowerShell 5 writes) is half NUL bytes.
  if (bytes?.includes(0) && getBOMEncoding(bytes)?.startsWith('utf-16') !== true) {
    return `${name} is not a text file of URLs`;
  }
  return null;
}

/**
 * A URL list file's bytes as text, one URL a line: UTF-8, or the UTF-16 its
 * byte order mark names; its line breaks written \n, also the carriage
 * returns alone that old Mac exports end lines with, which the URL parser
 * would otherwise drop, running a whole list together into one URL.
 */
export function urlListText(bytes: Uint8Array): string {
  const text = legacyHookDecode(bytes);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
