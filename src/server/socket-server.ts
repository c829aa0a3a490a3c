// Binds one TCP server per configured listener. Port 0 binds an ephemeral port, which is then
// advertised in place of 0 (as Kafka does), so tests can run on free ports without races.

import { Server, createServer } from 'node:net';
import { Listener, SecurityProtocol } from '../config';
import { Logger } from '../logger';
import { Connection } from './connection';
import { Dispatcher } from './dispatcher';
import { newSession } from './session';

/** Security protocols this broker serves. Any other listener refuses startup rather than serve plaintext. */
const SERVED_PROTOCOLS: ReadonlySet<SecurityProtocol> = new Set(['PLAINTEXT']);

/** Refuses, naming the listener, a listener whose security protocol is not served yet. */
export function checkServedListeners(listeners: readonly Listener[]): void {
  for (const l of listeners) {
    if (!SERVED_PROTOCOLS.has(l.securityProtocol)) {
      throw new Error(`Listener ${l.name} uses security protocol ${l.securityProtocol}, which this broker does not serve yet; only PLAINTEXT listeners are supported`);
    }
  }
}

export interface BoundListener extends Listener {
  /** Port actually bound. */
  boundPort: number;
}

export class SocketServer {
  private readonly servers: Server[] = [];
  private readonly connections = new Set<Connection>();
  readonly bound: BoundListener[] = [];

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly maxFrameBytes: number,
    private readonly log: Logger,
    private readonly beforeRespond: () => void,
  ) {}

  async start(listeners: readonly Listener[]): Promise<void> {
    checkServedListeners(listeners);
    for (const l of listeners) {
      const server = createServer((socket) => {
        const session = newSession(l.name, l.securityProtocol, socket.remoteAddress, socket.remotePort);
        const conn = new Connection(socket, this.dispatcher, session, this.maxFrameBytes, this.log, this.beforeRespond);
        this.connections.add(conn);
        socket.on('close', () => this.connections.delete(conn));
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: l.host || undefined, port: l.port }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      const boundPort = typeof address === 'object' && address ? address.port : l.port;
      this.servers.push(server);
      this.bound.push({ ...l, boundPort });
      this.log.info(`Awaiting socket connections on ${l.host || '0.0.0.0'}:${boundPort}.`);
    }
  }

  /** Stops accepting, lets in-flight requests finish and their responses go out, then closes. */
  async shutdown(): Promise<void> {
    for (const s of this.servers) s.close();
    await Promise.all([...this.connections].map((c) => c.drain()));
    for (const c of this.connections) c.close();
  }
}
