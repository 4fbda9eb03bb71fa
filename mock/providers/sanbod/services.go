package sanbod

import (
	"io"
	"reflect"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/providers/sanbod/bank"
)

// service is one bank service: who may call it and how its body reaches the bank.
type service struct {
	name     string
	grant    string   // AC or CC
	scopes   []string // any of them opens the service
	public   string   // the public clients' path; "" when none is known
	prefixed bool     // also answered under the configured service prefixes
	custom   bool     // the bank answers forced codes itself (transfers): Outcomes.InReply
	statuses []string // lifecycle statuses a scenario timeline may name
	at       []string // words a timeline's at may use besides durations
	summary  string
	run      bankCall
}

// bankCall is a typed bank method split into the two phases of an api.Op:
// decode the body, then call the bank with the final decision.
type bankCall struct {
	decode func(p *Provider, body []byte) (any, error)
	run    func(p *Provider, c bank.Ctx, req any) (any, int, error)
}

// call adapts a typed bank method: decode into Req, call, hand back the message
// and result_number.
func call[Req, Res any](fn func(*bank.Bank, bank.Ctx, Req) (Res, int, error)) bankCall {
	return bankCall{
		decode: func(p *Provider, body []byte) (any, error) {
			var r Req
			if err := p.decodeJSON(body, &r); err != nil {
				return nil, err
			}
			return r, nil
		},
		run: func(p *Provider, c bank.Ctx, req any) (any, int, error) {
			res, n, err := fn(p.bank, c, req.(Req))
			return res, n, err
		},
	}
}

// services is every service of the bank API. Paths: AC services have no public
// client, so they live under the configured prefixes only (/banks/v1 first); the
// conversion and identity services keep the paths the Go and PHP clients call.
func services() []service {
	ac := func(name, summary string, run bankCall) service {
		return service{name: name, grant: grantAC, scopes: []string{name}, prefixed: true, summary: summary, run: run}
	}
	cc := func(name, public string, prefixed bool, summary string, run bankCall, scopes ...string) service {
		if len(scopes) == 0 {
			scopes = []string{name}
		}
		return service{name: name, grant: grantCC, scopes: scopes, public: public, prefixed: prefixed, summary: summary, run: run}
	}
	normal := ac("normaltransfer", "Intra-bank transfer between deposits of the same bank (AC)", call((*bank.Bank).NormalTransfer))
	normal.custom = true
	ach := ac("achtransfer", "PAYA transfer to an IBAN of another bank (AC)", call((*bank.Bank).AchTransfer))
	ach.custom, ach.statuses, ach.at = true, bank.AchStatuses(), bank.AtKeywords()
	rtgs := ac("rtgstransfer", "SATNA transfer above the floor to an IBAN (AC)", call((*bank.Bank).RtgsTransfer))
	rtgs.custom, rtgs.statuses, rtgs.at = true, bank.RtgsStatuses(), bank.AtKeywords()
	const inq = "/sanboom/v1/banksinquiry/"
	return []service{
		normal, ach, rtgs,
		ac("statement", "Statement of a consented deposit with running balance (AC)", call((*bank.Bank).Statement)),
		ac("achreport", "PAYA transfers of a deposit and their statuses (AC)", call((*bank.Bank).AchReport)),
		ac("rtgsreport", "SATNA transfers of a deposit and their statuses (AC)", call((*bank.Bank).RtgsReport)),
		cc("deposittoiban", inq+"deposittoiban", true, "Deposit number to IBAN (CC)", call((*bank.Bank).DepositToIban)),
		cc("cardtoiban", inq+"cardtoiban", true, "Card number to IBAN (CC)", call((*bank.Bank).CardToIban)),
		cc("cardtodeposit", inq+"cardtodeposit", true, "Card number to deposit number (CC)", call((*bank.Bank).CardToDeposit)),
		cc("ibaninquiry", inq+"ibaninquiry", true, "IBAN owner and deposit status (CC)", call((*bank.Bank).IbanInquiry)),
		cc("ibantodeposit", "/banks/v1/ibantodeposit", true, "IBAN to deposit number (CC)", call((*bank.Bank).IbanToDeposit)),
		cc("mobilenationalid", "/sanboom/v1/infomatching/mobilenationalid", false, "Does the mobile belong to the national id (CC)", call((*bank.Bank).MobileNationalID)),
		cc("cardnationalid", "/sanboom/v1/infomatching/cardnationalid", false, "Does the card belong to the national id (CC)", call((*bank.Bank).CardNationalID)),
		cc("personal", "/sanboom/v1/infoinquiry/personal", false, "Civil registry record by national id and birth date (CC)", call((*bank.Bank).Personal),
			"personal", "personalinquiry", "citizenshipverification"),
		cc("personalwithimage", "/sanboom/v1/infoinquiry/personalwithimage", false, "Civil registry record with photo (CC)", call((*bank.Bank).PersonalWithImage),
			"personalwithimage", "personalimage", "personalimageinquiry"),
	}
}

// success is the envelope of every service answer.
type success struct {
	Error        bool      `json:"error"`
	Message      any       `json:"message"`
	ResultNumber int       `json:"result_number"`
	TraceID      traceEcho `json:"traceid"`
	TraceIDStr   string    `json:"trace_id"`
}

// serve is the one operation of every service: the token was checked by auth;
// Parse decodes the body into the bank method's request, Run builds the bank
// context from the grant and wraps the bank's answer.
func (p *Provider) serve(s *service) api.Op[any, success] {
	return api.Op[any, success]{
		Parse: func(c *api.Call) (any, error) {
			body, err := io.ReadAll(c.Request().Body)
			if err != nil {
				return nil, p.fail("BODY_INVALID")
			}
			return s.run.decode(p, body)
		},
		Run: func(c *api.Call, req any) (success, error) {
			tid := traceID(c)
			ctx := bank.Ctx{Tenant: c.Tenant, Now: c.Now, Decision: c.Decision, TraceID: tid, Errors: p.cat}
			if g, ok := c.Get(keyGrant).(grant); ok && g.Kind == grantAC {
				ctx.Deposits, ctx.ProviderCode = g.Deposits, g.Private.ProviderCode
			}
			msg, n, err := s.run.run(p, ctx, req)
			if err != nil {
				return success{}, err
			}
			return success{Message: emptyList(msg), ResultNumber: n, TraceID: traceEcho(tid), TraceIDStr: tid}, nil
		},
	}
}

// emptyList turns a nil list into [] so an empty report is "message": [] and not
// null, which clients would read as no message at all.
func emptyList(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.IsNil() {
		return []struct{}{}
	}
	return v
}
