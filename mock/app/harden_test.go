package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/journal"
)

// Issue 16 item 6: the control plane has its own body limit, and a body past it is a
// 413 with a message naming the flag, never cut and taken in part.
func TestAdminBodyLimit(t *testing.T) {
	s := start(t, func(c *config.Config) { c.AdminBodyLimit = 4096 })
	var rules []string
	for i := 0; i < 100; i++ {
		rules = append(rules, `{"operation":"fake.ping","when":{"header.x-n":"`+fmt.Sprint(i)+`"},"outcome":"success"}`)
	}
	big := `{"name":"big","rules":[` + strings.Join(rules, ",") + `]}`
	if len(big) <= 4096 {
		t.Fatalf("test scenario only %d bytes", len(big))
	}
	r := s.do(t, "POST", "/_sandbox/scenarios", "", big, "Content-Type", "application/json")
	if r.status != 413 || !strings.Contains(r.json["error"].(string), "--admin-body-limit") {
		t.Fatalf("oversized scenario: %d %s", r.status, r.body)
	}
	if r := s.do(t, "GET", "/_sandbox/scenarios/big", "", ""); r.status != 404 {
		t.Fatalf("oversized scenario was taken: %d %s", r.status, r.body)
	}
	// A snapshot too, and a body without a Content-Length (streamed) the same way.
	r = s.do(t, "PUT", "/_sandbox/state/k", "", `{"tables":{"fake.paid":[`+strings.Repeat(" ", 5000)+`]}}`)
	if r.status != 413 {
		t.Fatalf("oversized snapshot: %d %s", r.status, r.body)
	}
	// Under the limit, bodies larger than the providers' limit (64 bytes here) pass.
	if r := s.do(t, "POST", "/_sandbox/scenarios", "", `{"name":"small","rules":[`+strings.Join(rules[:5], ",")+`]}`, "Content-Type", "application/json"); r.status != 201 {
		t.Fatalf("scenario under the limit: %d %s", r.status, r.body)
	}
	// The default is 64 MiB, well past the old silent 1 MiB cut of a scenario.
	if d := config.Default().AdminBodyLimit; d != 64<<20 {
		t.Fatalf("default admin body limit %d", d)
	}
}

// Issue 16 item 6: a refused PUT /_sandbox/state changes nothing.
func TestRefusedRestoreChangesNothing(t *testing.T) {
	s := start(t, nil)
	s.do(t, "POST", "/fake/v1/k/pay", "", "")
	s.do(t, "POST", "/fake/v1/k/pay", "", "")
	before := s.do(t, "GET", "/_sandbox/state/k", "", "").body
	for _, bad := range []string{
		`{"tables":{"fake.paid":[{"id":"n","value":"x"}]}}`,
		`{"tables":{"fake.paid":[],"nope":[]}}`,
		`{"tables":{"fake.paid":[{"id":"n","value":1},{"id":"n","value":2}]}}`,
	} {
		if r := s.do(t, "PUT", "/_sandbox/state/k", "", bad); r.status != 400 {
			t.Fatalf("%s: %d %s", bad, r.status, r.body)
		}
		if after := s.do(t, "GET", "/_sandbox/state/k", "", "").body; after != before {
			t.Fatalf("refused restore %s changed the state:\n%s\nwas\n%s", bad, after, before)
		}
	}
	if paid(t, s, "k") != 2 {
		t.Fatal("payments lost")
	}
}

