package oauth

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// TokenInfo is what the registry knows about one issued token.
type TokenInfo struct {
	ID       string // jti, or the value itself for opaque tokens
	ClientID string
	Kind     string // access or refresh
	Grant    string
	Scopes   Scopes
	Subject  string
	Issued   time.Time
	Expires  time.Time // zero: never expires, as Finnotech documents no refresh lifetime
	Value    string
	// Revoked is filled in on reads; Record ignores it.
	Revoked bool
}

func (t TokenInfo) clone() TokenInfo {
	t.Scopes = slices.Clone(t.Scopes)
	return t
}

func (t TokenInfo) expired(now time.Time) bool {
	return !t.Expires.IsZero() && !now.Before(t.Expires)
}

// Tokens records issued tokens so a provider can list a client's tokens and honour
// revocation, which a bare JWT cannot express. It is safe for concurrent use.
type Tokens struct {
	clk Clock

	mu      sync.Mutex
	byID    map[string]*TokenInfo
	byValue map[string]string // value → id
}

// NewTokens returns an empty registry.
func NewTokens(clk Clock) *Tokens {
	return &Tokens{clk: clk, byID: map[string]*TokenInfo{}, byValue: map[string]string{}}
}

// Record stores t, replacing a token with the same id. Opaque tokens (Finnotech's
// refresh tokens) have no jti, so an empty ID falls back to the value.
func (r *Tokens) Record(t TokenInfo) {
	t = t.clone()
	t.Revoked = false
	if t.ID == "" {
		t.ID = t.Value
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.byID[t.ID]; ok && old.Value != "" {
		delete(r.byValue, old.Value)
	}
	r.byID[t.ID] = &t
	if t.Value != "" {
		r.byValue[t.Value] = t.ID
	}
}

// Get returns the token with id.
func (r *Tokens) Get(id string) (TokenInfo, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.byID[id]
	if !ok {
		return TokenInfo{}, false
	}
	return t.clone(), true
}

// ByValue returns the token whose value is value.
func (r *Tokens) ByValue(value string) (TokenInfo, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.find(value, false)
	if t == nil {
		return TokenInfo{}, false
	}
	return t.clone(), true
}

// find looks a token up by value, and by id too when byID. Callers hold r.mu.
func (r *Tokens) find(s string, byID bool) *TokenInfo {
	if byID {
		if t, ok := r.byID[s]; ok {
			return t
		}
	}
	if id, ok := r.byValue[s]; ok {
		return r.byID[id]
	}
	return nil
}

// Check returns the token whose value is value if it is still usable. Providers use
// it for opaque refresh tokens, and after Signer.Parse to honour revocation.
func (r *Tokens) Check(value string) (TokenInfo, error) {
	now := r.clk.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.find(value, false)
	switch {
	case t == nil:
		return TokenInfo{}, ErrTokenUnknown
	case t.Revoked:
		return t.clone(), ErrTokenRevoked
	case t.expired(now):
		return t.clone(), ErrExpired
	}
	return t.clone(), nil
}

// List returns the tokens of clientID ("" for all), oldest first. Without
// includeExpired only active tokens are listed; with it, expired and revoked ones
// come too, flagged, as Finnotech's token list carries an "active" flag.
func (r *Tokens) List(clientID string, includeExpired bool) []TokenInfo {
	now := r.clk.Now()
	r.mu.Lock()
	out := make([]TokenInfo, 0, len(r.byID))
	for _, t := range r.byID {
		if clientID != "" && t.ClientID != clientID {
			continue
		}
		if !includeExpired && (t.Revoked || t.expired(now)) {
			continue
		}
		out = append(out, t.clone())
	}
	r.mu.Unlock()
	slices.SortFunc(out, func(a, b TokenInfo) int {
		return cmp.Or(a.Issued.Compare(b.Issued), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Revoke marks the token with that id or value revoked. It reports whether the token
// is known, so a provider can choose between RFC 7009's silent success and an error;
// revoking twice is not an error.
func (r *Tokens) Revoke(idOrValue string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.find(idOrValue, true)
	if t == nil {
		return false
	}
	t.Revoked = true
	return true
}

// Revoked reports whether the token with that id (or value) was revoked.
func (r *Tokens) Revoked(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.find(id, true)
	return t != nil && t.Revoked
}

// Reset forgets every token.
func (r *Tokens) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.byID)
	clear(r.byValue)
}

// ResetClient forgets the tokens of one client, for a per-tenant reset.
func (r *Tokens) ResetClient(clientID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, t := range r.byID {
		if t.ClientID == clientID {
			delete(r.byID, id)
			if t.Value != "" {
				delete(r.byValue, t.Value)
			}
		}
	}
}
