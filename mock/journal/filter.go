package journal

import (
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// ParseFilter reads the control plane's query parameters: provider, operation (exact
// or glob), tenant, track_id, status, direction (in or out), since (RFC 3339,
// virtual time) and limit. With no limit a read returns the newest DefaultReadLimit
// entries, so one careless read of a busy journal stays small; limit=0 asks for
// every entry held.
// Parameters it does not know are ignored so the control plane can add its own; a bad
// value is an error naming the parameter, so a test author sees which one is wrong.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{
		Provider:  q.Get("provider"),
		Operation: q.Get("operation"),
		Tenant:    q.Get("tenant"),
		TrackID:   q.Get("track_id"),
		Direction: q.Get("direction"),
	}
	if f.Direction != "" && f.Direction != In && f.Direction != Out {
		return Filter{}, fmt.Errorf("direction: %q is not in or out", f.Direction)
	}
	if f.Operation != "" {
		if _, err := path.Match(f.Operation, ""); err != nil {
			return Filter{}, fmt.Errorf("operation: bad pattern %q", f.Operation)
		}
	}
	if v := q.Get("status"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return Filter{}, fmt.Errorf("status: %q is not an HTTP status", v)
		}
		f.Status = n
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil && strings.Contains(v, " ") {
			// An unescaped "+03:30" offset arrives as " 03:30"; Tehran offsets make
			// this the usual mistake, and the intent is unambiguous.
			t, err = time.Parse(time.RFC3339, strings.ReplaceAll(v, " ", "+"))
		}
		if err != nil {
			return Filter{}, fmt.Errorf("since: %q is not an RFC 3339 time", v)
		}
		f.Since = t
	}
	n, err := ParseLimit(q, DefaultReadLimit)
	if err != nil {
		return Filter{}, err
	}
	f.Limit = n
	return f, nil
}

// ParseLimit reads the control plane's limit parameter: a non-negative integer,
// 0 for no limit, def when absent. The journal and the webhook list share it.
func ParseLimit(q url.Values, def int) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("limit: %q is not a non-negative integer", v)
	}
	return n, nil
}
