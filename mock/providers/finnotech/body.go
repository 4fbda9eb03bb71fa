package finnotech

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/form"
)

// fields is a request body reduced to text values. SDKs disagree on types (an
// amount as 20000 or "20000", scopes as "a,b" or ["a","b"]), so every scalar is
// kept as its text and an array of scalars is joined with commas; null counts as
// absent. Objects inside are not a value any Finnotech field takes.
type fields map[string]string

// reading takes a JSON object, or a form body for hand-written requests; any
// other body is not one Finnotech reads.
var reading = form.Options{JoinArrays: true, Choose: func(ct string, first byte) form.Encoding {
	switch {
	case first == '{':
		return form.JSON
	case strings.HasPrefix(ct, echo.MIMEApplicationForm):
		return form.Form
	}
	return form.Reject
}}

// problem words a form problem as Finnotech's validation error.
func problem(p form.Problem) *envelope.Error {
	switch p.Kind {
	case form.Unreadable, form.TooLarge:
		return invalid("request body could not be read")
	case form.BadForm:
		return invalid("request body is not a valid form")
	case form.NotObject:
		return invalid("request body must be a JSON object")
	case form.BadJSON:
		return invalid("request body is not valid JSON")
	}
	return invalid(p.Field + " has an invalid type")
}

// readFields parses the body. An empty body is no fields: GET-like services send
// none. A repeated form field is joined with commas like an array.
func readFields(c echo.Context) (fields, *envelope.Error) {
	v, ps := form.Parse(c.Request(), reading)
	if p, bad := ps.First(); bad {
		return nil, problem(p)
	}
	out := fields{}
	for _, name := range v.Names() {
		var parts []string
		for _, val := range v.All(name) {
			switch val.Type {
			case form.Null:
				continue
			case form.Object, form.Array: // arrays of scalars were joined already
				return nil, problem(form.Problem{Field: name, Kind: form.BadType})
			}
			parts = append(parts, val.Text)
		}
		if len(parts) > 0 {
			out[name] = strings.Join(parts, ",")
		}
	}
	return out, nil
}

// has reports whether name was sent with a non-empty value.
func (f fields) has(name string) bool { return strings.TrimSpace(f[name]) != "" }

// get is the trimmed value of name.
func (f fields) get(name string) string { return strings.TrimSpace(f[name]) }

// amount reads a positive whole number of Rials sent as a JSON number or a
// numeric string (20000, "20000", 20000.0).
func (f fields) amount(name string) (int64, *envelope.Error) {
	s := f.get(name)
	if s == "" {
		return 0, invalid(name + " is required")
	}
	n, ok := form.ParseInt(s, true)
	if !ok {
		return 0, invalid(name + " must be a whole number of Rials")
	}
	if n <= 0 {
		return 0, invalid(name + " must be greater than zero")
	}
	return n, nil
}
