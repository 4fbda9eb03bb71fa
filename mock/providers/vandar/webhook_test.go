package vandar_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestRefundWebhook: a refund with notify_url is announced when its row turns
// DONE on the virtual clock, as form-data with the settlement notice's fields,
// signed with the business's webhook_secret.
func TestRefundWebhook(t *testing.T) {
	type got struct {
		form url.Values
		sig  string
		raw  []byte
	}
	hooks := make(chan got, 4)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(raw)))
		_ = r.ParseMultipartForm(1 << 20)
		hooks <- got{form: r.MultipartForm.Value, sig: r.Header.Get("X-Vandar-Signature"), raw: raw}
	}))
	t.Cleanup(shop.Close)

	c := newClient(t)
	token := c.send(apiKey, 70_000)
	var pay map[string]any
	c.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, &pay)
	v := c.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
	id := strconvFormat(v["transId"].(float64))
	rf := c.postJSON("/v3/business/acme/transaction/"+id+"/refund", access, map[string]any{"notify_url": shop.URL + "/hook", "payment_number": "pn-1"}).want(t, 200)
	row := rf["data"].(map[string]any)["results"].([]any)[0].(map[string]any)

	select {
	case <-hooks:
		t.Fatal("notice sent before the refund was done")
	case <-time.After(100 * time.Millisecond):
	}
	c.srv.Admin.Advance("30m")
	var h got
	select {
	case h = <-hooks:
	case <-time.After(5 * time.Second):
		t.Fatal("no refund notice after the cycle")
	}
	f := h.form
	if f["id"][0] != row["id"] || f["status"][0] != "DONE" || f["amount"][0] != "70000" || f["payment_number"][0] != "pn-1" ||
		f["transaction_id"][0] != strconvFormat(row["gateway_transaction_id"].(float64)) || f["settlement_date_jalali"][0] == "" {
		t.Fatalf("notice %v", f)
	}
	checkSignature(t, h.sig, h.raw)
}
