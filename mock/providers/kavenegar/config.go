package kavenegar

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"
)

// Config is the provider's section of the config file, and also the format of
// fixtures/kavenegar.yaml: the config is laid over the fixtures, so anything the
// fixtures publish (magic keys, receptors, templates) can be changed or extended
// from the config.
type Config struct {
	// Defaults is the account every unknown key gets on first use (non-strict mode)
	// and the base every declared account is laid over.
	Defaults *Profile `yaml:"defaults" json:"defaults"`
	// Accounts are declared keys: the only ones accepted in strict mode, and the
	// published magic keys.
	Accounts []Profile `yaml:"accounts" json:"accounts"`
	// Receptors are magic numbers: a number listed here ends in Final instead of
	// delivered.
	Receptors []MagicReceptor `yaml:"receptors" json:"receptors"`
	Templates []Template      `yaml:"templates" json:"templates"`
	Prices    *Prices         `yaml:"prices" json:"prices"`
	Timings   *Timings        `yaml:"timings" json:"timings"`
	// LookupEntries is "array" (default: a one-element array, what the Go and .NET
	// SDKs decode) or "object" (the bare object of the official README).
	LookupEntries string `yaml:"lookup_entries" json:"lookup_entries"`
	// InboxPerLine is how many inbound messages each line of a new account starts
	// with.
	InboxPerLine *int `yaml:"inbox_per_line" json:"inbox_per_line"`
}

// Profile describes one account. Zero fields of a declared account take the
// defaults' values; the flags are what the magic keys are made of.
type Profile struct {
	Key             string   `yaml:"key" json:"key"`
	Credit          *int64   `yaml:"credit" json:"credit"` // Rials; a pointer so 0 can be declared
	Type            string   `yaml:"type" json:"type"`     // account/info "type", e.g. master
	Lines           []string `yaml:"lines" json:"lines"`
	RestrictedLines []string `yaml:"restricted_lines" json:"restricted_lines"` // 427 when sending from them
	DefaultSender   string   `yaml:"default_sender" json:"default_sender"`
	Owner           string   `yaml:"owner" json:"owner"`       // the owner's mobile, the only receptor of a test account
	Validity        string   `yaml:"validity" json:"validity"` // expiredate = first use + validity
	Disabled        bool     `yaml:"disabled" json:"disabled"` // 401
	IPMismatch      bool     `yaml:"ip_mismatch" json:"ip_mismatch"`
	NoAdvanced      bool     `yaml:"no_advanced" json:"no_advanced"` // 426 on verify/lookup
	Test            bool     `yaml:"test" json:"test"`               // 501 for any receptor but Owner
	LinkRestricted  bool     `yaml:"link_restricted" json:"link_restricted"`
	NoReportAccess  bool     `yaml:"no_report_access" json:"no_report_access"` // 407 on select, selectoutbox, latestoutbox
	// Fail is a catalogue code every call but getdate answers with (429, 451, 402...).
	Fail string `yaml:"fail" json:"fail"`
}

// MagicReceptor makes sends to Number end in Final at the final step of the plan.
type MagicReceptor struct {
	Number string `yaml:"number" json:"number"`
	Final  string `yaml:"final" json:"final"` // "6", "11" or "14"
	Note   string `yaml:"note" json:"note"`
}

// Template is a verify/lookup template as defined in the panel.
type Template struct {
	Name string `yaml:"name" json:"name"`
	Text string `yaml:"text" json:"text"`
	// Approved false makes the template answer 424 like an unknown one.
	Approved *bool `yaml:"approved" json:"approved"`
	// Type restricts the template to "sms" or "call"; empty serves both.
	Type string `yaml:"type" json:"type"`
}

// Prices are in Rials.
type Prices struct {
	PersianPart *int64 `yaml:"persian_part" json:"persian_part"` // one UCS-2 segment
	LatinPart   *int64 `yaml:"latin_part" json:"latin_part"`     // one GSM-7 segment
	Call        *int64 `yaml:"call" json:"call"`                 // one call/maketts or lookup type=call
}

// Timings are Go durations from the moment a message leaves the queue.
type Timings struct {
	ToTelecom string `yaml:"to_telecom" json:"to_telecom"` // 1 → 5
	Final     string `yaml:"final" json:"final"`           // 5 → 10 (or the magic final status)
}

