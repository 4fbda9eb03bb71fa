package finnotech_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// TestAuthorizeDanceOverPlainHTTP walks the whole authorization-code dance the way
// a browser would, but with redirects off so every hop is checked: authorize →
// 302 → login page → wrong then right login → 302 → consent page → approve → 302
// to redirect_uri with code and state → token exchange → charge → balance fell.
func TestAuthorizeDanceOverPlainHTTP(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	redirect := "https://www.drops.com/return?app=1"
	q := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {"oak:card-charge:execute,oak:balance:get,oak:card-charge-inquiry:get"}, "bank": {"062"},
		"limit": {"5000000"}, "count": {"100"}, "state": {"xyz 1"}}
	login := location(t, c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode()+"&sandbox=true", nil))
	if !strings.HasPrefix(login.String(), srv.URL+"/finnotech/dev/v2/oauth2/bank/login?session=") {
		t.Fatalf("login URL %s", login)
	}
	session := login.Query().Get("session")

	page := c.do("GET", login.String(), nil)
	html := string(page.Raw)
	if page.Status != 200 || !strings.Contains(html, `dir="rtl"`) || !strings.Contains(html, `id="login"`) ||
		!strings.Contains(html, "بانک آینده") || !strings.Contains(html, session) {
		t.Fatalf("login page: %d %s", page.Status, html)
	}
	wrong := c.do("POST", srv.URL+"/finnotech/dev/v2/oauth2/bank/login", url.Values{"session": {session}, "username": {"1111111111"}, "password": {"2222222222"}})
	if wrong.Status != 200 || !strings.Contains(string(wrong.Raw), "نام کاربری یا رمز عبور اشتباه است") {
		t.Fatalf("wrong login: %d %s", wrong.Status, wrong.Raw)
	}
	consent := location(t, c.do("POST", srv.URL+"/finnotech/dev/v2/oauth2/bank/login", url.Values{"session": {session}, "username": {"1111111111"}, "password": {"1111111111"}}))
	if consent.Path != "/finnotech/dev/v2/oauth2/bank/consent" {
		t.Fatalf("consent URL %s", consent)
	}
	page = c.do("GET", consent.String(), nil)
	html = string(page.Raw)
	for _, want := range []string{`id="consent"`, "oak:card-charge:execute", `value="0211111111111"`, `value="0211111111112"`, `id="approve"`, `id="deny"`} {
		if !strings.Contains(html, want) {
			t.Errorf("consent page lacks %s", want)
		}
	}
	// The pending consent is visible in the control plane until decided.
	var pending struct {
		Consents []struct{ ID, Status, User string }
	}
	srv.Admin.Get("/finnotech/consents", &pending)
	if len(pending.Consents) != 1 || pending.Consents[0].ID != session || pending.Consents[0].User != "1111111111" {
		t.Errorf("pending consents %+v", pending)
	}

	back := location(t, c.do("POST", consent.String(), url.Values{"session": {session}, "action": {"approve"}, "deposits": {"0211111111111"}}))
	if back.Host != "www.drops.com" || back.Query().Get("app") != "1" || back.Query().Get("state") != "xyz 1" || len(back.Query().Get("code")) != 16 {
		t.Fatalf("redirect back %s", back)
	}
	code := back.Query().Get("code")

	if r := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "062", "redirect_uri": "https://www.drops.com/other"}); r.Status != 400 {
		t.Errorf("redirect_uri mismatch: %d %s", r.Status, r.Raw)
	}
	tok := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "062", "redirect_uri": redirect})
	if tok.Status != 200 || tok.str("result.type") != "CODE" || tok.str("result.bank") != "062" || tok.str("result.userId") != "1111111111" ||
		tok.str("result.clientId") != "drops" || tok.field("result.maxAmountPerTransaction").(float64) != 5000000 ||
		tok.field("result.monthlyCallLimitation").(float64) != 100 || tok.field("result.lifeTime").(float64) != 864000000 {
		t.Fatalf("token: %d %s", tok.Status, tok.Raw)
	}
	if deps := tok.field("result.deposits").([]any); len(deps) != 1 || deps[0] != "0211111111111" {
		t.Fatalf("deposits %v", deps)
	}
	if r := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": code, "bank": "062", "redirect_uri": redirect}); r.Status != 400 || r.str("error.message") != "invalid code" {
		t.Errorf("code reused: %d %s", r.Status, r.Raw)
	}
	value := tok.str("result.value")

	balance := func() int64 {
		r := c.bearer(value, "GET", "/oak/v2/clients/drops/deposits/0211111111111/balance/", nil)
		if r.Status != 200 {
			t.Fatalf("balance: %d %s", r.Status, r.Raw)
		}
		return int64(r.field("result.availableBalance").(float64))
	}
	before := balance()
	r := c.bearer(value, "POST", "/oak/v2/clients/drops/deposits/0211111111111/chargeCard?trackId=dance-charge-1", map[string]any{"amount": 20000, "card": "6362144202902795"})
	if r.Status != 200 || r.str("status") != "DONE" || r.str("result.chargeState") != "DONE" || r.str("result.amount") != "20000" || r.str("result.card") != "2795" {
		t.Fatalf("charge: %d %s", r.Status, r.Raw)
	}
	if _, isNum := r.field("result.tracker").(float64); !isNum {
		t.Errorf("tracker is not a number: %s", r.Raw)
	}
	if after := balance(); after != before-20000 {
		t.Errorf("balance %d → %d, want a fall of 20000", before, after)
	}
	// The consent is finished: it is no longer pending, and its session is closed.
	srv.Admin.Get("/finnotech/consents", &pending)
	if len(pending.Consents) != 0 {
		t.Errorf("still pending: %+v", pending)
	}
	if r := c.do("GET", login.String(), nil); r.Status != 400 {
		t.Errorf("finished session login page: %d", r.Status)
	}
}

