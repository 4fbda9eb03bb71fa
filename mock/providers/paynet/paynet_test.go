package paynet

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// seedList is the official card/list response sample (Paynet's card/list documentation page).
const seedList = `{"total":1,"total_count":2,"limit":10,"ending_before":0,"starting_after":0,"has_more":false,
"Data":[{"company_code":"10031","agent_id":"10031","user_unique_id":"DCFC03FA-F053-41BD-9DCA-E3178C84FB22",
"card_owner_id":"f4dabd79-5b7e-40bd-84d5-54058242dfa0","card_hash":"d9124b54-162a-45c3-b09a-0388af1c891e",
"card_desc":"Paynet Ödeme Hizm.","card_holder":"RQ*****QR","card_no":"434678********0002","card_bin":"434678",
"card_type":"cc","card_bank_id":"AXSS","card_bank_name":"Axess","card_logo_url":"http://localhost:64102/img/banklogo/small/AXSS.png",
"card_brand_name":"VISA","expire_month":0,"expire_year":0}],"object_name":"card_list","code":0,"message":null}`

func saveBody(number, uid, owner string) map[string]any {
	b := map[string]any{"card_desc": "Kartım", "card_holder": "Ali Veli", "card_number": number, "expire_month": "12", "expire_year": "2030", "cvv": "000"}
	if uid != "" {
		b["user_unique_id"] = uid
	}
	if owner != "" {
		b["card_owner_id"] = owner
	}
	return b
}

// kinds describes a JSON value's type as the sample shows it.
func kinds(v map[string]any) map[string]string {
	out := map[string]string{}
	for k, x := range v {
		out[k] = fmt.Sprintf("%T", x)
	}
	return out
}

// The documented example: the seed's card saved for the seed's user, then
// listed, gives exactly the sample's shape and its values where they are
// not generated.
func TestSeedExample(t *testing.T) {
	h := newHarness(t, withConfig("list_expiry: false\nlogo_base: https://api.paynet.com.tr"))
	k := "sck_sandbank_10031"
	save := h.post(k, "/v1/card/save", map[string]any{
		"card_desc": "Paynet Ödeme Hizm.", "card_holder": "RQABCDEQR", "card_number": "4346780000000002",
		"expire_month": "12", "expire_year": "2030", "user_unique_id": "DCFC03FA-F053-41BD-9DCA-E3178C84FB22",
	})
	if save.HTTP != 200 || save.code() != 0 {
		t.Fatalf("save: %s", save.Raw)
	}
	golden(t, "save.json", save.Raw)
	list := h.post(k, "/v1/card/list", map[string]any{"card_owner_id": save.str("card_owner_id")})
	golden(t, "list_seed.json", list.Raw)

	var want map[string]any
	if err := json.Unmarshal([]byte(seedList), &want); err != nil {
		t.Fatal(err)
	}
	wk, gk := kinds(want), kinds(list.Body)
	if fmt.Sprint(wk) != fmt.Sprint(gk) {
		t.Fatalf("top-level shape:\n got %v\nwant %v", gk, wk)
	}
	wantCard := want["Data"].([]any)[0].(map[string]any)
	gotCard := list.data(t)[0]
	if fmt.Sprint(kinds(wantCard)) != fmt.Sprint(kinds(gotCard)) {
		t.Fatalf("card shape:\n got %v\nwant %v", kinds(gotCard), kinds(wantCard))
	}
	for _, f := range []string{"company_code", "agent_id", "user_unique_id", "card_desc", "card_holder", "card_no", "card_bin", "card_type", "card_bank_id", "card_bank_name", "card_brand_name", "expire_month", "expire_year"} {
		if gotCard[f] != wantCard[f] {
			t.Errorf("%s = %v, want %v", f, gotCard[f], wantCard[f])
		}
	}
	if list.Body["message"] != nil || list.Body["limit"].(float64) != 10 || list.Body["total"].(float64) != 1 || list.Body["total_count"].(float64) != 1 {
		t.Fatalf("list envelope: %s", list.Raw)
	}
	if !strings.HasSuffix(gotCard["card_logo_url"].(string), "/img/banklogo/small/AXSS.png") || gotCard["card_hash"] != save.str("card_hash") {
		t.Fatalf("card: %v", gotCard)
	}
}

