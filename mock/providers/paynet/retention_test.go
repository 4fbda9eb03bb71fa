package paynet_test

import (
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// Issue 16 item 8: with --retention, OTP sessions that can no longer be used
// (never verified and expired, or consumed by card/save) go once older than
// it; a verified session not yet used, and the stored card, stay. Without a
// retention every session is kept.
func TestRetentionDropsDeadOTPSessions(t *testing.T) {
	for _, tt := range []struct {
		name, config string
		drop         bool
	}{{"24h", "retention: 24h\n", true}, {"off", "", false}} {
		t.Run(tt.name, func(t *testing.T) {
			srv := sandbanktest.Start(t, sandbanktest.WithConfig(tt.config))
			base := srv.Base("paynet") + "/v1/card/"
			send := func(sess string) string {
				if st, r, _ := call(t, base+"send_otp", "sck_ret", `{"user_gsm":"5321234567","otp_session_id":"`+sess+`"}`); st != 200 || num(r["code"]) != 0 {
					t.Fatalf("send_otp: %d %v", st, r)
				}
				var otp struct {
					Code string `json:"otp_code"`
				}
				srv.Admin.Get("/paynet/otp?otp_session_id="+sess, &otp)
				return otp.Code
			}
			check := func(sess, code string) {
				if _, r, _ := call(t, base+"check_otp", "sck_ret", `{"user_gsm":"5321234567","otp_session_id":"`+sess+`","otp_code":"`+code+`"}`); num(r["code"]) != 0 {
					t.Fatalf("check_otp %s: %v", sess, r)
				}
			}
			save := func(sess, number string) map[string]any {
				_, r, _ := call(t, base+"save", "sck_ret", `{"card_desc":"K","card_holder":"Ali Veli","card_number":"`+number+`","expire_month":"12","expire_year":"2030","user_unique_id":"u-1","otp_session_id":"`+sess+`","user_gsm":"5321234567"}`)
				return r
			}
			send("expired")
			check("verified", send("verified"))
			check("used", send("used"))
			if r := save("used", "4355084355084358"); num(r["code"]) != 0 {
				t.Fatalf("save: %v", r)
			}
			srv.Admin.Advance("27h") // past the retention and the next sweep (every 3h)
			gone := func(sess string) bool {
				return srv.Admin.Get("/paynet/otp?otp_session_id="+sess, nil) == 404
			}
			if gone("expired") != tt.drop || gone("used") != tt.drop {
				t.Fatalf("dead sessions dropped: expired %v, used %v; want %v", gone("expired"), gone("used"), tt.drop)
			}
			if gone("verified") {
				t.Fatal("a verified, unused session was dropped")
			}
			if r := save("verified", "5400010000000004"); num(r["code"]) != 0 {
				t.Fatalf("save with the kept verified session: %v", r)
			}
			var view struct {
				Owners []struct{ Cards []any }
			}
			srv.Admin.Get("/paynet/cards?key=sck_ret", &view)
			if len(view.Owners) != 1 || len(view.Owners[0].Cards) != 2 {
				t.Fatalf("card owners %+v, want one with both cards", view)
			}
		})
	}
}
