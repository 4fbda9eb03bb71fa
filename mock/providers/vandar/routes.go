package vandar

import (
	"net/http"
	"slices"

	"github.com/sandbank-dev/sandbank/mock/api"
)

// The route table, grouped by product. Each route names its host and its
// response family (envelope.go); handlers are two-phase operations (api.Op):
// Parse validates in Vandar's order, the engine applies a forced outcome, Run
// acts. Later products (payouts, direct debit, customers, Ravand) add their own
// group with the same helpers.

var (
	get  = []string{http.MethodGet}
	post = []string{http.MethodPost}
)

// Codes every route may be forced to answer: Vandar's documented status table
// (400, 401, 402, 403, 404, 422, 429, 5xx).
var commonFailures = []string{
	"BAD_REQUEST", "UNAUTHENTICATED", "REQUEST_FAILED", "FORBIDDEN", "NOT_FOUND", "VALIDATION", "TOO_MANY_ATTEMPTS",
	"SERVER_ERROR", "EXTERNAL_ERROR", "SERVICE_UNAVAILABLE",
}

func outcomes(extra ...string) api.Outcomes {
	return api.Outcomes{Failures: append(append([]string{}, commonFailures...), extra...), Unknown: []string{}}
}

func ipgOutcomes(extra ...string) api.Outcomes {
	f := []string{"IPG_SERVER_ERROR", "IPG_NOT_FOUND", "IPG_API_KEY_INVALID", "IPG_IP_INVALID", "IPG_FAILED", "TOO_MANY_ATTEMPTS", "SERVICE_UNAVAILABLE"}
	return api.Outcomes{Failures: append(f, extra...), Unknown: []string{}}
}

// op makes the handler of a Parse/Run pair.
func op[Req, Res any](parse func(*api.Call) (Req, error), run func(*api.Call, Req) (Res, error)) func(*api.Call) error {
	return api.Handle(api.Op[Req, Res]{Parse: parse, Run: run})
}

// buildRoutes is the table: one group per product, each in its product's file
// or here for the core. A new product adds its group to this list.
func (p *Provider) buildRoutes() []api.Route {
	var rs []api.Route
	for _, group := range []func() []api.Route{
		p.authRoutes,     // auth.go
		p.businessRoutes, // business.go
		p.ipgRoutes,      // ipg.go, page.go
		p.refundRoutes,   // refund.go
		p.payoutsRoutes,  // settlement.go, batch.go, queued.go, cashin.go
	} {
		rs = append(rs, group()...)
	}
	return rs
}

// Auth (reference §2).
func (p *Provider) authRoutes() []api.Route {
	e := familyE{p}
	rs := []api.Route{{Operation: "vandar.refreshToken", Host: hostAPI, Methods: post, Path: "/v3/refreshtoken", Envelope: e,
		Handler: op(p.parseRefresh, p.runRefresh), Outcomes: outcomes("REFRESHTOKEN_REQUIRED", "REFRESHTOKEN_STRING"),
		Summary: "Refresh: a new token pair; the old pair stops working"}}
	if p.cfg.legacyLogin {
		rs = append(rs, api.Route{Operation: "vandar.login", Host: hostAPI, Methods: post, Path: "/v3/login", Envelope: e,
			Handler: op(p.parseLogin, p.runLogin), Outcomes: outcomes("LOGIN_MOBILE_REQUIRED", "LOGIN_PASSWORD_REQUIRED", "LOGIN_FAILED"),
			Summary: "Legacy login (mobile, password) → a token pair"})
	}
	return rs
}

// Business, balance, transaction report (reference §3).
func (p *Provider) businessRoutes() []api.Route {
	a, biz := familyA{p}, p.authBusiness()
	return []api.Route{
		{Operation: "vandar.business", Host: hostAPI, Methods: get, Path: "/v2/business/:business", Envelope: a, Auth: biz,
			Handler: op(p.parseNone, p.runBusiness), Outcomes: outcomes("BUSINESS_NOT_FOUND"), Summary: "Business information"},
		{Operation: "vandar.businessUsers", Host: hostAPI, Methods: get, Path: "/v2/business/:business/iam", Envelope: a, Auth: biz,
			Handler: op(p.parseIAM, p.runIAM), Outcomes: outcomes("BUSINESS_NOT_FOUND", "IAM_PAGE"), Summary: "Business users (iam)"},
		{Operation: "vandar.balance", Host: hostAPI, Methods: get, Path: "/v2/business/:business/balance", Envelope: a, Auth: biz,
			Handler: op(p.parseNone, p.runBalance), Outcomes: outcomes("BUSINESS_NOT_FOUND"), Summary: "Wallet balance (Toman)"},
		{Operation: "vandar.transactions", Host: hostAPI, Methods: get, Path: "/v3/business/:business/transaction", Envelope: a, Auth: biz,
			Handler: op(p.parseReport, p.runReport),
			Outcomes: outcomes("BUSINESS_NOT_FOUND", "REPORT_PER_PAGE", "REPORT_DATE", "REPORT_STATUS", "REPORT_STATUS_KIND", "REPORT_CHANNEL",
				"REPORT_SEARCH_FIELD", "REPORT_START_AFTER"),
			Summary: "Transaction report over the wallet (filters, start_after cursor, Toman)"},
	}
}

