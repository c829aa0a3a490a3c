"""kafka-python (Debian python3-kafka 2.0.2) run script; protocol: compat/lib/protocol.ts.

--api-version auto|0.10|0.9: auto negotiates through ApiVersions (message format v2); 0.10 pins the
0.10.0 generation (message format v1, timestamps, no headers) and 0.9 the 0.9 one (format v0).
"""
import contextlib
import logging
import os
import queue
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))

from harness import (BROKER_DEFAULT_NAME, BROKER_DEFAULT_VALUE, CLIENT_SIZE_LIMIT, CLUSTER_GROWN_PARTITIONS,  # noqa: E402
                     CLUSTER_PARTITIONS, CLUSTER_REPLICATION, CLUSTER_RETENTION_MS, COMPACT_TOPIC_CONFIGS,
                     GROWN_PARTITIONS, INTER_BROKER_PROTOCOL_VERSION, MID_BATCH_COUNT, MID_BATCH_OFFSET,
                     NEAR_MAX_VALUE_BYTES, OVER_MAX_VALUE_BYTES, ROLL_KEY, ROUTING_PER_PARTITION, await_compaction,
                     check, check_equal, compaction_records, produce_through_kill, run_client, sample_records,
                     wait_for, AUTHENTICATION_FAILED, REFUSAL_WAIT, SECURE_RECORDS, TOPIC_DENIED, expect_refusal,
                     secure_values, security, wrong_password, error_text)
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition  # noqa: E402
from kafka.conn import BrokerConnection  # noqa: E402
from kafka.protocol.metadata import MetadataRequest  # noqa: E402
from kafka.admin import ConfigResource, ConfigResourceType, NewPartitions, NewTopic  # noqa: E402
from kafka.errors import MessageSizeTooLargeError  # noqa: E402
from kafka.structs import OffsetAndMetadata  # noqa: E402

API = sys.argv[sys.argv.index('--api-version') + 1] if '--api-version' in sys.argv else 'auto'
PINNED = None if API == 'auto' else tuple(int(x) for x in API.split('.'))
HALF = 5


def common(ctx):
    c = {'bootstrap_servers': ctx.bootstrap, 'request_timeout_ms': 20000}
    if PINNED:
        c['api_version'] = PINNED
    return c


def producer(ctx, **extra):
    conf = dict(common(ctx), acks=1, linger_ms=100, max_request_size=CLIENT_SIZE_LIMIT)
    conf.update(extra)
    return KafkaProducer(**conf)


def send_all(ctx, topic, records, **extra):
    """Sends (key, value[, headers[, timestamp]]) to partition 0 in one batch; returns their offsets."""
    p = producer(ctx, **extra)
    try:
        futures = [p.send(topic, partition=0, key=_b(r[0]), value=_b(r[1]),
                          headers=r[2] if len(r) > 2 else None, timestamp_ms=r[3] if len(r) > 3 else None)
                   for r in records]
        p.flush()
        return [f.get(timeout=20).offset for f in futures]
    finally:
        p.close()


def _b(s):
    return s.encode() if isinstance(s, str) else s


def reader(ctx, **extra):
    return KafkaConsumer(group_id=None, enable_auto_commit=False, max_partition_fetch_bytes=CLIENT_SIZE_LIMIT,
                         fetch_max_bytes=CLIENT_SIZE_LIMIT, **dict(common(ctx), **extra))


def read_partition(ctx, topic, count, offset=None, partition=0, **extra):
    """Reads `count` records of a partition (default 0), from `offset` or the beginning."""
    c = reader(ctx, **extra)
    tp = TopicPartition(topic, partition)
    try:
        c.assign([tp])
        if offset is None:
            c.seek_to_beginning(tp)
        else:
            c.seek(tp, offset)
        got = []
        wait_for('%d records' % count, lambda: got.extend(r for rs in c.poll(timeout_ms=100).values() for r in rs) or len(got) >= count)
        return got
    finally:
        c.close()


def round_trip(codec):
    def scenario(ctx):
        topic = ctx.name()
        records = sample_records()
        offsets = send_all(ctx, topic, records, compression_type=codec)
        check_equal(offsets, list(range(len(records))), 'offsets acknowledged')
        got = read_partition(ctx, topic, len(records))
        check_equal([(r.offset, r.key.decode(), r.value.decode()) for r in got],
                    [(i, k, v) for i, (k, v) in enumerate(records)], 'records read back')
    return scenario


