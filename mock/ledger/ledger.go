// Package ledger keeps money for the simulated banks and wallets: accounts with a
// unit on every amount, holds, entries with a running balance, idempotency keys,
// money due later, and day and month usage for limits. It knows no provider and
// no wire format; a provider names its accounts, attaches its own metadata to
// each entry (type M) and maps the errors below to its own codes.
//
// Everything lives in store tables, so a tenant's reset, snapshot and restore
// cover it. Costs do not grow with history: a posting changes one account row
// (a few words, never the entry list) and appends one entry row, O(1)
// amortised; a statement page seeks the account's entries by time in an ordered
// index, O(log n + page).
package ledger

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

var (
	// ErrInsufficient is a debit larger than what the account has available.
	ErrInsufficient = errors.New("ledger: insufficient funds")
	// ErrNoHold is a capture or release of a hold the account does not have.
	ErrNoHold = errors.New("ledger: no such hold")
	// ErrOverflow is a credit that would take a balance past MaxBalance.
	ErrOverflow = errors.New("ledger: balance would pass the largest amount")
)

// MaxBalance is the most an account holds, in its unit: 10^18, more than all the
// money there is (Iran's is about 10^17 Rial) and far enough from int64's end
// that a balance never wraps. Before it, credits of a client's choosing (a
// Vandar payment of 999,999,999,999,999,999 Rial, eleven times) wrapped a wallet
// negative: its snapshot could not be put back, and a --data-dir holding it
// refused to start.
const MaxBalance int64 = 1_000_000_000_000_000_000

// Account names an account and what it opens with: an account exists from its
// first use, with Opening as its balance and Opening.Unit as its unit.
type Account struct {
	ID      string
	Opening Amount
}

// Entry is one posted movement of an account.
type Entry[M any] struct {
	ID      string    `json:"id"`
	Account string    `json:"account"`
	Seq     int64     `json:"seq"` // 1 for the account's first entry
	At      time.Time `json:"at"`
	Amount  Amount    `json:"amount"`  // negative: a debit
	Balance Amount    `json:"balance"` // after the movement
	Meta    M         `json:"meta"`
}

// Hold reserves money of an account until it is captured or released: money
// going out (it is not available meanwhile) or, Incoming, money coming in (room
// under a balance cap).
type Hold struct {
	ID       string    `json:"id"`
	Amount   int64     `json:"amount"`
	At       time.Time `json:"at"`
	Limited  bool      `json:"limited"`
	Incoming bool      `json:"incoming,omitempty"`
}

// Day is a day of the Jalali calendar in Tehran, the day an Iranian bank counts
// its daily limits in; months are Jalali months.
type Day struct{ Y, M, D int }

// DayOf is t's Jalali day in Tehran.
func DayOf(t time.Time) Day {
	y, m, d := iran.ToJalali(t.In(iran.Tehran))
	return Day{y, m, d}
}

// Usage is what counts against an account's limits in one day and its month:
// limited postings (debits or credits, by size) and limited holds still open.
type Usage struct{ DayCount, DayAmount, MonthCount, MonthAmount int64 }

// View is an account as of a moment.
type View struct {
	Unit     Unit
	Balance  int64
	Held     int64 // outgoing holds
	Incoming int64 // incoming holds
	Holds    []Hold
	usage    Usage
}

// Available is the balance less what is held.
func (v View) Available() int64 { return v.Balance - v.Held }

// Usage is what counts against limits on the view's day and month.
func (v View) Usage() Usage { return v.usage }

// Book is a set of accounts whose entries carry metadata M.
type Book[M any] struct {
	accounts *store.Table[account[M]]
	entries  *store.Table[Entry[M]]
	byTime   *store.Index[Entry[M]]
	keys     *store.Table[string]
	dues     *store.Table[due[M]]
	dueTime  *store.Index[due[M]]
	aged     *store.Index[Entry[M]] // entries by time alone, with Retain only
	keyOf    *store.Index[string]   // keys by the entry they name, with Retain only
}

