package vandar

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/clock"
)

// limiter is Vandar's throttle: 30 POST and 100 other requests per 3 seconds
// (reference §1.7), counted per business in fixed windows that open at the first
// request, as Laravel's throttle middleware does. It runs on wall time, not the
// virtual clock: it protects against request bursts, and a frozen virtual clock
// would otherwise never reopen a window.
type limiter struct {
	on          bool
	post, other int
	window      time.Duration
	now         func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	start time.Time
	n     int
}

func newLimiter(s *settings) *limiter {
	return &limiter{on: s.rateOn, post: s.ratePost, other: s.rateOther, window: s.rateWindow, now: clock.Wall, buckets: map[string]*bucket{}}
}

// take counts one request and reports the limit, what is left and, when over
// the limit, how long until the window reopens.
func (l *limiter) take(key string, post bool) (limit, left int, retry time.Duration, reset time.Time) {
	limit = l.other
	if post {
		limit = l.post
		key += "|post"
	} else {
		key += "|other"
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil || now.Sub(b.start) >= l.window {
		b = &bucket{start: now}
		l.buckets[key] = b
		if len(l.buckets) > 10000 {
			l.sweep(now)
		}
	}
	reset = b.start.Add(l.window)
	if b.n >= limit {
		return limit, 0, reset.Sub(now), reset
	}
	b.n++
	return limit, limit - b.n, 0, reset
}

// sweep drops closed windows so the map stays small.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.start) >= l.window {
			delete(l.buckets, k)
		}
	}
}

// throttle counts the request against business and answers 429 "Too Many
// Attempts." with Retry-After and X-RateLimit-* when it is over the limit.
func (p *Provider) throttle(c echo.Context, business string) error {
	if !p.limit.on {
		return nil
	}
	limit, left, retry, reset := p.limit.take(business, c.Request().Method == http.MethodPost)
	h := c.Response().Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(left))
	if retry <= 0 {
		return nil
	}
	secs := int((retry + time.Second - 1) / time.Second)
	h.Set("Retry-After", strconv.Itoa(secs))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	return p.fail("TOO_MANY_ATTEMPTS")
}
