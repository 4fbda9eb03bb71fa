package pipeline

import "testing"

// A query that is valid UTF-8 comes back as sent, and one with nothing past
// ASCII costs nothing: validQuery runs on every request.
func TestValidQueryKeepsValidQueries(t *testing.T) {
	for _, q := range []string{
		"receptor=09121234567&message=hi",
		"message=%DA%A9%D8%AF+%DB%B1%DB%B2%DB%B3&x", // Persian, escaped
		"message=کد", // Persian, raw
		"bad=%zz&%",  // does not decode: left as sent
	} {
		if got := validQuery(q); got != q {
			t.Errorf("validQuery(%q) = %q", q, got)
		}
	}
	if got := validQuery("id=u-%FF&a=b"); got != "id=u-%EF%BF%BD&a=b" {
		t.Errorf("a stray byte: %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { validQuery("receptor=09121234567&message=hi&localid=1") }); n != 0 {
		t.Errorf("an ASCII query costs %v allocations", n)
	}
}
