package app

import (
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/sandbank-dev/sandbank/openapi"
)

// openapiDocs serves the shipped OpenAPI documents with sandbank's own server
// first (openapi.Served), each rewritten once, on first request.
type openapiDocs struct {
	fsys    fs.FS
	mounted func(host string) bool
	mu      sync.Mutex
	cache   map[string][]byte
}

// OpenAPIFiles lists the documents sandbank serves: one per provider that ships
// one, and sandbox.yaml for the control plane.
func (a *App) OpenAPIFiles() []string {
	entries, _ := fs.ReadDir(a.docs.fsys, ".")
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// OpenAPI is one document as /_sandbox/openapi/<file> serves it.
func (a *App) OpenAPI(file string) ([]byte, bool) {
	d := a.docs
	d.mu.Lock()
	defer d.mu.Unlock()
	if b, ok := d.cache[file]; ok {
		return b, true
	}
	raw, err := fs.ReadFile(d.fsys, file)
	if err != nil {
		return nil, false
	}
	if file == "sandbox.yaml" {
		raw, err = openapi.AddOperations(raw, a.adminOperations())
	}
	out := raw
	if err == nil {
		out, err = openapi.Served(raw, d.mounted)
	}
	if err != nil {
		// A shipped document that does not parse is caught by the openapi tests;
		// serving it as written beats serving nothing.
		a.log.Error("openapi document not rewritten", "file", file, "err", err)
		out = raw
	}
	d.cache[file] = out
	return out, true
}

// adminOperations are the providers' own control-plane calls, for sandbox.yaml.
func (a *App) adminOperations() []openapi.Operation {
	var ops []openapi.Operation
	for _, p := range a.engine.Providers() {
		for _, r := range p.Admin() {
			id := p.Name() + ".admin." + strings.ToLower(r.Method) + strings.NewReplacer("/", "_", ":", "", "{", "", "}", "").Replace(r.Path)
			summary := r.Summary
			if summary == "" {
				summary = p.Name() + " inspection call"
			}
			ops = append(ops, openapi.Operation{ID: id, Method: r.Method, Path: "/_sandbox/" + p.Name() + r.Path, Summary: summary, Tag: "state"})
		}
	}
	return ops
}

// newOpenAPIDocs knows every host name and alias the providers mount.
func (a *App) newOpenAPIDocs() *openapiDocs {
	hosts := map[string]bool{}
	for _, p := range a.engine.Providers() {
		for _, h := range p.Hosts() {
			for _, n := range append([]string{h.Name}, h.Aliases...) {
				if strings.Contains(n, ".") {
					hosts[strings.ToLower(n)] = true
				}
			}
		}
	}
	return &openapiDocs{fsys: openapi.FS, mounted: func(h string) bool { return hosts[h] }, cache: map[string][]byte{}}
}
