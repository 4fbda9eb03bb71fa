package bank

import (
	"testing"

	"github.com/sandbank-dev/sandbank/mock/iran"
)

func cc() Ctx { return Ctx{Tenant: "t1", Now: teh(2026, 10, 11, 9, 0)} }

func TestSeedConversionExamples(t *testing.T) {
	b := newBank(t, Config{})
	c := cc()
	d2i := must[DepositToIbanResult](t)(b.DepositToIban(c, DepositToIbanRequest{DepositNumber: "213.8000.14707021.1", Provider: "057"}))
	if d2i.IBAN != "IR660570021380014707021101" || d2i.DepositNumber != "213.8000.14707021.1" {
		t.Fatalf("deposittoiban %+v", d2i)
	}
	i2d := must[IbanToDepositResult](t)(b.IbanToDeposit(c, IbanToDepositRequest{IBAN: " IR660570021380014707021101 "}))
	if i2d.DepositNumber != "213.8000.14707021.1" || i2d.IBAN != "IR660570021380014707021101" {
		t.Fatalf("ibantodeposit %+v", i2d)
	}
	// The seed sends the IBAN in cardNumber and answers with that deposit's card.
	c2i := must[CardToIbanResult](t)(b.CardToIban(c, CardToIbanRequest{CardNumber: "IR660570021380014707021101"}))
	if c2i.CardNumber != "5022291301984702" || c2i.IBAN != "IR660570021380014707021101" {
		t.Fatalf("cardtoiban %+v", c2i)
	}
	c2d := must[CardToDepositResult](t)(b.CardToDeposit(c, CardToDepositRequest{CardNumber: "5022291301984702"}))
	if c2d.CardNumber != "5022291301984702" || c2d.DepositNumber != "213.8000.14707021.1" {
		t.Fatalf("cardtodeposit %+v", c2d)
	}
	// PAYA / SATNA examples: Sina's dashed numbers.
	if r := must[DepositToIbanResult](t)(b.DepositToIban(c, DepositToIbanRequest{DepositNumber: "119-813-2618257-1", Provider: "059"})); r.IBAN != "IR410590011981302618257001" {
		t.Fatalf("%+v", r)
	}
	if r := must[IbanToDepositResult](t)(b.IbanToDeposit(c, IbanToDepositRequest{IBAN: "IR880540126030100979988607"})); r.DepositNumber != "126030100979988607" {
		t.Fatalf("%+v", r)
	}
	// The SDK's bank enum works as provider too.
	if r := must[DepositToIbanResult](t)(b.DepositToIban(c, DepositToIbanRequest{DepositNumber: "213.8000.14707021.1", Provider: "PASARGAD"})); r.IBAN != "IR660570021380014707021101" {
		t.Fatalf("%+v", r)
	}
}

