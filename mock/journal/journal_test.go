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
	"unicode/utf8"
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

	// No limit named: a read is bounded by default; limit=0 asks for everything.
	if f, err := ParseFilter(url.Values{}); err != nil || f != (Filter{Limit: DefaultReadLimit}) {
		t.Fatalf("empty: %+v, %v", f, err)
	}
	if f, err := ParseFilter(url.Values{"limit": {"0"}}); err != nil || f != (Filter{}) {
		t.Fatalf("limit=0: %+v, %v", f, err)
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

// Issue 16 item 4: the journal is bounded in bytes as well as entries, and a body
// over the per-body cap is kept cut, with its size and a marker.
func TestBytesBound(t *testing.T) {
	const mib = 1 << 20
	j := NewWith(Options{Entries: 1000, Bytes: 4 * mib, BodyCap: 256 << 10})
	big := Body(strings.Repeat("a", mib))
	for i := 0; i < 200; i++ {
		j.Add(Entry{Tenant: "t", RequestBody: big, ResponseBody: big})
	}
	if b := j.Bytes(); b > 4*mib {
		t.Fatalf("journal holds %d bytes, bound is %d", b, 4*mib)
	}
	// Each entry keeps 2 × 256 KiB of body, so about 8 fit in 4 MiB; the newest are kept.
	es := j.Query(Filter{})
	if len(es) < 6 || len(es) > 8 || es[0].ID != 200 {
		t.Fatalf("kept %d entries, newest %d", len(es), es[0].ID)
	}
	e := es[0]
	if !e.RequestTruncated || e.RequestSize != mib || !e.ResponseTruncated || e.ResponseSize != mib {
		t.Fatalf("truncation not recorded: %+v", e)
	}
	if len(e.RequestBody) > 256<<10+100 || !strings.HasPrefix(string(e.RequestBody), "aaaa") ||
		!strings.HasSuffix(string(e.RequestBody), "[sandbank: body truncated, 1048576 bytes, first 262144 kept]") {
		t.Fatalf("request body kept as %d bytes ending %q", len(e.RequestBody), e.RequestBody[len(e.RequestBody)-80:])
	}
	raw, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"request_body_truncated":true`, `"request_body_size":1048576`, `"response_body_size":1048576`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("entry JSON lacks %s", want)
		}
	}

	// Small entries are not affected, and no truncation fields appear.
	j.Add(Entry{Tenant: "u", RequestBody: Body(`{"a":1}`)})
	raw, _ = json.Marshal(j.Query(Filter{Limit: 1})[0])
	if strings.Contains(string(raw), "truncated") || !strings.Contains(string(raw), `"request_body":{"a":1}`) {
		t.Fatalf("small entry: %s", raw)
	}

	// A body cut inside a multi-byte rune keeps valid UTF-8.
	j2 := NewWith(Options{Entries: 4, BodyCap: 4})
	j2.Add(Entry{RequestBody: Body("abcدرود")})
	if b := j2.Query(Filter{})[0].RequestBody; !utf8.Valid(b) || !strings.HasPrefix(string(b), "abc…") {
		t.Fatalf("cut body %q", b)
	}

	// Clear and ClearTenant give the budget back.
	j.ClearTenant("t")
	if n, b := j.Len(), j.Bytes(); n != 1 || b > 1024 {
		t.Fatalf("after ClearTenant: %d entries, %d bytes", n, b)
	}
	j.Clear()
	if j.Bytes() != 0 {
		t.Fatalf("after Clear: %d bytes", j.Bytes())
	}
}

// WriteJSON streams what Query returns, in the control plane's shape.
func TestWriteJSON(t *testing.T) {
	j := fill()
	var buf strings.Builder
	if err := j.WriteJSON(&buf, Filter{Provider: "kavenegar"}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Enabled bool    `json:"enabled"`
		Entries []Entry `json:"entries"`
	}
	if err := json.Unmarshal([]byte(buf.String()), &out); err != nil {
		t.Fatalf("%v in %s", err, buf.String())
	}
	if !out.Enabled || !slices.Equal(ids(out.Entries), []int64{7, 2, 1}) || !out.Entries[0].At.Equal(t0.Add(6*time.Minute)) {
		t.Fatalf("streamed %+v", out)
	}
	buf.Reset()
	_ = New(0).WriteJSON(&buf, Filter{})
	if buf.String() != `{"enabled":false,"entries":[]}`+"\n" {
		t.Fatalf("off journal streams %q", buf.String())
	}
}

// Issue 16 item 7: an entry stamped outside the years time.Time's encoder accepts
// still encodes, so one such entry cannot make the journal answer 500.
func TestFarTimesEncode(t *testing.T) {
	e := Entry{ID: 1, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Wall: t0}
	raw, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"at":"10000-01-01T00:00:00Z"`) || !strings.Contains(string(raw), `"wall":"2026-11-22T10:00:00+03:30"`) {
		t.Fatalf("encoded %s", raw)
	}
}
