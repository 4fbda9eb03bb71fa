package paynet

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// otpRow is one OTP session (otp_session_id, chosen by the merchant).
type otpRow struct {
	SessionID string    `json:"otp_session_id"`
	GSM       string    `json:"user_gsm"`
	Code      string    `json:"otp_code"`
	Sent      int       `json:"sent"` // how many times a code was sent for the session
	SentAt    time.Time `json:"sent_at"`
	Expires   time.Time `json:"otp_expire"`
	Verified  bool      `json:"verified"`        // check_otp accepted the code
	Used      bool      `json:"used"`            // a card/save consumed the session
	Wrong     int       `json:"wrong,omitempty"` // wrong codes tried since the last send
}

// dotnetTime is the .NET round-trip form of the SDK fixture
// (2017-07-17T15:30:15.0581408+03:00), in Turkish time.
const dotnetTime = "2006-01-02T15:04:05.0000000-07:00"

// normalizeGSM accepts 5XXXXXXXXX and the forms people type it in (05…, 905…,
// +905…, spaces), and returns the documented 10-digit form, or "" when it is
// not a Turkish mobile number.
func normalizeGSM(s string) string {
	s = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(s)
	s = strings.TrimPrefix(s, "+")
	switch {
	case len(s) == 12 && strings.HasPrefix(s, "90"):
		s = s[2:]
	case len(s) == 11 && strings.HasPrefix(s, "0"):
		s = s[1:]
	}
	if len(s) != 10 || s[0] != '5' || !digits.All(s) {
		return ""
	}
	return s
}

type sendOTPReply struct {
	ObjectName string `json:"object_name"`
	Code       int    `json:"code"`
	Message    string `json:"message"`
	OTPExpire  string `json:"otp_expire"`
}

// cardSendOTP sends a 6-digit code to user_gsm for otp_session_id. Sending again
// for a session replaces its code (a re-sent SMS) and resets its verification.
// The code is derived from the seed, the key, the session and the send count,
// and shown at /_sandbox/paynet/otp in place of the SMS.
func (p *Provider) cardSendOTP() api.Op[[2]string, sendOTPReply] {
	return api.Op[[2]string, sendOTPReply]{Parse: parseSendOTP, Magic: merchant[[2]string](p), Run: p.runSendOTP}
}

// parseSendOTP answers the normalised GSM and the session id.
func parseSendOTP(c *api.Call) ([2]string, error) {
	in, err := decode(c)
	if err != nil {
		return [2]string{}, err
	}
	raw, err := in.required("user_gsm")
	if err != nil {
		return [2]string{}, err
	}
	gsm := normalizeGSM(raw)
	if gsm == "" {
		return [2]string{}, badRequest("user_gsm 5XXXXXXXXX biçiminde olmalı")
	}
	sess, err := in.required("otp_session_id")
	if err != nil {
		return [2]string{}, err
	}
	return [2]string{gsm, sess}, nil
}

func (p *Provider) runSendOTP(c *api.Call, v [2]string) (sendOTPReply, error) {
	gsm, sess := v[0], v[1]
	var row otpRow
	if c.Decision.Commits() {
		_ = p.otps.Upsert(c.Tenant, sess, func() otpRow { return otpRow{SessionID: sess} }, func(r *otpRow) error {
			r.Sent++
			r.GSM = gsm
			r.Code = fmt.Sprintf("%06d", p.number(1_000_000, "otp", c.Tenant, sess, gsm, fmt.Sprint(r.Sent)))
			r.SentAt = c.Now
			r.Expires = c.Now.Add(p.cfg.otpTTL)
			r.Verified, r.Used, r.Wrong = false, false, 0
			row = *r
			return nil
		})
	} else {
		row.Expires = c.Now.Add(p.cfg.otpTTL)
	}
	code := okCode(c.Decision)
	return sendOTPReply{
		ObjectName: "card_send_otp", Code: code, Message: envelopeMessage(code),
		OTPExpire: row.Expires.In(istanbul).Format(dotnetTime),
	}, nil
}

