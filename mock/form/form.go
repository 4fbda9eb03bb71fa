// Package form reads a request's parameters, whatever way the client sent them:
// the URL query, a JSON object, an application/x-www-form-urlencoded body or a
// multipart/form-data body (fields and files). The simulated providers are
// tolerant in different ways, so the tolerances are options: names folded to
// lower case (Paynet's ASP.NET binder, Kavenegar's SDKs that capitalise),
// PHP array names (`receptor[]`), arrays joined with commas (Finnotech), numbers
// sent as strings and strings sent as numbers (every provider), and Kavenegar's
// lenient form reading (%uXXXX escapes from .NET clients, bad escapes kept).
//
// The package never answers a request. It reports neutral Problems
// (Problem{Field, Kind}) in field order, and each provider maps them to its own
// code and message, the same way oauth sentinels are mapped.
package form

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// Type is the JSON type a value arrived as. Query, form and multipart values are
// always Text.
type Type uint8

const (
	Text Type = iota
	Number
	Bool
	Null
	Array
	Object
)

var typeNames = [...]string{"string", "number", "boolean", "null", "array", "object"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// Value is one value of a field. Text is the string's content for Text, the
// literal as written for Number and Bool ("20000", "1e3", "true"), "" for Null,
// and the compact JSON text for Array and Object; always valid UTF-8.
type Value struct {
	Type Type
	Text string

	notUTF8 bool // Text had bytes outside UTF-8, now U+FFFD (ValidUTF8)
}

// scalar reports whether the value can stand for a string or a number.
func (v Value) scalar() bool { return v.Type == Text || v.Type == Number }

// File is one uploaded multipart file.
type File struct {
	Field       string // the part's form name
	Filename    string // the client's file name, as sent
	ContentType string // the part's Content-Type; "" when the client sent none
	Size        int64
	Data        []byte
}

// Encoding is how a body is read.
type Encoding uint8

const (
	JSON Encoding = iota
	Form
	Multipart
	// Reject reports the body as Problem{Kind: NotObject}: the provider takes
	// neither JSON nor a form with this content type.
	Reject
)

// Chooser picks the body's encoding from its Content-Type header (lower-cased,
// parameters kept) and its first non-space byte. It is called only for a
// non-empty body.
type Chooser func(contentType string, first byte) Encoding

// Sniff is the default Chooser: multipart and form content types are read as
// such, a type naming json as JSON, and for any other (or no) type a body that
// starts with '{' is JSON and anything else a form.
func Sniff(ct string, first byte) Encoding {
	switch {
	case strings.HasPrefix(ct, "multipart/form-data"):
		return Multipart
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		return Form
	case strings.Contains(ct, "json"), first == '{':
		return JSON
	}
	return Form
}

// AlwaysJSON reads every body as JSON whatever its Content-Type, as ASP.NET
// services bound with [FromBody] do.
func AlwaysJSON(string, byte) Encoding { return JSON }

// DefaultMaxBody bounds what Parse reads when Options.MaxBody is 0.
const DefaultMaxBody = 4 << 20

// Options are a provider's tolerances. The zero value reads the body only,
// keeps names as sent, sniffs the encoding and rejects malformed bodies.
type Options struct {
	// Query merges the URL query in; a body value replaces a query value of
	// the same name (a query string on a POST is most likely a leftover in a
	// base URL).
	Query bool
	// QueryOnly ignores the body (a GET that carries its parameters in the URL).
	QueryOnly bool
	// FoldCase lower-cases names.
	FoldCase bool
	// Brackets drops PHP array suffixes from names: "receptor[]" and
	// "receptor[0]" are "receptor".
	Brackets bool
	// JoinArrays turns a JSON array of scalars into one Text value joined with
	// commas (["a","b"] is "a,b"; null items are ""). An array holding an
	// array or object is Problem{Kind: BadType}.
	JoinArrays bool
	// Lenient never reports a body problem: form escapes are decoded the way a
	// forgiving server does (+, %XX, %uXXXX, bad escapes kept literally), a
	// body that is not a JSON object is read as a form, and a body longer
	// than MaxBody is cut.
	Lenient bool
	// RequireBody reports an empty body as Problem{Kind: Empty}.
	RequireBody bool
	// NullBody takes a JSON body that is the literal null as no parameters
	// rather than Problem{Kind: NotObject}.
	NullBody bool
	// Choose picks the encoding; nil is Sniff.
	Choose Chooser
	// MaxBody bounds the body; 0 is DefaultMaxBody.
	MaxBody int64
}

// Body is a request body already read into memory: it reads like any body, and
// Parse takes its unread bytes without copying them. The pipeline puts the body
// back as one, so the provider's Parse does not read it a second time.
type Body struct {
	bytes.Reader
	raw []byte
}

// NewBody returns a body reading raw.
func NewBody(raw []byte) *Body {
	b := &Body{raw: raw}
	b.Reset(raw)
	return b
}

// Close does nothing.
func (b *Body) Close() error { return nil }

// Unread is what has not been read yet (all of it, for a body nobody read).
func (b *Body) Unread() []byte { return b.raw[b.Size()-int64(b.Len()):] }

// Parse reads r's parameters. The body is read once and put back, so a later
// reader (the journal, a second Parse) sees it whole. Problems are body-level
// (Field "") or per field in the order the fields were sent; values are
// returned even when there are problems, for what could be read.
func Parse(r *http.Request, o Options) (*Values, Problems) {
	v := newValues()
	if o.Query || o.QueryOnly {
		v.addQuery(r.URL.RawQuery, o)
	}
	if o.QueryOnly || r.Body == nil {
		return v, nil
	}
	max := o.MaxBody
	if max <= 0 {
		max = DefaultMaxBody
	}
	var raw []byte
	var err error
	if b, ok := r.Body.(*Body); ok {
		raw = b.Unread() // already in memory (the pipeline read it): no copy
	} else {
		raw, err = io.ReadAll(io.LimitReader(r.Body, max+1))
		r.Body = NewBody(raw)
	}
	if err != nil && !o.Lenient {
		return v, Problems{{Kind: Unreadable, Detail: err.Error()}}
	}
	if int64(len(raw)) > max {
		if !o.Lenient {
			return v, Problems{{Kind: TooLarge, Limit: max}}
		}
		raw = raw[:max]
	}
	body, ps := ParseBody(r.Header.Get("Content-Type"), raw, o)
	v.merge(body)
	return v, ps
}

// ParseBody reads a body already in hand (contentType is the raw header).
// Options.Query and QueryOnly do not apply.
func ParseBody(contentType string, raw []byte, o Options) (*Values, Problems) {
	v := newValues()
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(raw), []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		if o.RequireBody {
			return v, Problems{{Kind: Empty}}
		}
		return v, nil
	}
	choose := o.Choose
	if choose == nil {
		choose = Sniff
	}
	switch choose(strings.ToLower(contentType), trimmed[0]) {
	case Reject:
		return v, Problems{{Kind: NotObject}}
	case Form:
		if o.Lenient { // as sent: a message text may end in spaces
			return v, v.addForm(string(raw), o)
		}
		return v, v.addForm(string(trimmed), o)
	case Multipart:
		if ps := v.addMultipart(contentType, raw, o); ps != nil && !o.Lenient {
			return v, ps
		}
		return v, nil
	}
	if o.NullBody && string(trimmed) == "null" {
		return v, nil
	}
	ps := v.addJSON(trimmed, o)
	if ps != nil && o.Lenient {
		v = newValues()
		v.addForm(string(raw), o)
		return v, nil
	}
	return v, ps
}

