package vandar

import (
	"fmt"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// The simulated banking world behind identity, bank instruments and inquiries:
// one population, deterministic from --seed, that every v3 customer route and
// every customers/inquiry/* service reads. A person is a national code; the
// magic people of the published table have fixed data and decide outcomes, every
// other checksum-valid national code is a person derived from (seed, code). A
// person owns two bank accounts, each an IBAN and a card at one bank, and the
// numbers encode the owner, so an IBAN or card typed by a client always has an
// owner in this world:
//
//   - IBAN account part "0" + national code + 8-digit account index
//     (a legal entity's: "1" + 11-digit national id + 7-digit index);
//   - card BIN + the first nine digits of the national code + Luhn digit (the
//     national code's check digit is recomputed from those nine).
//
// An IBAN not built that way belongs to a person derived from the IBAN itself.

// person is one individual of the population.
type person struct {
	NationalCode string
	FirstName    string
	LastName     string
	FatherName   string
	Gender       string // "MALE" | "FEMALE"
	BirthDate    string // Jalali yyyy/mm/dd
	Mobile       string
	PostalCode   string
	Banks        []string // bank keys of the person's two accounts, in order
	// outcome is a magic person's authentication answer when it is not decided
	// by comparing data: "PENDING" (the identity provider does not answer) or
	// "NOT_FOUND" (no such person); "" for everyone else.
	outcome string
}

// company is one legal entity of the population.
type company struct {
	NationalID     string
	Name           string
	RegistrationNo string
	RegisteredAt   string // Jalali
	Kind           string
	PostalCode     string
	Banks          []string
	Signatories    []string // national codes of the people who sign for it
	notFound       bool
}

// Authentication outcomes (reference §13.1).
const (
	authSuccessful = "SUCCESSFUL"
	authFailure    = "FAILURE"
	authPending    = "PENDING"
	authNotFound   = "NOT_FOUND"
)

// magicPeople is the published table (README "Vandar identities", doc.go):
// national codes chosen checksum-valid, mobiles in the 0912111000x range.
var magicPeople = []person{
	{NationalCode: iran.MakeNationalCode("002030405"), FirstName: "سارا", LastName: "رضایی", FatherName: "محمود", Gender: "FEMALE",
		BirthDate: "1370/05/12", Mobile: "09121110001", PostalCode: "1415733164", Banks: []string{"saman", "melli"}},
	{NationalCode: iran.MakeNationalCode("002030406"), FirstName: "علی", LastName: "کریمی", FatherName: "حسن", Gender: "MALE",
		BirthDate: "1365/11/03", Mobile: "09121110002", PostalCode: "1968913351", Banks: []string{"pasargad", "tejarat"}},
	{NationalCode: iran.MakeNationalCode("002030407"), FirstName: "مریم", LastName: "احمدی", FatherName: "رضا", Gender: "FEMALE",
		BirthDate: "1372/02/28", Mobile: "09121110003", PostalCode: "7134845791", Banks: []string{"mellat", "saderat"}, outcome: authPending},
	{NationalCode: iran.MakeNationalCode("002030408"), FirstName: "نامشخص", LastName: "نامشخص", Gender: "MALE",
		BirthDate: "1360/01/01", Mobile: "09121110004", PostalCode: "9999999999", Banks: []string{"sepah", "keshavarzi"}, outcome: authNotFound},
}

// unregisteredMobile is a SIM no operator knows: Shahkar answers NOT_FOUND for it.
const unregisteredMobile = "09121110009"

// notFoundPostalCode has no address.
const notFoundPostalCode = "9999999999"

// magicCompanies: one found, one the registry does not know.
var magicCompanies = []company{
	{NationalID: "10101234567", Name: "شرکت نمونه سازان پارس", RegistrationNo: "412345", RegisteredAt: "1392/04/15",
		Kind: "سهامی خاص", PostalCode: "1513745611", Banks: []string{"eghtesad-novin", "parsian"},
		Signatories: []string{magicPeople[0].NationalCode, magicPeople[1].NationalCode}},
	{NationalID: "10100000000", Name: "-", notFound: true},
}

// Foreign nationals' FIDA codes (12 digits): one of the table, one unknown;
// any other code is a foreigner derived from the seed.
const fidaNotFound = "000000000000"

var magicFida = fidaData{FidaCode: "101010101010", FirstName: "محمد", LastName: "حسینی", FatherName: "احمد",
	BirthDate: "1368/03/21", Nationality: "افغانستان"}

func magicPerson(nc string) (person, bool) {
	for _, m := range magicPeople {
		if m.NationalCode == nc {
			return m, true
		}
	}
	return person{}, false
}

var (
	maleNames   = []string{"محمد", "علی", "حسین", "رضا", "امیر", "مهدی", "حمید", "سعید", "مصطفی", "جواد", "کامران", "بهرام", "پیمان", "نیما", "آرش"}
	femaleNames = []string{"فاطمه", "زهرا", "مریم", "نرگس", "الناز", "سمیرا", "لیلا", "شیما", "نازنین", "پریسا", "مهسا", "الهام", "سپیده", "نگار", "رویا"}
	lastNames   = []string{"محمدی", "حسینی", "احمدی", "رضایی", "موسوی", "کریمی", "جعفری", "صادقی", "رحیمی", "نوروزی", "اکبری", "قاسمی", "عباسی", "طاهری", "کاظمی", "ابوئی مهریزی", "شریفی", "یزدانی"}
	// Banks whose cards convert to IBANs (reference §13.4) and that have BINs.
	personBanks = []string{"eghtesad-novin", "keshavarzi", "saman", "sarmayeh", "saderat", "resalat", "dey", "ansar", "shahr",
		"tejarat", "iran-zamin", "sina", "sanat-madan", "pasargad", "melli"}
	places = []struct{ province, city, prefix string }{
		{"تهران", "تهران", "1"}, {"اصفهان", "اصفهان", "8"}, {"فارس", "شیراز", "7"}, {"خراسان رضوی", "مشهد", "9"},
		{"آذربایجان شرقی", "تبریز", "5"}, {"گیلان", "رشت", "4"}, {"یزد", "یزد", "8"}, {"البرز", "کرج", "3"},
	}
	streets = []string{"خیابان ولیعصر", "خیابان آزادی", "خیابان انقلاب", "بلوار کشاورز", "خیابان شریعتی", "بلوار فردوس", "خیابان امام", "خیابان بهار"}
	alleys  = []string{"کوچه لاله", "کوچه نسترن", "کوچه یاس", "کوچه اقاقیا", "کوچه مریم", "کوچه شقایق"}
)

// personOf is the person with national code nc: the magic one, or one derived
// from the seed. ok is false for a code that fails the checksum and for the
// magic person nobody knows (NOT_FOUND).
func (p *Provider) personOf(nc string) (person, bool) {
	if !iran.ValidNationalCode(nc) {
		return person{}, false
	}
	if m, ok := magicPerson(nc); ok {
		return m, m.outcome != authNotFound
	}
	r := fake.Rand(p.seed, "vandar/person", nc)
	pr := person{NationalCode: nc, LastName: lastNames[r.IntN(len(lastNames))], FatherName: maleNames[r.IntN(len(maleNames))]}
	if r.IntN(2) == 0 {
		pr.Gender, pr.FirstName = "MALE", maleNames[r.IntN(len(maleNames))]
	} else {
		pr.Gender, pr.FirstName = "FEMALE", femaleNames[r.IntN(len(femaleNames))]
	}
	pr.BirthDate = fmt.Sprintf("%d/%02d/%02d", 1340+r.IntN(45), 1+r.IntN(12), 1+r.IntN(29))
	// Discoverable on purpose: the mobile a derived person registered with the
	// operators is 0912 and the last seven digits of the national code.
	pr.Mobile = "0912" + nc[3:]
	pr.PostalCode = p.postalCodeFor("person/" + nc)
	a := r.IntN(len(personBanks))
	b := (a + 1 + r.IntN(len(personBanks)-1)) % len(personBanks)
	pr.Banks = []string{personBanks[a], personBanks[b]}
	return pr, true
}

// FullName is first and last name.
func (pr person) FullName() string { return pr.FirstName + " " + pr.LastName }

// postalCodeFor draws a 10-digit postal code whose first digit names a place
// (addressOf reads it back) and whose first five digits avoid 0 and 2, as
// Iranian postal codes do.
func (p *Provider) postalCodeFor(key string) string {
	r := fake.Rand(p.seed, "vandar/postal", key)
	pl := places[r.IntN(len(places))]
	var b strings.Builder
	b.WriteString(pl.prefix)
	ok := "13456789"
	for i := 1; i < 5; i++ {
		b.WriteByte(ok[r.IntN(len(ok))])
	}
	for i := 5; i < 10; i++ {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// address is a postal address as the postal-code inquiry answers it.
type address struct {
	PostalCode  string
	Province    string
	City        string
	Street      string
	Alley       string
	Number      string
	Floor       string
	Description string
}

// addressOf is the address of a postal code: the same code always names the
// same place, whoever lives there. ok is false for a malformed or the magic
// not-found code.
func (p *Provider) addressOf(code string) (address, bool) {
	if len(code) != 10 || !allDigits(code) || code == notFoundPostalCode {
		return address{}, false
	}
	r := fake.Rand(p.seed, "vandar/address", code)
	pl := places[r.IntN(len(places))]
	for _, c := range places {
		if c.prefix == code[:1] {
			pl = c
			break
		}
	}
	a := address{PostalCode: code, Province: pl.province, City: pl.city, Street: streets[r.IntN(len(streets))],
		Alley: alleys[r.IntN(len(alleys))], Number: fmt.Sprint(1 + r.IntN(120)), Floor: fmt.Sprint(r.IntN(6))}
	a.Description = fmt.Sprintf("%s، %s، %s، پلاک %s، طبقه %s", a.City, a.Street, a.Alley, a.Number, a.Floor)
	return a, true
}

// companyOf is the company with an 11-digit national id.
func (p *Provider) companyOf(id string) (company, bool) {
	if len(id) != 11 || !allDigits(id) {
		return company{}, false
	}
	for _, m := range magicCompanies {
		if m.NationalID == id {
			return m, !m.notFound
		}
	}
	r := fake.Rand(p.seed, "vandar/company", id)
	kinds := []string{"سهامی خاص", "با مسئولیت محدود", "سهامی عام", "تعاونی"}
	words := []string{"پارس", "آریا", "نوین", "سپهر", "البرز", "کیان", "مهر", "آفتاب"}
	fields := []string{"بازرگانی", "فناوری اطلاعات", "صنایع غذایی", "ساختمانی", "حمل و نقل", "پخش"}
	c := company{NationalID: id, Name: "شرکت " + fields[r.IntN(len(fields))] + " " + words[r.IntN(len(words))],
		RegistrationNo: fmt.Sprint(100000 + r.IntN(800000)), Kind: kinds[r.IntN(len(kinds))],
		RegisteredAt: fmt.Sprintf("%d/%02d/%02d", 1370+r.IntN(32), 1+r.IntN(12), 1+r.IntN(29)),
		PostalCode:   p.postalCodeFor("company/" + id)}
	a := r.IntN(len(personBanks))
	c.Banks = []string{personBanks[a], personBanks[(a+3)%len(personBanks)]}
	for i := 0; i < 1+r.IntN(2); i++ {
		c.Signatories = append(c.Signatories, iran.MakeNationalCode(fmt.Sprintf("%09d", r.IntN(1_000_000_000))))
	}
	return c, true
}

// --- instruments ---

// ibanFor is an owner's IBAN at the bank of its k-th account (k from 1).
func ibanFor(bankKey, owner string, k int) string {
	b, ok := iran.BankByKey(bankKey)
	if !ok {
		return ""
	}
	var acct string
	if len(owner) == 11 { // a legal entity's national id
		acct = fmt.Sprintf("1%s%07d", owner, k)
	} else {
		acct = fmt.Sprintf("0%s%08d", owner, k)
	}
	iban, err := iran.MakeIBAN(b.Code, acct)
	if err != nil {
		return ""
	}
	return iban
}

// ibanOwner is the national code (10 digits) or national id (11) owning an
// IBAN in the simulated world.
func (p *Provider) ibanOwner(iban string) string {
	acct := iran.IBANAccountPart(iban)
	if acct == "" {
		return ""
	}
	switch acct[0] {
	case '0':
		if iran.ValidNationalCode(acct[1:11]) {
			return acct[1:11]
		}
	case '1':
		if _, ok := p.companyOf(acct[1:12]); ok {
			return acct[1:12]
		}
	}
	h := fake.Hash(p.seed, "vandar/iban-owner", iban)
	return iran.MakeNationalCode(fmt.Sprintf("%09d", h%1_000_000_000))
}

// cardOwner is the national code of a card's holder.
func cardOwner(card string) string { return iran.MakeNationalCode(card[6:15]) }

// cardIBAN is the IBAN of the account behind a card: the holder's account at
// the card's bank (its index among the holder's accounts, or 1 when the bank is
// not one of them).
func (p *Provider) cardIBAN(card string, bank iran.Bank) string {
	nc := cardOwner(card)
	k := 1
	if pr, ok := p.personOf(nc); ok {
		for i, key := range pr.Banks {
			if key == bank.Key {
				k = i + 1
			}
		}
	}
	return ibanFor(bank.Key, nc, k)
}

// ownerNames are an account's owners as Vandar lists them.
type ownerName struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

// owners of an IBAN or card holder: the person's first and last name, or the
// company's name as lastName.
func (p *Provider) owners(owner string) []ownerName {
	if len(owner) == 11 {
		if c, ok := p.companyOf(owner); ok {
			return []ownerName{{FirstName: "", LastName: c.Name}}
		}
	}
	if pr, ok := p.personOf(owner); ok {
		return []ownerName{{FirstName: pr.FirstName, LastName: pr.LastName}}
	}
	return []ownerName{}
}

// toIBANBanks are the banks whose cards convert to an IBAN (reference §13.4).
var toIBANBanks = map[string]bool{}

func init() {
	for _, k := range personBanks {
		toIBANBanks[k] = true
	}
}

// sameName compares names as a registry would: Arabic yeh and kaf are the
// Persian letters, and zero-width non-joiners and repeated spaces do not count.
func sameName(a, b string) bool { return normName(a) == normName(b) }

func normName(s string) string {
	s = strings.NewReplacer("ي", "ی", "ك", "ک", "\u200c", " ", "\u200f", "").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
