package vandar_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

func payIBAN(t *testing.T, bank, acct string) string {
	t.Helper()
	s, err := iran.MakeIBAN(bank, acct)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func data(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	d, ok := m["data"].(map[string]any)
	if !ok {
		t.Fatalf("no data object: %v", m)
	}
	return d
}

func (c *client) del(path, token string) reply {
	return c.do(http.MethodDelete, c.api+path, "", "", "Authorization", "Bearer "+token, "Accept", "application/json")
}

func (c *client) show(t *testing.T, id string) map[string]any {
	t.Helper()
	return data(t, c.get("/v2.1/business/acme/settlement/"+id, access).want(t, 200))["settlement"].(map[string]any)
}

// TestPayoutsAsChecked is issue 11's "How it is checked" list.
func TestPayoutsAsChecked(t *testing.T) {
	forms := make(chan url.Values, 16)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseMultipartForm(1 << 20)
		forms <- r.MultipartForm.Value
	}))
	t.Cleanup(shop.Close)
	c := newClient(t)
	dest := payIBAN(t, "012", "1234567890")
	fail := payIBAN(t, "017", "9999000000001")
	start := c.balance(access)

	// Store 10,000 Toman: the reply is Rial with amount_toman, the wallet debited, PENDING.
	st := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{
		"amount": 10000, "iban": dest, "track_id": "t-1", "notify_url": shop.URL + "/stl", "payment_number": 42, "description": "تسویه"}).want(t, 200)
	s := data(t, st)["settlement"].([]any)[0].(map[string]any)
	if s["amount"].(float64) != 100000 || s["amount_toman"].(float64) != 10000 || s["status"] != "PENDING" {
		t.Fatalf("store: %v", s)
	}
	id := s["id"].(string)
	if got := c.balance(access); got != start-10000 {
		t.Fatalf("wallet %v after store, want %v", got, start-10000)
	}
	// The same track_id again pays once and answers the first settlement.
	again := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 10000, "iban": dest, "track_id": "t-1"}).want(t, 200)
	if data(t, again)["settlement"].([]any)[0].(map[string]any)["id"] != id || c.balance(access) != start-10000 {
		t.Fatal("a retried track_id paid twice")
	}
	// The same track_id for another amount is refused.
	dup := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 20000, "iban": dest, "track_id": "t-1"}).want(t, 422)
	if !strings.Contains(string(c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 20000, "iban": dest, "track_id": "t-1"}).Raw), "این شماره پیگیری از قبل ثبت شده است.") {
		t.Fatalf("duplicate: %v", dup)
	}
	if c.show(t, id)["status"] != "PENDING" {
		t.Fatal("not pending right after store")
	}

	// A failing IBAN and a cancellable one.
	f := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 6000, "iban": fail, "track_id": "t-fail", "notify_url": shop.URL + "/f"}).want(t, 200)
	fid := data(t, f)["settlement"].([]any)[0].(map[string]any)["id"].(string)
	k := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 7000, "iban": dest, "track_id": "t-cancel"}).want(t, 200)
	ks := data(t, k)["settlement"].([]any)[0].(map[string]any)
	ktx := strconvFormat(ks["transaction_id"].(float64))
	in := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 5000, "iban": dest, "track_id": "t-instant", "is_instant": true}).want(t, 200)
	itx := strconvFormat(data(t, in)["settlement"].([]any)[0].(map[string]any)["transaction_id"].(float64))
	if got := c.balance(access); got != start-10000-6000-7000-5000 {
		t.Fatalf("wallet %v", got)
	}
	cm := c.del("/v2.1/business/acme/settlement/"+ktx, access).want(t, 200)
	if cm["message"] != "درخواست تسویه شما از دستور پرداخت خارج شد و وجه تسویه به حساب شما برگشت داده شد" {
		t.Fatalf("cancel: %v", cm)
	}
	if c.show(t, ks["id"].(string))["status"] != "CANCELED" || c.balance(access) != start-10000-6000-5000 {
		t.Fatal("cancel did not restore the wallet")
	}
	c.del("/v2.1/business/acme/settlement/"+itx, access).want(t, 422) // instant: never

	select {
	case got := <-forms:
		t.Fatalf("notice before the cycle: %v", got)
	case <-time.After(100 * time.Millisecond):
	}
	c.srv.Admin.Advance("30m")
	if c.show(t, id)["status"] != "DONE" || c.show(t, fid)["status"] != "FAILED" {
		t.Fatal("cycle did not settle")
	}
	if got := c.balance(access); got != start-10000-5000 {
		t.Fatalf("wallet %v after the cycle, want %v (failed one restored)", got, start-10000-5000)
	}
	c.del("/v2.1/business/acme/settlement/"+strconvFormat(s["transaction_id"].(float64)), access).want(t, 422) // after the cycle: refused
	seen := map[string]url.Values{}
	for len(seen) < 2 {
		select {
		case v := <-forms:
			seen[v["status"][0]] = v
		case <-time.After(5 * time.Second):
			t.Fatalf("notices: %v", seen)
		}
	}
	if seen["DONE"]["amount"][0] != "100000" || seen["DONE"]["id"][0] != id || seen["DONE"]["ref_code"][0] == "" || seen["FAILED"]["id"][0] != fid {
		t.Fatalf("notices %v", seen)
	}

	// List (v2.1 and the v4 alias) in Toman.
	l := data(t, c.get("/v2.1/business/acme/settlement?per_page=2", access).want(t, 200))
	ss := l["settlements"].(map[string]any)
	if ss["total"].(float64) != 4 || len(ss["data"].([]any)) != 2 || l["wallet"].(float64) != start-15000 {
		t.Fatalf("list: %v", l)
	}
	c.get("/v4/business/acme/settlement/t-1", access).want(t, 200)

	// Batch: one bad item answered, the rest submitted.
	batch := c.srv.Base("batch.vandar.io")
	body := `{"batch_id":"` + strings.Repeat("ab", 32) + `","batches_settlement":[` +
		`{"amount":60000,"iban":"` + dest + `","track_id":"b-1"},` +
		`{"amount":100,"iban":"` + dest + `","track_id":"b-2"},` +
		`{"amount":70000,"iban":"` + dest + `","track_id":"b-3","type":"A2A"}]}`
	br := c.do(http.MethodPost, batch+"/api/v2/business/acme/batches-settlement", "application/json", body, "Authorization", "Bearer "+access).want(t, 200)
	if bs := br["status"].(map[string]any); bs["submitted_count"].(float64) != 2 || bs["failed_count"].(float64) != 1 || br["total_amount"].(float64) != 130000 {
		t.Fatalf("batch: %v", br)
	}
	if _, ok := br["errors"].(map[string]any)["batches_settlement.1.amount"]; !ok {
		t.Fatalf("bad item not answered: %v", br)
	}
	det := c.do(http.MethodGet, batch+"/api/v2/business/acme/batch-settlements/"+strings.Repeat("ab", 32)+"?status=FAILED", "", "", "Authorization", "Bearer "+access).want(t, 200)
	if items := det["data"].([]any); len(items) != 1 || items[0].(map[string]any)["track_id"] != "b-2" {
		t.Fatalf("detail: %v", det)
	}
	if got := c.balance(access); got != start-15000-13000 {
		t.Fatalf("wallet after batch %v", got)
	}

	// Queued: a second business with an empty wallet waits for a cash-in.
	tok, _, _ := c.newBusiness("lean")
	var adminOut map[string]any
	c.srv.Admin.Do(http.MethodPost, "/vandar/businesses", map[string]any{"name": "lean"}, &adminOut)
	wallet := c.get("/v2/business/lean/balance", tok).want(t, 200)["data"].(map[string]any)["wallet"].(float64)
	q := c.postJSON("/v3/business/lean/settlement/queued", tok, map[string]any{"amount": int(wallet) + 50000, "iban": dest, "track_id": "q-1"}).want(t, 200)
	qv := data(t, q)["queued_settlement"].(map[string]any)
	if qv["status"] != "QUEUED" {
		t.Fatalf("queued: %v", qv)
	}
	c.srv.Admin.Advance("5m")
	if data(t, c.get("/v3/business/lean/settlement/queued/"+qv["id"].(string), tok).want(t, 200))["queued_settlement"].(map[string]any)["status"] != "QUEUED" {
		t.Fatal("queued left early")
	}
	if st := c.srv.Admin.Do(http.MethodPost, "/vandar/cash-in", map[string]any{"business": "lean", "amount": 600000}, &adminOut); st != 200 {
		t.Fatalf("cash-in %d %v", st, adminOut)
	}
	qs := data(t, c.get("/v3/business/lean/settlement/queued/"+qv["id"].(string), tok).want(t, 200))["queued_settlement"].(map[string]any)
	if qs["status"] != "SUBMITTED" || qs["transaction_id"] == nil {
		t.Fatalf("queued after cash-in: %v", qs)
	}
	if got := c.get("/v2/business/lean/balance", tok).want(t, 200)["data"].(map[string]any)["wallet"].(float64); got != 10000 {
		t.Fatalf("lean wallet %v, want 10000", got)
	}
	// The report shows the cash-in and the settlement.
	kinds := map[string]bool{}
	for _, r := range c.report("lean", tok, "") {
		kinds[r["channel"].(string)] = true
	}
	if !kinds["واریز شناسه\u200cدار"] || !kinds["تسویه"] {
		t.Fatalf("report channels %v", kinds)
	}
	// One business never sees another's settlements.
	c.get("/v2.1/business/lean/settlement/"+id, tok).want(t, 404)
	c.get("/v2.1/business/acme/settlement/"+id, tok).want(t, 404)
	if l := data(t, c.get("/v2.1/business/lean/settlement", tok).want(t, 200))["settlements"].(map[string]any); l["total"].(float64) != 1 {
		t.Fatalf("lean sees %v", l["total"])
	}
}

