package scenario

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func mustLoad(t testing.TB, src string) *Scenario {
	t.Helper()
	sc, err := Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func names(scs []*Scenario) []string {
	var out []string
	for _, sc := range scs {
		out = append(out, sc.Name)
	}
	return out
}

func TestSetRegistry(t *testing.T) {
	s := NewSet(1)
	s.Add(mustLoad(t, "name: b\n"))
	s.Add(mustLoad(t, "name: a\ndescription: first\n"))
	s.Add(mustLoad(t, "name: a\ndescription: second\n"))
	s.Add(nil)
	if got := names(s.List()); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("List: %v", got)
	}
	if sc, ok := s.Get("a"); !ok || sc.Description != "second" {
		t.Errorf("Get(a) = %+v, %v", sc, ok)
	}
	if _, ok := s.Get("c"); ok {
		t.Error("Get(c) found")
	}

	if err := s.Activate("c", ""); err == nil || !strings.Contains(err.Error(), `unknown scenario "c"`) {
		t.Errorf("Activate(c): %v", err)
	}
	if err := s.Activate("a", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Activate("b", "t1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Activate("a", "t2"); err != nil {
		t.Fatal(err)
	}
	g, ts := s.Active()
	if g != "a" || !reflect.DeepEqual(ts, map[string]string{"t1": "b", "t2": "a"}) {
		t.Errorf("Active: %q %v", g, ts)
	}
	ts["t9"] = "x" // a copy: must not reach the set
	s.Deactivate("t1")
	g, ts = s.Active()
	if g != "a" || !reflect.DeepEqual(ts, map[string]string{"t2": "a"}) {
		t.Errorf("after Deactivate(t1): %q %v", g, ts)
	}

	if !s.Remove("a") || s.Remove("a") {
		t.Error("Remove(a) twice")
	}
	g, ts = s.Active()
	if g != "" || len(ts) != 0 {
		t.Errorf("activations of a removed scenario stay: %q %v", g, ts)
	}
	if err := s.Activate("b", ""); err != nil {
		t.Fatal(err)
	}
	s.Deactivate("")
	if g, _ := s.Active(); g != "" {
		t.Errorf("Deactivate(\"\"): %q", g)
	}
}

func TestReplaceFiles(t *testing.T) {
	s := NewSet(1)
	s.Add(mustLoad(t, "name: api\ndescription: from the API\n"))
	s.ReplaceFiles("dir1", []*Scenario{mustLoad(t, "name: f1\n"), mustLoad(t, "name: f2\n"), mustLoad(t, "name: api\ndescription: from a file\n")})
	s.ReplaceFiles("dir2", []*Scenario{mustLoad(t, "name: g1\n")})
	if got := names(s.List()); !reflect.DeepEqual(got, []string{"api", "f1", "f2", "g1"}) {
		t.Errorf("List: %v", got)
	}
	if sc, _ := s.Get("api"); sc.Description != "from the API" {
		t.Errorf("a file replaced a scenario added by the API")
	}
	if err := s.Activate("f2", "t"); err != nil {
		t.Fatal(err)
	}
	// a reload in which f2 disappears and f3 appears
	s.ReplaceFiles("dir1", []*Scenario{mustLoad(t, "name: f1\ndescription: edited\n"), mustLoad(t, "name: f3\n")})
	if got := names(s.List()); !reflect.DeepEqual(got, []string{"api", "f1", "f3", "g1"}) {
		t.Errorf("after reload: %v", got)
	}
	if sc, _ := s.Get("f1"); sc.Description != "edited" {
		t.Error("f1 not replaced")
	}
	// a reload that brings f2 back finds it still active
	s.ReplaceFiles("dir1", []*Scenario{mustLoad(t, "name: f2\nrules:\n  - operation: x.y\n    outcome: failure\n    code: E\n")})
	if got := names(s.List()); !reflect.DeepEqual(got, []string{"api", "f2", "g1"}) {
		t.Errorf("after second reload: %v", got)
	}
	if d, _ := s.Decide("x.y", mapInput{tenant: "t"}, ""); d.Rule != "f2#1" {
		t.Errorf("f2 not active after coming back: %+v", d)
	}
}

const decideScenario = `name: s
rules:
  - operation: finnotech.chargeCard
    when: {body.amount: {gte: 1000000}}
    outcome: unknown
    code: A106
    latency: 800ms
    fault: http502
    settle: {after: 10m, to: failure, code: A211}
    times: 1
  - operation: finnotech.chargeCard
    outcome: failure
    code: A103
  - operation: sanbod.*
    timeline:
      - {status: DONE, at: 1m}
`

func TestDecide(t *testing.T) {
	s := NewSet(1)
	s.Add(mustLoad(t, decideScenario))
	s.Add(mustLoad(t, "name: other\nrules:\n  - operation: '*'\n    outcome: failure\n    code: X\n"))
	big := mapInput{tenant: "t1", body: jsonBody(t, `{"amount": 2000000}`)}
	small := mapInput{tenant: "t1", body: jsonBody(t, `{"amount": 10}`)}

	// nothing active
	if d, err := s.Decide("finnotech.chargeCard", big, ""); err != nil || !reflect.DeepEqual(d, Default()) {
		t.Errorf("no scenario: %+v %v", d, err)
	}
	// override by header
	d, err := s.Decide("finnotech.chargeCard", big, "other")
	if err != nil || d.Rule != "other#1" || d.Outcome != Failure || d.Code != "X" {
		t.Errorf("override: %+v %v", d, err)
	}
	// unknown override: reported, and the decision falls back
	d, err = s.Decide("finnotech.chargeCard", big, "nope")
	if err == nil || err.Error() != `unknown scenario "nope"` || !reflect.DeepEqual(d, Default()) {
		t.Errorf("unknown override: %+v %v", d, err)
	}

	if err := s.Activate("s", "t1"); err != nil {
		t.Fatal(err)
	}
	d, err = s.Decide("finnotech.chargeCard", big, "")
	want := Decision{
		Outcome: Unknown, Code: "A106", Latency: 800 * time.Millisecond, Fault: Fault502,
		Settle: &Settle{After: 10 * time.Minute, To: Failure, Code: "A211"}, Rule: "s#1",
	}
	if err != nil || !reflect.DeepEqual(d, want) {
		t.Errorf("first big charge:\n got %+v\nwant %+v", d, want)
	}
	d.Settle.Code = "mutated" // the decision is a copy
	if s.state.Load().byName["s"].sc.Rules[0].Settle.Code != "A211" {
		t.Error("changing a decision changed the rule")
	}
	// times: 1 used up for t1, so the next big charge falls through to rule 2
	if d, _ := s.Decide("finnotech.chargeCard", big, ""); d.Rule != "s#2" || d.Outcome != Failure || d.Code != "A103" || d.Fault != FaultNone {
		t.Errorf("second big charge: %+v", d)
	}
	if d, _ := s.Decide("finnotech.chargeCard", small, ""); d.Rule != "s#2" {
		t.Errorf("small charge: %+v", d)
	}
	d, _ = s.Decide("sanbod.achtransfer", small, "")
	if d.Rule != "s#3" || d.Outcome != Success || !reflect.DeepEqual(d.Timeline(), []lifecycle.Spec{{Status: "DONE", At: "1m"}}) {
		t.Errorf("glob rule: %+v", d)
	}
	if d, _ := s.Decide("vandar.x", small, ""); d.Rule != "default" {
		t.Errorf("no rule matches: %+v", d)
	}
	// another tenant has no scenario; with a global one it gets that
	t2 := mapInput{tenant: "t2", body: jsonBody(t, `{"amount": 2000000}`)}
	if d, _ := s.Decide("finnotech.chargeCard", t2, ""); d.Rule != "default" {
		t.Errorf("t2 without global: %+v", d)
	}
	if err := s.Activate("s", ""); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Decide("finnotech.chargeCard", t2, ""); d.Rule != "s#1" {
		t.Errorf("t2 with global, own counter: %+v", d)
	}
	// the tenant's scenario wins over the global one, the header over both
	if err := s.Activate("other", ""); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Decide("finnotech.chargeCard", small, ""); d.Rule != "s#2" {
		t.Errorf("tenant over global: %+v", d)
	}
	if d, _ := s.Decide("finnotech.chargeCard", small, "other"); d.Rule != "other#1" {
		t.Errorf("header over tenant: %+v", d)
	}

	// counters
	s.ResetCounts("t2")
	if d, _ := s.Decide("finnotech.chargeCard", big, ""); d.Rule != "s#2" {
		t.Errorf("ResetCounts(t2) reset t1: %+v", d)
	}
	s.ResetCounts("t1")
	if d, _ := s.Decide("finnotech.chargeCard", big, ""); d.Rule != "s#1" {
		t.Errorf("after ResetCounts(t1): %+v", d)
	}
	s.ResetCounts("")
	if d, _ := s.Decide("finnotech.chargeCard", big, ""); d.Rule != "s#1" {
		t.Errorf("after ResetCounts(): %+v", d)
	}
	// adding a scenario again starts its counters over
	s.Add(mustLoad(t, decideScenario))
	if d, _ := s.Decide("finnotech.chargeCard", big, ""); d.Rule != "s#1" {
		t.Errorf("after Add again: %+v", d)
	}
}

func TestDecideTimesConcurrent(t *testing.T) {
	const (
		times   = 7
		workers = 100
	)
	s := NewSet(1)
	s.Add(mustLoad(t, "name: c\nrules:\n  - operation: a.b\n    outcome: failure\n    code: E\n    times: 7\n"))
	if err := s.Activate("c", ""); err != nil {
		t.Fatal(err)
	}
	for _, tenant := range []string{"x", "y"} {
		var wins atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range workers {
			wg.Go(func() {
				<-start
				d, _ := s.Decide("a.b", mapInput{tenant: tenant}, "")
				if d.Rule == "c#1" {
					wins.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if wins.Load() != times {
			t.Errorf("tenant %s: %d requests won, want %d", tenant, wins.Load(), times)
		}
	}
}

func TestDecideConcurrentWithWrites(t *testing.T) {
	s := NewSet(1)
	sc := mustLoad(t, "name: c\nrules:\n  - operation: a.*\n    latency: {min: 1ms, max: 5ms}\n    times: 50\n    when: {tenant: {regex: \"^t\"}, body.n: {gt: 6037991234567890122, in: [6037991234567890123]}}\n")
	in := mapInput{tenant: "t", body: jsonNumberBody(t, `{"n": 6037991234567890123}`)}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 200 {
				_, _ = s.Decide("a.b", in, "c")
				if i == 0 {
					s.Add(sc)
					_ = s.Activate("c", "t")
					s.ResetCounts("")
					s.ReplaceFiles("d", []*Scenario{mustLoad(t, "name: f\n")})
					_ = s.List()
					_, _ = s.Active()
				}
			}
		})
	}
	wg.Wait()
}

func TestLatency(t *testing.T) {
	sc := mustLoad(t, "name: l\nrules:\n  - operation: a.b\n    latency: {min: 100ms, max: 200ms}\n")
	draw := func(seed int64) []time.Duration {
		s := NewSet(seed)
		s.Add(sc)
		var out []time.Duration
		for range 200 {
			d, _ := s.Decide("a.b", mapInput{}, "l")
			out = append(out, d.Latency)
		}
		return out
	}
	a, b, c := draw(42), draw(42), draw(43)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different latencies")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds, same latencies")
	}
	distinct := map[time.Duration]bool{}
	for _, d := range a {
		if d < 100*time.Millisecond || d > 200*time.Millisecond {
			t.Fatalf("latency %v out of range", d)
		}
		distinct[d] = true
	}
	if len(distinct) < 150 {
		t.Errorf("only %d distinct latencies of 200", len(distinct))
	}

	s := NewSet(1)
	tests := []struct {
		l    Latency
		want time.Duration
	}{
		{Latency{}, 0},
		{Latency{Min: time.Second, Max: time.Second}, time.Second},
		{Latency{Min: time.Second}, time.Second},
		{Latency{Min: 2 * time.Second, Max: time.Second}, 2 * time.Second},
		{Latency{Min: -time.Second}, 0},
	}
	for _, tt := range tests {
		if got := s.latency(tt.l); got != tt.want {
			t.Errorf("latency(%+v) = %v, want %v", tt.l, got, tt.want)
		}
	}
	if got := s.latency(Latency{Max: 1<<63 - 1}); got < 0 {
		t.Errorf("widest range drew %v", got)
	}
}

