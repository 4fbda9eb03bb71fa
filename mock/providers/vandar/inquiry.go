package vandar

import (
	"fmt"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// The twelve customers/inquiry/* services (reference §14): each reads the
// fields the reference lists for it (all required, track_id unique per
// business), asks the population, and answers the bodies of inquiry_bodies.go.
// Not found and mismatch come from magic values (the published table) or a
// scenario (INQUIRY_NOT_FOUND, INQUIRY_MISMATCH, EXTERNAL_ERROR as errors;
// AUTH_FAILURE/PENDING/NOT_FOUND and INQUIRY_UNMATCHED inside the reply).

// inquiryKinds and their fields, in the order they are validated.
var inquiryKinds = []struct {
	kind   string
	fields []string
}{
	{"kyc", []string{"first_name", "last_name", "national_code", "birthday", "track_id"}},
	{"shahkar", []string{"mobile", "national_code", "track_id"}},
	{"nid", []string{"national_code", "birth_date", "track_id"}},
	{"nid-image", []string{"national_code", "birth_date", "track_id"}},
	{"fida", []string{"fida_code", "birth_date", "track_id"}},
	{"postal-code", []string{"postal_code", "track_id"}},
	{"company-information", []string{"national_code", "track_id"}},
	{"company-signature", []string{"national_code", "track_id"}},
	{"national-code-iban", []string{"national_code", "iban", "track_id"}},
	{"match-mobile-card", []string{"mobile", "card", "track_id"}},
	{"iban", []string{"iban", "track_id"}},
	{"card", []string{"card", "track_id"}},
}

type inquiryReq struct {
	kind string
	f    map[string]string // normalised values
	bank string            // the Persian name of an IBAN's or card's bank
}

// parseInquiry makes the Parse of one kind.
func (p *Provider) parseInquiry(kind string, fields []string) func(*api.Call) (inquiryReq, error) {
	company := strings.HasPrefix(kind, "company-")
	return func(c *api.Call) (inquiryReq, error) {
		r := inquiryReq{kind: kind, f: map[string]string{}}
		in := readInput(c)
		var ps problems
		for _, name := range fields {
			s, present, ok := in.str(name)
			switch {
			case !present:
				ps = append(ps, required(name))
				continue
			case !ok:
				ps = append(ps, notString(name))
				continue
			}
			bad := ""
			switch name {
			case "national_code":
				if company {
					if len(s) != 11 || !allDigits(s) {
						bad = "INQUIRY_COMPANY_ID"
					}
				} else if !iran.ValidNationalCode(s) {
					bad = "INQUIRY_NATIONAL_CODE"
				}
			case "mobile":
				if s = normMobile(s); s == "" {
					bad = "INQUIRY_MOBILE"
				}
			case "birthday", "birth_date":
				var ok bool
				if s, ok = jalaliDate(s); !ok {
					ps = append(ps, problem{code: "INQUIRY_BIRTH_DATE", field: name})
					continue
				}
			case "postal_code":
				if len(s) != 10 || !allDigits(s) {
					bad = "INQUIRY_POSTAL_CODE"
				}
			case "fida_code":
				if len(s) != 12 || !allDigits(s) {
					bad = "INQUIRY_FIDA_CODE"
				}
			case "iban":
				iban, b, ok := checkIBAN(s)
				if !ok {
					bad = "IBAN_INVALID"
				}
				s, r.bank = iban, b.NameFa
			case "card":
				card, b, ok := checkCard(s)
				if !ok {
					bad = "CARD_INVALID"
				}
				s, r.bank = card, b.NameFa
			case "track_id":
				if len(s) > 255 {
					ps = append(ps, problem{code: "IDN_STRING", field: name, msg: "track_id نباید بیشتر از 255 کاراکتر باشد."})
					continue
				}
			}
			if bad != "" {
				ps = append(ps, problem{code: bad})
				continue
			}
			r.f[name] = s
		}
		if len(ps) > 0 {
			return r, p.failAll(ps)
		}
		return r, nil
	}
}

// runInquiry answers one inquiry. The track_id is taken first, atomically: a
// repeated one is refused whatever the inquiry would have answered.
func (p *Provider) runInquiry(c *api.Call, r inquiryReq) (inquiryAnswer, error) {
	track := r.f["track_id"]
	if !p.idn.tracks.Insert(c.Tenant, track, r.kind) {
		return inquiryAnswer{}, p.failAll(problems{{code: "INQUIRY_TRACK_ID"}})
	}
	nc := r.f["national_code"]
	switch r.kind {
	case "kyc":
		st, ok := forcedStatus(c.Decision)
		if !ok {
			st = p.kycStatus(nc, r.f["first_name"], r.f["last_name"], r.f["birthday"])
		}
		return answer(authData{track, st, nc}), nil
	case "shahkar":
		st, ok := forcedStatus(c.Decision)
		if !ok {
			st = p.shahkarStatus(nc, r.f["mobile"])
		}
		return answer(authData{track, st, nc}), nil
	case "nid", "nid-image":
		pr, err := p.registry(nc, r.f["birth_date"])
		if err != nil {
			return inquiryAnswer{}, err
		}
		return answer(p.nidBody(track, pr, r.kind == "nid-image")), nil
	case "fida":
		code := r.f["fida_code"]
		if code == fidaNotFound {
			return inquiryAnswer{}, p.fail("INQUIRY_NOT_FOUND")
		}
		d := p.foreigner(code)
		d.TrackID = track
		if d.BirthDate != r.f["birth_date"] {
			return inquiryAnswer{}, p.fail("INQUIRY_MISMATCH")
		}
		return answer(d), nil
	case "postal-code":
		a, ok := p.addressOf(r.f["postal_code"])
		if !ok {
			return inquiryAnswer{}, p.fail("INQUIRY_NOT_FOUND")
		}
		return answer(postalBody(track, a)), nil
	case "company-information", "company-signature":
		co, ok := p.companyOf(nc)
		if !ok {
			return inquiryAnswer{}, p.fail("INQUIRY_NOT_FOUND")
		}
		if r.kind == "company-signature" {
			return answer(p.signatureBody(track, co)), nil
		}
		return answer(p.companyBody(track, co)), nil
	case "national-code-iban":
		matched := p.ibanOwner(r.f["iban"]) == nc && !unmatchedForced(c)
		return answer(matchData{track, matched, r.bank}), nil
	case "match-mobile-card":
		pr, ok := p.personOf(cardOwner(r.f["card"]))
		matched := ok && pr.Mobile == r.f["mobile"] && !unmatchedForced(c)
		return answer(matchData{track, matched, r.bank}), nil
	case "iban":
		iban := r.f["iban"]
		return answer(ibanData{track, iban, r.bank, strings.TrimLeft(iran.IBANAccountPart(iban), "0"), "ACTIVE",
			p.owners(p.ibanOwner(iban))}), nil
	case "card":
		card := r.f["card"]
		d := cardData{TrackID: track, Card: card, BankName: r.bank}
		if pr, ok := p.personOf(cardOwner(card)); ok {
			d.Name = pr.FullName()
		}
		if b, ok := iran.CardBank(card); ok {
			d.IBAN = p.cardIBAN(card, b)
		}
		return answer(d), nil
	}
	return inquiryAnswer{}, p.fail("NOT_FOUND")
}

func unmatchedForced(c *api.Call) bool {
	return c.Decision.Outcome == "failure" && c.Decision.Code == "INQUIRY_UNMATCHED"
}

// registry is the civil registry's lookup by national code and birth date: the
// magic PENDING person's registry does not answer (502), the NOT_FOUND one and
// unknown codes are not found, a wrong birth date is a mismatch.
func (p *Provider) registry(nc, birth string) (person, error) {
	if m, ok := magicPerson(nc); ok && m.outcome == authPending {
		return person{}, p.fail("EXTERNAL_ERROR")
	}
	pr, ok := p.personOf(nc)
	if !ok {
		return person{}, p.fail("INQUIRY_NOT_FOUND")
	}
	if !sameDate(birth, pr.BirthDate) {
		return person{}, p.fail("INQUIRY_MISMATCH")
	}
	return pr, nil
}

// foreigner is the holder of a FIDA code: the table's, or one derived from the
// seed.
func (p *Provider) foreigner(code string) fidaData {
	if code == magicFida.FidaCode {
		return magicFida
	}
	fr := fake.Rand(p.seed, "vandar/fida", code)
	d := fidaData{FidaCode: code, FirstName: maleNames[fr.IntN(len(maleNames))], LastName: lastNames[fr.IntN(len(lastNames))],
		FatherName: maleNames[fr.IntN(len(maleNames))], Nationality: []string{"افغانستان", "عراق", "پاکستان"}[fr.IntN(3)]}
	d.BirthDate, _ = jalaliDate(fmt.Sprintf("%d/%d/%d", 1350+fr.IntN(40), 1+fr.IntN(12), 1+fr.IntN(29)))
	return d
}
