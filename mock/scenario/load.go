package scenario

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Load parses one scenario written in YAML (or JSON, which YAML reads). It is
// strict: an unknown key or a value of the wrong kind anywhere is an error. All
// problems found are reported, joined, each as "file:line: message". Checks that
// need to know the operations (ids, codes, statuses) are Validate's.
func Load(file string, data []byte) (*Scenario, error) {
	l := &loader{file: file}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil || len(doc.Content) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, &Error{File: file, Line: 1, Msg: "empty file: a scenario needs at least a name"}
		}
		return nil, l.yamlError(err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &Error{File: file, Line: next.Line, Msg: "one scenario per file: found a second YAML document"}
	case !errors.Is(err, io.EOF):
		return nil, l.yamlError(err)
	}
	sc := l.scenario(deref(doc.Content[0]))
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return sc, nil
}

// LoadDir loads every *.yaml, *.yml and *.json file directly in dir. It returns the
// scenarios that loaded, together with every problem found; a name defined twice
// keeps its first file.
func LoadDir(dir string) ([]*Scenario, error) {
	return load(os.DirFS(dir), ".", func(name string) string { return filepath.Join(dir, name) })
}

// LoadFS is LoadDir over a file system, such as the embedded shipped scenarios.
func LoadFS(fsys fs.FS, dir string) ([]*Scenario, error) {
	return load(fsys, dir, func(name string) string { return path.Join(dir, name) })
}

func load(fsys fs.FS, dir string, display func(string) string) ([]*Scenario, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		// fs errors name the path inside fsys ("open ."); name the directory the
		// user gave instead.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, &fs.PathError{Op: pe.Op, Path: display(""), Err: pe.Err}
		}
		return nil, err
	}
	var (
		out  []*Scenario
		errs []error
		seen = map[string]*Scenario{}
	)
	for _, e := range entries { // fs.ReadDir sorts by name, so results are stable
		if e.IsDir() || !isScenarioFile(e.Name()) {
			continue
		}
		file := display(e.Name())
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", file, err))
			continue
		}
		sc, err := Load(file, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if first, ok := seen[sc.Name]; ok {
			errs = append(errs, &Error{File: file, Line: sc.nameLine, Msg: fmt.Sprintf("scenario %q is already defined in %s:%d", sc.Name, first.File, first.nameLine)})
			continue
		}
		seen[sc.Name] = sc
		out = append(out, sc)
	}
	return out, errors.Join(errs...)
}

func isScenarioFile(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasPrefix(name, ".") // editors' swap and lock files
	}
	return false
}

type loader struct {
	file string
	errs []error
}

func (l *loader) errf(line int, format string, args ...any) {
	l.errs = append(l.errs, &Error{File: l.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// yamlError moves the line yaml.v3 puts in its text ("yaml: line 3: ...") to where
// every other message of this package has it.
func (l *loader) yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, after, ok := strings.Cut(rest, ": "); ok {
			if v, err := strconv.Atoi(n); err == nil {
				line, msg = v, after
			}
		}
	}
	return &Error{File: l.file, Line: line, Msg: "invalid YAML: " + msg}
}

// deref follows aliases, so anchors written to share a block work as if repeated.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// at is where to point at a value: a scalar's own line, else its key's, as a
// block's first entry may sit lines below the key that names it.
func at(k, v *yaml.Node) int {
	if v.Kind == yaml.ScalarNode {
		return v.Line
	}
	return k.Line
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "a scalar"
	}
	return "an alias"
}

// fields walks a mapping, reporting duplicate keys, and unknown keys with the list
// of valid ones; set handles a key and reports whether it knows it.
func (l *loader) fields(n *yaml.Node, what, valid string, set func(key string, k, v *yaml.Node) bool) bool {
	if n.Kind != yaml.MappingNode {
		l.errf(n.Line, "%s must be a mapping, not %s", what, kind(n))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			l.errf(k.Line, "%s: keys must be plain words", what)
			continue
		}
		if seen[k.Value] {
			l.errf(k.Line, "%s: duplicate key %q", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if !set(k.Value, k, v) {
			l.errf(k.Line, "%s: unknown key %q (valid: %s)", what, k.Value, valid)
		}
	}
	return true
}

// text reads a scalar as written, so that `code: 418` and `code: "418"` agree.
func (l *loader) text(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errf(n.Line, "%s must be a single value, not %s", what, kind(n))
		return "", false
	}
	return n.Value, true
}