def metadata(ctx):
    topic = ctx.name()
    send_all(ctx, topic, [('k', 'x')])
    c = reader(ctx)
    try:
        check(topic in c.topics(), 'topic not listed')
        cluster = c._client.cluster  # kafka-python keeps broker metadata here; no public accessor
        brokers = cluster.brokers()
        check(brokers and all(b.host and b.port > 0 for b in brokers), 'brokers %r' % (brokers,))
        ids = {b.nodeId for b in brokers}
        for p in c.partitions_for_topic(topic):
            check(cluster.leader_for_partition(TopicPartition(topic, p)) in ids, 'partition %d leader unknown' % p)
        return ', '.join('%s@%s:%s' % (b.nodeId, b.host, b.port) for b in brokers)
    finally:
        c.close()


def keys_headers(ctx):
    topic = ctx.name()
    headers = [('trace-id', b'abc'), ('empty', b''), ('binary', b'\x00\xff\x01')]
    send_all(ctx, topic, [('the-key', 'v', headers)])
    [r] = read_partition(ctx, topic, 1)
    check_equal(r.key, b'the-key', 'key')
    check_equal(list(r.headers), headers, 'headers')


def value_round_trip(value, want):
    def scenario(ctx):
        topic = ctx.name()
        send_all(ctx, topic, [('k', value)])
        [r] = read_partition(ctx, topic, 1)
        check_equal(r.value, want, 'value')
    return scenario


def record_near_max(ctx):
    topic = ctx.name()
    value = b'n' * NEAR_MAX_VALUE_BYTES
    send_all(ctx, topic, [('k', value)])
    [r] = read_partition(ctx, topic, 1)
    check(r.value == value, 'value of %d bytes differs' % len(r.value or b''))


def record_over_max(ctx):
    topic = ctx.name()
    send_all(ctx, topic, [('k', 'first')])
    try:
        send_all(ctx, topic, [('k', b'o' * OVER_MAX_VALUE_BYTES)])
    except MessageSizeTooLargeError as e:
        # The broker's refusal carries error code 10; the client's own size check has no code.
        check('Error 10' in str(e), 'refused by the client, not the broker: %s' % e)
        got = read_partition(ctx, topic, 1)
        check_equal([r.value for r in got], [b'first'], 'records stored')
        return str(e)
    raise AssertionError('an over-sized record was accepted')


def fetch_mid_batch(ctx):
    # Old formats batch only inside a compressed wrapper message, so those generations use gzip.
    topic = ctx.name()
    records = sample_records(MID_BATCH_COUNT)
    send_all(ctx, topic, records, compression_type='gzip' if PINNED else None)
    got = read_partition(ctx, topic, MID_BATCH_COUNT - MID_BATCH_OFFSET, offset=MID_BATCH_OFFSET)
    check_equal([(r.offset, r.value.decode()) for r in got],
                [(i, v) for i, (_, v) in enumerate(records)][MID_BATCH_OFFSET:], 'records from the middle')


def list_offset(kind):
    """Modern generations ask beginning/end_offsets (ListOffsets v1+); old ones seek (ListOffsets v0)."""
    def scenario(ctx):
        topic = ctx.name()
        send_all(ctx, topic, [('k', 'a'), ('k', 'b'), ('k', 'c')])
        c = reader(ctx)
        tp = TopicPartition(topic, 0)
        try:
            if not PINNED:
                got = (c.beginning_offsets if kind == 'earliest' else c.end_offsets)([tp])[tp]
            else:
                c.assign([tp])
                (c.seek_to_beginning if kind == 'earliest' else c.seek_to_end)(tp)
                got = c.position(tp)
            check_equal(got, 0 if kind == 'earliest' else 3, '%s offset' % kind)
        finally:
            c.close()
    return scenario


def list_offsets_timestamp(ctx):
    topic = ctx.name()
    base = int(time.time() * 1000) - 60000
    send_all(ctx, topic, [('k', 't%d' % i, None, base + i * 1000) for i in range(4)])
    c = reader(ctx)
    tp = TopicPartition(topic, 0)
    try:
        found = c.offsets_for_times({tp: base + 1500})[tp]
        check_equal(found.offset if found else None, 2, 'offset for a timestamp between records 1 and 2')
    finally:
        c.close()


