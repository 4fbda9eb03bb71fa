package kavenegar

import (
	"mime"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/form"
)

// params are a request's parameters: query and body merged, names lower-cased
// and PHP array brackets dropped ("Receptor", "receptor[]"), since the Go SDK
// capitalises names and PHP clients may post arrays. Body values win over query
// values of the same name, because every official SDK posts a form and a query
// string on such a call is most likely a leftover in a base URL.
type params struct{ v *form.Values }

// reading never fails: .NET clients send %uXXXX escapes and sometimes nothing
// encoded at all, so whatever cannot be decoded is kept as it came and the
// validators then answer with Kavenegar's own codes.
var reading = form.Options{Query: true, FoldCase: true, Brackets: true, Lenient: true, Choose: encoding}

// encoding reads a JSON object body (some third-party clients send one) when the
// type says JSON or, with no type, the body looks like an object; anything else
// is a form.
func encoding(contentType string, first byte) form.Encoding {
	ct, _, _ := mime.ParseMediaType(contentType)
	if strings.HasSuffix(ct, "json") || (ct == "" && first == '{') {
		return form.JSON
	}
	return form.Form
}

func readParams(c echo.Context) params {
	v, _ := form.Parse(c.Request(), reading) // lenient: no problems
	return params{v}
}

// has reports whether the parameter was sent at all, even empty.
func (p params) has(names ...string) bool { return p.v.Has(names...) }

// get is the first value of the first of names that was sent, trimmed.
func (p params) get(names ...string) string { return p.v.Get(names...) }

// raw is like get but keeps surrounding spaces, for message texts.
func (p params) raw(names ...string) string { return p.v.Raw(names...) }

// list reads a list parameter: a JSON array, a comma-separated string, or the
// parameter repeated. Empty items are dropped.
func (p params) list(names ...string) []string { return p.v.List(names...) }

// textList reads a list of message texts: texts may contain commas, so only a JSON
// array (or repeating the parameter) makes more than one item; empty items stay so
// that 413 can name them.
func (p params) textList(name string) ([]string, bool) { return p.v.Texts(name) }

// int64Of parses an optional integer; ok is false when the value is not one.
func int64Of(v string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil
}
