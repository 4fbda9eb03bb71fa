package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles sandbank once per test run, so these tests drive the real
// binary over HTTP as a user would.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "sandbank")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestBinaryEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	addr := freePort(t)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--clock", "2026-11-22T10:00:00+03:30")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs <- sc.Text()
		}
		close(logs)
	}()
	base := "http://" + addr
	began := time.Now()
	for {
		if res, err := http.Get(base + "/_sandbox/health"); err == nil {
			res.Body.Close()
			break
		}
		if time.Since(began) > 5*time.Second {
			cmd.Process.Kill()
			t.Fatal("server did not come up in 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("ready after %v", time.Since(began))

	get := func(path, host string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if host != "" {
			req.Host = host
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var v map[string]any
		data, _ := io.ReadAll(res.Body)
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: not JSON: %s", path, data)
		}
		return res.StatusCode, v
	}
	for _, c := range []struct{ path, host string }{
		{"/kavenegar/v1/0/utils/getdate.json", ""},
		{"/api.kavenegar.com/v1/0/utils/getdate.json", ""},
		{"/v1/0/utils/getdate.json", "api.kavenegar.com"},
		{"/v1/0/utils/getdate.json", ""},
	} {
		st, v := get(c.path, c.host)
		ret, _ := v["return"].(map[string]any)
		entries, _ := v["entries"].(map[string]any)
		if st != 200 || ret["status"] != float64(200) || entries["year"] != float64(2026) || entries["hour"] != float64(6) {
			t.Fatalf("%s (host %q): %d %v", c.path, c.host, st, v)
		}
	}

	// Send, read the status, advance the clock, read it again.
	form := url.Values{"receptor": {"09121234567"}, "message": {"سلام"}}
	res, err := http.PostForm(base+"/kavenegar/v1/e2e-key/sms/send.json", form)
	if err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Return  struct{ Status int }
		Entries []struct {
			MessageID int64 `json:"messageid"`
			Status    int
			Cost      int
		}
	}
	json.NewDecoder(res.Body).Decode(&sent)
	res.Body.Close()
	if sent.Return.Status != 200 || len(sent.Entries) != 1 || sent.Entries[0].Status != 1 {
		t.Fatalf("send: %+v", sent)
	}
	status := func() float64 {
		_, v := get(fmt.Sprintf("/kavenegar/v1/e2e-key/sms/status.json?messageid=%d", sent.Entries[0].MessageID), "")
		return v["entries"].([]any)[0].(map[string]any)["status"].(float64)
	}
	if s := status(); s != 1 {
		t.Fatalf("status right after send = %v", s)
	}
	req, _ := http.NewRequest("POST", base+"/_sandbox/clock", strings.NewReader(`{"advance":"1m"}`))
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("advance: %v", err)
	}
	if s := status(); s != 10 {
		t.Fatalf("status a minute later = %v, want 10 (delivered)", s)
	}

	// Graceful shutdown on SIGTERM. The log is read to its end before Wait, which
	// closes the pipe and could otherwise drop the last lines (os/exec's docs).
	cmd.Process.Signal(syscall.SIGTERM)
	var all []string
	deadline := time.After(5 * time.Second)
read:
	for {
		select {
		case l, ok := <-logs:
			if !ok {
				break read
			}
			all = append(all, l)
		case <-deadline:
			cmd.Process.Kill()
			t.Fatal("no exit 5s after SIGTERM")
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	if !strings.Contains(strings.Join(all, "\n"), "shutting down") {
		t.Fatalf("no shutdown log: %v", all)
	}
}

func runCLI(args ...string) (int, string, string) {
	var out, errb strings.Builder
	code := run(context.Background(), args, func(string) string { return "" }, &out, &errb)
	return code, out.String(), errb.String()
}

func TestLintRoutesVersion(t *testing.T) {
	if code, out, _ := runCLI("version"); code != 0 || !strings.HasPrefix(out, "sandbank ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, out, _ := runCLI("lint", "../../scenarios"); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("lint of shipped scenarios: %d %q", code, out)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("name: bad\nrules:\n  - operation: kavenegar.smsSend\n    outcome: failure\n    code: \"999\"\n"), 0o644)
	code, _, errOut := runCLI("lint", dir)
	if code != 1 || !strings.Contains(errOut, "bad.yaml:5") {
		t.Fatalf("lint of a bad file: %d %q", code, errOut)
	}
	code, out, _ := runCLI("routes")
	if code != 0 || !strings.Contains(out, "kavenegar.smsSend") || !strings.Contains(out, "/v1/:apikey/sms/send.json") {
		t.Fatalf("routes: %d %q", code, out)
	}
	if code, _, _ := runCLI("frobnicate"); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
	if code, _, errOut := runCLI("serve", "--clock", "never"); code != 2 || !strings.Contains(errOut, "clock") {
		t.Fatalf("bad flag: %d %q", code, errOut)
	}
}

func TestHelpIsOnStdout(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, errOut := runCLI(args...)
		if code != 0 || errOut != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
		for _, want := range []string{"serve", "lint", "routes", "healthcheck", "version", "Examples:"} {
			if !strings.Contains(out, want) {
				t.Fatalf("%v: no %q in %q", args, want, out)
			}
		}
	}
	for _, args := range [][]string{{"help", "serve"}, {"serve", "--help"}, {"help", "lint"}, {"lint", "-h"}, {"help", "healthcheck"}, {"routes", "--help"}} {
		code, out, errOut := runCLI(args...)
		if code != 0 || errOut != "" || !strings.Contains(out, "Usage:") || !strings.Contains(out, "Examples:") {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	// serve's help lists the server's flags from the config loader itself.
	_, out, _ := runCLI("help", "serve")
	for _, flag := range []string{"-addr", "-clock", "-journal-size", "-scenarios", "-tls-addr"} {
		if !strings.Contains(out, flag) {
			t.Fatalf("help serve: no %s in %q", flag, out)
		}
	}
	if code, out, errOut := runCLI("help", "nonsense"); code != 2 || out != "" || !strings.Contains(errOut, "nonsense") {
		t.Fatalf("help nonsense: %d %q %q", code, out, errOut)
	}
}

func TestLintNamesWhatItCannotOpen(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	code, _, errOut := runCLI("lint", missing)
	if code != 1 || !strings.Contains(errOut, missing) {
		t.Fatalf("lint of a missing dir: %d %q", code, errOut)
	}
	// One file is linted on its own.
	file := filepath.Join(t.TempDir(), "one.yaml")
	os.WriteFile(file, []byte("name: one\nrules:\n  - operation: kavenegar.smsSend\n    outcome: failure\n    code: \"999\"\n"), 0o644)
	if code, _, errOut := runCLI("lint", file); code != 1 || !strings.Contains(errOut, file+":5") {
		t.Fatalf("lint of one bad file: %d %q", code, errOut)
	}
}

func TestHealthcheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_sandbox/health" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"status":"ok"}`))
	}))
	addr := strings.TrimPrefix(srv.URL, "http://")
	if code, out, errOut := runCLI("healthcheck", "--addr", addr); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("healthcheck of a live server: %d %q %q", code, out, errOut)
	}
	// The configured address is the default, as in the container (SANDBANK_ADDR).
	var out, errb strings.Builder
	env := func(k string) string {
		if k == "SANDBANK_ADDR" {
			return addr
		}
		return ""
	}
	if code := run(context.Background(), []string{"healthcheck"}, env, &out, &errb); code != 0 {
		t.Fatalf("healthcheck via SANDBANK_ADDR: %d %q", code, errb.String())
	}
	srv.Close()
	if code, _, errOut := runCLI("healthcheck", "--addr", addr); code != 1 || !strings.Contains(errOut, addr) {
		t.Fatalf("healthcheck of a stopped server: %d %q", code, errOut)
	}
}