// name applies the naming options; "" means the pair is dropped.
func (o Options) name(k string) string {
	if o.FoldCase {
		k = strings.ToLower(strings.TrimSpace(k))
	}
	if o.Brackets {
		if i := strings.IndexByte(k, '['); i > 0 && strings.HasSuffix(k, "]") {
			k = k[:i]
		}
	}
	return k
}

func (v *Values) addQuery(q string, o Options) {
	if o.Lenient {
		v.addForm(q, o)
		return
	}
	// As url.Values does for a query: pairs that cannot be decoded are dropped.
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		k, err1 := queryUnescape(k)
		val, err2 := queryUnescape(val)
		if err1 != nil || err2 != nil {
			continue
		}
		if k = o.name(k); k != "" {
			v.add(k, Value{Text: val})
		}
	}
}

// addForm reads an urlencoded string: strictly like url.ParseQuery (a bad escape
// or a ';' is Problem{Kind: BadForm}, the rest kept), or leniently.
func (v *Values) addForm(s string, o Options) Problems {
	var bad error
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		if o.Lenient {
			if name := o.name(strings.TrimSpace(lenientUnescape(k))); name != "" {
				v.add(name, Value{Text: lenientUnescape(val)})
			}
			continue
		}
		if strings.Contains(pair, ";") {
			bad = errors.New("invalid semicolon separator in query")
			continue
		}
		if k == "" {
			continue
		}
		k, err := queryUnescape(k)
		if err != nil {
			bad = err
			continue
		}
		val, err = queryUnescape(val)
		if err != nil {
			bad = err
			continue
		}
		if k = o.name(k); k != "" {
			v.add(k, Value{Text: val})
		}
	}
	if bad != nil {
		return Problems{{Kind: BadForm, Detail: bad.Error()}}
	}
	return nil
}

