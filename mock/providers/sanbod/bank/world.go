package bank

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

// person is one citizen as the identity services know them.
type person struct {
	NationalID     string `yaml:"national_id"`
	FirstName      string `yaml:"first_name"`
	LastName       string `yaml:"last_name"`
	FatherName     string `yaml:"father_name"`
	Gender         string `yaml:"gender"`
	BirthDate      string `yaml:"birth_date"` // Jalali yyyy/MM/dd
	BirthPlace     string `yaml:"birth_place"`
	RegisterNo     string `yaml:"register_no"`
	RegisterSeries string `yaml:"register_series"`
	RegisterSerial string `yaml:"register_serial"`
	Mobile         string `yaml:"mobile"`
	DeathStatus    string `yaml:"death_status"`
}

func (p person) fullName() string { return p.FirstName + " " + p.LastName }

// account is the fixed identity of a deposit; its money lives in the ledger table.
type account struct {
	Bank    string // three-digit code
	Number  string // canonical deposit number
	Acct    string // 19-digit IBAN account part
	IBAN    string
	Owner   string // national id
	Status  string // ibaninquiry depositStatus
	Opening int64
	Cards   []string
	Fixture bool // listed in fixtures (has a ledger); otherwise seeded on demand
}

func (a *account) key() string { return a.Bank + "/" + a.Acct }

const (
	statusActive        = "02"
	statusNoDeposit     = "04" // blocked, cannot even receive
	kindNormal          = "normal"
	kindPaya            = "paya"
	kindSatna           = "satna"
	defaultSATNAFloor   = 150_000_000
	defaultLength       = 25
	defaultWindow       = 72 * time.Hour
	unknownBankName     = "UNKNOWN"
	defaultSatnaStep    = 10 * time.Minute
	fakeBirthYearFirst  = 1330
	fakeBirthYearSpread = 55
)

// magic is one published magic amount.
type magic struct {
	Kind        string           `yaml:"kind"`
	Amount      int64            `yaml:"amount"`
	Name        string           `yaml:"name"`
	Timeline    []lifecycle.Spec `yaml:"-"`
	Fail        string           `yaml:"fail"`
	Unknown     string           `yaml:"unknown"`
	SettleAfter time.Duration    `yaml:"-"`
	SettleTo    string           `yaml:"settle_to"`
}

type stepFix struct {
	Status string `yaml:"status"`
	At     string `yaml:"at"`
}

type fixtureFile struct {
	Logins []struct {
		Username string `yaml:"username"`
		Password string `yaml:"password"`
	} `yaml:"logins"`
	TestUser  string   `yaml:"test_user"`
	TestBanks []string `yaml:"test_banks"`
	Persons   []person `yaml:"persons"`
	Deposits  []struct {
		Bank    string   `yaml:"bank"`
		Number  string   `yaml:"number"`
		Owner   string   `yaml:"owner"`
		Balance int64    `yaml:"balance"`
		Status  string   `yaml:"status"`
		Cards   []string `yaml:"cards"`
	} `yaml:"deposits"`
	DepositStatuses map[string]string `yaml:"deposit_statuses"`
	BankNames       map[string]string `yaml:"bank_names"`
	Names           struct {
		FirstMale   []string `yaml:"first_male"`
		FirstFemale []string `yaml:"first_female"`
		Last        []string `yaml:"last"`
		Fathers     []string `yaml:"fathers"`
		Places      []string `yaml:"places"`
	} `yaml:"names"`
	Timelines struct {
		Paya  []stepFix `yaml:"paya"`
		Satna []stepFix `yaml:"satna"`
	} `yaml:"timelines"`
	SatnaStep string `yaml:"satna_step"`
	Magic     []struct {
		magic       `yaml:",inline"`
		Timeline    []stepFix `yaml:"timeline"`
		SettleAfter string    `yaml:"settle_after"`
	} `yaml:"magic"`
}

// world is the fixed part of the bank: who exists, which deposits and cards they
// hold, and the rules. It is read-only after New, so it needs no lock.
type world struct {
	logins    map[string]string
	testUser  string
	testBanks []string
	persons   map[string]person
	accounts  map[string]*account // by bank/acct
	order     []*account          // fixture order, for the consent page
	byCard    map[string]*account
	statuses  map[string]string
	bankNames map[string]string // bank key -> SDK enum
	byEnum    map[string]string // SDK enum -> bank code
	names     struct{ male, female, last, fathers, places []string }
	payaPlan  []lifecycle.Spec
	satnaPlan []lifecycle.Spec
	satnaStep time.Duration
	magic     map[string]map[int64]magic // kind -> amount
}

