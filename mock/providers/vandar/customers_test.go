package vandar_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Customers v2 (reference §12): the checks of the customers issue, run
// against the server as an integrator would.

const custBase = "/v2/business/acme/customers"

func (c *client) send2(method, path, token, ctype, body string) reply {
	return c.do(method, c.api+path, ctype, body, "Authorization", "Bearer "+token, "Accept", "application/json")
}

func (c *client) jsonCall(method, path, token, body string) reply {
	return c.send2(method, path, token, "application/json", body)
}

// createCustomer makes an individual customer and returns its id.
func (c *client) createCustomer(token, business, extra string) string {
	c.t.Helper()
	body := `{"type":"INDIVIDUAL","first_name":"الناز","last_name":"نوروزی","mobile":"09121234567","individual_national_code":"0013542419"` + extra + `}`
	m := c.jsonCall(http.MethodPost, "/v2/business/"+business+"/customers", token, body).want(c.t, 200)
	if m["status"] != "1" {
		c.t.Fatalf("status %v, want the string 1", m["status"])
	}
	id, _ := m["result"].(map[string]any)["customer"].(map[string]any)["id"].(string)
	if len(id) != 36 {
		c.t.Fatalf("customer id %q", id)
	}
	return id
}

func errorsOf(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	e, ok := m["errors"].(map[string]any)
	if !ok {
		t.Fatalf("no errors map: %v", m)
	}
	return e
}

