// Package store keeps simulated provider state, namespaced by tenant so that
// parallel tests with different credentials never see each other.
//
// State lives in typed tables. Each row has its own lock, so concurrent updates to
// different rows never wait on each other and updates to one row are never lost;
// values are copied in and out, so no caller can change a row without its lock.
package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
)

// ErrNotFound is returned by Update for a missing row.
var ErrNotFound = errors.New("store: not found")

// Cloner lets a row type deep-copy itself when it holds slices or maps; rows that
// are plain values need nothing.
type Cloner[T any] interface{ Clone() T }

type table interface {
	reset(tenant string)
	resetAll()
	snapshot(tenant string) (json.RawMessage, error)
	// writeRows writes what snapshot returns to w, a row at a time.
	writeRows(w io.Writer, tenant string) error
	// prepare decodes and checks a tenant's rows without changing anything; the
	// returned commit puts them in place.
	prepare(tenant string, raw json.RawMessage) (commit func(), err error)
	apply(m Mutation) error
	Tenants() []string
	// retenant rewrites a snapshot's rows taken from tenant from for tenant to; raw
	// comes back unchanged when the table has no rows bound to their tenant.
	retenant(raw json.RawMessage, from, to string) (json.RawMessage, error)
}

// Retenanter is implemented by row types whose value records the tenant it belongs
// to (a client id, an API key, a business slug), so that a snapshot of one tenant
// restored into another does not keep pointing at the first. Retenant returns the
// row as it belongs in to, or keep false to leave it out of the restore: a row that
// is a credential issued to from (a signed token naming its client) cannot become
// to's, and kept it would let from's credential act as to.
type Retenanter[T any] interface {
	Retenant(from, to string) (v T, keep bool)
}

// Validator is implemented by row types that can tell an impossible row (a negative
// balance, say) from a possible one. Restore refuses a snapshot holding one.
type Validator interface{ Validate() error }

// Store is the set of tables. Tables register themselves when made.
type Store struct {
	mu     sync.RWMutex
	tables map[string]table
	order  []string
	log    atomic.Pointer[logRef] // nil: changes are not logged
}

// New returns an empty store.
func New() *Store { return &Store{tables: map[string]table{}} }

func (s *Store) register(name string, t table) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.tables[name]; dup {
		panic("store: table " + name + " registered twice")
	}
	s.tables[name] = t
	s.order = append(s.order, name)
}

func (s *Store) each(fn func(name string, t table) error) error {
	s.mu.RLock()
	names := append([]string(nil), s.order...)
	tables := make([]table, len(names))
	for i, n := range names {
		tables[i] = s.tables[n]
	}
	s.mu.RUnlock()
	for i, n := range names {
		if err := fn(n, tables[i]); err != nil {
			return err
		}
	}
	return nil
}

// Reset drops one tenant's state in every table.
func (s *Store) Reset(tenant string) {
	_ = s.each(func(_ string, t table) error { t.reset(tenant); return nil })
}

// ResetAll drops all state.
func (s *Store) ResetAll() {
	_ = s.each(func(_ string, t table) error { t.resetAll(); return nil })
}

// Snapshot is one tenant's state: table name → that table's rows.
type Snapshot map[string]json.RawMessage

// Snapshot copies one tenant's state out as JSON.
func (s *Store) Snapshot(tenant string) (Snapshot, error) {
	out := Snapshot{}
	err := s.each(func(name string, t table) error {
		raw, err := t.snapshot(tenant)
		if err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		if raw != nil {
			out[name] = raw
		}
		return nil
	})
	return out, err
}

// Restore replaces one tenant's state with snap. Tables absent from snap are
// emptied for that tenant. It is all or nothing: every table is decoded and checked
// first (a table name the store does not know, rows that do not decode, a duplicate
// id, a row its Validator refuses), and only when all pass is anything replaced.
func (s *Store) Restore(tenant string, snap Snapshot) error {
	return s.RestoreFrom(tenant, tenant, snap)
}

