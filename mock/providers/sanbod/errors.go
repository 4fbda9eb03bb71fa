package sanbod

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/providers/sanbod/bank"
)

// codeDef is one line of the provider's own error table: the §4 case that picks
// its HTTP status, the field the message is reported under, the Persian text.
// Sanbod publishes no error table, so codes and texts are ours (doc.go); the
// fields follow the one real error body known, {"scope": ["…"]}.
type codeDef struct {
	kase   string
	status int // only for caseRoute, whose status is the HTTP meaning itself
	field  string
	msg    string
}

// Provider error codes. The bank package's codes (balance, floor, consent...) are
// merged in at New.
var codeDefs = map[string]codeDef{
	"TRACEID_REQUIRED":       {kase: caseValidation, field: "traceid", msg: "ارسال پارامتر traceid الزامی است."},
	"TOKEN_MISSING":          {kase: caseToken, field: "token", msg: "توکن دسترسی ارسال نشده است."},
	"TOKEN_INVALID":          {kase: caseToken, field: "token", msg: "توکن دسترسی نامعتبر است."},
	"TOKEN_EXPIRED":          {kase: caseToken, field: "token", msg: "توکن دسترسی منقضی شده است."},
	"TOKEN_REVOKED":          {kase: caseToken, field: "token", msg: "توکن دسترسی باطل شده است."},
	"SCOPE_DENIED":           {kase: caseScope, field: "scope", msg: "توکن دسترسی به این سرویس را ندارد."},
	"GRANT_DENIED":           {kase: caseScope, field: "scope", msg: "این سرویس با این نوع توکن قابل فراخوانی نیست."},
	"CLIENT_INVALID":         {kase: caseClient, field: "client", msg: "اطلاعات کلاینت نامعتبر است."},
	"CLIENT_ID_REQUIRED":     {kase: caseValidation, field: "client_id", msg: "این فیلد الزامی است."},
	"CLIENT_ID_UNKNOWN":      {kase: caseValidation, field: "client_id", msg: "کلاینتی با این شناسه ثبت نشده است."},
	"PROVIDER_CODE_REQUIRED": {kase: caseValidation, field: "provider_code", msg: "این فیلد الزامی است."},
	"PROVIDER_CODE_INVALID":  {kase: caseValidation, field: "provider_code", msg: "کد بانک نامعتبر است."},
	"RESPONSE_TYPE_INVALID":  {kase: caseValidation, field: "response_type", msg: "مقدار response_type باید code باشد."},
	"SCOPE_REQUIRED":         {kase: caseValidation, field: "scope", msg: "حداقل یک سرویس (scope) باید انتخاب شود."},
	"SCOPE_INVALID":          {kase: caseValidation, field: "scope", msg: "سرویس (scope) نامعتبر است."},
	"REDIRECT_URI_INVALID":   {kase: caseValidation, field: "redirect_uri", msg: "آدرس بازگشت نامعتبر است."},
	"STATE_INVALID":          {kase: caseValidation, field: "state", msg: "مقدار state باید عدد یا رشته باشد."},
	"GRANT_TYPE_INVALID":     {kase: caseValidation, field: "grant_type", msg: "نوع grant_type پشتیبانی نمی\u200cشود."},
	"CODE_REQUIRED":          {kase: caseValidation, field: "code", msg: "این فیلد الزامی است."},
	"CODE_INVALID":           {kase: caseValidation, field: "code", msg: "کد احراز هویت نامعتبر، استفاده\u200cشده یا منقضی است."},
	"REDIRECT_URI_MISMATCH":  {kase: caseValidation, field: "redirect_uri", msg: "آدرس بازگشت با آدرس درخواست اولیه یکسان نیست."},
	"REFRESH_TOKEN_REQUIRED": {kase: caseValidation, field: "refresh_token", msg: "این فیلد الزامی است."},
	"REFRESH_TOKEN_INVALID":  {kase: caseValidation, field: "refresh_token", msg: "توکن تمدید نامعتبر یا منقضی شده است."},
	"ACCESS_TOKEN_REQUIRED":  {kase: caseValidation, field: "access_token", msg: "این فیلد الزامی است."},
	"ACCESS_TOKEN_INVALID":   {kase: caseValidation, field: "access_token", msg: "توکن ارسال شده نامعتبر است."},
	"BODY_INVALID":           {kase: caseValidation, field: "detail", msg: "بدنه درخواست JSON معتبر نیست."},
	"FIELD_INVALID":          {kase: caseValidation, field: "detail", msg: "نوع مقدار این فیلد نامعتبر است."},
	"SESSION_UNKNOWN":        {kase: caseRoute, status: http.StatusNotFound, field: "session", msg: "درخواست ورود یافت نشد."},
	"SESSION_EXPIRED":        {kase: caseValidation, field: "session", msg: "مهلت ورود به پایان رسیده است؛ دوباره از ابتدا اقدام کنید."},
	"SESSION_DONE":           {kase: caseValidation, field: "session", msg: "این درخواست قبلاً تأیید یا رد شده است."},
	"NOT_FOUND":              {kase: caseRoute, status: http.StatusNotFound, field: "detail", msg: "آدرس درخواست شده یافت نشد."},
	"METHOD_NOT_ALLOWED":     {kase: caseRoute, status: http.StatusMethodNotAllowed, field: "detail", msg: "متد درخواست برای این آدرس مجاز نیست."},
	"BODY_TOO_LARGE":         {kase: caseRoute, status: http.StatusRequestEntityTooLarge, field: "detail", msg: "حجم درخواست بیش از حد مجاز است."},
	"BANK_UNAVAILABLE":       {kase: caseRoute, status: http.StatusServiceUnavailable, field: "detail", msg: "سامانه بانک در دسترس نیست؛ لطفاً بعداً تلاش کنید."},
}

