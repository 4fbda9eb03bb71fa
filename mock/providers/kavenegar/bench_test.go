package kavenegar

import (
	"io"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/api/apitest"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// The state-scaling benchmarks fill one key's outbox with n messages (straight
// into the store: sending a million through HTTP would take minutes), then time
// the queries a user runs against a long-lived key. A query's cost must follow
// the page it answers, not the history behind it.

var outboxSizes = []int{1_000, 100_000, 1_000_000}

// filledOutbox is a provider whose key "bench" holds n delivered messages, one a
// second up to the clock's time, and the server that serves it.
func filledOutbox(b *testing.B, n int) (*apitest.Server, *Provider) {
	b.Helper()
	clk := apitest.NewClock(start)
	d := api.Deps{Clock: clk, Store: store.New(), Seed: 42, Fixtures: os.DirFS("../../../fixtures")}
	p, err := New(d)
	if err != nil {
		b.Fatal(err)
	}
	p.ensureAccount("bench", start)
	first := start.Add(-time.Duration(n) * time.Second)
	for i := 0; i < n; i++ {
		at := first.Add(time.Duration(i) * time.Second)
		m := message{ID: int64(100_000_000 + i), Kind: kindSMS, Receptor: "09121234567", Sender: "10004346",
			Text: "کد ورود شما " + strconv.Itoa(i), Date: at.Unix(), Created: at, Cost: 120, Parts: 1}
		m.setPlan(lifecycle.Plan{{Status: stQueued, At: at}, {Status: stDelivered, At: at.Add(5 * time.Second)}})
		p.messages.Insert("bench", idKey(m.ID), m)
	}
	return apitest.Serve(b, p, clk), p
}

func benchGet(b *testing.B, url string) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d %s", url, res.StatusCode, body)
		}
	}
}

func BenchmarkOutboxScaling(b *testing.B) {
	for _, n := range outboxSizes {
		srv, _ := filledOutbox(b, n)
		// The last ten minutes' messages: a window a report asks for, whatever the history.
		from := strconv.FormatInt(start.Add(-10*time.Minute).Unix(), 10)
		b.Run("latestoutbox/rows="+strconv.Itoa(n), func(b *testing.B) {
			benchGet(b, srv.URL+"/v1/bench/sms/latestoutbox.json?pagesize=100")
		})
		b.Run("selectoutbox/rows="+strconv.Itoa(n), func(b *testing.B) {
			benchGet(b, srv.URL+"/v1/bench/sms/selectoutbox.json?startdate="+from)
		})
		b.Run("admin-outbox/rows="+strconv.Itoa(n), func(b *testing.B) {
			benchGet(b, srv.URL+"/_sandbox/kavenegar/outbox?apikey=bench&limit=100")
		})
		srv.Close()
	}
}
