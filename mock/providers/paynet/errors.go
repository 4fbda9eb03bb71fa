package paynet

import (
	"net/http"
	"path"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// okMessage is the message of every success but card/list (whose official sample
// answers message null).
const okMessage = "Başarılı İşlem"

const (
	codeOldSuccess = "100"
	codeNoData     = "12"
	codeBadRequest = "11"
	codeUnauth     = "7"
	codeServer     = "8"
	codeDuplicate  = "5"
	codeCardData   = "18"
	codeFailed     = "1"
)

// catalogue is Paynet's return-code table ("Dönüş Kodları", 0 is success and not
// listed) plus the codes only the Laravel SDK's enum knows (22-26, 200, 201). The
// names are documented, the texts are not: these Turkish texts are sandbank's.
// Status 200 means the code travels in the HTTP 200 envelope {object_name, code,
// message}; any other status sends the error object {type, message, code,
// result_code}. The split follows the documented error types: authorization
// problems 401/403, malformed input 400, Paynet-side failure 500, and business
// outcomes in the envelope, which the SDK reads the same way.
var catalogue = envelope.Catalogue{
	"1":   {Status: 200, Message: "İşlem başarısız"},
	"2":   {Status: 403, Message: "Firma bloke durumda"},
	"3":   {Status: 403, Message: "Bayi bloke durumda"},
	"4":   {Status: 200, Message: "Bayi bulunamadı"},
	"5":   {Status: 200, Message: "Bu kayıt daha önce yapılmış"},
	"6":   {Status: 200, Message: "İşlem yapılmadı"},
	"7":   {Status: 401, Message: "Yetkisiz erişim, API anahtarınız yanlış"},
	"8":   {Status: 500, Message: "Sunucu hatası"},
	"9":   {Status: 200, Message: "Bu servis uygulanmamış"},
	"10":  {Status: 200, Message: "Zaman aşımı"},
	"11":  {Status: 400, Message: "Hatalı istek"},
	"12":  {Status: 200, Message: "Kayıt bulunamadı"},
	"13":  {Status: 200, Message: "Oturum bulunamadı"},
	"14":  {Status: 200, Message: "Hatalı BIN"},
	"15":  {Status: 200, Message: "İşlem eşleşmedi"},
	"16":  {Status: 200, Message: "3D doğrulama hatası"},
	"17":  {Status: 200, Message: "Oturum daha önce kullanılmış"},
	"18":  {Status: 200, Message: "Hatalı kart bilgisi"},
	"19":  {Status: 200, Message: "Hatalı işlem tipi"},
	"20":  {Status: 200, Message: "Hatalı POS tipi"},
	"21":  {Status: 200, Message: "Oran bilgisi alınamadı"},
	"22":  {Status: 200, Message: "Son kullanma tarihi hatalı"},
	"23":  {Status: 200, Message: "Oran kodu bulunamadı"},
	"24":  {Status: 200, Message: "Fatura numarası bulunamadı"},
	"25":  {Status: 200, Message: "Kart bulunamadı"},
	"26":  {Status: 200, Message: "Kart anahtarı tanımsız"},
	"100": {Status: 200, Message: "Daha önce başarılı"},
	"200": {Status: 200, Message: "Abonelik açık"},
	"201": {Status: 200, Message: "Abonelik kapalı"},
}

// errorCodes is every code a scenario may force on any operation. 100
// (oldsuccessful) is included: forcing it performs the call and answers its
// normal body with code 100, as the SDK treats 100 as success.
var errorCodes = catalogue.Codes()

func errCode(code string) *envelope.Error { return catalogue.Err(code) }

func errWith(code, msg string) *envelope.Error { return catalogue.With(code, msg) }

func badRequest(msg string) *envelope.Error { return catalogue.With(codeBadRequest, msg) }

// errorObject is the body of every non-200 answer.
type errorObject struct {
	Type       string `json:"type"`
	Message    string `json:"message"`
	Code       int    `json:"code"`
	ResultCode int    `json:"result_code"`
}

// result is the envelope of a 200 answer that carries no other field.
type result struct {
	ObjectName string  `json:"object_name"`
	Code       int     `json:"code"`
	Message    *string `json:"message"`
}

// wire is Paynet's envelope. object is the operation's object_name (the route
// path ends in the method name: card/save → card_save); empty for the host's
// envelope, which answers only non-200 errors (no object_name).
type wire struct{ object string }

func (w wire) OK(c echo.Context, status int, v any) error { return api.JSON(c, status, v) }

// Err writes e as Paynet does: a 200 envelope for business codes, the error
// object with code equal to the HTTP status for the rest.
func (w wire) Err(c echo.Context, e *envelope.Error) error {
	if e.Kind == envelope.KindProvider && !catalogue.Has(e.Code) {
		e = &envelope.Error{Kind: envelope.KindInternal}
	}
	code, status, msg := catalogue.Resolve(e, raised)
	n, _ := strconv.Atoi(code)
	if status == http.StatusOK {
		object := w.object
		if object == "" {
			object = "card_" + path.Base(c.Path())
		}
		return api.JSON(c, status, result{ObjectName: object, Code: n, Message: &msg})
	}
	return api.JSON(c, status, errorObject{Type: errorType(status, e.Kind), Message: msg, Code: status, ResultCode: n})
}

// errorType names the documented error type of a status. A 404 is no_data_error
// (a record not found), except for a path Paynet does not have: that is an
// invalid request.
func errorType(status int, kind envelope.Kind) string {
	switch {
	case kind == envelope.KindNotFound:
		return "invalid_request_error"
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return "authorization_error"
	case status == http.StatusNotFound:
		return "no_data_error"
	case status >= 500:
		return "api_error"
	}
	return "invalid_request_error"
}

// raised maps errors the engine raises outside a handler onto Paynet answers. An
// unknown path is a service Paynet does not have (notimplemented), a wrong method
// or an unreadable or oversized body a bad request, a panic a server error.
var raised = envelope.Raised{
	envelope.KindNotFound:         {Status: http.StatusNotFound, Code: "9", Message: "İstenen servis bulunamadı"},
	envelope.KindMethodNotAllowed: {Status: http.StatusMethodNotAllowed, Code: codeBadRequest, Message: "İzin verilmeyen yöntem, servisler yalnızca POST kabul eder"},
	envelope.KindTooLarge:         {Status: http.StatusBadRequest, Code: codeBadRequest, Message: "İstek gövdesi çok büyük"},
	envelope.KindBadRequest:       {Status: http.StatusBadRequest, Code: codeBadRequest, Message: "İstek gövdesi okunamadı"},
	envelope.KindInternal:         {Status: http.StatusInternalServerError, Code: codeServer, Message: "Sunucu hatası"},
}
