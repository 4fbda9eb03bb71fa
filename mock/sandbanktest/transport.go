package sandbanktest

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/sandbank-dev/sandbank/mock/app"
)

// Client is an *http.Client whose requests to any provider host the server
// serves (https://api.kavenegar.com/v1/..., http://api.sanbod.co/...) are
// answered by this server in memory: no listener, no certificate, no hosts-file
// entry. Hand it to a provider's SDK in place of its default client. Requests to
// other hosts go out through http.DefaultTransport, as they would anyway.
func (s *Server) Client() *http.Client { return &http.Client{Transport: s.Transport()} }

// Transport is the RoundTripper of Client, for SDKs that take a transport or
// wrap their own client around one.
func (s *Server) Transport() http.RoundTripper {
	return &transport{h: s.App, hosts: s.hosts, next: http.DefaultTransport}
}

func hostsOf(a *app.App) map[string]bool {
	out := map[string]bool{}
	for _, p := range a.Providers() {
		for _, h := range p.Hosts() {
			for _, n := range append([]string{h.Name}, h.Aliases...) {
				if strings.Contains(n, ".") {
					out[n] = true
				}
			}
		}
	}
	return out
}

// transport serves provider hosts with the app's ServeHTTP, the way the app
// would through its listener: the Host header picks the provider's host mount,
// and a request sent to https:// is seen as TLS, so links and redirects the
// provider builds keep the scheme the SDK used.
type transport struct {
	h     http.Handler
	hosts map[string]bool
	next  http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	if !t.hosts[strings.TrimSuffix(strings.ToLower(host), ".localhost")] {
		return t.next.RoundTrip(req)
	}
	in := req.Clone(req.Context())
	in.Host = req.URL.Host
	if req.Host != "" {
		in.Host = req.Host
	}
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:0"
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if req.URL.Scheme == "https" {
		in.TLS = &tls.ConnectionState{ServerName: host, HandshakeComplete: true}
	}
	pr, pw := io.Pipe()
	w := &pipeWriter{header: http.Header{}, body: pw, ready: make(chan struct{})}
	go func() {
		defer w.finish()
		t.h.ServeHTTP(w, in)
	}()
	select {
	case <-w.ready:
	case <-req.Context().Done():
		_ = pr.CloseWithError(req.Context().Err())
		return nil, req.Context().Err()
	}
	if w.dropped {
		_ = pr.Close()
		return nil, errDropped
	}
	res := &http.Response{
		Status: http.StatusText(w.status), StatusCode: w.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: w.sent, Body: pr, ContentLength: -1, Request: req,
	}
	if req.Method == http.MethodHead {
		res.Body = http.NoBody
	}
	return res, nil
}

// errDropped is what a client sees when a fault (timeout after its hold, reset)
// ends the exchange without a reply, as a closed connection would.
var errDropped = errors.New("sandbanktest: connection closed by the server without a reply")

// pipeWriter streams a handler's reply into the response body. It can be
// hijacked, as the pipeline does to drop a connection for a fault: closing the
// hijacked connection before any header is an error for the client.
type pipeWriter struct {
	header  http.Header
	sent    http.Header
	status  int
	body    *io.PipeWriter
	ready   chan struct{}
	once    sync.Once
	dropped bool
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(status int) {
	w.once.Do(func() {
		w.status = status
		w.sent = w.header.Clone()
		close(w.ready)
	})
}

func (w *pipeWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

func (w *pipeWriter) Flush() { w.WriteHeader(http.StatusOK) }

func (w *pipeWriter) finish() {
	w.WriteHeader(http.StatusOK)
	_ = w.body.Close()
}

// Hijack hands the pipeline a connection whose Close drops the exchange.
func (w *pipeWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	server, client := net.Pipe()
	_ = client.Close()
	return &dropConn{Conn: server, w: w}, bufio.NewReadWriter(bufio.NewReader(server), bufio.NewWriter(server)), nil
}

type dropConn struct {
	net.Conn
	w *pipeWriter
}

func (c *dropConn) Close() error {
	c.w.once.Do(func() {
		c.w.dropped = true
		c.w.status = 0
		close(c.w.ready)
	})
	_ = c.w.body.CloseWithError(errDropped)
	return c.Conn.Close()
}