func TestDenyAndControlPlaneShortcut(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	start := func() string {
		q := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {"http://localhost:9999/cb"},
			"scope": {"oak:balance:get"}, "bank": {"078"}, "state": {"s1"}}
		return location(t, c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil)).Query().Get("session")
	}
	// Deny on the page.
	s := start()
	c.do("POST", srv.URL+"/finnotech/dev/v2/oauth2/bank/login", url.Values{"session": {s}, "username": {"3333333333"}, "password": {"3333333333"}})
	back := location(t, c.do("POST", srv.URL+"/finnotech/dev/v2/oauth2/bank/consent", url.Values{"session": {s}, "action": {"deny"}}))
	if back.Query().Get("error") != "access_denied" || back.Query().Get("state") != "s1" || back.Query().Get("code") != "" {
		t.Errorf("deny redirect %s", back)
	}
	// Deny and approve through the control plane.
	var out struct{ Redirect string }
	if st := srv.Admin.Do("POST", "/finnotech/consents/"+start()+"/deny", nil, &out); st != 200 || !strings.Contains(out.Redirect, "error=access_denied") {
		t.Errorf("admin deny: %d %s", st, out.Redirect)
	}
	s = start()
	if st := srv.Admin.Do("POST", "/finnotech/consents/"+s+"/approve", map[string]any{"user": "1111111111", "deposits": []string{"nope"}}, nil); st != 400 {
		t.Errorf("approve with a deposit not offered: %d", st)
	}
	if st := srv.Admin.Do("POST", "/finnotech/consents/"+s+"/approve", map[string]any{"user": "1111111111"}, &out); st != 200 {
		t.Fatalf("admin approve: %d", st)
	}
	u, _ := url.Parse(out.Redirect)
	if st := srv.Admin.Do("POST", "/finnotech/consents/"+s+"/approve", nil, nil); st != 409 {
		t.Errorf("approve twice: %d", st)
	}
	tok := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": u.Query().Get("code"), "bank": "078", "redirect_uri": "http://localhost:9999/cb"})
	// Khavarmianeh tokens live 15 minutes.
	if tok.Status != 200 || tok.field("result.lifeTime").(float64) != 900000 {
		t.Fatalf("078 token: %d %s", tok.Status, tok.Raw)
	}
	deps := tok.field("result.deposits").([]any)
	if len(deps) != 1 {
		t.Fatalf("deposits %v", deps)
	}
	path := "/oak/v2/clients/drops/deposits/" + deps[0].(string) + "/balance"
	if r := c.bearer(tok.str("result.value"), "GET", path, nil); r.Status != 200 {
		t.Errorf("balance: %d %s", r.Status, r.Raw)
	}
	if r := c.bearer(tok.str("result.value"), "GET", "/oak/v2/clients/drops/deposits/0211111111111/balance", nil); r.Status != 400 || r.str("error.message") != "invalid deposit" {
		t.Errorf("deposit not granted: %d %s", r.Status, r.Raw)
	}
	srv.Admin.Advance("15m")
	if r := c.bearer(tok.str("result.value"), "GET", path, nil); r.Status != 403 || r.str("error.message") != "invalid token" {
		t.Errorf("after 15 minutes: %d %s", r.Status, r.Raw)
	}
	// Refresh a CODE token: bank is required and must match.
	rt := tok.str("result.refreshToken")
	if r := c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CODE", "refresh_token": rt}); r.Status != 400 {
		t.Errorf("refresh without bank: %d", r.Status)
	}
	r := c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CODE", "bank": "078", "refresh_token": rt})
	if r.Status != 200 || r.str("result.type") != "CODE" || len(r.field("result.deposits").([]any)) != 1 {
		t.Fatalf("refresh: %d %s", r.Status, r.Raw)
	}
	if r := c.bearer(r.str("result.value"), "GET", path, nil); r.Status != 200 {
		t.Errorf("refreshed token: %d %s", r.Status, r.Raw)
	}
}

