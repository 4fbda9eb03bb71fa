package finnotech

import (
	"errors"
	"slices"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/oauth"
)

// Grant.Data keys of an SMS-authorised code.
const (
	dataAuthType = "auth_type"
	dataSMSAt    = "sms_at"
	dataSMSBank  = "sms_bank"
)

// smsSession is a pending SMS login (§2.3), keyed by the trackId the authorize
// call answered with.
type smsSession struct {
	ClientID    string    `json:"clientId"`
	RedirectURI string    `json:"redirectUri"`
	Scopes      []string  `json:"scopes"`
	State       string    `json:"state"`
	Bank        string    `json:"bank"`
	Mobile      string    `json:"mobile"`
	NID         string    `json:"nid"`
	SentAt      time.Time `json:"sentAt"`
}

// Clone keeps stored rows independent.
func (s smsSession) Clone() smsSession { s.Scopes = slices.Clone(s.Scopes); return s }

// Retenant moves an SMS login restored into another client's tenant to that
// client (store.Retenanter).
func (s smsSession) Retenant(from, to string) (smsSession, bool) {
	if s.ClientID == from {
		s.ClientID = to
	}
	return s, true
}

// Retenant moves an SMS restored into another client's tenant to that client.
func (m smsMessage) Retenant(from, to string) (smsMessage, bool) {
	if m.ClientID == from {
		m.ClientID = to
	}
	return m, true
}

// smsMessage is one text in the outbox the control plane shows, standing in for
// the phone a test does not have.
type smsMessage struct {
	Mobile   string    `json:"mobile"`
	OTP      string    `json:"otp"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
	ClientID string    `json:"clientId"`
	TrackID  string    `json:"trackId"`
}

// validMobile is 09 and nine more digits, the form every Finnotech page uses.
func validMobile(s string) bool {
	return len(s) == 11 && s[0] == '0' && s[1] == '9' && digits.Len(s, 11)
}

// sendSMS ends an authorize call with auth_type=SMS (its mobile and nid judged
// by parseAuthorize): the password goes to the
// outbox and the answer names the trackId that verify/sms must quote.
func (p *Provider) sendSMS(c *api.Call, s smsSession) error {
	track := p.ids.UUID()
	s.SentAt = c.Now
	p.smsAuth.Put(c.Tenant, track, s)
	code := p.otps.Issue(c.Tenant, track)
	p.smsOut.Put(c.Tenant, track, smsMessage{Mobile: s.Mobile, OTP: code, At: c.Now, ClientID: c.Tenant, TrackID: track,
		Text: "کد تایید شما در فینوتک: " + code + "\nاین کد تا ۳ دقیقه معتبر است."})
	return api.JSON(c, 200, success{Result: map[string]any{"smsSent": true, "trackId": track}, Status: "DONE"})
}

// verifySMS is POST /dev/v2/oauth2/verify/sms: the password becomes a code for
// the token endpoint. Wrong password, wrong mobile or an unknown trackId are one
// error, as documented; a password past its 3 minutes is the other.
func (p *Provider) verifySMS() api.Op[fields, api.Written] {
	return api.Op[fields, api.Written]{Parse: parseVerifySMS, Run: api.Writes(p.runVerifySMS)}
}

// parseVerifySMS judges the body's shape; the password itself is checked (and
// spent) by the act.
func parseVerifySMS(c *api.Call) (fields, error) {
	f, e := readFields(c)
	if e != nil {
		return nil, e
	}
	for _, name := range []string{"mobile", "otp", "nid", "trackId"} {
		if !f.has(name) {
			return nil, invalid(name + " is required")
		}
	}
	if !digits.Len(f.get("nid"), 10) {
		return nil, invalid("nid must be a 10-digit national id")
	}
	return f, nil
}

func (p *Provider) runVerifySMS(c *api.Call, f fields) error {
	track := f.get("trackId")
	s, found := p.smsAuth.Get(c.Tenant, track)
	if !found || s.Mobile != f.get("mobile") || (s.NID != "" && s.NID != f.get("nid")) {
		return p.errCode(keyOTPInvalid)
	}
	if !c.Now.Before(s.SentAt.Add(smsTTL)) {
		return p.errCode(keyOTPExpired)
	}
	switch err := p.otps.Check(c.Tenant, track, f.get("otp")); {
	case errors.Is(err, oauth.ErrOTPExpired), errors.Is(err, oauth.ErrOTPLocked):
		// A password spent by too many wrong tries cannot be used any more, as an
		// expired one: the client must ask for a new SMS.
		return p.errCode(keyOTPExpired)
	case err != nil:
		return p.errCode(keyOTPInvalid)
	}
	p.smsAuth.Delete(c.Tenant, track)
	code := p.codes.Issue(oauth.Grant{ClientID: c.Tenant, RedirectURI: s.RedirectURI, Subject: f.get("nid"),
		Scopes: s.Scopes, Data: map[string]string{dataAuthType: "SMS", dataSMSAt: s.SentAt.Format(time.RFC3339Nano), dataSMSBank: s.Bank}})
	return api.JSON(c, 200, success{Result: map[string]string{"code": code}, Status: "DONE"})
}
