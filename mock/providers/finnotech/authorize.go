package finnotech

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/consentui"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// Paths of the sandbox bank pages the authorize call redirects to. They sit under
// the provider's mount so links work behind every host and alias.
const (
	loginPath   = "/dev/v2/oauth2/bank/login"
	consentPath = "/dev/v2/oauth2/bank/consent"
)

// Banks the documentation names on its authorize, refresh, revoke and token-list
// pages (§2.2). Other codes are refused.
var authBanks = map[string]bool{
	"062": true, "054": true, "057": true, "078": true, "016": true,
	"066": true, "069": true, "055": true, "063": true, "015": true,
}

// bankColors brand the login page; unknown banks get the neutral header.
var bankColors = map[string]string{
	"062": "#6d2077", // Ayandeh
	"054": "#b71c1c", // Parsian
	"057": "#f9a825", // Pasargad
	"078": "#00695c", // Middle East
	"016": "#2e7d32", // Keshavarzi
}

// sideSystem reports whether a scope belongs to a side system (Kilid) rather than
// a bank; the two may not be mixed in one grant (§2.2).
func sideSystem(scope string) bool { return strings.HasPrefix(scope, "kilid:") }

// needsLimit reports whether a scope moves money on the user's behalf so that
// limit and count are required (§2.2).
func needsLimit(scope string) bool {
	return scope == "oak:withdrawal-from:execute" || strings.HasPrefix(scope, "oak:block:")
}

// authorizeTenant names the application: by Basic credentials for the SMS
// variant (a server-to-server call), by client_id for the browser redirect.
func (p *Provider) authorizeTenant(c echo.Context) (string, error) {
	if strings.EqualFold(c.QueryParam("auth_type"), "SMS") {
		return p.basic(c)
	}
	if id := c.QueryParam("client_id"); validClientID(id) {
		return id, nil
	}
	return "", nil
}

// authorize is GET /dev/v2/oauth2/authorize: validate, then either send the
// browser to the bank login page or (auth_type=SMS) text a one-time password.
func (p *Provider) authorize() api.Op[authRequest, api.Written] {
	return api.Op[authRequest, api.Written]{Parse: p.parseAuthorize, Run: p.runAuthorize}
}

// authRequest is a judged authorize call.
type authRequest struct {
	q        url.Values
	sms      bool
	redirect string
	scopes   oauth.Scopes
	bank     string
	extra    map[string]string
}

func (p *Provider) parseAuthorize(c *api.Call) (authRequest, error) {
	q := c.QueryParams()
	sms := strings.EqualFold(q.Get("auth_type"), "SMS")
	client := q.Get("client_id")
	switch {
	case client == "" && !sms:
		return authRequest{}, invalid("client_id is required")
	case client != "" && !validClientID(client):
		return authRequest{}, invalid("client_id is invalid")
	case sms && client != "" && client != c.Tenant:
		return authRequest{}, invalid("client_id does not match the credentials")
	case !sms && p.strict && p.cfg.clients[client].ID == "":
		return authRequest{}, invalid("client_id is invalid")
	case q.Get("response_type") == "":
		return authRequest{}, invalid("response_type is required")
	case q.Get("response_type") != "code":
		return authRequest{}, invalid("response_type must be code")
	}
	redirect := q.Get("redirect_uri")
	if e := p.checkRedirect(c.Tenant, redirect); e != nil {
		return authRequest{}, e
	}
	scopes := oauth.ParseScopes(q.Get("scope"))
	if len(scopes) == 0 {
		return authRequest{}, invalid("scope is required")
	}
	if bad := badScope(scopes); bad != "" {
		return authRequest{}, invalid("invalid scope " + bad)
	}
	side, bankScopes := 0, 0
	limited := false
	for _, s := range scopes {
		if sideSystem(s) {
			side++
		} else {
			bankScopes++
		}
		limited = limited || needsLimit(s)
	}
	if side > 0 && bankScopes > 0 {
		return authRequest{}, invalid("bank scopes and side-system scopes cannot be requested together")
	}
	bank := q.Get("bank")
	switch {
	case bank == "" && bankScopes > 0 && !sms:
		return authRequest{}, invalid("bank is required")
	case bank != "" && !authBanks[bank]:
		return authRequest{}, invalid("bank " + bank + " is not supported")
	}
	extra := map[string]string{}
	for _, name := range []string{"limit", "count"} {
		v := q.Get(name)
		switch {
		case v == "" && limited:
			return authRequest{}, invalid(name + " is required for the requested scopes")
		case v != "" && !digits.All(v):
			return authRequest{}, invalid(name + " must be numeric")
		}
		if v != "" {
			extra[name] = strings.TrimLeft(v, "0")
		}
	}
	if sms {
		// The SMS login's own fields are judged here too.
		mobile, nid := q.Get("mobile"), q.Get("nid")
		switch {
		case mobile == "":
			return authRequest{}, invalid("mobile is required")
		case !validMobile(mobile):
			return authRequest{}, invalid("mobile is invalid")
		case nid != "" && !digits.Len(nid, 10):
			return authRequest{}, invalid("nid is invalid")
		}
	}
	return authRequest{q: q, sms: sms, redirect: redirect, scopes: scopes, bank: bank, extra: extra}, nil
}