def admin(ctx):
    return KafkaAdminClient(**common(ctx))


def negotiated_admin(ctx):
    # Negotiated even for pinned generations, for setup only: the group and cluster scenarios of 0.9
    # and 0.10 need topics of several partitions, and CreateTopics is younger than them.
    return KafkaAdminClient(bootstrap_servers=ctx.bootstrap)


def create_topic(ctx, topic, partitions, replication=1, configs=None):
    a = negotiated_admin(ctx)
    try:
        a.create_topics([NewTopic(topic, partitions, replication, topic_configs=configs or {})])
    finally:
        a.close()


def grow_topic(ctx, topic, count):
    """CreatePartitions to `count`, then waits until the metadata shows them all with leaders."""
    a = admin(ctx)
    try:
        a.create_partitions({topic: NewPartitions(count)})

        def grown():
            [t] = a.describe_topics([topic])
            return len(t['partitions']) == count and all(p['leader'] >= 0 for p in t['partitions'])
        wait_for('%d partitions with leaders' % count, grown)
    finally:
        a.close()


def send_to(ctx, topic, partition, key, **extra):
    """Sends one record (value = key) to a partition and waits for its acknowledgement."""
    p = producer(ctx, **extra)
    try:
        return p.send(topic, partition=partition, key=key.encode(), value=key.encode()).get(timeout=30)
    finally:
        p.close()


def describe_topic(ctx, topic):
    a = admin(ctx)
    try:
        [t] = a.describe_topics([topic])
        return t
    finally:
        a.close()


def admin_create_topics(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 3)
    t = describe_topic(ctx, topic)
    check_equal(sorted(p['partition'] for p in t['partitions']), [0, 1, 2], 'partitions')


def admin_describe_topics(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 2)
    a = admin(ctx)
    try:
        ids = {b['node_id'] for b in a.describe_cluster()['brokers']}
        [t] = a.describe_topics([topic])
        check_equal(t['error_code'], 0, 'topic error code')
        check_equal(len(t['partitions']), 2, 'partition count')
        for p in t['partitions']:
            check(p['leader'] in ids and p['leader'] in p['replicas'] and p['leader'] in p['isr'],
                  'partition %r: leader not a broker, replica and in-sync replica' % (p,))
    finally:
        a.close()


def admin_delete_topics(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    a = admin(ctx)
    try:
        a.delete_topics([topic])
        wait_for('the topic to disappear', lambda: topic not in a.list_topics())
    finally:
        a.close()


def admin_describe_configs(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    a = admin(ctx)
    try:
        [res] = a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        entries = {e[0]: e[1] for e in res.resources[0][4]}
        check_equal(entries.get('cleanup.policy'), 'delete', 'cleanup.policy')
    finally:
        a.close()


def admin_alter_configs(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    a = admin(ctx)
    try:
        a.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={'retention.ms': '123456'})])
        [res] = a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={'retention.ms': None})])
        entries = {e[0]: e[1] for e in res.resources[0][4]}
        check_equal(entries.get('retention.ms'), '123456', 'retention.ms')
    finally:
        a.close()


