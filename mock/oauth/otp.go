package oauth

import (
	"crypto/subtle"
	"sync"
	"time"
)

// OTPs holds one-time passwords keyed by whatever identifies the login (a mobile
// number, a trackId). It is safe for concurrent use.
type OTPs struct {
	clk    Clock
	ttl    time.Duration
	length int
	gen    func(n int) string

	mu    sync.Mutex
	codes map[string]otp
}

type otp struct {
	code    string
	expires time.Time
}

// NewOTPs returns a store of numeric passwords of length digits that live for ttl.
func NewOTPs(clk Clock, ids *IDs, ttl time.Duration, length int) *OTPs {
	return &OTPs{clk: clk, ttl: ttl, length: length, gen: ids.Digits, codes: map[string]otp{}}
}

// NewAlnumOTPs is NewOTPs with [0-9A-Za-z] passwords: Finnotech's SMS example code
// ("qMeQs") is alphanumeric, not numeric.
func NewAlnumOTPs(clk Clock, ids *IDs, ttl time.Duration, length int) *OTPs {
	o := NewOTPs(clk, ids, ttl, length)
	o.gen = ids.Alnum
	return o
}

// Issue returns a new password for key, replacing any earlier one as a re-sent SMS does.
func (o *OTPs) Issue(key string) string {
	code := o.gen(o.length)
	now := o.clk.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	// Kept one more ttl after expiry so a late Check still says "expired", which
	// Finnotech reports differently from a wrong code.
	for k, c := range o.codes {
		if now.After(c.expires.Add(o.ttl)) {
			delete(o.codes, k)
		}
	}
	o.codes[key] = otp{code: code, expires: now.Add(o.ttl)}
	return code
}

// Check verifies code for key. A correct code is consumed; a wrong one is not, so the
// user may retry until the password expires. An expired password is forgotten.
func (o *OTPs) Check(key, code string) error {
	now := o.clk.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	c, ok := o.codes[key]
	switch {
	case !ok:
		return ErrOTPUnknown
	case !now.Before(c.expires):
		delete(o.codes, key)
		return ErrOTPExpired
	case subtle.ConstantTimeCompare([]byte(c.code), []byte(code)) != 1:
		return ErrOTPWrong
	}
	delete(o.codes, key)
	return nil
}

// Peek shows the live password for key without consuming it, so the control plane
// can stand in for the SMS a test cannot receive.
func (o *OTPs) Peek(key string) (code string, ok bool) {
	now := o.clk.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	c, ok := o.codes[key]
	if !ok || !now.Before(c.expires) {
		return "", false
	}
	return c.code, true
}

// Reset forgets every password.
func (o *OTPs) Reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(o.codes)
}
