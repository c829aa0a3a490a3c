// Consumer-group scenarios through kafka-go's Reader (JoinGroup v1, SyncGroup v0, OffsetCommit v2).
package main

import (
	gocontext "context"
	"fmt"
	"log"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"

	kafka "github.com/segmentio/kafka-go"
)

// subscribed is how kafka-go 0.2.1 tells its assignment: only in its log ("subscribed to partitions: map[0:-2 1:-2]").
var subscribed = regexp.MustCompile(`subscribed to partitions: map\[(.*)\]`)
var partitionKey = regexp.MustCompile(`(\d+):`)
var rebalancing = regexp.MustCompile(`rebalancing consumer group`)

type member struct {
	reader     *kafka.Reader
	mu         sync.Mutex
	partitions []int
	seen       []kafka.Message
	stop       gocontext.CancelFunc
	done       chan struct{}
}

// Write receives the reader's log lines.
func (m *member) Write(p []byte) (int, error) {
	line := string(p)
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := subscribed.FindStringSubmatch(line); s != nil {
		m.partitions = nil
		for _, k := range partitionKey.FindAllStringSubmatch(s[1], -1) {
			n, _ := strconv.Atoi(k[1])
			m.partitions = append(m.partitions, n)
		}
		sort.Ints(m.partitions)
	} else if rebalancing.MatchString(line) {
		m.partitions = nil
	}
	return len(p), nil
}

func join(ctx context, group, topic string) *member {
	m := &member{done: make(chan struct{})}
	m.reader = kafka.NewReader(kafka.ReaderConfig{
		Brokers: []string{ctx.bootstrap}, GroupID: group, Topic: topic, MinBytes: 1, MaxBytes: clientSizeLimit,
		MaxWait: 100 * time.Millisecond, HeartbeatInterval: 300 * time.Millisecond, SessionTimeout: 6 * time.Second,
		RebalanceTimeout: 10 * time.Second, Logger: log.New(m, "", 0),
	})
	run, stop := gocontext.WithCancel(gocontext.Background())
	m.stop = stop
	go func() {
		defer close(m.done)
		for {
			msg, err := m.reader.FetchMessage(run)
			if err != nil {
				return
			}
			m.mu.Lock()
			m.seen = append(m.seen, msg)
			m.mu.Unlock()
		}
	}()
	return m
}

func (m *member) snapshot() ([]int, []kafka.Message) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]int(nil), m.partitions...), append([]kafka.Message(nil), m.seen...)
}

// commit commits through the reader: kafka-go stores the message's offset + 1.
func (m *member) commit(offset int64, topic string) error {
	return m.reader.CommitMessages(gocontext.Background(), kafka.Message{Topic: topic, Partition: 0, Offset: offset - 1})
}

// close stops fetching and closes the reader, which leaves the group.
func (m *member) close() error {
	m.stop()
	<-m.done
	return m.reader.Close()
}

func splitGroup(ctx context) (string, []*member, error) {
	topic := ctx.name()
	if err := createTopic(ctx, topic, 2); err != nil {
		return "", nil, err
	}
	members := []*member{join(ctx, ctx.name("group"), topic), join(ctx, ctx.name("group"), topic)}
	err := waitFor("a split assignment", func() bool {
		a, _ := members[0].snapshot()
		b, _ := members[1].snapshot()
		return len(a) == 1 && len(b) == 1 && a[0] != b[0]
	})
	return topic, members, err
}

