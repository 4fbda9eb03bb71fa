package journal

import (
	"encoding/binary"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// Headers are an entry's request or response headers, kept as one string: for
// each value, its name and the value, each preceded by its length (uvarint), the
// pairs of one name next to each other. A string holds no pointers for the
// collector to follow, and one per header is much cheaper to keep a thousand of
// than a map per entry. It marshals exactly as an http.Header does
// ({"Name": ["value", …]}, names sorted); Header rebuilds the map for code that
// wants one.
type Headers string

// HeadersOf copies h's names and values into one string.
func HeadersOf(h http.Header) Headers {
	var stack [512]byte
	return Headers(appendHeaders(stack[:0], h))
}

// HeadersOf2 copies a and b into one allocation, returning the two halves: what
// the pipeline keeps of an exchange's request and response headers.
func HeadersOf2(a, b http.Header) (Headers, Headers) {
	var stack [1024]byte
	buf := appendHeaders(stack[:0], a)
	n := len(buf)
	all := Headers(appendHeaders(buf, b))
	return all[:n], all[n:]
}

func appendHeaders(dst []byte, h http.Header) []byte {
	for k, vs := range h {
		for _, v := range vs {
			dst = binary.AppendUvarint(dst, uint64(len(k)))
			dst = append(dst, k...)
			dst = binary.AppendUvarint(dst, uint64(len(v)))
			dst = append(dst, v...)
		}
	}
	return dst
}

// next reads one name and value off h; ok is false at the end (or on damage).
func (h Headers) next() (name, value string, rest Headers, ok bool) {
	s := string(h)
	n, w := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
	if w <= 0 || uint64(len(s)-w) < n {
		return "", "", "", false
	}
	name, s = s[w:w+int(n)], s[w+int(n):]
	n, w = binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
	if w <= 0 || uint64(len(s)-w) < n {
		return "", "", "", false
	}
	return name, s[w : w+int(n)], Headers(s[w+int(n):]), true
}

// Get returns the first value of the named header ("" when none), as
// http.Header.Get does.
func (h Headers) Get(name string) string {
	name = http.CanonicalHeaderKey(name)
	for k, v, rest, ok := h.next(); ok; k, v, rest, ok = rest.next() {
		if k == name {
			return v
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
	for k, v, rest, ok := h.next(); ok; k, v, rest, ok = rest.next() {
		if k == name {
			out = append(out, v)
		}
	}
	return out
}

// Header returns the headers as an http.Header (a new map; nil when there are none).
func (h Headers) Header() http.Header {
	if h == "" {
		return nil
	}
	out := http.Header{}
	for k, v, rest, ok := h.next(); ok; k, v, rest, ok = rest.next() {
		out[k] = append(out[k], v)
	}
	return out
}

// names returns the distinct names, sorted.
func (h Headers) names() []string {
	var ns []string
	for k, _, rest, ok := h.next(); ok; k, _, rest, ok = rest.next() {
		if !slices.Contains(ns, k) {
			ns = append(ns, k)
		}
	}
	slices.SortFunc(ns, strings.Compare)
	return ns
}

// MarshalJSON writes the headers as http.Header marshals: an object from each name
// (sorted) to its values.
func (h Headers) MarshalJSON() ([]byte, error) {
	if h == "" {
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
	*h = HeadersOf(m)
	return nil
}