func TestCustomerCRUDRoundTrip(t *testing.T) {
	c := newClient(t)
	f := c.jsonCall(http.MethodPost, custBase+"/fields", access, `{"name":"سن"}`).want(t, 200)
	fieldID := int(f["result"].(map[string]any)["field"].(map[string]any)["id"].(float64))
	id := c.createCustomer(access, slug, `,"custom_fields":[{"field_id":`+itoa(fieldID)+`,"field_value":"25"}]`)

	list := c.get(custBase, access).want(t, 200)
	rows := list["data"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["id"] != id || rows[0].(map[string]any)["name"] != "الناز نوروزی" {
		t.Fatalf("list: %v", list)
	}
	cf := rows[0].(map[string]any)["custom_fields"].([]any)
	if len(cf) != 1 || cf[0].(map[string]any)["key"] != "سن" || cf[0].(map[string]any)["value"] != "25" {
		t.Fatalf("custom fields: %v", cf)
	}

	// Update by form, as the Laravel client sends it; the answer has string ids.
	up := c.send2(http.MethodPut, custBase+"/"+id, access, "application/x-www-form-urlencoded",
		"type=INDIVIDUAL&first_name=سارا&province_id=8&city_id=6&custom_fields[0][field_id]="+itoa(fieldID)+"&custom_fields[0][field_value]=26").want(t, 200)
	cu := up["customer"].(map[string]any)
	if cu["name"] != "سارا نوروزی" || cu["province_id"] != "8" || cu["city"] != "تهران" {
		t.Fatalf("update: %v", up)
	}
	show := c.get(custBase+"/"+id, access).want(t, 200)["customer"].(map[string]any)
	if show["province_id"] != float64(8) || show["custom_fields"].([]any)[0].(map[string]any)["value"] != "26" || show["mobile"] != "09121234567" {
		t.Fatalf("show: %v", show)
	}

	del := c.jsonCall(http.MethodDelete, custBase+"/"+id, access, "").want(t, 200)
	if del["status"] != float64(1) || del["message"] != "مخاطب با موفقیت حذف گردید." {
		t.Fatalf("delete: %v", del)
	}
	if n := len(c.get(custBase, access).want(t, 200)["data"].([]any)); n != 0 {
		t.Fatalf("%d customers after delete", n)
	}
	// Everything under a deleted customer answers 404.
	for _, r := range []reply{
		c.get(custBase+"/"+id, access), c.get(custBase+"/"+id+"/wallet", access),
		c.jsonCall(http.MethodPost, custBase+"/"+id+"/wallet/deposit", access, `{"amount":1,"track_id":"x"}`),
		c.jsonCall(http.MethodPost, custBase+"/"+id+"/transactions", access, ""),
		c.jsonCall(http.MethodPut, custBase+"/"+id, access, `{"type":"LEGAL"}`), c.jsonCall(http.MethodDelete, custBase+"/"+id, access, ""),
	} {
		if m := r.want(t, 404); m["message"] != "خطای 404 رخ داده است." || m["status"] != float64(0) {
			t.Fatalf("deleted customer: %s", r.Raw)
		}
	}
}

func TestCustomerValidation(t *testing.T) {
	c := newClient(t)
	c.jsonCall(http.MethodPost, custBase+"/fields", access, `{"name":"سن"}`).want(t, 200)
	base := `"type":"INDIVIDUAL","mobile":"09121234567","individual_national_code":"0013542419"`

	// A custom value of the wrong type: 422 on that field.
	m := c.jsonCall(http.MethodPost, custBase, access, `{`+base+`,"custom_fields":[{"field_id":1,"field_value":25}]}`).want(t, 422)
	if e := errorsOf(t, m); len(e) != 1 || e["custom_fields.0.field_value"] == nil {
		t.Fatalf("wrong type: %v", m)
	}
	m = c.jsonCall(http.MethodPost, custBase, access, `{`+base+`,"custom_fields":[{"field_id":"one","field_value":"x"}]}`).want(t, 422)
	if errorsOf(t, m)["custom_fields.0.field_id"] == nil {
		t.Fatalf("field_id not an integer: %v", m)
	}
	// The documented unknown-field answer, verbatim.
	r := c.jsonCall(http.MethodPost, custBase, access, `{`+base+`,"custom_fields":[{"field_id":1,"field_value":"25"},{"field_id":7,"field_value":"x"}]}`)
	const want = `{"message":"چنین فیلدی برای این کسب و کار ثبت نشده است.","errors":{"custom_fields.1.field_id":["چنین فیلدی برای این کسب و کار ثبت نشده است."]}}`
	if r.Status != 422 || strings.TrimSpace(string(r.Raw)) != want {
		t.Fatalf("unknown field: %d %s", r.Status, r.Raw)
	}
	// Conditional requirements, every failed rule at once, in order.
	m = c.jsonCall(http.MethodPost, custBase, access, `{"type":"LEGAL","mobile":"0912","individual_national_code":"1234567890"}`).want(t, 422)
	e := errorsOf(t, m)
	for _, f := range []string{"mobile", "agent_mobile", "individual_national_code", "legal_national_code"} {
		if e[f] == nil {
			t.Fatalf("no error on %s: %v", f, m)
		}
	}
	if !strings.HasSuffix(m["message"].(string), "(and 3 more errors)") {
		t.Fatalf("message %q", m["message"])
	}
	if e := errorsOf(t, c.jsonCall(http.MethodPost, custBase, access, `{"type":"PERSON"}`).want(t, 422)); e["type"] == nil {
		t.Fatalf("bad type: %v", e)
	}
	// Update: type required, province and city together.
	id := c.createCustomer(access, slug, "")
	e = errorsOf(t, c.jsonCall(http.MethodPut, custBase+"/"+id, access, `{"province_id":"8"}`).want(t, 422))
	if e["type"] == nil || e["city_id"] == nil {
		t.Fatalf("update: %v", e)
	}
	c.jsonCall(http.MethodGet, custBase+"?per_page=101", access, "").want(t, 422)
	c.jsonCall(http.MethodGet, custBase+"/nope", access, "").want(t, 404)
}

func TestCustomerFields(t *testing.T) {
	c := newClient(t)
	for _, n := range []string{"سن", "تاریخ تولد"} {
		c.jsonCall(http.MethodPost, custBase+"/fields", access, `{"name":"`+n+`"}`).want(t, 200)
	}
	// The seed's literal path and the :business spelling list the same fields.
	lit := c.get("/v2/business/business/customers/fields", access).want(t, 200)
	alias := c.get(custBase+"/fields", access).want(t, 200)
	if len(lit["data"].([]any)) != 2 || len(alias["data"].([]any)) != 2 {
		t.Fatalf("lists: %v %v", lit, alias)
	}
	c.get("/v2/business/business/customers/fields", "nope").want(t, 401)
	for _, m := range []string{http.MethodPut, http.MethodPatch} {
		u := c.jsonCall(m, custBase+"/fields/2", access, `{"name":"تولد `+m+`"}`).want(t, 200)
		if u["field"].(map[string]any)["name"] != "تولد "+m {
			t.Fatalf("%s: %v", m, u)
		}
	}
	if g := c.get(custBase+"/fields/2", access).want(t, 200); g["data"].(map[string]any)["name"] != "تولد PATCH" {
		t.Fatalf("show: %v", g)
	}
	c.jsonCall(http.MethodPut, custBase+"/fields/2", access, `{}`).want(t, 422)
	if m := c.jsonCall(http.MethodDelete, custBase+"/fields/2", access, "").want(t, 200); m["message"] != "فیلد با موفقیت حذف گردید." {
		t.Fatalf("delete: %v", m)
	}
	if m := c.get(custBase+"/fields/2", access).want(t, 404); m["message"] != "خطای 404 رخ داده است." {
		t.Fatalf("deleted: %v", m)
	}
	// Another business's field: 404 with the field text; its customers cannot use it.
	tok, _, _ := c.newBusiness("other")
	if m := c.get("/v2/business/other/customers/fields/1", tok).want(t, 404); m["message"] != "چنین فیلدی برای این کسب و کار ثبت نشده است." {
		t.Fatalf("foreign: %v", m)
	}
	if n := len(c.get("/v2/business/business/customers/fields", tok).want(t, 200)["data"].([]any)); n != 0 {
		t.Fatalf("other sees %d fields", n)
	}
	m := c.jsonCall(http.MethodPost, "/v2/business/other/customers", tok,
		`{"type":"INDIVIDUAL","mobile":"09121234567","individual_national_code":"0013542419","custom_fields":[{"field_id":1,"field_value":"x"}]}`).want(t, 422)
	if errorsOf(t, m)["custom_fields.0.field_id"] == nil {
		t.Fatalf("foreign field on create: %v", m)
	}
}

func TestCustomerWallet(t *testing.T) {
	c := newClient(t)
	id := c.createCustomer(access, slug, "")
	w := custBase + "/" + id + "/wallet"
	dep := c.jsonCall(http.MethodPost, w+"/deposit", access, `{"amount":50000,"track_id":"d-1","comment":"شارژ"}`).want(t, 200)
	if dep["balance"] != float64(50000) || dep["currency"] != "RIAL" || dep["message"] != "واریز با موفقیت انجام شد" || dep["track_id"] != "d-1" {
		t.Fatalf("deposit: %v", dep)
	}
	// The same track_id again moves nothing.
	if e := errorsOf(t, c.jsonCall(http.MethodPost, w+"/deposit", access, `{"amount":50000,"track_id":"d-1"}`).want(t, 422)); e["track_id"] == nil {
		t.Fatalf("duplicate: %v", e)
	}
	wd := c.send2(http.MethodPost, w+"/withdraw", access, "application/x-www-form-urlencoded", "amount=20000&track_id=w-1").want(t, 200)
	if wd["balance"] != float64(30000) || wd["comment"] != "کاهش کیف پول مشتری" {
		t.Fatalf("withdraw: %v", wd)
	}
	if e := errorsOf(t, c.jsonCall(http.MethodPost, w+"/withdraw", access, `{"amount":40000,"track_id":"w-2"}`).want(t, 422)); e["amount"] == nil {
		t.Fatalf("over balance: %v", e)
	}
	if b := c.get(w, access).want(t, 200); b["balance"] != float64(30000) || b["currency"] != "RIAL" || b["status"] != float64(1) {
		t.Fatalf("balance: %v", b)
	}
	if b := c.get(custBase+"/"+id, access).want(t, 200)["customer"].(map[string]any)["balance"]; b != float64(30000) {
		t.Fatalf("customer balance %v", b)
	}
	for _, m := range []string{http.MethodPost, http.MethodGet} {
		l := c.jsonCall(m, custBase+"/"+id+"/transactions", access, "").want(t, 200)
		rows := l["data"].([]any)
		if len(rows) != 2 || l["status"] != float64(1) {
			t.Fatalf("%s transactions: %v", m, l)
		}
		first, second := rows[0].(map[string]any), rows[1].(map[string]any)
		if first["type"] != "withdraw" || first["amount"] != float64(-20000) || first["balance"] != "30000" ||
			second["type"] != "deposit" || second["amount"] != float64(50000) || second["balance"] != "50000" {
			t.Fatalf("rows: %v", rows)
		}
	}
	if l := c.get(custBase+"/"+id+"/transactions?type=deposit&per_page=1", access).want(t, 200); len(l["data"].([]any)) != 1 ||
		l["meta"].(map[string]any)["total"] != float64(1) {
		t.Fatalf("filter: %v", l)
	}
	e := errorsOf(t, c.jsonCall(http.MethodPost, w+"/deposit", access, `{"amount":0,"track_id":["a"]}`).want(t, 422))
	if e["amount"] == nil || e["track_id"] == nil {
		t.Fatalf("validation: %v", e)
	}
	// The business wallet is untouched: the customer wallet is Vandar's internal ledger.
	if got := c.balance(access); got != 10000000 {
		t.Fatalf("business wallet %v Toman", got)
	}
}

// TestCustomerWalletRace: parallel withdrawals never overdraw, and one track_id
// sent many times at once moves money once.
func TestCustomerWalletRace(t *testing.T) {
	c := newClient(t)
	id := c.createCustomer(access, slug, "")
	w := custBase + "/" + id + "/wallet"
	c.jsonCall(http.MethodPost, w+"/deposit", access, `{"amount":100,"track_id":"seed"}`).want(t, 200)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			track := "w-" + itoa(i%10) // each track_id twice
			if c.jsonCall(http.MethodPost, w+"/withdraw", access, `{"amount":15,"track_id":"`+track+`"}`).Status == 200 {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	b := c.get(w, access).want(t, 200)["balance"].(float64)
	if ok != 6 || b != 10 {
		t.Fatalf("%d withdrawals succeeded, balance %v; want 6 and 10", ok, b)
	}
	if n := len(c.get(custBase+"/"+id+"/transactions", access).want(t, 200)["data"].([]any)); n != 7 {
		t.Fatalf("%d rows, want 7", n)
	}
}

func TestCustomersIsolatedPerBusiness(t *testing.T) {
	c := newClient(t)
	id := c.createCustomer(access, slug, "")
	c.jsonCall(http.MethodPost, custBase+"/"+id+"/wallet/deposit", access, `{"amount":10,"track_id":"t"}`).want(t, 200)
	tok, _, _ := c.newBusiness("other")
	other := "/v2/business/other/customers"
	if n := len(c.get(other, tok).want(t, 200)["data"].([]any)); n != 0 {
		t.Fatalf("other business lists %d customers", n)
	}
	for _, r := range []reply{c.get(other+"/"+id, tok), c.get(other+"/"+id+"/wallet", tok), c.jsonCall(http.MethodDelete, other+"/"+id, tok, "")} {
		r.want(t, 404)
	}
	// The same track_id is free in another business.
	oid := c.createCustomer(tok, "other", "")
	c.jsonCall(http.MethodPost, other+"/"+oid+"/wallet/deposit", tok, `{"amount":10,"track_id":"t"}`).want(t, 200)
	// Another business's token on acme's path: the business-not-found answer.
	c.get(custBase+"/"+id, tok).want(t, 404)
	c.get(custBase, tok).want(t, 404)
	if n := len(c.get(custBase, access).want(t, 200)["data"].([]any)); n != 1 {
		t.Fatalf("acme lists %d customers", n)
	}
}

// TestCustomersGolden records the documented answers of every customer
// operation in one session.
func TestCustomersGolden(t *testing.T) {
	c := newClient(t)
	golden(t, c, "customers_field_create", c.jsonCall(http.MethodPost, custBase+"/fields", access, `{"name":"سن"}`))
	golden(t, c, "customers_field_list_seed_path", c.get("/v2/business/business/customers/fields", access))
	golden(t, c, "customers_field_update", c.jsonCall(http.MethodPut, custBase+"/fields/1", access, `{"name":"تاریخ تولد"}`))
	golden(t, c, "customers_field_show", c.get(custBase+"/fields/1", access))
	golden(t, c, "customers_field_unknown", c.get(custBase+"/fields/9", access))
	r := c.jsonCall(http.MethodPost, custBase, access, `{"type":"INDIVIDUAL","first_name":"الناز","last_name":"نوروزی","mobile":"09121234567",`+
		`"individual_national_code":"0013542419","custom_fields":[{"field_id":1,"field_value":"1376/01/01"}]}`)
	golden(t, c, "customers_create", r)
	id := r.json(t)["result"].(map[string]any)["customer"].(map[string]any)["id"].(string)
	golden(t, c, "customers_create_unknown_field", c.jsonCall(http.MethodPost, custBase, access,
		`{"type":"INDIVIDUAL","mobile":"09121234567","individual_national_code":"0013542419","custom_fields":[{"field_id":5,"field_value":"x"}]}`))
	golden(t, c, "customers_create_wrong_type", c.jsonCall(http.MethodPost, custBase, access,
		`{"type":"INDIVIDUAL","mobile":"09121234567","individual_national_code":"0013542419","custom_fields":[{"field_id":1,"field_value":25}]}`))
	golden(t, c, "customers_create_invalid", c.jsonCall(http.MethodPost, custBase, access, `{}`))
	golden(t, c, "customers_list", c.get(custBase, access))
	golden(t, c, "customers_update", c.jsonCall(http.MethodPut, custBase+"/"+id, access,
		`{"type":"INDIVIDUAL","province_id":"8","city_id":"6","address":"تهران، خیابان آزادی","postal_code":"1234567890"}`))
	golden(t, c, "customers_show", c.get(custBase+"/"+id, access))
	golden(t, c, "customers_wallet", c.get(custBase+"/"+id+"/wallet", access))
	golden(t, c, "customers_deposit", c.jsonCall(http.MethodPost, custBase+"/"+id+"/wallet/deposit", access, `{"amount":2000,"track_id":"123456","comment":"comment"}`))
	c.srv.Admin.Advance("1m")
	golden(t, c, "customers_withdraw", c.jsonCall(http.MethodPost, custBase+"/"+id+"/wallet/withdraw", access, `{"amount":1000,"track_id":"123457","comment":"comment"}`))
	golden(t, c, "customers_withdraw_short", c.jsonCall(http.MethodPost, custBase+"/"+id+"/wallet/withdraw", access, `{"amount":5000,"track_id":"123458"}`))
	golden(t, c, "customers_deposit_duplicate", c.jsonCall(http.MethodPost, custBase+"/"+id+"/wallet/deposit", access, `{"amount":2000,"track_id":"123456"}`))
	golden(t, c, "customers_transactions", c.jsonCall(http.MethodPost, custBase+"/"+id+"/transactions", access, ""))
	golden(t, c, "customers_field_delete", c.jsonCall(http.MethodDelete, custBase+"/fields/1", access, ""))
	golden(t, c, "customers_delete", c.jsonCall(http.MethodDelete, custBase+"/"+id, access, ""))
	golden(t, c, "customers_deleted_wallet", c.get(custBase+"/"+id+"/wallet", access))
}

func init() { productCalls = append(productCalls, customerCalls) }

// customerCalls are the outcome sweep's calls of the customer routes; each
// makes the customer or field it acts on.
func customerCalls(c *client, tok string) map[string]func() call {
	bearer := []string{"Authorization", "Bearer " + tok}
	js, n := "application/json", 0
	cust := func() string { return c.api + custBase + "/" + c.createCustomer(tok, slug, "") }
	field := func() string {
		m := c.jsonCall(http.MethodPost, custBase+"/fields", tok, `{"name":"f"}`).want(c.t, 200)
		return c.api + custBase + "/fields/" + strconvFormat(m["result"].(map[string]any)["field"].(map[string]any)["id"].(float64))
	}
	return map[string]func() call{
		"vandar.customers": func() call { return call{"GET", c.api + custBase, "", "", bearer} },
		"vandar.customerCreate": func() call {
			return call{"POST", c.api + custBase, js, `{"type":"LEGAL","agent_mobile":"09121234567","legal_national_code":"10101234567"}`, bearer}
		},
		"vandar.customerFields": func() call {
			return call{"GET", c.api + "/v2/business/business/customers/fields", "", "", bearer}
		},
		"vandar.customerFieldCreate": func() call { return call{"POST", c.api + custBase + "/fields", js, `{"name":"n"}`, bearer} },
		"vandar.customerField":       func() call { return call{"GET", field(), "", "", bearer} },
		"vandar.customerFieldUpdate": func() call { return call{"PUT", field(), js, `{"name":"n"}`, bearer} },
		"vandar.customerFieldPatch":  func() call { return call{"PATCH", field(), js, `{"name":"n"}`, bearer} },
		"vandar.customerFieldDelete": func() call { return call{"DELETE", field(), "", "", bearer} },
		"vandar.customer":            func() call { return call{"GET", cust(), "", "", bearer} },
		"vandar.customerUpdate":      func() call { return call{"PUT", cust(), js, `{"type":"INDIVIDUAL"}`, bearer} },
		"vandar.customerDelete":      func() call { return call{"DELETE", cust(), "", "", bearer} },
		"vandar.customerWallet":      func() call { return call{"GET", cust() + "/wallet", "", "", bearer} },
		"vandar.customerDeposit": func() call {
			n++
			return call{"POST", cust() + "/wallet/deposit", js, `{"amount":10,"track_id":"d-` + itoa(n) + `"}`, bearer}
		},
		"vandar.customerWithdraw": func() call {
			u := cust()
			return call{"POST", u + "/wallet/withdraw", js, `{"amount":10,"track_id":"w"}`, bearer}
		},
		"vandar.customerTransactions": func() call { return call{"POST", cust() + "/transactions", "", "", bearer} },
	}
}

func TestCustomerListPagingAndFilters(t *testing.T) {
	c := newClient(t)
	codes := []string{"0013542419", "0499370899", "0790419904"}
	for i := range 12 {
		body := `{"type":"INDIVIDUAL","first_name":"n` + itoa(i) + `","mobile":"0912000000` + itoa(i%10) + `","individual_national_code":"` + codes[i%3] + `"}`
		c.jsonCall(http.MethodPost, custBase, access, body).want(t, 200)
	}
	c.jsonCall(http.MethodPost, custBase, access, `{"type":"LEGAL","agent_name":"شرکت","agent_mobile":"09129999999","legal_national_code":"10101234567"}`).want(t, 200)
	m := c.get(custBase+"?per_page=5&page=3", access).want(t, 200)
	meta, links := m["meta"].(map[string]any), m["links"].(map[string]any)
	if len(m["data"].([]any)) != 3 || meta["total"] != float64(13) || meta["last_page"] != float64(3) || links["next"] != nil ||
		links["prev"] != "https://customer.vandar.io/v2/business/acme/customers?page=2&per_page=5" {
		t.Fatalf("page 3: %v", m)
	}
	if first := c.get(custBase, access).want(t, 200)["data"].([]any)[0].(map[string]any); first["name"] != "شرکت" || first["mobile"] != "09129999999" {
		t.Fatalf("newest first: %v", first)
	}
	for q, want := range map[string]float64{"?type=LEGAL": 1, "?national_code=0499370899": 4, "?mobile=09120000001": 2, "?q=n1": 3, "?type=INDIVIDUAL&q=n11": 1} {
		if got := c.get(custBase+q, access).want(t, 200)["meta"].(map[string]any)["total"]; got != want {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	c.get(custBase+"?type=PERSON", access).want(t, 422)
	c.get(custBase+"?per_page=0", access).want(t, 422)
}
