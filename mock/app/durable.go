package app

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/durable"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// savedMeta is the state --data-dir keeps beside the store: the virtual clock,
// the scenarios uploaded through the control plane, and which scenario is active
// globally and per tenant. (Files under --scenarios and the shipped scenarios are
// read again from where they are.)
type savedMeta struct {
	Clock     savedClock        `json:"clock"`
	Scenarios []savedScenario   `json:"scenarios,omitempty"`
	Global    string            `json:"global,omitempty"`
	Tenants   map[string]string `json:"tenants,omitempty"`
}

// savedClock is a frozen clock's time, or a running clock's distance from wall
// time (so it runs on through the downtime, as a clock does). The offset is kept
// to the millisecond, so a clock nobody moved saves the same bytes every time.
type savedClock struct {
	Frozen bool          `json:"frozen"`
	At     *time.Time    `json:"at,omitempty"`
	Offset time.Duration `json:"offset,omitempty"`
}

type savedScenario struct {
	File   string `json:"file"`
	Source string `json:"source"`
}

// meta is the app's meta state as JSON, for the log and for snapshots.
func (a *App) meta() json.RawMessage {
	var m savedMeta
	if a.clock.Frozen() {
		at := a.clock.Now()
		m.Clock = savedClock{Frozen: true, At: &at}
	} else {
		m.Clock = savedClock{Offset: a.clock.Now().Sub(clock.Wall()).Round(time.Millisecond)}
	}
	for _, sc := range a.scenarios.List() {
		if sc.Source != nil {
			m.Scenarios = append(m.Scenarios, savedScenario{File: sc.File, Source: string(sc.Source)})
		}
	}
	sort.Slice(m.Scenarios, func(i, j int) bool {
		return m.Scenarios[i].File+m.Scenarios[i].Source < m.Scenarios[j].File+m.Scenarios[j].Source
	})
	global, tenants := a.scenarios.Active()
	m.Global = global
	if len(tenants) > 0 {
		m.Tenants = tenants
	}
	raw, _ := json.Marshal(m) // plain values: cannot fail
	return raw
}

// openData loads --data-dir and starts logging every change to it. What cannot
// be put back (a scenario this build no longer validates, an active scenario that
// is gone) is logged and skipped: a restart never refuses to start over it.
func (a *App) openData() error {
	if a.cfg.DataDir == "" {
		return nil
	}
	log := a.log.With("component", "data-dir")
	db, rec, err := durable.Open(a.cfg.DataDir, a.store, a.meta, durable.Options{Log: log})
	if err != nil {
		return err
	}
	a.db = db
	if rec.Meta != nil {
		a.applyMeta(rec.Meta, log)
	}
	// After the clock is back: what is due is judged on it.
	a.restored("")
	log.Info("state loaded", "dir", a.cfg.DataDir, "snapshot", rec.Snapshot, "records", rec.Records, "log_bytes", rec.Bytes, "torn_tail_dropped", rec.Torn)
	return nil
}

func (a *App) applyMeta(raw json.RawMessage, log interface{ Warn(string, ...any) }) {
	var m savedMeta
	if err := json.Unmarshal(raw, &m); err != nil {
		log.Warn("saved clock and scenarios do not decode; starting without them", "err", err)
		return
	}
	for _, s := range m.Scenarios {
		sc, err := scenario.Load(s.File, []byte(s.Source))
		if err == nil {
			err = sc.Validate(a.Catalog())
		}
		if err != nil {
			log.Warn("an uploaded scenario was not loaded again", "err", err)
			continue
		}
		sc.Source = []byte(s.Source)
		a.scenarios.Add(sc)
	}
	if m.Global != "" {
		if err := a.scenarios.Activate(m.Global, ""); err != nil {
			log.Warn("the active scenario was not activated again", "err", err)
		}
	}
	for tenant, name := range m.Tenants {
		if err := a.scenarios.Activate(name, tenant); err != nil {
			log.Warn("a tenant's active scenario was not activated again", "tenant", tenant, "err", err)
		}
	}
	// --clock TIME given at this start wins over the saved clock.
	if !a.cfg.ClockStart.IsZero() {
		return
	}
	var err error
	switch {
	case m.Clock.Frozen && m.Clock.At != nil:
		a.clock.Freeze(true)
		_, err = a.clock.Set(*m.Clock.At)
	case !m.Clock.Frozen:
		a.clock.Freeze(false)
		_, err = a.clock.Set(clock.Wall().Add(m.Clock.Offset))
	}
	if err != nil {
		log.Warn("the saved clock was not set again", "err", err)
	}
}

// Close ends the dashboard's event streams and writes what --data-dir holds a
// last time (a snapshot, so the next start reads no log) and stops logging. A
// test harness calls it before closing its server; Run when it has drained.
func (a *App) Close() error {
	a.closeOnce.Do(func() {
		a.closeStreams()
		if a.db != nil {
			a.closeErr = a.db.Close()
		}
	})
	return a.closeErr
}

// serveDurable serves a request with --data-dir on: the reply does not leave
// before the changes it made are on disk.
func (a *App) serveDurable(w http.ResponseWriter, r *http.Request) {
	dw := &durableWriter{ResponseWriter: w, a: a, start: a.db.Appended(), meta: isControlWrite(r)}
	a.engine.ServeHTTP(dw, r)
	dw.commit() // a handler that wrote nothing: net/http sends its 200 after this
}

// isControlWrite is a control-plane call that may change the clock or the
// scenarios, whose meta state is then logged with the reply.
func isControlWrite(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead && strings.HasPrefix(r.URL.Path, "/_sandbox")
}

// durableWriter holds the first byte of a reply until every change logged while
// the request ran is fsynced. That is a superset of the request's own changes (a
// concurrent request's may be among them), which costs at most a share of one
// group commit; a request that changed nothing, with nothing else logged
// meanwhile, does not wait.
type durableWriter struct {
	http.ResponseWriter
	a     *App
	start uint64
	meta  bool
	done  bool
	lost  bool // the changes could not be saved: the reply was replaced
	mu    sync.Mutex
}

func (w *durableWriter) commit() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return
	}
	w.done = true
	db := w.a.db
	if w.meta {
		db.AppendMeta(w.a.meta())
	}
	n := db.Appended()
	if n == w.start {
		return
	}
	if err := db.Wait(n); err != nil {
		// Never acknowledge what is not saved: the client sees a failure and
		// retries, rather than trusting a write the next start will not have.
		w.lost = true
		w.ResponseWriter.Header().Set("Content-Type", "application/json")
		w.ResponseWriter.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w.ResponseWriter, "{\"error\":%q}\n", "sandbank: the change could not be saved in --data-dir: "+err.Error())
	}
}

func (w *durableWriter) WriteHeader(code int) {
	w.commit()
	if !w.lost {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *durableWriter) Write(b []byte) (int, error) {
	w.commit()
	if w.lost {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *durableWriter) Flush() {
	w.commit()
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *durableWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *durableWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
