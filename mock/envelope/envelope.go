// Package envelope holds the one error value every provider renders in its own
// format. Handlers return *Error; the owning provider's renderer turns it into bytes,
// so no handler ever writes an error body itself.
package envelope

import (
	"errors"
	"sort"
)

// Kind classifies errors raised outside any handler (routing, body limits, panics),
// so a provider can map them onto its own codes.
type Kind uint8

const (
	KindProvider         Kind = iota // a provider code from its catalogue
	KindNotFound                     // no route matched under the provider's mount
	KindMethodNotAllowed             // the path exists, the method does not
	KindTooLarge                     // the body exceeds the configured limit
	KindBadRequest                   // the body could not be read or decoded
	KindInternal                     // a recovered panic or an unexpected failure
)

// Error is a provider error: an HTTP status, the provider's own code and message,
// and optional per-field details (Laravel-style providers list messages per field).
type Error struct {
	Status  int
	Code    string
	Message string
	Fields  map[string][]string
	Kind    Kind
	Cause   error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Code + ": " + e.Message + ": " + e.Cause.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// As finds an *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Entry is one catalogue line: the status a code is sent with and its message.
type Entry struct {
	Status  int
	Message string
}

// Catalogue is a provider's error table, keyed by the provider's code.
type Catalogue map[string]Entry

// Err builds the error for code. An unknown code is a programming error in the
// provider, reported as an internal error rather than a panic.
func (c Catalogue) Err(code string) *Error {
	en, ok := c[code]
	if !ok {
		return &Error{Status: 500, Code: code, Message: "sandbank: code " + code + " missing from catalogue", Kind: KindInternal}
	}
	return &Error{Status: en.Status, Code: code, Message: en.Message}
}

// With returns a copy of the error for code carrying a different message, for codes
// whose message depends on the request (a field name, a limit).
func (c Catalogue) With(code, message string) *Error {
	e := c.Err(code)
	e.Message = message
	return e
}

// Has reports whether code is in the catalogue.
func (c Catalogue) Has(code string) bool { _, ok := c[code]; return ok }

// Codes lists the catalogue's codes in sorted order.
func (c Catalogue) Codes() []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Answer is how a provider answers one Kind the engine raises: the catalogue
// code it is sent as, and optionally a status and message other than the
// catalogue entry's.
type Answer struct {
	Code    string
	Status  int
	Message string
}

// Raised maps the kinds the engine raises (not found, method not allowed, body
// too large or unreadable, internal) onto a provider's answers.
type Raised map[Kind]Answer

// Resolve is the one lookup every envelope makes before writing an error: the
// code, status and message e goes on the wire with.
//   - A kind the engine raised is answered as raised says (catalogue status and
//     message unless the Answer overrides them).
//   - A provider error keeps the status and message it was built with; what it
//     leaves empty comes from its catalogue entry.
//   - A code missing from the catalogue with no status is a programming error in
//     the provider, answered as raised[KindInternal].
func (c Catalogue) Resolve(e *Error, raised Raised) (code string, status int, msg string) {
	if a, ok := raised[e.Kind]; ok && e.Kind != KindProvider {
		return c.answer(a)
	}
	code, status, msg = e.Code, e.Status, e.Message
	en, known := c[code]
	if !known {
		if status == 0 {
			if a, ok := raised[KindInternal]; ok {
				return c.answer(a)
			}
			status = 500
		}
		return code, status, msg
	}
	if status == 0 {
		status = en.Status
	}
	if msg == "" {
		msg = en.Message
	}
	return code, status, msg
}

func (c Catalogue) answer(a Answer) (string, int, string) {
	en := c[a.Code]
	status, msg := en.Status, en.Message
	if a.Status != 0 {
		status = a.Status
	}
	if a.Message != "" {
		msg = a.Message
	}
	return a.Code, status, msg
}
