// kafka-broker-api-versions.sh, as Kafka 3.9's BrokerApiVersionsCommand: for every broker in the
// cluster's metadata, "host:port (id: N rack: R) -> (" then each API the broker lists (and each
// ZooKeeper-broker API it does not, as UNSUPPORTED) like NodeApiVersions.toString(true):
// "\tName(key): min to max [usable: v]", usable against the versions this client speaks.

import { API_BY_KEY, Apis, ErrorCode, VersionRange } from '../../../protocol';
import { BrokerNode } from '../../client/cluster-client';
import { ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { connectCluster } from '../cluster-options';
import { KafkaApiError } from '../kafka-api-error';

export const command = new ToolCommand('This tool helps to retrieve broker version information.', [
  { name: 'command-config', arg: 'String: command config property file', description: 'A property file containing configs to be passed to Admin Client.' },
  { name: 'bootstrap-server', arg: 'String: server(s) to use for bootstrapping', description: 'REQUIRED: The server to connect to.' },
]);

export interface BrokerApiVersion {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** One API as NodeApiVersions.apiVersionToText writes it. */
function apiText(v: BrokerApiVersion): string {
  const spec = API_BY_KEY.get(v.apiKey);
  const range = v.minVersion === v.maxVersion ? `${v.minVersion}` : `${v.minVersion} to ${v.maxVersion}`;
  if (!spec) return `UNKNOWN(${v.apiKey}): ${range}`;
  const ours: VersionRange = spec.validVersions;
  const usable = ours.max < v.minVersion ? ' [unusable: node too new]' : v.maxVersion < ours.min ? ' [unusable: node too old]' : ` [usable: ${Math.min(ours.max, v.maxVersion)}]`;
  return `${spec.name}(${spec.apiKey}): ${range}${usable}`;
}

/** NodeApiVersions.toString(true): every API by key, the ones the node lacks as UNSUPPORTED. */
export function nodeApiVersionsText(versions: readonly BrokerApiVersion[]): string {
  const lines = new Map<number, string>();
  for (const v of versions) lines.set(v.apiKey, apiText(v));
  for (const spec of API_BY_KEY.values()) if (!lines.has(spec.apiKey)) lines.set(spec.apiKey, `${spec.name}(${spec.apiKey}): UNSUPPORTED`);
  const sorted = [...lines].sort(([a], [b]) => a - b).map(([, text]) => text);
  return `(\n\t${sorted.join(',\n\t')}\n)`;
}

/** Kafka's Node.toString(). */
export const nodeText = (b: BrokerNode) => `${b.host}:${b.port} (id: ${b.nodeId} rack: ${b.rack ?? 'null'})`;

export async function main(options: ParsedOptions): Promise<number> {
  if (!options.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const client = await connectCluster(options, 'broker-api-versions');
  try {
    for (const broker of client.brokers()) {
      let text: string;
      try {
        const res = await client.request(Apis.ApiVersions, { clientSoftwareName: 'kafka-ts-tools', clientSoftwareVersion: '3.9.0' }, { to: broker.nodeId });
        if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode);
        text = nodeApiVersionsText(res.apiKeys);
      } catch (err) {
        text = `ERROR: ${err instanceof Error ? err.toString() : String(err)}`;
      }
      process.stdout.write(`${nodeText(broker)} -> ${text}\n`);
    }
    return 0;
  } finally {
    client.close();
  }
}
