package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// rig is a sender on a frozen virtual clock whose moves run the scheduler, as the
// app wires them.
type rig struct {
	clk *clock.Virtual
	s   *Sender
	j   *journal.Journal
}

func newRig(t *testing.T, mod func(*Config)) *rig {
	t.Helper()
	clk := clock.NewVirtual(nil)
	clk.Freeze(true)
	clk.Set(t0)
	sched := lifecycle.NewScheduler()
	clk.Watch(func(now time.Time) { sched.RunDue(now) })
	cfg := Config{Clock: clk, Scheduler: sched, Journal: journal.New(100), Timeout: time.Second}
	if mod != nil {
		mod(&cfg)
	}
	s := New(cfg)
	t.Cleanup(s.Close)
	return &rig{clk, s, cfg.Journal}
}

func (r *rig) advance(t *testing.T, d time.Duration) {
	t.Helper()
	if _, err := r.clk.Advance(d); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
}

func (r *rig) flush(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.s.Flush(ctx); err != nil {
		t.Fatal("flush:", err)
	}
}

func (r *rig) get(t *testing.T, id string) Record {
	t.Helper()
	rec, ok := r.s.Get(id)
	if !ok {
		t.Fatalf("delivery %s is gone", id)
	}
	return rec
}

// receiver records what arrives and answers with the statuses given, then 200.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []*http.Request
	bodies   []string
	statuses []int
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, r)
		rc.bodies = append(rc.bodies, string(body))
		status := 200
		if len(rc.statuses) > 0 {
			status, rc.statuses = rc.statuses[0], rc.statuses[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

func signHMAC(req *http.Request, body []byte) {
	m := hmac.New(sha256.New, []byte("secret"))
	m.Write(body)
	req.Header.Set("X-Vandar-Signature", hex.EncodeToString(m.Sum(nil)))
}

func TestDueOnTheVirtualClock(t *testing.T) {
	r := newRig(t, nil)
	rc := newReceiver(t)
	body := `{"status":"settled","amount":10000}`
	id, err := r.s.Send(Delivery{
		Provider: "vandar", Tenant: "t1", URL: rc.URL + "/hook?x=1", Body: []byte(body),
		ContentType: "application/json", Headers: http.Header{"User-Agent": {"Vandar"}},
		Due: t0.Add(10 * time.Minute), Sign: signHMAC,
	})
	if err != nil {
		t.Fatal(err)
	}
	r.advance(t, 9*time.Minute)
	if n := rc.count(); n != 0 {
		t.Fatalf("%d deliveries arrived before the due time", n)
	}
	if rec := r.get(t, id); rec.Status != Scheduled || rec.NextAt == nil || !rec.NextAt.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("before due: %+v", rec)
	}
	r.advance(t, time.Minute)
	if n := rc.count(); n != 1 {
		t.Fatalf("%d deliveries arrived at the due time, want 1", n)
	}
	req := rc.got[0]
	if req.Method != "POST" || req.URL.Path != "/hook" || req.URL.RawQuery != "x=1" || rc.bodies[0] != body {
		t.Errorf("arrived %s %s body %q", req.Method, req.URL, rc.bodies[0])
	}
	if req.Header.Get("Content-Type") != "application/json" || req.Header.Get("User-Agent") != "Vandar" {
		t.Errorf("headers %v", req.Header)
	}
	m := hmac.New(sha256.New, []byte("secret"))
	m.Write([]byte(body))
	if got := req.Header.Get("X-Vandar-Signature"); got != hex.EncodeToString(m.Sum(nil)) {
		t.Errorf("signature %q", got)
	}
	rec := r.get(t, id)
	if rec.Status != Delivered || len(rec.Attempts) != 1 || rec.Attempts[0].Status != 200 || !rec.Attempts[0].At.Equal(t0.Add(10*time.Minute)) || rec.NextAt != nil {
		t.Fatalf("after due: %+v", rec)
	}
	es := r.j.Query(journal.Filter{Direction: journal.Out})
	if len(es) != 1 {
		t.Fatalf("journal holds %d outbound entries", len(es))
	}
	e := es[0]
	if e.Direction != "out" || e.URL != rc.URL+"/hook?x=1" || e.Attempt != 1 || e.Status != 200 || e.Delivery != id ||
		e.Provider != "vandar" || e.Operation != "vandar.webhook" || e.Tenant != "t1" || string(e.RequestBody) != body ||
		string(e.ResponseBody) != `{"ok":true}` || e.Path != "/hook" || e.DurationMS <= 0 || e.ID != rec.Attempts[0].JournalID {
		t.Errorf("journal entry %+v", e)
	}
}

func TestRetriedOnTheClockAfterAServerError(t *testing.T) {
	r := newRig(t, nil)
	rc := newReceiver(t, 500, 503)
	id, err := r.s.Send(Delivery{Provider: "vandar", URL: rc.URL, Body: []byte("a=1"), ContentType: "application/x-www-form-urlencoded"})
	if err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	rec := r.get(t, id)
	if rec.Status != Retrying || len(rec.Attempts) != 1 || rec.Attempts[0].Status != 500 || rec.NextAt == nil || !rec.NextAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after a 500: %+v", rec)
	}
	r.advance(t, 59*time.Second)
	if rc.count() != 1 {
		t.Fatal("retried before the backoff passed")
	}
	r.advance(t, time.Second)
	if rec := r.get(t, id); rec.Status != Retrying || len(rec.Attempts) != 2 || !rec.NextAt.Equal(t0.Add(6*time.Minute)) {
		t.Fatalf("after a 503: %+v", rec)
	}
	r.advance(t, 5*time.Minute)
	rec = r.get(t, id)
	if rec.Status != Delivered || len(rec.Attempts) != 3 || rc.count() != 3 {
		t.Fatalf("after the third attempt: %+v (%d arrived)", rec, rc.count())
	}
	if rc.bodies[2] != "a=1" || rc.got[2].Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("retry sent %q as %q", rc.bodies[2], rc.got[2].Header.Get("Content-Type"))
	}
	var attempts []int
	for _, e := range r.j.Query(journal.Filter{Direction: journal.Out}) {
		attempts = append(attempts, e.Attempt, e.Status)
	}
	if got := attempts; len(got) != 6 || got[0] != 3 || got[1] != 200 || got[2] != 2 || got[3] != 503 || got[4] != 1 || got[5] != 500 {
		t.Errorf("journal attempts/statuses newest first: %v", got)
	}
}

