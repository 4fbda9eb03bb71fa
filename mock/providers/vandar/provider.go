package vandar

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/oauth"
	"github.com/sandbank-dev/sandbank/mock/store"
	"github.com/sandbank-dev/sandbank/mock/webhook"
)

// The four real hosts (reference §1.1). api.vandar.io is the main one, so the
// alias mount /vandar reaches it.
const (
	hostAPI          = "api.vandar.io"
	hostIPG          = "ipg.vandar.io"
	hostBatch        = "batch.vandar.io"
	hostSubscription = "subscription.vandar.io"
)

// Provider simulates Vandar: businesses with their tokens and wallets, the
// transaction report, the payment gateway with its hosted page, and refunds.
type Provider struct {
	clock  clock.Clock
	seed   int64
	strict bool
	log    *slog.Logger
	cfg    *settings
	cat    envelope.Catalogue
	signer *oauth.Signer
	ids    *oauth.IDs
	pages  *pages
	// webhooks sends refund notices on the virtual clock (nil in a bare test
	// harness: notices are then logged and dropped).
	webhooks *webhook.Sender
	// sched runs products' state changes when the virtual clock reaches them
	// (nil in a bare harness: they happen lazily on the next read).
	sched *lifecycle.Scheduler
	limit *limiter

	businesses *store.Table[businessRow] // tenant slug: the business's row (bizKey)
	creds      *store.Table[string]      // tenant slug: access/refresh token or api_key → its kind
	seq        *store.Table[int64]       // tenant "": the last numeric transaction id, unique across businesses
	wallet     *ledger.Book[walletMeta]  // tenant slug: the business wallet (vandar.wallet.*)
	txs        *store.Table[txRow]       // tenant slug: report rows by numeric id
	txOrder    *store.Index[txRow]       // the report's order: by id, newest first is a reverse scan
	payments   *store.Table[payment]     // tenant slug: IPG payments by token
	refunds    *store.Table[refundRow]   // tenant slug: refund rows by uuid
	refundNos  *store.Table[string]      // tenant slug: payment_number → payment token
	returns    *store.Table[time.Time]   // tenant slug: refund rows that fail, by id → when their money comes back
	refundNote *store.Table[refundNote]  // tenant slug: refund rows whose notice is owed, by id (webhook.go)
	payAged    *store.Index[payment]     // payments by creation time, with --retention only (retention.go)
	refundsOf  *store.Index[refundRow]   // refund rows by their payment's token, with --retention only
	cust       *customerStore            // customers.go
	idn        *identityStore            // identity.go
	rv         *rvTables                 // Ravand (ravand.go)
	pt         *payoutTables             // settlement, batch, queued, cash-in (settlement.go)

	shipped map[string]string // declared credentials → business, to restore it after a reset

	// Hints of which business a credential, a payment token or a mandate token
	// belongs to (tenancy.go).
	credOwners, payOwners, mandateOwners owners

	debitTables // direct debit (debit.go, withdrawal.go)

	routes []api.Route
}

