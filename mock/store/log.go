package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// A Log receives every change made to the store, in an order that replays to the
// same state: the changes to one row arrive in the order they were made (each is
// appended under the row's lock), and a row's removal after its last change. It is
// how --data-dir makes state outlive the process (package durable); without one
// the store pays a single atomic load per write.
//
// Append is called with store locks held: it must be quick and must not call back
// into the store.
type Log interface{ Append(m Mutation) }

// Op says what a Mutation does.
type Op byte

// The changes a Log sees. OpPut carries the row's whole value after the change,
// so replaying a Put twice, or on top of a snapshot that already holds it, ends
// in the same state.
const (
	OpPut      Op = 'p' // insert or replace Table/Tenant/ID with Value
	OpDelete   Op = 'd' // remove Table/Tenant/ID
	OpClear    Op = 'c' // drop Table's rows of Tenant
	OpClearAll Op = 'C' // drop all Table's rows
	OpRestore  Op = 'r' // replace Table's rows of Tenant with Value (a snapshot's rows)
)

// Mutation is one change, with the row's value as JSON.
//
// A Put reaches the log with Value nil and Row set: the row is encoded when the
// log calls Encode, off the request's path, and a log that gathers changes
// before writing them (a group commit) may write only the last of several Puts
// with the same Row, since each encodes the row as it is when encoded: every
// change made before included. A row updated by every request (a balance, an
// account's credit) then costs one encoding per commit, not one per request.
type Mutation struct {
	Op     Op              `json:"op"`
	Table  string          `json:"t"`
	Tenant string          `json:"n,omitempty"`
	ID     string          `json:"i,omitempty"`
	Value  json.RawMessage `json:"v,omitempty"`
	// Row identifies the row a Put changed (comparable; nil for other ops and
	// for Puts that carry their Value).
	Row any `json:"-"`
}

// rowEncoder is what a Mutation's Row is.
type rowEncoder interface {
	appendTo(b []byte) ([]byte, error)
}

// Encode fills Value of a Put that has none from its row, as the row is now.
func (m *Mutation) Encode() error {
	if m.Value != nil || m.Row == nil {
		return nil
	}
	raw, err := m.AppendValue(nil)
	if err != nil {
		return err
	}
	m.Value = raw
	return nil
}

// AppendValue appends the change's value to b: Value, or for a Put that has
// none its row as it is now, encoded straight into b (a log writing a batch
// then copies no row twice).
func (m *Mutation) AppendValue(b []byte) ([]byte, error) {
	if m.Value != nil || m.Row == nil {
		return append(b, m.Value...), nil
	}
	out, err := m.Row.(rowEncoder).appendTo(b)
	if err != nil {
		return b, fmt.Errorf("store: table %s: row %q does not encode: %w", m.Table, m.ID, err)
	}
	return out, nil
}

func (r *row[T]) appendTo(b []byte) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return encodeValue(b, &r.v)
}

type logRef struct{ l Log }

// SetLog makes every later change reach l; nil stops it. Set it after loading any
// saved state, so the load itself is not logged again.
func (s *Store) SetLog(l Log) {
	if l == nil {
		s.log.Store(nil)
		return
	}
	s.log.Store(&logRef{l})
}

// logger returns the store's log, nil when none.
func (t *Table[T]) logger() Log {
	if ref := t.s.log.Load(); ref != nil {
		return ref.l
	}
	return nil
}

// logPut logs that r was made or changed; its value is encoded when the log
// writes it (Mutation.Encode).
func (t *Table[T]) logPut(l Log, tenant, id string, r *row[T]) {
	l.Append(Mutation{Op: OpPut, Table: t.name, Tenant: tenant, ID: id, Row: r})
}

// logUpdate logs r's new value after update changed it, unless the row was
// deleted meanwhile (its removal is then logged already, and the update is lost in
// memory too). The caller holds r.mu; the space's read lock orders this entry
// against a Delete of the row.
func (t *Table[T]) logUpdate(sp *space[T], tenant, id string, r *row[T]) {
	l := t.logger()
	if l == nil {
		return
	}
	sp.mu.RLock()
	defer sp.mu.RUnlock()
	if sp.rows[id] != r {
		return
	}
	t.logPut(l, tenant, id, r)
}

func (t *Table[T]) logOp(op Op, tenant, id string) {
	if l := t.logger(); l != nil {
		l.Append(Mutation{Op: op, Table: t.name, Tenant: tenant, ID: id})
	}
}

