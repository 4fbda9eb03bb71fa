package kavenegar

import (
	"github.com/sandbank-dev/sandbank/mock/lifecycle"

	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/api/apitest"
	"github.com/sandbank-dev/sandbank/mock/form"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

const persian = "خدمات پیام کوتاه کاوه نگار"

func TestSendLifecycle(t *testing.T) {
	h := newHarness(t)
	r := h.post("k1", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {persian}, "sender": {"10004346"}})
	if r.HTTP != 200 || r.Return.Message != okMessage {
		t.Fatalf("send: %s", r.Raw)
	}
	e := r.list(t)[0]
	if e["status"].(float64) != 1 || e["statustext"] != "در صف ارسال" || e["cost"].(float64) != 120 || e["date"].(float64) != float64(start.Unix()) {
		t.Fatalf("entry: %v", e)
	}
	id := e["messageid"]
	for _, step := range []struct {
		advance time.Duration
		want    int
	}{{0, 1}, {2 * time.Second, 5}, {8 * time.Second, 10}, {time.Hour, 10}} {
		h.clock.Advance(step.advance)
		if got := h.status("k1", id); got != step.want {
			t.Fatalf("after +%s: status %d, want %d", step.advance, got, step.want)
		}
	}
	if got := h.credit("k1"); got != 10_000_000-120 {
		t.Fatalf("credit %d", got)
	}
	// Another key does not see the message.
	if got := h.status("k2", id); got != 100 {
		t.Fatalf("other key sees status %d", got)
	}
}

func TestCosts(t *testing.T) {
	cases := []struct {
		name string
		text string
		cost float64
	}{
		{"latin single", strings.Repeat("a", 160), 260},
		{"latin two parts", strings.Repeat("a", 161), 520},
		{"latin escape chars count double", strings.Repeat("{", 80) + "a", 520},
		{"persian single", strings.Repeat("س", 70), 120},
		{"persian two parts", strings.Repeat("س", 71), 240},
		{"persian three parts", strings.Repeat("س", 135), 360},
		{"one persian char makes UCS-2", strings.Repeat("a", 70) + "س", 240},
	}
	h := newHarness(t)
	spent := int64(0)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.post("costs", "sms/send.json", url.Values{"receptor": {"09121234567,09127654321"}, "message": {tc.text}})
			if r.HTTP != 200 {
				t.Fatalf("send: %s", r.Raw)
			}
			for _, e := range r.list(t) {
				if e["cost"].(float64) != tc.cost {
					t.Fatalf("cost %v, want %v", e["cost"], tc.cost)
				}
			}
			spent += int64(2 * tc.cost)
			if got := h.credit("costs"); got != 10_000_000-spent {
				t.Fatalf("credit %d, want %d", got, 10_000_000-spent)
			}
		})
	}
}

func TestScheduledCancelRefunds(t *testing.T) {
	h := newHarness(t)
	at := start.Add(time.Hour).Unix()
	r := h.post("k", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {persian}, "date": {fmt.Sprint(at)}})
	e := r.list(t)[0]
	if e["status"].(float64) != 2 || e["date"].(float64) != float64(at) {
		t.Fatalf("scheduled entry: %v", e)
	}
	if got := h.credit("k"); got != 10_000_000-120 {
		t.Fatalf("credit after send %d", got)
	}
	c := h.post("k", "sms/cancel.json", url.Values{"messageid": {jsonNum(e["messageid"])}})
	ce := c.list(t)[0]
	if ce["status"].(float64) != 13 || ce["statustext"] != "لغو شده" {
		t.Fatalf("cancel: %s", c.Raw)
	}
	if got := h.credit("k"); got != 10_000_000 {
		t.Fatalf("credit after cancel %d", got)
	}
	h.clock.Advance(2 * time.Hour)
	if got := h.status("k", e["messageid"]); got != 13 {
		t.Fatalf("status after the scheduled time %d", got)
	}
	// Cancelling again neither refunds twice nor changes the status.
	h.post("k", "sms/cancel.json", url.Values{"messageid": {jsonNum(e["messageid"])}})
	if got := h.credit("k"); got != 10_000_000 {
		t.Fatalf("credit after second cancel %d", got)
	}

	// A delivered message cannot be cancelled and keeps its cost.
	d := h.post("k", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {persian}}).list(t)[0]
	h.clock.Advance(time.Minute)
	c = h.post("k", "sms/cancel.json", url.Values{"messageid": {jsonNum(d["messageid"]) + ",123"}})
	got := c.list(t)
	if got[0]["status"].(float64) != 10 || got[1]["status"].(float64) != 100 {
		t.Fatalf("cancel delivered: %s", c.Raw)
	}
	if cr := h.credit("k"); cr != 10_000_000-120 {
		t.Fatalf("credit %d", cr)
	}
}

