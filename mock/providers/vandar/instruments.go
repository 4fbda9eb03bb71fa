package vandar

import (
	"errors"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/page"
)

// A customer's IBANs and cards (reference §13.3, §13.4). Adding one checks its
// form (IBAN mod 97 and a known bank code; card Luhn and a known BIN), and with
// has_inquiry asks the simulated banks who owns it: MATCHED when the owner's
// national code is the customer's, UNMATCHED otherwise, UNKNOWN without an
// inquiry. A customer with any IBAN (card) has exactly one default: the first
// one added, or the last one added or set with is_default, and when the
// default is deleted the oldest remaining one.

var (
	errIBANDup  = errors.New("iban: already added")
	errCardDup  = errors.New("card: already added")
	errNotThere = errors.New("instrument: not on this customer")
)

// instrumentReq is the body of an IBAN or card add (and of to-iban and the
// inquiries, whose names are conditional the same way).
type instrumentReq struct {
	cust       customer
	number     string // the IBAN (normalised) or card
	bank       iran.Bank
	isDefault  bool
	hasInquiry bool
}

// parseNames checks the conditional names: first_name/last_name for an
// individual without them, legal_name for a legal entity without one, when an
// inquiry is asked for (reference §13.3).
func parseNames(in input, cu customer, inquiry bool, ps *problems) {
	check := func(field, have string) {
		s, present, ok := in.str(field)
		switch {
		case present && !ok:
			*ps = append(*ps, notString(field))
		case inquiry && have == "" && (!present || s == ""):
			*ps = append(*ps, required(field))
		}
	}
	if cu.Type == customerLegal {
		check("legal_name", cu.LegalName)
		return
	}
	check("first_name", cu.FirstName)
	check("last_name", cu.LastName)
}

// parseFlags reads is_default and has_inquiry (both required booleans).
func parseFlags(in input, r *instrumentReq, ps *problems) {
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"is_default", &r.isDefault}, {"has_inquiry", &r.hasInquiry}} {
		b, present, ok := in.boolean(f.name)
		switch {
		case !present:
			*ps = append(*ps, required(f.name))
		case !ok:
			*ps = append(*ps, notBoolean(f.name))
		default:
			*f.dst = b
		}
	}
}

// checkIBAN validates an IBAN: shape, mod 97, bank code.
func checkIBAN(s string) (string, iran.Bank, bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if !iran.ValidIBAN(s) {
		return "", iran.Bank{}, false
	}
	b, ok := iran.BankByCode(iran.IBANBankCode(s))
	return s, b, ok
}

// checkCard validates a card: 16 digits (dashes and spaces dropped), Luhn, BIN.
func checkCard(s string) (string, iran.Bank, bool) {
	s = strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s))
	if !iran.ValidCardLuhn(s) {
		return "", iran.Bank{}, false
	}
	b, ok := iran.CardBank(s)
	return s, b, ok
}

func (p *Provider) parseIBANAdd(c *api.Call) (instrumentReq, error) {
	return p.parseInstrumentAdd(c, "iban", "IBAN_INVALID", checkIBAN)
}

