// The address an HTTP listener of our own binds (the metrics endpoint, the console): host:port,
// [ipv6]:port, or :port for all interfaces; port 0 picks a free one.

import type { Server } from 'node:http';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Throws naming `setting` (the config key or option) when the text is not host:port. */
export function parseListenAddress(text: string, setting: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new Error(`Invalid ${setting} ${text}: expected host:port`);
  return { host: match[1] ?? match[2], port };
}

/**
 * Binds `server`; resolves with the bound port. A failure names what serves there and the setting
 * that chose the address ("Cannot serve metrics on :9404 (kafkats.metrics.listener): the address is
 * already in use"), so a port in use refuses startup as a broker listener's would.
 */
export function listenOn(server: Server, address: ListenAddress, what: string, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is already in use' : err.message;
      reject(new Error(`Cannot serve ${what} on ${address.host || '0.0.0.0'}:${address.port} (${setting}): ${why}`));
    });
    server.listen({ host: address.host || undefined, port: address.port }, () => {
      const bound = server.address();
      resolve(typeof bound === 'object' && bound ? bound.port : address.port);
    });
  });
}
