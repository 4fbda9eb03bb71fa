package scenario

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const designExample = `name: charge-card-in-doubt
description: The first charge answers A106 (unknown); it settles as failed 10 minutes later.
rules:
  - operation: finnotech.chargeCard        # exact id or glob: finnotech.*
    when:                                   # optional; all must hold
      tenant: qa-client
      body.amount: {gte: 1000000}
      query.trackId: {regex: "^qa-"}
    outcome: unknown
    code: A106
    latency: 800ms
    fault: none
    settle: {after: 10m, to: failure, code: A211}
    times: 1
  - operation: sanbod.achtransfer
    latency: {min: 100ms, max: 2s}
    timeline:
      - {status: WAIT_FOR_BRANCH_ACCEPT, at: 0s}
      - {status: BRANCH_REJECT, at: next-cycle}
`

func TestLoadDesignExample(t *testing.T) {
	sc, err := Load("x.yaml", []byte(designExample))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "charge-card-in-doubt" || sc.File != "x.yaml" || !strings.HasPrefix(sc.Description, "The first charge") {
		t.Errorf("header: %+v", sc)
	}
	if len(sc.Rules) != 2 {
		t.Fatalf("rules: %d", len(sc.Rules))
	}
	r := sc.Rules[0]
	if r.Line != 4 || r.Operation != "finnotech.chargeCard" || r.Outcome != Unknown || r.Code != "A106" ||
		r.Latency != (Latency{800 * time.Millisecond, 800 * time.Millisecond}) || r.Fault != FaultNone || r.Times != 1 {
		t.Errorf("rule 1: %+v", r)
	}
	if *r.Settle != (Settle{After: 10 * time.Minute, To: Failure, Code: "A211"}) {
		t.Errorf("settle: %+v", *r.Settle)
	}
	var keys []string
	for _, p := range r.When {
		keys = append(keys, p.Key)
	}
	if !reflect.DeepEqual(keys, []string{"tenant", "body.amount", "query.trackId"}) || r.When[1].Line != 7 {
		t.Errorf("when: %v (line %d)", keys, r.When[1].Line)
	}
	if got := r.line("code"); got != 10 {
		t.Errorf("code line %d", got)
	}
	r2 := sc.Rules[1]
	if r2.Outcome != Success || r2.Fault != FaultNone || r2.Settle != nil {
		t.Errorf("defaults: %+v", r2)
	}
	if r2.Latency != (Latency{100 * time.Millisecond, 2 * time.Second}) {
		t.Errorf("latency: %+v", r2.Latency)
	}
	want := []lifecycle.Spec{{Status: "WAIT_FOR_BRANCH_ACCEPT", At: "0s"}, {Status: "BRANCH_REJECT", At: "next-cycle"}}
	if !reflect.DeepEqual(r2.Timeline, want) {
		t.Errorf("timeline: %+v", r2.Timeline)
	}
	if got := r2.line("timeline.1.at"); got != 19 {
		t.Errorf("timeline line %d", got)
	}
}

