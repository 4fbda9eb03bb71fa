package finnotech

import (
	"strconv"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/oauth"
	"github.com/sandbank-dev/sandbank/mock/providers/finnotech/bank"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Lifetimes the sources leave open (doc.go says why these values).
const (
	codeTTL    = 10 * time.Minute // authorization codes
	consentTTL = 15 * time.Minute // a login + consent dance
	smsTTL     = 3 * time.Minute  // SMS sent → token exchange (§2.3)
	otpLength  = 5                // "qMeQs"
	longLife   = 10 * 24 * time.Hour
	shortLife  = 15 * time.Minute // banks 016 and 078 (§2.2)
)

// Provider simulates the Finnotech gateway (sandboxapi.finnotech.ir and the
// production host names).
type Provider struct {
	clock       clock.Clock
	seed        int64
	strict      bool
	cfg         *settings
	cat         envelope.Catalogue
	gateway     []string // non-bank codes
	results     []string // bon-card result codes
	resultIndex map[string]bank.ResultCode
	bank        *bank.Bank

	signer   *oauth.Signer
	verifier *oauth.Verifier[*tokenRow]
	ids      *oauth.IDs
	codes    *oauth.Codes
	consents *oauth.Consents
	otps     *oauth.OTPs

	tokens  *store.Table[tokenRow]   // access tokens by jti, per client; the one record of a token
	refresh *store.Table[string]     // refresh token value → jti of the token it renews
	tracks  *store.Table[trackUse]   // trackIds consumed, per client
	smsOut  *store.Table[smsMessage] // the SMS outbox, per client
	smsAuth *store.Table[smsSession] // pending SMS logins by trackId, per client

	retention time.Duration // 0: finished records are kept for ever
	aged      agedIndexes   // the tables above by creation time, with a retention only
}

var _ api.Provider = (*Provider)(nil)

// New builds the provider and its bank.
func New(d api.Deps) (*Provider, error) {
	if err := d.Require("finnotech"); err != nil {
		return nil, err
	}
	cfg, err := loadSettings(d.Config)
	if err != nil {
		return nil, err
	}
	b, err := bank.New(d.Store, d.Fixtures, d.Seed)
	if err != nil {
		return nil, err
	}
	cat, gateway, results := newCatalogue()
	index := map[string]bank.ResultCode{}
	for _, rc := range bank.ResultCodes() {
		index[rc.Code] = rc
	}
	ids := oauth.NewIDs(d.FreshSeed())
	codes := oauth.NewCodes(d.Store, "finnotech.oauth.codes", d.Clock, ids, codeTTL)
	// The key depends on the seed only, so tokens stay verifiable across a restart
	// with the same seed; the token table still rejects them after a reset.
	signer := oauth.NewSigner(d.Clock, []byte("sandbank/finnotech/"+strconv.FormatInt(d.Seed, 10)), "")
	p := &Provider{
		clock: d.Clock, seed: d.Seed, strict: d.Strict, cfg: cfg,
		cat: cat, gateway: gateway, results: results, resultIndex: index, bank: b,
		signer:   signer,
		ids:      ids,
		codes:    codes,
		consents: oauth.NewConsents(d.Store, "finnotech.oauth.consents", d.Clock, ids, consentTTL, codes),
		otps:     oauth.NewAlnumOTPs(d.Store, "finnotech.oauth.otps", d.Clock, ids, smsTTL, otpLength).WithAttempts(cfg.otpAttempts),
		// Tokens are JWTs naming their client: a snapshot restored into another
		// client leaves them (and their refresh tokens) behind, so the first
		// client's tokens never act as the second (store.Retenanter).
		tokens:  store.NewTable[tokenRow](d.Store, "finnotech.tokens").DropOnRetenant(),
		refresh: store.NewTable[string](d.Store, "finnotech.refresh").DropOnRetenant(),
		tracks:  store.NewTable[trackUse](d.Store, "finnotech.trackids"),
		smsOut:  store.NewTable[smsMessage](d.Store, "finnotech.sms"),
		smsAuth: store.NewTable[smsSession](d.Store, "finnotech.smslogins"),
	}
	p.verifier = oauth.NewVerifier(signer, verifiedTokens, p.rowOf)
	p.retain(d.Scheduler, d.Clock.Now(), d.Retention)
	return p, nil
}

// Name is the alias mount and operation prefix.
func (p *Provider) Name() string { return "finnotech" }

// Hosts: the sandbox first, then the production names SDKs hard-code (§1.1).
func (p *Provider) Hosts() []api.Host {
	return []api.Host{{Name: "sandboxapi.finnotech.ir", Aliases: []string{"apibeta.finnotech.ir", "api.finnotech.ir"}, Envelope: wire{p}}}
}

// RootPrefixes is empty: every Finnotech client keeps the base URL's path.
func (p *Provider) RootPrefixes() []string { return nil }

// Errors is the catalogue.
func (p *Provider) Errors() envelope.Catalogue { return p.cat }