// TestSettlementReportAgrees: the report's last row carries the wallet.
func TestSettlementReportAgrees(t *testing.T) {
	c := newClient(t)
	dest := payIBAN(t, "012", "1234567890")
	c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 8000, "iban": payIBAN(t, "017", "9999000000001"), "track_id": "r-1"}).want(t, 200)
	c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 9000, "iban": dest, "track_id": "r-2"}).want(t, 200)
	c.srv.Admin.Advance("31m")
	bal := c.balance(access)
	rows := c.report("acme", access, "")
	if rows[0]["wallet"].(float64) != bal {
		t.Fatalf("report head wallet %v, balance %v", rows[0]["wallet"], bal)
	}
	st := map[float64]int{}
	for _, r := range rows {
		st[r["status"].(float64)]++
	}
	if st[2] != 1 || st[-3] != 1 || st[-6] != 1 {
		t.Fatalf("report statuses %v", st)
	}
}

// TestSettlementErrors: the 422 family and the insufficient wallet.
func TestSettlementErrors(t *testing.T) {
	c := newClient(t)
	r := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 100, "iban": "IR000000000000000000000000"})
	m := r.want(t, 422)
	errs := m["errors"].(map[string]any)
	if errs["amount"].([]any)[0] != "amount نباید کوچکتر از 5000 باشد." || errs["iban"].([]any)[0] != "شماره شبا قابل قبول نیست." ||
		errs["track_id"] == nil || m["message"] != "The given data was invalid." {
		t.Fatalf("errors %v", m)
	}
	big := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 999_000_000, "iban": payIBAN(t, "012", "1"), "track_id": "x"}).want(t, 422)
	if msgs := big["errors"].(map[string]any)["amount"].([]any); len(msgs) != 2 || msgs[0] != "عدم کفایت موجودی (کسری موجودی)" {
		t.Fatalf("insufficient: %v", big)
	}
	c.get("/v2.1/business/acme/settlement/nope", access).want(t, 404)
	banks := c.get("/v3/business/acme/settlement/banks?has_a2a_bank_ability=true", access).want(t, 200)
	if banks["message"] == nil || len(banks["data"].([]any)) == 0 {
		t.Fatalf("banks %v", banks)
	}
}