// Payment gateway (reference §4): v4 primary, v3 as aliases.
func (p *Provider) ipgRoutes() []api.Route {
	d := familyD{p}
	return []api.Route{
		{Operation: "vandar.ipgSend", Host: hostIPG, Methods: post, Path: "/api/v4/send", Aliases: []string{"/api/v3/send"}, Envelope: d,
			Auth: p.authIPG, Handler: op(p.parseSend, p.runSend), Outcomes: ipgOutcomes("IPG_CALLBACK_DOMAIN", "IPG_AMOUNT_MIN"),
			Summary: "IPG send: amount (Rial) and callback_url → token"},
		{Operation: "vandar.ipgPage", Host: hostIPG, Methods: []string{http.MethodGet, http.MethodPost}, Path: "/v4/:token",
			Aliases: []string{"/v3/:token"}, Envelope: familyPage{p}, Handler: op(p.parsePage, p.runPage),
			Outcomes: api.Outcomes{Failures: payCodes(), Unknown: []string{"PAY_BANK_TIMEOUT"}, InReply: append(payOnly(), "PAY_BANK_TIMEOUT")},
			Summary:  "Hosted payment page: card form, send code, Pay/Cancel → callback_url?token=…&payment_status=OK|FAILED"},
		{Operation: "vandar.ipgTransaction", Host: hostIPG, Methods: post, Path: "/api/v4/transaction", Aliases: []string{"/api/v3/transaction"},
			Envelope: d, Auth: p.authIPG, Handler: op(p.parseToken, p.runTransaction), Outcomes: ipgOutcomes("IPG_TOKEN_INVALID"),
			Summary: "IPG transaction info before verify (code 0–4)"},
		{Operation: "vandar.ipgVerify", Host: hostIPG, Methods: post, Path: "/api/v4/verify", Aliases: []string{"/api/v3/verify"},
			Envelope: d, Auth: p.authIPG, Handler: op(p.parseToken, p.runVerify),
			Outcomes: ipgOutcomes("IPG_TOKEN_INVALID", "IPG_ALREADY_VERIFIED", "IPG_VERIFY_EXPIRED"),
			Summary:  "IPG verify: once, within 20 minutes; credits the wallet"},
	}
}

// Refund (reference §5).
func (p *Provider) refundRoutes() []api.Route {
	return []api.Route{{Operation: "vandar.refund", Host: hostAPI, Methods: post, Path: "/v3/business/:business/transaction/:transaction_id/refund",
		Envelope: familyA{p}, Auth: p.authBusiness(), Handler: op(p.parseRefund, p.runRefund),
		Outcomes: api.Outcomes{Failures: append(append([]string{}, commonFailures...), "BUSINESS_NOT_FOUND", "REFUND_TX_NOT_FOUND", "REFUND_NOT_REFUNDABLE",
			"REFUND_ALREADY", "REFUND_BALANCE", "REFUND_TOOL_INACTIVE"), Unknown: []string{}, Statuses: []string{"PENDING", "DONE", "FAILED"}},
		Summary: "Refund a verified IPG payment to the payer's card: rows per 15,000,000 Toman, wallet debited, notify_url webhook"}}
}

