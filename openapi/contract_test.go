package openapi_test

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
	"github.com/sandbank-dev/sandbank/openapi"
)

// The contract: every route has an operation in its provider's document and every
// operation a route, with the same id; and real responses validate against the
// documented schemas.

func load(t *testing.T, provider string) *openapi3.T {
	t.Helper()
	data, err := fs.ReadFile(openapi.FS, provider+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("%s.yaml: %v", provider, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s.yaml is not valid OpenAPI: %v", provider, err)
	}
	return doc
}

// echoPath turns an OpenAPI path template into the Echo form the route table uses.
func echoPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}

// opID is the documented id of one (route, method, path): the operation id itself,
// with "_get" appended for the GET twin of a route that also answers POST, and
// "_alias<n>" for the route's n-th alias path (OpenAPI ids are unique per document).
func opID(op, method string, methods, alias int) string {
	if methods > 1 && method == http.MethodGet {
		op += "_get"
	}
	if alias > 0 {
		op += "_alias" + strconv.Itoa(alias)
	}
	return op
}

func TestRoutesAndOperationsMatchBothWays(t *testing.T) {
	srv := sandbanktest.Start(t)
	byProvider := map[string]map[string]string{} // provider → "METHOD path" → documented id
	methods := map[string]int{}
	for _, r := range srv.App.Routes() {
		if strings.HasPrefix(r.Path, "/_sandbox/") || r.Alias > 0 {
			continue
		}
		methods[r.Provider+" "+r.Operation]++
	}
	for _, r := range srv.App.Routes() {
		if strings.HasPrefix(r.Path, "/_sandbox/") {
			continue
		}
		if byProvider[r.Provider] == nil {
			byProvider[r.Provider] = map[string]string{}
		}
		byProvider[r.Provider][r.Method+" "+r.Path] = opID(r.Operation, r.Method, methods[r.Provider+" "+r.Operation], r.Alias)
	}
	for provider, routes := range byProvider {
		doc := load(t, provider)
		documented := map[string]string{}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				documented[method+" "+echoPath(path)] = op.OperationID
			}
		}
		var problems []string
		for k, id := range routes {
			if got, ok := documented[k]; !ok {
				problems = append(problems, "route "+k+" ("+id+") is not documented")
			} else if got != id {
				problems = append(problems, "route "+k+": operationId "+got+", want "+id)
			}
		}
		for k, id := range documented {
			if _, ok := routes[k]; !ok {
				problems = append(problems, "documented "+k+" ("+id+") has no route")
			}
		}
		sort.Strings(problems)
		for _, p := range problems {
			t.Errorf("%s: %s", provider, p)
		}
	}
}

// call is one request of the response-validation run.
type call struct {
	method, path string
	form         url.Values
}

func kv(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return v
}

func TestKavenegarResponsesMatchSchemas(t *testing.T) {
	srv := sandbanktest.Start(t)
	doc := load(t, "kavenegar")
	byID := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			byID[op.OperationID] = op
		}
	}
	base := "/kavenegar/v1/contract-key/"
	// Successes of every operation, then errors of several kinds.
	calls := []call{
		{"POST", base + "sms/send.json", kv("receptor", "09121234567,09121234568", "message", "سلام", "localid", "a1,a2")},
		{"GET", base + "sms/send.json?receptor=09121234567&message=hello", nil},
		{"POST", base + "sms/sendarray.json", kv("receptor", `["09121234567","09121234568"]`, "sender", `["10004346","10004346"]`, "message", `["a","b"]`)},
		{"POST", base + "sms/status.json", kv("messageid", "1,2")},
		{"POST", base + "sms/statuslocalmessageid.json", kv("localid", "a1,zz")},
		{"POST", base + "sms/select.json", kv("messageid", "1")},
		{"POST", base + "sms/selectoutbox.json", kv("startdate", "1700000000")},
		{"POST", base + "sms/latestoutbox.json", kv("pagesize", "5")},
		{"POST", base + "sms/cancel.json", kv("messageid", "1")},
		{"POST", base + "sms/receive.json", kv("linenumber", "10004346", "isread", "0")},
		{"POST", base + "sms/countinbox.json", kv("startdate", "1700000000", "linenumber", "10004346")},
		{"POST", base + "sms/countoutbox.json", kv("startdate", "1700000000")},
		{"POST", base + "sms/countpostalcode.json", kv("postalcode", "1966645631")},
		{"POST", base + "sms/sendbypostalcode.json", kv("postalcode", "1966645631", "message", "hi", "mcistartindex", "0", "mcicount", "2", "mtnstartindex", "0", "mtncount", "1")},
		{"POST", base + "verify/lookup.json", kv("receptor", "09121234567", "template", "verify", "token", "852596")},
		{"POST", base + "call/maketts.json", kv("receptor", "09121234567", "message", "کد شما ۱۲۳")},
		{"POST", base + "call/status.json", kv("messageid", "1")},
		{"POST", base + "account/info.json", nil},
		{"POST", base + "account/config.json", kv("apilogs", "enabled")},
		{"GET", "/kavenegar/v1/0/utils/getdate.json", nil},
		{"POST", base + "sms/send.json", kv("receptor", "123", "message", "x")},
		{"POST", base + "verify/lookup.json", kv("receptor", "09121234567", "template", "nope", "token", "1")},
		{"POST", base + "sms/nothing.json", nil},
		{"POST", "/kavenegar/v1/0/sms/send.json", kv("receptor", "09121234567", "message", "x")},
	}
	seen := map[string]bool{}
	for _, c := range calls {
		var res *http.Response
		var err error
		if c.method == "GET" {
			res, err = http.Get(srv.URL + c.path)
		} else {
			res, err = http.PostForm(srv.URL+c.path, c.form)
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		entries := srv.Admin.Journal("limit=1")
		if len(entries) != 1 {
			t.Fatal("journal did not record the call")
		}
		id := opID(entries[0].Operation, c.method, 2, 0)
		op := byID[id]
		if op == nil {
			t.Errorf("%s %s: operation %s not documented", c.method, c.path, id)
			continue
		}
		seen[entries[0].Operation] = true
		resp := op.Responses.Status(res.StatusCode)
		if resp == nil {
			resp = op.Responses.Default()
		}
		if resp == nil || resp.Value == nil {
			t.Errorf("%s: status %d not documented", id, res.StatusCode)
			continue
		}
		mt := resp.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			t.Errorf("%s: no JSON schema for %d", id, res.StatusCode)
			continue
		}
		var body any
		if err := json.Unmarshal(data, &body); err != nil {
			t.Errorf("%s: body is not JSON: %s", id, data)
			continue
		}
		if err := mt.Schema.Value.VisitJSON(body); err != nil {
			t.Errorf("%s %d: response does not match its schema: %v\n%s", id, res.StatusCode, err, data)
		}
	}
	for _, r := range srv.App.Routes() {
		if r.Provider == "kavenegar" && !strings.HasPrefix(r.Path, "/_sandbox/") && !seen[r.Operation] {
			t.Errorf("no response of %s was validated", r.Operation)
		}
	}
}


