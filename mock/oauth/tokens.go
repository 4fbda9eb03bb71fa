package oauth

import (
	"cmp"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// TokenInfo is what the registry knows about one issued token.
type TokenInfo struct {
	ID       string    `json:"id"` // jti, or the value itself for opaque tokens
	ClientID string    `json:"clientId"`
	Kind     string    `json:"kind"` // access or refresh
	Grant    string    `json:"grant"`
	Scopes   Scopes    `json:"scopes"`
	Subject  string    `json:"subject,omitempty"`
	Issued   time.Time `json:"issued"`
	Expires  time.Time `json:"expires"` // zero: never expires
	Value    string    `json:"value"`
	Revoked  bool      `json:"revoked"`
	// RevokedAt is when it was revoked (or spent), from which a --retention
	// sweep counts (Expire).
	RevokedAt time.Time `json:"revokedAt,omitzero"`
	// Pair is the value of the token issued together with this one (an access
	// token's refresh token, and back), "" for a token issued alone. Revoking
	// either revokes both (Revoke).
	Pair string `json:"pair,omitempty"`
}

// Clone keeps stored rows independent of callers' copies.
func (t TokenInfo) Clone() TokenInfo {
	t.Scopes = slices.Clone(t.Scopes)
	return t
}

func (t TokenInfo) expired(now time.Time) bool {
	return !t.Expires.IsZero() && !now.Before(t.Expires)
}

// usable is the one check of a token's state, for Check and Spend alike.
func (t TokenInfo) usable(now time.Time) error {
	switch {
	case t.Revoked:
		return ErrTokenRevoked
	case t.expired(now):
		return ErrExpired
	}
	return nil
}

// Tokens records issued tokens so a provider can list a client's tokens and honour
// revocation, which a bare JWT cannot express. Rows live in a store table under the
// client's tenant, keyed by the token's value, so a tenant reset forgets its tokens
// and a restore brings them back. It is safe for concurrent use.
type Tokens struct {
	clk   Clock
	table *store.Table[TokenInfo]

	// owner remembers which tenant a value was issued to, so a bearer token is found
	// with one lookup instead of one per tenant. It is only a hint: the row itself
	// decides, so a reset or restore never makes it wrong, only stale.
	mu    sync.RWMutex
	owner map[string]string

	aged *store.Index[TokenInfo] // by time of death, with Retain only
}

// maxOwners bounds the hint map; past it the map starts afresh.
const maxOwners = 1 << 16

// NewTokens returns an empty registry kept in st as table name.
func NewTokens(st *store.Store, name string, clk Clock) *Tokens {
	// A token is a credential of the client it was issued to (a signed JWT names
	// it): restored into another tenant it would let the first client's token act
	// as the second, so a snapshot moved between tenants leaves tokens behind.
	return &Tokens{clk: clk, table: store.NewTable[TokenInfo](st, name).DropOnRetenant(), owner: map[string]string{}}
}

// Record stores t under its client, replacing a token with the same value. Opaque
// tokens have no jti, so an empty ID falls back to the value.
func (r *Tokens) Record(t TokenInfo) {
	t.Revoked, t.RevokedAt = false, time.Time{}
	if t.ID == "" {
		t.ID = t.Value
	}
	r.table.Put(t.ClientID, t.Value, t)
	r.remember(t.Value, t.ClientID)
}

// RecordPair stores an access token and the refresh token issued with it, each
// naming the other as its Pair, so that revoking one revokes both.
func (r *Tokens) RecordPair(access, refresh TokenInfo) {
	access.Pair, refresh.Pair = refresh.Value, access.Value
	r.Record(refresh)
	r.Record(access)
}

func (r *Tokens) remember(value, tenant string) {
	r.mu.Lock()
	if len(r.owner) >= maxOwners {
		clear(r.owner)
	}
	r.owner[value] = tenant
	r.mu.Unlock()
}

// lookup finds the token with value and the client it was issued to.
func (r *Tokens) lookup(value string) (string, TokenInfo, bool) {
	r.mu.RLock()
	tn, ok := r.owner[value]
	r.mu.RUnlock()
	if ok {
		if t, live := r.table.Get(tn, value); live {
			return tn, t, true
		}
	}
	tn, t, ok := r.table.Find(value)
	if ok {
		r.remember(value, tn)
	}
	return tn, t, ok
}

func (r *Tokens) tenant(value string) (string, bool) {
	tn, _, ok := r.lookup(value)
	return tn, ok
}

// ByValue returns the token whose value is value.
func (r *Tokens) ByValue(value string) (TokenInfo, bool) {
	_, t, ok := r.lookup(value)
	return t, ok
}

// Check returns the token whose value is value if it is still usable on the
// virtual clock. Providers use it for opaque refresh tokens, and after verifying a
// JWT to honour revocation.
func (r *Tokens) Check(value string) (TokenInfo, error) {
	t, ok := r.ByValue(value)
	if !ok {
		return TokenInfo{}, ErrTokenUnknown
	}
	return t, t.usable(r.clk.Now())
}

// Status is Check without the copy: the registry's verdict on a token whose facts
// the caller already holds (a provider's verified-token memory), on every call.
func (r *Tokens) Status(value string) error {
	r.mu.RLock()
	tn, ok := r.owner[value]
	r.mu.RUnlock()
	if !ok {
		if tn, ok = r.tenant(value); !ok {
			return ErrTokenUnknown
		}
	}
	now := r.clk.Now()
	err := error(ErrTokenUnknown)
	if r.table.Read(tn, value, func(t *TokenInfo) { err = t.usable(now) }) {
		return err
	}
	// The hint was stale (a reset, a restore into another tenant): look again.
	if tn, ok = r.tenant(value); !ok {
		return ErrTokenUnknown
	}
	r.table.Read(tn, value, func(t *TokenInfo) { err = t.usable(now) })
	return err
}

// Spend checks the token and revokes it in one step under its row's lock: the
// compare-and-swap a rotating refresh token needs, so that of any number of
// parallel refreshes with one token exactly one is told it may mint a new pair.
func (r *Tokens) Spend(value string) (TokenInfo, error) {
	tn, ok := r.tenant(value)
	if !ok {
		return TokenInfo{}, ErrTokenUnknown
	}
	now := r.clk.Now()
	var out TokenInfo
	err := r.table.Update(tn, value, func(t *TokenInfo) error {
		out = t.Clone()
		if err := t.usable(now); err != nil {
			return err
		}
		t.Revoked, t.RevokedAt = true, now
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return TokenInfo{}, ErrTokenUnknown
	}
	return out, err
}

// List returns the tokens of clientID ("" for all), oldest first. Without
// includeExpired only active tokens are listed; with it, expired and revoked ones
// come too, flagged.
func (r *Tokens) List(clientID string, includeExpired bool) []TokenInfo {
	now := r.clk.Now()
	tenants := []string{clientID}
	if clientID == "" {
		tenants = r.table.Tenants()
	}
	var out []TokenInfo
	for _, tn := range tenants {
		for _, it := range r.table.List(tn) {
			if !includeExpired && it.Value.usable(now) != nil {
				continue
			}
			out = append(out, it.Value)
		}
	}
	slices.SortFunc(out, func(a, b TokenInfo) int {
		return cmp.Or(a.Issued.Compare(b.Issued), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Revoke marks the token with that value revoked, and the token issued with it
// (its Pair) too. It reports whether the token is known, so a provider can choose
// between RFC 7009's silent success and an error; revoking twice is not an error.
//
// The two rows change in one step: the refresh token's row is locked first and the
// access token's inside it (always in that order, so two revokes of one pair
// cannot deadlock), so no request sees the access token revoked while its refresh
// token still mints, and a refresh that spends the refresh token (Spend, under the
// same row's lock) either happens wholly before the revoke or is refused.
func (r *Tokens) Revoke(value string) bool {
	tn, t, ok := r.lookup(value)
	if !ok {
		return false
	}
	now := r.clk.Now()
	// A second revoke keeps the first one's time, from which retention counts.
	revoke := func(t *TokenInfo) error {
		if !t.Revoked {
			t.Revoked, t.RevokedAt = true, now
		}
		return nil
	}
	if t.Pair == "" {
		return r.table.Update(tn, value, revoke) == nil
	}
	first, second := value, t.Pair
	if t.Kind != KindRefresh {
		first, second = second, first
	}
	err := r.table.Update(tn, first, func(t *TokenInfo) error {
		_ = revoke(t)
		if err := r.table.Update(tn, second, revoke); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		// The pair's row is gone (a restore without it): revoke the token alone.
		return r.table.Update(tn, value, revoke) == nil
	}
	return err == nil
}

// KindRefresh is TokenInfo.Kind of a refresh token.
const KindRefresh = "refresh"