// TestSettlementTimelineScenario: a scripted PENDING → FAILED at next-cycle.
func TestSettlementTimelineScenario(t *testing.T) {
	c := newClient(t)
	c.srv.Admin.AddScenario(`{"name":"stl-fails","rules":[{"operation":"vandar.settlementStore",` +
		`"timeline":[{"status":"PENDING","at":"0s"},{"status":"FAILED","at":"next-cycle"}]}]}`)
	c.srv.Admin.Activate("stl-fails", "")
	before := c.balance(access)
	s := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 5000, "iban": payIBAN(t, "012", "77"), "track_id": "tl"}).want(t, 200)
	id := data(t, s)["settlement"].([]any)[0].(map[string]any)["id"].(string)
	c.srv.Admin.Advance("30m")
	if c.show(t, id)["status"] != "FAILED" || c.balance(access) != before {
		t.Fatal("timeline did not fail the settlement and restore the wallet")
	}
}

// TestCashInBankAndAvand: a deposit row is INIT, DONE at the cycle; Avand's
// balance agrees with what left the account and what was settled to it.
func TestCashInBankAndAvand(t *testing.T) {
	c := newClient(t)
	info := data(t, c.get("/v2/business/acme", access).want(t, 200))
	own := info["iban"].(string)
	acc := c.get("/v3/business/acme/cash-in/account", access).want(t, 200)
	if acc["data"].([]any)[0].(map[string]any)["IBAN"] != own {
		t.Fatalf("accounts %v", acc)
	}
	bal0 := c.get("/v3/business/acme/settlement/account/"+own+"/last-balance", access).want(t, 200)["balance"].(float64)
	w0 := c.balance(access)
	dep := c.postJSON("/v3/business/acme/cash-in/account/deposit", access, map[string]any{"iban": own, "amount": 1_200_000_000, "track_id": "d-1"}).want(t, 200)
	rows := data(t, dep)["cash_in"].([]any)
	if len(rows) != 2 || rows[0].(map[string]any)["status"] != "INIT" || rows[1].(map[string]any)["amount"].(float64) != 200_000_000 {
		t.Fatalf("deposit %v", dep)
	}
	c.postJSON("/v3/business/acme/cash-in/account/deposit", access, map[string]any{"iban": own, "amount": 1000, "track_id": "d-1"}).want(t, 422)
	c.postJSON("/v3/business/acme/cash-in/account/balance", access, map[string]any{"iban": payIBAN(t, "012", "5")}).want(t, 422)
	if c.balance(access) != w0 {
		t.Fatal("credited before the cycle")
	}
	c.srv.Admin.Advance("30m")
	if got := c.balance(access); got != w0+120_000_000 {
		t.Fatalf("wallet %v, want %v", got, w0+120_000_000)
	}
	if head := c.report("acme", access, "?per_page=1")[0]; head["wallet"].(float64) != w0+120_000_000 {
		t.Fatalf("report head %v, wallet %v", head, w0+120_000_000)
	}
	c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 50000, "iban": own, "track_id": "home"}).want(t, 200)
	c.srv.Admin.Advance("30m")
	bal := c.postJSON("/v3/business/acme/cash-in/account/balance", access, map[string]any{"iban": own}).want(t, 200)["balance"].(float64)
	if bal != bal0-1_200_000_000+500_000 {
		t.Fatalf("bank balance %v, want %v", bal, bal0-1_200_000_000+500_000)
	}
	stm := c.get("/v3/business/acme/settlement/account/statement", access).want(t, 200)
	if first := stm["data"].([]any)[0].(map[string]any); first["balance"].(float64) != bal || first["type"] != "deposit" {
		t.Fatalf("statement head %v, balance %v", first, bal)
	}
}

