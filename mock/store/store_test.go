package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

type account struct {
	Balance int64
	Tags    []string
}

func (a account) Clone() account {
	a.Tags = append([]string(nil), a.Tags...)
	return a
}

func TestTenantsAreIsolated(t *testing.T) {
	s := New()
	tb := NewTable[account](s, "accounts")
	tb.Insert("a", "1", account{Balance: 10})
	tb.Insert("b", "1", account{Balance: 20})
	if v, _ := tb.Get("a", "1"); v.Balance != 10 {
		t.Fatalf("tenant a sees %d", v.Balance)
	}
	s.Reset("a")
	if _, ok := tb.Get("a", "1"); ok {
		t.Fatal("reset of a left its row")
	}
	if v, ok := tb.Get("b", "1"); !ok || v.Balance != 20 {
		t.Fatal("reset of a touched b")
	}
	tb.Insert("c", "1", account{})
	if got := fmt.Sprint(tb.Tenants()); got != "[b c]" {
		t.Fatalf("Tenants after reset of a = %s", got)
	}
	s.ResetAll()
	if tb.Len("b") != 0 || len(tb.Tenants()) != 0 {
		t.Fatal("ResetAll left rows")
	}
}

func TestCopiesOut(t *testing.T) {
	s := New()
	tb := NewTable[account](s, "accounts")
	in := account{Tags: []string{"x"}}
	tb.Insert("t", "1", in)
	in.Tags[0] = "changed by caller"
	got, _ := tb.Get("t", "1")
	got.Tags[0] = "changed by reader"
	again, _ := tb.Get("t", "1")
	if again.Tags[0] != "x" {
		t.Fatalf("row changed without its lock: %q", again.Tags[0])
	}
}

func TestInsertPutUpdateDelete(t *testing.T) {
	s := New()
	tb := NewTable[int](s, "n")
	if !tb.Insert("t", "a", 1) || tb.Insert("t", "a", 2) {
		t.Fatal("Insert must refuse an existing id")
	}
	tb.Put("t", "b", 5)
	tb.Put("t", "a", 7)
	if got := tb.List("t"); len(got) != 2 || got[0].ID != "a" || got[0].Value != 7 || got[1].ID != "b" {
		t.Fatalf("List order or values wrong: %+v", got)
	}
	boom := errors.New("boom")
	if err := tb.Update("t", "a", func(p *int) error { *p = 100; return boom }); err != boom {
		t.Fatalf("Update error = %v", err)
	}
	if v, _ := tb.Get("t", "a"); v != 7 {
		t.Fatalf("failed Update changed the row to %d", v)
	}
	if err := tb.Update("t", "zz", func(*int) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Update of missing row = %v", err)
	}
	if !tb.Delete("t", "a") || tb.Delete("t", "a") {
		t.Fatal("Delete reports wrongly")
	}
}

// No update is lost when many goroutines change one row and create rows at once.
func TestConcurrentUpdates(t *testing.T) {
	s := New()
	tb := NewTable[account](s, "accounts")
	c := NewCounter(s, "seq")
	tb.Insert("t", "acc", account{Balance: 1000})
	var wg sync.WaitGroup
	ids := make(chan int64, 200)
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = tb.Update("t", "acc", func(a *account) error {
				if a.Balance < 7 {
					return errors.New("insufficient")
				}
				a.Balance -= 7
				return nil
			})
			_ = tb.Upsert("t", "created", func() account { return account{} }, func(a *account) error { a.Balance++; return nil })
			ids <- c.Next("t", "msg", 100)
		}()
	}
	wg.Wait()
	close(ids)
	acc, _ := tb.Get("t", "acc")
	if acc.Balance != 1000-7*142 { // 142 debits fit in 1000; the rest are refused
		t.Fatalf("balance %d", acc.Balance)
	}
	if cr, _ := tb.Get("t", "created"); cr.Balance != 200 {
		t.Fatalf("upsert lost updates: %d", cr.Balance)
	}
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] || id < 100 || id >= 300 {
			t.Fatalf("counter gave %d twice or out of range", id)
		}
		seen[id] = true
	}
}