func (t *Table[T]) logRestore(tenant string, raw json.RawMessage) {
	if l := t.logger(); l != nil {
		l.Append(Mutation{Op: OpRestore, Table: t.name, Tenant: tenant, Value: raw})
	}
}

// apply replays one logged change.
func (t *Table[T]) apply(m Mutation) error {
	switch m.Op {
	case OpPut:
		var v T
		if err := json.Unmarshal(m.Value, &v); err != nil {
			return err
		}
		sp := t.space(m.Tenant, true)
		sp.mu.Lock()
		defer sp.mu.Unlock()
		if r, ok := sp.rows[m.ID]; ok {
			t.unplace(sp, r) // by its old keys
			r.v = v
			t.place(sp, r)
			return nil
		}
		r := sp.newRow(m.ID, v)
		sp.rows[m.ID] = r
		t.place(sp, r)
	case OpDelete:
		t.Delete(m.Tenant, m.ID)
	case OpClear:
		t.reset(m.Tenant)
	case OpClearAll:
		t.resetAll()
	case OpRestore:
		commit, err := t.prepare(m.Tenant, m.Value)
		if err != nil {
			return err
		}
		commit()
	default:
		return fmt.Errorf("unknown op %q", m.Op)
	}
	return nil
}

// Apply replays a logged change into the store (with no Log set, or it is logged
// again).
func (s *Store) Apply(m Mutation) error {
	s.mu.RLock()
	t, ok := s.tables[m.Table]
	s.mu.RUnlock()
	if !ok {
		return fmt.Errorf("store: unknown table %q", m.Table)
	}
	if err := t.apply(m); err != nil {
		return fmt.Errorf("store: table %s: %w", m.Table, err)
	}
	return nil
}

// Dump is the whole store: table name → tenant → that tenant's rows, as
// Snapshot gives them.
type Dump map[string]map[string]json.RawMessage

// DumpAll copies every tenant's state out, table by table: what WriteDump
// writes, decoded. Writes may go on meanwhile: each row is copied under its
// lock, so the dump holds, for every row, a value it had at some moment during
// the call.
func (s *Store) DumpAll() (Dump, error) {
	var buf bytes.Buffer
	if err := s.WriteDump(&buf); err != nil {
		return nil, err
	}
	out := Dump{}
	return out, json.Unmarshal(buf.Bytes(), &out)
}

// WriteDump writes what DumpAll returns, as JSON (an object of tables, each an
// object of tenants, keys sorted), to w a row at a time, for a --data-dir
// snapshot of a large state. Each row is copied under its lock, as DumpAll's.
func (s *Store) WriteDump(w io.Writer) error {
	s.mu.RLock()
	names := append([]string(nil), s.order...)
	s.mu.RUnlock()
	sort.Strings(names)
	if _, err := io.WriteString(w, "{"); err != nil {
		return err
	}
	firstTable := true
	for _, name := range names {
		s.mu.RLock()
		t := s.tables[name]
		s.mu.RUnlock()
		tenants := t.Tenants()
		if len(tenants) == 0 {
			continue
		}
		sep := ","
		if firstTable {
			sep, firstTable = "", false
		}
		if _, err := w.Write(append(AppendJSONString([]byte(sep), name), ":{"...)); err != nil {
			return err
		}
		for i, tenant := range tenants {
			sep := ","
			if i == 0 {
				sep = ""
			}
			if _, err := w.Write(append(AppendJSONString([]byte(sep), tenant), ':')); err != nil {
				return err
			}
			if err := t.writeRows(w, tenant); err != nil {
				return fmt.Errorf("table %s: %w", name, err)
			}
		}
		if _, err := io.WriteString(w, "}"); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "}")
	return err
}

// LoadAll puts a Dump back, tenant by tenant, with Restore's checks. Tables the
// dump names that the store no longer has are an error.
func (s *Store) LoadAll(d Dump) error {
	byTenant := map[string]Snapshot{}
	for table, tenants := range d {
		for tenant, raw := range tenants {
			if byTenant[tenant] == nil {
				byTenant[tenant] = Snapshot{}
			}
			byTenant[tenant][table] = raw
		}
	}
	names := make([]string, 0, len(byTenant))
	for n := range byTenant {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, tenant := range names {
		if err := s.Restore(tenant, byTenant[tenant]); err != nil {
			return fmt.Errorf("tenant %q: %w", tenant, err)
		}
	}
	return nil
}
