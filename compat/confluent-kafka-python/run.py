"""confluent-kafka-python (Debian python3-confluent-kafka 1.7, librdkafka 2.0.2) run script;
protocol: compat/lib/protocol.ts."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))

from confluent_kafka import (OFFSET_BEGINNING, Consumer, KafkaError, KafkaException,  # noqa: E402
                             Producer, TopicPartition)
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic  # noqa: E402
from harness import (CLIENT_SIZE_LIMIT, CLUSTER_GROWN_PARTITIONS, CLUSTER_PARTITIONS, CLUSTER_REPLICATION,  # noqa: E402
                     CLUSTER_RETENTION_MS, COMPACT_TOPIC_CONFIGS, EOS_ABORTED, EOS_FIRST, EOS_INPUT, GROWN_PARTITIONS,
                     MID_BATCH_COUNT, MID_BATCH_OFFSET, NEAR_MAX_VALUE_BYTES, OVER_MAX_VALUE_BYTES, RETRY_RECORDS,
                     ROLL_KEY, ROUTING_PER_PARTITION, await_compaction, check, check_equal, compaction_records,
                     eos_input, eos_transform, produce_through_kill, run_client, sample_records, txn_values, wait_for,
                     AUTHENTICATION_FAILED, REFUSAL_WAIT, SECURE_RECORDS, TOPIC_DENIED, expect_refusal, rdkafka_sasl,
                     rdkafka_sasl_plaintext, rdkafka_tls, secure_values, security, wrong_password)

HALF = 5


def producer(ctx, **conf):
    return Producer(dict({'bootstrap.servers': ctx.bootstrap, 'linger.ms': 100, 'message.max.bytes': CLIENT_SIZE_LIMIT}, **conf))


def send_all(ctx, topic, records, **conf):
    """Sends (key, value[, headers[, timestamp]]) to partition 0; raises the first delivery error."""
    sends = []
    for r in records:
        extra = {'headers': r[2]} if len(r) > 2 and r[2] is not None else {}
        if len(r) > 3:
            extra['timestamp'] = r[3]
        sends.append(dict(key=_b(r[0]), value=_b(r[1]), partition=0, **extra))
    return [m.offset() for m in deliver(producer(ctx, **conf), topic, sends)]


def deliver(p, topic, sends):
    """Produces each of `sends` (produce() arguments) and flushes; raises the first delivery error,
    else returns the delivered messages."""
    errors, delivered = [], []

    def on_delivery(err, msg):
        if err:
            errors.append(err)
        else:
            delivered.append(msg)
    for s in sends:
        p.produce(topic, on_delivery=on_delivery, **s)
    check_equal(p.flush(30), 0, 'records still queued after flush')
    if errors:
        raise KafkaException(errors[0])
    return delivered


def _b(s):
    return s.encode() if isinstance(s, str) else s


def consumer(ctx, group=None, **conf):
    return Consumer(dict({'bootstrap.servers': ctx.bootstrap, 'group.id': group or ctx.name('reader'),
                          'enable.auto.commit': False, 'auto.offset.reset': 'earliest',
                          'fetch.message.max.bytes': CLIENT_SIZE_LIMIT}, **conf))


def poll_into(c, got):
    for m in c.consume(num_messages=500, timeout=0.05):
        if m.error():
            raise KafkaException(m.error())
        got.append(m)


def read_partition(ctx, topic, count, offset=OFFSET_BEGINNING, partition=0, **conf):
    c = consumer(ctx, **conf)
    try:
        c.assign([TopicPartition(topic, partition, offset)])
        got = []
        wait_for('%d records' % count, lambda: poll_into(c, got) or len(got) >= count)
        return got
    finally:
        c.close()


def round_trip(codec):
    def scenario(ctx):
        topic = ctx.name()
        records = sample_records()
        send_all(ctx, topic, records, **{'compression.type': codec})
        got = read_partition(ctx, topic, len(records))
        check_equal([(m.offset(), m.key().decode(), m.value().decode()) for m in got],
                    [(i, k, v) for i, (k, v) in enumerate(records)], 'records read back')
    return scenario


def admin(ctx):
    return AdminClient({'bootstrap.servers': ctx.bootstrap})


def metadata(ctx):
    topic = ctx.name()
    send_all(ctx, topic, [('k', 'x')])
    md = admin(ctx).list_topics(topic, timeout=10)
    check(md.brokers and all(b.host and b.port > 0 for b in md.brokers.values()), 'brokers %r' % md.brokers)
    check(md.controller_id in md.brokers, 'controller %d not among brokers' % md.controller_id)
    t = md.topics[topic]
    check(t.error is None, 'topic error %s' % t.error)
    check(all(p.leader in md.brokers for p in t.partitions.values()), 'partition leader not a known broker')
    return ', '.join('%d@%s:%d' % (b.id, b.host, b.port) for b in md.brokers.values())


def keys_headers(ctx):
    topic = ctx.name()
    headers = [('trace-id', b'abc'), ('empty', b''), ('binary', b'\x00\xff\x01')]
    send_all(ctx, topic, [('the-key', 'v', headers)])
    [m] = read_partition(ctx, topic, 1)
    check_equal(m.key(), b'the-key', 'key')
    check_equal(m.headers(), headers, 'headers')


def value_round_trip(value):
    def scenario(ctx):
        topic = ctx.name()
        send_all(ctx, topic, [('k', value)])
        [m] = read_partition(ctx, topic, 1)
        check_equal(m.value(), value, 'value')
    return scenario


def record_near_max(ctx):
    topic = ctx.name()
    value = b'n' * NEAR_MAX_VALUE_BYTES
    send_all(ctx, topic, [('k', value)])
    [m] = read_partition(ctx, topic, 1)
    check(m.value() == value, 'value of %d bytes differs' % len(m.value() or b''))


def record_over_max(ctx):
    topic = ctx.name()
    send_all(ctx, topic, [('k', 'first')])
    try:
        send_all(ctx, topic, [('k', b'o' * OVER_MAX_VALUE_BYTES)])
    except KafkaException as e:
        err = e.args[0]
        check_equal(err.code(), KafkaError.MSG_SIZE_TOO_LARGE, 'error code')
        check('Broker' in err.str(), 'refused by the client, not the broker: %s' % err.str())
        check_equal([m.value() for m in read_partition(ctx, topic, 1)], [b'first'], 'records stored')
        return err.str()
    raise AssertionError('an over-sized record was accepted')


def fetch_mid_batch(ctx):
    topic = ctx.name()
    records = sample_records(MID_BATCH_COUNT)
    send_all(ctx, topic, records)
    got = read_partition(ctx, topic, MID_BATCH_COUNT - MID_BATCH_OFFSET, offset=MID_BATCH_OFFSET)
    check_equal([(m.offset(), m.value().decode()) for m in got],
                [(i, v) for i, (_, v) in enumerate(records)][MID_BATCH_OFFSET:], 'records from the middle')


def watermark(index, want):
    def scenario(ctx):
        topic = ctx.name()
        send_all(ctx, topic, [('k', 'a'), ('k', 'b'), ('k', 'c')])
        c = consumer(ctx)
        try:
            check_equal(c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)[index], want, 'offset')
        finally:
            c.close()
    return scenario


def list_offsets_timestamp(ctx):
    topic = ctx.name()
    base = int(time.time() * 1000) - 60000
    send_all(ctx, topic, [('k', 't%d' % i, None, base + i * 1000) for i in range(4)])
    c = consumer(ctx)
    try:
        [found] = c.offsets_for_times([TopicPartition(topic, 0, base + 1500)], timeout=10)
        check_equal(found.offset, 2, 'offset for a timestamp between records 1 and 2')
    finally:
        c.close()


def create_topic(ctx, topic, partitions, replication=1, configs=None):
    a = admin(ctx)  # held until the futures resolve: a collected AdminClient fails them with _DESTROY
    new = NewTopic(topic, num_partitions=partitions, replication_factor=replication, config=configs or {})
    for f in a.create_topics([new]).values():
        f.result(20)


def grow_topic(ctx, topic, count):
    """CreatePartitions to `count`, then waits until the metadata shows them all with leaders."""
    a = admin(ctx)
    for f in a.create_partitions([NewPartitions(topic, count)]).values():
        f.result(20)

    def grown():
        md = a.list_topics(topic, timeout=10)
        parts = md.topics[topic].partitions.values()
        return len(parts) == count and all(p.leader in md.brokers for p in parts)
    wait_for('%d partitions with leaders' % count, grown)


def admin_create_partitions(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    grow_topic(ctx, topic, GROWN_PARTITIONS)
    last = GROWN_PARTITIONS - 1
    deliver(producer(ctx), topic, [dict(partition=last, key=b'k', value=b'on-the-new-partition')])
    got = read_partition(ctx, topic, 1, partition=last)
    check_equal([(m.partition(), m.offset(), m.value()) for m in got], [(last, 0, b'on-the-new-partition')], 'record read back')


def read_to_end(ctx, topic):
    """(key, value) of every record of partition 0 from the earliest offset to the high watermark."""
    c = consumer(ctx)
    try:
        tp = TopicPartition(topic, 0, OFFSET_BEGINNING)
        end = c.get_watermark_offsets(tp, timeout=10)[1]
        c.assign([tp])
        got = []
        wait_for('records up to offset %d' % end, lambda: poll_into(c, got) or any(m.offset() >= end - 1 for m in got))
        text = lambda b: b.decode() if b is not None else None  # noqa: E731
        return [(text(m.key()), text(m.value())) for m in got]
    finally:
        c.close()


def compaction(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1, configs=COMPACT_TOPIC_CONFIGS)
    sent = compaction_records()
    p = producer(ctx)
    for i in range(0, len(sent), 20):
        deliver(p, topic, [dict(partition=0, key=_b(k), value=_b(v)) for k, v in sent[i:i + 20]])
    return await_compaction(lambda: deliver(p, topic, [dict(partition=0, key=_b(ROLL_KEY), value=b'roll')]),
                            lambda: read_to_end(ctx, topic))


def admin_create_topics(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 3)
    md = admin(ctx).list_topics(topic, timeout=10)
    check_equal(sorted(md.topics[topic].partitions), [0, 1, 2], 'partitions')


def admin_describe_topics(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 2)
    md = admin(ctx).list_topics(topic, timeout=10)
    parts = md.topics[topic].partitions.values()
    check_equal(len(parts), 2, 'partition count')
    for p in parts:
        check(p.leader in md.brokers and p.leader in p.replicas and p.leader in p.isrs,
              'partition %d: leader not a broker, replica and in-sync replica' % p.id)


def admin_delete_topics(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    a = admin(ctx)
    for f in a.delete_topics([topic]).values():
        f.result(20)
    wait_for('the topic to disappear', lambda: topic not in a.list_topics(timeout=10).topics)


def topic_configs(ctx, topic):
    a = admin(ctx)
    [f] = a.describe_configs([ConfigResource('topic', topic)]).values()
    return {name: entry.value for name, entry in f.result(20).items()}


def admin_describe_configs(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    check_equal(topic_configs(ctx, topic).get('cleanup.policy'), 'delete', 'cleanup.policy')


def admin_alter_configs(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    resource = ConfigResource('topic', topic, set_config={'retention.ms': '123456'})
    a = admin(ctx)
    for f in a.alter_configs([resource]).values():
        f.result(20)
    check_equal(topic_configs(ctx, topic).get('retention.ms'), '123456', 'retention.ms')


class Member:
    """A subscribed consumer; librdkafka rebalances in its own threads, so members can be polled in turn."""

    def __init__(self, ctx, group, topic, **conf):
        self.consumer = consumer(ctx, group, **dict({'heartbeat.interval.ms': 300, 'session.timeout.ms': 10000}, **conf))
        self.partitions = []
        self.seen = []
        self.consumer.subscribe([topic], on_assign=self._assigned, on_revoke=self._revoked)

    def _assigned(self, c, tps):
        self.partitions = sorted(tp.partition for tp in tps)

    def _revoked(self, c, tps):
        self.partitions = []

    def poll(self):
        poll_into(self.consumer, self.seen)


def poll_until(members, what, cond):
    wait_for(what, lambda: [m.poll() for m in members] and cond())


def split_group(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 2)
    members = [Member(ctx, ctx.name('group'), topic) for _ in range(2)]
    poll_until(members, 'a split assignment', lambda: [m.partitions for m in members] in ([[0], [1]], [[1], [0]]))
    return topic, members


def produce_per_partition(ctx, topic, n):
    p = producer(ctx)
    for partition in (0, 1):
        for i in range(n):
            p.produce(topic, value=b'p%d-%d' % (partition, i), partition=partition)
    check_equal(p.flush(30), 0, 'records still queued after flush')


def group_split(ctx):
    topic, members = split_group(ctx)
    try:
        produce_per_partition(ctx, topic, 10)
        poll_until(members, '10 records per member', lambda: all(len(m.seen) >= 10 for m in members))
        for m in members:
            check_equal(sorted({r.partition() for r in m.seen}), m.partitions, 'partitions a member read')
            check_equal(len(m.seen), 10, 'records a member read')
    finally:
        for m in members:
            m.consumer.close()


def group_commit(ctx):
    topic = ctx.name()
    group = ctx.name('group')
    send_all(ctx, topic, sample_records(10))
    m = Member(ctx, group, topic)
    try:
        poll_until([m], '10 records', lambda: len(m.seen) >= 10)
        m.consumer.commit(offsets=[TopicPartition(topic, 0, 7)], asynchronous=False)
    finally:
        m.consumer.close()
    c = consumer(ctx, group)
    try:
        [tp] = c.committed([TopicPartition(topic, 0)], timeout=10)
        check_equal(tp.offset, 7, 'committed offset')
    finally:
        c.close()


def group_leave(ctx):
    topic, (stays, leaves) = split_group(ctx)
    try:
        leaves.consumer.close()
        poll_until([stays], 'the remaining member to take both partitions', lambda: stays.partitions == [0, 1])
        produce_per_partition(ctx, topic, 5)
        poll_until([stays], '10 records', lambda: len(stays.seen) >= 10)
        check_equal(sorted({r.partition() for r in stays.seen}), [0, 1], 'partitions read after the leave')
    finally:
        stays.consumer.close()


def resume_before_restart(ctx):
    topic = ctx.name()
    records = sample_records(HALF * 2)
    send_all(ctx, topic, records[:HALF])
    m = Member(ctx, ctx.name('group'), topic)
    try:
        poll_until([m], 'the first half', lambda: len(m.seen) >= HALF)
        m.consumer.commit(offsets=[TopicPartition(topic, 0, HALF)], asynchronous=False)
    finally:
        m.consumer.close()
    send_all(ctx, topic, records[HALF:])


def resume_after_restart(ctx):
    m = Member(ctx, ctx.name('group'), ctx.name())
    try:
        poll_until([m], 'the second half', lambda: len(m.seen) >= HALF)
    finally:
        m.consumer.close()
    check_equal([(r.offset(), r.value().decode()) for r in m.seen],
                [(i, v) for i, (_, v) in enumerate(sample_records(HALF * 2))][HALF:], 'records read after the restart')


def idempotent_producer(ctx):
    topic = ctx.name()
    records = sample_records(10)
    send_all(ctx, topic, records, **{'enable.idempotence': True})
    got = read_partition(ctx, topic, len(records))
    check_equal([m.value().decode() for m in got], [v for _, v in records], 'records stored once, in order')


def idempotent_retry(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    records = sample_records(RETRY_RECORDS)
    # Every lost response costs a reconnect: keep librdkafka's backoff short rather than let it double.
    p = Producer({'bootstrap.servers': ctx.flaky_bootstrap(), 'enable.idempotence': True, 'linger.ms': 0,
                  'retry.backoff.ms': 100, 'reconnect.backoff.ms': 50, 'reconnect.backoff.max.ms': 200})
    for key, value in records:
        deliver(p, topic, [dict(key=key.encode(), value=value.encode(), partition=0)])
    got = read_partition(ctx, topic, len(records))
    check_equal([m.value().decode() for m in got], [v for _, v in records], 'records stored once, in order')
    c = consumer(ctx)
    try:
        check_equal(c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)[1], len(records), 'log end offset')
    finally:
        c.close()


def read_committed(ctx, topic, count):
    c = consumer(ctx, **{'isolation.level': 'read_committed'})
    try:
        c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        got = []
        wait_for('%d committed records' % count, lambda: poll_into(c, got) or len(got) >= count)
        return [m.value().decode() for m in got]
    finally:
        c.close()


def transactional_producer(ctx):
    topic = ctx.name()
    create_topic(ctx, topic, 1)
    p = producer(ctx, **{'transactional.id': ctx.name('txn')})
    p.init_transactions(20)
    for t in (0, 1, 2):
        p.begin_transaction()
        for value in txn_values(t):
            p.produce(topic, value=value.encode(), partition=0)
        (p.abort_transaction if t == 1 else p.commit_transaction)(20)
    want = txn_values(0) + txn_values(2)
    check_equal(read_committed(ctx, topic, len(want)), want, 'read_committed records')


def eos_names(ctx):
    """exactly-once-restart's topics, group and transactional id, the same in both phases."""
    return ctx.name('in'), ctx.name('out'), ctx.name('group'), ctx.name('txn')