def admin_create_partitions(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    grow_topic(ctx, topic, GROWN_PARTITIONS)
    last = GROWN_PARTITIONS - 1
    send_to(ctx, topic, last, 'on-the-new-partition')
    got = read_partition(ctx, topic, 1, partition=last)
    check_equal([(r.partition, r.offset, r.value) for r in got], [(last, 0, b'on-the-new-partition')], 'record read back')


def broker_config(a, broker_id, name):
    """(value, source) of a config of one broker (DescribeConfigs v1+ entries: name, value, read_only,
    source, is_sensitive, synonyms), or None when it is not described."""
    [res] = a.describe_configs([ConfigResource(ConfigResourceType.BROKER, str(broker_id))])
    entries = {e[0]: (e[1], e[3]) for e in res.resources[0][4]}
    return entries.get(name), entries


DYNAMIC_DEFAULT_BROKER_CONFIG = 3  # a DescribeConfigs config source


def admin_broker_configs(ctx):
    a = admin(ctx)
    try:
        broker_id = a.describe_cluster()['brokers'][0]['node_id']
        _, entries = broker_config(a, broker_id, BROKER_DEFAULT_NAME)
        check_equal(entries.get('inter.broker.protocol.version', (None,))[0], INTER_BROKER_PROTOCOL_VERSION,
                    'inter.broker.protocol.version')
        check('log.message.format.version' in entries, 'log.message.format.version not described')
        # AlterConfigs (kafka-python has no IncrementalAlterConfigs) goes to any broker, which is right
        # for the cluster-wide default; describe_configs cannot ask for it (int('') of the empty name),
        # so the default is read back on the broker's own resource only.
        a.alter_configs([ConfigResource(ConfigResourceType.BROKER, '', configs={BROKER_DEFAULT_NAME: BROKER_DEFAULT_VALUE})])
        got, _ = broker_config(a, broker_id, BROKER_DEFAULT_NAME)
        check_equal(got, (BROKER_DEFAULT_VALUE, DYNAMIC_DEFAULT_BROKER_CONFIG), '%s (value, source) on broker %s' % (BROKER_DEFAULT_NAME, broker_id))
        a.alter_configs([ConfigResource(ConfigResourceType.BROKER, '', configs={})])
        got, _ = broker_config(a, broker_id, BROKER_DEFAULT_NAME)
        check(got is not None and got[1] != DYNAMIC_DEFAULT_BROKER_CONFIG and got[0] != BROKER_DEFAULT_VALUE,
              '%s on broker %s after the default was removed: %r' % (BROKER_DEFAULT_NAME, broker_id, got))
        return 'cluster-wide default set and removed through AlterConfigs; read back on broker %s' % broker_id
    finally:
        a.close()


def end_offset(ctx, topic, **extra):
    """Partition 0's high watermark, through ListOffsets v0 for the pinned generations."""
    c = reader(ctx, **extra)
    tp = TopicPartition(topic, 0)
    try:
        if not PINNED:
            return c.end_offsets([tp])[tp]
        c.assign([tp])
        c.seek_to_end(tp)
        return c.position(tp)
    finally:
        c.close()


def read_to_end(ctx, topic):
    """(key, value) of every record of partition 0 from the earliest offset to the high watermark."""
    end = end_offset(ctx, topic)
    c = reader(ctx)
    tp = TopicPartition(topic, 0)
    try:
        c.assign([tp])
        c.seek_to_beginning(tp)
        got = []
        wait_for('records up to offset %d' % end, lambda: got.extend(r for rs in c.poll(timeout_ms=100).values() for r in rs)
                 or any(r.offset >= end - 1 for r in got))
        return [(r.key.decode() if r.key is not None else None, r.value.decode() if r.value is not None else None) for r in got]
    finally:
        c.close()


def compaction(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1, configs=COMPACT_TOPIC_CONFIGS)
    sent = compaction_records()
    for i in range(0, len(sent), 20):
        send_all(ctx, topic, sent[i:i + 20])
    return await_compaction(lambda: send_all(ctx, topic, [(ROLL_KEY, 'roll')]), lambda: read_to_end(ctx, topic))


class Member:
    """A group member polling in its own thread: kafka-python's poll blocks through a rebalance, so
    members polled from one thread would wait on each other. The consumer is used only there."""

    def __init__(self, ctx, group, topic, **extra):
        self.consumer = KafkaConsumer(topic, group_id=group, auto_offset_reset='earliest', heartbeat_interval_ms=300,
                                      session_timeout_ms=10000, **dict(common(ctx), **extra))
        self.seen = []
        self.partitions = []
        self._calls = queue.Queue()
        self._closing = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._closing:
            for rs in self.consumer.poll(timeout_ms=50).values():
                self.seen.extend(rs)
            self.partitions = sorted(tp.partition for tp in self.consumer.assignment())
            while not self._calls.empty():
                fn, done = self._calls.get()
                try:
                    done['result'] = fn(self.consumer)
                except Exception as e:  # handed back to the caller
                    done['error'] = e
                done['event'].set()
        self.consumer.close(autocommit=self.consumer.config['enable_auto_commit'])

    def call(self, fn):
        """Runs fn(consumer) on the member's thread and returns its result."""
        done = {'event': threading.Event()}
        self._calls.put((fn, done))
        check(done['event'].wait(30), 'member thread did not answer')
        if 'error' in done:
            raise done['error']
        return done.get('result')

    def close(self):
        self._closing = True
        self._thread.join(30)
        check(not self._thread.is_alive(), 'consumer did not close')


def split_group(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 2)
    members = [Member(ctx, ctx.name('group'), topic) for _ in range(2)]
    wait_for('a split assignment', lambda: [m.partitions for m in members] in ([[0], [1]], [[1], [0]]))
    return topic, members


def produce_per_partition(ctx, topic, n):
    p = producer(ctx)
    try:
        for partition in (0, 1):
            for i in range(n):
                p.send(topic, partition=partition, value=b'p%d-%d' % (partition, i))
        p.flush()
    finally:
        p.close()


def group_split(ctx):
    topic, members = split_group(ctx)
    try:
        produce_per_partition(ctx, topic, 10)
        wait_for('10 records per member', lambda: all(len(m.seen) >= 10 for m in members))
        for m in members:
            check_equal(sorted({r.partition for r in m.seen}), m.partitions, 'partitions a member read')
            check_equal(len(m.seen), 10, 'records a member read')
    finally:
        for m in members:
            m.close()


def group_commit(ctx):
    topic = ctx.name()
    group = ctx.name('group')
    send_all(ctx, topic, sample_records(10))
    m = Member(ctx, group, topic, enable_auto_commit=False)
    tp = TopicPartition(topic, 0)
    try:
        wait_for('10 records', lambda: len(m.seen) >= 10)
        m.call(lambda c: c.commit({tp: OffsetAndMetadata(7, '')}))
    finally:
        m.close()
    c = KafkaConsumer(group_id=group, enable_auto_commit=False, session_timeout_ms=10000, **common(ctx))
    try:
        check_equal(c.committed(tp), 7, 'committed offset')
    finally:
        c.close(autocommit=False)


def group_leave(ctx):
    topic, (stays, leaves) = split_group(ctx)
    try:
        leaves.close()
        wait_for('the remaining member to take both partitions', lambda: stays.partitions == [0, 1])
        produce_per_partition(ctx, topic, 5)
        wait_for('10 records', lambda: len(stays.seen) >= 10)
        check_equal(sorted({r.partition for r in stays.seen}), [0, 1], 'partitions read after the leave')
    finally:
        stays.close()


def resume_before_restart(ctx):
    topic = ctx.name()
    records = sample_records(HALF * 2)
    send_all(ctx, topic, records[:HALF])
    m = Member(ctx, ctx.name('group'), topic, enable_auto_commit=False)
    try:
        wait_for('the first half', lambda: len(m.seen) >= HALF)
        m.call(lambda c: c.commit({TopicPartition(topic, 0): OffsetAndMetadata(HALF, '')}))
    finally:
        m.close()
    send_all(ctx, topic, records[HALF:])


def resume_after_restart(ctx):
    m = Member(ctx, ctx.name('group'), ctx.name(), enable_auto_commit=False)
    try:
        wait_for('the second half', lambda: len(m.seen) >= HALF)
    finally:
        m.close()
    check_equal([(r.offset, r.value.decode()) for r in m.seen],
                [(i, v) for i, (_, v) in enumerate(sample_records(HALF * 2))][HALF:], 'records read after the restart')


# kafka-python does not retry a send unless told to; these outlast a killed broker's session
# timeout and the leader election after it.
FAILOVER = {'acks': 'all', 'linger_ms': 5, 'retries': 30, 'retry_backoff_ms': 300}


def create_spread_topic(ctx, topic):
    """The cluster scenarios' topic; waits until its partitions have leaders on all three brokers."""
    create_topic(ctx, topic, CLUSTER_PARTITIONS, CLUSTER_REPLICATION)
    a = negotiated_admin(ctx)

    def spread():
        [t] = a.describe_topics([topic])
        return len(t['partitions']) == CLUSTER_PARTITIONS and len({p['leader'] for p in t['partitions']}) == CLUSTER_REPLICATION
    try:
        wait_for('leaders on all three brokers', spread)
    finally:
        a.close()


def read_keys(ctx, bootstrap, topic, keys):
    """Reads every partition from the start until each of `keys` was seen; returns "partition key" per record."""
    c = KafkaConsumer(group_id=None, enable_auto_commit=False, **dict(common(ctx), bootstrap_servers=bootstrap))
    try:
        tps = [TopicPartition(topic, p) for p in range(CLUSTER_PARTITIONS)]
        c.assign(tps)
        c.seek_to_beginning(*tps)
        got = []
        wait_for('%d keys' % len(keys), lambda: got.extend(r for rs in c.poll(timeout_ms=100).values() for r in rs)
                 or set(keys) <= {r.key.decode() for r in got})
        return ['%d %s' % (r.partition, r.key.decode()) for r in got]
    finally:
        c.close()


def cluster_leader_routing(ctx):
    # One bootstrap broker: reaching the other leaders needs the metadata it hands out.
    one = ctx.bootstrap.split(',')[0]
    topic = ctx.name()
    create_spread_topic(ctx, topic)
    sent = [(i % CLUSTER_PARTITIONS, 'p%d-%d' % (i % CLUSTER_PARTITIONS, i)) for i in range(CLUSTER_PARTITIONS * ROUTING_PER_PARTITION)]
    p = KafkaProducer(**dict(common(ctx), bootstrap_servers=one, **FAILOVER))
    try:
        futures = [p.send(topic, partition=part, key=key.encode(), value=key.encode()) for part, key in sent]
        p.flush()
        for f in futures:
            f.get(timeout=20)
    finally:
        p.close()
    read = read_keys(ctx, one, topic, [key for _, key in sent])
    check_equal(sorted(read), sorted('%d %s' % s for s in sent), 'records read back by partition')


def cluster_broker_killed(ctx):
    topic = ctx.name()
    create_spread_topic(ctx, topic)
    p = KafkaProducer(**dict(common(ctx), **FAILOVER))
    try:
        r = produce_through_kill(ctx, lambda key: p.send(topic, key=key.encode(), value=key.encode()).get(timeout=30))
    finally:
        p.close()
    return r.detail(len(read_keys(ctx, ctx.bootstrap, topic, r.acked)))


def cluster_admin(ctx):
    topic = ctx.name()
    create_spread_topic(ctx, topic)
    a = admin(ctx)
    try:
        a.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={'retention.ms': CLUSTER_RETENTION_MS})])

        # kafka-python sends DescribeConfigs for a topic to a broker of its choosing (least loaded), not one
        # asked for; a topic config reaches the other brokers through ZooKeeper, as in Kafka.
        def described():
            [res] = a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={'retention.ms': None})])
            return {e[0]: e[1] for e in res.resources[0][4]}.get('retention.ms') == CLUSTER_RETENTION_MS
        wait_for('retention.ms %s described' % CLUSTER_RETENTION_MS, described)
    finally:
        a.close()
    grow_topic(ctx, topic, CLUSTER_GROWN_PARTITIONS)
    partition = CLUSTER_GROWN_PARTITIONS - 1
    send_to(ctx, topic, partition, 'grown', **FAILOVER)
    got = read_partition(ctx, topic, 1, partition=partition)
    check_equal([(r.partition, r.key) for r in got], [(partition, b'grown')], 'record read back from the new partition')