func TestDecideCodeBuiltRule(t *testing.T) {
	s := NewSet(1)
	s.Add(&Scenario{Name: "go", Rules: []Rule{{Operation: "a.b"}}})
	d, _ := s.Decide("a.b", mapInput{}, "go")
	if d.Outcome != Success || d.Fault != FaultNone || d.Rule != "go#1" {
		t.Errorf("%+v", d)
	}
}

func BenchmarkDecideNoScenario(b *testing.B) {
	s := NewSet(1)
	s.Add(mustLoad(b, decideScenario))
	in := &mapInput{tenant: "t1"}
	b.ReportAllocs()
	for b.Loop() {
		if d, _ := s.Decide("finnotech.chargeCard", in, ""); d.Rule != "default" {
			b.Fatal(d)
		}
	}
}

func BenchmarkDecideMatch(b *testing.B) {
	s := NewSet(1)
	s.Add(mustLoad(b, `name: m
rules:
  - operation: finnotech.chargeCard
    when: {body.amount: {gte: 1000000}, query.trackId: {regex: "^qa-"}}
    outcome: failure
    code: A103
    latency: {min: 1ms, max: 2ms}
`))
	if err := s.Activate("m", "t1"); err != nil {
		b.Fatal(err)
	}
	in := &mapInput{tenant: "t1", query: map[string]string{"trackId": "qa-1"}, body: jsonBody(b, `{"amount": 2000000}`)}
	b.ReportAllocs()
	for b.Loop() {
		if d, _ := s.Decide("finnotech.chargeCard", in, ""); d.Rule != "m#1" {
			b.Fatal(d)
		}
	}
}