func TestMagicReceptors(t *testing.T) {
	h := newHarness(t)
	r := h.post("k", "sms/send.json", url.Values{"receptor": {"09120000006,09120000011,09120000014"}, "message": {persian}})
	es := r.list(t)
	h.clock.Advance(time.Minute)
	for i, want := range []int{6, 11, 14} {
		if got := h.status("k", es[i]["messageid"]); got != want {
			t.Fatalf("receptor %v: status %d, want %d", es[i]["receptor"], got, want)
		}
	}
	// Only the filtered message (14) is refunded.
	if got := h.credit("k"); got != 10_000_000-240 {
		t.Fatalf("credit %d", got)
	}
}

func TestValidation(t *testing.T) {
	long := strings.Repeat("a", 901)
	many := strings.TrimSuffix(strings.Repeat("09121234567,", 201), ",")
	manyIDs := strings.TrimSuffix(strings.Repeat("1,", 501), ",")
	send := func(kv ...string) url.Values {
		v := url.Values{"receptor": {"09121234567"}, "message": {"hello"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "<absent>" {
				v.Del(kv[i])
				continue
			}
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	cases := []struct {
		name string
		key  string
		path string
		form url.Values
		want int
	}{
		{"ok", "k", "sms/send.json", send(), 200},
		{"receptor absent", "k", "sms/send.json", send("receptor", "<absent>"), 400},
		{"receptor empty", "k", "sms/send.json", send("receptor", ""), 406},
		{"message absent", "k", "sms/send.json", send("message", "<absent>"), 400},
		{"status without messageid (Go SDK)", "k", "sms/status.json", nil, 400},
		{"landline receptor", "k", "sms/send.json", send("receptor", "02188888888"), 411},
		{"one bad receptor of two", "k", "sms/send.json", send("receptor", "09121234567,12345"), 411},
		{"+98 receptor", "k", "sms/send.json", send("receptor", "+989121234567"), 200},
		{"0098 receptor", "k", "sms/send.json", send("receptor", "00989121234567"), 200},
		{"9xx receptor", "k", "sms/send.json", send("receptor", "9121234567"), 200},
		{"unknown sender", "k", "sms/send.json", send("sender", "30001234"), 412},
		{"restricted line", "k", "sms/send.json", send("sender", "0018018949161"), 427},
		{"blank message", "k", "sms/send.json", send("message", "   x"[:3]), 406},
		{"message too long", "k", "sms/send.json", send("message", long), 413},
		{"201 receptors", "k", "sms/send.json", send("receptor", many), 414},
		{"501 message ids", "k", "sms/status.json", url.Values{"messageid": {manyIDs}}, 414},
		{"501 ids cancel", "k", "sms/cancel.json", url.Values{"messageid": {manyIDs}}, 414},
		{"date not a number", "k", "sms/send.json", send("date", "tomorrow"), 417},
		{"date in the past", "k", "sms/send.json", send("date", fmt.Sprint(start.Add(-time.Hour).Unix())), 417},
		{"date past the clock's range (a snapshot could not write it)", "k", "sms/send.json", send("date", "99999999999999"), 417},
		{"control character", "k", "sms/send.json", send("message", "a\x00b"), 422},
		{"invalid utf-8", "k", "sms/send.json", send("message", "a\xffb"), 422},
		{"sendarray lengths", "k", "sms/sendarray.json", url.Values{"receptor": {`["09121234567","09121234568"]`}, "message": {`["a"]`}, "sender": {`["10004346","10004346"]`}}, 419},
		{"sendarray one sender two receptors", "k", "sms/sendarray.json", url.Values{"receptor": {`["09121234567","09121234568"]`}, "message": {`["a","b"]`}, "sender": {`["10004346"]`}}, 419},
		{"sendarray two senders one receptor", "k", "sms/sendarray.json", url.Values{"receptor": {`["09121234567"]`}, "message": {`["a"]`}, "sender": {`["10004346","10004346"]`}}, 419},
		{"sendarray ok", "k", "sms/sendarray.json", url.Values{"receptor": {`["09121234567","09121234568"]`}, "message": {`["a, b","c"]`}, "sender": {`["10004346","2000500666"]`}}, 200},
		{"bad key 0", "0", "sms/send.json", send(), 403},
		{"bad key chars", "a%21b", "sms/send.json", send(), 403},
		{"disabled", "sandbank-disabled", "sms/send.json", send(), 401},
		{"disabled getdate", "sandbank-disabled", "utils/getdate.json", nil, 200},
		{"ip mismatch", "sandbank-ip-mismatch", "account/info.json", nil, 416},
		{"ip blocked", "sandbank-ip-blocked", "sms/send.json", send(), 429},
		{"rate limited", "sandbank-rate-limited", "sms/status.json", url.Values{"messageid": {"1"}}, 451},
		{"no credit", "sandbank-no-credit", "sms/send.json", send(), 418},
		{"no credit info ok", "sandbank-no-credit", "account/info.json", nil, 200},
		{"test account other number", "sandbank-test", "sms/send.json", send(), 501},
		{"test account owner", "sandbank-test", "sms/send.json", send("receptor", "09120000000"), 200},
		{"link restricted", "sandbank-link-restricted", "sms/send.json", send("message", "see https://x.ir"), 420},
		{"link restricted plain", "sandbank-link-restricted", "sms/send.json", send(), 200},
		{"no report select", "sandbank-no-report", "sms/select.json", url.Values{"messageid": {"1"}}, 407},
		{"no report latest", "sandbank-no-report", "sms/latestoutbox.json", nil, 407},
		{"postal start beyond total", "k", "sms/sendbypostalcode.json", url.Values{"postalcode": {"1136"}, "message": {"x"}, "mcistartindex": {"9999999"}, "mcicount": {"1"}}, 415},
		{"postal ok", "k", "sms/sendbypostalcode.json", url.Values{"postalcode": {"1136"}, "message": {"x"}, "mcistartind": {"0"}, "mcicount": {"2"}, "mtncount": {"1"}}, 200},
		{"postal bad code", "k", "sms/countpostalcode.json", url.Values{"postalcode": {"ab"}}, 411},
		{"unknown method", "k", "sms/sendfast.json", nil, 404},
		{"xml format", "k", "sms/send.xml", send(), 404},
		{"unknown scope bad key", "0", "foo/bar.json", nil, 404},
		{"config bad value", "k", "account/config.json", url.Values{"apilogs": {"sometimes"}}, 422},
		{"config bad sender", "k", "account/config.json", url.Values{"defaultsender": {"999"}}, 412},
		{"receive needs line", "k", "sms/receive.json", nil, 400},
		{"receive unknown line", "k", "sms/receive.json", url.Values{"linenumber": {"999"}}, 412},
		{"selectoutbox bad date", "k", "sms/selectoutbox.json", url.Values{"startdate": {"x"}}, 417},
	}
	h := newHarness(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.post(tc.key, tc.path, tc.form)
			if r.HTTP != tc.want {
				t.Fatalf("status %d, want %d: %s", r.HTTP, tc.want, r.Raw)
			}
			if tc.want != 200 {
				if r.Return.Message != catalogue[fmt.Sprint(tc.want)].Message || string(r.Entries) != "null" {
					t.Fatalf("error body: %s", r.Raw)
				}
			}
		})
	}
}

func TestLookup(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name string
		key  string
		form url.Values
		want int
	}{
		{"ok", "k", url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {"852596"}}, 200},
		{"unknown template", "k", url.Values{"receptor": {"09121234567"}, "template": {"nope"}, "token": {"1"}}, 424},
		{"unapproved template", "k", url.Values{"receptor": {"09121234567"}, "template": {"unapproved"}, "token": {"1"}}, 424},
		{"call with letters", "k", url.Values{"receptor": {"09121234567"}, "template": {"otp-call"}, "token": {"12a4"}, "type": {"CALL"}}, 428},
		{"call digits", "k", url.Values{"receptor": {"09121234567"}, "template": {"otp-call"}, "token": {"1234"}, "Type": {"Call"}}, 200},
		{"token with space", "k", url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {"12 34"}}, 431},
		{"token with newline", "k", url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {"12\n34"}}, 431},
		{"token with underscore", "k", url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {"12_34"}}, 431},
		{"token too long", "k", url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {strings.Repeat("1", 101)}}, 431},
		{"token10 with spaces", "k", url.Values{"receptor": {"09121234567"}, "template": {"login"}, "token": {"1"}, "token10": {"علی رضا محمدی"}}, 200},
		{"template without %token", "k", url.Values{"receptor": {"09121234567"}, "template": {"no-token"}, "token": {"1"}}, 432},
		{"no advanced service", "sandbank-no-advanced", url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {"1"}}, 426},
		{"token absent", "k", url.Values{"receptor": {"09121234567"}, "template": {"verify"}}, 400},
		{"token empty", "k", url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {""}}, 406},
		{"two receptors", "k", url.Values{"receptor": {"09121234567,09121234568"}, "template": {"verify"}, "token": {"1"}}, 411},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.post(tc.key, "verify/lookup.json", tc.form)
			if r.HTTP != tc.want {
				t.Fatalf("status %d, want %d: %s", r.HTTP, tc.want, r.Raw)
			}
		})
	}
	// The Go SDK sends capitalised, empty optional parameters.
	r := h.post("k", "verify/lookup.json", url.Values{"receptor": {"09121234567"}, "template": {"order"}, "token": {"A-1"}, "Token2": {"150000"}, "Token3": {""}, "Type": {""}})
	e := r.list(t)[0]
	if e["message"] != "سفارش A-1 به مبلغ 150000 ریال ثبت شد. " || e["status"].(float64) != 5 {
		t.Fatalf("rendered: %s", r.Raw)
	}
	var otp map[string]any
	raw := h.doRaw("GET", "/_sandbox/kavenegar/otp?receptor=%2B989121234567")
	if err := json.Unmarshal(raw, &otp); err != nil || otp["token"] != "A-1" || otp["template"] != "order" {
		t.Fatalf("otp: %s", raw)
	}
}