def tls(s, client_certificate=False):
    """kafka-python's SSL settings for a listener of the secured broker: the CA and host name checks."""
    conf = {'security_protocol': 'SSL', 'ssl_cafile': s['caFile'], 'ssl_check_hostname': True}
    if client_certificate:
        conf.update(ssl_certfile=s['clientCertFile'], ssl_keyfile=s['clientKeyFile'])
    return conf


def sasl_plaintext(s, mechanism, account, password=None):
    """SASL_PLAINTEXT as account with mechanism."""
    return dict(bootstrap_servers=s['saslPlaintext'], security_protocol='SASL_PLAINTEXT', sasl_mechanism=mechanism,
                sasl_plain_username=account['user'],
                sasl_plain_password=password if password is not None else account['password'])


def sasl(s, mechanism, account, password=None):
    """The same over SASL_SSL."""
    return dict(sasl_plaintext(s, mechanism, account, password),
                **dict(tls(s), bootstrap_servers=s['saslSsl'], security_protocol='SASL_SSL'))


def secure_round_trip(ctx, topic, tag, **conf):
    """Produces SECURE_RECORDS values tagged tag and reads them back, both with conf."""
    values = secure_values(tag)
    send_all(ctx, topic, [(None, v) for v in values], **conf)
    got = read_partition(ctx, topic, SECURE_RECORDS, **conf)
    check_equal([r.value.decode() for r in got], values, 'records read back (%s)' % tag)


