package scenario

import (
	"strings"
	"testing"
	"time"
)

func testCatalog() Catalog {
	return Catalog{
		"finnotech.chargeCard": {Failures: []string{"A103", "A211"}, Unknown: []string{"A106"}},
		"finnotech.cardInfo":   {Failures: []string{"A103"}},
		"sanbod.achtransfer": {
			Failures:   []string{"E1"},
			Statuses:   []string{"WAIT_FOR_BRANCH_ACCEPT", "BRANCH_REJECT", "DONE"},
			AtKeywords: []string{"next-cycle"},
		},
	}
}

func TestValidate(t *testing.T) {
	const head = "name: v\nrules:\n  - operation: "
	tests := []struct {
		name string
		rule string // continues head: the operation and the rest of rule 1
		want []string
	}{
		{"design example", "", nil},
		{"exact id", "finnotech.chargeCard\n", nil},
		{"glob", "finnotech.*\n    outcome: failure\n    code: A103\n", nil},
		{"unknown op", "finnotech.chargeCrad\n", []string{`v.yaml:3: rule 1: unknown operation "finnotech.chargeCrad" (valid: finnotech.cardInfo, finnotech.chargeCard)`}},
		{"unknown op, case", "finnotech.chargecard\n", []string{`v.yaml:3: rule 1: unknown operation "finnotech.chargecard" (did you mean "finnotech.chargeCard"?)`}},
		{"unknown op, prefix", "finnotech.ch\n", []string{`v.yaml:3: rule 1: unknown operation "finnotech.ch" (valid: finnotech.chargeCard)`}},
		{"unknown provider", "paypal.pay\n", []string{`v.yaml:3: rule 1: unknown operation "paypal.pay"`}},
		{"glob matches none", "vandar.*\n", []string{`v.yaml:3: rule 1: operation pattern "vandar.*" matches no operation`}},
		{"failure without code", "finnotech.chargeCard\n    outcome: failure\n", []string{"v.yaml:4: rule 1: outcome failure needs a code (valid for finnotech.chargeCard: A103, A211)"}},
		{"failure bad code", "finnotech.chargeCard\n    outcome: failure\n    code: A999\n", []string{`v.yaml:5: rule 1: code "A999" is not a failure of finnotech.chargeCard (valid: A103, A211)`}},
		{"glob code must fit every op", "finnotech.*\n    outcome: failure\n    code: A211\n", []string{`v.yaml:5: rule 1: code "A211" is not a failure of finnotech.cardInfo (valid: A103)`}},
		{"unknown without code", "finnotech.chargeCard\n    outcome: unknown\n", nil},
		{"unknown code", "finnotech.chargeCard\n    outcome: unknown\n    code: A106\n", nil},
		{"unknown bad code", "finnotech.chargeCard\n    outcome: unknown\n    code: A103\n", []string{`v.yaml:5: rule 1: code "A103" is not an in-doubt answer of finnotech.chargeCard (valid: A106)`}},
		{"unknown code, op has none", "finnotech.cardInfo\n    outcome: unknown\n    code: A106\n", []string{`(valid: none)`}},
		{"success with code", "finnotech.chargeCard\n    code: A103\n", []string{`v.yaml:4: rule 1: outcome success takes no code (got "A103")`}},
		{"settle ok", "finnotech.chargeCard\n    outcome: unknown\n    settle: {after: 10m, to: failure, code: A211}\n", nil},
		{"settle success", "finnotech.chargeCard\n    outcome: unknown\n    settle: {to: success}\n", nil},
		{"settle on failure", "finnotech.chargeCard\n    outcome: failure\n    code: A103\n    settle: {to: success}\n", []string{"v.yaml:6: rule 1: settle needs outcome unknown, not failure"}},
		{"settle on default", "finnotech.chargeCard\n    settle: {to: success}\n", []string{"v.yaml:4: rule 1: settle needs outcome unknown, not success"}},
		{"settle failure no code", "finnotech.chargeCard\n    outcome: unknown\n    settle:\n      to: failure\n", []string{"v.yaml:6: rule 1: settle: outcome failure needs a code"}},
		{"settle failure bad code", "finnotech.chargeCard\n    outcome: unknown\n    settle:\n      to: failure\n      code: A106\n", []string{`v.yaml:7: rule 1: settle: code "A106" is not a failure of finnotech.chargeCard`}},
		{"settle success with code", "finnotech.chargeCard\n    outcome: unknown\n    settle: {to: success, code: A103}\n", []string{`settle to success takes no code (got "A103")`}},
		{"settle negative", "finnotech.chargeCard\n    outcome: unknown\n    settle: {after: -1m, to: success}\n", []string{"v.yaml:5: rule 1: settle.after -1m0s must not be negative"}},
		{"times negative", "finnotech.chargeCard\n    times: -1\n", []string{"v.yaml:4: rule 1: times -1 must not be negative"}},
		{"latency negative", "finnotech.chargeCard\n    latency: -1s\n", []string{"v.yaml:4: rule 1: latency must not be negative"}},
		{"latency reversed", "finnotech.chargeCard\n    latency: {min: 2s, max: 1s}\n", []string{"v.yaml:4: rule 1: latency min 2s is above max 1s"}},
		{"timeline ok", "sanbod.achtransfer\n    timeline:\n      - {status: DONE, at: 90s}\n      - {status: BRANCH_REJECT, at: next-cycle}\n", nil},
		{"timeline bad status", "sanbod.achtransfer\n    timeline:\n      - {status: DONE, at: 0s}\n      - status: REJECTED\n        at: 1m\n", []string{`v.yaml:6: rule 1: timeline status "REJECTED" is not a status of sanbod.achtransfer (valid: WAIT_FOR_BRANCH_ACCEPT, BRANCH_REJECT, DONE)`}},
		{"timeline bad at", "sanbod.achtransfer\n    timeline:\n      - status: DONE\n        at: tomorrow\n", []string{`v.yaml:6: rule 1: timeline at "tomorrow" is neither a duration nor a time sanbod.achtransfer knows (valid: a duration like 30s, next-cycle)`}},
		{"timeline negative at", "sanbod.achtransfer\n    timeline:\n      - {status: DONE, at: -5s}\n", []string{`v.yaml:5: rule 1: timeline at "-5s" must not be negative`}},
		{"timeline without lifecycle", "finnotech.chargeCard\n    timeline:\n      - {status: DONE, at: 0s}\n      - {status: DONE, at: 1s}\n", []string{"v.yaml:4: rule 1: finnotech.chargeCard has no lifecycle"}},
		{
			"every problem",
			"nope.x\n    outcome: failure\n    times: -2\n  - operation: finnotech.cardInfo\n    outcome: failure\n    code: A211\n",
			[]string{`v.yaml:3: rule 1: unknown operation "nope.x"`, "v.yaml:4: rule 1: outcome failure needs a code", "v.yaml:5: rule 1: times -2", `v.yaml:8: rule 2: code "A211"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + tt.rule
			if tt.name == "design example" {
				src = designExample
			}
			sc, err := Load("v.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			cat := testCatalog()
			err = sc.Validate(cat)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) {
					t.Errorf("error %d:\n got %s\nwant …%s…", i, lines[i], w)
				}
			}
		})
	}
}

func TestValidateCodeBuilt(t *testing.T) {
	sc := &Scenario{Name: "Bad", Rules: []Rule{{Operation: "finnotech.chargeCard", Fault: "slow"}}}
	err := sc.Validate(testCatalog())
	if err == nil || !strings.Contains(err.Error(), `<scenario>:1: name "Bad"`) || !strings.Contains(err.Error(), `<scenario>:0: rule 1: fault "slow"`) {
		t.Errorf("got %v", err)
	}
	ok := &Scenario{Name: "ok", Rules: []Rule{{Operation: "finnotech.chargeCard"}}} // zero outcome and fault mean the defaults
	if err := ok.Validate(testCatalog()); err != nil {
		t.Error(err)
	}
}

func TestParseOutcomeHeader(t *testing.T) {
	tests := []struct {
		in      string
		outcome Outcome
		code    string
		err     string
	}{
		{"success", Success, "", ""},
		{"SUCCESS", Success, "", ""},
		{" Success ", Success, "", ""},
		{"failure:A103", Failure, "A103", ""},
		{"Failure:a103", Failure, "a103", ""},
		{"failure: 418 ", Failure, "418", ""},
		{"unknown", Unknown, "", ""},
		{"unknown:A106", Unknown, "A106", ""},
		{"failure", "", "", "failure needs a code"},
		{"failure:", "", "", "empty code"},
		{"success:X", "", "", "success takes no code"},
		{"", "", "", "expected success, failure:CODE"},
		{"fail:A103", "", "", "expected success, failure:CODE"},
		{"unknown:A106; settle=success", Unknown, "A106", ""},
		{"unknown:A106;settle=failure:A211@10m", Unknown, "A106", ""},
		{"unknown; settle=maybe@1m", "", "", `settle to "maybe"`},
		{"unknown; settle=failure:@1m", "", "", "empty code"},
		{"unknown; settle=success@soon", "", "", "expected a duration"},
		{"unknown; after=1m", "", "", "expected settle="},
		{"failure:A103; settle=success", "", "", "settle needs outcome unknown"},
	}
	for _, tt := range tests {
		d, err := ParseOutcomeHeader(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if d.Outcome != tt.outcome || d.Code != tt.code || d.Rule != "header" || d.Fault != FaultNone {
			t.Errorf("%q: %+v", tt.in, d)
		}
	}
	d, _ := ParseOutcomeHeader("unknown:A106; settle=failure:A211@10m")
	if d.Settle == nil || *d.Settle != (Settle{After: 10 * time.Minute, To: Failure, Code: "A211"}) {
		t.Errorf("settle: %+v", d.Settle)
	}
	if o, _, done := d.SettledAt(time.Time{}, time.Time{}.Add(9*time.Minute)); done || o != Unknown {
		t.Errorf("settled before 10m: %v %v", o, done)
	}
	if o, code, done := d.SettledAt(time.Time{}, time.Time{}.Add(10*time.Minute)); !done || o != Failure || code != "A211" {
		t.Errorf("at 10m: %v %q %v", o, code, done)
	}
}

func TestCheckDecision(t *testing.T) {
	op := testCatalog()["finnotech.chargeCard"]
	tests := []struct {
		d   Decision
		err string
	}{
		{Default(), ""},
		{Decision{Outcome: Failure, Code: "A103"}, ""},
		{Decision{Outcome: Unknown}, ""},
		{Decision{Outcome: Unknown, Code: "A106"}, ""},
		{Decision{Outcome: Unknown, Settle: &Settle{After: time.Minute, To: Failure, Code: "A211"}}, ""},
		{Decision{Outcome: Failure, Code: "A106"}, `code "A106" is not a failure of this operation (valid: A103, A211)`},
		{Decision{Outcome: Failure}, "outcome failure needs a code"},
		{Decision{Outcome: Unknown, Code: "A103"}, `code "A103" is not an in-doubt answer`},
		{Decision{Outcome: Success, Code: "A103"}, "success takes no code"},
		{Decision{Outcome: "maybe"}, `outcome "maybe"`},
		{Decision{Outcome: Success, Settle: &Settle{To: Success}}, "settle needs outcome unknown"},
		{Decision{Outcome: Unknown, Settle: &Settle{To: Failure, Code: "X"}}, `code "X" is not a failure`},
	}
	for _, tt := range tests {
		err := CheckDecision(op, tt.d)
		if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%+v: error %v, want %q", tt.d, err, tt.err)
		}
	}
	for _, h := range []string{"failure:A103", "unknown:A106", "success", "unknown", "unknown:A106; settle=failure:A211@5m"} {
		d, _ := ParseOutcomeHeader(h)
		if err := CheckDecision(op, d); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
}

func TestChoices(t *testing.T) {
	var long []string
	for i := range 20 {
		long = append(long, string(rune('a'+i)))
	}
	if got := choices(long); got != "a, b, c, d, e, f, g, h, i, j, k, l, … 8 more" {
		t.Errorf("got %q", got)
	}
	if got := choices(nil); got != "none" {
		t.Errorf("got %q", got)
	}
}
