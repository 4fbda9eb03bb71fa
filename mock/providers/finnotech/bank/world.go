package bank

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// world is the resolved, read-only fixture data every tenant starts from.
type world struct {
	windowFrom, windowTo int // minutes of the Tehran day; closed in [from, to) across midnight
	failedState          string
	users                map[string]*user
	deposits             map[string]*depositDef
	bonCards             map[string]*bonCardDef
	debitCards           map[string]*DebitCardFixture
	mobiles              map[string][]string // 09xxxxxxxxx → fixture cards, in order
	emptyMobiles         map[string]bool
	magic                map[int64]MagicAmount
	first, last          []string
	genBanks             []iran.Bank
	depDefault           depositDef // what a deposit the fixtures say nothing special of is like
}

type user struct {
	NID, Name string
	Deposits  []string // numbers, fixture order
}

type depositDef struct {
	Number, Bank, OwnerNID, Owner string
	Opening, Freeze               int64
	PerTx, DayCount, DayAmount    int64
	MonthCount, MonthAmount       int64
	NoTafsili, ConditionsNotPass  bool
}

type bonCardDef struct {
	Card, Owner, Status, ReplacedBy, ValidCard string
	Opening                                    int64
	MaxBalance, PerTx, DayAmount, MonthAmount  int64
}

var defaultFirst = []string{"علی", "زهرا", "محمد", "فاطمه", "حسین", "مریم", "رضا", "سارا"}
var defaultLast = []string{"آقایی", "محمدی", "رضایی", "حسینی", "کریمی", "احمدی", "موسوی", "جعفری"}