func TestSMSFlow(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	q := url.Values{"client_id": {"drops"}, "response_type": {"code"}, "redirect_uri": {"https://www.drops.com/return"},
		"scope": {"credit:user-info:get,credit:reliability:get"}, "mobile": {"09121234567"}, "state": {"1"}, "auth_type": {"SMS"}}
	if r := c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil); r.Status != 401 {
		t.Fatalf("SMS authorize without Basic: %d %s", r.Status, r.Raw)
	}
	send := func() (track, otp string) {
		r := c.do("GET", "/dev/v2/oauth2/authorize?"+q.Encode(), nil, "Authorization", c.basicHeader())
		if r.Status != 200 || r.field("result.smsSent") != true || r.str("status") != "DONE" {
			t.Fatalf("SMS authorize: %d %s", r.Status, r.Raw)
		}
		track = r.str("result.trackId")
		var box struct {
			Messages []struct{ Mobile, OTP, Text, TrackID string }
		}
		srv.Admin.Get("/finnotech/otp?mobile=09121234567", &box)
		if len(box.Messages) == 0 || box.Messages[0].TrackID != track || len(box.Messages[0].OTP) != 5 || !strings.Contains(box.Messages[0].Text, box.Messages[0].OTP) {
			t.Fatalf("outbox %+v", box)
		}
		return track, box.Messages[0].OTP
	}
	track, otp := send()
	verify := func(body map[string]any) reply {
		return c.do("POST", "/dev/v2/oauth2/verify/sms?trackId=v-1", body, "Authorization", c.basicHeader())
	}
	if r := verify(map[string]any{"mobile": "09121234567", "otp": "zzzzz", "nid": "0012345678", "trackId": track}); r.Status != 400 || r.str("error.message") != "invalid otp or mobile" {
		t.Errorf("wrong otp: %d %s", r.Status, r.Raw)
	}
	if r := verify(map[string]any{"mobile": "09120000001", "otp": otp, "nid": "0012345678", "trackId": track}); r.Status != 400 || r.str("error.message") != "invalid otp or mobile" {
		t.Errorf("wrong mobile: %d %s", r.Status, r.Raw)
	}
	r := verify(map[string]any{"mobile": "09121234567", "otp": otp, "nid": "0012345678", "trackId": track})
	if r.Status != 200 || len(r.str("result.code")) != 16 {
		t.Fatalf("verify: %d %s", r.Status, r.Raw)
	}
	tok := c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": r.str("result.code"), "auth_type": "SMS", "redirect_uri": "https://www.drops.com/return"})
	if tok.Status != 200 || tok.field("result.lifeTime") != "864000000" || tok.str("result.auth_type") != "SMS" || tok.str("result.bank") != "" ||
		len(tok.field("result.deposits").([]any)) != 0 || tok.field("result.maxAmountPerTransaction").(float64) != 0 {
		t.Fatalf("SMS token: %d %s", tok.Status, tok.Raw)
	}
	// SMS refresh needs auth_type SMS.
	rt := tok.str("result.refreshToken")
	if r := c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CODE", "refresh_token": rt}); r.Status != 400 {
		t.Errorf("SMS refresh without auth_type: %d", r.Status)
	}
	if r := c.tokenCall(map[string]any{"grant_type": "refresh_token", "token_type": "CODE", "auth_type": "SMS", "refresh_token": rt}); r.Status != 200 || r.str("result.auth_type") != "SMS" {
		t.Errorf("SMS refresh: %d %s", r.Status, r.Raw)
	}
	// Three minutes from the SMS to the token exchange.
	track, otp = send()
	srv.Admin.Advance("2m")
	r = verify(map[string]any{"mobile": "09121234567", "otp": otp, "nid": "0012345678", "trackId": track})
	if r.Status != 200 {
		t.Fatalf("verify at 2m: %d %s", r.Status, r.Raw)
	}
	srv.Admin.Advance("61s")
	tok = c.tokenCall(map[string]any{"grant_type": "authorization_code", "code": r.str("result.code"), "auth_type": "SMS", "redirect_uri": "https://www.drops.com/return"})
	if tok.Status != 400 || tok.str("error.message") != "Expiration time is exceeded" {
		t.Errorf("exchange after 3m: %d %s", tok.Status, tok.Raw)
	}
	track, otp = send()
	srv.Admin.Advance("3m")
	if r := verify(map[string]any{"mobile": "09121234567", "otp": otp, "nid": "0012345678", "trackId": track}); r.Status != 400 || r.str("error.message") != "Expiration time is exceeded" {
		t.Errorf("verify after 3m: %d %s", r.Status, r.Raw)
	}
	// The token list shows SMS tokens under sms.
	cc := c.ccToken("boomrang:tokens:get")
	list := c.bearer(cc, "GET", "/dev/v2/clients/drops/tokens", nil)
	if sms, _ := list.field("result.sms").([]any); len(sms) != 2 {
		t.Errorf("sms tokens: %s", list.Raw)
	}
	_ = strconv.Itoa
}
