package finnotech_test

import (
	"encoding/json"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// pendingConsent starts an authorize call and returns the consent session id.
func pendingConsent(c *client, redirect string) string {
	c.t.Helper()
	q := url.Values{"client_id": {c.id}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {"oak:balance:get"}, "bank": {"062"}, "state": {"st-2"}}
	return location(c.t, c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil)).Query().Get("session")
}

// approve decides a session through the control plane and returns its code, or ""
// with the status when it could not.
func approve(c *client, session string) (string, int) {
	c.t.Helper()
	var ap struct{ Redirect string }
	st := c.srv.Admin.Do("POST", "/finnotech/consents/"+session+"/approve", map[string]any{"user": "1111111111"}, &ap)
	if st != 200 {
		return "", st
	}
	back, _ := url.Parse(ap.Redirect)
	return back.Query().Get("code"), st
}

// TestStateRestoreBringsBackOAuth: a tenant's snapshot carries its access token,
// refresh token and pending consent; a reset kills all three; a restore brings them
// back, and a token issued after the snapshot stays dead.
func TestStateRestoreBringsBackOAuth(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	const redirect = "https://app.example/return"
	access, res := c.codeToken("062", "1111111111", "", "oak:balance:get")
	refresh := res.str("result.refreshToken")
	session := pendingConsent(c, redirect)
	balance := func(tok string) int {
		return c.bearer(tok, "GET", "/oak/v2/clients/drops/deposits/0211111111111/balance/", nil).Status
	}
	renew := func() int {
		return c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CODE", "bank": "062", "refresh_token": refresh}).Status
	}
	if balance(access) != 200 {
		t.Fatal("token does not work before the snapshot")
	}

	var snap json.RawMessage
	if st := srv.Admin.Do("GET", "/state/drops", nil, &snap); st != 200 {
		t.Fatalf("snapshot: %d", st)
	}
	later, _ := c.codeToken("062", "1111111111", "", "oak:balance:get")

	srv.Admin.Reset("drops")
	if balance(access) != 403 || balance(later) != 403 || renew() != 400 {
		t.Fatal("a tenant reset left its tokens working")
	}
	if _, st := approve(c, session); st == 200 {
		t.Fatal("a tenant reset left its pending consent")
	}

	if st := srv.Admin.Do("PUT", "/state/drops", snap, nil); st != 200 {
		t.Fatalf("restore: %d", st)
	}
	if st := balance(access); st != 200 {
		t.Fatalf("restored access token: %d", st)
	}
	if st := renew(); st != 200 {
		t.Fatalf("restored refresh token: %d", st)
	}
	code, st := approve(c, session)
	if st != 200 {
		t.Fatalf("restored consent: %d", st)
	}
	if r := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "062", "redirect_uri": redirect}); r.Status != 200 {
		t.Fatalf("code of the restored consent: %d %s", r.Status, r.Raw)
	}
	if balance(later) != 403 {
		t.Fatal("a token issued after the snapshot works after the restore")
	}
}

// TestCodeCheckedBeforeSpent: an exchange with the wrong bank is refused and the
// code still works for the right one (it was burnt before the check).
func TestCodeCheckedBeforeSpent(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	const redirect = "https://app.example/return"
	code, _ := approve(c, pendingConsent(c, redirect))
	if r := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "016", "redirect_uri": redirect}); r.Status != 400 {
		t.Fatalf("wrong bank: %d %s", r.Status, r.Raw)
	}
	if r := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "062", "redirect_uri": redirect}); r.Status != 200 {
		t.Fatalf("right bank after a wrong one: %d %s", r.Status, r.Raw)
	}
}

// TestCodeRedeemedOnceUnderRace: 100 parallel exchanges of one code mint one token.
func TestCodeRedeemedOnceUnderRace(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	const redirect = "https://app.example/return"
	code, _ := approve(c, pendingConsent(c, redirect))
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			r := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "062", "redirect_uri": redirect})
			switch r.Status {
			case 200:
				ok.Add(1)
			case 400:
				refused.Add(1)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || refused.Load() != 99 {
		t.Fatalf("%d exchanges succeeded, %d refused; want 1 and 99", ok.Load(), refused.Load())
	}
}