func TestLoadJSON(t *testing.T) {
	src := `{"name": "j", "rules": [{"operation": "kavenegar.smsSend", "outcome": "failure", "code": 418,
	  "when": {"body.receptor": {"in": ["0912", 935]}}, "latency": {"max": "1s"}}]}`
	sc, err := Load("j.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := sc.Rules[0]
	if r.Code != "418" || r.Outcome != Failure || r.Latency.Max != time.Second || len(r.When) != 1 {
		t.Errorf("%+v", r)
	}
}

func TestLoadAnchors(t *testing.T) {
	src := `name: a
rules:
  - operation: x.a
    timeline: &t
      - {status: "1", at: 0s}
  - operation: x.b
    timeline: *t
`
	sc, err := Load("a.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sc.Rules[0].Timeline, sc.Rules[1].Timeline) || len(sc.Rules[1].Timeline) != 1 {
		t.Errorf("%+v", sc.Rules)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // each must appear, in order, as one error
	}{
		{"empty", "", []string{"f.yaml:1: empty file"}},
		{"only a comment", "# nothing yet\n", []string{"f.yaml:1: empty file"}},
		{"scalar", "hello\n", []string{"f.yaml:1: scenario must be a mapping, not a scalar"}},
		{"syntax", "name: a\n  b: c\n", []string{"f.yaml:2: invalid YAML"}},
		{"not a mapping", "- a\n", []string{"f.yaml:1: scenario must be a mapping"}},
		{"two documents", "name: a\n---\nname: b\n", []string{"f.yaml:2: one scenario per file"}},
		{"no name", "description: x\n", []string{"f.yaml:1: scenario: name is required"}},
		{"bad name", "name: Bad Name\n", []string{`f.yaml:1: name "Bad Name"`}},
		{"name starts with dash", "name: -x\n", []string{`f.yaml:1: name "-x"`}},
		{"null name", "name:\n", []string{"f.yaml:1: name must be a single value, not null"}},
		{"unknown top key", "name: a\nrule: []\n", []string{`f.yaml:2: scenario: unknown key "rule" (valid: name, description, rules)`}},
		{"duplicate key", "name: a\nname: b\n", []string{`f.yaml:2: scenario: duplicate key "name"`}},
		{"rules not list", "name: a\nrules: {}\n", []string{"f.yaml:2: rules must be a list"}},
		{"rule not mapping", "name: a\nrules:\n  - x\n", []string{"f.yaml:3: rule 1 must be a mapping"}},
		{"no operation", "name: a\nrules:\n  - outcome: success\n", []string{"f.yaml:3: rule 1: operation is required"}},
		{"unknown rule key", "name: a\nrules:\n  - operation: a.b\n    outcom: failure\n", []string{`f.yaml:4: rule 1: unknown key "outcom" (valid: operation, when,`}},
		{"bad pattern", "name: a\nrules:\n  - operation: 'a.[b'\n", []string{`f.yaml:3: operation "a.[b" is neither`}},
		{"bad outcome", "name: a\nrules:\n  - operation: a.b\n    outcome: failed\n", []string{`f.yaml:4: outcome "failed" (valid: success, failure, unknown)`}},
		{"bad fault", "name: a\nrules:\n  - operation: a.b\n    fault: http504\n", []string{`f.yaml:4: fault "http504" (valid: none, timeout`}},
		{"bad latency", "name: a\nrules:\n  - operation: a.b\n    latency: fast\n", []string{`f.yaml:4: latency: "fast" is not a duration`}},
		{"latency no max", "name: a\nrules:\n  - operation: a.b\n    latency: {min: 1s}\n", []string{"f.yaml:4: latency: max is required"}},
		{"latency unknown key", "name: a\nrules:\n  - operation: a.b\n    latency: {min: 1s, max: 2s, avg: 1s}\n", []string{`f.yaml:4: latency: unknown key "avg" (valid: min, max)`}},
		{"latency list", "name: a\nrules:\n  - operation: a.b\n    latency: [1s]\n", []string{"f.yaml:4: latency must be a mapping, not a list"}},
		{"times text", "name: a\nrules:\n  - operation: a.b\n    times: once\n", []string{`f.yaml:4: times: "once" is not a whole number`}},
		{"settle no to", "name: a\nrules:\n  - operation: a.b\n    settle: {after: 1m}\n", []string{"f.yaml:4: settle: to is required"}},
		{"settle to unknown", "name: a\nrules:\n  - operation: a.b\n    settle: {to: unknown}\n", []string{`f.yaml:4: settle.to "unknown" (valid: success, failure)`}},
		{"settle bad after", "name: a\nrules:\n  - operation: a.b\n    settle:\n      after: soon\n      to: success\n", []string{`f.yaml:5: settle.after: "soon" is not a duration`}},
		{"settle unknown key", "name: a\nrules:\n  - operation: a.b\n    settle: {to: success, when: 1m}\n", []string{`f.yaml:4: settle: unknown key "when"`}},
		{"timeline not list", "name: a\nrules:\n  - operation: a.b\n    timeline: {status: x}\n", []string{"f.yaml:4: timeline must be a list"}},
		{"timeline step missing at", "name: a\nrules:\n  - operation: a.b\n    timeline:\n      - {status: x}\n", []string{"f.yaml:5: timeline step 1: both status and at are required"}},
		{"timeline step unknown key", "name: a\nrules:\n  - operation: a.b\n    timeline:\n      - {status: x, at: 0s, state: y}\n", []string{`f.yaml:5: timeline step 1: unknown key "state"`}},
		{"when not mapping", "name: a\nrules:\n  - operation: a.b\n    when: [tenant]\n", []string{"f.yaml:4: when must be a mapping"}},
		{"when unknown source", "name: a\nrules:\n  - operation: a.b\n    when:\n      cookie.x: 1\n", []string{`f.yaml:5: when: unknown key "cookie.x" (valid: tenant, header.<Name>`}},
		{"when empty header name", "name: a\nrules:\n  - operation: a.b\n    when:\n      header.: 1\n", []string{`f.yaml:5: when: unknown key "header."`}},
		{"when empty body segment", "name: a\nrules:\n  - operation: a.b\n    when:\n      body.a..b: 1\n", []string{`f.yaml:5: when: unknown key "body.a..b"`}},
		{"when duplicate", "name: a\nrules:\n  - operation: a.b\n    when:\n      tenant: x\n      tenant: y\n", []string{`f.yaml:6: when: duplicate key "tenant"`}},
		{"when unknown op", "name: a\nrules:\n  - operation: a.b\n    when:\n      body.amount: {greater: 5}\n", []string{`f.yaml:5: body.amount: unknown key "greater" (valid: eq, ne, gt, gte, lt, lte, regex, in)`}},
		{"when empty condition", "name: a\nrules:\n  - operation: a.b\n    when:\n      body.amount: {}\n", []string{"f.yaml:5: body.amount: empty condition"}},
		{"when list value", "name: a\nrules:\n  - operation: a.b\n    when:\n      body.amount: [1, 2]\n", []string{"f.yaml:5: body.amount: expected a value or a condition like {in: [a, b]}"}},
		{"when gt text", "name: a\nrules:\n  - operation: a.b\n    when:\n      body.amount: {gt: lots}\n", []string{`f.yaml:5: body.amount.gt: "lots" is not a number`}},
		{"when hex number", "name: a\nrules:\n  - operation: a.b\n    when:\n      body.amount: 0x1F\n", []string{`f.yaml:5: body.amount: write "0x1F" as a decimal number`}},
		{"when null", "name: a\nrules:\n  - operation: a.b\n    when:\n      body.amount: {eq: null}\n", []string{"f.yaml:5: body.amount.eq must be a single value, not null"}},
		{"when bad regex", "name: a\nrules:\n  - operation: a.b\n    when:\n      query.trackId:\n        regex: '^(qa'\n", []string{`f.yaml:6: query.trackId.regex: invalid regular expression "^(qa"`}},
		{"when empty in", "name: a\nrules:\n  - operation: a.b\n    when:\n      tenant: {in: []}\n", []string{"f.yaml:5: tenant.in: expected a non-empty list"}},
		{
			"all errors reported",
			"name: A\nrules:\n  - operation: a.b\n    outcome: maybe\n    fault: slow\n  - when: {tenant: x}\n    times: two\n",
			[]string{`f.yaml:1: name "A"`, `f.yaml:4: outcome "maybe"`, `f.yaml:5: fault "slow"`, `f.yaml:7: times: "two"`, "f.yaml:6: rule 2: operation is required"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Load("f.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; loaded %+v", sc)
			}
			if sc != nil {
				t.Errorf("scenario returned with an error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d:\n got %s\nwant %s…", i, lines[i], w)
				}
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "f.yaml" || e.Line < 1 {
				t.Errorf("not an *Error with file and line: %#v", err)
			}
		})
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadDir(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml":      "name: a\n",
		"b.yml":       "name: b\n",
		"c.json":      `{"name": "c"}`,
		"dup.yaml":    "# the same name again\nname: a\n",
		"bad.yaml":    "name: bad\nnope: 1\n",
		"notes.txt":   "name: ignored\n",
		".swap.yaml":  "name: ignored-too\n",
		"README.md":   "# scenarios",
		"z-last.YAML": "name: z\n",
	})
	if err := os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	scs, err := LoadDir(dir)
	var names []string
	for _, sc := range scs {
		names = append(names, sc.Name)
	}
	if !reflect.DeepEqual(names, []string{"a", "b", "c", "z"}) {
		t.Errorf("loaded %v", names)
	}
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(dir, "bad.yaml") + `:2: scenario: unknown key "nope"`,
		filepath.Join(dir, "dup.yaml") + `:2: scenario "a" is already defined in ` + filepath.Join(dir, "a.yaml") + ":1",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in\n%s", want, msg)
		}
	}
	if scs[0].File != filepath.Join(dir, "a.yaml") {
		t.Errorf("file %q", scs[0].File)
	}

	if _, err := LoadDir(filepath.Join(dir, "absent")); err == nil {
		t.Error("absent directory: no error")
	}
}
