// The address an HTTP listener of our own binds (the metrics endpoint, the console): host:port,
// [ipv6]:port, or :port for all interfaces; port 0 picks a free one.

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
