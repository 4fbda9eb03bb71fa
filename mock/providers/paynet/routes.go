package paynet

import (
	"net/http"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Routes is the route table: every stored-card service is a JSON POST under
// /v1/card/ at the host root. Every operation is Custom: the handler checks the
// body's shape first, then applies a forced code, so a malformed request is 11
// whatever the scenario says, and 100 can answer the normal body.
func (p *Provider) Routes() []api.Route {
	o := api.Outcomes{Failures: errorCodes, Unknown: []string{}, Custom: true, UnknownFault: scenario.Fault502}
	r := func(op, path, summary string, h func(*api.Call) error) api.Route {
		return api.Route{Operation: "paynet." + op, Methods: []string{http.MethodPost}, Path: "/v1/card/" + path, Auth: p.auth, Handler: h, Outcomes: o, Summary: summary}
	}
	return []api.Route{
		r("cardSave", "save", "Store a card for an owner (card_owner_id issued on the first save of a user_unique_id)", p.cardSave),
		r("cardList", "list", "List an owner's stored cards, index-paged", p.cardList),
		r("cardDelete", "delete", "Put the deletion mark on a stored card", p.cardDelete),
		r("cardDescUpdate", "desc_update", "Rename a stored card", p.cardDescUpdate),
		r("cardSendOtp", "send_otp", "Send an OTP to the card holder's GSM for an otp_session_id", p.cardSendOTP),
		r("cardCheckOtp", "check_otp", "Verify the OTP of an otp_session_id", p.cardCheckOTP),
	}
}