func TestGoldenEndpoints(t *testing.T) {
	h := newHarness(t, withConfig("logo_base: https://api.paynet.com.tr"))
	save := h.post(key, "/v1/card/save", saveBody("4506347011448053", "user-1", ""))
	owner, hash := save.str("card_owner_id"), save.str("card_hash")
	golden(t, "save_world.json", save.Raw)
	golden(t, "list.json", h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner}).Raw)
	golden(t, "duplicate.json", h.post(key, "/v1/card/save", saveBody("4506347011448053", "", owner)).Raw)
	golden(t, "desc_update.json", h.post(key, "/v1/card/desc_update", map[string]any{"card_owner_id": owner, "card_hash": hash, "card_desc": "Kart Aciklamasi "}).Raw)
	golden(t, "delete.json", h.post(key, "/v1/card/delete", map[string]any{"card_owner_id": owner, "card_hash": hash}).Raw)
	golden(t, "nodata.json", h.post(key, "/v1/card/delete", map[string]any{"card_owner_id": owner, "card_hash": hash}).Raw)
	golden(t, "send_otp.json", h.post(key, "/v1/card/send_otp", map[string]any{"user_gsm": "5321234567", "otp_session_id": "s-1"}).Raw)
	code := h.otp("s-1")
	golden(t, "check_otp.json", h.post(key, "/v1/card/check_otp", map[string]any{"user_gsm": "5321234567", "otp_session_id": "s-1", "otp_code": code}).Raw)
	golden(t, "error_401.json", h.post("", "/v1/card/list", map[string]any{"card_owner_id": owner}).Raw)
	golden(t, "error_400.json", h.post(key, "/v1/card/list", `{"card_owner_id":`).Raw)
}

func (h *harness) otp(session string) string {
	h.t.Helper()
	r := h.do(http.MethodGet, "/_sandbox/paynet/otp?otp_session_id="+session, http.Header{}, "")
	if r.HTTP != 200 {
		h.t.Fatalf("admin otp: %s", r.Raw)
	}
	return r.str("otp_code")
}

func TestSaveThreeCardsAndList(t *testing.T) {
	h := newHarness(t)
	first := h.post(key, "/v1/card/save", saveBody("4355084355084358", "customer-42", ""))
	owner := first.str("card_owner_id")
	if first.code() != 0 || owner == "" || first.str("user_unique_id") != "customer-42" {
		t.Fatalf("first save: %s", first.Raw)
	}
	// The same user_unique_id reuses the owner; card_owner_id works too.
	second := h.post(key, "/v1/card/save", saveBody("375622005485014", "customer-42", ""))
	third := h.post(key, "/v1/card/save", saveBody("9792030394440796", "", owner))
	if second.str("card_owner_id") != owner || third.str("card_owner_id") != owner || third.str("user_unique_id") != "customer-42" {
		t.Fatalf("owner not reused: %s %s", second.Raw, third.Raw)
	}
	want := []struct{ no, bin, typ, bank, name, brand string }{
		{"435508********4358", "435508", "cc", "AXSS", "Axess", "VISA"},
		{"375622********5014", "375622", "cc", "BONS", "Bonus", "AMEX"},
		{"979203********0796", "979203", "dc", "ZRTB", "Ziraat Bankası", "TROY"},
	}
	list := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner})
	data := list.data(t)
	if len(data) != 3 || list.Body["total"].(float64) != 3 || list.Body["total_count"].(float64) != 3 || list.Body["has_more"] != false {
		t.Fatalf("list: %s", list.Raw)
	}
	hashes := map[string]bool{}
	for i, w := range want {
		d := data[i]
		if d["card_no"] != w.no || d["card_bin"] != w.bin || d["card_type"] != w.typ || d["card_bank_id"] != w.bank || d["card_bank_name"] != w.name || d["card_brand_name"] != w.brand || d["card_holder"] != "Al****li" || d["expire_month"].(float64) != 0 || d["expire_year"].(float64) != 0 {
			t.Errorf("card %d: %v", i, d)
		}
		hashes[d["card_hash"].(string)] = true
	}
	if len(hashes) != 3 {
		t.Fatal("card hashes are not distinct")
	}
	// Another merchant key sees nothing of this one's owners.
	if r := h.post("sck_other", "/v1/card/list", map[string]any{"card_owner_id": owner}); r.HTTP != 200 || r.code() != 12 {
		t.Fatalf("tenant isolation: %s", r.Raw)
	}
	// The length mask and the commercial card type.
	h2 := newHarness(t, withConfig("card_no_mask: length"))
	r := h2.post(key, "/v1/card/save", saveBody("4546730000000005", "u", ""))
	if r.str("card_no") != "454673******0005" || r.str("card_type") != "bc" {
		t.Fatalf("length mask / bc: %s", r.Raw)
	}
}