// TestCashInByCode: the code credits at once; a wrong code is suspicious
// until accepted.
func TestCashInByCode(t *testing.T) {
	c := newClient(t)
	code := c.get("/v3/business/acme/cash-in/code", access).want(t, 200)["code"].(string)
	w0 := c.balance(access)
	var out map[string]any
	c.srv.Admin.Do(http.MethodPost, "/vandar/cash-in", map[string]any{"business": "acme", "amount": 30000, "code": code}, &out)
	c.srv.Admin.Do(http.MethodPost, "/vandar/cash-in", map[string]any{"business": "acme", "amount": 40000, "code": "999"}, &out)
	if c.balance(access) != w0+3000 {
		t.Fatal("code cash-in not credited, or suspicious credited")
	}
	txs := c.get("/v3/business/acme/cash-in/pic/transactions", access).want(t, 200)
	if len(txs["data"].([]any)) != 1 {
		t.Fatalf("pic %v", txs)
	}
	sus := c.get("/v3/business/acme/cash-in/suspicious-payment", access).want(t, 200)["data"].([]any)
	sid := sus[0].(map[string]any)["id"].(string)
	c.postJSON("/v3/business/acme/cash-in/suspicious-payment/"+sid, access, map[string]any{"status": "accept"}).want(t, 200)
	c.postJSON("/v3/business/acme/cash-in/suspicious-payment/"+sid, access, map[string]any{"status": "accept"}).want(t, 422)
	if c.balance(access) != w0+7000 {
		t.Fatal("accepted payment not credited")
	}
}