func TestConversionsRoundTrip(t *testing.T) {
	b := newBank(t, Config{})
	c := cc()
	cards := []string{iran.MakeCard("603799", "77123"), iran.MakeCard("610433", "4451"), iran.MakeCard("502229", "9"), "6037994125630010", "6393462182570048"}
	for _, card := range cards {
		ib := must[CardToIbanResult](t)(b.CardToIban(c, CardToIbanRequest{CardNumber: Value(card)}))
		dep := must[CardToDepositResult](t)(b.CardToDeposit(c, CardToDepositRequest{CardNumber: Value(card)}))
		back := must[IbanToDepositResult](t)(b.IbanToDeposit(c, IbanToDepositRequest{IBAN: Value(ib.IBAN)}))
		if back.DepositNumber != dep.DepositNumber {
			t.Fatalf("card %s: cardtodeposit %s, ibantodeposit %s", card, dep.DepositNumber, back.DepositNumber)
		}
		bank, _ := iran.CardBank(card)
		again := must[DepositToIbanResult](t)(b.DepositToIban(c, DepositToIbanRequest{DepositNumber: Value(dep.DepositNumber), Provider: Value(bank.Code)}))
		if again.IBAN != ib.IBAN || iran.IBANBankCode(ib.IBAN) != bank.Code {
			t.Fatalf("card %s: deposittoiban %s, cardtoiban %s", card, again.IBAN, ib.IBAN)
		}
		// ibaninquiry names the same owner as cardnationalid accepts.
		inq := must[IbanInquiryResult](t)(b.IbanInquiry(c, IbanInquiryRequest{IBAN: Value(ib.IBAN)}))
		a := b.cardAccount(card, bank)
		p := b.personOf(a.Owner, "")
		if len(inq.OwnersInfo) != 1 || inq.OwnersInfo[0].FirstName != p.FirstName || inq.DepositNumber != dep.DepositNumber {
			t.Fatalf("ibaninquiry %+v vs %+v", inq, p)
		}
		m := must[MatchResult](t)(b.CardNationalID(c, CardNationalIDRequest{CardNumber: Value(card), NationalID: Value(p.NationalID), MobileNumber: Value(p.Mobile)}))
		if !m.IsMatched {
			t.Fatalf("card %s does not match its owner %s", card, p.NationalID)
		}
	}
	// Every valid IBAN round-trips IBAN -> deposit -> IBAN, for every style.
	for _, acct := range []string{"0021380014707021101", "0011981302618257001", "0126030100979988607", "0000000000000000001", "0081080000000000001", "9999999999999999999"} {
		for _, bank := range []string{"057", "059", "054", "017"} {
			ib := ibanOf(bank, acct)
			r := must[IbanToDepositResult](t)(b.IbanToDeposit(c, IbanToDepositRequest{IBAN: Value(ib)}))
			back := must[DepositToIbanResult](t)(b.DepositToIban(c, DepositToIbanRequest{DepositNumber: Value(r.DepositNumber), Provider: Value(bank)}))
			if back.IBAN != ib || back.DepositNumber != r.DepositNumber {
				t.Fatalf("%s: %s -> %s -> %s", bank, ib, r.DepositNumber, back.IBAN)
			}
		}
	}
	// The same input always gets the same seeded owner; another seed another one.
	x := must[IbanInquiryResult](t)(b.IbanInquiry(c, IbanInquiryRequest{IBAN: Value(ibanOf("017", "0012345678901234567"))}))
	y := must[IbanInquiryResult](t)(newBank(t, Config{}).IbanInquiry(Ctx{Tenant: "other"}, IbanInquiryRequest{IBAN: Value(ibanOf("017", "0012345678901234567"))}))
	if x.OwnersInfo[0] != y.OwnersInfo[0] || x.BankName != "MELLI" || x.DepositStatus != "02" || x.DepositDescription != "حساب فعال است" {
		t.Fatalf("%+v vs %+v", x, y)
	}
}