// New registers the book's tables in st as name.accounts, name.entries,
// name.keys and name.due.
func New[M any](st *store.Store, name string) *Book[M] {
	entries := store.NewTable[Entry[M]](st, name+".entries")
	dues := store.NewTable[due[M]](st, name+".due")
	return &Book[M]{
		accounts: store.NewTable[account[M]](st, name+".accounts"),
		entries:  entries,
		byTime:   store.NewIndex(entries, func(e Entry[M]) string { return timeKey(e.Account, e.At, e.Seq) }),
		keys:     store.NewTable[string](st, name+".keys"),
		dues:     dues,
		dueTime:  store.NewIndex(dues, func(d due[M]) string { return timeKey(d.Account, d.At, d.Seq) }),
	}
}

// Reset forgets a tenant's accounts ("" = every tenant's).
func (b *Book[M]) Reset(tenant string) {
	b.accounts.Clear(tenant)
	b.entries.Clear(tenant)
	b.keys.Clear(tenant)
	b.dues.Clear(tenant)
}

// bucket is one day's limited debits.
type bucket struct {
	Day    Day   `json:"day"`
	Count  int64 `json:"count"`
	Amount int64 `json:"amount"`
}

// maxDays of buckets are enough for a monthly limit, and keep a limit check
// O(1) in the history.
const maxDays = 64

// due is money that arrives at At: booked on the account's first use at or
// after At, exactly once. Dues are rows of their own (an account may have
// thousands in flight), ordered by account and time.
type due[M any] struct {
	Account string    `json:"account"`
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Amount  int64     `json:"amount"`
	Meta    M         `json:"meta"`
}

// account is an account's live state: a few words and the open holds and day
// buckets, never its entries or the money due to it.
type account[M any] struct {
	Unit    Unit      `json:"unit"`
	Balance int64     `json:"balance"`
	Seq     int64     `json:"seq"`
	Last    time.Time `json:"last"` // the latest entry's time
	Holds   []Hold    `json:"holds,omitempty"`
	Days    []bucket  `json:"days,omitempty"`
	DueSeq  int64     `json:"due_seq,omitempty"`  // dues ever scheduled
	Pending int64     `json:"pending,omitempty"`  // dues not yet booked
	NextDue time.Time `json:"next_due,omitempty"` // the earliest of them
}

func (a account[M]) Clone() account[M] {
	a.Holds = slices.Clone(a.Holds)
	a.Days = slices.Clone(a.Days)
	return a
}

// held sums the outgoing holds.
func (a *account[M]) held() int64 {
	var n int64
	for _, h := range a.Holds {
		if !h.Incoming {
			n += h.Amount
		}
	}
	return n
}

func (a *account[M]) view(now time.Time) View {
	v := View{Unit: a.Unit, Balance: a.Balance, Held: a.held(), Holds: slices.Clone(a.Holds)}
	for _, h := range a.Holds {
		if h.Incoming {
			v.Incoming += h.Amount
		}
	}
	today := DayOf(now)
	add := func(d Day, count, amount int64) {
		if d.Y == today.Y && d.M == today.M {
			v.usage.MonthCount += count
			v.usage.MonthAmount += amount
			if d == today {
				v.usage.DayCount += count
				v.usage.DayAmount += amount
			}
		}
	}
	for _, b := range a.Days {
		add(b.Day, b.Count, b.Amount)
	}
	for _, h := range a.Holds {
		if h.Limited {
			add(DayOf(h.At), 1, h.Amount)
		}
	}
	return v
}

// room refuses a credit of n that would take the balance past MaxBalance; a
// debit (n <= 0) always has room.
func (a *account[M]) room(n int64) error {
	if n > 0 && a.Balance > MaxBalance-n {
		return ErrOverflow
	}
	return nil
}

func (a *account[M]) record(at time.Time, amount int64) {
	d := DayOf(at)
	for i := len(a.Days) - 1; i >= 0; i-- {
		if a.Days[i].Day == d {
			a.Days[i].Count++
			a.Days[i].Amount += amount
			return
		}
	}
	a.Days = append(a.Days, bucket{Day: d, Count: 1, Amount: amount})
	if len(a.Days) > maxDays {
		a.Days = slices.Clone(a.Days[len(a.Days)-maxDays:])
	}
}

// timeKey orders an account's entries by time, then posting order. Entry times
// never go back within an account (book clamps them), so this is posting order.
func timeKey(acct string, at time.Time, seq int64) string {
	b := make([]byte, 0, len(acct)+1+20)
	b = append(append(b, acct...), 0)
	return string(lifecycle.AppendIntKey(lifecycle.AppendTimeKey(b, at), seq))
}

