package sanbod

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/oauth"
	"github.com/sandbank-dev/sandbank/mock/providers/sanbod/bank"
)

// Provider simulates api.sanbod.co: the OAuth side (authorize, bank login and
// consent pages, tokens, revoke) and the thin HTTP layer over package bank.
type Provider struct {
	clock    clock.Clock
	seed     int64
	strict   bool
	cfg      *settings
	bank     *bank.Bank
	errs     map[string]entry
	cat      envelope.Catalogue
	signer   *oauth.Signer
	verifier *oauth.Verifier[*grant]
	ids      *oauth.IDs
	codes    *oauth.Codes
	consents *oauth.Consents
	tokens   *oauth.Tokens
	private  sealer
	routes   []api.Route
}

var _ api.Provider = (*Provider)(nil)

// New builds the provider; the bank reads fixtures/sanbod.yaml itself.
func New(d api.Deps) (*Provider, error) {
	if err := d.Require("sanbod"); err != nil {
		return nil, err
	}
	var c Config
	if d.Config != nil {
		if err := d.Config(&c); err != nil {
			return nil, fmt.Errorf("sanbod: config: %w", err)
		}
	}
	s, err := resolve(c)
	if err != nil {
		return nil, err
	}
	b, err := bank.New(d.Store, d.Fixtures, d.Seed, bank.Config{SATNAFloor: s.satnaFloor, PAYACeiling: s.payaCeiling, Spelling: s.spelling, Retention: d.Retention})
	if err != nil {
		return nil, fmt.Errorf("sanbod: %w", err)
	}
	errs, cat, err := errorTable(s)
	if err != nil {
		return nil, err
	}
	// Keys derive from the seed so tokens minted by one run stay verifiable by a
	// restart with the same --seed (the registry decides whether they still count).
	key := sha256.Sum256(fmt.Appendf(nil, "sandbank/sanbod/jwt/%d", d.Seed))
	sealKey := sha256.Sum256(fmt.Appendf(nil, "sandbank/sanbod/private/%d", d.Seed))
	ids := oauth.NewIDs(d.FreshSeed())
	codes := oauth.NewCodes(d.Store, "sanbod.oauth.codes", d.Clock, ids, s.codeTTL)
	p := &Provider{
		clock:    d.Clock,
		seed:     d.Seed,
		strict:   d.Strict,
		cfg:      s,
		bank:     b,
		errs:     errs,
		cat:      cat,
		signer:   oauth.NewSigner(d.Clock, key[:], ""),
		ids:      ids,
		codes:    codes,
		consents: oauth.NewConsents(d.Store, "sanbod.oauth.consents", d.Clock, ids, s.consentTTL, codes),
		tokens:   oauth.NewTokens(d.Store, "sanbod.oauth.tokens", d.Clock),
		private:  sealer{key: sealKey},
	}
	p.verifier = oauth.NewVerifier(p.signer, verifiedTokens, p.grantOf)
	p.routes = p.buildRoutes()
	// --retention: finished transfers go as the virtual clock moves (bank.Expire),
	// and so do tokens, codes and consents dead for longer (oauth.Expire).
	if d.Retention > 0 && d.Scheduler != nil {
		oauth.Retain(p.tokens, p.codes, p.consents)
	}
	lifecycle.Sweep(d.Scheduler, "sanbod.retention", d.Clock.Now(), d.Retention, func(now time.Time) {
		b.Expire(now)
		oauth.Expire(now, d.Retention, p.tokens, p.codes, p.consents)
	})
	return p, nil
}

// Name is the alias mount and operation prefix.
func (p *Provider) Name() string { return "sanbod" }

// Hosts are the real hosts served.
func (p *Provider) Hosts() []api.Host {
	return []api.Host{{Name: "api.sanbod.co", Envelope: wire{p}}}
}

// RootPrefixes is empty: the Go SDK concatenates BaseURL and path, so a base URL
// with the mount prefix works as it is.
func (p *Provider) RootPrefixes() []string { return nil }

// Errors is the catalogue: provider codes and the bank's.
func (p *Provider) Errors() envelope.Catalogue { return p.cat }

// Routes is the route table, built once from the configured service prefixes.
func (p *Provider) Routes() []api.Route { return p.routes }

// client is the application for id: declared, or (outside strict mode) one made up
// on first sight, named after its id.
func (p *Provider) client(id string) (Client, bool) {
	if c, ok := p.cfg.clients[id]; ok {
		if c.Name == "" {
			c.Name = id
		}
		if c.AppID == 0 {
			c.AppID = p.appID(id)
		}
		return c, true
	}
	if p.strict {
		return Client{}, false
	}
	return Client{ID: id, Name: id, AppID: p.appID(id)}, true
}

func (p *Provider) appID(id string) int64 { return int64(1 + fake.Hash(p.seed, "app_id", id)%9999) }
