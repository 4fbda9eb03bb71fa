package scenario

import (
	"encoding/json"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// Input is what the matcher reads of a request. The app implements it over the HTTP
// request so that this package needs no server code.
type Input interface {
	Tenant() string
	Header(name string) string // canonical header lookup, "" if absent
	Query(name string) (string, bool)
	// Body is the value at a dotted path of the JSON or form body: string,
	// float64 or json.Number, bool, nil, []any or map[string]any. Lookup walks a
	// decoded body this way. Decode with json.Decoder.UseNumber: float64 rounds
	// numbers beyond 2^53, and a card number sent as a JSON number would then not
	// equal the one a scenario names.
	Body(path string) (any, bool)
}

// Lookup walks a decoded JSON body (maps and slices) along a dotted path; a segment
// of digits indexes an array ("items.0.id").
func Lookup(root any, path string) (any, bool) {
	v := root
	for seg := range strings.SplitSeq(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			next, ok := t[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, ok := index(seg)
			if !ok || i >= len(t) {
				return nil, false
			}
			v = t[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// index accepts only plain digits: strconv.Atoi would also take "+1" and "-0".
func index(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

type source uint8

const (
	fromTenant source = iota
	fromHeader
	fromQuery
	fromBody
)

// Predicate is one `when` entry: a value of the request and the conditions it must
// meet. It is built by Load, which compiles regular expressions and parses numbers
// once.
type Predicate struct {
	Key  string // as written: tenant, header.X-Name, query.name, body.dotted.path
	Line int

	src     source
	name    string
	conds   []cond
	numeric bool // some condition compares numbers: read the input as one, once
	text    bool // some condition compares text: spell out inputs that came as numbers
}

type condOp uint8

const (
	opEq condOp = iota
	opNe
	opGt
	opGte
	opLt
	opLte
	opRegex
	opIn
)

type cond struct {
	op   condOp
	val  scalar
	list []scalar
	re   *regexp.Regexp
}

// scalar is a value as text, and as a number when the text is a decimal number or
// the value came as one. Numbers compare as float64 only when both sides have at
// most 15 significant digits, which float64 tells apart exactly; longer ones (card
// numbers, amounts in Rial) compare as big.Rat, so that two different cards never
// compare equal.
type scalar struct {
	s     string
	isNum bool
	f     float64
	short bool     // f holds the number exactly enough to compare with another short one
	num   *big.Rat // the exact number of a long decimal text
}

func newScalar(s string) scalar {
	var sc scalar
	sc.s = s
	sc.setNumber()
	return sc
}

// setNumber reads sc.s as a number if it is one. Only plain decimal notation
// counts: strconv and big.Rat would also read hex, octal, fractions, "inf" and
// underscores, which no request means as numbers. Length and exponent are bounded
// because the text comes from requests.
func (sc *scalar) setNumber() {
	s := sc.s
	if len(s) == 0 || len(s) > 100 {
		return
	}
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	digits, significant := 0, 0
	count := func(c byte) {
		digits++
		if significant > 0 || c != '0' {
			significant++
		}
	}
	for ; i < len(s) && isDigit(s[i]); i++ {
		count(s[i])
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && isDigit(s[i]); i++ {
			count(s[i])
		}
	}
	if digits == 0 {
		return
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && isDigit(s[i]); i++ {
			exp++
		}
		if exp == 0 || exp > 3 {
			return
		}
	}
	if i != len(s) {
		return
	}
	if significant <= 15 {
		f, err := strconv.ParseFloat(s, 64)
		if err == nil { // out of float64's range otherwise: fall back to big.Rat
			sc.isNum, sc.f, sc.short = true, f, true
			return
		}
	}
	if r, ok := new(big.Rat).SetString(s); ok {
		sc.isNum, sc.num = true, r
	}
}

func (sc *scalar) setFloat(f float64) {
	if !math.IsInf(f, 0) && !math.IsNaN(f) {
		sc.isNum, sc.f, sc.short = true, f, true
	}
}

func (sc scalar) rat() *big.Rat {
	if sc.num != nil {
		return sc.num
	}
	return new(big.Rat).SetFloat64(sc.f)
}

// cmp orders two numbers; both must have isNum.
func cmp(a, b scalar) int {
	if a.short && b.short {
		switch {
		case a.f < b.f:
			return -1
		case a.f > b.f:
			return 1
		}
		return 0
	}
	return a.rat().Cmp(b.rat())
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// input reads the predicate's value from the request. ok is false for values that
// are absent or not scalars (null, arrays, objects), which no condition but ne
// accepts. The text of a number that came as a number is made only if a condition
// compares text.
func (p *Predicate) input(in Input) (sc scalar, ok bool) {
	switch p.src {
	case fromTenant:
		sc.s = in.Tenant()
		ok = sc.s != ""
	case fromHeader:
		sc.s = in.Header(p.name)
		ok = sc.s != ""
	case fromQuery:
		sc.s, ok = in.Query(p.name)
	default:
		var v any
		if v, ok = in.Body(p.name); !ok {
			return sc, false
		}
		switch t := v.(type) {
		case string:
			sc.s = t
		case json.Number:
			sc.s = string(t)
		case bool:
			sc.s = strconv.FormatBool(t)
			return sc, true
		case float64:
			sc.setFloat(t)
			if p.text {
				sc.s = strconv.FormatFloat(t, 'f', -1, 64)
			}
			return sc, true
		case float32:
			sc.setFloat(float64(t))
			if p.text {
				sc.s = strconv.FormatFloat(float64(t), 'f', -1, 32)
			}
			return sc, true
		case int:
			sc.setFloat(float64(t))
			sc.s = strconv.Itoa(t)
			sc.short = sc.short && t < 1<<53 && t > -(1<<53)
			if !sc.short {
				sc.num = new(big.Rat).SetInt64(int64(t))
			}
			return sc, true
		default:
			return sc, false
		}
	}
	if ok && p.numeric {
		sc.setNumber()
	}
	return sc, ok
}

func (p *Predicate) holds(in Input) bool {
	v, ok := p.input(in)
	for i := range p.conds {
		if !p.conds[i].holds(v, ok) {
			return false
		}
	}
	return true
}

func (c *cond) holds(v scalar, present bool) bool {
	if !present {
		return c.op == opNe
	}
	switch c.op {
	case opEq:
		return equal(v, c.val)
	case opNe:
		return !equal(v, c.val)
	case opIn:
		for _, w := range c.list {
			if equal(v, w) {
				return true
			}
		}
		return false
	case opRegex:
		return c.re.MatchString(v.s)
	}
	if !v.isNum {
		return false
	}
	n := cmp(v, c.val)
	switch c.op {
	case opGt:
		return n > 0
	case opGte:
		return n >= 0
	case opLt:
		return n < 0
	default:
		return n <= 0
	}
}

func equal(a, b scalar) bool {
	if a.isNum && b.isNum {
		return cmp(a, b) == 0
	}
	return a.s == b.s
}
