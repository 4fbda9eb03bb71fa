package sanbod

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Config is the provider's section of the config file (providers.sanbod). Every
// value Sanbod's public record leaves open is here, so QA can follow the real
// service once it is known without a new build.
type Config struct {
	// SATNAFloor: rtgstransfer amounts below it are refused (Rials); the floor
	// itself is accepted, as the documentation's example settles exactly 150,000,000. 0
	// keeps 150,000,000.
	SATNAFloor int64 `yaml:"satna_floor" json:"satna_floor"`
	// PAYACeiling: achtransfer amounts above it are refused (Rials); 0 means none.
	PAYACeiling int64 `yaml:"paya_ceiling" json:"paya_ceiling"`
	// RTGSSpelling picks the RTGS status spelling: "example" (default: the
	// rtgsreport example's TASFIYEH_SHODE), "list" (the documentation's status list,
	// TASFIYEH_SHODEH; "seed" is the same) or "core" (§5.4).
	RTGSSpelling string `yaml:"rtgs_spelling" json:"rtgs_spelling"`
	// ServicePrefixes are the prefixes the bank services (and the conversions) are
	// also answered under; "" is the bare /<service> of the documentation. Default
	// ["/banks/v1", "/sanboom/v1/banks", ""] (decision 7).
	ServicePrefixes []string `yaml:"service_prefixes" json:"service_prefixes"`
	// Token and dance lifetimes, Go durations on the virtual clock.
	AccessTokenTTL  string `yaml:"access_token_ttl" json:"access_token_ttl"`   // default 1h (the documentation's access token)
	RefreshTokenTTL string `yaml:"refresh_token_ttl" json:"refresh_token_ttl"` // default 8765h49m12s (one Gregorian year, the documentation's refresh token)
	CodeTTL         string `yaml:"code_ttl" json:"code_ttl"`                   // default 10m
	ConsentTTL      string `yaml:"consent_ttl" json:"consent_ttl"`             // default 15m
	// Environment is the "environment" JWT header; the documentation's tokens say PRODUCTION.
	Environment string `yaml:"environment" json:"environment"`
	// TraceIDRequired false lets calls without ?traceid= through (the documentation's
	// refresh and revoke examples show none). Default true.
	TraceIDRequired *bool `yaml:"traceid_required" json:"traceid_required"`
	// Statuses is the §4 status→case table: token, scope, validation, business,
	// client. Unset cases keep 401, 403, 400, 400, 401.
	Statuses map[string]int `yaml:"statuses" json:"statuses"`
	// Clients are declared applications: the only ones accepted in strict mode.
	Clients []Client `yaml:"clients" json:"clients"`
}

// Client is one application registered at the console.
type Client struct {
	ID     string `yaml:"client_id" json:"client_id"`
	Secret string `yaml:"client_secret" json:"client_secret"`
	Name   string `yaml:"name" json:"name"`     // application_name claim; default the client id
	AppID  int64  `yaml:"app_id" json:"app_id"` // app_id claim; default derived from the seed
	// RedirectURIs, when set, are the only callbacks authorize accepts; the first
	// is used when the request names none.
	RedirectURIs []string `yaml:"redirect_uris" json:"redirect_uris"`
}

// Cases of the §4 status table.
const (
	caseToken      = "token"
	caseScope      = "scope"
	caseValidation = "validation"
	caseBusiness   = "business"
	caseClient     = "client"
	caseRoute      = "route" // 404, 405, 413: the status says it all and is not configurable
)

// settings is the resolved, read-only configuration.
type settings struct {
	satnaFloor, payaCeiling int64
	spelling                string
	prefixes                []string
	accessTTL, refreshTTL   time.Duration
	codeTTL, consentTTL     time.Duration
	environment             string
	traceRequired           bool
	statuses                map[string]int
	clients                 map[string]Client
}

var prefixPattern = regexp.MustCompile(`^(/[a-z0-9_-]+)*$`)

func resolve(c Config) (*settings, error) {
	s := &settings{
		satnaFloor:    150_000_000,
		payaCeiling:   c.PAYACeiling,
		spelling:      "example",
		prefixes:      []string{"/banks/v1", "/sanboom/v1/banks", ""},
		accessTTL:     time.Hour,
		refreshTTL:    31_556_952 * time.Second,
		codeTTL:       10 * time.Minute,
		consentTTL:    15 * time.Minute,
		environment:   "PRODUCTION",
		traceRequired: true,
		statuses: map[string]int{
			caseToken: 401, caseScope: 403, caseValidation: 400, caseBusiness: 400, caseClient: 401,
		},
		clients: map[string]Client{},
	}
	if c.SATNAFloor < 0 || c.PAYACeiling < 0 {
		return nil, errors.New("sanbod: satna_floor and paya_ceiling must not be negative")
	}
	if c.SATNAFloor > 0 {
		s.satnaFloor = c.SATNAFloor
	}
	switch c.RTGSSpelling {
	case "":
	case "example", "list", "seed", "core":
		s.spelling = c.RTGSSpelling
	default:
		return nil, fmt.Errorf("sanbod: rtgs_spelling %q: want example, list (or seed) or core", c.RTGSSpelling)
	}
	if c.ServicePrefixes != nil {
		s.prefixes = nil
		for _, p := range c.ServicePrefixes {
			p = strings.TrimSuffix(p, "/")
			if !prefixPattern.MatchString(p) {
				return nil, fmt.Errorf("sanbod: service_prefixes: %q is not a path prefix like /banks/v1", p)
			}
			if !slices.Contains(s.prefixes, p) {
				s.prefixes = append(s.prefixes, p)
			}
		}
	}
	for _, d := range []struct {
		dst  *time.Duration
		v    string
		name string
	}{
		{&s.accessTTL, c.AccessTokenTTL, "access_token_ttl"},
		{&s.refreshTTL, c.RefreshTokenTTL, "refresh_token_ttl"},
		{&s.codeTTL, c.CodeTTL, "code_ttl"},
		{&s.consentTTL, c.ConsentTTL, "consent_ttl"},
	} {
		if d.v == "" {
			continue
		}
		v, err := time.ParseDuration(d.v)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("sanbod: %s %q: want a positive Go duration", d.name, d.v)
		}
		*d.dst = v
	}
	if c.Environment != "" {
		s.environment = c.Environment
	}
	if c.TraceIDRequired != nil {
		s.traceRequired = *c.TraceIDRequired
	}
	for k, v := range c.Statuses {
		if _, known := s.statuses[k]; !known {
			return nil, fmt.Errorf("sanbod: statuses.%s: want one of token, scope, validation, business, client", k)
		}
		if v < 400 || v > 599 {
			return nil, fmt.Errorf("sanbod: statuses.%s %d: errors are signalled with HTTP >= 400", k, v)
		}
		s.statuses[k] = v
	}
	for _, cl := range c.Clients {
		if cl.ID == "" {
			return nil, errors.New("sanbod: client without client_id")
		}
		for _, u := range cl.RedirectURIs {
			if !absoluteURL(u) {
				return nil, fmt.Errorf("sanbod: client %s: redirect_uri %q is not an absolute http(s) URL", cl.ID, u)
			}
		}
		s.clients[cl.ID] = cl
	}
	return s, nil
}

// absoluteURL accepts the callbacks a browser can be sent to.
func absoluteURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Opaque == ""
}
