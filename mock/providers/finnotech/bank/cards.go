package bank

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Card-inquiry result codes (/v2/card-codes.html is not public; these three are
// the values client code is seen to handle). The descriptions of 78 and 135
// are written for sandbank.
const (
	cardOK       = "0"
	cardInvalid  = "78"
	cardInactive = "135"
)

var cardCodeText = map[string]string{
	cardOK:       "موفق",
	cardInvalid:  "شماره کارت نامعتبر است",
	cardInactive: "کارت غیرفعال است",
}

const doTimeLayout = "yyyy/MM/dd HH:mm:ss"

// CardsByMobile answers the card list of a mobile number: the fixture cards
// registered to it, none for the fixtures' empty mobiles, and for any other
// valid mobile one to three Luhn-valid cards drawn from the seed. The mobile is
// echoed as sent (the doc: "the mobile sent").
func (b *Bank) CardsByMobile(tenant, mobile string, now time.Time) (CardList, error) {
	m, ok := iran.NormalizeMobile(mobile)
	if !ok {
		return CardList{}, validation("invalid mobile")
	}
	out := CardList{
		TraceNumber:    strconv.FormatInt(b.next(tenant, "mpg-trace", 10000, 80000), 10),
		Result:         cardOK,
		Description:    cardCodeText[cardOK],
		DoTime:         iran.FormatJalali(now, doTimeLayout),
		Mobile:         mobile,
		CardDetailList: []CardDetail{},
	}
	cards := b.w.mobiles[m]
	if cards == nil && !b.w.emptyMobiles[m] {
		cards = b.generatedCards(tenant, m)
	}
	for i, c := range cards {
		bk, _ := iran.CardBank(c) // fixtures and generated cards have known BINs
		out.CardDetailList = append(out.CardDetailList, CardDetail{
			Index: strconv.Itoa(i + 1), BankIdentify: c[:6], BankName: mpgBankName(bk), LastFourDigits: last4(c),
		})
	}
	return out, nil
}

// mpgShortNames are the names the mpg card services give banks where they differ
// from the bank's full name: the card-list example answers "بانک ملی" for BIN
// 603799, not "بانک ملی ایران".
var mpgShortNames = map[string]string{"017": "بانک ملی"}

// mpgBankName is a bank's name as the mpg card services write it.
func mpgBankName(bk iran.Bank) string {
	if n, ok := mpgShortNames[bk.Code]; ok {
		return n
	}
	return bk.NameFa
}

func (b *Bank) generatedCards(tenant, mobile string) []string {
	h := fake.Hash(b.seed, tenant, "mobile", mobile)
	n := 1 + int(h%3)
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		hi := fake.Hash(b.seed, tenant, "mobile-card", mobile, strconv.Itoa(i))
		bk := b.w.genBanks[hi%uint64(len(b.w.genBanks))]
		bin := bk.BINs[(hi>>8)%uint64(len(bk.BINs))]
		out = append(out, iran.MakeCard(bin, fmt.Sprintf("%09d", (hi>>16)%1_000_000_000)))
	}
	return out
}

// CardInfo answers the card inquiry. A card number that is not 16 digits is a
// request error (HTTP 400); a well-formed number is answered HTTP 200 with
// result "0" (owner's name), "78" (Luhn or BIN wrong, bon cards excepted: they
// are known by the fixtures) or "135" (card inactive in the fixtures).
func (b *Bank) CardInfo(tenant, card string, now time.Time) (CardInfo, error) {
	if len(card) != 16 || !digits.All(card) {
		return CardInfo{}, errInvalidCard()
	}
	out := CardInfo{DestCard: "xxxx-xxxx-xxxx-" + last4(card), DoTime: iran.FormatJalali(now, doTimeLayout)}
	bk, hasBank := iran.CardBank(card)
	if hasBank {
		out.BankName = mpgBankName(bk)
	}
	result, name := cardOK, ""
	if dc, ok := b.w.debitCards[card]; ok {
		name = dc.Name
		if dc.Status != statusActive {
			result = cardInactive
		}
	} else if bc, ok := b.w.bonCards[card]; ok {
		name = bc.Owner
		if bc.Status != statusActive {
			result = cardInactive
		}
	} else if !hasBank || !iran.ValidCardLuhn(card) {
		result = cardInvalid
	} else {
		name = b.w.name(b.seed, "card:"+tenant+":"+card)
	}
	out.Result, out.Description = result, cardCodeText[result]
	if result == cardOK {
		out.Name = name
	}
	return out, nil
}

