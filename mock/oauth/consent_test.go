package oauth

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

func newConsents() (*fakeClock, *Codes, *Consents) {
	clk := newFakeClock()
	ids := NewIDs(1)
	st := store.New()
	codes := NewCodes(st, "codes", clk, ids, 10*time.Minute)
	return clk, codes, NewConsents(st, "consents", clk, ids, 15*time.Minute, codes)
}

func finnotechRequest(redirect, state string) Request {
	return Request{
		Provider: "finnotech", ClientID: "drops", RedirectURI: redirect, State: state,
		ResponseType: "code", Scopes: Scopes{"oak:statement:get", "oak:balance:get"}, Bank: "062",
		Extra: map[string]string{"limit": "350000", "count": "5"},
	}
}

func TestConsentApproveRedirect(t *testing.T) {
	tests := []struct {
		name     string
		redirect string
		state    string
		want     string // with CODE standing for the issued code
	}{
		{"plain", "https://www.drops.com/return", "123456", "https://www.drops.com/return?code=CODE&state=123456"},
		{"no state", "https://www.drops.com/return", "", "https://www.drops.com/return?code=CODE"},
		{"existing query kept in order and encoding", "https://app.example/cb?z=1&a=%E2%9C%93&flag", "s", "https://app.example/cb?z=1&a=%E2%9C%93&flag&code=CODE&state=s"},
		{"existing code and state replaced", "https://app.example/cb?code=old&x=1&state=old&error=e", "s", "https://app.example/cb?x=1&code=CODE&state=s"},
		{"state escaped", "http://localhost:3000/cb", "a b&c=d", "http://localhost:3000/cb?code=CODE&state=a+b%26c%3Dd"},
		{"empty query mark", "https://app.example/cb?", "s", "https://app.example/cb?code=CODE&state=s"},
		{"fragment stays last", "https://app.example/cb?x=1#frag", "s", "https://app.example/cb?x=1&code=CODE&state=s#frag"},
		{"custom scheme", "myapp://oauth/cb", "s", "myapp://oauth/cb?code=CODE&state=s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, codes, cs := newConsents()
			s := cs.Create(finnotechRequest(tt.redirect, tt.state))
			if _, err := cs.Login(s.ID, "0012345678", []string{"0302876214008", "0302876214009"}); err != nil {
				t.Fatal(err)
			}
			got, err := cs.Approve(s.ID, []string{"0302876214009"})
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			code := u.Query().Get("code")
			if want := replaceCode(tt.want, code); got != want || len(code) != 16 {
				t.Fatalf("redirect = %q, want %q", got, want)
			}
			if tt.state != "" && u.Query().Get("state") != tt.state {
				t.Fatalf("state round trip: %q", u.Query().Get("state"))
			}
			g, err := codes.Redeem(code, "drops", tt.redirect)
			if err != nil {
				t.Fatal(err)
			}
			want := Grant{
				ClientID: "drops", RedirectURI: tt.redirect, Subject: "0012345678",
				Scopes: Scopes{"oak:statement:get", "oak:balance:get"}, Deposits: []string{"0302876214009"},
				Data: map[string]string{"limit": "350000", "count": "5", DataBank: "062", DataConsent: s.ID},
			}
			if !reflect.DeepEqual(g, want) {
				t.Fatalf("grant = %+v\nwant    %+v", g, want)
			}
			after, _ := cs.Get(s.ID)
			if after.Status != StatusApproved || after.Redirect != got || !reflect.DeepEqual(after.Chosen, []string{"0302876214009"}) {
				t.Fatalf("session after approve = %+v", after)
			}
		})
	}
}

func replaceCode(s, code string) string { return strings.Replace(s, "CODE", code, 1) }

