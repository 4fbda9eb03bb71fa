package vandar

import (
	"net/http"
	"slices"
	"strings"

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
		p.customerRoutes, // customers.go, customer_fields.go, customer_wallet.go
		p.identityRoutes, // identity.go, instruments.go, inquiry.go
		p.ravandRoutes,   // ravand*.go
		p.debitRoutes,    // debit.go, withdrawal.go, debit_refund.go
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
			Handler: op(p.parsePageNums("IAM_PAGE"), p.runIAM), Outcomes: outcomes("BUSINESS_NOT_FOUND", "IAM_PAGE"), Summary: "Business users (iam)"},
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

// Customers v2 (reference §12): records, custom fields, customer wallets.
// Literal "fields" routes are static, so Echo matches them before :customer
// (§1.12). The seed's field list names no business (a literal "business"
// segment): it answers the token's own business; the :business spelling is its
// alias. Field update answers PUT (the seed) and PATCH (Postman); the
// transaction list POST (the seed) and GET (the docs).
func (p *Provider) customerRoutes() []api.Route {
	c, e, biz := familyC{p}, familyE{p}, p.authBusiness()
	const base = "/v2/business/:business/customers"
	wallet := customerOutcomes("CUSTOMER_NOT_FOUND", "WALLET_VALIDATION", "WALLET_INSUFFICIENT", "WALLET_TRACK_ID_TAKEN")
	return []api.Route{
		{Operation: "vandar.customers", Host: hostAPI, Methods: get, Path: base, Envelope: c, Auth: biz,
			Handler: op(p.parseCustomerList, p.runCustomerList), Outcomes: customerOutcomes("CUSTOMER_VALIDATION", "CUSTOMER_LIST_PER_PAGE"),
			Summary: "Customers, newest first (page, per_page ≤ 100; filters type, mobile, national_code, q)"},
		{Operation: "vandar.customerCreate", Host: hostAPI, Methods: post, Path: base, Envelope: e, Auth: biz,
			Handler: op(p.parseCustomerCreate, p.runCustomerCreate), Outcomes: customerOutcomes("CUSTOMER_VALIDATION", "CUSTOMER_FIELD_MISSING"),
			Summary: "Create a customer (INDIVIDUAL or LEGAL) with custom field values"},
		{Operation: "vandar.customerFields", Host: hostAPI, Methods: get, Path: "/v2/business/business/customers/fields",
			Aliases: []string{base + "/fields"}, Envelope: c, Auth: biz,
			Handler: op(p.parseFieldList, p.runFieldList), Outcomes: customerOutcomes("CUSTOMER_LIST_PER_PAGE"),
			Summary: "The business's custom fields (the seed's literal /v2/business/business/… path: the token's business)"},
		{Operation: "vandar.customerFieldCreate", Host: hostAPI, Methods: post, Path: base + "/fields", Envelope: e, Auth: biz,
			Handler: op(p.fieldName, p.runFieldCreate), Outcomes: customerOutcomes("FIELD_NAME_REQUIRED"), Summary: "Create a custom field"},
		{Operation: "vandar.customerField", Host: hostAPI, Methods: get, Path: base + "/fields/:field_id", Envelope: e, Auth: biz,
			Handler: op(p.parseFieldID, p.runFieldShow), Outcomes: customerOutcomes("FIELD_NOT_FOUND", "FIELD_FOREIGN"), Summary: "One custom field"},
		{Operation: "vandar.customerFieldUpdate", Host: hostAPI, Methods: []string{http.MethodPut}, Path: base + "/fields/:field_id",
			Envelope: e, Auth: biz, Handler: op(p.parseFieldUpdate, p.runFieldUpdate),
			Outcomes: customerOutcomes("FIELD_NOT_FOUND", "FIELD_FOREIGN", "FIELD_NAME_REQUIRED"), Summary: "Rename a custom field"},
		{Operation: "vandar.customerFieldPatch", Host: hostAPI, Methods: []string{http.MethodPatch}, Path: base + "/fields/:field_id",
			Envelope: e, Auth: biz, Handler: op(p.parseFieldUpdate, p.runFieldUpdate),
			Outcomes: customerOutcomes("FIELD_NOT_FOUND", "FIELD_FOREIGN", "FIELD_NAME_REQUIRED"), Summary: "Rename a custom field (PATCH, as Postman sends it)"},
		{Operation: "vandar.customerFieldDelete", Host: hostAPI, Methods: []string{http.MethodDelete}, Path: base + "/fields/:field_id",
			Envelope: e, Auth: biz, Handler: op(p.parseFieldID, p.runFieldDelete), Outcomes: customerOutcomes("FIELD_NOT_FOUND", "FIELD_FOREIGN"),
			Summary: "Delete a custom field (customers stop showing its values)"},
		{Operation: "vandar.customer", Host: hostAPI, Methods: get, Path: base + "/:customer", Envelope: e, Auth: biz,
			Handler: op(p.parseCustomerID, p.runCustomerShow), Outcomes: customerOutcomes("CUSTOMER_NOT_FOUND"), Summary: "One customer"},
		{Operation: "vandar.customerUpdate", Host: hostAPI, Methods: []string{http.MethodPut}, Path: base + "/:customer", Envelope: e, Auth: biz,
			Handler: op(p.parseCustomerUpdate, p.runCustomerUpdate), Outcomes: customerOutcomes("CUSTOMER_NOT_FOUND", "CUSTOMER_VALIDATION", "CUSTOMER_FIELD_MISSING"),
			Summary: "Update a customer (type required; the fields sent change)"},
		{Operation: "vandar.customerDelete", Host: hostAPI, Methods: []string{http.MethodDelete}, Path: base + "/:customer", Envelope: e, Auth: biz,
			Handler: op(p.parseCustomerID, p.runCustomerDelete), Outcomes: customerOutcomes("CUSTOMER_NOT_FOUND"),
			Summary: "Delete a customer (its wallet and sub-resources then answer 404)"},
		{Operation: "vandar.customerWallet", Host: hostAPI, Methods: get, Path: base + "/:customer/wallet", Envelope: e, Auth: biz,
			Handler: op(p.parseCustomerID, p.runCustomerWallet), Outcomes: customerOutcomes("CUSTOMER_NOT_FOUND"), Summary: "Customer wallet balance (Rial)"},
		{Operation: "vandar.customerDeposit", Host: hostAPI, Methods: post, Path: base + "/:customer/wallet/deposit", Envelope: e, Auth: biz,
			Handler: op(p.parseWalletMove, p.runDeposit), Outcomes: wallet, Summary: "Deposit to a customer wallet (Rial; track_id unique)"},
		{Operation: "vandar.customerWithdraw", Host: hostAPI, Methods: post, Path: base + "/:customer/wallet/withdraw", Envelope: e, Auth: biz,
			Handler: op(p.parseWalletMove, p.runWithdraw), Outcomes: wallet, Summary: "Withdraw from a customer wallet (not above its balance)"},
		{Operation: "vandar.customerTransactions", Host: hostAPI, Methods: []string{http.MethodPost, http.MethodGet}, Path: base + "/:customer/transactions",
			Envelope: c, Auth: biz, Handler: op(p.parseMoveList, p.runMoveList),
			Outcomes: customerOutcomes("CUSTOMER_NOT_FOUND", "CUSTOMER_LIST_PER_PAGE", "CUSTOMER_TX_TYPE"),
			Summary:  "Customer wallet movements, newest first (POST; GET alias; filters type, track_id)"},
	}
}