func TestPaginationBothWays(t *testing.T) {
	h := newHarness(t)
	var owner string
	var hashes []string
	for i := 0; i < 27; i++ {
		// Distinct Luhn-valid numbers under one BIN.
		num := luhnComplete(fmt.Sprintf("428220%09d", i+1))
		r := h.post(key, "/v1/card/save", saveBody(num, "pager", ""))
		if r.code() != 0 {
			t.Fatalf("save %d: %s", i, r.Raw)
		}
		owner = r.str("card_owner_id")
		hashes = append(hashes, r.str("card_hash"))
	}
	page := func(body map[string]any) ([]string, bool, resp) {
		body["card_owner_id"] = owner
		r := h.post(key, "/v1/card/list", body)
		var got []string
		for _, d := range r.data(t) {
			got = append(got, d["card_hash"].(string))
		}
		if r.Body["total"].(float64) != float64(len(got)) || r.Body["total_count"].(float64) != 27 {
			t.Fatalf("totals: %s", r.Raw)
		}
		return got, r.Body["has_more"].(bool), r
	}
	// Forward from the start, 10 at a time: 1-10, 11-20, 21-27.
	var fwd []string
	after := 0
	for {
		got, more, r := page(map[string]any{"starting_after": after})
		if r.Body["starting_after"].(float64) != float64(after) || r.Body["limit"].(float64) != 10 {
			t.Fatalf("echo: %s", r.Raw)
		}
		fwd = append(fwd, got...)
		after += len(got)
		if !more {
			break
		}
	}
	if fmt.Sprint(fwd) != fmt.Sprint(hashes) {
		t.Fatalf("forward paging lost or reordered cards: %d of 27", len(fwd))
	}
	// Backward from the end with limit 7 given as a string: 21-27, 14-20, 7-13, 1-6.
	var back []string
	before := 28
	for {
		got, more, _ := page(map[string]any{"ending_before": before, "limit": "7"})
		back = append(got, back...)
		before -= len(got)
		if !more {
			break
		}
	}
	if fmt.Sprint(back) != fmt.Sprint(hashes) || before != 1 {
		t.Fatalf("backward paging: %d cards, stopped before %d", len(back), before)
	}
	// The documented example: ending_before 20, limit 5 → cards 15..19.
	got, more, _ := page(map[string]any{"ending_before": 20, "limit": 5})
	if fmt.Sprint(got) != fmt.Sprint(hashes[14:19]) || !more {
		t.Fatalf("ending_before 20: %v %v", got, more)
	}
	got, more, _ = page(map[string]any{"starting_after": 27})
	if len(got) != 0 || more {
		t.Fatal("past the end must be empty")
	}
	if r := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner, "starting_after": 1, "ending_before": 5}); r.HTTP != 400 || r.code() != 11 {
		t.Fatalf("both cursors: %s", r.Raw)
	}
	if r := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner, "limit": -1}); r.HTTP != 400 || r.code() != 11 {
		t.Fatalf("negative limit: %s", r.Raw)
	}
}

func luhnComplete(body string) string {
	for d := '0'; d <= '9'; d++ {
		if digits.Luhn(body + string(d)) {
			return body + string(d)
		}
	}
	panic("unreachable")
}

