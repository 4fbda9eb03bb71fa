package sanbod_test

import (
	"encoding/json"
	"net/url"
	"testing"
)

// TestStateRestoreBringsBackOAuth: a tenant's snapshot carries its access token,
// refresh token and pending consent; a reset kills all three; a restore brings them
// back, and a token issued after the snapshot stays dead.
func TestStateRestoreBringsBackOAuth(t *testing.T) {
	c := newClient(t)
	access, refresh := c.ac("059", nil, "statement")
	session := c.authorize("059", "statement")
	stmt := map[string]any{"depositNumber": dep4}
	statement := func(tok string) int { return c.post("/banks/v1/statement", stmt, bearer(tok)...).Status }
	renew := func() int {
		return c.post("/oauth/v1/token", map[string]any{"grant_type": "refresh_token", "refresh_token": refresh}, c.basic()...).Status
	}
	approve := func() (string, int) {
		var out struct{ Redirect string }
		st := c.srv.Admin.Do("POST", "/sanbod/consents/"+session+"/approve", map[string]any{"national_code": natCode}, &out)
		u, _ := url.Parse(out.Redirect)
		return u.Query().Get("code"), st
	}
	if statement(access) != 200 {
		t.Fatal("token does not work before the snapshot")
	}

	var snap json.RawMessage
	if st := c.srv.Admin.Do("GET", "/state/"+c.id, nil, &snap); st != 200 {
		t.Fatalf("snapshot: %d", st)
	}
	later := c.cc("cardtoiban")
	laterAC, _ := c.ac("059", nil, "statement")

	c.srv.Admin.Reset(c.id)
	if statement(access) != 401 || statement(laterAC) != 401 || renew() != 400 {
		t.Fatal("a tenant reset left its tokens working")
	}
	if _, st := approve(); st == 200 {
		t.Fatal("a tenant reset left its pending consent")
	}

	if st := c.srv.Admin.Do("PUT", "/state/"+c.id, snap, nil); st != 200 {
		t.Fatalf("restore: %d", st)
	}
	if st := statement(access); st != 200 {
		t.Fatalf("restored access token: %d", st)
	}
	if st := renew(); st != 200 {
		t.Fatalf("restored refresh token: %d", st)
	}
	code, st := approve()
	if st != 200 {
		t.Fatalf("restored consent: %d", st)
	}
	if a, _ := c.tokens(map[string]any{"grant_type": "authorization_code", "code": code}); statement(a) != 200 {
		t.Fatal("token from the restored consent does not work")
	}
	if statement(laterAC) != 401 {
		t.Fatal("a token issued after the snapshot works after the restore")
	}
	if r := c.post("/banks/v1/statement", stmt, bearer(later)...); r.Status != 401 {
		t.Fatalf("a client-credentials token issued after the snapshot: %d", r.Status)
	}
}

// TestRevokeEndsThePair: revoking an access token revokes the refresh token issued
// with it, and revoking a refresh token revokes its access token (RFC 7009 §2.1);
// a pair minted by an earlier refresh is a pair of its own and lives on.
func TestRevokeEndsThePair(t *testing.T) {
	c := newClient(t)
	stmt := map[string]any{"depositNumber": dep4}
	statement := func(tok string) int { return c.post("/banks/v1/statement", stmt, bearer(tok)...).Status }
	renew := func(tok string) reply {
		return c.post("/oauth/v1/token", map[string]any{"grant_type": "refresh_token", "refresh_token": tok}, c.basic()...)
	}
	revoke := func(tok string) {
		t.Helper()
		if r := c.post("/oauth/v1/revoke", map[string]any{"access_token": tok}); r.Status != 200 {
			t.Fatalf("revoke: %d %s", r.Status, r.Raw)
		}
	}

	// Revoking the access token: its refresh token no longer mints.
	access, refresh := c.ac("059", nil, "statement")
	revoke(access)
	if st := statement(access); st != 401 {
		t.Fatalf("revoked access token: %d", st)
	}
	if r := renew(refresh); r.Status != 400 {
		t.Fatalf("refresh token of a revoked access token: %d %s", r.Status, r.Raw)
	}

	// Revoking the refresh token: its access token stops working.
	access, refresh = c.ac("059", nil, "statement")
	revoke(refresh)
	if st := statement(access); st != 401 {
		t.Fatalf("access token of a revoked refresh token: %d", st)
	}
	if r := renew(refresh); r.Status != 400 {
		t.Fatalf("revoked refresh token: %d %s", r.Status, r.Raw)
	}

	// After a refresh, revoking the first access token leaves the new pair alone
	// (its refresh token was spent by the rotation), and revoking the new pair's
	// access token ends the new refresh token.
	access, refresh = c.ac("059", nil, "statement")
	r := renew(refresh)
	if r.Status != 200 {
		t.Fatalf("refresh: %d %s", r.Status, r.Raw)
	}
	m := r.json(t)
	access2, refresh2 := m["access_token"].(string), m["refresh_token"].(string)
	revoke(access)
	if st := statement(access2); st != 200 {
		t.Fatalf("new access token after the old one's revoke: %d", st)
	}
	revoke(access2)
	if r := renew(refresh2); r.Status != 400 {
		t.Fatalf("refresh token of the revoked new pair: %d %s", r.Status, r.Raw)
	}

	// A client-credentials pair is a pair too.
	cc, ccRefresh := c.tokens(map[string]any{"grant_type": "client_credentials", "scope": []string{"cardtoiban"}, "provider_code": "999"})
	revoke(cc)
	if r := renew(ccRefresh); r.Status != 400 {
		t.Fatalf("refresh token of a revoked client-credentials token: %d %s", r.Status, r.Raw)
	}
}
