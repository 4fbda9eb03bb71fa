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