// parseInstrumentAdd reads the body of an IBAN or card add: the number in
// field (a missing one is required, a bad one badCode, as check finds it), the
// flags and the names an inquiry needs.
func (p *Provider) parseInstrumentAdd(c *api.Call, field, badCode string, check func(string) (string, iran.Bank, bool)) (instrumentReq, error) {
	cu, err := p.customer(c.Tenant, c.Param("customer"))
	if err != nil {
		return instrumentReq{}, err
	}
	r := instrumentReq{cust: cu}
	in := readInput(c)
	var ps problems
	switch s, present, ok := in.str(field); {
	case !present:
		ps = append(ps, required(field))
	case !ok:
		ps = append(ps, problem{code: badCode})
	default:
		number, bank, valid := check(s)
		if !valid {
			ps = append(ps, problem{code: badCode})
		}
		r.number, r.bank = number, bank
	}
	parseFlags(in, &r, &ps)
	parseNames(in, cu, r.hasInquiry, &ps)
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

// ibanView is the IBAN object (reference §13.3): created_at/updated_at in Unix
// seconds.
type ibanView struct {
	IBAN    string      `json:"iban"`
	Default bool        `json:"is_default"`
	Compat  string      `json:"iban_compatibility"`
	Owners  []ownerName `json:"account_owners"`
	Created int64       `json:"created_at"`
	Updated int64       `json:"updated_at"`
}

func viewIBAN(r ibanRow) ibanView {
	owners := r.Owners
	if owners == nil {
		owners = []ownerName{}
	}
	return ibanView{r.IBAN, r.Default, r.Compat, owners, r.Created.Unix(), r.Updated.Unix()}
}

// ibanCompat asks the banks who owns an IBAN and compares with the customer.
func (p *Provider) ibanCompat(cu customer, iban string) (string, []ownerName) {
	owner := p.ibanOwner(iban)
	compat := compatUnmatched
	if owner != "" && owner == cu.NationalCode() {
		compat = compatMatched
	}
	return compat, p.owners(owner)
}

// forcedCompat turns a scenario's UNMATCHED into the answer.
func forcedCompat(c *api.Call, code, compat string) string {
	if c.Decision.Outcome == "failure" && c.Decision.Code == code {
		return compatUnmatched
	}
	return compat
}

// addIBAN puts an IBAN on a customer under the row lock, keeping one default.
func (p *Provider) addIBAN(slug string, cu customer, row ibanRow, dupOK bool) (ibanRow, error) {
	err := p.idn.banking.Upsert(slug, cu.ID, func() customerBanking { return customerBanking{} }, func(b *customerBanking) error {
		for i := range b.IBANs {
			if b.IBANs[i].IBAN != row.IBAN {
				continue
			}
			if !dupOK {
				return errIBANDup
			}
			// to-iban of a card already there: refresh it in place.
			row.Created = b.IBANs[i].Created
			if !row.Default && b.IBANs[i].Default {
				row.Default = true
			}
			b.IBANs = append(b.IBANs[:i], b.IBANs[i+1:]...)
			break
		}
		row = appendInstrument(&b.IBANs, row)
		return nil
	})
	if errors.Is(err, errIBANDup) {
		return row, p.failAll(problems{{code: "IBAN_DUPLICATE"}})
	}
	return row, err
}

func (p *Provider) runIBANAdd(c *api.Call, r instrumentReq) (ibanView, error) {
	row := ibanRow{IBAN: r.number, Default: r.isDefault, Compat: compatUnknown, BankName: r.bank.NameFa, Created: c.Now, Updated: c.Now}
	if r.hasInquiry {
		row.Compat, row.Owners = p.ibanCompat(r.cust, r.number)
		row.Compat = forcedCompat(c, "IBAN_UNMATCHED", row.Compat)
	}
	row, err := p.addIBAN(c.Tenant, r.cust, row, false)
	return viewIBAN(row), err
}

// instrumentRow is what adding, deleting and set-default need of an IBAN or a
// card row: its number and its default flag.
type instrumentRow[T any] interface {
	*T
	number() string
	isDefault() *bool
	touched(at time.Time)
}

func (r *ibanRow) number() string       { return r.IBAN }
func (r *ibanRow) isDefault() *bool     { return &r.Default }
func (r *ibanRow) touched(at time.Time) { r.Updated = at }
func (r *cardRow) number() string       { return r.Card }
func (r *cardRow) isDefault() *bool     { return &r.Default }
func (r *cardRow) touched(at time.Time) { r.Updated = at }

// appendInstrument adds row to the customer's list: the default when it is the
// first one or asks to be (the others then are not), and returns it as stored.
func appendInstrument[T any, P instrumentRow[T]](rows *[]T, row T) T {
	if len(*rows) == 0 {
		*P(&row).isDefault() = true
	}
	if *P(&row).isDefault() {
		for i := range *rows {
			*P(&(*rows)[i]).isDefault() = false
		}
	}
	*rows = append(*rows, row)
	return row
}

// dropInstrument removes the row numbered n; when it was the default the
// oldest remaining one becomes the default.
func dropInstrument[T any, P instrumentRow[T]](rows *[]T, n string) error {
	for i := range *rows {
		if P(&(*rows)[i]).number() != n {
			continue
		}
		wasDefault := *P(&(*rows)[i]).isDefault()
		*rows = append((*rows)[:i], (*rows)[i+1:]...)
		if wasDefault && len(*rows) > 0 {
			*P(&(*rows)[0]).isDefault() = true
		}
		return nil
	}
	return errNotThere
}

// makeDefault makes the row numbered n the only default, updated at.
func makeDefault[T any, P instrumentRow[T]](rows []T, n string, at time.Time) error {
	idx := -1
	for i := range rows {
		if P(&rows[i]).number() == n {
			idx = i
		}
	}
	if idx < 0 {
		return errNotThere
	}
	for i := range rows {
		*P(&rows[i]).isDefault() = i == idx
	}
	P(&rows[idx]).touched(at)
	return nil
}

// --- GET {v3}/customers/:customer/ibans, …/cards ---

type listReq struct {
	cust customer
	page page.Request
}

func (p *Provider) parseInstrumentList(c *api.Call) (listReq, error) {
	cu, err := p.customer(c.Tenant, c.Param("customer"))
	if err != nil {
		return listReq{}, err
	}
	r := listReq{cust: cu}
	in := readInput(c)
	// Laravel's paginator reads a bad page as 1 and per_page is not a rule here.
	if s, present, ok := in.str("page"); present && ok {
		if n, num := int64Of(s); num && n < 1_000_000 {
			r.page.Page = int(n)
		}
	}
	if s, present, ok := in.str("per_page"); present && ok {
		if n, num := int64Of(s); num && n <= 100 {
			r.page.PerPage = int(n)
		}
	}
	r.page = r.page.Normalize(15, 100)
	return r, nil
}

func (p *Provider) listURLs(c *api.Call, what string) page.URLs {
	return page.URLs{Path: "https://" + hostAPI + "/v3/business/" + c.Tenant + "/customers/" + c.Param("customer") + "/" + what}
}

// instrumentPage is the page of a customer's IBANs or cards that r asks for.
func instrumentPage[R, V any](u page.URLs, r listReq, rows []R, view func(R) V) page.Resource[V] {
	views := make([]V, len(rows))
	for i, row := range rows {
		views[i] = view(row)
	}
	return page.NewResource(u, r.page, page.Slice(views), page.ResourceOptions{MetaLinks: true})
}

func (p *Provider) runIBANList(c *api.Call, r listReq) (page.Resource[ibanView], error) {
	b, _ := p.idn.banking.Get(c.Tenant, r.cust.ID)
	return instrumentPage(p.listURLs(c, "ibans"), r, b.IBANs, viewIBAN), nil
}

// --- DELETE {v3}/customers/:customer/ibans (iban in body or query), alias …/ibans/:iban ---

type ibanRef struct {
	cust customer
	iban string
	in   input
}

func (p *Provider) parseIBANRef(c *api.Call) (ibanRef, error) {
	cu, err := p.customer(c.Tenant, c.Param("customer"))
	if err != nil {
		return ibanRef{}, err
	}
	in := readInput(c)
	raw := c.Param("iban")
	if raw == "" {
		s, present, ok := in.str("iban")
		if !present {
			return ibanRef{}, p.failAll(problems{required("iban")})
		}
		if !ok {
			return ibanRef{}, p.failAll(problems{{code: "IBAN_INVALID"}})
		}
		raw = s
	}
	iban := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(raw), " ", ""))
	return ibanRef{cust: cu, iban: iban, in: in}, nil
}

