import zlib from 'node:zlib';

export class DecodedTooLargeError extends Error {
  constructor(limit: number) {
    super(`decoded body exceeds ${limit} bytes (maxDecodedBytes)`);
    this.name = 'DecodedTooLargeError';
  }
}

// Truncated streams decode as far as they go, as browsers show them.
const ZLIB = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI = { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

/**
 * Codings of the IANA registry that Trawl cannot undo: a body in one of them
 * would be parsed as garbage, so the page fails with a clear error instead.
 */
const UNDECODABLE = new Set([
  'zstd',
  'compress',
  'x-compress',
  'aes128gcm',
  'dcb',
  'dcz',
  'exi',
  'pack200-gzip',
]);

function decodeOne(body: Buffer, coding: string, maxOutputLength: number): Buffer {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body, { maxOutputLength, ...ZLIB });
    case 'deflate':
      // "deflate" should be zlib-wrapped; some servers send raw deflate.
      try {
        return zlib.inflateSync(body, { maxOutputLength, ...ZLIB });
      } catch (error) {
        if ((error as { code?: string }).code !== 'Z_DATA_ERROR') throw error;
        return zlib.inflateRawSync(body, { maxOutputLength, ...ZLIB });
      }
    case 'br':
      return zlib.brotliDecompressSync(body, { maxOutputLength, ...BROTLI });
    default:
      if (UNDECODABLE.has(coding)) throw new Error(`unsupported content-encoding: ${coding}`);
      // identity, and codings no one defined (`Content-Encoding: UTF-8`, a
      // common misconfiguration): browsers and curl pass the body through.
      return body;
  }
}

/**
 * Undoes the Content-Encoding (gzip, deflate, br, in the reverse order of
 * the header; any other coding is left as it is) of a body read whole. zlib stops as soon as the output passes
 * `maxDecodedBytes`, so a compression bomb costs that much memory and no more.
 * Synchronous: bodies are capped, and decoding one is cheaper than the parse
 * that follows.
 */
export function decodeBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxDecodedBytes: number,
): Buffer {
  if (contentEncoding === undefined) return checked(body, maxDecodedBytes);
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim());
  let decoded = body;
  for (const coding of codings.reverse()) {
    try {
      decoded = decodeOne(decoded, coding, maxDecodedBytes + 1);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new DecodedTooLargeError(maxDecodedBytes);
      throw error;
    }
  }
  return checked(decoded, maxDecodedBytes);
}

function checked(body: Buffer, maxDecodedBytes: number): Buffer {
  if (body.length > maxDecodedBytes) throw new DecodedTooLargeError(maxDecodedBytes);
  return body;
}
