package oauth

import (
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// Grant is what an authorization code stands for: who consented, to which client,
// for which scopes and deposits. Data carries provider extras (bank, limit, count,
// the consent id) to the token exchange without this package knowing them.
type Grant struct {
	ClientID    string            `json:"clientId"`
	RedirectURI string            `json:"redirectUri"`
	Subject     string            `json:"subject"`
	Scopes      Scopes            `json:"scopes"`
	Deposits    []string          `json:"deposits,omitempty"`
	Data        map[string]string `json:"data,omitempty"`
}

func (g Grant) clone() Grant {
	g.Scopes = slices.Clone(g.Scopes)
	g.Deposits = slices.Clone(g.Deposits)
	g.Data = maps.Clone(g.Data)
	return g
}

// codeRow is one stored code. Codes live in the store under the client's tenant,
// so a tenant reset, snapshot and restore cover them like any other state.
type codeRow struct {
	Grant   Grant     `json:"grant"`
	Expires time.Time `json:"expires"`
	Used    bool      `json:"used"`
}

// Clone keeps stored rows independent of callers' copies.
func (r codeRow) Clone() codeRow { r.Grant = r.Grant.clone(); return r }

// Retenant moves a code restored into another client's tenant to that client: a
// code is redeemed only by the client it names, and the restored consent is now
// the new client's (store.Retenanter).
func (r codeRow) Retenant(from, to string) (codeRow, bool) {
	if r.Grant.ClientID == from {
		r.Grant.ClientID = to
	}
	return r, true
}

// Codes holds single-use authorization codes in a store table. It is safe for
// concurrent use: a code is redeemed under its row's lock, so of any number of
// parallel redeems exactly one succeeds.
type Codes struct {
	clk   Clock
	ids   *IDs
	ttl   time.Duration
	table *store.Table[codeRow]
	aged  *store.Index[codeRow] // by expiry, with Retain only
}

// NewCodes returns codes that live for ttl, kept in st as table name.
func NewCodes(st *store.Store, name string, clk Clock, ids *IDs, ttl time.Duration) *Codes {
	return &Codes{clk: clk, ids: ids, ttl: ttl, table: store.NewTable[codeRow](st, name)}
}

// Issue stores g under its client's tenant and returns a fresh 16-character
// alphanumeric code, the format of Finnotech's documented examples.
func (c *Codes) Issue(g Grant) string {
	now := c.clk.Now()
	c.purge(g.ClientID, now)
	row := codeRow{Grant: g.clone(), Expires: now.Add(c.ttl)}
	for {
		code := c.ids.Alnum(16)
		if c.table.Insert(g.ClientID, code, row) {
			return code
		}
	}
}

// purge forgets a tenant's codes one more ttl after they expire: long enough that a
// late replay is still told ErrCodeUsed or ErrCodeExpired, short enough that a
// long-running server does not grow without bound.
func (c *Codes) purge(tenant string, now time.Time) {
	for _, it := range c.table.List(tenant) {
		if now.After(it.Value.Expires.Add(c.ttl)) {
			c.table.Delete(tenant, it.ID)
		}
	}
}

// Redeem exchanges code for its grant. Only a successful redeem consumes the code: a
// request from the wrong client or with the wrong redirect_uri must not let an
// attacker burn a victim's code. redirectURI "" skips that check, for providers
// (Sanbod) whose exchange does not send it.
func (c *Codes) Redeem(code, clientID, redirectURI string) (Grant, error) {
	return c.RedeemIf(code, clientID, redirectURI, nil)
}

// RedeemIf is Redeem with the provider's own checks of the grant (the bank of a
// Finnotech exchange) made under the code's lock before it is consumed: a check that
// fails leaves the code usable, and two parallel exchanges cannot both pass.
// Codes are kept under the client's tenant, so another client's code is unknown
// to clientID.
func (c *Codes) RedeemIf(code, clientID, redirectURI string, check func(Grant) error) (Grant, error) {
	now := c.clk.Now()
	var out Grant
	err := c.table.Update(clientID, code, func(r *codeRow) error {
		switch {
		case r.Used:
			return ErrCodeUsed
		case !now.Before(r.Expires):
			return ErrCodeExpired
		case r.Grant.ClientID != clientID:
			return ErrClientMismatch
		case redirectURI != "" && r.Grant.RedirectURI != redirectURI:
			return ErrRedirectMismatch
		}
		if check != nil {
			if err := check(r.Grant.clone()); err != nil {
				return err
			}
		}
		r.Used = true
		out = r.Grant.clone()
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return Grant{}, ErrCodeUnknown
	}
	if err != nil {
		return Grant{}, err
	}
	return out, nil
}
