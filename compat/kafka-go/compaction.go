// compaction: a compacted topic, three rounds of the same keys and a tombstone, then roll records
// until a read from the earliest offset holds one record per key (compat/lib/compaction.ts is the twin).
package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	kafka "github.com/segmentio/kafka-go"
)

const (
	compactKeys     = 20
	compactRounds   = 3
	tombstoneKey    = "key-0"
	rollKey         = "roll"
	compactionWait  = 40 * time.Second
	compactionPause = 100 * time.Millisecond
)

var compactTopicConfigs = []kafka.ConfigEntry{
	{ConfigName: "cleanup.policy", ConfigValue: "compact"},
	{ConfigName: "segment.ms", ConfigValue: "100"},
	{ConfigName: "min.cleanable.dirty.ratio", ConfigValue: "0.01"},
	{ConfigName: "delete.retention.ms", ConfigValue: "100"},
	{ConfigName: "segment.bytes", ConfigValue: "1024"},
}

var compactKeyPattern = regexp.MustCompile(`^key-(\d+)$`)

// compactionProblem says why what was read is not the compacted log yet ("" once it is). kafka-go
// reads a null value as nil, so a nil value stands for the tombstone; roll records are ignored.
func compactionProblem(read []kafka.Message) string {
	byKey := map[string][]string{}
	var order []string
	for _, m := range read {
		key := string(m.Key)
		if key == rollKey {
			continue
		}
		if _, seen := byKey[key]; !seen {
			order = append(order, key)
		}
		value := "<null>"
		if m.Value != nil {
			value = string(m.Value)
		}
		byKey[key] = append(byKey[key], value)
	}
	var problems, duplicated, wrong, unknown []string
	for _, key := range order {
		if n := len(byKey[key]); n > 1 {
			duplicated = append(duplicated, fmt.Sprintf("%s ×%d", key, n))
		}
		if m := compactKeyPattern.FindStringSubmatch(key); m == nil {
			unknown = append(unknown, key)
		} else if i, _ := strconv.Atoi(m[1]); i >= compactKeys {
			unknown = append(unknown, key)
		}
	}
	if len(duplicated) > 0 {
		problems = append(problems, fmt.Sprintf("duplicates still present: %d keys with more than one record (%s)", len(duplicated), strings.Join(first3(duplicated), ", ")))
	}
	if values, ok := byKey[tombstoneKey]; ok {
		problems = append(problems, fmt.Sprintf("tombstoned %s still present (%d records)", tombstoneKey, len(values)))
	}
	for i := 0; i < compactKeys; i++ {
		key := fmt.Sprintf("key-%d", i)
		values, ok := byKey[key]
		switch {
		case key == tombstoneKey:
		case !ok:
			wrong = append(wrong, key+" missing")
		case values[len(values)-1] != fmt.Sprintf("%d-%s", compactRounds-1, key):
			wrong = append(wrong, key+"="+values[len(values)-1])
		}
	}
	if len(wrong) > 0 {
		problems = append(problems, "wrong latest values: "+strings.Join(first3(wrong), ", "))
	}
	if len(unknown) > 0 {
		problems = append(problems, "unexpected keys "+strings.Join(first3(unknown), ", "))
	}
	if len(problems) == 0 {
		return ""
	}
	return fmt.Sprintf("%d records read: %s", len(read), strings.Join(problems, "; "))
}

func first3(s []string) []string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}

// readToEnd reads partition 0 from its earliest offset up to its high watermark.
func readToEnd(ctx context, topic string) ([]kafka.Message, error) {
	conn, err := dial(ctx, topic)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	first, last, err := conn.ReadOffsets()
	if err != nil {
		return nil, err
	}
	// Offsets of a compacted log have gaps: read up to the high watermark, not a count.
	return readUntil(conn, first, func(got []kafka.Message) bool { return len(got) > 0 && got[len(got)-1].Offset >= last-1 })
}

func compaction(ctx context) (string, error) {
	topic := ctx.name()
	conn, err := controller(ctx)
	if err != nil {
		return "", err
	}
	err = conn.CreateTopics(kafka.TopicConfig{Topic: topic, NumPartitions: 1, ReplicationFactor: 1, ConfigEntries: compactTopicConfigs})
	conn.Close()
	if err != nil {
		return "", err
	}
	for round := 0; round < compactRounds; round++ {
		var msgs []kafka.Message
		for i := 0; i < compactKeys; i++ {
			key := fmt.Sprintf("key-%d", i)
			msgs = append(msgs, kafka.Message{Key: []byte(key), Value: []byte(fmt.Sprintf("%d-%s", round, key))})
		}
		if err := produce(ctx, topic, nil, msgs...); err != nil {
			return "", err
		}
	}
	if err := produce(ctx, topic, nil, kafka.Message{Key: []byte(tombstoneKey)}); err != nil {
		return "", err
	}
	started := time.Now()
	for rolls := 1; ; rolls++ {
		if err := produce(ctx, topic, nil, kafka.Message{Key: []byte(rollKey), Value: []byte("roll")}); err != nil {
			return "", err
		}
		read, err := readToEnd(ctx, topic)
		if err != nil {
			return "", err
		}
		problem := compactionProblem(read)
		if problem == "" {
			return fmt.Sprintf("compacted after %d ms and %d roll records: %d records read", time.Since(started).Milliseconds(), rolls, len(read)), nil
		}
		if time.Since(started) > compactionWait {
			return "", fmt.Errorf("not compacted after %v: %s", compactionWait, problem)
		}
		time.Sleep(compactionPause)
	}
}
