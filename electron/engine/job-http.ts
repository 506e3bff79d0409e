import http from 'node:http';
import https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
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
 */
export function jobAgents(proxy: string | null, options: http.AgentOptions): JobAgents {
  if (proxy === null) return { http: new http.Agent(options), https: new https.Agent(options) };
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
