package app_test

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/app"
	"github.com/sandbank-dev/sandbank/mock/config"
)

// TestFixtureTyposFailWithFileAndLine: every provider's fixture file is decoded
// strictly, so an unknown key stops start-up with the file and line of the key.
func TestFixtureTyposFailWithFileAndLine(t *testing.T) {
	for _, name := range []string{"kavenegar.yaml", "paynet.yaml", "finnotech.yaml", "sanbod.yaml"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []string{"kavenegar.yaml", "paynet.yaml", "finnotech.yaml", "sanbod.yaml"} {
				raw, err := fixtures.FS.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if f == name {
					raw = append([]byte("# a typo on line 2\nnot_a_field: 1\n"), raw...)
				}
				if err := os.WriteFile(filepath.Join(dir, f), raw, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg := config.Default()
			cfg.Fixtures = dir
			_, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err == nil || !strings.Contains(err.Error(), name+":2: field not_a_field not found") {
				t.Fatalf("start-up error %v, want %s:2 and the field", err, name)
			}
		})
	}
}