func TestRetryLimitAndFinalAnswers(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Backoff = []time.Duration{time.Minute} })
	rc := newReceiver(t, 500, 500, 500, 400)
	id, _ := r.s.Send(Delivery{Provider: "p", URL: rc.URL})
	r.flush(t)
	r.advance(t, time.Minute)
	if rec := r.get(t, id); rec.Status != Failed || len(rec.Attempts) != 2 || rec.NextAt != nil {
		t.Fatalf("after the retry limit: %+v", rec)
	}
	r.advance(t, time.Hour)
	if rc.count() != 2 {
		t.Fatalf("%d attempts, want 2", rc.count())
	}
	// A 4xx is final: the receiver rejected the request itself.
	rc.mu.Lock()
	rc.statuses = []int{400}
	rc.mu.Unlock()
	id2, _ := r.s.Send(Delivery{Provider: "p", URL: rc.URL})
	r.flush(t)
	r.advance(t, time.Hour)
	if rec := r.get(t, id2); rec.Status != Failed || len(rec.Attempts) != 1 || rec.Attempts[0].Status != 400 {
		t.Fatalf("after a 400: %+v", rec)
	}
}

func TestUnreachableReceiverIsRetried(t *testing.T) {
	r := newRig(t, nil)
	rc := newReceiver(t)
	dead := rc.URL
	rc.Close() // nothing listens there any more
	id, _ := r.s.Send(Delivery{Provider: "p", URL: dead})
	r.flush(t)
	rec := r.get(t, id)
	if rec.Status != Retrying || rec.Attempts[0].Status != 0 || rec.Attempts[0].Error == "" {
		t.Fatalf("unreachable: %+v", rec)
	}
	if es := r.j.Query(journal.Filter{Direction: journal.Out}); len(es) != 1 || es[0].Status != 0 || es[0].Error == "" {
		t.Fatalf("journal %+v", es)
	}
}