// Customer identity, IBANs, cards and inquiries (reference §13, §14). Literal
// segments (customers/inquiry/*, cards/to-iban) are static routes, which the
// router tries before the :customer and :card parameters (reference §1.12).
func (p *Provider) identityRoutes() []api.Route {
	e, c, biz := familyE{p}, familyC{p}, p.authBusiness()
	const v3 = "/v3/business/:business/customers/"
	const v2 = "/v2/business/:business/customers/"
	cust := []string{"BUSINESS_NOT_FOUND", "CUSTOMER_NOT_FOUND"}
	with := func(extra ...string) api.Outcomes { return outcomes(append(append([]string{}, cust...), extra...)...) }
	auth := with("AUTH_FAILURE", "AUTH_PENDING", "AUTH_NOT_FOUND")
	auth.InReply = []string{"AUTH_FAILURE", "AUTH_PENDING", "AUTH_NOT_FOUND"}
	ibanInq := with("IBAN_INVALID", "IBAN_DUPLICATE", "IBAN_NOT_FOUND", "IBAN_UNMATCHED")
	ibanInq.InReply = []string{"IBAN_UNMATCHED"}
	cardInq := with("CARD_INVALID", "CARD_DUPLICATE", "CARD_NOT_FOUND", "CARD_UNMATCHED")
	cardInq.InReply = []string{"CARD_UNMATCHED"}
	toIBAN := with("CARD_INVALID", "CARD_TO_IBAN_BANK", "IBAN_UNMATCHED")
	toIBAN.InReply = []string{"IBAN_UNMATCHED"}
	rs := []api.Route{
		{Operation: "vandar.customerKYC", Host: hostAPI, Methods: post, Path: v3 + ":customer/authentication/kyc",
			Aliases: []string{v2 + ":customer/authentication/kyc"}, Envelope: e, Auth: biz, Handler: op(p.parseIdentityCustomer, p.runKYC),
			Outcomes: auth, Summary: "KYC of a customer: its names and national code against the civil registry → authentication_status"},
		{Operation: "vandar.customerShahkar", Host: hostAPI, Methods: post, Path: v3 + ":customer/authentication/shahkar",
			Aliases: []string{v2 + ":customer/authentication/shahkar"}, Envelope: e, Auth: biz, Handler: op(p.parseIdentityCustomer, p.runShahkar),
			Outcomes: auth, Summary: "Shahkar of a customer: mobile ↔ national code → authentication_status"},
		{Operation: "vandar.customerCashInCode", Host: hostAPI, Methods: get, Path: v3 + ":customer/cash-in-code",
			Aliases: []string{v2 + ":customer/cash-in-code"}, Envelope: e, Auth: biz, Handler: op(p.parseIdentityCustomer, p.runCashInCode),
			Outcomes: with(), Summary: "The customer's 15-digit cash-in code (made on first call)"},
		{Operation: "vandar.customerIBANAdd", Host: hostAPI, Methods: post, Path: v3 + ":customer/ibans", Envelope: e, Auth: biz,
			Handler: op(p.parseIBANAdd, p.runIBANAdd), Outcomes: ibanInq, Summary: "Add an IBAN (mod 97, bank code; optional ownership inquiry)"},
		{Operation: "vandar.customerIBANs", Host: hostAPI, Methods: get, Path: v3 + ":customer/ibans", Envelope: c, Auth: biz,
			Handler: op(p.parseInstrumentList, p.runIBANList), Outcomes: with(), Summary: "The customer's IBANs (Laravel collection, 15 a page)"},
		{Operation: "vandar.customerIBANDelete", Host: hostAPI, Methods: []string{http.MethodDelete}, Path: v3 + ":customer/ibans",
			Aliases: []string{v3 + ":customer/ibans/:iban"}, Envelope: e, Auth: biz, Handler: op(p.parseIBANRef, p.runIBANDelete),
			Outcomes: with("IBAN_NOT_FOUND"), Summary: "Delete an IBAN (iban in the body or query; alias with :iban)"},
		{Operation: "vandar.customerIBANInquiry", Host: hostAPI, Methods: post, Path: v3 + ":customer/ibans/:iban/inquiry", Envelope: e,
			Auth: biz, Handler: op(p.parseIBANInquiry, p.runIBANInquiry), Outcomes: ibanInq,
			Summary: "Who owns the IBAN → iban_compatibility against the customer's national code"},
		{Operation: "vandar.customerIBANDefault", Host: hostAPI, Methods: post, Path: v3 + ":customer/ibans/:iban/set-default", Envelope: e,
			Auth: biz, Handler: op(p.parseIBANRef, p.runIBANDefault), Outcomes: with("IBAN_NOT_FOUND"), Summary: "Make an IBAN the only default"},
		{Operation: "vandar.customerCardAdd", Host: hostAPI, Methods: post, Path: v3 + ":customer/cards", Envelope: e, Auth: biz,
			Handler: op(p.parseCardAdd, p.runCardAdd), Outcomes: cardInq, Summary: "Add a card (Luhn, BIN → bank; optional ownership inquiry)"},
		{Operation: "vandar.customerCards", Host: hostAPI, Methods: get, Path: v3 + ":customer/cards", Envelope: c, Auth: biz,
			Handler: op(p.parseInstrumentList, p.runCardList), Outcomes: with(), Summary: "The customer's cards (Laravel collection, 15 a page)"},
		{Operation: "vandar.customerCardDelete", Host: hostAPI, Methods: []string{http.MethodDelete}, Path: v3 + ":customer/cards/:card",
			Envelope: e, Auth: biz, Handler: op(p.parseCardRef, p.runCardDelete), Outcomes: with("CARD_NOT_FOUND"), Summary: "Delete a card"},
		{Operation: "vandar.customerCardInquiry", Host: hostAPI, Methods: post, Path: v3 + ":customer/cards/:card/inquiry", Envelope: e,
			Auth: biz, Handler: op(p.parseCardInquiry, p.runCardInquiry), Outcomes: cardInq,
			Summary: "Whose card it is → card_compatibility against the customer's national code"},
		{Operation: "vandar.customerCardDefault", Host: hostAPI, Methods: post, Path: v3 + ":customer/cards/:card/set-default", Envelope: e,
			Auth: biz, Handler: op(p.parseCardRef, p.runCardDefault), Outcomes: with("CARD_NOT_FOUND"), Summary: "Make a card the only default"},
		{Operation: "vandar.customerCardToIBAN", Host: hostAPI, Methods: post, Path: v3 + ":customer/cards/to-iban", Envelope: e, Auth: biz,
			Handler: op(p.parseToIBAN, p.runToIBAN), Outcomes: toIBAN, Summary: "The IBAN of the account behind a card, added to the customer"},
	}
	for _, k := range inquiryKinds {
		o := outcomes("BUSINESS_NOT_FOUND", "INQUIRY_NOT_FOUND", "INQUIRY_MISMATCH", "INQUIRY_TRACK_ID")
		switch k.kind {
		case "kyc", "shahkar":
			o = outcomes("BUSINESS_NOT_FOUND", "INQUIRY_TRACK_ID", "AUTH_FAILURE", "AUTH_PENDING", "AUTH_NOT_FOUND")
			o.InReply = auth.InReply
		case "national-code-iban", "match-mobile-card":
			o.Failures = append(o.Failures, "INQUIRY_UNMATCHED")
			o.InReply = []string{"INQUIRY_UNMATCHED"}
		}
		rs = append(rs, api.Route{Operation: "vandar.inquiry." + k.kind, Host: hostAPI, Methods: post, Path: v3 + "inquiry/" + k.kind,
			Envelope: e, Auth: biz, Handler: op(p.parseInquiry(k.kind, k.fields), p.runInquiry), Outcomes: o,
			Summary: "Inquiry " + k.kind + " [inferred body]: " + strings.Join(k.fields, ", ")})
	}
	return rs
}

