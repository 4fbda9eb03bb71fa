package finnotech_test

import (
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// Issue 16 item 8: with --retention, a consumed trackId and the SMS outbox are
// forgotten once older than it (the trackId may be sent again, the admin outbox
// no longer lists the message); without one they are kept for ever.
func TestRetentionForgetsTrackIDsAndSMS(t *testing.T) {
	for _, tt := range []struct {
		name   string
		config string
		forget bool
	}{
		{"24h", "retention: 24h\n", true},
		{"off", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := sandbanktest.Start(t, sandbanktest.WithClock(t0), sandbanktest.WithConfig(tt.config))
			c := newClient(t, srv, "drops")
			list := func() int {
				cc := c.ccToken("card:list:get")
				return c.bearer(cc, "GET", "/mpg/v2/clients/drops/cards?mobile=09121234567&trackId=list-1", nil).Status
			}
			if s := list(); s != 200 {
				t.Fatalf("first use of a trackId: %d", s)
			}
			if s := list(); s != 400 {
				t.Fatalf("reuse of a trackId: %d, want 400", s)
			}
			smsLogin(t, srv, c)
			outbox := func() int {
				var box struct{ Messages []struct{ TrackID string } }
				srv.Admin.Get("/finnotech/otp?mobile=09121234567", &box)
				return len(box.Messages)
			}
			srv.Admin.Advance("23h")
			if outbox() != 1 || list() != 400 {
				t.Fatal("forgotten within the retention")
			}
			srv.Admin.Advance("4h") // past it, and past the next sweep (every 3h)
			if tt.forget {
				if n := outbox(); n != 0 {
					t.Fatalf("%d SMS left past the retention", n)
				}
				if s := list(); s != 200 {
					t.Fatalf("a trackId past the retention: %d, want it usable again", s)
				}
				return
			}
			if outbox() != 1 || list() != 400 {
				t.Fatal("forgotten without a retention")
			}
		})
	}
}

// Issue 16 item 8: with --retention, a token revoked longer than it ago goes
// with its refresh token (both answered "invalid" already); a token not
// revoked stays however old, since its refresh token never expires and stays
// valid after use (§2.4). Without a retention the revoked token stays listed.
func TestRetentionDropsRevokedTokens(t *testing.T) {
	for _, tt := range []struct {
		name, config string
		drop         bool
	}{
		{"24h", "retention: 24h\n", true},
		{"off", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := sandbanktest.Start(t, sandbanktest.WithClock(t0), sandbanktest.WithConfig(tt.config))
			c := newClient(t, srv, "drops")
			scopes := "card:list:get,boomrang:tokens:get"
			kept := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": scopes})
			gone := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": scopes})
			value := gone.str("result.value")
			if r := c.bearer(value, "DELETE", "/dev/v2/clients/drops/token", map[string]any{"token": value, "token_type": "CLIENT-CREDENTIAL"}); r.Status != 200 {
				t.Fatalf("revoke: %d %s", r.Status, r.Raw)
			}
			srv.Admin.Advance("28h") // past the retention and a sweep (every 3h)
			refresh := func(rt string) reply {
				return c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CLIENT-CREDENTIAL", "refresh_token": rt})
			}
			fresh := refresh(kept.str("result.refreshToken"))
			if fresh.Status != 200 {
				t.Fatalf("the kept token's refresh: %d %s", fresh.Status, fresh.Raw)
			}
			if r := refresh(gone.str("result.refreshToken")); r.Status != 400 {
				t.Fatalf("the revoked token's refresh: %d %s", r.Status, r.Raw)
			}
			r := c.bearer(fresh.str("result.value"), "GET", "/dev/v2/clients/drops/tokens", nil)
			items, _ := r.field("result.clientCredentials").([]any)
			want := 3 // kept, revoked, fresh
			if tt.drop {
				want = 2
			}
			if len(items) != want {
				t.Fatalf("%d tokens listed, want %d: %s", len(items), want, r.Raw)
			}
		})
	}
}

// A token whose access token expired and whose refresh token went unused for
// the whole retention is forgotten (a client refreshing for ever would
// otherwise grow the table for ever); one refreshed within it stays, as every
// token does with retention off.
func TestRetentionDropsIdleTokens(t *testing.T) {
	for _, tt := range []struct {
		name, config string
		drop         bool
	}{
		{"24h", "retention: 24h\n", true},
		{"off", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := sandbanktest.Start(t, sandbanktest.WithClock(t0), sandbanktest.WithConfig(tt.config))
			c := newClient(t, srv, "idle")
			scopes := "card:list:get,boomrang:tokens:get"
			idle := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": scopes})
			used := c.tokenCall(map[string]any{"grant_type": "client_credentials", "nid": "0012345678", "scopes": scopes})
			refresh := func(rt string) reply {
				return c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CLIENT-CREDENTIAL", "refresh_token": rt})
			}
			srv.Admin.Advance("10d") // both access tokens expire (§2.1: ten days)
			srv.Admin.Advance("12h") // within the retention after expiry
			if r := refresh(used.str("result.refreshToken")); r.Status != 200 {
				t.Fatalf("refresh within the retention: %d %s", r.Status, r.Raw)
			}
			srv.Admin.Advance("16h") // the idle one is 28h past expiry, the used one 16h past its refresh
			r := refresh(idle.str("result.refreshToken"))
			if tt.drop && r.Status != 400 || !tt.drop && r.Status != 200 {
				t.Fatalf("the idle token's refresh: %d %s", r.Status, r.Raw)
			}
			if r := refresh(used.str("result.refreshToken")); r.Status != 200 {
				t.Fatalf("the token refreshed 16h ago: %d %s", r.Status, r.Raw)
			}
		})
	}
}
