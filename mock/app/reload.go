package app

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// watchScenarios reloads --scenarios DIR when its files change. Polling keeps it
// portable and dependency-free; a second's delay is fine for files people edit.
// A change that does not load or validate is logged and the old set kept, so a
// typo never takes a running test suite's scenarios away.
func (a *App) watchScenarios(ctx context.Context) {
	dir := a.cfg.Scenarios
	if dir == "" {
		return
	}
	last := fingerprint(dir)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		fp := fingerprint(dir)
		if fp == last {
			continue
		}
		last = fp
		if err := a.reloadScenarios(); err != nil {
			a.log.Error("scenarios not reloaded", "dir", dir, "err", err)
			continue
		}
		a.log.Info("scenarios reloaded", "dir", dir)
	}
}

func (a *App) reloadScenarios() error {
	scs, err := scenario.LoadDir(a.cfg.Scenarios)
	if err == nil {
		err = validateAll(scs, a.Catalog())
	}
	if err != nil {
		return err
	}
	a.scenarios.ReplaceFiles(a.cfg.Scenarios, scs)
	return nil
}

func fingerprint(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "error: " + err.Error()
	}
	var parts []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s:%d:%d", e.Name(), info.Size(), info.ModTime().UnixNano()))
	}
	sort.Strings(parts)
	return strings.Join(parts, "|")
}
