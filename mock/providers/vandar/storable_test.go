package vandar_test

import (
	"strings"
	"testing"
)

// TestDirectDebitDaysTheClockReaches: expiration_date and withdrawal_date are
// Y-m-d, and Go's layout takes any four-digit year. A day the virtual clock
// can reach is stored and answered in Jalali; one past it (year 3000 on) is
// Laravel's 422 "before" line, as a day in the past is its "after" line. Before
// this, 9999-12-31 was stored and every answer read "0000/00/00" for it (the
// Jalali calendar stops near 3800 CE), and a withdrawal on it could never run.
// Whatever is refused or stored, the tenant's state still encodes.
func TestDirectDebitDaysTheClockReaches(t *testing.T) {
	c := newClient(t)
	id := c.mandate("09121234567", 100, 1_000_000)
	const invalid = `{"message":"The given data was invalid.","errors":{`
	for _, tc := range []struct {
		field, day string
		instant    bool
		status     int
		want       string // the 422 body, or the Jalali day the 200 answers
	}{
		{field: "expiration_date", day: "2999-12-31", status: 200, want: "2378/10/10 23:59:59"},
		{field: "expiration_date", day: "3000-01-01", status: 422, want: invalid + `"expiration_date":["expiration_date باید تاریخی قبل از 3000-01-01 باشد."]}}`},
		{field: "expiration_date", day: "9999-12-31", status: 422, want: invalid + `"expiration_date":["expiration_date باید تاریخی قبل از 3000-01-01 باشد."]}}`},
		{field: "expiration_date", day: "0000-01-01", status: 422, want: invalid + `"expiration_date":["expiration_date باید تاریخی بعد از امروز باشد."]}}`},
		{field: "expiration_date", day: "10000-01-01", status: 422, want: invalid + `"expiration_date":["expiration_date با الگوی Y-m-d مطابقت ندارد."]}}`},
		{field: "withdrawal_date", day: "2999-12-31", status: 200, want: "2378/10/10"},
		{field: "withdrawal_date", day: "3000-01-01", status: 422, want: invalid + `"withdrawal_date":["withdrawal_date باید تاریخی قبل از 3000-01-01 باشد."]}}`},
		{field: "withdrawal_date", day: "9999-12-31", status: 422, want: invalid + `"withdrawal_date":["withdrawal_date باید تاریخی قبل از 3000-01-01 باشد."]}}`},
		{field: "withdrawal_date", day: "0000-01-01", status: 422, want: invalid + `"withdrawal_date":["withdrawal_date باید تاریخی بعد از امروز باشد."]}}`},
		// An instant withdrawal runs today whatever the date says (reference §11.10).
		{field: "withdrawal_date", day: "9999-12-31", instant: true, status: 200, want: "1405/09/01"},
	} {
		name := tc.field + "=" + tc.day
		if tc.instant {
			name += ",instant"
		}
		t.Run(name, func(t *testing.T) {
			var r reply
			if tc.field == "expiration_date" {
				r = c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "012", "mobile": "09121234567", "callback_url": callbackURL,
					"count": 3, "limit": 1_000_000, "expiration_date": tc.day})
			} else {
				instant := 0
				if tc.instant {
					instant = 1
				}
				r = c.call("POST", sub+"/withdrawal/store", map[string]any{"authorization_id": id, "amount": 1000, "is_instant": instant, "withdrawal_date": tc.day})
			}
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Raw)
			}
			switch {
			case tc.status != 200:
				if got := strings.TrimSpace(string(r.Raw)); got != tc.want {
					t.Fatalf("body\n got %s\nwant %s", got, tc.want)
				}
			case tc.field == "expiration_date":
				tok := r.want(t, 200)["result"].(map[string]any)["authorization"].(map[string]any)["token"].(string)
				var out map[string]any
				if st := c.srv.Admin.Do("POST", "/vandar/mandates/"+tok+"/approve", nil, &out); st != 200 {
					t.Fatalf("approve: %d %v", st, out)
				}
				show := c.call("GET", sub+"/authorization/"+out["authorization_id"].(string), nil).want(t, 200)
				if got := show["result"].(map[string]any)["authorizations"].(map[string]any)["expiration_date"]; got != tc.want {
					t.Fatalf("expiration_date %v, want %s", got, tc.want)
				}
			default:
				if got := wd(r.want(t, 200))["withdrawal_date"]; got != tc.want {
					t.Fatalf("withdrawal_date %v, want %s", got, tc.want)
				}
			}
			if st := c.srv.Admin.Get("/state/acme", nil); st != 200 {
				t.Fatalf("GET /_sandbox/state/acme: %d", st)
			}
		})
	}
}