def transform_round(ctx, p, count, commit):
    """One consume-transform-produce round: the group reads `count` input records from its committed
    offset, the producer writes their transformations and the group's next offset in one transaction
    (send_offsets_to_transaction with the consumer's group metadata), then commits or aborts it."""
    source, sink, group, _ = eos_names(ctx)
    m = Member(ctx, group, source, **{'isolation.level': 'read_committed'})
    try:
        poll_until([m], '%d input records' % count, lambda: len(m.seen) >= count)
        batch = m.seen[:count]
        p.begin_transaction()
        for r in batch:
            p.produce(sink, value=eos_transform(r.value().decode()).encode(), partition=0)
        p.send_offsets_to_transaction([TopicPartition(source, 0, batch[-1].offset() + 1)],
                                      m.consumer.consumer_group_metadata(), 20)
        (p.commit_transaction if commit else p.abort_transaction)(20)
    finally:
        m.consumer.close()


def committed_offset(ctx, group, topic):
    c = consumer(ctx, group)
    try:
        [tp] = c.committed([TopicPartition(topic, 0)], timeout=10)
        return tp.offset
    finally:
        c.close()


def eos_before_restart(ctx):
    source, sink, group, txn = eos_names(ctx)
    create_topic(ctx, source, 1)
    create_topic(ctx, sink, 1)
    send_all(ctx, source, [(None, eos_input(i)) for i in range(EOS_INPUT)])
    p = producer(ctx, **{'transactional.id': txn})
    p.init_transactions(20)
    transform_round(ctx, p, EOS_FIRST, True)
    transform_round(ctx, p, EOS_ABORTED, False)
    check_equal(committed_offset(ctx, group, source), EOS_FIRST, 'committed input offset before the restart')


