package vandar

import "time"

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
