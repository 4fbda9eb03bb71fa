package form

import (
	"errors"
	"net/url"
	"strings"
	"unicode/utf16"
)

var errEscape = errors.New("invalid URL escape")

// queryUnescape is url.QueryUnescape, its error reduced to the fixed text
// problems have always carried.
func queryUnescape(s string) (string, error) {
	u, err := url.QueryUnescape(s)
	if err != nil {
		return "", errEscape
	}
	return u, nil
}

// lenientUnescape decodes +, %XX and %uXXXX and keeps a bad escape as written,
// because .NET clients send %uXXXX escapes and some send nothing encoded at all
// (Kavenegar's own .NET SDK is one). %u escapes are UTF-16 code units, so a
// surrogate pair arrives as two escapes and is joined here.
func lenientUnescape(s string) string {
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
