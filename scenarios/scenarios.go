// Package scenarios ships the example scenarios inside the binary, so that
// `sandbank serve` offers them without a scenarios directory on disk.
package scenarios

import "embed"

// FS holds the shipped scenario files at its root.
//
//go:embed *.yaml
var FS embed.FS
