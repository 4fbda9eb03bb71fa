package scenario

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Set holds the known scenarios, which one is active globally and per tenant, and
// the counters of rules with `times`. It is safe for concurrent use.
//
// Readers (Decide, on every request) load an immutable snapshot and take no lock;
// writers (the control plane, reloads) copy the snapshot under a mutex. Writes are
// rare and small, so copying is cheaper overall than locking every request.
type Set struct {
	mu    sync.Mutex // serialises writers
	state atomic.Pointer[state]

	rngMu sync.Mutex
	rng   *rand.Rand
}

type state struct {
	byName  map[string]*entry
	global  string
	tenants map[string]string
}

func (st *state) clone() *state {
	c := &state{
		byName:  make(map[string]*entry, len(st.byName)+1),
		global:  st.global,
		tenants: make(map[string]string, len(st.tenants)),
	}
	for k, v := range st.byName {
		c.byName[k] = v
	}
	for k, v := range st.tenants {
		c.tenants[k] = v
	}
	return c
}

// entry is a scenario as the matcher uses it. A scenario that is added again gets
// a new entry, and with it fresh `times` counters: its rules may have changed.
type entry struct {
	sc    *Scenario
	src   string   // directory it was loaded from by ReplaceFiles; "" when added by Add
	names []string // Decision.Rule of each rule, made once rather than per request
	glob  []bool

	mu     sync.Mutex
	counts map[use]int
}

// use counts matches of one rule by one tenant.
type use struct {
	rule   int
	tenant string
}

func newEntry(sc *Scenario, src string) *entry {
	e := &entry{sc: sc, src: src, names: make([]string, len(sc.Rules)), glob: make([]bool, len(sc.Rules)), counts: map[use]int{}}
	for i, r := range sc.Rules {
		e.names[i] = sc.Name + "#" + strconv.Itoa(i+1)
		e.glob[i] = IsGlob(r.Operation)
	}
	return e
}

// take reports whether the rule may still apply for tenant, and counts the use.
func (e *entry) take(rule, times int, tenant string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := use{rule, tenant}
	if e.counts[k] >= times {
		return false
	}
	e.counts[k]++
	return true
}

// NewSet makes an empty set; seed fixes the sequence of latencies drawn from ranges.
func NewSet(seed int64) *Set {
	s := &Set{rng: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15))}
	s.state.Store(&state{byName: map[string]*entry{}, tenants: map[string]string{}})
	return s
}

func (s *Set) update(f func(st *state) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state.Load().clone()
	if err := f(st); err != nil {
		return err
	}
	s.state.Store(st)
	return nil
}

// Add adds sc, replacing a scenario of the same name. sc must not be changed
// afterwards.
func (s *Set) Add(sc *Scenario) {
	if sc == nil {
		return
	}
	_ = s.update(func(st *state) error {
		st.byName[sc.Name] = newEntry(sc, "")
		return nil
	})
}

// Remove forgets a scenario and clears the activations that name it: a removed
// scenario must not silently come back active when one of its name is added later.
func (s *Set) Remove(name string) bool {
	found := false
	_ = s.update(func(st *state) error {
		if _, found = st.byName[name]; !found {
			return errors.New("absent")
		}
		delete(st.byName, name)
		if st.global == name {
			st.global = ""
		}
		for t, n := range st.tenants {
			if n == name {
				delete(st.tenants, t)
			}
		}
		return nil
	})
	return found
}

// Get finds a scenario by name.
func (s *Set) Get(name string) (*Scenario, bool) {
	e, ok := s.state.Load().byName[name]
	if !ok {
		return nil, false
	}
	return e.sc, true
}

