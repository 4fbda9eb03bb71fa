package app

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/store"
	"github.com/sandbank-dev/sandbank/mock/webhook"
)

// notifier is the fake provider plus one operation that owes its caller a webhook,
// the way a settlement owes a notify_url: POST /v1/:key/notify?url=…&in=10m.
type notifier struct {
	*fake
	deps api.Deps
}

func (n *notifier) Routes() []api.Route {
	return append(n.fake.Routes(), api.Route{
		Operation: "fake.notify", Methods: []string{"POST"}, Path: "/v1/:key/notify",
		Auth: func(c echo.Context) (string, error) { return c.Param("key"), nil },
		Handler: func(c *api.Call) error {
			in, err := time.ParseDuration(c.QueryParam("in"))
			if err != nil {
				in = 0
			}
			id, err := n.deps.Webhooks.Send(webhook.Delivery{
				Provider: "fake", Tenant: c.Tenant, Operation: "fake.notifyHook", URL: c.QueryParam("url"),
				Body: []byte(`{"event":"paid"}`), ContentType: "application/json", Due: c.Now.Add(in), Sign: hmacSign,
			})
			if err != nil {
				return c.JSON(400, map[string]string{"error": err.Error()})
			}
			return c.JSON(200, map[string]string{"id": id})
		},
	})
}

func hmacSign(req *http.Request, body []byte) {
	m := hmac.New(sha256.New, []byte("fake-secret"))
	m.Write(body)
	req.Header.Set("X-Fake-Signature", hex.EncodeToString(m.Sum(nil)))
}

func startNotifier(t *testing.T, mods ...func(*config.Config)) *testServer {
	t.Helper()
	cfg := config.Default()
	cfg.ClockStart = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, mod := range mods {
		mod(&cfg)
	}
	a, err := build(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(deps func(string) api.Deps) ([]api.Provider, error) {
		d := deps("fake")
		if d.Webhooks == nil || d.Scheduler == nil {
			t.Fatal("api.Deps lacks the scheduler or the webhook sender")
		}
		return []api.Provider{&notifier{fake: &fake{paid: store.NewTable[int](d.Store, "fake.paid")}, deps: d}}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a)
	t.Cleanup(hs.Close)
	return &testServer{hs, a}
}

func (s *testServer) flush(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.app.Webhooks().Flush(ctx); err != nil {
		t.Fatal("webhooks still sending:", err)
	}
}

func (s *testServer) advance(t *testing.T, d string) {
	t.Helper()
	if r := s.do(t, "POST", "/_sandbox/clock", "", `{"advance":"`+d+`"}`); r.status != 200 {
		t.Fatalf("advance %s: %d %s", d, r.status, r.body)
	}
	s.flush(t)
}

type delivery struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	URL      string `json:"url"`
	Attempts []struct {
		N      int `json:"n"`
		Status int `json:"status"`
	} `json:"attempts"`
}

func (s *testServer) deliveries(t *testing.T, query string) []delivery {
	t.Helper()
	r := s.do(t, "GET", "/_sandbox/webhooks?"+query, "", "")
	var out struct{ Deliveries []delivery }
	if r.status != 200 || json.Unmarshal([]byte(r.body), &out) != nil {
		t.Fatalf("webhooks?%s: %d %s", query, r.status, r.body)
	}
	return out.Deliveries
}

