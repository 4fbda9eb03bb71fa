package sandbanktest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/sandbanktest"
)

// Servers started by parallel tests share nothing: clock, state and journal.
func TestParallelServersAreIndependent(t *testing.T) {
	start := time.Date(2026, 11, 22, 6, 30, 0, 0, time.UTC)
	for i := 0; i < 4; i++ {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			srv := sandbanktest.Start(t, sandbanktest.WithClock(start), sandbanktest.WithSeed(int64(i)))
			if got := srv.Admin.Now(); !got.Equal(start) {
				t.Fatalf("clock %v", got)
			}
			srv.Admin.Advance(fmt.Sprintf("%dm", i+1))
			if got := srv.Admin.Now().Sub(start); got != time.Duration(i+1)*time.Minute {
				t.Fatalf("advance moved another server's clock? %v", got)
			}
			res, err := http.PostForm(srv.Base("kavenegar")+"/v1/shared-key/sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {"x"}})
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("send: %v %v", err, res)
			}
			res.Body.Close()
			if n := len(srv.Admin.Journal("operation=kavenegar.smsSend")); n != 1 {
				t.Fatalf("journal sees %d sends, want only this server's one", n)
			}
			srv.Admin.Reset("")
			if n := len(srv.Admin.Journal("")); n != 0 {
				t.Fatalf("reset left %d journal entries", n)
			}
		})
	}
}

func TestWithConfigAndScenario(t *testing.T) {
	srv := sandbanktest.Start(t, sandbanktest.WithConfig("journal_size: 5\n"))
	srv.Admin.AddScenario("name: all-busy\nrules:\n  - operation: kavenegar.*\n    outcome: failure\n    code: \"409\"\n")
	srv.Admin.Activate("all-busy", "")
	res, err := http.Get(srv.URL + "/v1/k/account/info.json")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 409 || res.Header.Get("X-Sandbank-Rule") != "all-busy#1" {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("X-Sandbank-Rule"))
	}
	for i := 0; i < 8; i++ {
		r, _ := http.Get(srv.URL + "/v1/0/utils/getdate.json")
		r.Body.Close()
	}
	if n := len(srv.Admin.Journal("")); n != 5 {
		t.Fatalf("journal_size from the config: kept %d", n)
	}
}

func TestAdminCount(t *testing.T) {
	srv := sandbanktest.Start(t)
	for _, r := range []string{"09121234567", "09121234567", "09351234567"} {
		res, err := http.PostForm(srv.URL+"/kavenegar/v1/count-key/sms/send.json", url.Values{"receptor": {r}, "message": {"سلام"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if n := srv.Admin.Count("kavenegar.smsSend", map[string]any{"body.receptor": "09121234567"}); n != 2 {
		t.Fatalf("count %d, want 2", n)
	}
	if n := srv.Admin.Count("kavenegar.*", map[string]any{"tenant": "count-key", "header.Content-Type": map[string]any{"regex": "urlencoded"}}); n != 3 {
		t.Fatalf("count %d, want 3", n)
	}
}