func TestSnapshotRestore(t *testing.T) {
	s := New()
	tb := NewTable[account](s, "accounts")
	c := NewCounter(s, "seq")
	for i := 0; i < 3; i++ {
		tb.Insert("t", fmt.Sprint(i), account{Balance: int64(i), Tags: []string{"k"}})
	}
	c.Next("t", "msg", 1)
	snap, err := s.Snapshot("t")
	if err != nil {
		t.Fatal(err)
	}
	tb.Put("t", "1", account{Balance: 99})
	tb.Insert("t", "9", account{})
	c.Next("t", "msg", 1)
	if err := s.Restore("t", snap); err != nil {
		t.Fatal(err)
	}
	got := tb.List("t")
	if len(got) != 3 || got[1].Value.Balance != 1 || got[2].ID != "2" {
		t.Fatalf("restore gave %+v", got)
	}
	if n := c.Next("t", "msg", 1); n != 2 {
		t.Fatalf("counter after restore = %d, want 2", n)
	}
	if err := s.Restore("t", Snapshot{"nope": []byte("[]")}); err == nil {
		t.Fatal("unknown table accepted")
	}
	if err := s.Restore("t", Snapshot{"accounts": []byte("{")}); err == nil {
		t.Fatal("bad JSON accepted")
	}
	empty, _ := s.Snapshot("nobody")
	if len(empty) != 0 {
		t.Fatalf("snapshot of unknown tenant = %v", empty)
	}
}

func BenchmarkUpdate(b *testing.B) {
	s := New()
	tb := NewTable[int64](s, "n")
	tb.Insert("t", "a", 0)
	inc := func(p *int64) error { *p++; return nil }
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = tb.Update("t", "a", inc)
		}
	})
}

func TestFindAndRead(t *testing.T) {
	s := New()
	tb := NewTable[int](s, "n")
	tb.Put("b", "x", 2)
	tb.Put("a", "x", 1)
	tb.Put("b", "y", 3)
	if tn, v, ok := tb.Find("x"); !ok || tn != "a" || v != 1 {
		t.Fatalf("Find(x) = %q %d %v, want the first tenant in order", tn, v, ok)
	}
	if tn, v, ok := tb.Find("y"); !ok || tn != "b" || v != 3 {
		t.Fatalf("Find(y) = %q %d %v", tn, v, ok)
	}
	if _, _, ok := tb.Find("z"); ok {
		t.Fatal("Find of a missing id")
	}
	seen := 0
	if !tb.Read("b", "y", func(v *int) { seen = *v }) || seen != 3 {
		t.Fatalf("Read saw %d", seen)
	}
	if tb.Read("b", "z", func(*int) { t.Fatal("fn called for a missing row") }) {
		t.Fatal("Read of a missing row")
	}
	s.Reset("a")
	if tn, _, ok := tb.Find("x"); !ok || tn != "b" {
		t.Fatalf("after a reset Find(x) = %q %v", tn, ok)
	}
}

type wallet struct{ Balance int64 }

func (w wallet) Validate() error {
	if w.Balance < 0 {
		return fmt.Errorf("negative balance %d", w.Balance)
	}
	return nil
}