func TestWebhookOnTheClockRetriedListedJournaledResent(t *testing.T) {
	s := startNotifier(t)
	var mu sync.Mutex
	var got []*http.Request
	statuses := []int{500}
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r)
		status := 200
		if len(statuses) > 0 {
			status, statuses = statuses[0], statuses[1:]
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	arrived := func() int { mu.Lock(); defer mu.Unlock(); return len(got) }

	r := s.do(t, "POST", "/fake/v1/t1/notify?in=10m&url="+url.QueryEscape(rc.URL+"/cb"), "", "")
	id, _ := r.json["id"].(string)
	if r.status != 200 || id == "" {
		t.Fatalf("notify: %d %s", r.status, r.body)
	}
	s.advance(t, "9m")
	if n := arrived(); n != 0 {
		t.Fatalf("%d arrived before the virtual due time", n)
	}
	if ds := s.deliveries(t, "provider=fake&tenant=t1"); len(ds) != 1 || ds[0].ID != id || ds[0].Status != "scheduled" {
		t.Fatalf("before due: %+v", ds)
	}
	s.advance(t, "1m")
	if n := arrived(); n != 1 {
		t.Fatalf("%d arrived at the due time, want 1 (answered 500)", n)
	}
	if ds := s.deliveries(t, "status=retrying"); len(ds) != 1 || len(ds[0].Attempts) != 1 || ds[0].Attempts[0].Status != 500 {
		t.Fatalf("after the 500: %+v", ds)
	}
	s.advance(t, "1m") // the first backoff
	if n := arrived(); n != 2 {
		t.Fatalf("%d arrived after the backoff, want 2", n)
	}
	ds := s.deliveries(t, "provider=fake&tenant=t1&status=delivered&limit=5")
	if len(ds) != 1 || ds[0].URL != rc.URL+"/cb" || len(ds[0].Attempts) != 2 || ds[0].Attempts[1].Status != 200 {
		t.Fatalf("delivered: %+v", ds)
	}
	if ds := s.deliveries(t, "tenant=other"); len(ds) != 0 {
		t.Fatalf("other tenant sees %+v", ds)
	}
	if sig := got[1].Header.Get("X-Fake-Signature"); sig == "" || got[1].Header.Get("Content-Type") != "application/json" {
		t.Fatalf("headers %v", got[1].Header)
	}

	out := s.app.Journal().Query(journal.Filter{Direction: journal.Out})
	if len(out) != 2 || out[0].Attempt != 2 || out[0].Status != 200 || out[1].Attempt != 1 || out[1].Status != 500 ||
		out[0].URL != rc.URL+"/cb" || out[0].Operation != "fake.notifyHook" || out[0].Tenant != "t1" || out[0].Delivery != id {
		t.Fatalf("journal out: %+v", out)
	}
	var jr struct{ Entries []journal.Entry }
	r = s.do(t, "GET", "/_sandbox/journal?direction=in", "", "")
	if err := json.Unmarshal([]byte(r.body), &jr); err != nil || len(jr.Entries) != 1 || jr.Entries[0].Operation != "fake.notify" || jr.Entries[0].Direction != "in" {
		t.Fatalf("journal in: %s", r.body)
	}
	if r := s.do(t, "GET", "/_sandbox/journal?direction=sideways", "", ""); r.status != 400 {
		t.Fatalf("bad direction: %d", r.status)
	}

	r = s.do(t, "POST", "/_sandbox/webhooks/"+id+"/resend", "", "")
	if r.status != 202 || r.json["id"] != id {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	s.flush(t)
	if n := arrived(); n != 3 {
		t.Fatalf("%d arrived after resend, want 3", n)
	}
	if r := s.do(t, "GET", "/_sandbox/webhooks/"+id, "", ""); r.status != 200 || len(r.json["attempts"].([]any)) != 3 {
		t.Fatalf("one delivery: %d %s", r.status, r.body)
	}
	fams := scrape(t, s)
	att := fams["sandbank_webhook_attempts_total"]
	if att == nil || att.Sum(att.Name, map[string]string{"provider": "fake", "result": "delivered"}) != 2 ||
		att.Sum(att.Name, map[string]string{"provider": "fake", "result": "failed"}) != 1 {
		t.Fatalf("webhook attempts in /metrics: %+v", att)
	}
	if dl := fams["sandbank_webhook_deliveries"]; dl.Sum(dl.Name, map[string]string{"status": "delivered"}) != 1 {
		t.Fatalf("webhook deliveries in /metrics: %+v", dl)
	}
	if out := s.app.Journal().Query(journal.Filter{Direction: journal.Out, Limit: 1}); out[0].RequestHeaders.Get("X-Fake-Signature") == "" {
		t.Fatalf("the journal does not keep a webhook's signed headers: %v", out[0].RequestHeaders)
	}
	for _, c := range []struct{ method, path string }{
		{"POST", "/_sandbox/webhooks/wh_999/resend"}, {"GET", "/_sandbox/webhooks/wh_999"},
	} {
		if r := s.do(t, c.method, c.path, "", ""); r.status != 404 || r.json["error"] == nil {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.status, r.body)
		}
	}
	for _, q := range []string{"status=lost", "limit=-1"} {
		if r := s.do(t, "GET", "/_sandbox/webhooks?"+q, "", ""); r.status != 400 {
			t.Fatalf("webhooks?%s: %d", q, r.status)
		}
	}
	if r := s.do(t, "POST", "/fake/v1/t1/notify?url=ftp://x", "", ""); r.status != 400 {
		t.Fatalf("bad notify URL: %d %s", r.status, r.body)
	}

	s.do(t, "POST", "/fake/v1/t1/notify?in=1h&url="+url.QueryEscape(rc.URL), "", "")
	s.do(t, "POST", "/_sandbox/reset?tenant=t1", "", "")
	if ds := s.deliveries(t, ""); len(ds) != 0 {
		t.Fatalf("tenant reset kept %+v", ds)
	}
	s.advance(t, "2h")
	if n := arrived(); n != 3 {
		t.Fatalf("a reset tenant's scheduled webhook was still sent (%d arrived)", n)
	}
}