// TestTrackIDsThatAreNotUTF8: the official Laravel client posts forms, and a
// form value can carry any byte. track_id u-%FF and u-%FE were two settlements
// (and two withdrawals) in memory but one id in the state's JSON, where both
// read "u-\uFFFD": the snapshot could not be put back (duplicate id) and a
// --data-dir holding it refused to start. Read as encoding/json reads a JSON
// body, the second is the provider's own repeat; a path naming the first finds
// it; the state is put back whole.
func TestTrackIDsThatAreNotUTF8(t *testing.T) {
	c := newClient(t)
	id := c.mandate("09121234567", 100, 1_000_000)
	form := func(path, body string) reply {
		return c.do("POST", c.api+path, "application/x-www-form-urlencoded", body, "Authorization", "Bearer "+access, "Accept", "application/json")
	}
	for _, tc := range []struct {
		name, store, body, show string
		again                   func(t *testing.T, first, second reply)
	}{
		{name: "settlement", store: "/v3/business/acme/settlement/store", body: "amount=10000&iban=IR160120000000001234567890&track_id=p-",
			show: "/v2.1/business/acme/settlement/p-%FF", again: func(t *testing.T, first, second reply) {
				// The same track_id again answers the first settlement.
				if second.Status != 200 || string(second.Raw) != string(first.Raw) {
					t.Fatalf("repeat: %d %s, want %s", second.Status, second.Raw, first.Raw)
				}
			}},
		{name: "withdrawal", store: sub + "/withdrawal/store", body: "authorization_id=" + id + "&amount=1000&track_id=w-",
			show: sub + "/withdrawal/track-id/w-%FF", again: func(t *testing.T, _, second reply) {
				if want := `{"message":"The given data was invalid.","errors":{"track_id":["یک دستور برداشت با این شناسه قبلا ثبت شد است."]}}`; second.Status != 422 || strings.TrimSpace(string(second.Raw)) != want {
					t.Fatalf("repeat: %d %s", second.Status, second.Raw)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := form(tc.store, tc.body+"%FF")
			first.want(t, 200)
			tc.again(t, first, form(tc.store, tc.body+"%FE"))
			if r := c.call("GET", tc.show, nil); r.Status != 200 || !strings.Contains(string(r.Raw), `\ufffd`) && !strings.Contains(string(r.Raw), "\uFFFD") {
				t.Fatalf("show %s: %d %s", tc.show, r.Status, r.Raw)
			}
			var snap map[string]any
			if st := c.srv.Admin.Get("/state/acme", &snap); st != 200 {
				t.Fatalf("GET state: %d", st)
			}
			if st := c.srv.Admin.Do("PUT", "/state/acme", snap, nil); st != 200 {
				t.Fatalf("PUT the state back: %d", st)
			}
		})
	}
}

// TestAmountsNoWalletSumWraps: a payment and a mandate's limit are bounded as the
// customer wallet's movements are (maxWalletRial, Laravel's max line), so no sum
// of credits wraps the wallet. Before, eleven verified payments of
// 999,999,999,999,999,999 Rial left the wallet at -744,674,407,360,955,162
// Toman: the state could not be put back and a --data-dir refused to start.
func TestAmountsNoWalletSumWraps(t *testing.T) {
	c := newClient(t)
	const max = "1000000000000000"
	for _, tc := range []struct {
		name, amount string
		status       int
		want         string
	}{
		{"ipg at the bound", max, 200, `"status":1`},
		{"ipg past it", "1000000000000001", 422, `{"status":0,"errors":["amount نباید بزرگتر از 1000000000000000 باشد."]}`},
		{"ipg of 18 digits", "999999999999999999", 422, `{"status":0,"errors":["amount نباید بزرگتر از 1000000000000000 باشد."]}`},
		{"mandate limit at the bound", max, 200, `"status":1`},
		{"mandate limit past it", "999999999999999999", 422, `{"message":"The given data was invalid.","errors":{"limit":["limit نباید بزرگتر از 1000000000000000 باشد."]}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r reply
			if strings.HasPrefix(tc.name, "ipg") {
				r = c.do("POST", c.ipg+"/api/v4/send", "application/json", `{"api_key":"`+apiKey+`","amount":`+tc.amount+`,"callback_url":"`+callbackURL+`"}`)
			} else {
				r = c.call("POST", sub+"/authorization/store", map[string]any{"bank_code": "012", "mobile": "09121234567", "callback_url": callbackURL,
					"count": 3, "limit": tc.amount, "expiration_date": "2027-11-22"})
			}
			if r.Status != tc.status || tc.status == 200 && !strings.Contains(string(r.Raw), tc.want) || tc.status != 200 && strings.TrimSpace(string(r.Raw)) != tc.want {
				t.Fatalf("%d %s, want %d %s", r.Status, r.Raw, tc.status, tc.want)
			}
		})
	}
	var snap map[string]any
	if st := c.srv.Admin.Get("/state/acme", &snap); st != 200 {
		t.Fatalf("GET state: %d", st)
	}
	if st := c.srv.Admin.Do("PUT", "/state/acme", snap, nil); st != 200 {
		t.Fatalf("PUT the state back: %d", st)
	}
}
