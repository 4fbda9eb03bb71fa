package lifecycle

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder collects the keys that ran, in order.
type recorder struct {
	mu   sync.Mutex
	keys []string
}

func (r *recorder) fn(key string) func(time.Time) {
	return func(time.Time) {
		r.mu.Lock()
		r.keys = append(r.keys, key)
		r.mu.Unlock()
	}
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.keys)
}

func TestSchedulerOrder(t *testing.T) {
	s := NewScheduler()
	var r recorder
	s.Add("c", t0.Add(3*time.Minute), r.fn("c"))
	s.Add("a", t0.Add(1*time.Minute), r.fn("a"))
	s.Add("b1", t0.Add(2*time.Minute), r.fn("b1"))
	s.Add("b2", t0.Add(2*time.Minute), r.fn("b2"))
	s.Add("later", t0.Add(time.Hour), r.fn("later"))

	if n := s.RunDue(t0); n != 0 {
		t.Fatalf("RunDue(t0) = %d, want 0", n)
	}
	if d, ok := s.NextDue(); !ok || !d.Equal(t0.Add(time.Minute)) {
		t.Fatalf("NextDue = %v, %v", d, ok)
	}
	if n := s.RunDue(t0.Add(3 * time.Minute)); n != 4 {
		t.Fatalf("RunDue = %d, want 4", n)
	}
	if got, want := r.got(), []string{"a", "b1", "b2", "c"}; !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if n := s.RunDue(t0.Add(3 * time.Minute)); n != 0 {
		t.Fatalf("second RunDue = %d, want 0", n)
	}
	p := s.Pending()
	if len(p) != 1 || p[0].Key != "later" {
		t.Fatalf("Pending = %v", p)
	}
}

func TestSchedulerReplaceAndCancel(t *testing.T) {
	s := NewScheduler()
	var r recorder
	s.Add("x", t0.Add(time.Minute), r.fn("x-old"))
	s.Add("y", t0.Add(2*time.Minute), r.fn("y"))
	s.Add("z", t0.Add(3*time.Minute), r.fn("z"))
	s.Add("x", t0.Add(5*time.Minute), r.fn("x-new"))

	p := s.Pending()
	want := []Pending{{"y", t0.Add(2 * time.Minute)}, {"z", t0.Add(3 * time.Minute)}, {"x", t0.Add(5 * time.Minute)}}
	if len(p) != len(want) {
		t.Fatalf("Pending = %v", p)
	}
	for i := range want {
		if p[i].Key != want[i].Key || !p[i].Due.Equal(want[i].Due) {
			t.Fatalf("Pending = %v, want %v", p, want)
		}
	}

	if !s.Cancel("z") {
		t.Fatal("Cancel(z) = false")
	}
	if s.Cancel("z") || s.Cancel("nope") {
		t.Fatal("Cancel of a missing key = true")
	}
	if n := s.RunDue(t0.Add(time.Hour)); n != 2 {
		t.Fatalf("RunDue = %d, want 2", n)
	}
	if got, want := r.got(), []string{"y", "x-new"}; !slices.Equal(got, want) {
		t.Fatalf("ran %v, want %v", got, want)
	}
	if _, ok := s.NextDue(); ok {
		t.Fatal("NextDue ok on empty scheduler")
	}
	// A key can be reused once its item has run.
	s.Add("x", t0, r.fn("x-again"))
	if n := s.RunDue(t0); n != 1 {
		t.Fatalf("RunDue after reuse = %d", n)
	}
}

func TestSchedulerChaining(t *testing.T) {
	s := NewScheduler()
	var r recorder
	var chain func(i int) func(time.Time)
	chain = func(i int) func(time.Time) {
		return func(now time.Time) {
			r.fn(fmt.Sprint(i))(now)
			if i < 3 {
				// Due now: must run in the same RunDue call.
				s.Add(fmt.Sprint("chain", i+1), now, chain(i+1))
			}
		}
	}
	s.Add("chain0", t0, chain(0))
	// An fn may also schedule into the future and cancel others without deadlock.
	s.Add("future", t0, func(now time.Time) {
		s.Add("tomorrow", now.Add(24*time.Hour), r.fn("tomorrow"))
		s.Cancel("victim")
	})
	s.Add("victim", t0.Add(time.Second), r.fn("victim"))

	if n := s.RunDue(t0.Add(time.Second)); n != 5 {
		t.Fatalf("RunDue = %d, want 5 (got %v)", n, r.got())
	}
	if got, want := r.got(), []string{"0", "1", "2", "3"}; !slices.Equal(got, want) {
		t.Fatalf("ran %v, want %v", got, want)
	}
	if d, ok := s.NextDue(); !ok || !d.Equal(t0.Add(time.Second+24*time.Hour)) {
		t.Fatalf("NextDue = %v, %v", d, ok)
	}
}

func TestSchedulerConcurrentRunDue(t *testing.T) {
	const items, workers = 2000, 50
	s := NewScheduler()
	counts := make([]atomic.Int32, items)
	for i := range items {
		s.Add(fmt.Sprint(i), t0.Add(time.Duration(i%97)*time.Second), func(time.Time) { counts[i].Add(1) })
	}
	var total atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range workers {
		wg.Go(func() {
			<-start
			total.Add(int64(s.RunDue(t0.Add(time.Hour))))
		})
	}
	close(start)
	wg.Wait()
	if total.Load() != items {
		t.Fatalf("RunDue calls ran %d in all, want %d", total.Load(), items)
	}
	for i := range counts {
		if c := counts[i].Load(); c != 1 {
			t.Fatalf("item %d ran %d times", i, c)
		}
	}
}

func TestSchedulerNilFn(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Add with nil fn did not panic")
		}
	}()
	NewScheduler().Add("k", t0, nil)
}

func TestRunDueNothingDueAllocs(t *testing.T) {
	s := NewScheduler()
	s.Add("k", t0.Add(time.Hour), func(time.Time) {})
	if a := testing.AllocsPerRun(100, func() { s.RunDue(t0) }); a != 0 {
		t.Fatalf("RunDue with nothing due allocates %v per call", a)
	}
}

func BenchmarkRunDueNothingDue(b *testing.B) {
	s := NewScheduler()
	for i := range 1000 {
		s.Add(fmt.Sprint(i), t0.Add(time.Hour+time.Duration(i)*time.Second), func(time.Time) {})
	}
	b.ReportAllocs()
	for b.Loop() {
		s.RunDue(t0)
	}
}

func BenchmarkRunDueNothingDueParallel(b *testing.B) {
	s := NewScheduler()
	s.Add("k", t0.Add(time.Hour), func(time.Time) {})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.RunDue(t0)
		}
	})
}
