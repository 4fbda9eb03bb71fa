package openapi_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

type sendFunc func(method, u, ctype, body string, header ...string) (*http.Response, []byte)

// ravandSchemaRun takes an applicant from set-config to an active card with
// a transfer, calling every Ravand operation with successes and failures, so
// TestVandarResponsesMatchSchemas validates each reply.
func ravandSchemaRun(t *testing.T, srv *sandbanktest.Server, send sendFunc, bearer string) {
	t.Helper()
	api, js := srv.URL+"/vandar", "application/json"
	rv := api + "/v1/business/acme/ravand"
	auth := []string{"Authorization", bearer}
	call := func(method, u, body string) map[string]any {
		t.Helper()
		_, data := send(method, u, js, body, auth...)
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		return m
	}
	data := func(m map[string]any) map[string]any { d, _ := m["data"].(map[string]any); return d }
	call("GET", rv+"/provinces", "")
	send("GET", rv+"/provinces", "", "")
	call("POST", rv+"/set-config", `{"card_title":"x","callback_url":"ftp://x"}`)
	call("POST", rv+"/set-config", `{"card_title":"کارت"}`)
	for _, l := range []string{"provinces", "cities?province_id=1", "guilds", "educations", "occupations", "reasons"} {
		call("GET", rv+"/"+l, "")
	}
	call("POST", rv+"/provider/ayandeh/cardholder", `{"national_code":"0020000000"}`)
	created := call("POST", rv+"/provider/ayandeh/cardholder", `{"national_code":"`+iran.MakeNationalCode("002000000")+`","mobile":"09190000000","birth_date":"1370/01/01"}`)
	ch := rv + "/provider/ayandeh/cardholder/" + data(created)["cardholder_id"].(string)
	call("GET", ch+"/inquiry", "")
	call("POST", ch+"/finalize", "")
	call("PUT", ch, `{"postal_code":"1"}`)
	call("PUT", ch, `{"national_card_serial_number":"11111","postal_code":"1111111111","birth_location_id":32,"birth_certificate_location_id":32,"occupation_id":1,"education_id":1,"guild_id":1,"city_id":32,"province_id":1,"address":"تست"}`)
	call("GET", ch+"/video-caption", "")
	for _, kind := range []string{"national_card_front_photo", "national_card_back_photo", "signature_photo", "applicant_photo", "authentication_video"} {
		file := []byte{0xff, 0xd8, 0xff, 0xe0, 1, 2, 3}
		if kind == "authentication_video" {
			file = []byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0}
		}
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		_ = w.WriteField("type", kind)
		part, _ := w.CreateFormFile("file", kind)
		_, _ = part.Write(file)
		_ = w.Close()
		send("POST", ch+"/upload", w.FormDataContentType(), b.String(), auth...)
	}
	send("POST", ch+"/upload", js, `{}`, auth...)
	call("POST", ch+"/finalize", "")
	call("GET", ch+"/inquiry", "")
	srv.Admin.Advance("61m")
	inq := call("GET", ch+"/inquiry", "")
	card := inq["data"].([]any)[0].(map[string]any)["card_number"].(string)
	call("GET", ch+"/card/post-tracking?card_number="+card, "")
	call("GET", ch+"/card/post-tracking", "")
	call("POST", ch+"/card/activate/token", "")
	var out map[string]any
	srv.Admin.Do("POST", "/vandar/ravand/deliver", map[string]any{"card_number": card}, &out)
	call("GET", ch+"/card/post-tracking?card_number="+card, "")
	act := data(call("POST", ch+"/card/activate/token", `{"card_number":"`+card+`"}`))
	send("GET", act["url"].(string), "", "")
	send("POST", act["url"].(string), "application/x-www-form-urlencoded", "do=submit&last4=0000")
	srv.Admin.Do("POST", "/vandar/ravand/pages/"+act["token"].(string)+"/complete", nil, &out)
	send("GET", act["url"].(string), "", "")
	call("GET", ch+"/card/status?card_number="+card, "")
	pin := data(call("POST", ch+"/card/change-pin/token", ""))
	send("POST", pin["url"].(string), "application/x-www-form-urlencoded", "do=submit&pin=4826&pin_confirm=4826")
	call("GET", ch+"/accounts-info", "")
	call("POST", ch+"/balance", "")
	call("POST", ch+"/transfer", `{"type":"internal","amount":50000,"destination":"`+card+`"}`)
	srv.Admin.Do("POST", "/vandar/ravand/cards/"+card+"/deposit", map[string]any{"amount": 10000000}, &out)
	iban, _ := iran.MakeIBAN("017", "123456789")
	tr := data(call("POST", ch+"/transfer", `{"type":"paya","amount":50000,"destination":"`+iban+`","reason_id":1}`))
	tid := tr["transfer_id"].(string)
	call("POST", ch+"/transfer/confirm-otp", `{"transfer_id":"`+tid+`","otp":"000000"}`)
	call("POST", ch+"/transfer/retry-otp", `{"transfer_id":"`+tid+`"}`)
	var otps struct {
		OTPs []struct{ OTP string } `json:"otps"`
	}
	srv.Admin.Get("/vandar/ravand/otp?transfer_id="+tid, &otps)
	call("POST", ch+"/transfer/confirm-otp", `{"transfer_id":"`+tid+`","otp":"`+otps.OTPs[0].OTP+`"}`)
	call("GET", ch+"/transfer/inquiry?transfer_id="+tid, "")
	call("GET", ch+"/transfer/inquiry/paya-satna?transfer_id="+tid, "")
	call("GET", ch+"/bank-statement?per_page=5", "")
	call("GET", ch+"/bank-statement?from_date=x", "")
	blk := data(call("POST", ch+"/card/block/token", ""))
	send("GET", blk["url"].(string), "", "")
	send("POST", blk["url"].(string), "application/x-www-form-urlencoded", "do=submit&reason=lost")
	call("POST", ch+"/balance", "")
}