func TestConsentTransitions(t *testing.T) {
	offered := []string{"d1", "d2"}
	type op func(cs *Consents, clk *fakeClock, id string) error
	login := func(cs *Consents, _ *fakeClock, id string) error {
		_, err := cs.Login(id, "ela", offered)
		return err
	}
	approve := func(chosen ...string) op {
		return func(cs *Consents, _ *fakeClock, id string) error {
			_, err := cs.Approve(id, chosen)
			return err
		}
	}
	approveAs := func(cs *Consents, _ *fakeClock, id string) error {
		_, err := cs.ApproveAs(id, "ela", offered, nil)
		return err
	}
	deny := func(cs *Consents, _ *fakeClock, id string) error {
		_, err := cs.Deny(id)
		return err
	}
	advance := func(d time.Duration) op {
		return func(_ *Consents, clk *fakeClock, _ string) error {
			clk.Advance(d)
			return nil
		}
	}
	tests := []struct {
		name       string
		ops        []op
		want       []error
		status     string
		chosen     []string
		wantCodeOK bool
	}{
		{"login approve", []op{login, approve("d2")}, []error{nil, nil}, StatusApproved, []string{"d2"}, true},
		{"empty chosen means all offered", []op{login, approve()}, []error{nil, nil}, StatusApproved, offered, true},
		{"approve without login", []op{approve()}, []error{ErrNotLoggedIn}, StatusPending, nil, false},
		{"chosen not offered leaves session open", []op{login, approve("d3"), approve("d1")}, []error{nil, ErrNotOffered, nil}, StatusApproved, []string{"d1"}, true},
		{"approve twice", []op{login, approve(), approve()}, []error{nil, nil, ErrSessionDone}, StatusApproved, offered, true},
		{"deny then approve", []op{login, deny, approve()}, []error{nil, nil, ErrSessionDone}, StatusDenied, nil, false},
		{"deny twice", []op{deny, deny}, []error{nil, ErrSessionDone}, StatusDenied, nil, false},
		{"login after approve", []op{approveAs, login}, []error{nil, ErrSessionDone}, StatusApproved, offered, true},
		{"approveAs skips login", []op{approveAs}, []error{nil}, StatusApproved, offered, true},
		{"re-login replaces offer", []op{login, func(cs *Consents, _ *fakeClock, id string) error {
			_, err := cs.Login(id, "other", []string{"d9"})
			return err
		}, approve()}, []error{nil, nil, nil}, StatusApproved, []string{"d9"}, true},
		{"expired before login", []op{advance(15 * time.Minute), login}, []error{nil, ErrSessionExpired}, StatusExpired, nil, false},
		{"expired after login", []op{login, advance(15 * time.Minute), approve()}, []error{nil, nil, ErrSessionExpired}, StatusExpired, nil, false},
		{"approveAs expired", []op{advance(time.Hour), approveAs}, []error{nil, ErrSessionExpired}, StatusExpired, nil, false},
		{"deny expired", []op{advance(15 * time.Minute), deny}, []error{nil, ErrSessionExpired}, StatusExpired, nil, false},
		{"just in time", []op{advance(15*time.Minute - time.Second), approveAs}, []error{nil, nil}, StatusApproved, offered, true},
		{"decided never expires", []op{approveAs, advance(16 * time.Minute)}, []error{nil, nil}, StatusApproved, offered, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk, _, cs := newConsents()
			s := cs.Create(finnotechRequest("https://app.example/cb", "st"))
			if s.Status != StatusPending || !s.Expires.Equal(s.Created.Add(15*time.Minute)) || !uuidRE().MatchString(s.ID) {
				t.Fatalf("created %+v", s)
			}
			for i, o := range tt.ops {
				if err := o(cs, clk, s.ID); !errors.Is(err, tt.want[i]) {
					t.Fatalf("op %d: %v, want %v", i, err, tt.want[i])
				}
			}
			got, ok := cs.Get(s.ID)
			if !ok || got.Status != tt.status || !reflect.DeepEqual(got.Chosen, tt.chosen) {
				t.Fatalf("session = %+v, want status %s chosen %v", got, tt.status, tt.chosen)
			}
			if tt.wantCodeOK != (got.Status == StatusApproved && got.Redirect != "") {
				t.Fatalf("redirect %q for status %s", got.Redirect, got.Status)
			}
		})
	}
}

func TestConsentDenyRedirect(t *testing.T) {
	tests := []struct{ redirect, state, want string }{
		{"https://www.drops.com/return", "123456", "https://www.drops.com/return?error=access_denied&state=123456"},
		{"https://www.drops.com/return", "", "https://www.drops.com/return?error=access_denied"},
		{"https://a.example/cb?lang=fa", "x", "https://a.example/cb?lang=fa&error=access_denied&state=x"},
	}
	for _, tt := range tests {
		_, _, cs := newConsents()
		s := cs.Create(finnotechRequest(tt.redirect, tt.state))
		got, err := cs.Deny(s.ID)
		if err != nil || got != tt.want {
			t.Errorf("Deny = %q, %v; want %q", got, err, tt.want)
		}
	}
}

