package sanbod_test

import (
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// Issue 16 item 8: with --retention, tokens expired, spent or revoked longer
// than it ago go, and consent sessions expired longer ago; a live token stays.
// A dropped refresh token answers as unknown. Without a retention every row is
// kept.
func TestRetentionDropsDeadTokensAndConsents(t *testing.T) {
	for _, tt := range []struct {
		name, config string
		drop         bool
	}{
		{"24h", "retention: 24h\n", true},
		{"off", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, sandbanktest.WithConfig(tt.config))
			c.cc("cardtoiban")                                                              // expires in an hour
			_, spent := c.ac("059", nil, "statement")                                       // spent by the refresh below
			c.tokens(map[string]any{"grant_type": "refresh_token", "refresh_token": spent}) // a live pair
			c.authorize("059", "statement")                                                 // a dance never finished
			count := func() (tokens, consents int) {
				var tk struct{ Tokens []map[string]any }
				var cs struct{ Consents []map[string]any }
				c.srv.Admin.Do("GET", "/sanbod/tokens?all=1", nil, &tk)
				c.srv.Admin.Do("GET", "/sanbod/consents?all=1", nil, &cs)
				return len(tk.Tokens), len(cs.Consents)
			}
			tokens, consents := count()
			if tokens != 6 || consents != 2 {
				t.Fatalf("%d tokens, %d consents before", tokens, consents)
			}
			c.srv.Admin.Advance("28h") // past the retention and a sweep (every 3h)
			tokens, consents = count()
			// Kept: the two refresh tokens not spent (they live a year). The three
			// access tokens expired an hour after issue and the spent refresh
			// token died at the refresh, more than the retention ago.
			wantTokens, wantConsents := 6, 2
			if tt.drop {
				wantTokens, wantConsents = 2, 0
			}
			if tokens != wantTokens || consents != wantConsents {
				t.Fatalf("%d tokens, %d consents after; want %d, %d", tokens, consents, wantTokens, wantConsents)
			}
			// Spent, then dropped: refused all the same.
			c.post("/oauth/v1/token", map[string]any{"grant_type": "refresh_token", "refresh_token": spent}, c.basic()...).errField(t, 400, "refresh_token")
		})
	}
}