class _Captured(logging.Handler):
    def __init__(self, level):
        logging.Handler.__init__(self, level)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def kafka_log(name, level):
    """What kafka-python logs to logger name at level and above while the block runs."""
    logger = logging.getLogger(name)
    captured, before = _Captured(level), logger.level
    logger.addHandler(captured)
    logger.setLevel(level)
    try:
        yield captured.messages
    finally:
        logger.removeHandler(captured)
        logger.setLevel(before)


def _denied(said):
    """A Metadata response kafka-python logged with TOPIC_AUTHORIZATION_FAILED (29) for a topic."""
    return next((m for m in said if 'MetadataResponse' in m and 'error_code=29' in m), None)


def denied_by_metadata(attempt):
    """Runs attempt() (a send or a poll loop) as mallory. kafka-python 2.0.2 never raises
    TopicAuthorizationFailedError when it asked for one topic (ClusterMetadata.update_metadata fails
    the update on the lone topic's error before it records unauthorized topics): its producer times
    out and its consumer polls nothing. So the refusal is the broker's answer as kafka-python's own
    debug log shows it, with whatever the attempt raised."""
    with kafka_log('kafka.conn', logging.DEBUG) as said:
        try:
            attempt(lambda: _denied(said) is not None)
            raised = 'nothing raised'
        except Exception as e:  # the client's own words for the refusal
            raised = error_text(e)
    answer = _denied(said)
    if answer is None:
        raise AssertionError('no Metadata answer refused the topic (%s)' % raised)
    raise AssertionError('%s; kafka-python logged TOPIC_AUTHORIZATION_FAILED: %s' % (
        raised, answer[answer.find('MetadataResponse'):][:200]))


