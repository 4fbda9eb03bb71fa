package form

import (
	"errors"
	"fmt"
	"strings"
)

// Kind names what is wrong, neutrally: each provider words it its own way.
type Kind string

const (
	// Body-level kinds (Problem.Field is "").
	Unreadable Kind = "unreadable" // reading the body failed
	TooLarge   Kind = "too_large"  // the body is longer than Options.MaxBody (Limit)
	Empty      Kind = "empty"      // no body where Options.RequireBody asks for one
	NotObject  Kind = "not_object" // JSON that is not an object, or an encoding the provider rejects
	BadJSON    Kind = "bad_json"   // malformed JSON or data after the object
	BadForm    Kind = "bad_form"   // a bad escape in a form, or a malformed multipart body

	// Field kinds.
	Missing    Kind = "missing"      // absent, null or blank where required
	BadType    Kind = "bad_type"     // a JSON type the field cannot take (Want, Got)
	Invalid    Kind = "invalid"      // not valid text (bad UTF-8), or not one of the allowed values
	NotNumber  Kind = "not_number"   // not an integer (or a whole number, with the whole option)
	OutOfRange Kind = "out_of_range" // a number below Min or above Max
	TooLong    Kind = "too_long"     // more runes than Limit
)

// Problem is one thing wrong with a request's parameters.
type Problem struct {
	Field  string // the field as named in the request (after folding); "" for the body
	Kind   Kind
	Want   string // what the field takes: "string", "number", "integer", "list", "boolean", "file"
	Got    Type   // the JSON type that arrived, for BadType
	Limit  int64  // TooLong: the most runes; TooLarge: the most bytes
	Min    int64  // OutOfRange: the bounds that were set
	Max    int64
	Detail string // the underlying parser's words, for logs; never shown as a provider's message
}

func (p Problem) Error() string {
	var b strings.Builder
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	} else {
		b.WriteString("body: ")
	}
	b.WriteString(string(p.Kind))
	switch p.Kind {
	case BadType:
		fmt.Fprintf(&b, " (want %s, got %s)", p.Want, p.Got)
	case TooLong, TooLarge:
		fmt.Fprintf(&b, " (limit %d)", p.Limit)
	case OutOfRange:
		fmt.Fprintf(&b, " (%d..%d)", p.Min, p.Max)
	}
	if p.Detail != "" {
		b.WriteString(": ")
		b.WriteString(p.Detail)
	}
	return b.String()
}

// Body reports whether the problem is with the body as a whole.
func (p Problem) Body() bool { return p.Field == "" }

// Problems are a request's problems, body first, then fields in order.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Error()
	}
	return strings.Join(parts, "; ")
}

// Err is ps as an error, or nil when there is none (a nil Problems inside a
// non-nil error interface would read as a failure).
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// First is the first problem; ok is false when there is none.
func (ps Problems) First() (Problem, bool) {
	if len(ps) == 0 {
		return Problem{}, false
	}
	return ps[0], true
}

// Of finds the Problems in err.
func Of(err error) (Problems, bool) {
	var ps Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	var p Problem
	if errors.As(err, &p) {
		return Problems{p}, true
	}
	return nil, false
}