// TestPayoutsMalformed: Vandar's envelope, never a 5xx.
func TestPayoutsMalformed(t *testing.T) {
	c := newClient(t)
	batch := c.srv.Base("batch.vandar.io")
	bodies := []string{"", "{", "[]", `{"amount":{"x":1},"iban":[1],"track_id":true,"is_instant":"maybe","batches_settlement":"x","batch_id":{}}`,
		`{"batch_id":"x","batches_settlement":[1,null,{"amount":"1e9"}]}`, "\x00\xff"}
	paths := []struct{ method, url string }{
		{"POST", c.api + "/v3/business/acme/settlement/store"}, {"GET", c.api + "/v2.1/business/acme/settlement?page=-1&per_page=x"},
		{"GET", c.api + "/v2.1/business/acme/settlement/%00"}, {"DELETE", c.api + "/v2.1/business/acme/settlement/abc"},
		{"GET", c.api + "/v3/business/acme/settlement/banks?is_a2a_bank_active=7"}, {"POST", c.api + "/v3/business/acme/settlement/queued"},
		{"GET", c.api + "/v3/business/acme/settlement/queued/zz"}, {"POST", c.api + "/v3/business/acme/settlement/queued/cancel"},
		{"GET", c.api + "/v3/business/acme/settlement/account/IR1/last-balance"}, {"GET", c.api + "/v3/business/acme/settlement/account/statement?page=0"},
		{"GET", c.api + "/v3/business/acme/cash-in/code"}, {"POST", c.api + "/v3/business/acme/cash-in/suspicious-payment/x"},
		{"POST", c.api + "/v3/business/acme/cash-in/account/deposit"}, {"POST", c.api + "/v3/business/acme/cash-in/account/balance"},
		{"POST", batch + "/api/v2/business/acme/batches-settlement"}, {"GET", batch + "/api/v2/business/acme/batches?page=abc"},
		{"GET", batch + "/api/v2/business/acme/batch-settlements/none?status=x"},
	}
	for _, p := range paths {
		for _, b := range bodies {
			r := c.do(p.method, p.url, "application/json", b, "Authorization", "Bearer "+access)
			if r.Status >= 500 {
				t.Fatalf("%s %s %q → %d %s", p.method, p.url, b, r.Status, r.Raw)
			}
			if r.Status >= 400 {
				m := r.json(t)
				if m["status"] == nil && m["message"] == nil && m["errors"] == nil {
					t.Fatalf("%s %s: not Vandar's envelope: %s", p.method, p.url, r.Raw)
				}
			}
		}
		r := c.do(p.method, p.url, "", "")
		if r.Status != 401 {
			raw, _ := io.ReadAll(strings.NewReader(string(r.Raw)))
			t.Fatalf("%s %s without a token: %d %s", p.method, p.url, r.Status, raw)
		}
	}
}

