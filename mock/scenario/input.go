package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	"gopkg.in/yaml.v3"
)

// Request is an Input over a request's parts: what the pipeline reads of a live
// request and what the control plane reads of a journal entry, so a `when` means
// the same in a scenario rule and in /_sandbox/journal/count. Query and body are
// parsed only when a predicate asks for them.
type Request struct {
	TenantID string
	Headers  http.Header
	RawQuery string
	RawBody  []byte

	query  url.Values
	parsed bool
	json   any
	form   url.Values
}

// Tenant implements Input.
func (r *Request) Tenant() string { return r.TenantID }

// Header implements Input.
func (r *Request) Header(name string) string { return r.Headers.Get(name) }

// Query implements Input.
func (r *Request) Query(name string) (string, bool) {
	if r.query == nil {
		r.query, _ = url.ParseQuery(r.RawQuery)
	}
	v, ok := r.query[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// Body implements Input: a JSON body (numbers kept exact) or a form body.
func (r *Request) Body(path string) (any, bool) {
	if !r.parsed {
		r.parsed = true
		trimmed := bytes.TrimSpace(r.RawBody)
		if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
			dec := json.NewDecoder(bytes.NewReader(trimmed))
			dec.UseNumber()
			if dec.Decode(&r.json) != nil {
				r.json = nil
			}
		} else if len(trimmed) > 0 {
			r.form, _ = url.ParseQuery(string(trimmed))
		}
	}
	if r.form != nil {
		v, ok := r.form[path]
		if !ok || len(v) == 0 {
			return nil, false
		}
		return v[0], true
	}
	return Lookup(r.json, path)
}

// When is a compiled `when` mapping outside any scenario.
type When []Predicate

// ParseWhen compiles a `when` mapping written in YAML or JSON (JSON is YAML) with
// the rules and messages of a scenario rule's; file names the source in errors.
// An empty document is a When that holds for every request.
func ParseWhen(file string, data []byte) (When, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		l := &loader{file: file}
		return nil, l.yamlError(err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	n := deref(doc.Content[0])
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	l := &loader{file: file}
	w := l.when(n)
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return w, nil
}

// Holds reports whether every predicate holds for in.
func (w When) Holds(in Input) bool {
	for i := range w {
		if !w[i].holds(in) {
			return false
		}
	}
	return true
}
