package openapi

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// Served is a document as /_sandbox/openapi/<file> serves it: every servers list
// (the document's, a path's, an operation's) starts with sandbank itself and then
// names the real hosts. sandbank's entry is relative ("/api.kavenegar.com" for
// https://api.kavenegar.com), so it resolves against wherever the document was
// fetched from, on any port, and a Postman or Insomnia import calls sandbank, not
// production. Entries that name sandbank at a fixed address (localhost:8080) are
// dropped for the same reason. mounted says which real host names sandbank serves
// under a /<host> prefix; servers on other hosts stay as they are.
func Served(doc []byte, mounted func(host string) bool) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("openapi: not a mapping document")
	}
	top := root.Content[0]
	rewrite := func(m *yaml.Node) {
		if s := value(m, "servers"); s != nil && s.Kind == yaml.SequenceNode {
			s.Content = servers(s.Content, mounted)
		}
	}
	rewrite(top)
	if paths := value(top, "paths"); paths != nil && paths.Kind == yaml.MappingNode {
		for i := 1; i < len(paths.Content); i += 2 {
			item := paths.Content[i]
			if item.Kind != yaml.MappingNode {
				continue
			}
			rewrite(item)
			for j := 1; j < len(item.Content); j += 2 {
				switch item.Content[j-1].Value {
				case "get", "put", "post", "delete", "options", "head", "patch", "trace":
					if item.Content[j].Kind == yaml.MappingNode {
						rewrite(item.Content[j])
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, err
	}
	_ = enc.Close()
	return buf.Bytes(), nil
}

func value(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// servers reorders one servers list: sandbank's relative entries first, one per
// mounted real server in the order written, then every real server.
func servers(in []*yaml.Node, mounted func(string) bool) []*yaml.Node {
	var own, real []*yaml.Node
	seen := map[string]bool{}
	addOwn := func(n *yaml.Node, u string) {
		if seen[u] {
			return
		}
		seen[u] = true
		own = append(own, n)
	}
	for _, n := range in {
		raw := ""
		if u := value(n, "url"); u != nil {
			raw = u.Value
		}
		if strings.HasPrefix(raw, "/") {
			addOwn(n, raw)
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			real = append(real, n)
			continue
		}
		host := u.Hostname()
		if host == "localhost" || net.ParseIP(host).IsLoopback() {
			continue // sandbank at one fixed address: the relative entry replaces it
		}
		real = append(real, n)
		if mounted(strings.ToLower(host)) {
			rel := "/" + strings.ToLower(host) + strings.TrimSuffix(rawPath(raw), "/")
			addOwn(server(rel, "sandbank, serving "+host+" (relative to where this document was fetched)", value(n, "variables")), rel)
		}
	}
	return append(own, real...)
}

// rawPath is the path of an absolute URL as written: server variables ({key})
// must stay unescaped.
func rawPath(raw string) string {
	_, rest, _ := strings.Cut(raw, "://")
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return ""
	}
	p := rest[i:]
	if j := strings.IndexAny(p, "?#"); j >= 0 {
		p = p[:j]
	}
	return p
}

func server(u, description string, variables *yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	n.Content = append(n.Content, str("url"), str(u), str("description"), str(description))
	if variables != nil {
		n.Content = append(n.Content, str("variables"), variables)
	}
	return n
}

// Operation is one call added to a document by AddOperations.
type Operation struct {
	ID, Method, Path, Summary, Tag string // Path in Echo form: /x/:id
}

// AddOperations adds ops under paths, each answering 200 JSON or a 4xx error:
// the control plane's document gets every provider's inspection calls this way,
// so a new provider's appear without editing sandbox.yaml.
func AddOperations(doc []byte, ops []Operation) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("openapi: not a mapping document")
	}
	top := root.Content[0]
	paths := value(top, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("openapi: no paths")
	}
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	mapping := func(kv ...*yaml.Node) *yaml.Node {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
	}
	for _, op := range ops {
		segs := strings.Split(op.Path, "/")
		var params []*yaml.Node
		for i, s := range segs {
			if strings.HasPrefix(s, ":") {
				segs[i] = "{" + s[1:] + "}"
				params = append(params, mapping(str("name"), str(s[1:]), str("in"), str("path"),
					str("required"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"},
					str("schema"), mapping(str("type"), str("string"))))
			}
		}
		p := strings.Join(segs, "/")
		item := value(paths, p)
		if item == nil {
			item = mapping()
			paths.Content = append(paths.Content, str(p), item)
		}
		body := mapping(str("operationId"), str(op.ID), str("summary"), str(op.Summary))
		if op.Tag != "" {
			body.Content = append(body.Content, str("tags"), &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{str(op.Tag)}})
		}
		if len(params) > 0 {
			body.Content = append(body.Content, str("parameters"), &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: params})
		}
		schema := mapping(str("schema"), mapping(str("type"), str("object")))
		ok := mapping(str("description"), str("JSON"), str("content"), mapping(str("application/json"), schema))
		errRef := func() *yaml.Node { return mapping(str("$ref"), str("#/components/responses/Error")) }
		body.Content = append(body.Content, str("responses"), mapping(str("200"), ok, str("400"), errRef(), str("404"), errRef()))
		item.Content = append(item.Content, str(strings.ToLower(op.Method)), body)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, err
	}
	_ = enc.Close()
	return buf.Bytes(), nil
}