// Issue 16 item 6: a refused restore changes nothing, in any table, whichever table
// holds the fault; a row its type calls impossible is refused.
func TestRestoreIsAllOrNothing(t *testing.T) {
	s := New()
	first := NewTable[account](s, "a-first")
	wallets := NewTable[wallet](s, "b-wallets")
	last := NewTable[int64](s, "c-last")
	first.Insert("t", "1", account{Balance: 1})
	wallets.Insert("t", "w", wallet{Balance: 5})
	last.Insert("t", "n", 7)
	before, _ := s.Snapshot("t")

	for name, snap := range map[string]Snapshot{
		"bad JSON in the last table": {"a-first": []byte(`[{"id":"2","value":{"Balance":2}}]`), "c-last": []byte(`{`)},
		"negative balance":           {"a-first": []byte(`[]`), "b-wallets": []byte(`[{"id":"w","value":{"Balance":-1}}]`)},
		"duplicate id":               {"c-last": []byte(`[{"id":"n","value":1},{"id":"n","value":2}]`)},
		"unknown table":              {"a-first": []byte(`[]`), "zz": []byte(`[]`)},
	} {
		if err := s.Restore("t", snap); err == nil {
			t.Errorf("%s: accepted", name)
		}
		after, _ := s.Snapshot("t")
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("%s: refused restore changed the state:\n%s\nwas\n%s", name, after, before)
		}
	}
	if err := s.Restore("t", Snapshot{"b-wallets": []byte(`[{"id":"w","value":{"Balance":0}}]`)}); err != nil {
		t.Fatal(err)
	}
	if first.Len("t") != 0 || last.Len("t") != 0 || wallets.Len("t") != 1 {
		t.Fatal("an accepted restore must still empty the tables it leaves out")
	}
}

// grantRow names its tenant; a row naming another is left alone.
type grantRow struct{ Client string }

func (g grantRow) Retenant(from, to string) (grantRow, bool) {
	if g.Client == from {
		g.Client = to
	}
	return g, true
}

// TestRestoreFromAnotherTenant: rows that name their tenant are rewritten, tables
// of credentials dropped, other rows copied; the source tenant is untouched, and
// a restore into the same tenant rewrites nothing.
func TestRestoreFromAnotherTenant(t *testing.T) {
	s := New()
	grants := NewTable[grantRow](s, "grants")
	creds := NewTable[string](s, "creds").DropOnRetenant()
	plain := NewTable[int64](s, "plain")
	keys := NewTable[string](s, "keys").OnRetenant(func(v, from, to string) (string, bool) {
		return v + "@" + to, v != "drop"
	})
	grants.Put("a", "g1", grantRow{Client: "a"})
	grants.Put("a", "g2", grantRow{Client: "elsewhere"})
	creds.Put("a", "tok", "secret")
	plain.Put("a", "n", 7)
	keys.Put("a", "k1", "keep")
	keys.Put("a", "k2", "drop")
	snap, err := s.Snapshot("a")
	if err != nil {
		t.Fatal(err)
	}
	creds.Put("b", "old", "b's own")
	if err := s.RestoreFrom("a", "b", snap); err != nil {
		t.Fatal(err)
	}
	if g, _ := grants.Get("b", "g1"); g.Client != "b" {
		t.Fatalf("g1 in b names %q", g.Client)
	}
	if g, _ := grants.Get("b", "g2"); g.Client != "elsewhere" {
		t.Fatalf("g2 in b names %q", g.Client)
	}
	if creds.Len("b") != 0 {
		t.Fatalf("credentials in b: %v", creds.List("b"))
	}
	if n, _ := plain.Get("b", "n"); n != 7 {
		t.Fatalf("plain row %d", n)
	}
	if v, _ := keys.Get("b", "k1"); v != "keep@b" || keys.Len("b") != 1 {
		t.Fatalf("keys in b: %v", keys.List("b"))
	}
	if g, _ := grants.Get("a", "g1"); g.Client != "a" || creds.Len("a") != 1 {
		t.Fatal("the source tenant changed")
	}
	// Into the same tenant (from "" or the tenant itself) nothing is rewritten.
	for _, from := range []string{"", "a"} {
		if err := s.RestoreFrom(from, "a", snap); err != nil {
			t.Fatal(err)
		}
		if v, _ := creds.Get("a", "tok"); v != "secret" {
			t.Fatalf("from %q: credentials dropped on a restore into their own tenant", from)
		}
	}
	// A refused restore into another tenant still changes nothing.
	if err := s.RestoreFrom("a", "b", Snapshot{"grants": []byte(`[{"id":"x","value":1}]`)}); err == nil {
		t.Fatal("a row that does not decode was accepted")
	}
	if g, _ := grants.Get("b", "g1"); g.Client != "b" {
		t.Fatal("a refused restore changed b")
	}
}

