import { lstat, open, readdir, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { isGzipped } from './output-files';

/**
 * The files of a split sitemap beside its index (`NAME.xml`): `NAME-1.xml`,
 * `NAME-2.xml`… (gzipped beside a gzipped index, `NAME.xml.gz`:
 * `NAME-1.xml.gz`…), whatever the index's extension (`NAME.txt`, `NAME`): a part
 * is XML, and named so. Each starts with a comment naming it as a part of that
 * index, so an export can tell the parts an earlier, larger export left
 * behind (which an upload of the folder would publish) from a person's own
 * files of similar names, and remove only the former.
 */

/** The first line of every file Trawl writes as a sitemap. */
export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `NAME` of `NAME.xml`, or of `NAME.xml.gz`. */
function stemOf(index: string): string {
  const name = basename(index).replace(/\.gz$/i, '');
  return basename(name, extname(name));
}

/** A part's name after its number: `.xml`, or `.xml.gz` beside a gzipped index. */
const partSuffix = (index: string) => (isGzipped(index) ? '.xml.gz' : '.xml');

/** Where part `n` (from 1) of the sitemap index `index` goes. */
export function partFile(index: string, n: number): string {
  return join(dirname(index), `${stemOf(index)}-${n}${partSuffix(index)}`);
}

/** What a part starts with: the XML declaration, then the comment marking it as Trawl's. */
export function partHead(index: string, n: number): string {
  // `--` cannot appear inside an XML comment; a file name may hold it.
  const name = basename(index).replaceAll('--', '- -');
  return `${XML_HEAD}<!-- written by Trawl: part ${n} of the sitemap index ${name} -->\n`;
}

/**
 * Removes the parts of `index` numbered above `kept` that Trawl wrote: a
 * regular file (never a link or a folder) named `NAME-N.xml` that starts with
 * the head Trawl gives part N of this index. Anything else stays. Best effort:
 * a part that cannot be read or removed stays, and the export still succeeds.
 */
export async function removeStaleParts(index: string, kept: number): Promise<void> {
  const prefix = `${stemOf(index)}-`;
  const suffix = partSuffix(index);
  const names = await readdir(dirname(index)).catch(() => [] as string[]);
  for (const name of names) {
    const number =
      name.startsWith(prefix) && name.endsWith(suffix)
        ? name.slice(prefix.length, -suffix.length)
        : '';
    const n = /^[1-9]\d*$/.test(number) ? Number(number) : 0;
    const file = join(dirname(index), name);
    if (n > kept && (await isTrawlPart(file, partHead(index, n))))
      await rm(file).catch(() => undefined);
  }
}

async function isTrawlPart(file: string, head: string): Promise<boolean> {
  if (!(await lstat(file).catch(() => null))?.isFile()) return false;
  const expected = Buffer.from(head);
  const handle = await open(file, 'r').catch(() => null);
  if (handle === null) return false;
  try {
    // Compressed, the head is in the first few KB: inflate what they hold, however cut.
    const length = isGzipped(file) ? 16 * 1024 : expected.length;
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
    const start = isGzipped(file)
      ? gunzipSync(buffer.subarray(0, bytesRead), { finishFlush: constants.Z_SYNC_FLUSH })
      : buffer.subarray(0, bytesRead);
    return start.subarray(0, expected.length).equals(expected);
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}