func TestLookupObjectSwitch(t *testing.T) {
	h := newHarness(t, func(d *api.Deps) { d.Config = yamlConfig("lookup_entries: object") })
	r := h.post("k", "verify/lookup.json", url.Values{"receptor": {"09121234567"}, "template": {"verify"}, "token": {"1"}})
	if r.object(t)["status"].(float64) != 5 {
		t.Fatalf("object: %s", r.Raw)
	}
}

func TestStrict(t *testing.T) {
	h := newHarness(t, strict)
	if r := h.post("anything", "account/info.json", nil); r.HTTP != 403 {
		t.Fatalf("undeclared key in strict mode: %s", r.Raw)
	}
	if r := h.post("sandbank-low-credit", "account/info.json", nil); r.HTTP != 200 {
		t.Fatalf("declared key in strict mode: %s", r.Raw)
	}
	if r := h.post("0", "utils/getdate.json", nil); r.HTTP != 200 {
		t.Fatalf("getdate in strict mode: %s", r.Raw)
	}
}

func TestParallelSendsNeverOverdraw(t *testing.T) {
	h := newHarness(t)
	const n = 50
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := h.post("sandbank-low-credit", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {persian}})
			codes[i] = r.HTTP
		}(i)
	}
	wg.Wait()
	okN := 0
	for _, c := range codes {
		switch c {
		case 200:
			okN++
		case 418:
		default:
			t.Fatalf("unexpected status %d", c)
		}
	}
	if okN != 10 {
		t.Fatalf("%d sends succeeded, want 10 (1200 / 120)", okN)
	}
	if got := h.credit("sandbank-low-credit"); got != 0 {
		t.Fatalf("credit %d, want 0", got)
	}
	var out struct{ Messages []any }
	_ = json.Unmarshal(h.doRaw("GET", "/_sandbox/kavenegar/outbox?apikey=sandbank-low-credit&limit=1000"), &out)
	if len(out.Messages) != 10 {
		t.Fatalf("outbox has %d messages", len(out.Messages))
	}
}

func TestForcedFailureChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.decide(scenario.Decision{Outcome: scenario.Failure, Code: "418", Fault: scenario.FaultNone, Rule: "test"})
	r := h.post("k", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {persian}})
	if r.HTTP != 418 {
		t.Fatalf("forced: %s", r.Raw)
	}
	if got := h.credit("k"); got != 10_000_000 {
		t.Fatalf("credit %d", got)
	}
	var out struct{ Messages []any }
	_ = json.Unmarshal(h.doRaw("GET", "/_sandbox/kavenegar/outbox?apikey=k"), &out)
	if len(out.Messages) != 0 {
		t.Fatalf("outbox: %v", out.Messages)
	}
}

func TestUnknownSettlesFailed(t *testing.T) {
	h := newHarness(t)
	h.decide(scenario.Decision{Outcome: scenario.Unknown, Fault: scenario.FaultNone, Settle: &scenario.Settle{After: time.Minute, To: scenario.Failure}})
	r := h.post("k", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {persian}})
	if r.HTTP != 200 {
		t.Fatalf("unknown: %s", r.Raw)
	}
	id := r.list(t)[0]["messageid"]
	if got := h.credit("k"); got != 10_000_000-120 {
		t.Fatalf("credit before settle %d", got)
	}
	h.clock.Advance(30 * time.Second)
	if got := h.status("k", id); got != 1 {
		t.Fatalf("before settle: %d", got)
	}
	h.clock.Advance(30 * time.Second)
	if got := h.status("k", id); got != 6 {
		t.Fatalf("after settle: %d", got)
	}
	if got := h.credit("k"); got != 10_000_000 {
		t.Fatalf("credit after settle %d", got)
	}
}

