package sandbanktest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// exampleT stands in for the *testing.T a real test passes to Start, so the
// examples run under go test: it fails by panicking and runs its cleanups when
// the example ends.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (t *exampleT) Helper()                           {}
func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *exampleT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) done() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// Start a server for one test, with the clock frozen, and drive it as a client
// that takes a base URL would; then move the virtual clock and read the journal.
func ExampleStart() {
	t := &exampleT{} // in a test: the test's *testing.T
	defer t.done()

	srv := sandbanktest.Start(t, sandbanktest.WithClock(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)))
	res, err := http.PostForm(srv.Base("kavenegar")+"/v1/my-key/sms/send.json",
		url.Values{"receptor": {"09121234567"}, "message": {"hello"}})
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println("send:", res.StatusCode)

	srv.Admin.Advance("10m")
	fmt.Println("clock:", srv.Admin.Now().UTC().Format(time.RFC3339))
	for _, e := range srv.Admin.Journal("operation=kavenegar.smsSend") {
		fmt.Println("journal:", e.Operation, e.Tenant, e.Status)
	}
	// Output:
	// send: 200
	// clock: 2026-03-01T10:10:00Z
	// journal: kavenegar.smsSend my-key 200
}

// Give Client to an SDK that hard-codes the provider's https:// URL: its
// requests are answered by the server in memory, with no port, certificate or
// hosts-file entry. A header forces an outcome for one request.
func ExampleServer_Client() {
	t := &exampleT{}
	defer t.done()
	srv := sandbanktest.Start(t)

	sdk := srv.Client() // e.g. kavenegar.New(key) with its HTTP client replaced
	req, _ := http.NewRequest("POST", "https://api.kavenegar.com/v1/my-key/sms/send.json",
		strings.NewReader(url.Values{"receptor": {"09121234567"}, "message": {"hello"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Sandbank-Outcome", "failure:418") // credit not enough
	res, err := sdk.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("X-Sandbank-Rule"))
	fmt.Println(strings.Contains(string(body), `"status":418`))
	// Output:
	// 418 header
	// true
}