func TestDeleteAndDescUpdate(t *testing.T) {
	h := newHarness(t)
	a := h.post(key, "/v1/card/save", saveBody("4508034508034509", "u1", ""))
	owner := a.str("card_owner_id")
	b := h.post(key, "/v1/card/save", saveBody("5406675406675403", "", owner))
	if r := h.post(key, "/v1/card/desc_update", map[string]any{"card_owner_id": owner, "card_hash": b.str("card_hash"), "card_desc": "Maaş kartı"}); r.code() != 0 || r.str("object_name") != "card_desc_update" {
		t.Fatalf("desc_update: %s", r.Raw)
	}
	if r := h.post(key, "/v1/card/delete", map[string]any{"card_owner_id": owner, "card_hash": a.str("card_hash")}); r.code() != 0 || r.str("message") != okMessage {
		t.Fatalf("delete: %s", r.Raw)
	}
	list := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner})
	d := list.data(t)
	if len(d) != 1 || d[0]["card_hash"] != b.str("card_hash") || d[0]["card_desc"] != "Maaş kartı" || list.Body["total_count"].(float64) != 1 {
		t.Fatalf("after delete: %s", list.Raw)
	}
	// The deleted card is gone for every service, and may be saved again with a new hash.
	for _, path := range []string{"/v1/card/delete", "/v1/card/desc_update"} {
		if r := h.post(key, path, map[string]any{"card_owner_id": owner, "card_hash": a.str("card_hash"), "card_desc": "x"}); r.HTTP != 200 || r.code() != 12 {
			t.Fatalf("%s of a deleted card: %s", path, r.Raw)
		}
	}
	again := h.post(key, "/v1/card/save", saveBody("4508034508034509", "", owner))
	if again.code() != 0 || again.str("card_hash") == a.str("card_hash") {
		t.Fatalf("re-save after delete: %s", again.Raw)
	}
	// Soft delete: the control plane still shows the marked card.
	adm := h.do(http.MethodGet, "/_sandbox/paynet/cards?key="+key, http.Header{}, "")
	if !strings.Contains(string(adm.Raw), `"deleted":true`) {
		t.Fatalf("deletion mark not kept: %s", adm.Raw)
	}
	// 404 mode for unknown ids.
	h404 := newHarness(t, withConfig("nodata: http404"))
	if r := h404.post(key, "/v1/card/list", map[string]any{"card_owner_id": "nope"}); r.HTTP != 404 || r.code() != 12 || r.str("type") != "no_data_error" {
		t.Fatalf("nodata http404: %s", r.Raw)
	}
}

