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

// ownDeposit requires the path's deposit to be one the user granted (§2.2).
func (p *Provider) ownDeposit(c *api.Call) (string, error) {
	dep := c.Param("deposit")
	if !slices.Contains(token(c).Deposits, dep) {
		return "", p.errCode(keyInvalidDep)
	}
	return dep, nil
}

// cardList is GET /mpg/v2/clients/{clientId}/cards?mobile=.
func (p *Provider) cardList() api.Op[string, bank.CardList] {
	return api.Op[string, bank.CardList]{
		Parse: func(c *api.Call) (string, error) {
			if err := p.takeTrackID(c, false); err != nil {
				return "", err
			}
			mobile := c.QueryParam("mobile")
			switch {
			case mobile == "":
				return "", invalid("mobile is required")
			case !validMobile(mobile) && !(len(mobile) == 10 && mobile[0] == '9' && digits.Len(mobile, 10)):
				return "", invalid("mobile is invalid")
			}
			return mobile, nil
		},
		Run: func(c *api.Call, mobile string) (bank.CardList, error) {
			return p.bank.CardsByMobile(c.Tenant, mobile, c.Now)
		},
	}
}

// cardInfo is GET /mpg/v2/clients/{clientId}/cards/{card}. A card that is not
// 16 digits is the request's fault and is answered before a forced code; a
// well-formed card the bank does not know is an answer (result 02), not an error.
func (p *Provider) cardInfo() api.Op[string, bank.CardInfo] {
	return api.Op[string, bank.CardInfo]{
		Parse: func(c *api.Call) (string, error) {
			if err := p.takeTrackID(c, false); err != nil {
				return "", err
			}
			card := c.Param("card")
			if len(card) != 16 || !digits.All(card) {
				return "", p.errCode(keyInvalidCard)
			}
			return card, nil
		},
		Run: func(c *api.Call, card string) (bank.CardInfo, error) { return p.bank.CardInfo(c.Tenant, card, c.Now) },
	}
}

// chargeCard is POST /oak/v2/clients/{clientId}/deposits/{deposit}/chargeCard.
// Business failures and in-doubt answers come back from the bank as results
// (HTTP 200, status DONE), so the scenario decision goes to the bank.
// The bank consults its magic amounts itself (after the deposit and trackId
// checks, in the bank's order), and only when c.Decision was not decided.
func (p *Provider) chargeCard() api.Op[bank.ChargeRequest, bank.ChargeResult] {
	return api.Op[bank.ChargeRequest, bank.ChargeResult]{Parse: p.parseCharge, Run: func(c *api.Call, r bank.ChargeRequest) (bank.ChargeResult, error) {
		r.Decision = c.Decision
		return p.bank.Charge(c.Tenant, r)
	}}
}

func (p *Provider) parseCharge(c *api.Call) (bank.ChargeRequest, error) {
	if err := p.takeTrackID(c, true); err != nil {
		return bank.ChargeRequest{}, err
	}
	dep, err := p.ownDeposit(c)
	if err != nil {
		return bank.ChargeRequest{}, err
	}
	f, e := readFields(c)
	if e != nil {
		return bank.ChargeRequest{}, e
	}
	card := f.get("card")
	if card == "" {
		return bank.ChargeRequest{}, invalid("card is required")
	}
	amount, e := f.amount("amount")
	if e != nil {
		return bank.ChargeRequest{}, e
	}
	if max := token(c).MaxAmount; max > 0 && amount > max {
		return bank.ChargeRequest{}, p.errCode(keyMaxAmount)
	}
	return bank.ChargeRequest{Deposit: dep, Card: card, Amount: amount, TrackID: c.QueryParam("trackId"), Now: c.Now}, nil
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
func (p *Provider) inquiryChargeCard() api.Op[string, inquiryReply] {
	return api.Op[string, inquiryReply]{Parse: p.parseInquiry, Run: p.runInquiry}
}

// parseInquiry answers the charge's trackId.
func (p *Provider) parseInquiry(c *api.Call) (string, error) {
	if err := p.takeTrackID(c, true); err != nil {
		return "", err
	}
	f, e := readFields(c)
	if e != nil {
		return "", e
	}
	charge := f.get("trackId")
	if charge == "" {
		return "", invalid("trackId is required")
	}
	return charge, nil
}

func (p *Provider) runInquiry(c *api.Call, charge string) (inquiryReply, error) {
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
			return inquiryReply{}, err
		}
	}
	return inquiryReply{TrackID: api.TrackID(c), Inquiry: inq, Result: inq, Status: "DONE"}, nil
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
func (p *Provider) getValidCard() api.Op[fields, bank.ValidCard] {
	return api.Op[fields, bank.ValidCard]{Parse: p.cardBody, Run: func(c *api.Call, f fields) (bank.ValidCard, error) {
		return p.bank.ValidCard(c.Tenant, f.get("card"), c.Now, c.Decision)
	}}
}

// cardBalance is POST /oak/v2/clients/{clientId}/card/balance.
func (p *Provider) cardBalance() api.Op[fields, bank.CardBalance] {
	return api.Op[fields, bank.CardBalance]{Parse: p.cardBody, Run: func(c *api.Call, f fields) (bank.CardBalance, error) {
		return p.bank.CardBalance(c.Tenant, f.get("card"), c.Now)
	}}
}

// cardStatement is POST /oak/v2/clients/{clientId}/card/statement. One client
// sends fullFromDate/fullToDate instead of fromDate/toDate (§1.4); both are read.
func (p *Provider) cardStatement() api.Op[fields, bank.CardStatement] {
	return api.Op[fields, bank.CardStatement]{Parse: p.cardBody, Run: func(c *api.Call, f fields) (bank.CardStatement, error) {
		from, to := f.get("fromDate"), f.get("toDate")
		if from == "" {
			from = f.get("fullFromDate")
		}
		if to == "" {
			to = f.get("fullToDate")
		}
		return p.bank.CardStatement(c.Tenant, f.get("card"), from, to, c.Now)
	}}
}

// depositBalance is GET /oak/v2/clients/{clientId}/deposits/{deposit}/balance.
func (p *Provider) depositBalance() api.Op[string, bank.DepositBalance] {
	return api.Op[string, bank.DepositBalance]{
		Parse: func(c *api.Call) (string, error) {
			if err := p.takeTrackID(c, false); err != nil {
				return "", err
			}
			return p.ownDeposit(c)
		},
		Run: func(c *api.Call, dep string) (bank.DepositBalance, error) {
			return p.bank.DepositBalance(c.Tenant, dep, c.Now)
		},
	}
}
