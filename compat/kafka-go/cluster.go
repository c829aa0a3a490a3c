// The cluster scenarios, against the three brokers of compat/cluster.ts. kafka-go's Writer keeps one
// connection per partition, dialled to its leader (DialLeader: Metadata v1 through the brokers it
// was given); a failed write closes it, and WriteMessages retries the failed messages up to
// MaxAttempts times, dialling the leader afresh each time.
package main

import (
	gocontext "context"
	"fmt"
	"sort"
	"strings"
	"time"

	kafka "github.com/segmentio/kafka-go"
)

// failoverAttempts outlasts a killed broker's 4 s ZooKeeper session and the election after it:
// the Writer waits 0.1, 0.4, 0.9 and then 1 s between attempts.
const failoverAttempts = 20

func clusterWriter(brokers []string, topic string, balancer kafka.Balancer, batchSize int) *kafka.Writer {
	return kafka.NewWriter(kafka.WriterConfig{
		Brokers: brokers, Topic: topic, Balancer: balancer, RequiredAcks: -1, MaxAttempts: failoverAttempts,
		// A partition's batch goes out once it holds batchSize messages, else after BatchTimeout (1 s by default).
		BatchSize: batchSize, BatchTimeout: 50 * time.Millisecond,
	})
}

func send(w *kafka.Writer, msgs ...kafka.Message) error {
	ctx, cancel := gocontext.WithTimeout(gocontext.Background(), 30*time.Second)
	defer cancel()
	return w.WriteMessages(ctx, msgs...)
}

// dialAny connects to the first of brokers that answers.
func dialAny(brokers []string) (conn *kafka.Conn, err error) {
	for _, b := range brokers {
		if conn, err = dialBroker(b); err == nil {
			return conn, nil
		}
	}
	return nil, err
}

// dialLeader connects to a partition's leader, looked up through the first of brokers that answers.
func dialLeader(brokers []string, topic string, partition int) (conn *kafka.Conn, err error) {
	ctx, cancel := gocontext.WithTimeout(gocontext.Background(), 10*time.Second)
	defer cancel()
	for _, b := range brokers {
		if conn, err = kafka.DialLeader(ctx, "tcp", b, topic, partition); err == nil {
			conn.SetDeadline(time.Now().Add(30 * time.Second))
			return conn, nil
		}
	}
	return nil, err
}

// createOnController sends CreateTopics to each broker in turn until one is not NotController:
// kafka-go 0.2.1 drops the controller id from the metadata it returns.
func createOnController(brokers []string, topic kafka.TopicConfig) (err error) {
	for _, b := range brokers {
		var conn *kafka.Conn
		if conn, err = dialBroker(b); err != nil {
			continue
		}
		err = conn.CreateTopics(topic)
		conn.Close()
		if err != kafka.NotController {
			return err
		}
	}
	return err
}

// createSpreadTopic creates the cluster scenarios' topic and waits until the metadata of the
// brokers in via shows its partitions led by all three brokers.
func createSpreadTopic(ctx context, topic string, via []string) error {
	config := kafka.TopicConfig{Topic: topic, NumPartitions: clusterPartitions, ReplicationFactor: clusterReplication}
	if err := createOnController(strings.Split(ctx.bootstrap, ","), config); err != nil {
		return err
	}
	return waitFor("leaders on all three brokers", func() bool {
		conn, err := dialAny(via)
		if err != nil {
			return false
		}
		defer conn.Close()
		partitions, err := conn.ReadPartitions(topic)
		leaders := map[int]bool{}
		for _, p := range partitions {
			if p.Leader.Host != "" {
				leaders[p.Leader.ID] = true
			}
		}
		return err == nil && len(partitions) == clusterPartitions && len(leaders) == clusterReplication
	})
}

// readPartition returns every record of a partition up to its high watermark, read from its leader.
func readPartition(brokers []string, topic string, partition int) ([]kafka.Message, error) {
	conn, err := dialLeader(brokers, topic, partition)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	first, last, err := conn.ReadOffsets()
	if err != nil {
		return nil, err
	}
	return readFrom(conn, first, int(last-first))
}

