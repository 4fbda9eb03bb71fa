package scenario

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/lifecycle"
)

// Outcome is what a rule makes an operation do.
type Outcome string

const (
	Success Outcome = "success"
	Failure Outcome = "failure"
	Unknown Outcome = "unknown" // in doubt: the true result is fixed by Settle
)

// Fault is what happens to the reply on the wire, after the handler has run.
type Fault string

const (
	FaultNone    Fault = "none"
	FaultTimeout Fault = "timeout" // hold the connection, never answer
	FaultReset   Fault = "reset"   // close the connection without an answer
	Fault500     Fault = "http500"
	Fault502     Fault = "http502"
	Fault503     Fault = "http503"
	FaultGarbage Fault = "garbage" // 200 with a body no client can parse
)

// Settle fixes the true result of an in-doubt operation: after After has passed on
// the virtual clock, inquiries reveal To (with Code when To is failure).
type Settle struct {
	After time.Duration
	To    Outcome
	Code  string
}

// Decision is what the matcher hands a handler. The zero value is not valid; use
// Default().
type Decision struct {
	Outcome Outcome
	Code    string
	Latency time.Duration
	Fault   Fault
	Settle  *Settle
	// Steps is a lifecycle override, as written: only the provider resolves its
	// `at` keywords ("next-cycle"). Read it with Timeline.
	Steps []lifecycle.Spec
	Rule  string // names the deciding rule, "header" or "default"
}

// Default is the decision when nothing matched: success, no fault.
func Default() Decision { return Decision{Outcome: Success, Fault: FaultNone, Rule: "default"} }

// SettledAt reports the true outcome (and code) of an in-doubt decision made at
// start, as seen at now, and whether it is settled yet. A decision that is not in
// doubt is settled at once as itself. An unknown without Settle settles at once as
// success: the request went through, only the reply was lost.
func (d Decision) SettledAt(start, now time.Time) (Outcome, string, bool) {
	if d.Outcome != Unknown {
		return d.Outcome, d.Code, true
	}
	if d.Settle == nil {
		return Success, "", true
	}
	if now.Before(start.Add(d.Settle.After)) {
		return Unknown, d.Code, false
	}
	return d.Settle.To, d.Settle.Code, true
}

// Decided reports whether a header or a scenario rule made the decision, so a
// magic value must not override it.
func (d Decision) Decided() bool { return d.Rule != "" && d.Rule != "default" }

// Commits reports whether the operation's change takes effect: always, except an
// in-doubt call that settles as failed (answered, the answer lost, nothing done).
func (d Decision) Commits() bool {
	return d.Outcome != Unknown || d.Settle == nil || d.Settle.To != Failure
}

// VisibleAt is when a change made at start becomes visible to reads: at once, or
// at the settle time of an in-doubt call.
func (d Decision) VisibleAt(start time.Time) time.Time {
	if d.Outcome == Unknown && d.Settle != nil {
		return start.Add(d.Settle.After)
	}
	return start
}

// Timeline is the scenario's lifecycle override, nil when it names none.
func (d Decision) Timeline() []lifecycle.Spec { return d.Steps }