func entryID(acct string, seq int64) string { return fmt.Sprintf("%s/%012d", acct, seq) }

// Tx is one atomic change to the accounts given to [Book.Do]: what fn stages is
// applied together when fn returns nil, and nothing is when it returns an error.
type Tx[M any] struct {
	b      *Book[M]
	tenant string
	now    time.Time
	accts  map[string]*account[M]
	posted []Entry[M]
	// Dues scheduled and booked, stored or deleted only when the transaction
	// is applied.
	dueAdd []due[M]
	dueDel []string
}

func (tx *Tx[M]) acct(id string) *account[M] {
	a := tx.accts[id]
	if a == nil {
		panic("ledger: account " + id + " is not part of this transaction")
	}
	return a
}

// Tenant is the tenant the transaction changes.
func (tx *Tx[M]) Tenant() string { return tx.tenant }

// Now is the transaction's time: postings are booked then.
func (tx *Tx[M]) Now() time.Time { return tx.now }

// View is the account as the transaction has left it so far.
func (tx *Tx[M]) View(id string) View { return tx.acct(id).view(tx.now) }

// book appends an entry: amount moves the balance, times never go back.
func (tx *Tx[M]) book(id string, a *account[M], at time.Time, amount int64, meta M) Entry[M] {
	if at.Before(a.Last) {
		at = a.Last
	}
	a.Last = at
	a.Balance += amount
	a.Seq++
	e := Entry[M]{ID: entryID(id, a.Seq), Account: id, Seq: a.Seq, At: at,
		Amount: Amount{amount, a.Unit}, Balance: Amount{a.Balance, a.Unit}, Meta: meta}
	tx.posted = append(tx.posted, e)
	return e
}

func (tx *Tx[M]) amount(a *account[M], amt Amount) (int64, error) {
	v, err := amt.In(a.Unit)
	return v.Value, err
}

// Post books amount (negative: a debit) now. A debit larger than what is
// available is ErrInsufficient, a credit past MaxBalance ErrOverflow. A limited
// posting counts toward the day's and month's usage.
func (tx *Tx[M]) Post(id string, amt Amount, limited bool, meta M) (Entry[M], error) {
	a := tx.acct(id)
	n, err := tx.amount(a, amt)
	if err != nil {
		return Entry[M]{}, err
	}
	if n < 0 && a.Balance+n-a.held() < 0 {
		return Entry[M]{}, ErrInsufficient
	}
	if err := a.room(n); err != nil {
		return Entry[M]{}, err
	}
	if limited {
		a.record(tx.now, max(n, -n))
	}
	return tx.book(id, a, tx.now, n, meta), nil
}

// PostAt books amount at `at`: now when it is due, else on the account's first
// use at or after it. Money due later is not available before then.
func (tx *Tx[M]) PostAt(id string, at time.Time, amt Amount, meta M) error {
	a := tx.acct(id)
	n, err := tx.amount(a, amt)
	if err != nil {
		return err
	}
	// Checked against the balance now: money due later is booked when due,
	// whatever the balance then (it comes from a debit of another account).
	if err := a.room(n); err != nil {
		return err
	}
	if !at.After(tx.now) {
		tx.book(id, a, at, n, meta)
		return nil
	}
	a.DueSeq++
	a.Pending++
	if a.NextDue.IsZero() || at.Before(a.NextDue) {
		a.NextDue = at
	}
	tx.dueAdd = append(tx.dueAdd, due[M]{Account: id, Seq: a.DueSeq, At: at, Amount: n, Meta: meta})
	return nil
}

func dueID(acct string, seq int64) string { return fmt.Sprintf("%s/d%012d", acct, seq) }

// Hold reserves amount (positive) under hold id; it fails with
// ErrInsufficient when the amount is not available.
func (tx *Tx[M]) Hold(id, hold string, amt Amount, limited bool) error {
	a := tx.acct(id)
	n, err := tx.amount(a, amt)
	if err != nil {
		return err
	}
	if n < 0 || a.Balance-a.held()-n < 0 {
		return ErrInsufficient
	}
	a.Holds = append(a.Holds, Hold{ID: hold, Amount: n, At: tx.now, Limited: limited})
	return nil
}