func loadWorld(fsys fs.FS) (*world, error) {
	var f fixtureFile
	err := fixtures.Decode(fsys, "sanbod.yaml", &f)
	if err != nil {
		return nil, fmt.Errorf("bank: fixtures: %w", err)
	}
	w := &world{
		logins: map[string]string{}, persons: map[string]person{}, accounts: map[string]*account{},
		byCard: map[string]*account{}, statuses: f.DepositStatuses, bankNames: f.BankNames,
		byEnum: map[string]string{}, testUser: f.TestUser, testBanks: f.TestBanks,
		magic: map[string]map[int64]magic{},
	}
	for _, l := range f.Logins {
		if l.Username == "" {
			return nil, fmt.Errorf("bank: sanbod.yaml: login without username")
		}
		w.logins[l.Username] = l.Password
	}
	for _, p := range f.Persons {
		if !iran.ValidNationalCode(p.NationalID) {
			return nil, fmt.Errorf("bank: sanbod.yaml: person %q: national id fails its check digit", p.NationalID)
		}
		if _, err := iran.ParseJalali(p.BirthDate); err != nil {
			return nil, fmt.Errorf("bank: sanbod.yaml: person %s: birth_date: %w", p.NationalID, err)
		}
		if m, ok := iran.NormalizeMobile(p.Mobile); !ok {
			return nil, fmt.Errorf("bank: sanbod.yaml: person %s: mobile %q", p.NationalID, p.Mobile)
		} else {
			p.Mobile = m
		}
		w.persons[p.NationalID] = p
	}
	if _, ok := w.persons[w.testUser]; !ok {
		return nil, fmt.Errorf("bank: sanbod.yaml: test_user %q is not among persons", w.testUser)
	}
	if w.statuses[statusActive] == "" {
		return nil, fmt.Errorf("bank: sanbod.yaml: deposit_statuses must describe %q", statusActive)
	}
	for _, d := range f.Deposits {
		where := d.Bank + " " + d.Number
		if _, ok := iran.BankByCode(d.Bank); !ok {
			return nil, fmt.Errorf("bank: sanbod.yaml: deposit %s: unknown bank", where)
		}
		canon, acct, ok := canonicalNumber(d.Bank, d.Number)
		if !ok || canon != d.Number {
			return nil, fmt.Errorf("bank: sanbod.yaml: deposit %s: not a canonical deposit number (want %q)", where, canon)
		}
		if _, ok := w.persons[d.Owner]; !ok {
			return nil, fmt.Errorf("bank: sanbod.yaml: deposit %s: owner %q is not among persons", where, d.Owner)
		}
		if d.Status == "" {
			d.Status = statusActive
		}
		if _, ok := w.statuses[d.Status]; !ok {
			return nil, fmt.Errorf("bank: sanbod.yaml: deposit %s: status %q not in deposit_statuses", where, d.Status)
		}
		a := &account{Bank: d.Bank, Number: canon, Acct: acct, IBAN: ibanOf(d.Bank, acct), Owner: d.Owner,
			Status: d.Status, Opening: d.Balance, Cards: d.Cards, Fixture: true}
		if _, dup := w.accounts[a.key()]; dup {
			return nil, fmt.Errorf("bank: sanbod.yaml: deposit %s listed twice", where)
		}
		for _, c := range d.Cards {
			if b, ok := iran.CardBank(c); !ok || !iran.ValidCardLuhn(c) || b.Code != d.Bank {
				return nil, fmt.Errorf("bank: sanbod.yaml: deposit %s: card %s is not a Luhn-valid card of bank %s", where, c, d.Bank)
			}
			if _, dup := w.byCard[c]; dup {
				return nil, fmt.Errorf("bank: sanbod.yaml: card %s listed twice", c)
			}
			w.byCard[c] = a
		}
		w.accounts[a.key()] = a
		w.order = append(w.order, a)
	}
	for key, enum := range w.bankNames {
		b, ok := iran.BankByKey(key)
		if !ok {
			return nil, fmt.Errorf("bank: sanbod.yaml: bank_names: unknown bank key %q", key)
		}
		w.byEnum[enum] = b.Code
	}
	n := f.Names
	w.names.male, w.names.female, w.names.last, w.names.fathers, w.names.places = n.FirstMale, n.FirstFemale, n.Last, n.Fathers, n.Places
	if len(n.FirstMale) == 0 || len(n.FirstFemale) == 0 || len(n.Last) == 0 || len(n.Fathers) == 0 || len(n.Places) == 0 {
		return nil, fmt.Errorf("bank: sanbod.yaml: every names list must be non-empty")
	}
	if w.payaPlan, err = specs(f.Timelines.Paya, achValid); err != nil {
		return nil, fmt.Errorf("bank: sanbod.yaml: timelines.paya: %w", err)
	}
	if w.satnaPlan, err = specs(f.Timelines.Satna, rtgsValid); err != nil {
		return nil, fmt.Errorf("bank: sanbod.yaml: timelines.satna: %w", err)
	}
	w.satnaStep = defaultSatnaStep
	if f.SatnaStep != "" {
		if w.satnaStep, err = time.ParseDuration(f.SatnaStep); err != nil || w.satnaStep <= 0 {
			return nil, fmt.Errorf("bank: sanbod.yaml: satna_step %q", f.SatnaStep)
		}
	}
	for i, m := range f.Magic {
		mg := m.magic
		valid := map[string]func(string) bool{kindPaya: achValid, kindSatna: rtgsValid, kindNormal: func(string) bool { return false }}[mg.Kind]
		if valid == nil || mg.Amount <= 0 {
			return nil, fmt.Errorf("bank: sanbod.yaml: magic %d: bad kind %q or amount", i+1, mg.Kind)
		}
		if len(m.Timeline) > 0 {
			if mg.Timeline, err = specs(m.Timeline, valid); err != nil {
				return nil, fmt.Errorf("bank: sanbod.yaml: magic %d: %w", i+1, err)
			}
		}
		if mg.Fail != "" && codes[mg.Fail].status == 0 || mg.Unknown != "" && codes[mg.Unknown].status == 0 {
			return nil, fmt.Errorf("bank: sanbod.yaml: magic %d: unknown code", i+1)
		}
		if m.SettleAfter != "" {
			if mg.SettleAfter, err = time.ParseDuration(m.SettleAfter); err != nil {
				return nil, fmt.Errorf("bank: sanbod.yaml: magic %d: settle_after: %w", i+1, err)
			}
		}
		if w.magic[mg.Kind] == nil {
			w.magic[mg.Kind] = map[int64]magic{}
		}
		w.magic[mg.Kind][mg.Amount] = mg
	}
	return w, nil
}

