package bank

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Bank is Sanbod's banking world for every tenant.
type Bank struct {
	cfg       Config
	seed      int64
	w         *world
	book      *ledger.Book[line]     // fixture and consented deposits' money, in Rial
	transfers *store.Table[transfer] // by transfer id
	bySource  *store.Index[transfer] // source deposit, kind, registration time
	idem      *store.Table[string]   // retry key -> transfer id
	seq       *store.Counter
	aged      *store.Index[transfer] // by registration time, with a retention only
	idemOf    *store.Index[string]   // retry keys by transfer id, with a retention only
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
		cfg.Spelling = "example"
	case "example", "list", "seed", "core":
	default:
		return nil, fmt.Errorf("bank: spelling %q: want example, list (or seed) or core", cfg.Spelling)
	}
	w, err := loadWorld(fixtures)
	if err != nil {
		return nil, err
	}
	transfers := store.NewTable[transfer](st, "sanbod.transfers")
	b := &Bank{
		cfg: cfg, seed: seed, w: w,
		book:      ledger.New[line](st, "sanbod.ledger"),
		transfers: transfers,
		bySource:  store.NewIndex(transfers, func(t transfer) string { return sourceKey(t.SourceKey, t.Kind, t.Registered) }),
		idem:      store.NewTable[string](st, "sanbod.retries"),
		seq:       store.NewCounter(st, "sanbod.sequences"),
	}
	if cfg.Retention > 0 {
		b.aged = store.NewIndex(transfers, func(t transfer) string { return lifecycle.TimeKey(t.Registered, t.ID) })
		b.idemOf = store.NewIndex(b.idem, func(id string) string { return id })
		b.book.Retain()
	}
	return b, nil
}

// Reset forgets what tenant did ("" = every tenant): balances go back to the
// fixtures, transfers and statements are gone.
func (b *Bank) Reset(tenant string) {
	b.book.Reset(tenant)
	b.transfers.Clear(tenant)
	b.idem.Clear(tenant)
	// The counter's numbers only need to stay unique, which they do across a
	// reset; the store's own reset clears it with everything else.
}

// line is what a statement line says beside its amount and balance.
type line struct {
	Description string `json:"description"`
	Ref         string `json:"ref"`
}

// money is a's account in the ledger: Sanbod counts in Rial.
func (a *account) money() ledger.Account {
	return ledger.Account{ID: a.key(), Opening: ledger.IRR.Of(a.Opening)}
}

// doc is a statement line's doc number: the deposit's base and the line's
// number in its statement.
func doc(a *account, seq int64) string { return fmt.Sprintf("%08d", docBase(a)+seq) }

// docBase spreads the deposits' doc numbers apart so they look like a bank's.
func docBase(a *account) int64 {
	var h int64
	for i := 0; i < len(a.Acct); i++ {
		h = (h*31 + int64(a.Acct[i])) % 80_000_000
	}
	return 10_000_000 + h%80_000_000/1000*1000
}

// debit takes amount from a at now, or fails with INSUFFICIENT_BALANCE and
// changes nothing. Balance check and booking are one step in the ledger.
func (b *Bank) debit(tenant string, a *account, now time.Time, amount int64, desc, ref string) error {
	_, _, err := b.book.Post(tenant, now, ledger.Posting[line]{Account: a.money(), Amount: ledger.IRR.Of(-amount),
		Meta: line{Description: desc, Ref: ref}})
	if errors.Is(err, ledger.ErrInsufficient) {
		return fail("INSUFFICIENT_BALANCE", "")
	}
	return err
}

// schedule books a credit at `at`: now if due, else on the first touch after it.
// Only fixture deposits have a ledger; money sent elsewhere leaves the world.
func (b *Bank) schedule(tenant string, a *account, now, at time.Time, amount int64, desc, ref string) {
	if !a.Fixture {
		return
	}
	_ = b.book.Do(tenant, now, []ledger.Account{a.money()}, func(tx *ledger.Tx[line]) error {
		return tx.PostAt(a.key(), at, ledger.IRR.Of(amount), line{Description: desc, Ref: ref})
	})
}

// booked is a's balance as last booked, without booking what has fallen due.
func (b *Bank) booked(tenant string, a *account) int64 {
	return b.book.Peek(tenant, time.Time{}, a.money()).Balance
}

// sourceKey orders transfers by source deposit, kind and registration time, so
// a report seeks its deposit's window and reads only the page it answers.
func sourceKey(source, kind string, at time.Time) string {
	return source + "\x00" + kind + "\x00" + lifecycle.TimeKey(at, "")
}

// eachTransfer calls fn with the kind's transfers from a registered in [from,
// to], oldest first (ties in registration order), that reports show at now,
// until fn returns false.
func (b *Bank) eachTransfer(c Ctx, a *account, kind string, from, to time.Time, fn func(transfer) bool) {
	r := store.Range{From: sourceKey(a.key(), kind, from), To: sourceKey(a.key(), kind, to.Add(time.Nanosecond))}
	b.bySource.Scan(c.Tenant, r, func(row store.Row[transfer]) bool {
		if t := row.Value; t.visible(c.Now) {
			return fn(t)
		}
		return true
	})
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
