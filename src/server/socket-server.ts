// Binds one TCP server per configured listener. Port 0 binds an ephemeral port, which is then
// advertised in place of 0 (as Kafka does), so tests can run on free ports without races. SSL and
// SASL_SSL listeners hand each accepted socket to a TLS server of their own (one SecureContext per
// listener, built before anything is bound); the connection starts once the handshake is done.
// An injected refuse-connections fault (src/control/request-faults.ts) resets new connections as
// they are accepted, before any TLS handshake.

import { Server, Socket, createServer } from 'node:net';
import { Server as TlsServer, TLSSocket, createServer as createTlsServer } from 'node:tls';
import { TlsListener } from '../auth/tls/tls-listener';
import { Listener, SecurityProtocol } from '../config';
import { Logger } from '../logger';
import type { ListenerConnections } from '../metrics/views';
import { Connection } from './connection';
import type { SaslAuthenticator } from '../auth/sasl/authenticator';
import { Dispatcher } from './dispatcher';
import { ANONYMOUS, Session, newSession } from './session';

const TLS_PROTOCOLS: ReadonlySet<SecurityProtocol> = new Set(['SSL', 'SASL_SSL']);

/** Kafka's ssl handshake has no timeout of its own; a client stalling its handshake is closed after this long. */
const TLS_HANDSHAKE_TIMEOUT_MS = 30_000;

export interface BoundListener extends Listener {
  /** Port actually bound. */
  boundPort: number;
}

export class SocketServer {
  private readonly servers: Server[] = [];
  private readonly connections = new Set<Connection>();
  /** Connections held unread until they are closed: over their address's creation rate, or refused by an injected fault. */
  private readonly held = new Set<Socket>();
  /** TCP sockets under TLS connections whose handshake is not over yet. */
  private readonly handshaking = new Set<Socket>();
  readonly bound: BoundListener[] = [];
  /** Open and accepted connections by listener, for the metrics. */
  private readonly perListener = new Map<string, ListenerConnections>();

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

