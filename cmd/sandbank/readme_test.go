package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// The README's shell examples are executed: every ```sh block of README.md and
// then of the provider pages it links (docs/<provider>.md, in the order of its
// first link to each), in
// order, in one bash (as a reader pastes them into one terminal), against a
// fresh in-process server whose address replaces localhost:8080. A block fails
// the test when bash stops (set -euo pipefail: a failed command, an unset
// variable such as a token never captured), when a request cannot connect or
// answers HTTP >= 400, or when an answer is a provider failure carried in a 200
// (a Kavenegar message id the server does not know, a Paynet business code, a
// Finnotech Unsuccess). A comment on the line before a block's fence changes
// that:
//
//	<!-- readme-test: skip: why -->   the block is not run (a browser, a long-running
//	                                   server, a TLS listener)
//	<!-- readme-test: allow 500 -->  the block answers these statuses and provider
//	                                   failures on purpose

// readmeBlock is one ```sh block of the README.
type readmeBlock struct {
	file  string // README.md or docs/<provider>.md, for messages
	line  int    // line of the opening fence
	text  string // the commands
	skip  string // why it is not run; "" = run it
	allow []int  // HTTP statuses >= 400 the block answers on purpose
}

var markerRE = regexp.MustCompile(`^<!--\s*readme-test:\s*(skip|allow)\b:?\s*(.*?)\s*-->\s*$`)