// HoldIn reserves room for amount (positive) coming in under hold id: it is
// not in the balance until captured, but counts toward usage and a cap. Room
// past MaxBalance (with the other incoming holds) is ErrOverflow.
func (tx *Tx[M]) HoldIn(id, hold string, amt Amount, limited bool) error {
	a := tx.acct(id)
	n, err := tx.amount(a, amt)
	if err != nil {
		return err
	}
	if n < 0 {
		return fmt.Errorf("ledger: hold of %s: negative amount", amt)
	}
	var incoming int64
	for _, h := range a.Holds {
		if h.Incoming {
			incoming += h.Amount
		}
	}
	if n > MaxBalance || a.room(incoming+n) != nil {
		return ErrOverflow
	}
	a.Holds = append(a.Holds, Hold{ID: hold, Amount: n, At: tx.now, Limited: limited, Incoming: true})
	return nil
}

// Release drops a hold and returns it.
func (tx *Tx[M]) Release(id, hold string) (Hold, error) {
	a := tx.acct(id)
	for i, h := range a.Holds {
		if h.ID == hold {
			a.Holds = slices.Delete(a.Holds, i, i+1)
			return h, nil
		}
	}
	return Hold{}, ErrNoHold
}

// Capture turns a hold into a posting of its amount (a debit, or a credit for
// an incoming hold) booked now; a limited hold's usage moves from the day it
// was placed to the day it is booked, as a bank counts a posted movement.
func (tx *Tx[M]) Capture(id, hold string, meta M) (Entry[M], error) {
	h, err := tx.Release(id, hold)
	if err != nil {
		return Entry[M]{}, err
	}
	a := tx.acct(id)
	if h.Limited {
		a.record(tx.now, h.Amount)
	}
	n := -h.Amount
	if h.Incoming {
		n = h.Amount // its room was checked when it was held
	}
	return tx.book(id, a, tx.now, n, meta), nil
}

// settle books what has fallen due by now, in time order (ties in the order
// they were scheduled), reading only those and the next one.
func (tx *Tx[M]) settle(id string, a *account[M]) {
	if a.Pending == 0 || a.NextDue.After(tx.now) {
		return
	}
	a.NextDue = time.Time{}
	tx.b.dueTime.Scan(tx.tenant, store.Prefix(id+"\x00"), func(r store.Row[due[M]]) bool {
		d := r.Value
		if d.At.After(tx.now) {
			a.NextDue = d.At
			return false
		}
		tx.book(id, a, d.At, d.Amount, d.Meta)
		tx.dueDel = append(tx.dueDel, r.ID)
		a.Pending--
		return true
	})
}

// Do runs fn on the accounts as of now (money due by now booked first), as one
// step: the accounts are locked, in a fixed order, until fn's changes are
// applied. When fn returns an error nothing changes.
func (b *Book[M]) Do(tenant string, now time.Time, accts []Account, fn func(*Tx[M]) error) error {
	for _, a := range accts {
		if !a.Opening.Unit.valid() {
			return fmt.Errorf("%w: account %s has no unit", ErrUnit, a.ID)
		}
	}
	order := slices.Clone(accts)
	sort.Slice(order, func(i, j int) bool { return order[i].ID < order[j].ID })
	order = slices.CompactFunc(order, func(x, y Account) bool { return x.ID == y.ID })
	tx := &Tx[M]{b: b, tenant: tenant, now: now, accts: make(map[string]*account[M], len(order))}
	var lock func(i int) error
	lock = func(i int) error {
		if i == len(order) {
			for _, a := range order {
				tx.settle(a.ID, tx.accts[a.ID])
			}
			if err := fn(tx); err != nil {
				return err
			}
			// Entries are stored while every account is still locked, so no
			// reader sees a balance without the entry that made it.
			for _, e := range tx.posted {
				b.entries.Insert(tenant, e.ID, e)
			}
			for _, d := range tx.dueAdd {
				b.dues.Insert(tenant, dueID(d.Account, d.Seq), d)
			}
			for _, id := range tx.dueDel {
				b.dues.Delete(tenant, id)
			}
			return nil
		}
		a := order[i]
		return b.accounts.Upsert(tenant, a.ID, func() account[M] {
			return account[M]{Unit: a.Opening.Unit, Balance: a.Opening.Value}
		}, func(row *account[M]) error {
			tx.accts[a.ID] = row
			return lock(i + 1)
		})
	}
	return lock(0)
}