// settings is the resolved, read-only configuration.
type settings struct {
	defaults      Profile
	accounts      map[string]Profile
	receptors     map[string]MagicReceptor
	templates     map[string]Template
	templateOrder []string
	persianPart   int64
	latinPart     int64
	callPrice     int64
	toTelecom     time.Duration
	final         time.Duration
	validity      time.Duration
	lookupObject  bool
	inboxPerLine  int
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9+/=_.-]{1,128}$`)

func loadSettings(fsys fs.FS, cfgFn func(any) error) (*settings, error) {
	var fix, cfg Config
	if err := fixtures.Decode(fsys, "kavenegar.yaml", &fix); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("kavenegar: fixtures: %w", err)
	}
	if cfgFn != nil {
		if err := cfgFn(&cfg); err != nil {
			return nil, fmt.Errorf("kavenegar: config: %w", err)
		}
	}
	return resolve(fix, cfg)
}

func resolve(fix, cfg Config) (*settings, error) {
	s := &settings{
		defaults: Profile{
			Credit: ptr[int64](10_000_000), Type: "master",
			Lines: []string{"10004346"}, Owner: "09120000000", Validity: "8760h",
		},
		accounts:     map[string]Profile{},
		receptors:    map[string]MagicReceptor{},
		templates:    map[string]Template{},
		persianPart:  120,
		latinPart:    260,
		callPrice:    600,
		toTelecom:    2 * time.Second,
		final:        10 * time.Second,
		inboxPerLine: 3,
	}
	for _, c := range []Config{fix, cfg} {
		if c.Defaults != nil {
			s.defaults = overlay(s.defaults, *c.Defaults)
		}
		if c.Prices != nil {
			setInt(&s.persianPart, c.Prices.PersianPart)
			setInt(&s.latinPart, c.Prices.LatinPart)
			setInt(&s.callPrice, c.Prices.Call)
		}
		if c.Timings != nil {
			if err := setDur(&s.toTelecom, c.Timings.ToTelecom, "timings.to_telecom"); err != nil {
				return nil, err
			}
			if err := setDur(&s.final, c.Timings.Final, "timings.final"); err != nil {
				return nil, err
			}
		}
		switch strings.ToLower(c.LookupEntries) {
		case "":
		case "array":
			s.lookupObject = false
		case "object":
			s.lookupObject = true
		default:
			return nil, fmt.Errorf("kavenegar: lookup_entries %q: want array or object", c.LookupEntries)
		}
		if c.InboxPerLine != nil {
			if *c.InboxPerLine < 0 || *c.InboxPerLine > 100 {
				return nil, fmt.Errorf("kavenegar: inbox_per_line %d: want 0..100", *c.InboxPerLine)
			}
			s.inboxPerLine = *c.InboxPerLine
		}
		for _, r := range c.Receptors {
			n, okN := normalizeMobile(r.Number)
			if !okN {
				return nil, fmt.Errorf("kavenegar: receptor %q is not an Iranian mobile number", r.Number)
			}
			switch r.Final {
			case stFailed, stUndelivered, stFiltered, stDelivered:
			default:
				return nil, fmt.Errorf("kavenegar: receptor %s: final %q: want 6, 10, 11 or 14", r.Number, r.Final)
			}
			r.Number = n
			s.receptors[n] = r
		}
		for _, t := range c.Templates {
			if t.Name == "" {
				return nil, errors.New("kavenegar: template without a name")
			}
			if _, dup := s.templates[t.Name]; !dup {
				s.templateOrder = append(s.templateOrder, t.Name)
			}
			s.templates[t.Name] = t
		}
	}
	for _, c := range []Config{fix, cfg} {
		for _, a := range c.Accounts {
			if !keyPattern.MatchString(a.Key) || a.Key == "0" {
				return nil, fmt.Errorf("kavenegar: account key %q: want 1-128 of A-Z a-z 0-9 + / = _ . -", a.Key)
			}
			if a.Fail != "" && !catalogue.Has(a.Fail) {
				return nil, fmt.Errorf("kavenegar: account %s: fail %q is not a Kavenegar code", a.Key, a.Fail)
			}
			s.accounts[a.Key] = a
		}
	}
	for k, a := range s.accounts {
		s.accounts[k] = overlay(s.defaults, a)
	}
	d, err := time.ParseDuration(s.defaults.Validity)
	if err != nil || d <= 0 {
		return nil, fmt.Errorf("kavenegar: defaults.validity %q: want a positive Go duration", s.defaults.Validity)
	}
	s.validity = d
	if len(s.defaults.Lines) == 0 {
		return nil, errors.New("kavenegar: defaults.lines is empty")
	}
	return s, nil
}

// overlay lays the set fields of top over base. Flags only ever turn on: a declared
// account cannot be less restricted than the defaults it starts from.
func overlay(base, top Profile) Profile {
	out := base
	out.Key = top.Key
	if top.Credit != nil {
		out.Credit = ptr(*top.Credit)
	}
	if top.Type != "" {
		out.Type = top.Type
	}
	if len(top.Lines) > 0 {
		out.Lines = append([]string(nil), top.Lines...)
	}
	if len(top.RestrictedLines) > 0 {
		out.RestrictedLines = append([]string(nil), top.RestrictedLines...)
	}
	if top.DefaultSender != "" {
		out.DefaultSender = top.DefaultSender
	}
	if top.Owner != "" {
		out.Owner = top.Owner
	}
	if top.Validity != "" {
		out.Validity = top.Validity
	}
	out.Disabled = base.Disabled || top.Disabled
	out.IPMismatch = base.IPMismatch || top.IPMismatch
	out.NoAdvanced = base.NoAdvanced || top.NoAdvanced
	out.Test = base.Test || top.Test
	out.LinkRestricted = base.LinkRestricted || top.LinkRestricted
	out.NoReportAccess = base.NoReportAccess || top.NoReportAccess
	if top.Fail != "" {
		out.Fail = top.Fail
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func setInt(dst *int64, v *int64) {
	if v != nil && *v >= 0 {
		*dst = *v
	}
}

func setDur(dst *time.Duration, v, name string) error {
	if v == "" {
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("kavenegar: %s %q: want a non-negative Go duration", name, v)
	}
	*dst = d
	return nil
}

// profile is the account description for key: declared, or the defaults.
func (s *settings) profile(key string) (Profile, bool) {
	if a, found := s.accounts[key]; found {
		return a, true
	}
	d := s.defaults
	d.Key = key
	return d, false
}

func (t Template) approved() bool { return t.Approved == nil || *t.Approved }
