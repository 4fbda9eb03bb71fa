package vandar_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/iran"
)

// The magic people of the published table (README, doc.go).
var (
	ncSara    = iran.MakeNationalCode("002030405") // SUCCESSFUL with 09121110001
	ncAli     = iran.MakeNationalCode("002030406") // 09121110002
	ncMaryam  = iran.MakeNationalCode("002030407") // PENDING
	ncNobody  = iran.MakeNationalCode("002030408") // NOT_FOUND
	saraIBAN  = mustIBAN("056", "0"+ncSara+"00000001")
	saraMelli = mustIBAN("017", "0"+ncSara+"00000002")
	saraCard  = iran.MakeCard("621986", ncSara[:9])
	aliIBAN   = mustIBAN("057", "0"+ncAli+"00000001")
)

func mustIBAN(bank, acct string) string {
	s, err := iran.MakeIBAN(bank, acct)
	if err != nil {
		panic(err)
	}
	return s
}

// idnCall is a Bearer JSON call on the API host.
func (c *client) idnCall(method, path, token, body string) reply {
	return c.do(method, c.api+path, "application/json", body, "Authorization", "Bearer "+token, "Accept", "application/json")
}

// idnCustomer creates an individual customer and returns its id.
func (c *client) idnCustomer(token, business, first, last, mobile, nc string) string {
	c.t.Helper()
	body, _ := json.Marshal(map[string]any{"type": "INDIVIDUAL", "first_name": first, "last_name": last, "mobile": mobile,
		"individual_national_code": nc})
	r := c.idnCall("POST", "/v2/business/"+business+"/customers", token, string(body))
	if r.Status != 200 {
		c.t.Fatalf("create customer: %d %s", r.Status, r.Raw)
	}
	var m struct {
		Result struct {
			Customer struct {
				ID string `json:"id"`
			} `json:"customer"`
		} `json:"result"`
	}
	if err := json.Unmarshal(r.Raw, &m); err != nil || m.Result.Customer.ID == "" {
		c.t.Fatalf("create customer: %s", r.Raw)
	}
	return m.Result.Customer.ID
}

func authStatus(t *testing.T, r reply) string {
	t.Helper()
	m := r.want(t, 200)
	if m["status"] != "1" || m["message"] != "اطلاعات احراز هویت کاربر با موفقیت واکشی شد" {
		t.Fatalf("authentication body: %s", r.Raw)
	}
	return m["authentication_status"].(string)
}

func TestIdentityAuthentication(t *testing.T) {
	c := newClient(t)
	base := "/v3/business/" + slug + "/customers/"
	for _, k := range []struct {
		name, first, last, mobile, nc string
		kyc, shahkar                  string
	}{
		{"match", "سارا", "رضایی", "09121110001", ncSara, "SUCCESSFUL", "SUCCESSFUL"},
		{"arabic letters", "سارا", "رضايي", "09121110001", ncSara, "SUCCESSFUL", "SUCCESSFUL"},
		{"someone else's mobile", "سارا", "رضایی", "09121110002", ncSara, "SUCCESSFUL", "FAILURE"},
		{"wrong name", "سارا", "کریمی", "09121110001", ncSara, "FAILURE", "SUCCESSFUL"},
		{"pending", "مریم", "احمدی", "09121110003", ncMaryam, "PENDING", "PENDING"},
		{"not found", "نامشخص", "نامشخص", "09121110004", ncNobody, "NOT_FOUND", "NOT_FOUND"},
		{"unregistered SIM", "علی", "کریمی", "09121110009", ncAli, "SUCCESSFUL", "NOT_FOUND"},
		{"derived person, own mobile", "x", "y", "0912" + iran.MakeNationalCode("123456789")[3:], iran.MakeNationalCode("123456789"), "FAILURE", "SUCCESSFUL"},
	} {
		id := c.idnCustomer(access, slug, k.first, k.last, k.mobile, k.nc)
		if got := authStatus(t, c.idnCall("POST", base+id+"/authentication/kyc", access, "")); got != k.kyc {
			t.Errorf("%s: kyc %s, want %s", k.name, got, k.kyc)
		}
		if got := authStatus(t, c.idnCall("POST", base+id+"/authentication/shahkar", access, "")); got != k.shahkar {
			t.Errorf("%s: shahkar %s, want %s", k.name, got, k.shahkar)
		}
	}
	// The v2 alias, and a scenario forcing the answer inside the reply.
	id := c.idnCustomer(access, slug, "سارا", "رضایی", "09121110001", ncSara)
	if got := authStatus(t, c.idnCall("POST", "/v2/business/"+slug+"/customers/"+id+"/authentication/shahkar", access, "")); got != "SUCCESSFUL" {
		t.Fatalf("v2 alias: %s", got)
	}
	r := c.do("POST", c.api+base+id+"/authentication/shahkar", "", "", "Authorization", "Bearer "+access, "X-Sandbank-Outcome", "failure:AUTH_FAILURE")
	if got := authStatus(t, r); got != "FAILURE" {
		t.Fatalf("forced: %s", got)
	}
	// Cash-in code: 15 digits, the same on every call.
	a := c.idnCall("GET", base+id+"/cash-in-code", access, "").want(t, 200)
	b := c.idnCall("GET", base+id+"/cash-in-code", access, "").want(t, 200)
	if code, _ := a["code"].(string); len(code) != 15 || a["code"] != b["code"] || a["status"] != float64(1) {
		t.Fatalf("cash-in code: %v %v", a, b)
	}
	// Unknown customer: Vandar's 404.
	nf := c.idnCall("POST", base+"nope/authentication/kyc", access, "").want(t, 404)
	if nf["message"] != "خطای 404 رخ داده است." {
		t.Fatalf("unknown customer: %v", nf)
	}
}

