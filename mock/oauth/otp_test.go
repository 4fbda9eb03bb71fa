package oauth

import (
	"errors"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

func TestOTPs(t *testing.T) {
	type step struct {
		advance time.Duration
		issue   bool   // issue a new code first
		code    string // "" means the live code; "wrong" a wrong one
		want    error
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"correct", []step{{issue: true}}},
		{"correct consumes", []step{{issue: true}, {want: ErrOTPUnknown}}},
		{"wrong does not consume", []step{{issue: true, code: "wrong", want: ErrOTPWrong}, {}}},
		{"empty code is wrong", []step{{issue: true, code: "empty", want: ErrOTPWrong}}},
		{"never issued", []step{{want: ErrOTPUnknown}}},
		{"just in time", []step{{issue: true, advance: 3*time.Minute - time.Nanosecond}}},
		{"expired at ttl", []step{{issue: true, advance: 3 * time.Minute, want: ErrOTPExpired}, {want: ErrOTPUnknown}}},
		{"reissue replaces", []step{{issue: true, code: "previous"}, {issue: true, code: "previous", want: ErrOTPWrong}, {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			o := NewOTPs(store.New(), "otps", clk, NewIDs(1), 3*time.Minute, 6)
			var live, previous string
			for i, s := range tt.steps {
				if s.issue {
					previous, live = live, o.Issue("t", "09120000000")
					if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(live) {
						t.Fatalf("code %q", live)
					}
					if p, ok := o.Peek("t", "09120000000"); !ok || p != live {
						t.Fatalf("Peek = %q, %v", p, ok)
					}
				}
				clk.Advance(s.advance)
				code := live
				switch s.code {
				case "wrong":
					code = live[:5] + string('0'+(live[5]-'0'+1)%10)
				case "empty":
					code = ""
				case "previous":
					code = previous
					if code == "" {
						continue
					}
				}
				if err := o.Check("t", "09120000000", code); !errors.Is(err, s.want) {
					t.Fatalf("step %d: Check = %v, want %v", i, err, s.want)
				}
			}
		})
	}
}

func TestOTPsPeekAndKeys(t *testing.T) {
	clk := newFakeClock()
	st := store.New()
	o := NewAlnumOTPs(st, "otps", clk, NewIDs(1), time.Minute, 5)
	a, b := o.Issue("t", "track-a"), o.Issue("t", "track-b")
	if !regexp.MustCompile(`^[0-9A-Za-z]{5}$`).MatchString(a) {
		t.Fatalf("alnum code %q", a)
	}
	if err := o.Check("t", "track-a", b); a != b && !errors.Is(err, ErrOTPWrong) {
		t.Fatalf("another key's code: %v", err)
	}
	if _, ok := o.Peek("t", "nope"); ok {
		t.Fatal("Peek of unknown key")
	}
	clk.Advance(time.Minute)
	if _, ok := o.Peek("t", "track-a"); ok {
		t.Fatal("Peek shows an expired code")
	}
	o.Issue("t", "track-c") // purges, but keeps recently expired codes
	if err := o.Check("t", "track-b", b); !errors.Is(err, ErrOTPExpired) {
		t.Fatalf("recently expired: %v", err)
	}
	st.Reset("t")
	if _, ok := o.Peek("t", "track-c"); ok {
		t.Fatal("Reset kept codes")
	}
}

// TestOTPsAcceptedOnceUnderRace: 100 parallel checks of the right password pass once.
func TestOTPsAcceptedOnceUnderRace(t *testing.T) {
	o := NewOTPs(store.New(), "otps", newFakeClock(), NewIDs(1), time.Minute, 6)
	code := o.Issue("t", "k")
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if o.Check("t", "k", code) == nil {
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 {
		t.Fatalf("%d checks passed, want 1", ok.Load())
	}
	if err := o.Check("other", "k", code); !errors.Is(err, ErrOTPUnknown) {
		t.Fatalf("another tenant's password: %v", err)
	}
}

// Issue 16 item 3: a password takes a bounded number of wrong tries; then even the
// right code is refused until a new one is issued. Guesses in parallel share the
// same count.
func TestOTPsAttemptLimit(t *testing.T) {
	wrong := func(live string) string { return live[:5] + string('0'+(live[5]-'0'+1)%10) }
	o := NewOTPs(store.New(), "otps", newFakeClock(), NewIDs(1), 3*time.Minute, 6)
	live := o.Issue("t", "m")
	for i := 1; i < DefaultOTPAttempts; i++ {
		if err := o.Check("t", "m", wrong(live)); err != ErrOTPWrong {
			t.Fatalf("wrong try %d: %v", i, err)
		}
	}
	if err := o.Check("t", "m", wrong(live)); err != ErrOTPLocked {
		t.Fatalf("try %d: %v, want ErrOTPLocked", DefaultOTPAttempts, err)
	}
	if err := o.Check("t", "m", live); err != ErrOTPLocked {
		t.Fatalf("right code after the limit: %v", err)
	}
	if _, ok := o.Peek("t", "m"); ok {
		t.Fatal("Peek shows a spent password")
	}
	live = o.Issue("t", "m")
	if err := o.Check("t", "m", live); err != nil {
		t.Fatalf("a new password after the lock: %v", err)
	}

	// 100 parallel wrong guesses and then the right code: at most the limit counted,
	// and the right code is refused.
	live = o.Issue("t", "p")
	var wg sync.WaitGroup
	var wrongs, locked atomic.Int64
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch o.Check("t", "p", wrong(live)) {
			case ErrOTPWrong:
				wrongs.Add(1)
			case ErrOTPLocked:
				locked.Add(1)
			}
		}()
	}
	wg.Wait()
	if wrongs.Load() != DefaultOTPAttempts-1 || locked.Load() != 100-DefaultOTPAttempts+1 {
		t.Fatalf("%d wrong, %d locked", wrongs.Load(), locked.Load())
	}
	if err := o.Check("t", "p", live); err != ErrOTPLocked {
		t.Fatalf("right code after 100 guesses: %v", err)
	}

	// No limit when asked for.
	u := NewOTPs(store.New(), "otps", newFakeClock(), NewIDs(1), 3*time.Minute, 6).WithAttempts(0)
	live = u.Issue("t", "m")
	for i := 0; i < 50; i++ {
		if err := u.Check("t", "m", wrong(live)); err != ErrOTPWrong {
			t.Fatalf("unlimited, try %d: %v", i, err)
		}
	}
	if err := u.Check("t", "m", live); err != nil {
		t.Fatal(err)
	}
}
