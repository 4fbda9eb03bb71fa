package kavenegar

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// spec is the part of the OpenAPI document these tests read. kin-openapi is not
// in go.sum yet, so the contract is checked structurally here.
type spec struct {
	OpenAPI    string                          `yaml:"openapi"`
	Paths      map[string]map[string]operation `yaml:"paths"`
	Components struct {
		Schemas map[string]schemaDoc `yaml:"schemas"`
	} `yaml:"components"`
}

// operation is one method of a path item; the path-level "parameters" list
// decodes into it as nothing.
type operation struct {
	OperationID string `yaml:"operationId"`
	Responses   map[string]struct {
		Content map[string]struct {
			Schema struct {
				Ref string `yaml:"$ref"`
			} `yaml:"schema"`
		} `yaml:"content"`
	} `yaml:"responses"`
}

// UnmarshalYAML skips sequences (the path-level parameters).
func (o *operation) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	type plain operation
	return n.Decode((*plain)(o))
}

type schemaDoc struct {
	Type       string               `yaml:"type"`
	Required   []string             `yaml:"required"`
	Properties map[string]schemaDoc `yaml:"properties"`
	Items      *schemaDoc           `yaml:"items"`
	Ref        string               `yaml:"$ref"`
	OneOf      []schemaDoc          `yaml:"oneOf"`
	Nullable   bool                 `yaml:"nullable"`
}

func loadSpec(t *testing.T) spec {
	t.Helper()
	raw, err := os.ReadFile("../../../openapi/kavenegar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var s spec
	if err := yaml.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.OpenAPI != "3.0.3" {
		t.Fatalf("openapi %q", s.OpenAPI)
	}
	return s
}

// specPath turns an Echo path into the OpenAPI template.
func specPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := loadSpec(t)
	h := newHarness(t)
	seen := map[string]bool{}
	for _, r := range h.p.Routes() {
		item, found := s.Paths[specPath(r.Path)]
		if !found {
			t.Errorf("%s: path %s missing from the spec", r.Operation, specPath(r.Path))
			continue
		}
		if item["post"].OperationID != r.Operation {
			t.Errorf("%s: POST operationId %q", r.Operation, item["post"].OperationID)
		}
		if item["get"].OperationID != r.Operation+"_get" {
			t.Errorf("%s: GET operationId %q", r.Operation, item["get"].OperationID)
		}
		seen[specPath(r.Path)] = true
	}
	for path := range s.Paths {
		if !seen[path] {
			t.Errorf("spec path %s has no route", path)
		}
	}
}

// conforms checks v against a schema: types, required properties, no property
// the schema does not declare.
func conforms(s spec, sc schemaDoc, v any, at string) []string {
	if sc.Ref != "" {
		return conforms(s, s.Components.Schemas[strings.TrimPrefix(sc.Ref, "#/components/schemas/")], v, at)
	}
	if len(sc.OneOf) > 0 {
		for _, alt := range sc.OneOf {
			if len(conforms(s, alt, v, at)) == 0 {
				return nil
			}
		}
		return []string{at + ": matches no oneOf alternative"}
	}
	if v == nil {
		if sc.Nullable {
			return nil
		}
		return []string{at + ": null"}
	}
	var errs []string
	switch sc.Type {
	case "object":
		m, isMap := v.(map[string]any)
		if !isMap {
			return []string{at + ": not an object"}
		}
		for _, r := range sc.Required {
			if _, found := m[r]; !found {
				errs = append(errs, at+"."+r+": missing")
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, found := sc.Properties[k]
			if !found {
				errs = append(errs, at+"."+k+": not in the schema")
				continue
			}
			errs = append(errs, conforms(s, ps, m[k], at+"."+k)...)
		}
	case "array":
		l, isList := v.([]any)
		if !isList {
			return []string{at + ": not an array"}
		}
		for _, it := range l {
			errs = append(errs, conforms(s, *sc.Items, it, at+"[]")...)
		}
	case "integer":
		if f, isNum := v.(float64); !isNum || f != float64(int64(f)) {
			errs = append(errs, at+": not an integer")
		}
	case "string":
		if _, isStr := v.(string); !isStr {
			errs = append(errs, at+": not a string")
		}
	}
	return errs
}

func TestGoldenMatchesSchemas(t *testing.T) {
	s := loadSpec(t)
	for file, path := range map[string]string{
		"send.json":            "/v1/{apikey}/sms/send.json",
		"lookup.json":          "/v1/{apikey}/verify/lookup.json",
		"getdate.json":         "/v1/{apikey}/utils/getdate.json",
		"account_info.json":    "/v1/{apikey}/account/info.json",
		"countpostalcode.json": "/v1/{apikey}/sms/countpostalcode.json",
		"error_418.json":       "/v1/{apikey}/sms/send.json",
	} {
		raw, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		var body any
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatal(err)
		}
		code := "200"
		if strings.HasPrefix(file, "error_") {
			code = "default"
		}
		ref := s.Paths[path]["post"].Responses[code].Content["application/json"].Schema.Ref
		if ref == "" {
			t.Fatalf("%s %s: no schema", path, code)
		}
		for _, e := range conforms(s, schemaDoc{Ref: ref}, body, file) {
			t.Error(e)
		}
	}
}
