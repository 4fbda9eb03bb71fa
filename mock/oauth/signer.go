package oauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Signer mints and verifies HS256 JWTs against the injected clock. Both providers
// document HS256, so one symmetric key per provider (or tenant) is all the simulator
// needs. It is safe for concurrent use.
type Signer struct {
	clk    Clock
	key    []byte
	issuer string
	seq    atomic.Uint64
	parser *jwt.Parser
}

// NewSigner returns a signer. When issuer is not empty every token carries it as
// "iss" and Parse rejects tokens without it, so tokens of one simulated provider are
// not accepted by another that happens to share the key.
func NewSigner(clk Clock, key []byte, issuer string) *Signer {
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(clk.Now),
		jwt.WithIssuedAt(),
	}
	if issuer != "" {
		opts = append(opts, jwt.WithIssuer(issuer))
	}
	return &Signer{
		clk:    clk,
		key:    append([]byte(nil), key...),
		issuer: issuer,
		parser: jwt.NewParser(opts...),
	}
}

// Sign signs claims as they are, adding only "iss", so providers can reproduce their
// own payload layouts. header entries are added to the JOSE header (Sanbod puts
// "type" and "grant_type" there); "alg" cannot be changed because Parse accepts
// only HS256.
func (s *Signer) Sign(claims jwt.MapClaims, header map[string]any) (string, error) {
	if len(s.key) == 0 {
		return "", ErrNoKey
	}
	if alg, ok := header["alg"]; ok && alg != jwt.SigningMethodHS256.Alg() {
		return "", ErrHeader
	}
	c := maps.Clone(claims)
	if c == nil {
		c = jwt.MapClaims{}
	}
	if _, ok := c["iss"]; !ok && s.issuer != "" {
		c["iss"] = s.issuer
	}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	for k, v := range header {
		t.Header[k] = v
	}
	return t.SignedString(s.key)
}

// Claims describes a token for Issue. Extra holds the provider's own claims; it may
// not set the registered claims Issue manages (iss, sub, aud, jti, iat, exp).
type Claims struct {
	Subject, Audience, ID string
	TTL                   time.Duration
	Extra                 map[string]any
	Header                map[string]any
}

// Issue signs a token valid for c.TTL from now. Times are cut to whole seconds first,
// as JWT stores them, so the returned exp equals the token's "exp" and a provider's
// lifeTime/expires_in field agrees with it exactly.
func (s *Signer) Issue(c Claims) (token string, exp time.Time, err error) {
	if c.TTL <= 0 {
		return "", time.Time{}, ErrTTL
	}
	now := s.clk.Now().Truncate(time.Second)
	exp = now.Add(c.TTL)
	claims := jwt.MapClaims{}
	for k, v := range c.Extra {
		switch k {
		case "iss", "sub", "aud", "jti", "iat", "exp":
			return "", time.Time{}, fmt.Errorf("oauth: Extra may not set registered claim %q", k)
		}
		claims[k] = v
	}
	if c.Subject != "" {
		claims["sub"] = c.Subject
	}
	if c.Audience != "" {
		claims["aud"] = c.Audience
	}
	claims["jti"] = c.ID
	if c.ID == "" {
		claims["jti"] = s.nextID()
	}
	claims["iat"] = now.Unix()
	claims["exp"] = exp.Unix()
	token, err = s.Sign(claims, c.Header)
	if err != nil {
		return "", time.Time{}, err
	}
	return token, exp, nil
}

// nextID derives ids from the key and a counter so that they are unique per signer
// and reproducible across runs without the signer needing a random source.
func (s *Signer) nextID() string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(s.issuer))
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], s.seq.Add(1))
	m.Write(n[:])
	var b [16]byte
	copy(b[:], m.Sum(nil))
	return formatUUID(b)
}

// Parse verifies the signature and the time claims against the injected clock and
// returns the claims. The error wraps one of ErrMalformed, ErrSignature, ErrExpired,
// ErrNotYetValid or ErrIssuer together with golang-jwt's own error.
func (s *Signer) Parse(token string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := s.parser.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) {
		return s.key, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", classify(err), err)
	}
	return claims, nil
}

// classify orders the checks by what a caller must act on first: a forged token is
// reported as forged even if it has also expired.
func classify(err error) Error {
	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return ErrSignature
	case errors.Is(err, jwt.ErrTokenMalformed), errors.Is(err, jwt.ErrInvalidType):
		return ErrMalformed
	case errors.Is(err, jwt.ErrTokenInvalidIssuer), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		// iss is the only claim the parser is told to require.
		return ErrIssuer
	case errors.Is(err, jwt.ErrTokenExpired):
		return ErrExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return ErrNotYetValid
	}
	return ErrMalformed
}
