// Package openapi ships one OpenAPI 3 document per provider, served at
// /_sandbox/openapi/<provider>.yaml and checked against the route tables by the
// contract tests.
package openapi

import "embed"

// FS holds <provider>.yaml for every provider.
//
//go:embed *.yaml
var FS embed.FS
