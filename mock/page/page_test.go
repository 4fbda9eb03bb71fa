package page

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func ints(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func TestLengthAwareKeysAndLinks(t *testing.T) {
	u := URLs{Path: "https://api.vandar.io/v2.1/business/acme/settlement"}
	p := NewLengthAware(u, Request{Page: 1, PerPage: 5}, Slice(ints(93)))
	b, _ := json.Marshal(p)
	want := `{"data":[1,2,3,4,5],"first":"https://api.vandar.io/v2.1/business/acme/settlement?page=1",` +
		`"last":"https://api.vandar.io/v2.1/business/acme/settlement?page=19","prev":null,` +
		`"next":"https://api.vandar.io/v2.1/business/acme/settlement?page=2","current_page":1,"from":1,` +
		`"last_page":19,"path":"https://api.vandar.io/v2.1/business/acme/settlement","per_page":5,"to":5,"total":93}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	empty := NewLengthAware(u, Request{Page: 3, PerPage: 5}, Slice([]int{}))
	b, _ = json.Marshal(empty)
	if !strings.Contains(string(b), `"data":[]`) || !strings.Contains(string(b), `"from":null`) || empty.LastPage != 1 || empty.Next != nil || empty.Prev == nil {
		t.Fatalf("empty page %s", b)
	}
}

func TestResource(t *testing.T) {
	u := URLs{Path: "https://api.vandar.io/v3/business/vandario/subscription/authorization", Appends: url.Values{"status": {"active"}}}
	p := NewResource(u, Request{Page: 1, PerPage: 20}, Slice(ints(2675)), ResourceOptions{MetaLinks: true})
	if p.Meta.LastPage != 134 || *p.Meta.To != 20 || p.Meta.Total != 2675 || p.Links.Prev != nil {
		t.Fatalf("%+v", p.Meta)
	}
	if p.Links.Last != u.Path+"?page=134&status=active" {
		t.Fatal(p.Links.Last)
	}
	var labels []string
	for _, l := range p.Meta.Links {
		labels = append(labels, l.Label)
	}
	got := strings.Join(labels, " ")
	if got != "« قبلی 1 2 3 4 5 6 7 8 9 10 ... 133 134 بعدی »" || !p.Meta.Links[1].Active || p.Meta.Links[0].URL != nil {
		t.Fatalf("meta.links %s", got)
	}
	mid := NewResource(u, Request{Page: 60, PerPage: 20}, Slice(ints(2675)), ResourceOptions{MetaLinks: true})
	labels = labels[:0]
	for _, l := range mid.Meta.Links {
		labels = append(labels, l.Label)
	}
	if got := strings.Join(labels, " "); got != "« قبلی 1 2 ... 57 58 59 60 61 62 63 ... 133 134 بعدی »" {
		t.Fatalf("slider %s", got)
	}
	plain := NewResource(URLs{Path: "/x"}, Request{}, Slice(ints(3)), ResourceOptions{})
	b, _ := json.Marshal(plain)
	if strings.Contains(string(b), `"links":[`) || plain.Meta.PerPage != 15 {
		t.Fatalf("%s", b)
	}
}

func TestCursor(t *testing.T) {
	all := []int{10, 20, 30, 40, 50}
	p := After(all, func(v int) bool { return v > 25 }, 2) // cursor row 25 was deleted
	if !p.HasMore || len(p.Data) != 2 || p.Data[0] != 30 {
		t.Fatalf("%+v", p)
	}
	p = After(all, func(v int) bool { return v > 30 }, 2)
	if p.HasMore || len(p.Data) != 2 {
		t.Fatalf("%+v", p)
	}
	calls := 0
	src := func(after string, limit int) []int {
		calls++
		if limit != 3 {
			t.Fatalf("asked %d", limit)
		}
		return []int{1, 2, 3}
	}
	c := NewCursor(src, "x", 2)
	if !c.HasMore || len(c.Data) != 2 || calls != 1 {
		t.Fatalf("%+v", c)
	}
}

func TestIndexMatchesPaynet(t *testing.T) {
	cases := []struct {
		q              IndexRequest
		n              int
		from, to, size int
		more           bool
	}{
		{IndexRequest{Limit: 15, EndingBefore: 90}, 100, 75, 89, 15, true},
		{IndexRequest{Limit: 15, EndingBefore: 10}, 100, 1, 9, 9, false},
		{IndexRequest{Limit: 10}, 25, 1, 10, 10, true},
		{IndexRequest{Limit: 10, StartingAfter: 20}, 25, 21, 25, 5, false},
		{IndexRequest{Limit: 10, StartingAfter: 30}, 25, 31, 30, 0, false},
		{IndexRequest{Limit: 10, EndingBefore: 40}, 25, 30, 29, 0, true},
		{IndexRequest{Limit: 10, EndingBefore: 1}, 25, 1, 0, 0, false},
	}
	for _, tc := range cases {
		rows, w := Index(tc.q, Slice(ints(tc.n)))
		if w.From != tc.from || w.To != tc.to || len(rows) != tc.size || w.Len() != tc.size || w.HasMore != tc.more || w.Total != tc.n {
			t.Errorf("%+v n=%d: %+v rows %d", tc.q, tc.n, w, len(rows))
		}
		if len(rows) > 0 && rows[0] != tc.from {
			t.Errorf("%+v: first row %d", tc.q, rows[0])
		}
	}
}
