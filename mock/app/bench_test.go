package app_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/app"
	"github.com/sandbank-dev/sandbank/mock/config"
)

// The benchmarks run requests in-process (no sockets) so they measure sandbank's
// own cost: mounting, auth, scenario decision, store, journal and rendering,
// beside a bare Echo handler that writes a comparable JSON body.

func reqPerSec(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func BenchmarkBareEcho(b *testing.B) {
	e := echo.New()
	e.GET("/v1/:apikey/utils/getdate.json", func(c echo.Context) error {
		return c.JSON(200, map[string]any{"return": map[string]any{"status": 200, "message": "تایید شد"}, "entries": map[string]any{"year": 2026}})
	})
	req := httptest.NewRequest("GET", "/v1/0/utils/getdate.json", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.ServeHTTP(httptest.NewRecorder(), req)
	}
	reqPerSec(b)
}

func newApp(b *testing.B, journal int) *app.App {
	cfg := config.Default()
	cfg.JournalSize = journal
	cfg.ClockStart = time.Date(2026, 11, 22, 6, 30, 0, 0, time.UTC)
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	return a
}

func BenchmarkGetdate(b *testing.B) {
	a := newApp(b, 1000)
	req := httptest.NewRequest("GET", "/kavenegar/v1/0/utils/getdate.json", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
	reqPerSec(b)
}

// BenchmarkSend posts a Persian SMS to one receptor: auth, validation, an atomic
// credit update, a message row, the journal. Keys rotate so no account runs dry.
func BenchmarkSend(b *testing.B) {
	for _, journal := range []int{0, 1000} {
		b.Run("journal="+strconv.Itoa(journal), func(b *testing.B) {
			a := newApp(b, journal)
			body := "receptor=09121234567&message=%D8%B3%D9%84%D8%A7%D9%85"
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest("POST", "/kavenegar/v1/bench-"+strconv.Itoa(i/50000)+"/sms/send.json", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				w := httptest.NewRecorder()
				a.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code, w.Body.String())
				}
			}
			reqPerSec(b)
		})
	}
}

func BenchmarkSendParallel(b *testing.B) {
	a := newApp(b, 1000)
	body := "receptor=09121234567&message=hello"
	b.ReportAllocs()
	b.ResetTimer()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/kavenegar/v1/par-"+strconv.FormatInt(n.Add(1)%64, 10)+"/sms/send.json", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			a.ServeHTTP(w, req)
			if w.Code != http.StatusOK && w.Code != 418 {
				b.Fatal(w.Code, w.Body.String())
			}
		}
	})
	reqPerSec(b)
}

// serve runs one in-process request and returns the recorder.
func serve(a *app.App, method, target, ctype, body string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	a.ServeHTTP(w, req)
	return w
}

// finnotechCodeToken walks Finnotech's authorize dance (the control plane's approve
// shortcut stands in for the bank pages) and exchanges the code for a CODE token.
func finnotechCodeToken(b *testing.B, a *app.App) string {
	const redirect = "https://app.example/return"
	q := "client_id=bench&response_type=code&scope=oak:balance:get&bank=062&state=s&redirect_uri=" + redirect
	w := serve(a, "GET", "/finnotech/dev/v2/oauth2/authorize?"+q, "", "")
	loc, err := url.Parse(w.Header().Get("Location"))
	if w.Code != http.StatusFound || err != nil {
		b.Fatal("authorize:", w.Code, w.Body.String())
	}
	w = serve(a, "POST", "/_sandbox/finnotech/consents/"+loc.Query().Get("session")+"/approve", "application/json", `{"user":"1111111111"}`)
	var ap struct{ Redirect string }
	if err := json.Unmarshal(w.Body.Bytes(), &ap); err != nil || w.Code != 200 {
		b.Fatal("approve:", w.Code, w.Body.String())
	}
	back, _ := url.Parse(ap.Redirect)
	body, _ := json.Marshal(map[string]string{"grant_type": "authorization_code", "code": back.Query().Get("code"), "bank": "062", "redirect_uri": redirect})
	w = serve(a, "POST", "/finnotech/dev/v2/oauth2/token", "application/json", string(body),
		"Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("bench:secret")))
	var tok struct{ Result struct{ Value string } }
	if err := json.Unmarshal(w.Body.Bytes(), &tok); err != nil || w.Code != 200 || tok.Result.Value == "" {
		b.Fatal("token:", w.Code, w.Body.String())
	}
	return tok.Result.Value
}

// BenchmarkFinnotechBalance is an authenticated read: a CODE token's signature,
// expiry and revocation are checked, then one deposit's balance is read. Compare it
// with BenchmarkGetdate, an unauthenticated read.
func BenchmarkFinnotechBalance(b *testing.B) {
	a := newApp(b, 1000)
	auth := "Bearer " + finnotechCodeToken(b, a)
	req := httptest.NewRequest("GET", "/finnotech/oak/v2/clients/bench/deposits/0211111111111/balance", nil)
	req.Header.Set("Authorization", auth)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
	reqPerSec(b)
}

// BenchmarkSanbodCardToIban is an authenticated Sanbod read with a
// client-credentials token: verified, checked for revocation and expiry, then one
// card looked up.
func BenchmarkSanbodCardToIban(b *testing.B) {
	a := newApp(b, 1000)
	w := serve(a, "POST", "/api.sanbod.co/oauth/v1/token?traceid=t", "application/json",
		`{"grant_type":"client_credentials","scope":["cardtoiban"],"provider_code":"999"}`,
		"Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("bench:secret")))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &tok); err != nil || w.Code != 200 {
		b.Fatal("token:", w.Code, w.Body.String())
	}
	auth := "Bearer " + tok.AccessToken
	const body = `{"cardNumber":"5022291301984702"}`
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := serve(a, "POST", "/api.sanbod.co/sanboom/v1/banksinquiry/cardtoiban?traceid=t", "application/json", body, "Authorization", auth)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
	reqPerSec(b)
}
