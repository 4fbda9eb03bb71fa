package finnotech

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/providers/finnotech/bank"
)

// Gateway error codes. Finnotech's generic-errors page was never found (§3.2), so
// only VALIDATION_ERROR, UNAUTHORIZED, REQUEST_TIME_OUT and SERVICE_CALL_ERROR are
// Finnotech's own; the others are the names sandbank gives to statuses it must
// answer (404, 405, 413, 500) and are documented as inferred in doc.go.
const (
	codeValidation   = "VALIDATION_ERROR"
	codeUnauthorized = "UNAUTHORIZED"
	codeTimeout      = "REQUEST_TIME_OUT"
	codeServiceCall  = "SERVICE_CALL_ERROR"
	codeNotFound     = "NOT_FOUND"
	codeMethod       = "METHOD_NOT_ALLOWED"
	codeTooLarge     = "REQUEST_TOO_LARGE"
	codeInternal     = "INTERNAL_SERVER_ERROR"

	// Catalogue keys that go on the wire as VALIDATION_ERROR with a fixed message,
	// so a scenario can force one exact documented body ("failure: INVALID_TOKEN").
	keyInvalidToken  = "INVALID_TOKEN"
	keyDuplicate     = "DUPLICATE_TRACK_ID"
	keyConditions    = "ACCOUNT_CONDITIONS"
	keyMaxAmount     = "MAX_AMOUNT_EXCEEDED"
	keyInvalidDep    = "INVALID_DEPOSIT"
	keyOTPInvalid    = "INVALID_OTP"
	keyOTPExpired    = "OTP_EXPIRED"
	keyBadClientCred = "INVALID_CLIENT"
	keyInvalidCard   = "INVALID_CARD" // card inquiry (mpg) of a malformed card number
)

// Messages Finnotech documents verbatim (§2.3, §3.2).
const (
	msgInvalidToken = "invalid token"
	msgDuplicate    = "trackId is duplicated"
	msgConditions   = "account conditions not passed"
	msgMaxAmount    = "Max amount per transaction limitation exceeded"
	msgInvalidDep   = "invalid deposit"
	msgOTPInvalid   = "invalid otp or mobile"
	msgOTPExpired   = "Expiration time is exceeded"
	msgTimeout      = "timeout of 40000ms exceeded"
	msgMinAmount    = "Minimum amount is 10000 Rials. " // the trailing space is the doc's
	msgInvalidCard  = "invalid card"
)

// gatewayCatalogue holds the non-bank codes. The UNAUTHORIZED text is the one the
// deposit-balance page documents for a token the bank rejects.
var gatewayCatalogue = envelope.Catalogue{
	codeValidation:   {Status: 400, Message: "invalid request"},
	codeUnauthorized: {Status: 401, Message: "خطا از سرور احراز هویت: توکن ارسال شده نامعتبر است"},
	codeTimeout:      {Status: 408, Message: msgTimeout},
	codeServiceCall:  {Status: 400, Message: msgMinAmount},
	codeNotFound:     {Status: 404, Message: "not found"},
	codeMethod:       {Status: 405, Message: "method not allowed"},
	codeTooLarge:     {Status: 413, Message: "request body is too large"},
	codeInternal:     {Status: 500, Message: "internal server error"},
	keyInvalidToken:  {Status: 403, Message: msgInvalidToken},
	keyDuplicate:     {Status: 400, Message: msgDuplicate},
	keyConditions:    {Status: 400, Message: msgConditions},
	keyMaxAmount:     {Status: 400, Message: msgMaxAmount},
	keyInvalidDep:    {Status: 400, Message: msgInvalidDep},
	keyOTPInvalid:    {Status: 400, Message: msgOTPInvalid},
	keyOTPExpired:    {Status: 400, Message: msgOTPExpired},
	keyBadClientCred: {Status: 401, Message: "invalid client credentials"},
	keyInvalidCard:   {Status: 400, Message: msgInvalidCard},
}

// wireCode is the error.code a catalogue key is sent as.
var wireCode = map[string]string{
	keyInvalidToken:  codeValidation,
	keyDuplicate:     codeValidation,
	keyConditions:    codeValidation,
	keyMaxAmount:     codeValidation,
	keyInvalidDep:    codeValidation,
	keyOTPInvalid:    codeValidation,
	keyOTPExpired:    codeValidation,
	keyBadClientCred: codeUnauthorized,
	keyInvalidCard:   codeValidation,
}

// responseCodes are the responseCode values seen for exact errors (§1.3); other
// errors carry none, as most documented error bodies do.
var responseCodes = map[string]string{
	msgDuplicate: "FN-BRFH-40001210001",
	msgTimeout:   "FN-BRFH-40801210008",
}

// keyResponseCodes are the responseCode values of catalogue keys whose message is
// shared with other services: the mpg card inquiry's invalid card (§1.3, module
// MGFH, detail 30125) but not the oak bon-card "invalid card".
var keyResponseCodes = map[string]string{
	keyInvalidCard: "FN-MGFH-40000130125",
}

