package paynet

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// params is a decoded request body. Paynet is an ASP.NET service whose JSON
// binder matches names case-insensitively and converts between numbers and
// strings, so names are lower-cased and scalars kept in either form; objects,
// arrays and booleans where a scalar belongs are a bad request.
type params map[string]any

// maxField bounds every string field: longer values are a bad request rather
// than something to store.
const maxField = 256

// decode reads the body as one JSON object. An empty body, anything that is not
// an object, or trailing data is a bad request (11).
func decode(c echo.Context) (params, error) {
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, badRequest("İstek gövdesi okunamadı")
	}
	raw = bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))
	if len(raw) == 0 {
		return nil, badRequest("İstek gövdesi boş")
	}
	if raw[0] != '{' {
		return nil, badRequest("İstek gövdesi bir JSON nesnesi olmalı")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, badRequest("Geçersiz JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("Geçersiz JSON")
	}
	out := make(params, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out, nil
}

// str reads a string field. Absent, null and blank are absent; a number is
// taken as its text.
func (p params) str(name string) (string, bool, error) {
	v, ok := p[name]
	if !ok || v == nil {
		return "", false, nil
	}
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case json.Number:
		s = t.String()
	default:
		return "", false, badRequest(name + " alanı metin olmalı")
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxField {
		return "", false, badRequest(name + " alanı geçersiz")
	}
	// Blank counts as absent, but a value is kept as sent (the documented
	// desc_update sample ends in a space).
	if strings.TrimSpace(s) == "" {
		return "", false, nil
	}
	return s, true, nil
}

// required reads a string field that must be present and not empty.
func (p params) required(name string) (string, error) {
	s, ok, err := p.str(name)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", badRequest(name + " alanı zorunludur")
	}
	return s, nil
}

// need decodes the body and reads its required fields, in the order given: the
// first one missing is the bad request reported.
func need(c echo.Context, names ...string) (params, []string, error) {
	in, err := decode(c)
	if err != nil {
		return nil, nil, err
	}
	vals := make([]string, len(names))
	for i, name := range names {
		if vals[i], err = in.required(name); err != nil {
			return nil, nil, err
		}
	}
	return in, vals, nil
}

// integer reads a non-negative int field; absent, null and "" are 0.
func (p params) integer(name string) (int, error) {
	v, ok := p[name]
	if !ok || v == nil {
		return 0, nil
	}
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case string:
		s = strings.TrimSpace(t)
		if s == "" {
			return 0, nil
		}
	default:
		return 0, badRequest(name + " alanı sayı olmalı")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, badRequest(name + " alanı geçersiz")
	}
	return n, nil
}