// entry is a resolved catalogue line: status after the configured §4 table.
type entry struct {
	status int
	field  string
	msg    string
}

// errorTable merges the provider codes with the bank's, resolving statuses from
// the configured §4 table. A bank code answered 400 follows the "validation" or
// "business" case as the bank classes it; other bank statuses (502, 504) are kept.
func errorTable(s *settings) (map[string]entry, envelope.Catalogue, error) {
	tab := map[string]entry{}
	for code, d := range codeDefs {
		st := d.status
		if d.kase != caseRoute {
			st = s.statuses[d.kase]
		}
		tab[code] = entry{status: st, field: d.field, msg: d.msg}
	}
	for code, e := range bank.Codes() {
		if _, dup := tab[code]; dup {
			return nil, nil, fmt.Errorf("sanbod: bank code %s clashes with a provider code", code)
		}
		st := e.Status
		if st == http.StatusBadRequest || st < 400 {
			st = s.statuses[caseBusiness]
			if bank.IsValidation(code) {
				st = s.statuses[caseValidation]
			}
		}
		field := bank.FieldOf(code)
		if field == "" {
			field = "detail"
		}
		tab[code] = entry{status: st, field: field, msg: e.Message}
	}
	cat := envelope.Catalogue{}
	for code, e := range tab {
		cat[code] = envelope.Entry{Status: e.status, Message: e.msg}
	}
	return tab, cat, nil
}

// fail is the provider's error for code with the catalogue text.
func (p *Provider) fail(code string) *envelope.Error { return p.cat.Err(code) }

// failField reports code under another field than its default one (a type error
// names the field that had the wrong type).
func (p *Provider) failField(code, field, msg string) *envelope.Error {
	e := p.cat.Err(code)
	if msg == "" {
		msg = e.Message
	}
	e.Message = msg
	e.Fields = map[string][]string{field: {msg}}
	return e
}

// raised maps errors the engine raises outside any handler onto provider codes. A
// panic becomes 503 "bank unavailable, retry later": the request was not judged,
// and a 500 would break the rule that no input earns one.
var raised = envelope.Raised{
	envelope.KindNotFound:         {Code: "NOT_FOUND"},
	envelope.KindMethodNotAllowed: {Code: "METHOD_NOT_ALLOWED"},
	envelope.KindTooLarge:         {Code: "BODY_TOO_LARGE"},
	envelope.KindBadRequest:       {Code: "BODY_INVALID"},
	envelope.KindInternal:         {Code: "BANK_UNAVAILABLE"},
}

// failure is the error envelope of §4. traceid and trace_id echo the request's
// traceid, as on successes, when it sent one.
type failure struct {
	Error        bool                `json:"error"`
	Message      map[string][]string `json:"message"`
	ResultNumber int                 `json:"result_number"`
	TraceID      traceEcho           `json:"traceid,omitempty"`
	TraceIDStr   string              `json:"trace_id,omitempty"`
}

// wire is Sanbod's envelope: success {error:false, message, result_number,
// traceid, trace_id} (built by serve); errors below.
type wire struct{ p *Provider }

func (w wire) OK(c echo.Context, status int, v any) error { return api.JSON(c, status, v) }

// Err writes e as {"error":true,"message":{"<field>":["…"]},"result_number":0}
// with an HTTP status of at least 400: the Go SDK treats only status >= 400 as a
// failure, so an error sent with 200 would pass as success.
func (w wire) Err(c echo.Context, e *envelope.Error) error {
	p := w.p
	code, status, msg := e.Code, e.Status, e.Message
	if _, engine := raised[e.Kind]; (engine && e.Kind != envelope.KindProvider) || p.cat.Has(code) {
		code, status, msg = p.cat.Resolve(e, raised)
	}
	fields := e.Fields
	if en, known := p.errs[code]; known {
		status = en.status
		msg = en.msg
		if e.Kind == envelope.KindProvider && e.Message != "" {
			msg = e.Message
		}
		if len(fields) == 0 {
			fields = map[string][]string{en.field: {msg}}
		}
	}
	if len(fields) == 0 {
		if msg == "" {
			msg = p.errs["BANK_UNAVAILABLE"].msg
		}
		fields = map[string][]string{"detail": {msg}}
	}
	if status < 400 || status > 599 {
		status = http.StatusBadRequest
	}
	tid := api.TrackID(c)
	return api.JSON(c, status, failure{Error: true, Message: fields, TraceID: traceEcho(tid), TraceIDStr: tid})
}
