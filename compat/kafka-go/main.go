// segmentio/kafka-go 0.2.1 (Debian golang-github-segmentio-kafka-go-dev) run script; protocol:
// compat/lib/protocol.ts. It speaks Produce v2 (message format v1), Fetch v2, ListOffsets v1,
// Metadata v1 and the v0/v1 group APIs, through its Conn, group Reader and (cluster.go) Writer.
package main

import (
	"bytes"
	gocontext "context"
	"fmt"
	"sort"
	"time"

	kafka "github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/gzip"
	"github.com/segmentio/kafka-go/lz4"
	"github.com/segmentio/kafka-go/snappy"
)

// dial connects to the leader of partition 0, retrying while a new topic gets its leader.
func dial(ctx context, topic string) (*kafka.Conn, error) {
	return dialWith(kafka.DefaultDialer, ctx.bootstrap, topic)
}

// dialWith is dial through a dialer of its own (TLS) and any bootstrap.
func dialWith(d *kafka.Dialer, bootstrap, topic string) (*kafka.Conn, error) {
	var conn *kafka.Conn
	var err error
	waited := waitFor("the partition leader", func() bool {
		conn, err = d.DialLeader(gocontext.Background(), "tcp", bootstrap, topic, 0)
		return err == nil
	})
	if waited != nil {
		return nil, fmt.Errorf("%v: %v", waited, err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	return conn, nil
}

// produce writes one message set to partition 0.
func produce(ctx context, topic string, codec kafka.CompressionCodec, msgs ...kafka.Message) error {
	conn, err := dial(ctx, topic)
	if err != nil {
		return err
	}
	defer conn.Close()
	if codec == nil {
		_, err = conn.WriteMessages(msgs...)
	} else {
		_, err = conn.WriteCompressedMessages(codec, msgs...)
	}
	return err
}

// read returns count messages of partition 0 from offset.
func read(ctx context, topic string, offset int64, count int) ([]kafka.Message, error) {
	conn, err := dial(ctx, topic)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return readFrom(conn, offset, count)
}

// readFrom returns count messages of the connection's partition from offset.
func readFrom(conn *kafka.Conn, offset int64, count int) ([]kafka.Message, error) {
	return readUntil(conn, offset, func(got []kafka.Message) bool { return len(got) >= count })
}

// readUntil reads the connection's partition from offset, batch by batch, until done says it has enough.
func readUntil(conn *kafka.Conn, offset int64, done func([]kafka.Message) bool) ([]kafka.Message, error) {
	if _, err := conn.Seek(offset, kafka.SeekAbsolute); err != nil {
		return nil, err
	}
	var got []kafka.Message
	for !done(got) {
		batch := conn.ReadBatch(1, clientSizeLimit)
		for !done(got) {
			m, err := batch.ReadMessage()
			if err != nil {
				break
			}
			got = append(got, m)
		}
		if err := batch.Close(); err != nil && !done(got) {
			return got, err
		}
	}
	return got, nil
}

func messages(records []sampleRecord) []kafka.Message {
	out := make([]kafka.Message, len(records))
	for i, r := range records {
		out[i] = kafka.Message{Key: []byte(r.key), Value: []byte(r.value)}
	}
	return out
}

func roundTrip(codec kafka.CompressionCodec) scenario {
	return func(ctx context) (string, error) {
		topic := ctx.name()
		records := sampleRecords(batchSize)
		if err := produce(ctx, topic, codec, messages(records)...); err != nil {
			return "", err
		}
		got, err := read(ctx, topic, 0, len(records))
		if err != nil {
			return "", err
		}
		var want, seen []string
		for i, r := range records {
			want = append(want, fmt.Sprintf("%d %s %s", i, r.key, r.value))
			seen = append(seen, fmt.Sprintf("%d %s %s", got[i].Offset, got[i].Key, got[i].Value))
		}
		return "", checkEqual(seen, want, "records read back")
	}
}

func metadata(ctx context) (string, error) {
	topic := ctx.name()
	if err := produce(ctx, topic, nil, kafka.Message{Value: []byte("x")}); err != nil {
		return "", err
	}
	conn, err := dial(ctx, topic)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	partitions, err := conn.ReadPartitions(topic)
	if err != nil {
		return "", err
	}
	if err := check(len(partitions) > 0, "topic not in metadata"); err != nil {
		return "", err
	}
	for _, p := range partitions {
		if err := check(p.Leader.Host != "" && p.Leader.Port > 0, "partition %d leader %+v", p.ID, p.Leader); err != nil {
			return "", err
		}
	}
	l := partitions[0].Leader
	return fmt.Sprintf("%d@%s:%d", l.ID, l.Host, l.Port), nil
}

func recordNearMax(ctx context) (string, error) {
	topic := ctx.name()
	value := bytes.Repeat([]byte("n"), nearMaxValueBytes)
	if err := produce(ctx, topic, nil, kafka.Message{Value: value}); err != nil {
		return "", err
	}
	got, err := read(ctx, topic, 0, 1)
	if err != nil {
		return "", err
	}
	return "", check(bytes.Equal(got[0].Value, value), "value of %d bytes differs", len(got[0].Value))
}

func recordOverMax(ctx context) (string, error) {
	topic := ctx.name()
	if err := produce(ctx, topic, nil, kafka.Message{Value: []byte("first")}); err != nil {
		return "", err
	}
	err := produce(ctx, topic, nil, kafka.Message{Value: bytes.Repeat([]byte("o"), overMaxValueBytes)})
	if err == nil {
		return "", fmt.Errorf("an over-sized record was accepted")
	}
	if err != kafka.MessageSizeTooLarge {
		return "", fmt.Errorf("expected MessageSizeTooLarge, got %v", err)
	}
	got, rerr := read(ctx, topic, 0, 1)
	if rerr != nil {
		return "", rerr
	}
	return err.Error(), checkEqual(string(got[0].Value), "first", "records stored")
}

func fetchMidBatch(ctx context) (string, error) {
	topic := ctx.name()
	records := sampleRecords(midBatchCount)
	if err := produce(ctx, topic, nil, messages(records)...); err != nil {
		return "", err
	}
	got, err := read(ctx, topic, midBatchOffset, midBatchCount-midBatchOffset)
	if err != nil {
		return "", err
	}
	var seen, want []string
	for i, m := range got {
		seen = append(seen, fmt.Sprintf("%d %s", m.Offset, m.Value))
		want = append(want, fmt.Sprintf("%d %s", i+midBatchOffset, records[i+midBatchOffset].value))
	}
	return "", checkEqual(seen, want, "records from the middle")
}

func listOffset(which string) scenario {
	return func(ctx context) (string, error) {
		topic := ctx.name()
		if err := produce(ctx, topic, nil, messages(sampleRecords(3))...); err != nil {
			return "", err
		}
		conn, err := dial(ctx, topic)
		if err != nil {
			return "", err
		}
		defer conn.Close()
		if which == "earliest" {
			first, err := conn.ReadFirstOffset()
			if err != nil {
				return "", err
			}
			return "", checkEqual(first, int64(0), "earliest offset")
		}
		last, err := conn.ReadLastOffset()
		if err != nil {
			return "", err
		}
		return "", checkEqual(last, int64(3), "latest offset")
	}
}

func listOffsetsTimestamp(ctx context) (string, error) {
	topic := ctx.name()
	base := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	var msgs []kafka.Message
	for i := 0; i < 4; i++ {
		msgs = append(msgs, kafka.Message{Value: []byte(fmt.Sprintf("t%d", i)), Time: base.Add(time.Duration(i) * time.Second)})
	}
	if err := produce(ctx, topic, nil, msgs...); err != nil {
		return "", err
	}
	conn, err := dial(ctx, topic)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	found, err := conn.ReadOffset(base.Add(1500 * time.Millisecond))
	if err != nil {
		return "", err
	}
	return "", checkEqual(found, int64(2), "offset for a timestamp between records 1 and 2")
}

func dialBroker(address string) (*kafka.Conn, error) {
	conn, err := kafka.Dial("tcp", address)
	if err == nil {
		conn.SetDeadline(time.Now().Add(30 * time.Second))
	}
	return conn, err
}

// controller is any broker connection: kafka-ts has one broker, and kafka-go 0.2.1 cannot look the controller up.
func controller(ctx context) (*kafka.Conn, error) {
	return dialBroker(ctx.bootstrap)
}

func createTopic(ctx context, topic string, partitions int) error {
	conn, err := controller(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.CreateTopics(kafka.TopicConfig{Topic: topic, NumPartitions: partitions, ReplicationFactor: 1})
}

func partitionsOf(ctx context, topic string) ([]kafka.Partition, error) {
	conn, err := controller(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return conn.ReadPartitions(topic)
}

func adminCreateTopics(ctx context) (string, error) {
	topic := ctx.name()
	if err := createTopic(ctx, topic, 3); err != nil {
		return "", err
	}
	partitions, err := partitionsOf(ctx, topic)
	if err != nil {
		return "", err
	}
	var ids []int
	for _, p := range partitions {
		ids = append(ids, p.ID)
	}
	sort.Ints(ids)
	return "", checkEqual(ids, []int{0, 1, 2}, "partitions")
}

func adminDescribeTopics(ctx context) (string, error) {
	topic := ctx.name()
	if err := createTopic(ctx, topic, 2); err != nil {
		return "", err
	}
	partitions, err := partitionsOf(ctx, topic)
	if err != nil {
		return "", err
	}
	if err := checkEqual(len(partitions), 2, "partition count"); err != nil {
		return "", err
	}
	for _, p := range partitions {
		in := func(brokers []kafka.Broker) bool {
			for _, b := range brokers {
				if b.ID == p.Leader.ID {
					return true
				}
			}
			return false
		}
		if err := check(in(p.Replicas) && in(p.Isr), "partition %d: leader not a replica and in-sync replica", p.ID); err != nil {
			return "", err
		}
	}
	return "", nil
}

func adminDeleteTopics(ctx context) (string, error) {
	topic := ctx.name()
	if err := createTopic(ctx, topic, 1); err != nil {
		return "", err
	}
	conn, err := controller(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if err := conn.DeleteTopics(topic); err != nil {
		return "", err
	}
	// Asking for all topics: Metadata v1 naming the topic would auto-create it again, as in Kafka.
	return "", waitFor("the topic to disappear", func() bool {
		partitions, err := conn.ReadPartitions()
		if err != nil {
			return false
		}
		for _, p := range partitions {
			if p.Topic == topic {
				return false
			}
		}
		return true
	})
}

func main() {
	runClient(map[string]scenario{
		"metadata":                   metadata,
		"compression-none":           roundTrip(nil),
		"compression-gzip":           roundTrip(gzip.NewCompressionCodec()),
		"compression-snappy":         roundTrip(snappy.NewCompressionCodec()),
		"compression-lz4":            roundTrip(lz4.NewCompressionCodec()),
		"record-near-max":            recordNearMax,
		"record-over-max":            recordOverMax,
		"fetch-mid-batch":            fetchMidBatch,
		"list-offsets-earliest":      listOffset("earliest"),
		"list-offsets-latest":        listOffset("latest"),
		"list-offsets-timestamp":     listOffsetsTimestamp,
		"admin-create-topics":        adminCreateTopics,
		"admin-describe-topics":      adminDescribeTopics,
		"admin-delete-topics":        adminDeleteTopics,
		"compaction":                 compaction,
		"group-split":                groupSplit,
		"group-commit":               groupCommit,
		"group-leave":                groupLeave,
		"group-resume-after-restart": resumeBeforeRestart,
		"cluster-leader-routing":     clusterLeaderRouting,
		"cluster-broker-killed":      clusterBrokerKilled,
		"ssl":                        securitySSL,
		"mtls":                       securityMTLS,
	}, map[string]scenario{
		"group-resume-after-restart": resumeAfterRestart,
	})
}
