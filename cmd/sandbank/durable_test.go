package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sandbank is one run of the binary.
type sandbank struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	log  strings.Builder
	mu   sync.Mutex
}

func startBinary(t *testing.T, bin string, args ...string) *sandbank {
	t.Helper()
	addr := freePort(t)
	s := &sandbank{t: t, base: "http://" + addr}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr, "--journal-size", "0"}, args...)...)
	s.cmd.Stderr = writerFunc(func(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.log.Write(p) })
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	for {
		if res, err := http.Get(s.base + "/_sandbox/health"); err == nil {
			res.Body.Close()
			return s
		}
		if time.Since(began) > 10*time.Second {
			s.cmd.Process.Kill()
			t.Fatalf("server did not come up in 10s:\n%s", s.logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *sandbank) logs() string { s.mu.Lock(); defer s.mu.Unlock(); return s.log.String() }

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       10 * time.Second,
}

// do sends one request and returns the status and body; err is a transport error
// (the server died mid-request: not acknowledged).
func (s *sandbank) do(method, path, ctype, body string, header ...string) (int, string, error) {
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, "", err
	}
	if loc := res.Header.Get("Location"); loc != "" {
		return res.StatusCode, loc, nil
	}
	return res.StatusCode, string(b), nil
}

func (s *sandbank) must(want int, method, path, ctype, body string, header ...string) string {
	s.t.Helper()
	code, out, err := s.do(method, path, ctype, body, header...)
	if err != nil || code != want {
		s.t.Fatalf("%s %s: %d %v %s\n%s", method, path, code, err, out, s.logs())
	}
	return out
}

func field(t *testing.T, body string, path ...string) string {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no %v in %s", path, body)
		}
		v = m[p]
	}
	return fmt.Sprint(v)
}

