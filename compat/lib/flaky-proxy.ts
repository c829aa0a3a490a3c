// A TCP proxy in front of a broker listener that loses Produce responses: the broker has appended
// the records, the client never hears so and must retry on a new connection. An idempotent
// producer's retry must then be answered as a duplicate, never stored twice. The broker advertises
// the proxy's port on that listener, so clients stay behind the proxy after bootstrapping.

import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

const PRODUCE = 0;
/** Of every DROP_PERIOD Produce responses, the one at DROP_PHASE is lost (the 1st, 4th, 7th...). */
const DROP_PERIOD = 3;
const DROP_PHASE = 0;
/** A frame's size prefix, then the request header's api key, version and correlation id. */
const REQUEST_HEAD = 12;
const RESPONSE_HEAD = 8;

export interface FlakyProxy {
  port: number;
  /** Where connections go: the broker's listener, as bound (it moves when the broker restarts). */
  setTarget(port: number): void;
  /** Produce responses lost so far. */
  readonly dropped: number;
  close(): Promise<void>;
}

/** Splits a byte stream into frames; calls `onFrame` with each whole frame (size prefix included). */
function frames(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const end = 4 + pending.readInt32BE(0);
      if (pending.length < end) break;
      onFrame(pending.subarray(0, end));
      pending = pending.subarray(end);
    }
  };
}

export function startFlakyProxy(): Promise<FlakyProxy> {
  let target = 0;
  let produces = 0;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };

  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    track(client);
    track(upstream);
    const produceIds = new Set<number>();
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', cut);
    upstream.on('close', cut);
    client.on(
      'data',
      frames((frame) => {
        if (frame.length >= REQUEST_HEAD && frame.readInt16BE(4) === PRODUCE) produceIds.add(frame.readInt32BE(8));
        upstream.write(frame);
      }),
    );
    upstream.on(
      'data',
      frames((frame) => {
        const correlationId = frame.length >= RESPONSE_HEAD ? frame.readInt32BE(4) : -1;
        if (produceIds.delete(correlationId) && produces++ % DROP_PERIOD === DROP_PHASE) {
          dropped++;
          cut();
          return;
        }
        client.write(frame);
      }),
    );
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        setTarget: (port) => void (target = port),
        get dropped() {
          return dropped;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
