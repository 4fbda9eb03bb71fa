package oauth

import (
	"regexp"
	"sync"
	"testing"
)

func uuidRE() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
}

func TestIDsFormats(t *testing.T) {
	g := NewIDs(1)
	tests := []struct {
		name string
		gen  func() string
		re   *regexp.Regexp
	}{
		{"hex", func() string { return g.Hex(12) }, regexp.MustCompile(`^[0-9a-f]{12}$`)},
		{"alnum", func() string { return g.Alnum(16) }, regexp.MustCompile(`^[0-9A-Za-z]{16}$`)},
		{"digits", func() string { return g.Digits(6) }, regexp.MustCompile(`^[0-9]{6}$`)},
		{"uuid", g.UUID, uuidRE()},
		{"zero length", func() string { return g.Hex(0) + g.Alnum(-1) + g.Digits(0) }, regexp.MustCompile(`^$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			for range 200 {
				v := tt.gen()
				if !tt.re.MatchString(v) {
					t.Fatalf("%q does not match %s", v, tt.re)
				}
				seen[v] = true
			}
			if tt.name != "zero length" && len(seen) < 200 {
				t.Fatalf("only %d distinct values in 200", len(seen))
			}
		})
	}
}

func TestIDsDeterministic(t *testing.T) {
	draw := func(seed int64) []string {
		g := NewIDs(seed)
		return []string{g.Hex(8), g.Alnum(16), g.Digits(5), g.UUID(), g.Alnum(16)}
	}
	a, b, c := draw(42), draw(42), draw(43)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("seed 42 drew %v then %v", a, b)
		}
	}
	if a[1] == c[1] || a[3] == c[3] {
		t.Fatalf("seeds 42 and 43 agree: %v %v", a, c)
	}
}

func TestIDsConcurrent(t *testing.T) {
	g := NewIDs(7)
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for range 50 {
				v := g.UUID()
				mu.Lock()
				seen[v] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 1000 {
		t.Fatalf("%d distinct UUIDs, want 1000", len(seen))
	}
}
