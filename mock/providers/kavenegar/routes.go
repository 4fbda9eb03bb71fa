package kavenegar

import (
	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

var bothMethods = []string{"GET", "POST"}

// Routes is the route table: every method answers GET and POST (§1), paths end in
// .json; anything else under /v1/{apikey}/{scope}/{method} is an unknown method.
func (p *Provider) Routes() []api.Route {
	// Every operation is an api.Op, so a forced code comes after the request is
	// judged and before anything changes. utils/getdate alone is api.Plain: it
	// reads no parameter and accepts any key, so there is nothing to judge first.
	send := api.Outcomes{Failures: errorCodes, Unknown: []string{}, Statuses: planStatuses, UnknownFault: scenario.Fault502}
	change := api.Outcomes{Failures: errorCodes, Unknown: []string{}, UnknownFault: scenario.Fault502}
	read := api.Outcomes{Failures: errorCodes, Unknown: []string{}}
	r := func(op, path, summary string, h func(*api.Call) error, o api.Outcomes) api.Route {
		return api.Route{Operation: "kavenegar." + op, Methods: bothMethods, Path: "/v1/:apikey/" + path, Auth: p.auth, Handler: h, Outcomes: o, Summary: summary}
	}
	routes := []api.Route{
		r("smsSend", "sms/send.json", "Send one text to up to 200 receptors", api.Handle(p.sends(p.smsSend)), send),
		r("smsSendArray", "sms/sendarray.json", "Send arrays of receptor/sender/message", api.Handle(p.sends(p.smsSendArray)), send),
		r("smsStatus", "sms/status.json", "Delivery status by message id", api.Handle(p.smsStatus()), read),
		r("smsStatusLocalMessageId", "sms/statuslocalmessageid.json", "Delivery status by client local id", api.Handle(p.smsStatusLocal()), read),
		r("smsSelect", "sms/select.json", "Full message objects by message id", api.Handle(p.smsSelect()), read),
		r("smsSelectOutbox", "sms/selectoutbox.json", "Outbox between two dates", api.Handle(p.smsSelectOutbox()), read),
		r("smsLatestOutbox", "sms/latestoutbox.json", "Latest outbox messages", api.Handle(p.smsLatestOutbox()), read),
		r("smsCancel", "sms/cancel.json", "Cancel queued or scheduled messages", api.Handle(p.smsCancel()), change),
		r("smsReceive", "sms/receive.json", "Inbound messages of a line", api.Handle(p.smsReceive()), read),
		r("smsCountInbox", "sms/countinbox.json", "Count inbound messages", api.Handle(p.smsCountInbox()), read),
		r("smsCountOutbox", "sms/countoutbox.json", "Count outbound messages, parts and cost", api.Handle(p.smsCountOutbox()), read),
		r("smsCountPostalCode", "sms/countpostalcode.json", "Numbers per operator in a postal code", api.Handle(p.smsCountPostalCode()), read),
		r("smsSendByPostalCode", "sms/sendbypostalcode.json", "Send to the numbers of a postal code", api.Handle(p.sends(p.smsSendByPostalCode)), send),
		r("verifyLookup", "verify/lookup.json", "Send a verification code from a template", api.Handle(p.sends(p.verifyLookup)), send),
		r("callMakeTTS", "call/maketts.json", "Voice call reading a text", api.Handle(p.sends(p.callMakeTTS)), send),
		r("callStatus", "call/status.json", "Status of voice calls by message id", api.Handle(p.smsStatus()), read),
		r("accountInfo", "account/info.json", "Credit, expiry and type of the account", api.Handle(p.accountInfo()), read),
		r("accountConfig", "account/config.json", "Read or change account settings", api.Handle(p.accountConfig()), change),
	}
	getdate := r("utilsGetDate", "utils/getdate.json", "Server date and time (any key, even 0)", api.Plain(p.utilsGetDate), read)
	getdate.Auth = authAny
	unknown := r("unknownMethod", ":scope/:method", "Any other scope/method (also .xml): 404", api.Handle(unknownMethod), api.Outcomes{Failures: errorCodes, Unknown: []string{}})
	unknown.Auth = authAny
	return append(routes, getdate, unknown)
}

// unknownMethod answers 404 for any other scope/method: the path itself is the
// bad input, so it is answered before any forced code.
var unknownMethod = api.Op[struct{}, struct{}]{
	Parse: func(*api.Call) (struct{}, error) { return struct{}{}, errCode("404") },
	Run:   func(*api.Call, struct{}) (struct{}, error) { return struct{}{}, nil },
}