func achValid(s string) bool { return slices.Contains(achStatuses, s) }
func rtgsValid(s string) bool {
	_, ok := rtgsCanonical(s)
	return ok
}

func specs(steps []stepFix, valid func(string) bool) ([]lifecycle.Spec, error) {
	if len(steps) == 0 {
		return nil, fmt.Errorf("empty timeline")
	}
	out := make([]lifecycle.Spec, len(steps))
	for i, s := range steps {
		if !valid(s.Status) {
			return nil, fmt.Errorf("step %d: unknown status %q", i+1, s.Status)
		}
		out[i] = lifecycle.Spec{Status: s.Status, At: s.At}
	}
	return out, nil
}

// ---- seeded fakes: every valid input exists, the same way every time ----

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// accountAt is the deposit with account part acct at bank: the fixture one, or a
// seeded stranger's (active, owned by a seeded person) for any other valid number.
func (b *Bank) accountAt(bank, acct string) *account {
	if a, ok := b.w.accounts[bank+"/"+acct]; ok {
		return a
	}
	r := fake.Rand(b.seed, "owner", bank, acct)
	nid := iran.MakeNationalCode(fmt.Sprintf("%09d", 1_000_000+r.IntN(998_000_000)))
	return &account{Bank: bank, Number: decodeAccount(bank, acct), Acct: acct, IBAN: ibanOf(bank, acct),
		Owner: nid, Status: statusActive}
}

// cardAccount is the deposit a card draws on: the fixture's, or a seeded dashed
// deposit at the card's bank.
func (b *Bank) cardAccount(card string, bank iran.Bank) *account {
	if a, ok := b.w.byCard[card]; ok {
		return a
	}
	r := fake.Rand(b.seed, "card", card)
	number := fmt.Sprintf("%03d-%03d-%07d-%d", 100+r.IntN(900), 100+r.IntN(900), 1_000_000+r.IntN(9_000_000), 1+r.IntN(9))
	acct, _ := encodeNumber(number)
	cp := *b.accountAt(bank.Code, acct) // a copy: fixture accounts are shared
	cp.Cards = []string{card}
	return &cp
}

// personOf is the fixture person with national id nid, or a seeded one. birth,
// when not empty, is the birth date a seeded person takes (personal inquiry of an
// unknown national code answers with the date asked for).
func (b *Bank) personOf(nid, birth string) person {
	if p, ok := b.w.persons[nid]; ok {
		return p
	}
	r := fake.Rand(b.seed, "person", nid)
	p := person{NationalID: nid, LastName: pick(r, b.w.names.last), FatherName: pick(r, b.w.names.fathers),
		BirthPlace: pick(r, b.w.names.places), DeathStatus: "زنده"}
	if r.IntN(2) == 0 {
		p.Gender, p.FirstName = "مرد", pick(r, b.w.names.male)
	} else {
		p.Gender, p.FirstName = "زن", pick(r, b.w.names.female)
	}
	y, m, d := fakeBirthYearFirst+r.IntN(fakeBirthYearSpread), 1+r.IntN(12), 1+r.IntN(29)
	p.BirthDate = fmt.Sprintf("%04d/%02d/%02d", y, m, d)
	if birth != "" {
		p.BirthDate = birth
	}
	p.RegisterNo = strconv.Itoa(1 + r.IntN(9999))
	p.RegisterSeries = fmt.Sprintf("%02d/%s", 1+r.IntN(99), pick(r, []string{"الف", "ب", "ج", "د", "ه"}))
	p.RegisterSerial = fmt.Sprintf("%06d", r.IntN(1_000_000))
	p.Mobile = fmt.Sprintf("09%d%08d", 1+r.IntN(3), r.IntN(100_000_000))
	return p
}

// bankName is ibaninquiry's bankName.
func (b *Bank) bankName(code string) string {
	bk, ok := iran.BankByCode(code)
	if !ok {
		return unknownBankName
	}
	if n := b.w.bankNames[bk.Key]; n != "" {
		return n
	}
	return unknownBankName
}
