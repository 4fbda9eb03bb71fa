package vandar

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// Vandar is not uniform: each endpoint belongs to one response family (reference
// §1.4). A family writes the successes of its routes and the errors raised on
// them, including the ones the engine raises (unknown path, wrong method, body too
// large, a recovered panic), so every byte a Vandar route sends is in that
// route's own format.
var (
	_ api.Envelope = familyA{}
	_ api.Envelope = familyB{}
	_ api.Envelope = familyC{}
	_ api.Envelope = familyD{}
	_ api.Envelope = familyE{}
	_ api.Envelope = familyF{}
	_ api.Envelope = familyPage{}
)

// familyA is the legacy {"status":1,"data":{…}} of business, balance, the
// transaction report and refund; errors per the catalogue (E1, E3, E7, E8).
type familyA struct{ p *Provider }

// familyB is {"status":1,"message":"<fa>","result":{…}} (direct debit,
// customer create); the value given to OK is a Result.
type familyB struct{ p *Provider }

// familyC is a Laravel API resource collection {"data":[…],"links":…,"meta":…};
// OK writes the value as it is.
type familyC struct{ p *Provider }

// familyD is the payment gateway: flat camelCase objects that carry their own
// "status":1, and every error as {"status":<0|2|3>,"errors":["<fa>",…]} (E2).
type familyD struct{ p *Provider }

// familyE is a bare object: the value is written as it is (the token pair of
// refreshtoken, IBAN and card actions); errors per the catalogue.
type familyE struct{ p *Provider }

// familyF is Ravand's {"message":"<fa>","data":…} with the E10 error body.
type familyF struct{ p *Provider }

// familyPage is the hosted payment page: HTML, and its errors as an HTML page.
type familyPage struct{ p *Provider }

// Result is the value family B and F successes are built from.
type Result struct {
	Message string
	Data    any
}

// flat marks a family A value that carries its own "status":1 next to other
// top-level keys (the transaction report's has_more), written as it is.
type flat interface{ flatA() }

func (f familyA) OK(c echo.Context, status int, v any) error {
	if _, ok := v.(flat); ok {
		return api.JSON(c, okStatus(status), v)
	}
	return api.JSON(c, okStatus(status), struct {
		Status int `json:"status"`
		Data   any `json:"data"`
	}{1, v})
}

// asResult is a handler's answer as a Result: itself, or a Result with no
// message whose data it is.
func asResult(v any) Result {
	if r, ok := v.(Result); ok {
		return r
	}
	return Result{Data: v}
}

func (f familyB) OK(c echo.Context, status int, v any) error {
	r := asResult(v)
	return api.JSON(c, okStatus(status), struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
		Result  any    `json:"result"`
	}{1, r.Message, r.Data})
}

func (f familyC) OK(c echo.Context, status int, v any) error { return api.JSON(c, okStatus(status), v) }
func (f familyD) OK(c echo.Context, status int, v any) error { return api.JSON(c, okStatus(status), v) }
func (f familyE) OK(c echo.Context, status int, v any) error { return api.JSON(c, okStatus(status), v) }

func (f familyF) OK(c echo.Context, status int, v any) error {
	r := asResult(v)
	return api.JSON(c, okStatus(status), struct {
		Message string `json:"message"`
		Data    any    `json:"data"`
	}{r.Message, r.Data})
}