func (p *Provider) runAuthorize(c *api.Call, r authRequest) (api.Written, error) {
	q, redirect, scopes, bank, extra := r.q, r.redirect, r.scopes, r.bank, r.extra
	if r.sms {
		return api.Written{}, p.sendSMS(c, smsSession{ClientID: c.Tenant, RedirectURI: redirect, Scopes: scopes,
			State: q.Get("state"), Bank: bank, Mobile: q.Get("mobile"), NID: q.Get("nid")})
	}
	s := p.consents.Create(oauth.Request{Provider: p.Name(), ClientID: c.Tenant, RedirectURI: redirect,
		State: q.Get("state"), ResponseType: "code", Scopes: scopes, Bank: bank, Extra: extra})
	return api.Written{}, c.Redirect(http.StatusFound, api.Base(c)+loginPath+"?session="+url.QueryEscape(s.ID))
}

// checkRedirect requires an absolute http(s) URL, on a registered host when the
// client declares its hosts.
func (p *Provider) checkRedirect(client, raw string) *envelope.Error {
	if raw == "" {
		return invalid("redirect_uri is required")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid("redirect_uri is invalid")
	}
	if hosts := p.cfg.clients[client].RedirectHosts; len(hosts) > 0 {
		h := strings.ToLower(u.Hostname())
		for _, allowed := range hosts {
			if h == allowed {
				return nil
			}
		}
		return invalid("redirect_uri domain is not registered for the client")
	}
	return nil
}

// sessionTenant names the application of a bank-page request by its session, so
// the journal shows whose dance it is.
func (p *Provider) sessionTenant(c echo.Context) (string, error) {
	if s, found := p.consents.Get(sessionID(c)); found {
		return s.Request.ClientID, nil
	}
	return "", nil
}

func sessionID(c echo.Context) string {
	if id := c.QueryParam("session"); id != "" {
		return id
	}
	return c.FormValue("session")
}

// openSession finds a session that can still be acted on.
// session is the Parse of the bank pages: the session they name must be open.
func (p *Provider) session(c *api.Call) (oauth.Session, error) {
	s, e := p.openSession(c)
	if e != nil {
		return s, e
	}
	return s, nil
}

func (p *Provider) openSession(c echo.Context) (oauth.Session, *envelope.Error) {
	s, found := p.consents.Get(sessionID(c))
	switch {
	case !found:
		return s, invalid("invalid session")
	case s.Status == oauth.StatusExpired:
		return s, invalid("session is expired")
	case s.Status == oauth.StatusApproved || s.Status == oauth.StatusDenied:
		return s, invalid("session is already finished")
	}
	return s, nil
}

