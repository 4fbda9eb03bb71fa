package vandar_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
)

const rvBase = "/v1/business/" + slug + "/ravand"

// The documented samples, with a national code that passes the checksum (the
// documentation's 0020000000 does not).
var (
	rvNational = iran.MakeNationalCode("002000000")
	rvCreate   = map[string]any{"national_code": rvNational, "mobile": "09190000000", "birth_date": "1370/01/01"}
	rvUpdate   = map[string]any{
		"national_card_serial_number": "11111", "postal_code": "1111111111", "birth_location_id": 32, "birth_certificate_location_id": 32,
		"occupation_id": 1, "education_id": 1, "guild_id": 1, "city_id": 32, "province_id": 1, "address": "تست",
	}
	rvFiles = map[string][]byte{
		"national_card_front_photo": jpeg(), "national_card_back_photo": jpeg(), "signature_photo": png(), "applicant_photo": jpeg(),
		"authentication_video": mp4(),
	}
)

func jpeg() []byte {
	return append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{1}, 200)...)
}
func png() []byte { return append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{2}, 200)...) }
func mp4() []byte {
	return append([]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'}, bytes.Repeat([]byte{3}, 500)...)
}

// rv sends a Bearer call with a JSON body (nil: none) on the API host.
func (c *client) rv(method, path string, body any) reply {
	c.t.Helper()
	raw := ""
	if body != nil {
		b, _ := json.Marshal(body)
		raw = string(b)
	}
	return c.do(method, c.api+path, "application/json", raw, "Authorization", "Bearer "+c.bearerTok(), "Accept", "application/json")
}

// upload sends one document as multipart/form-data.
func (c *client) upload(holderPath, kind, filename, ctype string, data []byte) reply {
	c.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("type", kind)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	part, _ := w.CreatePart(h)
	_, _ = part.Write(data)
	_ = w.Close()
	return c.do(http.MethodPost, c.api+holderPath+"/upload", w.FormDataContentType(), b.String(), "Authorization", "Bearer "+c.bearerTok())
}

func (c *client) bearerTok() string {
	if c.rvTok != "" {
		return c.rvTok
	}
	return access
}

func uploadBody(kind string, data []byte) (ctype, body string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("type", kind)
	part, _ := w.CreateFormFile("file", kind+".jpg")
	_, _ = part.Write(data)
	_ = w.Close()
	return w.FormDataContentType(), b.String()
}

// rvCall is one request of the outcomes test.
type rvCall struct {
	method, url, ctype, body string
	h                        []string
}

// ravandOutcomeCalls are valid calls of every Ravand route, for the outcomes
// test: a configured business with an active, delivered card, open pages of
// each action and an open transfer.
func ravandOutcomeCalls(t *testing.T, c *client, tok string) map[string]func() rvCall {
	c.rvTok = tok
	c.rv("POST", rvBase+"/set-config", nil).want(t, 200)
	path, card := c.issue(t, rvNational, "1111111111")
	var out map[string]any
	c.srv.Admin.Do("POST", "/vandar/ravand/deliver", map[string]any{"card_number": card}, &out)
	pages := map[string]string{}
	pages["activate"] = dataOf(t, c.rv("POST", path+"/card/activate/token", nil))["token"].(string)
	spend := dataOf(t, c.rv("POST", path+"/card/activate/token", nil))["token"].(string)
	c.srv.Admin.Do("POST", "/vandar/ravand/pages/"+spend+"/complete", nil, &out)
	for _, a := range []string{"change-pin", "block"} {
		pages[a] = dataOf(t, c.rv("POST", path+"/card/"+a+"/token", nil))["token"].(string)
	}
	c.srv.Admin.Do("POST", "/vandar/ravand/cards/"+card+"/deposit", map[string]any{"amount": 10000000}, &out)
	tid := dataOf(t, c.rv("POST", path+"/transfer", map[string]any{"type": "internal", "amount": 10000, "destination": card}))["transfer_id"].(string)
	openID := dataOf(t, c.rv("POST", rvBase+"/provider/ayandeh/cardholder", map[string]any{"national_code": iran.MakeNationalCode("555555555"),
		"mobile": "09121111111", "birth_date": "1360/01/01"}))["cardholder_id"].(string)
	openPath := rvBase + "/provider/ayandeh/cardholder/" + openID
	bearer := []string{"Authorization", "Bearer " + tok}
	js := func(method, p, body string) func() rvCall {
		return func() rvCall { return rvCall{method, c.api + p, "application/json", body, bearer} }
	}
	upCT, upBody := uploadBody("applicant_photo", jpeg())
	m := map[string]func() rvCall{
		"vandar.ravandSetConfig":                js("POST", rvBase+"/set-config", `{}`),
		"vandar.ravandCreate":                   js("POST", rvBase+"/provider/ayandeh/cardholder", `{"national_code":"`+iran.MakeNationalCode("987654321")+`","mobile":"09121111111","birth_date":"1360/01/01"}`),
		"vandar.ravandUpdate":                   js("PUT", openPath, `{"national_card_serial_number":"1","postal_code":"1111111111","birth_location_id":1,"birth_certificate_location_id":1,"occupation_id":1,"education_id":1,"guild_id":1,"city_id":1,"province_id":1,"address":"x"}`),
		"vandar.ravandUpload":                   func() rvCall { return rvCall{"POST", c.api + openPath + "/upload", upCT, upBody, bearer} },
		"vandar.ravandTransfer":                 js("POST", path+"/transfer", `{"type":"internal","amount":10000,"destination":"`+card+`"}`),
		"vandar.ravandTransferRetryOTP":         js("POST", path+"/transfer/retry-otp", `{"transfer_id":"`+tid+`"}`),
		"vandar.ravandTransferConfirmOTP":       js("POST", path+"/transfer/confirm-otp", `{"transfer_id":"`+tid+`","otp":"000000"}`),
		"vandar.ravandTransferInquiry":          js("GET", path+"/transfer/inquiry?transfer_id="+tid, ""),
		"vandar.ravandTransferInquiryPayaSatna": js("GET", path+"/transfer/inquiry/paya-satna?transfer_id="+tid, ""),
		"vandar.ravandPostTracking":             js("GET", path+"/card/post-tracking?card_number="+card, ""),
		"vandar.ravandCardStatus":               js("GET", path+"/card/status?card_number="+card, ""),
		"vandar.ravandVideoCaption":             js("GET", openPath+"/video-caption", ""),
		"vandar.ravandFinalize":                 js("POST", path+"/finalize", ""),
		"vandar.ravandInquiry":                  js("GET", path+"/inquiry", ""),
		"vandar.ravandAccountsInfo":             js("GET", path+"/accounts-info", ""),
		"vandar.ravandBalance":                  js("POST", path+"/balance", ""),
		"vandar.ravandBankStatement":            js("GET", path+"/bank-statement", ""),
	}
	for _, l := range []string{"Provinces", "Cities", "Guilds", "Educations", "Occupations", "Reasons"} {
		m["vandar.ravand"+l] = js("GET", rvBase+"/"+strings.ToLower(l), "")
	}
	for op, a := range map[string]string{"Activate": "activate", "ChangePin": "change-pin", "Block": "block"} {
		m["vandar.ravand"+op+"Token"] = js("POST", path+"/card/"+a+"/token", "")
		m["vandar.ravand"+op+"Page"] = func() rvCall { return rvCall{"GET", c.api + "/v1/redirect/card/" + a + "/" + pages[a], "", "", nil} }
	}
	return m
}

// wantRv checks a family F error: status, code and message.
func wantRv(t *testing.T, r reply, status int, code, msg string) map[string]any {
	t.Helper()
	m := r.want(t, status)
	if m["code"] != code || (msg != "" && m["message"] != msg) {
		t.Fatalf("want %d %s %q, got %s", status, code, msg, r.Raw)
	}
	if d, ok := m["data"].([]any); !ok || len(d) != 0 {
		t.Fatalf("data is not []: %s", r.Raw)
	}
	return m
}

func dataOf(t *testing.T, r reply) map[string]any {
	t.Helper()
	m := r.want(t, 200)
	d, ok := m["data"].(map[string]any)
	if !ok {
		t.Fatalf("data is not an object: %s", r.Raw)
	}
	return d
}

// issue takes one applicant from create to an issued card and returns its
// path and card number.
func (c *client) issue(t *testing.T, national, postal string) (string, string) {
	t.Helper()
	body := map[string]any{"national_code": national, "mobile": "09121234567", "birth_date": "1365/06/15"}
	id := dataOf(t, c.rv("POST", rvBase+"/provider/ayandeh/cardholder", body))["cardholder_id"].(string)
	path := rvBase + "/provider/ayandeh/cardholder/" + id
	upd := map[string]any{}
	for k, v := range rvUpdate {
		upd[k] = v
	}
	upd["postal_code"] = postal
	c.rv("PUT", path, upd).want(t, 200)
	for kind, data := range rvFiles {
		c.upload(path, kind, kind+".bin", "", data).want(t, 200)
	}
	c.rv("POST", path+"/finalize", nil).want(t, 200)
	c.srv.Admin.Advance("61m")
	m := c.rv("GET", path+"/inquiry", nil).want(t, 200)
	return path, m["data"].([]any)[0].(map[string]any)["card_number"].(string)
}

// TestRavandIssuingOrder follows the issue's checks: set-config first, the
// issuing order with its refusals, ISSUED on the clock with a Luhn card and a
// mod-97 IBAN, delivery on the clock, activation on the hosted page, and a
// transfer confirmed by OTP that moves the balance and shows in the statement.
func TestRavandIssuingOrder(t *testing.T) {
	c := newClient(t)
	// Before set-config every Ravand call is refused.
	wantRv(t, c.rv("GET", rvBase+"/provinces", nil), 403, "ravand_config_not_set", "سطح دسترسی محدود شده است.")
	wantRv(t, c.rv("POST", rvBase+"/provider/ayandeh/cardholder", rvCreate), 403, "ravand_config_not_set", "")
	wantRv(t, c.do("GET", c.api+rvBase+"/provinces", "", ""), 401, "unauthenticated", "خطای احراز هویت")
	wantRv(t, c.rv("GET", "/v1/business/other/ravand/provinces", nil), 404, "not_found", "منبع مورد نظر یافت نشد")
	golden(t, c, "ravand_set_config", c.rv("POST", rvBase+"/set-config", map[string]any{"card_title": "کارت آکمه"}))

	cities := c.rv("GET", rvBase+"/cities?province_id=1", nil).want(t, 200)["data"].([]any)
	if len(cities) < 2 || cities[1].(map[string]any)["id"].(float64) != 32 {
		t.Fatalf("cities of Tehran: %v", cities)
	}
	// Create: the documentation's national code fails the checksum.
	bad := map[string]any{"national_code": "0020000000", "mobile": "09190000000", "birth_date": "1370/01/01"}
	golden(t, c, "ravand_create_invalid", c.rv("POST", rvBase+"/provider/ayandeh/cardholder", bad))
	wantRv(t, c.rv("POST", rvBase+"/provider/nobank/cardholder", rvCreate), 404, "not_found", "")
	cr := c.rv("POST", rvBase+"/provider/ayandeh/cardholder", rvCreate)
	golden(t, c, "ravand_create", cr)
	id := dataOf(t, cr)["cardholder_id"].(string)
	path := rvBase + "/provider/ayandeh/cardholder/" + id
	wantRv(t, c.rv("POST", rvBase+"/provider/ayandeh/cardholder", rvCreate), 400, "cardholder_already_exists", "متقاضی با این اطلاعات از قبل ثبت شده است")
	other := map[string]any{"national_code": rvNational, "mobile": "09120000000", "birth_date": "1370/01/01"}
	wantRv(t, c.rv("POST", rvBase+"/provider/ayandeh/cardholder", other), 400, "cardholder_information_mismatch", "کد ملی و شماره موبایل یا کدملی و تاریخ تولد همخوانی ندارند")

	// Inquiry and post tracking before finalize; finalize with data missing.
	golden(t, c, "ravand_inquiry_not_finalized", c.rv("GET", path+"/inquiry", nil))
	golden(t, c, "ravand_post_tracking_not_finalized", c.rv("GET", path+"/card/post-tracking?card_number=1111222233334444", nil))
	wantRv(t, c.rv("POST", path+"/finalize", nil), 403, "cardholder_finalize_not_allowed", "امکان نهایی سازی درخواست برای متقاضی وجود ندارد")

	golden(t, c, "ravand_update", c.rv("PUT", path, rvUpdate))
	wrongCity := map[string]any{}
	for k, v := range rvUpdate {
		wrongCity[k] = v
	}
	wrongCity["city_id"], wrongCity["guild_id"] = 37, 999
	golden(t, c, "ravand_update_invalid", c.rv("PUT", path, wrongCity))

	// Uploads: the wrong kind of file, a type outside the five, not multipart.
	wantRv(t, c.upload(path, "applicant_photo", "a.mp4", "video/mp4", mp4()), 422, "validation_error", "")
	wantRv(t, c.upload(path, "selfie", "a.jpg", "image/jpeg", jpeg()), 422, "validation_error", "")
	wantRv(t, c.upload(path, "applicant_photo", "a.jpg", "image/png", jpeg()), 422, "validation_error", "")
	wantRv(t, c.upload(path, "applicant_photo", "a.jpg", "image/jpeg", append(jpeg(), make([]byte, 600<<10)...)), 422, "validation_error", "")
	wantRv(t, c.rv("POST", path+"/upload", map[string]any{"type": "applicant_photo"}), 422, "validation_error", "")
	// The seed's endpoint list spells upload with a literal "business" segment: the token's business.
	sic := strings.Replace(path, rvBase, "/v1/business/business/ravand", 1)
	if r := c.upload(sic, "applicant_photo", "a.jpg", "image/jpeg", jpeg()); r.Status != 200 {
		t.Fatalf("upload on the seed's literal path: %d %s", r.Status, r.Raw)
	}
	first := true
	for kind, data := range rvFiles {
		r := c.upload(path, kind, kind+".dat", "", data)
		if first {
			golden(t, c, "ravand_upload", r)
			first = false
		}
		r.want(t, 200)
	}
	caption := dataOf(t, c.rv("GET", path+"/video-caption", nil))["caption"].(string)
	if !strings.Contains(caption, rvNational) {
		t.Fatalf("caption %q", caption)
	}
	golden(t, c, "ravand_finalize", c.rv("POST", path+"/finalize", nil))
	wantRv(t, c.rv("PUT", path, rvUpdate), 403, "cardholder_step_not_allowed", "امکان اجرای این مرحله برای این مشتری وجود ندارد")
	wantRv(t, c.upload(path, "applicant_photo", "a.jpg", "", jpeg()), 403, "cardholder_step_not_allowed", "")
	wantRv(t, c.rv("POST", path+"/finalize", nil), 403, "cardholder_step_not_allowed", "")

	// The bank processes the request for an hour.
	golden(t, c, "ravand_inquiry_processing", c.rv("GET", path+"/inquiry", nil))
	c.srv.Admin.Advance("61m")
	inq := c.rv("GET", path+"/inquiry", nil)
	golden(t, c, "ravand_inquiry", inq)
	row := inq.want(t, 200)["data"].([]any)[0].(map[string]any)
	card, iban := row["card_number"].(string), row["iban_number"].(string)
	if !iran.ValidCardLuhn(card) || !strings.HasPrefix(card, "636214") || !iran.ValidIBAN(iban) || iran.IBANBankCode(iban) != "062" || row["status"] != "ISSUED" {
		t.Fatalf("issued card: %v", row)
	}

	// Delivery on the clock; activation only after it.
	post := dataOf(t, c.rv("GET", path+"/card/post-tracking?card_number="+card, nil))
	if post["state_string_code"] != "registered" || post["post_tracking_code"] != nil {
		t.Fatalf("post: %v", post)
	}
	wantRv(t, c.rv("POST", path+"/card/activate/token", nil), 403, "cardholder_step_not_allowed", "")
	wantRv(t, c.rv("POST", path+"/balance", nil), 403, "cardholder_step_not_allowed", "")
	c.srv.Admin.Advance("25h")
	if st := dataOf(t, c.rv("GET", path+"/card/post-tracking?card_number="+card, nil))["state_string_code"]; st != "carrying" {
		t.Fatalf("after a day: %v", st)
	}
	c.srv.Admin.Advance("24h")
	delivered := c.rv("GET", path+"/card/post-tracking?card_number="+card, nil)
	golden(t, c, "ravand_post_tracking_delivered", delivered)
	if d := dataOf(t, delivered); d["state_string_code"] != "delivered" || len(d["post_tracking_code"].(string)) != 24 {
		t.Fatalf("delivered: %v", d)
	}
	wantRv(t, c.rv("POST", path+"/card/change-pin/token", nil), 403, "cardholder_step_not_allowed", "")

	// Activation page: a wrong answer keeps it open; the control plane
	// completes it; the link is then spent.
	tok := dataOf(t, c.rv("POST", path+"/card/activate/token", map[string]any{"card_number": card}))
	link := tok["url"].(string)
	if !strings.HasSuffix(link, "/v1/redirect/card/activate/"+tok["token"].(string)) {
		t.Fatalf("link %s", link)
	}
	page := c.do("GET", link, "", "")
	if page.Status != 200 || !strings.Contains(string(page.Raw), `dir="rtl"`) || !strings.Contains(string(page.Raw), card[12:]) {
		t.Fatalf("page: %d %s", page.Status, page.Raw)
	}
	wrong := c.do("POST", link, "application/x-www-form-urlencoded", url.Values{"do": {"submit"}, "last4": {"0000"}, "otp": {"1"}}.Encode())
	if wrong.Status != 200 || !strings.Contains(string(wrong.Raw), `id="error"`) {
		t.Fatalf("wrong answer: %d %s", wrong.Status, wrong.Raw)
	}
	var done map[string]any
	if st := c.srv.Admin.Do("POST", "/vandar/ravand/pages/"+tok["token"].(string)+"/complete", nil, &done); st != 200 || done["status"] != "ACTIVE" {
		t.Fatalf("complete: %d %v", st, done)
	}
	if again := c.do("GET", link, "", ""); again.Status != 404 {
		t.Fatalf("spent link: %d", again.Status)
	}
	if st := dataOf(t, c.rv("GET", path+"/card/status?card_number="+card, nil))["status"]; st != "ACTIVE" {
		t.Fatalf("status %v", st)
	}

	// Banking: a transfer needs the OTP; the right one moves the balance.
	second, card2 := c.issue(t, iran.MakeNationalCode("123456789"), "1234567891")
	wantRv(t, c.rv("POST", path+"/transfer", map[string]any{"type": "internal", "amount": 1000000, "destination": card2}), 400, "insufficient_balance", "")
	var dep map[string]any
	if st := c.srv.Admin.Do("POST", "/vandar/ravand/cards/"+card+"/deposit", map[string]any{"amount": 5000000}, &dep); st != 200 {
		t.Fatalf("deposit: %d %v", st, dep)
	}
	tr := dataOf(t, c.rv("POST", path+"/transfer", map[string]any{"type": "internal", "amount": 1000000, "destination": card2, "description": "اجاره"}))
	tid := tr["transfer_id"].(string)
	if tr["status"] != "OTP_SENT" {
		t.Fatalf("transfer: %v", tr)
	}
	wantRv(t, c.rv("POST", path+"/transfer/confirm-otp", map[string]any{"transfer_id": tid, "otp": "000000"}), 400, "invalid_otp", "کد تایید وارد شده صحیح نیست")
	c.rv("POST", path+"/transfer/retry-otp", map[string]any{"transfer_id": tid}).want(t, 200)
	var otps struct {
		OTPs []struct{ OTP, TransferID string } `json:"otps"`
	}
	if st := c.srv.Admin.Get("/vandar/ravand/otp?transfer_id="+tid, &otps); st != 200 || len(otps.OTPs) != 1 {
		t.Fatalf("otp: %d %v", st, otps)
	}
	conf := dataOf(t, c.rv("POST", path+"/transfer/confirm-otp", map[string]any{"transfer_id": tid, "otp": otps.OTPs[0].OTP}))
	if conf["status"] != "DONE" {
		t.Fatalf("confirm: %v", conf)
	}
	if b := dataOf(t, c.rv("POST", path+"/balance", nil))["balance"].(float64); b != 4000000 {
		t.Fatalf("balance %v", b)
	}
	// The other card of the business received it in the same step.
	if st := c.srv.Admin.Do("POST", "/vandar/ravand/cards/"+card2+"/deposit", map[string]any{"amount": 1}, &dep); st != 200 || dep["balance"].(float64) != 1000001 {
		t.Fatalf("destination card: %d %v", st, dep)
	}
	stmt := dataOf(t, c.rv("GET", path+"/bank-statement", nil))["transactions"].([]any)
	if len(stmt) != 2 || stmt[0].(map[string]any)["type"] != "debit" || stmt[0].(map[string]any)["balance"].(float64) != 4000000 {
		t.Fatalf("statement %v", stmt)
	}

	// PAYA waits for its cycle.
	dest, _ := iran.MakeIBAN("017", "0000123456789")
	p := dataOf(t, c.rv("POST", path+"/transfer", map[string]any{"type": "paya", "amount": 2000000, "destination": dest, "reason_id": 16}))
	var open struct {
		OTPs []struct{ OTP string } `json:"otps"`
	}
	c.srv.Admin.Get("/vandar/ravand/otp?transfer_id="+p["transfer_id"].(string), &open)
	c.rv("POST", path+"/transfer/confirm-otp", map[string]any{"transfer_id": p["transfer_id"], "otp": open.OTPs[0].OTP}).want(t, 200)
	ps := dataOf(t, c.rv("GET", path+"/transfer/inquiry/paya-satna?transfer_id="+p["transfer_id"].(string), nil))
	if ps["status"] != "PENDING" || ps["cycle_at"] == nil {
		t.Fatalf("paya: %v", ps)
	}
	c.srv.Admin.Advance("24h")
	if st := dataOf(t, c.rv("GET", path+"/transfer/inquiry?transfer_id="+p["transfer_id"].(string), nil))["status"]; st != "DONE" {
		t.Fatalf("paya later: %v", st)
	}
	// The second card is not active: no banking, though it received the money.
	wantRv(t, c.rv("POST", second+"/balance", nil), 403, "cardholder_step_not_allowed", "")
}

// TestRavandSamples reproduces the documented post-tracking samples (magic
// postal codes) and create's registry answers (magic national codes).
func TestRavandSamples(t *testing.T) {
	c := newClient(t)
	c.rv("POST", rvBase+"/set-config", nil).want(t, 200)
	for i, want := range []struct{ code, msg string }{
		{"national_code_not_found", "اطلاعاتی با کدملی ارسالی یافت نشد"},
		{"cardholder_information_mismatch", "کد ملی و شماره موبایل یا کدملی و تاریخ تولد همخوانی ندارند"},
		{"civil_registry_inquiry_failed", "خطا در استعلام ثبت احوال لطفا مجدد تلاش نمایید"},
		{"external_service_error", "خطای سرویس خارجی"},
	} {
		body := map[string]any{"national_code": iran.MakeNationalCode("00200000" + itoa(i+1)), "mobile": "09190000000", "birth_date": "1370/01/01"}
		status := 400
		if i >= 2 {
			status = 502
		}
		wantRv(t, c.rv("POST", rvBase+"/provider/ayandeh/cardholder", body), status, want.code, want.msg)
	}
	for i, st := range []string{"not_found", "failed"} {
		path, card := c.issue(t, iran.MakeNationalCode("11111111"+itoa(i)), "999990000"+map[string]string{"not_found": "4", "failed": "3"}[st])
		c.srv.Admin.Advance("100h")
		r := c.rv("GET", path+"/card/post-tracking?card_number="+card, nil)
		golden(t, c, "ravand_post_tracking_"+st, r)
		if d := dataOf(t, r); d["state_string_code"] != st {
			t.Fatalf("%s: %v", st, d)
		}
	}
}

// TestRavandPagesProvidersAndTransfers: the PIN and block pages through their
// forms (callback_url redirect, spent links, expiry), a provider's own
// mandatory fields and documents, a scenario timeline on post tracking, SATNA
// waiting for its window, and three wrong OTPs failing a transfer.
func TestRavandPagesProvidersAndTransfers(t *testing.T) {
	c := newClient(t)
	c.rv("POST", rvBase+"/set-config", map[string]any{"callback_url": "https://shop.example/ravand?x=1"}).want(t, 200)

	// shahr wants the English names and no signature.
	body := map[string]any{"national_code": rvNational, "mobile": "09190000000", "birth_date": "1370/01/01"}
	id := dataOf(t, c.rv("POST", rvBase+"/provider/shahr/cardholder", body))["cardholder_id"].(string)
	sh := rvBase + "/provider/shahr/cardholder/" + id
	if m := wantRv(t, c.rv("PUT", sh, rvUpdate), 422, "validation_error", ""); m["errors"].(map[string]any)["first_name_en"] == nil {
		t.Fatalf("shahr update: %v", m)
	}
	wantRv(t, c.rv("GET", rvBase+"/provider/ayandeh/cardholder/"+id+"/video-caption", nil), 404, "not_found", "")
	upd := map[string]any{"first_name_en": "Ali", "last_name_en": "Rezaei", "email": "ali@example.com", "national_card_expire_date": "1410/01/01"}
	for k, v := range rvUpdate {
		upd[k] = v
	}
	c.rv("PUT", sh, upd).want(t, 200)
	for _, kind := range []string{"national_card_front_photo", "national_card_back_photo", "applicant_photo"} {
		c.upload(sh, kind, "a.png", "image/png", png()).want(t, 200)
	}
	wantRv(t, c.rv("POST", sh+"/finalize", nil), 403, "cardholder_finalize_not_allowed", "")
	c.upload(sh, "authentication_video", "v.webm", "video/webm", append([]byte{0x1a, 0x45, 0xdf, 0xa3}, make([]byte, 64)...)).want(t, 200)
	c.rv("POST", sh+"/finalize", nil).want(t, 200)

	// A scenario timeline decides the post: carrying now, failed in an hour.
	c.srv.Admin.AddScenario(`name: lost-post
rules:
  - operation: vandar.ravandPostTracking
    timeline:
      - {status: carrying, at: 0s}
      - {status: failed, at: 1h}
`)
	c.srv.Admin.Activate("lost-post", "")
	c.srv.Admin.Advance("61m")
	card := c.rv("GET", sh+"/inquiry", nil).want(t, 200)["data"].([]any)[0].(map[string]any)["card_number"].(string)
	if !strings.HasPrefix(card, "502806") && !strings.HasPrefix(card, "504706") {
		t.Fatalf("shahr card %s", card)
	}
	if st := dataOf(t, c.rv("GET", sh+"/card/post-tracking?card_number="+card, nil))["state_string_code"]; st != "carrying" {
		t.Fatalf("scenario post: %v", st)
	}
	c.srv.Admin.Advance("61m")
	if d := dataOf(t, c.rv("GET", sh+"/card/post-tracking?card_number="+card, nil)); d["state_string_code"] != "failed" || d["rejection_message"] == nil {
		t.Fatalf("scenario post later: %v", d)
	}

	// The ayandeh card: delivered by the control plane, activated, PIN, block.
	path, card2 := c.issue(t, iran.MakeNationalCode("222222223"), "1111111111")
	var out map[string]any
	c.srv.Admin.Do("POST", "/vandar/ravand/deliver", map[string]any{"card_number": card2}, &out)
	activate := func() {
		tok := dataOf(t, c.rv("POST", path+"/card/activate/token", nil))["token"].(string)
		c.srv.Admin.Do("POST", "/vandar/ravand/pages/"+tok+"/complete", nil, &out)
	}
	// An activation link not used in 15 minutes is gone.
	late := dataOf(t, c.rv("POST", path+"/card/activate/token", nil))["url"].(string)
	c.srv.Admin.Advance("16m")
	if r := c.do("GET", late, "", ""); r.Status != 404 {
		t.Fatalf("expired link: %d", r.Status)
	}
	activate()
	pin := dataOf(t, c.rv("POST", path+"/card/change-pin/token", nil))["url"].(string)
	form := "application/x-www-form-urlencoded"
	if r := c.do("POST", pin, form, "do=submit&pin=1234&pin_confirm=1234"); r.Status != 200 || !strings.Contains(string(r.Raw), "رمز ساده است") {
		t.Fatalf("weak pin: %d %s", r.Status, r.Raw)
	}
	r := c.do("POST", pin, form, "do=submit&pin=۴۸۲۶&pin_confirm=4826")
	if loc := r.Header.Get("Location"); r.Status != 302 || !strings.HasPrefix(loc, "https://shop.example/ravand?") || !strings.Contains(loc, "status=OK") ||
		!strings.Contains(loc, "action=change-pin") || !strings.Contains(loc, "x=1") {
		t.Fatalf("pin done: %d %s", r.Status, loc)
	}
	if r := c.do("POST", pin, form, "do=submit&pin=4826&pin_confirm=4826"); r.Status != 404 {
		t.Fatalf("spent pin link: %d", r.Status)
	}
	// SATNA outside its window waits for it; three wrong OTPs fail a transfer.
	c.srv.Admin.Do("POST", "/vandar/ravand/cards/"+card2+"/deposit", map[string]any{"amount": 3_000_000_000}, &out)
	dest, _ := iran.MakeIBAN("012", "99887766")
	tr := dataOf(t, c.rv("POST", path+"/transfer", map[string]any{"type": "satna", "amount": 2_000_000_000, "destination": dest, "reason_id": 9}))
	tid := tr["transfer_id"].(string)
	for i := 0; i < 3; i++ {
		wantRv(t, c.rv("POST", path+"/transfer/confirm-otp", map[string]any{"transfer_id": tid, "otp": "999999"}), 400, "invalid_otp", "")
	}
	wantRv(t, c.rv("POST", path+"/transfer/confirm-otp", map[string]any{"transfer_id": tid, "otp": "999999"}), 400, "transfer_not_pending", "")
	if st := dataOf(t, c.rv("GET", path+"/transfer/inquiry?transfer_id="+tid, nil))["status"]; st != "FAILED" {
		t.Fatalf("failed transfer: %v", st)
	}
	wantRv(t, c.rv("POST", path+"/transfer", map[string]any{"type": "satna", "amount": 20_000_000, "destination": dest, "reason_id": 9}), 422, "validation_error", "")
	tr = dataOf(t, c.rv("POST", path+"/transfer", map[string]any{"type": "satna", "amount": 2_000_000_000, "destination": dest, "reason_id": 9}))
	tid = tr["transfer_id"].(string)
	c.srv.Admin.Advance("3m")
	wantRv(t, c.rv("POST", path+"/transfer/confirm-otp", map[string]any{"transfer_id": tid, "otp": "999999"}), 400, "otp_expired", "")
	c.rv("POST", path+"/transfer/retry-otp", map[string]any{"transfer_id": tid}).want(t, 200)
	var otps struct {
		OTPs []struct{ OTP string } `json:"otps"`
	}
	c.srv.Admin.Get("/vandar/ravand/otp?transfer_id="+tid, &otps)
	c.rv("POST", path+"/transfer/confirm-otp", map[string]any{"transfer_id": tid, "otp": otps.OTPs[0].OTP}).want(t, 200)
	// SATNA settles five minutes into its window (at once when open).
	now := c.srv.Admin.Now()
	ps := dataOf(t, c.rv("GET", path+"/transfer/inquiry/paya-satna?transfer_id="+tid, nil))
	want := iran.FormatJalali(iran.NextSATNAOpen(now).Add(5*time.Minute), "yyyy/MM/dd HH:mm:ss")
	if ps["status"] != "PENDING" || ps["cycle_at"] != want {
		t.Fatalf("satna: %v, want cycle_at %s", ps, want)
	}
	c.srv.Admin.Advance("72h")
	if st := dataOf(t, c.rv("GET", path+"/transfer/inquiry/paya-satna?transfer_id="+tid, nil))["status"]; st != "DONE" {
		t.Fatalf("satna later: %v", st)
	}
	if b := dataOf(t, c.rv("POST", path+"/balance", nil))["balance"].(float64); b != 1_000_000_000 {
		t.Fatalf("balance after SATNA: %v", b)
	}
	// Block: banking stops.
	blk := dataOf(t, c.rv("POST", path+"/card/block/token", nil))["url"].(string)
	if r := c.do("POST", blk, form, "do=submit&reason=stolen"); r.Status != 302 {
		t.Fatalf("block: %d %s", r.Status, r.Raw)
	}
	if st := dataOf(t, c.rv("GET", path+"/card/status?card_number="+card2, nil))["status"]; st != "BLOCKED" {
		t.Fatalf("blocked: %v", st)
	}
	wantRv(t, c.rv("POST", path+"/balance", nil), 403, "cardholder_step_not_allowed", "")
	wantRv(t, c.rv("POST", path+"/card/change-pin/token", nil), 403, "cardholder_step_not_allowed", "")
}