func TestOTPRoundTrip(t *testing.T) {
	h := newHarness(t)
	sent := h.post(key, "/v1/card/send_otp", map[string]any{"user_gsm": "05321234567", "otp_session_id": "sess-1"})
	if sent.code() != 0 || sent.str("otp_expire") != "2026-11-22T10:33:15.0000000+03:00" {
		t.Fatalf("send_otp: %s", sent.Raw)
	}
	code := h.otp("sess-1")
	if len(code) != 6 {
		t.Fatalf("otp %q", code)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if r := h.post(key, "/v1/card/check_otp", map[string]any{"user_gsm": "5321234567", "otp_session_id": "sess-1", "otp_code": wrong}); r.HTTP != 200 || r.code() != 1 {
		t.Fatalf("wrong code: %s", r.Raw)
	}
	if r := h.post(key, "/v1/card/check_otp", map[string]any{"user_gsm": "5321234567", "otp_session_id": "nope", "otp_code": code}); r.code() != 12 {
		t.Fatalf("unknown session: %s", r.Raw)
	}
	if r := h.post(key, "/v1/card/check_otp", map[string]any{"user_gsm": "5321234567", "otp_session_id": "sess-1", "otp_code": code}); r.code() != 0 {
		t.Fatalf("right code: %s", r.Raw)
	}
	// The verified session lets one save through, then is used up.
	body := saveBody("4282209004348015", "otp-user", "")
	body["otp_session_id"] = "sess-1"
	if r := h.post(key, "/v1/card/save", body); r.code() != 0 {
		t.Fatalf("save with verified otp: %s", r.Raw)
	}
	body["card_number"] = "4022774022774026"
	if r := h.post(key, "/v1/card/save", body); r.code() != 1 {
		t.Fatalf("used session: %s", r.Raw)
	}
	// Expiry on the virtual clock.
	h.post(key, "/v1/card/send_otp", map[string]any{"user_gsm": "5321234567", "otp_session_id": "sess-2"})
	code = h.otp("sess-2")
	h.clock.Advance(4 * time.Minute)
	if r := h.post(key, "/v1/card/check_otp", map[string]any{"user_gsm": "5321234567", "otp_session_id": "sess-2", "otp_code": code}); r.code() != 1 || !strings.Contains(r.str("message"), "süresi") {
		t.Fatalf("expired: %s", r.Raw)
	}
	// A merchant that requires OTP: no session 11, unverified 1, live otp_code on save 0.
	const k = "sck_sandbank_otp_required"
	if r := h.post(k, "/v1/card/save", saveBody("4531444531442283", "u", "")); r.HTTP != 400 || r.code() != 11 {
		t.Fatalf("otp required: %s", r.Raw)
	}
	h.post(k, "/v1/card/send_otp", map[string]any{"user_gsm": "5551112233", "otp_session_id": "s"})
	body = saveBody("4531444531442283", "u", "")
	body["otp_session_id"], body["user_gsm"] = "s", "5551112233"
	if r := h.post(k, "/v1/card/save", body); r.code() != 1 {
		t.Fatalf("unverified: %s", r.Raw)
	}
	body["otp_code"] = h.otp("s")
	if r := h.post(k, "/v1/card/save", body); r.code() != 0 {
		t.Fatalf("save with live otp_code: %s", r.Raw)
	}
	if r := h.post(key, "/v1/card/send_otp", map[string]any{"user_gsm": "4321234567", "otp_session_id": "x"}); r.HTTP != 400 || r.code() != 11 {
		t.Fatalf("bad gsm: %s", r.Raw)
	}
}

func TestAuth(t *testing.T) {
	h := newHarness(t)
	body := `{"card_owner_id":"x"}`
	try := func(hdr string) resp {
		hd := http.Header{"Content-Type": {"application/json"}}
		if hdr != "" {
			hd.Set("Authorization", hdr)
		}
		return h.do(http.MethodPost, "/v1/card/list", hd, body)
	}
	for _, hdr := range []string{"", "Bearer sck_x", "Basic ", "Basic a b", "sck_x", "Basic sck_sandbank_revoked", "Basic sck_sandbank_wrong"} {
		r := try(hdr)
		if r.HTTP != 401 || r.code() != 7 || r.str("type") != "authorization_error" {
			t.Errorf("%q: %s", hdr, r.Raw)
		}
	}
	for _, hdr := range []string{"Basic sck_any", "basic sck_any", "Basic " + base64.StdEncoding.EncodeToString([]byte("sck_any:"))} {
		if r := try(hdr); r.HTTP != 200 || r.code() != 12 {
			t.Errorf("%q: %s", hdr, r.Raw)
		}
	}
	if r := try("Basic sck_sandbank_company_blocked"); r.HTTP != 403 || r.code() != 2 {
		t.Errorf("company blocked: %s", r.Raw)
	}
	if r := try("Basic sck_sandbank_server_error"); r.HTTP != 500 || r.code() != 8 || r.str("type") != "api_error" {
		t.Errorf("server error key: %s", r.Raw)
	}
	hs := newHarness(t, strict, withConfig("keys: [{key: sck_declared}]"))
	for k, want := range map[string]int{"sck_declared": 200, "sck_sandbank_10031": 200, "sck_any": 401, "sck_sandbank_revoked": 401} {
		if r := hs.post(k, "/v1/card/list", map[string]any{"card_owner_id": "x"}); r.HTTP != want {
			t.Errorf("strict %s: %s", k, r.Raw)
		}
	}
}

func TestBadInputIsPaynetError(t *testing.T) {
	h := newHarness(t)
	owner := h.post(key, "/v1/card/save", saveBody("4355084355084358", "u", "")).str("card_owner_id")
	cases := []struct {
		path, body string
		status     int
		code       int
	}{
		{"/v1/card/list", ``, 400, 11},
		{"/v1/card/list", `{`, 400, 11},
		{"/v1/card/list", `[]`, 400, 11},
		{"/v1/card/list", `"x"`, 400, 11},
		{"/v1/card/list", `{"card_owner_id":"a"} {}`, 400, 11},
		{"/v1/card/list", `card_owner_id=a`, 400, 11},
		{"/v1/card/list", `{}`, 400, 11},
		{"/v1/card/list", `{"card_owner_id":{"a":1}}`, 400, 11},
		{"/v1/card/list", `{"card_owner_id":["a"]}`, 400, 11},
		{"/v1/card/list", `{"card_owner_id":true}`, 400, 11},
		{"/v1/card/list", `{"card_owner_id":"` + owner + `","limit":"ten"}`, 400, 11},
		{"/v1/card/list", `{"card_owner_id":"` + owner + `","limit":1.5}`, 400, 11},
		{"/v1/card/list", `{"card_owner_id":"` + strings.Repeat("a", 300) + `"}`, 400, 11},
		{"/v1/card/list", `{"CARD_OWNER_ID":"` + owner + `","Limit":"2"}`, 200, 0},
		{"/v1/card/list", `{"card_owner_id":"unknown"}`, 200, 12},
		{"/v1/card/save", `{"card_desc":"x"}`, 400, 11},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355084355084358","expire_month":"12","expire_year":"2030"}`, 400, 11},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355084355084359","expire_month":"12","expire_year":"2030","user_unique_id":"u2"}`, 200, 18},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355 0843 5508 4358","expire_month":13,"expire_year":2030,"user_unique_id":"u2"}`, 200, 18},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355084355084358","expire_month":"10","expire_year":"2026","user_unique_id":"u2"}`, 200, 18},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355084355084358","expire_month":11,"expire_year":26,"user_unique_id":"u2","cvv":"12"}`, 200, 18},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"6011000990139424","expire_month":"11","expire_year":"26","user_unique_id":"u2"}`, 200, 18},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355084355084358","expire_month":11,"expire_year":26,"card_owner_id":"nope"}`, 200, 12},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355 0843 5508 4358","expire_month":11,"expire_year":26,"user_unique_id":"u2"}`, 200, 0},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355080000001003","expire_month":11,"expire_year":26,"user_unique_id":"u2"}`, 200, 18},
		{"/v1/card/save", `{"card_desc":"x","card_holder":"y","card_number":"4355080000002001","expire_month":11,"expire_year":26,"user_unique_id":"u2"}`, 200, 10},
		{"/v1/card/delete", `{"card_owner_id":"` + owner + `"}`, 400, 11},
		{"/v1/card/desc_update", `{"card_owner_id":"` + owner + `","card_hash":"nope","card_desc":"x"}`, 200, 12},
		{"/v1/card/check_otp", `{"otp_code":"1"}`, 400, 11},
	}
	for _, c := range cases {
		r := h.post(key, c.path, c.body)
		if r.HTTP != c.status || r.code() != c.code {
			t.Errorf("%s %s: %d %s", c.path, c.body, r.HTTP, r.Raw)
		}
	}
	// Wrong method and unknown path are Paynet's error object too.
	if r := h.do(http.MethodGet, "/v1/card/nothing", http.Header{}, ""); r.HTTP != 404 {
		t.Errorf("unknown path: %s", r.Raw)
	}
}

