import type http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { UI_SOCKET_PATH, type ServerMessage } from '../../shared/ui-protocol';
import { runCli } from '../helpers/cli';
import { httpRequest, servePerFile } from '../helpers/serve';

const env = servePerFile();

/** A raw GET (no client-side URL clean-up), for status, headers and body. */
const get = (path: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET') =>
  httpRequest(`${env.serve.origin}${path}`, headers, method);

const cookie = () => `trawl_token_${env.serve.port}=${env.serve.token}`;

/** Opens the UI socket; resolves with the socket, or with the refusal's HTTP status. */
function openSocket(headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${env.serve.port}${UI_SOCKET_PATH}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode!));
    socket.once('error', reject);
  });
}

function call(socket: WebSocket, seq: number, method: string, args: unknown[]) {
  return new Promise<ServerMessage>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'response' && message.seq === seq) {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'request', seq, method, args }));
  });
}

describe('trawl serve: HTTP access', () => {
  it('refuses requests without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { cookie: `trawl_token_${env.serve.port}=wrong` })).status).toBe(401);
    expect((await get('/', { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie, then serves the UI', async () => {
    const first = await get(`/?token=${env.serve.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['set-cookie']?.[0]).toMatch(
      new RegExp(`^trawl_token_${env.serve.port}=${env.serve.token}; HttpOnly; SameSite=Strict`),
    );
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    const page = await get('/', { cookie: cookie() });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).toContain("connect-src 'self'");
  });

  it('trades the token from a cross-site navigation through a page of its own, escaped', async () => {
    // A redirect would stay part of the cross-site navigation, which carries no Strict cookie.
    const from = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    const first = await get(`/?token=${env.serve.token}&q=%22%3E%3Cb%3E'x&b=2`, from);
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect(first.body).toContain(
      '<meta http-equiv="refresh" content="0;url=/?q=%22%3E%3Cb%3E%27x&amp;b=2">',
    );
    expect(first.body).not.toContain(env.serve.token);
    // Typed, or from a bookmark or another program: the redirect, as before.
    expect((await get(`/?token=${env.serve.token}`, { 'sec-fetch-site': 'none' })).status).toBe(
      303,
    );
  });

  it('sends its Content-Security-Policy as a header on every answer, framing forbidden', async () => {
    for (const answer of [await get('/', { cookie: cookie() }), await get('/')]) {
      const policy = answer.headers['content-security-policy'] ?? '';
      expect(policy).toContain("default-src 'none'; script-src 'self';");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('unsafe');
    }
  });

  it('serves only files of the UI build, and only GET', async () => {
    expect((await get('/%2e%2e/%2e%2e/package.json', { cookie: cookie() })).status).toBe(404);
    expect((await get('/..%2f..%2fpackage.json', { cookie: cookie() })).status).toBe(404);
    expect((await get('/', { cookie: cookie() }, 'POST')).status).toBe(405);
  });
});

/** Sends `head` as it is over TCP (clients refuse to send such targets); resolves with the reply. */
function rawRequest(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = connect(env.serve.port, '127.0.0.1', () => socket.write(head));
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}

describe('trawl serve: DNS rebinding', () => {
  // A page at http://attacker.example:PORT whose name was pointed at 127.0.0.1 reaches the
  // server as its own origin: Host and Origin both name attacker.example.
  const rebound = () => `attacker.example:${env.serve.port}`;

  it('answers a request for another host name 421, even with the token', async () => {
    const answer = await get('/', { host: rebound(), cookie: cookie() });
    expect(answer.status).toBe(421);
    expect(answer.body).toMatch(/localhost and IP addresses only/);
    expect((await get(`/?token=${env.serve.token}`, { host: rebound() })).status).toBe(421);
  });

  it('refuses a socket for another host name, even from that origin with the token', async () => {
    const origin = `http://${rebound()}`;
    expect(await openSocket({ host: rebound(), origin, cookie: cookie() })).toBe(421);
  });

  it('answers to localhost and to IP addresses', async () => {
    for (const host of [`localhost:${env.serve.port}`, `127.0.0.1:${env.serve.port}`]) {
      expect((await get('/', { host, cookie: cookie() })).status).toBe(200);
    }
    const origin = `http://localhost:${env.serve.port}`;
    const socket = await openSocket({
      host: `localhost:${env.serve.port}`,
      origin,
      cookie: cookie(),
    });
    if (typeof socket === 'number') throw new Error(`socket refused with ${socket}`);
    socket.close();
  });
});

describe('trawl serve: requests that are no URL', () => {
  it('answers 400 and keeps serving (one such request stopped the host and its crawls)', async () => {
    const upgrade =
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    for (const extra of ['', upgrade]) {
      const reply = await rawRequest(
        `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`,
      );
      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect((await get('/', { cookie: cookie() })).status).toBe(200);
  });
});

describe('trawl serve: WebSocket access', () => {
  it('refuses a socket without the token', async () => {
    expect(await openSocket({ origin: env.serve.origin })).toBe(401);
  });

  it('refuses a socket from another origin, or with no origin, even with the token', async () => {
    expect(await openSocket({ origin: 'http://evil.example', cookie: cookie() })).toBe(403);
    expect(
      await openSocket({ origin: `http://localhost:${env.serve.port}`, cookie: cookie() }),
    ).toBe(403);
    expect(await openSocket({ cookie: cookie() })).toBe(403);
  });

  it('answers requests from the served origin, and refuses bad ones with clear errors', async () => {
    const socket = await openSocket({ origin: env.serve.origin, cookie: cookie() });
    if (typeof socket === 'number') throw new Error(`socket refused with ${socket}`);
    try {
      expect(await call(socket, 1, 'getVersion', [])).toEqual({
        type: 'response',
        seq: 1,
        ok: true,
        value: '0.1.0',
      });
      expect(await call(socket, 2, 'listJobs', [])).toMatchObject({ ok: true, value: [] });
      expect(await call(socket, 3, 'deleteEverything', [])).toMatchObject({
        ok: false,
        error: { name: 'UserError', message: 'unknown method "deleteEverything"' },
      });
      // Refused arguments are worded for the person at the UI: no method name, no position.
      expect(await call(socket, 4, 'resizePool', [1, 0])).toMatchObject({
        ok: false,
        error: { name: 'UserError', message: 'workers: must be at least 1' },
      });
      const refusal = async (seq: number, method: string, args: unknown[]) => {
        const answer = await call(socket, seq, method, args);
        return answer.type === 'response' && !answer.ok ? answer.error.message : answer;
      };
      expect(await refusal(41, 'renameJob', [1, 'W'.repeat(201)])).toBe(
        'a job name has at most 200 characters',
      );
      expect(await refusal(42, 'renameJob', [1, 'a\tb'])).toBe(
        'a job name cannot hold line breaks, tabs or other control characters',
      );
      expect(await refusal(43, 'deleteJob', [0])).toBe('job: must be at least 1');
      expect(await refusal(44, 'rerunJob', [1, { workers: 1000 }])).toBe(
        'workers: must be at most 64',
      );
      expect(await refusal(45, 'exportJob', [{ jobId: 1, format: 'pdf' }])).toMatch(/^format: /);
      expect(await refusal(46, 'stopJob', [])).toBe('arguments: needs at least 1');
      expect(
        await call(socket, 5, 'startJob', [{ startUrls: ['javascript:alert(1)'] }]),
      ).toMatchObject({
        ok: false,
        error: {
          name: 'UserError',
          message: expect.stringContaining('is not an absolute http(s) URL'),
        },
      });
      expect(await call(socket, 6, 'stopJob', [99])).toMatchObject({
        ok: false,
        error: { message: 'job 99 is not running' },
      });
    } finally {
      socket.close();
    }
  });

  it('takes a request as large as a long URL list (20 MB), and checks it', async () => {
    const socket = await openSocket({ origin: env.serve.origin, cookie: cookie() });
    if (typeof socket === 'number') throw new Error(`socket refused with ${socket}`);
    try {
      const startUrls = Array.from(
        { length: 400_000 },
        (_, i) => `http://127.0.0.1:9/products/garden/item-${i}?ref=list`,
      );
      startUrls.push('javascript:alert(1)');
      const args = [{ startUrls, mode: 'list' }];
      expect(JSON.stringify(args).length).toBeGreaterThan(20 * 1048576);
      expect(await call(socket, 1, 'startJob', args)).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('"javascript:alert(1)" is not an absolute') },
      });
    } finally {
      socket.close();
    }
  });

  it('closes the socket on a message that is not a request', async () => {
    const socket = await openSocket({ origin: env.serve.origin, cookie: cookie() });
    if (typeof socket === 'number') throw new Error(`socket refused with ${socket}`);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('{"type":"request","seq":"x"}');
    expect(await closed).toBe(1008);
  });
});

describe('trawl serve: its processes', () => {
  it('leaves no defunct child behind (esbuild, stopped, was never reaped)', () => {
    const pid = env.serve.child.pid!;
    const defunct = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .flatMap((entry) => {
        try {
          // "pid (name) state ppid …"; the name may hold spaces, so read after its ')'.
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return Number(ppid) === pid && state === 'Z' ? [stat] : [];
        } catch {
          return []; // gone meanwhile
        }
      });
    expect(defunct).toEqual([]);
  });
});

describe('trawl serve: where it listens', () => {
  it('names a port in use or an address of another machine in one line, and exits', async () => {
    const dbFile = env.temp.file('serve.sqlite');
    const { port } = env.serve;
    for (const [args, reason] of [
      [
        ['--port', String(port)],
        `127.0.0.1:${port}: port ${port} is in use (choose another with --port, or --port 0 for any free one)`,
      ],
      // 192.0.2.0/24 is reserved for documentation: never an address of this machine.
      [['--host', '192.0.2.1'], '192.0.2.1:4780: 192.0.2.1 is not an address of this machine'],
    ] as const) {
      const result = await runCli(['serve', ...args, '--db', dbFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`trawl: error: cannot listen on ${reason}\n`);
    }
  }, 60_000);
});
