package openapi_test

import (
	"encoding/json"
	"net/http"

	"github.com/sandbank-dev/sandbank/mock/iran"
)

// vandarIdentity runs every customer identity, IBAN, card and inquiry
// operation, successes and failures, through send (which validates each reply
// against the schemas).
func vandarIdentity(send func(method, u, ctype, body string, header ...string) (*http.Response, []byte), api, bearer string) {
	js, form := "application/json", "application/x-www-form-urlencoded"
	auth := []string{"Authorization", bearer}
	nc := iran.MakeNationalCode("002030405") // Sara of the magic table
	iban, _ := iran.MakeIBAN("056", "0"+nc+"00000001")
	card := iran.MakeCard("621986", nc[:9])
	_, data := send("POST", api+"/v2/business/acme/customers", js, `{"type":"INDIVIDUAL","first_name":"سارا","last_name":"رضایی","mobile":"09121110001",`+
		`"individual_national_code":"`+nc+`"}`, auth...)
	var created struct {
		Result struct {
			Customer struct{ ID string } `json:"customer"`
		} `json:"result"`
	}
	_ = json.Unmarshal(data, &created)
	cust := api + "/v3/business/acme/customers/" + created.Result.Customer.ID
	send("POST", cust+"/authentication/kyc", "", "", auth...)
	send("POST", cust+"/authentication/shahkar", "", "", auth...)
	send("POST", api+"/v3/business/acme/customers/nope/authentication/shahkar", "", "", auth...)
	send("GET", cust+"/cash-in-code", "", "", auth...)
	send("POST", cust+"/ibans", js, `{"iban":"`+iban+`","is_default":true,"has_inquiry":true}`, auth...)
	send("POST", cust+"/ibans", form, "iban=IR00&is_default=x", auth...)
	send("GET", cust+"/ibans", "", "", auth...)
	send("POST", cust+"/ibans/"+iban+"/inquiry", "", "", auth...)
	send("POST", cust+"/ibans/"+iban+"/set-default", "", "", auth...)
	send("POST", cust+"/ibans/IR000/set-default", "", "", auth...)
	send("POST", cust+"/cards", js, `{"card":"`+card+`","is_default":true,"has_inquiry":true}`, auth...)
	send("POST", cust+"/cards", js, `{"card":"1234"}`, auth...)
	send("GET", cust+"/cards", "", "", auth...)
	send("POST", cust+"/cards/"+card+"/inquiry", "", "", auth...)
	send("POST", cust+"/cards/"+card+"/set-default", "", "", auth...)
	send("POST", cust+"/cards/to-iban", js, `{"card":"`+card+`","is_default":false,"has_inquiry":false}`, auth...)
	send("DELETE", cust+"/cards/"+card, "", "", auth...)
	send("DELETE", cust+"/ibans", js, `{"iban":"`+iban+`"}`, auth...)
	send("DELETE", cust+"/ibans", js, `{"iban":"`+iban+`"}`, auth...)
	inq := api + "/v3/business/acme/customers/inquiry/"
	for i, k := range []struct{ kind, body string }{
		{"kyc", `"first_name":"سارا","last_name":"رضایی","national_code":"` + nc + `","birthday":"1370/05/12"`},
		{"shahkar", `"mobile":"09121110001","national_code":"` + nc + `"`},
		{"nid", `"national_code":"` + nc + `","birth_date":"1370/05/12"`},
		{"nid-image", `"national_code":"` + nc + `","birth_date":"1370/05/12"`},
		{"nid", `"national_code":"` + nc + `","birth_date":"1370/05/13"`},
		{"fida", `"fida_code":"101010101010","birth_date":"1368/03/21"`},
		{"postal-code", `"postal_code":"1415733164"`},
		{"postal-code", `"postal_code":"9999999999"`},
		{"company-information", `"national_code":"10101234567"`},
		{"company-signature", `"national_code":"10101234567"`},
		{"national-code-iban", `"national_code":"` + nc + `","iban":"` + iban + `"`},
		{"match-mobile-card", `"mobile":"09121110001","card":"` + card + `"`},
		{"iban", `"iban":"` + iban + `"`},
		{"card", `"card":"` + card + `"`},
		{"card", `"card":"x"`},
	} {
		send("POST", inq+k.kind, js, `{`+k.body+`,"track_id":"oa-`+string(rune('a'+i))+`"}`, auth...)
	}
}