func TestTimelineOverride(t *testing.T) {
	h := newHarness(t)
	h.decide(scenario.Decision{Outcome: scenario.Success, Fault: scenario.FaultNone, Steps: []lifecycle.Spec{{Status: "1", At: "0s"}, {Status: "4", At: "5s"}, {Status: "14", At: "1m"}}})
	r := h.post("k", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {persian}})
	id := r.list(t)[0]["messageid"]
	h.clock.Advance(5 * time.Second)
	if got := h.status("k", id); got != 4 {
		t.Fatalf("at 5s: %d", got)
	}
	h.clock.Advance(time.Minute)
	if got := h.status("k", id); got != 14 {
		t.Fatalf("at 65s: %d", got)
	}
	if got := h.credit("k"); got != 10_000_000 {
		t.Fatalf("filtered message not refunded: %d", got)
	}
}

func TestRepeatedLocalIDSendsOnce(t *testing.T) {
	h := newHarness(t)
	form := url.Values{"receptor": {"09121234567"}, "message": {persian}, "localid": {"order-1"}}
	a := h.post("k", "sms/send.json", form).list(t)[0]
	b := h.post("k", "sms/send.json", form).list(t)[0]
	if a["messageid"] != b["messageid"] {
		t.Fatalf("second send made a new message: %v %v", a, b)
	}
	if got := h.credit("k"); got != 10_000_000-120 {
		t.Fatalf("credit %d", got)
	}
	s := h.post("k", "sms/statuslocalmessageid.json", url.Values{"localid": {"order-1,nope"}}).list(t)
	if s[0]["messageid"] != a["messageid"] || s[0]["localid"] != "order-1" || s[1]["status"].(float64) != 100 {
		t.Fatalf("statuslocalmessageid: %v", s)
	}
}

