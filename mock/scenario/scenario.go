// Package scenario holds the model of QA scenarios, their strict loader, their
// validation against the operations a provider declares, and the matcher that turns
// a request into a Decision. It knows no provider and no HTTP server: the app feeds it
// an Input and an operation id.
package scenario

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"fmt"
	"strings"
	"time"
)

// Scenario is one named, ordered list of rules, usually one file.
type Scenario struct {
	Name        string
	Description string
	Rules       []Rule
	File        string // where it was loaded from; "" when built in code
	// Source is the text a scenario uploaded through the control plane was read
	// from, kept so that --data-dir can load it again after a restart; nil for
	// files, which are read again from where they are.
	Source []byte `json:"-"`

	nameLine int
}

// Rule is one line of a scenario. The first rule whose operation and predicates
// match decides.
type Rule struct {
	Operation string      // exact id (finnotech.chargeCard) or path.Match glob (finnotech.*)
	When      []Predicate // all must hold; in the order written
	Outcome   Outcome
	Code      string
	Latency   Latency
	Fault     Fault
	Settle    *Settle
	Times     int // the rule applies to this many matching requests per tenant; 0 = always
	Timeline  []lifecycle.Spec
	Line      int

	// lines of the rule's parts, keyed like the YAML ("code", "settle.code",
	// "timeline.2.at"), so Validate can point at the value itself rather than at the
	// rule. Missing for rules built in code; the rule's Line is used instead.
	lines map[string]int
}

// line is where key was written, or the rule's own line.
func (r *Rule) line(key string) int {
	if l, ok := r.lines[key]; ok {
		return l
	}
	return r.Line
}

// Latency delays the answer: by Min when Max is not above it, else by a value drawn
// uniformly from [Min, Max].
type Latency struct {
	Min, Max time.Duration
}

// IsGlob reports whether an operation pattern can match more than one id.
func IsGlob(op string) bool { return strings.ContainsAny(op, `*?[\`) }

// Error is a problem at one place in one file. Loading and validation report every
// problem they find, each as an Error, joined with errors.Join.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "<scenario>"
	}
	return fmt.Sprintf("%s:%d: %s", file, e.Line, e.Msg)
}
