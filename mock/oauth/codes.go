package oauth

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// Grant is what an authorization code stands for: who consented, to which client,
// for which scopes and deposits. Data carries provider extras (bank, limit, count,
// the consent id) to the token exchange without this package knowing them.
type Grant struct {
	ClientID, RedirectURI, Subject string
	Scopes                         Scopes
	Deposits                       []string
	Data                           map[string]string
}

func (g Grant) clone() Grant {
	g.Scopes = slices.Clone(g.Scopes)
	g.Deposits = slices.Clone(g.Deposits)
	g.Data = maps.Clone(g.Data)
	return g
}

// Codes holds single-use authorization codes. It is safe for concurrent use.
type Codes struct {
	clk Clock
	ids *IDs
	ttl time.Duration

	mu    sync.Mutex
	codes map[string]*codeEntry
}

type codeEntry struct {
	grant   Grant
	expires time.Time
	used    bool
}

// NewCodes returns a store whose codes live for ttl.
func NewCodes(clk Clock, ids *IDs, ttl time.Duration) *Codes {
	return &Codes{clk: clk, ids: ids, ttl: ttl, codes: map[string]*codeEntry{}}
}

// Issue stores g and returns a fresh 16-character alphanumeric code, the format of
// Finnotech's documented examples.
func (c *Codes) Issue(g Grant) string {
	now := c.clk.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purge(now)
	code := c.ids.Alnum(16)
	for c.codes[code] != nil {
		code = c.ids.Alnum(16)
	}
	c.codes[code] = &codeEntry{grant: g.clone(), expires: now.Add(c.ttl)}
	return code
}

// purge forgets codes one more ttl after they expire: long enough that a late replay
// is still told ErrCodeUsed or ErrCodeExpired, short enough that a long-running
// server does not grow without bound.
func (c *Codes) purge(now time.Time) {
	for k, e := range c.codes {
		if now.After(e.expires.Add(c.ttl)) {
			delete(c.codes, k)
		}
	}
}

// Redeem exchanges code for its grant. Only a successful redeem consumes the code: a
// request from the wrong client or with the wrong redirect_uri must not let an
// attacker burn a victim's code. redirectURI "" skips that check, for providers
// (Sanbod) whose exchange does not send it.
func (c *Codes) Redeem(code, clientID, redirectURI string) (Grant, error) {
	now := c.clk.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.codes[code]
	switch {
	case e == nil:
		return Grant{}, ErrCodeUnknown
	case e.used:
		return Grant{}, ErrCodeUsed
	case !now.Before(e.expires):
		return Grant{}, ErrCodeExpired
	case e.grant.ClientID != clientID:
		return Grant{}, ErrClientMismatch
	case redirectURI != "" && e.grant.RedirectURI != redirectURI:
		return Grant{}, ErrRedirectMismatch
	}
	e.used = true
	return e.grant.clone(), nil
}

// Reset forgets every code, for /_sandbox/reset.
func (c *Codes) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.codes)
}
