package paynet

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// istanbul is Turkey's time: UTC+3 all year since 2016, so a fixed zone needs no
// time-zone database.
var istanbul = time.FixedZone("+03", 3*60*60)

// Provider simulates Paynet's stored-card API.
type Provider struct {
	clock  clock.Clock
	seed   int64
	strict bool
	cfg    *settings
	owners *store.Table[owner]
	otps   *store.Table[otpRow]

	retention time.Duration        // 0: OTP sessions are kept for ever
	otpsAged  *store.Index[otpRow] // sessions by last send, with a retention only
}

var _ api.Provider = (*Provider)(nil)

// New builds the provider from the shipped fixtures laid under the config.
func New(d api.Deps) (*Provider, error) {
	if err := d.Require("paynet"); err != nil {
		return nil, err
	}
	cfg, err := loadSettings(d.Fixtures, d.Config)
	if err != nil {
		return nil, err
	}
	p := &Provider{
		clock:  d.Clock,
		seed:   d.Seed,
		strict: d.Strict,
		cfg:    cfg,
		owners: store.NewTable[owner](d.Store, "paynet.owners"),
		otps:   store.NewTable[otpRow](d.Store, "paynet.otps"),
	}
	p.retain(d.Scheduler, d.Clock.Now(), d.Retention)
	return p, nil
}

// Name is the alias mount and operation prefix.
func (p *Provider) Name() string { return "paynet" }

// Hosts are the live host (main) and the test host; they behave identically.
func (p *Provider) Hosts() []api.Host {
	return []api.Host{{Name: "api.paynet.com.tr", Aliases: []string{"pts-api.paynet.com.tr"}, Envelope: wire{}}}
}

// RootPrefixes is empty: Paynet's SDKs keep their base URL, and /v1/ at the root
// already belongs to Kavenegar.
func (p *Provider) RootPrefixes() []string { return nil }

// Errors is the return-code catalogue.
func (p *Provider) Errors() envelope.Catalogue { return catalogue }

// digest derives stable bytes from the seed and names, so ids and codes do not
// depend on request order across tenants.
func (p *Provider) digest(parts ...string) [32]byte {
	h := sha256.New()
	_, _ = fmt.Fprintf(h, "%d", p.seed)
	for _, s := range parts {
		_, _ = h.Write([]byte{0})
		_, _ = h.Write([]byte(s))
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// uuid is a version-4-shaped id from the digest of parts: the documented
// card_owner_id and card_hash examples are GUIDs.
func (p *Provider) uuid(parts ...string) string {
	b := p.digest(parts...)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func (p *Provider) number(mod uint64, parts ...string) uint64 {
	b := p.digest(parts...)
	return binary.BigEndian.Uint64(b[:8]) % mod
}

// companyCode is the merchant's company_code / agent_id: declared, or five
// digits derived from the key (the official sample shows 10031 for both).
func (p *Provider) companyCode(m Merchant) (company, agent string) {
	company = m.CompanyCode
	if company == "" {
		company = strconv.FormatUint(10000+p.number(90000, "company", m.Key), 10)
	}
	agent = m.AgentID
	if agent == "" {
		agent = company
	}
	return company, agent
}

// auth reads "Authorization: Basic <secret_key>". The raw key is what the docs
// and the SDK send; base64 of "key:" (real HTTP Basic) is accepted too. A
// missing header, another scheme, a malformed or revoked key, or (strict mode)
// an undeclared key answers 401 authorization_error, result_code 7.
func (p *Provider) auth(c echo.Context) (string, error) {
	h := strings.TrimSpace(c.Request().Header.Get(echo.HeaderAuthorization))
	if h == "" {
		return "", errWith(codeUnauth, "Authorization başlığı eksik")
	}
	scheme, key, _ := strings.Cut(h, " ")
	key = strings.TrimSpace(key)
	if !strings.EqualFold(scheme, "Basic") || key == "" {
		return "", errWith(codeUnauth, "Authorization başlığı 'Basic <secret_key>' biçiminde olmalı")
	}
	if _, declared := p.cfg.keys[key]; !declared {
		if dec, err := base64.StdEncoding.DecodeString(key); err == nil && utf8.Valid(dec) {
			if user, _, found := strings.Cut(string(dec), ":"); found && validKey(user) {
				key = user
			}
		}
	}
	if !validKey(key) {
		return "", errCode(codeUnauth)
	}
	m, declared := p.cfg.merchant(key)
	if m.Revoked || (p.strict && !declared) {
		return "", errCode(codeUnauth)
	}
	return key, nil
}

// merchant is the Magic of every operation: a merchant key the fixtures
// publish as failing (a blocked company, a blocked dealer...) answers its code,
// unless a header or scenario decided the call.
func merchant[Req any](p *Provider) func(c *api.Call, _ Req) (scenario.Decision, bool) {
	return func(c *api.Call, _ Req) (scenario.Decision, bool) {
		m, _ := p.cfg.merchant(c.Tenant)
		if m.Fail == "" {
			return scenario.Decision{}, false
		}
		return scenario.Decision{Outcome: scenario.Failure, Code: m.Fail, Fault: scenario.FaultNone}, true
	}
}

// okCode is the code of a success: 0, or 100 when a scenario asked for it.
func okCode(d scenario.Decision) int {
	if d.Outcome == scenario.Failure && d.Code == codeOldSuccess {
		return 100
	}
	return 0
}

// noData is code 12: the envelope by default, 404 no_data_error when configured.
func (p *Provider) noData(msg string) *envelope.Error {
	e := errWith(codeNoData, msg)
	if p.cfg.nodata404 {
		e.Status = 404
	}
	return e
}
