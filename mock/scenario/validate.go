package scenario

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
)

// OpSpec is what one operation accepts from a scenario or an outcome header.
type OpSpec struct {
	Failures   []string // codes of documented failures
	Unknown    []string // codes of its in-doubt answers
	Statuses   []string // lifecycle statuses a timeline may name
	AtKeywords []string // lifecycle times besides durations ("next-cycle")
}

// Catalog maps operation ids to what they accept.
type Catalog map[string]OpSpec

// Validate checks a loaded scenario against the operations that exist: ids, codes,
// statuses and times, and the checks that need no catalogue (times, latency,
// settle). It reports every problem, joined.
func (s *Scenario) Validate(cat Catalog) error {
	v := validator{file: s.File}
	if !validName(s.Name) {
		v.errf(max(s.nameLine, 1), "name %q: use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit", s.Name)
	}
	for i := range s.Rules {
		v.rule(&s.Rules[i], i+1, cat)
	}
	return errors.Join(v.errs...)
}

type validator struct {
	file string
	errs []error
}

func (v *validator) errf(line int, format string, args ...any) {
	v.errs = append(v.errs, &Error{File: v.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

type namedSpec struct {
	id   string
	spec OpSpec
}

// Match lists the operations of the catalogue that an exact id or glob names,
// sorted.
func (c Catalog) Match(op string) []string {
	if !IsGlob(op) {
		if _, ok := c[op]; ok {
			return []string{op}
		}
		return nil
	}
	var out []string
	for id := range c {
		if ok, _ := path.Match(op, id); ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func (v *validator) rule(r *Rule, n int, cat Catalog) {
	where := fmt.Sprintf("rule %d", n)
	ids := cat.Match(r.Operation)
	if len(ids) == 0 {
		line := r.line("operation")
		if IsGlob(r.Operation) {
			v.errf(line, "%s: operation pattern %q matches no operation", where, r.Operation)
		} else {
			v.errf(line, "%s: unknown operation %q%s", where, r.Operation, suggest(cat, r.Operation))
		}
	}
	ops := make([]namedSpec, len(ids))
	for i, id := range ids {
		ops[i] = namedSpec{id, cat[id]}
	}

	if msg := checkOutcome(ops, r.Outcome, r.Code); msg != "" {
		line := r.line("code")
		if r.Code == "" {
			line = r.line("outcome")
		}
		v.errf(line, "%s: %s", where, msg)
	}
	if !validFault(r.Fault) && r.Fault != "" {
		v.errf(r.line("fault"), "%s: fault %q (valid: %s)", where, r.Fault, faultChoices)
	}
	if r.Times < 0 {
		v.errf(r.line("times"), "%s: times %d must not be negative (0 = every time)", where, r.Times)
	}
	if r.Latency.Min < 0 || r.Latency.Max < 0 {
		v.errf(r.line("latency"), "%s: latency must not be negative", where)
	} else if r.Latency.Max < r.Latency.Min {
		v.errf(r.line("latency"), "%s: latency min %v is above max %v", where, r.Latency.Min, r.Latency.Max)
	}
	if r.Settle != nil {
		if r.Outcome != Unknown {
			v.errf(r.line("settle"), "%s: settle needs outcome unknown, not %s", where, outcomeOrDefault(r.Outcome))
		}
		for _, p := range checkSettle(ops, r.Settle) {
			v.errf(r.line(p.key), "%s: %s", where, p.msg)
		}
	}
	if len(r.Timeline) > 0 {
		for _, op := range ops {
			if len(op.spec.Statuses) == 0 {
				v.errf(r.line("timeline"), "%s: %s has no lifecycle to override with a timeline", where, op.id)
				return
			}
		}
	}
	for i, st := range r.Timeline {
		v.step(r, i, st, ops, where)
	}
}

func (v *validator) step(r *Rule, i int, st lifecycle.Spec, ops []namedSpec, where string) {
	prefix := fmt.Sprintf("timeline.%d.", i)
	for _, op := range ops {
		if !slices.Contains(op.spec.Statuses, st.Status) {
			v.errf(r.line(prefix+"status"), "%s: timeline status %q is not a status of %s (valid: %s)", where, st.Status, op.id, choices(op.spec.Statuses))
			break
		}
	}
	if d, err := time.ParseDuration(st.At); err == nil {
		if d < 0 {
			v.errf(r.line(prefix+"at"), "%s: timeline at %q must not be negative", where, st.At)
		}
		return
	}
	for _, op := range ops {
		if !slices.Contains(op.spec.AtKeywords, st.At) {
			valid := "a duration like 30s"
			if len(op.spec.AtKeywords) > 0 {
				valid += ", " + choices(op.spec.AtKeywords)
			}
			v.errf(r.line(prefix+"at"), "%s: timeline at %q is neither a duration nor a time %s knows (valid: %s)", where, st.At, op.id, valid)
			break
		}
	}
}

func outcomeOrDefault(o Outcome) Outcome {
	if o == "" {
		return Success
	}
	return o
}

// checkOutcome is the code check shared by Validate and CheckDecision; "" means
// fine.
func checkOutcome(ops []namedSpec, o Outcome, code string) string {
	switch outcomeOrDefault(o) {
	case Success:
		if code != "" {
			return fmt.Sprintf("outcome success takes no code (got %q)", code)
		}
	case Failure:
		if code == "" {
			for _, op := range ops {
				return fmt.Sprintf("outcome failure needs a code (valid for %s: %s)", op.id, choices(op.spec.Failures))
			}
			return "outcome failure needs a code"
		}
		for _, op := range ops {
			if !slices.Contains(op.spec.Failures, code) {
				return fmt.Sprintf("code %q is not a failure of %s (valid: %s)", code, op.id, choices(op.spec.Failures))
			}
		}
	case Unknown:
		if code == "" {
			return ""
		}
		for _, op := range ops {
			if !slices.Contains(op.spec.Unknown, code) {
				return fmt.Sprintf("code %q is not an in-doubt answer of %s (valid: %s)", code, op.id, choices(op.spec.Unknown))
			}
		}
	default:
		return fmt.Sprintf("outcome %q (valid: success, failure, unknown)", o)
	}
	return ""
}

type problem struct{ key, msg string }

func checkSettle(ops []namedSpec, s *Settle) []problem {
	var out []problem
	if s.After < 0 {
		out = append(out, problem{"settle.after", fmt.Sprintf("settle.after %v must not be negative", s.After)})
	}
	switch s.To {
	case Success:
		if s.Code != "" {
			out = append(out, problem{"settle.code", fmt.Sprintf("settle to success takes no code (got %q)", s.Code)})
		}
	case Failure:
		if msg := checkOutcome(ops, Failure, s.Code); msg != "" {
			key := "settle.code"
			if s.Code == "" {
				key = "settle.to"
			}
			out = append(out, problem{key, "settle: " + msg})
		}
	default:
		out = append(out, problem{"settle.to", fmt.Sprintf("settle.to %q (valid: success, failure)", s.To)})
	}
	return out
}

// ParseOutcomeHeader reads X-Sandbank-Outcome: success, failure:CODE, unknown or
// unknown:CODE, optionally followed by "; settle=success@10m" or
// "; settle=failure:CODE@10m", so one request can be in doubt and resolve later
// without a scenario file. The outcome word is read in any case, the code as written.
func ParseOutcomeHeader(v string) (Decision, error) {
	head, tail, hasTail := strings.Cut(v, ";")
	word, code, hasCode := strings.Cut(strings.TrimSpace(head), ":")
	code = strings.TrimSpace(code)
	o, ok := parseOutcome(strings.ToLower(strings.TrimSpace(word)))
	if !ok {
		return Decision{}, fmt.Errorf("outcome %q: expected success, failure:CODE, unknown or unknown:CODE", v)
	}
	if hasCode && code == "" {
		return Decision{}, fmt.Errorf("outcome %q: empty code after ':'", v)
	}
	switch {
	case o == Success && hasCode:
		return Decision{}, fmt.Errorf("outcome %q: success takes no code", v)
	case o == Failure && !hasCode:
		return Decision{}, fmt.Errorf("outcome %q: failure needs a code, as in failure:CODE", v)
	}
	d := Default()
	d.Outcome, d.Code, d.Rule = o, code, "header"
	if hasTail {
		st, err := parseSettleParam(tail)
		if err != nil {
			return Decision{}, fmt.Errorf("outcome %q: %w", v, err)
		}
		if o != Unknown {
			return Decision{}, fmt.Errorf("outcome %q: settle needs outcome unknown", v)
		}
		d.Settle = st
	}
	return d, nil
}

// parseSettleParam reads "settle=<success|failure:CODE>[@<duration>]".
func parseSettleParam(p string) (*Settle, error) {
	key, val, ok := strings.Cut(strings.TrimSpace(p), "=")
	if !ok || strings.TrimSpace(key) != "settle" {
		return nil, fmt.Errorf("expected settle=success@10m or settle=failure:CODE@10m after ';'")
	}
	val, after, hasAfter := strings.Cut(strings.TrimSpace(val), "@")
	to, code, hasCode := strings.Cut(val, ":")
	st := &Settle{To: Outcome(strings.ToLower(strings.TrimSpace(to))), Code: strings.TrimSpace(code)}
	if st.To != Success && st.To != Failure {
		return nil, fmt.Errorf("settle to %q (valid: success, failure)", to)
	}
	if hasCode && st.Code == "" {
		return nil, fmt.Errorf("settle: empty code after ':'")
	}
	if hasAfter {
		dur, err := time.ParseDuration(strings.TrimSpace(after))
		if err != nil || dur < 0 {
			return nil, fmt.Errorf("settle after %q: expected a duration such as 10m", after)
		}
		st.After = dur
	}
	return st, nil
}

// CheckDecision applies Validate's code checks to a decision made for operation
// op, such as one from ParseOutcomeHeader.
func CheckDecision(op OpSpec, d Decision) error {
	ops := []namedSpec{{"this operation", op}}
	if msg := checkOutcome(ops, d.Outcome, d.Code); msg != "" {
		return errors.New(msg)
	}
	if d.Settle != nil {
		if d.Outcome != Unknown {
			return fmt.Errorf("settle needs outcome unknown, not %s", outcomeOrDefault(d.Outcome))
		}
		if ps := checkSettle(ops, d.Settle); len(ps) > 0 {
			return errors.New(ps[0].msg)
		}
	}
	return nil
}

// choices keeps lists of valid values short enough to read in one message.
func choices(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	const max = 12
	if len(list) <= max {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s, … %d more", strings.Join(list[:max], ", "), len(list)-max)
}

// suggest names the likely intended operations: one that differs only in case,
// else those the id begins, else those of the same provider.
func suggest(cat Catalog, op string) string {
	provider, _, _ := strings.Cut(op, ".")
	var same, longer []string
	for id := range cat {
		if strings.EqualFold(id, op) {
			return fmt.Sprintf(" (did you mean %q?)", id)
		}
		if strings.HasPrefix(id, op) {
			longer = append(longer, id)
		}
		if strings.HasPrefix(id, provider+".") {
			same = append(same, id)
		}
	}
	if len(longer) > 0 {
		same = longer
	}
	if len(same) == 0 {
		return ""
	}
	sort.Strings(same)
	return " (valid: " + choices(same) + ")"
}