// hang is a receiver that never answers until released.
func hang(t *testing.T) (*httptest.Server, *atomic.Int32) {
	release := make(chan struct{})
	var in atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); hs.Close() })
	return hs, &in
}

func TestHungReceiverIsBoundedAndBlocksNothing(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Timeout = 200 * time.Millisecond; c.Workers = 2 })
	hs, in := hang(t)
	var ids []string
	start := clock.Wall()
	for range 5 {
		id, err := r.s.Send(Delivery{Provider: "p", URL: hs.URL})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, err := r.clk.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	if el := clock.Wall().Sub(start); el > 100*time.Millisecond {
		t.Fatalf("Send and a clock move took %s with a hung receiver", el)
	}
	time.Sleep(50 * time.Millisecond)
	if n := in.Load(); n > 2 {
		t.Fatalf("%d attempts in flight, the pool is 2", n)
	}
	r.flush(t)
	for _, id := range ids {
		rec := r.get(t, id)
		if rec.Status != Retrying || len(rec.Attempts) != 1 || !strings.Contains(rec.Attempts[0].Error, "no answer within 200ms") {
			t.Fatalf("hung delivery: %+v", rec)
		}
		if l := rec.Attempts[0].LatencyMS; l < 150 || l > 2000 {
			t.Errorf("attempt latency %.0fms, want about the 200ms timeout", l)
		}
	}
}

func TestResend(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Backoff = []time.Duration{} })
	rc := newReceiver(t, 500)
	id, _ := r.s.Send(Delivery{Provider: "p", URL: rc.URL, Body: []byte("x")})
	r.flush(t)
	if rec := r.get(t, id); rec.Status != Failed {
		t.Fatalf("with no retries: %+v", rec)
	}
	if _, err := r.s.Resend(id); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	rec := r.get(t, id)
	if rec.Status != Delivered || len(rec.Attempts) != 2 || rec.Attempts[1].N != 2 || rc.count() != 2 || rc.bodies[1] != "x" {
		t.Fatalf("after resend: %+v", rec)
	}
	if _, err := r.s.Resend("wh_999"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("resend of an unknown id: %v", err)
	}
	// A scheduled delivery resent goes now, and not again at its due time.
	id2, _ := r.s.Send(Delivery{Provider: "p", URL: rc.URL, Due: t0.Add(time.Hour)})
	if _, err := r.s.Resend(id2); err != nil {
		t.Fatal(err)
	}
	r.flush(t)
	r.advance(t, 2*time.Hour)
	if rec := r.get(t, id2); rec.Status != Delivered || len(rec.Attempts) != 1 {
		t.Fatalf("scheduled then resent: %+v", rec)
	}
}