// Payouts and wallet funding (reference §6–§10): settlement, batch, queued,
// Avand, cash-in. Literal settlement paths (banks, queued, account) come
// before the :id routes (reference §1.12).
func (p *Provider) payoutsRoutes() []api.Route {
	a, c, e, biz := familyA{p}, familyC{p}, familyE{p}, p.authBusiness()
	del := []string{http.MethodDelete}
	const v3 = "/v3/business/:business"
	stl := api.Outcomes{Failures: append(append([]string{}, commonFailures...), "BUSINESS_NOT_FOUND", "SETTLEMENT_BALANCE",
		"SETTLEMENT_IBAN_INVALID", "SETTLEMENT_AMOUNT_MIN", "SETTLEMENT_TRACK_DUPLICATE", "SETTLEMENT_BANK_UNAVAILABLE"),
		Unknown: []string{}, Statuses: []string{"INIT", "PENDING", "DONE", "FAILED"}, AtKeywords: []string{"next-cycle"}}
	o := func(extra ...string) api.Outcomes {
		return outcomes(append([]string{"BUSINESS_NOT_FOUND"}, extra...)...)
	}
	return []api.Route{
		{Operation: "vandar.settlementStore", Host: hostAPI, Methods: post, Path: v3 + "/settlement/store", Envelope: a, Auth: biz,
			Handler: op(p.parseSettle, p.runSettle), Outcomes: stl,
			Summary: "Settlement to an IBAN: amount Toman (≥ 5000), reply Rial with amount_toman; PENDING → DONE|FAILED at the next 30-minute cycle"},
		{Operation: "vandar.settlementBanks", Host: hostAPI, Methods: get, Path: v3 + "/settlement/banks", Envelope: e, Auth: biz,
			Handler: op(p.parseBanks, p.runBanks), Outcomes: o(), Summary: "Banks with their A2A ability, health and daily limit (Rial)"},
		{Operation: "vandar.queuedStore", Host: hostAPI, Methods: post, Path: v3 + "/settlement/queued", Envelope: a, Auth: biz,
			Handler: op(p.parseSettle, p.runQueue), Outcomes: o("SETTLEMENT_TRACK_DUPLICATE"),
			Summary: "Queued settlement (unverified): waits until the wallet holds its amount, then is sent"},
		{Operation: "vandar.queuedList", Host: hostAPI, Methods: get, Path: v3 + "/settlement/queued", Envelope: c, Auth: biz,
			Handler: op(p.parseList, p.runQueuedList), Outcomes: o(), Summary: "Queued settlements (Laravel collection)"},
		{Operation: "vandar.queuedCancel", Host: hostAPI, Methods: post, Path: v3 + "/settlement/queued/cancel", Envelope: a, Auth: biz,
			Handler: op(p.parseQueuedID, p.runQueuedCancel), Outcomes: o("QUEUED_NOT_FOUND", "QUEUED_NOT_CANCELED"),
			Summary: `Cancel a waiting queued settlement: {"id"}`},
		{Operation: "vandar.queuedShow", Host: hostAPI, Methods: get, Path: v3 + "/settlement/queued/:id", Envelope: a, Auth: biz,
			Handler: op(p.parseQueuedID, p.runQueuedShow), Outcomes: o("QUEUED_NOT_FOUND"), Summary: "One queued settlement"},
		{Operation: "vandar.avandBalance", Host: hostAPI, Methods: get, Path: v3 + "/settlement/account/:iban/last-balance", Envelope: e, Auth: biz,
			Handler: op(p.parseAvandIBAN, p.runAvandBalance), Outcomes: o("AVAND_IBAN_NOT_FOUND"),
			Summary: "Avand (unverified): the business bank account's balance (Rial)"},
		{Operation: "vandar.avandStatement", Host: hostAPI, Methods: get, Path: v3 + "/settlement/account/statement", Envelope: c, Auth: biz,
			Handler: op(p.parseList, p.runAvandStatement), Outcomes: o(), Summary: "Avand (unverified): the bank account's statement"},
		{Operation: "vandar.settlementList", Host: hostAPI, Methods: get, Path: "/v2.1/business/:business/settlement",
			Aliases: []string{"/v4/business/:business/settlement"}, Envelope: a, Auth: biz, Handler: op(p.parseList, p.runList),
			Outcomes: o("SETTLEMENT_PAGE"), Summary: "Settlements, newest first (Toman, length-aware paginator)"},
		{Operation: "vandar.settlementShow", Host: hostAPI, Methods: get, Path: "/v2.1/business/:business/settlement/:settlement_id",
			Aliases: []string{"/v4/business/:business/settlement/:settlement_id"}, Envelope: a, Auth: biz,
			Handler: op(p.parseSettlementID, p.runShow), Outcomes: o("SETTLEMENT_NOT_FOUND"),
			Summary: "One settlement by id (also transaction_id or track_id)"},
		{Operation: "vandar.settlementCancel", Host: hostAPI, Methods: del, Path: "/v2.1/business/:business/settlement/:transaction_id",
			Aliases: []string{"/v4/business/:business/settlement/:transaction_id"}, Envelope: a, Auth: biz,
			Handler: op(p.parseSettlementID, p.runCancel), Outcomes: o("SETTLEMENT_NOT_FOUND", "SETTLEMENT_CANCEL_FINAL", "SETTLEMENT_CANCEL_INSTANT"),
			Summary: "Cancel a PENDING settlement before its cycle; the money comes back"},
		{Operation: "vandar.batchStore", Host: hostBatch, Methods: post, Path: "/api/v2/business/:business/batches-settlement", Envelope: e, Auth: biz,
			Handler: op(p.parseBatch, p.runBatch), Outcomes: o("BATCH_ID_DUPLICATE"),
			Summary: "Batch settlement: items Rial 50,000–500,000,000, each checked on its own"},
		{Operation: "vandar.batchList", Host: hostBatch, Methods: get, Path: "/api/v2/business/:business/batches", Envelope: c, Auth: biz,
			Handler: op(p.parseList, p.runBatches), Outcomes: o(), Summary: "Batches (Laravel collection, 10 per page)"},
		{Operation: "vandar.batchShow", Host: hostBatch, Methods: get, Path: "/api/v2/business/:business/batch-settlements/:batch_id", Envelope: c,
			Auth: biz, Handler: op(p.parseBatchDetail, p.runBatchDetail), Outcomes: o("BATCH_NOT_FOUND"),
			Summary: "A batch's items, filter status=INIT|SUBMITTED|FAILED"},
		{Operation: "vandar.cashInCode", Host: hostAPI, Methods: get, Path: v3 + "/cash-in/code", Envelope: a, Auth: biz,
			Handler: op(p.parseNone, p.runCashCode), Outcomes: o(), Summary: "Cash-in by code (unverified): the business's deposit code"},
		{Operation: "vandar.cashInCodeTransactions", Host: hostAPI, Methods: get, Path: v3 + "/cash-in/pic/transactions", Envelope: c, Auth: biz,
			Handler: op(p.parseList, p.runCodeTxs), Outcomes: o(), Summary: "Payments made with the code"},
		{Operation: "vandar.cashInSuspicious", Host: hostAPI, Methods: get, Path: v3 + "/cash-in/suspicious-payment", Envelope: c, Auth: biz,
			Handler: op(p.parseList, p.runSuspicious), Outcomes: o(), Summary: "Payments with a wrong code, waiting for accept/reject"},
		{Operation: "vandar.cashInSuspiciousAction", Host: hostAPI, Methods: post, Path: v3 + "/cash-in/suspicious-payment/:id", Envelope: a,
			Auth: biz, Handler: op(p.parseSuspAction, p.runSuspAction), Outcomes: o("CASHIN_NOT_FOUND", "CASHIN_ALREADY_DONE", "CASHIN_STATUS"),
			Summary: `Accept ({"status":"accept"}) or reject a suspicious payment`},
		{Operation: "vandar.cashInAccounts", Host: hostAPI, Methods: get, Path: v3 + "/cash-in/account", Envelope: e, Auth: biz,
			Handler: op(p.parseNone, p.runCashAccounts), Outcomes: o("CASHIN_TOOL_INACTIVE", "CASHIN_FAILED"),
			Summary: "Bank cash-in: the business's active accounts"},
		{Operation: "vandar.cashInDeposit", Host: hostAPI, Methods: post, Path: v3 + "/cash-in/account/deposit", Envelope: a, Auth: biz,
			Handler: op(p.parseCash(true), p.runDeposit), Outcomes: o("CASHIN_TOOL_INACTIVE", "CASHIN_FAILED", "CASHIN_TRACK_DUPLICATE"),
			Summary: "Bank cash-in: pull Rials from the account; rows of ≤ 100M Toman, INIT → DONE at the next cycle"},
		{Operation: "vandar.cashInBalance", Host: hostAPI, Methods: post, Path: v3 + "/cash-in/account/balance", Envelope: e, Auth: biz,
			Handler: op(p.parseCash(false), p.runCashBalance), Outcomes: o("CASHIN_TOOL_INACTIVE", "CASHIN_FAILED"),
			Summary: "Bank cash-in: the account's balance (Rial)"},
	}
}

// payOnly lists the bank's answers to a payment (the PAY_ codes).
func payOnly() []string {
	var out []string
	for code := range codes {
		if isPayCode(code) {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}

// payCodes are what a scenario may force on the page: a bank answer (recorded
// on the payment, the page still redirects) or a server error.
func payCodes() []string { return append(payOnly(), "SERVER_ERROR", "SERVICE_UNAVAILABLE") }

// Routes is the route table.
func (p *Provider) Routes() []api.Route { return p.routes }

func isPayCode(code string) bool { return len(code) > 4 && code[:4] == "PAY_" }
