package vandar

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/form"
)

// input is a request's parameters as Laravel's $request->all() sees them: the
// query string overlaid by a JSON, form or multipart body, read by the shared
// decoder (mock/form) (reference §1.3: JSON and application/x-www-form-urlencoded
// are both accepted; the official Laravel client sends forms). A body that does
// not parse is no parameters at all, as in Laravel, so the validator answers
// "required" rather than a 400.
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
	vals, ps := form.Parse(c.Request(), form.Options{Query: true, NullBody: true})
	for _, pr := range ps {
		if pr.Body() {
			// Laravel reads a body it cannot parse as no input at all: only the
			// query counts, and the validator answers "required".
			vals, _ = form.Parse(c.Request(), form.Options{QueryOnly: true})
			break
		}
	}
	for _, name := range vals.Names() {
		for _, v := range vals.All(name) {
			in.set(name, v)
		}
	}
	return in
}

// set records one value as sent: a scalar, a PHP list item (name[] or name[0],
// as Guzzle's form_params writes arrays), a JSON array, or something no string
// rule accepts (an object, a boolean).
func (in input) set(name string, v form.Value) {
	if base, _, ok := phpList(name); ok {
		cur := in.vals[base]
		if !cur.isList {
			cur = value{isList: true}
		}
		if v.Type == form.Text || v.Type == form.Number {
			cur.list = append(cur.list, v.Text)
		} else {
			cur.odd = true
		}
		in.vals[base] = cur
		return
	}
	switch v.Type {
	case form.Text, form.Number:
		cur, seen := in.vals[name]
		if seen && !cur.isList && !cur.odd && !cur.null {
			// A repeated plain field: PHP keeps the last value.
			in.vals[name] = value{text: v.Text, list: append(append(cur.list[:0:0], cur.listOrText()...), v.Text)}
			return
		}
		in.vals[name] = value{text: v.Text}
	case form.Null:
		in.vals[name] = value{null: true}
	case form.Bool:
		// Not a string to any string rule, but Laravel's boolean rule reads it.
		in.vals[name] = value{odd: true, text: v.Text}
	case form.Array:
		var items []any
		dec := json.NewDecoder(strings.NewReader(v.Text))
		dec.UseNumber()
		if dec.Decode(&items) != nil {
			in.vals[name] = value{odd: true}
			return
		}
		in.vals[name] = jsonValue(items)
	default:
		in.vals[name] = value{odd: true}
	}
}

func (v value) listOrText() []string {
	if len(v.list) > 0 {
		return v.list
	}
	return []string{v.text}
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

// boolean is Laravel's boolean rule: true, false, 1, 0, "1" and "0" pass; ok is
// false when the parameter is present and anything else.
func (in input) boolean(name string) (b, present, ok bool) {
	v, present := in.get(name)
	if !present {
		return false, false, true
	}
	if v.isList {
		return false, true, false
	}
	switch v.text {
	case "true", "1":
		return true, true, v.odd == (v.text == "true")
	case "false", "0":
		return false, true, v.odd == (v.text == "false")
	}
	return false, true, false
}

// httpURL is the url rule Vandar's validators apply to callback and notify
// addresses: an http or https URL with a host, at most 2048 bytes (the payment
// request's callback_url has its own, shorter limit).
func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2048
}