func (f familyPage) OK(c echo.Context, status int, v any) error {
	b, ok := v.([]byte)
	if !ok {
		return errors.New("vandar: a page answers with rendered HTML")
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(okStatus(status), b)
}

func okStatus(s int) int {
	if s == 0 {
		return http.StatusOK
	}
	return s
}

// kindCode names the catalogue code of an error the engine raised outside any
// handler, per family.
func kindCode(e *envelope.Error, notFound, method string) string {
	switch e.Kind {
	case envelope.KindNotFound:
		return notFound
	case envelope.KindMethodNotAllowed:
		return method
	case envelope.KindTooLarge:
		return "BODY_TOO_LARGE"
	case envelope.KindBadRequest:
		return "BAD_REQUEST"
	case envelope.KindInternal:
		return "SERVER_ERROR"
	}
	if _, ok := codes[e.Code]; ok {
		return e.Code
	}
	return "SERVER_ERROR"
}

func (f familyA) Err(c echo.Context, e *envelope.Error) error {
	return f.p.writeErr(c, e, kindCode(e, "NOT_FOUND", "METHOD_NOT_ALLOWED"), 0)
}
func (f familyB) Err(c echo.Context, e *envelope.Error) error { return familyA(f).Err(c, e) }
func (f familyC) Err(c echo.Context, e *envelope.Error) error { return familyA(f).Err(c, e) }
func (f familyE) Err(c echo.Context, e *envelope.Error) error { return familyA(f).Err(c, e) }

func (f familyD) Err(c echo.Context, e *envelope.Error) error {
	code := kindCode(e, "IPG_NOT_FOUND", "IPG_METHOD")
	if code == "SERVER_ERROR" {
		code = "IPG_SERVER_ERROR"
	}
	return f.p.writeErr(c, e, code, shapeIPG)
}

func (f familyF) Err(c echo.Context, e *envelope.Error) error {
	code := kindCode(e, "RAVAND_NOT_FOUND", "METHOD_NOT_ALLOWED")
	switch code {
	case "UNAUTHENTICATED":
		code = "RAVAND_UNAUTHENTICATED"
	case "FORBIDDEN":
		code = "RAVAND_FORBIDDEN"
	case "SERVER_ERROR", "EXTERNAL_ERROR":
		code = "RAVAND_EXTERNAL_ERROR"
	}
	return f.p.writeErr(c, e, code, shapeRavand)
}

func (f familyPage) Err(c echo.Context, e *envelope.Error) error {
	return f.p.writeErr(c, e, kindCode(e, "PAGE_NOT_FOUND", "PAGE_NOT_FOUND"), shapePage)
}

// writeErr renders code in the family's shape (force) or, when force is 0, the
// code's own shape. A handler's problems keep their order and texts.
func (p *Provider) writeErr(c echo.Context, e *envelope.Error, code string, force shape) error {
	if c.Response().Committed {
		return nil
	}
	d := codes[code]
	status := p.cat[code].Status
	if e.Kind == envelope.KindProvider && e.Code == code && e.Status >= 400 && e.Status <= 599 {
		status = e.Status
	}
	if status == 0 {
		status = httpStatus(e, http.StatusInternalServerError)
	}
	sh := d.shape
	if sh == shapeThrottle {
		force = 0 // a throttle answer is Laravel's own on every host
	}
	if force != 0 {
		sh = force
	} else if sh == shapeIPG || sh == shapeRavand || sh == shapePage {
		sh = shapeMessage
	}
	list := orderedProblems(e, code)
	first := list[0].msg
	switch sh {
	case shapeError:
		return api.JSON(c, status, errorBody{0, first})
	case shapeIPG:
		msgs := make([]string, len(list))
		for i, f := range list {
			msgs[i] = f.msg
		}
		return api.JSON(c, status, ipgError{Status: d.ipg, Errors: msgs})
	case shapeLaravel:
		return api.JSON(c, status, laravelError{Message: laravelInvalid, Errors: list})
	case shapeLaravelFirst:
		return api.JSON(c, status, laravelError{Message: summarize(list), Errors: list})
	case shapeStatusMap:
		return api.JSON(c, status, statusMapError{Errors: list})
	case shapeErrorMap:
		return api.JSON(c, status, errorMapError{Errors: map[string]string{"error": first}})
	case shapeRavand:
		rc := d.ravand
		if rc == "" {
			rc = strings.ToLower(code)
		}
		// errors is [] as in the documented bodies; a validation answer lists
		// its fields there as Laravel does ({"field":["…"]}), PHP's empty
		// array being [] and a filled one an object.
		var errs any = []any{}
		if d.status == http.StatusUnprocessableEntity {
			var ps problems
			if errors.As(e, &ps) && len(ps) > 0 {
				errs = fieldOrder(list)
				first = d.msg
			}
		}
		return api.JSON(c, status, ravandError{Message: first, Data: []any{}, Code: rc, Errors: errs})
	case shapeThrottle:
		return api.JSON(c, status, map[string]string{"message": "Too Many Attempts."})
	case shapePage:
		body, err := p.pages.notFound(first)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.HTMLBlob(status, body)
	}
	return api.JSON(c, status, messageBody{0, first})
}

// summarize is the top-level message of Laravel 9+'s ValidationException: the
// first message, and how many more follow.
func summarize(list []fieldMsgs) string {
	switch n := len(list) - 1; n {
	case 0:
		return list[0].msg
	case 1:
		return list[0].msg + " (and 1 more error)"
	default:
		return list[0].msg + " (and " + strconv.Itoa(n) + " more errors)"
	}
}

// fieldMsgs is one field of a Laravel error map and its messages.
type fieldMsgs struct {
	field string
	msg   string
}

// orderedProblems is the error's messages in the order the handler found them.
// Without problems it is the error's own message (a forced code, an engine
// error) under the code's field.
func orderedProblems(e *envelope.Error, code string) []fieldMsgs {
	var ps problems
	if errors.As(e, &ps) && len(ps) > 0 {
		out := make([]fieldMsgs, len(ps))
		for i, pr := range ps {
			f, m := pr.resolve()
			out[i] = fieldMsgs{f, m}
		}
		return out
	}
	d := codes[code]
	msg := d.msg
	if e.Kind == envelope.KindProvider && e.Code == code && e.Message != "" {
		msg = e.Message
	}
	field := d.field
	if field == "" {
		field = "error"
	}
	return []fieldMsgs{{field, msg}}
}

type errorBody struct {
	Status int    `json:"status"`
	Error  string `json:"error"`
}

type messageBody struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

type ipgError struct {
	Status int      `json:"status"`
	Errors []string `json:"errors"`
}

type laravelError struct {
	Message string     `json:"message"`
	Errors  fieldOrder `json:"errors"`
}

type statusMapError struct {
	Status int        `json:"status"`
	Errors fieldOrder `json:"errors"`
}

type errorMapError struct {
	Status int               `json:"status"`
	Errors map[string]string `json:"errors"`
}

type ravandError struct {
	Message string `json:"message"`
	Data    []any  `json:"data"`
	Code    string `json:"code"`
	Errors  any    `json:"errors"`
}

// fieldOrder writes a Laravel error map with the fields in the order they
// failed, each with its messages.
type fieldOrder []fieldMsgs

func (fo fieldOrder) MarshalJSON() ([]byte, error) {
	var order []string
	msgs := map[string][]string{}
	for _, f := range fo {
		if _, seen := msgs[f.field]; !seen {
			order = append(order, f.field)
		}
		msgs[f.field] = append(msgs[f.field], f.msg)
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, f := range order {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(f)
		buf.Write(k)
		buf.WriteByte(':')
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(msgs[f]); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