def eos_after_restart(ctx):
    source, sink, group, txn = eos_names(ctx)
    p = producer(ctx, **{'transactional.id': txn})
    p.init_transactions(20)
    transform_round(ctx, p, EOS_INPUT - EOS_FIRST, True)
    want = [eos_transform(eos_input(i)) for i in range(EOS_INPUT)]
    check_equal(read_committed(ctx, sink, EOS_INPUT), want, 'transformed records, read_committed')
    check_equal(committed_offset(ctx, group, source), EOS_INPUT, 'committed input offset')


# librdkafka retries a send until message.timeout.ms: long enough to outlast a killed broker's
# session timeout and the leader election after it, short enough to report within the scenario.
FAILOVER = {'acks': 'all', 'linger.ms': 5, 'message.timeout.ms': 20000}


def create_spread_topic(ctx, topic):
    """The cluster scenarios' topic; waits until its partitions have leaders on all three brokers."""
    create_topic(ctx, topic, CLUSTER_PARTITIONS, CLUSTER_REPLICATION)
    a = admin(ctx)

    def spread():
        md = a.list_topics(topic, timeout=10)
        leaders = {p.leader for p in md.topics[topic].partitions.values()}
        return (len(md.topics[topic].partitions) == CLUSTER_PARTITIONS and len(leaders) == CLUSTER_REPLICATION
                and leaders <= set(md.brokers))
    wait_for('leaders on all three brokers', spread)


