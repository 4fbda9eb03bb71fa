package vandar

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// input is a request's parameters as Laravel's $request->all() sees them: the
// query string overlaid by a JSON or form body (reference §1.3: JSON and
// application/x-www-form-urlencoded are both accepted; the official Laravel
// client sends forms). A body that does not parse is no parameters at all, as in
// Laravel, so the validator answers "required" rather than a 400.
type input struct {
	vals map[string]value
}

// value is one parameter: a scalar (JSON strings and numbers both read as
// text), a list (JSON array, PHP name[] fields, repeated form fields) or
// something else (an object, a bool) that no string rule accepts.
type value struct {
	text   string
	list   []string
	isList bool
	odd    bool // object, bool or null-in-list: not a string
	null   bool
}

func readInput(c echo.Context) input {
	in := input{vals: map[string]value{}}
	for k, vs := range c.QueryParams() {
		in.setForm(k, vs)
	}
	req := c.Request()
	if req.Body == nil {
		return in
	}
	raw, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(raw))
	ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	trim := bytes.TrimSpace(raw)
	switch {
	case strings.HasSuffix(ct, "json") || (ct == "" && len(trim) > 0 && trim[0] == '{'):
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(trim))
		dec.UseNumber()
		if dec.Decode(&m) == nil {
			for k, v := range m {
				in.vals[k] = jsonValue(v)
			}
		}
	case ct == "application/x-www-form-urlencoded" || ct == "":
		if form, err := url.ParseQuery(string(raw)); err == nil {
			for k, vs := range form {
				in.setForm(k, vs)
			}
		}
	case ct == "multipart/form-data":
		if form, err := c.MultipartForm(); err == nil {
			for k, vs := range form.Value {
				in.setForm(k, vs)
			}
		}
		req.Body = io.NopCloser(bytes.NewReader(raw))
	}
	return in
}

// setForm records one form or query field. PHP clients send lists as name[]
// or, through http_build_query (Guzzle's form_params), as name[0], name[1]…
func (in input) setForm(k string, vs []string) {
	if name, idx, ok := phpList(k); ok {
		v := in.vals[name]
		if !v.isList {
			v = value{isList: true}
		}
		if idx == "" {
			v.list = append(v.list, vs...)
		} else {
			v.list = append(v.list, vs[len(vs)-1])
		}
		in.vals[name] = v
		return
	}
	if len(vs) == 0 {
		return
	}
	if len(vs) > 1 {
		in.vals[k] = value{text: vs[len(vs)-1], list: vs}
		return
	}
	in.vals[k] = value{text: vs[0]}
}

func jsonValue(v any) value {
	switch x := v.(type) {
	case nil:
		return value{null: true}
	case string:
		return value{text: x}
	case json.Number:
		return value{text: x.String()}
	case []any:
		out := value{isList: true}
		for _, e := range x {
			switch y := e.(type) {
			case string:
				out.list = append(out.list, y)
			case json.Number:
				out.list = append(out.list, y.String())
			default:
				out.odd = true
			}
		}
		return out
	}
	return value{odd: true}
}

// get returns a parameter; present is false for a missing, null or empty one
// (Laravel's "required" treats "" and null as missing).
func (in input) get(name string) (v value, present bool) {
	v, ok := in.vals[name]
	if !ok || v.null {
		return v, false
	}
	if !v.isList && !v.odd && strings.TrimSpace(v.text) == "" {
		return v, false
	}
	return v, true
}

// str is a string parameter; ok is false when it is present but not a string.
func (in input) str(name string) (s string, present, ok bool) {
	v, present := in.get(name)
	if !present {
		return "", false, true
	}
	if v.isList || v.odd {
		return "", true, false
	}
	return strings.TrimSpace(v.text), true, true
}

// int64Of parses digits (a JSON number or a string of digits; "1000.0" is not).
func int64Of(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// phpList splits "name[]" and "name[3]" into the name and the index.
func phpList(k string) (name, idx string, ok bool) {
	open := strings.IndexByte(k, '[')
	if open <= 0 || !strings.HasSuffix(k, "]") {
		return "", "", false
	}
	idx = k[open+1 : len(k)-1]
	if idx != "" {
		if _, num := int64Of(idx); !num {
			return "", "", false
		}
	}
	return k[:open], idx, true
}
