// Binds one TCP server per configured listener. Port 0 binds an ephemeral port, which is then
// advertised in place of 0 (as Kafka does), so tests can run on free ports without races.

import { Server, Socket, createServer } from 'node:net';
import { Listener, SecurityProtocol } from '../config';
import { Logger } from '../logger';
import { Connection } from './connection';
import type { SaslAuthenticator } from '../auth/sasl/authenticator';
import { Dispatcher } from './dispatcher';
import { Session, newSession } from './session';

/** Security protocols this broker serves. Any other listener refuses startup rather than serve plaintext. */
const SERVED_PROTOCOLS: ReadonlySet<SecurityProtocol> = new Set(['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL']);

/** Refuses, naming the listener, a listener whose security protocol is not served yet. */
export function checkServedListeners(listeners: readonly Listener[]): void {
  for (const l of listeners) {
    if (!SERVED_PROTOCOLS.has(l.securityProtocol)) {
      throw new Error(`Listener ${l.name} uses security protocol ${l.securityProtocol}, which this broker does not serve yet; only PLAINTEXT, SASL_PLAINTEXT and SASL_SSL listeners are supported`);
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
  /** Connections over their address's creation rate, held unread until they are closed. */
  private readonly throttled = new Set<Socket>();
  readonly bound: BoundListener[] = [];

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly maxFrameBytes: number,
    private readonly log: Logger,
    private readonly beforeRespond: () => void,
    /** The connection creation rate quota of a client address: how long to hold a new connection before closing it, 0 to serve it. */
    private readonly connectionThrottleMs: (address: string) => number = () => 0,
    /** A new connection's authenticator on a SASL listener; null on the others. */
    private readonly authenticatorFor: (listener: Listener, session: Session) => SaslAuthenticator | null = () => null,
  ) {}

  async start(listeners: readonly Listener[]): Promise<void> {
    checkServedListeners(listeners);
    for (const l of listeners) {
      const server = createServer((socket) => {
        if (this.throttle(socket)) return;
        const session = newSession(l.name, l.securityProtocol, socket.remoteAddress, socket.remotePort);
        const conn = new Connection(socket, this.dispatcher, session, this.maxFrameBytes, this.log, this.beforeRespond, this.authenticatorFor(l, session));
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

  /** Kafka's acceptor on a ConnectionThrottledException: the connection is closed, unread, once its throttle time is over. */
  private throttle(socket: Socket): boolean {
    const address = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const ms = this.connectionThrottleMs(address);
    if (ms <= 0) return false;
    socket.pause();
    socket.on('error', () => undefined);
    this.throttled.add(socket);
    this.log.info(`Throttling connection from ${address} for ${ms} ms: over its connection creation rate quota`);
    setTimeout(() => {
      this.throttled.delete(socket);
      socket.destroy();
    }, ms).unref();
    return true;
  }

  /** Stops accepting, lets in-flight requests finish and their responses go out, then closes. */
  async shutdown(): Promise<void> {
    for (const s of this.servers) s.close();
    for (const socket of this.throttled) socket.destroy();
    await Promise.all([...this.connections].map((c) => c.drain()));
    for (const c of this.connections) c.close();
  }
}