type messageOnly struct {
	Message string `json:"message"`
}

func (p *Provider) runIBANDelete(c *api.Call, r ibanRef) (messageOnly, error) {
	err := p.idn.banking.Update(c.Tenant, r.cust.ID, func(b *customerBanking) error {
		return dropInstrument(&b.IBANs, r.iban)
	})
	if err != nil {
		return messageOnly{}, p.fail("IBAN_NOT_FOUND")
	}
	return messageOnly{"شماره شبا با موفقیت حذف شد."}, nil
}

// --- POST {v3}/customers/:customer/ibans/:iban/inquiry ---

type inquiryAnswerIBAN struct {
	Compat string      `json:"iban_compatibility"`
	Owners []ownerName `json:"account_owners"`
}

func (p *Provider) parseIBANInquiry(c *api.Call) (ibanRef, error) {
	r, err := p.parseIBANRef(c)
	if err != nil {
		return r, err
	}
	return r, p.inquiryNames(r.in, r.cust)
}

// inquiryNames checks the names an inquiry needs (parseNames).
func (p *Provider) inquiryNames(in input, cu customer) error {
	var ps problems
	parseNames(in, cu, true, &ps)
	if len(ps) > 0 {
		return p.failAll(ps)
	}
	return nil
}

func (p *Provider) runIBANInquiry(c *api.Call, r ibanRef) (inquiryAnswerIBAN, error) {
	var out inquiryAnswerIBAN
	compat, owners := p.ibanCompat(r.cust, r.iban)
	compat = forcedCompat(c, "IBAN_UNMATCHED", compat)
	err := p.idn.banking.Update(c.Tenant, r.cust.ID, func(b *customerBanking) error {
		for i := range b.IBANs {
			if b.IBANs[i].IBAN == r.iban {
				b.IBANs[i].Compat, b.IBANs[i].Owners, b.IBANs[i].Updated = compat, owners, c.Now
				return nil
			}
		}
		return errNotThere
	})
	if err != nil {
		return out, p.fail("IBAN_NOT_FOUND")
	}
	return inquiryAnswerIBAN{compat, owners}, nil
}

