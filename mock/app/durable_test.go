package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/app"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

func durableApp(t testing.TB, dir string, clock time.Time) *app.App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.ClockStart = clock
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const uploaded = `name: durable-up
description: uploaded, must survive a restart
rules:
  - operation: kavenegar.smsSend
    outcome: failure
    code: "418"
`

// A clean restart brings back the store, the frozen clock where it was moved to,
// an uploaded scenario and its activation for one tenant; --clock given again
// wins over the saved clock.
func TestDataDirRestart(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 22, 6, 30, 0, 0, time.UTC)
	a := durableApp(t, dir, start)
	form := "application/x-www-form-urlencoded"
	for i := range 3 {
		if w := serve(a, "POST", "/kavenegar/v1/dd/sms/send.json", form, "receptor=09121234567&message=m"+strconv.Itoa(i)); w.Code != 200 {
			t.Fatal(w.Code, w.Body.String())
		}
	}
	if w := serve(a, "POST", "/_sandbox/clock", "application/json", `{"advance":"36h"}`); w.Code != 200 {
		t.Fatal(w.Code, w.Body.String())
	}
	if w := serve(a, "POST", "/_sandbox/scenarios", "application/yaml", uploaded); w.Code != 201 {
		t.Fatal(w.Code, w.Body.String())
	}
	if w := serve(a, "PUT", "/_sandbox/scenarios/active", "application/json", `{"name":"durable-up","tenant":"other"}`); w.Code != 200 {
		t.Fatal(w.Code, w.Body.String())
	}
	state := serve(a, "GET", "/_sandbox/state/dd", "", "").Body.String()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	b := durableApp(t, dir, time.Time{})
	defer b.Close()
	if got := serve(b, "GET", "/_sandbox/state/dd", "", "").Body.String(); got != state {
		t.Fatalf("state after restart\n%s\nwant\n%s", got, state)
	}
	if got, want := b.Clock().Now(), start.Add(36*time.Hour); !got.Equal(want) || !b.Clock().Frozen() {
		t.Fatalf("clock after restart %v (frozen %v), want %v frozen", got, b.Clock().Frozen(), want)
	}
	if _, tenants := b.Scenarios().Active(); tenants["other"] != "durable-up" {
		t.Fatalf("active scenarios after restart: %v", tenants)
	}
	if w := serve(b, "POST", "/kavenegar/v1/other/sms/send.json", form, "receptor=09121234567&message=x"); w.Code != 418 {
		t.Fatalf("the uploaded scenario does not decide after restart: %d %s", w.Code, w.Body.String())
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	later := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	c := durableApp(t, dir, later)
	defer c.Close()
	if !c.Clock().Now().Equal(later) {
		t.Fatalf("--clock given at start must win: %v", c.Clock().Now())
	}
}

// BenchmarkSendDataDir compares Kavenegar sends in memory and with --data-dir,
// at 64 and 256 clients per core. Group commit shares one fsync among the
// replies waiting at once, so with enough writers throughput is bound by CPU
// (cpu-µs/op: the process's CPU time per request, which unlike req/s does not
// move with what else the machine runs); with few, each reply waits for an
// fsync and throughput is clients / fsync latency.
func BenchmarkSendDataDir(b *testing.B) {
	for _, perCore := range []int{64, 256} {
		for _, on := range []bool{false, true} {
			name := fmt.Sprintf("memory/clients=%dxGOMAXPROCS", perCore)
			if on {
				name = fmt.Sprintf("data-dir/clients=%dxGOMAXPROCS", perCore)
			}
			b.Run(name, func(b *testing.B) {
				dir := ""
				if on {
					dir = b.TempDir()
				}
				a := durableApp(b, dir, time.Date(2026, 11, 22, 6, 30, 0, 0, time.UTC))
				defer a.Close()
				body := "receptor=09121234567&message=hello"
				var n atomic.Int64
				b.SetParallelism(perCore)
				b.ReportAllocs()
				b.ResetTimer()
				cpu0 := cpuTime()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						req := httptest.NewRequest("POST", "/kavenegar/v1/dd-"+strconv.FormatInt(n.Add(1)%64, 10)+"/sms/send.json", strings.NewReader(body))
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						w := httptest.NewRecorder()
						a.ServeHTTP(w, req)
						if w.Code != http.StatusOK {
							b.Fatal(w.Code, w.Body.String())
						}
					}
				})
				reqPerSec(b)
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
				b.StopTimer() // Close's final snapshot is a shutdown cost, not a request's
			})
		}
	}
}

