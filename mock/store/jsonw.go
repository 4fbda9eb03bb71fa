package store

import (
	"encoding/json"
	"unicode/utf8"
)

// JSONAppender is implemented (on the pointer) by row types that write their own
// JSON. The --data-dir log encodes every changed row and a snapshot every row, so
// for the tables a busy sandbox fills (an SMS outbox) reflection and
// encoding/json's check of a MarshalJSON result are most of that cost. The output
// must be what json.Unmarshal decodes back into an equal row.
type JSONAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// encodeValue appends v's JSON: by its AppendJSON when it has one.
func encodeValue[T any](b []byte, v *T) ([]byte, error) {
	if a, ok := any(v).(JSONAppender); ok {
		return a.AppendJSON(b)
	}
	raw, err := json.Marshal(v)
	return append(b, raw...), err
}

// AppendJSONString appends s as a JSON string, as encoding/json writes it but for
// HTML escaping (not needed outside HTML): control characters, quotes and
// backslashes escaped, invalid UTF-8 replaced by U+FFFD, and U+2028 and U+2029
// escaped so the text is also valid JavaScript.
func AppendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
