package vandar

import (
	"encoding/base64"
	"fmt"
	"html"

	"github.com/sandbank-dev/sandbank/mock/fake"
)

// The answers of the customers/inquiry/* services, all in one place because
// every key here is [INFERRED]: the reference (§14) found no official request or
// response body for these twelve routes, only their paths, and suggests
// {"status":1,"message":"…","data":{…}} with kind-specific data. When a real
// sample turns up, this file is what changes.

const inquiryOK = "استعلام با موفقیت انجام شد."

// inquiryAnswer is the envelope of every inquiry.
type inquiryAnswer struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

func answer(data any) inquiryAnswer { return inquiryAnswer{1, inquiryOK, data} }

// kyc and shahkar reuse the authentication enum (reference §13.1).
type authData struct {
	TrackID      string `json:"track_id"`
	AuthStatus   string `json:"authentication_status"`
	NationalCode string `json:"national_code"`
}

// nid: the civil registry's record of a person, with the address of the
// person's postal code (the same the postal-code inquiry gives).
type nidData struct {
	TrackID      string `json:"track_id"`
	NationalCode string `json:"national_code"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	FatherName   string `json:"father_name"`
	Gender       string `json:"gender"`
	BirthDate    string `json:"birth_date"`
	IsAlive      bool   `json:"is_alive"`
	PostalCode   string `json:"postal_code"`
	Address      string `json:"address"`
	Image        string `json:"image,omitempty"` // nid-image only: a data: URI
}

func (p *Provider) nidBody(track string, pr person, image bool) nidData {
	d := nidData{TrackID: track, NationalCode: pr.NationalCode, FirstName: pr.FirstName, LastName: pr.LastName,
		FatherName: pr.FatherName, Gender: pr.Gender, BirthDate: pr.BirthDate, IsAlive: true, PostalCode: pr.PostalCode}
	if a, ok := p.addressOf(pr.PostalCode); ok {
		d.Address = a.Description
	}
	if image {
		d.Image = p.portrait(pr)
	}
	return d
}

// portrait draws the registry photo as an SVG: the person's initials on a
// colour fixed by the national code.
func (p *Provider) portrait(pr person) string {
	h := fake.Hash(p.seed, "vandar/portrait", pr.NationalCode)
	initials := string([]rune(pr.FirstName)[:1]) + "\u200c" + string([]rune(pr.LastName)[:1])
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="120" height="160"><rect width="120" height="160" fill="#%06x"/>`+
		`<circle cx="60" cy="62" r="34" fill="#ffffff" opacity="0.6"/><rect x="20" y="104" width="80" height="56" rx="28" fill="#ffffff" opacity="0.6"/>`+
		`<text x="60" y="72" font-size="28" text-anchor="middle" font-family="Tahoma">%s</text></svg>`, h&0x7f7f7f, html.EscapeString(initials))
	return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg))
}

// fida: a foreign national's record.
type fidaData struct {
	TrackID     string `json:"track_id"`
	FidaCode    string `json:"fida_code"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	FatherName  string `json:"father_name"`
	BirthDate   string `json:"birth_date"`
	Nationality string `json:"nationality"`
}

// postal-code: the address parts.
type postalData struct {
	TrackID     string `json:"track_id"`
	PostalCode  string `json:"postal_code"`
	Province    string `json:"province"`
	City        string `json:"city"`
	Street      string `json:"street"`
	Alley       string `json:"alley"`
	HouseNumber string `json:"house_number"`
	Floor       string `json:"floor"`
	Address     string `json:"address"`
}

func postalBody(track string, a address) postalData {
	return postalData{track, a.PostalCode, a.Province, a.City, a.Street, a.Alley, a.Number, a.Floor, a.Description}
}

// company-information.
type companyData struct {
	TrackID            string `json:"track_id"`
	NationalID         string `json:"national_id"`
	Name               string `json:"name"`
	RegistrationNumber string `json:"registration_number"`
	RegistrationDate   string `json:"registration_date"`
	CompanyType        string `json:"company_type"`
	Status             string `json:"status"`
	PostalCode         string `json:"postal_code"`
	Address            string `json:"address"`
}

func (p *Provider) companyBody(track string, c company) companyData {
	d := companyData{TrackID: track, NationalID: c.NationalID, Name: c.Name, RegistrationNumber: c.RegistrationNo,
		RegistrationDate: c.RegisteredAt, CompanyType: c.Kind, Status: "فعال", PostalCode: c.PostalCode}
	if a, ok := p.addressOf(c.PostalCode); ok {
		d.Address = a.Description
	}
	return d
}

// company-signature: who signs for the company.
type signatureData struct {
	TrackID     string      `json:"track_id"`
	NationalID  string      `json:"national_id"`
	Name        string      `json:"name"`
	Signatories []signatory `json:"signatories"`
}

type signatory struct {
	NationalCode string `json:"national_code"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Position     string `json:"position"`
	CanSign      bool   `json:"can_sign"`
}

var positions = []string{"مدیرعامل", "رئیس هیئت مدیره", "عضو هیئت مدیره"}

func (p *Provider) signatureBody(track string, c company) signatureData {
	d := signatureData{TrackID: track, NationalID: c.NationalID, Name: c.Name, Signatories: []signatory{}}
	for i, nc := range c.Signatories {
		pr, ok := p.personOf(nc)
		if !ok {
			continue
		}
		d.Signatories = append(d.Signatories, signatory{nc, pr.FirstName, pr.LastName, positions[min(i, len(positions)-1)], true})
	}
	return d
}

// national-code-iban and match-mobile-card: whether the two belong together.
type matchData struct {
	TrackID   string `json:"track_id"`
	IsMatched bool   `json:"is_matched"`
	BankName  string `json:"bank_name,omitempty"`
}

// iban: the account behind an IBAN.
type ibanData struct {
	TrackID       string      `json:"track_id"`
	IBAN          string      `json:"iban"`
	BankName      string      `json:"bank_name"`
	AccountNumber string      `json:"account_number"`
	AccountStatus string      `json:"account_status"`
	AccountOwners []ownerName `json:"account_owners"`
}

// card: the holder and bank of a card, and the account's IBAN.
type cardData struct {
	TrackID  string `json:"track_id"`
	Card     string `json:"card"`
	Name     string `json:"name"`
	BankName string `json:"bank_name"`
	IBAN     string `json:"iban"`
}