// New builds the provider from fixtures/vandar.yaml and the providers.vandar
// section of the config.
func New(d api.Deps) (*Provider, error) {
	if d.Store == nil || d.Clock == nil {
		return nil, errors.New("vandar: no store or clock")
	}
	var c Config
	if d.Config != nil {
		if err := d.Config(&c); err != nil {
			return nil, fmt.Errorf("vandar: config: %w", err)
		}
	}
	s, err := resolve(c, d.Fixtures)
	if err != nil {
		return nil, err
	}
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pg, err := newPages()
	if err != nil {
		return nil, err
	}
	// The key derives from the seed so that pairs minted by one run stay valid
	// after a restart with the same --seed (the business row decides whether a
	// pair is still the current one).
	key := sha256.Sum256(fmt.Appendf(nil, "sandbank/vandar/jwt/%d", d.Seed))
	p := &Provider{
		clock: d.Clock, seed: d.Seed, strict: d.Strict, log: log, cfg: s,
		cat:        catalogue(s.businessStatus),
		signer:     oauth.NewSigner(d.Clock, key[:], hostAPI),
		ids:        oauth.NewIDs(d.FreshSeed()),
		pages:      pg,
		webhooks:   d.Webhooks,
		sched:      d.Scheduler,
		limit:      newLimiter(s),
		businesses: store.NewTable[businessRow](d.Store, "vandar.businesses"),
		// A credential acts as the business it was issued to: put into another
		// tenant it would let the first business's token act as the second.
		creds:      store.NewTable[string](d.Store, "vandar.credentials").DropOnRetenant(),
		seq:        store.NewTable[int64](d.Store, "vandar.seq"),
		wallet:     ledger.New[walletMeta](d.Store, "vandar.wallet"),
		txs:        store.NewTable[txRow](d.Store, "vandar.transactions"),
		payments:   store.NewTable[payment](d.Store, "vandar.payments"),
		refunds:    store.NewTable[refundRow](d.Store, "vandar.refunds"),
		refundNos:  store.NewTable[string](d.Store, "vandar.refund_numbers"),
		returns:    store.NewTable[time.Time](d.Store, "vandar.refund_returns"),
		refundNote: store.NewTable[refundNote](d.Store, "vandar.refund_notices"),
		cust:       newCustomerStore(d.Store),
		idn:        newIdentityStore(d.Store),
		rv:         newRvTables(d.Store),
	}
	p.pt = newPayoutTables(d.Store)
	if s.settlementRial {
		log.Warn("vandar: settlement amounts read as Rial (settlement_amount_unit: rial); the documented unit is Toman")
	}
	p.txOrder = store.NewIndex(p.txs, func(t txRow) string { return txKey(t.ID) })
	p.debitTables = newDebitTables(d)
	p.retain(d)
	p.shipped = map[string]string{}
	for _, name := range s.order {
		b := s.businesses[name]
		for _, cred := range []string{b.AccessToken, b.RefreshToken, b.APIKey} {
			if cred != "" {
				p.shipped[cred] = name
			}
		}
	}
	p.seedDeclared()
	p.routes = p.buildRoutes()
	return p, nil
}

// Name is the alias mount and the operation prefix.
func (p *Provider) Name() string { return "vandar" }

// Hosts are the real hosts, api.vandar.io first (its short mount is /vandar).
// Each is its own namespace: a path of one host does not answer on another, and
// each answers unknown paths in its own format.
func (p *Provider) Hosts() []api.Host {
	return []api.Host{
		// Ravand (/v1/…) answers its own family F, E10 errors included.
		{Name: hostAPI, Envelope: api.Prefixed(familyA{p}, map[string]api.Envelope{"/v1/": familyF{p}})},
		// The gateway's API paths answer family D, anything else (a token path
		// that is not one) the payment page's 404.
		{Name: hostIPG, Envelope: api.Prefixed(familyPage{p}, map[string]api.Envelope{"/api/": familyD{p}})},
		// Batch lists are Laravel collections (family C) and the subscription
		// host belongs to direct debit (family B); their errors are family A's.
		{Name: hostBatch, Envelope: familyC{p}},
		{Name: hostSubscription, Envelope: familyB{p}},
	}
}

// RootPrefixes is empty: every client takes a base URL.
func (p *Provider) RootPrefixes() []string { return nil }

// Errors is the catalogue.
func (p *Provider) Errors() envelope.Catalogue { return p.cat }

// businessRow is one business: its credentials (the current pair only) and
// settings. A business and its state live under its slug (tenancy.go).
type businessRow struct {
	Name           string    `json:"name"`
	Title          string    `json:"title"`
	ID             int64     `json:"id"`
	APIKey         string    `json:"api_key"`
	WebhookSecret  string    `json:"webhook_secret"`
	Access         string    `json:"access_token"`
	Refresh        string    `json:"refresh_token"`
	AccessExp      time.Time `json:"access_exp"`  // zero: a fixture token, valid until rotated
	RefreshExp     time.Time `json:"refresh_exp"` // zero: as above
	Pair           int64     `json:"pair"`
	CallbackDomain string    `json:"callback_domain,omitempty"`
	AllowedIPs     []string  `json:"allowed_ips,omitempty"`
	RefundDisabled bool      `json:"refund_disabled,omitempty"`
	Role           string    `json:"role"`
	Mobile         string    `json:"mobile,omitempty"`
	Password       string    `json:"password,omitempty"`
	OpeningRial    int64     `json:"opening_rial"`
	Declared       bool      `json:"declared"`
	CreatedAt      time.Time `json:"created_at"`
}

