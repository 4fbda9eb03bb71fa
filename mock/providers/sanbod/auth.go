package sanbod

import (
	"crypto/subtle"
	"errors"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// traceID is the request's ?traceid=, any non-empty string (UUIDs from the Go SDK,
// <unix>-<digits> from the PHP client, numbers from the doc).
func traceID(c echo.Context) string { return c.QueryParam("traceid") }

// checkTrace rejects a call without traceid, which the seed marks required on
// every service; the config can relax it for clients that omit it on refresh and
// revoke as the seed's own examples do.
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
	if err := p.checkTrace(c); err != nil {
		return "", err
	}
	id, secret, ok := c.Request().BasicAuth()
	if !ok || id == "" || secret == "" {
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
	c.Set(keyGrant, g)
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
func (p *Provider) verify(tok, kind string) (grant, error) {
	cl, err := p.verifier.Verify(tok)
	if err != nil {
		if errors.Is(err, oauth.ErrExpired) {
			return grant{}, p.fail("TOKEN_EXPIRED")
		}
		return grant{}, p.fail("TOKEN_INVALID")
	}
	info, err := p.tokens.Check(tok)
	switch {
	case errors.Is(err, oauth.ErrTokenRevoked):
		return grant{}, p.fail("TOKEN_REVOKED")
	case errors.Is(err, oauth.ErrExpired):
		return grant{}, p.fail("TOKEN_EXPIRED")
	case err != nil, info.Kind != kind:
		return grant{}, p.fail("TOKEN_INVALID")
	}
	g := grant{Kind: info.Grant, Scopes: info.Scopes, Info: info, Private: cl.private, consent: cl.consent}
	if g.Kind == grantAC {
		g.Deposits = slices.Clone(cl.deposits)
	}
	return g, nil
}

// verifiedTokens is how many verified tokens the provider remembers: far more than
// a test suite keeps alive at once.
const verifiedTokens = 1 << 14

// claims is what a request reads of a verified token, decoded once per token.
type claims struct {
	private  private
	deposits []string
	consent  string
}

func (p *Provider) decodeClaims(m jwt.MapClaims) (claims, error) {
	var c claims
	if s, ok := m["private"].(string); ok {
		c.private, _ = p.private.open(s)
	}
	c.deposits = stringList(m["deposits"])
	c.consent, _ = m["consent_tracking_uuid"].(string)
	return c, nil
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
