package vandar_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const sub = "/v3/business/acme/subscription"

// hook is one webhook the loopback receiver got.
type hook struct {
	body map[string]any
	raw  []byte
	sig  string
}

func receiver(t *testing.T) (string, chan hook) {
	hooks := make(chan hook, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		hooks <- hook{body: m, raw: raw, sig: r.Header.Get("X-Vandar-Signature")}
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hooks
}

func (c *client) call(method, path string, body any) reply {
	raw, _ := json.Marshal(body)
	if body == nil {
		raw = nil
	}
	return c.do(method, c.api+path, "application/json", string(raw), "Authorization", "Bearer "+access, "Accept", "application/json")
}

// mandate stores a mandate and grants it through the control plane (or the
// page when viaPage), verifies it and returns its authorization_id.
func (c *client) mandate(mobile string, count, limit int) string {
	c.t.Helper()
	tok := c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "012", "mobile": mobile, "callback_url": callbackURL,
		"count": count, "limit": limit, "expiration_date": "2027-11-22"}).want(c.t, 200)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	var out map[string]any
	if st := c.srv.Admin.Do("POST", "/vandar/mandates/"+tok+"/approve", nil, &out); st != 200 || out["status"] != "SUCCEED" {
		c.t.Fatalf("approve: %d %v", st, out)
	}
	id := out["authorization_id"].(string)
	c.call("PATCH", sub+"/authorization/"+id+"/verify", nil).want(c.t, 200)
	return id
}

func wd(m map[string]any) map[string]any {
	return m["result"].(map[string]any)["withdrawal"].(map[string]any)
}

func (c *client) withdrawal(id string) map[string]any {
	c.t.Helper()
	return wd(c.call("GET", sub+"/withdrawal/"+id, nil).want(c.t, 200))
}

