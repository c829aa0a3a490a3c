// The HTTP listener Prometheus scrapes: GET /metrics on kafkats.metrics.listener (host:port; port 0
// binds an ephemeral port, logged as bound). A port in use refuses startup, as a listener's would.

import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { Registry } from 'prom-client';
import { Logger } from '../logger';
import { ListenAddress, listenOn } from '../listen-address';

export const METRICS_LISTENER_KEY = 'kafkats.metrics.listener';

export class MetricsListener {
  private constructor(
    private readonly server: Server,
    /** As configured: '' for all interfaces. */
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(address: ListenAddress, registry: Registry, log: Logger): Promise<MetricsListener> {
    const server = createServer((req, res) => void serve(registry, req, res, log));
    const port = await listenOn(server, address, 'metrics', METRICS_LISTENER_KEY);
    log.info(`Serving Prometheus metrics on http://${address.host || '0.0.0.0'}:${port}/metrics.`);
    return new MetricsListener(server, address.host, port);
  }

  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Prometheus keeps its connection alive between scrapes.
    this.server.closeAllConnections();
    return closed;
  }
}

async function serve(registry: Registry, req: IncomingMessage, res: ServerResponse, log: Logger): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/metrics') return answer(res, 404, 'Not found: metrics are at /metrics\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'Method not allowed\n');
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'Content-Type': registry.contentType });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    log.error('Collecting metrics failed', err);
    answer(res, 500, 'Collecting metrics failed\n');
  }
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