func TestRequestEncodings(t *testing.T) {
	h := newHarness(t)
	// .NET: %uXXXX escapes, capitalised names, GET with a query string.
	r := h.do("POST", "/v1/k/sms/send.json", "application/x-www-form-urlencoded",
		"Receptor=09121234567&Message=%u0633%u0644%u0627%u0645+100%&Sender=10004346")
	if r.HTTP != 200 || r.list(t)[0]["message"] != "سلام 100%" {
		t.Fatalf(".NET body: %s", r.Raw)
	}
	r = h.do("GET", "/v1/k/sms/send.json?receptor=%5B%2209121234567%22%2C%2209121234568%22%5D&message=hi", "", "")
	if r.HTTP != 200 || len(r.list(t)) != 2 {
		t.Fatalf("GET with JSON list: %s", r.Raw)
	}
	r = h.do("POST", "/v1/k/sms/send.json/", "application/json", `{"receptor":["09121234567"],"message":"hi"}`)
	if r.HTTP != 200 {
		t.Fatalf("JSON body and trailing slash: %s", r.Raw)
	}
	r = h.do("POST", "/v1/k/sms/send.json", "application/x-www-form-urlencoded", "receptor[]=09121234567&receptor[]=09121234568&message=raw text & more")
	if r.HTTP != 200 || len(r.list(t)) != 2 || r.list(t)[0]["message"] != "raw text " {
		t.Fatalf("PHP arrays and raw body: %s", r.Raw)
	}
	if r := h.do("PUT", "/v1/k/sms/send.json", "", ""); r.HTTP != 405 {
		t.Fatalf("PUT: %s", r.Raw)
	}
}

func TestAccountConfig(t *testing.T) {
	h := newHarness(t)
	r := h.post("k", "account/config.json", url.Values{"apilogs": {"Enabled"}, "debug": {"enabled"}, "defaultsender": {"2000500666"}, "mincreditalarm": {"5000"}, "dailyreport": {""}})
	want := map[string]any{"apilogs": "enabled", "dailyreport": "enabled", "debugmode": "enabled", "defaultsender": "2000500666", "mincreditalarm": "5000", "resendfailed": "disabled"}
	got := r.object(t)
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s = %v, want %v (%s)", k, got[k], v, r.Raw)
		}
	}
	s := h.post("k", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {"x"}}).list(t)[0]
	if s["sender"] != "2000500666" {
		t.Fatalf("default sender not used: %v", s)
	}
}

