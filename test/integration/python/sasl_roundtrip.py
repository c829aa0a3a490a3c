"""kafka-python over SASL_PLAINTEXT against a kafka-ts broker: produce, then read everything back.

Usage: sasl_roundtrip.py BOOTSTRAP TOPIC COUNT MECHANISM USERNAME PASSWORD
Prints a JSON summary; an authentication failure prints {"error": ...}.
"""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

bootstrap, topic, count, mechanism, username, password = sys.argv[1:7]
count = int(count)
common = {
    'bootstrap_servers': bootstrap,
    'security_protocol': 'SASL_PLAINTEXT',
    'sasl_mechanism': mechanism,
    'sasl_plain_username': username,
    'sasl_plain_password': password,
}

try:
    producer = KafkaProducer(acks=1, linger_ms=5, **common)
except KafkaError as e:
    print(json.dumps({'error': type(e).__name__}))
    sys.exit(0)
futures = [producer.send(topic, value=('v%d' % i).encode()) for i in range(count)]
producer.flush()
offsets = [f.get(timeout=30).offset for f in futures]
producer.close()

consumer = KafkaConsumer(group_id=None, enable_auto_commit=False, auto_offset_reset='earliest',
                         consumer_timeout_ms=5000, **common)
partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
consumer.assign(partitions)
values = []
for message in consumer:
    values.append(message.value.decode())
    if len(values) == count:
        break
consumer.close()
print(json.dumps({'offsets': offsets, 'values': values}))
