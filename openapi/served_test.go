package openapi

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestServedPutsSandbankFirst(t *testing.T) {
	doc := []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
servers:
- url: http://localhost:8080/vandar
- url: https://api.example.ir/v2/{key}
  description: production
  variables:
    key: {default: abc}
- url: https://elsewhere.example.com
- url: http://127.0.0.1:8080/api.example.ir
paths:
  /pay:
    servers:
    - url: https://ipg.example.ir
    post:
      servers:
      - url: http://localhost:8080/ipg.example.ir
      - url: https://ipg.example.ir/
      responses: {'200': {description: ok}}
`)
	mounted := func(h string) bool { return h == "api.example.ir" || h == "ipg.example.ir" }
	out, err := Served(doc, mounted)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Servers []struct {
			URL         string
			Description string
			Variables   map[string]any
		}
		Paths map[string]map[string]any
	}
	if err := yaml.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, s := range v.Servers {
		urls = append(urls, s.URL)
	}
	if got := strings.Join(urls, " "); got != "/api.example.ir/v2/{key} https://api.example.ir/v2/{key} https://elsewhere.example.com" {
		t.Fatalf("servers: %s\n%s", got, out)
	}
	if v.Servers[0].Variables["key"] == nil || !strings.Contains(v.Servers[0].Description, "sandbank") {
		t.Fatalf("the relative server lost its variables or description: %+v", v.Servers[0])
	}
	pathServers := v.Paths["/pay"]["servers"].([]any)
	if pathServers[0].(map[string]any)["url"] != "/ipg.example.ir" || len(pathServers) != 2 {
		t.Fatalf("path servers: %v", pathServers)
	}
	opServers := v.Paths["/pay"]["post"].(map[string]any)["servers"].([]any)
	if opServers[0].(map[string]any)["url"] != "/ipg.example.ir" || len(opServers) != 2 {
		t.Fatalf("operation servers: %v", opServers)
	}
	// Idempotent: serving a served document changes nothing more.
	again, err := Served(out, mounted)
	if err != nil || string(again) != string(out) {
		t.Fatalf("not idempotent:\n%s\n---\n%s", out, again)
	}
}

func TestAddOperations(t *testing.T) {
	doc := []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n")
	out, err := AddOperations(doc, []Operation{
		{ID: "x.get", Method: "GET", Path: "/_sandbox/x/items/:id", Summary: "one item", Tag: "state"},
		{ID: "x.del", Method: "DELETE", Path: "/_sandbox/x/items/:id", Summary: "drop it"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Paths map[string]map[string]map[string]any
	}
	if err := yaml.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	item := v.Paths["/_sandbox/x/items/{id}"]
	if item["get"]["operationId"] != "x.get" || item["delete"]["operationId"] != "x.del" || v.Paths["/a"]["get"] == nil {
		t.Fatalf("%s", out)
	}
	p := item["get"]["parameters"].([]any)[0].(map[string]any)
	if p["name"] != "id" || p["in"] != "path" || p["required"] != true {
		t.Fatalf("parameter %v", p)
	}
}