func (l *loader) duration(n *yaml.Node, what string) (time.Duration, bool) {
	s, ok := l.text(n, what)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		l.errf(n.Line, "%s: %q is not a duration (e.g. 800ms, 2s, 10m)", what, s)
		return 0, false
	}
	return d, true
}

func validName(s string) bool {
	if s == "" || !(isLowerAlnum(s[0])) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return (c >= 'a' && c <= 'z') || isDigit(c) }

func (l *loader) scenario(n *yaml.Node) *Scenario {
	sc := &Scenario{File: l.file}
	hasName := false
	l.fields(n, "scenario", "name, description, rules", func(key string, k, v *yaml.Node) bool {
		switch key {
		case "name":
			hasName = true
			sc.nameLine = v.Line
			if s, ok := l.text(v, "name"); ok {
				if !validName(s) {
					l.errf(v.Line, "name %q: use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit", s)
				}
				sc.Name = s
			}
		case "description":
			if s, ok := l.text(v, "description"); ok {
				sc.Description = s
			}
		case "rules":
			if v.Kind != yaml.SequenceNode {
				l.errf(v.Line, "rules must be a list, not %s", kind(v))
				break
			}
			for i, rn := range v.Content {
				rn = deref(rn)
				sc.Rules = append(sc.Rules, l.rule(rn, fmt.Sprintf("rule %d", i+1)))
			}
		default:
			return false
		}
		return true
	})
	if !hasName && n.Kind == yaml.MappingNode {
		l.errf(n.Line, "scenario: name is required")
	}
	return sc
}

func (l *loader) rule(n *yaml.Node, what string) Rule {
	r := Rule{Line: n.Line, Outcome: Success, Fault: FaultNone, lines: map[string]int{}}
	hasOp := false
	l.fields(n, what, "operation, when, outcome, code, latency, fault, settle, times, timeline", func(key string, k, v *yaml.Node) bool {
		r.lines[key] = at(k, v)
		switch key {
		case "operation":
			hasOp = true
			if s, ok := l.text(v, "operation"); ok {
				if _, err := path.Match(s, ""); err != nil || s == "" {
					l.errf(v.Line, "operation %q is neither an id nor a valid pattern", s)
				}
				r.Operation = s
			}
		case "when":
			r.When = l.when(v)
		case "outcome":
			if s, ok := l.text(v, "outcome"); ok {
				o, ok := parseOutcome(s)
				if !ok {
					l.errf(v.Line, "outcome %q (valid: success, failure, unknown)", s)
				}
				r.Outcome = o
			}
		case "code":
			if s, ok := l.text(v, "code"); ok {
				r.Code = s
			}
		case "latency":
			r.Latency = l.latency(v)
		case "fault":
			if s, ok := l.text(v, "fault"); ok {
				if !validFault(Fault(s)) {
					l.errf(v.Line, "fault %q (valid: %s)", s, faultChoices)
				}
				r.Fault = Fault(s)
			}
		case "settle":
			r.Settle = l.settle(v, r.lines)
		case "times":
			if s, ok := l.text(v, "times"); ok {
				n, err := strconv.Atoi(s)
				if err != nil {
					l.errf(v.Line, "times: %q is not a whole number", s)
				}
				r.Times = n
			}
		case "timeline":
			r.Timeline = l.timeline(v, r.lines)
		default:
			return false
		}
		return true
	})
	if !hasOp && n.Kind == yaml.MappingNode {
		l.errf(n.Line, "%s: operation is required", what)
	}
	return r
}

