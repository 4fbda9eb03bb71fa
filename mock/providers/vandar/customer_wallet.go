package vandar

import (
	"errors"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/page"
)

// A customer's wallet is an account of the customers' ledger book (mock/ledger),
// one per customer under the business's tenant, in Rials: Vandar's internal
// ledger, which moves no real money (reference §12.7). Each movement is one
// ledger entry whose metadata is moveMeta; the track_id is the entry's
// idempotency key, unique within the business.

// moveMeta is what a customer-wallet entry says about itself.
type moveMeta struct {
	UUID    string `json:"uuid"`
	Type    string `json:"type"` // deposit | withdraw
	TrackID string `json:"track_id"`
	Comment string `json:"comment,omitempty"`
}

// customerAccount is a customer's account: it opens empty, in Rial.
func customerAccount(customer string) ledger.Account {
	return ledger.Account{ID: customer, Opening: ledger.IRR.Of(0)}
}

// Movement types and their default comments (the documented list rows,
// reference §12.8).
const (
	moveDeposit  = "deposit"
	moveWithdraw = "withdraw"
)

var moveComments = map[string]string{moveDeposit: "افزایش کیف پول مشتری", moveWithdraw: "کاهش کیف پول مشتری"}

// maxWalletRial bounds one movement, so no sum overflows.
const maxWalletRial = 1_000_000_000_000_000

// customerBalance is a customer's wallet in Rials (0 before the first
// movement).
func (p *Provider) customerBalance(slug, id string) int64 {
	return p.cust.book.Peek(slug, p.clock.Now(), customerAccount(id)).Balance
}

var errWalletCap = errors.New("customer wallet above its cap")

// moveCustomer deposits (amount > 0) or withdraws (amount < 0) in one ledger
// step: the track_id, the balance check, the new balance and the entry. A
// repeated track_id moves nothing and answers 422 on track_id (reference §12.7:
// undocumented; the 422 is inferred); a withdrawal above the balance 422 on
// amount.
func (p *Provider) moveCustomer(slug, customer string, now time.Time, amount int64, meta moveMeta) (ledger.Entry[moveMeta], error) {
	e, replay, err := p.cust.book.Post(slug, now, ledger.Posting[moveMeta]{
		Account: customerAccount(customer), Amount: ledger.IRR.Of(amount), Meta: meta, Key: meta.TrackID,
		Check: func(v ledger.View) error {
			if v.Balance+amount > maxWalletRial {
				return errWalletCap
			}
			return nil
		},
	})
	switch {
	case replay:
		return e, p.failAll(problems{{code: "WALLET_TRACK_ID_TAKEN"}})
	case errors.Is(err, ledger.ErrInsufficient):
		return e, p.failAll(problems{{code: "WALLET_INSUFFICIENT"}})
	case errors.Is(err, errWalletCap):
		return e, p.failAll(problems{{code: "WALLET_VALIDATION", msg: "amount نباید بزرگتر از " + itoa(maxWalletRial) + " باشد."}})
	case err != nil:
		return e, p.fail("CUSTOMER_SERVICE_FAILED")
	}
	return e, nil
}

// --- GET /v2/business/:business/customers/:customer/wallet ---

type walletShown struct {
	Status   int    `json:"status"`
	Balance  int64  `json:"balance"`
	Currency string `json:"currency"`
}

func (p *Provider) runCustomerWallet(c *api.Call, cu customer) (walletShown, error) {
	return walletShown{Status: 1, Balance: p.customerBalance(c.Tenant, cu.ID), Currency: "RIAL"}, nil
}

// --- POST .../wallet/deposit and .../wallet/withdraw ---

type walletReq struct {
	customer string
	amount   int64
	trackID  string
	comment  string
}