def connect(bootstrap, **conf):
    """One BrokerConnection with conf (keys it does not know are ignored) that connects (TLS handshake
    and SASL included) and answers a Metadata request, or not. kafka-python raises only some
    refusals (an unknown mechanism, a SCRAM failure); a connection the broker closes is only logged,
    so then the failure is kafka-python's own log of why it closed (with the connection's state,
    <authenticating> say). With TLS 1.3 the client's handshake ends before the broker judges its
    certificate: a refused one hears so on its first request."""
    host, port = bootstrap.rsplit(':', 1)
    with kafka_log('kafka.conn', logging.INFO) as said:
        conn = BrokerConnection(host, int(port), socket.AF_INET, **dict(conf, api_version=PINNED or (1, 0)))
        answered = conn.connect_blocking(timeout=REFUSAL_WAIT - 5) and _metadata_answered(conn)
        conn.close()
    if not answered:
        raise AssertionError('no answer: %s' % ' | '.join(m for m in said if 'Closing connection' in m or 'rror' in m))


def _metadata_answered(conn):
    future = conn.send(MetadataRequest[0]([]))
    deadline = time.time() + 5
    while not future.is_done and time.time() < deadline:
        for response, f in conn.recv():
            f.success(response)
        time.sleep(0.05)
    return future.succeeded()


def security_ssl(ctx):
    s = security()
    secure_round_trip(ctx, ctx.name(), 'ssl', bootstrap_servers=s['ssl'], **tls(s))


def security_mtls(ctx):
    s = security()
    secure_round_trip(ctx, ctx.name(), 'mtls', bootstrap_servers=s['mtls'], **tls(s, True))
    refused = expect_refusal('without a client certificate', lambda: connect(s['mtls'], **tls(s)))
    return 'with a certificate: %d records round trip; %s' % (SECURE_RECORDS, refused)