// checkCode judges code against the session row at now. A wrong code is counted
// in the row (the caller keeps the row when commit is set): after attempts wrong
// codes (0 = no limit) the code is spent, and every check answers so, the right
// code included, until send_otp sends a new one. Paynet documents no lockout code,
// so it is its general failure (1) with its own message.
func checkCode(r *otpRow, gsm, code string, now time.Time, attempts int, commit bool) (counted bool, err error) {
	switch {
	case gsm != "" && gsm != r.GSM:
		return false, errWith(codeFailed, "user_gsm bu OTP oturumuyla eşleşmiyor")
	case r.Used:
		return false, errWith(codeFailed, "OTP oturumu daha önce kullanılmış")
	case attempts > 0 && r.Wrong >= attempts:
		return false, errOTPLocked()
	case !now.Before(r.Expires):
		return false, errWith(codeFailed, "OTP kodunun süresi dolmuş")
	case subtle.ConstantTimeCompare([]byte(r.Code), []byte(code)) != 1:
		if !commit {
			return false, errWith(codeFailed, "OTP kodu hatalı")
		}
		r.Wrong++
		if attempts > 0 && r.Wrong >= attempts {
			return true, errOTPLocked()
		}
		return true, errWith(codeFailed, "OTP kodu hatalı")
	}
	return false, nil
}

func errOTPLocked() error {
	return errWith(codeFailed, "çok fazla hatalı OTP denemesi: yeni bir kod gönderilmeli (send_otp)")
}

// cardCheckOTP verifies the code of a session. A wrong code may be retried
// until the code expires; a session never sent is 12.
func (p *Provider) cardCheckOTP() api.Op[[]string, result] {
	return api.Op[[]string, result]{Parse: parseCheckOTP, Magic: merchant[[]string](p), Run: p.runCheckOTP}
}

// parseCheckOTP answers the code, the session id and the normalised GSM.
func parseCheckOTP(c *api.Call) ([]string, error) {
	_, v, err := need(c, "otp_code", "otp_session_id", "user_gsm")
	if err != nil {
		return nil, err
	}
	if v[2] = normalizeGSM(v[2]); v[2] == "" {
		return nil, badRequest("user_gsm 5XXXXXXXXX biçiminde olmalı")
	}
	return v, nil
}

func (p *Provider) runCheckOTP(c *api.Call, v []string) (result, error) {
	otp, sess, gsm := v[0], v[1], v[2]
	var refused error // a wrong code, kept in the row's count
	err := p.otps.Update(c.Tenant, sess, func(r *otpRow) error {
		if r.Verified && !r.Used && r.Code == otp && r.GSM == gsm && c.Now.Before(r.Expires) {
			return nil // checking a verified code again is still a success
		}
		if counted, err := checkCode(r, gsm, otp, c.Now, p.cfg.otpTries, c.Decision.Commits()); err != nil {
			if counted {
				refused = err
				return nil
			}
			return err
		}
		if c.Decision.Commits() {
			r.Verified = true
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		err = p.noData("OTP oturumu bulunamadı")
	}
	if err == nil {
		err = refused
	}
	if err != nil {
		return result{}, err
	}
	return okResult(c, "card_check_otp"), nil
}

// useOTP consumes a session for card/save: it must have been verified by
// check_otp, or the save carries its live code.
func (p *Provider) useOTP(c *api.Call, sess, gsm, code string) error {
	var refused error // a wrong code, kept in the row's count
	err := p.otps.Update(c.Tenant, sess, func(r *otpRow) error {
		switch {
		case gsm != "" && gsm != r.GSM:
			return errWith(codeFailed, "user_gsm bu OTP oturumuyla eşleşmiyor")
		case r.Used:
			return errWith(codeFailed, "OTP oturumu daha önce kullanılmış")
		case !r.Verified && code == "":
			return errWith(codeFailed, "OTP doğrulanmamış: önce check_otp çağrılmalı ya da otp_code gönderilmeli")
		case !r.Verified:
			if counted, err := checkCode(r, gsm, code, c.Now, p.cfg.otpTries, c.Decision.Commits()); err != nil {
				if counted {
					refused = err
					return nil
				}
				return err
			}
		}
		if c.Decision.Commits() {
			r.Used = true
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return p.noData("OTP oturumu bulunamadı")
	}
	if err == nil {
		err = refused
	}
	return err
}