// --- POST {v3}/customers/:customer/ibans/:iban/set-default ---

func (p *Provider) runIBANDefault(c *api.Call, r ibanRef) (messageOnly, error) {
	err := p.idn.banking.Update(c.Tenant, r.cust.ID, func(b *customerBanking) error {
		return makeDefault(b.IBANs, r.iban, c.Now)
	})
	if err != nil {
		return messageOnly{}, p.fail("IBAN_NOT_FOUND")
	}
	return messageOnly{"این شماره شبا به صورت پیش فرض تنظیم شد."}, nil
}

// --- cards ---

type cardView struct {
	Card    string `json:"card"`
	Default bool   `json:"is_default"`
	Compat  string `json:"card_compatibility"`
	Name    string `json:"name"`
	Created int64  `json:"created_at"`
	Updated int64  `json:"updated_at"`
}

func viewCard(r cardRow) cardView {
	return cardView{r.Card, r.Default, r.Compat, r.Name, r.Created.Unix(), r.Updated.Unix()}
}

func (p *Provider) parseCardAdd(c *api.Call) (instrumentReq, error) {
	return p.parseInstrumentAdd(c, "card", "CARD_INVALID", checkCard)
}

// cardCompat asks the banks whose card it is.
func (p *Provider) cardCompat(cu customer, card string) (string, string) {
	owner := cardOwner(card)
	name := ""
	if pr, ok := p.personOf(owner); ok {
		name = pr.FullName()
	}
	if owner == cu.NationalCode() && name != "" {
		return compatMatched, name
	}
	return compatUnmatched, name
}

func (p *Provider) runCardAdd(c *api.Call, r instrumentReq) (cardView, error) {
	row := cardRow{Card: r.number, Default: r.isDefault, Compat: compatUnknown, Name: r.cust.Name(), Created: c.Now, Updated: c.Now}
	if r.hasInquiry {
		compat, name := p.cardCompat(r.cust, r.number)
		row.Compat = forcedCompat(c, "CARD_UNMATCHED", compat)
		if name != "" {
			row.Name = name
		}
	}
	err := p.idn.banking.Upsert(c.Tenant, r.cust.ID, func() customerBanking { return customerBanking{} }, func(b *customerBanking) error {
		for _, have := range b.Cards {
			if have.Card == row.Card {
				return errCardDup
			}
		}
		row = appendInstrument(&b.Cards, row)
		return nil
	})
	if errors.Is(err, errCardDup) {
		return cardView{}, p.failAll(problems{{code: "CARD_DUPLICATE"}})
	}
	return viewCard(row), err
}

func (p *Provider) runCardList(c *api.Call, r listReq) (page.Resource[cardView], error) {
	b, _ := p.idn.banking.Get(c.Tenant, r.cust.ID)
	return instrumentPage(p.listURLs(c, "cards"), r, b.Cards, viewCard), nil
}

type cardRef struct {
	cust customer
	card string
}

func (p *Provider) parseCardRef(c *api.Call) (cardRef, error) {
	cu, err := p.customer(c.Tenant, c.Param("customer"))
	if err != nil {
		return cardRef{}, err
	}
	return cardRef{cust: cu, card: strings.ReplaceAll(c.Param("card"), "-", "")}, nil
}

