package sanbod

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// traceID is the request's ?traceid=, any non-empty string (UUIDs from the Go SDK,
// <unix>-<digits> from the PHP client, numbers from the doc).
func traceID(c echo.Context) string { return c.QueryParam("traceid") }

// traceEcho is the traceid as answers echo it under "traceid": the documentation's
// service examples end "traceid": 123, a number, for their traceid of digits, so
// a traceid of digits goes back as a JSON number; anything else (the Go SDK's
// UUIDs, the PHP client's <unix>-<digits>) as the string sent. Digits with a
// leading zero or more than 15 of them stay a string: the first is no JSON
// number and the second would lose digits in a JavaScript client.
type traceEcho string

func (t traceEcho) MarshalJSON() ([]byte, error) {
	s := string(t)
	if numericTrace(s) {
		return []byte(s), nil
	}
	return json.Marshal(s)
}

func numericTrace(s string) bool {
	if s == "" || len(s) > 15 || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkTrace rejects a call without traceid, which the documentation marks required on
// every service; the config can relax it everywhere. Refresh and revoke never
// need one: the documentation's own examples of them send none.
func (p *Provider) checkTrace(c echo.Context) error {
	if p.cfg.traceRequired && strings.TrimSpace(traceID(c)) == "" {
		return p.fail("TRACEID_REQUIRED")
	}
	return nil
}

// clientAuth checks HTTP Basic client credentials on /oauth/v1/token. Declared
// clients must send their secret; outside strict mode any other client id with a
// non-empty secret is accepted, so tests need no registration.
func (p *Provider) clientAuth(c echo.Context) (string, error) {
	// The seed writes the refresh call without traceid; sent that way it works.
	if in, err := p.readParams(c); err != nil || in.GrantType.v != "refresh_token" {
		if err := p.checkTrace(c); err != nil {
			return "", err
		}
	}
	id, secret, ok := c.Request().BasicAuth()
	// The client id is the tenant. One that is not UTF-8 ("\xff") would name a
	// tenant the state's JSON cannot tell from another ("\xfe" is U+FFFD
	// there too): after a --data-dir restart the two clients' rows were one.
	if !ok || id == "" || secret == "" || !utf8.ValidString(id) {
		return "", p.fail("CLIENT_INVALID")
	}
	declared, isDeclared := p.cfg.clients[id]
	switch {
	case isDeclared && declared.Secret != "" && subtle.ConstantTimeCompare([]byte(declared.Secret), []byte(secret)) != 1:
		return "", p.fail("CLIENT_INVALID")
	case !isDeclared && p.strict:
		return "", p.fail("CLIENT_INVALID")
	}
	return id, nil
}

// grant is what a verified bearer token allows, kept on the request for the
// handler.
type grant struct {
	Kind     string // "AC" or "CC"
	Scopes   oauth.Scopes
	Deposits []string // consented deposits; never nil for AC
	Private  private
	Info     oauth.TokenInfo
	consent  string // consent_tracking_uuid, carried over by a refresh
}

const keyGrant = "sanbod.grant"

// bearer verifies the Authorization header for a service: signature and expiry on
// the virtual clock, the registry (revocation), an access (not refresh) token, the
// grant type the service is reached with, and one of the scopes opening it.
func (p *Provider) bearer(c echo.Context, s *service) (string, error) {
	if err := p.checkTrace(c); err != nil {
		return "", err
	}
	h := strings.TrimSpace(c.Request().Header.Get("Authorization"))
	if h == "" {
		return "", p.fail("TOKEN_MISSING")
	}
	scheme, tok, _ := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "Bearer") {
		return "", p.fail("TOKEN_INVALID")
	}
	if tok == "" {
		// The Go SDK swallows token errors and sends "Bearer " with nothing after it.
		return "", p.fail("TOKEN_MISSING")
	}
	g, err := p.verify(tok, "access")
	if err != nil {
		return "", err
	}
	if g.Kind != s.grant {
		return "", p.failField("GRANT_DENIED", "scope", grantMessage(s.grant))
	}
	if !slices.ContainsFunc(s.scopes, g.Scopes.Has) {
		return "", p.failField("SCOPE_DENIED", "scope", "توکن دسترسی به سرویس "+s.name+" را ندارد.")
	}
	c.Set(keyGrant, *g) // a copy: services read the grant by value
	return g.Info.ClientID, nil
}

func grantMessage(kind string) string {
	if kind == grantAC {
		return "این سرویس فقط با توکن Authorization Code قابل فراخوانی است."
	}
	return "این سرویس فقط با توکن Client Credentials قابل فراخوانی است."
}

// verify checks a token of the given kind (access or refresh) and returns what it
// grants. Errors are token errors (401) for access tokens; callers of refresh
// tokens map them to their own field.
//
// What a token grants is fixed when it is issued, so it is read once, with the
// first verification, and shared (read it, never change it); every call still asks
// the registry whether the token is revoked or expired on the virtual clock.
func (p *Provider) verify(tok, kind string) (*grant, error) {
	g, err := p.verifier.Verify(tok)
	if err != nil {
		if errors.Is(err, oauth.ErrExpired) {
			return nil, p.fail("TOKEN_EXPIRED")
		}
		return nil, p.fail("TOKEN_INVALID")
	}
	switch err := p.tokens.Status(tok); {
	case errors.Is(err, oauth.ErrTokenRevoked):
		return nil, p.fail("TOKEN_REVOKED")
	case errors.Is(err, oauth.ErrExpired):
		return nil, p.fail("TOKEN_EXPIRED")
	case err != nil, g.Info.Kind != kind:
		return nil, p.fail("TOKEN_INVALID")
	}
	return g, nil
}

// verifiedTokens is how many verified tokens the provider remembers: far more than
// a test suite keeps alive at once.
const verifiedTokens = 1 << 12

// grantOf reads what a verified token grants: the registry's record and the
// token's own claims. A token the registry does not know is not remembered.
func (p *Provider) grantOf(tok string, m jwt.MapClaims) (*grant, error) {
	info, ok := p.tokens.ByValue(tok)
	if !ok {
		return nil, errors.New("sanbod: token unknown")
	}
	g := &grant{Kind: info.Grant, Scopes: info.Scopes, Info: info}
	if s, ok := m["private"].(string); ok {
		g.Private, _ = p.private.open(s)
	}
	if g.Kind == grantAC {
		g.Deposits = stringList(m["deposits"])
	}
	g.consent, _ = m["consent_tracking_uuid"].(string)
	return g, nil
}

// stringList reads a JSON array of strings from claims; never nil.
func stringList(v any) []string {
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