// Direct debit (reference §11): banks, mandates with the consent page on the
// subscription host, withdrawals, subscription refunds. Literal segments
// (authorization/store, withdrawal/store, withdrawal/track-id) are siblings of
// the :id routes with other methods or more segments, so they always win.
func (p *Provider) debitRoutes() []api.Route {
	b, c, biz := familyB{p}, familyC{p}, p.authBusiness()
	const sub = "/v3/business/:business/subscription"
	o := func(extra ...string) api.Outcomes {
		return outcomes(append([]string{"BUSINESS_NOT_FOUND"}, extra...)...)
	}
	wdCodesForced := []string{}
	for code := range wdCodes {
		wdCodesForced = append(wdCodesForced, "DD_"+code)
	}
	slices.Sort(wdCodesForced)
	wdStore := o(append([]string{"DD_WD_BANK", "DD_WD_COUNT", "DD_WD_LIMIT", "DD_WD_TRACK_DUP", "DD_MANDATE_NOT_FOUND", "DD_MANDATE_REVOKED"}, wdCodesForced...)...)
	wdStore.InReply = wdCodesForced
	return []api.Route{
		{Operation: "vandar.ddBanks", Host: hostAPI, Methods: get, Path: sub + "/banks/actives", Envelope: b, Auth: biz,
			Handler: op(p.parseNone, p.runBanks), Outcomes: o(), Summary: "Direct-debit banks of the business (the consent page's table)"},
		{Operation: "vandar.ddMandateStore", Host: hostAPI, Methods: post, Path: sub + "/authorization/store", Envelope: b, Auth: biz,
			Handler: op(p.parseMandate, p.runMandate), Outcomes: o("DD_BANK_CODE", "DD_MOBILE", "DD_EXPIRATION_AFTER"),
			Summary: "Mandate request: bank_code, mobile, callback_url, count, limit (Rial), expiration_date → token (20 minutes, single use)"},
		{Operation: "vandar.ddConsentPage", Host: hostSubscription, Methods: []string{http.MethodGet, http.MethodPost}, Path: "/authorizations/:token",
			Envelope: familyPage{p}, Handler: op(p.parseConsent, p.runConsent),
			Outcomes: api.Outcomes{Failures: []string{"DD_BANK_UNREACHABLE", "DD_MANDATE_REFUSED", "SERVER_ERROR", "SERVICE_UNAVAILABLE"}, Unknown: []string{},
				InReply: []string{"DD_BANK_UNREACHABLE", "DD_MANDATE_REFUSED"}},
			Summary: "The bank's consent page (RTL Persian, branded per bank): log in, approve or decline → callback_url?token=…&status=SUCCEED|FAILED|FAILED_TO_ACCESS_BANK"},
		{Operation: "vandar.ddMandateVerify", Host: hostAPI, Methods: []string{http.MethodPatch}, Path: sub + "/authorization/:authorization_id/verify",
			Envelope: familyE{p}, Auth: biz, Handler: op(p.parseMandateID, p.runVerifyMandate),
			Outcomes: o("DD_MANDATE_NOT_FOUND", "DD_ALREADY_VERIFIED", "DD_VERIFY_EXPIRED", "DD_MANDATE_REVOKED"),
			Summary:  "Verify a granted mandate, once, within 20 minutes → ACTIVE"},
		{Operation: "vandar.ddMandateShow", Host: hostAPI, Methods: get, Path: sub + "/authorization/:authorization_id/search",
			Aliases: []string{sub + "/authorization/:authorization_id"}, Envelope: b, Auth: biz, Handler: op(p.parseMandateID, p.runShowMandate),
			Outcomes: o("DD_APP_NOT_FOUND", "DD_MANDATE_NOT_FOUND", "DD_MANDATE_REVOKED"), Summary: "One mandate (result.authorizations)"},
		{Operation: "vandar.ddMandateCalculation", Host: hostAPI, Methods: get, Path: sub + "/authorization/:authorization_id/calculation",
			Envelope: b, Auth: biz, Handler: op(p.parseMandateID, p.runCalculation), Outcomes: o("DD_MANDATE_NOT_FOUND", "DD_MANDATE_REVOKED"),
			Summary: "A mandate's withdrawals used and left this Jalali month"},
		{Operation: "vandar.ddMandateList", Host: hostAPI, Methods: get, Path: sub + "/authorization", Envelope: c, Auth: biz,
			Handler: op(p.parseDDList, p.runMandates), Outcomes: o("IAM_PAGE"), Summary: "Mandates (Laravel collection, 20 a page; revoked ones left out)"},
		{Operation: "vandar.ddMandateRevoke", Host: hostAPI, Methods: []string{http.MethodDelete}, Path: sub + "/authorization/:authorization_id",
			Envelope: b, Auth: biz, Handler: op(p.parseMandateID, p.runRevoke), Outcomes: o("SUBSCRIPTION_NOT_FOUND"),
			Summary: "Revoke a mandate: withdrawals refused, later attempts fail with 13"},
		{Operation: "vandar.ddWithdrawalStore", Host: hostAPI, Methods: post, Path: sub + "/withdrawal/store", Envelope: b, Auth: biz,
			Handler: op(p.parseWithdrawal, p.runWithdrawal), Outcomes: wdStore,
			Summary: "Withdraw under an active mandate (≤ limit, count a Jalali month): PENDING → INIT → DONE|FAILED with retries, wallet credited, notify_url webhook"},
		{Operation: "vandar.ddWithdrawalByTrackID", Host: hostAPI, Methods: get, Path: sub + "/withdrawal/track-id/:track_id", Envelope: b, Auth: biz,
			Handler: op(p.parseWithdrawalID, p.runWithdrawalByTrack), Outcomes: o("DD_WD_NOT_FOUND"), Summary: "One withdrawal by track_id"},
		{Operation: "vandar.ddWithdrawalShow", Host: hostAPI, Methods: get, Path: sub + "/withdrawal/:withdrawal_id", Envelope: b, Auth: biz,
			Handler: op(p.parseWithdrawalID, p.runShowWithdrawal), Outcomes: o("DD_WD_NOT_FOUND"), Summary: "One withdrawal"},
		{Operation: "vandar.ddWithdrawalList", Host: hostAPI, Methods: get, Path: sub + "/withdrawal", Envelope: c, Auth: biz,
			Handler: op(p.parseDDList, p.runWithdrawals), Outcomes: o("IAM_PAGE"), Summary: "Withdrawals (Laravel collection; ?q=<authorization_id> keeps one mandate's)"},
		{Operation: "vandar.ddWithdrawalCancel", Host: hostAPI, Methods: []string{http.MethodPut}, Path: sub + "/withdrawal/:withdrawal_id", Envelope: b, Auth: biz,
			Handler: op(p.parseWithdrawalID, p.runCancelWithdrawal), Outcomes: o("DD_WD_NOT_FOUND", "DD_WD_NOT_CANCELABLE"),
			Summary: "Cancel a scheduled withdrawal before it runs → CANCELED"},
		{Operation: "vandar.ddRefundStore", Host: hostAPI, Methods: post, Path: sub + "/refunds", Envelope: b, Auth: biz,
			Handler: op(p.parseDDRefund, p.runDDRefund), Outcomes: o("DD_WD_NOT_FOUND", "DD_REFUND_NOT_DONE", "DD_REFUND_ALREADY", "REFUND_BALANCE"),
			Summary: "Refund a DONE withdrawal to the customer: wallet debited, PENDING → DONE, the withdrawal reads REFUND"},
		{Operation: "vandar.ddRefundList", Host: hostAPI, Methods: get, Path: sub + "/refunds", Envelope: c, Auth: biz,
			Handler: op(p.parseDDList, p.runDDRefunds), Outcomes: o("IAM_PAGE"), Summary: "Subscription refunds (Laravel collection)"},
		{Operation: "vandar.ddRefundShow", Host: hostAPI, Methods: get, Path: sub + "/refunds/:refund_id", Envelope: b, Auth: biz,
			Handler: op(p.parseDDRefundID, p.runShowDDRefund), Outcomes: o("DD_REFUND_NOT_FOUND"), Summary: "One subscription refund"},
	}
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
			Handler: op(p.parseBanks, p.runStlBanks), Outcomes: o(), Summary: "Banks with their A2A ability, health and daily limit (Rial)"},
		{Operation: "vandar.queuedStore", Host: hostAPI, Methods: post, Path: v3 + "/settlement/queued", Envelope: a, Auth: biz,
			Handler: op(p.parseSettle, p.runQueue), Outcomes: o("SETTLEMENT_TRACK_DUPLICATE"),
			Summary: "Queued settlement (unverified): waits until the wallet holds its amount, then is sent"},
		{Operation: "vandar.queuedList", Host: hostAPI, Methods: get, Path: v3 + "/settlement/queued", Envelope: c, Auth: biz,
			Handler: op(p.parsePageNums("SETTLEMENT_PAGE"), p.runQueuedList), Outcomes: o(), Summary: "Queued settlements (Laravel collection)"},
		{Operation: "vandar.queuedCancel", Host: hostAPI, Methods: post, Path: v3 + "/settlement/queued/cancel", Envelope: a, Auth: biz,
			Handler: op(p.parseQueuedID, p.runQueuedCancel), Outcomes: o("QUEUED_NOT_FOUND", "QUEUED_NOT_CANCELED"),
			Summary: `Cancel a waiting queued settlement: {"id"}`},
		{Operation: "vandar.queuedShow", Host: hostAPI, Methods: get, Path: v3 + "/settlement/queued/:id", Envelope: a, Auth: biz,
			Handler: op(p.parseQueuedID, p.runQueuedShow), Outcomes: o("QUEUED_NOT_FOUND"), Summary: "One queued settlement"},
		{Operation: "vandar.avandBalance", Host: hostAPI, Methods: get, Path: v3 + "/settlement/account/:iban/last-balance", Envelope: e, Auth: biz,
			Handler: op(p.parseAvandIBAN, p.runAvandBalance), Outcomes: o("AVAND_IBAN_NOT_FOUND"),
			Summary: "Avand (unverified): the business bank account's balance (Rial)"},
		{Operation: "vandar.avandStatement", Host: hostAPI, Methods: get, Path: v3 + "/settlement/account/statement", Envelope: c, Auth: biz,
			Handler: op(p.parsePageNums("SETTLEMENT_PAGE"), p.runAvandStatement), Outcomes: o(), Summary: "Avand (unverified): the bank account's statement"},
		{Operation: "vandar.settlementList", Host: hostAPI, Methods: get, Path: "/v2.1/business/:business/settlement",
			Aliases: []string{"/v4/business/:business/settlement"}, Envelope: a, Auth: biz, Handler: op(p.parsePageNums("SETTLEMENT_PAGE"), p.runStlList),
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
			Handler: op(p.parsePageNums("SETTLEMENT_PAGE"), p.runBatches), Outcomes: o(), Summary: "Batches (Laravel collection, 10 per page)"},
		{Operation: "vandar.batchShow", Host: hostBatch, Methods: get, Path: "/api/v2/business/:business/batch-settlements/:batch_id", Envelope: c,
			Auth: biz, Handler: op(p.parseBatchDetail, p.runBatchDetail), Outcomes: o("BATCH_NOT_FOUND"),
			Summary: "A batch's items, filter status=INIT|SUBMITTED|FAILED"},
		{Operation: "vandar.cashInCode", Host: hostAPI, Methods: get, Path: v3 + "/cash-in/code", Envelope: a, Auth: biz,
			Handler: op(p.parseNone, p.runCashCode), Outcomes: o(), Summary: "Cash-in by code (unverified): the business's deposit code"},
		{Operation: "vandar.cashInCodeTransactions", Host: hostAPI, Methods: get, Path: v3 + "/cash-in/pic/transactions", Envelope: c, Auth: biz,
			Handler: op(p.parsePageNums("SETTLEMENT_PAGE"), p.runCodeTxs), Outcomes: o(), Summary: "Payments made with the code"},
		{Operation: "vandar.cashInSuspicious", Host: hostAPI, Methods: get, Path: v3 + "/cash-in/suspicious-payment", Envelope: c, Auth: biz,
			Handler: op(p.parsePageNums("SETTLEMENT_PAGE"), p.runSuspicious), Outcomes: o(), Summary: "Payments with a wrong code, waiting for accept/reject"},
		{Operation: "vandar.cashInSuspiciousAction", Host: hostAPI, Methods: post, Path: v3 + "/cash-in/suspicious-payment/:id", Envelope: a,
			Auth: biz, Handler: op(p.parseSuspAction, p.runSuspAction), Outcomes: o("CASHIN_NOT_FOUND", "CASHIN_ALREADY_DONE", "CASHIN_STATUS"),
			Summary: `Accept ({"status":"accept"}) or reject a suspicious payment`},
		{Operation: "vandar.cashInAccounts", Host: hostAPI, Methods: get, Path: v3 + "/cash-in/account", Envelope: e, Auth: biz,
			Handler: op(p.parseNone, p.runCashAccounts), Outcomes: o("CASHIN_TOOL_INACTIVE", "CASHIN_FAILED"),
			Summary: "Bank cash-in: the business's active accounts"},
		{Operation: "vandar.cashInDeposit", Host: hostAPI, Methods: post, Path: v3 + "/cash-in/account/deposit", Envelope: a, Auth: biz,
			Handler: op(p.parseCash(true), p.runCashDeposit), Outcomes: o("CASHIN_TOOL_INACTIVE", "CASHIN_FAILED", "CASHIN_TRACK_DUPLICATE"),
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