func TestInbox(t *testing.T) {
	a, b := newHarness(t), newHarness(t)
	first := a.post("k", "sms/receive.json", url.Values{"linenumber": {"10004346"}, "isread": {"0"}})
	if first.HTTP != 200 || len(first.list(t)) != 3 {
		t.Fatalf("receive: %s", first.Raw)
	}
	if again := b.post("k", "sms/receive.json", url.Values{"linenumber": {"10004346"}, "isread": {"0"}}); !bytes.Equal(again.Entries, first.Entries) {
		t.Fatalf("inbox not deterministic:\n%s\n%s", first.Raw, again.Raw)
	}
	if unread := a.post("k", "sms/receive.json", url.Values{"linenumber": {"10004346"}, "isread": {"0"}}); len(unread.list(t)) != 0 {
		t.Fatalf("messages not marked read: %s", unread.Raw)
	}
	c := a.post("k", "sms/countinbox.json", url.Values{"startdate": {fmt.Sprint(start.Add(-24 * time.Hour).Unix())}, "isread": {"1"}})
	if c.list(t)[0]["sumcount"].(float64) != 3 {
		t.Fatalf("countinbox: %s", c.Raw)
	}
	a.post("k", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {strings.Repeat("س", 71)}})
	o := a.post("k", "sms/countoutbox.json", url.Values{"startdate": {fmt.Sprint(start.Unix())}, "endate": {fmt.Sprint(start.Add(time.Hour).Unix())}}).list(t)[0]
	if o["sumcount"].(float64) != 1 || o["sumpart"].(float64) != 2 || o["cost"].(float64) != 240 {
		t.Fatalf("countoutbox: %v", o)
	}
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		key  string
		path string
		form url.Values
	}{
		{"send", "sandbank-golden", "sms/send.json", url.Values{"receptor": {"09123456789"}, "message": {persian}, "sender": {"10004346"}}},
		{"lookup", "sandbank-golden", "verify/lookup.json", url.Values{"receptor": {"09123456789"}, "template": {"verify"}, "token": {"852596"}}},
		{"getdate", "0", "utils/getdate.json", nil},
		{"account_info", "sandbank-golden", "account/info.json", nil},
		{"countpostalcode", "sandbank-golden", "sms/countpostalcode.json", url.Values{"postalcode": {"1136"}}},
		{"error_418", "sandbank-no-credit", "sms/send.json", url.Values{"receptor": {"09123456789"}, "message": {persian}}},
	}
	h := newHarness(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.post(tc.key, tc.path, tc.form)
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, bytes.TrimSpace(r.Raw), "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			apitest.Golden(t, filepath.Join("testdata", tc.name+".json"), pretty.Bytes())
		})
	}
}

func TestGetDateFormat(t *testing.T) {
	h := newHarness(t)
	if r := h.post("any-key", "utils/getdate.json", nil); r.HTTP != 200 {
		t.Fatalf("getdate with any key: %s", r.Raw)
	}
	r := h.post("0", "utils/getdate.json", nil).object(t)
	if r["datetime"] != "01/03/2026 11:00:15 ق.ظ" || r["hour"].(float64) != 11 || r["unixtime"].(float64) != float64(start.Unix()) {
		t.Fatalf("getdate: %v", r)
	}
	h.clock.Advance(12 * time.Hour)
	if r := h.post("0", "utils/getdate.json", nil).object(t); r["datetime"] != "01/03/2026 11:00:15 ب.ظ" {
		t.Fatalf("evening: %v", r)
	}
}

// TestGetDateSeedSample: at the documented sample's unixtime the answer is the
// sample's reading of it, in UTC: 13:53:46, "01:53:46 ب.ظ".
func TestGetDateSeedSample(t *testing.T) {
	h := newHarness(t)
	sample := time.Unix(1338645226, 0)
	h.clock.Advance(sample.Sub(h.clock.Now()))
	r := h.post("0", "utils/getdate.json", nil).object(t)
	want := map[string]any{"datetime": "02/06/2012 01:53:46 ب.ظ", "year": 2012.0, "hour": 13.0, "minute": 53.0, "second": 46.0, "unixtime": 1338645226.0}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("%s = %v, want %v (%v)", k, r[k], v, r)
		}
	}
}

func TestCatalogueComplete(t *testing.T) {
	for _, code := range []string{"400", "401", "402", "403", "404", "405", "406", "407", "409", "411", "412", "413", "414", "415", "416", "417", "418", "419", "420", "422", "424", "426", "427", "428", "429", "431", "432", "451", "501"} {
		if !catalogue.Has(code) {
			t.Errorf("code %s missing", code)
		}
	}
	for _, r := range (&Provider{cfg: &settings{}}).Routes() {
		for _, c := range r.Outcomes.Failures {
			if !catalogue.Has(c) {
				t.Errorf("%s lists unknown code %s", r.Operation, c)
			}
		}
	}
}

