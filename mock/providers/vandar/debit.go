package vandar

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Direct debit (reference §11, the seed's "پرداخت خودکار" section): the banks a
// business may send customers to, mandates (authorizations) granted by the
// customer at the bank through subscription.vandar.io/authorizations/{token},
// withdrawals under an active mandate (withdrawal.go) and refunds of them
// (debit_refund.go).
//
// Mandate life: store issues a token valid 20 minutes and single use; the
// customer approves at the bank (the consent page, or the control plane) and the
// browser goes back to callback_url with status=SUCCEED and the new
// authorization_id (PENDING_VERIFY), or FAILED / FAILED_TO_ACCESS_BANK; PATCH
// verify, once and within 20 minutes, makes it ACTIVE; DELETE revokes it (gone
// from the list, show answers 422 "مجوز باطل شده است."); it expires at the end of
// its expiration_date (Tehran).

const (
	mandateTokenTTL  = 20 * time.Minute // reference §11.2
	mandateVerifyTTL = 20 * time.Minute // reference §11.5

	mdToken         = "TOKEN"                 // issued, the customer has not answered
	mdFailed        = "FAILED"                // the customer (or the bank) refused
	mdBankError     = "FAILED_TO_ACCESS_BANK" // the bank could not be reached
	mdPendingVerify = "PENDING_VERIFY"
	mdActive        = "ACTIVE"
	mdRevoked       = "REVOKED"
	mdExpired       = "EXPIRED"  // past its expiration_date [INFERRED name]
	mdCanceled      = "CANCELED" // not verified within 20 minutes (reference §11.5)
	mdTokenExpired  = "TOKEN_EXPIRED"

	// testPassword is the bank login of every customer on the consent page; the
	// page prints it.
	testPassword = "123456"
)

// ddBank is one bank of the direct-debit table (reference §11.1): what
// banks/actives lists and what the consent page is branded with. LoginBy is how
// the bank's page identifies the customer.
type ddBank struct {
	Code    string
	Name    string
	Color   string
	LoginBy string // "mobile" or "national_code"
	Healthy bool
}

// ddBanks are the seven banks of the documented banks/actives answer, in its
// order. Pasargad's digital account and Ayandeh log in by national code (the
// reference notes such banks exist; which ones is sandbank's choice).
var ddBanks = []ddBank{
	{"012", "بانک ملت", "#c8102e", "mobile", true},
	{"017", "بانک ملی ایران", "#004b87", "mobile", true},
	{"055", "بانک اقتصاد نوین", "#6a1b9a", "mobile", true},
	{"056", "بانک سامان", "#1565c0", "mobile", true},
	{"062", "بانک آینده", "#7b4b2a", "national_code", true},
	{"066", "بانک دی", "#00838f", "mobile", true},
	{"103", "حساب دیجیتال پاسارگاد", "#f9a825", "national_code", true},
}

func bankOf(code string) (ddBank, bool) {
	for _, b := range ddBanks {
		if b.Code == code {
			return b, true
		}
	}
	return ddBank{}, false
}

// mandate is one authorization request and, once granted, the authorization.
// Rows live under the business's slug, keyed by token; ddIDs maps the
// authorization id to the token and ddTokens the token to the business.
type mandate struct {
	Token        string    `json:"token"`
	ID           string    `json:"id,omitempty"` // authorization_id, set when granted
	CustomerUUID string    `json:"customer_uuid,omitempty"`
	BankCode     string    `json:"bank_code"`
	Mobile       string    `json:"mobile"`
	NationalCode string    `json:"national_code,omitempty"`
	Name         string    `json:"name,omitempty"`
	Email        string    `json:"email,omitempty"`
	CallbackURL  string    `json:"callback_url"`
	Count        int       `json:"count"`
	Limit        int64     `json:"limit"` // Rial, per withdrawal
	WageType     string    `json:"wage_type"`
	Expires      time.Time `json:"expires"` // the end of expiration_date, Tehran
	State        string    `json:"state"`
	ErrorCode    string    `json:"error_code,omitempty"`
	Created      time.Time `json:"created"`
	Answered     time.Time `json:"answered,omitzero"`
	Verified     time.Time `json:"verified,omitzero"`
	Revoked      time.Time `json:"revoked,omitzero"`
}

// at is the mandate as the clock sees it.
func (m mandate) at(now time.Time) mandate {
	switch m.State {
	case mdToken:
		if !now.Before(m.Created.Add(mandateTokenTTL)) {
			m.State = mdTokenExpired
		}
	case mdPendingVerify:
		if !now.Before(m.Answered.Add(mandateVerifyTTL)) {
			m.State = mdCanceled
		}
	case mdActive:
		if !now.Before(m.Expires) {
			m.State = mdExpired
		}
	}
	return m
}

// --- GET {v3}/subscription/banks/actives ---

type bankView struct {
	Code                   string `json:"code"`
	Name                   string `json:"name"`
	HasDirectDebitAbility  bool   `json:"has_direct_debit_ability"`
	IsHealthyOnDirectDebit bool   `json:"is_healthy_on_direct_debit"`
	Logo                   string `json:"logo"`
}

func (p *Provider) runBanks(c *api.Call, _ noReq) (Result, error) {
	out := make([]bankView, len(ddBanks))
	for i, b := range ddBanks {
		out[i] = bankView{Code: b.Code, Name: b.Name, HasDirectDebitAbility: true, IsHealthyOnDirectDebit: p.bankHealthy(b), Logo: bankLogo(b.Code)}
	}
	return Result{Message: "وضعیت بانک\u200cها در حال حاضر به این صورت است.", Data: map[string]any{"banks": out}}, nil
}

// bankHealthy is whether Vandar can reach the bank now: the table's default,
// or what POST /_sandbox/vandar/debit/banks/{code} last set. An unhealthy bank
// sends customers straight back with FAILED_TO_ACCESS_BANK and refuses
// withdrawals with 409 (reference §11.1, §11.3, §11.10).
func (p *Provider) bankHealthy(b ddBank) bool {
	if v, ok := p.ddHealth.Get("", b.Code); ok {
		return v
	}
	return b.Healthy
}

// bankLogo is the documented logo URL: the code without leading zeros.
func bankLogo(code string) string {
	n, _ := strconv.Atoi(code)
	return "https://vandar.io/assets/img/banks/" + strconv.Itoa(n) + ".svg"
}

// --- POST {v3}/subscription/authorization/store ---

var (
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

type mandateReq struct{ m mandate }

// parseMandate checks the fields in the order of the documented table
// (reference §11.2) and reports every failed one at once, Laravel style.
func (p *Provider) parseMandate(c *api.Call) (mandateReq, error) {
	in := readInput(c)
	var m mandate
	var ps problems
	req := func(name string) (string, bool) { return ddString(in, name, true, &ps) }
	if s, ok := req("bank_code"); ok {
		if _, found := bankOf(s); !found {
			ps = append(ps, problem{code: "DD_BANK_CODE"})
		} else {
			m.BankCode = s
		}
	}
	if s, ok := req("mobile"); ok {
		if s = latin(s); !isMobile(s) {
			ps = append(ps, problem{code: "DD_MOBILE"})
		} else {
			m.Mobile = s
		}
	}
	if s, ok := req("callback_url"); ok {
		if !httpURL(s) {
			ps = append(ps, problem{code: "DD_CALLBACK"})
		} else {
			m.CallbackURL = s
		}
	}
	positive := func(name, code string) int64 {
		s, ok := req(name)
		if !ok {
			return 0
		}
		n, num := int64Of(latin(s))
		if !num || n < 1 {
			ps = append(ps, problem{code: code})
			return 0
		}
		return n
	}
	if n := positive("count", "DD_COUNT"); n > 0 {
		if n > 1000 {
			ps = append(ps, problem{code: "DD_COUNT"})
		}
		m.Count = int(n)
	}
	if m.Limit = positive("limit", "DD_LIMIT"); m.Limit > maxWalletRial {
		// A sandbox bound, as the customer wallet's: no sum of credits wraps.
		ps = append(ps, problem{code: "DD_LIMIT_MAX"})
	}
	if s, ok := req("expiration_date"); ok {
		d, err := time.ParseInLocation("2006-01-02", latin(s), iran.Tehran)
		today := dayStart(c.Now)
		switch {
		case err != nil:
			ps = append(ps, problem{code: "DD_EXPIRATION_FORMAT"})
		case !d.After(today):
			ps = append(ps, problem{code: "DD_EXPIRATION_AFTER"})
		case !ddReachable(d):
			ps = append(ps, problem{code: "DD_EXPIRATION_BEFORE"})
		default:
			m.Expires = d.AddDate(0, 0, 1).Add(-time.Second)
		}
	}
	if s, present, ok := in.str("name"); present {
		if !ok || len([]rune(s)) > 255 {
			ps = append(ps, ddNotString("name"))
		} else {
			m.Name = s
		}
	}
	if s, present, ok := in.str("email"); present {
		if !ok || !emailPattern.MatchString(s) {
			ps = append(ps, problem{code: "DD_EMAIL"})
		} else {
			m.Email = s
		}
	}
	if s, present, ok := in.str("national_code"); present {
		if s = latin(s); !ok || !iran.ValidNationalCode(s) {
			ps = append(ps, problem{code: "DD_NATIONAL_CODE"})
		} else {
			m.NationalCode = s
		}
	}
	m.WageType = "APPLICATION_SELF"
	if s, present, ok := in.str("wage_type"); present {
		if !ok || (s != "APPLICATION_USER" && s != "APPLICATION_SELF") {
			ps = append(ps, problem{code: "DD_WAGE_TYPE"})
		} else {
			m.WageType = s
		}
	}
	if len(ps) > 0 {
		return mandateReq{}, p.failAll(ps)
	}
	return mandateReq{m: m}, nil
}

// dayStart is midnight in Tehran of t's day.
// ddReachable reports whether a direct-debit day (expiration_date,
// withdrawal_date: Y-m-d, midnight Tehran) is one the virtual clock can reach.
// Go's layout takes any four-digit year, so 9999-12-31 parses; a day past
// clock.Latest (year 3000 on) is refused with Laravel's before rule
// (ddBeforeMsg), as the sandbox could never run or expire it and its Jalali
// answers stop at about 3800 CE (such a day read "0000/00/00").
func ddReachable(day time.Time) bool { return !day.After(clock.Latest) }

// ddBeforeMsg is Laravel's before rule for a direct-debit day past the clock's
// range: "<field> must be a date before 3000-01-01."
func ddBeforeMsg(field string) string {
	return field + " باید تاریخی قبل از " + clock.Latest.Add(time.Nanosecond).Format("2006-01-02") + " باشد."
}

func dayStart(t time.Time) time.Time {
	t = t.In(iran.Tehran)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, iran.Tehran)
}

func (p *Provider) runMandate(c *api.Call, r mandateReq) (Result, error) {
	m := r.m
	m.Token, m.State, m.Created = p.uuid1(c.Now), mdToken, c.Now
	p.mandates.Put(c.Tenant, m.Token, m)
	p.mandateOwners.remember(m.Token, c.Tenant)
	c.SetTrackID(m.Token)
	return Result{Message: "درخواست توکن با موفقیت ثبت شد.", Data: map[string]any{"authorization": map[string]string{"token": m.Token}}}, nil
}

// --- the consent page, subscription.vandar.io/authorizations/{token} ---

//go:embed pages/mandate.html
var mandateFS embed.FS

var mandatePage = template.Must(template.ParseFS(mandateFS, "pages/mandate.html"))

type mandateView struct {
	Bank                            ddBank
	Merchant                        string
	Limit, Count, Expires           string
	Login, LoginLabel, TestPassword string
	Username                        string
	Error                           string
}

type consentReq struct {
	slug, token        string
	action             string
	username, password string
}

// mandateOf finds an open token (issued, unanswered, within 20 minutes).
func (p *Provider) mandateOf(token string, now time.Time) (string, mandate, bool) {
	slug, ok := ownerOf(&p.mandateOwners, p.mandates, token)
	if !ok {
		return "", mandate{}, false
	}
	m, ok := p.mandates.Get(slug, token)
	if !ok {
		return "", mandate{}, false
	}
	return slug, m.at(now), true
}

func (p *Provider) parseConsent(c *api.Call) (consentReq, error) {
	token := c.Param("token")
	slug, m, ok := p.mandateOf(token, c.Now)
	if !ok || m.State != mdToken {
		return consentReq{}, p.fail("DD_PAGE_NOT_FOUND")
	}
	c.SetTrackID(token)
	r := consentReq{slug: slug, token: token}
	if c.Request().Method == http.MethodPost {
		in := readInput(c)
		get := func(name string) string { s, _, _ := in.str(name); return latin(s) }
		r.action, r.username, r.password = get("action"), get("username"), get("password")
	}
	return r, nil
}

// loginOf is the username the bank's page expects for the mandate: the
// customer's mobile, or for a bank that logs in by national code the national
// code given at store ("" = any valid national code, which the bank then
// returns on the authorization).
func loginOf(b ddBank, m mandate) (label, want string) {
	if b.LoginBy == "national_code" {
		return "کد ملی", m.NationalCode
	}
	return "شماره همراه", m.Mobile
}

func (p *Provider) renderConsent(slug string, m mandate, v mandateView) ([]byte, error) {
	biz, _ := p.business(slug)
	v.Bank, _ = bankOf(m.BankCode)
	v.Merchant, v.Limit, v.Count = biz.Title, groupDigits(m.Limit), strconv.Itoa(m.Count)
	v.Expires = iran.FormatJalali(m.Expires, "yyyy/MM/dd")
	v.LoginLabel, v.Login = loginOf(v.Bank, m)
	if v.Login == "" {
		v.Login = "هر کد ملی معتبر"
	}
	v.TestPassword = testPassword
	var b bytes.Buffer
	err := mandatePage.Execute(&b, v)
	return b.Bytes(), err
}

// runConsent shows the bank's consent form, or answers it with the redirect
// to callback_url. A scenario may decide the bank's answer (DD_BANK_UNREACHABLE,
// DD_MANDATE_REFUSED); an unhealthy bank sends the customer straight back with
// FAILED_TO_ACCESS_BANK (reference §11.3).
func (p *Provider) runConsent(c *api.Call, r consentReq) (api.Written, error) {
	m, _ := p.mandates.Get(r.slug, r.token)
	b, _ := bankOf(m.BankCode)
	answer := func(outcome, national string) (api.Written, error) {
		done, err := p.answerMandate(r.slug, r.token, outcome, national)
		if err != nil {
			return api.Written{}, p.fail("DD_PAGE_NOT_FOUND")
		}
		return api.Written{}, c.Redirect(http.StatusFound, mandateCallback(done))
	}
	if c.Decision.Outcome == scenario.Failure {
		if c.Decision.Code == "DD_MANDATE_REFUSED" {
			return answer(mdFailed, "")
		}
		return answer(mdBankError, "")
	}
	if !p.bankHealthy(b) {
		return answer(mdBankError, "")
	}
	show := func(v mandateView) (api.Written, error) {
		body, err := p.renderConsent(r.slug, m, v)
		if err != nil {
			return api.Written{}, err
		}
		return api.Written{}, c.OK(http.StatusOK, body)
	}
	switch r.action {
	case "":
		return show(mandateView{})
	case "decline":
		return answer(mdFailed, "")
	case "approve":
		_, want := loginOf(b, m)
		okUser := r.username == want || (want == "" && iran.ValidNationalCode(r.username))
		if !okUser || r.password != testPassword {
			return show(mandateView{Username: r.username, Error: "نام کاربری یا رمز عبور اشتباه است."})
		}
		national := ""
		if b.LoginBy == "national_code" {
			national = r.username
		}
		return answer(mdActive, national)
	}
	return show(mandateView{Username: r.username, Error: "یکی از گزینه\u200cهای تایید یا رد مجوز را انتخاب کنید."})
}

var errMandateGone = errors.New("mandate token is no longer open")

// answerMandate records the customer's answer, once: outcome mdActive grants
// (the authorization is made PENDING_VERIFY), mdFailed refuses, mdBankError is
// an unreachable bank.
func (p *Provider) answerMandate(slug, token, outcome, national string) (mandate, error) {
	now := p.clock.Now()
	var out mandate
	err := p.mandates.Update(slug, token, func(m *mandate) error {
		if m.at(now).State != mdToken {
			return errMandateGone
		}
		m.Answered = now
		switch outcome {
		case mdActive:
			m.State, m.ID, m.CustomerUUID = mdPendingVerify, p.uuid1(now), p.uuid1(now)
			if national != "" {
				m.NationalCode = national
			}
			p.ddIDs.Put(slug, m.ID, token)
		case mdFailed:
			m.State, m.ErrorCode = mdFailed, "21"
		default:
			m.State = mdBankError
		}
		out = *m
		return nil
	})
	return out, err
}

// mandateCallback is the browser's way back (reference §11.4).
func mandateCallback(m mandate) string {
	u, err := url.Parse(m.CallbackURL)
	if err != nil {
		return m.CallbackURL
	}
	q := u.Query()
	q.Set("token", m.Token)
	switch m.State {
	case mdPendingVerify:
		q.Set("authorization_id", m.ID)
		q.Set("status", "SUCCEED")
	case mdFailed:
		q.Set("status", "FAILED")
		q.Set("error_code", m.ErrorCode)
	default:
		q.Set("status", "FAILED_TO_ACCESS_BANK")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// --- authorization by id: verify, show, calculation, revoke ---

type mandateIDReq struct{ id string }

func (p *Provider) parseMandateID(c *api.Call) (mandateIDReq, error) {
	return mandateIDReq{id: c.Param("authorization_id")}, nil
}

// byID is the authorization of an id as the clock sees it.
func (p *Provider) byID(slug, id string, now time.Time) (mandate, bool) {
	tok, ok := p.ddIDs.Get(slug, id)
	if !ok {
		return mandate{}, false
	}
	m, ok := p.mandates.Get(slug, tok)
	if !ok {
		return mandate{}, false
	}
	return m.at(now), true
}

var (
	errVerified    = errors.New("already verified")
	errNotPending  = errors.New("not pending verify")
	errRevokedMand = errors.New("revoked")
)

// verifyOK is verify's documented answer, {"status":1,"message":…} with no
// result (reference §11.5), written as it is (family E).
type verifyOK struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

func (p *Provider) runVerifyMandate(c *api.Call, r mandateIDReq) (verifyOK, error) {
	m, ok := p.byID(c.Tenant, r.id, c.Now)
	if !ok {
		return verifyOK{}, p.fail("DD_MANDATE_NOT_FOUND")
	}
	err := p.mandates.Update(c.Tenant, m.Token, func(x *mandate) error {
		switch x.at(c.Now).State {
		case mdPendingVerify:
			x.State, x.Verified = mdActive, c.Now
			return nil
		case mdActive, mdExpired:
			return errVerified
		case mdRevoked:
			return errRevokedMand
		}
		return errNotPending
	})
	switch {
	case errors.Is(err, errVerified):
		return verifyOK{}, p.fail("DD_ALREADY_VERIFIED")
	case errors.Is(err, errRevokedMand):
		return verifyOK{}, p.failAll(problems{{code: "DD_MANDATE_REVOKED"}})
	case errors.Is(err, errNotPending):
		return verifyOK{}, p.fail("DD_VERIFY_EXPIRED")
	case err != nil:
		return verifyOK{}, err
	}
	return verifyOK{Status: 1, Message: "مجوز با موفقیت تایید شد."}, nil
}

// mandateOut is an authorization as show and list write it (reference §11.6).
type mandateOut struct {
	ID             string  `json:"id"`
	CustomerUUID   string  `json:"customer_uuid"`
	Token          string  `json:"token"`
	BankCode       string  `json:"bank_code"`
	CallbackURL    string  `json:"callback_url"`
	Count          int     `json:"count"`
	Limit          string  `json:"limit"`
	Mobile         string  `json:"mobile"`
	Name           *string `json:"name"`
	Email          *string `json:"email"`
	NationalCode   *string `json:"national_code"`
	ExpirationDate string  `json:"expiration_date"`
	Status         string  `json:"status"`
	CreatedAt      string  `json:"created_at"`
}

func outMandate(m mandate) mandateOut {
	return mandateOut{
		ID: m.ID, CustomerUUID: m.CustomerUUID, Token: m.Token, BankCode: m.BankCode, CallbackURL: m.CallbackURL,
		Count: m.Count, Limit: strconv.FormatInt(m.Limit, 10), Mobile: m.Mobile, Name: strp(m.Name), Email: strp(m.Email),
		NationalCode: strp(m.NationalCode), ExpirationDate: jalali(m.Expires), Status: m.State, CreatedAt: jalali(m.Created),
	}
}

// shown finds an authorization that show, calculation and withdrawals may see:
// unknown or lapsed unverified ones are 404, revoked ones 422 (reference §11.7).
func (p *Provider) shown(slug, id string, now time.Time) (mandate, error) {
	m, ok := p.byID(slug, id, now)
	if !ok || m.State == mdCanceled {
		return m, p.fail("DD_MANDATE_NOT_FOUND")
	}
	if m.State == mdRevoked {
		return m, p.failAll(problems{{code: "DD_MANDATE_REVOKED"}})
	}
	return m, nil
}

func (p *Provider) runShowMandate(c *api.Call, r mandateIDReq) (Result, error) {
	m, err := p.shown(c.Tenant, r.id, c.Now)
	if err != nil {
		return Result{}, err
	}
	return Result{Message: "مجوز با موفقیت به نمایش در آمد.", Data: map[string]any{"authorizations": outMandate(m)}}, nil
}

// calculation is the mandate's room this Jalali month (reference §11.8 gives
// only the path; the body is sandbank's).
type calculation struct {
	Count          int    `json:"count"`
	UsedCount      int    `json:"used_count"`
	RemainedCount  int    `json:"remained_count"`
	Limit          string `json:"limit"`
	ExpirationDate string `json:"expiration_date"`
	Status         string `json:"status"`
}

func (p *Provider) runCalculation(c *api.Call, r mandateIDReq) (Result, error) {
	m, err := p.shown(c.Tenant, r.id, c.Now)
	if err != nil {
		return Result{}, err
	}
	used := p.usedInMonth(c.Tenant, m.ID, c.Now)
	return Result{Message: "محاسبه با موفقیت انجام شد.", Data: map[string]any{"calculation": calculation{
		Count: m.Count, UsedCount: used, RemainedCount: max(0, m.Count-used), Limit: strconv.FormatInt(m.Limit, 10),
		ExpirationDate: jalali(m.Expires), Status: m.State,
	}}}, nil
}

func (p *Provider) runRevoke(c *api.Call, r mandateIDReq) (Result, error) {
	m, ok := p.byID(c.Tenant, r.id, c.Now)
	if !ok || m.State == mdCanceled || m.State == mdRevoked {
		return Result{}, p.fail("SUBSCRIPTION_NOT_FOUND")
	}
	err := p.mandates.Update(c.Tenant, m.Token, func(x *mandate) error {
		if x.State == mdRevoked {
			return errRevokedMand
		}
		x.State, x.Revoked = mdRevoked, c.Now
		return nil
	})
	if err != nil {
		return Result{}, p.fail("SUBSCRIPTION_NOT_FOUND")
	}
	p.mandateRevoked(c.Tenant, m.ID, c.Now)
	return Result{Message: "مجوز با موفقیت لغو گردید.", Data: map[string]any{"authorization": map[string]string{"id": m.ID}}}, nil
}

// --- GET {v3}/subscription/authorization (list) ---

type ddListReq struct {
	pageNums
	q string
}

// parseDDList reads page and per_page (default 20, reference §11.6) and q.
func (p *Provider) parseDDList(c *api.Call) (ddListReq, error) {
	in := readInput(c)
	var ps problems
	r := ddListReq{pageNums: readPageNums(in, 20, "IAM_PAGE", latin, &ps)}
	if s, present, ok := in.str("q"); present {
		if !ok {
			ps = append(ps, ddNotString("q"))
		}
		r.q = s
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

// listURLs are a list's page links on the real host.
func listURLs(c *api.Call, r ddListReq) page.URLs {
	path := c.Request().URL.Path // behind a mount (/vandar, /api.vandar.io) or on the real host
	if i := strings.Index(path, "/v3/"); i > 0 {
		path = path[i:]
	}
	u := page.URLs{Path: "https://" + hostAPI + path}
	if r.q != "" {
		u.Appends = url.Values{"q": {r.q}}
	}
	if r.perPage != 20 {
		if u.Appends == nil {
			u.Appends = url.Values{}
		}
		u.Appends.Set("per_page", strconv.Itoa(r.perPage))
	}
	return u
}

// runMandates lists granted authorizations, newest first; revoked and lapsed
// unverified ones are left out (reference §11.6).
func (p *Provider) runMandates(c *api.Call, r ddListReq) (page.Resource[mandateOut], error) {
	var rows []mandateOut
	items := p.mandates.List(c.Tenant)
	for i := len(items) - 1; i >= 0; i-- {
		m := items[i].Value.at(c.Now)
		if m.ID == "" || m.State == mdRevoked || m.State == mdCanceled {
			continue
		}
		rows = append(rows, outMandate(m))
	}
	if rows == nil {
		rows = []mandateOut{}
	}
	return page.NewResource(listURLs(c, r), r.request(), page.Slice(rows),
		page.ResourceOptions{MetaLinks: true}), nil
}

// --- control plane: POST /_sandbox/vandar/mandates/{token}/approve|decline|bank-error ---

type mandateAnswer struct {
	Token           string `json:"token"`
	Status          string `json:"status"`
	AuthorizationID string `json:"authorization_id,omitempty"`
	State           string `json:"state"`
	Redirect        string `json:"redirect"`
}

func (p *Provider) adminMandate(outcome string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req struct {
			NationalCode string `json:"national_code"`
		}
		if err := decodeJSON(c, &req); err != nil {
			return c.JSON(http.StatusBadRequest, adminError{"body: " + err.Error()})
		}
		token := c.Param("token")
		slug, m, ok := p.mandateOf(token, p.clock.Now())
		if !ok {
			return c.JSON(http.StatusNotFound, adminError{"no mandate with token " + token})
		}
		national := latin(req.NationalCode)
		if b, _ := bankOf(m.BankCode); outcome == mdActive && b.LoginBy == "national_code" && m.NationalCode == "" && national == "" {
			national = iran.MakeNationalCode(m.Mobile[2:11])
		}
		if national != "" && !iran.ValidNationalCode(national) {
			return c.JSON(http.StatusBadRequest, adminError{"national_code: not a valid national code"})
		}
		done, err := p.answerMandate(slug, token, outcome, national)
		if err != nil {
			return c.JSON(http.StatusConflict, adminError{"mandate token " + token + " is no longer open (answered or expired)"})
		}
		out := mandateAnswer{Token: token, AuthorizationID: done.ID, State: done.State, Redirect: mandateCallback(done)}
		out.Status = map[string]string{mdPendingVerify: "SUCCEED", mdFailed: "FAILED"}[done.State]
		if out.Status == "" {
			out.Status = "FAILED_TO_ACCESS_BANK"
		}
		return api.JSON(c, http.StatusOK, out)
	}
}

// adminRoutesDebit are direct debit's control-plane calls.
func (p *Provider) adminRoutesDebit() []api.AdminRoute {
	return []api.AdminRoute{
		{Method: http.MethodPost, Path: "/mandates/:token/approve", Summary: "Grant a direct-debit mandate token as the customer would at the bank → the SUCCEED callback (authorization PENDING_VERIFY)", Handler: p.adminMandate(mdActive)},
		{Method: http.MethodPost, Path: "/mandates/:token/decline", Summary: "Refuse a mandate token at the bank → the FAILED callback (error_code 21)", Handler: p.adminMandate(mdFailed)},
		{Method: http.MethodPost, Path: "/mandates/:token/bank-error", Summary: "The bank cannot be reached for a mandate token → the FAILED_TO_ACCESS_BANK callback", Handler: p.adminMandate(mdBankError)},
		{Method: http.MethodPost, Path: "/debit/banks/:code", Summary: `Set a direct-debit bank's health: {"healthy":false} → banks/actives shows it, the consent page answers FAILED_TO_ACCESS_BANK, withdrawals 409`, Handler: p.adminBankHealth},
		{Method: http.MethodGet, Path: "/debit/customers", Summary: "Magic direct-debit customers: a mandate whose mobile or national code is listed fails every withdrawal with the code", Handler: p.adminMagicCustomers},
	}
}

func (p *Provider) adminBankHealth(c echo.Context) error {
	var req struct {
		Healthy *bool `json:"healthy"`
	}
	if err := decodeJSON(c, &req); err != nil || req.Healthy == nil {
		return c.JSON(http.StatusBadRequest, adminError{`body: want {"healthy":true|false}`})
	}
	b, ok := bankOf(c.Param("code"))
	if !ok {
		return c.JSON(http.StatusNotFound, adminError{"no direct-debit bank with code " + c.Param("code")})
	}
	p.ddHealth.Put("", b.Code, *req.Healthy)
	return api.JSON(c, http.StatusOK, map[string]any{"code": b.Code, "name": b.Name, "is_healthy_on_direct_debit": *req.Healthy})
}

func (p *Provider) adminMagicCustomers(c echo.Context) error {
	return api.JSON(c, http.StatusOK, slices.Clone(magicCustomers))
}