func (p *Provider) parseCardInquiry(c *api.Call) (cardRef, error) {
	r, err := p.parseCardRef(c)
	if err != nil {
		return r, err
	}
	return r, p.inquiryNames(readInput(c), r.cust)
}

func (p *Provider) runCardDelete(c *api.Call, r cardRef) (messageOnly, error) {
	err := p.idn.banking.Update(c.Tenant, r.cust.ID, func(b *customerBanking) error {
		return dropInstrument(&b.Cards, r.card)
	})
	if err != nil {
		return messageOnly{}, p.fail("CARD_NOT_FOUND")
	}
	return messageOnly{"شماره کارت با موفقیت حذف شد."}, nil
}

type inquiryAnswerCard struct {
	Compat string `json:"card_compatibility"`
	Name   string `json:"name"`
}

func (p *Provider) runCardInquiry(c *api.Call, r cardRef) (inquiryAnswerCard, error) {
	var out inquiryAnswerCard
	err := p.idn.banking.Update(c.Tenant, r.cust.ID, func(b *customerBanking) error {
		for i := range b.Cards {
			if b.Cards[i].Card == r.card {
				compat, name := p.cardCompat(r.cust, r.card)
				compat = forcedCompat(c, "CARD_UNMATCHED", compat)
				if name == "" {
					name = b.Cards[i].Name
				}
				b.Cards[i].Compat, b.Cards[i].Name, b.Cards[i].Updated = compat, name, c.Now
				out = inquiryAnswerCard{compat, name}
				return nil
			}
		}
		return errNotThere
	})
	if err != nil {
		return out, p.fail("CARD_NOT_FOUND")
	}
	return out, nil
}

func (p *Provider) runCardDefault(c *api.Call, r cardRef) (messageOnly, error) {
	err := p.idn.banking.Update(c.Tenant, r.cust.ID, func(b *customerBanking) error {
		return makeDefault(b.Cards, r.card, c.Now)
	})
	if err != nil {
		return messageOnly{}, p.fail("CARD_NOT_FOUND")
	}
	return messageOnly{"این شماره کارت به صورت پیش فرض تنظیم شد."}, nil
}

// --- POST {v3}/customers/:customer/cards/to-iban ---

// toIBANView is the IBAN object with the bank's account details (reference
// §13.4).
type toIBANView struct {
	IBAN               string      `json:"iban"`
	Default            bool        `json:"is_default"`
	Compat             string      `json:"iban_compatibility"`
	Owners             []ownerName `json:"account_owners"`
	BankName           *string     `json:"bank_name"`
	AccountDescription *string     `json:"account_description"`
	AccountNumber      *string     `json:"account_number"`
	Created            int64       `json:"created_at"`
	Updated            int64       `json:"updated_at"`
}

func (p *Provider) parseToIBAN(c *api.Call) (instrumentReq, error) {
	r, err := p.parseCardAdd(c)
	if err != nil {
		return r, err
	}
	if !toIBANBanks[r.bank.Key] {
		return r, p.failAll(problems{{code: "CARD_TO_IBAN_BANK"}})
	}
	return r, nil
}

// runToIBAN finds the account behind the card and adds its IBAN to the
// customer (an IBAN already there is refreshed, not refused).
func (p *Provider) runToIBAN(c *api.Call, r instrumentReq) (toIBANView, error) {
	iban := p.cardIBAN(r.number, r.bank)
	acct := strings.TrimLeft(iran.IBANAccountPart(iban), "0")
	row := ibanRow{IBAN: iban, Default: r.isDefault, Compat: compatUnknown, BankName: r.bank.NameFa, AccountNumber: acct,
		Created: c.Now, Updated: c.Now}
	if r.hasInquiry {
		row.Compat, row.Owners = p.ibanCompat(r.cust, iban)
		row.Compat = forcedCompat(c, "IBAN_UNMATCHED", row.Compat)
	}
	row, err := p.addIBAN(c.Tenant, r.cust, row, true)
	if err != nil {
		return toIBANView{}, err
	}
	v := viewIBAN(row)
	return toIBANView{IBAN: v.IBAN, Default: v.Default, Compat: v.Compat, Owners: v.Owners, BankName: strp(row.BankName),
		AccountNumber: strp(row.AccountNumber), Created: v.Created, Updated: v.Updated}, nil
}
