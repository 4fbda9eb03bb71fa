package bank

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/sandbank-dev/sandbank/fixtures"

	"github.com/sandbank-dev/sandbank/mock/iran"
)

// fixtureFile is the format of fixtures/finnotech.yaml (the bank world). Amounts
// are Rials. A nil limit inherits the default; 0 means "no limit".
type fixtureFile struct {
	ServiceWindow struct {
		From string `yaml:"from"`
		To   string `yaml:"to"`
	} `yaml:"service_window"`
	FailedChargeState string `yaml:"failed_charge_state"`
	Defaults          struct {
		Deposit DepositFixture `yaml:"deposit"`
		BonCard BonCardFixture `yaml:"bon_card"`
	} `yaml:"defaults"`
	SandboxUsers struct {
		NIDs  []string      `yaml:"nids"`
		Banks []SandboxBank `yaml:"banks"`
	} `yaml:"sandbox_users"`
	Users              []UserFixture      `yaml:"users"`
	BonCards           []BonCardFixture   `yaml:"bon_cards"`
	DebitCards         []DebitCardFixture `yaml:"debit_cards"`
	EmptyMobiles       []string           `yaml:"empty_mobiles"`
	GeneratedCardBanks []string           `yaml:"generated_card_banks"`
	MagicAmounts       []MagicAmount      `yaml:"magic_amounts"`
	Names              struct {
		First []string `yaml:"first"`
		Last  []string `yaml:"last"`
	} `yaml:"names"`
}

// SandboxBank is one bank every sandbox login has Count deposits at. Format
// builds the number: {nid} the full national id, {nid7} its first seven digits,
// {n} the deposit's index from 1.
type SandboxBank struct {
	Code   string `yaml:"code"`
	Format string `yaml:"format"`
	Count  int    `yaml:"count"`
}

// UserFixture is a bank customer who can log in on the consent page with
// username = password = NID.
type UserFixture struct {
	NID      string           `yaml:"nid"`
	Name     string           `yaml:"name"`
	Deposits []DepositFixture `yaml:"deposits"`
}

// DepositFixture is one deposit and its magic properties.
type DepositFixture struct {
	Number  string         `yaml:"number"`
	Bank    string         `yaml:"bank"`
	Balance *int64         `yaml:"balance"`
	Freeze  int64          `yaml:"freeze"` // blocked amount: counts against availableBalance (D51)
	Limits  *AccountLimits `yaml:"limits"`
	// NoTafsili: the account has no detail code, chargeCard answers A107.
	NoTafsili bool `yaml:"no_tafsili"`
	// ConditionsNotPassed: HTTP 400 VALIDATION_ERROR "account conditions not passed".
	ConditionsNotPassed bool   `yaml:"conditions_not_passed"`
	Note                string `yaml:"note"`
}

// AccountLimits are the per-account withdrawal limits behind A115-A117.
type AccountLimits struct {
	PerTransaction *int64 `yaml:"per_transaction"` // A115
	DailyCount     *int64 `yaml:"daily_count"`     // A116
	DailyAmount    *int64 `yaml:"daily_amount"`    // A116
	MonthlyCount   *int64 `yaml:"monthly_count"`   // A117 (Jalali month)
	MonthlyAmount  *int64 `yaml:"monthly_amount"`  // A117
}

// BonCardFixture is one Ayandeh bon card.
type BonCardFixture struct {
	Card    string      `yaml:"card"`
	Owner   string      `yaml:"owner"`
	Balance *int64      `yaml:"balance"`
	Status  string      `yaml:"status"` // active | inactive | expired | lost | stolen
	Limits  *CardLimits `yaml:"limits"`
	// ReplacedBy is the reissued card's number: getValidCard answers it.
	ReplacedBy string `yaml:"replaced_by"`
	// ValidCard forces the getValidCard code (F101, F102, F103, F123).
	ValidCard string `yaml:"valid_card"`
	Note      string `yaml:"note"`
}

// CardLimits are the per-card limits behind A111-A114.
type CardLimits struct {
	MaxBalance     *int64 `yaml:"max_balance"`     // A111
	PerTransaction *int64 `yaml:"per_transaction"` // A112
	DailyAmount    *int64 `yaml:"daily_amount"`    // A113
	MonthlyAmount  *int64 `yaml:"monthly_amount"`  // A114 (Jalali month)
}

// DebitCardFixture is a Shetab card for card inquiry and the card list.
type DebitCardFixture struct {
	Card   string `yaml:"card"`
	Name   string `yaml:"name"`
	Mobile string `yaml:"mobile"`
	Status string `yaml:"status"` // active | inactive (card inquiry result "135")
	Note   string `yaml:"note"`
}

// MagicAmount makes a charge of Amount end in Code without a scenario. Codes of
// class U are in doubt and settle after SettleAfter to SettleTo.
type MagicAmount struct {
	Amount      int64  `yaml:"amount"`
	Code        string `yaml:"code"`
	SettleAfter string `yaml:"settle_after"`
	SettleTo    string `yaml:"settle_to"`   // success | failure
	SettleCode  string `yaml:"settle_code"` // when settle_to is failure
}

const (
	statusActive   = "active"
	statusInactive = "inactive"
	statusExpired  = "expired"
	statusLost     = "lost"
	statusStolen   = "stolen"
)

// Card-prefix rule of chargeCard: Ayandeh bon cards start 6362142 or 6362144.
func isBonPrefix(card string) bool {
	return strings.HasPrefix(card, "6362142") || strings.HasPrefix(card, "6362144")
}

func loadFixtures(fsys fs.FS) (fixtureFile, error) {
	var f fixtureFile
	if err := fixtures.Decode(fsys, "finnotech.yaml", &f); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return f, fmt.Errorf("finnotech bank: fixtures: %w", err)
	}
	return f, nil
}

func parseClock(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("finnotech bank: service_window time %q: want HH:MM", s)
	}
	return hh*60 + mm, nil
}

func pick(v *int64, def int64) int64 {
	if v != nil {
		return *v
	}
	return def
}

func checkBank(code, what string) error {
	if _, ok := iran.BankByCode(code); !ok {
		return fmt.Errorf("finnotech bank: %s: bank %q is not in the Iranian bank table", what, code)
	}
	return nil
}
