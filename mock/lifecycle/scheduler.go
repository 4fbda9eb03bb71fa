package lifecycle

import (
	"container/heap"
	"sort"
	"sync"
	"time"
)

// Scheduler holds callbacks (webhooks, settlement notices) due at virtual times. It
// never runs anything by itself: the app calls RunDue on every request and every
// clock change, which is what lets tests advance the clock instead of sleeping.
type Scheduler struct {
	mu    sync.Mutex
	queue queue
	byKey map[string]*item
	seq   uint64
	// last is the latest time RunDue saw, to tell when the clock went back.
	last time.Time
	// every lists the items that repeat (Every), for re-anchoring.
	every []*item
}

// Pending describes one queued callback, for the control plane.
type Pending struct {
	Key string    `json:"key"`
	Due time.Time `json:"due"`
}

type item struct {
	key   string
	due   time.Time
	fn    func(now time.Time)
	seq   uint64 // keeps items due at the same instant in the order they were added
	index int
	// period, when not 0, makes the item repeat (Every).
	period time.Duration
}

// NewScheduler returns an empty scheduler.
func NewScheduler() *Scheduler {
	return &Scheduler{byKey: make(map[string]*item)}
}

// Add queues fn to run once the clock reaches due. A pending item with the same key
// is replaced, so re-deciding a resource's callback never delivers it twice. A nil fn
// panics here, where the mistake is, rather than later inside some unrelated request.
func (s *Scheduler) Add(key string, due time.Time, fn func(now time.Time)) {
	if fn == nil {
		panic("lifecycle: Scheduler.Add with nil fn")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	if it, ok := s.byKey[key]; ok {
		s.forget(it)
		it.due, it.fn, it.seq, it.period = due, fn, s.seq, 0
		heap.Fix(&s.queue, it.index)
		return
	}
	it := &item{key: key, due: due, fn: fn, seq: s.seq}
	heap.Push(&s.queue, it)
	s.byKey[key] = it
}

// Every queues fn to run every period of virtual time from now on, for as
// long as the scheduler lives: each run books the next one from the time it ran
// at, so a jump over many periods runs fn once. When the clock is moved back (a
// jump to the past, or state put back with an earlier clock, as a --data-dir
// start does) the next run is brought back to at most one period ahead, so it
// does not wait for the clock to reach where it was.
func (s *Scheduler) Every(key string, now time.Time, period time.Duration, fn func(now time.Time)) {
	if fn == nil || period <= 0 {
		panic("lifecycle: Scheduler.Every with nil fn or a period that is not positive")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.byKey[key]; ok {
		heap.Remove(&s.queue, old.index)
		s.forget(old)
	}
	// now counts as seen: a first RunDue earlier than it (a --data-dir start
	// putting back an earlier clock) is the clock going back.
	if now.After(s.last) {
		s.last = now
	}
	s.seq++
	it := &item{key: key, due: now.Add(period), fn: fn, seq: s.seq, period: period}
	heap.Push(&s.queue, it)
	s.byKey[key] = it
	s.every = append(s.every, it)
}

// forget drops it from the repeating items; the caller holds s.mu.
func (s *Scheduler) forget(it *item) {
	if it.period == 0 {
		return
	}
	for i, e := range s.every {
		if e == it {
			s.every = append(s.every[:i], s.every[i+1:]...)
			return
		}
	}
}

// Cancel drops a pending item and reports whether there was one.
func (s *Scheduler) Cancel(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.byKey[key]
	if !ok {
		return false
	}
	heap.Remove(&s.queue, it.index)
	delete(s.byKey, key)
	s.forget(it)
	return true
}

// RunDue runs every item due at or before now, earliest first, and returns how many
// it ran. Items are taken off the queue one at a time under the lock, so concurrent
// callers share the work and each item runs exactly once; fn runs without the lock so
// it may Add (an item it adds that is already due runs in this same call) or Cancel.
func (s *Scheduler) RunDue(now time.Time) int {
	n := 0
	for {
		fn := s.pop(now)
		if fn == nil {
			return n
		}
		fn(now)
		n++
	}
}

func (s *Scheduler) pop(now time.Time) func(time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.last) {
		for _, it := range s.every {
			if it.index >= 0 && it.due.After(now.Add(it.period)) {
				it.due = now.Add(it.period)
				heap.Fix(&s.queue, it.index)
			}
		}
	}
	s.last = now
	if len(s.queue) == 0 || s.queue[0].due.After(now) {
		return nil
	}
	it := heap.Pop(&s.queue).(*item)
	if it.period > 0 {
		// Booked again before it runs, from the time it runs at.
		s.seq++
		it.due, it.seq = now.Add(it.period), s.seq
		heap.Push(&s.queue, it)
		return it.fn
	}
	delete(s.byKey, it.key)
	return it.fn
}

// Pending lists queued items by due time.
func (s *Scheduler) Pending() []Pending {
	s.mu.Lock()
	items := make([]*item, len(s.queue))
	copy(items, s.queue)
	out := make([]Pending, len(items))
	sort.Slice(items, func(i, j int) bool { return items[i].less(items[j]) })
	for i, it := range items {
		out[i] = Pending{Key: it.key, Due: it.due}
	}
	s.mu.Unlock()
	return out
}

// NextDue reports when the earliest item is due, so the app can tell a user what the
// next clock advance will trigger.
func (s *Scheduler) NextDue() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		return time.Time{}, false
	}
	return s.queue[0].due, true
}

func (a *item) less(b *item) bool {
	if !a.due.Equal(b.due) {
		return a.due.Before(b.due)
	}
	return a.seq < b.seq
}

// queue is a min-heap of items for container/heap.
type queue []*item

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].less(q[j]) }
func (q queue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index = i
	q[j].index = j
}

func (q *queue) Push(x any) {
	it := x.(*item)
	it.index = len(*q)
	*q = append(*q, it)
}

func (q *queue) Pop() any {
	old := *q
	n := len(old)
	it := old[n-1]
	old[n-1] = nil // let the popped item (and its closure) be collected
	it.index = -1
	*q = old[:n-1]
	return it
}
