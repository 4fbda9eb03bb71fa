package app

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/metrics"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// syncBuffer is a log sink the server's goroutines and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startLogged(t *testing.T, level slog.Level) (*testServer, *syncBuffer) {
	t.Helper()
	cfg := config.Default()
	cfg.ClockStart = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cfg.FaultTimeout = 50 * time.Millisecond
	logs := &syncBuffer{}
	a, err := build(cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: level})), func(deps func(string) api.Deps) ([]api.Provider, error) {
		d := deps("fake")
		return []api.Provider{&fake{paid: store.NewTable[int](d.Store, "fake.paid")}}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a)
	t.Cleanup(hs.Close)
	return &testServer{hs, a}, logs
}

func scrape(t *testing.T, s *testServer) map[string]*metrics.Family {
	t.Helper()
	res, err := s.Client().Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	data, _ := io.ReadAll(res.Body)
	fams, err := metrics.ParseText(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, data)
	}
	return fams
}

func TestMetricsCountWhatWasSent(t *testing.T) {
	s, _ := startLogged(t, slog.LevelInfo)
	for i := 0; i < 3; i++ {
		s.do(t, "POST", "/fake/v1/alice/pay", "", "")
	}
	s.do(t, "POST", "/fake/v1/bob/pay", "", "", HeaderOutcome, "failure:E1")
	s.do(t, "POST", "/fake/v1/bob/pay", "", "", HeaderOutcome, "failure:E2")
	s.do(t, "POST", "/fake/v1/bob/pay", "", "", HeaderOutcome, "unknown") // a timeout fault: no reply
	s.do(t, "GET", "/fake/v1/ping", "", "")
	s.do(t, "GET", "/_sandbox/health", "", "") // the control plane is not a provider request
	// The dropped connection reaches the client before the server has recorded it.
	for i := 0; s.app.Journal().Len() < 7 && i < 200; i++ {
		time.Sleep(5 * time.Millisecond)
	}

	fams := scrape(t, s)
	req := fams["sandbank_requests_total"]
	for _, c := range []struct {
		match map[string]string
		want  float64
	}{
		{map[string]string{"provider": "fake"}, 7},
		{map[string]string{"operation": "fake.pay", "status": "200", "rule": "default"}, 3},
		{map[string]string{"operation": "fake.pay", "status": "400", "rule": "header"}, 1},
		{map[string]string{"operation": "fake.pay", "status": "422", "rule": "header"}, 1},
		{map[string]string{"operation": "fake.pay", "status": "0", "rule": "header"}, 1},
		{map[string]string{"operation": "fake.ping"}, 1},
	} {
		if got := req.Sum("sandbank_requests_total", c.match); got != c.want {
			t.Errorf("requests %v = %v, want %v", c.match, got, c.want)
		}
	}
	lat := fams["sandbank_request_duration_seconds"]
	if got := lat.Sum("sandbank_request_duration_seconds_count", map[string]string{"operation": "fake.pay"}); got != 6 {
		t.Errorf("latency count of fake.pay = %v", got)
	}
	// The timeout fault held its reply for FaultTimeout: one request lies above 25ms.
	if below := lat.Sum("sandbank_request_duration_seconds_bucket", map[string]string{"operation": "fake.pay", "le": "0.025"}); below != 5 {
		t.Errorf("fake.pay under 25ms = %v, want 5", below)
	}
	one := func(name string) float64 {
		f := fams[name]
		if f == nil || len(f.Samples) != 1 {
			t.Fatalf("%s: %+v", name, f)
		}
		return f.Samples[0].Value
	}
	if got := one("sandbank_journal_entries"); got != float64(s.app.Journal().Len()) || got != 7 {
		t.Errorf("journal entries %v (journal holds %d)", got, s.app.Journal().Len())
	}
	if one("sandbank_journal_bytes") <= 0 {
		t.Error("journal bytes 0")
	}
	if got := one("sandbank_tenants"); got != 2 { // alice paid; bob's in-doubt payment ran too
		t.Errorf("tenants %v, want 2 (%v)", got, s.app.Store().Tenants())
	}
	if fams["sandbank_build_info"].Samples[0].Labels["version"] != Version {
		t.Error("build_info version")
	}
}

func TestRequestIDAndLogLines(t *testing.T) {
	s, logs := startLogged(t, slog.LevelDebug)
	r := s.do(t, "POST", "/fake/v1/alice/pay", "", "")
	id := r.header.Get(HeaderRequestID)
	if id == "" {
		t.Fatal("no X-Request-Id on a reply")
	}
	if r2 := s.do(t, "GET", "/fake/v1/ping", "", ""); r2.header.Get(HeaderRequestID) == id {
		t.Fatal("two requests, one id")
	}
	if r := s.do(t, "GET", "/_sandbox/health", "", "", HeaderRequestID, "my-trace-42"); r.header.Get(HeaderRequestID) != "my-trace-42" {
		t.Fatalf("the client's id is not echoed: %q", r.header.Get(HeaderRequestID))
	}
	if r := s.do(t, "GET", "/_sandbox/health", "", "", HeaderRequestID, "bad id"); r.status != 200 || r.header.Get(HeaderRequestID) == "bad id" {
		t.Fatal("an id with spaces was echoed")
	}
	s.do(t, "POST", "/fake/v1/bob/pay", "", "", HeaderOutcome, "failure:E1")

	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if strings.Contains(l, "msg=request ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 5 {
		t.Fatalf("%d request lines, want 5:\n%s", len(lines), logs.String())
	}
	first := lines[0]
	for _, want := range []string{"level=DEBUG", "request_id=" + id, "operation=fake.pay", "provider=fake", "tenant=alice", "rule=default", "status=200", "path=/fake/v1/alice/pay"} {
		if !strings.Contains(first, want) {
			t.Errorf("first line lacks %q: %s", want, first)
		}
	}
	if last := lines[4]; !strings.Contains(last, "level=INFO") || !strings.Contains(last, "status=400") || !strings.Contains(last, "rule=header") {
		t.Errorf("an error's line: %s", last)
	}

	// At info, only the error is logged.
	s2, logs2 := startLogged(t, slog.LevelInfo)
	s2.do(t, "POST", "/fake/v1/alice/pay", "", "")
	s2.do(t, "POST", "/fake/v1/bob/pay", "", "", HeaderOutcome, "failure:E2")
	if n := strings.Count(logs2.String(), "msg=request "); n != 1 || !strings.Contains(logs2.String(), "status=422") {
		t.Fatalf("info level logged %d request lines:\n%s", n, logs2.String())
	}
}

func TestReadyAndRootRedirect(t *testing.T) {
	s, _ := startLogged(t, slog.LevelInfo)
	if r := s.do(t, "GET", "/_sandbox/ready", "", ""); r.status != 200 || r.json["ready"] != true {
		t.Fatalf("ready: %d %s", r.status, r.body)
	}
	s.app.draining.Store(true)
	if r := s.do(t, "GET", "/_sandbox/ready", "", ""); r.status != 503 || r.json["ready"] != false {
		t.Fatalf("ready while draining: %d %s", r.status, r.body)
	}
	if r := s.do(t, "GET", "/_sandbox/health", "", ""); r.status != 200 {
		t.Fatalf("health while draining: %d", r.status)
	}
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/_sandbox/ui" {
		t.Fatalf("/: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}
