package finnotech_test

import (
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// Issue 16 item 8: with --retention, a consumed trackId and the SMS outbox are
// forgotten once older than it (the trackId may be sent again, the admin outbox
// no longer lists the message); without one they are kept for ever.
func TestRetentionForgetsTrackIDsAndSMS(t *testing.T) {
	for _, tt := range []struct {
		name   string
		config string
		forget bool
	}{
		{"24h", "retention: 24h\n", true},
		{"off", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := sandbanktest.Start(t, sandbanktest.WithClock(t0), sandbanktest.WithConfig(tt.config))
			c := newClient(t, srv, "drops")
			list := func() int {
				cc := c.ccToken("card:list:get")
				return c.bearer(cc, "GET", "/mpg/v2/clients/drops/cards?mobile=09121234567&trackId=list-1", nil).Status
			}
			if s := list(); s != 200 {
				t.Fatalf("first use of a trackId: %d", s)
			}
			if s := list(); s != 400 {
				t.Fatalf("reuse of a trackId: %d, want 400", s)
			}
			smsLogin(t, srv, c)
			outbox := func() int {
				var box struct{ Messages []struct{ TrackID string } }
				srv.Admin.Get("/finnotech/otp?mobile=09121234567", &box)
				return len(box.Messages)
			}
			srv.Admin.Advance("23h")
			if outbox() != 1 || list() != 400 {
				t.Fatal("forgotten within the retention")
			}
			srv.Admin.Advance("4h") // past it, and past the next sweep (every 3h)
			if tt.forget {
				if n := outbox(); n != 0 {
					t.Fatalf("%d SMS left past the retention", n)
				}
				if s := list(); s != 200 {
					t.Fatalf("a trackId past the retention: %d, want it usable again", s)
				}
				return
			}
			if outbox() != 1 || list() != 400 {
				t.Fatal("forgotten without a retention")
			}
		})
	}
}
