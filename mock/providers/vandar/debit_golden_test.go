package vandar_test

import (
	"net/http"
	"testing"
)

// TestDirectDebitGolden walks the documented direct-debit examples (reference
// §11 of the public docs: banks, authorization store/verify/show/list/revoke,
// withdrawal store/show/list/cancel) and sandbank's refunds in one session and
// compares every answer with testdata/debit_*.json.
func TestDirectDebitGolden(t *testing.T) {
	c := newClient(t)
	g := func(name string, r reply) { t.Helper(); golden(t, c, "debit_"+name, r) }
	js := "application/json"
	h := []string{"Authorization", "Bearer " + access, "Accept", js}
	call := func(method, path, body string) reply { return c.do(method, c.api+sub+path, js, body, h...) }

	g("banks", call(http.MethodGet, "/banks/actives", ""))
	r := call(http.MethodPost, "/authorization/store", `{"bank_code":"062","mobile":"09129311989","callback_url":"http://vandar.ui/dd/callback.php","count":7,"limit":10200,"expiration_date":"2027-06-25","name":"مشتری","email":"customer.email@gmail.com","national_code":"2993968416"}`)
	g("mandate_store", r)
	token := r.json(t)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
	g("mandate_store_invalid", call(http.MethodPost, "/authorization/store", `{"bank_code":"999","mobile":"0912","callback_url":"nope","count":0,"limit":"x","expiration_date":"1400/01/01","email":"x","wage_type":"ME"}`))
	approve := c.do(http.MethodPost, c.srv.Base("subscription.vandar.io")+"/authorizations/"+token, "application/x-www-form-urlencoded", "action=approve&username=2993968416&password=123456")
	g("mandate_callback", reply{Status: approve.Status, Header: approve.Header})
	id := redirectQuery(t, approve).Get("authorization_id")
	g("mandate_verify", call(http.MethodPatch, "/authorization/"+id+"/verify", ""))
	g("mandate_verify_again", call(http.MethodPatch, "/authorization/"+id+"/verify", ""))
	g("mandate_show", call(http.MethodGet, "/authorization/"+id+"/search", ""))
	g("mandate_unknown", call(http.MethodGet, "/authorization/nope/search", ""))
	g("mandate_list", call(http.MethodGet, "/authorization?per_page=20", ""))

	r = call(http.MethodPost, "/withdrawal/store", `{"authorization_id":"`+id+`","amount":10000,"notify_url":"http://yourdomain.com/notify/me","track_id":"d2c5bf5a-280f-4ee5-8888-3d220b63bcc0"}`)
	g("withdrawal_store", r)
	wid := wd(r.json(t))["id"].(string)
	g("withdrawal_track_dup", call(http.MethodPost, "/withdrawal/store", `{"authorization_id":"`+id+`","amount":10000,"track_id":"d2c5bf5a-280f-4ee5-8888-3d220b63bcc0"}`))
	g("withdrawal_over_limit", call(http.MethodPost, "/withdrawal/store", `{"authorization_id":"`+id+`","amount":10201}`))
	g("withdrawal_invalid", call(http.MethodPost, "/withdrawal/store", `{"amount":"x","is_instant":0,"notify_url":"ftp://x","max_retry_count":17}`))
	c.srv.Admin.Advance("5m")
	g("withdrawal_show", call(http.MethodGet, "/withdrawal/"+wid, ""))
	g("withdrawal_track", call(http.MethodGet, "/withdrawal/track-id/d2c5bf5a-280f-4ee5-8888-3d220b63bcc0", ""))
	sch := wd(call(http.MethodPost, "/withdrawal/store", `{"authorization_id":"`+id+`","amount":5000,"is_instant":0,"withdrawal_date":"2026-11-25","max_retry_count":3}`).want(t, 200))["id"].(string)
	g("withdrawal_cancel", call(http.MethodPut, "/withdrawal/"+sch, ""))
	g("withdrawal_cancel_instant", call(http.MethodPut, "/withdrawal/"+wid, ""))
	g("withdrawal_list", call(http.MethodGet, "/withdrawal?q="+id, ""))
	g("calculation", call(http.MethodGet, "/authorization/"+id+"/calculation", ""))

	r = call(http.MethodPost, "/refunds", `{"withdrawal_id":"`+wid+`","description":"بازگشت اشتراک"}`)
	g("refund_store", r)
	rid := r.json(t)["result"].(map[string]any)["refund"].(map[string]any)["id"].(string)
	g("refund_again", call(http.MethodPost, "/refunds", `{"withdrawal_id":"`+wid+`"}`))
	g("refund_show", call(http.MethodGet, "/refunds/"+rid, ""))
	g("refund_list", call(http.MethodGet, "/refunds", ""))

	g("mandate_revoke", call(http.MethodDelete, "/authorization/"+id, ""))
	g("mandate_revoked_show", call(http.MethodGet, "/authorization/"+id+"/search", ""))
	g("mandate_revoke_unknown", call(http.MethodDelete, "/authorization/"+id, ""))
}
