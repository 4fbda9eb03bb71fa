package finnotech

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// Grant types as the token's "type" claim spells them.
const (
	typeCC   = "CLIENT-CREDENTIAL"
	typeCode = "CODE"
)

const keyToken = "finnotech.token" // echo.Context key of the verified token row

// need is what a service asks of the Bearer token.
type need struct {
	scope string // "" = any
	grant string // "" = any, else typeCC or typeCode
	bank  string // "" = any; chargeCard and friends need Ayandeh (062) tokens
}

// basic authenticates the application by its client id and secret. Outside
// strict mode any well-formed id with a non-empty secret is an application.
func (p *Provider) basic(c echo.Context) (string, error) {
	id, secret, found := c.Request().BasicAuth()
	if !found || !validClientID(id) || secret == "" {
		return "", p.errCode(keyBadClientCred)
	}
	if cl, declared := p.cfg.clients[id]; declared {
		if subtle.ConstantTimeCompare([]byte(cl.Secret), []byte(secret)) != 1 {
			return "", p.errCode(keyBadClientCred)
		}
	} else if p.strict {
		return "", p.errCode(keyBadClientCred)
	}
	return id, nil
}

// bearer verifies the access token and what the service needs of it. Every token
// problem is HTTP 403 VALIDATION_ERROR "invalid token": finnotechjs refreshes
// only on exactly that code and message with a non-2xx status, and pyfinnotech
// refreshes on 403.
func (p *Provider) bearer(n need) func(echo.Context) (string, error) {
	return func(c echo.Context) (string, error) {
		tok, err := p.verify(c.Request().Header.Get("Authorization"))
		if err != nil {
			return "", err
		}
		if pc := c.Param("clientId"); pc != "" && pc != tok.ClientID {
			return "", forbidden("clientId " + pc + " does not match the token's client")
		}
		if n.scope != "" && !slices.Contains(tok.Scopes, n.scope) {
			return "", forbidden("scope " + n.scope + " is not granted to this token")
		}
		switch {
		case n.grant == typeCode && tok.Type != typeCode:
			return "", forbidden("this service needs an Authorization_Code (CODE) token")
		case n.grant == typeCC && tok.Type != typeCC:
			return "", forbidden("this service needs a Client_Credential token")
		case n.bank != "" && tok.Bank != n.bank:
			return "", forbidden("this service needs a token of bank " + n.bank)
		}
		c.Set(keyToken, tok)
		return tok.ClientID, nil
	}
}

func forbidden(msg string) *envelope.Error {
	return &envelope.Error{Status: http.StatusForbidden, Code: codeValidation, Message: msg}
}

// verify checks an Authorization header value: scheme Bearer (any case), a JWT
// this gateway signed that has not expired, still known and not revoked.
//
// The token's row as first seen is remembered with the verified token (everything in
// it but Revoked is fixed at issue), so a call reads only that flag and the expiry
// from the store, under the row's lock and without copying it.
func (p *Provider) verify(header string) (*tokenRow, error) {
	scheme, value, _ := strings.Cut(strings.TrimSpace(header), " ")
	value = strings.TrimSpace(value)
	if !strings.EqualFold(scheme, "bearer") || value == "" {
		return nil, p.errCode(keyInvalidToken)
	}
	tok, err := p.verifier.Verify(value)
	if err != nil {
		return nil, p.errCode(keyInvalidToken)
	}
	now, live := p.clock.Now(), false
	p.tokens.Read(tok.ClientID, tok.ID, func(r *tokenRow) { live = r.Value == value && r.active(now) })
	if !live {
		return nil, p.errCode(keyInvalidToken)
	}
	return tok, nil
}

// verifiedTokens is how many verified tokens the provider remembers: far more than
// a test suite keeps alive at once.
const verifiedTokens = 1 << 12

// rowOf finds a verified token's row, once per token: a token whose row is gone
// (reset, never issued here) is not remembered, and fails as unknown.
func (p *Provider) rowOf(_ string, m jwt.MapClaims) (*tokenRow, error) {
	client, _ := m["clientId"].(string)
	jti, _ := m["jti"].(string)
	row, found := p.tokens.Get(client, jti)
	if !found {
		return nil, errors.New("finnotech: no such token")
	}
	return &row, nil
}

// token is the verified token of the request. Its slices are shared with the
// verifier's memory: read them, never change them.
func token(c echo.Context) tokenRow {
	if t, ok := c.Get(keyToken).(*tokenRow); ok {
		return *t
	}
	return tokenRow{}
}