var _ = json.Marshal

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// A Vandar business made by the control plane comes back after a restart with
// its credentials and payment token, and the settlement it had pending is booked
// again at start: advancing the clock sends its notice with no other request.
func TestDataDirRestartVandar(t *testing.T) {
	notices := make(chan string, 4)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseMultipartForm(1 << 20)
		notices <- r.FormValue("status") + " " + r.FormValue("id")
	}))
	defer shop.Close()
	dir := t.TempDir()
	a := durableApp(t, dir, time.Date(2026, 11, 22, 6, 30, 0, 0, time.UTC))
	w := serve(a, "POST", "/_sandbox/vandar/businesses", "application/json", `{"name":"globex"}`)
	if w.Code != 201 {
		t.Fatal(w.Code, w.Body.String())
	}
	var creds struct {
		AccessToken string `json:"access_token"`
		APIKey      string `json:"api_key"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &creds); err != nil {
		t.Fatal(err)
	}
	w = serve(a, "POST", "/vandar/v3/business/globex/settlement/store", "application/json",
		`{"amount":10000,"iban":"`+vandarIBAN(t)+`","track_id":"t-1","notify_url":"`+shop.URL+`/stl"}`, "Authorization", "Bearer "+creds.AccessToken)
	if w.Code != 200 {
		t.Fatal(w.Code, w.Body.String())
	}
	var stored struct {
		Data struct {
			Settlement []struct {
				ID string `json:"id"`
			} `json:"settlement"`
		} `json:"data"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &stored); err != nil || len(stored.Data.Settlement) != 1 {
		t.Fatal(err, w.Body.String())
	}
	w = serve(a, "POST", "/ipg.vandar.io/api/v4/send", "application/x-www-form-urlencoded", "api_key="+creds.APIKey+"&amount=20000&callback_url=https://shop.example/cb")
	if w.Code != 200 {
		t.Fatal(w.Code, w.Body.String())
	}
	var sent struct{ Token string }
	_ = json.Unmarshal(w.Body.Bytes(), &sent)
	state := serve(a, "GET", "/_sandbox/state/globex", "", "").Body.String()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	b := durableApp(t, dir, time.Time{})
	defer b.Close()
	if got := serve(b, "GET", "/_sandbox/state/globex", "", "").Body.String(); got != state {
		t.Fatalf("globex after restart\n%s\nwant\n%s", got, state)
	}
	if w := serve(b, "POST", "/_sandbox/clock", "application/json", `{"advance":"30m"}`); w.Code != 200 {
		t.Fatal(w.Code, w.Body.String())
	}
	select {
	case got := <-notices:
		if got != "DONE "+stored.Data.Settlement[0].ID {
			t.Fatalf("notice %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no settlement notice after the restart and a clock advance")
	}
	if w := serve(b, "GET", "/vandar/v2/business/globex/balance", "", "", "Authorization", "Bearer "+creds.AccessToken); w.Code != 200 {
		t.Fatalf("globex's token after restart: %d %s", w.Code, w.Body.String())
	}
	if w := serve(b, "GET", "/_sandbox/vandar/ipg/"+sent.Token, "", ""); w.Code != 200 {
		t.Fatalf("globex's payment token after restart: %d %s", w.Code, w.Body.String())
	}
}

func vandarIBAN(t *testing.T) string {
	t.Helper()
	s, err := iran.MakeIBAN("012", "1234567890")
	if err != nil {
		t.Fatal(err)
	}
	return s
}
