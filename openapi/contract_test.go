package openapi_test

import (
	"context"
	"encoding/base64"
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
// anyParams names every path parameter ":" so that routes of one path whose
// methods name a parameter differently (Vandar's settlement show takes
// :settlement_id, its cancel :transaction_id) match the single OpenAPI path.
func anyParams(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = ":"
		}
	}
	return strings.Join(parts, "/")
}

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
		byProvider[r.Provider][r.Method+" "+anyParams(r.Path)] = opID(r.Operation, r.Method, methods[r.Provider+" "+r.Operation], r.Alias)
	}
	for provider, routes := range byProvider {
		doc := load(t, provider)
		documented := map[string]string{}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				documented[method+" "+anyParams(echoPath(path))] = op.OperationID
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

// schemaCheck validates real replies against a provider's OpenAPI document: the
// operation the journal recorded for the call, its status, and its body (a JSON
// schema, documented HTML, or a redirect without a body).
type schemaCheck struct {
	t        *testing.T
	srv      *sandbanktest.Server
	provider string
	byID     map[string]*openapi3.Operation
	methods  map[string]int // HTTP methods per operation, for the _get twins
	seen     map[string]bool
}

func newSchemaCheck(t *testing.T, srv *sandbanktest.Server, provider string) *schemaCheck {
	s := &schemaCheck{t: t, srv: srv, provider: provider, byID: map[string]*openapi3.Operation{}, methods: map[string]int{}, seen: map[string]bool{}}
	for _, item := range load(t, provider).Paths.Map() {
		for _, op := range item.Operations() {
			s.byID[op.OperationID] = op
		}
	}
	for _, r := range srv.App.Routes() {
		if r.Provider == provider && r.Alias == 0 && !strings.HasPrefix(r.Path, "/_sandbox/") {
			s.methods[r.Operation]++
		}
	}
	return s
}

// reply checks the reply to the last call made with method.
func (s *schemaCheck) reply(method string, res *http.Response, data []byte) {
	s.t.Helper()
	entries := s.srv.Admin.Journal("provider=" + s.provider + "&limit=1")
	if len(entries) != 1 {
		s.t.Fatalf("%s %s: journal did not record the call", method, res.Request.URL)
	}
	s.seen[entries[0].Operation] = true
	id := opID(entries[0].Operation, method, s.methods[entries[0].Operation], 0)
	op := s.byID[id]
	if op == nil {
		s.t.Errorf("%s %s: operation %s not documented", method, res.Request.URL, id)
		return
	}
	resp := op.Responses.Status(res.StatusCode)
	if resp == nil {
		resp = op.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		s.t.Errorf("%s: status %d not documented", id, res.StatusCode)
		return
	}
	if len(data) == 0 && res.StatusCode == http.StatusFound {
		return
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if resp.Value.Content.Get("text/html") == nil {
			s.t.Errorf("%s %d: HTML not documented", id, res.StatusCode)
		}
		return
	}
	if ct := res.Header.Get("Content-Type"); strings.HasPrefix(ct, "image/") {
		if resp.Value.Content.Get(ct) == nil {
			s.t.Errorf("%s %d: %s not documented", id, res.StatusCode, ct)
		}
		return
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		s.t.Errorf("%s: no JSON schema for %d", id, res.StatusCode)
		return
	}
	var body any
	if err := json.Unmarshal(data, &body); err != nil {
		s.t.Errorf("%s: body is not JSON: %s", id, data)
		return
	}
	if err := mt.Schema.Value.VisitJSON(body); err != nil {
		s.t.Errorf("%s %d: response does not match its schema: %v\n%s", id, res.StatusCode, err, data)
	}
}

// everyOperation reports the provider's operations no reply was checked for.
func (s *schemaCheck) everyOperation() {
	s.t.Helper()
	for op := range s.methods {
		if !s.seen[op] {
			s.t.Errorf("no response of %s was validated", op)
		}
	}
}

func TestKavenegarResponsesMatchSchemas(t *testing.T) {
	srv := sandbanktest.Start(t)
	sc := newSchemaCheck(t, srv, "kavenegar")
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
		sc.reply(c.method, res, data)
	}
	sc.everyOperation()
}

func TestPaynetResponsesMatchSchemas(t *testing.T) {
	srv := sandbanktest.Start(t)
	sc := newSchemaCheck(t, srv, "paynet")
	post := func(key, path, body string) []byte {
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
		sc.reply(http.MethodPost, res, data)
		return data
	}
	const k = "sck_contract"
	saved := post(k, "save", `{"card_desc":"a","card_holder":"Ali Veli","card_number":"4355084355084358","expire_month":"12","expire_year":"2030","user_unique_id":"u1"}`)
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
	for _, c := range calls {
		post(c.key, c.path, c.body)
	}
	for _, logo := range []string{"AXSS.png", "NOPE.png"} {
		res, err := http.Get(srv.URL + "/paynet/img/banklogo/small/" + logo)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		sc.reply(http.MethodGet, res, data)
	}
	sc.everyOperation()
}