type countLog struct {
	mu   sync.Mutex
	puts int
}

func (l *countLog) Append(m Mutation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m.Op == OpPut {
		l.puts++
	}
}

// A Put logs its row once, whether it makes the row or replaces it.
func TestPutLogsOnce(t *testing.T) {
	st := New()
	tb := NewTable[string](st, "t")
	l := &countLog{}
	st.SetLog(l)
	tb.Put("a", "x", "1")
	if l.puts != 1 {
		t.Fatalf("put of a new row logged %d times, want 1", l.puts)
	}
	tb.Put("a", "x", "2")
	if l.puts != 2 {
		t.Fatalf("put over a row logged %d times in all, want 2", l.puts)
	}
	if v, _ := tb.Get("a", "x"); v != "2" {
		t.Fatalf("got %q, want 2", v)
	}
}

// An Upsert that makes its row logs it once, with fn's change; when fn fails,
// once as made, since the row exists.
func TestUpsertLogsOnce(t *testing.T) {
	st := New()
	tb := NewTable[string](st, "t")
	var got []Mutation
	st.SetLog(logFunc(func(m Mutation) { got = append(got, m) }))
	_ = tb.Upsert("a", "x", func() string { return "0" }, func(p *string) error { *p = "1"; return nil })
	if len(got) != 1 || value(t, got[0]) != `"1"` {
		t.Fatalf("upsert of a new row logged %+v, want one put of \"1\"", got)
	}
	got = nil
	err := tb.Upsert("a", "y", func() string { return "0" }, func(p *string) error { *p = "1"; return errors.New("no") })
	if err == nil || len(got) != 1 || value(t, got[0]) != `"0"` {
		t.Fatalf("failed upsert of a new row: err %v, logged %+v, want one put of \"0\"", err, got)
	}
	got = nil
	_ = tb.Upsert("a", "y", func() string { return "0" }, func(p *string) error { return errors.New("no") })
	if len(got) != 0 {
		t.Fatalf("failed upsert of an existing row logged %+v", got)
	}
}

type logFunc func(Mutation)

func (f logFunc) Append(m Mutation) { f(m) }

// value is a logged Put's row as it is now (Append runs under the row's lock,
// so a log encodes later, as durable does).
func value(t *testing.T, m Mutation) string {
	t.Helper()
	if err := m.Encode(); err != nil {
		t.Fatal(err)
	}
	return string(m.Value)
}

// DeleteIf decides under the row's lock: a row changed so that it no longer
// qualifies stays, and one that qualifies goes with its index entries.
func TestDeleteIf(t *testing.T) {
	st := New()
	tb := NewTable[int](st, "n")
	ix := NewIndex(tb, func(v int) string { return fmt.Sprint(v) })
	tb.Insert("a", "x", 1)
	tb.Insert("a", "y", 2)
	if tb.DeleteIf("a", "x", func(v *int) bool { return *v == 2 }) {
		t.Fatal("deleted a row the predicate refused")
	}
	if !tb.DeleteIf("a", "y", func(v *int) bool { return *v == 2 }) || tb.Len("a") != 1 {
		t.Fatal("kept a row the predicate accepted")
	}
	if tb.DeleteIf("a", "y", func(*int) bool { return true }) || tb.DeleteIf("b", "x", func(*int) bool { return true }) {
		t.Fatal("deleted a missing row")
	}
	n := 0
	ix.Scan("a", Range{}, func(Row[int]) bool { n++; return true })
	if n != 1 {
		t.Fatalf("index holds %d rows, want 1", n)
	}
}
