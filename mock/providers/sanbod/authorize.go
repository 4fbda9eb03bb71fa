package sanbod

import (
	"crypto/subtle"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// aggregatorCode is the provider code both public clients use for CC tokens: no
// bank, so no bank login page behind it.
const aggregatorCode = "999"

// brandColors are the header colours of the bank login pages, by IBAN bank code.
// Banks not listed get the neutral header.
var brandColors = map[string]string{
	"010": "#0b3d2e", "011": "#1b4f9c", "012": "#d71e28", "013": "#1d5aa6", "014": "#f47b20",
	"015": "#0f4c81", "016": "#2e7d32", "017": "#004a8f", "018": "#1e3f8f", "019": "#1a3b73",
	"020": "#00695c", "021": "#00833e", "022": "#00838f", "051": "#5d4037", "052": "#2e7d32",
	"053": "#00796b", "054": "#8b1d3f", "055": "#6a1b9a", "056": "#0a60a8", "057": "#b8860b",
	"058": "#283593", "059": "#0067b1", "060": "#43a047", "061": "#c62828", "062": "#6d2077",
	"064": "#00897b", "066": "#00838f", "069": "#6a1b9a", "070": "#2e7d32", "075": "#4e342e",
	"078": "#0d47a1", "080": "#00695c", "095": "#b71c1c",
}

// brand is the bank name and colour of a login page.
func brand(code string) (name, color string) {
	b, ok := iran.BankByCode(code)
	if !ok {
		return "سنباد", ""
	}
	return b.NameFa, brandColors[code]
}

// authorizeAuth names the tenant (the body's client_id) for the journal. Problems
// with the body are reported by the handler, field by field.
func (p *Provider) authorizeAuth(c echo.Context) (string, error) {
	in, err := p.readParams(c)
	if err == nil && isTokenCall(in) {
		return p.clientAuth(c)
	}
	if err := p.checkTrace(c); err != nil {
		return "", err
	}
	if err != nil {
		return "", nil
	}
	return in.ClientID.v, nil
}

// isTokenCall reports whether an authorize request is really a token request:
// the documentation's "Get AC Token" example posts {"code", "grant_type":
// "authorization_code"} with Basic auth to the authorize URL itself, so a body
// with a grant_type and no response_type is served as /oauth/v1/token would.
func isTokenCall(in oauthParams) bool { return in.GrantType.set && !in.ResponseType.set }

// authorize serves both spellings of the authorize call: it validates every field,
// opens a consent session and answers 302 to the bank's login page.
func (p *Provider) authorize() api.Op[authRequest, api.Written] {
	return api.Op[authRequest, api.Written]{Parse: p.parseAuthorize, Run: p.runAuthorize}
}

// authRequest is a judged authorize call, or a token call posted to the
// authorize path (token set).
type authRequest struct {
	token    bool
	in       oauthParams
	client   Client
	redirect string
	scopes   oauth.Scopes
	bank     string
}

func (p *Provider) parseAuthorize(c *api.Call) (authRequest, error) {
	in, err := p.readParams(c)
	if err != nil {
		return authRequest{}, err
	}
	if isTokenCall(in) {
		return authRequest{token: true, in: in}, p.checkGrant(in)
	}
	pr := problems{p: p}

	code := in.ProviderCode.v
	switch {
	case in.ProviderCode.bad:
		pr.add("PROVIDER_CODE_INVALID")
	case code == "":
		pr.add("PROVIDER_CODE_REQUIRED")
	case code == aggregatorCode:
		pr.addMsg("PROVIDER_CODE_INVALID", "کد 999 فقط برای توکن Client Credentials است؛ کد یک بانک را وارد کنید.")
	default:
		if _, ok := iran.BankByCode(code); !ok {
			pr.addMsg("PROVIDER_CODE_INVALID", "بانکی با کد "+code+" وجود ندارد.")
		}
	}

	cl, known := Client{}, false
	if id := in.ClientID.v; id != "" && !in.ClientID.bad {
		cl, known = p.client(id)
	}
	redirect := in.RedirectURI.v
	if redirect == "" && known && len(cl.RedirectURIs) > 0 {
		redirect = cl.RedirectURIs[0]
	}
	switch {
	case in.RedirectURI.bad || !absoluteURL(redirect):
		pr.add("REDIRECT_URI_INVALID")
	case known && len(cl.RedirectURIs) > 0 && !slices.Contains(cl.RedirectURIs, redirect):
		pr.addMsg("REDIRECT_URI_INVALID", "این آدرس بازگشت برای برنامه ثبت نشده است.")
	}

	scopes := pr.scopes(in.Scope, func(s string) bool { _, ok := acScopes[s]; return ok }, "Authorization Code")

	switch {
	case in.ClientID.bad || in.ClientID.v == "":
		pr.add("CLIENT_ID_REQUIRED")
	case !known:
		pr.add("CLIENT_ID_UNKNOWN")
	}
	if in.ResponseType.bad || in.ResponseType.v != "code" {
		pr.add("RESPONSE_TYPE_INVALID")
	}
	if in.State.bad {
		pr.add("STATE_INVALID")
	}
	if err := pr.err(); err != nil {
		return authRequest{}, err
	}
	// Basic auth is optional here (the doc's example has none, the Go SDK sends it);
	// when sent it must be the same client's.
	if id, secret, ok := c.Request().BasicAuth(); ok {
		if id != cl.ID || (cl.Secret != "" && subtle.ConstantTimeCompare([]byte(cl.Secret), []byte(secret)) != 1) {
			return authRequest{}, p.fail("CLIENT_INVALID")
		}
	}
	return authRequest{in: in, client: cl, redirect: redirect, scopes: scopes, bank: code}, nil
}

// runAuthorize opens the consent session and sends the browser to the login page.
func (p *Provider) runAuthorize(c *api.Call, r authRequest) (api.Written, error) {
	if r.token {
		return p.runToken(c, r.in)
	}
	s := p.consents.Create(oauth.Request{
		Provider: p.Name(), ClientID: r.client.ID, RedirectURI: r.redirect, State: r.in.State.v,
		ResponseType: "code", Scopes: r.scopes, Bank: r.bank,
		Extra: map[string]string{"traceid": traceID(c)},
	})
	return api.Written{}, c.Redirect(http.StatusFound, api.Base(c)+loginPath(s.ID))
}

func loginPath(id string) string   { return "/oauth/v1/login/" + id }
func consentPath(id string) string { return "/oauth/v1/consent/" + id }