func TestFinnotechResponsesMatchSchemas(t *testing.T) {
	srv := sandbanktest.Start(t)
	sc := newSchemaCheck(t, srv, "finnotech")
	base := srv.URL + "/finnotech"
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("contract:secret"))
	// send makes one call and validates its reply against the operation the
	// journal names; it returns the decoded JSON (nil for HTML and redirects).
	send := func(method, path, ctype, body, auth string) (int, map[string]any, http.Header) {
		t.Helper()
		u := path
		if !strings.HasPrefix(u, "http") {
			u = base + path
		}
		req, _ := http.NewRequest(method, u, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		sc.reply(method, res, data)
		var out map[string]any
		_ = json.Unmarshal(data, &out)
		return res.StatusCode, out, res.Header
	}
	result := func(m map[string]any, k string) string {
		r, _ := m["result"].(map[string]any)
		s, _ := r[k].(string)
		return s
	}
	const js = "application/json"
	_, cc, _ := send("POST", "/dev/v2/oauth2/token", js, `{"grant_type":"client_credentials","nid":"0012345678","scopes":"card:list:get,card:information:get,oak:card-balance:get,oak:card-statement:get,boomrang:tokens:get"}`, basic)
	bearerCC := "Bearer " + result(cc, "value")
	send("POST", "/dev/v2/oauth2/token", js, `{"grant_type":"refresh_token","token_type":"CLIENT-CREDENTIAL","refresh_token":"`+result(cc, "refreshToken")+`"}`, basic)
	send("POST", "/dev/v2/oauth2/token", js, `{"grant_type":"client_credentials"}`, basic)
	send("POST", "/dev/v2/oauth2/token", js, `{}`, "")

	// The dance over its pages.
	q := "client_id=contract&response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&bank=062&state=s&scope=oak:card-charge:execute,oak:card-charge-inquiry:get,oak:valid-card:get,oak:balance:get"
	_, _, h := send("GET", "/dev/v2/oauth2/authorize?"+q, "", "", "")
	login := h.Get("Location")
	send("GET", "/dev/v2/oauth2/authorize?client_id=contract&response_type=token", "", "", "")
	send("GET", login, "", "", "")
	session := login[strings.Index(login, "session=")+len("session="):]
	form := "application/x-www-form-urlencoded"
	send("POST", "/dev/v2/oauth2/bank/login", form, "session="+session+"&username=1111111111&password=x", "")
	_, _, h = send("POST", "/dev/v2/oauth2/bank/login", form, "session="+session+"&username=1111111111&password=1111111111", "")
	send("GET", h.Get("Location"), "", "", "")
	_, _, h = send("POST", "/dev/v2/oauth2/bank/consent", form, "session="+session+"&action=approve&deposits=0211111111111", "")
	code := h.Get("Location")[strings.Index(h.Get("Location"), "code=")+len("code="):]
	code = strings.SplitN(code, "&", 2)[0]
	_, ac, _ := send("POST", "/dev/v2/oauth2/token", js, `{"grant_type":"authorization_code","code":"`+code+`","bank":"062","redirect_uri":"https://app.example/cb"}`, basic)
	bearerAC := "Bearer " + result(ac, "value")

	// The SMS variant.
	_, sms, _ := send("GET", "/dev/v2/oauth2/authorize?auth_type=SMS&client_id=contract&response_type=code&redirect_uri=https://app.example/cb&scope=credit:user-info:get&mobile=09121234567", "", "", basic)
	var box struct{ Messages []struct{ OTP string } }
	srv.Admin.Get("/finnotech/otp?mobile=09121234567", &box)
	_, ver, _ := send("POST", "/dev/v2/oauth2/verify/sms", js, `{"mobile":"09121234567","otp":"`+box.Messages[0].OTP+`","nid":"0012345678","trackId":"`+result(sms, "trackId")+`"}`, basic)
	send("POST", "/dev/v2/oauth2/verify/sms", js, `{"mobile":"09121234567","otp":"zzzzz","nid":"0012345678","trackId":"x"}`, basic)
	send("POST", "/dev/v2/oauth2/token", js, `{"grant_type":"authorization_code","code":"`+result(ver, "code")+`","auth_type":"SMS","redirect_uri":"https://app.example/cb"}`, basic)

	// Services, successes and errors.
	send("GET", "/mpg/v2/clients/contract/cards?mobile=09121234567", "", "", bearerCC)
	send("GET", "/mpg/v2/clients/contract/cards?mobile=123", js, "", bearerCC)
	send("GET", "/mpg/v2/clients/contract/cards/6273530000013899?sandbox=true", "", "", bearerCC)
	send("GET", "/mpg/v2/clients/contract/cards/6273530000013899", "", "", "Bearer nope")
	send("POST", "/oak/v2/clients/contract/deposits/0211111111111/chargeCard?trackId=ct-1", js, `{"amount":20000,"card":"6362144202902795"}`, bearerAC)
	send("POST", "/oak/v2/clients/contract/deposits/0211111111111/chargeCard?trackId=ct-2", js, `{"amount":20000,"card":"6037991234567890"}`, bearerAC)
	send("POST", "/oak/v2/clients/contract/deposits/0211111111111/chargeCard?trackId=ct-1", js, `{"amount":20000,"card":"6362144202902795"}`, bearerAC)
	send("POST", "/oak/v2/clients/contract/inquiryChargeCard?trackId=ct-3", js, `{"trackId":"ct-1"}`, bearerAC)
	send("POST", "/oak/v2/clients/contract/inquiryChargeCard?trackId=ct-4", js, `{"trackId":"never"}`, bearerAC)
	send("POST", "/oak/v2/clients/contract/getValidCard?trackId=ct-5", js, `{"card":"6362142376876523"}`, bearerAC)
	send("POST", "/oak/v2/clients/contract/getValidCard", js, `{"card":"6362142376876523"}`, bearerAC)
	send("POST", "/oak/v2/clients/contract/card/balance?trackId=ct-6", js, `{"card":"6362144202902795"}`, bearerCC)
	send("POST", "/oak/v2/clients/contract/card/statement?trackId=ct-7", js, `{"card":"6362144202902795"}`, bearerCC)
	send("GET", "/oak/v2/clients/contract/deposits/0211111111111/balance", "", "", bearerAC)
	send("GET", "/oak/v2/clients/contract/deposits/0211111111112/balance", "", "", bearerAC)
	send("GET", "/dev/v2/clients/contract/tokens", "", "", bearerCC)
	send("GET", "/dev/v2/clients/contract/tokens?bank=062", "", "", bearerCC)
	send("DELETE", "/dev/v2/clients/contract/token", js, `{"token":"`+result(ac, "value")+`","token_type":"CODE","bank":"062"}`, bearerCC)
	send("DELETE", "/dev/v2/clients/contract/token", js, `{"token":"none","token_type":"CODE"}`, bearerCC)
	sc.everyOperation()
}

