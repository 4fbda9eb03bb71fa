// Package admin is the control plane under /_sandbox: health, routes, the virtual
// clock, scenarios, the journal, reset, per-tenant state, OpenAPI documents, the
// web dashboard, and each provider's own inspection calls. Errors are 4xx with
// {"error": "..."}; nothing here ever answers in a provider's format.
package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
	"github.com/sandbank-dev/sandbank/mock/webhook"
)

// RouteInfo is one row of /_sandbox/routes.
type RouteInfo struct {
	Provider  string   `json:"provider"`
	Operation string   `json:"operation"`
	Method    string   `json:"method"`
	Path      string   `json:"path"`
	Alias     int      `json:"alias,omitempty"` // n for the route's n-th alias path, 0 for its main path
	Hosts     []string `json:"hosts"`
	Summary   string   `json:"summary,omitempty"`
}

// Server is what the control plane reads and changes.
type Server struct {
	Clock     *clock.Virtual
	Store     *store.Store
	Journal   *journal.Journal
	Scenarios *scenario.Set
	Catalog   scenario.Catalog
	Providers []api.Provider
	Routes    func() []RouteInfo
	// OpenAPI answers one served OpenAPI document by file name (<provider>.yaml,
	// sandbox.yaml), false when there is none; OpenAPIFiles lists them.
	OpenAPI      func(file string) ([]byte, bool)
	OpenAPIFiles func() []string
	Version      string
	Reset        func(tenant string)
	CA           func() []byte // the local CA certificate; nil when TLS is off
	Webhooks     *webhook.Sender
	// BodyLimit is the largest request body the control plane reads, apart from the
	// providers' own limit: snapshots and scenario files are far larger than any API
	// call. 0 means DefaultBodyLimit.
	BodyLimit int64
	Ready     func() error // nil when requests are taken; nil Ready means always
	// Closing is closed when the server shuts down, ending event streams so the
	// shutdown need not wait for the browser to leave.
	Closing <-chan struct{}
	// Restored, when set, is called after a tenant's state is restored, for the
	// providers to book again the work it has due (api.Restorer).
	Restored func(tenant string)
}

// DefaultBodyLimit is the control plane's body limit when Server.BodyLimit is 0.
const DefaultBodyLimit = 64 << 20

// Register mounts the control plane on e.
func (s *Server) Register(e *echo.Echo) {
	g := e.Group("/_sandbox", s.limitBody)
	g.GET("", s.redirectUI)
	g.GET("/health", s.health)
	g.GET("/ready", s.ready)
	g.GET("/routes", s.routes)
	g.GET("/events", s.events)
	g.GET("/tenants", s.tenants)
	g.GET("/clock", s.getClock)
	g.POST("/clock", s.postClock)
	g.GET("/scenarios", s.listScenarios)
	g.POST("/scenarios", s.addScenario)
	g.PUT("/scenarios/active", s.activate)
	g.DELETE("/scenarios/active", s.deactivate)
	g.GET("/scenarios/:name", s.getScenario)
	g.DELETE("/scenarios/:name", s.deleteScenario)
	g.GET("/journal", s.journal)
	g.DELETE("/journal", s.clearJournal)
	g.POST("/journal/count", s.countJournal)
	g.GET("/webhooks", s.webhooks)
	g.GET("/webhooks/:id", s.webhook)
	g.POST("/webhooks/:id/resend", s.resend)
	g.POST("/reset", s.reset)
	g.GET("/state/:tenant", s.getState)
	g.PUT("/state/:tenant", s.putState)
	g.GET("/openapi", s.openapiList)
	g.GET("/openapi/:file", s.openapi)
	g.GET("/tls/ca.pem", s.caCert)
	g.GET("/ui", s.ui)
	for _, p := range s.Providers {
		pg := g.Group("/" + p.Name())
		for _, r := range p.Admin() {
			pg.Add(r.Method, r.Path, r.Handler)
		}
	}
	g.Any("/*", func(c echo.Context) error {
		return fail(http.StatusNotFound, "no control-plane call at %s %s", c.Request().Method, c.Request().URL.Path)
	})
}

