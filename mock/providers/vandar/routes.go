package vandar

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// route is one operation: its host, its family and its handler built from a
// Parse/Run pair (handle). The route table is grouped by product; later products
// (payouts, direct debit, customers, Ravand) add their own group.
type route struct {
	op      string
	host    string // one of Hosts()
	methods []string
	path    string
	aliases []string
	fam     family
	auth    func(c echo.Context) (string, error)
	handler func(c *api.Call) error
	out     api.Outcomes
	summary string
}

var (
	get  = []string{http.MethodGet}
	post = []string{http.MethodPost}
)

// Codes every route may be forced to answer: the status table of the seed
// (400, 401, 402, 403, 404, 422, 429, 5xx).
var commonFailures = []string{
	"BAD_REQUEST", "UNAUTHENTICATED", "REQUEST_FAILED", "FORBIDDEN", "NOT_FOUND", "VALIDATION", "TOO_MANY_ATTEMPTS",
	"SERVER_ERROR", "EXTERNAL_ERROR", "SERVICE_UNAVAILABLE",
}

func outcomes(extra ...string) api.Outcomes {
	return api.Outcomes{Failures: append(append([]string{}, commonFailures...), extra...), Unknown: []string{}, Custom: true}
}

func ipgOutcomes(extra ...string) api.Outcomes {
	f := []string{"IPG_SERVER_ERROR", "IPG_NOT_FOUND", "IPG_API_KEY_INVALID", "IPG_IP_INVALID", "IPG_FAILED", "TOO_MANY_ATTEMPTS", "SERVICE_UNAVAILABLE"}
	return api.Outcomes{Failures: append(f, extra...), Unknown: []string{}, Custom: true}
}

func (p *Provider) buildRoutes() []route {
	a, d, e, pg := familyA{p}, familyD{p}, familyE{p}, familyPage{p}
	biz := p.authBusiness(a)
	var rs []route

	// Auth (reference §2).
	rs = append(rs, route{op: "vandar.refreshToken", host: hostAPI, methods: post, path: "/v3/refreshtoken", fam: e,
		auth: p.authNone(e), handler: handle(p, e, p.parseRefresh, p.runRefresh, false),
		out: outcomes("REFRESHTOKEN_REQUIRED", "REFRESHTOKEN_STRING"), summary: "Refresh: a new token pair; the old pair stops working"})

	if p.cfg.legacyLogin {
		rs = append(rs, route{op: "vandar.login", host: hostAPI, methods: post, path: "/v3/login", fam: e,
			auth: p.authNone(e), handler: handle(p, e, p.parseLogin, p.runLogin, false),
			out: outcomes("LOGIN_MOBILE_REQUIRED", "LOGIN_PASSWORD_REQUIRED", "LOGIN_FAILED"), summary: "Legacy login (mobile, password) → a token pair"})
	}

	// Business, balance, transaction report (reference §3).
	rs = append(rs,
		route{op: "vandar.business", host: hostAPI, methods: get, path: "/v2/business/:business", fam: a, auth: biz,
			handler: handle(p, a, p.parseNone, p.runBusiness, false), out: outcomes("BUSINESS_NOT_FOUND"), summary: "Business information"},
		route{op: "vandar.businessUsers", host: hostAPI, methods: get, path: "/v2/business/:business/iam", fam: a, auth: biz,
			handler: handle(p, a, p.parseIAM, p.runIAM, false), out: outcomes("BUSINESS_NOT_FOUND", "IAM_PAGE"), summary: "Business users (iam)"},
		route{op: "vandar.balance", host: hostAPI, methods: get, path: "/v2/business/:business/balance", fam: a, auth: biz,
			handler: handle(p, a, p.parseNone, p.runBalance, false), out: outcomes("BUSINESS_NOT_FOUND"), summary: "Wallet balance (Toman)"},
		route{op: "vandar.transactions", host: hostAPI, methods: get, path: "/v3/business/:business/transaction", fam: a, auth: biz,
			handler: handle(p, a, p.parseReport, p.runReport, false),
			out:     outcomes("BUSINESS_NOT_FOUND", "REPORT_PER_PAGE", "REPORT_DATE", "REPORT_STATUS", "REPORT_STATUS_KIND", "REPORT_CHANNEL", "REPORT_SEARCH_FIELD", "REPORT_START_AFTER"),
			summary: "Transaction report over the wallet (filters, start_after cursor, Toman)"},
	)

	// Payment gateway (reference §4): v4 primary, v3 as aliases.
	rs = append(rs,
		route{op: "vandar.ipgSend", host: hostIPG, methods: post, path: "/api/v4/send", aliases: []string{"/api/v3/send"}, fam: d,
			auth: p.authIPG, handler: handle(p, d, p.parseSend, p.runSend, false),
			out: ipgOutcomes("IPG_CALLBACK_DOMAIN", "IPG_AMOUNT_MIN"), summary: "IPG send: amount (Rial) and callback_url → token"},
		route{op: "vandar.ipgPage", host: hostIPG, methods: []string{http.MethodGet, http.MethodPost}, path: "/v4/:token", aliases: []string{"/v3/:token"},
			fam: pg, auth: p.authNone(pg), handler: p.pageHandler(pg),
			out:     api.Outcomes{Failures: payCodes(), Unknown: []string{"PAY_BANK_TIMEOUT"}, Custom: true},
			summary: "Hosted payment page: card form, send code, Pay/Cancel → callback_url?token=…&payment_status=OK|FAILED"},
		route{op: "vandar.ipgTransaction", host: hostIPG, methods: post, path: "/api/v4/transaction", aliases: []string{"/api/v3/transaction"}, fam: d,
			auth: p.authIPG, handler: handle(p, d, p.parseToken, p.runTransaction, false),
			out: ipgOutcomes("IPG_TOKEN_INVALID"), summary: "IPG transaction info before verify (code 0–4)"},
		route{op: "vandar.ipgVerify", host: hostIPG, methods: post, path: "/api/v4/verify", aliases: []string{"/api/v3/verify"}, fam: d,
			auth: p.authIPG, handler: handle(p, d, p.parseToken, p.runVerify, false),
			out: ipgOutcomes("IPG_TOKEN_INVALID", "IPG_ALREADY_VERIFIED", "IPG_VERIFY_EXPIRED"), summary: "IPG verify: once, within 20 minutes; credits the wallet"},
	)

	// Refund (reference §5).
	rs = append(rs, route{op: "vandar.refund", host: hostAPI, methods: post, path: "/v3/business/:business/transaction/:transaction_id/refund",
		fam: a, auth: biz, handler: handle(p, a, p.parseRefund, p.runRefund, false),
		out: api.Outcomes{Failures: append(append([]string{}, commonFailures...), "BUSINESS_NOT_FOUND", "REFUND_TX_NOT_FOUND", "REFUND_NOT_REFUNDABLE",
			"REFUND_ALREADY", "REFUND_BALANCE", "REFUND_TOOL_INACTIVE"), Unknown: []string{}, Statuses: []string{"PENDING", "DONE", "FAILED"}, Custom: true},
		summary: "Refund a verified IPG payment to the payer's card: rows per 15,000,000 Toman, wallet debited, notify_url webhook"})
	return rs
}

