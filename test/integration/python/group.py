"""kafka-python consumer-group steps against a kafka-ts broker; prints one JSON line.

group.py BOOTSTRAP produce TOPIC FROM COUNT
group.py BOOTSTRAP consume TOPIC GROUP COUNT   (reads COUNT records in the group, commits, leaves)
group.py BOOTSTRAP admin GROUP                 (list, describe, committed offsets, delete)
"""
import json
import sys

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

bootstrap, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]

if command == 'produce':
    topic, start, count = args[0], int(args[1]), int(args[2])
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks=1)
    for i in range(start, start + count):
        producer.send(topic, key=('k%d' % i).encode(), value=('v%d' % i).encode())
    producer.flush()
    producer.close()
    print(json.dumps({'produced': count}))

elif command == 'consume':
    topic, group, count = args[0], args[1], int(args[2])
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                             enable_auto_commit=False, consumer_timeout_ms=30000)
    values = []
    for msg in consumer:
        values.append(msg.value.decode())
        if len(values) == count:
            break
    consumer.commit()
    consumer.close()
    print(json.dumps({'consumed': len(values), 'first': values[0] if values else None}))

elif command == 'admin':
    group = args[0]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    groups = [list(g) for g in admin.list_consumer_groups()]
    described = admin.describe_consumer_groups([group])[0]
    offsets = admin.list_consumer_group_offsets(group)
    deleted = admin.delete_consumer_groups([group])
    after = [list(g) for g in admin.list_consumer_groups()]
    admin.close()
    print(json.dumps({'groups': groups, 'state': described.state,
                      'committed': sum(o.offset for o in offsets.values()),
                      'deleted': all(err.errno == 0 for _, err in deleted), 'after_delete': after}))
