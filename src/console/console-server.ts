// The web console's HTTP server (node:http): the built UI's static files, the JSON API under
// /api/ (one module per area), server-sent events for the live tail, and logins for clusters whose
// client properties use SASL. It speaks to the cluster only through the Kafka protocol, so it
// serves the same whether the broker runs it (kafkats.console.listener) or it runs on its own
// (bin/kafka-console-ui.sh).

import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { resolve } from 'node:path';
import { ApiError, toApiError } from './api-error';
import { clusterRoutes } from './cluster-api';
import { groupRoutes } from './groups-api';
import { Fields, readJson, sendJson } from './http-io';
import { Budget, DEFAULT_BUDGET } from './message-browser';
import { MAX_PRODUCE_BYTES, messageRoutes } from './messages-api';
import { ApiContext, Route, findRoute } from './routes';
import { securityRoutes } from './security-api';
import { DEFAULT_SESSION_IDLE_MS, Sessions, clearedCookie, sessionCookie, sessionIdOf } from './sessions';
import { serveStatic } from './static-files';
import { MetricsEndpoint, ThroughputSource } from './throughput';
import { topicRoutes } from './topics-api';
import { transactionRoutes } from './transactions-api';
import { ListenAddress, listenOn } from '../listen-address';

const ROUTES: readonly Route[] = [...clusterRoutes, ...topicRoutes, ...messageRoutes, ...groupRoutes, ...securityRoutes, ...transactionRoutes];
/** Bodies are small JSON, but a produce may carry up to 1 MiB of text, JSON-escaped. */
const MAX_BODY_BYTES = 4 * MAX_PRODUCE_BYTES;

export interface ConsoleServerOptions {
  /** The cluster, as --bootstrap-server takes it; a function when it is known only later (the broker's own port). */
  bootstrapServers: string | (() => string);
  /** Client properties (security.protocol, ssl.*, sasl.mechanism...); with SASL, browsers log in. */
  clientProps?: ReadonlyMap<string, string>;
  /** Prometheus endpoints for the throughput charts. */
  metrics?: () => readonly MetricsEndpoint[];
  /** Where the built UI is; dist/console-ui by default. */
  uiDir?: string;
  /** The message browser's per-call budget. */
  budget?: Budget;
  sessionIdleMs?: number;
  requestTimeoutMs?: number;
  /** Named in the error when the address cannot be bound (the config key or option). */
  listenSetting?: string;
}

export class ConsoleServer {
  private constructor(
    private readonly server: Server,
    private readonly sessions: Sessions,
    readonly host: string,
    readonly port: number,
  ) {}

  /** The address browsers open. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host || '0.0.0.0';
    return `http://${host}:${this.port}/`;
  }

  static async start(address: ListenAddress, options: ConsoleServerOptions): Promise<ConsoleServer> {
    const bootstrap = options.bootstrapServers;
    const sessionIdleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
    const sessions = new Sessions(
      {
        bootstrapServers: typeof bootstrap === 'string' ? () => bootstrap : bootstrap,
        props: options.clientProps ?? new Map(),
        clientId: options.clientProps?.get('client.id') ?? 'kafka-ts-console',
        requestTimeoutMs: options.requestTimeoutMs ?? Number(options.clientProps?.get('request.timeout.ms') ?? 15_000),
      },
      sessionIdleMs,
    );
    const handler = new RequestHandler(sessions, {
      uiDir: options.uiDir ?? resolve(__dirname, '../../console-ui'),
      budget: options.budget ?? DEFAULT_BUDGET,
      throughput: options.metrics ? new ThroughputSource(options.metrics) : null,
      sessionIdleMs,
    });
    const server = createServer((req, res) => void handler.handle(req, res));
    const port = await listenOn(server, address, 'the console', options.listenSetting ?? 'listen address');
    return new ConsoleServer(server, sessions, address.host, port);
  }

  close(): Promise<void> {
    const closed = new Promise<void>((done) => this.server.close(() => done()));
    this.server.closeAllConnections();
    this.sessions.close();
    return closed;
  }
}

interface HandlerSettings {
  uiDir: string;
  budget: Budget;
  throughput: ThroughputSource | null;
  sessionIdleMs: number;
}

class RequestHandler {
  constructor(
    private readonly sessions: Sessions,
    private readonly settings: HandlerSettings,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    const method = req.method ?? 'GET';
    try {
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) await this.api(url, method, req, res);
      else if (method === 'GET' || method === 'HEAD') serveStatic(this.settings.uiDir, url.pathname, method, res);
      else throw new ApiError(405, `${method} is not allowed here`);
    } catch (err) {
      const e = toApiError(err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, e.status, { error: e.message });
    }
  }

  private async api(url: URL, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Another site's page must not change the cluster through a browser that can reach the console.
    if (method !== 'GET' && method !== 'HEAD' && req.headers['sec-fetch-site'] === 'cross-site') throw new ApiError(403, 'Cross-site requests are refused');
    const sessionId = sessionIdOf(req.headers.cookie);
    const body = async () => new Fields(await readJson(req, MAX_BODY_BYTES));
    if (url.pathname === '/api/session' && method === 'GET') {
      const user = this.sessions.user(sessionId);
      return sendJson(res, 200, { secured: this.sessions.secured, loggedIn: !this.sessions.secured || user !== null, user });
    }
    if (url.pathname === '/api/login' && method === 'POST') {
      const f = await body();
      const username = f.string('username');
      const id = await this.sessions.login(username, f.string('password'), f.optionalString('mechanism') || this.sessions.defaultMechanism);
      return sendJson(res, 200, { user: username }, { 'Set-Cookie': sessionCookie(id, this.settings.sessionIdleMs) });
    }
    if (url.pathname === '/api/logout' && method === 'POST') {
      this.sessions.logout(sessionId);
      return sendJson(res, 200, { loggedIn: false }, { 'Set-Cookie': clearedCookie });
    }
    const { route: found, params } = findRoute(ROUTES, method, url.pathname);
    const ctx: ApiContext = {
      client: await this.sessions.client(sessionId),
      query: url.searchParams,
      params,
      body,
      budget: this.settings.budget,
      throughput: this.settings.throughput,
      req,
      res,
    };
    const result = await found.handler(ctx);
    if (result !== undefined) sendJson(res, result.status ?? 200, result.body);
  }
}