func fail(status int, format string, args ...any) error {
	return echo.NewHTTPError(status, fmt.Sprintf(format, args...))
}

func (s *Server) bodyLimit() int64 {
	if s.BodyLimit > 0 {
		return s.BodyLimit
	}
	return DefaultBodyLimit
}

// limitBody refuses a body over the limit: at once when its Content-Length says so,
// else when a reader reaches the limit (readFail turns that into the 413), so an
// oversized scenario or snapshot is never cut and taken in part.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > s.bodyLimit() {
			return s.tooLarge()
		}
		if req.Body != nil {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, s.bodyLimit())
		}
		return next(c)
	}
}

func (s *Server) tooLarge() error {
	return fail(http.StatusRequestEntityTooLarge, "request body larger than the control plane's limit of %d bytes (raise it with --admin-body-limit)", s.bodyLimit())
}

// readFail is the answer to a body that could not be read or decoded: 413 when it
// was over the limit, else 400 naming what was being read.
func (s *Server) readFail(what string, err error) error {
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return s.tooLarge()
	}
	return fail(http.StatusBadRequest, "%s: %v", what, err)
}

func (s *Server) redirectUI(c echo.Context) error {
	return c.Redirect(http.StatusFound, "/_sandbox/ui")
}

func (s *Server) health(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"status": "ok", "version": s.Version, "now": s.Clock.Now().Format(time.RFC3339)})
}

// ready is for a load balancer or orchestrator: 200 while sandbank takes requests,
// 503 once it has begun to shut down. /health stays 200 as long as the process
// answers at all.
func (s *Server) ready(c echo.Context) error {
	if s.Ready != nil {
		if err := s.Ready(); err != nil {
			return c.JSON(http.StatusServiceUnavailable, map[string]any{"ready": false, "reason": err.Error()})
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"ready": true, "version": s.Version})
}

func (s *Server) routes(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"routes": s.Routes()})
}

type clockView struct {
	Now    string `json:"now"`
	Frozen bool   `json:"frozen"`
}

func (s *Server) clockView() clockView {
	return clockView{Now: s.Clock.Now().Format(time.RFC3339), Frozen: s.Clock.Frozen()}
}

func (s *Server) getClock(c echo.Context) error { return c.JSON(http.StatusOK, s.clockView()) }

// ClockChange is the body of POST /_sandbox/clock: exactly one field.
type ClockChange struct {
	Advance string `json:"advance,omitempty"`
	Set     string `json:"set,omitempty"`
	Freeze  *bool  `json:"freeze,omitempty"`
	Jump    string `json:"jump,omitempty"`
}

func (s *Server) postClock(c echo.Context) error {
	var ch ClockChange
	if err := decodeStrict(c.Request().Body, &ch); err != nil {
		return s.readFail("clock", err)
	}
	if err := s.applyClock(ch); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.clockView())
}

func (s *Server) applyClock(ch ClockChange) error {
	n := 0
	for _, set := range []bool{ch.Advance != "", ch.Set != "", ch.Freeze != nil, ch.Jump != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fail(http.StatusBadRequest, `clock: send exactly one of {"advance":"90m"}, {"set":"2026-11-22T10:00:00+03:30"}, {"freeze":true|false}, {"jump":"next-business-day"|"next-paya-cycle"}`)
	}
	switch {
	case ch.Advance != "":
		d, err := parseDuration(ch.Advance)
		if err != nil {
			return fail(http.StatusBadRequest, "clock: advance %q: %s", ch.Advance, strings.TrimPrefix(err.Error(), "clock: "))
		}
		if _, err := s.Clock.Advance(d); err != nil {
			return fail(http.StatusBadRequest, "clock: advance %q: %s", ch.Advance, strings.TrimPrefix(err.Error(), "clock: "))
		}
	case ch.Set != "":
		t, err := time.Parse(time.RFC3339, ch.Set)
		if err != nil {
			return fail(http.StatusBadRequest, "clock: set %q: want RFC 3339, like 2026-11-22T10:00:00+03:30", ch.Set)
		}
		if _, err := s.Clock.Set(t); err != nil {
			return fail(http.StatusBadRequest, "clock: set %q: %s", ch.Set, strings.TrimPrefix(err.Error(), "clock: "))
		}
	case ch.Freeze != nil:
		s.Clock.Freeze(*ch.Freeze)
	case ch.Jump != "":
		if _, err := s.Clock.Jump(ch.Jump); err != nil {
			return fail(http.StatusBadRequest, "%v", err)
		}
	}
	return nil
}

