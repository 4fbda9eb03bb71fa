package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sandbank-dev/sandbank/mock/certs"
	"github.com/sandbank-dev/sandbank/mock/clock"
)

// drainGrace is how long a shutdown waits for requests that hold nothing (no
// latency, no timeout fault) to finish, and how long past the end of the last hold.
const drainGrace = 5 * time.Second

// Run serves on cfg.Addr (and cfg.TLSAddr) until ctx is done, then drains: it stops
// accepting, and waits for the requests in flight, however long a latency or a
// timeout fault holds them, plus drainGrace. It returns nil after a clean drain.
func (a *App) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	var tln net.Listener
	if a.tls != nil {
		if tln, err = net.Listen("tcp", a.cfg.TLSAddr); err != nil {
			_ = ln.Close()
			return err
		}
	}
	return a.serve(ctx, ln, tln)
}

// serve is Run on listeners already open; tln (HTTPS) may be nil.
func (a *App) serve(ctx context.Context, ln, tln net.Listener) error {
	srv := a.newServer()
	servers := []*http.Server{srv}
	go a.watchScenarios(ctx)
	go a.tick(ctx, time.Second)
	defer a.webhooks.Close()
	defer a.Close() // after the drain: a last snapshot of --data-dir
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(limitListener(ln, a.cfg.MaxConns)) }()
	a.log.Info("sandbank listening", "addr", ln.Addr().String(), "version", Version, "clock", a.clock.Now().Format(time.RFC3339))
	if tln != nil {
		tsrv := a.newServer()
		tsrv.TLSConfig = a.tls
		servers = append(servers, tsrv)
		go func() { errc <- tsrv.ServeTLS(limitListener(tln, a.cfg.MaxConns), "", "") }()
		a.log.Info("sandbank listening with TLS", "addr", tln.Addr().String(), "ca", certs.CertPath(a.cfg.TLSDir))
	}
	select {
	case err := <-errc:
		for _, s := range servers {
			_ = s.Close()
		}
		return err
	case <-ctx.Done():
	}
	a.draining.Store(true) // /_sandbox/ready answers 503 from here on
	a.closeStreams()       // and the dashboard's event streams end
	a.log.Info("sandbank shutting down: draining requests in flight")
	sctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.holds.cancelAfterDrain(sctx, cancel, clock.Wall().Add(a.holds.graceOr()))
	var errs []error
	for _, s := range servers {
		errs = append(errs, s.Shutdown(sctx))
	}
	if err := errors.Join(errs...); err != nil {
		return errors.New("shutdown cut requests still in flight: " + err.Error())
	}
	a.log.Info("sandbank drained")
	return nil
}

// newServer is an http.Server with every timeout set, so that a slow body, an idle
// keep-alive or a client that never reads cannot hold a connection forever.
func (a *App) newServer() *http.Server {
	return &http.Server{
		Handler:           a,
		ReadHeaderTimeout: min(10*time.Second, a.cfg.ReadTimeout),
		ReadTimeout:       a.cfg.ReadTimeout,
		WriteTimeout:      a.cfg.WriteTimeout,
		IdleTimeout:       a.cfg.IdleTimeout,
	}
}

// beforeHold runs before a latency or a timeout fault holds a request for d of wall
// time. It moves the connection's deadlines past the wait, so that a hold longer
// than --write-timeout or --read-timeout is not cut by them, and records when it
// ends so that a shutdown drains for as long.
func (a *App) beforeHold(w http.ResponseWriter, d time.Duration) {
	end := clock.Wall().Add(d)
	a.holds.extend(end)
	rc := http.NewResponseController(w)
	// Not every writer is a connection (test recorders): then there is no deadline
	// to move, and the error says only that.
	_ = rc.SetWriteDeadline(end.Add(a.cfg.WriteTimeout))
	_ = rc.SetReadDeadline(end.Add(a.cfg.WriteTimeout))
}

// holds remembers the end of the longest hold started so far, in wall time.
type holds struct {
	until atomic.Int64  // Unix nanoseconds
	grace time.Duration // drainGrace unless a test sets it before serving
}

func (h *holds) graceOr() time.Duration {
	if h.grace > 0 {
		return h.grace
	}
	return drainGrace
}

func (h *holds) extend(end time.Time) {
	n := end.UnixNano()
	for {
		old := h.until.Load()
		if n <= old || h.until.CompareAndSwap(old, n) {
			return
		}
	}
}

// cancelAfterDrain calls cancel once the wall clock passes both notBefore and the end
// of every hold plus drainGrace; a hold that starts meanwhile pushes it further.
func (h *holds) cancelAfterDrain(ctx context.Context, cancel func(), notBefore time.Time) {
	for {
		deadline := notBefore
		if u := time.Unix(0, h.until.Load()).Add(h.graceOr()); u.After(deadline) {
			deadline = u
		}
		left := deadline.Sub(clock.Wall())
		if left <= 0 {
			cancel()
			return
		}
		t := time.NewTimer(left)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// limitListener accepts at most n connections at a time (n <= 0: no cap). Further
// clients wait in the kernel's backlog until a connection closes, instead of each
// taking a descriptor and a goroutine.
func limitListener(l net.Listener, n int) net.Listener {
	if n <= 0 {
		return l
	}
	return &limited{Listener: l, slots: make(chan struct{}, n), done: make(chan struct{})}
}

type limited struct {
	net.Listener
	slots chan struct{}
	done  chan struct{}
	once  sync.Once
}

func (l *limited) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
}

func (l *limited) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// SetLinger and CloseWrite reach the TCP connection underneath: a reset fault needs
// the first, and net/http's graceful close of a connection uses the second.
func (c *limitedConn) SetLinger(sec int) error {
	if tc, ok := c.Conn.(interface{ SetLinger(int) error }); ok {
		return tc.SetLinger(sec)
	}
	return nil
}

func (c *limitedConn) CloseWrite() error {
	if tc, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return tc.CloseWrite()
	}
	return nil
}
