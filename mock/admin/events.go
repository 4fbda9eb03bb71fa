package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/journal"
)

// eventPoll is how often the event stream looks for new journal entries and a
// moved clock. Wall time: the dashboard must update while the virtual clock is
// frozen.
const eventPoll = 150 * time.Millisecond

// events is a server-sent event stream for the dashboard: "entry" for every new
// journal entry (in and out), oldest first, with the entry's id as the event id so
// a reconnecting browser resumes after the last one it saw (Last-Event-ID), and
// "clock" whenever the virtual clock reads differently. ?after=ID starts after an
// entry the page already has. A ": ping" comment every 15s keeps proxies open.
func (s *Server) events(c echo.Context) error {
	last := int64(-1)
	for _, v := range []string{c.Request().Header.Get("Last-Event-ID"), c.QueryParam("after")} {
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return fail(http.StatusBadRequest, "events: after %q is not an entry id", v)
		}
		last = max(last, n)
	}
	if last < 0 {
		last = s.newestID()
	}
	res := c.Response()
	// A stream outlives any write timeout the server sets for ordinary replies.
	_ = http.NewResponseController(res.Writer).SetWriteDeadline(time.Time{})
	h := res.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	res.WriteHeader(http.StatusOK)

	send := func(event string, id int64, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if id > 0 {
			_, err = fmt.Fprintf(res, "id: %d\n", id)
		}
		if err == nil {
			_, err = fmt.Fprintf(res, "event: %s\ndata: %s\n\n", event, data)
		}
		return err
	}
	clockNow := s.clockView()
	if err := send("clock", 0, clockNow); err != nil {
		return nil
	}
	res.Flush()

	tick := time.NewTicker(eventPoll)
	defer tick.Stop()
	polls := 0
	for {
		select {
		case <-c.Request().Context().Done():
			return nil
		case <-s.Closing:
			return nil
		case <-tick.C:
		}
		polls++
		wrote := false
		// Ask only for as many entries as there are new ids (ids rise by one per
		// entry), so an idle stream copies one entry a poll, not the journal.
		var fresh []journal.Entry
		if newest := s.newestID(); newest > last {
			fresh = s.Journal.Query(journal.Filter{Limit: int(min(newest-last, 500))})
			slices.Reverse(fresh) // oldest first
		}
		for _, e := range fresh {
			if e.ID <= last {
				continue
			}
			last = e.ID
			if send("entry", e.ID, e) != nil {
				return nil
			}
			wrote = true
		}
		if v := s.clockView(); v != clockNow {
			clockNow = v
			if send("clock", 0, v) != nil {
				return nil
			}
			wrote = true
		}
		if !wrote && polls%100 == 0 {
			if _, err := fmt.Fprint(res, ": ping\n\n"); err != nil {
				return nil
			}
			wrote = true
		}
		if wrote {
			res.Flush()
		}
	}
}

func (s *Server) newestID() int64 {
	if e := s.Journal.Query(journal.Filter{Limit: 1}); len(e) == 1 {
		return e[0].ID
	}
	return 0
}

// tenants lists every tenant with state, for the dashboard's tenant picker.
func (s *Server) tenants(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"tenants": s.Store.Tenants()})
}