// TestDirectDebitChecks is the "How it is checked" list.
func TestDirectDebitChecks(t *testing.T) {
	c := newClient(t)
	hookURL, hooks := receiver(t)

	// Store a mandate → the page is a form → approve → callback SUCCEED.
	st := c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "012", "mobile": "09121234567", "callback_url": callbackURL + "?order=7",
		"count": 2, "limit": 1_000_000, "expiration_date": "2027-11-22", "name": "مشتری"}).want(t, 200)
	if st["message"] != "درخواست توکن با موفقیت ثبت شد." {
		t.Fatalf("store: %v", st)
	}
	token := st["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	page := c.do("GET", c.srv.Base("subscription.vandar.io")+"/authorizations/"+token, "", "")
	if page.Status != 200 || !strings.Contains(string(page.Raw), `id="mandate-form"`) || !strings.Contains(string(page.Raw), "بانک ملت") ||
		!strings.Contains(string(page.Raw), "09121234567") || !strings.Contains(string(page.Raw), `dir="rtl"`) {
		t.Fatalf("page: %d %s", page.Status, page.Raw)
	}
	bad := c.do("POST", c.srv.Base("subscription.vandar.io")+"/authorizations/"+token, "application/x-www-form-urlencoded",
		url.Values{"action": {"approve"}, "username": {"09121234567"}, "password": {"x"}}.Encode())
	if bad.Status != 200 || !strings.Contains(string(bad.Raw), "نام کاربری یا رمز عبور اشتباه است.") {
		t.Fatalf("wrong login: %d %s", bad.Status, bad.Raw)
	}
	ok := c.do("POST", c.srv.Base("subscription.vandar.io")+"/authorizations/"+token, "application/x-www-form-urlencoded",
		url.Values{"action": {"approve"}, "username": {"09121234567"}, "password": {"123456"}}.Encode())
	loc, _ := url.Parse(ok.Header.Get("Location"))
	if ok.Status != 302 || loc.Query().Get("status") != "SUCCEED" || loc.Query().Get("token") != token || loc.Query().Get("order") != "7" {
		t.Fatalf("approve: %d %s", ok.Status, ok.Header.Get("Location"))
	}
	if again := c.do("GET", c.srv.Base("subscription.vandar.io")+"/authorizations/"+token, "", ""); again.Status != 404 {
		t.Fatalf("page reused: %d", again.Status)
	}
	id := loc.Query().Get("authorization_id")
	show := c.call("GET", sub+"/authorization/"+id+"/search", nil).want(t, 200)
	if s := show["result"].(map[string]any)["authorizations"].(map[string]any)["status"]; s != "PENDING_VERIFY" {
		t.Fatalf("before verify: %v", s)
	}
	// Verify → ACTIVE; verify again → refused.
	if v := c.call("PATCH", sub+"/authorization/"+id+"/verify", nil).want(t, 200); v["message"] != "مجوز با موفقیت تایید شد." {
		t.Fatalf("verify: %v", v)
	}
	if v := c.call("PATCH", sub+"/authorization/"+id+"/verify", nil); v.Status != 422 || strings.TrimSpace(string(v.Raw)) != `{"status":0,"message":"مجوز پیش از این تایید شده است."}` {
		t.Fatalf("verify again: %d %s", v.Status, v.Raw)
	}
	alias := c.call("GET", sub+"/authorization/"+id, nil).want(t, 200)
	if s := alias["result"].(map[string]any)["authorizations"].(map[string]any)["status"]; s != "ACTIVE" {
		t.Fatalf("after verify: %v", s)
	}

	// A withdrawal within the limit: PENDING, then INIT and DONE on the clock,
	// the wallet credited, a signed webhook.
	before := c.balance(access)
	w := wd(c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 500_000, "track_id": "t-1",
		"notify_url": hookURL + "/hook", "description": "اشتراک ماهانه"}).want(t, 200))
	if w["status"] != "PENDING" || w["retry_count"] != 1.0 || w["amount"] != "500000" || w["wage_amount"] != 10000.0 || w["is_instant"] != true {
		t.Fatalf("store: %v", w)
	}
	// Same track_id twice → one withdrawal.
	if dup := c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 500_000, "track_id": "t-1"}); dup.Status != 422 ||
		!strings.Contains(string(dup.Raw), "یک دستور برداشت با این شناسه قبلا ثبت شد است.") {
		t.Fatalf("duplicate track_id: %d %s", dup.Status, dup.Raw)
	}
	if l := c.call("GET", sub+"/withdrawal?q="+id, nil).want(t, 200); l["meta"].(map[string]any)["total"] != 1.0 {
		t.Fatalf("list after duplicate: %v", l["meta"])
	}
	c.srv.Admin.Advance("1m")
	if s := c.withdrawal(w["id"].(string))["status"]; s != "INIT" {
		t.Fatalf("after 1m: %v", s)
	}
	c.srv.Admin.Advance("4m")
	done := wd(c.call("GET", sub+"/withdrawal/track-id/t-1", nil).want(t, 200))
	if done["status"] != "DONE" || done["error_code"] != nil {
		t.Fatalf("after 5m: %v", done)
	}
	if got := c.balance(access); got != before+49_000 {
		t.Fatalf("wallet %v, want %v", got, before+49_000)
	}
	rows := c.report(slug, access, "?per_page=1")
	if rows[0]["id"] != w["gateway_transaction_id"] || rows[0]["channel"] != "پرداخت خودکار" {
		t.Fatalf("report row %v", rows[0])
	}
	select {
	case h := <-hooks:
		if h.body["withdrawal_id"] != w["id"] || h.body["status"] != "DONE" || h.body["authorization_id"] != id {
			t.Fatalf("webhook %s", h.raw)
		}
		checkSignature(t, h.sig, h.raw)
	case <-time.After(5 * time.Second):
		t.Fatal("no webhook")
	}

	// Above the limit → the documented error.
	if r := c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 1_000_001}); r.Status != 422 ||
		!strings.HasPrefix(string(r.Raw), `{"status":0,"errors":{"amount":[`) {
		t.Fatalf("above limit: %d %s", r.Status, r.Raw)
	}
	// The monthly count exhausted → the documented error; allowed again next Jalali month.
	c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 1000}).want(t, 200)
	full := c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 1000})
	if full.Status != 422 || strings.TrimSpace(string(full.Raw)) != `{"status":0,"errors":{"authorization_id":["ذخیره برداشت وجه به دلیل رسیدن به حداکثر تعداد برداشت در ماه، امکان پذیر نیست."]}}` {
		t.Fatalf("count: %d %s", full.Status, full.Raw)
	}
	pg := c.call("GET", sub+"/withdrawal?q="+id+"&per_page=1&page=2", nil).want(t, 200)
	if meta := pg["meta"].(map[string]any); len(pg["data"].([]any)) != 1 || meta["total"] != 2.0 || meta["last_page"] != 2.0 || meta["current_page"] != 2.0 {
		t.Fatalf("page 2: %v", pg)
	}
	calc := c.call("GET", sub+"/authorization/"+id+"/calculation", nil).want(t, 200)["result"].(map[string]any)["calculation"].(map[string]any)
	if calc["used_count"] != 2.0 || calc["remained_count"] != 0.0 {
		t.Fatalf("calculation %v", calc)
	}
	c.srv.Admin.Advance("720h") // 1405/09/01 + 30 days = 1405/10/01
	c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 1000}).want(t, 200)

	// A scheduled withdrawal cancelled through PUT → CANCELED.
	tomorrow := c.srv.Admin.Now().In(t0.Location()).AddDate(0, 0, 1).Format("2006-01-02")
	sch := wd(c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 1000, "is_instant": 0, "withdrawal_date": tomorrow}).want(t, 200))
	c.call("PUT", sub+"/withdrawal/"+sch["id"].(string), nil).want(t, 200)
	if s := c.withdrawal(sch["id"].(string))["status"]; s != "CANCELED" {
		t.Fatalf("cancelled: %v", s)
	}
	if r := c.call("PUT", sub+"/withdrawal/"+sch["id"].(string), nil); r.Status != 422 {
		t.Fatalf("cancel twice: %d %s", r.Status, r.Raw)
	}

	// Subscription refund of the first withdrawal: money back, in the report,
	// the withdrawal REFUND once done.
	bal := c.balance(access)
	rf := c.call("POST", sub+"/refunds", map[string]any{"withdrawal_id": w["id"]}).want(t, 200)["result"].(map[string]any)["refund"].(map[string]any)
	if rf["status"] != "PENDING" || rf["amount"] != "500000" || c.balance(access) != bal-50_000 {
		t.Fatalf("refund %v, wallet %v", rf, c.balance(access))
	}
	if row := c.report(slug, access, "?per_page=1")[0]; row["id"] != rf["gateway_transaction_id"] || row["status"] != -2.0 || row["amount"] != 50_000.0 {
		t.Fatalf("refund row %v", row)
	}
	c.srv.Admin.Advance("30m")
	if row := c.report(slug, access, "?per_page=1")[0]; row["status"] != 2.0 {
		t.Fatalf("refund row after 30m %v", row)
	}
	if s := c.withdrawal(w["id"].(string))["status"]; s != "REFUND" {
		t.Fatalf("after refund: %v", s)
	}
	if r := c.call("GET", sub+"/refunds/"+rf["id"].(string), nil).want(t, 200); r["result"].(map[string]any)["refund"].(map[string]any)["status"] != "DONE" {
		t.Fatalf("refund show %v", r)
	}
	if l := c.call("GET", sub+"/refunds", nil).want(t, 200); l["meta"].(map[string]any)["total"] != 1.0 {
		t.Fatalf("refund list %v", l)
	}

	// A revoked mandate refuses withdrawals.
	c.call("DELETE", sub+"/authorization/"+id, nil).want(t, 200)
	if r := c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 1000}); r.Status != 422 ||
		strings.TrimSpace(string(r.Raw)) != `{"message":"The given data was invalid.","errors":{"message":["مجوز باطل شده است."]}}` {
		t.Fatalf("revoked: %d %s", r.Status, r.Raw)
	}
	if l := c.call("GET", sub+"/authorization", nil).want(t, 200); l["meta"].(map[string]any)["total"] != 0.0 {
		t.Fatalf("revoked still listed: %v", l["meta"])
	}

	// A magic insufficient-balance customer: fails, retries max_retry_count
	// times on the clock, ends FAILED with 01.
	poor := c.mandate("09120000001", 5, 1_000_000)
	date := c.srv.Admin.Now().In(t0.Location()).AddDate(0, 0, 1).Format("2006-01-02")
	f := wd(c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": poor, "amount": 5000, "is_instant": 0,
		"withdrawal_date": date, "max_retry_count": 3}).want(t, 200))
	c.srv.Admin.SetClock(mustDay(t, date).Add(5 * time.Minute))
	r1 := c.withdrawal(f["id"].(string))
	if r1["status"] != "PENDING" || r1["retry_count"] != 1.0 || r1["error_code"] != "01" || r1["error_message"] != "عدم کفایت موجودی" {
		t.Fatalf("after attempt 1: %v", r1)
	}
	c.srv.Admin.Advance("65m")
	if r2 := c.withdrawal(f["id"].(string)); r2["status"] != "PENDING" || r2["retry_count"] != 2.0 {
		t.Fatalf("after attempt 2: %v", r2)
	}
	c.srv.Admin.Advance("65m")
	r3 := c.withdrawal(f["id"].(string))
	if r3["status"] != "FAILED" || r3["retry_count"] != 3.0 || r3["error_code"] != "01" || r3["wage_amount"] != 0.0 {
		t.Fatalf("after attempt 3: %v", r3)
	}

	// Malformed input → Vandar's envelope, never a 5xx.
	for _, body := range []string{"{", `{"authorization_id":{},"amount":[1],"max_retry_count":"x","is_instant":"y"}`, `[]`} {
		r := c.do("POST", c.api+sub+"/withdrawal/store", "application/json", body, "Authorization", "Bearer "+access)
		if r.Status != 422 || !strings.Contains(string(r.Raw), `"errors"`) {
			t.Fatalf("malformed %s: %d %s", body, r.Status, r.Raw)
		}
	}
}