func TestPaynetResponsesMatchSchemas(t *testing.T) {
	srv := sandbanktest.Start(t)
	doc := load(t, "paynet")
	byID := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			byID[op.OperationID] = op
		}
	}
	post := func(key, path, body string) (int, []byte) {
		req, _ := http.NewRequest("POST", srv.URL+"/paynet/v1/card/"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		if key != "" {
			req.Header.Set("Authorization", "Basic "+key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return res.StatusCode, data
	}
	const k = "sck_contract"
	_, saved := post(k, "save", `{"card_desc":"a","card_holder":"Ali Veli","card_number":"4355084355084358","expire_month":"12","expire_year":"2030","user_unique_id":"u1"}`)
	var s struct{ CardOwnerID, CardHash string }
	var raw map[string]any
	_ = json.Unmarshal(saved, &raw)
	s.CardOwnerID, _ = raw["card_owner_id"].(string)
	s.CardHash, _ = raw["card_hash"].(string)
	if s.CardOwnerID == "" {
		t.Fatalf("save: %s", saved)
	}
	owner := `"card_owner_id":"` + s.CardOwnerID + `"`
	calls := []struct{ key, path, body string }{
		{k, "save", `{"card_desc":"b","card_holder":"Ali Veli","card_number":"375622005485014","expire_month":"10","expire_year":"30",` + owner + `}`},
		{k, "save", `{"card_desc":"b","card_holder":"Ali Veli","card_number":"375622005485014","expire_month":"10","expire_year":"30",` + owner + `}`},
		{k, "save", `{"card_desc":"b","card_holder":"Ali Veli","card_number":"4355084355084359","expire_month":"10","expire_year":"30",` + owner + `}`},
		{k, "list", `{` + owner + `}`},
		{k, "list", `{` + owner + `,"limit":1,"starting_after":1}`},
		{k, "list", `{"card_owner_id":"nope"}`},
		{k, "desc_update", `{` + owner + `,"card_hash":"` + s.CardHash + `","card_desc":"yeni"}`},
		{k, "delete", `{` + owner + `,"card_hash":"` + s.CardHash + `"}`},
		{k, "delete", `{` + owner + `,"card_hash":"` + s.CardHash + `"}`},
		{k, "send_otp", `{"user_gsm":"5321234567","otp_session_id":"c1"}`},
		{k, "check_otp", `{"user_gsm":"5321234567","otp_session_id":"c1","otp_code":"x"}`},
		{k, "check_otp", `{"user_gsm":"5321234567","otp_session_id":"none","otp_code":"x"}`},
		{"", "list", `{` + owner + `}`},
		{k, "list", `{`},
		{"sck_sandbank_company_blocked", "list", `{` + owner + `}`},
		{"sck_sandbank_server_error", "save", `{"card_desc":"b","card_holder":"c","card_number":"4355084355084358","expire_month":"1","expire_year":"30","user_unique_id":"u"}`},
	}
	seen := map[string]bool{}
	for _, c := range calls {
		status, data := post(c.key, c.path, c.body)
		entries := srv.Admin.Journal("limit=1")
		if len(entries) != 1 {
			t.Fatal("journal did not record the call")
		}
		id := entries[0].Operation
		op := byID[id]
		if op == nil {
			t.Errorf("%s: operation %s not documented", c.path, id)
			continue
		}
		seen[id] = true
		resp := op.Responses.Status(status)
		if resp == nil {
			resp = op.Responses.Default()
		}
		if resp == nil || resp.Value == nil {
			t.Errorf("%s: status %d not documented", id, status)
			continue
		}
		mt := resp.Value.Content.Get("application/json")
		var body any
		if err := json.Unmarshal(data, &body); err != nil {
			t.Errorf("%s: body is not JSON: %s", id, data)
			continue
		}
		if err := mt.Schema.Value.VisitJSON(body); err != nil {
			t.Errorf("%s %d: response does not match its schema: %v\n%s", id, status, err, data)
		}
	}
	for _, r := range srv.App.Routes() {
		if r.Provider == "paynet" && !strings.HasPrefix(r.Path, "/_sandbox/") && !seen[r.Operation] {
			t.Errorf("no response of %s was validated", r.Operation)
		}
	}
}
