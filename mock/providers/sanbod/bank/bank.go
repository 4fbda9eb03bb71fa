// API notes (additions to the agreed contract; nothing renamed or removed):
//   - Ctx.ProviderCode: the bank ("057", "054", "059", ...) the AC token was issued
//     for. The test user's documented deposits exist at every test bank, so the same
//     deposit number names a different deposit per bank; left empty, the bank is
//     inferred from the deposit number (059 first).
//   - Ctx.Errors: the provider's whole catalogue, so a scenario `failure:CODE`
//     naming a provider code (not one of Codes()) still renders as that code.
//   - Value: request fields Sanbod documents sometimes as strings and sometimes as
//     numbers accept both, so decoding a body never fails on them.
//   - UnknownCodes, FailureCodes, IsValidation, AtKeywords: for the route table.
//   - ErrBadCredentials, ErrNationalCode: what CheckLogin returns.

package bank

import (
	"time"

	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Config is the provider's tunable banking rules.
type Config struct {
	SATNAFloor  int64  // default 150_000_000 Rials; amounts below it are refused
	PAYACeiling int64  // default 0 = none; above it achtransfer is refused
	Spelling    string // RTGS status spelling: "example" (default), "list" ("seed"), or "core"
	// Retention lets Expire drop finished transfers this long after their
	// registration (--retention); 0 keeps them all and costs no index.
	Retention time.Duration
}

// Ctx is what every service call carries.
type Ctx struct {
	Tenant       string
	Now          time.Time
	Deposits     []string          // consented deposits of an AC token (nil for CC calls)
	Decision     scenario.Decision // scenario/header decision: Outcome, Code, Settle, Timeline
	TraceID      string
	ProviderCode string             // bank of the AC token; "" = infer from the deposit
	Errors       envelope.Catalogue // provider catalogue for failure codes outside Codes(); may be nil
}

// Deposit is one of a user's deposits, as the consent page lists it.
type Deposit struct {
	Number, IBAN, Owner, ProviderCode string
	Balance                           int64
	Cards                             []string // the deposit's cards; the consent page confirms them too
}

// ---- requests ----

// NormalTransferRequest is the body of normaltransfer.
type NormalTransferRequest struct {
	SourceDepositNumber      Value `json:"sourceDepositNumber"`
	DestinationDepositNumber Value `json:"destinationDepositNumber"`
	TransferAmount           Value `json:"transferAmount"`
}

// AchTransferRequest is the body of achtransfer (PAYA).
type AchTransferRequest struct {
	SourceDepositNumber Value `json:"sourceDepositNumber"`
	IBAN                Value `json:"iban"`
	TransferAmount      Value `json:"transferAmount"`
	ReceiverFirstName   Value `json:"receiverFirstName"`
	ReceiverLastName    Value `json:"receiverLastName"`
	Description         Value `json:"description"`
	FactorNumber        Value `json:"factorNumber"` // inferred: achreport filters on it
}

// RtgsTransferRequest is the body of rtgstransfer (SATNA).
type RtgsTransferRequest struct {
	SourceDepositNumber Value `json:"sourceDepositNumber"`
	DestinationIBAN     Value `json:"destinationIban"`
	TransferAmount      Value `json:"transferAmount"`
	ReceiverFirstName   Value `json:"receiverFirstName"`
	ReceiverLastName    Value `json:"receiverLastName"`
	Description         Value `json:"description"`
}

// StatementRequest is the body of statement.
type StatementRequest struct {
	DepositNumber Value `json:"depositNumber"`
	Length        Value `json:"length"`
	Offset        Value `json:"offset"`
	FromDateTime  Value `json:"fromDateTime"` // unix milliseconds
	ToDateTime    Value `json:"toDateTime"`
	Order         Value `json:"order"`  // ASC | DSC
	Action        Value `json:"action"` // CREDIT | DEBIT
}

// AchReportRequest is the body of achreport.
type AchReportRequest struct {
	DepositNumber         Value `json:"depositNumber"`
	DestinationIBAN       Value `json:"destinationIban"`
	DestinationOwnerName  Value `json:"destinationOwnerName"`
	FactorNumber          Value `json:"factorNumber"`
	FromTransactionAmount Value `json:"fromTransactionAmount"`
	ToTransactionAmount   Value `json:"toTransactionAmount"`
	ReferenceID           Value `json:"referenceId"`
	FromIssueDateTime     Value `json:"fromIssueDateTime"`
	ToIssueDateTime       Value `json:"toIssueDateTime"`
	FromRegisterDateTime  Value `json:"fromRegisterDateTime"`
	ToRegisterDateTime    Value `json:"toRegisterDateTime"`
	Length                Value `json:"length"`
	Offset                Value `json:"offset"`
}

// RtgsReportRequest is the body of rtgsreport.
type RtgsReportRequest struct {
	DepositNumber Value `json:"depositNumber"`
	DocNumber     Value `json:"docNumber"`
	FromDateTime  Value `json:"fromDateTime"`
	ToDateTime    Value `json:"toDateTime"`
	Offset        Value `json:"offset"`
	Length        Value `json:"length"`
}

// DepositToIbanRequest is the body of deposittoiban.
type DepositToIbanRequest struct {
	DepositNumber Value `json:"depositNumber"`
	Provider      Value `json:"provider"`
}

// CardToIbanRequest is the body of cardtoiban.
type CardToIbanRequest struct {
	CardNumber Value `json:"cardNumber"`
}

// IbanToDepositRequest is the body of ibantodeposit.
type IbanToDepositRequest struct {
	IBAN Value `json:"iban"`
}

// CardToDepositRequest is the body of cardtodeposit.
type CardToDepositRequest struct {
	CardNumber Value `json:"cardNumber"`
}

// IbanInquiryRequest is the body of ibaninquiry.
type IbanInquiryRequest struct {
	IBAN Value `json:"iban"`
}

// MobileNationalIDRequest is the body of mobilenationalid.
type MobileNationalIDRequest struct {
	MobileNumber Value `json:"mobileNumber"`
	NationalID   Value `json:"nationalId"`
}

// CardNationalIDRequest is the body of cardnationalid.
type CardNationalIDRequest struct {
	MobileNumber Value `json:"mobileNumber"`
	NationalID   Value `json:"nationalId"`
	CardNumber   Value `json:"cardNumber"`
}

// PersonalRequest is the body of personal and personalwithimage.
type PersonalRequest struct {
	NationalID Value `json:"nationalId"`
	BirthDate  Value `json:"birthDate"` // Jalali, yyyy/MM/dd or yyyyMMdd
}

// ---- results (the envelope's "message") ----

// NormalTransferResult is normaltransfer's message.
type NormalTransferResult struct {
	DocNumber string `json:"docNumber"`
}

// AchTransferResult is achtransfer's message.
type AchTransferResult struct {
	ReferenceID       string `json:"referenceId"`
	IBAN              string `json:"iban"`
	TransferAmount    string `json:"transferAmount"`
	OwnerName         string `json:"ownerName"`
	Description       string `json:"description"`
	TransactionStatus string `json:"transactionStatus"`
	TransferStatus    string `json:"transferStatus"`
}

// RtgsTransferRef is one element of rtgstransfer's message array.
type RtgsTransferRef struct {
	ReferenceID string `json:"referenceId"`
}

// RtgsTransferResult is rtgstransfer's message: an array, as the documentation shows.
type RtgsTransferResult []RtgsTransferRef

// StatementItem is one statement row.
type StatementItem struct {
	Balance         string `json:"balance"`
	TransactionDate int64  `json:"transactionDate"`
	Description     string `json:"description"`
	ReferenceID     string `json:"referenceId"`
	DocNumber       string `json:"docNumber"`
	ChequeNumber    string `json:"chequeNumber"`
	TransferAmount  string `json:"transferAmount"`
}

// StatementResult is statement's message.
type StatementResult []StatementItem

// AchReportItem is one achreport row.
type AchReportItem struct {
	ReferenceID         string  `json:"referenceId"`
	RegisterDateTime    string  `json:"registerDateTime"`
	Status              string  `json:"status"`
	TransferDescription *string `json:"transferDescription"`
}

// AchReportResult is achreport's message.
type AchReportResult []AchReportItem

// RtgsReportItem is one rtgsreport row.
type RtgsReportItem struct {
	TransferAmount           string `json:"transferAmount"`
	DestinationDepositNumber string `json:"destinationDepositNumber"`
	SourceDepositNumber      string `json:"sourceDepositNumber"`
	RegisterDateTime         string `json:"registerDateTime"`
	DocNumber                string `json:"docNumber"`
	Status                   string `json:"status"`
}

// RtgsReportResult is rtgsreport's message.
type RtgsReportResult []RtgsReportItem

// DepositToIbanResult is deposittoiban's message.
type DepositToIbanResult struct {
	DepositNumber string `json:"depositNumber"`
	IBAN          string `json:"iban"`
}

// CardToIbanResult is cardtoiban's message.
type CardToIbanResult struct {
	CardNumber string `json:"cardNumber"`
	IBAN       string `json:"iban"`
}

// IbanToDepositResult is ibantodeposit's message.
type IbanToDepositResult struct {
	DepositNumber string `json:"depositNumber"`
	IBAN          string `json:"iban"`
}

// CardToDepositResult is cardtodeposit's message.
type CardToDepositResult struct {
	CardNumber    string `json:"cardNumber"`
	DepositNumber string `json:"depositNumber"`
}

// OwnerInfo is one owner of a deposit in ibaninquiry.
type OwnerInfo struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

// IbanInquiryResult is ibaninquiry's message.
type IbanInquiryResult struct {
	IBAN               string      `json:"iban"`
	BankName           string      `json:"bankName"`
	DepositNumber      string      `json:"depositNumber"`
	DepositStatus      string      `json:"depositStatus"`
	DepositDescription string      `json:"depositDescription"`
	DepositComment     string      `json:"depositComment"`
	OwnersInfo         []OwnerInfo `json:"ownersInfo"`
}

// MatchResult is the message of mobilenationalid and cardnationalid.
type MatchResult struct {
	IsMatched bool `json:"ismatched"`
}

// PersonalResult is personal's message.
type PersonalResult struct {
	FirstName      string `json:"firstName"`
	LastName       string `json:"lastName"`
	RegisterNo     string `json:"registerNo"`
	RegisterSeries string `json:"registerSeries"`
	RegisterSerial string `json:"registerSerial"`
	NationalID     string `json:"nationalId"`
	BirthDate      string `json:"birthDate"`
	BirthPlace     string `json:"birthPlace"`
	DeathStatus    string `json:"deathStatus"`
	Gender         string `json:"gender"`
	FatherName     string `json:"fatherName"`
}

// PersonImage is one image of personalwithimage.
type PersonImage struct {
	Type  string  `json:"type"`
	Image *string `json:"image"`
}

// PersonalWithImageResult is personalwithimage's message.
type PersonalWithImageResult struct {
	PersonalResult
	Images []PersonImage `json:"images"`
}

// ---- the service surface ----

// Every service answers its typed message, the envelope's result_number (rows for
// arrays, 1 for an object) and an *envelope.Error ready to render, in two phases:
// Check<Service> judges the request and returns the Act; the engine applies a
// forced outcome in between, after the checks.

// Act is a service's second phase: what the bank does once the request has
// passed its checks, with the final decision in c.
type Act[Res any] func(c Ctx) (Res, int, error)

// The transfers are one act each: a transfer is judged by the bank in its own
// order (deposit, amount, limits, destination) and then applies the decision
// itself (plan), because every code it may be forced to answer travels in its
// reply path (Outcomes.InReply); so its validation still comes first.

// CheckNormalTransfer is normaltransfer as one act (see above).
func (b *Bank) CheckNormalTransfer(_ Ctx, r NormalTransferRequest) (Act[NormalTransferResult], error) {
	return func(c Ctx) (NormalTransferResult, int, error) { return b.normalTransfer(c, r) }, nil
}

// CheckAchTransfer is achtransfer as one act.
func (b *Bank) CheckAchTransfer(_ Ctx, r AchTransferRequest) (Act[AchTransferResult], error) {
	return func(c Ctx) (AchTransferResult, int, error) { return b.achTransfer(c, r) }, nil
}

// CheckRtgsTransfer is rtgstransfer as one act.
func (b *Bank) CheckRtgsTransfer(_ Ctx, r RtgsTransferRequest) (Act[RtgsTransferResult], error) {
	return func(c Ctx) (RtgsTransferResult, int, error) { return b.rtgsTransfer(c, r) }, nil
}
