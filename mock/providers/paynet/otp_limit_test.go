package paynet_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// Issue 16 item 3: check_otp takes five wrong codes for one send_otp (2,000 were
// taken before); then the code is spent, the right one included, until send_otp
// sends a new one. The code also expires on the virtual clock. otp_attempts
// changes the limit.
func TestOTPAttemptLimit(t *testing.T) {
	srv := sandbanktest.Start(t)
	base := srv.Base("paynet") + "/v1/card/"
	send := func(sess string) string {
		if st, r, _ := call(t, base+"send_otp", "sck_otp", `{"user_gsm":"5321234567","otp_session_id":"`+sess+`"}`); st != 200 || num(r["code"]) != 0 {
			t.Fatalf("send_otp: %d %v", st, r)
		}
		var otp struct {
			Code string `json:"otp_code"`
		}
		srv.Admin.Get("/paynet/otp?user_gsm=5321234567", &otp)
		return otp.Code
	}
	check := func(sess, code string) map[string]any {
		_, r, _ := call(t, base+"check_otp", "sck_otp", `{"user_gsm":"5321234567","otp_session_id":"`+sess+`","otp_code":"`+code+`"}`)
		return r
	}
	code := send("s-1")
	for i := 1; i <= 20; i++ {
		r := check("s-1", fmt.Sprintf("x%05d", i))
		msg, _ := r["message"].(string)
		locked := strings.Contains(msg, "çok fazla")
		if num(r["code"]) != 1 || locked != (i >= 5) {
			t.Fatalf("wrong code %d: %v", i, r)
		}
	}
	if r := check("s-1", code); num(r["code"]) != 1 || !strings.Contains(r["message"].(string), "çok fazla") {
		t.Fatalf("right code after 20 wrong: %v", r)
	}
	// card/save with the spent session's code is refused the same way.
	save := `{"card_desc":"K","card_holder":"Ali Veli","card_number":"4355084355084358","expire_month":"12","expire_year":"2030","user_unique_id":"u-1","otp_session_id":"s-1","user_gsm":"5321234567","otp_code":"` + code + `"}`
	if _, r, _ := call(t, base+"save", "sck_otp", save); num(r["code"]) == 0 {
		t.Fatalf("save with a spent code: %v", r)
	}
	code = send("s-1")
	if r := check("s-1", code); num(r["code"]) != 0 {
		t.Fatalf("a new code: %v", r)
	}

	// The lifetime is on the virtual clock.
	code = send("s-2")
	srv.Admin.Advance("3m")
	if r := check("s-2", code); num(r["code"]) != 1 || !strings.Contains(r["message"].(string), "süresi dolmuş") {
		t.Fatalf("code after 3 minutes: %v", r)
	}

	srv = sandbanktest.Start(t, sandbanktest.WithConfig("providers:\n  paynet:\n    otp_attempts: 0\n"))
	base = srv.Base("paynet") + "/v1/card/"
	code = send("s-3")
	for i := 0; i < 30; i++ {
		check("s-3", "000000x")
	}
	if r := check("s-3", code); num(r["code"]) != 0 {
		t.Fatalf("otp_attempts 0 (no limit): %v", r)
	}
}