// parseDuration accepts Go durations plus a day unit ("2d", "1d12h"), since status
// machines are measured in business days.
func parseDuration(v string) (time.Duration, error) {
	var days time.Duration
	if i := strings.IndexByte(v, 'd'); i > 0 {
		var n int
		if _, err := fmt.Sscanf(v[:i], "%d", &n); err != nil || fmt.Sprint(n) != v[:i] {
			return 0, errors.New("not a duration (use 90s, 15m, 2h, 3d)")
		}
		// More days than a Duration holds would wrap around to a negative or
		// arbitrary move; nothing that large is within the clock's range anyway.
		if maxDays := int(math.MaxInt64 / int64(24*time.Hour)); n > maxDays || n < -maxDays {
			return 0, errors.New("too long a duration")
		}
		days = time.Duration(n) * 24 * time.Hour
		v = v[i+1:]
		if v == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, errors.New("not a duration (use 90s, 15m, 2h, 3d)")
	}
	if (days > 0 && d > math.MaxInt64-days) || (days < 0 && d < math.MinInt64-days) {
		return 0, errors.New("too long a duration")
	}
	return days + d, nil
}

type scenarioView struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Rules       int    `json:"rules"`
	File        string `json:"file,omitempty"`
}

func (s *Server) scenarioViews() []scenarioView {
	list := s.Scenarios.List()
	out := make([]scenarioView, len(list))
	for i, sc := range list {
		out[i] = scenarioView{sc.Name, sc.Description, len(sc.Rules), sc.File}
	}
	return out
}

func (s *Server) listScenarios(c echo.Context) error {
	out := s.scenarioViews()
	global, tenants := s.Scenarios.Active()
	if tenants == nil {
		tenants = map[string]string{}
	}
	return c.JSON(http.StatusOK, map[string]any{"scenarios": out, "active": map[string]any{"global": global, "tenants": tenants}})
}

func (s *Server) addScenario(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return s.readFail("scenario", err)
	}
	name := "request.yaml" // the "file" that load errors name
	if strings.Contains(c.Request().Header.Get("Content-Type"), "json") {
		name = "request.json"
	}
	// ?file= names an uploaded file in the errors (the dashboard sends it), so
	// "payments.yaml:7: ..." points into the user's own file.
	if f := c.QueryParam("file"); f != "" && !strings.ContainsAny(f, "/\\") && len(f) <= 200 {
		name = f
	}
	sc, err := scenario.Load(name, body)
	if err == nil {
		err = sc.Validate(s.Catalog)
	}
	if err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	sc.Source = body
	s.Scenarios.Add(sc)
	return c.JSON(http.StatusCreated, map[string]string{"name": sc.Name})
}

func (s *Server) getScenario(c echo.Context) error {
	sc, ok := s.Scenarios.Get(c.Param("name"))
	if !ok {
		return fail(http.StatusNotFound, "no scenario %q", c.Param("name"))
	}
	return c.JSON(http.StatusOK, sc)
}

