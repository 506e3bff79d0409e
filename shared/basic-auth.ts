/** Basic auth credentials for one host (`host` or `host:port`). */
export interface BasicAuthEntry {
  host: string;
  username: string;
  password: string;
}

/**
 * `host=user:password`, as given to `--auth` and in the New crawl form; the
 * password may itself contain ':'. Throws an Error naming the bad spec.
 */
export function parseBasicAuthSpec(spec: string): BasicAuthEntry {
  const match = /^([^=\s]+)=([^:]*):(.*)$/.exec(spec);
  if (!match) throw new Error(`"${spec}" is not of the form "host=user:password"`);
  return { host: match[1]!, username: match[2]!, password: match[3]! };
}
