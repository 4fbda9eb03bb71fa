package sanbod

import (
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// tokenReply is the token endpoint's answer. The clients read access_token,
// refresh_token and token_type; expires_in and scope follow RFC 6749, scope as the
// array the request sent. traceid/trace_id echo the request like every answer,
// and are left out when it sent none (refresh and revoke may, as the documentation does).
type tokenReply struct {
	AccessToken  string       `json:"access_token"`
	RefreshToken string       `json:"refresh_token"`
	TokenType    string       `json:"token_type"`
	ExpiresIn    int64        `json:"expires_in"`
	Scope        oauth.Scopes `json:"scope"`
	TraceID      traceEcho    `json:"traceid,omitempty"`
	TraceIDStr   string       `json:"trace_id,omitempty"`
}

// issue is what a token pair is minted from.
type issue struct {
	client    Client
	kind      string // AC or CC
	scopes    oauth.Scopes
	deposits  []string // AC only
	priv      private
	consentID string // AC only
	traceID   string
}

// token serves POST /oauth/v1/token for the three grants.
func (p *Provider) token() api.Op[oauthParams, api.Written] {
	return api.Op[oauthParams, api.Written]{
		Parse: func(c *api.Call) (oauthParams, error) {
			in, err := p.readParams(c)
			if err != nil {
				return in, err
			}
			return in, p.checkGrant(in)
		},
		Run: p.runToken,
	}
}

// checkGrant judges a token request's fields for its grant; what a code or a
// refresh token names is the act's (runToken).
func (p *Provider) checkGrant(in oauthParams) error {
	if in.GrantType.bad {
		return p.fail("GRANT_TYPE_INVALID")
	}
	switch in.GrantType.v {
	case "client_credentials":
		_, err := p.ccGrant(in)
		return err
	case "authorization_code":
		switch {
		case in.Code.bad:
			return p.fail("CODE_INVALID")
		case in.Code.v == "":
			return p.fail("CODE_REQUIRED")
		}
	case "refresh_token":
		switch {
		case in.RefreshToken.bad:
			return p.fail("REFRESH_TOKEN_INVALID")
		case in.RefreshToken.v == "":
			return p.fail("REFRESH_TOKEN_REQUIRED")
		}
	default:
		return p.fail("GRANT_TYPE_INVALID")
	}
	return nil
}

func (p *Provider) runToken(c *api.Call, in oauthParams) (api.Written, error) {
	cl, _ := p.client(c.Tenant)
	var is issue
	var err error
	switch in.GrantType.v {
	case "client_credentials":
		is, err = p.ccGrant(in)
	case "authorization_code":
		is, err = p.codeGrant(c, in)
	default:
		is, err = p.refreshGrant(c, in)
	}
	if err != nil {
		return api.Written{}, err
	}
	is.client, is.traceID = cl, traceID(c)
	reply, err := p.mint(c.Now, is)
	if err != nil {
		return api.Written{}, err
	}
	return api.Written{}, api.JSON(c, http.StatusOK, reply)
}

func (p *Provider) ccGrant(in oauthParams) (issue, error) {
	pr := problems{p: p}
	scopes := pr.scopes(in.Scope, func(s string) bool { return ccScopes[s] }, "Client Credentials")
	code := in.ProviderCode.v
	switch {
	case in.ProviderCode.bad:
		pr.add("PROVIDER_CODE_INVALID")
	case code == "":
		pr.add("PROVIDER_CODE_REQUIRED")
	case code != aggregatorCode:
		if _, ok := iran.BankByCode(code); !ok {
			pr.add("PROVIDER_CODE_INVALID")
		}
	}
	if err := pr.err(); err != nil {
		return issue{}, err
	}
	return issue{kind: grantCC, scopes: scopes, priv: private{ProviderCode: code}}, nil
}

// codeGrant redeems a code from the consent page. redirect_uri is optional in the
// exchange (the documentation's example sends none); when sent it must be the authorized one.
func (p *Provider) codeGrant(c *api.Call, in oauthParams) (issue, error) {
	g, err := p.codes.Redeem(in.Code.v, c.Tenant, in.RedirectURI.v)
	switch {
	case errors.Is(err, oauth.ErrRedirectMismatch):
		return issue{}, p.fail("REDIRECT_URI_MISMATCH")
	case err != nil:
		return issue{}, p.fail("CODE_INVALID")
	}
	return issue{
		kind: grantAC, scopes: g.Scopes, deposits: g.Deposits,
		priv:      private{ProviderCode: g.Data[oauth.DataBank], NationalCode: g.Subject},
		consentID: g.Data[oauth.DataConsent],
	}, nil
}

// refreshGrant rotates: the presented refresh token is spent and a new pair with the
// same grant is issued. Access tokens already out stay valid until they expire.
func (p *Provider) refreshGrant(c *api.Call, in oauthParams) (issue, error) {
	tok := in.RefreshToken.v
	g, err := p.verify(tok, "refresh")
	if err != nil || g.Info.ClientID != c.Tenant {
		return issue{}, p.fail("REFRESH_TOKEN_INVALID")
	}
	// Spending is one compare-and-swap under the token's lock: of any number of
	// parallel refreshes with one token, exactly one gets past here.
	if _, err := p.tokens.Spend(tok); err != nil {
		return issue{}, p.fail("REFRESH_TOKEN_INVALID")
	}
	return issue{kind: g.Kind, scopes: g.Scopes, deposits: g.Deposits, priv: g.Private, consentID: g.consent}, nil
}

// mint signs the access and refresh tokens of one grant and records both, as a
// pair: revoking either revokes the other (revoke). Times are fractional seconds,
// as in the documentation's tokens (a Python service's time.time()).
func (p *Provider) mint(now time.Time, is issue) (tokenReply, error) {
	access, err := p.sign(now, is, "access", p.cfg.accessTTL)
	if err != nil {
		return tokenReply{}, err
	}
	refresh, err := p.sign(now, is, oauth.KindRefresh, p.cfg.refreshTTL)
	if err != nil {
		return tokenReply{}, err
	}
	p.tokens.RecordPair(access, refresh)
	return tokenReply{
		AccessToken: access.Value, RefreshToken: refresh.Value, TokenType: "Bearer",
		ExpiresIn: int64(math.Round(access.Expires.Sub(now).Seconds())), Scope: is.scopes,
		TraceID: traceEcho(is.traceID), TraceIDStr: is.traceID,
	}, nil
}

// sign signs one token; the caller records it.
func (p *Provider) sign(now time.Time, is issue, kind string, ttl time.Duration) (oauth.TokenInfo, error) {
	id := p.ids.Hex(32)
	exp := now.Add(ttl)
	deposits := is.deposits
	if deposits == nil {
		deposits = []string{}
	}
	var consent any
	if is.consentID != "" {
		consent = is.consentID
	}
	claims := jwt.MapClaims{
		"uuid":                  id,
		"iat":                   seconds(now),
		"exp":                   seconds(exp),
		"private":               p.private.seal(is.priv, now),
		"scope":                 []string(is.scopes),
		"app_id":                is.client.AppID,
		"deposits":              deposits,
		"limitations":           map[string]any{},
		"consent_tracking_uuid": consent,
		"trace_id":              is.traceID,
		"application_name":      is.client.Name,
	}
	header := map[string]any{"type": kind, "grant_type": is.kind, "environment": p.cfg.environment}
	tok, err := p.signer.Sign(claims, header)
	if err != nil {
		return oauth.TokenInfo{}, err
	}
	return oauth.TokenInfo{
		ID: id, ClientID: is.client.ID, Kind: kind, Grant: is.kind, Scopes: is.scopes,
		Subject: is.priv.NationalCode, Issued: now, Expires: exp, Value: tok,
	}, nil
}

func seconds(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

// revokeReply is revoke's answer: message is a string here, unlike services.
type revokeReply struct {
	Error        bool      `json:"error"`
	Message      string    `json:"message"`
	ResultNumber int       `json:"result_number"`
	TraceID      traceEcho `json:"traceid,omitempty"`
	TraceIDStr   string    `json:"trace_id,omitempty"`
}

// revokeAuth names the tenant of a revoke from the token itself, since the call
// carries no client credentials. Body problems are left for the handler to report.
func (p *Provider) revokeAuth(c echo.Context) (string, error) {
	// No traceid needed: the documentation's revoke example sends none.
	in, err := p.readParams(c)
	if err != nil {
		return "", nil
	}
	if t, ok := p.tokens.ByValue(revokeTarget(in)); ok {
		return t.ClientID, nil
	}
	return "", nil
}

func revokeTarget(in oauthParams) string {
	if in.AccessToken.v != "" {
		return in.AccessToken.v
	}
	return in.Token.v
}

// revoke serves POST /oauth/v1/revoke: the token (access_token, or token as RFC
// 7009 names it) in a JSON or form body, no client authentication. Any token this
// service issued can be revoked, expired ones included; revoking twice succeeds.
//
// Revoking a token revokes the token issued with it too. Sanbod's public docs and
// its Go SDK say nothing either way (the SDK's revoke sends only access_token and
// cannot be reached); RFC 7009 §2.1 has the server revoke the access tokens of a
// revoked refresh token and lets it revoke the refresh token of a revoked access
// token. A pair is one grant handed out together, and a client that revokes its
// access token (a logout, a leaked token) means the grant: a refresh token that
// kept minting would undo the revoke at the next refresh. Tokens minted by an
// earlier refresh are a pair of their own and stay valid.
func (p *Provider) revoke() api.Op[string, api.Written] {
	return api.Op[string, api.Written]{
		Parse: func(c *api.Call) (string, error) {
			in, err := p.readParams(c)
			if err != nil {
				return "", err
			}
			tok := revokeTarget(in)
			if tok == "" {
				return "", p.fail("ACCESS_TOKEN_REQUIRED")
			}
			return tok, nil
		},
		Run: func(c *api.Call, tok string) (api.Written, error) {
			if !p.tokens.Revoke(tok) {
				return api.Written{}, p.fail("ACCESS_TOKEN_INVALID")
			}
			tid := traceID(c)
			return api.Written{}, api.JSON(c, http.StatusOK, revokeReply{Message: "توکن با موفقیت باطل شد.", ResultNumber: 1, TraceID: traceEcho(tid), TraceIDStr: tid})
		},
	}
}
