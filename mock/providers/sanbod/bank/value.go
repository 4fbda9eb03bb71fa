package bank

import (
	"bytes"
	"encoding/json"
)

// Value is a request field Sanbod documents inconsistently as a string or a number
// (transferAmount is "20000" in every example and integer in two field tables). It
// takes any JSON: a string's content, a number's literal, "" for null; other JSON
// is kept raw so validation reports it under its field instead of the decoder
// failing the whole body.
type Value string

// UnmarshalJSON never fails, by design.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*v = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			*v = Value(b)
			return nil
		}
		*v = Value(s)
	default:
		*v = Value(b)
	}
	return nil
}
