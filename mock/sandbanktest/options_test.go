package sandbanktest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// The shipped scenarios load from a directory, and a forced timeout holds the
// connection only as long as WithFaultTimeout says.
func TestWithScenariosAndFaultTimeout(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithScenarios("../../scenarios"), sandbanktest.WithFaultTimeout(50*time.Millisecond))
	if srv.String() != srv.URL {
		t.Fatalf("String() = %q, want the URL %q", srv.String(), srv.URL)
	}
	var list struct {
		Scenarios []map[string]any `json:"scenarios"`
	}
	if code := srv.Admin.Get("/scenarios", &list); code != 200 {
		t.Fatalf("GET /scenarios: %d", code)
	}
	found := false
	for _, s := range list.Scenarios {
		found = found || s["name"] == "kavenegar-flaky"
	}
	if !found {
		t.Fatalf("the scenario directory was not loaded: %v", list)
	}
	// A timeout fault holds the connection, then drops it, after the configured
	// 50ms rather than the default 30s.
	srv.Admin.AddScenario("name: hold\nrules:\n  - operation: kavenegar.smsSend\n    outcome: unknown\n    fault: timeout\n")
	srv.Admin.Activate("hold", "")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/k/sms/send.json", strings.NewReader("receptor=09121234567&message=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	began := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("a timeout fault answered %d", res.StatusCode)
	}
	if took := time.Since(began); took < 50*time.Millisecond || took > 5*time.Second {
		t.Fatalf("a timeout fault held the request %v with a 50ms fault timeout", took)
	}
}
