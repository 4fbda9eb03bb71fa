package finnotech_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// smsLogin starts an SMS login and returns its trackId and password.
func smsLogin(t *testing.T, srv *sandbanktest.Server, c *client) (track, otp string) {
	t.Helper()
	q := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {"https://www.drops.com/return"},
		"scope": {"credit:user-info:get"}, "mobile": {"09121234567"}, "state": {"1"}, "auth_type": {"SMS"}}
	r := c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil, "Authorization", c.basicHeader())
	if r.Status != 200 {
		t.Fatalf("SMS authorize: %d %s", r.Status, r.Raw)
	}
	track = r.str("result.trackId")
	var box struct {
		Messages []struct{ OTP, TrackID string }
	}
	srv.Admin.Get("/finnotech/otp?mobile=09121234567", &box)
	for _, m := range box.Messages {
		if m.TrackID == track {
			return track, m.OTP
		}
	}
	t.Fatalf("no SMS for %s in %+v", track, box)
	return "", ""
}

// Issue 16 item 3: verify/sms takes five wrong passwords for one SMS (300 were
// taken before); then the password is spent and even the right one is answered as
// expired, until a new SMS is sent. otp_attempts changes the limit.
func TestSMSAttemptLimit(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	verify := func(track, otp string) reply {
		return c.do("POST", "/dev/v2/oauth2/verify/sms", map[string]any{"mobile": "09121234567", "otp": otp, "nid": "0012345678", "trackId": track},
			"Authorization", c.basicHeader())
	}
	track, otp := smsLogin(t, srv, c)
	for i := 1; i <= 20; i++ {
		r := verify(track, fmt.Sprintf("x%04d", i))
		want := "invalid otp or mobile"
		if i >= 5 {
			want = "Expiration time is exceeded"
		}
		if r.Status != 400 || r.str("error.code") != "VALIDATION_ERROR" || r.str("error.message") != want {
			t.Fatalf("wrong password %d: %d %s, want %q", i, r.Status, r.Raw, want)
		}
	}
	if r := verify(track, otp); r.Status != 400 || r.str("error.message") != "Expiration time is exceeded" {
		t.Fatalf("right password after 20 wrong: %d %s", r.Status, r.Raw)
	}
	track, otp = smsLogin(t, srv, c)
	if r := verify(track, "wrong"); r.Status != 400 {
		t.Fatalf("wrong password: %d", r.Status)
	}
	if r := verify(track, otp); r.Status != 200 || r.str("result.code") == "" {
		t.Fatalf("a new SMS: %d %s", r.Status, r.Raw)
	}

	srv = sandbanktest.Start(t, sandbanktest.WithClock(t0), sandbanktest.WithConfig("providers:\n  finnotech:\n    otp_attempts: 0\n"))
	c = newClient(t, srv, "drops")
	track, otp = smsLogin(t, srv, c)
	for i := 0; i < 30; i++ {
		verify(track, "wrong")
	}
	if r := verify(track, otp); r.Status != 200 {
		t.Fatalf("otp_attempts 0 (no limit): %d %s", r.Status, r.Raw)
	}
}
