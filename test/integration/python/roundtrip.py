"""kafka-python round trip against a kafka-ts broker: produce, then read everything back.

Usage: roundtrip.py BOOTSTRAP TOPIC COUNT [API_VERSION] [COMPRESSION]
API_VERSION like 0.10 or 0.9 pins an old protocol generation (message format v1 / v0);
without it the client negotiates through ApiVersions. Prints a JSON summary.
"""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
api_version = tuple(int(x) for x in sys.argv[4].split('.')) if len(sys.argv) > 4 and sys.argv[4] != 'auto' else None
compression = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] != 'none' else None

common = {'bootstrap_servers': bootstrap}
if api_version:
    common['api_version'] = api_version

producer = KafkaProducer(acks=1, compression_type=compression, linger_ms=5, **common)
futures = [producer.send(topic, key=('k%d' % i).encode(), value=None if i % 7 == 0 else ('v%d' % i).encode())
           for i in range(count)]
producer.flush()
offsets = [f.get(timeout=30).offset for f in futures]
producer.close()

consumer = KafkaConsumer(group_id=None, enable_auto_commit=False, auto_offset_reset='earliest',
                         consumer_timeout_ms=5000, **common)
partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
consumer.assign(partitions)
consumer.seek_to_beginning(*partitions)
end = consumer.end_offsets(partitions)
got = {}
for msg in consumer:
    got[msg.key.decode()] = None if msg.value is None else msg.value.decode()
    if all(consumer.position(tp) >= end[tp] for tp in partitions):
        break
consumer.close()

bad = [i for i in range(count) if got.get('k%d' % i, 'missing') != (None if i % 7 == 0 else 'v%d' % i)]
print(json.dumps({'produced': len(offsets), 'consumed': len(got), 'mismatched': len(bad),
                  'end_offsets': sum(end.values())}))
