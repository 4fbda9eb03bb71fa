package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/config"
)

// Every served document parses and validates, lists sandbank's own relative server
// first, and the control plane's document names every route the control plane
// registers (provider inspection calls included), so none goes undocumented.
func TestServedOpenAPIDocuments(t *testing.T) {
	a, err := New(config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	files := a.OpenAPIFiles()
	if len(files) < 2 || !strings.Contains(strings.Join(files, " "), "sandbox.yaml") {
		t.Fatalf("documents: %v", files)
	}
	docs := map[string]*openapi3.T{}
	for _, f := range files {
		data, ok := a.OpenAPI(f)
		if !ok {
			t.Fatalf("%s not served", f)
		}
		doc, err := openapi3.NewLoader().LoadFromData(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			t.Fatalf("%s is not valid OpenAPI: %v", f, err)
		}
		if len(doc.Servers) == 0 || !strings.HasPrefix(doc.Servers[0].URL, "/") {
			t.Fatalf("%s: first server %v is not sandbank's relative URL", f, doc.Servers)
		}
		for _, s := range doc.Servers {
			if strings.Contains(s.URL, "localhost") {
				t.Fatalf("%s: a fixed sandbank address is served: %s", f, s.URL)
			}
		}
		for p, item := range doc.Paths.Map() {
			for m, op := range item.Operations() {
				if op.Servers != nil && len(*op.Servers) > 0 && !strings.HasPrefix((*op.Servers)[0].URL, "/") {
					t.Fatalf("%s %s %s: first server %s", f, m, p, (*op.Servers)[0].URL)
				}
			}
		}
		docs[f] = doc
	}
	for _, p := range a.Providers() {
		if docs[p.Name()+".yaml"] == nil {
			t.Errorf("provider %s serves no OpenAPI document", p.Name())
		}
	}

	sandbox := docs["sandbox.yaml"]
	for _, r := range a.engine.Echo().Routes() {
		if !strings.HasPrefix(r.Path, "/_sandbox") && r.Path != "/metrics" {
			continue
		}
		if strings.HasSuffix(r.Path, "/*") || r.Method == echo.RouteNotFound {
			continue // the control plane's 404s
		}
		path := openapiPath(r.Path)
		item := sandbox.Paths.Value(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("sandbox.yaml lacks %s %s", r.Method, path)
		}
	}
	// And the document names nothing the server does not serve.
	served := map[string]bool{}
	for _, r := range a.engine.Echo().Routes() {
		served[r.Method+" "+openapiPath(r.Path)] = true
	}
	for p, item := range sandbox.Paths.Map() {
		for m := range item.Operations() {
			if !served[m+" "+p] {
				t.Errorf("sandbox.yaml documents %s %s, which is not served", m, p)
			}
		}
	}
}

func openapiPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

func TestOpenAPIOverHTTP(t *testing.T) {
	s := start(t, nil)
	r := s.do(t, "GET", "/_sandbox/openapi", "", "")
	if r.status != http.StatusOK || !strings.Contains(r.body, "/_sandbox/openapi/sandbox.yaml") {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	if r := s.do(t, "GET", "/_sandbox/openapi/sandbox.yaml", "", ""); r.status != 200 || !strings.Contains(r.body, "/_sandbox/journal/count") {
		t.Fatalf("sandbox.yaml: %d", r.status)
	}
	if r := s.do(t, "GET", "/_sandbox/openapi/nope.yaml", "", ""); r.status != 404 {
		t.Fatalf("missing document: %d", r.status)
	}
}
