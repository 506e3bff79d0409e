/**
 * The extra request headers a job may send: one check for the job file, the
 * CLI's --header and the New crawl form, so each refuses the same headers
 * with the same words.
 */

/** An HTTP token (RFC 9110 field-name). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers the HTTP stack owns, by lowercase name, and why one set by hand
 * breaks the crawl. Node would send them as given: a fixed Host reaches every
 * site with one site's name, a length or chunked encoding announces a body a
 * GET never sends (the server waits until the timeout), and the connection
 * headers fight the keep-alive agent that reuses sockets.
 */
const RESERVED = new Map([
  ['host', 'Trawl sends each URL its own host'],
  ['content-length', 'requests have no body, and the server would wait for one'],
  ['transfer-encoding', 'requests have no body, and the server would wait for one'],
  ['expect', 'requests have no body, and the server would wait for one'],
  ['connection', 'Trawl manages its connections (keep-alive)'],
  ['keep-alive', 'Trawl manages its connections (keep-alive)'],
  ['upgrade', 'it asks the server to switch the connection to another protocol'],
  ['te', 'Trawl reads only the transfer codings Node decodes'],
]);

/** Names HTTP cannot carry, one message each: all a stored job's headers are checked for (see job-settings). */
export function unsendableHeaderNames(names: readonly string[]): string[] {
  return names.filter((name) => !HEADER_NAME.test(name)).map(notAHeaderName);
}

const notAHeaderName = (name: string) => `"${name}" is not a valid HTTP header name`;

/**
 * What is wrong with these header names, one message per problem: a name HTTP
 * cannot carry, a header Trawl must set itself, a name given twice (names
 * ignore case, and only the last of two would be sent).
 */
export function requestHeaderProblems(names: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = name.toLowerCase();
    const reserved = RESERVED.get(key);
    const first = seen.get(key);
    if (!HEADER_NAME.test(name)) problems.push(notAHeaderName(name));
    else if (reserved !== undefined) problems.push(`"${name}" cannot be set: ${reserved}`);
    else if (first === name) problems.push(`"${name}" is given twice`);
    else if (first !== undefined)
      problems.push(`"${name}" is given twice (also as "${first}"; header names ignore case)`);
    seen.set(key, first ?? name);
  }
  return problems;
}

/**
 * `Name: value` lines (the CLI's --header, the form's Headers field) as a
 * headers object. Checked here, before the object would keep only the last
 * of two lines with one name: throws an Error with the first problem.
 */
export function parseHeaderLines(lines: readonly string[]): Record<string, string> {
  const entries = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`"${line}" is not of the form "Name: value"`);
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  const [problem] = requestHeaderProblems(entries.map(([name]) => name));
  if (problem !== undefined) throw new Error(problem);
  return Object.fromEntries(entries);
}