// Posting is one idempotent movement for [Book.Post].
type Posting[M any] struct {
	Account Account
	Amount  Amount // negative: a debit
	Limited bool
	Meta    M
	// Key makes the posting idempotent within the tenant: a posting with a key
	// already used returns the entry the first one made and moves nothing.
	Key string
	// Check, when set, sees the account before the posting and may refuse it
	// (a limit, a frozen amount); its error is returned unchanged.
	Check func(View) error
}

// Post books p now. replay reports that p.Key had already posted: the entry is
// that first one.
func (b *Book[M]) Post(tenant string, now time.Time, p Posting[M]) (e Entry[M], replay bool, err error) {
	post := func() error {
		return b.Do(tenant, now, []Account{p.Account}, func(tx *Tx[M]) error {
			if p.Check != nil {
				if err := p.Check(tx.View(p.Account.ID)); err != nil {
					return err
				}
			}
			var err error
			e, err = tx.Post(p.Account.ID, p.Amount, p.Limited, p.Meta)
			return err
		})
	}
	if p.Key == "" {
		return e, false, post()
	}
	// The key's row is locked across the posting, so two postings with one key
	// are one after the other and the second finds the first's entry.
	err = b.keys.Upsert(tenant, p.Key, func() string { return "" }, func(id *string) error {
		if *id != "" {
			first, ok := b.entries.Get(tenant, *id)
			if !ok {
				return fmt.Errorf("ledger: key %q names lost entry %s", p.Key, *id)
			}
			e, replay = first, true
			return nil
		}
		if err := post(); err != nil {
			return err
		}
		*id = e.ID
		return nil
	})
	return e, replay, err
}

// Balance is the account as of now, with money due by then booked.
func (b *Book[M]) Balance(tenant string, now time.Time, a Account) (View, error) {
	var v View
	err := b.Do(tenant, now, []Account{a}, func(tx *Tx[M]) error {
		v = tx.View(a.ID)
		return nil
	})
	return v, err
}

// Peek is the account as last booked, without booking what has fallen due by
// now (a read that must not write); usage is counted as of now.
func (b *Book[M]) Peek(tenant string, now time.Time, a Account) View {
	if row, ok := b.accounts.Get(tenant, a.ID); ok {
		return row.view(now)
	}
	return View{Unit: a.Opening.Unit, Balance: a.Opening.Value}
}

// Query bounds a statement: entries at or after From and before To (a zero
// time is no bound), oldest first or, Reverse, newest first.
type Query struct {
	From, To time.Time
	Reverse  bool
}

// Statement books what is due by now, then calls fn with the account's entries
// in q, until fn returns false. Seeking the window costs O(log n); each entry
// read after that O(1).
func (b *Book[M]) Statement(tenant string, now time.Time, a Account, q Query, fn func(Entry[M]) bool) error {
	if _, err := b.Balance(tenant, now, a); err != nil {
		return err
	}
	r := store.Prefix(a.ID + "\x00")
	if !q.From.IsZero() {
		r.From = timeKey(a.ID, q.From, 0)
	}
	if !q.To.IsZero() {
		r.To = timeKey(a.ID, q.To, 0)
	}
	r.Reverse = q.Reverse
	b.byTime.Scan(tenant, r, func(row store.Row[Entry[M]]) bool { return fn(row.Value) })
	return nil
}

// Page is Statement's rows from offset, at most limit of them, that keep
// accepts (nil: all). It reads offset+limit matching entries, not the history.
func (b *Book[M]) Page(tenant string, now time.Time, a Account, q Query, offset, limit int, keep func(*Entry[M]) bool) ([]Entry[M], error) {
	out := []Entry[M]{}
	if limit <= 0 {
		return out, nil
	}
	skip := offset
	err := b.Statement(tenant, now, a, q, func(e Entry[M]) bool {
		if keep != nil && !keep(&e) {
			return true
		}
		if skip > 0 {
			skip--
			return true
		}
		out = append(out, e)
		return len(out) < limit
	})
	return out, err
}