func mustDay(t *testing.T, d string) time.Time {
	day, err := time.ParseInLocation("2006-01-02", d, t0.Location())
	if err != nil {
		t.Fatal(err)
	}
	return day
}

// TestWithdrawalCodesReachable: every one of the 27 codes ends a withdrawal's
// record when a scenario names it (and 01, 07, 10, 21, 24 by magic customer,
// 13 by revoking, 14 by expiry).
func TestWithdrawalCodesReachable(t *testing.T) {
	c := newClient(t)
	id := c.mandate("09127777777", 100, 1_000_000)
	for i := 1; i <= 27; i++ {
		code := itoa(i)
		if i < 10 {
			code = "0" + code
		}
		r := c.do("POST", c.api+sub+"/withdrawal/store", "application/json", `{"authorization_id":"`+id+`","amount":1000}`,
			"Authorization", "Bearer "+access, "X-Sandbank-Outcome", "failure:DD_"+code)
		w := wd(r.want(t, 200))
		c.srv.Admin.Advance("5m")
		got := c.withdrawal(w["id"].(string))
		if got["status"] != "FAILED" || got["error_code"] != code || got["error_message"] == "" {
			t.Fatalf("code %s: %v", code, got)
		}
	}
	// 13: the mandate revoked before a scheduled withdrawal runs.
	m2 := c.mandate("09128888888", 5, 1_000_000)
	date := c.srv.Admin.Now().In(t0.Location()).AddDate(0, 0, 2).Format("2006-01-02")
	w := wd(c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": m2, "amount": 1000, "is_instant": 0, "withdrawal_date": date}).want(t, 200))
	c.call("DELETE", sub+"/authorization/"+m2, nil).want(t, 200)
	c.srv.Admin.SetClock(mustDay(t, date).Add(10 * time.Minute))
	if got := c.withdrawal(w["id"].(string)); got["status"] != "FAILED" || got["error_code"] != "13" {
		t.Fatalf("revoked before run: %v", got)
	}
	// 14: a scheduled withdrawal after the mandate's expiration_date.
	tok := c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "056", "mobile": "09129999999", "callback_url": callbackURL,
		"count": 5, "limit": 9000, "expiration_date": c.srv.Admin.Now().In(t0.Location()).AddDate(0, 0, 1).Format("2006-01-02")}).want(t, 200)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	var out map[string]any
	c.srv.Admin.Do("POST", "/vandar/mandates/"+tok+"/approve", nil, &out)
	m3 := out["authorization_id"].(string)
	c.call("PATCH", sub+"/authorization/"+m3+"/verify", nil).want(t, 200)
	later := c.srv.Admin.Now().In(t0.Location()).AddDate(0, 0, 3).Format("2006-01-02")
	w = wd(c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": m3, "amount": 1000, "is_instant": 0, "withdrawal_date": later}).want(t, 200))
	c.srv.Admin.SetClock(mustDay(t, later).Add(10 * time.Minute))
	if got := c.withdrawal(w["id"].(string)); got["status"] != "FAILED" || got["error_code"] != "14" {
		t.Fatalf("after expiry: %v", got)
	}
}

