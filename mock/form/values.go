package form

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Values are a request's parameters in the order they were first sent. The
// zero value is empty and ready to use; a nil *Values reads as empty.
type Values struct {
	order  []string
	m      map[string][]Value
	files  map[string][]*File
	forder []string
}

func newValues() *Values { return &Values{} }

// Add appends a value; for building Values in tests and from other sources.
func (v *Values) Add(name string, val Value) { v.add(name, val) }

func (v *Values) add(name string, val Value) {
	name = ValidUTF8(name)
	if text := ValidUTF8(val.Text); text != val.Text {
		val.Text, val.notUTF8 = text, true
	}
	if v.m == nil {
		v.m = make(map[string][]Value, 8)
		v.order = make([]string, 0, 8)
	}
	if _, seen := v.m[name]; !seen {
		v.order = append(v.order, name)
	}
	v.m[name] = append(v.m[name], val)
}

func (v *Values) addFile(f *File) {
	f.Field, f.Filename, f.ContentType = ValidUTF8(f.Field), ValidUTF8(f.Filename), ValidUTF8(f.ContentType)
	if v.files == nil {
		v.files = map[string][]*File{}
	}
	if _, seen := v.files[f.Field]; !seen {
		v.forder = append(v.forder, f.Field)
	}
	v.files[f.Field] = append(v.files[f.Field], f)
}

// merge puts o's fields over v's: a name o has replaces v's values. o is not
// used afterwards: when v is empty (a request without a query) it takes o's
// fields as they are.
func (v *Values) merge(o *Values) {
	if len(v.order) == 0 && len(v.forder) == 0 {
		*v = *o
		return
	}
	for _, n := range o.order {
		if _, seen := v.m[n]; seen {
			v.m[n] = nil
		}
		for _, val := range o.m[n] {
			v.add(n, val)
		}
	}
	for _, n := range o.forder {
		for _, f := range o.files[n] {
			v.addFile(f)
		}
	}
}

// Names are the fields sent, in the order first sent (files not included).
func (v *Values) Names() []string {
	if v == nil {
		return nil
	}
	return append([]string(nil), v.order...)
}

// All is every value of name.
func (v *Values) All(name string) []Value {
	if v == nil {
		return nil
	}
	return v.m[name]
}

// Has reports whether any of names was sent at all, even null or empty.
func (v *Values) Has(names ...string) bool {
	if v == nil {
		return false
	}
	for _, n := range names {
		if _, found := v.m[n]; found {
			return true
		}
	}
	return false
}

// Lookup is the first value of the first of names that was sent.
func (v *Values) Lookup(names ...string) (Value, bool) {
	if v == nil {
		return Value{}, false
	}
	for _, n := range names {
		if vals := v.m[n]; len(vals) > 0 {
			return vals[0], true
		}
	}
	return Value{}, false
}

// Raw is the text of the first value of the first of names sent, untrimmed
// (a message text keeps its spaces); "" when none was.
func (v *Values) Raw(names ...string) string {
	val, _ := v.Lookup(names...)
	return val.Text
}

// Get is Raw trimmed of surrounding space.
func (v *Values) Get(names ...string) string { return strings.TrimSpace(v.Raw(names...)) }

// List reads a list: a JSON array (as a JSON body member or as text), a
// comma-separated string, or the field repeated (PHP `name[]` too, with
// Options.Brackets). Items are trimmed and empty items dropped; the first of
// names sent is read.
func (v *Values) List(names ...string) []string {
	if v == nil {
		return nil
	}
	for _, n := range names {
		vals, found := v.m[n]
		if !found {
			continue
		}
		var out []string
		for _, val := range vals {
			out = append(out, splitList(val.Text)...)
		}
		return out
	}
	return nil
}

func splitList(s string) []string {
	s = strings.TrimSpace(s)
	items, isJSON := jsonList(s)
	if !isJSON {
		items = strings.Split(s, ",")
	}
	var out []string
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// Texts reads a list of free texts, which may contain commas: only a JSON array
// or repeating the field makes more than one item, and items are kept as sent,
// empty ones included. ok is false when name was not sent.
func (v *Values) Texts(name string) (out []string, ok bool) {
	if v == nil {
		return nil, false
	}
	vals, found := v.m[name]
	if !found {
		return nil, false
	}
	for _, val := range vals {
		if items, isJSON := jsonList(strings.TrimSpace(val.Text)); isJSON {
			out = append(out, items...)
			continue
		}
		out = append(out, val.Text)
	}
	return out, true
}

// jsonList decodes a JSON array of scalars, keeping numbers as written.
func jsonList(s string) ([]string, bool) {
	if !strings.HasPrefix(s, "[") {
		return nil, false
	}
	var raw []json.RawMessage
	if json.Unmarshal([]byte(s), &raw) != nil {
		return nil, false
	}
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		var t string
		if json.Unmarshal(r, &t) == nil {
			out = append(out, t)
			continue
		}
		out = append(out, strings.TrimSpace(string(r)))
	}
	return out, true
}

