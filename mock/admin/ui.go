package admin

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/journal"
)

//go:embed ui/*.html
var uiFS embed.FS

var uiPage = template.Must(template.New("dashboard.html").Funcs(template.FuncMap{
	"short": func(b journal.Body) string {
		s := string(b)
		// Form bodies are shown decoded so Persian text reads as text.
		if d, err := url.QueryUnescape(s); err == nil && !strings.HasPrefix(s, "{") {
			s = d
		}
		if r := []rune(s); len(r) > 160 {
			return string(r[:160]) + "…"
		}
		return s
	},
	"clock": func(t time.Time) string { return t.Format("2006-01-02 15:04:05") },
}).ParseFS(uiFS, "ui/dashboard.html"))

type uiData struct {
	Version   string
	Clock     clockView
	Scenarios []scenarioView
	Global    string
	Tenants   map[string]string
	Routes    []RouteInfo
	Journal   []journal.Entry
	Message   string
}

// ui renders the dashboard: what the clock says, which scenarios are active, the
// latest requests, and forms to move the clock and switch scenarios. The forms post
// plain HTML forms so it works without JavaScript.
func (s *Server) ui(c echo.Context) error {
	global, tenants := s.Scenarios.Active()
	data := uiData{
		Version: s.Version, Clock: s.clockView(), Scenarios: s.scenarioViews(), Global: global, Tenants: tenants,
		Routes: s.Routes(), Journal: s.Journal.Query(journal.Filter{Limit: 50}), Message: c.QueryParam("msg"),
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	return uiPage.Execute(c.Response(), data)
}

func (s *Server) uiBack(c echo.Context, msg string) error {
	return c.Redirect(http.StatusSeeOther, "/_sandbox/ui?msg="+template.URLQueryEscaper(msg))
}

func (s *Server) uiClock(c echo.Context) error {
	ch := ClockChange{Advance: c.FormValue("advance"), Set: c.FormValue("set"), Jump: c.FormValue("jump")}
	switch c.FormValue("freeze") {
	case "true", "false":
		on := c.FormValue("freeze") == "true"
		ch.Freeze = &on
	}
	if err := s.applyClock(ch); err != nil {
		return s.uiBack(c, err.Error())
	}
	return s.uiBack(c, "clock: "+s.clockView().Now)
}

func (s *Server) uiScenario(c echo.Context) error {
	name, tenant := c.FormValue("name"), c.FormValue("tenant")
	if name == "" {
		s.Scenarios.Deactivate(tenant)
		return s.uiBack(c, "scenario cleared")
	}
	if err := s.Scenarios.Activate(name, tenant); err != nil {
		return s.uiBack(c, err.Error())
	}
	return s.uiBack(c, "scenario "+name+" active")
}
