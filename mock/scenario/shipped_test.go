package scenario

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/scenarios"
)

// kavenegarCatalog stands in for the one the Kavenegar provider declares in the
// lint tests: this package must not import providers.
func kavenegarCatalog() Catalog {
	codes := []string{"400", "401", "402", "403", "404", "405", "406", "407", "409", "411", "412", "413", "414",
		"415", "416", "417", "418", "419", "420", "422", "424", "426", "427", "428", "429", "431", "432", "451", "501"}
	statuses := []string{"1", "2", "4", "5", "6", "10", "11", "13", "14"}
	cat := Catalog{}
	for _, op := range []string{"smsSend", "smsSendArray", "smsStatus", "smsStatusLocalMessageId", "smsSelect",
		"smsSelectOutbox", "smsLatestOutbox", "smsCancel", "smsReceive", "smsCountInbox", "smsCountOutbox",
		"smsCountPostalCode", "smsSendByPostalCode", "verifyLookup", "accountInfo", "accountConfig",
		"callMakeTTS", "utilsGetDate"} {
		spec := OpSpec{Failures: codes}
		switch op {
		case "smsSend", "smsSendArray", "smsSendByPostalCode", "verifyLookup", "callMakeTTS":
			spec.Statuses = statuses
		}
		cat["kavenegar."+op] = spec
	}
	return cat
}

func TestShippedScenarios(t *testing.T) {
	scs, err := LoadFS(scenarios.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) < 3 {
		t.Fatalf("only %d shipped scenarios", len(scs))
	}
	// Validation against the operations the providers really declare is the app's
	// job (mock/app TestShippedScenariosLint); this package knows no provider.
	for _, sc := range scs {
		if sc.Description == "" {
			t.Errorf("%s has no description", sc.Name)
		}
		if want := strings.TrimSuffix(sc.File, ".yaml"); sc.Name != want {
			t.Errorf("scenario %q is in %s: name files after their scenario", sc.Name, sc.File)
		}
	}
	// the embedded files are the ones on disk
	onDisk, err := LoadDir(filepath.Join("..", "..", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names(onDisk), names(scs)) {
		t.Errorf("on disk %v, embedded %v", names(onDisk), names(scs))
	}
	embedded, _ := fs.Glob(scenarios.FS, "*")
	for _, f := range embedded {
		if !strings.HasSuffix(f, ".yaml") {
			t.Errorf("unexpected embedded file %s", f)
		}
	}
}

func shippedSet(t *testing.T) *Set {
	t.Helper()
	scs, err := LoadFS(scenarios.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	s := NewSet(7)
	s.ReplaceFiles("shipped", scs)
	return s
}

func TestShippedOutOfCredit(t *testing.T) {
	s := shippedSet(t)
	in := mapInput{tenant: "key"}
	for _, op := range []string{"kavenegar.smsSend", "kavenegar.smsSendArray", "kavenegar.smsSendByPostalCode", "kavenegar.verifyLookup", "kavenegar.callMakeTTS"} {
		d, err := s.Decide(op, in, "kavenegar-out-of-credit")
		if err != nil || d.Outcome != Failure || d.Code != "418" {
			t.Errorf("%s: %+v %v", op, d, err)
		}
	}
	for _, op := range []string{"kavenegar.accountInfo", "kavenegar.smsStatus", "kavenegar.smsSelectOutbox"} {
		if d, _ := s.Decide(op, in, "kavenegar-out-of-credit"); d.Rule != "default" {
			t.Errorf("%s: %+v", op, d)
		}
	}
}

func TestShippedFlaky(t *testing.T) {
	s := shippedSet(t)
	if err := s.Activate("kavenegar-flaky", ""); err != nil {
		t.Fatal(err)
	}
	for _, tenant := range []string{"a", "b"} {
		in := mapInput{tenant: tenant}
		d1, _ := s.Decide("kavenegar.smsSend", in, "")
		d2, _ := s.Decide("kavenegar.smsSend", in, "")
		d3, _ := s.Decide("kavenegar.smsSend", in, "")
		if d1.Outcome != Unknown || d1.Fault != FaultTimeout || d1.Latency != 3*time.Second {
			t.Errorf("%s first: %+v", tenant, d1)
		}
		if d2.Outcome != Unknown || d2.Fault != Fault502 || d2.Latency < 100*time.Millisecond || d2.Latency > 800*time.Millisecond {
			t.Errorf("%s second: %+v", tenant, d2)
		}
		start := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
		for _, d := range []Decision{d1, d2} {
			if o, _, done := d.SettledAt(start, start.Add(time.Second)); done || o != Unknown {
				t.Errorf("%s: settled too early: %v", tenant, o)
			}
			if o, _, done := d.SettledAt(start, start.Add(5*time.Second)); !done || o != Success {
				t.Errorf("%s: settles as %v %v", tenant, o, done)
			}
		}
		if d3.Rule != "default" {
			t.Errorf("%s third: %+v", tenant, d3)
		}
	}
}

func TestShippedUndelivered(t *testing.T) {
	s := shippedSet(t)
	want := []lifecycle.Spec{{Status: "1", At: "0s"}, {Status: "5", At: "2s"}, {Status: "11", At: "30s"}}
	tests := []struct {
		name string
		in   mapInput
		rule string
	}{
		{"form body", mapInput{body: map[string]any{"receptor": "09351234567"}}, "kavenegar-undelivered#1"},
		{"query", mapInput{query: map[string]string{"receptor": "09351234567,09121234567"}}, "kavenegar-undelivered#2"},
		{"other number", mapInput{body: map[string]any{"receptor": "09121234567"}}, "default"},
		{"no receptor", mapInput{}, "default"},
	}
	for _, tt := range tests {
		d, _ := s.Decide("kavenegar.smsSend", tt.in, "kavenegar-undelivered")
		if d.Rule != tt.rule {
			t.Errorf("%s: rule %q, want %q", tt.name, d.Rule, tt.rule)
			continue
		}
		if tt.rule != "default" && (d.Outcome != Success || !reflect.DeepEqual(d.Timeline(), want)) {
			t.Errorf("%s: %+v", tt.name, d)
		}
	}
}

func TestLint(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"ok.yaml":       "name: ok\nrules:\n  - operation: kavenegar.smsSend\n    outcome: failure\n    code: 418\n",
		"bad-code.yaml": "name: bad-code\nrules:\n  - operation: kavenegar.smsSend\n    outcome: failure\n    code: 999\n",
		"bad-op.yaml":   "name: bad-op\nrules:\n  - operation: kavenegar.sms\n",
		"broken.yaml":   "name: broken\nrules: [\n",
	})
	err := Lint(dir, kavenegarCatalog())
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(dir, "bad-code.yaml") + `:5: rule 1: code "999" is not a failure of kavenegar.smsSend (valid: 400, 401,`,
		filepath.Join(dir, "bad-op.yaml") + `:3: rule 1: unknown operation "kavenegar.sms" (valid: kavenegar.smsCancel,`,
		filepath.Join(dir, "broken.yaml") + ":",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "ok.yaml") {
		t.Errorf("ok.yaml reported:\n%s", msg)
	}
	if n := strings.Count(msg, "\n") + 1; n != 3 {
		t.Errorf("%d errors, want 3:\n%s", n, msg)
	}
}