// parseWalletMove reads amount (an integer of at least 1 Rial), track_id
// (required) and comment (§12.7, §16.3).
func (p *Provider) parseWalletMove(c *api.Call) (walletReq, error) {
	cu, err := p.parseCustomerID(c)
	if err != nil {
		return walletReq{}, err
	}
	in := readInput(c)
	r := walletReq{customer: cu.ID}
	var ps problems
	bad := func(field, msg string) { ps = append(ps, problem{code: "WALLET_VALIDATION", field: field, msg: msg}) }
	s, present, ok := in.str("amount")
	n, num := int64Of(s)
	switch {
	case !present:
		bad("amount", "وارد کردن amount الزامی است")
	case !ok || !num:
		bad("amount", "amount باید عدد صحیح باشد.")
	case n < 1:
		bad("amount", "amount نباید کوچکتر از 1 باشد.")
	case n > maxWalletRial:
		bad("amount", "amount نباید بزرگتر از "+itoa(maxWalletRial)+" باشد.")
	default:
		r.amount = n
	}
	s, present, ok = in.str("track_id")
	switch {
	case !present:
		bad("track_id", "وارد کردن track_id الزامی است")
	case !ok:
		bad("track_id", "track_id باید رشته باشد.")
	case len([]rune(s)) > 255:
		bad("track_id", "track_id نباید بیشتر از 255 کاراکتر باشد.")
	default:
		r.trackID = s
	}
	s, present, ok = in.str("comment")
	switch {
	case present && !ok:
		bad("comment", "comment باید رشته باشد.")
	case len([]rune(s)) > 255:
		bad("comment", "comment نباید بیشتر از 255 کاراکتر باشد.")
	default:
		r.comment = s
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

type moveShown struct {
	ID       string `json:"id"`
	TrackID  string `json:"track_id"`
	Status   int    `json:"status"`
	Message  string `json:"message"`
	Balance  int64  `json:"balance"`
	Currency string `json:"currency"`
	Comment  string `json:"comment"`
}

func (p *Provider) runDeposit(c *api.Call, r walletReq) (moveShown, error) {
	return p.runMove(c, r, moveDeposit, "واریز با موفقیت انجام شد")
}

func (p *Provider) runWithdraw(c *api.Call, r walletReq) (moveShown, error) {
	return p.runMove(c, r, moveWithdraw, "برداشت با موفقیت انجام شد")
}

func (p *Provider) runMove(c *api.Call, r walletReq, typ, msg string) (moveShown, error) {
	// The customer may have been deleted since Parse.
	if _, err := p.customer(c.Tenant, r.customer); err != nil {
		return moveShown{}, err
	}
	amount := r.amount
	if typ == moveWithdraw {
		amount = -amount
	}
	comment := r.comment
	if comment == "" {
		comment = moveComments[typ]
	}
	e, err := p.moveCustomer(c.Tenant, r.customer, c.Now, amount, moveMeta{UUID: p.uuid1(c.Now), Type: typ, TrackID: r.trackID, Comment: comment})
	if err != nil {
		return moveShown{}, err
	}
	return moveShown{ID: e.Meta.UUID, TrackID: e.Meta.TrackID, Status: 1, Message: msg, Balance: e.Balance.Value, Currency: "RIAL", Comment: e.Meta.Comment}, nil
}

// --- POST (GET) /v2/business/:business/customers/:customer/transactions ---

type moveListReq struct {
	customer      string
	page, perPage int
	typ, trackID  string
}

// moveRow is one row of the list (§12.8): withdrawals negative, balance after
// the row as a string, Unix-second timestamps.
type moveRow struct {
	UUID      string `json:"uuid"`
	Type      string `json:"type"`
	Amount    int64  `json:"amount"`
	Comment   string `json:"comment"`
	Balance   string `json:"balance"`
	CreatedAt int64  `json:"created_at"`
	UpdatedAt int64  `json:"updated_at"`
}

// moveList is the collection with its trailing "status":1 (§12.8).
type moveList struct {
	page.Resource[moveRow]
	Status int `json:"status"`
}

func (p *Provider) parseMoveList(c *api.Call) (moveListReq, error) {
	cu, err := p.parseCustomerID(c)
	if err != nil {
		return moveListReq{}, err
	}
	in := readInput(c)
	var ps problems
	r := moveListReq{customer: cu.ID}
	r.page, r.perPage = parsePaging(in, 20, &ps)
	r.typ = textFilter(in, "type", &ps)
	if r.typ != "" && r.typ != moveDeposit && r.typ != moveWithdraw {
		ps = append(ps, problem{code: "CUSTOMER_TX_TYPE"})
	}
	r.trackID = textFilter(in, "track_id", &ps)
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

// runMoveList lists the customer's movements, newest first: one page read
// from the ledger's time index, and the matching total.
func (p *Provider) runMoveList(c *api.Call, r moveListReq) (moveList, error) {
	acct := customerAccount(r.customer)
	keep := func(e *ledger.Entry[moveMeta]) bool {
		return (r.typ == "" || e.Meta.Type == r.typ) && (r.trackID == "" || e.Meta.TrackID == r.trackID)
	}
	src := func(offset, limit int) ([]moveRow, int) {
		entries, err := p.cust.book.Page(c.Tenant, c.Now, acct, ledger.Query{Reverse: true}, offset, limit, keep)
		if err != nil {
			return []moveRow{}, 0
		}
		rows := make([]moveRow, 0, len(entries))
		for _, e := range entries {
			rows = append(rows, moveRow{UUID: e.Meta.UUID, Type: e.Meta.Type, Amount: e.Amount.Value, Comment: e.Meta.Comment,
				Balance: itoa(e.Balance.Value), CreatedAt: e.At.Unix(), UpdatedAt: e.At.Unix()})
		}
		total := 0
		_ = p.cust.book.Statement(c.Tenant, c.Now, acct, ledger.Query{}, func(e ledger.Entry[moveMeta]) bool {
			if keep(&e) {
				total++
			}
			return true
		})
		return rows, total
	}
	u := page.URLs{Path: customerBase(c.Tenant) + "/" + r.customer + "/transactions", Appends: map[string][]string{}}
	for k, v := range map[string]string{"type": r.typ, "track_id": r.trackID} {
		if v != "" {
			u.Appends[k] = []string{v}
		}
	}
	if r.perPage != 20 {
		u.Appends["per_page"] = []string{itoa(int64(r.perPage))}
	}
	return moveList{Resource: page.NewResource(u, page.Request{Page: r.page, PerPage: r.perPage}, src, page.ResourceOptions{}), Status: 1}, nil
}