def read_keys(ctx, topic, keys, **conf):
    """Reads every partition from the start until each of `keys` was seen; returns "partition key" per record."""
    c = consumer(ctx, **conf)
    try:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(CLUSTER_PARTITIONS)])
        got = []
        wait_for('%d keys' % len(keys), lambda: poll_into(c, got) or set(keys) <= {m.key().decode() for m in got})
        return ['%d %s' % (m.partition(), m.key().decode()) for m in got]
    finally:
        c.close()


def cluster_leader_routing(ctx):
    # One bootstrap broker: reaching the other leaders needs the metadata it hands out.
    one = {'bootstrap.servers': ctx.bootstrap.split(',')[0]}
    topic = ctx.name()
    create_spread_topic(ctx, topic)
    sent = [(i % CLUSTER_PARTITIONS, 'p%d-%d' % (i % CLUSTER_PARTITIONS, i)) for i in range(CLUSTER_PARTITIONS * ROUTING_PER_PARTITION)]
    deliver(producer(ctx, **dict(FAILOVER, **one)), topic,
            [dict(partition=part, key=key.encode(), value=key.encode()) for part, key in sent])
    read = read_keys(ctx, topic, [key for _, key in sent], **one)
    check_equal(sorted(read), sorted('%d %s' % s for s in sent), 'records read back by partition')


