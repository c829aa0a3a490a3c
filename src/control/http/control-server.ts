// The HTTP control plane of one broker (kafkats.control.listener, off by default, loopback only):
// tests and scripts inject faults, cap versions, read the request log, advance the clock and take
// the broker down and up with curl. It belongs to what runs the broker, not to the broker, so it
// stays up while the broker is down. With security on, only super users get in (SuperUserGate).

import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { ApiError, toApiError } from '../../console/api-error';
import { Fields, readJson, sendJson } from '../../console/http-io';
import { findRoute } from '../../console/routes';
import type { BrokerConfig, Listener } from '../../config';
import { ListenAddress, listenOn, parseListenAddress } from '../../listen-address';
import { Logger } from '../../logger';
import { ControlConflict, ControlTarget } from '../control-target';
import { CONTROL_ROUTES, ControlContext } from './control-routes';
import { gateSettings } from './gate-settings';
import { SuperUserGate } from './super-user-gate';

export const CONTROL_LISTENER_KEY = 'kafkats.control.listener';

/** Bodies are small JSON specs. */
const MAX_BODY_BYTES = 64 * 1024;

export class ControlServer {
  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** The control plane kafkats.control.listener names for a broker, its gate from the broker's config; `bound` gives its listeners as bound. */
  static forBroker(config: BrokerConfig, target: ControlTarget, bound: () => readonly Listener[], log: Logger): Promise<ControlServer> {
    const gate = new SuperUserGate(gateSettings(config, bound));
    return ControlServer.start(parseListenAddress(config.controlListener, CONTROL_LISTENER_KEY), target, gate, log);
  }

  static async start(address: ListenAddress, target: ControlTarget, gate: SuperUserGate, log: Logger): Promise<ControlServer> {
    const server = createServer((req, res) => void handle(req, res, target, gate, log));
    const port = await listenOn(server, address, 'the control plane', CONTROL_LISTENER_KEY);
    return new ControlServer(server, address.host, port);
  }

  close(): Promise<void> {
    const closed = new Promise<void>((done) => this.server.close(() => done()));
    this.server.closeAllConnections();
    return closed;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, target: ControlTarget, gate: SuperUserGate, log: Logger): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  const method = req.method ?? 'GET';
  try {
    // A page in a browser on this machine must not drive the control plane.
    if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] === 'cross-site') throw new ApiError(403, 'Requests from web pages are refused');
    await gate.admit(req.headers.authorization, headerOf(req, 'x-sasl-mechanism'));
    const { route, params } = findRoute(CONTROL_ROUTES, method, url.pathname);
    const ctx: ControlContext = { target, query: url.searchParams, params, body: async () => new Fields(await readJson(req, MAX_BODY_BYTES)), req, res };
    const result = await route.handler(ctx);
    if (result !== undefined) sendJson(res, result.status ?? 200, result.body);
  } catch (err) {
    const e = err instanceof ControlConflict ? new ApiError(409, err.message) : toApiError(err);
    if (e.status >= 500) log.warn(`Control plane ${method} ${url.pathname} failed: ${e.message}`);
    if (res.headersSent) res.destroy();
    else sendJson(res, e.status, { error: e.message });
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
