package journal

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("IRST", 3*3600+1800))

func ids(es []Entry) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestRingWrap(t *testing.T) {
	j := New(3)
	for i := 1; i <= 5; i++ {
		if id := j.Add(Entry{Path: fmt.Sprint(i)}); id != int64(i) {
			t.Fatalf("Add #%d returned id %d", i, id)
		}
	}
	if got, want := ids(j.Query(Filter{})), []int64{5, 4, 3}; !slices.Equal(got, want) {
		t.Fatalf("ids = %v, want %v", got, want)
	}
	if j.Len() != 3 {
		t.Fatalf("Len = %d", j.Len())
	}
}

func TestOff(t *testing.T) {
	for _, size := range []int{0, -1} {
		j := New(size)
		if j.Enabled() {
			t.Errorf("New(%d).Enabled() = true", size)
		}
		if id := j.Add(Entry{Tenant: "a"}); id != 0 {
			t.Errorf("Add on off journal = %d", id)
		}
		if es := j.Query(Filter{}); len(es) != 0 || j.Len() != 0 {
			t.Errorf("off journal holds %v", es)
		}
		j.Clear()
		j.ClearTenant("a")
	}
	if !New(1).Enabled() {
		t.Error("New(1).Enabled() = false")
	}
}

func fill() *Journal {
	j := New(100)
	add := func(min int, provider, op, tenant, track string, status int) {
		j.Add(Entry{At: t0.Add(time.Duration(min) * time.Minute), Provider: provider, Operation: op,
			Tenant: tenant, TrackID: track, Status: status})
	}
	add(0, "kavenegar", "kavenegar.smsSend", "k1", "", 200)           // 1
	add(1, "kavenegar", "kavenegar.verifyLookup", "k2", "", 418)      // 2
	add(2, "finnotech", "finnotech.chargeCard", "qa", "qa-1", 200)    // 3
	add(3, "finnotech", "finnotech.chargeCard", "qa", "qa-2", 400)    // 4
	add(4, "sanbod", "sanbod.achtransfer", "qa", "t-9", 200)          // 5
	add(5, "finnotech", "finnotech.cardToIban", "other", "qa-1", 200) // 6
	add(6, "kavenegar", "kavenegar.smsSend", "k1", "", 200)           // 7
	return j
}

