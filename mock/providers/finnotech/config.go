package finnotech

import (
	"fmt"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// Config is the provider's section of the config file:
//
//	providers:
//	  finnotech:
//	    track_id_max_length: 40     # 0 = no limit (some clients send 46 characters)
//	    otp_attempts: 5             # wrong SMS passwords before one is spent; 0 = no limit
//	    clients:
//	      - id: drops
//	        secret: s3cret
//	        redirect_hosts: [www.drops.com]
//
// The bank world (users, deposits, cards) is fixtures/finnotech.yaml, read by
// package bank.
type Config struct {
	TrackIDMaxLength *int `yaml:"track_id_max_length" json:"track_id_max_length"`
	// OTPAttempts is how many wrong passwords verify/sms takes for one SMS before
	// the password is spent and answered as expired (Finnotech documents no lockout
	// error; "Expiration time is exceeded" is its answer for a password that can no
	// longer be used). Default oauth.DefaultOTPAttempts; 0 = no limit.
	OTPAttempts *int     `yaml:"otp_attempts" json:"otp_attempts"`
	Clients     []Client `yaml:"clients" json:"clients"`
}

// Client is a declared application. In strict mode only declared clients with
// their secret are accepted; otherwise any client id with any secret is.
type Client struct {
	ID     string `yaml:"id" json:"id"`
	Secret string `yaml:"secret" json:"secret"`
	// RedirectHosts, when set, are the only hosts redirect_uri may name, as the
	// real gateway checks it against the domain registered for the client.
	RedirectHosts []string `yaml:"redirect_hosts" json:"redirect_hosts"`
}

type settings struct {
	trackMax    int
	otpAttempts int
	clients     map[string]Client
}

func loadSettings(cfgFn func(any) error) (*settings, error) {
	var cfg Config
	if cfgFn != nil {
		if err := cfgFn(&cfg); err != nil {
			return nil, err
		}
	}
	s := &settings{trackMax: 40, otpAttempts: oauth.DefaultOTPAttempts, clients: map[string]Client{}}
	if cfg.OTPAttempts != nil {
		if *cfg.OTPAttempts < 0 {
			return nil, fmt.Errorf("finnotech: otp_attempts %d: want 0 (no limit) or more", *cfg.OTPAttempts)
		}
		s.otpAttempts = *cfg.OTPAttempts
	}
	if cfg.TrackIDMaxLength != nil {
		if *cfg.TrackIDMaxLength < 0 {
			return nil, fmt.Errorf("finnotech: track_id_max_length %d: want 0 (no limit) or more", *cfg.TrackIDMaxLength)
		}
		s.trackMax = *cfg.TrackIDMaxLength
	}
	for _, c := range cfg.Clients {
		if !validClientID(c.ID) {
			return nil, fmt.Errorf("finnotech: client id %q: want 1-64 of A-Z a-z 0-9 _ . -", c.ID)
		}
		if c.Secret == "" {
			return nil, fmt.Errorf("finnotech: client %s: secret is empty", c.ID)
		}
		for i, h := range c.RedirectHosts {
			c.RedirectHosts[i] = strings.ToLower(h)
		}
		s.clients[c.ID] = c
	}
	return s, nil
}

// validClientID accepts application names like drops, smokey, nobitex. Finnotech
// puts the id in URL paths, so it is kept to URL-safe characters.
func validClientID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