func TestIdentityIBANs(t *testing.T) {
	c := newClient(t)
	id := c.idnCustomer(access, slug, "سارا", "رضایی", "09121110001", ncSara)
	base := "/v3/business/" + slug + "/customers/" + id + "/ibans"

	m := c.idnCall("POST", base, access, `{"iban":"`+saraIBAN+`","is_default":false,"has_inquiry":true}`).want(t, 200)
	if m["iban_compatibility"] != "MATCHED" || m["is_default"] != true {
		t.Fatalf("own IBAN (first one is the default): %v", m)
	}
	owners := m["account_owners"].([]any)[0].(map[string]any)
	if owners["firstName"] != "سارا" || owners["lastName"] != "رضایی" {
		t.Fatalf("owners: %v", owners)
	}
	m = c.idnCall("POST", base, access, `{"iban":"`+aliIBAN+`","is_default":true,"has_inquiry":true}`).want(t, 200)
	if m["iban_compatibility"] != "UNMATCHED" || m["account_owners"].([]any)[0].(map[string]any)["lastName"] != "کریمی" {
		t.Fatalf("someone else's IBAN: %v", m)
	}
	// Form body with Laravel's "1"/"0" booleans.
	r := c.do("POST", c.api+base, "application/x-www-form-urlencoded", "iban="+saraMelli+"&is_default=0&has_inquiry=0",
		"Authorization", "Bearer "+access)
	if m := r.want(t, 200); m["iban_compatibility"] != "UNKNOWN" || m["is_default"] != false {
		t.Fatalf("without inquiry: %v", m)
	}
	// Errors: duplicate, bad checksum, unknown bank, missing flags.
	dup := c.idnCall("POST", base, access, `{"iban":"`+saraIBAN+`","is_default":true,"has_inquiry":false}`).want(t, 422)
	if dup["errors"].(map[string]any)["iban"] == nil {
		t.Fatalf("duplicate: %v", dup)
	}
	bad := saraIBAN[:25] + string('0'+(saraIBAN[25]-'0'+1)%10)
	e := c.idnCall("POST", base, access, `{"iban":"`+bad+`","is_default":"yes"}`).want(t, 422)
	errs := e["errors"].(map[string]any)
	if errs["iban"].([]any)[0] != "شماره شبا قابل قبول نیست." || errs["is_default"] == nil || errs["has_inquiry"] == nil {
		t.Fatalf("validation: %s", e)
	}
	unknownBank := mustIBAN("099", "123")
	if r := c.idnCall("POST", base, access, `{"iban":"`+unknownBank+`","is_default":true,"has_inquiry":false}`); r.Status != 422 {
		t.Fatalf("unknown bank code: %d %s", r.Status, r.Raw)
	}

	// Inquiry of a stored IBAN; set-default twice leaves one default.
	if m := c.idnCall("POST", base+"/"+saraMelli+"/inquiry", access, "").want(t, 200); m["iban_compatibility"] != "MATCHED" {
		t.Fatalf("inquiry: %v", m)
	}
	for _, iban := range []string{saraIBAN, saraMelli} {
		if m := c.idnCall("POST", base+"/"+iban+"/set-default", access, "").want(t, 200); m["message"] != "این شماره شبا به صورت پیش فرض تنظیم شد." {
			t.Fatalf("set-default: %v", m)
		}
	}
	list := c.idnCall("GET", base, access, "").want(t, 200)
	rows := list["data"].([]any)
	defaults := 0
	for _, row := range rows {
		if row.(map[string]any)["is_default"] == true {
			defaults++
			if row.(map[string]any)["iban"] != saraMelli {
				t.Fatalf("wrong default: %v", row)
			}
		}
	}
	if len(rows) != 3 || defaults != 1 || list["meta"].(map[string]any)["per_page"] != float64(15) {
		t.Fatalf("list: %s", list)
	}
	// Delete: the seed's form (IBAN in the body), the alias with :iban; the
	// deleted default hands over to the oldest remaining IBAN.
	if m := c.idnCall("DELETE", base, access, `{"iban":"`+saraMelli+`"}`).want(t, 200); m["message"] != "شماره شبا با موفقیت حذف شد." {
		t.Fatalf("delete: %v", m)
	}
	c.idnCall("DELETE", base+"/"+aliIBAN, access, "").want(t, 200)
	c.idnCall("DELETE", base+"?iban="+aliIBAN, access, "").want(t, 404)
	c.idnCall("DELETE", base, access, `{}`).want(t, 422)
	rows = c.idnCall("GET", base, access, "").want(t, 200)["data"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["is_default"] != true {
		t.Fatalf("after deletes: %v", rows)
	}
}

func TestIdentityCardsAndToIBAN(t *testing.T) {
	c := newClient(t)
	id := c.idnCustomer(access, slug, "سارا", "رضایی", "09121110001", ncSara)
	base := "/v3/business/" + slug + "/customers/" + id + "/cards"
	m := c.idnCall("POST", base, access, `{"card":"`+saraCard+`","is_default":true,"has_inquiry":true}`).want(t, 200)
	if m["card_compatibility"] != "MATCHED" || m["name"] != "سارا رضایی" {
		t.Fatalf("card: %v", m)
	}
	other := iran.MakeCard("603799", ncAli[:9])
	if m := c.idnCall("POST", base, access, `{"card":"`+other+`","is_default":false,"has_inquiry":false}`).want(t, 200); m["card_compatibility"] != "UNKNOWN" {
		t.Fatalf("no inquiry: %v", m)
	}
	if m := c.idnCall("POST", base+"/"+other+"/inquiry", access, "").want(t, 200); m["card_compatibility"] != "UNMATCHED" || m["name"] != "علی کریمی" {
		t.Fatalf("inquiry: %v", m)
	}
	c.idnCall("POST", base+"/"+other+"/set-default", access, "").want(t, 200)
	c.idnCall("POST", base+"/"+saraCard+"/set-default", access, "").want(t, 200)
	rows := c.idnCall("GET", base, access, "").want(t, 200)["data"].([]any)
	if len(rows) != 2 || rows[0].(map[string]any)["is_default"] != true || rows[1].(map[string]any)["is_default"] != false {
		t.Fatalf("defaults: %v", rows)
	}
	// Luhn and BIN.
	badLuhn := saraCard[:15] + string('0'+(saraCard[15]-'0'+1)%10)
	if e := c.idnCall("POST", base, access, `{"card":"`+badLuhn+`","is_default":true,"has_inquiry":true}`).want(t, 422); e["errors"].(map[string]any)["card"] == nil {
		t.Fatalf("luhn: %v", e)
	}
	if r := c.idnCall("POST", base, access, `{"card":"`+iran.MakeCard("123456", "1")+`","is_default":true,"has_inquiry":true}`); r.Status != 422 {
		t.Fatalf("unknown BIN: %d %s", r.Status, r.Raw)
	}
	// to-iban: the account behind Sara's Saman card is her Saman IBAN, and the
	// inquiries say the same.
	ti := c.idnCall("POST", base+"/to-iban", access, `{"card":"`+saraCard+`","is_default":true,"has_inquiry":true}`).want(t, 200)
	if ti["iban"] != saraIBAN || ti["iban_compatibility"] != "MATCHED" || ti["bank_name"] == nil {
		t.Fatalf("to-iban: %v (want %s)", ti, saraIBAN)
	}
	inq := "/v3/business/" + slug + "/customers/inquiry/"
	ib := c.idnCall("POST", inq+"iban", access, `{"iban":"`+saraIBAN+`","track_id":"t-iban"}`).want(t, 200)["data"].(map[string]any)
	if ib["account_owners"].([]any)[0].(map[string]any)["lastName"] != "رضایی" {
		t.Fatalf("iban inquiry: %v", ib)
	}
	if d := c.idnCall("POST", inq+"national-code-iban", access, `{"national_code":"`+ncSara+`","iban":"`+saraIBAN+`","track_id":"t-nci"}`).want(t, 200)["data"].(map[string]any); d["is_matched"] != true {
		t.Fatalf("national-code-iban: %v", d)
	}
	if d := c.idnCall("POST", inq+"card", access, `{"card":"`+saraCard+`","track_id":"t-card"}`).want(t, 200)["data"].(map[string]any); d["iban"] != saraIBAN || d["name"] != "سارا رضایی" {
		t.Fatalf("card inquiry: %v", d)
	}
	// The IBAN is now on the customer, once.
	ibans := c.idnCall("GET", "/v3/business/"+slug+"/customers/"+id+"/ibans", access, "").want(t, 200)["data"].([]any)
	if len(ibans) != 1 || ibans[0].(map[string]any)["iban"] != saraIBAN {
		t.Fatalf("ibans after to-iban: %v", ibans)
	}
	// A bank that does not convert cards.
	mellat := iran.MakeCard("610433", ncSara[:9])
	if r := c.idnCall("POST", base+"/to-iban", access, `{"card":"`+mellat+`","is_default":true,"has_inquiry":true}`); r.Status != 422 {
		t.Fatalf("mellat to-iban: %d %s", r.Status, r.Raw)
	}
	c.idnCall("DELETE", base+"/"+other, access, "").want(t, 200)
	c.idnCall("DELETE", base+"/"+other, access, "").want(t, 404)
}

func TestIdentityInquiriesAgree(t *testing.T) {
	c := newClient(t)
	inq := "/v3/business/" + slug + "/customers/inquiry/"
	call := func(kind, body string, status int) map[string]any {
		t.Helper()
		return c.idnCall("POST", inq+kind, access, body).want(t, status)
	}
	data := func(m map[string]any) map[string]any { return m["data"].(map[string]any) }
	nid := data(call("nid", `{"national_code":"`+ncSara+`","birth_date":"1370/5/12","track_id":"a1"}`, 200))
	if nid["first_name"] != "سارا" || nid["last_name"] != "رضایی" || nid["birth_date"] != "1370/05/12" || nid["postal_code"] != "1415733164" {
		t.Fatalf("nid: %v", nid)
	}
	post := data(call("postal-code", `{"postal_code":"1415733164","track_id":"a2"}`, 200))
	if post["address"] != nid["address"] || post["province"] != "تهران" {
		t.Fatalf("postal code %v vs nid %v", post, nid)
	}
	img := data(call("nid-image", `{"national_code":"`+ncSara+`","birth_date":"1370/05/12","track_id":"a3"}`, 200))
	if !strings.HasPrefix(img["image"].(string), "data:image/svg+xml;base64,") || img["first_name"] != "سارا" {
		t.Fatalf("nid-image: %v", img)
	}
	if d := data(call("kyc", `{"first_name":"سارا","last_name":"رضایی","national_code":"`+ncSara+`","birthday":"1370/05/12","track_id":"a4"}`, 200)); d["authentication_status"] != "SUCCESSFUL" {
		t.Fatalf("kyc: %v", d)
	}
	if d := data(call("kyc", `{"first_name":"سارا","last_name":"رضایی","national_code":"`+ncSara+`","birthday":"1371/05/12","track_id":"a5"}`, 200)); d["authentication_status"] != "FAILURE" {
		t.Fatalf("kyc wrong birthday: %v", d)
	}
	if d := data(call("shahkar", `{"mobile":"09121110002","national_code":"`+ncSara+`","track_id":"a6"}`, 200)); d["authentication_status"] != "FAILURE" {
		t.Fatalf("shahkar mismatch: %v", d)
	}
	if d := data(call("match-mobile-card", `{"mobile":"09121110001","card":"`+saraCard+`","track_id":"a7"}`, 200)); d["is_matched"] != true {
		t.Fatalf("match-mobile-card: %v", d)
	}
	if d := data(call("match-mobile-card", `{"mobile":"09121110002","card":"`+saraCard+`","track_id":"a8"}`, 200)); d["is_matched"] != false {
		t.Fatalf("match-mobile-card mismatch: %v", d)
	}
	// Sara signs for the magic company.
	sig := data(call("company-signature", `{"national_code":"10101234567","track_id":"a9"}`, 200))
	if s := sig["signatories"].([]any)[0].(map[string]any); s["national_code"] != ncSara || s["last_name"] != "رضایی" {
		t.Fatalf("signature: %v", sig)
	}
	co := data(call("company-information", `{"national_code":"10101234567","track_id":"a10"}`, 200))
	if co["name"] != sig["name"] {
		t.Fatalf("company: %v vs %v", co, sig)
	}
	// A derived person: card, IBAN and Shahkar agree.
	nc := iran.MakeNationalCode("123456789")
	card := data(call("card", `{"card":"`+iran.MakeCard("603799", nc[:9])+`","track_id":"b1"}`, 200))
	iban := data(call("iban", `{"iban":"`+card["iban"].(string)+`","track_id":"b2"}`, 200))
	own := iban["account_owners"].([]any)[0].(map[string]any)
	if card["name"] != own["firstName"].(string)+" "+own["lastName"].(string) {
		t.Fatalf("card %v vs iban %v", card, iban)
	}
	if d := data(call("shahkar", `{"mobile":"0912`+nc[3:]+`","national_code":"`+nc+`","track_id":"b3"}`, 200)); d["authentication_status"] != "SUCCESSFUL" {
		t.Fatalf("derived shahkar: %v", d)
	}
	// Not found, mismatch, pending registry, duplicate track_id, validation.
	call("nid", `{"national_code":"`+ncNobody+`","birth_date":"1360/01/01","track_id":"c1"}`, 404)
	call("nid", `{"national_code":"`+ncSara+`","birth_date":"1360/01/01","track_id":"c2"}`, 422)
	call("nid", `{"national_code":"`+ncMaryam+`","birth_date":"1372/02/28","track_id":"c3"}`, 502)
	call("postal-code", `{"postal_code":"9999999999","track_id":"c4"}`, 404)
	call("company-information", `{"national_code":"10100000000","track_id":"c5"}`, 404)
	call("fida", `{"fida_code":"000000000000","birth_date":"1370/01/01","track_id":"c6"}`, 404)
	dup := call("iban", `{"iban":"`+saraIBAN+`","track_id":"a1"}`, 422)
	if dup["errors"].(map[string]any)["track_id"] == nil {
		t.Fatalf("duplicate track_id: %v", dup)
	}
	v := call("shahkar", `{"mobile":"12","national_code":"1234567890"}`, 422)["errors"].(map[string]any)
	if v["mobile"] == nil || v["national_code"] == nil || v["track_id"] == nil {
		t.Fatalf("validation: %v", v)
	}
	// A forced scenario answers inside the reply.
	r := c.do("POST", c.api+inq+"national-code-iban", "application/json", `{"national_code":"`+ncSara+`","iban":"`+saraIBAN+`","track_id":"d1"}`,
		"Authorization", "Bearer "+access, "X-Sandbank-Outcome", "failure:INQUIRY_UNMATCHED")
	if d := data(r.want(t, 200)); d["is_matched"] != false {
		t.Fatalf("forced unmatched: %v", d)
	}
}

// One business never sees another's customers, and concurrent set-defaults
// leave exactly one default.
func TestIdentityIsolationAndRace(t *testing.T) {
	c := newClient(t)
	tok, _, _ := c.newBusiness("other")
	id := c.idnCustomer(access, slug, "سارا", "رضایی", "09121110001", ncSara)
	c.idnCall("POST", "/v3/business/"+slug+"/customers/"+id+"/ibans", access, `{"iban":"`+saraIBAN+`","is_default":true,"has_inquiry":false}`).want(t, 200)
	c.idnCall("GET", "/v3/business/other/customers/"+id+"/ibans", tok, "").want(t, 404)
	c.idnCall("GET", "/v3/business/"+slug+"/customers/"+id+"/ibans", tok, "").want(t, 404)
	c.idnCall("POST", "/v3/business/other/customers/"+id+"/authentication/kyc", tok, "").want(t, 404)

	// A deleted customer's sub-resources answer 404.
	gone := c.idnCustomer(access, slug, "سارا", "رضایی", "09121110001", ncSara)
	c.idnCall("DELETE", "/v2/business/"+slug+"/customers/"+gone, access, "").want(t, 200)
	for _, p := range []string{"/ibans", "/cards", "/cash-in-code"} {
		c.idnCall("GET", "/v3/business/"+slug+"/customers/"+gone+p, access, "").want(t, 404)
	}
	c.idnCall("POST", "/v3/business/"+slug+"/customers/"+gone+"/authentication/shahkar", access, "").want(t, 404)

	base := "/v3/business/" + slug + "/customers/" + id + "/ibans"
	ibans := []string{saraIBAN}
	for k := 3; k < 9; k++ {
		ib := mustIBAN("056", "0"+ncSara+"0000000"+string(rune('0'+k)))
		ibans = append(ibans, ib)
		c.idnCall("POST", base, access, `{"iban":"`+ib+`","is_default":false,"has_inquiry":false}`).want(t, 200)
	}
	var wg sync.WaitGroup
	for _, ib := range ibans {
		wg.Add(1)
		go func(ib string) {
			defer wg.Done()
			req, _ := http.NewRequest("POST", c.api+base+"/"+ib+"/set-default", nil)
			req.Header.Set("Authorization", "Bearer "+access)
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
			}
		}(ib)
	}
	wg.Wait()
	rows := c.idnCall("GET", base, access, "").want(t, 200)["data"].([]any)
	n := 0
	for _, r := range rows {
		if r.(map[string]any)["is_default"] == true {
			n++
		}
	}
	if n != 1 || len(rows) != len(ibans) {
		t.Fatalf("%d defaults among %d", n, len(rows))
	}
}

