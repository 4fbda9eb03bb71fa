package paynet

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"

	"github.com/sandbank-dev/sandbank/mock/digits"
)

// Config is the provider's section of the config file and the format of
// fixtures/paynet.yaml. The config is laid over the fixtures: it may add keys,
// banks, BINs and cards, and change the defaults and behaviour switches.
type Config struct {
	// Defaults is the merchant every undeclared key gets (non-strict mode) and the
	// base declared keys are laid over.
	Defaults *Merchant `yaml:"defaults" json:"defaults"`
	// Keys are declared secret keys: the only ones strict mode accepts, and the
	// published magic keys (revoked, blocked, OTP required...).
	Keys []Merchant `yaml:"keys" json:"keys"`
	// NoData is how an unknown card_owner_id or card_hash answers: "envelope"
	// (HTTP 200, code 12; default) or "http404" (404 no_data_error, result_code 12).
	NoData string `yaml:"nodata" json:"nodata"`
	// CardNoMask is "fixed" (first 6, eight '*', last 4, as the official list
	// sample shows; default) or "length" (one '*' per hidden digit).
	CardNoMask string `yaml:"card_no_mask" json:"card_no_mask"`
	// ListExpiry false (default) answers expire_month and expire_year 0 in
	// card/list, as the official sample does; true answers the stored values.
	ListExpiry *bool `yaml:"list_expiry" json:"list_expiry"`
	// OTPTTL is how long a send_otp code lives (Go duration, default 3m).
	OTPTTL string `yaml:"otp_ttl" json:"otp_ttl"`
	// OTPAttempts is how many wrong codes check_otp (and card/save with otp_code)
	// take for one send_otp before the code is spent (default 5; 0 = no limit).
	OTPAttempts *int `yaml:"otp_attempts" json:"otp_attempts"`
	// LogoBase is the prefix of card_logo_url; empty means the request's own base.
	LogoBase string `yaml:"logo_base" json:"logo_base"`
	Banks    []Bank `yaml:"banks" json:"banks"`
	BINs     []BIN  `yaml:"bins" json:"bins"`
	Cards    []Card `yaml:"cards" json:"cards"`
}

// Merchant is one secret key's account.
type Merchant struct {
	Key string `yaml:"key" json:"key"`
	// Revoked keys answer 401 authorization_error (result_code 7) on every call,
	// in both modes.
	Revoked bool `yaml:"revoked" json:"revoked"`
	// Fail is a return code every call answers with (e.g. "2" companyblocked).
	Fail string `yaml:"fail" json:"fail"`
	// OTPRequired makes card/save demand a verified otp_session_id.
	OTPRequired bool `yaml:"otp_required" json:"otp_required"`
	// CompanyCode and AgentID appear in every listed card; empty means a 5-digit
	// number derived from the seed and the key.
	CompanyCode string `yaml:"company_code" json:"company_code"`
	AgentID     string `yaml:"agent_id" json:"agent_id"`
	Note        string `yaml:"note" json:"note"`
}

// Bank is one card programme of Paynet's bank-code table.
type Bank struct {
	ID   string `yaml:"id" json:"id"`     // 4-letter Paynet bank_id, e.g. AXSS
	Name string `yaml:"name" json:"name"` // programme name as card_bank_name, e.g. Axess
	Bank string `yaml:"bank" json:"bank"` // issuing bank, for people reading the table
}

// BIN maps the first six digits to a programme, a brand and a card type.
type BIN struct {
	BIN   string `yaml:"bin" json:"bin"`
	Bank  string `yaml:"bank" json:"bank"`   // a Bank ID
	Brand string `yaml:"brand" json:"brand"` // VISA, MASTERCARD, AMEX, TROY; empty = from the prefix
	Type  string `yaml:"type" json:"type"`   // bc, cc or dc
}

// Card is a published test card. Code, when set, is the return code saving it
// answers (a magic card); otherwise it saves normally.
type Card struct {
	Number string `yaml:"number" json:"number"`
	Expire string `yaml:"expire" json:"expire"` // MM/YY
	CVV    string `yaml:"cvv" json:"cvv"`
	Code   string `yaml:"code" json:"code"`
	Note   string `yaml:"note" json:"note"`
}

// settings is the resolved, read-only configuration.
type settings struct {
	defaults   Merchant
	keys       map[string]Merchant
	nodata404  bool
	fixedMask  bool
	listExpiry bool
	otpTTL     time.Duration
	otpTries   int
	logoBase   string
	banks      map[string]Bank
	bins       map[string]BIN
	cards      []Card
	magic      map[string]string // PAN → return code
}

func loadSettings(fsys fs.FS, cfgFn func(any) error) (*settings, error) {
	var fix, cfg Config
	if err := fixtures.Decode(fsys, "paynet.yaml", &fix); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("paynet: fixtures: %w", err)
	}
	if cfgFn != nil {
		if err := cfgFn(&cfg); err != nil {
			return nil, fmt.Errorf("paynet: config: %w", err)
		}
	}
	return resolve(fix, cfg)
}

