package vandar

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/page"
)

// customerWallet is a customer's wallet: a ledger inside Vandar that moves no
// real money (reference §12.7), in Rials.
type customerWallet struct {
	Balance int64 `json:"balance_rial"`
	Moves   int64 `json:"moves"` // how many movements it has had
}

// walletMove is one deposit or withdrawal of a customer wallet: the row the
// customer's transaction list shows (§12.8).
type walletMove struct {
	UUID     string    `json:"uuid"`
	Customer string    `json:"customer"`
	Type     string    `json:"type"`   // deposit | withdraw
	Amount   int64     `json:"amount"` // Rial, negative for a withdrawal
	TrackID  string    `json:"track_id"`
	Comment  string    `json:"comment,omitempty"`
	Balance  int64     `json:"balance"` // after this movement
	Created  time.Time `json:"created"`
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
	w, _ := p.cust.wallets.Get(slug, id)
	return w.Balance
}

// moveCustomer deposits (delta > 0) or withdraws (delta < 0) under the
// customer wallet's lock: the track_id check, the balance check, the new
// balance and the movement row are one step. A track_id is unique within the
// business, across its customers and both directions; the movement table's
// insert settles a race between two customers' wallets.
func (p *Provider) moveCustomer(slug string, m walletMove) (walletMove, error) {
	err := p.cust.wallets.Upsert(slug, m.Customer, func() customerWallet { return customerWallet{} }, func(w *customerWallet) error {
		if _, taken := p.cust.moves.Get(slug, m.TrackID); taken {
			return p.failAll(problems{{code: "WALLET_TRACK_ID_TAKEN"}})
		}
		next := w.Balance + m.Amount
		if next < 0 {
			return p.failAll(problems{{code: "WALLET_INSUFFICIENT"}})
		}
		if next > maxWalletRial {
			return p.failAll(problems{{code: "WALLET_VALIDATION", msg: "amount نباید بزرگتر از " + itoa(maxWalletRial) + " باشد."}})
		}
		m.Balance = next
		if !p.cust.moves.Insert(slug, m.TrackID, m) {
			return p.failAll(problems{{code: "WALLET_TRACK_ID_TAKEN"}})
		}
		w.Balance, w.Moves = next, w.Moves+1
		return nil
	})
	return m, err
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
	m, err := p.moveCustomer(c.Tenant, walletMove{UUID: p.uuid1(c.Now), Customer: r.customer, Type: typ, Amount: amount,
		TrackID: r.trackID, Comment: comment, Created: c.Now})
	if err != nil {
		return moveShown{}, err
	}
	return moveShown{ID: m.UUID, TrackID: m.TrackID, Status: 1, Message: msg, Balance: m.Balance, Currency: "RIAL", Comment: m.Comment}, nil
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

// runMoveList lists the customer's movements, newest first.
func (p *Provider) runMoveList(c *api.Call, r moveListReq) (moveList, error) {
	var rows []moveRow
	items := p.cust.moves.List(c.Tenant)
	for i := len(items) - 1; i >= 0; i-- {
		m := items[i].Value
		if m.Customer != r.customer || (r.typ != "" && m.Type != r.typ) || (r.trackID != "" && m.TrackID != r.trackID) {
			continue
		}
		rows = append(rows, moveRow{UUID: m.UUID, Type: m.Type, Amount: m.Amount, Comment: m.Comment,
			Balance: itoa(m.Balance), CreatedAt: m.Created.Unix(), UpdatedAt: m.Created.Unix()})
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
	res := page.NewResource(u, page.Request{Page: r.page, PerPage: r.perPage}, page.Slice(rows), page.ResourceOptions{})
	if res.Data == nil {
		res.Data = []moveRow{}
	}
	return moveList{Resource: res, Status: 1}, nil
}
