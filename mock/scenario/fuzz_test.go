package scenario

import "testing"

// FuzzLoad feeds the loader what a client may POST to the control plane: no
// input may panic it, and whatever loads must validate and decide without one.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(designExample))
	f.Add([]byte(decideScenario))
	f.Add([]byte(`{"name": "j", "rules": [{"operation": "a.*", "when": {"body.x.0": {"in": [1, "a"]}}}]}`))
	f.Add([]byte("name: a\nrules:\n  - operation: a.b\n    timeline: &t\n      - {status: x, at: 0s}\n  - operation: a.c\n    timeline: *t\n"))
	f.Add([]byte("# only a comment\n"))
	cat := testCatalog()
	in := mapInput{tenant: "t", query: map[string]string{"q": "1"}, body: map[string]any{"x": []any{1.5, "a"}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Load("f.yaml", data)
		if err != nil {
			return
		}
		_ = sc.Validate(cat)
		s := NewSet(1)
		s.Add(sc)
		for _, op := range []string{"a.b", "finnotech.chargeCard"} {
			_, _ = s.Decide(op, in, sc.Name)
		}
	})
}
