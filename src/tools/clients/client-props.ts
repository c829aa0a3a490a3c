// The client properties the console and perf tools build from their command lines, as Kafka's
// CommandLineUtils.parseKeyValueArgs reads "key=value" arguments, and the cluster client they
// connect with.

import { ClusterClient } from '../../client/cluster-client';
import { clientConnector } from '../../client/client-security';
import { createLogger, Logger } from '../../logger';

/** "k=v" arguments as properties: split at the first '=', a missing value is empty. */
export function parseKeyValueArgs(args: readonly string[]): Map<string, string> {
  const props = new Map<string, string>();
  for (const arg of args) {
    const i = arg.indexOf('=');
    if (i === -1) props.set(arg, '');
    else props.set(arg.slice(0, i), arg.slice(i + 1));
  }
  return props;
}

/** Connects with the client properties: bootstrap.servers, client.id, request.timeout.ms, security. */
export function connectWithProps(props: ReadonlyMap<string, string>, defaultClientId: string): Promise<ClusterClient> {
  const bootstrapServers = props.get('bootstrap.servers');
  if (bootstrapServers === undefined) throw new Error('Missing required configuration "bootstrap.servers" which has no default value.');
  const timeout = props.get('request.timeout.ms');
  return ClusterClient.connect({
    bootstrapServers,
    clientId: props.get('client.id') ?? defaultClientId,
    connector: clientConnector(props),
    requestTimeoutMs: timeout !== undefined ? Number(timeout) : undefined,
  });
}

/** Log lines on stderr as the tools' log4j configuration prints them. */
export function toolLogger(component: string): Logger {
  return createLogger(component, (text) => process.stderr.write(text));
}