func init() {
	outcomeCalls = append(outcomeCalls, func(c *client, bearer []string) map[string]func() [4]string {
		n := 0
		dest, _ := iran.MakeIBAN("012", "1234567890")
		own := func() string {
			raw := c.do("GET", c.api+"/v2/business/acme", "", "", bearer...)
			if raw.Status != 200 {
				return "IR0"
			}
			var m map[string]any
			_ = jsonUnmarshal(raw.Raw, &m)
			if d, ok := m["data"].(map[string]any); ok {
				s, _ := d["iban"].(string)
				return s
			}
			return "IR0"
		}
		batch := c.srv.Base("batch.vandar.io")
		j := "application/json"
		get := func(u string) func() [4]string { return func() [4]string { return [4]string{"GET", u, "", ""} } }
		store := func(path string) func() [4]string {
			return func() [4]string {
				n++
				return [4]string{"POST", c.api + path, j, `{"amount":5000,"iban":"` + dest + `","track_id":"oc-` + itoa(n) + `"}`}
			}
		}
		return map[string]func() [4]string{
			"vandar.settlementStore":  store("/v3/business/acme/settlement/store"),
			"vandar.queuedStore":      store("/v3/business/acme/settlement/queued"),
			"vandar.settlementList":   get(c.api + "/v2.1/business/acme/settlement"),
			"vandar.settlementShow":   get(c.api + "/v2.1/business/acme/settlement/none"),
			"vandar.settlementCancel": func() [4]string { return [4]string{"DELETE", c.api + "/v2.1/business/acme/settlement/1", "", ""} },
			"vandar.settlementBanks":  get(c.api + "/v3/business/acme/settlement/banks"),
			"vandar.queuedList":       get(c.api + "/v3/business/acme/settlement/queued"),
			"vandar.queuedShow":       get(c.api + "/v3/business/acme/settlement/queued/none"),
			"vandar.queuedCancel": func() [4]string {
				return [4]string{"POST", c.api + "/v3/business/acme/settlement/queued/cancel", j, `{"id":"none"}`}
			},
			"vandar.avandBalance": func() [4]string {
				return get(c.api + "/v3/business/acme/settlement/account/" + own() + "/last-balance")()
			},
			"vandar.avandStatement":         get(c.api + "/v3/business/acme/settlement/account/statement"),
			"vandar.cashInCode":             get(c.api + "/v3/business/acme/cash-in/code"),
			"vandar.cashInCodeTransactions": get(c.api + "/v3/business/acme/cash-in/pic/transactions"),
			"vandar.cashInSuspicious":       get(c.api + "/v3/business/acme/cash-in/suspicious-payment"),
			"vandar.cashInSuspiciousAction": func() [4]string {
				return [4]string{"POST", c.api + "/v3/business/acme/cash-in/suspicious-payment/none", j, `{"status":"accept"}`}
			},
			"vandar.cashInAccounts": get(c.api + "/v3/business/acme/cash-in/account"),
			"vandar.cashInDeposit": func() [4]string {
				n++
				return [4]string{"POST", c.api + "/v3/business/acme/cash-in/account/deposit", j, `{"iban":"` + own() + `","amount":10000,"track_id":"oc-` + itoa(n) + `"}`}
			},
			"vandar.cashInBalance": func() [4]string {
				return [4]string{"POST", c.api + "/v3/business/acme/cash-in/account/balance", j, `{"iban":"` + own() + `"}`}
			},
			"vandar.batchStore": func() [4]string {
				n++
				return [4]string{"POST", batch + "/api/v2/business/acme/batches-settlement", j,
					`{"batch_id":"oc-` + itoa(n) + `","batches_settlement":[{"amount":50000,"iban":"` + dest + `","track_id":"ocb-` + itoa(n) + `"}]}`}
			},
			"vandar.batchList": get(batch + "/api/v2/business/acme/batches"),
			"vandar.batchShow": get(batch + "/api/v2/business/acme/batch-settlements/none"),
		}
	})
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// TestPayoutsGolden: the documented examples of the slice (settlement store,
// list, show, cancel, banks; batch store, list, detail; bank cash-in
// accounts, balance, deposit) and their documented failures, in one session.
func TestPayoutsGolden(t *testing.T) {
	c := newClient(t)
	dest := payIBAN(t, "012", "1234567890")
	r := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 5000, "iban": dest, "track_id": "g-1",
		"payment_number": 1234, "description": "تسویه حساب وندار", "notify_url": "https://shop.example/settle"})
	golden(t, c, "payouts_settlement_store", r)
	tx := strconvFormat(data(t, r.json(t))["settlement"].([]any)[0].(map[string]any)["transaction_id"].(float64))
	golden(t, c, "payouts_settlement_store_invalid", c.postJSON("/v3/business/acme/settlement/store", access,
		map[string]any{"amount": 10, "iban": "IR123", "is_instant": "maybe", "type": "SWIFT"}))
	golden(t, c, "payouts_settlement_store_insufficient", c.postJSON("/v3/business/acme/settlement/store", access,
		map[string]any{"amount": 900_000_000, "iban": dest, "track_id": "g-2"}))
	k := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 6000, "iban": dest, "track_id": "g-3"})
	ktx := strconvFormat(data(t, k.json(t))["settlement"].([]any)[0].(map[string]any)["transaction_id"].(float64))
	golden(t, c, "payouts_settlement_cancel", c.del("/v2.1/business/acme/settlement/"+ktx, access))
	golden(t, c, "payouts_settlement_cancel_final", c.del("/v2.1/business/acme/settlement/"+ktx, access))
	c.srv.Admin.Advance("30m")
	golden(t, c, "payouts_settlement_list", c.get("/v2.1/business/acme/settlement?per_page=5", access))
	golden(t, c, "payouts_settlement_show", c.get("/v2.1/business/acme/settlement/"+tx, access))
	golden(t, c, "payouts_settlement_show_unknown", c.get("/v2.1/business/acme/settlement/nope", access))
	golden(t, c, "payouts_settlement_banks", c.get("/v3/business/acme/settlement/banks?has_a2a_bank_ability=false", access))

	batch := c.srv.Base("batch.vandar.io")
	bid := strings.Repeat("9e", 32)
	body := `{"batch_id":"` + bid + `","batches_settlement":[{"amount":50000,"iban":"` + dest + `","track_id":"gb-1","type":"A2A","payment_number":2},` +
		`{"amount":10,"iban":"IR1","track_id":"gb-2"}]}`
	golden(t, c, "payouts_batch_store", c.do(http.MethodPost, batch+"/api/v2/business/acme/batches-settlement", "application/json", body, "Authorization", "Bearer "+access))
	golden(t, c, "payouts_batch_list", c.do(http.MethodGet, batch+"/api/v2/business/acme/batches", "", "", "Authorization", "Bearer "+access))
	golden(t, c, "payouts_batch_detail", c.do(http.MethodGet, batch+"/api/v2/business/acme/batch-settlements/"+bid, "", "", "Authorization", "Bearer "+access))

	own := data(t, c.get("/v2/business/acme", access).want(t, 200))["iban"].(string)
	golden(t, c, "payouts_cash_in_accounts", c.get("/v3/business/acme/cash-in/account", access))
	golden(t, c, "payouts_cash_in_balance", c.postJSON("/v3/business/acme/cash-in/account/balance", access, map[string]any{"iban": own}))
	golden(t, c, "payouts_cash_in_balance_unknown", c.postJSON("/v3/business/acme/cash-in/account/balance", access, map[string]any{"iban": "IR12"}))
	golden(t, c, "payouts_cash_in_deposit", c.postJSON("/v3/business/acme/cash-in/account/deposit", access,
		map[string]any{"iban": own, "amount": 1_200_000_000, "track_id": "gd-1", "description": "شارژ کیف پول"}))
	golden(t, c, "payouts_cash_in_deposit_duplicate", c.postJSON("/v3/business/acme/cash-in/account/deposit", access,
		map[string]any{"iban": own, "amount": 1000, "track_id": "gd-1"}))
}

