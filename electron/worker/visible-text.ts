import { createHash } from 'node:crypto';

/** What a page's visible text gives: its word count and the hash duplicates are found by. */
export interface TextFingerprint {
  wordCount: number;
  /** SHA-1 of the collapsed text: hardware-accelerated, ~20 µs for 30 KB (faster than MD5 and SHA-256). */
  contentHash: string;
}

/**
 * Collapses a page's visible text (`raw`, as the parser gathered it), counts
 * its words and hashes it. The latin1 view (`latin1View`, see
 * html-source.ts) is copied to bytes that one walk collapses, counts and
 * hands to the hash; decoded text takes the regular expression and a second
 * pass. Both give the same text and count.
 */
export function fingerprintText(raw: string, latin1View: boolean): TextFingerprint {
  if (latin1View) return fingerprintBytes(raw);
  const collapsed = collapse(raw);
  return {
    wordCount: countWords(collapsed),
    contentHash: createHash('sha1').update(collapsed, 'utf8').digest('hex'),
  };
}

/**
 * Whitespace runs of the raw text: ASCII only, since 0xA0 in the latin1 view
 * may be half of a UTF-8 character. Single spaces are left alone, so the
 * regex matches only the runs that change. Its two branches make a run of
 * spaces before a tab or line break two spaces (`a␠␠\tb` is `a␠␠b`), which
 * the content hashes of stored crawls depend on: fingerprintBytes keeps it.
 */
const SPACE_RUN = / ?[\t\n\f\r][\t\n\f\r ]*| {2,}/g;

function collapse(raw: string): string {
  return raw.replace(SPACE_RUN, ' ').trim();
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Whether a character (`code`, followed by `next`) makes its token a word.
 * The text may be UTF-8 read as latin1 (see html-source.ts) or decoded text,
 * so: punctuation is U+0080–U+00BF (also UTF-8 continuation bytes), the
 * General and CJK Punctuation blocks, and their UTF-8 lead bytes (C2, E2 80/81,
 * E3 80); any other character from U+00C0 up is taken as a letter.
 */
function isLetter(code: number, next: number): boolean {
  if (isAsciiAlnum(code)) return true;
  if (code < 0xc0 || code === 0xc2) return false;
  if ((code === 0xe2 && (next === 0x80 || next === 0x81)) || (code === 0xe3 && next === 0x80))
    return false;
  return !((code >= 0x2000 && code <= 0x206f) || (code >= 0x3000 && code <= 0x303f));
}

/**
 * Space-separated tokens that hold a letter or digit, so "—" or "|" alone is
 * no word. Jumps from space to space with indexOf; a token is scanned only
 * until its first letter.
 */
function countWords(collapsed: string): number {
  let words = 0;
  for (let start = 0; start < collapsed.length;) {
    let end = collapsed.indexOf(' ', start);
    if (end < 0) end = collapsed.length;
    for (let i = start; i < end; i++) {
      if (isLetter(collapsed.charCodeAt(i), collapsed.charCodeAt(i + 1))) {
        words++;
        break;
      }
    }
    start = end + 1;
  }
  return words;
}

/** A page's text is collapsed here and hashed at once, so pages share it. */
const scratch = Buffer.allocUnsafe(256 * 1024);

const isRunChar = (code: number) => code === 9 || code === 10 || code === 12 || code === 13;
/** What String.prototype.trim removes, below U+0100. */
const isTrimmed = (code: number) => (code >= 9 && code <= 13) || code === 32 || code === 0xa0;

/**
 * `collapse` and `countWords` in one walk over the bytes. The walk only
 * reads: a page's text has a few dozen whitespace runs that change (line
 * breaks mostly) among thousands of single spaces, so the bytes between two
 * runs move down in one `copyWithin` and each run becomes one space (its two
 * branches as the regex matches them). A token is counted at its first
 * letter, and the rest of it is skipped up to the next space or control
 * byte. Trimming cannot change the count here: what trim removes below
 * U+0100 is no letter. A walk that also copied every byte took a third
 * more instructions (bench/RESULTS.md, twenty-first session).
 */
function fingerprintBytes(raw: string): TextFingerprint {
  const length = raw.length;
  const buffer = length < scratch.length ? scratch : Buffer.allocUnsafe(length + 1);
  buffer.write(raw, 0, length, 'latin1');
  // Indexed as a plain Uint8Array, which V8 reads faster than Buffer's subclass.
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, length + 1);
  // No whitespace and no letter: the lookahead needs no bounds check, and a skip stops here.
  bytes[length] = 0;
  // bytes[0, size) are collapsed; bytes[kept, i) are to follow them unchanged.
  let size = 0;
  let kept = 0;
  let words = 0;
  let counted = false;
  for (let i = 0; i < length;) {
    const code = bytes[i]!;
    if (code > 32 || (code !== 32 && !isRunChar(code))) {
      if (!counted && isLetter(code, bytes[i + 1]!)) {
        words++;
        counted = true;
      }
      i++;
      if (counted) while (bytes[i]! > 32) i++;
      continue;
    }
    counted = false;
    const next = bytes[i + 1]!;
    if (code === 32 && next !== 32 && !isRunChar(next)) {
      i++;
      continue;
    }
    const run = i;
    if (code === 32 && next === 32) {
      i += 2;
      while (bytes[i] === 32) i++;
    } else {
      i += code === 32 ? 2 : 1;
      while (bytes[i] === 32 || isRunChar(bytes[i]!)) i++;
    }
    if (size !== kept) bytes.copyWithin(size, kept, run);
    size += run - kept;
    bytes[size++] = 32;
    kept = i;
  }
  if (size !== kept) bytes.copyWithin(size, kept, length);
  size += length - kept;
  let start = 0;
  while (start < size && isTrimmed(bytes[start]!)) start++;
  while (size > start && isTrimmed(bytes[size - 1]!)) size--;
  return {
    wordCount: words,
    contentHash: createHash('sha1').update(bytes.subarray(start, size)).digest('hex'),
  };
}