// List returns the scenarios sorted by name.
func (s *Set) List() []*Scenario {
	st := s.state.Load()
	out := make([]*Scenario, 0, len(st.byName))
	for _, e := range st.byName {
		out = append(out, e.sc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Activate makes a scenario the active one of tenant, or the global one when
// tenant is "".
func (s *Set) Activate(name, tenant string) error {
	return s.update(func(st *state) error {
		if _, ok := st.byName[name]; !ok {
			return fmt.Errorf("unknown scenario %q", name)
		}
		if tenant == "" {
			st.global = name
		} else {
			st.tenants[tenant] = name
		}
		return nil
	})
}

// Deactivate clears the active scenario of tenant, or the global one when tenant
// is "".
func (s *Set) Deactivate(tenant string) {
	_ = s.update(func(st *state) error {
		if tenant == "" {
			st.global = ""
		} else {
			delete(st.tenants, tenant)
		}
		return nil
	})
}

// Active reports the global active scenario ("" if none) and those of tenants.
func (s *Set) Active() (global string, tenants map[string]string) {
	st := s.state.Load()
	tenants = make(map[string]string, len(st.tenants))
	for k, v := range st.tenants {
		tenants[k] = v
	}
	return st.global, tenants
}

// ResetCounts starts the `times` counters of tenant over, or of all tenants when
// tenant is "".
func (s *Set) ResetCounts(tenant string) {
	for _, e := range s.state.Load().byName {
		e.mu.Lock()
		if tenant == "" {
			clear(e.counts)
		} else {
			for k := range e.counts {
				if k.tenant == tenant {
					delete(e.counts, k)
				}
			}
		}
		e.mu.Unlock()
	}
}

// ReplaceFiles swaps the scenarios that came from dir for scs, as a reload does.
// Scenarios added by Add or from other directories stay, and win over a file
// scenario of the same name: a reload must not undo what a test set through the
// control plane. Activations stay too, so a scenario that comes back after an edit
// is still active.
func (s *Set) ReplaceFiles(dir string, scs []*Scenario) {
	_ = s.update(func(st *state) error {
		for name, e := range st.byName {
			if e.src == dir {
				delete(st.byName, name)
			}
		}
		for _, sc := range scs {
			if sc == nil {
				continue
			}
			if _, taken := st.byName[sc.Name]; taken {
				continue
			}
			st.byName[sc.Name] = newEntry(sc, dir)
		}
		return nil
	})
}

// Decide picks the decision for one request to operation op. The scenario is
// override (from X-Sandbank-Scenario) when it names a known one, else the tenant's
// active scenario, else the global one; without any, it is Default(). The error
// reports only an override naming no scenario, in which case the decision is made
// as if there were no override.
func (s *Set) Decide(op string, in Input, override string) (Decision, error) {
	st := s.state.Load()
	var (
		e   *entry
		err error
	)
	if override != "" {
		if e = st.byName[override]; e == nil {
			err = fmt.Errorf("unknown scenario %q", override)
		}
	}
	if e == nil && len(st.tenants) > 0 {
		if name, ok := st.tenants[in.Tenant()]; ok {
			e = st.byName[name]
		}
	}
	if e == nil && st.global != "" {
		e = st.byName[st.global]
	}
	if e == nil {
		return Default(), err
	}
	return s.decide(e, op, in), err
}

func (s *Set) decide(e *entry, op string, in Input) Decision {
	for i := range e.sc.Rules {
		r := &e.sc.Rules[i]
		if e.glob[i] {
			if ok, _ := path.Match(r.Operation, op); !ok {
				continue
			}
		} else if r.Operation != op {
			continue
		}
		if !holdAll(r.When, in) {
			continue
		}
		if r.Times > 0 && !e.take(i, r.Times, in.Tenant()) {
			continue
		}
		return s.decision(r, e.names[i])
	}
	return Default()
}

func holdAll(ps []Predicate, in Input) bool {
	for i := range ps {
		if !ps[i].holds(in) {
			return false
		}
	}
	return true
}

func (s *Set) decision(r *Rule, name string) Decision {
	d := Decision{
		Outcome: outcomeOrDefault(r.Outcome),
		Code:    r.Code,
		Latency: s.latency(r.Latency),
		Fault:   r.Fault,
		Rule:    name,
	}
	if d.Fault == "" {
		d.Fault = FaultNone
	}
	// Copies, so that a handler changing its decision cannot change the rule.
	if r.Settle != nil {
		st := *r.Settle
		d.Settle = &st
	}
	if len(r.Timeline) > 0 {
		d.Steps = slices.Clone(r.Timeline)
	}
	return d
}

func (s *Set) latency(l Latency) time.Duration {
	if l.Min < 0 {
		l.Min = 0
	}
	if l.Max <= l.Min {
		return l.Min
	}
	span := int64(l.Max - l.Min)
	if span < math.MaxInt64 {
		span++ // Max itself can be drawn
	}
	s.rngMu.Lock()
	n := s.rng.Int64N(span)
	s.rngMu.Unlock()
	return l.Min + time.Duration(n)
}
