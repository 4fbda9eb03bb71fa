package journal

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// Headers are an entry's request or response headers, kept flat: name, value,
// name, value, … with the pairs of one name next to each other. One slice holds a
// whole header (the strings are shared with the request, not copied), which is
// much cheaper to keep a thousand of than a map per entry. It marshals exactly as
// an http.Header does ({"Name": ["value", …]}, names sorted); Header rebuilds the
// map for code that wants one.
type Headers []string

// HeadersOf copies h's names and values (not their bytes) into one slice.
func HeadersOf(h http.Header) Headers {
	return appendHeaders(nil, h)
}

// HeadersOf2 copies a and b into one allocation, returning the two halves: what
// the pipeline keeps of an exchange's request and response headers.
func HeadersOf2(a, b http.Header) (Headers, Headers) {
	if len(a) == 0 && len(b) == 0 {
		return nil, nil
	}
	flat := appendHeaders(make(Headers, 0, 2*(values(a)+values(b))), a)
	n := len(flat)
	flat = appendHeaders(flat, b)
	ra, rb := flat[:n:n], flat[n:]
	if len(ra) == 0 {
		ra = nil
	}
	if len(rb) == 0 {
		rb = nil
	}
	return ra, rb
}

func values(h http.Header) int {
	n := 0
	for _, vs := range h {
		n += len(vs)
	}
	return n
}

func appendHeaders(dst Headers, h http.Header) Headers {
	if dst == nil {
		if n := values(h); n > 0 {
			dst = make(Headers, 0, 2*n)
		}
	}
	for k, vs := range h {
		for _, v := range vs {
			dst = append(dst, k, v)
		}
	}
	return dst
}

// Get returns the first value of the named header ("" when none), as
// http.Header.Get does.
func (h Headers) Get(name string) string {
	name = http.CanonicalHeaderKey(name)
	for i := 0; i+1 < len(h); i += 2 {
		if h[i] == name {
			return h[i+1]
		}
	}
	return ""
}

// Values returns every value of the named header.
func (h Headers) Values(name string) []string {
	return h.exact(http.CanonicalHeaderKey(name))
}

func (h Headers) exact(name string) []string {
	var out []string
	for i := 0; i+1 < len(h); i += 2 {
		if h[i] == name {
			out = append(out, h[i+1])
		}
	}
	return out
}

// Header returns the headers as an http.Header (a new map; nil when there are none).
func (h Headers) Header() http.Header {
	if len(h) == 0 {
		return nil
	}
	out := make(http.Header, len(h)/2)
	for i := 0; i+1 < len(h); i += 2 {
		out[h[i]] = append(out[h[i]], h[i+1])
	}
	return out
}

// names returns the distinct names, sorted.
func (h Headers) names() []string {
	var ns []string
	for i := 0; i+1 < len(h); i += 2 {
		if !slices.Contains(ns, h[i]) {
			ns = append(ns, h[i])
		}
	}
	slices.SortFunc(ns, strings.Compare)
	return ns
}

// MarshalJSON writes the headers as http.Header marshals: an object from each name
// (sorted) to its values.
func (h Headers) MarshalJSON() ([]byte, error) {
	if h == nil {
		return []byte("null"), nil
	}
	b := []byte{'{'}
	for i, name := range h.names() {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(h.exact(name))
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (h *Headers) UnmarshalJSON(data []byte) error {
	var m map[string][]string
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	if m == nil {
		*h = nil
		return nil
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	out := Headers{}
	for _, k := range names {
		for _, v := range m[k] {
			out = append(out, k, v)
		}
	}
	*h = out
	return nil
}
