import zlib from 'node:zlib';

export class DecodedTooLargeError extends Error {
  constructor(limit: number) {
    super(`decoded body exceeds ${limit} bytes`);
    this.name = 'DecodedTooLargeError';
  }
}

// Truncated streams decode as far as they go, as browsers show them.
const ZLIB = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI = { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

function decodeOne(body: Buffer, coding: string, maxOutputLength: number): Buffer {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body, { ...ZLIB, maxOutputLength });
    case 'deflate':
      // "deflate" should be zlib-wrapped; some servers send raw deflate.
      try {
        return zlib.inflateSync(body, { ...ZLIB, maxOutputLength });
      } catch (error) {
        if ((error as { code?: string }).code !== 'Z_DATA_ERROR') throw error;
        return zlib.inflateRawSync(body, { ...ZLIB, maxOutputLength });
      }
    case 'br':
      return zlib.brotliDecompressSync(body, { ...BROTLI, maxOutputLength });
    case 'identity':
    case '':
      return body;
    default:
      throw new Error(`unsupported content-encoding: ${coding}`);
  }
}

/**
 * Undoes the Content-Encoding (gzip, deflate, br, in the reverse order of
 * the header) of a body read whole. zlib stops as soon as the output passes
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
