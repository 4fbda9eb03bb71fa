package app

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// restorer is the fake provider implementing api.Restorer: on Restored it books
// an item already due, as a provider whose restored state owes work books it.
type restorer struct {
	*fake
	deps api.Deps
	mu   sync.Mutex
	got  []string // Restored's tenants, then "ran:<tenant>" for each item run
}

func (r *restorer) Restored(tenant string) {
	r.note(tenant)
	r.deps.Scheduler.Add("fake/restored/"+tenant, r.deps.Clock.Now().Add(-time.Second), func(time.Time) { r.note("ran:" + tenant) })
}

func (r *restorer) note(s string) {
	r.mu.Lock()
	r.got = append(r.got, s)
	r.mu.Unlock()
}

func (r *restorer) calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// TestRestorerIsCalled: the app tells a provider implementing api.Restorer of a
// --data-dir replay (tenant "") and of each restore, and runs what it then books
// as due before the restore answers.
func TestRestorerIsCalled(t *testing.T) {
	cfg := config.Default()
	cfg.ClockStart = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cfg.DataDir = t.TempDir()
	var r *restorer
	a, err := build(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(deps func(string) api.Deps) ([]api.Provider, error) {
		d := deps("fake")
		r = &restorer{fake: &fake{paid: store.NewTable[int](d.Store, "fake.paid")}, deps: d}
		return []api.Provider{r}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if got := strings.Join(r.calls(), ","); got != ",ran:" {
		t.Fatalf("after the start's replay: %q, want Restored(\"\") and its due item run", got)
	}
	w := httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest("PUT", "/_sandbox/state/t1", strings.NewReader(`{"tenant":"t0","tables":{}}`)))
	if w.Code != 200 {
		t.Fatal(w.Code, w.Body.String())
	}
	if got := strings.Join(r.calls(), ","); got != ",ran:,t1,ran:t1" {
		t.Fatalf("after a restore into t1: %q", got)
	}
}
