package oauth

import (
	"crypto/subtle"
	"errors"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// otpRow is one live password.
type otpRow struct {
	Code    string    `json:"code"`
	Expires time.Time `json:"expires"`
	Wrong   int       `json:"wrong,omitempty"`  // wrong tries so far
	Locked  bool      `json:"locked,omitempty"` // spent by the last allowed wrong try
}

// OTPs holds one-time passwords in a store table, per tenant and keyed by whatever
// identifies the login (a mobile number, a trackId). It is safe for concurrent use:
// a password is checked and consumed under its row's lock, so a right password is
// accepted once however many requests race with it.
type OTPs struct {
	clk      Clock
	ttl      time.Duration
	length   int
	attempts int // wrong tries a password survives; 0 = no limit
	gen      func(n int) string
	table    *store.Table[otpRow]
	aged     *store.Index[otpRow] // by expiry, with Retain only
}

// DefaultOTPAttempts is how many wrong tries a password takes before it is spent,
// unless a provider's configuration says otherwise: without a limit a six-digit
// code falls to a loop of guesses well within its lifetime.
const DefaultOTPAttempts = 5

// WithAttempts sets how many wrong tries spend a password (0: no limit) and returns o.
func (o *OTPs) WithAttempts(n int) *OTPs {
	o.attempts = max(n, 0)
	return o
}

// NewOTPs returns numeric passwords of length digits that live for ttl, kept in st
// as table name.
func NewOTPs(st *store.Store, name string, clk Clock, ids *IDs, ttl time.Duration, length int) *OTPs {
	return &OTPs{clk: clk, ttl: ttl, length: length, attempts: DefaultOTPAttempts, gen: ids.Digits, table: store.NewTable[otpRow](st, name)}
}

// NewAlnumOTPs is NewOTPs with [0-9A-Za-z] passwords: Finnotech's SMS example code
// ("qMeQs") is alphanumeric, not numeric.
func NewAlnumOTPs(st *store.Store, name string, clk Clock, ids *IDs, ttl time.Duration, length int) *OTPs {
	o := NewOTPs(st, name, clk, ids, ttl, length)
	o.gen = ids.Alnum
	return o
}

// Issue returns a new password for key, replacing any earlier one as a re-sent SMS does.
func (o *OTPs) Issue(tenant, key string) string {
	code := o.gen(o.length)
	now := o.clk.Now()
	// Kept one more ttl after expiry so a late Check still says "expired", which
	// Finnotech reports differently from a wrong code.
	for _, it := range o.table.List(tenant) {
		if now.After(it.Value.Expires.Add(o.ttl)) {
			o.table.Delete(tenant, it.ID)
		}
	}
	o.table.Put(tenant, key, otpRow{Code: code, Expires: now.Add(o.ttl)})
	return code
}

// Check verifies code for key. A correct code is consumed; a wrong one is counted,
// and the user may retry until the password expires or the wrong tries reach the
// limit (WithAttempts): the try that reaches it, and every one after, even with the
// right code, is ErrOTPLocked until a new password is issued. An expired password
// is forgotten. A used or expired password is blanked under its lock rather than
// deleted, so that a password re-sent in the meantime is never removed by mistake;
// Issue purges the rows.
func (o *OTPs) Check(tenant, key, code string) error {
	now := o.clk.Now()
	var result error
	err := o.table.Update(tenant, key, func(r *otpRow) error {
		switch {
		case r.Locked:
			result = ErrOTPLocked
			return nil
		case r.Code == "":
			result = ErrOTPUnknown // consumed by a racing Check
			return nil
		case !now.Before(r.Expires):
			result = ErrOTPExpired
		case subtle.ConstantTimeCompare([]byte(r.Code), []byte(code)) != 1:
			// Counted under the row's lock, so parallel guesses cannot share a try.
			r.Wrong++
			if o.attempts == 0 || r.Wrong < o.attempts {
				result = ErrOTPWrong
				return nil
			}
			r.Locked = true
			result = ErrOTPLocked
		}
		r.Code = ""
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrOTPUnknown
	case err != nil:
		return err
	}
	return result
}

// Peek shows the live password for key without consuming it, so the control plane
// can stand in for the SMS a test cannot receive.
func (o *OTPs) Peek(tenant, key string) (code string, ok bool) {
	r, ok := o.table.Get(tenant, key)
	if !ok || r.Code == "" || r.Locked || !o.clk.Now().Before(r.Expires) {
		return "", false
	}
	return r.Code, true
}
