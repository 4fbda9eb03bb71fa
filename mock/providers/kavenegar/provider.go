package kavenegar

import (
	"errors"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Provider simulates api.kavenegar.com.
type Provider struct {
	clock    clock.Clock
	seed     int64
	strict   bool
	cfg      *settings
	accounts *store.Table[account]
	messages messageTable
	refunds  *store.Table[refund]
	inbox    *store.Table[inbound]
	localIDs *store.Table[int64]
	ids      *store.Counter

	retention time.Duration // 0: finished messages are kept for ever
}

var _ api.Provider = (*Provider)(nil)

// New builds the provider from the shipped fixtures laid under the config.
func New(d api.Deps) (*Provider, error) {
	if err := d.Require("kavenegar"); err != nil {
		return nil, err
	}
	cfg, err := loadSettings(d.Fixtures, d.Config)
	if err != nil {
		return nil, err
	}
	p := &Provider{
		clock:    d.Clock,
		seed:     d.Seed,
		strict:   d.Strict,
		cfg:      cfg,
		accounts: store.NewTable[account](d.Store, "kavenegar.accounts"),
		messages: newMessageTable(d.Store),
		refunds:  store.NewTable[refund](d.Store, "kavenegar.refunds"),
		inbox:    store.NewTable[inbound](d.Store, "kavenegar.inbox"),
		localIDs: store.NewTable[int64](d.Store, "kavenegar.localids"),
		ids:      store.NewCounter(d.Store, "kavenegar.ids"),
	}
	if d.Retention > 0 && d.Scheduler != nil {
		p.retention = d.Retention
		p.scheduleExpiry(d.Scheduler, d.Clock.Now())
	}
	return p, nil
}

// Name is the alias mount and operation prefix.
func (p *Provider) Name() string { return "kavenegar" }

// Hosts are the real hosts served.
func (p *Provider) Hosts() []api.Host {
	return []api.Host{{Name: "api.kavenegar.com", Envelope: wire{}}}
}

// RootPrefixes claims /v1/ at the server root because the Go SDK resolves its
// absolute endpoint paths against the base URL and so drops any mount prefix.
func (p *Provider) RootPrefixes() []string { return []string{"/v1/"} }

// Errors is the return-code catalogue.
func (p *Provider) Errors() envelope.Catalogue { return catalogue }

// account is one API key's account as stored.
type account struct {
	Key     string    `json:"key"`
	Credit  int64     `json:"credit"`
	Type    string    `json:"type"`
	Expire  int64     `json:"expiredate"`
	Lines   []string  `json:"lines"`
	Created time.Time `json:"created"`
	Config  acctConf  `json:"config"`
}

// Retenant gives an account restored under another API key that key
// (store.Retenanter).
func (a account) Retenant(from, to string) (account, bool) {
	if a.Key == from {
		a.Key = to
	}
	return a, true
}

// acctConf holds the account/config values, as strings because that is how they
// travel both ways.
type acctConf struct {
	APILogs        string `json:"apilogs"`
	DailyReport    string `json:"dailyreport"`
	DebugMode      string `json:"debugmode"`
	DefaultSender  string `json:"defaultsender"`
	MinCreditAlarm string `json:"mincreditalarm"`
	ResendFailed   string `json:"resendfailed"`
}

// Clone keeps stored rows independent of callers' copies.
func (a account) Clone() account {
	a.Lines = append([]string(nil), a.Lines...)
	return a
}

// refund is a cost due back to the account at At (a message that ends 13 or 14,
// or a send that settles as failed). The message's Refunded flag makes paying it
// happen once however many requests sweep at the same time.
type refund struct {
	At time.Time `json:"at"`
}

const accountRow = "account"

// nextID hands out message ids: a per-key sequence from a base derived from the
// seed and the key, 8 digits like the README's 8792343.
func (p *Provider) nextID(tenant string) int64 {
	base := int64(10_000_000 + fake.Hash(p.seed, "messageid", tenant)%80_000_000)
	return p.ids.Next(tenant, "message", base)
}

// ensureAccount returns the tenant's account, creating it (and its seeded inbox) on
// first use at the request's virtual time.
func (p *Provider) ensureAccount(tenant string, now time.Time) account {
	var out account
	_ = p.accounts.Upsert(tenant, accountRow, func() account {
		prof, _ := p.cfg.profile(tenant)
		validity, err := time.ParseDuration(prof.Validity)
		if err != nil || validity <= 0 {
			validity = p.cfg.validity
		}
		sender := prof.DefaultSender
		if sender == "" {
			sender = prof.Lines[0]
		}
		var credit int64
		if prof.Credit != nil {
			credit = *prof.Credit
		}
		a := account{
			Key: tenant, Credit: credit, Type: prof.Type,
			Expire: now.Add(validity).Unix(), Lines: append([]string(nil), prof.Lines...), Created: now,
			Config: acctConf{
				APILogs: "justfaults", DailyReport: "enabled", DebugMode: "disabled",
				DefaultSender: sender, MinCreditAlarm: "10000", ResendFailed: "disabled",
			},
		}
		// The inbox is filled here, while the row is being created, so no request
		// can see the account without its inbox.
		p.seedInbox(tenant, a)
		return a
	}, func(a *account) error {
		// a is already the caller's copy. errSkip leaves the row as it was, so
		// reading an existing account writes nothing (and logs nothing to
		// --data-dir); a row just made is stored either way.
		out = *a
		return errSkip
	})
	return out
}

// auth accepts the API key in the path: declared keys always, other well-formed
// keys only outside strict mode. Key "0" is only good for utils/getdate.
func (p *Provider) auth(c echo.Context) (string, error) {
	key := c.Param("apikey")
	if key == "0" || !keyPattern.MatchString(key) {
		return "", errCode("403")
	}
	if _, declared := p.cfg.accounts[key]; !declared && p.strict {
		return "", errCode("403")
	}
	return key, nil
}

// authAny serves calls that work with any key (utils/getdate) or must answer
// before the key is judged (unknown methods).
func authAny(c echo.Context) (string, error) { return c.Param("apikey"), nil }

// begin applies the account's own magic (disabled, IP, forced code) and returns the
// account. The magic is not an Op.Magic because Kavenegar judges the account
// before it reads any parameter (a disabled key is 401 whatever the body); it
// applies only when neither a header nor a scenario decided, so both win over
// magic keys.
func (p *Provider) begin(c *api.Call) (account, Profile, error) {
	prof, _ := p.cfg.profile(c.Tenant)
	switch {
	case c.Decision.Decided():
	case prof.Disabled:
		return account{}, prof, errCode("401")
	case prof.IPMismatch:
		return account{}, prof, errCode("416")
	case prof.Fail != "":
		return account{}, prof, errCode(prof.Fail)
	}
	p.sweep(c.Tenant, c.Now)
	return p.ensureAccount(c.Tenant, c.Now), prof, nil
}

var errSkip = errors.New("skip")

// sweep pays refunds that have fallen due by now.
func (p *Provider) sweep(tenant string, now time.Time) {
	for _, it := range p.refunds.List(tenant) {
		if it.Value.At.After(now) {
			continue
		}
		var amount int64
		_ = p.messages.Update(tenant, it.ID, func(m *message) error {
			if m.Refunded {
				return errSkip
			}
			m.Refunded = true
			amount = m.Cost
			return nil
		})
		if amount > 0 {
			p.credit(tenant, amount)
		}
		p.refunds.Delete(tenant, it.ID)
	}
}

func (p *Provider) credit(tenant string, amount int64) {
	_ = p.accounts.Update(tenant, accountRow, func(a *account) error {
		a.Credit += amount
		return nil
	})
}

func idKey(id int64) string { return strconv.FormatInt(id, 10) }
