package bank

import (
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Bank is Sanbod's banking world for every tenant.
type Bank struct {
	cfg       Config
	seed      int64
	w         *world
	ledgers   *store.Table[ledger]   // by account key, only fixture deposits
	transfers *store.Table[transfer] // by transfer id
	idem      *store.Table[string]   // retry key -> transfer id
	seq       *store.Counter
}

// New loads sanbod.yaml from fixtures and registers the bank's tables in st.
func New(st *store.Store, fixtures fs.FS, seed int64, cfg Config) (*Bank, error) {
	if cfg.SATNAFloor == 0 {
		cfg.SATNAFloor = defaultSATNAFloor
	}
	if cfg.SATNAFloor < 0 || cfg.PAYACeiling < 0 {
		return nil, fmt.Errorf("bank: SATNA floor and PAYA ceiling must not be negative")
	}
	switch cfg.Spelling {
	case "":
		cfg.Spelling = "seed"
	case "seed", "core":
	default:
		return nil, fmt.Errorf("bank: spelling %q: want seed or core", cfg.Spelling)
	}
	w, err := loadWorld(fixtures)
	if err != nil {
		return nil, err
	}
	return &Bank{
		cfg: cfg, seed: seed, w: w,
		ledgers:   store.NewTable[ledger](st, "sanbod.ledgers"),
		transfers: store.NewTable[transfer](st, "sanbod.transfers"),
		idem:      store.NewTable[string](st, "sanbod.retries"),
		seq:       store.NewCounter(st, "sanbod.sequences"),
	}, nil
}

// Reset forgets what tenant did ("" = every tenant): balances go back to the
// fixtures, transfers and statements are gone.
func (b *Bank) Reset(tenant string) {
	wipe(b.ledgers, tenant)
	wipe(b.transfers, tenant)
	wipe(b.idem, tenant)
	// The counter's numbers only need to stay unique, which they do across a
	// reset; the store's own reset clears it with everything else.
}

func wipe[T any](t *store.Table[T], tenant string) {
	tenants := []string{tenant}
	if tenant == "" {
		tenants = t.Tenants()
	}
	for _, tn := range tenants {
		for _, it := range t.List(tn) {
			t.Delete(tn, it.ID)
		}
	}
}

// entry is one statement line.
type entry struct {
	At          time.Time `json:"at"`
	Amount      int64     `json:"amount"` // negative for a debit
	Balance     int64     `json:"balance"`
	Description string    `json:"description"`
	Ref         string    `json:"ref"`
	Doc         string    `json:"doc"`
}

// credit is money due to arrive at At: a delivery, or a return after a rejection.
// It is booked on the first touch of the ledger at or after At, exactly once.
type credit struct {
	At          time.Time `json:"at"`
	Amount      int64     `json:"amount"`
	Description string    `json:"description"`
	Ref         string    `json:"ref"`
}

// ledger is a deposit's money: balance, statement and what is still to arrive.
type ledger struct {
	Balance int64    `json:"balance"`
	Docs    int64    `json:"docs"` // statement doc numbers handed out
	Entries []entry  `json:"entries"`
	Pending []credit `json:"pending"`
}

func (l ledger) Clone() ledger {
	l.Entries = slices.Clone(l.Entries)
	l.Pending = slices.Clone(l.Pending)
	return l
}

// book appends a line; times never go back, so the running balance reads in order
// even when two requests' clocks interleave.
func (l *ledger) book(a *account, at time.Time, amount int64, desc, ref string) {
	if n := len(l.Entries); n > 0 && at.Before(l.Entries[n-1].At) {
		at = l.Entries[n-1].At
	}
	l.Balance += amount
	l.Docs++
	l.Entries = append(l.Entries, entry{At: at, Amount: amount, Balance: l.Balance, Description: desc, Ref: ref,
		Doc: fmt.Sprintf("%08d", docBase(a)+l.Docs)})
}

// docBase spreads the deposits' doc numbers apart so they look like a bank's.
func docBase(a *account) int64 {
	var h int64
	for i := 0; i < len(a.Acct); i++ {
		h = (h*31 + int64(a.Acct[i])) % 80_000_000
	}
	return 10_000_000 + h%80_000_000/1000*1000
}

// settle books every credit due by now, in time order.
func (l *ledger) settle(a *account, now time.Time) {
	if len(l.Pending) == 0 {
		return
	}
	slices.SortStableFunc(l.Pending, func(x, y credit) int { return x.At.Compare(y.At) })
	i := 0
	for ; i < len(l.Pending) && !l.Pending[i].At.After(now); i++ {
		c := l.Pending[i]
		l.book(a, c.At, c.Amount, c.Description, c.Ref)
	}
	l.Pending = slices.Delete(l.Pending, 0, i)
}

func (b *Bank) touch(tenant string, a *account, fn func(*ledger) error) error {
	return b.ledgers.Upsert(tenant, a.key(), func() ledger { return ledger{Balance: a.Opening} }, fn)
}

// debit takes amount from a at now, or fails with INSUFFICIENT_BALANCE and
// changes nothing. Balance check and booking are one step under the row lock.
func (b *Bank) debit(tenant string, a *account, now time.Time, amount int64, desc, ref string) error {
	return b.touch(tenant, a, func(l *ledger) error {
		l.settle(a, now)
		if l.Balance < amount {
			return fail("INSUFFICIENT_BALANCE", "")
		}
		l.book(a, now, -amount, desc, ref)
		return nil
	})
}

// schedule books a credit at `at`: now if due, else on the first touch after it.
// Only fixture deposits have a ledger; money sent elsewhere leaves the world.
func (b *Bank) schedule(tenant string, a *account, now, at time.Time, amount int64, desc, ref string) {
	if !a.Fixture {
		return
	}
	_ = b.touch(tenant, a, func(l *ledger) error {
		l.Pending = append(l.Pending, credit{At: at, Amount: amount, Description: desc, Ref: ref})
		l.settle(a, now)
		return nil
	})
}

// view is a's ledger as of now, with due credits booked.
func (b *Bank) view(tenant string, a *account, now time.Time) ledger {
	var out ledger
	_ = b.touch(tenant, a, func(l *ledger) error {
		l.settle(a, now)
		out = l.Clone()
		return nil
	})
	return out
}

// transfer is one normaltransfer, achtransfer or rtgstransfer. Its plan and its
// money movements are fixed when it is registered; status is read off the plan.
type transfer struct {
	ID          string         `json:"id"`
	Kind        string         `json:"kind"`
	Bank        string         `json:"bank"`
	SourceKey   string         `json:"source_key"`
	Source      string         `json:"source"`
	SourceIBAN  string         `json:"source_iban"`
	Dest        string         `json:"dest"` // deposit number (normal) or IBAN
	DestOwner   string         `json:"dest_owner"`
	Amount      int64          `json:"amount"`
	Description string         `json:"description"`
	Factor      string         `json:"factor"`
	Ref         string         `json:"ref"` // docNumber (normal), referenceId (PAYA, SATNA)
	Doc         string         `json:"doc"` // SATNA docNumber
	Registered  time.Time      `json:"registered"`
	Plan        lifecycle.Plan `json:"plan"`
	InDoubt     bool           `json:"in_doubt"`
	SettleAt    time.Time      `json:"settle_at"`
	SettleOK    bool           `json:"settle_ok"`
}

func (t transfer) Clone() transfer {
	t.Plan = slices.Clone(t.Plan)
	return t
}

// visible reports whether a report shows t at now: an in-doubt transfer appears
// once it has settled as done; one that settled as failed never existed.
func (t *transfer) visible(now time.Time) bool {
	return !t.InDoubt || (t.SettleOK && !now.Before(t.SettleAt))
}

// internal is an unexpected failure, rendered as the provider's 500.
func internal(err error) *envelope.Error {
	return &envelope.Error{Status: 500, Code: "INTERNAL", Message: err.Error(), Kind: envelope.KindInternal, Cause: err}
}
