package finnotech

import (
	"slices"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/providers/finnotech/bank"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// The service handlers are thin: gateway rules here (trackId, token deposits,
// the per-transaction maximum, scenario codes that are not bank answers), the
// banking in package bank.

// gatewayFailure is the catalogue error a scenario forces when its code is a
// gateway code rather than a bon-card result code; nil otherwise.
func (p *Provider) gatewayFailure(d scenario.Decision) error {
	if d.Outcome == scenario.Failure && !p.isResult(d.Code) {
		return p.errCode(d.Code)
	}
	return nil
}

func (p *Provider) isResult(code string) bool {
	_, found := p.resultIndex[code]
	return found
}

// ownDeposit requires the path's deposit to be one the user granted (§2.2).
func (p *Provider) ownDeposit(c *api.Call) (string, error) {
	dep := c.Param("deposit")
	if !slices.Contains(token(c).Deposits, dep) {
		return "", p.errCode(keyInvalidDep)
	}
	return dep, nil
}

// cardList is GET /mpg/v2/clients/{clientId}/cards?mobile=.
func (p *Provider) cardList(c *api.Call) error {
	if err := p.takeTrackID(c, false); err != nil {
		return err
	}
	mobile := c.QueryParam("mobile")
	switch {
	case mobile == "":
		return invalid("mobile is required")
	case !validMobile(mobile) && !(len(mobile) == 10 && mobile[0] == '9' && digits.Len(mobile, 10)):
		return invalid("mobile is invalid")
	}
	res, err := p.bank.CardsByMobile(c.Tenant, mobile, c.Now)
	if err != nil {
		return err
	}
	return ok(c, res)
}

// cardInfo is GET /mpg/v2/clients/{clientId}/cards/{card}.
func (p *Provider) cardInfo(c *api.Call) error {
	if err := p.takeTrackID(c, false); err != nil {
		return err
	}
	res, err := p.bank.CardInfo(c.Tenant, c.Param("card"), c.Now)
	if err != nil {
		return err
	}
	return ok(c, res)
}

// chargeCard is POST /oak/v2/clients/{clientId}/deposits/{deposit}/chargeCard.
// Business failures and in-doubt answers come back from the bank as results
// (HTTP 200, status DONE), so the scenario decision goes to the bank.
func (p *Provider) chargeCard(c *api.Call) error {
	if err := p.takeTrackID(c, true); err != nil {
		return err
	}
	dep, err := p.ownDeposit(c)
	if err != nil {
		return err
	}
	f, e := readFields(c)
	if e != nil {
		return e
	}
	card := f.get("card")
	if card == "" {
		return invalid("card is required")
	}
	amount, e := f.amount("amount")
	if e != nil {
		return e
	}
	if max := token(c).MaxAmount; max > 0 && amount > max {
		return p.errCode(keyMaxAmount)
	}
	if err := p.gatewayFailure(c.Decision); err != nil {
		return err
	}
	res, err := p.bank.Charge(c.Tenant, bank.ChargeRequest{Deposit: dep, Card: card, Amount: amount,
		TrackID: c.QueryParam("trackId"), Now: c.Now, Decision: c.Decision})
	if err != nil {
		return err
	}
	return ok(c, res)
}

// inquiryReply carries the inquiry under the documented key "inquiry" and under
// "result", which clients read (§6.2).
type inquiryReply struct {
	TrackID string       `json:"trackId"`
	Inquiry bank.Inquiry `json:"inquiry"`
	Result  bank.Inquiry `json:"result"`
	Status  string       `json:"status"`
}

// inquiryChargeCard is POST /oak/v2/clients/{clientId}/inquiryChargeCard with the
// charge's trackId in the body. A scenario code is answered as the inquiry's own
// result without asking the bank.
func (p *Provider) inquiryChargeCard(c *api.Call) error {
	if err := p.takeTrackID(c, true); err != nil {
		return err
	}
	f, e := readFields(c)
	if e != nil {
		return e
	}
	charge := f.get("trackId")
	if charge == "" {
		return invalid("trackId is required")
	}
	if err := p.gatewayFailure(c.Decision); err != nil {
		return err
	}
	var inq bank.Inquiry
	if d := c.Decision; d.Outcome != scenario.Success && d.Code != "" {
		rc := p.resultIndex[d.Code]
		status := "Unsuccess"
		if d.Outcome == scenario.Unknown || rc.Class == "U" || rc.Class == "F/U" || rc.Class == "U?" {
			status = "Unknown"
		}
		inq = bank.Inquiry{Message: "Unsuccess", Code: rc.Code, Description: rc.Description, TransactionStatus: status, TrackID: charge}
	} else {
		var err error
		if inq, err = p.bank.InquiryCharge(c.Tenant, charge, c.Now); err != nil {
			return err
		}
	}
	return api.JSON(c, 200, inquiryReply{TrackID: api.TrackID(c), Inquiry: inq, Result: inq, Status: "DONE"})
}

// cardBody opens the bon-card services that take a card in their body: the
// required trackId is taken first, so a body error still uses it up, as at the
// gateway.
func (p *Provider) cardBody(c *api.Call) (fields, error) {
	if err := p.takeTrackID(c, true); err != nil {
		return nil, err
	}
	f, e := readFields(c)
	if e != nil {
		return nil, e
	}
	if !f.has("card") {
		return nil, invalid("card is required")
	}
	return f, nil
}

// getValidCard is POST /oak/v2/clients/{clientId}/getValidCard.
func (p *Provider) getValidCard(c *api.Call) error {
	f, err := p.cardBody(c)
	if err != nil {
		return err
	}
	if err := p.gatewayFailure(c.Decision); err != nil {
		return err
	}
	res, err := p.bank.ValidCard(c.Tenant, f.get("card"), c.Now, c.Decision)
	if err != nil {
		return err
	}
	return ok(c, res)
}

// cardBalance is POST /oak/v2/clients/{clientId}/card/balance.
func (p *Provider) cardBalance(c *api.Call) error {
	f, err := p.cardBody(c)
	if err != nil {
		return err
	}
	res, err := p.bank.CardBalance(c.Tenant, f.get("card"), c.Now)
	if err != nil {
		return err
	}
	return ok(c, res)
}

// cardStatement is POST /oak/v2/clients/{clientId}/card/statement. One client
// sends fullFromDate/fullToDate instead of fromDate/toDate (§1.4); both are read.
func (p *Provider) cardStatement(c *api.Call) error {
	f, err := p.cardBody(c)
	if err != nil {
		return err
	}
	from, to := f.get("fromDate"), f.get("toDate")
	if from == "" {
		from = f.get("fullFromDate")
	}
	if to == "" {
		to = f.get("fullToDate")
	}
	res, err := p.bank.CardStatement(c.Tenant, f.get("card"), from, to, c.Now)
	if err != nil {
		return err
	}
	return ok(c, res)
}

// depositBalance is GET /oak/v2/clients/{clientId}/deposits/{deposit}/balance.
func (p *Provider) depositBalance(c *api.Call) error {
	if err := p.takeTrackID(c, false); err != nil {
		return err
	}
	dep, err := p.ownDeposit(c)
	if err != nil {
		return err
	}
	res, err := p.bank.DepositBalance(c.Tenant, dep, c.Now)
	if err != nil {
		return err
	}
	return ok(c, res)
}