def cluster_broker_killed(ctx):
    topic = ctx.name()
    create_spread_topic(ctx, topic)
    p = producer(ctx, **FAILOVER)
    r = produce_through_kill(ctx, lambda key: deliver(p, topic, [dict(key=key.encode(), value=key.encode())]))
    return r.detail(len(read_keys(ctx, topic, r.acked)))


def cluster_idempotent_leader_killed(ctx):
    topic = ctx.name()
    create_spread_topic(ctx, topic)
    p = producer(ctx, **dict(FAILOVER, **{'enable.idempotence': True}))
    r = produce_through_kill(ctx, lambda key: deliver(p, topic, [dict(key=key.encode(), value=key.encode())]))
    return r.exactly_once_detail([read.replace(' ', '/') for read in read_keys(ctx, topic, r.acked)])


def cluster_admin(ctx):
    topic = ctx.name()
    create_spread_topic(ctx, topic)
    a = admin(ctx)
    for f in a.alter_configs([ConfigResource('topic', topic, set_config={'retention.ms': CLUSTER_RETENTION_MS})]).values():
        f.result(20)
    # librdkafka sends DescribeConfigs for a topic to a broker of its choosing, not one asked for; a
    # topic config reaches the other brokers through ZooKeeper, as in Kafka.
    wait_for('retention.ms %s described' % CLUSTER_RETENTION_MS,
             lambda: topic_configs(ctx, topic).get('retention.ms') == CLUSTER_RETENTION_MS)
    grow_topic(ctx, topic, CLUSTER_GROWN_PARTITIONS)
    partition = CLUSTER_GROWN_PARTITIONS - 1
    deliver(producer(ctx, **FAILOVER), topic, [dict(partition=partition, key=b'grown', value=b'grown')])
    got = read_partition(ctx, topic, 1, partition=partition)
    check_equal([(m.partition(), m.key()) for m in got], [(partition, b'grown')], 'record read back from the new partition')


