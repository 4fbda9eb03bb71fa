package vandar

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// Config is the provider's section of the config file (providers.vandar). Every
// value the public record leaves open is a setting, so QA can follow the real
// service once it is known without a new build.
type Config struct {
	// Businesses are declared tenants, added to the shipped ones; in --strict mode
	// only declared businesses (shipped or here) exist.
	Businesses []Business `yaml:"businesses" json:"businesses"`
	// RateLimit: Vandar's 30 POST / 100 other requests per 3 s per business
	// (reference §1.7). enabled: false turns it off.
	RateLimit RateLimit `yaml:"rate_limit" json:"rate_limit"`
	// Token lifetimes, Go durations on the virtual clock: 120h and 240h (the
	// documentation's 5 and 10 days).
	AccessTokenTTL  string `yaml:"access_token_ttl" json:"access_token_ttl"`
	RefreshTokenTTL string `yaml:"refresh_token_ttl" json:"refresh_token_ttl"`
	// BusinessNotFoundStatus is the HTTP status of "کسب و کار وجود ندارد": 404
	// (default) or 400.
	BusinessNotFoundStatus int `yaml:"business_not_found_status" json:"business_not_found_status"`
	// VerifyWindow is how long after payment verify is accepted (default 20m); the
	// same window bounds an unpaid token (from send).
	VerifyWindow string `yaml:"verify_window" json:"verify_window"`
	// InDoubtSettle is how long a bank-timeout payment stays in doubt before
	// transaction/verify reveal it was taken (default 10m).
	InDoubtSettle string `yaml:"in_doubt_settle" json:"in_doubt_settle"`
	// RefundDoneAfter is when a PENDING refund row turns DONE (default 30m, one
	// settlement cycle).
	RefundDoneAfter string `yaml:"refund_done_after" json:"refund_done_after"`
	// IPGWagePercent is the gateway fee taken from each verified payment, in
	// percent, capped at IPGWageMax Rials (0 = no cap). Default 0: realAmount equals
	// amount, which keeps balances easy to follow.
	IPGWagePercent float64 `yaml:"ipg_wage_percent" json:"ipg_wage_percent"`
	IPGWageMax     int64   `yaml:"ipg_wage_max" json:"ipg_wage_max"`
	// RefundWage is the fee per refund row, in Rials (default 0; the documented
	// example shows 1000).
	RefundWage int64 `yaml:"refund_wage" json:"refund_wage"`
	// LegacyLogin serves POST /v3/login (mobile + password → a token pair), which
	// the docs dropped by 2023 but vandarpay/cashier still calls when it holds no
	// token (reference §2.1). Off by default.
	LegacyLogin bool `yaml:"legacy_login" json:"legacy_login"`
	// SettlementAmountUnit is the unit of settlement/store's and queued
	// settlement's request amount: "toman" (default, the 2022 documentation and
	// vandarpay/cashier) or "rial" (today's summary says Rial; unverified).
	SettlementAmountUnit string `yaml:"settlement_amount_unit" json:"settlement_amount_unit"`
	// OpeningBalance is the wallet, in Toman, of a business made by the control
	// plane (default 10,000,000 Toman).
	OpeningBalance *int64 `yaml:"opening_balance" json:"opening_balance"`
}

// RateLimit configures the throttle.
type RateLimit struct {
	Enabled *bool  `yaml:"enabled" json:"enabled"`
	Post    int    `yaml:"post" json:"post"`     // default 30
	Other   int    `yaml:"other" json:"other"`   // default 100
	Window  string `yaml:"window" json:"window"` // default 3s
}

