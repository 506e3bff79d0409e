import http from 'node:http';
import https from 'node:https';
import type { JobSettings } from '../../shared/job-settings';

/**
 * How every request of a job reaches its server, the same in workers and in
 * main: through the job's proxy, with basic auth for its own host only.
 */

export interface JobAgents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Agents through the job's proxy when it has one: plain HTTP as
 * absolute-form requests to the proxy (what every forward proxy serves; many
 * refuse CONNECT to ports other than 443), HTTPS through a CONNECT tunnel.
 * The proxy agents are loaded only for a job with a proxy: they cost every
 * worker process about 50 ms of CPU to start (bench/RESULTS.md).
 */
export async function jobAgents(
  proxy: string | null,
  options: http.AgentOptions,
): Promise<JobAgents> {
  if (proxy === null) return { http: new http.Agent(options), https: new https.Agent(options) };
  const [{ HttpProxyAgent }, { HttpsProxyAgent }] = await Promise.all([
    import('http-proxy-agent'),
    import('https-proxy-agent'),
  ]);
  return {
    http: new HttpProxyAgent(proxy, options),
    https: new HttpsProxyAgent(proxy, options) as unknown as https.Agent,
  };
}

/**
 * The Authorization header for a URL: only for the host its credentials were
 * given for (`host:port`, or `host` for any port), so it never follows a
 * redirect to another host.
 */
export function basicAuthFor(
  credentials: JobSettings['basicAuth'],
): (url: URL) => string | undefined {
  const byHost = new Map(
    credentials.map(({ host, username, password }) => [
      host.toLowerCase(),
      `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    ]),
  );
  return (url) => byHost.get(url.host) ?? byHost.get(url.hostname);
}