func TestFilters(t *testing.T) {
	j := fill()
	tests := []struct {
		name string
		f    Filter
		want []int64
	}{
		{"all", Filter{}, []int64{7, 6, 5, 4, 3, 2, 1}},
		{"provider", Filter{Provider: "finnotech"}, []int64{6, 4, 3}},
		{"operation exact", Filter{Operation: "kavenegar.smsSend"}, []int64{7, 1}},
		{"operation glob", Filter{Operation: "kavenegar.*"}, []int64{7, 2, 1}},
		{"operation glob class", Filter{Operation: "finnotech.c[a-z]*"}, []int64{6, 4, 3}},
		{"operation bad glob", Filter{Operation: "kavenegar.["}, nil},
		{"tenant", Filter{Tenant: "qa"}, []int64{5, 4, 3}},
		{"track", Filter{TrackID: "qa-1"}, []int64{6, 3}},
		{"status", Filter{Status: 400}, []int64{4}},
		{"since inclusive", Filter{Since: t0.Add(4 * time.Minute)}, []int64{7, 6, 5}},
		{"combined", Filter{Provider: "finnotech", Tenant: "qa", Status: 200}, []int64{3}},
		{"limit", Filter{Limit: 2}, []int64{7, 6}},
		{"limit with filter", Filter{Tenant: "qa", Limit: 2}, []int64{5, 4}},
		{"limit above count", Filter{Provider: "sanbod", Limit: 10}, []int64{5}},
		{"nothing", Filter{Tenant: "ghost"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(j.Query(tt.f)); !slices.Equal(got, tt.want) {
				t.Fatalf("ids = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClear(t *testing.T) {
	j := fill()
	j.ClearTenant("qa")
	if got, want := ids(j.Query(Filter{})), []int64{7, 6, 2, 1}; !slices.Equal(got, want) {
		t.Fatalf("after ClearTenant ids = %v, want %v", got, want)
	}
	// The ring keeps working after compaction, and IDs keep counting.
	if id := j.Add(Entry{Tenant: "qa"}); id != 8 {
		t.Fatalf("next id = %d, want 8", id)
	}
	if got, want := ids(j.Query(Filter{})), []int64{8, 7, 6, 2, 1}; !slices.Equal(got, want) {
		t.Fatalf("ids = %v, want %v", got, want)
	}
	j.Clear()
	if j.Len() != 0 || len(j.Query(Filter{})) != 0 {
		t.Fatal("Clear left entries")
	}
	if id := j.Add(Entry{}); id != 9 {
		t.Fatalf("id after Clear = %d, want 9", id)
	}
}

func TestClearTenantWrapped(t *testing.T) {
	j := New(4)
	for i := 1; i <= 6; i++ { // ring holds 3..6 with head mid-slice
		j.Add(Entry{Tenant: []string{"a", "b"}[i%2]})
	}
	j.ClearTenant("a") // drops the even ids
	if got, want := ids(j.Query(Filter{})), []int64{5, 3}; !slices.Equal(got, want) {
		t.Fatalf("ids = %v, want %v", got, want)
	}
	for i := 7; i <= 9; i++ {
		j.Add(Entry{Tenant: "c"})
	}
	if got, want := ids(j.Query(Filter{})), []int64{9, 8, 7, 5}; !slices.Equal(got, want) {
		t.Fatalf("ids = %v, want %v", got, want)
	}
	j.ClearTenant("nobody")
	if j.Len() != 4 {
		t.Fatalf("Len = %d", j.Len())
	}
}

func TestQueryCopies(t *testing.T) {
	j := New(2)
	j.Add(Entry{RequestBody: Body(`{"a":1}`)})
	es := j.Query(Filter{})
	es[0].RequestBody[2] = 'X'
	es[0].Tenant = "mutated"
	if got := j.Query(Filter{})[0]; string(got.RequestBody) != `{"a":1}` || got.Tenant != "" {
		t.Fatalf("journal changed through a query result: %+v", got)
	}
}

func TestConcurrentAdd(t *testing.T) {
	const workers, each = 50, 200
	j := New(workers * each)
	var mu sync.Mutex
	seen := make(map[int64]bool)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			local := make([]int64, 0, each)
			for i := range each {
				local = append(local, j.Add(Entry{Tenant: fmt.Sprint(w), Path: fmt.Sprint(i)}))
				if i%50 == 0 {
					j.Query(Filter{Tenant: fmt.Sprint(w), Limit: 5})
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range local {
				if id <= 0 || seen[id] {
					t.Errorf("id %d duplicated or invalid", id)
				}
				seen[id] = true
			}
		})
	}
	wg.Wait()
	if len(seen) != workers*each || j.Len() != workers*each {
		t.Fatalf("got %d unique ids, Len %d; want %d", len(seen), j.Len(), workers*each)
	}
	got := ids(j.Query(Filter{}))
	if !slices.IsSortedFunc(got, func(a, b int64) int { return int(b - a) }) {
		t.Fatal("Query is not newest first")
	}
}

func TestBodyJSON(t *testing.T) {
	tests := []struct {
		name string
		body Body
		want string
	}{
		{"json object", Body(`{"amount": 1000, "msg":"سلام"}`), `{"amount":1000,"msg":"سلام"}`},
		{"json array", Body("[1, 2]\n"), `[1,2]`},
		{"form", Body("receptor=09121234567&message=hi+there"), `"receptor=09121234567\u0026message=hi+there"`},
		{"text", Body("not json {"), `"not json {"`},
		{"empty", Body{}, `null`},
		{"nil", nil, `null`},
		// A run of invalid bytes becomes one U+FFFD.
		{"binary garbage", Body{0xff, 0xfe, 'a', 0x00, 0xc3}, "\"\uFFFDa\\u0000\uFFFD\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Fatalf("invalid JSON %s", got)
			}
		})
	}
}

func TestEntryRoundTrip(t *testing.T) {
	in := Entry{
		ID: 7, At: t0, Wall: t0.Add(time.Second), Provider: "kavenegar", Operation: "kavenegar.smsSend",
		Tenant: "k1", Method: "POST", Path: "/v1/k/sms/send.json", Query: "a=b",
		RequestBody: Body("receptor=0912&message=hi"), Status: 200,
		ResponseBody: Body(`{"return":{"status":200}}`), Rule: "default", TrackID: "x", DurationMS: 1.5,
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"request_body":"receptor=0912\u0026message=hi"`, `"response_body":{"return":{"status":200}}`, `"track_id":"x"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("%s lacks %s", data, key)
		}
	}
	var out Entry
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if string(out.RequestBody) != string(in.RequestBody) || string(out.ResponseBody) != string(in.ResponseBody) ||
		!out.At.Equal(in.At) || out.Operation != in.Operation || out.DurationMS != in.DurationMS {
		t.Fatalf("round trip: got %+v, want %+v", out, in)
	}
	var empty Entry
	if err := json.Unmarshal([]byte(`{"request_body":null}`), &empty); err != nil || empty.RequestBody != nil {
		t.Fatalf("null body: %v %q", err, empty.RequestBody)
	}
}

func TestParseFilter(t *testing.T) {
	f, err := ParseFilter(url.Values{
		"provider": {"finnotech"}, "operation": {"finnotech.*"}, "tenant": {"qa"}, "track_id": {"t1"},
		"status": {"400"}, "since": {"2026-11-22T10:00:00+03:30"}, "limit": {"5"}, "other": {"x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Filter{Provider: "finnotech", Operation: "finnotech.*", Tenant: "qa", TrackID: "t1", Status: 400, Since: t0, Limit: 5}
	if f.Provider != want.Provider || f.Operation != want.Operation || f.Tenant != want.Tenant ||
		f.TrackID != want.TrackID || f.Status != want.Status || !f.Since.Equal(want.Since) || f.Limit != want.Limit {
		t.Fatalf("got %+v, want %+v", f, want)
	}

	// "+" left unescaped in a query string decodes to a space.
	q, _ := url.ParseQuery("since=2026-11-22T10:00:00+03:30")
	if f, err := ParseFilter(q); err != nil || !f.Since.Equal(t0) {
		t.Fatalf("unescaped offset: %+v, %v", f, err)
	}

	if f, err := ParseFilter(url.Values{}); err != nil || f != (Filter{}) {
		t.Fatalf("empty: %+v, %v", f, err)
	}

	for _, bad := range []struct{ key, val string }{
		{"status", "abc"}, {"status", "-1"}, {"since", "yesterday"}, {"since", "10m"},
		{"limit", "-1"}, {"limit", "x"}, {"operation", "kavenegar.["},
	} {
		_, err := ParseFilter(url.Values{bad.key: {bad.val}})
		if err == nil || !strings.HasPrefix(err.Error(), bad.key+":") {
			t.Errorf("%s=%s: err = %v, want one naming %s", bad.key, bad.val, err, bad.key)
		}
	}
}

func TestAddAllocs(t *testing.T) {
	j := New(16)
	e := Entry{Provider: "p", RequestBody: Body("x")}
	if a := testing.AllocsPerRun(100, func() { j.Add(e) }); a != 0 {
		t.Fatalf("Add allocates %v per call", a)
	}
}

func BenchmarkAdd(b *testing.B) {
	j := New(10000)
	e := Entry{
		At: t0, Wall: t0, Provider: "finnotech", Operation: "finnotech.chargeCard", Tenant: "qa",
		Method: "POST", Path: "/api.finnotech.ir/charge/v2/clients/qa/chargeCard", Status: 200,
		RequestBody: Body(`{"amount":10000}`), ResponseBody: Body(`{"status":"DONE"}`),
	}
	b.ReportAllocs()
	for b.Loop() {
		j.Add(e)
	}
}

func BenchmarkAddParallel(b *testing.B) {
	j := New(10000)
	e := Entry{Provider: "finnotech", Operation: "finnotech.chargeCard", Status: 200}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			j.Add(e)
		}
	})
}

func TestDirection(t *testing.T) {
	j := New(10)
	j.Add(Entry{Operation: "served"})
	j.Add(Entry{Operation: "sent", Direction: Out, URL: "http://app.test/cb", Attempt: 2, Delivery: "wh_1"})
	if es := j.Query(Filter{Direction: In}); len(es) != 1 || es[0].Operation != "served" || es[0].Direction != "in" {
		t.Fatalf("in: %+v", es)
	}
	if es := j.Query(Filter{Direction: Out}); len(es) != 1 || es[0].Operation != "sent" || es[0].Attempt != 2 {
		t.Fatalf("out: %+v", es)
	}
	if f, err := ParseFilter(url.Values{"direction": {"out"}}); err != nil || f.Direction != Out {
		t.Fatalf("parse out: %+v %v", f, err)
	}
	if _, err := ParseFilter(url.Values{"direction": {"up"}}); err == nil {
		t.Fatal("direction=up accepted")
	}
}
