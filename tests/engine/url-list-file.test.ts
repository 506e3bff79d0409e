import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readUrlListFile } from '../../electron/engine/url-list-file';
import { tempDir } from '../helpers/temp-db';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.cleanup());

describe('URL list files (File → Import URL List…)', () => {
  it('reads a UTF-8 list as it is', () => {
    const file = temp.file('urls.txt');
    writeFileSync(file, 'https://example.com/a\n# comment\nhttps://例え.jp/b\n');
    expect(readUrlListFile(file)).toBe('https://example.com/a\n# comment\nhttps://例え.jp/b\n');
  });

  it('reads a list saved as UTF-16 with a byte order mark, as Windows saves "Unicode" text', () => {
    const list = 'https://example.com/a\r\nhttps://例え.jp/b\r\n';
    const little = temp.file('little.txt');
    writeFileSync(little, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(list, 'utf16le')]));
    expect(readUrlListFile(little)).toBe('https://example.com/a\nhttps://例え.jp/b\n');
    const big = temp.file('big.txt');
    writeFileSync(
      big,
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(list, 'utf16le').swap16()]),
    );
    expect(readUrlListFile(big)).toBe('https://example.com/a\nhttps://例え.jp/b\n');
  });

  it('refuses a binary file, a folder and a missing file with clear errors', () => {
    const binary = temp.file('sheet.xlsx');
    writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    expect(() => readUrlListFile(binary)).toThrow(`${binary} is not a text file of URLs`);
    expect(() => readUrlListFile(temp.dir)).toThrow(`${temp.dir} is not a file`);
    expect(() => readUrlListFile(temp.file('missing.txt'))).toThrow(/cannot read .*missing\.txt/);
  });

  it('reads a device or a pipe only up to the limit', () => {
    expect(() => readUrlListFile('/dev/zero')).toThrow(
      /\/dev\/zero is \d+ MB; a URL list may be at most 64 MB/,
    );
    expect(readUrlListFile('/dev/null')).toBe('');
  });
});