// Persian texts of the sandbox bank pages.
const (
	faLoginTitle   = "ورود به سامانه بانک"
	faUsername     = "نام کاربری (کد ملی)"
	faPassword     = "رمز عبور"
	faLogin        = "ورود"
	faWrongLogin   = "نام کاربری یا رمز عبور اشتباه است."
	faConsentTitle = "اعطای دسترسی"
	faApprove      = "تأیید و اعطای دسترسی"
	faDeny         = "انصراف"
	faNoDeposit    = "دست\u200cکم یک حساب را انتخاب کنید."
	faSandboxHint  = "محیط آزمایشی: با یکی از کدهای ملی ۱۱۱۱۱۱۱۱۱۱ تا ۹۹۹۹۹۹۹۹۹۹ وارد شوید؛ رمز عبور همان کد ملی است."
)

// brand is the bank's Persian name and colour.
func brand(code string) (string, string) {
	if b, found := iran.BankByCode(code); found {
		return b.NameFa, bankColors[code]
	}
	return "فینوتک", ""
}

func page(c echo.Context, status int, render func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

func (p *Provider) loginPage(c echo.Context, s oauth.Session, errText string) error {
	name, color := brand(s.Request.Bank)
	pg := consentui.Page{
		Title: faLoginTitle + " " + strings.TrimPrefix(name, "بانک "), Brand: name, Color: color,
		Intro: "برنامه «" + s.Request.ClientID + "» درخواست دسترسی به حساب\u200cهای شما را دارد. " + faSandboxHint,
		Error: errText, Action: api.Base(c) + loginPath,
		Hidden: []consentui.Field{{Name: "session", Type: "hidden", Value: s.ID}},
		Fields: []consentui.Field{
			{Name: "username", Label: faUsername, Type: "text", Autocomplete: "username"},
			{Name: "password", Label: faPassword, Type: "password", Autocomplete: "current-password"},
		},
		Submit: faLogin,
	}
	return page(c, http.StatusOK, func(b *bytes.Buffer) error { return consentui.Login(b, pg) })
}

// bankLoginPage is GET of the login page.
func (p *Provider) bankLoginPage() api.Op[oauth.Session, api.Written] {
	return api.Op[oauth.Session, api.Written]{Parse: p.session, Run: api.Writes(p.bankLoginPageRun)}
}

func (p *Provider) bankLoginPageRun(c *api.Call, s oauth.Session) error {
	return p.loginPage(c, s, "")
}

// bankLogin checks the sandbox credentials: a known national id with the same
// value as password. A wrong login shows the page again with the error.
func (p *Provider) bankLogin() api.Op[oauth.Session, api.Written] {
	return api.Op[oauth.Session, api.Written]{Parse: p.session, Run: api.Writes(p.bankLoginRun)}
}

func (p *Provider) bankLoginRun(c *api.Call, s oauth.Session) error {
	// The page's hint writes the logins in Persian digits, so people type them.
	user := digits.ToASCII(strings.TrimSpace(c.FormValue("username")))
	if user == "" || digits.ToASCII(c.FormValue("password")) != user || !p.bank.KnownUser(user) {
		return p.loginPage(c, s, faWrongLogin)
	}
	var offered []string
	if s.Request.Bank != "" {
		for _, d := range p.bank.UserDeposits(c.Tenant, user, s.Request.Bank) {
			offered = append(offered, d.Number)
		}
	}
	if _, err := p.consents.Login(s.ID, user, offered); err != nil {
		return invalid("session is expired")
	}
	return c.Redirect(http.StatusFound, api.Base(c)+consentPath+"?session="+url.QueryEscape(s.ID))
}

// scopeNames are the Persian names of the scopes a client may ask for, as the
// consent page shows them (the scope id follows in parentheses): the services
// routes.go serves, named as a bank customer would read them.
var scopeNames = map[string]string{
	"oak:card-charge:execute":     "شارژ کارت بن",
	"oak:card-charge-inquiry:get": "پیگیری شارژ کارت بن",
	"oak:card-balance:get":        "مشاهده موجودی کارت بن",
	"oak:card-statement:get":      "صورت\u200cحساب کارت بن",
	"oak:valid-card:get":          "استعلام اعتبار کارت بن",
	"oak:balance:get":             "مشاهده موجودی حساب",
	"oak:withdrawal-from:execute": "برداشت از حساب",
	"oak:block:create":            "مسدود کردن مبلغ در حساب",
	"card:list:get":               "فهرست کارت\u200cهای بانکی",
	"card:information:get":        "استعلام اطلاعات کارت",
	"boomrang:tokens:get":         "مشاهده توکن\u200cهای صادرشده",
}

func (p *Provider) consentPage(c echo.Context, s oauth.Session, errText string) error {
	name, color := brand(s.Request.Bank)
	pg := consentui.Page{
		Title: faConsentTitle, Brand: name, Color: color,
		// The client is named once, by the page's request line (consentui's Client).
		Intro: "حساب\u200cهایی را که اجازه می\u200cدهید انتخاب کنید.",
		Error: errText, Action: api.Base(c) + consentPath, Client: s.Request.ClientID,
		Hidden: []consentui.Field{{Name: "session", Type: "hidden", Value: s.ID}},
		Submit: faApprove, Deny: faDeny,
	}
	for _, sc := range s.Request.Scopes {
		label, ok := scopeNames[sc]
		if !ok {
			label = sc // a scope sandbank has no name for is shown as requested
		}
		pg.Scopes = append(pg.Scopes, consentui.Option{Value: sc, Label: label, Detail: sc})
	}
	if s.Request.Bank != "" {
		for _, d := range p.bank.UserDeposits(s.Request.ClientID, s.User, s.Request.Bank) {
			detail := d.Owner
			if d.Note != "" {
				detail = strings.TrimPrefix(detail+" — "+d.Note, " — ")
			}
			pg.Deposits = append(pg.Deposits, consentui.Option{Value: d.Number, Label: d.Number, Detail: detail})
		}
	}
	return page(c, http.StatusOK, func(b *bytes.Buffer) error { return consentui.Consent(b, pg) })
}

// bankConsentPage is GET of the consent page, after login.
func (p *Provider) bankConsentPage() api.Op[oauth.Session, api.Written] {
	return api.Op[oauth.Session, api.Written]{Parse: p.session, Run: api.Writes(p.bankConsentPageRun)}
}

func (p *Provider) bankConsentPageRun(c *api.Call, s oauth.Session) error {
	if s.Status != oauth.StatusLoggedIn {
		return c.Redirect(http.StatusFound, api.Base(c)+loginPath+"?session="+url.QueryEscape(s.ID))
	}
	return p.consentPage(c, s, "")
}

// bankConsent takes the user's decision and sends the browser back to the
// application with a code (or error=access_denied).
func (p *Provider) bankConsent() api.Op[oauth.Session, api.Written] {
	return api.Op[oauth.Session, api.Written]{Parse: p.session, Run: api.Writes(p.bankConsentRun)}
}

func (p *Provider) bankConsentRun(c *api.Call, s oauth.Session) error {
	if s.Status != oauth.StatusLoggedIn {
		return invalid("login first")
	}
	form, err := c.FormParams()
	if err != nil {
		return invalid("request body is not a valid form")
	}
	var redirect string
	if form.Get("action") == "deny" {
		redirect, err = p.consents.Deny(s.ID)
	} else {
		chosen := form["deposits"]
		if len(chosen) == 0 && len(s.Deposits) > 0 {
			return p.consentPage(c, s, faNoDeposit)
		}
		if len(chosen) == 0 {
			chosen = nil
		}
		redirect, err = p.consents.Approve(s.ID, chosen)
		if errors.Is(err, oauth.ErrNotOffered) {
			return p.consentPage(c, s, faNoDeposit)
		}
	}
	if err != nil {
		return invalid("session is expired")
	}
	return c.Redirect(http.StatusFound, redirect)
}