// String reads a text field that may arrive as a string or a number (its
// literal). ok is false when it is absent, null or blank; a value is returned
// as sent, untrimmed. A boolean, array or object is BadType; text that is not
// UTF-8 is Invalid; more than maxRunes runes (when maxRunes > 0) is TooLong.
func (v *Values) String(name string, maxRunes int) (s string, ok bool, p *Problem) {
	val, found := v.Lookup(name)
	if !found || val.Type == Null {
		return "", false, nil
	}
	if !val.scalar() {
		return "", false, &Problem{Field: name, Kind: BadType, Want: "string", Got: val.Type}
	}
	if val.notUTF8 {
		return "", false, &Problem{Field: name, Kind: Invalid}
	}
	if maxRunes > 0 && utf8.RuneCountInString(val.Text) > maxRunes {
		return "", false, &Problem{Field: name, Kind: TooLong, Limit: int64(maxRunes)}
	}
	if strings.TrimSpace(val.Text) == "" {
		return "", false, nil
	}
	return val.Text, true, nil
}

// Required is String with absence reported as Missing.
func (v *Values) Required(name string, maxRunes int) (string, *Problem) {
	s, ok, p := v.String(name, maxRunes)
	if p != nil {
		return "", p
	}
	if !ok {
		return "", &Problem{Field: name, Kind: Missing}
	}
	return s, nil
}

// IntRule says what an integer field takes.
type IntRule struct {
	Min, Max int64 // bounds, checked when Min < Max
	Whole    bool  // also take a whole number written with a fraction or exponent (20000.0, 2e4)
}

// Int reads an integer sent as a JSON number or as text (trimmed). ok is false
// when it is absent, null or blank. A boolean, array or object is BadType;
// text that is not an integer is NotNumber; a value outside the rule's bounds
// is OutOfRange.
func (v *Values) Int(name string, r IntRule) (n int64, ok bool, p *Problem) {
	val, found := v.Lookup(name)
	if !found || val.Type == Null {
		return 0, false, nil
	}
	if !val.scalar() {
		return 0, false, &Problem{Field: name, Kind: BadType, Want: "integer", Got: val.Type}
	}
	s := strings.TrimSpace(val.Text)
	if s == "" {
		return 0, false, nil
	}
	n, good := parseInt(s, r.Whole)
	if !good {
		return 0, false, &Problem{Field: name, Kind: NotNumber, Want: "integer"}
	}
	if r.Min < r.Max && (n < r.Min || n > r.Max) {
		return 0, false, &Problem{Field: name, Kind: OutOfRange, Min: r.Min, Max: r.Max}
	}
	return n, true, nil
}

// ParseInt reads an integer; with whole, also 20000.0 or 2e4 (within ±1e15,
// where a float64 still holds every integer).
func ParseInt(s string, whole bool) (int64, bool) { return parseInt(strings.TrimSpace(s), whole) }

func parseInt(s string, whole bool) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if !whole {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x != math.Trunc(x) || x > 1e15 || x < -1e15 {
		return 0, false
	}
	return int64(x), true
}

// Bool reads true/false sent as a JSON boolean or text (1, t, true, on, yes
// and their opposites, any case). ok is false when absent, null or blank.
func (v *Values) Bool(name string) (b, ok bool, p *Problem) {
	val, found := v.Lookup(name)
	if !found || val.Type == Null {
		return false, false, nil
	}
	if val.Type == Array || val.Type == Object {
		return false, false, &Problem{Field: name, Kind: BadType, Want: "boolean", Got: val.Type}
	}
	switch strings.ToLower(strings.TrimSpace(val.Text)) {
	case "":
		return false, false, nil
	case "1", "t", "true", "on", "yes":
		return true, true, nil
	case "0", "f", "false", "off", "no":
		return false, true, nil
	}
	return false, false, &Problem{Field: name, Kind: Invalid, Want: "boolean"}
}

// File is the first file uploaded under name.
func (v *Values) File(name string) (*File, bool) {
	if v == nil {
		return nil, false
	}
	if fs := v.files[name]; len(fs) > 0 {
		return fs[0], true
	}
	return nil, false
}

// Files are the files uploaded under name.
func (v *Values) Files(name string) []*File {
	if v == nil {
		return nil
	}
	return v.files[name]
}

// JSON decodes an array or object member (a batch's items, say) into dst with
// encoding/json. ok is false when name is absent or null; a value of another
// type is BadType, and one that does not fit dst is Invalid.
func (v *Values) JSON(name string, dst any) (ok bool, p *Problem) {
	val, found := v.Lookup(name)
	if !found || val.Type == Null {
		return false, nil
	}
	if val.Type != Array && val.Type != Object {
		return false, &Problem{Field: name, Kind: BadType, Want: "array or object", Got: val.Type}
	}
	if err := json.Unmarshal([]byte(val.Text), dst); err != nil {
		return false, &Problem{Field: name, Kind: Invalid, Detail: err.Error()}
	}
	return true, nil
}

// ValidUTF8 returns s with every byte that is not part of a UTF-8 sequence
// replaced by U+FFFD, as encoding/json reads a JSON string (and writes one). A
// query, form or multipart value can carry any bytes (%FF); read as is and
// stored, it came back from the state's JSON (a snapshot, the --data-dir log)
// as U+FFFD: two track ids "u-\xff" and "u-\xfe" were one id there, so the
// snapshot could not be put back and the data dir refused to start. Read here,
// every value a provider stores is the text the JSON holds. String still
// reports such a value Invalid, for the providers that answer it.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
