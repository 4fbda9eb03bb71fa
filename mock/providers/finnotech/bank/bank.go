// API of the bank world behind the Finnotech services. Contract with package
// finnotech (see bank/doc.go for what is documented and what was decided).
// Nothing of the agreed contract was renamed or removed. Added: Bank.UserName,
// Bank.KnownDeposit, Bank.DepositStatement, Bank.Charges, LookupCode,
// ResultCode.ChargeState/TransactionStatus, ChargeResult.Success and its
// MarshalJSON (the documented success and failure shapes), the State*/Status*
// constants.
//
// Envelope codes returned as *envelope.Error by this package (all from §3.2 of
// docs/reference/finnotech.md, to be present in the provider's catalogue):
// VALIDATION_ERROR (400) only; the messages are listed in doc.go.
package bank

import (
	"io/fs"
	"time"

	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Bank is the simulated banking world behind the Finnotech services: users and
// their deposits, the deposit ledger, debit cards, bon cards and the charges
// between them. State is per tenant in the store; fixtures are read-only.
type Bank struct {
	seed    int64
	w       *world
	book    *ledger.Book[movement] // deposits' and bon cards' money, in Rial
	charges *store.Table[chargeRow]
	pending *store.Table[time.Time] // trackIds of charges still in doubt
	seq     *store.Table[int64]
	byAt    *store.Index[chargeRow] // charges by creation time, with a retention only
}

// New loads finnotech.yaml from fixtures (nil, or a file system without it: the
// built-in defaults: the nine sandbox users and no cards) and registers the
// bank's tables with st.
func New(st *store.Store, fixtures fs.FS, seed int64) (*Bank, error) {
	f, err := loadFixtures(fixtures)
	if err != nil {
		return nil, err
	}
	w, err := resolve(f, seed)
	if err != nil {
		return nil, err
	}
	return &Bank{
		seed:    seed,
		w:       w,
		book:    ledger.New[movement](st, "finnotech.bank.ledger"),
		charges: store.NewTable[chargeRow](st, "finnotech.bank.charges"),
		pending: store.NewTable[time.Time](st, "finnotech.bank.pending"),
		seq:     store.NewTable[int64](st, "finnotech.bank.seq"),
	}, nil
}

// Reset forgets one tenant's state ("" = all tenants): balances, ledgers and
// charges go back to the fixtures.
func (b *Bank) Reset(tenant string) {
	b.book.Reset(tenant)
	b.charges.Clear(tenant)
	b.pending.Clear(tenant)
	b.seq.Clear(tenant)
}

// next hands out per-tenant sequence numbers (trackers, trace numbers) starting
// at a seeded offset, so two tenants never look alike and a rerun with the same
// seed gives the same numbers.
func (b *Bank) next(tenant, key string, base, span int64) int64 {
	var n int64
	start := base + int64(fake.Hash(b.seed, tenant, "seq", key)%uint64(span))
	_ = b.seq.Upsert(tenant, key, func() int64 { return start - 1 }, func(p *int64) error {
		*p++
		n = *p
		return nil
	})
	return n
}

// Deposit is one account a user may offer on the consent page.
type Deposit struct {
	Number, Bank, Owner string
	Balance             int64
	// Note says, in Persian, what a deposit with magic properties does to a
	// charge (the consent page shows it); "" for an ordinary deposit.
	Note string
}

// KnownUser reports whether nid can log in on the sandbox bank page (username =
// password = nid).
func (b *Bank) KnownUser(nid string) bool { _, ok := b.w.users[nid]; return ok }

// UserName is the Persian full name of a known user ("" for others).
func (b *Bank) UserName(nid string) string {
	if u, ok := b.w.users[nid]; ok {
		return u.Name
	}
	return ""
}

// UserDeposits lists nid's deposits at bank (3-digit code) with their current
// balances, in fixture order: the deposits offered on the consent page.
func (b *Bank) UserDeposits(tenant, nid, bank string) []Deposit {
	u, ok := b.w.users[nid]
	if !ok {
		return nil
	}
	var out []Deposit
	for _, n := range u.Deposits {
		d := b.w.deposits[n]
		if d.Bank != bank {
			continue
		}
		out = append(out, Deposit{Number: d.Number, Bank: d.Bank, Owner: d.Owner, Balance: b.depositState(tenant, d).Balance, Note: b.w.outcomeNote(d)})
	}
	return out
}

// KnownDeposit reports whether number is a deposit of the bank world, and its
// bank code and owner's national id.
func (b *Bank) KnownDeposit(number string) (bank, ownerNID string, ok bool) {
	d, ok := b.w.deposits[number]
	if !ok {
		return "", "", false
	}
	return d.Bank, d.OwnerNID, true
}

// CardList is the `result` of GET /mpg/v2/clients/{clientId}/cards?mobile=.
type CardList struct {
	TraceNumber    string       `json:"traceNumber"`
	Result         string       `json:"result"`
	Description    string       `json:"description"`
	DoTime         string       `json:"doTime"`
	Mobile         string       `json:"mobile"`
	CardDetailList []CardDetail `json:"cardDetailList"`
}

// CardDetail is one card of a CardList.
type CardDetail struct {
	Index          string `json:"index"`
	BankIdentify   string `json:"bankIdentify"`
	BankName       string `json:"bankName"`
	LastFourDigits string `json:"lastFourDigits"`
}

// CardInfo is the `result` of GET /mpg/v2/clients/{clientId}/cards/{card}.
type CardInfo struct {
	DestCard    string `json:"destCard"`
	Name        string `json:"name"`
	Result      string `json:"result"`
	Description string `json:"description"`
	DoTime      string `json:"doTime"`
	BankName    string `json:"bankName"`
}

// ChargeRequest is one chargeCard call.
type ChargeRequest struct {
	Deposit, Card string
	Amount        int64
	TrackID       string // the charge's trackId: key for the inquiry
	Now           time.Time
	Decision      scenario.Decision
}

// ChargeResult is the `result` of chargeCard: a success or a business failure
// (both HTTP 200, status DONE). MarshalJSON writes the documented shape of each.
type ChargeResult struct {
	Code        string // "" on success
	Message     string
	Description string
	Card        string // last four digits
	Amount      string
	Deposit     string
	Tracker     int64  // 0 on failure (not written)
	ChargeState string // DONE | UNKNOWN
}

// Inquiry is the object of inquiryChargeCard (documented under `inquiry`,
// read by clients under `result`).
type Inquiry struct {
	Message           string `json:"message"`
	Code              string `json:"code"`
	Description       string `json:"description"`
	TransactionStatus string `json:"transactionStatus"`
	Tracker           *int64 `json:"tracker"`
	TrackID           string `json:"trackId"`
}

// ValidCard is the `result` of getValidCard.
type ValidCard struct {
	Message     string `json:"message"`
	Code        string `json:"code"`
	Description string `json:"description,omitempty"`
	Card        string `json:"card"`
}

// CardBalance is the `result` of card/balance.
type CardBalance struct {
	Balance string `json:"balance"`
}

// CardStatement is the `result` of card/statement.
type CardStatement struct {
	Transactions []CardTransaction `json:"transactions"`
}

// CardTransaction is one row of a bon-card statement.
type CardTransaction struct {
	Trace         int64  `json:"trace"`
	Pan           string `json:"pan"`
	FinancialDate string `json:"financialdate"`
	LocalDate     string `json:"Local_Date"`
	TimeIn        string `json:"timein"`
	LocalTime     string `json:"Local_Time"`
	AcqInst       int64  `json:"acqinst"`
	AccTermID     string `json:"acc_termid"`
	RefNum        string `json:"refnum"`
	PrCode        int64  `json:"prcode"`
	PosCondCode   int64  `json:"pos_cond_code"`
	Amount        string `json:"amount"`
	Available     string `json:"available"`
}

// DepositBalance is the `result` of GET .../deposits/{deposit}/balance.
type DepositBalance struct {
	CurrentBalance   int64  `json:"currentBalance"`
	AvailableBalance int64  `json:"availableBalance"`
	EffectiveBalance int64  `json:"effectiveBalance"`
	FreezeAmount     int64  `json:"freezeAmount"`
	Number           string `json:"number"`
}

// ResultCode is one line of the §6.3 result-code table. ChargeState and
// TransactionStatus are what chargeCard and inquiryChargeCard report for it.
type ResultCode struct {
	Code, Class, Description string
	ChargeState              string // DONE | UNKNOWN
	TransactionStatus        string // Success | Unsuccess | Unknown
}

// chargeCard / inquiryChargeCard vocabulary.
const (
	StateDone       = "DONE"
	StateUnknown    = "UNKNOWN"
	StatusSuccess   = "Success"
	StatusUnsuccess = "Unsuccess"
	StatusUnknown   = "Unknown"
)
