package finnotech

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// trackUse records that a client has used a trackId, and where.
type trackUse struct {
	Operation string    `json:"operation"`
	At        time.Time `json:"at"`
}

// trackID names the request before auth runs, so every answer, errors included,
// echoes it: the one sent in the query, or a fresh UUID (§4).
func (p *Provider) trackID(c echo.Context) string {
	if v := c.QueryParam("trackId"); v != "" {
		return v
	}
	return p.ids.UUID()
}

// takeTrackID applies §4 once the request has passed the gateway (credentials,
// client, scope): a required id must be sent, a sent one must be well formed, and
// it is consumed for the client across every service, so a reuse is refused. A
// request refused earlier has not consumed its id, which pyfinnotech relies on
// when it repeats a request with the same id after refreshing a rejected token.
func (p *Provider) takeTrackID(c *api.Call, required bool) error {
	sent := c.QueryParam("trackId")
	if sent == "" {
		if required {
			return invalid("trackId is required")
		}
		return nil
	}
	if err := p.checkTrackID(sent); err != nil {
		return err
	}
	if !p.tracks.Insert(c.Tenant, sent, trackUse{Operation: c.Operation, At: c.Now}) {
		return p.errCode(keyDuplicate)
	}
	return nil
}

// checkTrackID allows letters, digits and '-' (every documented example has
// dashes) up to the configured length. A byte loop rather than a regexp: it runs
// on every request.
func (p *Provider) checkTrackID(s string) *envelope.Error {
	if p.cfg.trackMax > 0 && len(s) > p.cfg.trackMax {
		return invalid("trackId must be at most " + strconv.Itoa(p.cfg.trackMax) + " characters")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return invalid("trackId may contain only letters, digits and -")
		}
	}
	return nil
}
