// The Go side of compat/lib/protocol.ts: parses the runner's arguments, runs each asked scenario
// with a time limit and prints one JSON result line per scenario. Test data mirrors lib/data.ts.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"
)

const (
	messageMaxBytes   = 1048588
	nearMaxValueBytes = messageMaxBytes - 200
	overMaxValueBytes = messageMaxBytes
	clientSizeLimit   = 4 * 1024 * 1024
	batchSize         = 200
	midBatchCount     = 10
	midBatchOffset    = 5
	scenarioTimeout   = 60 * time.Second
	// The cluster scenarios' topic, records per partition for leader routing, and the records sent
	// before the kill is asked for and acknowledged after it.
	clusterPartitions   = 6
	clusterReplication  = 3
	routingPerPartition = 10
	sentBeforeKill      = 50
	ackedAfterKill      = 100
	killRequest         = `{"request":"kill-broker"}`
)

type sampleRecord struct{ key, value string }

// sampleRecords are compressible but not uniform, as in lib/data.ts.
func sampleRecords(n int) []sampleRecord {
	out := make([]sampleRecord, n)
	for i := range out {
		out[i] = sampleRecord{fmt.Sprintf("k%d", i), fmt.Sprintf("value-%d-%s", i, strings.Repeat(string("abcdefgh"[i%8]), i%97))}
	}
	return out
}

type context struct {
	bootstrap string
	prefix    string
	tag       string
}

// name is unique to this client, run and scenario.
func (c context) name(suffix ...string) string {
	return strings.Join(append([]string{c.prefix}, suffix...), ".")
}

func (c context) log(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, c.tag+format+"\n", args...)
}

// stdin carries the runner's answers to kill requests, one JSON line each.
var stdin = bufio.NewReader(os.Stdin)

// killBroker has the runner kill -9 a broker leading partitions (cluster scenarios); says which.
func (c context) killBroker() (string, error) {
	fmt.Println(killRequest)
	line, err := stdin.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("no answer to the kill request: %v", err)
	}
	var answer struct{ Killed, Error string }
	if err := json.Unmarshal([]byte(line), &answer); err != nil {
		return "", fmt.Errorf("bad answer to the kill request %q: %v", line, err)
	}
	if answer.Killed == "" {
		return "", errors.New("the runner killed no broker: " + answer.Error)
	}
	return answer.Killed, nil
}

type scenario func(ctx context) (string, error)

func check(cond bool, format string, args ...interface{}) error {
	if !cond {
		return fmt.Errorf(format, args...)
	}
	return nil
}

func checkEqual(actual, expected interface{}, what string) error {
	if !reflect.DeepEqual(actual, expected) {
		return fmt.Errorf("%s: got %s, want %s", what, show(actual), show(expected))
	}
	return nil
}

func show(v interface{}) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// waitFor polls a condition (offsets reached, group stable) until it holds or the limit passes.
func waitFor(what string, cond func() bool) error {
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			return errors.New("timed out waiting for " + what)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

func emit(id, status, detail string) {
	line, _ := json.Marshal(map[string]string{"scenario": id, "status": status, "detail": detail})
	fmt.Println(string(line))
}

func runClient(main, afterRestart map[string]scenario) {
	client := flag.String("client", "", "")
	bootstrap := flag.String("bootstrap", "", "")
	runID := flag.String("run-id", "", "")
	phase := flag.String("phase", "main", "")
	scenarios := flag.String("scenarios", "", "")
	flag.Parse()
	table := main
	if *phase == "after-restart" {
		table = afterRestart
	}
	for _, id := range strings.Split(*scenarios, ",") {
		fn, ok := table[id]
		if !ok {
			emit(id, "FAIL", "no implementation for phase "+*phase)
			continue
		}
		ctx := context{*bootstrap, strings.Join([]string{"compat", *client, *runID, id}, "."), fmt.Sprintf("[%s %s] ", *client, id)}
		done := make(chan [2]string, 1)
		started := time.Now()
		go func() {
			detail, err := fn(ctx)
			if err != nil {
				done <- [2]string{"FAIL", err.Error()}
			} else if detail == "" {
				done <- [2]string{"PASS", fmt.Sprintf("%d ms", time.Since(started).Milliseconds())}
			} else {
				done <- [2]string{"PASS", detail}
			}
		}()
		select {
		case r := <-done:
			emit(id, r[0], r[1])
		case <-time.After(scenarioTimeout):
			emit(id, "FAIL", fmt.Sprintf("timed out after %v", scenarioTimeout))
		}
	}
	// A timed-out scenario's goroutines must not keep the run alive.
	os.Exit(0)
}
