// kafka.server:type=KafkaServer gauges as the JMX exporter's Kafka rules name them: the broker
// state (3, RunningAsBroker, once it serves) and the process's disk reads and writes, which Kafka
// reads from /proc/self/io as this does (Linux only; elsewhere they are left out).

import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { Sample, gauge } from './define';

const RUNNING_AS_BROKER = 3;

export function registerServerMetrics(registry: Registry): void {
  gauge(registry, 'kafka_server_kafkaserver_brokerstate', 'BrokerState: 3 is RunningAsBroker', [], () => [[{}, RUNNING_AS_BROKER]]);
  gauge(registry, 'kafka_server_kafkaserver_linux_disk_read_bytes', 'linux-disk-read-bytes: bytes this process read from disk', [], () => ioField('read_bytes'));
  gauge(registry, 'kafka_server_kafkaserver_linux_disk_write_bytes', 'linux-disk-write-bytes: bytes this process wrote to disk', [], () => ioField('write_bytes'));
}

function ioField(field: string): Sample[] {
  let text: string;
  try {
    text = readFileSync('/proc/self/io', 'utf8');
  } catch {
    return [];
  }
  const match = new RegExp(`^${field}: (\\d+)$`, 'm').exec(text);
  return match ? [[{}, Number(match[1])]] : [];
}
