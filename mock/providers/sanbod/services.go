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

// bankCall is a typed bank service split into the two phases of an api.Op:
// decode the body and let the bank judge it (Parse), then let the bank act with
// the final decision (Run).
type bankCall struct {
	check func(p *Provider, c bank.Ctx, body []byte) (func(bank.Ctx) (any, int, error), error)
}

// call adapts a bank service's check: decode into Req, judge, hand back the act.
func call[Req, Res any](check func(*bank.Bank, bank.Ctx, Req) (bank.Act[Res], error)) bankCall {
	return bankCall{check: func(p *Provider, c bank.Ctx, body []byte) (func(bank.Ctx) (any, int, error), error) {
		var r Req
		if err := p.decodeJSON(body, &r); err != nil {
			return nil, err
		}
		act, err := check(p.bank, c, r)
		if err != nil {
			return nil, err
		}
		return func(c bank.Ctx) (any, int, error) { return act(c) }, nil
	}}
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
	normal := ac("normaltransfer", "Intra-bank transfer between deposits of the same bank (AC)", call((*bank.Bank).CheckNormalTransfer))
	normal.custom = true
	ach := ac("achtransfer", "PAYA transfer to an IBAN of another bank (AC)", call((*bank.Bank).CheckAchTransfer))
	ach.custom, ach.statuses, ach.at = true, bank.AchStatuses(), bank.AtKeywords()
	rtgs := ac("rtgstransfer", "SATNA transfer above the floor to an IBAN (AC)", call((*bank.Bank).CheckRtgsTransfer))
	rtgs.custom, rtgs.statuses, rtgs.at = true, bank.RtgsStatuses(), bank.AtKeywords()
	const inq = "/sanboom/v1/banksinquiry/"
	return []service{
		normal, ach, rtgs,
		ac("statement", "Statement of a consented deposit with running balance (AC)", call((*bank.Bank).CheckStatement)),
		ac("achreport", "PAYA transfers of a deposit and their statuses (AC)", call((*bank.Bank).CheckAchReport)),
		ac("rtgsreport", "SATNA transfers of a deposit and their statuses (AC)", call((*bank.Bank).CheckRtgsReport)),
		cc("deposittoiban", inq+"deposittoiban", true, "Deposit number to IBAN (CC)", call((*bank.Bank).CheckDepositToIban)),
		cc("cardtoiban", inq+"cardtoiban", true, "Card number to IBAN (CC)", call((*bank.Bank).CheckCardToIban)),
		cc("cardtodeposit", inq+"cardtodeposit", true, "Card number to deposit number (CC)", call((*bank.Bank).CheckCardToDeposit)),
		cc("ibaninquiry", inq+"ibaninquiry", true, "IBAN owner and deposit status (CC)", call((*bank.Bank).CheckIbanInquiry)),
		cc("ibantodeposit", "/banks/v1/ibantodeposit", true, "IBAN to deposit number (CC)", call((*bank.Bank).CheckIbanToDeposit)),
		cc("mobilenationalid", "/sanboom/v1/infomatching/mobilenationalid", false, "Does the mobile belong to the national id (CC)", call((*bank.Bank).CheckMobileNationalID)),
		cc("cardnationalid", "/sanboom/v1/infomatching/cardnationalid", false, "Does the card belong to the national id (CC)", call((*bank.Bank).CheckCardNationalID)),
		cc("personal", "/sanboom/v1/infoinquiry/personal", false, "Civil registry record by national id and birth date (CC)", call((*bank.Bank).CheckPersonal),
			"personal", "personalinquiry", "citizenshipverification"),
		cc("personalwithimage", "/sanboom/v1/infoinquiry/personalwithimage", false, "Civil registry record with photo (CC)", call((*bank.Bank).CheckPersonalWithImage),
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

// checked is a service request the bank has judged: the context it was judged
// in and what the bank does next.
type checked struct {
	ctx bank.Ctx
	act func(bank.Ctx) (any, int, error)
}

// serve is the one operation of every service: the token was checked by auth;
// Parse decodes the body and has the bank judge it in its own order, so a
// forced code meets a judged request; Run gives the bank the final decision and
// wraps its answer.
func (p *Provider) serve(s *service) api.Op[checked, success] {
	return api.Op[checked, success]{
		Parse: func(c *api.Call) (checked, error) {
			body, err := io.ReadAll(c.Request().Body)
			if err != nil {
				return checked{}, p.fail("BODY_INVALID")
			}
			ctx := bank.Ctx{Tenant: c.Tenant, Now: c.Now, TraceID: traceID(c), Errors: p.cat}
			if g, ok := c.Get(keyGrant).(grant); ok && g.Kind == grantAC {
				ctx.Deposits, ctx.ProviderCode = g.Deposits, g.Private.ProviderCode
			}
			act, err := s.run.check(p, ctx, body)
			return checked{ctx: ctx, act: act}, err
		},
		Run: func(c *api.Call, r checked) (success, error) {
			r.ctx.Decision = c.Decision
			msg, n, err := r.act(r.ctx)
			if err != nil {
				return success{}, err
			}
			tid := r.ctx.TraceID
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