// TestSettlementInDoubt: the shipped vandar-settlement-in-doubt scenario
// loses the reply of the first store; the settlement shows in list and show
// one minute later, and a retry with the same track_id answers it (one payout).
func TestSettlementInDoubt(t *testing.T) {
	c := newClient(t)
	c.srv.Admin.Activate("vandar-settlement-in-doubt", "")
	before := c.balance(access)
	r := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 5000, "iban": payIBAN(t, "012", "42"), "track_id": "doubt"})
	if r.Status != 502 {
		t.Fatalf("first store: %d %s", r.Status, r.Raw)
	}
	c.get("/v2.1/business/acme/settlement/doubt", access).want(t, 404)
	c.srv.Admin.Advance("1m")
	s := c.show(t, "doubt")
	if s["status"] != "PENDING" || c.balance(access) != before-5000 {
		t.Fatalf("after settle: %v", s)
	}
	again := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 5000, "iban": payIBAN(t, "012", "42"), "track_id": "doubt"}).want(t, 200)
	if data(t, again)["settlement"].([]any)[0].(map[string]any)["id"] != s["id"] || c.balance(access) != before-5000 {
		t.Fatal("retry paid twice")
	}
}

// TestSettlementA2AAndUnit: A2A needs a bank with A2A and room in its daily
// limit; settlement_amount_unit: rial reads the amount as Rial.
func TestSettlementA2AAndUnit(t *testing.T) {
	c := newClient(t)
	refah := payIBAN(t, "013", "555")
	m := c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 5000, "iban": refah, "track_id": "a1", "type": "A2A"}).want(t, 422)
	if m["errors"].(map[string]any)["type"] == nil {
		t.Fatalf("A2A to Refah: %v", m)
	}
	melli := payIBAN(t, "017", "555")
	c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 20000, "iban": melli, "track_id": "a2", "type": "A2A"}).want(t, 200)
	c.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 5000, "iban": melli, "track_id": "a3", "type": "A2A"}).want(t, 422)
	banks := c.get("/v3/business/acme/settlement/banks", access).want(t, 200)["data"].([]any)
	if b := banks[0].(map[string]any); b["code"] != "017" || b["a2a"].(map[string]any)["limit"].(map[string]any)["amount_limit"].(map[string]any)["used"].(float64) != 200000 {
		t.Fatalf("banks %v", b)
	}

	r := newClient(t, sandbanktest.WithConfig(noRateLimits+"    settlement_amount_unit: rial\n"))
	s := r.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 60000, "iban": payIBAN(t, "012", "1"), "track_id": "r"}).want(t, 200)
	if row := data(t, s)["settlement"].([]any)[0].(map[string]any); row["amount"].(float64) != 60000 || row["amount_toman"].(float64) != 6000 {
		t.Fatalf("rial unit: %v", row)
	}
	r.postJSON("/v3/business/acme/settlement/store", access, map[string]any{"amount": 6000, "iban": payIBAN(t, "012", "1"), "track_id": "r2"}).want(t, 422)
}

