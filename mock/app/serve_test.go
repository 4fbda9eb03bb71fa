package app

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/config"
)

// listen serves s.app on a real listener through serve (timeouts, connection cap,
// drain), and returns its address and a stop that reports serve's result.
func listen(t *testing.T, s *testServer) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.app.serve(ctx, ln, nil) }()
	stopped := false
	var result error
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			result = <-done
		}
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return ln.Addr().String(), stop
}

// addScenario loads a JSON scenario through the control plane.
func addScenario(t *testing.T, s *testServer, sc string) {
	t.Helper()
	if r := s.do(t, "POST", "/_sandbox/scenarios", "", sc, "Content-Type", "application/json"); r.status != 201 {
		t.Fatalf("scenario: %d %s", r.status, r.body)
	}
}

func get(addr, path string, headers ...string) (*http.Response, string, error) {
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, string(b), err
}

// Issue 16 item 5: slow bodies and idle keep-alives are cut by the read and idle
// timeouts, while other clients are served meanwhile.
func TestSlowClientsAreCut(t *testing.T) {
	s := start(t, func(c *config.Config) {
		c.ReadTimeout = 300 * time.Millisecond
		c.IdleTimeout = 300 * time.Millisecond
		c.WriteTimeout = 300 * time.Millisecond
	})
	addr, _ := listen(t, s)

	var slow []net.Conn
	for i := 0; i < 10; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// A body promised but never sent.
		_, _ = io.WriteString(c, "POST /fake/v1/k/pay HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
		slow = append(slow, c)
	}
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	_, _ = io.WriteString(idle, "GET /fake/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n")
	if res, err := http.ReadResponse(bufio.NewReader(idle), nil); err != nil || res.StatusCode != 200 {
		t.Fatalf("keep-alive request: %v", err)
	}

	if res, _, err := get(addr, "/fake/v1/ping"); err != nil || res.StatusCode != 200 {
		t.Fatalf("another client was not served while slow ones wait: %v", err)
	}
	for i, c := range append(slow, idle) {
		_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
		_, err := io.ReadAll(c) // returns once the server closes the connection
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("connection %d still open after 3s; the timeouts did not cut it", i)
		}
	}
}

// A latency and a timeout fault longer than the read and write timeouts still run
// their full length: the pipeline moves the connection's deadlines past them.
func TestHoldsOutlastTimeouts(t *testing.T) {
	s := start(t, func(c *config.Config) {
		c.ReadTimeout = 200 * time.Millisecond
		c.WriteTimeout = 200 * time.Millisecond
		c.FaultTimeout = 800 * time.Millisecond
	})
	addr, _ := listen(t, s)
	addScenario(t, s, `{"name":"slow","rules":[{"operation":"fake.ping","latency":"800ms"}]}`)
	addScenario(t, s, `{"name":"hang","rules":[{"operation":"fake.ping","fault":"timeout"}]}`)

	began := time.Now()
	res, body, err := get(addr, "/fake/v1/ping", HeaderScenario, "slow")
	if err != nil || res.StatusCode != 200 || !strings.Contains(body, "pong") {
		t.Fatalf("latency past the write timeout: %v %v %q", res, err, body)
	}
	if took := time.Since(began); took < 800*time.Millisecond {
		t.Fatalf("latency cut short: %v", took)
	}

	began = time.Now()
	_, _, err = get(addr, "/fake/v1/ping", HeaderScenario, "hang")
	if err == nil {
		t.Fatal("timeout fault answered")
	}
	if took := time.Since(began); took < 800*time.Millisecond {
		t.Fatalf("timeout fault cut short after %v: %v", took, err)
	}
}

// --max-conns: a client past the cap waits until a connection is let go.
func TestMaxConns(t *testing.T) {
	s := start(t, func(c *config.Config) {
		c.MaxConns = 2
		c.IdleTimeout = 400 * time.Millisecond
	})
	addr, _ := listen(t, s)
	for i := 0; i < 2; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, _ = io.WriteString(c, "GET /fake/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n")
		if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
			t.Fatal(err)
		}
	}
	began := time.Now()
	res, _, err := get(addr, "/fake/v1/ping")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("third client: %v", err)
	}
	if took := time.Since(began); took < 300*time.Millisecond {
		t.Fatalf("third client served after %v, while two idle connections held the cap", took)
	}
}

// Shutdown drains a request held longer than the grace period, and a clean drain
// is no error (the command then exits 0).
func TestDrainOutlastsHolds(t *testing.T) {
	s := start(t, nil)
	// Longer than net/http's slowest poll for idle connections (500ms), shorter
	// than the hold, so a drain that ignored holds would cut the request.
	s.app.holds.grace = 600 * time.Millisecond
	addr, stop := listen(t, s)
	addScenario(t, s, `{"name":"slow","rules":[{"operation":"fake.ping","latency":"1500ms"}]}`)
	type result struct {
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		res, _, err := get(addr, "/fake/v1/ping", HeaderScenario, "slow")
		if err != nil {
			got <- result{0, err}
			return
		}
		got <- result{res.StatusCode, nil}
	}()
	// Stop once the request holds (a fixed sleep lost that race on a loaded
	// machine, and the drain then had nothing to wait for).
	for deadline := time.Now().Add(10 * time.Second); s.app.holds.until.Load() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the held request never began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	began := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("drain: %v", err)
	}
	if r := <-got; r.err != nil || r.status != 200 {
		t.Fatalf("request in flight during shutdown: %+v", r)
	}
	if took := time.Since(began); took < 1200*time.Millisecond {
		t.Fatalf("shutdown returned after %v, before the held request ended", took)
	}
}

// The connection cap wraps each connection; a reset fault still reaches the TCP
// connection underneath and ends the exchange with an RST.
func TestResetFaultThroughLimitedListener(t *testing.T) {
	s := start(t, func(c *config.Config) { c.MaxConns = 4 })
	addr, _ := listen(t, s)
	addScenario(t, s, `{"name":"rst","rules":[{"operation":"fake.ping","fault":"reset"}]}`)
	_, _, err := get(addr, "/fake/v1/ping", HeaderScenario, "rst")
	if err == nil || !strings.Contains(err.Error(), "reset") {
		t.Fatalf("reset fault: err = %v, want a connection reset", err)
	}
}

// A body cut off by the read timeout or left unread past the limit ends the
// connection with its answer: where a next request would start is unknown.
func TestBodyErrorClosesConnection(t *testing.T) {
	s := start(t, nil) // body limit 64 bytes
	addr, _ := listen(t, s)
	req, _ := http.NewRequest("POST", "http://"+addr+"/fake/v1/k/pay", strings.NewReader(strings.Repeat("x", 1000)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 || !res.Close {
		t.Fatalf("oversized body: %d, Connection: close %v", res.StatusCode, res.Close)
	}
}