// TestIdentityMalformed sends broken input to every identity route of a live
// customer: each answers below 500 in Vandar's envelope.
func TestIdentityMalformed(t *testing.T) {
	c := newClient(t)
	id := c.idnCustomer(access, slug, "سارا", "رضایی", "09121110001", ncSara)
	c.idnCall("POST", "/v3/business/"+slug+"/customers/"+id+"/ibans", access, `{"iban":"`+saraIBAN+`","is_default":true,"has_inquiry":true}`).want(t, 200)
	bodies := []string{"", "{", "[]", "null", `"x"`, "\xff\xfe", "a=b&c", `{"iban":{},"card":[1],"is_default":"true","has_inquiry":2}`,
		`{"iban":"IR` + strings.Repeat("9", 200) + `","card":"` + strings.Repeat("۱", 16) + `","is_default":null,"has_inquiry":[true]}`,
		`{"national_code":["1"],"mobile":{"a":1},"birth_date":"1400/13/40","birthday":"x/y/z","postal_code":"12345678901234567890","track_id":"` + strings.Repeat("t", 300) + `"}`,
		`{"fida_code":1e99,"iban":true,"card":false,"first_name":[],"last_name":{},"legal_name":1}`,
		`iban[]=1&card[x]=2&is_default[]=1&has_inquiry=1&national_code=0000000000&track_id[]=a`}
	paths := map[string]bool{}
	for _, rt := range c.srv.App.Routes() {
		if rt.Provider != "vandar" || !strings.Contains(rt.Path, "/customers/") || strings.Contains(rt.Path, "/v2/") && !strings.Contains(rt.Path, "authentication") && !strings.Contains(rt.Path, "cash-in") {
			continue
		}
		for _, iban := range []string{saraIBAN, "x", "IR" + strings.Repeat("0", 24), "%25%00"} {
			path := strings.NewReplacer(":business", slug, ":customer", id, ":iban", iban, ":card", saraCard).Replace(rt.Path)
			if paths[rt.Method+path] {
				continue
			}
			paths[rt.Method+path] = true
			for _, body := range bodies {
				for _, ct := range []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
					check(t, rt.Method+" "+path+" "+body, c.do(rt.Method, c.api+path, ct, body, "Authorization", "Bearer "+access))
				}
			}
		}
	}
	if len(paths) < 26 {
		t.Fatalf("only %d paths swept", len(paths))
	}
}

