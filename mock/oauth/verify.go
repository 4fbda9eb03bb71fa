package oauth

import (
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Verifier verifies a provider's JWTs once and keeps what they say, typed, so an
// authenticated call does not decode the token's claims into a map again on every
// request (which was most of an authenticated read's cost). The signature and
// issuer of a token string never change, so they are checked once; its time claims
// are checked against the virtual clock on every call, exactly as Signer.Parse
// would, so expiry still holds and a clock moved back makes a token not yet valid
// again. Revocation is the registry's business and stays on the caller's path.
// It is safe for concurrent use.
type Verifier[C any] struct {
	signer *Signer
	decode func(token string, claims jwt.MapClaims) (C, error)
	max    int

	mu   sync.RWMutex
	seen map[string]*verified[C]
}

type verified[C any] struct {
	claims        C
	exp, nbf, iat time.Time // zero: the claim is absent
}

// NewVerifier returns a verifier for s's tokens; decode turns a verified token and
// its claims into the provider's typed claims (its error rejects the token as
// malformed and nothing is remembered). At
// most max tokens are remembered; past that the memory starts afresh.
func NewVerifier[C any](s *Signer, max int, decode func(token string, claims jwt.MapClaims) (C, error)) *Verifier[C] {
	return &Verifier[C]{signer: s, decode: decode, max: max, seen: map[string]*verified[C]{}}
}

// Verify returns the typed claims of token, or an error wrapping one of
// ErrMalformed, ErrSignature, ErrExpired, ErrNotYetValid or ErrIssuer, the errors
// of Signer.Parse.
func (v *Verifier[C]) Verify(token string) (C, error) {
	v.mu.RLock()
	e := v.seen[token]
	v.mu.RUnlock()
	if e == nil {
		claims, err := v.signer.Parse(token)
		if err != nil {
			var zero C
			return zero, err
		}
		c, err := v.decode(token, claims)
		if err != nil {
			var zero C
			return zero, ErrMalformed
		}
		e = &verified[C]{claims: c}
		if t, _ := claims.GetExpirationTime(); t != nil {
			e.exp = t.Time
		}
		if t, _ := claims.GetNotBefore(); t != nil {
			e.nbf = t.Time
		}
		if t, _ := claims.GetIssuedAt(); t != nil {
			e.iat = t.Time
		}
		v.mu.Lock()
		if len(v.seen) >= v.max {
			clear(v.seen)
		}
		v.seen[token] = e
		v.mu.Unlock()
		return c, nil
	}
	// The same comparisons, in the same order of precedence, as golang-jwt's
	// validator with the options NewSigner gives it.
	now := v.signer.clk.Now()
	switch {
	case !e.exp.IsZero() && !now.Before(e.exp):
		var zero C
		return zero, ErrExpired
	case !e.nbf.IsZero() && now.Before(e.nbf), !e.iat.IsZero() && now.Before(e.iat):
		var zero C
		return zero, ErrNotYetValid
	}
	return e.claims, nil
}
