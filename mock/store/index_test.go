package store

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"sync"
	"testing"
)

type msg struct {
	At   int
	Ref  string
	Tags []string
}

func (m msg) Clone() msg { m.Tags = slices.Clone(m.Tags); return m }

func atKey(m msg) string { return fmt.Sprintf("%08d", m.At) }

func ids(t *testing.T, ix *Index[msg], tenant string, r Range) []string {
	t.Helper()
	var out []string
	ix.Scan(tenant, r, func(row Row[msg]) bool { out = append(out, row.ID); return true })
	return out
}

func TestIndexOrdersAndBounds(t *testing.T) {
	s := New()
	tb := NewTable[msg](s, "m")
	byAt := NewIndex(tb, atKey)
	for i, at := range []int{30, 10, 20, 10, 40} {
		tb.Insert("a", fmt.Sprint("r", i), msg{At: at})
	}
	tb.Insert("b", "other", msg{At: 15})
	for _, c := range []struct {
		r    Range
		want string
	}{
		{Range{}, "[r1 r3 r2 r0 r4]"}, // equal keys keep insertion order
		{Range{Reverse: true}, "[r4 r0 r2 r3 r1]"},
		{Range{From: "00000015", To: "00000040"}, "[r2 r0]"},
		{Range{From: "00000015", To: "00000040", Reverse: true}, "[r0 r2]"},
		{Range{From: "00000041"}, "[]"},
		{Range{To: "00000010", Reverse: true}, "[]"},
		{Prefix("0000001"), "[r1 r3]"},
	} {
		if got := fmt.Sprint(ids(t, byAt, "a", c.r)); got != c.want {
			t.Errorf("%+v: %s, want %s", c.r, got, c.want)
		}
	}
	// Moving a key, deleting, and the insertion-order scan.
	_ = tb.Update("a", "r1", func(m *msg) error { m.At = 50; return nil })
	tb.Delete("a", "r2")
	if got := fmt.Sprint(ids(t, byAt, "a", Range{})); got != "[r3 r0 r4 r1]" {
		t.Fatalf("after update and delete: %s", got)
	}
	var order []string
	tb.Scan("a", true, func(r Row[msg]) bool { order = append(order, r.ID); return len(order) < 2 })
	if fmt.Sprint(order) != "[r4 r3]" {
		t.Fatalf("reverse insertion order, stopped after 2: %v", order)
	}
	// A failed update moves nothing.
	_ = tb.Update("a", "r0", func(m *msg) error { m.At = 1; return ErrNotFound })
	if got := fmt.Sprint(ids(t, byAt, "a", Range{})); got != "[r3 r0 r4 r1]" {
		t.Fatalf("after a failed update: %s", got)
	}
	// Snapshot and restore rebuild the index; reset and Clear empty it.
	snap, err := s.Snapshot("a")
	if err != nil {
		t.Fatal(err)
	}
	tb.Clear("a")
	if got := ids(t, byAt, "a", Range{}); len(got) != 0 {
		t.Fatalf("after Clear: %v", got)
	}
	if err := s.Restore("a", snap); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ids(t, byAt, "a", Range{})); got != "[r3 r0 r4 r1]" {
		t.Fatalf("after restore: %s", got)
	}
	if got := fmt.Sprint(ids(t, byAt, "b", Range{})); got != "[other]" {
		t.Fatalf("tenant b: %s", got)
	}
}

// TestIndexMatchesASort drives many blocks' worth of random inserts, key moves
// and deletes, and checks every scan against a sort of the table.
func TestIndexMatchesASort(t *testing.T) {
	s := New()
	tb := NewTable[msg](s, "m")
	byAt := NewIndex(tb, atKey)
	rng := rand.New(rand.NewSource(1))
	live := map[string]int{}
	for i := 0; i < 5000; i++ {
		id := fmt.Sprint("r", rng.Intn(3000))
		switch op := rng.Intn(10); {
		case op < 6:
			at := i // mostly appends
			if rng.Intn(3) == 0 {
				at = rng.Intn(5000)
			}
			if tb.Insert("t", id, msg{At: at}) {
				live[id] = at
			}
		case op < 8:
			at := rng.Intn(5000)
			if tb.Update("t", id, func(m *msg) error { m.At = at; return nil }) == nil {
				live[id] = at
			}
		default:
			if tb.Delete("t", id) {
				delete(live, id)
			}
		}
	}
	var got []int
	byAt.Scan("t", Range{}, func(r Row[msg]) bool { got = append(got, r.Value.At); return true })
	var want []int
	for _, at := range live {
		want = append(want, at)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("scan has %d rows, table %d; orders differ", len(got), len(want))
	}
	var back []int
	byAt.Scan("t", Range{From: "00001000", To: "00002000", Reverse: true}, func(r Row[msg]) bool { back = append(back, r.Value.At); return true })
	var wantBack []int
	for i := len(want) - 1; i >= 0; i-- {
		if want[i] >= 1000 && want[i] < 2000 {
			wantBack = append(wantBack, want[i])
		}
	}
	if !slices.Equal(back, wantBack) {
		t.Fatalf("reverse range: %d rows, want %d", len(back), len(wantBack))
	}
}