// sanbodCall is the body and bearer token of one Sanbod service call.
type sanbodCall struct {
	body, auth string
}

func TestSanbodResponsesMatchSchemas(t *testing.T) {
	srv := sandbanktest.Start(t)
	sc := newSchemaCheck(t, srv, "sanbod")
	base := srv.URL + "/api.sanbod.co"
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, path, ctype, body string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		sc.reply(method, res, data)
		return res, data
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("contract:secret"))
	tokenOf := func(data []byte) (string, string) {
		var raw map[string]any
		_ = json.Unmarshal(data, &raw)
		a, _ := raw["access_token"].(string)
		r, _ := raw["refresh_token"].(string)
		return a, r
	}

	// The dance, through the pages, on both authorize spellings and methods.
	authz := `{"provider_code":"059","redirect_uri":"https://app.example/cb","scope":["statement","normaltransfer","achtransfer","achreport","rtgstransfer","rtgsreport"],"client_id":"contract","response_type":"code","state":7000}`
	send("POST", "/oauth/v1/authorize?traceid=1", "application/json", authz)
	send("GET", "/oautht/v1/authorize?traceid=1&provider_code=057&redirect_uri=https://app.example/cb&scope=statement&client_id=contract&response_type=code", "", "")
	send("POST", "/oautht/v1/authorize?traceid=1", "application/json", `{"provider_code":"1"}`)
	res, _ := send("POST", "/oautht/v1/authorize?traceid=1", "application/json", authz)
	login := strings.TrimPrefix(res.Header.Get("Location"), base)
	send("GET", login, "", "")
	send("POST", login, "application/x-www-form-urlencoded", "username=ela&password=0")
	res, _ = send("POST", login, "application/x-www-form-urlencoded", "username=ela&password=1234&national_code=0012345679")
	consent := strings.TrimPrefix(res.Header.Get("Location"), base)
	send("GET", consent, "", "")
	send("POST", consent, "application/x-www-form-urlencoded", "action=approve")
	res, _ = send("POST", consent, "application/x-www-form-urlencoded", "action=approve&deposits=119-813-218257-4&deposits=119-813-218257-5")
	send("GET", "/oauth/v1/login/unknown", "", "")
	back, _ := url.Parse(res.Header.Get("Location"))

	// The seed's Get AC Token posts the code to the authorize URL; its refresh sends no traceid.
	_, data := send("POST", "/oautht/v1/authorize?traceid=123456", "application/json", `{"grant_type":"authorization_code","code":"`+back.Query().Get("code")+`"}`, "Authorization", basic)
	_, refresh := tokenOf(data)
	_, data = send("POST", "/oauth/v1/token", "application/json", `{"grant_type":"refresh_token","refresh_token":"`+refresh+`"}`, "Authorization", basic)
	ac, _ := tokenOf(data)
	_, data = send("POST", "/oauth/v1/token?traceid=1", "application/json", `{"grant_type":"client_credentials","provider_code":"999","scope":["ibaninquiry","cardtoiban","cardtodeposit","deposittoiban","ibantodeposit","mobilenationalid","cardnationalid","personal","personalwithimage"]}`, "Authorization", basic)
	cc, _ := tokenOf(data)
	send("POST", "/oauth/v1/token?traceid=1", "application/json", `{"grant_type":"password"}`, "Authorization", basic)

	bodies := map[string]sanbodCall{
		"normaltransfer":    {body: `{"sourceDepositNumber":"119-813-218257-4","destinationDepositNumber":"119-813-218257-5","transferAmount":"20000"}`, auth: ac},
		"achtransfer":       {body: `{"sourceDepositNumber":"119-813-218257-4","iban":"IR880540126030100979988607","transferAmount":"20000","receiverFirstName":"سارا","receiverLastName":"کاویانی","description":"رستوران"}`, auth: ac},
		"rtgstransfer":      {body: `{"sourceDepositNumber":"119-813-218257-4","destinationIban":"IR880540126030100979988607","transferAmount":"160000000","receiverFirstName":"سارا","receiverLastName":"کاویانی","description":"x"}`, auth: ac},
		"statement":         {body: `{"depositNumber":"119-813-218257-4"}`, auth: ac},
		"achreport":         {body: `{"depositNumber":"119-813-218257-4"}`, auth: ac},
		"rtgsreport":        {body: `{"depositNumber":"119-813-218257-4"}`, auth: ac},
		"deposittoiban":     {body: `{"depositNumber":"213.8000.14707021.1","provider":"057"}`, auth: cc},
		"cardtoiban":        {body: `{"cardNumber":"5022291301984702"}`, auth: cc},
		"cardtodeposit":     {body: `{"cardNumber":"5022291301984702"}`, auth: cc},
		"ibantodeposit":     {body: `{"iban":"IR660570021380014707021101"}`, auth: cc},
		"ibaninquiry":       {body: `{"iban":"IR660570021380014707021101"}`, auth: cc},
		"mobilenationalid":  {body: `{"mobileNumber":"09121234567","nationalId":"0012345679"}`, auth: cc},
		"cardnationalid":    {body: `{"mobileNumber":"09121234567","nationalId":"0012345679","cardNumber":"5022291301984702"}`, auth: cc},
		"personal":          {body: `{"nationalId":"0012345679","birthDate":"1370/01/01"}`, auth: cc},
		"personalwithimage": {body: `{"nationalId":"0012345679","birthDate":"1370/01/01"}`, auth: cc},
	}
	for _, r := range srv.App.Routes() {
		if r.Provider != "sanbod" || strings.HasPrefix(r.Path, "/_sandbox") || strings.HasPrefix(r.Path, "/oaut") {
			continue
		}
		b := bodies[r.Path[strings.LastIndex(r.Path, "/")+1:]]
		send("POST", r.Path+"?traceid=c1", "application/json", b.body, "Authorization", "Bearer "+b.auth)
		send("POST", r.Path+"?traceid=c1", "application/json", `{}`, "Authorization", "Bearer "+b.auth)
	}
	send("POST", "/banks/v1/statement?traceid=1", "application/json", `{"depositNumber":"119-813-218257-4"}`, "Authorization", "Bearer "+cc)
	send("POST", "/banks/v1/statement", "application/json", `{}`)
	send("POST", "/oauth/v1/revoke?traceid=1", "application/x-www-form-urlencoded", "access_token="+ac)
	send("POST", "/oauth/v1/revoke?traceid=1", "application/json", `{}`)
	sc.everyOperation()
}