func init() { productCalls = append(productCalls, identityCalls) }

// identityCalls are valid calls of every identity operation for the outcome
// sweep; each makes what it needs (a customer with an IBAN and a card) and
// uses a fresh track_id.
func identityCalls(c *client, tok string) map[string]func() call {
	bearer := []string{"Authorization", "Bearer " + tok}
	js, n := "application/json", 0
	track := func() string { n++; return `"track_id":"o-` + itoa(n) + `"` }
	cust := func() string {
		id := c.idnCustomer(tok, slug, "سارا", "رضایی", "09121110001", ncSara)
		u := "/v3/business/" + slug + "/customers/" + id
		c.idnCall("POST", u+"/ibans", tok, `{"iban":"`+saraIBAN+`","is_default":true,"has_inquiry":false}`).want(c.t, 200)
		c.idnCall("POST", u+"/cards", tok, `{"card":"`+saraCard+`","is_default":true,"has_inquiry":false}`).want(c.t, 200)
		return c.api + u
	}
	inq := c.api + "/v3/business/" + slug + "/customers/inquiry/"
	post := func(u, body string) call { return call{"POST", u, js, body, bearer} }
	return map[string]func() call{
		"vandar.customerKYC":        func() call { return post(cust()+"/authentication/kyc", "") },
		"vandar.customerShahkar":    func() call { return post(cust()+"/authentication/shahkar", "") },
		"vandar.customerCashInCode": func() call { return call{"GET", cust() + "/cash-in-code", "", "", bearer} },
		"vandar.customerIBANAdd": func() call {
			return post(cust()+"/ibans", `{"iban":"`+saraMelli+`","is_default":true,"has_inquiry":true}`)
		},
		"vandar.customerIBANs":       func() call { return call{"GET", cust() + "/ibans", "", "", bearer} },
		"vandar.customerIBANDelete":  func() call { return call{"DELETE", cust() + "/ibans", js, `{"iban":"` + saraIBAN + `"}`, bearer} },
		"vandar.customerIBANInquiry": func() call { return post(cust()+"/ibans/"+saraIBAN+"/inquiry", "") },
		"vandar.customerIBANDefault": func() call { return post(cust()+"/ibans/"+saraIBAN+"/set-default", "") },
		"vandar.customerCardAdd": func() call {
			return post(cust()+"/cards", `{"card":"`+iran.MakeCard("603799", ncSara[:9])+`","is_default":true,"has_inquiry":true}`)
		},
		"vandar.customerCards":       func() call { return call{"GET", cust() + "/cards", "", "", bearer} },
		"vandar.customerCardDelete":  func() call { return call{"DELETE", cust() + "/cards/" + saraCard, "", "", bearer} },
		"vandar.customerCardInquiry": func() call { return post(cust()+"/cards/"+saraCard+"/inquiry", "") },
		"vandar.customerCardDefault": func() call { return post(cust()+"/cards/"+saraCard+"/set-default", "") },
		"vandar.customerCardToIBAN": func() call {
			return post(cust()+"/cards/to-iban", `{"card":"`+saraCard+`","is_default":true,"has_inquiry":true}`)
		},
		"vandar.inquiry.kyc": func() call {
			return post(inq+"kyc", `{"first_name":"سارا","last_name":"رضایی","national_code":"`+ncSara+`","birthday":"1370/05/12",`+track()+`}`)
		},
		"vandar.inquiry.shahkar": func() call {
			return post(inq+"shahkar", `{"mobile":"09121110001","national_code":"`+ncSara+`",`+track()+`}`)
		},
		"vandar.inquiry.nid": func() call {
			return post(inq+"nid", `{"national_code":"`+ncSara+`","birth_date":"1370/05/12",`+track()+`}`)
		},
		"vandar.inquiry.nid-image": func() call {
			return post(inq+"nid-image", `{"national_code":"`+ncSara+`","birth_date":"1370/05/12",`+track()+`}`)
		},
		"vandar.inquiry.fida": func() call {
			return post(inq+"fida", `{"fida_code":"101010101010","birth_date":"1368/03/21",`+track()+`}`)
		},
		"vandar.inquiry.postal-code": func() call { return post(inq+"postal-code", `{"postal_code":"1415733164",`+track()+`}`) },
		"vandar.inquiry.company-information": func() call {
			return post(inq+"company-information", `{"national_code":"10101234567",`+track()+`}`)
		},
		"vandar.inquiry.company-signature": func() call {
			return post(inq+"company-signature", `{"national_code":"10101234567",`+track()+`}`)
		},
		"vandar.inquiry.national-code-iban": func() call {
			return post(inq+"national-code-iban", `{"national_code":"`+ncSara+`","iban":"`+saraIBAN+`",`+track()+`}`)
		},
		"vandar.inquiry.match-mobile-card": func() call {
			return post(inq+"match-mobile-card", `{"mobile":"09121110001","card":"`+saraCard+`",`+track()+`}`)
		},
		"vandar.inquiry.iban": func() call { return post(inq+"iban", `{"iban":"`+saraIBAN+`",`+track()+`}`) },
		"vandar.inquiry.card": func() call { return post(inq+"card", `{"card":"`+saraCard+`",`+track()+`}`) },
	}
}