func producePerPartition(ctx context, topic string, n int) error {
	for _, partition := range []int{0, 1} {
		conn, err := kafka.DialLeader(gocontext.Background(), "tcp", ctx.bootstrap, topic, partition)
		if err != nil {
			return err
		}
		var msgs []kafka.Message
		for i := 0; i < n; i++ {
			msgs = append(msgs, kafka.Message{Value: []byte(fmt.Sprintf("p%d-%d", partition, i))})
		}
		_, err = conn.WriteMessages(msgs...)
		conn.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func partitionsRead(seen []kafka.Message) []int {
	set := map[int]bool{}
	for _, m := range seen {
		set[m.Partition] = true
	}
	var out []int
	for p := range set {
		out = append(out, p)
	}
	sort.Ints(out)
	return out
}

func closeAll(members ...*member) {
	for _, m := range members {
		m.close()
	}
}

func groupSplit(ctx context) (string, error) {
	topic, members, err := splitGroup(ctx)
	defer closeAll(members...)
	if err != nil {
		return "", err
	}
	if err := producePerPartition(ctx, topic, 10); err != nil {
		return "", err
	}
	if err := waitFor("10 records per member", func() bool {
		_, a := members[0].snapshot()
		_, b := members[1].snapshot()
		return len(a) >= 10 && len(b) >= 10
	}); err != nil {
		return "", err
	}
	for _, m := range members {
		assigned, seen := m.snapshot()
		if err := checkEqual(partitionsRead(seen), assigned, "partitions a member read"); err != nil {
			return "", err
		}
		if err := checkEqual(len(seen), 10, "records a member read"); err != nil {
			return "", err
		}
	}
	return "", nil
}

// readInGroup reads count records through a fresh member of group, then leaves.
func readInGroup(ctx context, group, topic string, count int) ([]kafka.Message, error) {
	m := join(ctx, group, topic)
	err := waitFor(fmt.Sprintf("%d records", count), func() bool {
		_, seen := m.snapshot()
		return len(seen) >= count
	})
	_, seen := m.snapshot()
	if cerr := m.close(); err == nil {
		err = cerr
	}
	return seen, err
}

func groupCommit(ctx context) (string, error) {
	topic := ctx.name()
	group := ctx.name("group")
	if err := produce(ctx, topic, nil, messages(sampleRecords(10))...); err != nil {
		return "", err
	}
	m := join(ctx, group, topic)
	err := waitFor("10 records", func() bool {
		_, seen := m.snapshot()
		return len(seen) >= 10
	})
	if err == nil {
		err = m.commit(7, topic)
	}
	if cerr := m.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	seen, err := readInGroup(ctx, group, topic, 3)
	if err != nil {
		return "", err
	}
	return "", checkEqual(seen[0].Offset, int64(7), "first offset the group reads after its commit")
}

func groupLeave(ctx context) (string, error) {
	topic, members, err := splitGroup(ctx)
	if err != nil {
		closeAll(members...)
		return "", err
	}
	stays, leaves := members[0], members[1]
	defer closeAll(stays)
	if err := leaves.close(); err != nil {
		return "", err
	}
	if err := waitFor("the remaining member to take both partitions", func() bool {
		p, _ := stays.snapshot()
		return len(p) == 2
	}); err != nil {
		return "", err
	}
	if err := producePerPartition(ctx, topic, 5); err != nil {
		return "", err
	}
	if err := waitFor("10 records", func() bool {
		_, seen := stays.snapshot()
		return len(seen) >= 10
	}); err != nil {
		return "", err
	}
	_, seen := stays.snapshot()
	return "", checkEqual(partitionsRead(seen), []int{0, 1}, "partitions read after the leave")
}

const half = 5

func resumeBeforeRestart(ctx context) (string, error) {
	topic := ctx.name()
	records := messages(sampleRecords(half * 2))
	if err := produce(ctx, topic, nil, records[:half]...); err != nil {
		return "", err
	}
	m := join(ctx, ctx.name("group"), topic)
	err := waitFor("the first half", func() bool {
		_, seen := m.snapshot()
		return len(seen) >= half
	})
	if err == nil {
		err = m.commit(half, topic)
	}
	if cerr := m.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return "", produce(ctx, topic, nil, messages(sampleRecords(half * 2))[half:]...)
}

func resumeAfterRestart(ctx context) (string, error) {
	seen, err := readInGroup(ctx, ctx.name("group"), ctx.name(), half)
	if err != nil {
		return "", err
	}
	var got, want []string
	for i, m := range seen {
		got = append(got, fmt.Sprintf("%d %s", m.Offset, m.Value))
		want = append(want, fmt.Sprintf("%d %s", i+half, sampleRecords(half * 2)[i+half].value))
	}
	return "", checkEqual(got, want, "records read after the restart")
}