// readmeBlocks extracts the sh blocks and their markers.
func readmeBlocks(t *testing.T, src string) []readmeBlock {
	t.Helper()
	var out []readmeBlock
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```sh" {
			continue
		}
		b := readmeBlock{line: i + 1}
		if i > 0 {
			if m := markerRE.FindStringSubmatch(strings.TrimSpace(lines[i-1])); m != nil {
				switch m[1] {
				case "skip":
					b.skip = m[2]
					if b.skip == "" {
						t.Fatalf("README.md:%d: a skip marker must say why", i)
					}
				case "allow":
					for _, f := range strings.Fields(m[2]) {
						n, err := strconv.Atoi(f)
						if err != nil || n < 400 || n > 599 {
							t.Fatalf("README.md:%d: allow takes HTTP statuses 400-599, got %q", i, f)
						}
						b.allow = append(b.allow, n)
					}
					if len(b.allow) == 0 {
						t.Fatalf("README.md:%d: allow names no status", i)
					}
				}
			} else if strings.Contains(lines[i-1], "readme-test") {
				t.Fatalf("README.md:%d: malformed marker %q", i, lines[i-1])
			}
		}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("README.md:%d: unclosed sh block", b.line)
		}
		b.text = strings.Join(body, "\n")
		out = append(out, b)
	}
	return out
}

// failureBodies are provider failures answered with HTTP 200 (or any status):
// an example that produces one is broken even though the request went through.
var failureBodies = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`"status":\s*"FAILED"`), "a Finnotech failure"},
	{regexp.MustCompile(`"message":\s*"Unsuccess"`), "a Finnotech Unsuccess result"},
	{regexp.MustCompile(`"error":\s*true`), "a Sanbod failure"},
	{regexp.MustCompile(`"result_code":`), "a Paynet error object"},
	// Paynet's reply names its operation in object_name; Vandar's transaction
	// answer also has "code":1,"message" and means "waiting for verify".
	{regexp.MustCompile(`\{[^{}]*"code":\s*[1-9][0-9]*[^{}]*"object_name"[^{}]*\}|\{[^{}]*"object_name"[^{}]*"code":\s*[1-9][0-9]*[^{}]*\}`), "a Paynet business failure"},
	{regexp.MustCompile(`"status":\s*0\s*,\s*"(error|errors|message)"`), "a Vandar failure"},
	{regexp.MustCompile(`"status":\s*100\s*,\s*"statustext"`), "a Kavenegar message id the server does not know (status 100)"},
}

// rewrite points the examples at the test server.
func rewrite(text, hostPort string) string {
	_, port, _ := strings.Cut(hostPort, ":")
	text = strings.ReplaceAll(text, ".localhost:8080", ".localhost:"+port)
	text = strings.ReplaceAll(text, "127.0.0.1:8080", hostPort)
	return regexp.MustCompile(`(^|[^.\w])localhost:8080`).ReplaceAllString(text, "${1}"+hostPort)
}

func TestReadmeExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's shell examples")
	}
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: the README's examples need it", tool)
		}
	}
	blocks := readmeAndPages(t)
	// A Tehran weekday morning: the bon-card charge is closed at night (A118) and
	// the PAYA cycle jump lands on the same business day.
	srv := sandbanktest.Start(t, sandbanktest.WithClock(time.Date(2026, 11, 22, 10, 0, 0, 0, iran.Tehran)))
	u, _ := url.Parse(srv.URL)

	dir := t.TempDir()
	log := dir + "/curl.log"
	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	// Every curl reports its status on stderr, collected per block in the log.
	script.WriteString(`curl() { command curl --no-progress-meter "$@" -w '%{stderr}@@HTTP %{http_code}\n' 2>>"$SB_LOG"; }` + "\n")
	ran := 0
	for i, b := range blocks {
		if b.skip != "" {
			continue
		}
		ran++
		fmt.Fprintf(&script, "echo '@@BLOCK %d'; echo '@@BLOCK %d' >>\"$SB_LOG\"\n%s\n", i, i, rewrite(b.text, u.Host))
	}
	if ran < 10 {
		t.Fatalf("only %d runnable sh blocks in README.md: the extraction is broken", ran)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SB_LOG="+log, "LC_ALL=C.UTF-8")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	statuses := map[int][]int{} // block → HTTP statuses of its requests
	last := -1
	if f, err := os.Open(log); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "@@BLOCK "):
				last, _ = strconv.Atoi(strings.TrimPrefix(line, "@@BLOCK "))
			case strings.HasPrefix(line, "@@HTTP "):
				n, _ := strconv.Atoi(strings.TrimPrefix(line, "@@HTTP "))
				statuses[last] = append(statuses[last], n)
			}
		}
		f.Close()
	}
	outputs := map[int]string{}
	for _, chunk := range strings.Split(stdout.String(), "@@BLOCK ")[1:] {
		num, rest, _ := strings.Cut(chunk, "\n")
		n, _ := strconv.Atoi(num)
		outputs[n] = rest
	}
	t.Logf("ran %d blocks:\n%s", ran, stdout.String())
	where := func(i int) string { return fmt.Sprintf("%s:%d", blocks[i].file, blocks[i].line) }
	if runErr != nil {
		at := "before the first block"
		if last >= 0 {
			at = "in the block at " + where(last)
		}
		t.Fatalf("the examples stopped %s: %v\nstderr:\n%s\noutput of that block:\n%s", at, runErr, stderr.String(), outputs[last])
	}
	for i, b := range blocks {
		if b.skip != "" {
			continue
		}
		if len(statuses[i]) == 0 {
			t.Errorf("%s: the block made no request", where(i))
		}
		for _, st := range statuses[i] {
			if st == 0 || st >= 400 && !containsInt(b.allow, st) {
				t.Errorf("%s: a request answered HTTP %d\n%s", where(i), st, outputs[i])
			}
		}
		if len(b.allow) > 0 {
			continue
		}
		for _, f := range failureBodies {
			if f.re.MatchString(outputs[i]) {
				t.Errorf("%s: the output has %s:\n%s", where(i), f.what, outputs[i])
			}
		}
	}
}

// readmeAndPages is the sh blocks of README.md, then of each docs/ page it links,
// in the order of its first link to each: the order a reader follows.
func readmeAndPages(t *testing.T) []readmeBlock {
	t.Helper()
	src, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"README.md"}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`\]\((docs/[a-z0-9_-]+\.md)\)`).FindAllStringSubmatch(string(src), -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			files = append(files, m[1])
		}
	}
	var out []readmeBlock
	for _, f := range files {
		data, err := os.ReadFile("../../" + f)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range readmeBlocks(t, string(data)) {
			b.file = f
			out = append(out, b)
		}
	}
	return out
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestReadmeTestCatchesBrokenExamples: the runner's own checks fail on what they
// must: a marker without reason, the failure bodies, and the address rewrite.
func TestReadmeTestCatchesBrokenExamples(t *testing.T) {
	bs := readmeBlocks(t, "x\n<!-- readme-test: skip: needs a browser -->\n```sh\nmake run\n```\n<!-- readme-test: allow 500 502 -->\n```sh\ncurl -s x\n```\n```sh\necho\n```\n")
	if len(bs) != 3 || bs[0].skip != "needs a browser" || len(bs[1].allow) != 2 || bs[1].allow[1] != 502 || bs[2].skip != "" || bs[2].text != "echo" {
		t.Fatalf("blocks: %+v", bs)
	}
	for _, body := range []string{
		`{"return":{"status":200,"message":"تایید شد"},"entries":[{"messageid":1,"status":100,"statustext":"x"}]}`,
		`{"object_name":"card_list","code":12,"message":"Kayıt bulunamadı"}`,
		`{"trackId":"x","status":"FAILED","error":{"code":"VALIDATION_ERROR","message":"invalid token"}}`,
		`{"error":true,"message":{"token":["x"]},"result_number":0}`,
	} {
		hit := false
		for _, f := range failureBodies {
			hit = hit || f.re.MatchString(body)
		}
		if !hit {
			t.Errorf("not caught: %s", body)
		}
	}
	for _, ok := range []string{`{"object_name":"card_list","code":0,"message":null}`, `{"return":{"status":200,"message":"تایید شد"},"entries":[{"status":10,"statustext":"رسیده به گیرنده"}]}`} {
		for _, f := range failureBodies {
			if f.re.MatchString(ok) {
				t.Errorf("%s flagged as %s", ok, f.what)
			}
		}
	}
	got := rewrite("curl localhost:8080/a http://localhost:8080/b http://api.kavenegar.com.localhost:8080/c 127.0.0.1:8080", "127.0.0.1:4321")
	if got != "curl 127.0.0.1:4321/a http://127.0.0.1:4321/b http://api.kavenegar.com.localhost:4321/c 127.0.0.1:4321" {
		t.Errorf("rewrite: %s", got)
	}
}
