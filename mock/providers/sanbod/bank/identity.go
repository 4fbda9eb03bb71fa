package bank

import (
	"strings"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// photo is the image personalwithimage returns: a 1x1 grey PNG, enough for
// clients that decode it. The civil registry's photos are not simulated.
const photo = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="

func nationalID(v Value) (string, *envelope.Error) {
	s := strings.TrimSpace(toASCIIDigits(string(v)))
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
	m, ok := normMobile(s)
	if !ok {
		return "", fail("INVALID_MOBILE", "mobileNumber")
	}
	return m, nil
}

func (b *Bank) mobileNationalID(c Ctx, r MobileNationalIDRequest) (MatchResult, int, error) {
	m, e := mobile(r.MobileNumber, true)
	if e != nil {
		return MatchResult{}, 0, e
	}
	nid, e := nationalID(r.NationalID)
	if e != nil {
		return MatchResult{}, 0, e
	}
	if e := failure(c); e != nil {
		return MatchResult{}, 0, e
	}
	return MatchResult{IsMatched: b.personOf(nid, "").Mobile == m}, 1, nil
}

// cardNationalID matches when the card's deposit belongs to the national id and,
// if a mobile is sent (the public Go SDK always sends one), that person's mobile.
func (b *Bank) cardNationalID(c Ctx, r CardNationalIDRequest) (MatchResult, int, error) {
	m, e := mobile(r.MobileNumber, false)
	if e != nil {
		return MatchResult{}, 0, e
	}
	nid, e := nationalID(r.NationalID)
	if e != nil {
		return MatchResult{}, 0, e
	}
	_, a, e := b.card(r.CardNumber)
	if e != nil {
		return MatchResult{}, 0, e
	}
	if e := failure(c); e != nil {
		return MatchResult{}, 0, e
	}
	ok := a.Owner == nid && (m == "" || b.personOf(nid, "").Mobile == m)
	return MatchResult{IsMatched: ok}, 1, nil
}

// lookup finds the person for personal inquiry: a fixture person must have the
// birth date asked for; any other valid national code answers a seeded person
// born on that date.
func (b *Bank) lookup(r PersonalRequest) (person, *envelope.Error) {
	nid, e := nationalID(r.NationalID)
	if e != nil {
		return person{}, e
	}
	raw := strings.TrimSpace(toASCIIDigits(string(r.BirthDate)))
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

func (b *Bank) personal(c Ctx, r PersonalRequest) (PersonalResult, int, error) {
	p, e := b.lookup(r)
	if e != nil {
		return PersonalResult{}, 0, e
	}
	if e := failure(c); e != nil {
		return PersonalResult{}, 0, e
	}
	return p.result(), 1, nil
}

func (b *Bank) personalWithImage(c Ctx, r PersonalRequest) (PersonalWithImageResult, int, error) {
	p, e := b.lookup(r)
	if e != nil {
		return PersonalWithImageResult{}, 0, e
	}
	if e := failure(c); e != nil {
		return PersonalWithImageResult{}, 0, e
	}
	img := photo
	return PersonalWithImageResult{PersonalResult: p.result(), Images: []PersonImage{{Type: "PERSONAL", Image: &img}}}, 1, nil
}