def at(bootstrap, conf):
    """conf for the secured broker's listener at bootstrap."""
    return dict(conf, **{'bootstrap.servers': bootstrap})


def secure_round_trip(ctx, topic, tag, conf):
    """Produces SECURE_RECORDS values tagged tag and reads them back, both with conf. A failure says
    what the clients heard (error_cb: authentication, TLS), which fails no call by itself."""
    values = secure_values(tag)
    heard = []
    conf = dict(conf, error_cb=heard.append)
    try:
        send_all(ctx, topic, [(None, v) for v in values], **conf)
        got = read_partition(ctx, topic, SECURE_RECORDS, **conf)
    except Exception as e:
        raise AssertionError('%s (%s): %s' % (tag, e, '; '.join(str(h) for h in heard[:2]) or 'no client error'))
    check_equal([m.value().decode() for m in got], values, 'records read back (%s)' % tag)


def refused_send(ctx, conf, topic):
    """A send that must be refused: the client's own error (error_cb: authentication, TLS) or the
    delivery error, whichever comes first."""
    def attempt():
        heard, failed = [], []
        p = producer(ctx, **dict(conf, error_cb=heard.append, **{'message.timeout.ms': int(REFUSAL_WAIT - 3) * 1000}))
        p.produce(topic, b'refused', partition=0, on_delivery=lambda err, msg: err and failed.append(err))
        deadline = time.time() + REFUSAL_WAIT
        while p.flush(0.1) > 0 and not heard and time.time() < deadline:
            pass
        if heard or failed:
            raise KafkaException((heard + failed)[0])
        check_equal(len(p), 0, 'records neither delivered nor failed')
    return attempt


