package openapi_test

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// vandarCustomers runs every customers v2 operation, its successes and
// failures, through send (which validates each reply against the schemas).
func vandarCustomers(send func(method, u, ctype, body string, header ...string) (*http.Response, []byte), api, bearer string) {
	js, form := "application/json", "application/x-www-form-urlencoded"
	auth := []string{"Authorization", bearer}
	base := api + "/v2/business/acme/customers"
	get := func(data []byte, path ...string) string {
		var v any
		_ = json.Unmarshal(data, &v)
		for _, k := range path {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		switch x := v.(type) {
		case string:
			return x
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return ""
	}
	_, data := send("POST", base+"/fields", js, `{"name":"سن"}`, auth...)
	field := base + "/fields/" + get(data, "result", "field", "id")
	send("POST", base+"/fields", js, `{}`, auth...)
	send("GET", api+"/v2/business/business/customers/fields", "", "", auth...)
	send("GET", base+"/fields?per_page=1", "", "", auth...)
	send("GET", field, "", "", auth...)
	send("GET", base+"/fields/999", "", "", auth...)
	send("PUT", field, js, `{"name":"تاریخ تولد"}`, auth...)
	send("PATCH", field, form, "name=x", auth...)
	_, data = send("POST", base, js, `{"type":"INDIVIDUAL","first_name":"الناز","last_name":"نوروزی","mobile":"09121234567","individual_national_code":"0013542419",`+
		`"custom_fields":[{"field_id":1,"field_value":"25"}]}`, auth...)
	cust := base + "/" + get(data, "result", "customer", "id")
	send("POST", base, js, `{"type":"INDIVIDUAL","custom_fields":[{"field_id":1,"field_value":25}]}`, auth...)
	send("GET", base+"?per_page=5&type=INDIVIDUAL", "", "", auth...)
	send("GET", base+"?per_page=500", "", "", auth...)
	send("GET", cust, "", "", auth...)
	send("PUT", cust, js, `{"type":"INDIVIDUAL","province_id":"8","city_id":"6"}`, auth...)
	send("PUT", cust, js, `{}`, auth...)
	send("GET", cust+"/wallet", "", "", auth...)
	send("POST", cust+"/wallet/deposit", js, `{"amount":50000,"track_id":"d1"}`, auth...)
	send("POST", cust+"/wallet/deposit", js, `{"amount":50000,"track_id":"d1"}`, auth...)
	send("POST", cust+"/wallet/withdraw", form, "amount=20000&track_id=w1&comment=x", auth...)
	send("POST", cust+"/wallet/withdraw", js, `{"amount":40000,"track_id":"w2"}`, auth...)
	send("POST", cust+"/transactions", "", "", auth...)
	send("GET", cust+"/transactions?type=deposit", "", "", auth...)
	send("DELETE", field, "", "", auth...)
	send("DELETE", cust, "", "", auth...)
	send("GET", cust+"/wallet", "", "", auth...)
	send("GET", base, "", "")
}
