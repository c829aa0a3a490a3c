// ZooKeeper mode: kafka.server:type=SessionExpireListener's meters as the JMX exporter's Kafka
// rules name them (kafka_server_sessionexpirelistener_zookeeper<event>_total).

import { Registry } from 'prom-client';
import { ZookeeperSessionView } from '../views';
import { counter } from './define';

export function registerZookeeperMetrics(registry: Registry, session: ZookeeperSessionView): void {
  const events: [string, string, () => number][] = [
    ['zookeepersyncconnects', 'ZooKeeperSyncConnectsPerSec: connections to ZooKeeper', () => session.syncConnects()],
    ['zookeeperdisconnects', 'ZooKeeperDisconnectsPerSec: connections to ZooKeeper lost', () => session.disconnects()],
    ['zookeeperexpires', 'ZooKeeperExpiresPerSec: sessions expired', () => session.expires()],
  ];
  for (const [name, help, value] of events) counter(registry, `kafka_server_sessionexpirelistener_${name}_total`, help, [], () => [[{}, value()]]);
}