// readKeys reads every partition until each of keys was seen; returns "partition key" per record.
func readKeys(brokers []string, topic string, keys []string) ([]string, error) {
	var read []string
	var err error
	waited := waitFor(fmt.Sprintf("%d keys", len(keys)), func() bool {
		read, err = nil, nil
		seen := map[string]bool{}
		for p := 0; p < clusterPartitions && err == nil; p++ {
			var msgs []kafka.Message
			msgs, err = readPartition(brokers, topic, p)
			for _, m := range msgs {
				read = append(read, fmt.Sprintf("%d %s", m.Partition, m.Key))
				seen[string(m.Key)] = true
			}
		}
		for _, k := range keys {
			if !seen[k] {
				return false
			}
		}
		return err == nil
	})
	if waited != nil {
		return nil, fmt.Errorf("%v (read %d records, last error %v)", waited, len(read), err)
	}
	return read, nil
}

func clusterLeaderRouting(ctx context) (string, error) {
	// One bootstrap broker: reaching the other leaders needs the metadata it hands out.
	one := strings.Split(ctx.bootstrap, ",")[:1]
	topic := ctx.name()
	if err := createSpreadTopic(ctx, topic, one); err != nil {
		return "", err
	}
	partitionOf := map[string]int{}
	var msgs []kafka.Message
	var keys, sent []string
	for i := 0; i < clusterPartitions*routingPerPartition; i++ {
		key := fmt.Sprintf("p%d-%d", i%clusterPartitions, i)
		partitionOf[key] = i % clusterPartitions
		msgs = append(msgs, kafka.Message{Key: []byte(key), Value: []byte(key)})
		keys = append(keys, key)
		sent = append(sent, fmt.Sprintf("%d %s", i%clusterPartitions, key))
	}
	// A message may not name its partition (the Conn refuses it), so the balancer picks it by key.
	byKey := kafka.BalancerFunc(func(m kafka.Message, _ ...int) int { return partitionOf[string(m.Key)] })
	w := clusterWriter(one, topic, byKey, routingPerPartition)
	err := send(w, msgs...)
	w.Close()
	if err != nil {
		return "", err
	}
	read, err := readKeys(one, topic, keys)
	if err != nil {
		return "", err
	}
	sort.Strings(read)
	sort.Strings(sent)
	return "", checkEqual(read, sent, "records read back by partition")
}

type kill struct {
	which       string
	err         error
	ackedBefore int
}

func clusterBrokerKilled(ctx context) (string, error) {
	brokers := strings.Split(ctx.bootstrap, ",")
	topic := ctx.name()
	if err := createSpreadTopic(ctx, topic, brokers); err != nil {
		return "", err
	}
	w := clusterWriter(brokers, topic, &kafka.Hash{}, 1)
	defer w.Close()
	answers := make(chan kill, 1)
	var killed *kill
	var acked []string
	failed := 0
	for i := 0; killed == nil || len(acked) < killed.ackedBefore+ackedAfterKill; i++ {
		// Asked for once, answered while the loop keeps producing.
		if i == sentBeforeKill {
			go func() {
				which, err := ctx.killBroker()
				answers <- kill{which: which, err: err}
			}()
		}
		select {
		case k := <-answers:
			if k.err != nil {
				return "", k.err
			}
			k.ackedBefore = len(acked)
			killed = &k
		default:
		}
		key := fmt.Sprintf("r%d", i)
		if err := send(w, kafka.Message{Key: []byte(key), Value: []byte(key)}); err != nil {
			failed++
			ctx.log("send %s failed: %v", key, err)
			continue
		}
		acked = append(acked, key)
	}
	read, err := readKeys(brokers, topic, acked)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("killed %s after %d acks; %d acked (%d sends failed), all read back (%d extra reads); %d attempts failed inside the Writer",
		killed.which, killed.ackedBefore, len(acked), failed, len(read)-len(acked), w.Stats().Errors), nil
}