// Issue 16 item 7: a clock move outside 1900–2999 is a 400 that leaves the clock
// alone, and the journal and state still read.
func TestClockCannotBreak(t *testing.T) {
	s := start(t, nil)
	s.do(t, "POST", "/fake/v1/k/pay", "", "")
	was := s.do(t, "GET", "/_sandbox/clock", "", "").json["now"]
	for _, body := range []string{
		`{"advance":"3000000d"}`, `{"advance":"99999999999999999d"}`,
		`{"set":"9999-12-31T23:59:59Z"}`, `{"set":"3000-01-01T00:00:00+03:30"}`, `{"set":"1899-12-31T00:00:00Z"}`,
	} {
		r := s.do(t, "POST", "/_sandbox/clock", "", body)
		if r.status != 400 || r.json["error"] == nil {
			t.Fatalf("%s: %d %s", body, r.status, r.body)
		}
		if now := s.do(t, "GET", "/_sandbox/clock", "", "").json["now"]; now != was {
			t.Fatalf("%s moved the clock to %v", body, now)
		}
	}
	if r := s.do(t, "POST", "/_sandbox/clock", "", `{"set":"2999-12-31T10:00:00+03:30"}`); r.status != 200 {
		t.Fatalf("set to 2999: %d %s", r.status, r.body)
	}
	if r := s.do(t, "POST", "/_sandbox/clock", "", `{"jump":"next-business-day"}`); r.status != 400 {
		t.Fatalf("jump past 2999: %d %s", r.status, r.body)
	}
	s.do(t, "POST", "/fake/v1/k/pay", "", "")
	for _, path := range []string{"/_sandbox/journal", "/_sandbox/state/k", "/_sandbox/health"} {
		if r := s.do(t, "GET", path, "", ""); r.status != 200 {
			t.Fatalf("%s after the clock moves: %d %s", path, r.status, r.body)
		}
	}
}

// Issue 16 item 4: a read names no limit and still gets a bounded answer; limit=0
// reads everything; the journal's bytes are bounded however large the bodies.
func TestJournalReadsAreBounded(t *testing.T) {
	s := start(t, func(c *config.Config) {
		c.BodyLimit = 1 << 20
		c.JournalBytes = 1 << 20
	})
	for i := 0; i < journal.DefaultReadLimit+20; i++ {
		s.do(t, "GET", "/fake/v1/ping", "", "")
	}
	var j struct {
		Enabled bool            `json:"enabled"`
		Entries []journal.Entry `json:"entries"`
	}
	r := s.do(t, "GET", "/_sandbox/journal", "", "")
	if err := json.Unmarshal([]byte(r.body), &j); err != nil || !j.Enabled || len(j.Entries) != journal.DefaultReadLimit {
		t.Fatalf("default read: %d entries, %v", len(j.Entries), err)
	}
	r = s.do(t, "GET", "/_sandbox/journal?limit=0", "", "")
	if err := json.Unmarshal([]byte(r.body), &j); err != nil || len(j.Entries) != journal.DefaultReadLimit+20 {
		t.Fatalf("limit=0 read: %d entries, %v", len(j.Entries), err)
	}

	body := strings.Repeat("x", 1<<20-1)
	for i := 0; i < 40; i++ {
		s.do(t, "POST", "/fake/v1/k/pay", "", body)
	}
	if b := s.app.Journal().Bytes(); b > 1<<20 {
		t.Fatalf("journal holds %d bytes, bound 1 MiB", b)
	}
	r = s.do(t, "GET", "/_sandbox/journal?limit=0", "", "")
	if len(r.body) > 1<<20 {
		t.Fatalf("full read is %d bytes", len(r.body))
	}
	if err := json.Unmarshal([]byte(r.body), &j); err != nil || !j.Entries[0].RequestTruncated || j.Entries[0].RequestSize != 1<<20-1 {
		t.Fatalf("newest entry: %+v, %v", j.Entries[0], err)
	}
}

// A body far past the limit gets its 413 answer, not a reset connection: the
// server reads on (to a bound) what the client is still sending. Before, about
// one such request in fifteen failed on the client with "connection reset by
// peer".
func TestTooLargeBodyIsAnswered(t *testing.T) {
	s := start(t, nil) // BodyLimit 64
	big := strings.Repeat("x", 2<<20)
	for i := range 40 {
		res, err := http.Post(s.URL+"/fake/v1/k/pay", "application/octet-stream", strings.NewReader(big))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("request %d: %d", i, res.StatusCode)
		}
	}
}
