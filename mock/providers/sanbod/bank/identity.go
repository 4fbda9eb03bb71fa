package bank

import (
	"github.com/sandbank-dev/sandbank/mock/digits"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// photo is the image personalwithimage returns: a 1x1 grey PNG, enough for
// clients that decode it. The civil registry's photos are not simulated.
const photo = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="

func nationalID(v Value) (string, *envelope.Error) {
	s := strings.TrimSpace(digits.ToASCII(string(v)))
	if s == "" {
		return "", required("nationalId")
	}
	if !iran.ValidNationalCode(s) {
		return "", fail("INVALID_NATIONAL_ID", "nationalId")
	}
	return s, nil
}

func mobile(v Value, need bool) (string, *envelope.Error) {
	s := strings.TrimSpace(string(v))
	if s == "" {
		if need {
			return "", required("mobileNumber")
		}
		return "", nil
	}
	m, ok := iran.NormalizeMobile(s)
	if !ok {
		return "", fail("INVALID_MOBILE", "mobileNumber")
	}
	return m, nil
}

// CheckMobileNationalID judges a mobileNationalID request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckMobileNationalID(c Ctx, r MobileNationalIDRequest) (Act[MatchResult], error) {
	m, e := mobile(r.MobileNumber, true)
	if e != nil {
		return nil, e
	}
	nid, e := nationalID(r.NationalID)
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (MatchResult, int, error) {
		return MatchResult{IsMatched: b.personOf(nid, "").Mobile == m}, 1, nil
	}, nil
}

// CheckCardNationalID matches when the card's deposit belongs to the national id and,
// if a mobile is sent (the public Go SDK always sends one), that person's mobile.
func (b *Bank) CheckCardNationalID(c Ctx, r CardNationalIDRequest) (Act[MatchResult], error) {
	m, e := mobile(r.MobileNumber, false)
	if e != nil {
		return nil, e
	}
	nid, e := nationalID(r.NationalID)
	if e != nil {
		return nil, e
	}
	_, a, e := b.card(r.CardNumber)
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (MatchResult, int, error) {
		ok := a.Owner == nid && (m == "" || b.personOf(nid, "").Mobile == m)
		return MatchResult{IsMatched: ok}, 1, nil
	}, nil
}

// lookup finds the person for personal inquiry: a fixture person must have the
// birth date asked for; any other valid national code answers a seeded person
// born on that date.
func (b *Bank) lookup(r PersonalRequest) (person, *envelope.Error) {
	nid, e := nationalID(r.NationalID)
	if e != nil {
		return person{}, e
	}
	raw := strings.TrimSpace(digits.ToASCII(string(r.BirthDate)))
	if raw == "" {
		return person{}, required("birthDate")
	}
	t, err := iran.ParseJalali(raw)
	if err != nil {
		return person{}, fail("INVALID_BIRTH_DATE", "birthDate")
	}
	birth := iran.FormatJalali(t, "yyyy/MM/dd")
	p := b.personOf(nid, birth)
	if p.BirthDate != birth {
		return person{}, fail("BIRTH_DATE_MISMATCH", "birthDate")
	}
	return p, nil
}

func (p person) result() PersonalResult {
	return PersonalResult{FirstName: p.FirstName, LastName: p.LastName, RegisterNo: p.RegisterNo,
		RegisterSeries: p.RegisterSeries, RegisterSerial: p.RegisterSerial, NationalID: p.NationalID,
		BirthDate: p.BirthDate, BirthPlace: p.BirthPlace, DeathStatus: p.DeathStatus, Gender: p.Gender,
		FatherName: p.FatherName}
}

// CheckPersonal judges a personal request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckPersonal(c Ctx, r PersonalRequest) (Act[PersonalResult], error) {
	p, e := b.lookup(r)
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (PersonalResult, int, error) {
		return p.result(), 1, nil
	}, nil
}

// CheckPersonalWithImage judges a personalWithImage request in the bank's order and answers what the bank
// then does (see Act).
func (b *Bank) CheckPersonalWithImage(c Ctx, r PersonalRequest) (Act[PersonalWithImageResult], error) {
	p, e := b.lookup(r)
	if e != nil {
		return nil, e
	}
	return func(c Ctx) (PersonalWithImageResult, int, error) {
		img := photo
		return PersonalWithImageResult{PersonalResult: p.result(), Images: []PersonImage{{Type: "PERSONAL", Image: &img}}}, 1, nil
	}, nil
}