// Business is one declared business (a tenant): its slug, credentials and wallet.
type Business struct {
	Name          string `yaml:"name" json:"name"`   // English slug, the :business of every path
	Title         string `yaml:"title" json:"title"` // Persian name (business_name_fa)
	AccessToken   string `yaml:"access_token" json:"access_token"`
	RefreshToken  string `yaml:"refresh_token" json:"refresh_token"`
	APIKey        string `yaml:"api_key" json:"api_key"` // the IPG gateway's key
	WebhookSecret string `yaml:"webhook_secret" json:"webhook_secret"`
	// Wallet is the opening balance in Toman.
	Wallet int64 `yaml:"wallet" json:"wallet"`
	// CallbackDomain, when set, restricts IPG callback_url to this host and its
	// subdomains, as a gateway registered for one site is.
	CallbackDomain string `yaml:"callback_domain" json:"callback_domain"`
	// AllowedIPs, when set, are the only client addresses IPG send accepts.
	AllowedIPs []string `yaml:"allowed_ips" json:"allowed_ips"`
	// RefundDisabled turns the refund tool off (403 "tool not active").
	RefundDisabled bool `yaml:"refund_disabled" json:"refund_disabled"`
	// Mobile and Password are the owner's dashboard login, for the legacy
	// /v3/login.
	Mobile   string `yaml:"mobile" json:"mobile"`
	Password string `yaml:"password" json:"password"`
	// Role is the token's role: owner (default), admin, accountant, developer,
	// observer.
	Role string `yaml:"role" json:"role"`
}

// MagicCard is one test card of the shipped table and what the bank answers.
type MagicCard struct {
	Number  string `yaml:"number" json:"number"`
	CVV2    string `yaml:"cvv2" json:"cvv2"`
	Expiry  string `yaml:"expiry" json:"expiry"` // MM/YY
	OTP     string `yaml:"otp" json:"otp"`
	Outcome string `yaml:"outcome" json:"outcome"` // success or a PAY_ code
	Label   string `yaml:"label" json:"label"`
}

// fixtureFile is fixtures/vandar.yaml.
type fixtureFile struct {
	Businesses []Business  `yaml:"businesses"`
	Cards      []MagicCard `yaml:"cards"`
}

// settings is the resolved, read-only configuration.
type settings struct {
	rateOn                      bool
	ratePost, rateOther         int
	rateWindow                  time.Duration
	accessTTL, refreshTTL       time.Duration
	businessStatus              int
	verifyWindow, inDoubtSettle time.Duration
	refundDoneAfter             time.Duration
	wagePercent                 float64
	wageMax, refundWage         int64
	openingToman                int64
	legacyLogin                 bool
	settlementRial              bool
	businesses                  map[string]Business
	order                       []string
	cards                       map[string]MagicCard
	cardOrder                   []string
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

func resolve(c Config, fixturesFS fs.FS) (*settings, error) {
	s := &settings{
		rateOn: true, ratePost: 30, rateOther: 100, rateWindow: 3 * time.Second,
		accessTTL: 5 * 24 * time.Hour, refreshTTL: 10 * 24 * time.Hour,
		businessStatus: 404, verifyWindow: 20 * time.Minute, inDoubtSettle: 10 * time.Minute,
		refundDoneAfter: 30 * time.Minute, wagePercent: c.IPGWagePercent, wageMax: c.IPGWageMax,
		refundWage: c.RefundWage, openingToman: 10_000_000, legacyLogin: c.LegacyLogin,
		businesses: map[string]Business{}, cards: map[string]MagicCard{},
	}
	switch strings.ToLower(c.SettlementAmountUnit) {
	case "", "toman":
	case "rial":
		s.settlementRial = true
	default:
		return nil, fmt.Errorf("vandar: settlement_amount_unit %q: want toman or rial", c.SettlementAmountUnit)
	}
	if c.RateLimit.Enabled != nil {
		s.rateOn = *c.RateLimit.Enabled
	}
	if c.RateLimit.Post < 0 || c.RateLimit.Other < 0 {
		return nil, errors.New("vandar: rate_limit post and other must not be negative")
	}
	if c.RateLimit.Post > 0 {
		s.ratePost = c.RateLimit.Post
	}
	if c.RateLimit.Other > 0 {
		s.rateOther = c.RateLimit.Other
	}
	for _, d := range []struct {
		dst  *time.Duration
		v    string
		name string
	}{
		{&s.rateWindow, c.RateLimit.Window, "rate_limit.window"},
		{&s.accessTTL, c.AccessTokenTTL, "access_token_ttl"},
		{&s.refreshTTL, c.RefreshTokenTTL, "refresh_token_ttl"},
		{&s.verifyWindow, c.VerifyWindow, "verify_window"},
		{&s.inDoubtSettle, c.InDoubtSettle, "in_doubt_settle"},
		{&s.refundDoneAfter, c.RefundDoneAfter, "refund_done_after"},
	} {
		if d.v == "" {
			continue
		}
		v, err := time.ParseDuration(d.v)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("vandar: %s %q: want a positive Go duration", d.name, d.v)
		}
		*d.dst = v
	}
	switch c.BusinessNotFoundStatus {
	case 0:
	case 400, 404:
		s.businessStatus = c.BusinessNotFoundStatus
	default:
		return nil, fmt.Errorf("vandar: business_not_found_status %d: want 404 or 400", c.BusinessNotFoundStatus)
	}
	if c.IPGWagePercent < 0 || c.IPGWagePercent >= 100 || c.IPGWageMax < 0 || c.RefundWage < 0 {
		return nil, errors.New("vandar: ipg_wage_percent must be in [0,100); ipg_wage_max and refund_wage not negative")
	}
	if c.OpeningBalance != nil {
		if *c.OpeningBalance < 0 {
			return nil, errors.New("vandar: opening_balance must not be negative")
		}
		s.openingToman = *c.OpeningBalance
	}
	var fx fixtureFile
	if fixturesFS != nil {
		if err := fixtures.Decode(fixturesFS, "vandar.yaml", &fx); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("vandar: fixtures: %w", err)
		}
	}
	seen := map[string]string{}
	for _, b := range append(fx.Businesses, c.Businesses...) {
		if err := checkBusiness(&b); err != nil {
			return nil, err
		}
		for _, cred := range []string{b.AccessToken, b.RefreshToken, b.APIKey} {
			if cred == "" {
				continue
			}
			if other, dup := seen[cred]; dup && other != b.Name {
				return nil, fmt.Errorf("vandar: business %s: credential %q is also %s's", b.Name, cred, other)
			}
			seen[cred] = b.Name
		}
		if _, dup := s.businesses[b.Name]; !dup {
			s.order = append(s.order, b.Name)
		}
		s.businesses[b.Name] = b
	}
	for _, mc := range fx.Cards {
		if !iran.ValidCardLuhn(mc.Number) {
			return nil, fmt.Errorf("vandar: magic card %q is not a valid card number", mc.Number)
		}
		if mc.Outcome != "success" {
			if d, ok := codes[mc.Outcome]; !ok || !strings.HasPrefix(mc.Outcome, "PAY_") || d.status == 0 {
				return nil, fmt.Errorf("vandar: magic card %s: outcome %q: want success or a PAY_ code", mc.Number, mc.Outcome)
			}
		}
		if _, _, ok := parseExpiry(mc.Expiry); !ok {
			return nil, fmt.Errorf("vandar: magic card %s: expiry %q: want MM/YY", mc.Number, mc.Expiry)
		}
		s.cards[mc.Number] = mc
		s.cardOrder = append(s.cardOrder, mc.Number)
	}
	return s, nil
}

