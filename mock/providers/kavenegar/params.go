package kavenegar

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/labstack/echo/v4"
)

// maxBody bounds what a handler reads even when the app's own limit is off.
const maxBody = 4 << 20

// params are a request's parameters: query and body merged, names lower-cased.
// Body values win over query values of the same name, because every official SDK
// posts a form and a query string on such a call is most likely a leftover in a
// base URL.
type params map[string][]string

// readParams collects the parameters without ever failing: whatever cannot be
// decoded is kept as it came, and the validators then answer with Kavenegar's own
// codes.
func readParams(c echo.Context) params {
	req := c.Request()
	p := parseForm(req.URL.RawQuery)
	if req.Body == nil {
		return p
	}
	raw, _ := io.ReadAll(io.LimitReader(req.Body, maxBody))
	req.Body = io.NopCloser(bytes.NewReader(raw))
	if len(bytes.TrimSpace(raw)) == 0 {
		return p
	}
	ct, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	var body params
	if strings.HasSuffix(ct, "json") || (ct == "" && bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{"))) {
		body = parseJSONBody(raw)
	}
	if body == nil {
		body = parseForm(string(raw))
	}
	for k, v := range body {
		p[k] = v
	}
	return p
}

// parseJSONBody accepts a JSON object body, which some third-party clients send;
// arrays and objects are kept as JSON text so the list parser sees what a form
// would carry. It returns nil for anything that is not a JSON object.
func parseJSONBody(raw []byte) params {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return nil
	}
	p := params{}
	for k, v := range m {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(bytes.TrimSpace(v))
			if s == "null" {
				s = ""
			}
		}
		name := normName(k)
		p[name] = append(p[name], s)
	}
	return p
}

// parseForm decodes an application/x-www-form-urlencoded string the way a lenient
// server must: .NET sends %uXXXX escapes and sometimes nothing encoded at all, so
// bad escapes are kept literally instead of rejecting the request.
func parseForm(s string) params {
	p := params{}
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		name := normName(unescape(k))
		if name == "" {
			continue
		}
		p[name] = append(p[name], unescape(v))
	}
	return p
}

// normName lower-cases a parameter name and drops PHP-style array brackets
// ("receptor[]", "receptor[0]"), since the Go SDK capitalises names and PHP
// clients may post arrays.
func normName(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	if i := strings.IndexByte(k, '['); i > 0 && strings.HasSuffix(k, "]") {
		k = k[:i]
	}
	return k
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unescape decodes +, %XX and %uXXXX. %u escapes are UTF-16 code units, so a
// surrogate pair arrives as two escapes and is joined here.
func unescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	out := make([]byte, 0, len(s))
	var units []uint16
	flush := func() {
		if len(units) > 0 {
			out = append(out, string(utf16.Decode(units))...)
			units = units[:0]
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == '%' && i+1 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
			if u, good := hex4(s[i+2:]); good {
				units = append(units, u)
				i += 6
				continue
			}
		}
		flush()
		if c == '+' {
			out = append(out, ' ')
			i++
			continue
		}
		if c == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 3
				continue
			}
		}
		out = append(out, c)
		i++
	}
	flush()
	return string(out)
}

func hex4(s string) (uint16, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var v uint16
	for i := 0; i < 4; i++ {
		h, good := unhex(s[i])
		if !good {
			return 0, false
		}
		v = v<<4 | uint16(h)
	}
	return v, true
}

// has reports whether the parameter was sent at all, even empty.
func (p params) has(names ...string) bool {
	for _, n := range names {
		if _, found := p[n]; found {
			return true
		}
	}
	return false
}

// get is the first value of the first of names that was sent, trimmed.
func (p params) get(names ...string) string {
	for _, n := range names {
		if v, found := p[n]; found && len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
	}
	return ""
}

// raw is like get but keeps surrounding spaces, for message texts.
func (p params) raw(names ...string) string {
	for _, n := range names {
		if v, found := p[n]; found && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// list reads a list parameter: a JSON array, a comma-separated string, or the
// parameter repeated. Empty items are dropped.
func (p params) list(names ...string) []string {
	for _, n := range names {
		vals, found := p[n]
		if !found {
			continue
		}
		var out []string
		for _, v := range vals {
			out = append(out, splitList(v)...)
		}
		return out
	}
	return nil
}

func splitList(v string) []string {
	v = strings.TrimSpace(v)
	if items, isJSON := jsonList(v); isJSON {
		var out []string
		for _, it := range items {
			if it = strings.TrimSpace(it); it != "" {
				out = append(out, it)
			}
		}
		return out
	}
	var out []string
	for _, it := range strings.Split(v, ",") {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// textList reads a list of message texts: texts may contain commas, so only a JSON
// array (or repeating the parameter) makes more than one item; empty items stay so
// that 413 can name them.
func (p params) textList(name string) ([]string, bool) {
	vals, found := p[name]
	if !found {
		return nil, false
	}
	var out []string
	for _, v := range vals {
		if items, isJSON := jsonList(strings.TrimSpace(v)); isJSON {
			out = append(out, items...)
			continue
		}
		out = append(out, v)
	}
	return out, true
}

// jsonList decodes a JSON array of strings or numbers (or a mix), keeping numbers
// in their written form.
func jsonList(v string) ([]string, bool) {
	if !strings.HasPrefix(v, "[") {
		return nil, false
	}
	var raw []json.RawMessage
	if json.Unmarshal([]byte(v), &raw) != nil {
		return nil, false
	}
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, s)
			continue
		}
		out = append(out, strings.TrimSpace(string(r)))
	}
	return out, true
}

// int64Of parses an optional integer; ok is false when the value is not one.
func int64Of(v string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil
}