// TestMandateCallbacks: decline and bank error answer FAILED and
// FAILED_TO_ACCESS_BANK; an unverified grant lapses after 20 minutes; a token
// unanswered for 20 minutes is gone; store validation reports every field.
func TestMandateCallbacks(t *testing.T) {
	c := newClient(t)
	store := func() string {
		return c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "062", "mobile": "09121234567", "callback_url": callbackURL,
			"count": 1, "limit": 5000, "expiration_date": "2027-01-01"}).want(t, 200)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	}
	sb := c.srv.Base("subscription.vandar.io")
	dec := c.do("POST", sb+"/authorizations/"+store(), "application/x-www-form-urlencoded", "action=decline")
	if q := redirectQuery(t, dec); q.Get("status") != "FAILED" || q.Get("error_code") != "21" {
		t.Fatalf("decline %v", q)
	}
	var out map[string]any
	c.srv.Admin.Do("POST", "/vandar/mandates/"+store()+"/bank-error", nil, &out)
	if out["status"] != "FAILED_TO_ACCESS_BANK" || !strings.Contains(out["redirect"].(string), "status=FAILED_TO_ACCESS_BANK") {
		t.Fatalf("bank error %v", out)
	}
	// Ayandeh logs in by national code: the page asks for it and the bank returns it.
	tok := store()
	page := c.do("GET", sb+"/authorizations/"+tok, "", "")
	if !strings.Contains(string(page.Raw), "کد ملی") {
		t.Fatalf("login by national code: %s", page.Raw)
	}
	ok := c.do("POST", sb+"/authorizations/"+tok, "application/x-www-form-urlencoded", "action=approve&username=0010000011&password=123456")
	id := redirectQuery(t, ok).Get("authorization_id")
	c.srv.Admin.Advance("21m")
	if r := c.call("PATCH", sub+"/authorization/"+id+"/verify", nil); r.Status != 422 {
		t.Fatalf("late verify: %d %s", r.Status, r.Raw)
	}
	late := store()
	c.srv.Admin.Advance("20m")
	if r := c.do("GET", sb+"/authorizations/"+late, "", ""); r.Status != 404 {
		t.Fatalf("expired token page: %d", r.Status)
	}
	bad := c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "999", "mobile": "123", "count": "x", "expiration_date": "2020-01-01"})
	want := `{"message":"The given data was invalid.","errors":{"bank_code":["bank_code انتخاب شده معتبر نیست."],"mobile":["شماره موبایل قابل قبول نیست."],"callback_url":["وارد کردن callback_url الزامی است"],"count":["count باید عدد صحیح بزرگتر از صفر باشد."],"limit":["وارد کردن limit الزامی است"],"expiration_date":["expiration_date باید تاریخی بعد از امروز باشد."]}}`
	if bad.Status != 422 || strings.TrimSpace(string(bad.Raw)) != want {
		t.Fatalf("validation: %d %s", bad.Status, bad.Raw)
	}
	banks := c.call("GET", sub+"/banks/actives", nil).want(t, 200)
	if len(banks["result"].(map[string]any)["banks"].([]any)) != 7 {
		t.Fatalf("banks %v", banks)
	}

	// A bank marked down: listed unhealthy, the page sends the customer back
	// with FAILED_TO_ACCESS_BANK, withdrawals answer 409.
	active := c.mandate("09121231234", 5, 100_000) // Mellat
	if st := c.srv.Admin.Do("POST", "/vandar/debit/banks/012", map[string]any{"healthy": false}, nil); st != 200 {
		t.Fatalf("bank health: %d", st)
	}
	banks = c.call("GET", sub+"/banks/actives", nil).want(t, 200)
	if b := banks["result"].(map[string]any)["banks"].([]any)[0].(map[string]any); b["code"] != "012" || b["is_healthy_on_direct_debit"] != false {
		t.Fatalf("unhealthy bank listed as %v", b)
	}
	down := c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "012", "mobile": "09121234567", "callback_url": callbackURL,
		"count": 1, "limit": 5000, "expiration_date": "2027-01-01"}).want(t, 200)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	if q := redirectQuery(t, c.do("GET", sb+"/authorizations/"+down, "", "")); q.Get("status") != "FAILED_TO_ACCESS_BANK" {
		t.Fatalf("unhealthy bank page: %v", q)
	}
	if r := c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": active, "amount": 1000}); r.Status != 409 ||
		strings.TrimSpace(string(r.Raw)) != `{"status":0,"message":"درحال حاضر امکان ثبت درخواست برداشت وجه در بانک مورد نظر وجود ندارد."}` {
		t.Fatalf("unhealthy bank withdrawal: %d %s", r.Status, r.Raw)
	}
}