// Saving one card many times in parallel stores it once: every other save is 5.
func TestConcurrentDuplicateSave(t *testing.T) {
	h := newHarness(t)
	owner := h.post(key, "/v1/card/save", saveBody("4355084355084358", "par", "")).str("card_owner_id")
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b := saveBody("5571135571135575", "par", "")
			if i%2 == 0 {
				b = saveBody("5571135571135575", "", owner)
			}
			r := h.post(key, "/v1/card/save", b)
			mu.Lock()
			codes[r.code()]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	if codes[0] != 1 || codes[5] != 23 {
		t.Fatalf("codes %v, want one 0 and 23 fives", codes)
	}
	if d := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner}).data(t); len(d) != 2 {
		t.Fatalf("list has %d cards, want 2", len(d))
	}
}

// Every catalogue code can be forced on every operation, with its status,
// type and result_code; 100 answers the normal body.
func TestEveryCodeByDecision(t *testing.T) {
	h := newHarness(t)
	owner := h.post(key, "/v1/card/save", saveBody("4355084355084358", "u", "")).str("card_owner_id")
	codes := catalogue.Codes()
	sort.Slice(codes, func(i, j int) bool {
		return len(codes[i]) < len(codes[j]) || len(codes[i]) == len(codes[j]) && codes[i] < codes[j]
	})
	for _, code := range codes {
		h.decide(scenario.Decision{Outcome: scenario.Failure, Code: code, Rule: "t"})
		r := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner})
		want := catalogue[code].Status
		if r.HTTP != want || fmt.Sprint(r.code()) != code {
			t.Errorf("code %s: %d %s", code, r.HTTP, r.Raw)
		}
		if code == "100" && len(r.data(t)) != 1 {
			t.Errorf("100 must answer the list: %s", r.Raw)
		}
		if want == 200 && code != "100" && (r.str("object_name") != "card_list" || r.Body["Data"] != nil) {
			t.Errorf("code %s envelope: %s", code, r.Raw)
		}
	}
	// A forced failure on save stores nothing.
	h.decide(scenario.Decision{Outcome: scenario.Failure, Code: "18"})
	h.post(key, "/v1/card/save", saveBody("5571135571135575", "", owner))
	if d := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner}).data(t); len(d) != 1 {
		t.Fatal("forced failure stored the card")
	}
}