// ValidCard answers getValidCard: F00 with the replacement number of a reissued
// card (followed to the newest), else the same number. A scenario failure or
// unknown answers its code (default F101 / F123); the fixtures' magic cards
// answer their valid_card code; a number that is not a declared bon card, F102.
func (b *Bank) ValidCard(tenant, card string, now time.Time, d scenario.Decision) (ValidCard, error) {
	if !digits.All(card) {
		return ValidCard{}, errInvalidCard()
	}
	fail := func(code string) (ValidCard, error) {
		return ValidCard{Message: StatusUnsuccess, Code: code, Description: description(code), Card: card}, nil
	}
	switch d.Outcome {
	case scenario.Failure:
		if d.Code == "" {
			return fail("F101")
		}
		return fail(d.Code)
	case scenario.Unknown:
		if d.Code == "" {
			return fail("F123")
		}
		return fail(d.Code)
	}
	c, ok := b.w.bonCards[card]
	if !ok {
		return fail("F102")
	}
	if c.ValidCard != "" {
		return fail(c.ValidCard)
	}
	for c.ReplacedBy != "" {
		c = b.w.bonCards[c.ReplacedBy]
	}
	return ValidCard{Message: StatusSuccess, Code: "F00", Card: c.Card}, nil
}

// CardBalance answers card/balance for a declared bon card.
func (b *Bank) CardBalance(tenant, card string, now time.Time) (CardBalance, error) {
	c, ok := b.w.bonCards[card]
	if !ok {
		return CardBalance{}, errInvalidCard()
	}
	b.settleDue(tenant, now)
	return CardBalance{Balance: strconv.FormatInt(b.cardState(tenant, c).Balance, 10)}, nil
}

// CardStatement answers card/statement: the card's posted movements between
// fromDate and toDate (Jalali YYMMDD, or YYYYMMDD; both optional, inclusive),
// oldest first.
func (b *Bank) CardStatement(tenant, card, fromDate, toDate string, now time.Time) (CardStatement, error) {
	c, ok := b.w.bonCards[card]
	if !ok {
		return CardStatement{}, errInvalidCard()
	}
	from, err := parseStatementDate(fromDate, "fromDate")
	if err != nil {
		return CardStatement{}, err
	}
	to, err := parseStatementDate(toDate, "toDate")
	if err != nil {
		return CardStatement{}, err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // inclusive: up to the end of that day
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return CardStatement{}, validation("fromDate is after toDate")
	}
	b.settleDue(tenant, now)
	out := CardStatement{Transactions: []CardTransaction{}}
	pan := card + strings.Repeat(" ", 4)
	// The card's entries from `from` to `to` are sought by time in the ledger.
	err = b.book.Statement(tenant, now, c.money(), ledger.Query{From: from, To: to}, func(t ledger.Entry[movement]) bool {
		date, clock := iran.FormatJalali(t.At, "yyyy-MM-dd"), iran.FormatJalali(t.At, "HHmmss")
		out.Transactions = append(out.Transactions, CardTransaction{
			Trace: t.Meta.Trace, Pan: pan, FinancialDate: date, LocalDate: date, TimeIn: clock, LocalTime: clock,
			AcqInst: 636214, AccTermID: t.Meta.TermID, RefNum: t.Meta.RefNum,
			// The doc's only row is a charge landing on an empty card (amount ==
			// available); its processing and POS condition codes are reused.
			PrCode: 320000, PosCondCode: 3,
			Amount: strconv.FormatInt(t.Amount.Value, 10) + ".0", Available: strconv.FormatInt(t.Balance.Value, 10) + ".0",
		})
		return true
	})
	if err != nil {
		return CardStatement{}, err
	}
	return out, nil
}

// parseStatementDate reads a Jalali YYMMDD (years 00-49 are 14xx, 50-99 13xx)
// or YYYYMMDD date; "" is no bound.
func parseStatementDate(s, field string) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return time.Time{}, nil
	case len(s) == 6 && digits.All(s):
		yy, _ := strconv.Atoi(s[:2])
		century := "13"
		if yy < 50 {
			century = "14"
		}
		s = century + s
	case len(s) == 8 && digits.All(s):
	default:
		return time.Time{}, validation("invalid " + field)
	}
	t, err := iran.ParseJalali(s)
	if err != nil {
		return time.Time{}, validation("invalid " + field)
	}
	return t, nil
}
