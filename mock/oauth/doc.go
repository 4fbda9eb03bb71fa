// Package oauth is the provider-neutral OAuth2 machinery that Finnotech and Sanbod
// share: HS256 JWTs, scope lists, deterministic ids, single-use authorization codes,
// the authorize → bank login → consent dance, a registry of issued tokens for listing
// and revocation, and one-time passwords for SMS-style logins.
//
// It knows no provider: claim names, token JSON shapes, pages and error envelopes live
// in the provider packages, which compose these pieces.
//
// Codes, consent sessions, passwords and tokens are rows of store tables, under the
// tenant of the client they belong to, so /_sandbox/reset, GET and PUT
// /_sandbox/state/{tenant} cover them like any other state, and every check-then-act
// (redeem a code, check a password, spend a rotating refresh token) is one update
// under the row's lock. Verifier keeps only what never changes (a token's signature
// and claims); it is a memory, not state, and the store still decides.
//
// Every time comes from the injected Clock so that tests and QA can move token and
// code expiry by advancing the simulated clock instead of sleeping.
//
// Everything expires at its expiry instant, not after it, as RFC 7519 says of "exp"
// and golang-jwt implements, so a token, the code it came from and its registry entry
// all stop working at the same moment.
package oauth

import "time"

// Clock is declared here rather than imported from mock/clock so this engine package
// depends on nothing but the standard library, golang-jwt and mock/store;
// mock/clock's clocks satisfy it.
type Clock interface{ Now() time.Time }

// Error is a constant error kind, so the package exposes no mutable error variables
// and callers compare with errors.Is.
type Error string

func (e Error) Error() string { return string(e) }

// Token errors. Parse wraps golang-jwt's own error beside one of these.
const (
	ErrMalformed   Error = "oauth: token is malformed"
	ErrSignature   Error = "oauth: token signature is invalid"
	ErrExpired     Error = "oauth: token is expired"
	ErrNotYetValid Error = "oauth: token is not valid yet"
	ErrIssuer      Error = "oauth: token has another issuer"
	ErrHeader      Error = "oauth: header may not override alg"
	ErrNoKey       Error = "oauth: signing key is empty"
	ErrTTL         Error = "oauth: token lifetime must be positive"
)

// Authorization code errors.
const (
	ErrCodeUnknown      Error = "oauth: authorization code is unknown"
	ErrCodeUsed         Error = "oauth: authorization code was already used"
	ErrCodeExpired      Error = "oauth: authorization code is expired"
	ErrClientMismatch   Error = "oauth: authorization code belongs to another client"
	ErrRedirectMismatch Error = "oauth: redirect_uri differs from the one authorized"
)

// Consent session errors.
const (
	ErrSessionUnknown  Error = "oauth: consent session is unknown"
	ErrSessionDone     Error = "oauth: consent session is already decided"
	ErrSessionExpired  Error = "oauth: consent session is expired"
	ErrNotLoggedIn     Error = "oauth: consent session has no logged-in user"
	ErrNoUser          Error = "oauth: user is empty"
	ErrNotOffered      Error = "oauth: chosen deposit was not offered"
	ErrRedirectInvalid Error = "oauth: redirect_uri is not an absolute URI"
)

// Registry errors.
const (
	ErrTokenUnknown Error = "oauth: token is unknown"
	ErrTokenRevoked Error = "oauth: token is revoked"
)

// One-time password errors.
const (
	ErrOTPUnknown Error = "oauth: no one-time password was issued"
	ErrOTPWrong   Error = "oauth: one-time password is wrong"
	ErrOTPExpired Error = "oauth: one-time password is expired"
	ErrOTPLocked  Error = "oauth: one-time password is spent by too many wrong tries"
)