// Clone copies the slice so no caller shares it with the stored row.
func (b businessRow) Clone() businessRow {
	b.AllowedIPs = slices.Clone(b.AllowedIPs)
	return b
}

// State lives only in the store, so a reset of the store is the whole reset:
// a declared business, its shipped credentials and its opening wallet come back
// on first use after one (ensureDeclared, ensureWallet), and a business made by
// the control plane is gone, credentials and all, after a reset of its tenant.

// seedDeclared makes every declared business at start, so the control plane
// lists them before first use.
func (p *Provider) seedDeclared() {
	for _, name := range p.cfg.order {
		p.ensureDeclared(name)
		p.ensureWallet(name)
	}
}

// ensureDeclared (re)creates a declared business with its shipped credentials
// when the store does not hold it; a business already there is left as it is
// (a refreshed pair stays refreshed).
func (p *Provider) ensureDeclared(name string) {
	b, declared := p.cfg.businesses[name]
	if !declared {
		return
	}
	if _, ok := p.businesses.Get(name, bizKey); ok {
		return
	}
	now := p.clock.Now()
	row := businessRow{
		Name: b.Name, Title: b.Title, ID: p.businessID(b.Name), APIKey: b.APIKey, WebhookSecret: b.WebhookSecret,
		Access: b.AccessToken, Refresh: b.RefreshToken, CallbackDomain: b.CallbackDomain,
		AllowedIPs: b.AllowedIPs, RefundDisabled: b.RefundDisabled, Role: b.Role, Mobile: b.Mobile, Password: b.Password,
		OpeningRial: b.Wallet * 10, Declared: true, CreatedAt: now,
	}
	if row.Title == "" {
		row.Title = b.Name
	}
	if row.APIKey == "" {
		row.APIKey = p.ids.Hex(40)
	}
	if row.WebhookSecret == "" {
		row.WebhookSecret = "whsec_" + p.ids.Hex(24)
	}
	if row.Access == "" {
		if err := p.issuePair(&row, now); err != nil {
			p.log.Error("vandar: issue pair", "business", b.Name, "err", err)
			return
		}
	}
	if !p.businesses.Insert(b.Name, bizKey, row) {
		return // made by a parallel request
	}
	p.recordCreds(row)
}

// ensureWallet funds a business's wallet with its opening balance when the
// store holds no wallet for it (a new business, or one whose tenant was reset).
func (p *Provider) ensureWallet(slug string) {
	if p.txs.Len(slug) > 0 {
		p.catchUp(slug, p.clock.Now())
		return
	}
	if b, ok := p.business(slug); ok {
		p.fund(slug, b.OpeningRial)
	}
}

// credential names the business of an access or refresh token or an api_key.
// A shipped credential brings its declared business back after a reset.
func (p *Provider) credential(cred string) (string, bool) {
	if cred == "" {
		return "", false
	}
	if slug, ok := ownerOf(&p.credOwners, p.creds, cred); ok {
		return slug, true
	}
	slug, ok := p.shipped[cred]
	if !ok {
		return "", false
	}
	p.ensureDeclared(slug)
	return slug, true
}

func (p *Provider) businessID(name string) int64 {
	h := sha256.Sum256([]byte(fmt.Sprintf("vandar/business/%d/%s", p.seed, name)))
	return 100 + int64(h[0])<<8 | int64(h[1])
}

// business returns the business of a slug (a declared one is made on first
// use after a reset; one restored from another tenant gets its own credentials).
func (p *Provider) business(slug string) (businessRow, bool) {
	if slug == "" {
		return businessRow{}, false
	}
	if b, ok := p.businesses.Get(slug, bizKey); ok {
		if b.needsRepair(slug) {
			return p.repair(slug)
		}
		return b, true
	}
	p.ensureDeclared(slug)
	return p.businesses.Get(slug, bizKey)
}