def refused_subscriber(ctx, conf, topic, seen):
    """A group member of topic that must be refused: the first error it hears ends it."""
    def attempt():
        heard = []
        c = consumer(ctx, ctx.name('refused'), **dict(conf, error_cb=heard.append))
        try:
            c.subscribe([topic])
            deadline = time.time() + REFUSAL_WAIT
            while not heard and time.time() < deadline:
                poll_into(c, seen)
            if heard:
                raise KafkaException(heard[0])
        finally:
            c.close()
    return attempt


def security_ssl(ctx):
    s = security()
    secure_round_trip(ctx, ctx.name(), 'ssl', at(s['ssl'], rdkafka_tls(s)))


def security_mtls(ctx):
    s = security()
    secure_round_trip(ctx, ctx.name(), 'mtls', at(s['mtls'], rdkafka_tls(s, True)))
    refused = expect_refusal('without a client certificate', refused_send(ctx, at(s['mtls'], rdkafka_tls(s)), ctx.name('refused')))
    return 'with a certificate: %d records round trip; %s' % (SECURE_RECORDS, refused)


def security_sasl_plain(ctx):
    s = security()
    secure_round_trip(ctx, ctx.name(), 'plain', at(s['saslSsl'], rdkafka_sasl(s, 'PLAIN', s['plain'])))
    wrong = at(s['saslSsl'], rdkafka_sasl(s, 'PLAIN', s['plain'], wrong_password(s['plain'])))
    refused = expect_refusal('a wrong password', refused_send(ctx, wrong, ctx.name()), AUTHENTICATION_FAILED)
    return '%s over SASL_SSL: %d records round trip; %s' % (s['plain']['user'], SECURE_RECORDS, refused)


