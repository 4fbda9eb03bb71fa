package vandar

import (
	"slices"
	"sync"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// A business is a tenant: its row, its credentials and everything it owns live
// under its slug, so a snapshot of the tenant (GET /_sandbox/state/{slug}) holds
// all of it, a reset of the tenant leaves nothing of it behind, and a restore
// into another tenant moves the business with its state (README, the
// /_sandbox/state row). Lookups by a value alone (a bearer token, an api_key, a
// payment or mandate token) find their business through an owners hint, checked
// against the row.

// bizKey is the id of the business's own row in its tenant.
const bizKey = "business"

// Credential kinds, the values of the credentials table.
const (
	credAccess  = "access"
	credRefresh = "refresh"
	credAPIKey  = "api_key"
)

// owners remembers which business a value (a token, a key) belongs to, so that a
// lookup by the value alone costs one map read instead of one per business. It is
// only a hint, as oauth.Tokens' is: the row decides, so a reset or a restore makes
// a hint stale, never wrong.
type owners struct {
	mu sync.RWMutex
	m  map[string]string
}

// maxOwners bounds a hint map; past it the map starts afresh.
const maxOwners = 1 << 16

func (o *owners) remember(value, slug string) {
	o.mu.Lock()
	if o.m == nil || len(o.m) >= maxOwners {
		o.m = map[string]string{}
	}
	o.m[value] = slug
	o.mu.Unlock()
}

// ownerOf finds the tenant holding row id in t: the hinted one when it still
// holds it, else the first tenant that does (store.Table.Find).
func ownerOf[T any](o *owners, t *store.Table[T], id string) (string, bool) {
	o.mu.RLock()
	slug, ok := o.m[id]
	o.mu.RUnlock()
	if ok && t.Read(slug, id, func(*T) {}) {
		return slug, true
	}
	slug, _, ok = t.Find(id)
	if ok {
		o.remember(id, slug)
	}
	return slug, ok
}

// Retenant gives the business to the tenant it is restored into. Its credentials
// (tokens, api_key, webhook secret, the owner's login) were issued to the first
// business and stay behind: business(to) issues the new tenant its own on first
// use (repair), the shipped ones when it is a declared business.
func (b businessRow) Retenant(from, to string) (businessRow, bool) {
	b.Name = to
	if b.Title == from {
		b.Title = to
	}
	b.Access, b.Refresh, b.AccessExp, b.RefreshExp = "", "", time.Time{}, time.Time{}
	b.APIKey, b.WebhookSecret, b.Mobile, b.Password = "", "", "", ""
	return b, true
}

// Retenant gives a card page restored into another business's tenant that
// business, whose holder and callback it reads.
func (pg cardPage) Retenant(from, to string) (cardPage, bool) {
	if pg.Business == from {
		pg.Business = to
	}
	return pg, true
}

// needsRepair is a business row restored from another tenant: it names that
// tenant, or lost its credentials on the way (businessRow.Retenant).
func (b businessRow) needsRepair(slug string) bool {
	return b.Name != slug || b.Access == "" || b.APIKey == ""
}

// repair makes a restored business this tenant's own: its name and id, and
// credentials of its own (a declared business's shipped ones, else fresh).
func (p *Provider) repair(slug string) (businessRow, bool) {
	decl, declared := p.cfg.businesses[slug]
	if p.strict && !declared {
		return businessRow{}, false // strict mode issues credentials to declared businesses only
	}
	now := p.clock.Now()
	var out businessRow
	fixed := false
	err := p.businesses.Update(slug, bizKey, func(row *businessRow) error {
		if !row.needsRepair(slug) {
			out = *row // repaired by a parallel request
			return nil
		}
		fixed = true
		row.Name, row.ID, row.Declared = slug, p.businessID(slug), declared
		row.Access, row.Refresh, row.AccessExp, row.RefreshExp = "", "", time.Time{}, time.Time{}
		row.APIKey, row.WebhookSecret, row.Mobile, row.Password = "", "", "", ""
		if declared {
			row.Access, row.Refresh, row.APIKey, row.WebhookSecret = decl.AccessToken, decl.RefreshToken, decl.APIKey, decl.WebhookSecret
			row.Mobile, row.Password = decl.Mobile, decl.Password
		}
		if row.APIKey == "" {
			row.APIKey = p.ids.Hex(40)
		}
		if row.WebhookSecret == "" {
			row.WebhookSecret = "whsec_" + p.ids.Hex(24)
		}
		if row.Access == "" {
			if err := p.issuePair(row, now); err != nil {
				return err
			}
		}
		out = *row
		return nil
	})
	if err != nil {
		p.log.Error("vandar: credentials for a restored business", "business", slug, "err", err)
		return businessRow{}, false
	}
	if fixed {
		p.recordCreds(out)
	}
	return out, true
}

// recordCreds indexes a business's current credentials under its tenant.
func (p *Provider) recordCreds(b businessRow) {
	for _, c := range [...]struct{ cred, kind string }{{b.Access, credAccess}, {b.Refresh, credRefresh}, {b.APIKey, credAPIKey}} {
		if c.cred != "" {
			p.creds.Put(b.Name, c.cred, c.kind)
			p.credOwners.remember(c.cred, b.Name)
		}
	}
}

// allBusinesses lists every business, by slug.
func (p *Provider) allBusinesses() []businessRow {
	var out []businessRow
	for _, slug := range p.businesses.Tenants() {
		if b, ok := p.business(slug); ok {
			out = append(out, b)
		}
	}
	return out
}

// Restored books again what restored state has due (api.Restorer): settlements'
// final states, deposits landing, withdrawals' outcomes, refund notices. Each is
// done once however often it is booked (book, cashInDue, ddSettle and
// refundNoticesDue take their row first), so booking one that is booked already
// costs nothing.
func (p *Provider) Restored(tenant string) {
	if p.sched == nil {
		return
	}
	slugs := []string{tenant}
	if tenant == "" {
		slugs = slices.Concat(p.pt.due.Tenants(), p.pt.cashIn.Tenants(), p.ddDue.Tenants(), p.refundNote.Tenants())
		slices.Sort(slugs)
		slugs = slices.Compact(slugs)
	}
	for _, slug := range slugs {
		for _, it := range p.pt.due.List(slug) {
			p.schedule(slug, it.ID, it.Value)
		}
		for _, it := range p.pt.cashIn.List(slug) {
			if it.Value.Status == "INIT" {
				p.scheduleCashIn(slug, it.Value)
			}
		}
		for _, it := range p.ddDue.List(slug) {
			p.bookSettle(slug, it.ID, it.Value)
		}
		for _, it := range p.refundNote.List(slug) {
			p.scheduleRefundNotice(slug, it.ID, it.Value.At)
		}
	}
}

var _ api.Restorer = (*Provider)(nil)
