// bin/kafka-console-ui.sh: the web console on its own, pointed at any Kafka cluster with the
// tools' --bootstrap-server and --command-config (client properties; with SASL, browsers log in),
// serving on --listen, with throughput charts from each --metrics-url. Runs until SIGINT/SIGTERM.

import { parseBootstrapServers } from '../client/cluster-client';
import { BOOTSTRAP_SERVER, COMMAND_CONFIG, readPropertiesFile } from '../tools/cluster-options';
import { ParsedOptions, ToolCommand, UsageError } from '../tools/command-line';
import { ConsoleServer } from './console-server';
import { parseListenAddress } from '../listen-address';

export const command = new ToolCommand('This tool serves the kafka-ts web console for a Kafka cluster.', [
  BOOTSTRAP_SERVER,
  { ...COMMAND_CONFIG, description: 'Property file containing client configs (security.protocol, ssl.*, sasl.mechanism...) the console connects with. With SASL, users log in with their own credentials.' },
  { name: 'listen', arg: 'String: host:port', description: 'The address the console serves on (port 0 picks a free port).', defaultValue: 'localhost:9021' },
  { name: 'metrics-url', arg: 'String: url', description: 'A Prometheus endpoint of a broker (e.g. http://localhost:9404/metrics) for the throughput charts. Repeat it for each broker.', repeatable: true },
]);

export async function main(options: ParsedOptions): Promise<number> {
  const bootstrapServers = options.required('bootstrap-server');
  try {
    parseBootstrapServers(bootstrapServers);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let address;
  try {
    address = parseListenAddress(options.value('listen')!, '--listen');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const metricsUrls = options.all('metrics-url');
  for (const url of metricsUrls) if (!/^https?:\/\/./.test(url)) throw new UsageError(`Invalid --metrics-url ${url}: expected an http:// or https:// URL`);
  const server = await ConsoleServer.start(address, {
    bootstrapServers,
    clientProps: readPropertiesFile(options.value('command-config')),
    metrics: metricsUrls.length > 0 ? () => metricsUrls.map((url) => ({ url })) : undefined,
    listenSetting: '--listen',
  });
  process.stdout.write(`Serving the console on ${server.url}.\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  return 0;
}
