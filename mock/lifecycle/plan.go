// Package lifecycle models status machines whose status is computed on read from a
// plan fixed at creation, and the one scheduler that delivers due callbacks as the
// virtual clock moves. Nothing here runs in the background: callers pass the time in.
package lifecycle

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Step is one status a resource enters and the moment it enters it.
type Step struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

// Plan is a resource's whole future, sorted by At; the first step is the status it
// is created in. Steps may share an instant; the later one wins on read.
type Plan []Step

// StatusAt reports the status in force at t and since when. ok is false when t is
// before the plan begins (or the plan is empty), so callers can tell "not yet
// created" from a real status.
func (p Plan) StatusAt(t time.Time) (status string, since time.Time, ok bool) {
	i := sort.Search(len(p), func(i int) bool { return p[i].At.After(t) })
	if i == 0 {
		return "", time.Time{}, false
	}
	s := p[i-1]
	return s.Status, s.At, true
}

// Next reports the first step strictly after t: what an inquiry would see change
// next, and when.
func (p Plan) Next(t time.Time) (Step, bool) {
	i := sort.Search(len(p), func(i int) bool { return p[i].At.After(t) })
	if i == len(p) {
		return Step{}, false
	}
	return p[i], true
}

// Final is the status the resource ends in; the zero Step for an empty plan.
func (p Plan) Final() Step {
	if len(p) == 0 {
		return Step{}
	}
	return p[len(p)-1]
}

// Truncate ends the plan in status at `at`, dropping every step from `at` on: a
// cancel or reject overrides whatever the plan had in store. The result never
// shares memory with p, because plans live in the store and are read concurrently.
func (p Plan) Truncate(at time.Time, status string) Plan {
	i := sort.Search(len(p), func(i int) bool { return !p[i].At.Before(at) })
	out := make(Plan, i, i+1)
	copy(out, p[:i])
	return append(out, Step{Status: status, At: at})
}

// Spec is a step as a scenario or a provider's default timeline writes it. At is a Go
// duration from the plan's start ("0s", "90s", "2h") or a keyword that only the
// provider can resolve ("next-cycle", "next-business-day").
type Spec struct {
	Status string
	At     string
}

// Resolver turns a keyword into an instant. It gets the plan's start and the previous
// step's time because keywords such as "next-cycle" are relative to whichever the
// provider's rules say.
type Resolver func(keyword string, start, prev time.Time) (time.Time, error)

// Build resolves specs into a plan starting at start. Steps must not go back in time:
// a plan that did would make StatusAt disagree with the order the scenario author
// wrote, so it is an error rather than silently sorted.
func Build(start time.Time, specs []Spec, resolve Resolver) (Plan, error) {
	if len(specs) == 0 {
		return nil, errors.New("lifecycle: empty timeline")
	}
	plan := make(Plan, 0, len(specs))
	prev := start
	for i, sp := range specs {
		if sp.Status == "" {
			return nil, fmt.Errorf("lifecycle: step %d: empty status", i+1)
		}
		at, err := resolveAt(sp.At, start, prev, resolve)
		if err != nil {
			return nil, fmt.Errorf("lifecycle: step %d (%s): %w", i+1, sp.Status, err)
		}
		if i > 0 && at.Before(prev) {
			return nil, fmt.Errorf("lifecycle: step %d (%s) at %s is before step %d at %s",
				i+1, sp.Status, at.Format(time.RFC3339), i, prev.Format(time.RFC3339))
		}
		plan = append(plan, Step{Status: sp.Status, At: at})
		prev = at
	}
	return plan, nil
}

func resolveAt(at string, start, prev time.Time, resolve Resolver) (time.Time, error) {
	at = strings.TrimSpace(at)
	if at == "" {
		return time.Time{}, errors.New("empty time")
	}
	// Anything that starts like a number is meant as a duration, so a typo such as
	// "90x" is reported as a bad duration instead of an unknown keyword.
	if c := at[0]; c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') {
		d, err := time.ParseDuration(at)
		if err != nil {
			return time.Time{}, fmt.Errorf("bad duration %q", at)
		}
		if d < 0 {
			return time.Time{}, fmt.Errorf("negative duration %q: a step cannot precede the start", at)
		}
		return start.Add(d), nil
	}
	if resolve == nil {
		return time.Time{}, fmt.Errorf("unknown keyword %q", at)
	}
	t, err := resolve(at, start, prev)
	if err != nil {
		return time.Time{}, fmt.Errorf("keyword %q: %w", at, err)
	}
	return t, nil
}