// TestOneVersionEverywhere builds the binary the way `make build` and the Dockerfile
// do, and checks that --version, version and /_sandbox/health report that one string.
func TestOneVersionEverywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	const ldflag = "-X github.com/sandbank-dev/sandbank/mock/app.Version="
	for _, f := range []string{"../../Makefile", "../../Dockerfile"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), ldflag) {
			t.Fatalf("%s does not link the version with %q", f, ldflag)
		}
	}
	mk, _ := os.ReadFile("../../Makefile")
	if !strings.Contains(string(mk), "--build-arg VERSION=$(VERSION)") {
		t.Fatal("make docker does not pass the binary's VERSION to the image")
	}
	const want = "v9.8.7-test"
	bin := filepath.Join(t.TempDir(), "sandbank")
	if out, err := exec.Command("go", "build", "-ldflags", ldflag+want, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil || strings.TrimSpace(string(out)) != "sandbank "+want {
			t.Fatalf("%v: %q %v", args, out, err)
		}
	}
	addr := freePort(t)
	cmd := exec.Command(bin, "serve", "--addr", addr)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var health struct{ Version string }
	for began := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if res, err := http.Get("http://" + addr + "/_sandbox/health"); err == nil {
			json.NewDecoder(res.Body).Decode(&health)
			res.Body.Close()
			break
		}
		if time.Since(began) > 5*time.Second {
			t.Fatal("server did not come up")
		}
	}
	if health.Version != want {
		t.Fatalf("health version %q, want %q", health.Version, want)
	}
	if out, err := exec.Command(bin, "healthcheck", "--addr", addr).CombinedOutput(); err != nil {
		t.Fatalf("healthcheck: %v %s", err, out)
	}
}

// TestBindErrorBeforeListening: a taken port is the one thing reported; nothing
// claims to be listening first.
func TestBindErrorBeforeListening(t *testing.T) {
	bin := buildBinary(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	out, err := exec.Command(bin, "serve", "--addr", l.Addr().String()).CombinedOutput()
	if err == nil {
		t.Fatal("serve on a taken port exited 0")
	}
	if strings.Contains(string(out), "listening") || !strings.Contains(string(out), "address already in use") {
		t.Fatalf("output: %s", out)
	}
}
