import http from 'node:http';
import https from 'node:https';

/**
 * `http(s).request` for got, except that a response that arrived whole is not
 * failed for bytes its server sent after it: a body longer than its
 * Content-Length, such as a PHP page whose length was set by hand before a
 * stray newline. Node's parser reports those bytes as an error of the request
 * (`HPE_INVALID_CONSTANT: Parse Error: Expected HTTP/`) once the response has
 * ended, and got failed the page for it; browsers and curl show the page and
 * drop the rest. Node closes the socket all the same, so no later response is
 * read from those bytes.
 *
 * Only for reading a URL again after a parser error (isParserError): an
 * own `emit` on every request cost a crawl about 0.15 ms of worker CPU a
 * page (bench/RESULTS.md, twelfth session).
 */
export function requestIgnoringExcessBytes(
  url: URL,
  options: https.RequestOptions,
): http.ClientRequest {
  const request = (url.protocol === 'https:' ? https : http).request(url, options);
  const emit = request.emit.bind(request);
  request.emit = (event: string | symbol, ...args: unknown[]): boolean =>
    event === 'error' && afterWholeResponse(request, args[0]) ? false : emit(event, ...args);
  return request;
}

/** Whether `error` is the parser's, on bytes after a response that is complete. */
function afterWholeResponse(request: http.ClientRequest, error: unknown): boolean {
  const response = (request as { res?: http.IncomingMessage }).res;
  return response?.complete === true && isParserError(error);
}

/** An error of Node's HTTP parser (`HPE_…`), which a lenient reading may get past. */
export function isParserError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('HPE_');
}
