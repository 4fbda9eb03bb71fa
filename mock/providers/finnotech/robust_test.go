package finnotech_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

func TestTrackIDRules(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	cc := c.ccToken("card:list:get", "oak:card-balance:get")
	list := "/mpg/v2/clients/drops/cards?mobile=09121234567"
	// Absent on an optional service: a UUID v4 is generated and answered.
	r := c.bearer(cc, "GET", list, nil)
	if id := r.str("trackId"); r.Status != 200 || len(id) != 36 || id[14] != '4' {
		t.Errorf("generated trackId %q", id)
	}
	// Absent on a required one.
	r = c.bearer(cc, "POST", "/oak/v2/clients/drops/card/balance", map[string]any{"card": "6362144202902795"})
	if r.Status != 400 || r.str("error.message") != "trackId is required" || r.str("trackId") == "" {
		t.Errorf("missing required: %d %s", r.Status, r.Raw)
	}
	// 41 characters, and a character outside [A-Za-z0-9-].
	for _, bad := range []string{strings.Repeat("a", 41), "a_b", "a.b"} {
		r = c.bearer(cc, "GET", list+"&trackId="+bad, nil)
		if r.Status != 400 || r.str("error.code") != "VALIDATION_ERROR" || r.str("trackId") != bad {
			t.Errorf("trackId %q: %d %s", bad, r.Status, r.Raw)
		}
	}
	r = c.bearer(cc, "GET", list+"&trackId="+strings.Repeat("a", 40), nil)
	if r.Status != 200 {
		t.Errorf("40 characters: %d %s", r.Status, r.Raw)
	}
	// Per client, across services: card list's id cannot be reused on card balance.
	r = c.bearer(cc, "POST", "/oak/v2/clients/drops/card/balance?trackId="+strings.Repeat("a", 40), map[string]any{"card": "6362144202902795"})
	if r.Status != 400 || r.str("error.message") != "trackId is duplicated" {
		t.Errorf("across services: %d %s", r.Status, r.Raw)
	}
	// Another client may use the same id.
	other := newClient(t, srv, "smokey")
	if r = other.bearer(other.ccToken("card:list:get"), "GET", strings.Replace(list, "drops", "smokey", 1)+"&trackId="+strings.Repeat("a", 40), nil); r.Status != 200 {
		t.Errorf("other client: %d %s", r.Status, r.Raw)
	}
	// Refused by auth: not consumed; the same id works once the token is good.
	if r = c.bearer("bad", "GET", list+"&trackId=retry-1", nil); r.Status != 403 || r.str("trackId") != "retry-1" {
		t.Errorf("bad token: %d %s", r.Status, r.Raw)
	}
	if r = c.bearer(cc, "GET", list+"&trackId=retry-1", nil); r.Status != 200 {
		t.Errorf("retry after auth failure: %d %s", r.Status, r.Raw)
	}
	// Concurrent requests with one id: exactly one is accepted.
	var wg sync.WaitGroup
	var mu sync.Mutex
	okCount := 0
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.bearer(cc, "GET", list+"&trackId=race-1", nil)
			if r.Status == 200 {
				mu.Lock()
				okCount++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if okCount != 1 {
		t.Errorf("%d of 16 concurrent requests with one trackId succeeded", okCount)
	}
}

func TestTrackIDLengthConfigurable(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithConfig("providers:\n  finnotech:\n    track_id_max_length: 0\n"))
	c := newClient(t, srv, "drops")
	cc := c.ccToken("card:list:get")
	long := "inquiry-charge-card-" + strings.Repeat("x", 26) // S12's 46 characters
	if r := c.bearer(cc, "GET", "/mpg/v2/clients/drops/cards?mobile=09121234567&trackId="+long, nil); r.Status != 200 || r.str("trackId") != long {
		t.Errorf("unlimited: %d %s", r.Status, r.Raw)
	}
}

func TestHostsAliasesAndTolerance(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	cc := c.ccToken("card:information:get")
	for _, u := range []string{
		srv.URL + "/sandboxapi.finnotech.ir/mpg/v2/clients/drops/cards/6273530000013899/?sandbox=true",
		srv.URL + "/apibeta.finnotech.ir/mpg/v2/clients/drops/cards/6273530000013899?&version=2",
		srv.URL + "/api.finnotech.ir/mpg/v2/clients/drops/cards/6273530000013899",
		srv.URL + "/finnotech/mpg/v2/clients/drops/cards/6273530000013899",
	} {
		r := c.do("GET", u, nil, "authorization", "Bearer "+cc, "X-Scope-Name", "card:information:get", "Content-Type", "application/json")
		if r.Status != 200 || r.str("result.result") != "0" {
			t.Errorf("%s: %d %s", u, r.Status, r.Raw)
		}
	}
	// Host header routing, as for a client with a hard-coded host.
	for _, host := range []string{"apibeta.finnotech.ir", "api.finnotech.ir.localhost"} {
		req, _ := http.NewRequest("GET", srv.URL+"/mpg/v2/clients/drops/cards/6273530000013899", nil)
		req.Host = host
		req.Header.Set("Authorization", "Bearer "+cc)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("Host %s: %d", host, res.StatusCode)
		}
	}
	// The authorize redirect keeps the mount it came in by.
	r := c.do("GET", srv.URL+"/apibeta.finnotech.ir/dev/v2/oauth2/authorize?client_id=drops&response_type=code&redirect_uri=https://a.b/c&scope=oak:balance:get&bank=062", nil)
	if u := location(t, r); !strings.HasPrefix(u.String(), srv.URL+"/apibeta.finnotech.ir/dev/v2/oauth2/bank/login?") {
		t.Errorf("login link %s", u)
	}
}