func TestConversionErrors(t *testing.T) {
	b := newBank(t, Config{})
	c := cc()
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"no card", second(b.CardToIban(c, CardToIbanRequest{})), "REQUIRED_FIELD"},
		{"luhn", second(b.CardToIban(c, CardToIbanRequest{CardNumber: "5022291301984703"})), "INVALID_CARD_NUMBER"},
		{"short", second(b.CardToDeposit(c, CardToDepositRequest{CardNumber: "50222913"})), "INVALID_CARD_NUMBER"},
		{"unknown BIN", second(b.CardToIban(c, CardToIbanRequest{CardNumber: Value(iran.MakeCard("111111", "1"))})), "CARD_NOT_FOUND"},
		{"bad iban", second(b.IbanToDeposit(c, IbanToDepositRequest{IBAN: "IR660570021380014707021102"})), "INVALID_IBAN"},
		{"unknown bank iban", second(b.IbanInquiry(c, IbanInquiryRequest{IBAN: Value(ibanOf("099", "1"))})), "INVALID_IBAN"},
		{"bad provider", second(b.DepositToIban(c, DepositToIbanRequest{DepositNumber: "1", Provider: "999"})), "INVALID_PROVIDER"},
		{"bad deposit", second(b.DepositToIban(c, DepositToIbanRequest{DepositNumber: "213.8001.14707021.1", Provider: "057"})), "INVALID_DEPOSIT_NUMBER"},
		{"bad national id", second(b.MobileNationalID(c, MobileNationalIDRequest{MobileNumber: "09121234567", NationalID: "0084575949"})), "INVALID_NATIONAL_ID"},
		{"bad mobile", second(b.MobileNationalID(c, MobileNationalIDRequest{MobileNumber: "0812", NationalID: "0084575948"})), "INVALID_MOBILE"},
		{"bad birth date", second(b.Personal(c, PersonalRequest{NationalID: "0084575948", BirthDate: "1368/13/40"})), "INVALID_BIRTH_DATE"},
		{"birth mismatch", second(b.Personal(c, PersonalRequest{NationalID: "0084575948", BirthDate: "1368/05/22"})), "BIRTH_DATE_MISMATCH"},
		// Dates the calendar does not convert back: answered "0000/00/00" or a day earlier before.
		{"birth date past the calendar", second(b.Personal(c, PersonalRequest{NationalID: "0012345679", BirthDate: "3177/12/29"})), "INVALID_BIRTH_DATE"},
		{"birth date a day off", second(b.Personal(c, PersonalRequest{NationalID: "0012345679", BirthDate: "1630/12/29"})), "INVALID_BIRTH_DATE"},
	} {
		if got := code(t, tc.err); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func second[T any](_ T, _ int, err error) error { return err }

func TestIdentity(t *testing.T) {
	b := newBank(t, Config{})
	c := cc()
	if m := must[MatchResult](t)(b.MobileNationalID(c, MobileNationalIDRequest{MobileNumber: "+989121234567", NationalID: "0084575948"})); !m.IsMatched {
		t.Fatal("ela's mobile does not match")
	}
	if m := must[MatchResult](t)(b.MobileNationalID(c, MobileNationalIDRequest{MobileNumber: "09121234568", NationalID: "0084575948"})); m.IsMatched {
		t.Fatal("another mobile matches")
	}
	if m := must[MatchResult](t)(b.CardNationalID(c, CardNationalIDRequest{CardNumber: "5022291301984702", NationalID: "0084575948", MobileNumber: "09121234567"})); !m.IsMatched {
		t.Fatal("ela's card does not match")
	}
	if m := must[MatchResult](t)(b.CardNationalID(c, CardNationalIDRequest{CardNumber: "5022291301984702", NationalID: "1270345613"})); m.IsMatched {
		t.Fatal("someone else's card matches")
	}
	p := must[PersonalResult](t)(b.Personal(c, PersonalRequest{NationalID: "0084575948", BirthDate: "13680521"}))
	if p.FirstName != "الا" || p.LastName != "محمدی" || p.BirthDate != "1368/05/21" || p.FatherName != "رضا" || p.DeathStatus != "زنده" {
		t.Fatalf("%+v", p)
	}
	dead := must[PersonalWithImageResult](t)(b.PersonalWithImage(c, PersonalRequest{NationalID: "3312456789", BirthDate: "1320/10/10"}))
	if dead.DeathStatus != "فوت شده" || len(dead.Images) != 1 || dead.Images[0].Image == nil {
		t.Fatalf("%+v", dead)
	}
	// Any valid national code answers a seeded person born on the date asked.
	nid := iran.MakeNationalCode("123456789")
	s1 := must[PersonalResult](t)(b.Personal(c, PersonalRequest{NationalID: Value(nid), BirthDate: "1370/01/01"}))
	s2 := must[PersonalResult](t)(b.Personal(c, PersonalRequest{NationalID: Value(nid), BirthDate: "۱۳۷۰/۰۱/۰۱"}))
	if s1 != s2 || s1.NationalID != nid || s1.BirthDate != "1370/01/01" || s1.FirstName == "" {
		t.Fatalf("%+v vs %+v", s1, s2)
	}
}
