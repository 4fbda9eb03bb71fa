package envelope

import (
	"errors"
	"fmt"
	"testing"
)

var cat = Catalogue{
	"418": {Status: 418, Message: "اعتبار شما کافی نمیباشد"},
	"A00": {Status: 200, Message: "موفق"},
}

func TestCatalogue(t *testing.T) {
	e := cat.Err("418")
	if e.Status != 418 || e.Code != "418" || e.Message != "اعتبار شما کافی نمیباشد" || e.Kind != KindProvider {
		t.Fatalf("Err: %+v", e)
	}
	if w := cat.With("A00", "other"); w.Message != "other" || cat["A00"].Message != "موفق" {
		t.Fatalf("With changed the catalogue or did not apply: %+v", w)
	}
	if missing := cat.Err("nope"); missing.Kind != KindInternal || missing.Status != 500 {
		t.Fatalf("a code missing from the catalogue must be an internal error: %+v", missing)
	}
	if !cat.Has("A00") || cat.Has("B00") {
		t.Fatal("Has")
	}
	if got := fmt.Sprint(cat.Codes()); got != "[418 A00]" {
		t.Fatalf("Codes = %s", got)
	}
}

func TestAsFindsWrappedErrors(t *testing.T) {
	cause := errors.New("disk")
	e := &Error{Status: 409, Code: "409", Message: "retry", Cause: cause}
	wrapped := fmt.Errorf("handler: %w", e)
	got, ok := As(wrapped)
	if !ok || got != e || !errors.Is(wrapped, cause) {
		t.Fatalf("As/Is through wrapping: %v %v", got, ok)
	}
	if _, ok := As(errors.New("plain")); ok {
		t.Fatal("plain error taken for an envelope error")
	}
	if e.Error() != "409: retry: disk" {
		t.Fatalf("Error() = %q", e.Error())
	}
}

func TestResolve(t *testing.T) {
	cat := Catalogue{"A": {Status: 400, Message: "a"}, "NF": {Status: 404, Message: "not found"}, "INT": {Status: 500, Message: "internal"}}
	raised := Raised{KindNotFound: {Code: "NF"}, KindTooLarge: {Code: "A", Status: 413, Message: "too big"}, KindInternal: {Code: "INT"}}
	tests := []struct {
		name   string
		e      *Error
		code   string
		status int
		msg    string
	}{
		{"raised kind: the catalogue's answer", &Error{Kind: KindNotFound, Status: 404, Message: "no such path"}, "NF", 404, "not found"},
		{"raised kind with its own status and message", &Error{Kind: KindTooLarge}, "A", 413, "too big"},
		{"provider error fills from its entry", &Error{Code: "A"}, "A", 400, "a"},
		{"provider error keeps its own words", &Error{Code: "A", Status: 422, Message: "field x"}, "A", 422, "field x"},
		{"uncatalogued code with no status is internal", &Error{Code: "ZZ"}, "INT", 500, "internal"},
		{"uncatalogued code with a status is kept", &Error{Code: "ZZ", Status: 409, Message: "m"}, "ZZ", 409, "m"},
	}
	for _, tt := range tests {
		code, status, msg := cat.Resolve(tt.e, raised)
		if code != tt.code || status != tt.status || msg != tt.msg {
			t.Errorf("%s: %s %d %q", tt.name, code, status, msg)
		}
	}
}
