package paynet

import (
	"net/http"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Routes is the route table: every stored-card service is a JSON POST under
// /v1/card/ at the host root, on the one host (the test host is an alias). Each
// operation is an api.Op: its Parse judges the body's shape, so a malformed
// request is 11 whatever the scenario says; the engine then answers a forced
// code, except 100 (oldsuccessful), which the operation answers in its normal
// body (Outcomes.InReply). A merchant key the fixtures publish as failing is the
// operations' Magic.
func (p *Provider) Routes() []api.Route {
	o := api.Outcomes{Failures: errorCodes, Unknown: []string{}, InReply: []string{codeOldSuccess}, UnknownFault: scenario.Fault502}
	r := func(op, path, summary string, h func(*api.Call) error) api.Route {
		return api.Route{Operation: "paynet." + op, Methods: []string{http.MethodPost}, Path: "/v1/card/" + path,
			Envelope: wire{object: "card_" + path}, Auth: p.auth, Handler: h, Outcomes: o, Summary: summary}
	}
	return []api.Route{
		r("cardSave", "save", "Store a card for an owner (card_owner_id issued on the first save of a user_unique_id)", api.Handle(p.cardSave())),
		r("cardList", "list", "List an owner's stored cards, index-paged", api.Handle(p.cardList())),
		r("cardDelete", "delete", "Put the deletion mark on a stored card", api.Handle(p.cardDelete())),
		r("cardDescUpdate", "desc_update", "Rename a stored card", api.Handle(p.cardDescUpdate())),
		r("cardSendOtp", "send_otp", "Send an OTP to the card holder's GSM for an otp_session_id", api.Handle(p.cardSendOTP())),
		r("cardCheckOtp", "check_otp", "Verify the OTP of an otp_session_id", api.Handle(p.cardCheckOTP())),
		// The logo is api.Plain: it allows no outcome (Failures empty), so nothing
		// can be forced ahead of its file-name check.
		{Operation: "paynet.bankLogo", Methods: []string{http.MethodGet}, Path: logoPath + ":file", Handler: api.Plain(p.bankLogo),
			Outcomes: api.Outcomes{Failures: []string{}, Unknown: []string{}}, Summary: "The bank logo card_logo_url points at (PNG)"},
	}
}
