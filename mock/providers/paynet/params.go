package paynet

import (
	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/form"
)

// params is a decoded request body. Paynet is an ASP.NET service whose JSON
// binder matches names case-insensitively, converts between numbers and
// strings, and reads the body as JSON whatever its Content-Type; objects,
// arrays and booleans where a scalar belongs are a bad request.
type params struct{ v *form.Values }

var reading = form.Options{FoldCase: true, RequireBody: true, Choose: form.AlwaysJSON}

// maxField bounds every string field: longer values are a bad request rather
// than something to store.
const maxField = 256

// problem words a form problem as Paynet's bad request (11).
func problem(p *form.Problem) error {
	switch p.Kind {
	case form.Unreadable, form.TooLarge:
		return badRequest("İstek gövdesi okunamadı")
	case form.Empty:
		return badRequest("İstek gövdesi boş")
	case form.NotObject:
		return badRequest("İstek gövdesi bir JSON nesnesi olmalı")
	case form.BadJSON, form.BadForm:
		return badRequest("Geçersiz JSON")
	case form.Missing:
		return badRequest(p.Field + " alanı zorunludur")
	case form.BadType:
		if p.Want == "string" {
			return badRequest(p.Field + " alanı metin olmalı")
		}
		return badRequest(p.Field + " alanı sayı olmalı")
	}
	return badRequest(p.Field + " alanı geçersiz")
}

// decode reads the body as one JSON object. An empty body, anything that is not
// an object, or trailing data is a bad request (11).
func decode(c echo.Context) (params, error) {
	v, ps := form.Parse(c.Request(), reading)
	if p, bad := ps.First(); bad {
		return params{}, problem(&p)
	}
	return params{v}, nil
}

// str reads a string field. Absent, null and blank are absent; a number is
// taken as its text, and a value is kept as sent (the documented desc_update
// sample ends in a space).
func (p params) str(name string) (string, bool, error) {
	s, ok, pr := p.v.String(name, maxField)
	if pr != nil {
		return "", false, problem(pr)
	}
	return s, ok, nil
}

// required reads a string field that must be present and not empty.
func (p params) required(name string) (string, error) {
	s, pr := p.v.Required(name, maxField)
	if pr != nil {
		return "", problem(pr)
	}
	return s, nil
}

// need decodes the body and reads its required fields, in the order given: the
// first one missing is the bad request reported.
func need(c echo.Context, names ...string) (params, []string, error) {
	in, err := decode(c)
	if err != nil {
		return params{}, nil, err
	}
	vals := make([]string, len(names))
	for i, name := range names {
		if vals[i], err = in.required(name); err != nil {
			return params{}, nil, err
		}
	}
	return in, vals, nil
}

// integer reads a non-negative int field up to a million; absent, null and ""
// are 0.
func (p params) integer(name string) (int, error) {
	n, _, pr := p.v.Int(name, form.IntRule{Min: 0, Max: 1_000_000})
	if pr != nil {
		return 0, problem(pr)
	}
	return int(n), nil
}
