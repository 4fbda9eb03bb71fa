package admin

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// The dashboard is one static page: its script reads the control plane's own JSON
// calls (the ones /_sandbox/openapi/sandbox.yaml documents) and follows
// /_sandbox/events for live updates, so anything a provider adds to the journal,
// its state or its inspection calls shows without dashboard code of its own.
//
//go:embed ui/dashboard.html
var dashboardHTML []byte

func (s *Server) ui(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, dashboardHTML)
}