func parseOutcome(s string) (Outcome, bool) {
	switch o := Outcome(s); o {
	case Success, Failure, Unknown:
		return o, true
	}
	return "", false
}

const faultChoices = "none, timeout, reset, http500, http502, http503, garbage"

func validFault(f Fault) bool {
	switch f {
	case FaultNone, FaultTimeout, FaultReset, Fault500, Fault502, Fault503, FaultGarbage:
		return true
	}
	return false
}

func (l *loader) latency(n *yaml.Node) Latency {
	if n.Kind == yaml.ScalarNode {
		d, _ := l.duration(n, "latency")
		return Latency{Min: d, Max: d}
	}
	var lat Latency
	hasMax := false
	ok := l.fields(n, "latency", "min, max", func(key string, k, v *yaml.Node) bool {
		switch key {
		case "min":
			lat.Min, _ = l.duration(v, "latency.min")
		case "max":
			hasMax = true
			lat.Max, _ = l.duration(v, "latency.max")
		default:
			return false
		}
		return true
	})
	if ok && !hasMax {
		l.errf(n.Line, "latency: max is required in a range (or write one duration: 800ms)")
	}
	return lat
}

func (l *loader) settle(n *yaml.Node, lines map[string]int) *Settle {
	s := &Settle{}
	hasTo := false
	ok := l.fields(n, "settle", "after, to, code", func(key string, k, v *yaml.Node) bool {
		lines["settle."+key] = at(k, v)
		switch key {
		case "after":
			s.After, _ = l.duration(v, "settle.after")
		case "to":
			hasTo = true
			if t, ok := l.text(v, "settle.to"); ok {
				o, ok := parseOutcome(t)
				if !ok || o == Unknown {
					l.errf(v.Line, "settle.to %q (valid: success, failure)", t)
				}
				s.To = o
			}
		case "code":
			s.Code, _ = l.text(v, "settle.code")
		default:
			return false
		}
		return true
	})
	if ok && !hasTo {
		l.errf(n.Line, "settle: to is required (success or failure)")
	}
	return s
}

func (l *loader) timeline(n *yaml.Node, lines map[string]int) []lifecycle.Spec {
	if n.Kind != yaml.SequenceNode {
		l.errf(n.Line, "timeline must be a list of {status, at}, not %s", kind(n))
		return nil
	}
	steps := make([]lifecycle.Spec, 0, len(n.Content))
	for i, sn := range n.Content {
		sn = deref(sn)
		what := fmt.Sprintf("timeline step %d", i+1)
		var st lifecycle.Spec
		var hasStatus, hasAt bool
		ok := l.fields(sn, what, "status, at", func(key string, k, v *yaml.Node) bool {
			lines[fmt.Sprintf("timeline.%d.%s", i, key)] = at(k, v)
			switch key {
			case "status":
				hasStatus = true
				st.Status, _ = l.text(v, what+": status")
			case "at":
				hasAt = true
				st.At, _ = l.text(v, what+": at")
			default:
				return false
			}
			return true
		})
		if ok && (!hasStatus || !hasAt) {
			l.errf(sn.Line, "%s: both status and at are required", what)
		}
		steps = append(steps, st)
	}
	return steps
}

func (l *loader) when(n *yaml.Node) []Predicate {
	if n.Kind != yaml.MappingNode {
		l.errf(n.Line, "when must be a mapping of predicates, not %s", kind(n))
		return nil
	}
	var out []Predicate
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			l.errf(k.Line, "when: keys must be plain words")
			continue
		}
		if seen[k.Value] {
			l.errf(k.Line, "when: duplicate key %q", k.Value)
			continue
		}
		seen[k.Value] = true
		if p, ok := l.predicate(k, v); ok {
			out = append(out, p)
		}
	}
	return out
}

