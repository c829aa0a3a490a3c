// The security rows kafka-go 0.2.1 can express: its Dialer has TLS (no SASL). The secured broker
// arrives as JSON in COMPAT_SECURITY (compat/lib/security.ts).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/ioutil"
	"net"
	"os"
	"time"

	kafka "github.com/segmentio/kafka-go"
)

const (
	secureRecords = 5
	refusalWait   = 15 * time.Second
)

type security struct {
	SSL            string `json:"ssl"`
	MTLS           string `json:"mtls"`
	CaFile         string `json:"caFile"`
	ClientCertFile string `json:"clientCertFile"`
	ClientKeyFile  string `json:"clientKeyFile"`
}

func readSecurity() (security, error) {
	var s security
	raw := os.Getenv("COMPAT_SECURITY")
	if raw == "" {
		return s, errors.New("the runner gave no secured broker (COMPAT_SECURITY)")
	}
	return s, json.Unmarshal([]byte(raw), &s)
}

// dialer verifies the broker's certificate with the CA and its host name (kafka-go 0.2.1 leaves
// ServerName to the caller, and Go refuses a handshake without one); it presents the client
// certificate when asked.
func (s security) dialer(bootstrap string, clientCertificate bool) (*kafka.Dialer, error) {
	ca, err := ioutil.ReadFile(s.CaFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("no certificate in %s", s.CaFile)
	}
	host, _, err := net.SplitHostPort(bootstrap)
	if err != nil {
		return nil, err
	}
	config := &tls.Config{RootCAs: roots, ServerName: host}
	if clientCertificate {
		cert, err := tls.LoadX509KeyPair(s.ClientCertFile, s.ClientKeyFile)
		if err != nil {
			return nil, err
		}
		config.Certificates = []tls.Certificate{cert}
	}
	return &kafka.Dialer{Timeout: 10 * time.Second, DualStack: true, TLS: config}, nil
}

func secureValues(tag string) []string {
	out := make([]string, secureRecords)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d", tag, i)
	}
	return out
}

// secureRoundTrip writes secureRecords values tagged tag to partition 0 and reads them back.
func secureRoundTrip(d *kafka.Dialer, bootstrap, topic, tag string) error {
	conn, err := dialWith(d, bootstrap, topic)
	if err != nil {
		return err
	}
	defer conn.Close()
	values := secureValues(tag)
	var msgs []kafka.Message
	for _, v := range values {
		msgs = append(msgs, kafka.Message{Value: []byte(v)})
	}
	if _, err := conn.WriteMessages(msgs...); err != nil {
		return err
	}
	got, err := readFrom(conn, 0, secureRecords)
	if err != nil {
		return err
	}
	var seen []string
	for _, m := range got {
		seen = append(seen, string(m.Value))
	}
	return checkEqual(seen, values, "records read back ("+tag+")")
}

// expectRefusal runs attempt, which must fail within refusalWait, and returns how.
func expectRefusal(what string, attempt func() error) (string, error) {
	done := make(chan error, 1)
	go func() { done <- attempt() }()
	select {
	case err := <-done:
		if err == nil {
			return "", fmt.Errorf("%s: succeeded, but should have been refused", what)
		}
		return fmt.Sprintf("%s: %v", what, err), nil
	case <-time.After(refusalWait):
		return "", fmt.Errorf("%s: no answer within %v, neither a success nor a refusal", what, refusalWait)
	}
}

func securitySSL(ctx context) (string, error) {
	s, err := readSecurity()
	if err != nil {
		return "", err
	}
	d, err := s.dialer(s.SSL, false)
	if err != nil {
		return "", err
	}
	return "", secureRoundTrip(d, s.SSL, ctx.name(), "ssl")
}

func securityMTLS(ctx context) (string, error) {
	s, err := readSecurity()
	if err != nil {
		return "", err
	}
	withCert, err := s.dialer(s.MTLS, true)
	if err != nil {
		return "", err
	}
	if err := secureRoundTrip(withCert, s.MTLS, ctx.name(), "mtls"); err != nil {
		return "", err
	}
	without, err := s.dialer(s.MTLS, false)
	if err != nil {
		return "", err
	}
	// With TLS 1.3 the client's handshake ends before the broker judges its (missing) certificate:
	// the refusal may come with the first request.
	refused, err := expectRefusal("without a client certificate", func() error {
		conn, err := without.Dial("tcp", s.MTLS)
		if err != nil {
			return err
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(refusalWait - time.Second))
		_, err = conn.ReadPartitions(ctx.name("refused"))
		return err
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("with a certificate: %d records round trip; %s", secureRecords, refused), nil
}
