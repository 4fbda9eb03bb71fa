package kavenegar

import (
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/api/apitest"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Issue 16 item 8: with a retention, finished messages older than it go as the
// clock moves; a message still on its way (scheduled for later) stays however old.
func TestRetentionDropsFinishedMessages(t *testing.T) {
	clk := apitest.NewClock(start)
	sched := lifecycle.NewScheduler()
	d := api.Deps{Clock: clk, Store: store.New(), Seed: 42, Fixtures: os.DirFS("../../../fixtures"),
		Scheduler: sched, Retention: 24 * time.Hour}
	p, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	srv := apitest.Serve(t, p, clk)
	defer srv.Close()
	send := func(v url.Values) {
		t.Helper()
		res, err := srv.Client().PostForm(srv.URL+"/v1/ret/sms/send.json", v)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatal(res.StatusCode)
		}
	}
	send(url.Values{"receptor": {"09121234567"}, "message": {"a"}, "localid": {"L1"}})
	send(url.Values{"receptor": {"09121234567"}, "message": {"b"}})
	send(url.Values{"receptor": {"09121234567"}, "message": {"later"}, "date": {strconv.FormatInt(start.Add(72*time.Hour).Unix(), 10)}})
	if n := p.messages.Len("ret"); n != 3 {
		t.Fatalf("%d messages stored, want 3", n)
	}

	clk.Advance(23 * time.Hour)
	sched.RunDue(clk.Now())
	if n := p.messages.Len("ret"); n != 3 {
		t.Fatalf("within the retention %d messages are left, want 3", n)
	}
	// The sweep runs every eighth of the retention (3h here): by 23h+3h at the latest.
	clk.Advance(4 * time.Hour)
	sched.RunDue(clk.Now())
	if n := p.messages.Len("ret"); n != 1 {
		t.Fatalf("past the retention %d messages are left, want the scheduled one", n)
	}
	if p.localIDs.Len("ret") != 0 {
		t.Fatal("the dropped message's localid is still mapped")
	}
	clk.Advance(72 * time.Hour)
	sched.RunDue(clk.Now())
	if n := p.messages.Len("ret"); n != 0 {
		t.Fatalf("the scheduled message, delivered long ago, is still kept (%d left)", n)
	}
}

// Without a retention nothing is dropped, whatever the clock does.
func TestNoRetentionKeepsAll(t *testing.T) {
	clk := apitest.NewClock(start)
	sched := lifecycle.NewScheduler()
	p, err := New(api.Deps{Clock: clk, Store: store.New(), Seed: 42, Fixtures: os.DirFS("../../../fixtures"), Scheduler: sched})
	if err != nil {
		t.Fatal(err)
	}
	srv := apitest.Serve(t, p, clk)
	defer srv.Close()
	res, err := srv.Client().PostForm(srv.URL+"/v1/ret/sms/send.json", url.Values{"receptor": {"09121234567"}, "message": {"a"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	clk.Advance(1000 * time.Hour)
	sched.RunDue(clk.Now())
	if n := p.messages.Len("ret"); n != 1 || len(sched.Pending()) != 0 {
		t.Fatalf("messages %d, pending %v", n, sched.Pending())
	}
}