def security_sasl_scram(ctx):
    s = security()
    secure_round_trip(ctx, ctx.name('256'), 'scram-sha-256', at(s['saslPlaintext'], rdkafka_sasl_plaintext('SCRAM-SHA-256', s['scram256'])))
    secure_round_trip(ctx, ctx.name('512'), 'scram-sha-512', at(s['saslSsl'], rdkafka_sasl(s, 'SCRAM-SHA-512', s['scram512'])))


def security_acl_denied(ctx):
    s = security()
    test = at(s['saslSsl'], rdkafka_sasl(s, 'PLAIN', s['plain']))
    mallory = at(s['saslSsl'], rdkafka_sasl(s, 'PLAIN', s['mallory']))
    values = secure_values('test')
    send_all(ctx, s['aclTopic'], [(None, v) for v in values], **test)
    produce_refused = expect_refusal('mallory producing', refused_send(ctx, mallory, s['aclTopic']), TOPIC_DENIED)
    seen = []
    consume_refused = expect_refusal('mallory consuming', refused_subscriber(ctx, mallory, s['aclTopic'], seen), TOPIC_DENIED)
    check_equal(seen, [], 'records mallory read')
    got = read_partition(ctx, s['aclTopic'], SECURE_RECORDS, **test)
    check_equal([m.value().decode() for m in got], values, 'records test read')
    c = consumer(ctx, **test)
    try:
        check_equal(c.get_watermark_offsets(TopicPartition(s['aclTopic'], 0), timeout=10)[1], SECURE_RECORDS,
                    'log end offset (mallory stored nothing)')
    finally:
        c.close()
    return '%s; %s; test read its %d records' % (produce_refused, consume_refused, SECURE_RECORDS)


MAIN = {
    'ssl': security_ssl,
    'mtls': security_mtls,
    'sasl-plain': security_sasl_plain,
    'sasl-scram': security_sasl_scram,
    'acl-denied': security_acl_denied,
    'metadata': metadata,
    'compression-none': round_trip('none'),
    'compression-gzip': round_trip('gzip'),
    'compression-snappy': round_trip('snappy'),
    'compression-lz4': round_trip('lz4'),
    'compression-zstd': round_trip('zstd'),
    'keys-headers': keys_headers,
    'null-value': value_round_trip(None),
    'empty-value': value_round_trip(b''),
    'record-near-max': record_near_max,
    'record-over-max': record_over_max,
    'fetch-mid-batch': fetch_mid_batch,
    'list-offsets-earliest': watermark(0, 0),
    'list-offsets-latest': watermark(1, 3),
    'list-offsets-timestamp': list_offsets_timestamp,
    'admin-create-topics': admin_create_topics,
    'admin-describe-topics': admin_describe_topics,
    'admin-delete-topics': admin_delete_topics,
    'admin-describe-configs': admin_describe_configs,
    'admin-alter-configs': admin_alter_configs,
    'admin-create-partitions': admin_create_partitions,
    'compaction': compaction,
    'group-split': group_split,
    'group-commit': group_commit,
    'group-leave': group_leave,
    'group-resume-after-restart': resume_before_restart,
    'idempotent-producer': idempotent_producer,
    'idempotent-retry': idempotent_retry,
    'transactional-producer': transactional_producer,
    'exactly-once-restart': eos_before_restart,
    'cluster-leader-routing': cluster_leader_routing,
    'cluster-broker-killed': cluster_broker_killed,
    'cluster-idempotent-leader-killed': cluster_idempotent_leader_killed,
    'cluster-admin': cluster_admin,
}

if __name__ == '__main__':
    run_client(MAIN, {'group-resume-after-restart': resume_after_restart, 'exactly-once-restart': eos_after_restart},
               timeout=45.0)