// TestIdentityGolden keeps the wire of every identity answer: the documented
// bodies (reference §13) and the inferred inquiry bodies (§14).
func TestIdentityGolden(t *testing.T) {
	c := newClient(t)
	id := c.idnCustomer(access, slug, "سارا", "رضایی", "09121110001", ncSara)
	u := "/v3/business/" + slug + "/customers/" + id
	golden(t, c, "identity_kyc", c.idnCall("POST", u+"/authentication/kyc", access, ""))
	golden(t, c, "identity_shahkar", c.idnCall("POST", u+"/authentication/shahkar", access, ""))
	golden(t, c, "identity_cash_in_code", c.idnCall("GET", u+"/cash-in-code", access, ""))
	golden(t, c, "identity_iban_add", c.idnCall("POST", u+"/ibans", access, `{"iban":"`+saraIBAN+`","is_default":true,"has_inquiry":true}`))
	golden(t, c, "identity_iban_add_invalid", c.idnCall("POST", u+"/ibans", access, `{"iban":"IR000000000000000000000000","is_default":"x"}`))
	golden(t, c, "identity_iban_add_duplicate", c.idnCall("POST", u+"/ibans", access, `{"iban":"`+saraIBAN+`","is_default":true,"has_inquiry":false}`))
	golden(t, c, "identity_iban_inquiry", c.idnCall("POST", u+"/ibans/"+saraIBAN+"/inquiry", access, ""))
	golden(t, c, "identity_iban_default", c.idnCall("POST", u+"/ibans/"+saraIBAN+"/set-default", access, ""))
	golden(t, c, "identity_iban_list", c.idnCall("GET", u+"/ibans", access, ""))
	golden(t, c, "identity_iban_not_found", c.idnCall("POST", u+"/ibans/"+aliIBAN+"/set-default", access, ""))
	golden(t, c, "identity_card_add", c.idnCall("POST", u+"/cards", access, `{"card":"`+saraCard+`","is_default":true,"has_inquiry":true}`))
	golden(t, c, "identity_card_inquiry", c.idnCall("POST", u+"/cards/"+saraCard+"/inquiry", access, ""))
	golden(t, c, "identity_card_default", c.idnCall("POST", u+"/cards/"+saraCard+"/set-default", access, ""))
	golden(t, c, "identity_card_list", c.idnCall("GET", u+"/cards", access, ""))
	golden(t, c, "identity_card_to_iban", c.idnCall("POST", u+"/cards/to-iban", access, `{"card":"`+saraCard+`","is_default":false,"has_inquiry":true}`))
	golden(t, c, "identity_card_delete", c.idnCall("DELETE", u+"/cards/"+saraCard, access, ""))
	golden(t, c, "identity_iban_delete", c.idnCall("DELETE", u+"/ibans", access, `{"iban":"`+saraIBAN+`"}`))
	inq := "/v3/business/" + slug + "/customers/inquiry/"
	for i, k := range []struct{ name, kind, body string }{
		{"kyc", "kyc", `{"first_name":"سارا","last_name":"رضایی","national_code":"` + ncSara + `","birthday":"1370/05/12"`},
		{"shahkar", "shahkar", `{"mobile":"09121110002","national_code":"` + ncSara + `"`},
		{"nid", "nid", `{"national_code":"` + ncSara + `","birth_date":"1370/05/12"`},
		{"nid_mismatch", "nid", `{"national_code":"` + ncSara + `","birth_date":"1370/05/13"`},
		{"nid_not_found", "nid", `{"national_code":"` + ncNobody + `","birth_date":"1360/01/01"`},
		{"fida", "fida", `{"fida_code":"101010101010","birth_date":"1368/3/21"`},
		{"postal_code", "postal-code", `{"postal_code":"1415733164"`},
		{"company_information", "company-information", `{"national_code":"10101234567"`},
		{"company_signature", "company-signature", `{"national_code":"10101234567"`},
		{"national_code_iban", "national-code-iban", `{"national_code":"` + ncSara + `","iban":"` + saraIBAN + `"`},
		{"match_mobile_card", "match-mobile-card", `{"mobile":"09121110001","card":"` + saraCard + `"`},
		{"iban", "iban", `{"iban":"` + saraIBAN + `"`},
		{"card", "card", `{"card":"` + saraCard + `"`},
		{"invalid", "shahkar", `{"mobile":"0912","national_code":"1234567890"`},
	} {
		golden(t, c, "identity_inquiry_"+k.name, c.idnCall("POST", inq+k.kind, access, k.body+`,"track_id":"g-`+itoa(i)+`"}`))
	}
	golden(t, c, "identity_inquiry_track_id_taken", c.idnCall("POST", inq+"iban", access, `{"iban":"`+saraIBAN+`","track_id":"g-0"}`))
}