func TestConsentBadInput(t *testing.T) {
	_, _, cs := newConsents()
	for _, bad := range []string{"", "/relative/cb", "not a url", "mailto:someone@example.com", "http://[::1"} {
		s := cs.Create(finnotechRequest(bad, "s"))
		if _, err := cs.ApproveAs(s.ID, "u", nil, nil); !errors.Is(err, ErrRedirectInvalid) {
			t.Errorf("ApproveAs with redirect %q: %v", bad, err)
		}
		if _, err := cs.Deny(s.ID); !errors.Is(err, ErrRedirectInvalid) {
			t.Errorf("Deny with redirect %q: %v", bad, err)
		}
		if got, _ := cs.Get(s.ID); got.Status != StatusPending {
			t.Errorf("failed approve changed status to %s", got.Status)
		}
	}
	s := cs.Create(finnotechRequest("https://a.example/cb", ""))
	if _, err := cs.Login(s.ID, "", nil); !errors.Is(err, ErrNoUser) {
		t.Errorf("Login with no user: %v", err)
	}
	if _, err := cs.ApproveAs(s.ID, "", nil, nil); !errors.Is(err, ErrNoUser) {
		t.Errorf("ApproveAs with no user: %v", err)
	}
	for _, f := range []func() error{
		func() error { _, err := cs.Login("nope", "u", nil); return err },
		func() error { _, err := cs.Approve("nope", nil); return err },
		func() error { _, err := cs.ApproveAs("nope", "u", nil, nil); return err },
		func() error { _, err := cs.Deny("nope"); return err },
	} {
		if err := f(); !errors.Is(err, ErrSessionUnknown) {
			t.Errorf("unknown session: %v", err)
		}
	}
	if _, ok := cs.Get("nope"); ok {
		t.Error("Get of unknown session")
	}
}

func TestConsentIsolation(t *testing.T) {
	_, _, cs := newConsents()
	r := finnotechRequest("https://a.example/cb", "s")
	s := cs.Create(r)
	r.Scopes[0], r.Extra["limit"] = "x", "x"
	s.Request.Scopes[1] = "y"
	offered := []string{"d1"}
	if _, err := cs.Login(s.ID, "u", offered); err != nil {
		t.Fatal(err)
	}
	offered[0] = "changed"
	got, _ := cs.Get(s.ID)
	if got.Request.Scopes.String(",") != "oak:statement:get,oak:balance:get" || got.Request.Extra["limit"] != "350000" || got.Deposits[0] != "d1" {
		t.Fatalf("stored session shares memory with callers: %+v", got)
	}
}

func TestConsentList(t *testing.T) {
	clk, _, cs := newConsents()
	var ids []string
	for i, p := range []string{"finnotech", "sanbod", "finnotech", "finnotech"} {
		r := finnotechRequest("https://a.example/cb", "")
		r.Provider = p
		ids = append(ids, cs.Create(r).ID)
		if i < 2 {
			clk.Advance(time.Minute) // 0 and 1 differ in time; 2 and 3 tie and sort by id
		}
	}
	if _, err := cs.ApproveAs(ids[2], "u", nil, nil); err != nil {
		t.Fatal(err)
	}
	got := func(provider string, onlyOpen bool) []string {
		var out []string
		for _, s := range cs.List(provider, onlyOpen) {
			out = append(out, s.ID)
		}
		return out
	}
	tied := []string{ids[2], ids[3]}
	if tied[0] > tied[1] {
		tied[0], tied[1] = tied[1], tied[0]
	}
	tests := []struct {
		name     string
		provider string
		onlyOpen bool
		advance  time.Duration
		want     []string
	}{
		{"all finnotech", "finnotech", false, 0, append([]string{ids[0]}, tied...)},
		{"open finnotech", "finnotech", true, 0, []string{ids[0], ids[3]}},
		{"every provider", "", false, 0, append([]string{ids[0], ids[1]}, tied...)},
		{"sanbod", "sanbod", false, 0, []string{ids[1]}},
		{"unknown provider", "vandar", false, 0, nil},
		{"first one expired", "", true, 13*time.Minute + 30*time.Second, []string{ids[1], ids[3]}},
		{"all expired", "", true, time.Hour, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Advance(tt.advance)
			if g := got(tt.provider, tt.onlyOpen); !reflect.DeepEqual(g, tt.want) {
				t.Fatalf("List = %v, want %v", g, tt.want)
			}
		})
	}
}

func TestConsentSingleUseUnderConcurrency(t *testing.T) {
	_, codes, cs := newConsents()
	s := cs.Create(finnotechRequest("https://a.example/cb", "s"))
	var ok, done atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 50 {
		wg.Go(func() {
			<-start
			var err error
			if i%2 == 0 {
				_, err = cs.ApproveAs(s.ID, "u", []string{"d"}, nil)
			} else {
				_, err = cs.Deny(s.ID)
			}
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrSessionDone):
				done.Add(1)
			default:
				t.Errorf("unexpected %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if ok.Load() != 1 || done.Load() != 49 {
		t.Fatalf("%d decided, %d saw done", ok.Load(), done.Load())
	}
	if got, _ := cs.Get(s.ID); got.Status == StatusApproved {
		u, _ := url.Parse(got.Redirect)
		if _, err := codes.Redeem(u.Query().Get("code"), "drops", ""); err != nil {
			t.Fatalf("code from approval: %v", err)
		}
	}
}