// A receiver that never answers holds a sender goroutine, never a request or a
// clock move.
func TestHungReceiverDoesNotSlowRequests(t *testing.T) {
	s := startNotifier(t)
	release := make(chan struct{})
	var in atomic.Int32
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hung.Close)
	released := false
	defer func() {
		if !released {
			close(release)
		}
	}()

	for range 2 * webhook.DefaultWorkers {
		if r := s.do(t, "POST", "/fake/v1/t1/notify?url="+url.QueryEscape(hung.URL), "", ""); r.status != 200 {
			t.Fatalf("notify: %d %s", r.status, r.body)
		}
	}
	deadline := clock.Wall().Add(5 * time.Second)
	for in.Load() < webhook.DefaultWorkers && clock.Wall().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := in.Load(); n != webhook.DefaultWorkers {
		t.Fatalf("%d deliveries hang at the receiver, want the pool's %d", n, webhook.DefaultWorkers)
	}

	var worst time.Duration
	for i := range 20 {
		path, body := "/fake/v1/ping", ""
		switch i % 3 {
		case 1:
			path = "/fake/v1/t1/notify?url=" + url.QueryEscape(hung.URL)
		case 2:
			path, body = "/_sandbox/clock", `{"advance":"1h"}`
		}
		method := "GET"
		if i%3 != 0 {
			method = "POST"
		}
		start := clock.Wall()
		if r := s.do(t, method, path, "", body); r.status != 200 {
			t.Fatalf("%s %s during a hung delivery: %d %s", method, path, r.status, r.body)
		}
		worst = max(worst, clock.Wall().Sub(start))
	}
	t.Logf("slowest of 20 requests during hung deliveries: %s", worst)
	if worst > 250*time.Millisecond {
		t.Fatalf("a request took %s while deliveries hung", worst)
	}
	if ds := s.deliveries(t, "status=sending"); len(ds) != webhook.DefaultWorkers {
		t.Fatalf("%d deliveries sending, want %d", len(ds), webhook.DefaultWorkers)
	}

	close(release)
	released = true
	s.flush(t)
}

// The dashboard renders outbound attempts from the journal and its event stream
// (mock/app/dashboard_test.go drives it in Chromium); here: the stream carries them.
func TestEventStreamCarriesOutboundAttempts(t *testing.T) {
	s := startNotifier(t)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(rc.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/_sandbox/events?after=0", nil)
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	r := s.do(t, "POST", "/fake/v1/t1/notify?url="+url.QueryEscape(rc.URL+"/cb"), "", "")
	s.flush(t)
	id, _ := r.json["id"].(string)
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var in, out bool
	for sc.Scan() && !(in && out) {
		line := sc.Text()
		if !strings.HasPrefix(line, "data: ") {
			continue
		}
		var e journal.Entry
		if json.Unmarshal([]byte(line[6:]), &e) != nil || e.ID == 0 {
			continue
		}
		in = in || (e.Direction == journal.In && e.Operation == "fake.notify")
		out = out || (e.Direction == journal.Out && e.Delivery == id && e.URL == rc.URL+"/cb" && e.Attempt == 1)
	}
	if !in || !out {
		t.Fatalf("stream: inbound %v, outbound attempt %v (%v)", in, out, sc.Err())
	}
}

func TestWebhookTimeoutFromTheConfig(t *testing.T) {
	s := startNotifier(t, func(c *config.Config) { c.WebhookTimeout = 50 * time.Millisecond })
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hung.Close)
	defer close(release)
	r := s.do(t, "POST", "/fake/v1/t1/notify?url="+url.QueryEscape(hung.URL), "", "")
	s.flush(t)
	ds := s.deliveries(t, "status=retrying")
	if len(ds) != 1 || ds[0].ID != r.json["id"] || len(ds[0].Attempts) != 1 || ds[0].Attempts[0].Status != 0 {
		t.Fatalf("after a 50ms timeout: %+v", ds)
	}
	out := s.app.Journal().Query(journal.Filter{Direction: journal.Out})
	if len(out) != 1 || out[0].Error != "no answer within 50ms" {
		t.Fatalf("journal: %+v", out)
	}
}

// With the clock running at wall speed and no request arriving, a due webhook
// still goes out: Run's tick runs the scheduler.
func TestRunningClockTickSendsDueWebhooks(t *testing.T) {
	s := startNotifier(t, func(c *config.Config) { c.ClockStart = time.Time{} })
	if s.app.Clock().Frozen() {
		t.Fatal("clock frozen")
	}
	got := make(chan struct{}, 1)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- struct{}{} }))
	t.Cleanup(rc.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.app.tick(ctx, 5*time.Millisecond)
	if r := s.do(t, "POST", "/fake/v1/t1/notify?in=100ms&url="+url.QueryEscape(rc.URL), "", ""); r.status != 200 {
		t.Fatalf("notify: %d %s", r.status, r.body)
	}
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("a due webhook was not sent with no request to drive the scheduler")
	}
}