// A legal customer's IBAN matches against its national id; the inquiry asks
// for legal_name when the customer has none.
func TestIdentityLegalCustomer(t *testing.T) {
	c := newClient(t)
	r := c.idnCall("POST", "/v2/business/"+slug+"/customers", access, `{"type":"LEGAL","agent_mobile":"09121110001","legal_national_code":"10101234567"}`)
	var m struct {
		Result struct {
			Customer struct{ ID string } `json:"customer"`
		} `json:"result"`
	}
	if err := json.Unmarshal(r.Raw, &m); err != nil || m.Result.Customer.ID == "" {
		t.Fatalf("create legal customer: %d %s", r.Status, r.Raw)
	}
	base := "/v3/business/" + slug + "/customers/" + m.Result.Customer.ID
	company := mustIBAN("055", "110101234567"+"0000001")
	e := c.idnCall("POST", base+"/ibans", access, `{"iban":"`+company+`","is_default":true,"has_inquiry":true}`).want(t, 422)
	if e["errors"].(map[string]any)["legal_name"] == nil {
		t.Fatalf("legal_name: %v", e)
	}
	got := c.idnCall("POST", base+"/ibans", access, `{"iban":"`+company+`","is_default":true,"has_inquiry":true,"legal_name":"نمونه سازان"}`).want(t, 200)
	if got["iban_compatibility"] != "MATCHED" || got["account_owners"].([]any)[0].(map[string]any)["lastName"] != "شرکت نمونه سازان پارس" {
		t.Fatalf("company IBAN: %v", got)
	}
	if s := authStatus(t, c.idnCall("POST", base+"/authentication/kyc", access, "")); s != "NOT_FOUND" {
		t.Fatalf("legal kyc: %s", s)
	}
}
