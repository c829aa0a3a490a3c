// The options every tool that talks to a cluster shares: --bootstrap-server and --command-config
// (a properties file of client settings: security.protocol, ssl.*, sasl.*, request.timeout.ms,
// client.id), and the connected ClusterClient they make.

import { readFileSync } from 'node:fs';
import { ClusterClient } from '../client/cluster-client';
import { clientConnector } from '../client/client-security';
import { parseProperties } from '../properties';
import { OptionSpec, ParsedOptions, ToolError, UsageError } from './command-line';

export const BOOTSTRAP_SERVER: OptionSpec = {
  name: 'bootstrap-server',
  arg: 'String: server to connect to',
  description: 'REQUIRED: The Kafka server to connect to.',
};

export const COMMAND_CONFIG: OptionSpec = {
  name: 'command-config',
  arg: 'String: command config property file',
  description: 'Property file containing configs to be passed to Admin Client.',
};

/** A properties file named by an option, or an empty map; an unreadable file is a ToolError naming it. */
export function readPropertiesFile(path: string | undefined): Map<string, string> {
  if (path === undefined) return new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ToolError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseProperties(text);
}

/**
 * Connects to the cluster named by --bootstrap-server with the client properties of
 * --command-config (or `propsOption`, for tools whose file option has another name), overlaid by
 * `extra` (e.g. --producer-property).
 */
export async function connectCluster(
  options: ParsedOptions,
  clientId: string,
  propsOption = 'command-config',
  extra: ReadonlyMap<string, string> = new Map(),
): Promise<ClusterClient> {
  const bootstrapServers = options.value('bootstrap-server');
  if (bootstrapServers === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const props = new Map([...readPropertiesFile(options.value(propsOption)), ...extra]);
  const timeout = props.get('request.timeout.ms') ?? props.get('default.api.timeout.ms');
  return ClusterClient.connect({
    bootstrapServers,
    clientId: props.get('client.id') ?? clientId,
    connector: clientConnector(props),
    requestTimeoutMs: timeout !== undefined ? Number(timeout) : undefined,
  });
}