func resolve(fix, cfg Config) (*settings, error) {
	s := &settings{
		keys:       map[string]Merchant{},
		fixedMask:  true,
		listExpiry: false,
		otpTTL:     3 * time.Minute,
		otpTries:   5,
		banks:      map[string]Bank{},
		bins:       map[string]BIN{},
		magic:      map[string]string{},
	}
	for _, c := range []Config{fix, cfg} {
		if c.Defaults != nil {
			s.defaults = overlay(s.defaults, *c.Defaults)
		}
		switch c.NoData {
		case "":
		case "envelope":
			s.nodata404 = false
		case "http404":
			s.nodata404 = true
		default:
			return nil, fmt.Errorf("paynet: nodata %q: want envelope or http404", c.NoData)
		}
		switch c.CardNoMask {
		case "":
		case "fixed":
			s.fixedMask = true
		case "length":
			s.fixedMask = false
		default:
			return nil, fmt.Errorf("paynet: card_no_mask %q: want fixed or length", c.CardNoMask)
		}
		if c.ListExpiry != nil {
			s.listExpiry = *c.ListExpiry
		}
		if c.OTPTTL != "" {
			d, err := time.ParseDuration(c.OTPTTL)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("paynet: otp_ttl %q: want a positive Go duration", c.OTPTTL)
			}
			s.otpTTL = d
		}
		if c.OTPAttempts != nil {
			if *c.OTPAttempts < 0 {
				return nil, fmt.Errorf("paynet: otp_attempts %d: want 0 (no limit) or more", *c.OTPAttempts)
			}
			s.otpTries = *c.OTPAttempts
		}
		if c.LogoBase != "" {
			s.logoBase = strings.TrimSuffix(c.LogoBase, "/")
		}
		for _, b := range c.Banks {
			if len(b.ID) != 4 || b.Name == "" {
				return nil, fmt.Errorf("paynet: bank %q: want a 4-letter id and a name", b.ID)
			}
			s.banks[b.ID] = b
		}
	}
	if _, ok := s.banks[otherBank]; !ok {
		s.banks[otherBank] = Bank{ID: otherBank, Name: "Diğer Banka"}
	}
	for _, c := range []Config{fix, cfg} {
		for _, b := range c.BINs {
			if len(b.BIN) != 6 || !digits.All(b.BIN) {
				return nil, fmt.Errorf("paynet: bin %q: want 6 digits", b.BIN)
			}
			if _, ok := s.banks[b.Bank]; !ok {
				return nil, fmt.Errorf("paynet: bin %s: unknown bank %q", b.BIN, b.Bank)
			}
			switch b.Type {
			case "bc", "cc", "dc":
			default:
				return nil, fmt.Errorf("paynet: bin %s: type %q: want bc, cc or dc", b.BIN, b.Type)
			}
			switch b.Brand {
			case "", brandVisa, brandMaster, brandAmex, brandTroy:
			default:
				return nil, fmt.Errorf("paynet: bin %s: brand %q: want VISA, MASTERCARD, AMEX or TROY", b.BIN, b.Brand)
			}
			s.bins[b.BIN] = b
		}
		for _, k := range c.Keys {
			if !validKey(k.Key) {
				return nil, fmt.Errorf("paynet: key %q: want 1-256 printable characters without spaces", k.Key)
			}
			if k.Fail != "" && !catalogue.Has(k.Fail) {
				return nil, fmt.Errorf("paynet: key %s: fail %q is not a Paynet return code", k.Key, k.Fail)
			}
			s.keys[k.Key] = k
		}
		for _, cd := range c.Cards {
			if !digits.Luhn(cd.Number) || len(cd.Number) < 12 || len(cd.Number) > 19 {
				return nil, fmt.Errorf("paynet: card %q is not a Luhn-valid number of 12-19 digits", cd.Number)
			}
			if cd.Code != "" {
				if !catalogue.Has(cd.Code) || cd.Code == codeOldSuccess {
					return nil, fmt.Errorf("paynet: card %s: code %q is not a Paynet failure code", cd.Number, cd.Code)
				}
				s.magic[cd.Number] = cd.Code
			}
			s.cards = append(s.cards, cd)
		}
	}
	for k, m := range s.keys {
		s.keys[k] = overlay(s.defaults, m)
	}
	return s, nil
}

// overlay lays the set fields of top over base; flags only ever turn on.
func overlay(base, top Merchant) Merchant {
	out := base
	out.Key = top.Key
	out.Revoked = base.Revoked || top.Revoked
	out.OTPRequired = base.OTPRequired || top.OTPRequired
	if top.Fail != "" {
		out.Fail = top.Fail
	}
	if top.CompanyCode != "" {
		out.CompanyCode = top.CompanyCode
	}
	if top.AgentID != "" {
		out.AgentID = top.AgentID
	}
	if top.Note != "" {
		out.Note = top.Note
	}
	return out
}

// merchant is the account of key: declared, or the defaults.
func (s *settings) merchant(key string) (Merchant, bool) {
	if m, ok := s.keys[key]; ok {
		return m, true
	}
	d := s.defaults
	d.Key = key
	return d, false
}

// validKey accepts what a secret key can be: printable ASCII without spaces.
func validKey(k string) bool {
	if k == "" || len(k) > 256 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] <= ' ' || k[i] > '~' {
			return false
		}
	}
	return true
}