// A scan's callback may update the table, and scans run beside writers.
func TestIndexConcurrent(t *testing.T) {
	s := New()
	tb := NewTable[msg](s, "m")
	byAt := NewIndex(tb, atKey)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				id := fmt.Sprint(w, "-", i)
				tb.Insert("t", id, msg{At: i})
				_ = tb.Update("t", id, func(m *msg) error { m.At = i + 1; return nil })
				if i%3 == 0 {
					tb.Delete("t", id)
				}
			}
		}(w)
	}
	for i := 0; i < 20; i++ {
		prev := -1
		byAt.Scan("t", Range{}, func(r Row[msg]) bool {
			_ = tb.Update("t", r.ID, func(m *msg) error { return nil })
			if r.Value.At < prev-1 {
				// Keys read later may have moved meanwhile, but never by more
				// than the one update each row gets.
				t.Errorf("scan went back from %d to %d", prev, r.Value.At)
			}
			prev = r.Value.At
			return true
		})
	}
	wg.Wait()
	if n := len(ids(t, byAt, "t", Range{})); n != tb.Len("t") {
		t.Fatalf("index has %d rows, table %d", n, tb.Len("t"))
	}
}

func TestIndexAfterRowsPanics(t *testing.T) {
	s := New()
	tb := NewTable[msg](s, "m")
	tb.Insert("t", "1", msg{})
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	NewIndex(tb, atKey)
}

// Rows appended in key order fill blocks to exactly blockMax with no spare
// capacity (each entry is one pointer), and deleting every row leaves no block.
func TestIndexBlocksCompact(t *testing.T) {
	s := New()
	tb := NewTable[msg](s, "m")
	NewIndex(tb, atKey)
	const n = 3*blockMax + 7
	for i := range n {
		tb.Insert("t", fmt.Sprint(i), msg{At: i})
	}
	sp := tb.space("t", false)
	for slot, o := range sp.idx {
		total := 0
		for bi, b := range o.blocks {
			total += len(b)
			if bi < len(o.blocks)-1 && (len(b) != blockMax || cap(b) != blockMax) {
				t.Fatalf("slot %d block %d: len %d cap %d, want %d", slot, bi, len(b), cap(b), blockMax)
			}
		}
		if total != n {
			t.Fatalf("slot %d holds %d entries, want %d", slot, total, n)
		}
	}
	for i := range n {
		tb.Delete("t", fmt.Sprint(i))
	}
	for slot, o := range sp.idx {
		if len(o.blocks) != 0 {
			t.Fatalf("slot %d keeps %d blocks after every row went", slot, len(o.blocks))
		}
	}
}

// Packed keys read back whole, whatever their length (lengths past 127 take two
// bytes) and however many a row has.
func TestPackedKeys(t *testing.T) {
	long := strings.Repeat("k", 300)
	fns := []func(string) string{
		func(string) string { return "" },
		func(v string) string { return v },
		func(string) string { return long },
		func(v string) string { return v + "\x00\xff" },
	}
	packed := packKeys(fns, "abc")
	for i, want := range []string{"", "abc", long, "abc\x00\xff"} {
		if got := keyAt(packed, i); got != want {
			t.Fatalf("key %d = %q (%d bytes), want %d bytes", i, got, len(got), len(want))
		}
	}
}

// Expire deletes the rows in range that the predicate accepts, judging each
// again at deletion, and reports each deleted row.
func TestIndexExpire(t *testing.T) {
	s := New()
	tb := NewTable[msg](s, "m")
	byAt := NewIndex(tb, atKey)
	for i := range 10 {
		tb.Insert("t", fmt.Sprint(i), msg{At: i})
	}
	var gone []int
	n := byAt.Expire("t", Range{To: atKey(msg{At: 6})}, func(m *msg) bool { return m.At%2 == 0 }, func(r Row[msg]) {
		gone = append(gone, r.Value.At)
	})
	if n != 3 || !slices.Equal(gone, []int{0, 2, 4}) || tb.Len("t") != 7 {
		t.Fatalf("expired %d %v, %d left", n, gone, tb.Len("t"))
	}
	if byAt.Expire("none", Range{}, func(*msg) bool { return true }, nil) != 0 {
		t.Fatal("expired rows of a tenant with none")
	}
}
