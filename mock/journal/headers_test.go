package journal

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// Headers marshal exactly as the http.Header they were made from, and read back.
func TestHeadersJSONAsHTTPHeader(t *testing.T) {
	h := http.Header{"X-B": {"2", "3"}, "Content-Type": {"text/plain"}, "X-A": {"1"}}
	want, _ := json.Marshal(h)
	req, res := HeadersOf2(h, http.Header{})
	got, err := json.Marshal(req)
	if err != nil || string(got) != string(want) {
		t.Fatalf("marshal = %s, %v; want %s", got, err, want)
	}
	if res != "" {
		t.Fatalf("empty half = %#v, want empty", res)
	}
	if req.Get("x-b") != "2" || !reflect.DeepEqual(req.Values("X-B"), []string{"2", "3"}) || !reflect.DeepEqual(req.Header(), h) {
		t.Fatalf("lookups: %q %v %v", req.Get("x-b"), req.Values("X-B"), req.Header())
	}
	var back Headers
	if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back.Header(), h) {
		t.Fatalf("unmarshal = %v, %v", back, err)
	}
	e, _ := json.Marshal(Entry{})
	var m map[string]any
	_ = json.Unmarshal(e, &m)
	if _, ok := m["request_headers"]; ok {
		t.Fatalf("empty headers not omitted: %s", e)
	}
}