func redirectQuery(t *testing.T, r reply) url.Values {
	t.Helper()
	if r.Status != 302 {
		t.Fatalf("want a redirect: %d %s", r.Status, r.Raw)
	}
	u, err := url.Parse(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// addDebitCalls adds a call for each direct-debit operation to the outcome
// sweep (outcomes_test.go), on a mandate, withdrawal and refund made first.
func addDebitCalls[C any](t *testing.T, c *client, tok string, calls map[string]func() C, mk func(m, u, ct, b string, h []string) func() C) {
	t.Helper()
	bearer := []string{"Authorization", "Bearer " + tok}
	do := func(method, path string, body string) map[string]any {
		r := c.do(method, c.api+path, "application/json", body, bearer...)
		return r.want(t, 200)
	}
	store := func() string {
		return do("POST", sub+"/authorization/store", `{"bank_code":"012","mobile":"09121234567","callback_url":"`+callbackURL+`","count":9,"limit":900000,"expiration_date":"2027-11-22"}`)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	}
	var out map[string]any
	c.srv.Admin.Do("POST", "/vandar/mandates/"+store()+"/approve", nil, &out)
	id := out["authorization_id"].(string)
	do("PATCH", sub+"/authorization/"+id+"/verify", "")
	w := wd(do("POST", sub+"/withdrawal/store", `{"authorization_id":"`+id+`","amount":5000,"track_id":"sweep"}`))["id"].(string)
	c.srv.Admin.Advance("5m")
	rf := do("POST", sub+"/refunds", `{"withdrawal_id":"`+w+`","amount":100}`)["result"].(map[string]any)["refund"].(map[string]any)["id"].(string)
	js := "application/json"
	calls["vandar.ddBanks"] = mk("GET", c.api+sub+"/banks/actives", "", "", bearer)
	calls["vandar.ddMandateStore"] = mk("POST", c.api+sub+"/authorization/store", js, `{"bank_code":"012","mobile":"09121234567","callback_url":"`+callbackURL+`","count":1,"limit":9000,"expiration_date":"2027-11-22"}`, bearer)
	calls["vandar.ddConsentPage"] = func() C {
		return mk("GET", c.srv.Base("subscription.vandar.io")+"/authorizations/"+store(), "", "", nil)()
	}
	calls["vandar.ddMandateVerify"] = mk("PATCH", c.api+sub+"/authorization/"+id+"/verify", "", "", bearer)
	calls["vandar.ddMandateShow"] = mk("GET", c.api+sub+"/authorization/"+id+"/search", "", "", bearer)
	calls["vandar.ddMandateCalculation"] = mk("GET", c.api+sub+"/authorization/"+id+"/calculation", "", "", bearer)
	calls["vandar.ddMandateList"] = mk("GET", c.api+sub+"/authorization", "", "", bearer)
	calls["vandar.ddMandateRevoke"] = mk("DELETE", c.api+sub+"/authorization/00000000-0000-1000-8000-000000000000", "", "", bearer)
	calls["vandar.ddWithdrawalStore"] = mk("POST", c.api+sub+"/withdrawal/store", js, `{"authorization_id":"`+id+`","amount":1000}`, bearer)
	calls["vandar.ddWithdrawalShow"] = mk("GET", c.api+sub+"/withdrawal/"+w, "", "", bearer)
	calls["vandar.ddWithdrawalByTrackID"] = mk("GET", c.api+sub+"/withdrawal/track-id/sweep", "", "", bearer)
	calls["vandar.ddWithdrawalList"] = mk("GET", c.api+sub+"/withdrawal?q="+id, "", "", bearer)
	calls["vandar.ddWithdrawalCancel"] = mk("PUT", c.api+sub+"/withdrawal/"+w, "", "", bearer)
	calls["vandar.ddRefundStore"] = mk("POST", c.api+sub+"/refunds", js, `{"withdrawal_id":"`+w+`","amount":100}`, bearer)
	calls["vandar.ddRefundList"] = mk("GET", c.api+sub+"/refunds", "", "", bearer)
	calls["vandar.ddRefundShow"] = mk("GET", c.api+sub+"/refunds/"+rf, "", "", bearer)
}

// TestNoWithdrawalRightScenario: with the shipped scenario every withdrawal is
// accepted and ends FAILED with 21, and the wallet is not credited.
func TestNoWithdrawalRightScenario(t *testing.T) {
	c := newClient(t)
	id := c.mandate("09121234567", 5, 100_000)
	c.srv.Admin.Activate("vandar-debit-no-withdrawal-right", "")
	before := c.balance(access)
	w := wd(c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 50_000}).want(t, 200))
	c.srv.Admin.Advance("5m")
	got := c.withdrawal(w["id"].(string))
	if got["status"] != "FAILED" || got["error_code"] != "21" || c.balance(access) != before {
		t.Fatalf("withdrawal %v, wallet %v (was %v)", got, c.balance(access), before)
	}
}