func TestInDoubtSave(t *testing.T) {
	h := newHarness(t)
	owner := h.post(key, "/v1/card/save", saveBody("4355084355084358", "u", "")).str("card_owner_id")
	h.decide(scenario.Decision{Outcome: scenario.Unknown, Settle: &scenario.Settle{After: 30 * time.Second, To: scenario.Success}})
	h.post(key, "/v1/card/save", saveBody("5571135571135575", "", owner))
	if n := len(h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner}).data(t)); n != 1 {
		t.Fatalf("in doubt card visible before settle: %d", n)
	}
	if r := h.post(key, "/v1/card/save", saveBody("5571135571135575", "", owner)); r.code() != 5 {
		t.Fatalf("retry of an in-doubt save: %s", r.Raw)
	}
	h.clock.Advance(31 * time.Second)
	if n := len(h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner}).data(t)); n != 2 {
		t.Fatalf("settled card not visible: %d", n)
	}
	h.decide(scenario.Decision{Outcome: scenario.Unknown, Settle: &scenario.Settle{After: time.Second, To: scenario.Failure, Code: "18"}})
	h.post(key, "/v1/card/save", saveBody("4282209004348015", "", owner))
	h.clock.Advance(time.Minute)
	if n := len(h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner}).data(t)); n != 2 {
		t.Fatalf("a save that settled as failed was stored: %d", n)
	}
}

func TestShippedTestCardsSave(t *testing.T) {
	h := newHarness(t)
	for _, c := range h.p.cfg.cards {
		mm, yy, _ := strings.Cut(c.Expire, "/")
		r := h.post(key, "/v1/card/save", map[string]any{"card_desc": "t", "card_holder": "Test Kart", "card_number": c.Number, "expire_month": mm, "expire_year": yy, "cvv": c.CVV, "user_unique_id": "cards"})
		want := 0
		if c.Code != "" {
			fmt.Sscan(c.Code, &want)
		}
		if r.code() != want {
			t.Errorf("%s (%s): %s", c.Number, c.Note, r.Raw)
		}
	}
}

func TestUnitHelpers(t *testing.T) {
	for in, want := range map[string]string{"RQABCDEQR": "RQ*****QR", "Ali": "A**", "": "", "Şükrü Öz": "Şü****Öz"} {
		if got := maskHolder(in); got != want {
			t.Errorf("maskHolder(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"5321234567": "5321234567", "05321234567": "5321234567", "+90 532 123 45 67": "5321234567", "4321234567": "", "532123456": ""} {
		if got := normalizeGSM(in); got != want {
			t.Errorf("normalizeGSM(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"4355084355084358": brandVisa, "5571135571135575": brandMaster, "2221000000000009": brandMaster, "375622005485014": brandAmex, "9792030394440796": brandTroy, "6011000990139424": ""} {
		if got := brandOf(in); got != want {
			t.Errorf("brandOf(%s) = %q", in, got)
		}
	}
	if _, err := resolve(Config{}, Config{NoData: "maybe"}); err == nil {
		t.Error("bad nodata accepted")
	}
	if _, err := resolve(Config{}, Config{Cards: []Card{{Number: "4355084355084359"}}}); err == nil {
		t.Error("Luhn-invalid test card accepted")
	}
	if _, err := resolve(Config{}, Config{Keys: []Merchant{{Key: "a b"}}}); err == nil {
		t.Error("key with a space accepted")
	}
}
