package app

import (
	"log/slog"
	"strings"
	"testing"
)

func TestJournalCountReusesScenarioPredicates(t *testing.T) {
	s, _ := startLogged(t, slog.LevelInfo)
	s.do(t, "POST", "/fake/v1/alice/pay?channel=web", "", `{"amount": 5000, "card": "6037991234567890123"}`, "Content-Type", "application/json", "X-Client", "shop-1")
	s.do(t, "POST", "/fake/v1/alice/pay?channel=app", "", `{"amount": 250000, "card": "6037991234567890124"}`, "Content-Type", "application/json", "X-Client", "shop-2")
	s.do(t, "POST", "/fake/v1/bob/pay", "", "amount=70&note=%D8%B3%D9%84%D8%A7%D9%85", "Content-Type", "application/x-www-form-urlencoded")
	s.do(t, "GET", "/fake/v1/ping", "", "")

	for _, c := range []struct {
		body string
		want int
	}{
		{`{}`, 4},
		{`{"operation": "fake.pay"}`, 3},
		{`{"operation": "fake.*"}`, 4},
		{`{"operation": "fake.pay", "when": {"tenant": "alice"}}`, 2},
		{`{"operation": "fake.pay", "when": {"header.X-Client": "shop-2"}}`, 1},
		{`{"operation": "fake.pay", "when": {"header.x-client": {"regex": "^shop-"}}}`, 2},
		{`{"operation": "fake.pay", "when": {"query.channel": {"in": ["web", "app"]}}}`, 2},
		{`{"operation": "fake.pay", "when": {"body.amount": {"gte": 100000}}}`, 1},
		{`{"operation": "fake.pay", "when": {"body.card": 6037991234567890123}}`, 1}, // 19 digits compared exactly
		{`{"operation": "fake.pay", "when": {"body.amount": {"lt": 100}}}`, 1},       // the form body
		{`{"operation": "fake.pay", "when": {"body.note": "سلام"}}`, 1},
		{`{"operation": "fake.pay", "when": {"tenant": "alice", "body.amount": 5000, "header.X-Client": "shop-1"}}`, 1},
		{`{"operation": "fake.pay", "when": {"tenant": "carol"}}`, 0},
	} {
		r := s.do(t, "POST", "/_sandbox/journal/count", "", c.body, "Content-Type", "application/json")
		if r.status != 200 || r.json["count"] != float64(c.want) {
			t.Errorf("%s: %d %s, want count %d", c.body, r.status, r.body, c.want)
		}
	}
	for _, c := range []struct{ body, want string }{
		{`{"operation": "fake.nope"}`, "names no operation"},
		{`{"operation": "fake.[", "when": {}}`, "bad pattern"},
		{`{"operation": "fake.pay", "when": {"colour": "red"}}`, "unknown key"},
		{`{"operation": "fake.pay", "when": {"body.amount": {"about": 3}}}`, "about"},
		{`{"operation": "fake.pay", "verify": true}`, "unknown field"},
		{``, "empty body"},
	} {
		r := s.do(t, "POST", "/_sandbox/journal/count", "", c.body, "Content-Type", "application/json")
		if r.status != 400 || !strings.Contains(r.body, c.want) {
			t.Errorf("%s: %d %s, want 400 naming %q", c.body, r.status, r.body, c.want)
		}
	}
}