// TestDirectDebitParallel: parallel withdrawals never exceed the monthly count,
// parallel approvals grant a token once, and parallel refunds never return
// more than was withdrawn.
func TestDirectDebitParallel(t *testing.T) {
	c := newClient(t)
	id := c.mandate("09121112222", 3, 100_000)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.do("POST", c.api+sub+"/withdrawal/store", "application/json", `{"authorization_id":"`+id+`","amount":1000}`, "Authorization", "Bearer "+access)
			mu.Lock()
			codes[r.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[200] != 3 || codes[422] != 9 {
		t.Fatalf("parallel withdrawals: %v", codes)
	}
	tok := c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "012", "mobile": "09121112222", "callback_url": callbackURL,
		"count": 1, "limit": 5000, "expiration_date": "2027-01-01"}).want(t, 200)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	granted := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.do("POST", c.srv.Base("subscription.vandar.io")+"/authorizations/"+tok, "application/x-www-form-urlencoded",
				"action=approve&username=09121112222&password=123456")
			if r.Status == 302 {
				mu.Lock()
				granted++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if granted != 1 {
		t.Fatalf("%d approvals of one token", granted)
	}
	c.srv.Admin.Advance("5m")
	w := c.call("GET", sub+"/withdrawal?q="+id, nil).want(t, 200)["data"].([]any)[0].(map[string]any)["id"].(string)
	ok := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.do("POST", c.api+sub+"/refunds", "application/json", `{"withdrawal_id":"`+w+`","amount":400}`, "Authorization", "Bearer "+access)
			if r.Status == 200 {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != 2 {
		t.Fatalf("%d refunds of 400 from a 1000 withdrawal", ok)
	}
}