  /** `props`: server.properties, for the ssl.* settings of TLS listeners. */
  async start(listeners: readonly Listener[], props: ReadonlyMap<string, string> = new Map()): Promise<void> {
    const tlsServers = new Map(listeners.filter((l) => TLS_PROTOCOLS.has(l.securityProtocol)).map((l) => [l.name, this.tlsServer(l, props)]));
    for (const l of listeners) {
      const tlsServer = tlsServers.get(l.name);
      const server = createServer((socket) => {
        if (this.refuse(socket) || this.throttle(socket)) return;
        if (tlsServer) this.handshake(tlsServer, socket);
        else this.serve(l, socket, null);
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

  private handshake(tlsServer: TlsServer, socket: Socket): void {
    this.handshaking.add(socket);
    socket.once('close', () => this.handshaking.delete(socket));
    tlsServer.emit('connection', socket);
  }

  /** The TCP socket under a TLS socket is the one with the same address pair. */
  private handshakeDone(tlsSocket: TLSSocket): void {
    for (const raw of this.handshaking) {
      if (raw.remotePort === tlsSocket.remotePort && raw.localPort === tlsSocket.localPort && raw.remoteAddress === tlsSocket.remoteAddress) {
        this.handshaking.delete(raw);
        return;
      }
    }
  }

  private serve(l: Listener, socket: Socket, principal: string | null): void {
    const session = newSession(l.name, l.securityProtocol, socket.remoteAddress, socket.remotePort);
    if (principal !== null) session.principal = principal;
    const conn = new Connection(socket, this.dispatcher, session, this.maxFrameBytes, this.log, this.beforeRespond, this.authenticatorFor(l, session));
    this.connections.add(conn);
    const counts = this.countsOf(l.name);
    counts.open++;
    counts.created++;
    socket.on('close', () => {
      this.connections.delete(conn);
      counts.open--;
    });
  }

  /** Open connections (TLS ones once their handshake is done) and connections accepted, by listener. */
  connectionCounts(): ListenerConnections[] {
    return this.bound.map((l) => ({ ...this.countsOf(l.name) }));
  }

  private countsOf(listener: string): ListenerConnections {
    let counts = this.perListener.get(listener);
    if (!counts) this.perListener.set(listener, (counts = { listener, open: 0, created: 0 }));
    return counts;
  }

  /**
   * A TLS server that never listens: the listener's TCP server hands it each accepted socket. An
   * SSL client's principal is its certificate's mapped DN, set before any request is read; a
   * SASL_SSL client's comes from SASL. A failed handshake closes that connection with a log line.
   */
  private tlsServer(l: Listener, props: ReadonlyMap<string, string>): TlsServer {
    const listener = TlsListener.build(props, l.name, l.securityProtocol, (line) => this.log.warn(line));
    const server = createTlsServer({ ...listener.tls, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS });
    server.on('secureConnection', (socket: TLSSocket) => {
      this.handshakeDone(socket);
      const peer = listener.identify(socket);
      if (!peer.ok) {
        this.log.info(`Failed authentication with /${clientAddress(socket)} on listener ${l.name} (SSL handshake failed: ${peer.reason})`);
        socket.destroy();
        return;
      }
      const principal = l.securityProtocol === 'SSL' ? peer.principal : null;
      this.log.debug(`SSL handshake completed with /${clientAddress(socket)} on listener ${l.name}, principal ${principal ?? ANONYMOUS}`);
      this.serve(l, socket, principal);
    });
    server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
      this.handshakeDone(socket);
      // As Kafka's selector: a peer gone mid-handshake is a disconnection (debug), anything else a failed authentication.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') this.log.debug(`Connection with ${socket.remoteAddress ? `/${clientAddress(socket)}` : 'a client'} on listener ${l.name} disconnected during the SSL handshake`);
      else this.log.info(`Failed authentication with /${clientAddress(socket)} on listener ${l.name} (SSL handshake failed: ${err.message})`);
      socket.destroy();
    });
    return server;
  }

  /** Kafka's acceptor on a ConnectionThrottledException: the connection is closed, unread, once its throttle time is over. */
  private throttle(socket: Socket): boolean {
    const address = clientAddress(socket);
    const ms = this.connectionThrottleMs(address);
    if (ms <= 0) return false;
    this.log.info(`Throttling connection from ${address} for ${ms} ms: over its connection creation rate quota`);
    this.hold(socket, ms, () => socket.destroy());
    return true;
  }

  /** An injected refuse-connections fault: the connection is reset (TCP RST), unread, at once or after the fault's delay. */
  private refuse(socket: Socket): boolean {
    const fault = this.dispatcher.controls.faults.matchConnection();
    if (fault === null) return false;
    this.log.info(`Refusing connection from ${clientAddress(socket)} (injected fault)`);
    if (fault.delayMs) this.hold(socket, fault.delayMs, () => socket.resetAndDestroy());
    else socket.resetAndDestroy();
    return true;
  }

  /** Keeps a connection unread for `ms`, then closes it; abort and shutdown close it sooner. */
  private hold(socket: Socket, ms: number, close: () => void): void {
    socket.pause();
    socket.on('error', () => undefined);
    this.held.add(socket);
    setTimeout(() => {
      this.held.delete(socket);
      close();
    }, ms).unref();
  }

  /** Stops accepting and cuts every connection at once, answering nothing: a process that died. */
  abort(): void {
    for (const s of this.servers) s.close();
    for (const socket of [...this.held, ...this.handshaking]) socket.destroy();
    for (const c of this.connections) c.destroy();
  }

  /** Stops accepting, lets in-flight requests finish and their responses go out, then closes. */
  async shutdown(): Promise<void> {
    for (const s of this.servers) s.close();
    for (const socket of this.held) socket.destroy();
    for (const socket of this.handshaking) socket.destroy();
    await Promise.all([...this.connections].map((c) => c.drain()));
    for (const c of this.connections) c.close();
  }
}

function clientAddress(socket: Socket): string {
  return (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}
