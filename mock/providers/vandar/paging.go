package vandar

import (
	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// pageNums is the page and per_page of a list whose two parameters are
// Laravel "integer|min:1" rules: the v2 iam list, the v2.1 settlement list and
// the lists beside it (queued, batches, cash-in, Avand), and the direct-debit
// lists. The customer lists (parsePaging), the IBAN and card lists
// (parseInstrumentList), the report cursor and Ravand's statement read theirs
// by other rules.
type pageNums struct{ page, perPage int }

func (n pageNums) request() page.Request {
	return page.Request{Page: n.page, PerPage: n.perPage}
}

// readPageNums reads page and per_page: an absent one keeps its default (page
// 1, per_page perPage); anything but a whole number from 1 to 1000 is code's
// 422 line on that field. digits, when given, rewrites the text first (the
// direct-debit lists take Persian digits).
func readPageNums(in input, perPage int, code string, digits func(string) string, ps *problems) pageNums {
	r := pageNums{page: 1, perPage: perPage}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"page", &r.page}, {"per_page", &r.perPage}} {
		s, present, ok := in.str(f.name)
		if !present {
			continue
		}
		if digits != nil {
			s = digits(s)
		}
		n, num := int64Of(s)
		if !ok || !num || n < 1 || n > 1000 {
			*ps = append(*ps, problem{code: code, field: f.name, msg: f.name + " باید عدد صحیح بزرگتر از صفر باشد."})
			continue
		}
		*f.dst = int(n)
	}
	return r
}

// parsePageNums is the Parse of a list that reads nothing but page and
// per_page, 10 a page; a bad one is code's 422.
func (p *Provider) parsePageNums(code string) func(c *api.Call) (pageNums, error) {
	return func(c *api.Call) (pageNums, error) {
		var ps problems
		r := readPageNums(readInput(c), 10, code, nil, &ps)
		if len(ps) > 0 {
			return r, p.failAll(ps)
		}
		return r, nil
	}
}

// newestFirst is every row of the tenant's index, newest first, as view
// prints it: the whole list a collection page is cut from.
func newestFirst[R, V any](ix *store.Index[R], tenant string, view func(R) V) []V {
	var out []V
	ix.Scan(tenant, store.Range{Reverse: true}, func(r store.Row[R]) bool {
		out = append(out, view(r.Value))
		return true
	})
	return out
}