// addJSON reads one JSON object, keeping the order of its members.
func (v *Values) addJSON(raw []byte, o Options) Problems {
	if raw[0] != '{' {
		return Problems{{Kind: NotObject}}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return Problems{{Kind: BadJSON, Detail: err.Error()}}
	}
	type member struct {
		name string
		raw  json.RawMessage
	}
	var members []member
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return Problems{{Kind: BadJSON, Detail: err.Error()}}
		}
		k, _ := t.(string)
		var m json.RawMessage
		if err := dec.Decode(&m); err != nil {
			return Problems{{Kind: BadJSON, Detail: err.Error()}}
		}
		members = append(members, member{k, m})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return Problems{{Kind: BadJSON, Detail: err.Error()}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Problems{{Kind: BadJSON, Detail: "data after the JSON object"}}
	}
	var ps Problems
	seen := map[string]bool{}
	for _, m := range members {
		name := o.name(m.name)
		if name == "" {
			continue
		}
		// A repeated member replaces the earlier one, as encoding/json does.
		if seen[name] {
			v.m[name] = nil
		}
		seen[name] = true
		val := jsonValue(m.raw)
		if o.JoinArrays && val.Type == Array {
			joined, ok := joinArray(m.raw)
			if !ok {
				ps = append(ps, Problem{Field: name, Kind: BadType, Want: "string", Got: Array})
				continue
			}
			val = Value{Text: joined}
		}
		v.add(name, val)
	}
	return ps
}

// jsonValue classifies one well-formed JSON value.
func jsonValue(raw json.RawMessage) Value {
	raw = bytes.TrimSpace(raw)
	switch raw[0] {
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return Value{Type: Text, Text: s}
	case 'n':
		return Value{Type: Null}
	case 't', 'f':
		return Value{Type: Bool, Text: string(raw)}
	case '[':
		return Value{Type: Array, Text: string(raw)}
	case '{':
		return Value{Type: Object, Text: string(raw)}
	}
	return Value{Type: Number, Text: string(raw)}
}

// joinArray joins an array of scalars with commas; false when an item is an
// array or an object.
func joinArray(raw json.RawMessage) (string, bool) {
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return "", false
	}
	parts := make([]string, 0, len(items))
	for _, it := range items {
		iv := jsonValue(it)
		if iv.Type == Array || iv.Type == Object {
			return "", false
		}
		parts = append(parts, iv.Text)
	}
	return strings.Join(parts, ","), true
}

// DecodeJSON decodes one JSON object into dst with encoding/json's rules
// (numbers into a json.Number or any typed field, names matched regardless of
// case) for providers whose bodies are typed structs. An empty body and the
// literal null leave dst as it is. A member of the wrong JSON type is
// Problem{Field: its path, Kind: BadType}; anything else wrong, data after the
// object included, is BadJSON (NotObject for a body that is not an object).
func DecodeJSON(raw []byte, dst any) Problems {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(raw), []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if te.Field != "" {
				return Problems{{Field: te.Field, Kind: BadType, Want: te.Type.String(), Got: gotOf(te.Value), Detail: err.Error()}}
			}
			return Problems{{Kind: NotObject, Detail: err.Error()}}
		}
		return Problems{{Kind: BadJSON, Detail: err.Error()}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Problems{{Kind: BadJSON, Detail: "data after the JSON object"}}
	}
	return nil
}

// gotOf names the JSON type in an UnmarshalTypeError's Value ("string",
// "number", "number 1.5", "bool", "array", "object").
func gotOf(s string) Type {
	switch {
	case strings.HasPrefix(s, "string"):
		return Text
	case strings.HasPrefix(s, "number"):
		return Number
	case s == "bool":
		return Bool
	case s == "array":
		return Array
	}
	return Object
}

// addMultipart reads every part: a part with a file name is a File, any other
// a Text value. Parts are held in memory; the body is already bounded.
func (v *Values) addMultipart(contentType string, raw []byte, o Options) Problems {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["boundary"] == "" {
		return Problems{{Kind: BadForm, Detail: "multipart body without a boundary"}}
	}
	mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return Problems{{Kind: BadForm, Detail: err.Error()}}
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return Problems{{Kind: BadForm, Detail: err.Error()}}
		}
		name := o.name(part.FormName())
		if name == "" {
			continue
		}
		if fn := part.FileName(); fn != "" {
			v.addFile(&File{Field: name, Filename: fn, ContentType: part.Header.Get("Content-Type"), Size: int64(len(data)), Data: data})
			continue
		}
		v.add(name, Value{Text: string(data)})
	}
}