// RestoreFrom is Restore of a snapshot taken from tenant from ("" = tenant): when
// from is another tenant, every row passes through its table's retenant hook
// (OnRetenant, or the row type's Retenanter) before it is checked, so rows that
// name their tenant name the new one and credentials of from are left out.
func (s *Store) RestoreFrom(from, tenant string, snap Snapshot) error {
	if from == "" {
		from = tenant
	}
	s.mu.RLock()
	var unknown []string
	for name := range snap {
		if _, ok := s.tables[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	s.mu.RUnlock()
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("store: unknown table %q", unknown[0])
	}
	var commits []func()
	err := s.each(func(name string, t table) error {
		raw, ok := snap[name]
		if !ok {
			commits = append(commits, func() { t.reset(tenant) })
			return nil
		}
		if from != tenant {
			var err error
			if raw, err = t.retenant(raw, from, tenant); err != nil {
				return fmt.Errorf("table %s: %w", name, err)
			}
		}
		commit, err := t.prepare(tenant, raw)
		if err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		commits = append(commits, commit)
		return nil
	})
	if err != nil {
		return err
	}
	for _, commit := range commits {
		commit()
	}
	return nil
}

type row[T any] struct {
	mu  sync.Mutex
	seq uint64
	id  string // shares its bytes with the rows map's key
	// keys are the row's keys in the secondary indexes, as placed there, in one
	// string (see packKeys); guarded by the space's lock, not the row's.
	keys string
	v    T
}

// packKeys writes a row's secondary index keys into one string, each as its
// length (a uvarint) and its bytes: one allocation per row rather than a slice
// and its strings, since every stored row keeps them (issue 16 asks for compact
// rows). keyAt reads one back without allocating.
func packKeys[T any](keys []func(T) string, v T) string {
	var buf [64]byte
	b := buf[:0]
	for _, key := range keys {
		k := key(v)
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
	}
	return string(b)
}

// keyAt is key i of a packKeys string.
func keyAt(keys string, i int) string {
	for {
		var n uint64
		var shift uint
		w := 0
		for {
			c := keys[w]
			w++
			n |= uint64(c&0x7f) << shift
			if c < 0x80 {
				break
			}
			shift += 7
		}
		keys = keys[w:]
		if i == 0 {
			return keys[:n]
		}
		keys = keys[n:]
		i--
	}
}

type space[T any] struct {
	mu   sync.RWMutex
	rows map[string]*row[T]
	seq  uint64
	// idx[0] is insertion order; idx[i] orders rows by the table's keys[i].
	idx []ordered[T]
}

// Table holds rows of type T keyed by (tenant, id).
type Table[T any] struct {
	mu      sync.RWMutex
	tenants map[string]*space[T]
	clone   func(T) T
	// keys are the index key functions; keys[0] (insertion order) is nil.
	keys []func(T) string
	s    *Store // for its Log
	name string
	// move rewrites a row restored into another tenant (nil: rows carry no tenant).
	move func(v T, from, to string) (T, bool)
}

func (t *Table[T]) newSpace(n int) *space[T] {
	sp := &space[T]{rows: make(map[string]*row[T], n), idx: make([]ordered[T], len(t.keys))}
	for i := range sp.idx {
		sp.idx[i].slot = i
	}
	return sp
}

// newRow makes the row stored under id; the caller holds sp.mu and adds it to
// sp.rows and the indexes.
func (sp *space[T]) newRow(id string, v T) *row[T] {
	sp.seq++
	return &row[T]{seq: sp.seq, id: id, v: v}
}

// place adds r to the space's indexes; the caller holds sp.mu.
func (t *Table[T]) place(sp *space[T], r *row[T]) {
	if len(t.keys) > 1 {
		r.keys = packKeys(t.keys[1:], r.v)
	}
	for i := range sp.idx {
		sp.idx[i].insert(r)
	}
}

// unplace removes r from the space's indexes; the caller holds sp.mu.
func (t *Table[T]) unplace(sp *space[T], r *row[T]) {
	for i := range sp.idx {
		sp.idx[i].remove(r)
	}
}

// replace moves r in the indexes whose key changed; the caller holds r.mu, and
// r.v is its new value.
func (t *Table[T]) replace(sp *space[T], id string, r *row[T]) {
	if len(t.keys) == 1 {
		return
	}
	fresh := packKeys(t.keys[1:], r.v)
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.rows[id] != r || fresh == r.keys {
		return // deleted meanwhile, or no key changed
	}
	var moved []int
	for i := 1; i < len(sp.idx); i++ {
		if keyAt(fresh, i-1) != keyAt(r.keys, i-1) {
			sp.idx[i].remove(r) // by its old key
			moved = append(moved, i)
		}
	}
	r.keys = fresh
	for _, i := range moved {
		sp.idx[i].insert(r)
	}
}

// NewTable makes a table and registers it with s under name, which is also its key
// in snapshots.
func NewTable[T any](s *Store, name string) *Table[T] {
	t := &Table[T]{tenants: map[string]*space[T]{}, clone: func(v T) T { return v }, keys: []func(T) string{nil}, s: s, name: name}
	// Whether T deep-copies itself is decided once here, so plain rows never pay
	// for the interface check (and its allocation) on every read and write.
	var zero T
	if _, ok := any(zero).(Cloner[T]); ok {
		t.clone = func(v T) T { return any(v).(Cloner[T]).Clone() }
	}
	if _, ok := any(zero).(Retenanter[T]); ok {
		t.move = func(v T, from, to string) (T, bool) { return any(v).(Retenanter[T]).Retenant(from, to) }
	}
	s.register(name, t)
	return t
}

func (t *Table[T]) space(tenant string, create bool) *space[T] {
	t.mu.RLock()
	sp := t.tenants[tenant]
	t.mu.RUnlock()
	if sp != nil || !create {
		return sp
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if sp = t.tenants[tenant]; sp == nil {
		sp = t.newSpace(0)
		t.tenants[tenant] = sp
	}
	return sp
}

func (t *Table[T]) row(tenant, id string) *row[T] {
	sp := t.space(tenant, false)
	if sp == nil {
		return nil
	}
	sp.mu.RLock()
	defer sp.mu.RUnlock()
	return sp.rows[id]
}

// Get returns a copy of the row.
func (t *Table[T]) Get(tenant, id string) (T, bool) {
	r := t.row(tenant, id)
	if r == nil {
		var zero T
		return zero, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return t.clone(r.v), true
}

// Read calls fn with the row under its lock, without copying it, and reports
// whether the row exists: for hot paths that look at a field or two (is this token
// revoked?) and should not pay for a deep copy. fn must neither keep v nor change it.
func (t *Table[T]) Read(tenant, id string, fn func(v *T)) bool {
	r := t.row(tenant, id)
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(&r.v)
	return true
}

// Insert adds a row; it reports false and changes nothing when id exists.
func (t *Table[T]) Insert(tenant, id string, v T) bool {
	_, ok := t.insert(t.space(tenant, true), tenant, id, v)
	return ok
}

// insert adds a row made from v unless id exists, and returns the row that is
// there (nil when none was made) and whether it is the new one.
func (t *Table[T]) insert(sp *space[T], tenant, id string, v T) (*row[T], bool) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if r, ok := sp.rows[id]; ok {
		return r, false
	}
	r := sp.newRow(id, t.clone(v))
	sp.rows[id] = r
	t.place(sp, r)
	if l := t.logger(); l != nil {
		t.logPut(l, tenant, id, r)
	}
	return r, true
}

// Put inserts or replaces a row; a replaced row keeps its place in List order.
// Either way v is copied and logged once.
func (t *Table[T]) Put(tenant, id string, v T) {
	sp := t.space(tenant, true)
	r, created := t.insert(sp, tenant, id, v)
	if created {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.v = t.clone(v)
	t.replace(sp, id, r) // as update does, under the row's lock
	t.logUpdate(sp, tenant, id, r)
}

// Update changes a row in place under its lock. When fn returns an error the row is
// left as it was.
func (t *Table[T]) Update(tenant, id string, fn func(*T) error) error {
	sp := t.space(tenant, false)
	if sp == nil {
		return ErrNotFound
	}
	sp.mu.RLock()
	r := sp.rows[id]
	sp.mu.RUnlock()
	if r == nil {
		return ErrNotFound
	}
	return t.update(sp, tenant, id, r, fn, false)
}

// Upsert updates the row, creating it from init first when it does not exist. The
// creation and the update are one atomic step as seen by other callers of Upsert
// and Update on the same row.
func (t *Table[T]) Upsert(tenant, id string, init func() T, fn func(*T) error) error {
	sp := t.space(tenant, true)
	sp.mu.RLock()
	r := sp.rows[id]
	sp.mu.RUnlock()
	created := false
	if r == nil {
		sp.mu.Lock()
		if r = sp.rows[id]; r == nil {
			r = sp.newRow(id, t.clone(init()))
			sp.rows[id] = r
			t.place(sp, r)
			created = true
		}
		sp.mu.Unlock()
	}
	return t.update(sp, tenant, id, r, fn, created)
}

// update applies fn to the row. A row Upsert has just created (created) is
// logged here, once: with fn's change, or as made when fn fails, since the new
// row exists either way.
func (t *Table[T]) update(sp *space[T], tenant, id string, r *row[T], fn func(*T) error, created bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := t.clone(r.v)
	if err := fn(&v); err != nil {
		if created {
			t.logUpdate(sp, tenant, id, r)
		}
		return err
	}
	r.v = v
	// Under the row's lock, so two updates of one row move its index entries in
	// the order they changed it. (Lock order: row, then space; nothing takes a
	// row's lock while holding its space's.)
	t.replace(sp, id, r)
	t.logUpdate(sp, tenant, id, r)
	return nil
}

// Delete removes a row and reports whether it existed.
func (t *Table[T]) Delete(tenant, id string) bool {
	sp := t.space(tenant, false)
	if sp == nil {
		return false
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	r, ok := sp.rows[id]
	if ok {
		delete(sp.rows, id)
		t.unplace(sp, r)
		t.logOp(OpDelete, tenant, id)
	}
	return ok
}

// DeleteIf removes the row when drop, called with it under its lock, says so,
// and reports whether it did: a sweep that found a row finished deletes it only
// if it still is, with no write to it in between.
func (t *Table[T]) DeleteIf(tenant, id string, drop func(v *T) bool) bool {
	r := t.row(tenant, id)
	if r == nil {
		return false
	}
	sp := t.space(tenant, false)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !drop(&r.v) {
		return false
	}
	sp.mu.Lock() // row, then space: the store's lock order
	defer sp.mu.Unlock()
	if sp.rows[id] != r {
		return false // deleted or replaced meanwhile
	}
	delete(sp.rows, id)
	t.unplace(sp, r)
	t.logOp(OpDelete, tenant, id)
	return true
}

// Find looks id up in every tenant and returns the first tenant holding it, for
// rows reached by an id alone (a consent page's session, a bearer token whose
// claims do not name the tenant). It costs one map lookup per tenant.
func (t *Table[T]) Find(id string) (tenant string, v T, ok bool) {
	t.mu.RLock()
	spaces := make(map[string]*space[T], len(t.tenants))
	for tn, sp := range t.tenants {
		spaces[tn] = sp
	}
	t.mu.RUnlock()
	names := make([]string, 0, len(spaces))
	for tn := range spaces {
		names = append(names, tn)
	}
	sort.Strings(names) // deterministic when two tenants hold the same id
	for _, tn := range names {
		sp := spaces[tn]
		sp.mu.RLock()
		r := sp.rows[id]
		sp.mu.RUnlock()
		if r != nil {
			r.mu.Lock()
			v = t.clone(r.v)
			r.mu.Unlock()
			return tn, v, true
		}
	}
	return "", v, false
}

// Clear drops a tenant's rows ("" = every tenant's) in one step, however many.
func (t *Table[T]) Clear(tenant string) {
	if tenant == "" {
		t.resetAll()
		return
	}
	t.reset(tenant)
}

// Item is a row with its id, as List returns it.
type Item[T any] struct {
	ID    string
	Value T
}

// List returns copies of a tenant's rows in insertion order. It reads every row:
// a query that answers a page scans an index instead.
func (t *Table[T]) List(tenant string) []Item[T] {
	sp := t.space(tenant, false)
	if sp == nil {
		return nil
	}
	out := make([]Item[T], 0, t.Len(tenant))
	t.Scan(tenant, false, func(r Row[T]) bool {
		out = append(out, Item[T]{ID: r.ID, Value: r.Value})
		return true
	})
	return out
}

// Tenants lists, sorted, the tenants that have rows in this table.
func (t *Table[T]) Tenants() []string {
	t.mu.RLock()
	out := make([]string, 0, len(t.tenants))
	for tenant, sp := range t.tenants {
		sp.mu.RLock()
		if len(sp.rows) > 0 {
			out = append(out, tenant)
		}
		sp.mu.RUnlock()
	}
	t.mu.RUnlock()
	sort.Strings(out)
	return out
}

// Len counts a tenant's rows.
func (t *Table[T]) Len(tenant string) int {
	sp := t.space(tenant, false)
	if sp == nil {
		return 0
	}
	sp.mu.RLock()
	defer sp.mu.RUnlock()
	return len(sp.rows)
}

func (t *Table[T]) reset(tenant string) {
	t.mu.Lock()
	delete(t.tenants, tenant)
	t.logOp(OpClear, tenant, "")
	t.mu.Unlock()
}

func (t *Table[T]) resetAll() {
	t.mu.Lock()
	t.tenants = map[string]*space[T]{}
	t.logOp(OpClearAll, "", "")
	t.mu.Unlock()
}

// OnRetenant sets how a row of this table is rewritten when a snapshot taken from
// one tenant is restored into another (see Retenanter), for row types that cannot
// carry the method (strings, another package's types). It returns t.
func (t *Table[T]) OnRetenant(fn func(v T, from, to string) (T, bool)) *Table[T] {
	t.move = fn
	return t
}

// DropOnRetenant leaves every row of this table out of a restore into another
// tenant: for tables of credentials issued to the snapshot's tenant.
func (t *Table[T]) DropOnRetenant() *Table[T] {
	return t.OnRetenant(func(v T, _, _ string) (T, bool) { return v, false })
}

func (t *Table[T]) retenant(raw json.RawMessage, from, to string) (json.RawMessage, error) {
	if t.move == nil {
		return raw, nil
	}
	var rows []snapRow[T]
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, err
	}
	kept := rows[:0]
	for _, r := range rows {
		v, keep := t.move(r.Value, from, to)
		if keep {
			kept = append(kept, snapRow[T]{ID: r.ID, Value: v})
		}
	}
	return json.Marshal(kept)
}

type snapRow[T any] struct {
	ID    string `json:"id"`
	Value T      `json:"value"`
}

// writeRows streams a tenant's rows as snapshot writes them, encoding one row
// at a time into a reused buffer: a --data-dir compaction writes the whole
// state, which need not be in memory twice.
func (t *Table[T]) writeRows(w io.Writer, tenant string) error {
	var b []byte
	first := true
	var err error
	t.Scan(tenant, false, func(r Row[T]) bool {
		b = b[:0]
		if first {
			b = append(b, '[')
			first = false
		} else {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = AppendJSONString(b, r.ID)
		b = append(b, `,"value":`...)
		if b, err = encodeValue(b, &r.Value); err != nil {
			err = fmt.Errorf("row %q: %w", r.ID, err)
			return false
		}
		b = append(b, '}')
		_, err = w.Write(b)
		return err == nil
	})
	if err != nil {
		return err
	}
	if first {
		_, err = io.WriteString(w, "[]")
		return err
	}
	_, err = io.WriteString(w, "]")
	return err
}

// snapshot is a tenant's rows as JSON, nil when it has none.
func (t *Table[T]) snapshot(tenant string) (json.RawMessage, error) {
	if t.Len(tenant) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := t.writeRows(&buf, tenant); err != nil {
		return nil, err
	}
	if buf.Len() == 2 { // "[]": the last row went meanwhile
		return nil, nil
	}
	return buf.Bytes(), nil
}

func (t *Table[T]) prepare(tenant string, raw json.RawMessage) (func(), error) {
	var rows []snapRow[T]
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, err
	}
	sp := t.newSpace(len(rows))
	for _, r := range rows {
		if _, dup := sp.rows[r.ID]; dup {
			return nil, fmt.Errorf("duplicate id %q", r.ID)
		}
		if v, ok := any(r.Value).(Validator); ok {
			if err := v.Validate(); err != nil {
				return nil, fmt.Errorf("row %q: %w", r.ID, err)
			}
		}
		rw := sp.newRow(r.ID, r.Value)
		sp.rows[r.ID] = rw
		t.place(sp, rw)
	}
	return func() {
		t.mu.Lock()
		t.tenants[tenant] = sp
		t.logRestore(tenant, raw)
		t.mu.Unlock()
	}, nil
}

// Counter hands out per-tenant sequence numbers (message ids, trace numbers) that
// survive snapshot and restore.
type Counter struct{ t *Table[int64] }

// NewCounter makes a counter stored as table name.
func NewCounter(s *Store, name string) *Counter { return &Counter{NewTable[int64](s, name)} }

// Next returns the next number for (tenant, key), starting at start.
func (c *Counter) Next(tenant, key string, start int64) int64 {
	var n int64
	_ = c.t.Upsert(tenant, key, func() int64 { return start - 1 }, func(p *int64) error {
		*p++
		n = *p
		return nil
	})
	return n
}
