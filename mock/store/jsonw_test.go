package store

import (
	"encoding/json"
	"testing"
)

// AppendJSONString writes valid JSON that decodes to what encoding/json's own
// encoding decodes to, for any string, invalid UTF-8 included.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\s`, "a\x00\x1f\n\r\t\b\f", "کد ورود", "\u2028\u2029", "bad\xff\xfe", "<&>", "\U0001F600"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendJSONString(nil, s)
		if !json.Valid(got) {
			t.Fatalf("%q encodes as invalid JSON %s", s, got)
		}
		want, _ := json.Marshal(s)
		var a, b string
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(want, &b)
		if a != b {
			t.Fatalf("%q decodes as %q, encoding/json's as %q", s, a, b)
		}
	})
}