// newCatalogue is the gateway codes plus every bon-card result code of §6.3 as an
// HTTP 200 entry: those are answers inside result, not HTTP errors.
func newCatalogue() (envelope.Catalogue, []string, []string) {
	cat := envelope.Catalogue{}
	for k, v := range gatewayCatalogue {
		cat[k] = v
	}
	gateway := cat.Codes()
	var results []string
	for _, rc := range bank.ResultCodes() {
		cat[rc.Code] = envelope.Entry{Status: http.StatusOK, Message: rc.Description}
		results = append(results, rc.Code)
	}
	return cat, gateway, results
}

// errCode builds a catalogue error.
func (p *Provider) errCode(code string) *envelope.Error { return p.cat.Err(code) }

// invalid is a 400 VALIDATION_ERROR with a request-specific message.
func invalid(msg string) *envelope.Error {
	return &envelope.Error{Status: http.StatusBadRequest, Code: codeValidation, Message: msg}
}

// failure is the error body of §1.2.
type failure struct {
	TrackID      string    `json:"trackId"`
	Status       string    `json:"status"`
	Error        errorBody `json:"error"`
	ResponseCode string    `json:"responseCode,omitempty"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// serviceCallFailure is the documented SERVICE_CALL_ERROR body (§3.1):
// {"result":{"response":null,"status":"FAILED","error":{…}}}.
type serviceCallFailure struct {
	Result serviceCallResult `json:"result"`
}

type serviceCallResult struct {
	Response any       `json:"response"`
	Status   string    `json:"status"`
	Error    errorBody `json:"error"`
}

// success is the envelope of every success (§1.2).
type success struct {
	TrackID      string `json:"trackId,omitempty"`
	Result       any    `json:"result"`
	Status       string `json:"status"`
	ResponseCode string `json:"responseCode,omitempty"`
}

// unsuccess is the result object of a bon-card result code answered without the
// bank (a scenario code on a route that does not apply it itself).
type unsuccess struct {
	Code        string `json:"code"`
	Message     string `json:"message"`
	Description string `json:"description"`
}

// raised maps errors the engine raises outside any handler onto catalogue codes.
var raised = envelope.Raised{
	envelope.KindNotFound:         {Code: codeNotFound},
	envelope.KindMethodNotAllowed: {Code: codeMethod},
	envelope.KindTooLarge:         {Code: codeTooLarge},
	envelope.KindBadRequest:       {Code: codeValidation, Status: http.StatusBadRequest},
	envelope.KindInternal:         {Code: codeInternal},
}

// wire is Finnotech's envelope: success {trackId, result, status DONE}; errors
// {trackId, status FAILED, error}, echoing the request's trackId. A bon-card
// result code (an HTTP 200 entry) is written as Finnotech writes a business
// failure: status DONE with the code inside result.
type wire struct{ p *Provider }

func (w wire) OK(c echo.Context, _ int, v any) error {
	if r, isReply := v.(inquiryReply); isReply {
		return api.JSON(c, http.StatusOK, r) // the inquiry carries its own envelope
	}
	return ok(c, v)
}

func (w wire) Err(c echo.Context, e *envelope.Error) error {
	p := w.p
	code, status, msg := p.cat.Resolve(e, raised)
	if _, engine := raised[e.Kind]; engine && e.Kind != envelope.KindProvider && e.Kind != envelope.KindInternal && e.Message != "" {
		msg = e.Message // the engine's own words (which path, which limit)
	}
	track := api.TrackID(c)
	if track == "" { // raised before any route ran (404, 405): Finnotech always names one
		track = p.trackID(c) // the request's own trackId when it sent one (§4)
		c.Set(api.KeyTrackID, track)
	}
	if code == codeServiceCall {
		// The one documented SERVICE_CALL_ERROR body (the transfer pages' PAYA
		// minimum) nests the failure in result and names no trackId.
		return api.JSON(c, status, serviceCallFailure{Result: serviceCallResult{Status: "FAILED",
			Error: errorBody{Code: code, Message: msg}}})
	}
	if status == http.StatusOK {
		return api.JSON(c, http.StatusOK, success{TrackID: track, Status: "DONE",
			Result: unsuccess{Code: code, Message: "Unsuccess", Description: msg}})
	}
	rc := responseCodes[msg]
	if k, ok := keyResponseCodes[code]; ok {
		rc = k
	}
	if w, ok := wireCode[code]; ok {
		code = w
	}
	return api.JSON(c, status, failure{TrackID: track, Status: "FAILED",
		Error: errorBody{Code: code, Message: msg}, ResponseCode: rc})
}

// ok writes the success envelope.
func ok(c echo.Context, result any) error {
	return api.JSON(c, http.StatusOK, success{TrackID: api.TrackID(c), Result: result, Status: "DONE"})
}
