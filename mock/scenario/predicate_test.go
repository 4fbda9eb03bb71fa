package scenario

import (
	"encoding/json"
	"net/textproto"
	"strings"
	"testing"
)

// mapInput is a request made of maps, as the app's adapter over an HTTP request
// would present it.
type mapInput struct {
	tenant  string
	headers map[string]string
	query   map[string]string
	body    any
}

func (m mapInput) Tenant() string { return m.tenant }

func (m mapInput) Header(name string) string {
	for k, v := range m.headers {
		if textproto.CanonicalMIMEHeaderKey(k) == textproto.CanonicalMIMEHeaderKey(name) {
			return v
		}
	}
	return ""
}

func (m mapInput) Query(name string) (string, bool) {
	v, ok := m.query[name]
	return v, ok
}

func (m mapInput) Body(path string) (any, bool) { return Lookup(m.body, path) }

func jsonBody(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func jsonNumberBody(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// when loads a one-rule scenario with the given `when` block (YAML flow mapping).
func when(t testing.TB, src string) []Predicate {
	t.Helper()
	sc, err := Load("w.yaml", []byte("name: w\nrules:\n  - operation: x.y\n    when: "+src+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return sc.Rules[0].When
}

func TestPredicates(t *testing.T) {
	body := `{"amount": 1500000, "text": "1500000", "small": "99.5", "flag": true, "none": null,
		"big": 6037991234567890123, "bigs": "6037991234567890123",
		"card": {"number": "6037991234567893", "holder": "Ali"},
		"items": [{"id": "a1"}, {"id": "b2"}], "obj": {"k": 1}, "list": [1, 2], "zero": "007", "neg": -5}`
	in := mapInput{
		tenant:  "qa-client",
		headers: map[string]string{"X-Request-Id": "req-42", "Content-Type": "application/json"},
		query:   map[string]string{"trackId": "qa-123", "empty": ""},
		body:    jsonBody(t, body),
	}
	tests := []struct {
		when string
		want bool
	}{
		// tenant
		{`{tenant: qa-client}`, true},
		{`{tenant: other}`, false},
		{`{tenant: {ne: other}}`, true},
		{`{tenant: {in: [a, qa-client]}}`, true},
		{`{tenant: {regex: "^qa-"}}`, true},
		// headers: the Input does the canonical lookup
		{`{header.X-Request-Id: req-42}`, true},
		{`{header.x-request-id: req-42}`, true},
		{`{header.X-Missing: ""}`, false},
		{`{header.X-Missing: {ne: x}}`, true},
		{`{header.X-Missing: {regex: ".*"}}`, false},
		// query
		{`{query.trackId: {regex: "^qa-"}}`, true},
		{`{query.trackId: {regex: "^prod-"}}`, false},
		{`{query.empty: ""}`, true},
		{`{query.absent: {ne: ""}}`, true},
		{`{query.absent: ""}`, false},
		// numbers against numbers and numeric strings
		{`{body.amount: {gte: 1000000}}`, true},
		{`{body.amount: {gt: 1500000}}`, false},
		{`{body.amount: {gte: 1500000, lte: 1500000}}`, true},
		{`{body.amount: {lt: 1e7}}`, true},
		{`{body.text: {gt: 1499999.5}}`, true},
		{`{body.small: {lt: 100}}`, true},
		{`{body.small: {lte: 99.49}}`, false},
		{`{body.neg: {lt: 0}}`, true},
		{`{body.amount: 1500000}`, true},
		{`{body.amount: "1500000"}`, true},
		{`{body.amount: 1500000.0}`, true},
		{`{body.text: 1.5e6}`, true},
		{`{body.zero: 7}`, true},
		{`{body.zero: "007"}`, true},
		{`{body.amount: {in: [1, 1500000]}}`, true},
		{`{body.amount: {in: [1, 2]}}`, false},
		{`{body.amount: {ne: 1500000}}`, false},
		{`{body.amount: {regex: "^15"}}`, true},
		// non-numeric inputs never pass an order comparison
		{`{body.card.holder: {gt: 0}}`, false},
		{`{body.card.holder: {lt: 0}}`, false},
		{`{body.flag: {gt: 0}}`, false},
		// big numbers compare exactly: float64 would call these two cards equal
		{`{body.bigs: "6037991234567890123"}`, true},
		{`{body.bigs: "6037991234567890124"}`, false},
		{`{body.bigs: {gt: 6037991234567890122}}`, true},
		{`{body.bigs: {gt: 1500000}}`, true},
		{`{body.amount: {lt: 6037991234567890123}}`, true},
		{`{body.big: {gt: 1}}`, true},
		{`{body.small: {lt: 1e300}}`, true},
		// strings
		{`{body.card.number: "6037991234567893"}`, true},
		{`{body.card.holder: Ali}`, true},
		{`{body.card.holder: ali}`, false},
		{`{body.card.holder: {regex: "(?i)^ali$"}}`, true},
		{`{body.card.holder: {in: [Reza, Ali]}}`, true},
		// bools compare as "true"/"false"
		{`{body.flag: true}`, true},
		{`{body.flag: "true"}`, true},
		{`{body.flag: True}`, true},
		{`{body.flag: false}`, false},
		{`{body.flag: {ne: false}}`, true},
		// arrays by index
		{`{body.items.0.id: a1}`, true},
		{`{body.items.1.id: b2}`, true},
		{`{body.items.2.id: {ne: x}}`, true},
		{`{body.items.2.id: c3}`, false},
		{`{body.items.x.id: a1}`, false},
		// missing, null and non-scalar values
		{`{body.none: {ne: x}}`, true},
		{`{body.none: "null"}`, false},
		{`{body.missing: {ne: 1}}`, true},
		{`{body.missing: {lt: 1}}`, false},
		{`{body.missing: {in: [1]}}`, false},
		{`{body.obj: {ne: 1}}`, true},
		{`{body.obj: {regex: ".*"}}`, false},
		{`{body.list: {eq: 1}}`, false},
		{`{body.amount.deeper: 1}`, false},
		// all predicates must hold
		{`{tenant: qa-client, body.amount: {gte: 1000000}, query.trackId: {regex: "^qa-"}}`, true},
		{`{tenant: qa-client, body.amount: {gte: 2000000}, query.trackId: {regex: "^qa-"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			if got := holdAll(when(t, tt.when), in); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPredicatesJSONNumber(t *testing.T) {
	in := mapInput{body: jsonNumberBody(t, `{"amount": 6037991234567890123, "f": 1.50}`)}
	tests := []struct {
		when string
		want bool
	}{
		{`{body.amount: 6037991234567890123}`, true},
		{`{body.amount: 6037991234567890124}`, false},
		{`{body.amount: {gte: 6037991234567890123}}`, true},
		{`{body.f: 1.5}`, true},
		{`{body.f: {regex: "^1\\.50$"}}`, true}, // text as sent
	}
	for _, tt := range tests {
		if got := holdAll(when(t, tt.when), in); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.when, got, tt.want)
		}
	}
}

func TestPredicatesIntBody(t *testing.T) {
	in := mapInput{body: map[string]any{"n": 5, "huge": 1<<60 + 1, "f32": float32(2.5)}}
	tests := []struct {
		when string
		want bool
	}{
		{`{body.n: 5}`, true},
		{`{body.n: {regex: "^5$"}}`, true},
		{`{body.huge: 1152921504606846977}`, true},
		{`{body.huge: 1152921504606846976}`, false},
		{`{body.f32: {gt: 2.4, lt: 2.6}}`, true},
		{`{body.f32: "2.5"}`, true},
	}
	for _, tt := range tests {
		if got := holdAll(when(t, tt.when), in); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.when, got, tt.want)
		}
	}
}

func TestPredicateTenantMissing(t *testing.T) {
	in := mapInput{}
	if holdAll(when(t, `{tenant: ""}`), in) {
		t.Error(`tenant "" matched an absent tenant`)
	}
	if !holdAll(when(t, `{tenant: {ne: qa}}`), in) {
		t.Error("ne failed on an absent tenant")
	}
}

func TestNumberSyntax(t *testing.T) {
	tests := []struct {
		s  string
		ok bool
	}{
		{"0", true}, {"-12", true}, {"+3.5", true}, {".5", true}, {"5.", true}, {"1e3", true}, {"1E-3", true},
		{"", false}, {"-", false}, {".", false}, {"1e", false}, {"0x10", false}, {"1/2", false}, {"1_000", false},
		{"NaN", false}, {"Inf", false}, {" 1", false}, {"1 ", false}, {"1e1000000", false}, {"12a", false},
		{strings.Repeat("9", 101), false},
	}
	for _, tt := range tests {
		if got := newScalar(tt.s).isNum; got != tt.ok {
			t.Errorf("newScalar(%q).isNum = %v, want %v", tt.s, got, tt.ok)
		}
	}
}

func TestLookup(t *testing.T) {
	body := jsonBody(t, `{"a": {"b": [10, {"c": "x"}]}, "n": null}`)
	tests := []struct {
		path string
		want any
		ok   bool
	}{
		{"a.b.0", 10.0, true},
		{"a.b.1.c", "x", true},
		{"n", nil, true},
		{"a.b.2", nil, false},
		{"a.b.-1", nil, false},
		{"a.b.+1", nil, false},
		{"a.x", nil, false},
		{"a.b.0.c", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, ok := Lookup(body, tt.path)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tt.path, got, ok, tt.want, tt.ok)
		}
	}
}