// TestNoServerErrors sends malformed input to every route: each answer is
// Finnotech's own error (or a success), never a 5xx or a dropped connection.
func TestNoServerErrors(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithClock(t0))
	c := newClient(t, srv, "drops")
	cc := c.ccToken("card:list:get", "card:information:get", "oak:card-balance:get", "oak:card-statement:get", "boomrang:tokens:get")
	code, _ := c.codeToken("062", "1111111111", "1000", "oak:card-charge:execute", "oak:card-charge-inquiry:get", "oak:valid-card:get", "oak:balance:get")
	bodies := []string{"", "{", "null", "[]", `"x"`, "123", `{"amount":{"a":1}}`, `{"amount":-5,"card":"6362144202902795"}`,
		`{"amount":1e300,"card":"6362144202902795"}`, `{"amount":"12abc","card":"x"}`, `{"amount":1.5,"card":"6362144202902795"}`,
		`{"card":"` + strings.Repeat("9", 5000) + `","trackId":"` + strings.Repeat("z", 300) + `"}`, `{"card":"\u0000\ud800"}`,
		`{"grant_type":"authorization_code","code":"","redirect_uri":"::"}`, `{"grant_type":"refresh_token","token_type":"CODE","refresh_token":"x","bank":"062"}`,
		`{"fromDate":"99999999","toDate":"abc","card":"6362144202902795"}`, `{"token":"x","token_type":"x"}`, "a=b&c", "\xff\xfe"}
	paths := []struct{ method, path, auth string }{
		{"POST", "/dev/v2/oauth2/token", c.basicHeader()},
		{"GET", "/dev/v2/oauth2/authorize?client_id=%ZZ&redirect_uri=%&scope=,,,&bank=0&limit=-1&auth_type=SMS&mobile=x", c.basicHeader()},
		{"GET", "/dev/v2/oauth2/authorize?client_id=" + strings.Repeat("a", 100), ""},
		{"GET", "/dev/v2/oauth2/bank/login?session=nope", ""},
		{"POST", "/dev/v2/oauth2/bank/login", ""},
		{"GET", "/dev/v2/oauth2/bank/consent", ""},
		{"POST", "/dev/v2/oauth2/bank/consent?session=x", ""},
		{"POST", "/dev/v2/oauth2/verify/sms", c.basicHeader()},
		{"DELETE", "/dev/v2/clients/drops/token", "Bearer " + cc},
		{"GET", "/dev/v2/clients/drops/tokens?bank=%00", "Bearer " + cc},
		{"GET", "/mpg/v2/clients/drops/cards?mobile=%00", "Bearer " + cc},
		{"GET", "/mpg/v2/clients/drops/cards/%2F%2E%2E", "Bearer " + cc},
		{"GET", "/mpg/v2/clients/drops/cards/abc", "Bearer " + cc},
		{"POST", "/oak/v2/clients/drops/deposits/0211111111111/chargeCard?trackId=", "Bearer " + code},
		{"POST", "/oak/v2/clients/drops/deposits/%20/chargeCard?trackId=x1", "Bearer " + code},
		{"POST", "/oak/v2/clients/drops/inquiryChargeCard?trackId=", "Bearer " + code},
		{"POST", "/oak/v2/clients/drops/getValidCard?trackId=", "Bearer " + code},
		{"POST", "/oak/v2/clients/drops/card/balance?trackId=", "Bearer " + cc},
		{"POST", "/oak/v2/clients/drops/card/statement?trackId=", "Bearer " + cc},
		{"GET", "/oak/v2/clients/drops/deposits/x/balance", "Bearer " + code},
		{"PUT", "/oak/v2/clients/drops/card/balance", "Bearer " + cc},
		{"GET", "/oak/v2/clients/drops/chargeCard", ""},
	}
	n := 0
	for _, p := range paths {
		for _, b := range bodies {
			n++
			path := p.path
			if strings.HasSuffix(path, "trackId=") {
				path += "sweep-" + strings.Repeat("x", n%3) + "-" + string(rune('a'+n%26)) + "-" + strings.Repeat("1", n%7)
			}
			var h []string
			if p.auth != "" {
				h = []string{"Authorization", p.auth}
			}
			r := c.do(p.method, path, b, h...) // do fails the test on any 5xx
			if r.Status >= 200 && r.Status < 300 {
				continue
			}
			if r.Status == 302 {
				continue
			}
			if r.JSON == nil || r.str("status") != "FAILED" || r.str("error.code") == "" || r.str("trackId") == "" {
				t.Errorf("%s %s %q: %d %s", p.method, path, b, r.Status, r.Raw)
			}
		}
	}
}
