package app

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// TestShippedScenariosLint checks every shipped scenario file against the
// operations, codes and statuses the shipped providers really declare, the way
// `sandbank lint` checks a user's files.
func TestShippedScenariosLint(t *testing.T) {
	a, err := New(config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := scenario.Lint(filepath.Join("..", "..", "scenarios"), a.Catalog()); err != nil {
		t.Error(err)
	}
}