func (s *Server) deleteScenario(c echo.Context) error {
	if !s.Scenarios.Remove(c.Param("name")) {
		return fail(http.StatusNotFound, "no scenario %q", c.Param("name"))
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) activate(c echo.Context) error {
	var body struct {
		Name   string `json:"name"`
		Tenant string `json:"tenant"`
	}
	if err := decodeStrict(c.Request().Body, &body); err != nil {
		return s.readFail("active scenario", err)
	}
	if body.Name == "" {
		return fail(http.StatusBadRequest, `active scenario: want {"name":"x"} or {"name":"x","tenant":"t"}`)
	}
	if err := s.Scenarios.Activate(body.Name, body.Tenant); err != nil {
		return fail(http.StatusNotFound, "%v", err)
	}
	return s.listScenarios(c)
}

func (s *Server) deactivate(c echo.Context) error {
	s.Scenarios.Deactivate(c.QueryParam("tenant"))
	return s.listScenarios(c)
}

func (s *Server) journal(c echo.Context) error {
	f, err := journal.ParseFilter(c.QueryParams())
	if err != nil {
		return fail(http.StatusBadRequest, "journal: %v", err)
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	res.WriteHeader(http.StatusOK)
	// Streamed: once the status is out, a failed write can only end the answer early.
	_ = s.Journal.WriteJSON(res, f)
	return nil
}

// JournalCount is the body of POST /_sandbox/journal/count: which exchanges to
// count. Operation is an id or a glob ("kavenegar.*"), empty for all; When holds
// the predicates of a scenario rule's `when` (tenant, header.*, query.*, body.*).
type JournalCount struct {
	Operation string          `json:"operation,omitempty"`
	When      json.RawMessage `json:"when,omitempty"`
}

// countJournal answers how many journaled exchanges match, the way WireMock's
// verify does: {"count": N}. The predicates are the scenario engine's own, so a
// `when` that picks a request in a scenario counts it here. A glob or exact id that
// names no operation is a 400, so a typo cannot pass as "0 requests".
func (s *Server) countJournal(c echo.Context) error {
	var q JournalCount
	if err := decodeStrict(c.Request().Body, &q); err != nil {
		return fail(http.StatusBadRequest, "journal count: %v", err)
	}
	if q.Operation != "" {
		if _, err := path.Match(q.Operation, ""); err != nil {
			return fail(http.StatusBadRequest, "journal count: operation: bad pattern %q", q.Operation)
		}
		if len(s.Catalog.Match(q.Operation)) == 0 && !s.journaled(q.Operation) {
			return fail(http.StatusBadRequest, "journal count: operation %q names no operation (see /_sandbox/routes)", q.Operation)
		}
	}
	when, err := scenario.ParseWhen("when", q.When)
	if err != nil {
		return fail(http.StatusBadRequest, "journal count: %v", err)
	}
	n := 0
	for _, e := range s.Journal.Query(journal.Filter{Operation: q.Operation}) {
		in := &scenario.Request{TenantID: e.Tenant, Headers: e.RequestHeaders.Header(), RawQuery: e.Query, RawBody: e.RequestBody}
		if when.Holds(in) {
			n++
		}
	}
	return c.JSON(http.StatusOK, map[string]int{"count": n})
}

// journaled reports whether an operation outside the catalogue (a webhook's, say)
// has entries.
func (s *Server) journaled(op string) bool {
	return len(s.Journal.Query(journal.Filter{Operation: op, Limit: 1})) > 0
}

func (s *Server) clearJournal(c echo.Context) error {
	if t := c.QueryParam("tenant"); t != "" {
		s.Journal.ClearTenant(t)
	} else {
		s.Journal.Clear()
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) webhooks(c echo.Context) error {
	f, err := webhook.ParseFilter(c.QueryParams())
	if err != nil {
		return fail(http.StatusBadRequest, "webhooks: %v", err)
	}
	list := s.Webhooks.List(f)
	if list == nil {
		list = []webhook.Record{}
	}
	return c.JSON(http.StatusOK, map[string]any{"deliveries": list})
}

func (s *Server) webhook(c echo.Context) error {
	rec, ok := s.Webhooks.Get(c.Param("id"))
	if !ok {
		return fail(http.StatusNotFound, "no webhook delivery %q", c.Param("id"))
	}
	return c.JSON(http.StatusOK, rec)
}

// resend answers 202: the delivery is queued, and its attempt shows in the
// delivery and the journal once made.
func (s *Server) resend(c echo.Context) error {
	rec, err := s.Webhooks.Resend(c.Param("id"))
	switch {
	case errors.Is(err, webhook.ErrNotFound), errors.Is(err, webhook.ErrOff):
		return fail(http.StatusNotFound, "no webhook delivery %q", c.Param("id"))
	case errors.Is(err, webhook.ErrBusy):
		return fail(http.StatusConflict, "webhook delivery %q is being sent; try again when its attempt ends", c.Param("id"))
	case err != nil:
		return fail(http.StatusInternalServerError, "webhooks: %v", err)
	}
	return c.JSON(http.StatusAccepted, rec)
}

func (s *Server) reset(c echo.Context) error {
	tenant := c.QueryParam("tenant")
	s.Reset(tenant)
	what := tenant
	if what == "" {
		what = "all"
	}
	return c.JSON(http.StatusOK, map[string]string{"reset": what})
}

func (s *Server) getState(c echo.Context) error {
	snap, err := s.Store.Snapshot(c.Param("tenant"))
	if err != nil {
		return fail(http.StatusInternalServerError, "state: %v", err)
	}
	return c.JSON(http.StatusOK, map[string]any{"tenant": c.Param("tenant"), "tables": snap})
}

func (s *Server) putState(c echo.Context) error {
	var body struct {
		Tenant string         `json:"tenant"`
		Tables store.Snapshot `json:"tables"`
	}
	if err := decodeStrict(c.Request().Body, &body); err != nil {
		return s.readFail("state", err)
	}
	// A snapshot names the tenant it was taken from (getState); put into another
	// tenant, its rows that name their tenant are rewritten and credentials of the
	// first tenant left out (store.RestoreFrom).
	if err := s.Store.RestoreFrom(body.Tenant, c.Param("tenant"), body.Tables); err != nil {
		return fail(http.StatusBadRequest, "state: %v", err)
	}
	if s.Restored != nil {
		s.Restored(c.Param("tenant"))
	}
	return s.getState(c)
}

func (s *Server) openapi(c echo.Context) error {
	file := c.Param("file")
	if !strings.HasSuffix(file, ".yaml") || strings.ContainsAny(file, "/\\") {
		return fail(http.StatusNotFound, "no OpenAPI document %q (want <provider>.yaml or sandbox.yaml)", file)
	}
	data, ok := s.OpenAPI(file)
	if !ok {
		return fail(http.StatusNotFound, "no OpenAPI document %q (see /_sandbox/openapi)", file)
	}
	return c.Blob(http.StatusOK, "application/yaml", data)
}

func (s *Server) openapiList(c echo.Context) error {
	files := s.OpenAPIFiles()
	out := make([]map[string]string, len(files))
	for i, f := range files {
		out[i] = map[string]string{"name": strings.TrimSuffix(f, ".yaml"), "url": "/_sandbox/openapi/" + f}
	}
	return c.JSON(http.StatusOK, map[string]any{"documents": out})
}

// decodeStrict decodes one JSON value; the body's size is bounded by limitBody.
func decodeStrict(r io.Reader, into any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty body, want JSON")
		}
		return err
	}
	return nil
}

func (s *Server) caCert(c echo.Context) error {
	var pem []byte
	if s.CA != nil {
		pem = s.CA()
	}
	if pem == nil {
		return fail(http.StatusNotFound, "the TLS listener is off; start sandbank with --tls-addr 127.0.0.1:8443")
	}
	return c.Blob(http.StatusOK, "application/x-pem-file", pem)
}