func (l *loader) predicate(k, v *yaml.Node) (Predicate, bool) {
	p := Predicate{Key: k.Value, Line: k.Line}
	prefix, name, _ := strings.Cut(k.Value, ".")
	switch {
	case k.Value == "tenant":
		p.src = fromTenant
	case prefix == "header" && name != "":
		p.src, p.name = fromHeader, name
	case prefix == "query" && name != "":
		p.src, p.name = fromQuery, name
	case prefix == "body" && name != "" && !slicesContainsEmpty(strings.Split(name, ".")):
		p.src, p.name = fromBody, name
	default:
		l.errf(k.Line, "when: unknown key %q (valid: tenant, header.<Name>, query.<name>, body.<dotted.path>)", k.Value)
		return p, false
	}
	before := len(l.errs)
	switch v.Kind {
	case yaml.ScalarNode:
		if sc, ok := l.scalar(v, k.Value); ok {
			p.conds = append(p.conds, cond{op: opEq, val: sc})
		}
	case yaml.MappingNode:
		l.fields(v, k.Value, "eq, ne, gt, gte, lt, lte, regex, in", func(op string, _, cv *yaml.Node) bool {
			c, known := l.cond(op, cv, k.Value)
			if known && c != nil {
				p.conds = append(p.conds, *c)
			}
			return known
		})
		if len(v.Content) == 0 {
			l.errf(v.Line, "%s: empty condition (use eq, ne, gt, gte, lt, lte, regex or in)", k.Value)
		}
	default:
		l.errf(v.Line, "%s: expected a value or a condition like {in: [a, b]}, not %s", k.Value, kind(v))
	}
	for _, c := range p.conds {
		vals := c.list
		if c.op != opIn {
			vals = []scalar{c.val}
		}
		for _, v := range vals {
			if v.isNum {
				p.numeric = true
			} else if c.op != opRegex {
				p.text = true
			}
		}
		if c.op == opRegex {
			p.text = true
		}
	}
	return p, len(l.errs) == before
}

func slicesContainsEmpty(ss []string) bool {
	for _, s := range ss {
		if s == "" {
			return true
		}
	}
	return false
}

// scalar reads a value to compare with. Numbers must be written in decimal: YAML
// would read 0x1F or 017 in bases the request's text never uses.
func (l *loader) scalar(n *yaml.Node, what string) (scalar, bool) {
	s, ok := l.text(n, what)
	if !ok {
		return scalar{}, false
	}
	sc := newScalar(s)
	switch n.Tag {
	case "!!bool":
		sc = scalar{s: strings.ToLower(s)}
	case "!!int", "!!float":
		if !sc.isNum {
			l.errf(n.Line, "%s: write %q as a decimal number, or quote it to compare text", what, s)
			return scalar{}, false
		}
	}
	return sc, true
}

// cond reads one condition; known is false for an operator that does not exist.
func (l *loader) cond(op string, n *yaml.Node, what string) (c *cond, known bool) {
	what = what + "." + op
	switch op {
	case "eq", "ne":
		sc, ok := l.scalar(n, what)
		if !ok {
			return nil, true
		}
		o := opEq
		if op == "ne" {
			o = opNe
		}
		return &cond{op: o, val: sc}, true
	case "gt", "gte", "lt", "lte":
		sc, ok := l.scalar(n, what)
		if !ok {
			return nil, true
		}
		if !sc.isNum {
			l.errf(n.Line, "%s: %q is not a number", what, sc.s)
			return nil, true
		}
		o := opGt
		switch op {
		case "gte":
			o = opGte
		case "lt":
			o = opLt
		case "lte":
			o = opLte
		}
		return &cond{op: o, val: sc}, true
	case "regex":
		s, ok := l.text(n, what)
		if !ok {
			return nil, true
		}
		re, err := regexp.Compile(s)
		if err != nil {
			l.errf(n.Line, "%s: invalid regular expression %q: %v", what, s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			return nil, true
		}
		return &cond{op: opRegex, re: re}, true
	case "in":
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			l.errf(n.Line, "%s: expected a non-empty list like [a, b]", what)
			return nil, true
		}
		c := &cond{op: opIn}
		for _, item := range n.Content {
			if sc, ok := l.scalar(deref(item), what); ok {
				c.list = append(c.list, sc)
			}
		}
		return c, true
	}
	return nil, false
}