def security_sasl_plain(ctx):
    s = security()
    secure_round_trip(ctx, ctx.name(), 'plain', **sasl(s, 'PLAIN', s['plain']))
    wrong = sasl(s, 'PLAIN', s['plain'], wrong_password(s['plain']))
    refused = expect_refusal('a wrong password', lambda: connect(s['saslSsl'], **wrong), AUTHENTICATION_FAILED)
    return '%s over SASL_SSL: %d records round trip; %s' % (s['plain']['user'], SECURE_RECORDS, refused)


def security_sasl_scram(ctx):
    s = security()
    secure_round_trip(ctx, ctx.name('256'), 'scram-sha-256', **sasl_plaintext(s, 'SCRAM-SHA-256', s['scram256']))
    secure_round_trip(ctx, ctx.name('512'), 'scram-sha-512', **sasl(s, 'SCRAM-SHA-512', s['scram512']))


def subscribe_refused(ctx, conf, topic, seen):
    """A group member of topic polling until it is refused (refused() says so) or REFUSAL_WAIT passes;
    seen gets what it read."""
    def attempt(refused):
        c = KafkaConsumer(topic, group_id=ctx.name('mallory'), auto_offset_reset='earliest', session_timeout_ms=10000,
                          **dict(common(ctx), **conf))
        try:
            deadline = time.time() + REFUSAL_WAIT - 3
            while time.time() < deadline and not refused():
                for rs in c.poll(timeout_ms=100).values():
                    seen.extend(rs)
        finally:
            c.close(autocommit=False)
    return attempt


def security_acl_denied(ctx):
    s = security()
    test = sasl(s, 'PLAIN', s['plain'])
    mallory = sasl(s, 'PLAIN', s['mallory'])
    values = secure_values('test')
    send_all(ctx, s['aclTopic'], [(None, v) for v in values], **test)
    produce_refused = expect_refusal('mallory producing', lambda: denied_by_metadata(lambda refused: send_all(
        ctx, s['aclTopic'], [(None, 'mallory')], max_block_ms=3000, **mallory)), TOPIC_DENIED)
    seen = []
    consume_refused = expect_refusal('mallory consuming', lambda: denied_by_metadata(
        subscribe_refused(ctx, mallory, s['aclTopic'], seen)), TOPIC_DENIED)
    check_equal(seen, [], 'records mallory read')
    got = read_partition(ctx, s['aclTopic'], SECURE_RECORDS, **test)
    check_equal([r.value.decode() for r in got], values, 'records test read')
    check_equal(end_offset(ctx, s['aclTopic'], **test), SECURE_RECORDS, 'log end offset (mallory stored nothing)')
    return '%s; %s; test read its %d records' % (produce_refused, consume_refused, SECURE_RECORDS)


MAIN = {
    'ssl': security_ssl,
    'mtls': security_mtls,
    'sasl-plain': security_sasl_plain,
    'sasl-scram': security_sasl_scram,
    'acl-denied': security_acl_denied,
    'metadata': metadata,
    'compression-none': round_trip(None),
    'compression-gzip': round_trip('gzip'),
    'compression-snappy': round_trip('snappy'),
    'compression-lz4': round_trip('lz4'),
    'compression-zstd': round_trip('zstd'),
    'keys-headers': keys_headers,
    'null-value': value_round_trip(None, None),
    'empty-value': value_round_trip(b'', b''),
    'record-near-max': record_near_max,
    'record-over-max': record_over_max,
    'fetch-mid-batch': fetch_mid_batch,
    'list-offsets-earliest': list_offset('earliest'),
    'list-offsets-latest': list_offset('latest'),
    'list-offsets-timestamp': list_offsets_timestamp,
    'admin-create-topics': admin_create_topics,
    'admin-describe-topics': admin_describe_topics,
    'admin-delete-topics': admin_delete_topics,
    'admin-describe-configs': admin_describe_configs,
    'admin-alter-configs': admin_alter_configs,
    'admin-create-partitions': admin_create_partitions,
    'admin-broker-configs': admin_broker_configs,
    'compaction': compaction,
    'group-split': group_split,
    'group-commit': group_commit,
    'group-leave': group_leave,
    'group-resume-after-restart': resume_before_restart,
    'cluster-leader-routing': cluster_leader_routing,
    'cluster-broker-killed': cluster_broker_killed,
    'cluster-admin': cluster_admin,
}

if __name__ == '__main__':
    run_client(MAIN, {'group-resume-after-restart': resume_after_restart})
