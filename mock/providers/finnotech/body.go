package finnotech

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// fields is a request body reduced to text values. SDKs disagree on types (an
// amount as 20000 or "20000", scopes as "a,b" or ["a","b"]), so every scalar is
// kept as its text and an array of scalars is joined with commas; null counts as
// absent. Objects inside are not a value any Finnotech field takes.
type fields map[string]string

// readFields parses a JSON object body, or a form body for hand-written requests.
// An empty body is no fields: GET-like services send none.
func readFields(c echo.Context) (fields, *envelope.Error) {
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, invalid("request body could not be read")
	}
	raw = bytes.TrimSpace(raw)
	out := fields{}
	if len(raw) == 0 {
		return out, nil
	}
	if raw[0] != '{' {
		if strings.HasPrefix(c.Request().Header.Get("Content-Type"), echo.MIMEApplicationForm) {
			form, err := url.ParseQuery(string(raw))
			if err != nil {
				return nil, invalid("request body is not a valid form")
			}
			for k, v := range form {
				out[k] = strings.Join(v, ",")
			}
			return out, nil
		}
		return nil, invalid("request body must be a JSON object")
	}
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&obj); err != nil || dec.More() {
		return nil, invalid("request body is not valid JSON")
	}
	for k, v := range obj {
		s, good := scalar(v)
		if !good {
			var list []json.RawMessage
			if json.Unmarshal(v, &list) != nil {
				return nil, invalid(k + " has an invalid type")
			}
			parts := make([]string, 0, len(list))
			for _, it := range list {
				t, good := scalar(it)
				if !good {
					return nil, invalid(k + " has an invalid type")
				}
				parts = append(parts, t)
			}
			s, good = strings.Join(parts, ","), true
		}
		if s != "" || string(v) != "null" {
			out[k] = s
		}
	}
	return out, nil
}

// scalar is the text of a JSON string, number or boolean.
func scalar(v json.RawMessage) (string, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", false
	}
	switch v[0] {
	case '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		return "", false
	case 'n':
		return "", string(v) == "null"
	}
	return string(v), true
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
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		x, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || x != math.Trunc(x) || x > 1e15 || x < -1e15 {
			return 0, invalid(name + " must be a whole number of Rials")
		}
		n = int64(x)
	}
	if n <= 0 {
		return 0, invalid(name + " must be greater than zero")
	}
	return n, nil
}