// TestSettlementParallelRetries: ten parallel stores with one track_id pay once.
func TestSettlementParallelRetries(t *testing.T) {
	c := newClient(t)
	before := c.balance(access)
	dest := payIBAN(t, "012", "9")
	done := make(chan int, 10)
	for range 10 {
		go func() {
			raw, _ := json.Marshal(map[string]any{"amount": 5000, "iban": dest, "track_id": "par"})
			req, _ := http.NewRequest(http.MethodPost, c.api+"/v3/business/acme/settlement/store", strings.NewReader(string(raw)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+access)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- 0
				return
			}
			res.Body.Close()
			done <- res.StatusCode
		}()
	}
	for range 10 {
		if st := <-done; st >= 500 || st == 0 {
			t.Fatalf("status %d", st)
		}
	}
	if got := c.balance(access); got != before-5000 {
		t.Fatalf("wallet %v, want %v: paid more than once", got, before-5000)
	}
}

// TestQueuedReleasedByPayment: a verified gateway payment that tops the
// wallet up sends the waiting settlement; a cancelled one stays cancelled.
func TestQueuedReleasedByPayment(t *testing.T) {
	c := newClient(t)
	var out map[string]any
	c.srv.Admin.Do(http.MethodPost, "/vandar/businesses", map[string]any{"name": "shop2", "wallet": 0}, &out)
	tok, key := out["access_token"].(string), out["api_key"].(string)
	dest := payIBAN(t, "012", "4")
	q1 := data(t, c.postJSON("/v3/business/shop2/settlement/queued", tok, map[string]any{"amount": 30000, "iban": dest, "track_id": "w1"}).want(t, 200))["queued_settlement"].(map[string]any)
	q2 := data(t, c.postJSON("/v3/business/shop2/settlement/queued", tok, map[string]any{"amount": 10000, "iban": dest, "track_id": "w2"}).want(t, 200))["queued_settlement"].(map[string]any)
	c.postJSON("/v3/business/shop2/settlement/queued/cancel", tok, map[string]any{"id": q2["id"]}).want(t, 200)
	c.postJSON("/v3/business/shop2/settlement/queued/cancel", tok, map[string]any{"id": q2["id"]}).want(t, 422)
	token := c.send(key, 500_000)
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, &out)
	c.ipgForm("/api/v4/verify", url.Values{"api_key": {key}, "token": {token}}).want(t, 200)
	got := data(t, c.get("/v3/business/shop2/settlement/queued/"+q1["id"].(string), tok).want(t, 200))["queued_settlement"].(map[string]any)
	if got["status"] != "SUBMITTED" {
		t.Fatalf("after the payment: %v", got)
	}
	if w := c.get("/v2/business/shop2/balance", tok).want(t, 200)["data"].(map[string]any)["wallet"].(float64); w != 20000 {
		t.Fatalf("wallet %v, want 20000", w)
	}
	list := c.get("/v3/business/shop2/settlement/queued", tok).want(t, 200)["data"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["status"] != "CANCELED" {
		t.Fatalf("queued list %v", list)
	}
}