var roles = map[string]int{"owner": 0, "admin": 1, "accountant": 2, "developer": 3, "observer": 4}

func checkBusiness(b *Business) error {
	if !slugPattern.MatchString(b.Name) {
		return fmt.Errorf("vandar: business name %q: want an English slug (a-z, 0-9, - and _)", b.Name)
	}
	if (b.AccessToken == "") != (b.RefreshToken == "") {
		return fmt.Errorf("vandar: business %s: give access_token and refresh_token together", b.Name)
	}
	if b.Wallet < 0 {
		return fmt.Errorf("vandar: business %s: wallet must not be negative", b.Name)
	}
	if b.CallbackDomain != "" {
		if u, err := url.Parse("https://" + b.CallbackDomain); err != nil || u.Host != b.CallbackDomain {
			return fmt.Errorf("vandar: business %s: callback_domain %q is not a host name", b.Name, b.CallbackDomain)
		}
	}
	if b.Role == "" {
		b.Role = "owner"
	}
	if _, ok := roles[b.Role]; !ok {
		return fmt.Errorf("vandar: business %s: role %q: want owner, admin, accountant, developer or observer", b.Name, b.Role)
	}
	return nil
}

// parseExpiry reads MM/YY (or MMYY) into month and two-digit year.
func parseExpiry(s string) (month, year int, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "/", "")
	if len(s) != 4 {
		return 0, 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, 0, false
		}
	}
	month = int(s[0]-'0')*10 + int(s[1]-'0')
	year = int(s[2]-'0')*10 + int(s[3]-'0')
	return month, year, month >= 1 && month <= 12
}
