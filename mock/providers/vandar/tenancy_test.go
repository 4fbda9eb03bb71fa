package vandar_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func (c *client) walletOf(business, token string) float64 {
	c.t.Helper()
	m := c.get("/v2/business/"+business+"/balance", token).want(c.t, 200)
	return m["data"].(map[string]any)["wallet"].(float64)
}

type tenantState struct {
	Tenant string                     `json:"tenant"`
	Tables map[string]json.RawMessage `json:"tables"`
}

func (c *client) state(tenant string) tenantState {
	c.t.Helper()
	var s tenantState
	if st := c.srv.Admin.Get("/state/"+tenant, &s); st != 200 {
		c.t.Fatalf("state of %s: %d", tenant, st)
	}
	return s
}

func (c *client) credsOf(business string) map[string]any {
	c.t.Helper()
	var list []map[string]any
	c.srv.Admin.Get("/vandar/businesses", &list)
	for _, b := range list {
		if b["business"] == business {
			return b
		}
	}
	c.t.Fatalf("no business %s in %v", business, list)
	return nil
}

// TestTenantStateCarriesTheBusiness: a business is its tenant. Its snapshot holds
// the business with its credentials and payment tokens; put into another tenant
// it makes that tenant the same business with credentials of its own (the first
// one's stay behind), and a reset of the tenant leaves nothing of it anywhere.
func TestTenantStateCarriesTheBusiness(t *testing.T) {
	c := newClient(t)
	tok, _, key := c.newBusiness("globex")
	payTok := c.send(key, 20000)
	wallet := c.walletOf("globex", tok)

	snap := c.state("globex")
	for _, table := range []string{"vandar.businesses", "vandar.credentials", "vandar.payments"} {
		if len(snap.Tables[table]) == 0 {
			t.Fatalf("the snapshot of globex has no %s: %v", table, keys(snap.Tables))
		}
	}

	if st := c.srv.Admin.Do(http.MethodPut, "/state/initech", snap, nil); st != 200 {
		t.Fatalf("restore into initech: %d", st)
	}
	ini := c.credsOf("initech")
	iniTok, iniKey := ini["access_token"].(string), ini["api_key"].(string)
	if iniTok == "" || iniTok == tok || iniKey == "" || iniKey == key || ini["webhook_secret"] == c.credsOf("globex")["webhook_secret"] {
		t.Fatalf("initech's credentials after the restore: %v (globex's token %s, key %s)", ini, tok, key)
	}
	if got := c.walletOf("initech", iniTok); got != wallet {
		t.Fatalf("initech's wallet %v, want globex's %v", got, wallet)
	}
	// globex's token acts as globex only.
	c.get("/v2/business/initech/balance", tok).want(t, 404)
	c.walletOf("globex", tok)
	// The payment token is initech's too, reached with initech's key.
	tx := c.ipgForm("/api/v4/transaction", url.Values{"api_key": {iniKey}, "token": {payTok}}).want(t, 200)
	if tx["amount"] == nil {
		t.Fatalf("initech's payment: %v", tx)
	}

	c.srv.Admin.Reset("globex")
	if s := c.state("globex"); len(s.Tables) != 0 {
		t.Fatalf("globex after its reset: %v", keys(s.Tables))
	}
	dump, err := c.srv.App.Store().DumpAll()
	if err != nil {
		t.Fatal(err)
	}
	for table, tenants := range dump {
		for tenant, raw := range tenants {
			if tenant == "globex" {
				t.Errorf("%s still holds tenant globex after its reset", table)
			}
			if tenant != "initech" && (strings.Contains(string(raw), tok) || strings.Contains(string(raw), key) || strings.Contains(string(raw), "globex")) {
				t.Errorf("%s, tenant %q, still names globex or its credentials: %s", table, tenant, raw)
			}
		}
	}
	c.get("/v2/business/globex/balance", tok).want(t, 401)
	c.walletOf("initech", iniTok)
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRestoredNoticesFireOnTheClock: a settlement and a refund restored into a
// fresh server are booked on its scheduler at once, so advancing the clock sends
// their notices with no other request (before, the settlement waited for the
// business's next request and the refund's notice, held by the first server's
// webhook sender, was lost).
func TestRestoredNoticesFireOnTheClock(t *testing.T) {
	forms := make(chan url.Values, 8)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseMultipartForm(1 << 20)
		forms <- r.MultipartForm.Value
	}))
	t.Cleanup(shop.Close)
	first := newClient(t)
	st := first.postJSON("/v3/business/acme/settlement/store", access, map[string]any{
		"amount": 10000, "iban": payIBAN(t, "012", "1234567890"), "track_id": "t-restored", "notify_url": shop.URL + "/stl"}).want(t, 200)
	settlement := data(t, st)["settlement"].([]any)[0].(map[string]any)["id"].(string)
	token := first.send(apiKey, 70_000)
	first.srv.Admin.Do(http.MethodPost, "/vandar/ipg/"+token+"/pay", map[string]string{"card": cardOK}, nil)
	v := first.ipgForm("/api/v4/verify", url.Values{"api_key": {apiKey}, "token": {token}}).want(t, 200)
	rf := first.postJSON("/v3/business/acme/transaction/"+strconvFormat(v["transId"].(float64))+"/refund", access,
		map[string]any{"notify_url": shop.URL + "/refund"}).want(t, 200)
	refund := rf["data"].(map[string]any)["results"].([]any)[0].(map[string]any)["id"].(string)
	own := data(t, first.get("/v2/business/acme", access).want(t, 200))["iban"].(string)
	first.postJSON("/v3/business/acme/cash-in/account/deposit", access, map[string]any{"iban": own, "amount": 1_200_000_000, "track_id": "d-1"}).want(t, 200)
	snap := first.state("acme")

	for _, into := range []string{"acme", "initech"} {
		c := newClient(t)
		if st := c.srv.Admin.Do(http.MethodPut, "/state/"+into, snap, nil); st != 200 {
			t.Fatalf("restore into %s: %d", into, st)
		}
		c.srv.Admin.Advance("30m")
		got := map[string]string{}
		for len(got) < 2 {
			select {
			case v := <-forms:
				got[v.Get("id")] = v.Get("status")
			case <-time.After(5 * time.Second):
				t.Fatalf("%s: notices after the restore and a clock advance: %v, want settlement %s and refund %s DONE", into, got, settlement, refund)
			}
		}
		if got[settlement] != "DONE" || got[refund] != "DONE" {
			t.Fatalf("%s: notices %v, want settlement %s and refund %s DONE", into, got, settlement, refund)
		}
		// The deposit landed on the clock too: the control plane's view of the
		// state reads rows, it makes nothing happen.
		var deposits []struct {
			Value struct{ Status string } `json:"value"`
		}
		if err := json.Unmarshal(c.state(into).Tables["vandar.cash_in"], &deposits); err != nil || len(deposits) != 2 {
			t.Fatalf("%s: deposits %v (%v)", into, deposits, err)
		}
		for _, d := range deposits {
			if d.Value.Status != "DONE" {
				t.Fatalf("%s: a restored deposit did not land on the clock: %v", into, deposits)
			}
		}
	}
}