func resolve(f fixtureFile, seed int64) (*world, error) {
	w := &world{
		users:        map[string]*user{},
		deposits:     map[string]*depositDef{},
		bonCards:     map[string]*bonCardDef{},
		debitCards:   map[string]*DebitCardFixture{},
		mobiles:      map[string][]string{},
		emptyMobiles: map[string]bool{},
		magic:        map[int64]MagicAmount{},
		first:        f.Names.First,
		last:         f.Names.Last,
		failedState:  StateUnknown,
	}
	if len(w.first) == 0 || len(w.last) == 0 {
		w.first, w.last = defaultFirst, defaultLast
	}
	var err error
	if w.windowFrom, err = parseClock(f.ServiceWindow.From, 23*60); err != nil {
		return nil, err
	}
	if w.windowTo, err = parseClock(f.ServiceWindow.To, 4*60); err != nil {
		return nil, err
	}
	switch f.FailedChargeState {
	case "":
	case StateUnknown, "FAILED":
		w.failedState = f.FailedChargeState
	default:
		return nil, fmt.Errorf("finnotech bank: failed_charge_state %q: want UNKNOWN or FAILED", f.FailedChargeState)
	}

	dd := f.Defaults.Deposit
	var dl AccountLimits
	if dd.Limits != nil {
		dl = *dd.Limits
	}
	depDefault := depositDef{
		Opening:     pick(dd.Balance, 10_000_000_000),
		PerTx:       pick(dl.PerTransaction, 1_000_000_000),
		DayCount:    pick(dl.DailyCount, 1000),
		DayAmount:   pick(dl.DailyAmount, 50_000_000_000),
		MonthCount:  pick(dl.MonthlyCount, 10000),
		MonthAmount: pick(dl.MonthlyAmount, 500_000_000_000),
	}
	w.depDefault = depDefault
	addDeposit := func(u *user, fx DepositFixture) error {
		if fx.Number == "" || len(fx.Number) > 40 {
			return fmt.Errorf("finnotech bank: user %s: deposit number %q", u.NID, fx.Number)
		}
		if _, dup := w.deposits[fx.Number]; dup {
			return fmt.Errorf("finnotech bank: deposit %s declared twice", fx.Number)
		}
		if err := checkBank(fx.Bank, "deposit "+fx.Number); err != nil {
			return err
		}
		d := depDefault
		d.Number, d.Bank, d.OwnerNID, d.Owner = fx.Number, fx.Bank, u.NID, u.Name
		d.Opening = pick(fx.Balance, d.Opening)
		d.Freeze = fx.Freeze
		if l := fx.Limits; l != nil {
			d.PerTx, d.DayCount, d.DayAmount = pick(l.PerTransaction, d.PerTx), pick(l.DailyCount, d.DayCount), pick(l.DailyAmount, d.DayAmount)
			d.MonthCount, d.MonthAmount = pick(l.MonthlyCount, d.MonthCount), pick(l.MonthlyAmount, d.MonthAmount)
		}
		d.NoTafsili, d.ConditionsNotPass = fx.NoTafsili, fx.ConditionsNotPassed
		if d.Opening < 0 || d.Freeze < 0 {
			return fmt.Errorf("finnotech bank: deposit %s: negative balance or freeze", fx.Number)
		}
		w.deposits[d.Number] = &d
		u.Deposits = append(u.Deposits, d.Number)
		return nil
	}

	nids := f.SandboxUsers.NIDs
	if len(nids) == 0 {
		for c := '1'; c <= '9'; c++ {
			nids = append(nids, strings.Repeat(string(c), 10))
		}
	}
	sbanks := f.SandboxUsers.Banks
	if len(sbanks) == 0 {
		sbanks = []SandboxBank{{Code: "062", Format: "02{nid}{n}", Count: 2}}
	}
	for _, nid := range nids {
		if !iran.ValidNationalCode(nid) {
			return nil, fmt.Errorf("finnotech bank: sandbox user %q is not a national id", nid)
		}
		u := &user{NID: nid, Name: w.name(seed, "user:"+nid)}
		w.users[nid] = u
		for _, sb := range sbanks {
			if sb.Count <= 0 || sb.Format == "" {
				return nil, fmt.Errorf("finnotech bank: sandbox_users bank %s: want format and count > 0", sb.Code)
			}
			for n := 1; n <= sb.Count; n++ {
				num := strings.NewReplacer("{nid}", nid, "{nid7}", nid[:7], "{n}", strconv.Itoa(n)).Replace(sb.Format)
				if err := addDeposit(u, DepositFixture{Number: num, Bank: sb.Code}); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, uf := range f.Users {
		if !iran.ValidNationalCode(uf.NID) {
			return nil, fmt.Errorf("finnotech bank: user %q is not a valid national id", uf.NID)
		}
		u := w.users[uf.NID]
		if u == nil {
			u = &user{NID: uf.NID, Name: w.name(seed, "user:"+uf.NID)}
			w.users[uf.NID] = u
		}
		if uf.Name != "" {
			u.Name = uf.Name
			for _, n := range u.Deposits {
				w.deposits[n].Owner = uf.Name
			}
		}
		for _, fx := range uf.Deposits {
			if err := addDeposit(u, fx); err != nil {
				return nil, err
			}
		}
	}

	cd := f.Defaults.BonCard
	var cl CardLimits
	if cd.Limits != nil {
		cl = *cd.Limits
	}
	cardDefault := bonCardDef{
		Status:      statusActive,
		Opening:     pick(cd.Balance, 0),
		MaxBalance:  pick(cl.MaxBalance, 0),
		PerTx:       pick(cl.PerTransaction, 500_000_000),
		DayAmount:   pick(cl.DailyAmount, 5_000_000_000),
		MonthAmount: pick(cl.MonthlyAmount, 50_000_000_000),
	}
	for _, fx := range f.BonCards {
		if len(fx.Card) != 16 || !digits.All(fx.Card) || !isBonPrefix(fx.Card) {
			return nil, fmt.Errorf("finnotech bank: bon card %q: want 16 digits starting 6362142 or 6362144", fx.Card)
		}
		if _, dup := w.bonCards[fx.Card]; dup {
			return nil, fmt.Errorf("finnotech bank: bon card %s declared twice", fx.Card)
		}
		c := cardDefault
		c.Card, c.Owner, c.ReplacedBy, c.ValidCard = fx.Card, fx.Owner, fx.ReplacedBy, fx.ValidCard
		if c.Owner == "" {
			c.Owner = w.name(seed, "card:"+fx.Card)
		}
		if fx.Status != "" {
			c.Status = fx.Status
		}
		switch c.Status {
		case statusActive, statusInactive, statusExpired, statusLost, statusStolen:
		default:
			return nil, fmt.Errorf("finnotech bank: bon card %s: status %q", fx.Card, fx.Status)
		}
		c.Opening = pick(fx.Balance, c.Opening)
		if l := fx.Limits; l != nil {
			c.MaxBalance, c.PerTx = pick(l.MaxBalance, c.MaxBalance), pick(l.PerTransaction, c.PerTx)
			c.DayAmount, c.MonthAmount = pick(l.DailyAmount, c.DayAmount), pick(l.MonthlyAmount, c.MonthAmount)
		}
		switch c.ValidCard {
		case "", "F101", "F102", "F103", "F123":
		default:
			return nil, fmt.Errorf("finnotech bank: bon card %s: valid_card %q: want F101, F102, F103 or F123", fx.Card, c.ValidCard)
		}
		w.bonCards[c.Card] = &c
	}
	for _, c := range w.bonCards {
		if c.ReplacedBy == "" {
			continue
		}
		seen := map[string]bool{c.Card: true}
		for next := c.ReplacedBy; next != ""; next = w.bonCards[next].ReplacedBy {
			if w.bonCards[next] == nil {
				return nil, fmt.Errorf("finnotech bank: bon card %s: replaced_by %s is not a declared bon card", c.Card, next)
			}
			if seen[next] {
				return nil, fmt.Errorf("finnotech bank: bon card %s: replacement loop", c.Card)
			}
			seen[next] = true
		}
	}

	for i := range f.DebitCards {
		dc := f.DebitCards[i]
		if len(dc.Card) != 16 || !iran.ValidCardLuhn(dc.Card) {
			return nil, fmt.Errorf("finnotech bank: debit card %q: want 16 digits with a valid Luhn digit", dc.Card)
		}
		if _, ok := iran.CardBank(dc.Card); !ok {
			return nil, fmt.Errorf("finnotech bank: debit card %s: BIN of no known bank", dc.Card)
		}
		if dc.Status == "" {
			dc.Status = statusActive
		}
		if dc.Status != statusActive && dc.Status != statusInactive {
			return nil, fmt.Errorf("finnotech bank: debit card %s: status %q: want active or inactive", dc.Card, dc.Status)
		}
		if dc.Name == "" {
			dc.Name = w.name(seed, "card:"+dc.Card)
		}
		if _, dup := w.debitCards[dc.Card]; dup {
			return nil, fmt.Errorf("finnotech bank: debit card %s declared twice", dc.Card)
		}
		w.debitCards[dc.Card] = &dc
		if dc.Mobile != "" {
			m, ok := iran.NormalizeMobile(dc.Mobile)
			if !ok {
				return nil, fmt.Errorf("finnotech bank: debit card %s: mobile %q", dc.Card, dc.Mobile)
			}
			w.mobiles[m] = append(w.mobiles[m], dc.Card)
		}
	}
	for _, s := range f.EmptyMobiles {
		m, ok := iran.NormalizeMobile(s)
		if !ok {
			return nil, fmt.Errorf("finnotech bank: empty_mobiles: %q is not a mobile number", s)
		}
		w.emptyMobiles[m] = true
	}
	gen := f.GeneratedCardBanks
	if len(gen) == 0 {
		gen = []string{"017", "012", "018", "062", "054", "057", "019", "056"}
	}
	for _, code := range gen {
		bk, ok := iran.BankByCode(code)
		if !ok || len(bk.BINs) == 0 {
			return nil, fmt.Errorf("finnotech bank: generated_card_banks: %q has no BIN", code)
		}
		w.genBanks = append(w.genBanks, bk)
	}

	for _, m := range f.MagicAmounts {
		if m.Amount <= 0 {
			return nil, fmt.Errorf("finnotech bank: magic amount %d: want > 0", m.Amount)
		}
		if _, dup := w.magic[m.Amount]; dup {
			return nil, fmt.Errorf("finnotech bank: magic amount %d declared twice", m.Amount)
		}
		rc, ok := LookupCode(m.Code)
		if !ok || rc.Class == ClassSuccess {
			return nil, fmt.Errorf("finnotech bank: magic amount %d: code %q is not a §6.3 failure or unknown code", m.Amount, m.Code)
		}
		if m.SettleAfter != "" {
			if d, err := time.ParseDuration(m.SettleAfter); err != nil || d < 0 {
				return nil, fmt.Errorf("finnotech bank: magic amount %d: settle_after %q", m.Amount, m.SettleAfter)
			}
		}
		switch m.SettleTo {
		case "", "success", "failure":
		default:
			return nil, fmt.Errorf("finnotech bank: magic amount %d: settle_to %q: want success or failure", m.Amount, m.SettleTo)
		}
		if m.SettleCode != "" {
			if _, ok := LookupCode(m.SettleCode); !ok {
				return nil, fmt.Errorf("finnotech bank: magic amount %d: settle_code %q is not a §6.3 code", m.Amount, m.SettleCode)
			}
		}
		w.magic[m.Amount] = m
	}
	return w, nil
}

// decision turns a magic amount into the decision a scenario would have made.
func (m MagicAmount) decision() scenario.Decision {
	if classOf(m.Code) != ClassUnknown {
		return scenario.Decision{Outcome: scenario.Failure, Code: m.Code, Rule: "magic-amount"}
	}
	d := scenario.Decision{Outcome: scenario.Unknown, Code: m.Code, Rule: "magic-amount"}
	if m.SettleAfter != "" || m.SettleTo != "" {
		after, _ := time.ParseDuration(m.SettleAfter) // checked by resolve
		to := scenario.Success
		if m.SettleTo == "failure" {
			to = scenario.Failure
		}
		d.Settle = &scenario.Settle{After: after, To: to, Code: m.SettleCode}
	}
	return d
}

func (w *world) name(seed int64, key string) string {
	h := fake.Hash(seed, "name", key)
	return w.first[h%uint64(len(w.first))] + " " + w.last[(h>>20)%uint64(len(w.last))]
}

// inWindow reports whether t (Tehran wall time) falls in the nightly closure.
func (w *world) closed(t time.Time) bool {
	t = t.In(iran.Tehran)
	m := t.Hour()*60 + t.Minute()
	if w.windowFrom == w.windowTo {
		return false
	}
	if w.windowFrom < w.windowTo {
		return m >= w.windowFrom && m < w.windowTo
	}
	return m >= w.windowFrom || m < w.windowTo
}