// Issue 16 item 9: with --data-dir, kill -9 during a mixed load of Kavenegar
// sends, Finnotech card charges and a Vandar gateway payment; after a restart every
// write that was answered 2xx (counted here, on the client side) is there, and so
// are the clock and an uploaded scenario.
func TestDataDirSurvivesKill9(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	s := startBinary(t, bin, "--data-dir", dir, "--clock", "2026-11-22T10:00:00+03:30")
	defer func() { _ = s.cmd.Process.Kill() }()
	const js = "application/json"
	form := "application/x-www-form-urlencoded"

	// The control plane: an uploaded scenario, active for one tenant; the clock moved.
	s.must(201, "POST", "/_sandbox/scenarios", "application/yaml",
		"name: kill9-up\nrules:\n  - operation: kavenegar.smsSend\n    outcome: failure\n    code: \"418\"\n")
	s.must(200, "PUT", "/_sandbox/scenarios/active", js, `{"name":"kill9-up","tenant":"k9-blocked"}`)
	clock := field(t, s.must(200, "POST", "/_sandbox/clock", js, `{"advance":"26h"}`), "now")

	// A Vandar gateway payment, verified.
	const key = "sbxacme0c7e2b9a4d1f6e3c8b5a2d7f4e1c9b6a3d"
	token := field(t, s.must(200, "POST", "/ipg.vandar.io/api/v4/send", form,
		"api_key="+key+"&amount=250000&callback_url=https://shop.example/cb&factorNumber=INV-K9&mobile_number=09121234567"), "token")
	s.must(200, "POST", "/_sandbox/vandar/ipg/"+token+"/pay", js, `{"card":"6037990000000014"}`)
	trans := field(t, s.must(200, "POST", "/ipg.vandar.io/api/v4/verify", form, "api_key="+key+"&token="+token), "transId")

	// A Finnotech token for charges.
	const fb = "/sandboxapi.finnotech.ir"
	loc := s.must(302, "GET", fb+"/dev/v2/oauth2/authorize?client_id=drops&response_type=code&redirect_uri=https://www.drops.com/return&scope=oak:card-charge:execute&bank=062&limit=5000000&count=100000&state=1", "", "")
	session := loc[strings.Index(loc, "session=")+len("session="):]
	redirect := field(t, s.must(200, "POST", "/_sandbox/finnotech/consents/"+session+"/approve", js, `{"user":"1111111111","deposits":["0211111111111"]}`), "redirect")
	u, _ := url.Parse(redirect)
	tok := s.must(200, "POST", fb+"/dev/v2/oauth2/token", js,
		`{"grant_type":"authorization_code","code":"`+u.Query().Get("code")+`","bank":"062","redirect_uri":"https://www.drops.com/return"}`,
		"Authorization", "Basic ZHJvcHM6c2VjcmV0")
	at := field(t, tok, "result", "value")

	// The load, until the kill.
	var (
		mu      sync.Mutex
		sms     []string // message texts answered 200
		charges []string // trackIds answered 200
		n       atomic.Int64
		stop    atomic.Bool
		wg      sync.WaitGroup
	)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				i := n.Add(1)
				if w < 5 {
					text := fmt.Sprintf("k9m%dx", i)
					code, _, err := s.do("POST", "/kavenegar/v1/k9-key-"+fmt.Sprint(w)+"/sms/send.json", form, "receptor=09121234567&message="+text)
					if err == nil && code == 200 {
						mu.Lock()
						sms = append(sms, fmt.Sprint(w)+" "+text)
						mu.Unlock()
					}
					continue
				}
				track := fmt.Sprintf("k9c%dx", i)
				code, _, err := s.do("POST", fb+"/oak/v2/clients/drops/deposits/0211111111111/chargeCard?trackId="+track, js,
					`{"amount":1000,"card":"6362144202902795"}`, "Authorization", "Bearer "+at)
				if err == nil && code == 200 {
					mu.Lock()
					charges = append(charges, track)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if err := s.cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
	stop.Store(true)
	wg.Wait()
	if len(sms) < 20 || len(charges) < 5 {
		t.Fatalf("too little load before the kill: %d sends, %d charges\n%s", len(sms), len(charges), s.logs())
	}
	t.Logf("acknowledged before kill -9: %d sends, %d charges", len(sms), len(charges))

	r := startBinary(t, bin, "--data-dir", dir)
	defer func() { _ = r.cmd.Process.Kill() }()
	if got := field(t, r.must(200, "GET", "/_sandbox/clock", "", ""), "now"); got != clock {
		t.Errorf("clock after restart %s, want %s", got, clock)
	}
	r.must(200, "GET", "/_sandbox/scenarios/kill9-up", "", "")
	if code, out, _ := r.do("POST", "/kavenegar/v1/k9-blocked/sms/send.json", form, "receptor=09121234567&message=x"); code != 418 {
		t.Errorf("the uploaded, activated scenario does not decide after restart: %d %s", code, out)
	}
	states := map[string]string{}
	state := func(tenant string) string {
		if _, ok := states[tenant]; !ok {
			states[tenant] = r.must(200, "GET", "/_sandbox/state/"+tenant, "", "")
		}
		return states[tenant]
	}
	lost := 0
	for _, m := range sms {
		w, text, _ := strings.Cut(m, " ")
		if !strings.Contains(state("k9-key-"+w), text) {
			lost++
			if lost < 5 {
				t.Errorf("acknowledged send %q is gone", text)
			}
		}
	}
	for _, c := range charges {
		if !strings.Contains(state("drops"), c) {
			lost++
			if lost < 10 {
				t.Errorf("acknowledged charge %q is gone", c)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d acknowledged writes lost", lost)
	}
	info := r.must(200, "POST", "/ipg.vandar.io/api/v4/transaction", form, "api_key="+key+"&token="+token)
	if !strings.Contains(info, trans) {
		t.Errorf("the verified payment after restart: %s (want transId %s)", info, trans)
	}
}