func TestListFiltersKeepAndReset(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Keep = 3 })
	rc := newReceiver(t)
	for _, tenant := range []string{"a", "b", "a", "b"} {
		if _, err := r.s.Send(Delivery{Provider: "p", Tenant: tenant, URL: rc.URL, Due: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	all := r.s.List(Filter{})
	if len(all) != 3 || all[0].ID != "wh_4" || all[2].ID != "wh_2" {
		t.Fatalf("kept %v", all)
	}
	if _, ok := r.s.Get("wh_1"); ok {
		t.Fatal("the oldest delivery was kept past the cap")
	}
	if n := len(r.s.sched.Pending()); n != 3 {
		t.Fatalf("%d scheduled, want 3 (the dropped one cancelled)", n)
	}
	if got := r.s.List(Filter{Tenant: "b", Limit: 1}); len(got) != 1 || got[0].ID != "wh_4" {
		t.Fatalf("tenant b, limit 1: %v", got)
	}
	r.s.Reset("b")
	if got := r.s.List(Filter{}); len(got) != 1 || got[0].ID != "wh_3" {
		t.Fatalf("after reset of b: %v", got)
	}
	r.advance(t, 2*time.Hour)
	if rc.count() != 1 {
		t.Fatalf("%d arrived, want only tenant a's kept one", rc.count())
	}
	if got := r.s.List(Filter{Status: Delivered}); len(got) != 1 {
		t.Fatalf("delivered: %v", got)
	}
	if got := r.s.List(Filter{Status: Scheduled}); len(got) != 0 {
		t.Fatalf("scheduled: %v", got)
	}
}

func TestParseFilterAndBadInput(t *testing.T) {
	f, err := ParseFilter(url.Values{"provider": {"vandar"}, "tenant": {"t"}, "status": {"failed"}, "limit": {"5"}})
	if err != nil || f != (Filter{Provider: "vandar", Tenant: "t", Status: Failed, Limit: 5}) {
		t.Fatalf("%+v %v", f, err)
	}
	for _, q := range []url.Values{{"status": {"gone"}}, {"limit": {"-1"}}, {"limit": {"x"}}} {
		if _, err := ParseFilter(q); err == nil {
			t.Errorf("%v accepted", q)
		}
	}
	r := newRig(t, nil)
	for _, u := range []string{"", "ftp://x/y", "/relative", "http://", "://"} {
		if _, err := r.s.Send(Delivery{URL: u}); !errors.Is(err, ErrBadRequest) {
			t.Errorf("Send to %q: %v", u, err)
		}
	}
	if _, err := r.s.Send(Delivery{URL: "http://x/y", Method: "PO ST"}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("Send with a bad method: %v", err)
	}
	var nilSender *Sender
	if _, err := nilSender.Send(Delivery{URL: "http://x"}); !errors.Is(err, ErrOff) {
		t.Errorf("nil sender: %v", err)
	}
}

func TestSigningPanicFailsTheAttemptOnly(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Backoff = []time.Duration{} })
	rc := newReceiver(t)
	id, _ := r.s.Send(Delivery{Provider: "p", URL: rc.URL, Sign: func(*http.Request, []byte) { panic("bad key") }})
	r.flush(t)
	if rec := r.get(t, id); rec.Status != Failed || !strings.Contains(rec.Attempts[0].Error, "signing panicked: bad key") || rc.count() != 0 {
		t.Fatalf("after a signing panic: %+v", rec)
	}
}

// TestResetIsLinear resets one of two tenants holding 60,000 kept deliveries
// between them. Dropping each delivery by searching and shifting the order slice
// took about n²/2 steps (seconds here); one pass over it takes milliseconds.
func TestResetIsLinear(t *testing.T) {
	const n = 60000
	r := newRig(t, func(c *Config) { c.Keep = n })
	for i := range n {
		tenant := "a"
		if i%2 == 1 {
			tenant = "b"
		}
		if _, err := r.s.Send(Delivery{Provider: "p", Tenant: tenant, URL: "http://127.0.0.1:1/", Due: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	start := clock.Wall()
	r.s.Reset("b")
	took := clock.Wall().Sub(start)
	if got := r.s.List(Filter{Tenant: "b"}); len(got) != 0 {
		t.Fatalf("%d deliveries of b kept after its reset", len(got))
	}
	if got := r.s.List(Filter{Tenant: "a", Limit: 1}); len(got) != 1 || got[0].ID != "wh_59999" {
		t.Fatalf("tenant a's newest after b's reset: %v", got)
	}
	if n := len(r.s.sched.Pending()); n != 30000 {
		t.Fatalf("%d scheduled, want a's 30000", n)
	}
	if took > time.Second {
		t.Fatalf("Reset of 30000 of 60000 deliveries took %v; it should be one pass", took)
	}
	t.Logf("reset took %v", took)
}