func FuzzParseForm(f *testing.F) {
	for _, s := range []string{
		"receptor=09121234567&message=%u0633%u0644%u0627%u0645",
		"a=%zz&b=%&c=%u12&d=%uD83D%uDE00&e=+",
		"receptor[]=1&receptor[]=2&Token2=x",
		"=x&&&==&%",
		"message=" + strings.Repeat("%u", 10),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, _ := form.ParseBody("application/x-www-form-urlencoded", []byte(s), reading)
		for _, k := range p.Names() {
			if k == "" || k != strings.ToLower(k) {
				t.Fatalf("bad name %q", k)
			}
			_ = p.List(k)
			for _, val := range p.All(k) {
				v := val.Text
				_, _ = normalizeMobile(v)
				_, _ = segments(v)
				_ = badChars(v)
				_ = badToken("token", v)
				_ = render(v, map[string]string{"token": v})
				_ = hasMainToken(v)
			}
		}
	})
}

// Requests exactly as the official Go SDK builds them (checked by pointing the SDK
// itself at sandbank): CountOutbox names the status, SendPostalCode always sends a
// date, an unset one being time.Time{}.Unix().
func TestGoSDKQuirks(t *testing.T) {
	h := newHarness(t)
	h.post("k", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {persian}})
	h.clock.Advance(time.Minute)
	for _, status := range []string{"Delivered", "10", "delivered"} {
		rows := h.post("k", "sms/countoutbox.json", url.Values{"startdate": {"1"}, "status": {status}}).list(t)
		if rows[0]["sumcount"].(float64) != 1 {
			t.Fatalf("status=%s: %v", status, rows)
		}
	}
	if r := h.post("k", "sms/countoutbox.json", url.Values{"startdate": {"1"}, "status": {"Queued"}}); r.list(t)[0]["sumcount"].(float64) != 0 {
		t.Fatalf("status=Queued counted a delivered message: %s", r.Raw)
	}
	if r := h.post("k", "sms/countoutbox.json", url.Values{"startdate": {"1"}, "status": {"Lost"}}); r.HTTP != 422 {
		t.Fatalf("unknown status name: %s", r.Raw)
	}
	form := url.Values{"postalcode": {"1966645631"}, "sender": {"10004346"}, "message": {"hi"}, "mcistartind": {"0"}, "mcicount": {"1"}, "mtnstartind": {"0"}, "mtncount": {"1"}, "date": {"-62135596800"}}
	if r := h.post("k", "sms/sendbypostalcode.json", form); r.HTTP != 200 || len(r.list(t)) != 2 {
		t.Fatalf("SDK's unset date: %s", r.Raw)
	}
	form.Set("date", "-5")
	if r := h.post("k", "sms/sendbypostalcode.json", form); r.HTTP != 417 {
		t.Fatalf("a real negative date must stay 417: %s", r.Raw)
	}
}

// Without apikey the outbox spans every key that has an account, newest first, and
// a key that was reset is gone from it.
func TestOutboxAcrossKeys(t *testing.T) {
	h := newHarness(t)
	h.post("a", "sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {"one"}})
	h.clock.Advance(time.Second)
	h.post("b", "sms/send.json", url.Values{"receptor": {"09121234568"}, "message": {"two"}})
	var out struct {
		Messages []struct {
			APIKey  string
			Message string
		}
	}
	_ = json.Unmarshal(h.doRaw("GET", "/_sandbox/kavenegar/outbox"), &out)
	if len(out.Messages) != 2 || out.Messages[0].APIKey != "b" || out.Messages[1].Message != "one" {
		t.Fatalf("outbox of all keys: %+v", out.Messages)
	}
	h.store.Reset("b")
	out.Messages = nil
	_ = json.Unmarshal(h.doRaw("GET", "/_sandbox/kavenegar/outbox"), &out)
	if len(out.Messages) != 1 || out.Messages[0].APIKey != "a" {
		t.Fatalf("after reset of b: %+v", out.Messages)
	}
}