func payCodes() []string {
	var out []string
	for code := range codes {
		if len(code) > 4 && code[:4] == "PAY_" {
			out = append(out, code)
		}
	}
	return append(out, "SERVER_ERROR", "SERVICE_UNAVAILABLE")
}

// Routes is the engine's view of the table.
func (p *Provider) Routes() []api.Route {
	out := make([]api.Route, len(p.routes))
	for i, r := range p.routes {
		out[i] = api.Route{Operation: r.op, Methods: r.methods, Path: r.path, Aliases: r.aliases, Auth: r.auth,
			Handler: r.handler, Outcomes: r.out, Summary: r.summary}
	}
	return out
}

// handle runs an operation in two phases: Parse validates in Vandar's order,
// then a forced outcome applies (so a scenario's failure never hides a
// validation error), then Run acts and the family writes the answer. When the
// operation records the decision itself (record), Run sees it instead.
func handle[Req, Res any](p *Provider, f family, parse func(*api.Call) (Req, error), run func(*api.Call, Req) (Res, error), record bool) func(*api.Call) error {
	return func(c *api.Call) error {
		req, err := parse(c)
		if err != nil {
			return err
		}
		if !record {
			switch d := c.Decision; {
			case d.Outcome == scenario.Failure:
				return p.cat.Err(d.Code)
			case d.Outcome == scenario.Unknown && d.Code != "":
				return p.cat.Err(d.Code)
			}
		}
		res, err := run(c, req)
		if err != nil {
			return err
		}
		return f.OK(c, http.StatusOK, res)
	}
}

// pageHandler answers the page: HTML, or the redirect to callback_url. A forced
// failure or unknown decides the bank's answer to Pay (the payment records it),
// so the page keeps its browser flow.
func (p *Provider) pageHandler(f family) func(c *api.Call) error {
	return func(c *api.Call) error {
		r, err := p.parsePage(c)
		if err != nil {
			return err
		}
		if c.Request().Method != http.MethodPost || r.action != "pay" {
			if d := c.Decision; d.Outcome == scenario.Failure && !isPayCode(d.Code) {
				return p.cat.Err(d.Code)
			}
		}
		out, err := p.runPage(c, r)
		if err != nil {
			return err
		}
		if out.redirect != "" {
			return c.Redirect(http.StatusFound, out.redirect)
		}
		return f.OK(c, http.StatusOK, out.html)
	}
}

func isPayCode(code string) bool { return len(code) > 4 && code[:4] == "PAY_" }
