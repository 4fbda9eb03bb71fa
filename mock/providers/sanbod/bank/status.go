package bank

// PAYA (achtransfer) statuses, Sanbod's documentation and the Tosan/core-banking enum (§5.3).
const (
	achWaitCustomer = "WAIT_FOR_CUSTOMER_ACCEPT"
	achWaitBranch   = "WAIT_FOR_BRANCH_ACCEPT"
	achBranchReject = "BRANCH_REJECT"
	achReady        = "READY_TO_TRANSFER"
	achSuspend      = "SUSPEND"
	achCancel       = "CANCEL"
	achProcessed    = "PROCESSED"

	// achAccepted is achtransfer's transactionStatus on registration (Sanbod's documentation).
	achAccepted = "ACCEPTED"
)

var achStatuses = []string{achWaitCustomer, achWaitBranch, achBranchReject, achReady, achSuspend, achCancel, achProcessed}

// AchStatuses are the PAYA statuses a timeline may name.
func AchStatuses() []string { return append([]string(nil), achStatuses...) }

// achFinal says what a PAYA status does to the money: +1 delivered to the
// destination, -1 returned to the source, 0 still held.
func achFinal(status string) int {
	switch status {
	case achProcessed:
		return 1
	case achBranchReject, achCancel:
		return -1
	}
	return 0
}

// rtgsStatus is one SATNA status: its canonical name (the documentation's spelling, used in
// plans and the store) and how the core-banking enum spells it (§5.4).
type rtgsStatus struct {
	seed, core string
	money      int // as achFinal
}

// rtgsTable is the one place SATNA spellings live. Config.Spelling picks the
// column sent on the wire; timelines may be written in either.
var rtgsTable = []rtgsStatus{
	{"SABT_SHODE", "SABT_SHODE", 0},
	{"TAEED_SHOBE_SHODE", "TAEED_SHOBE_SHODE", 0},
	{"ADAM_TAEED_SHODE", "ADAM_TAEED_SHOBE", -1},
	{"HAZF_SHODE", "HAZF_SHODE", -1},
	{"TAEED_SHOBE_SATNA", "TAEED_SHOBE_SATNA", 0},
	{"ADAM_TAEED_SHOBE_SATNA", "ADAM_TAEED_SHOBE_SATNA", -1},
	{"ERSAL_SHODE", "ERSAL_SHODE", 0},
	{"TASFIYEH_SHODEH", "TASFIYEH_SHODE", 1},
	{"TASFIYEH_NASHODE", "TASFIYEH_NASHODE", -1},
	// Only the core-banking enum has it; the documentation's spelling table sends it as is.
	{"ENTEZAR_BARAYE_TAEED", "ENTEZAR_BARAYE_TAEED", 0},
}

const (
	rtgsRegistered     = "SABT_SHODE"
	rtgsBranchOK       = "TAEED_SHOBE_SHODE"
	rtgsBranchNotOK    = "ADAM_TAEED_SHODE"
	rtgsDeleted        = "HAZF_SHODE"
	rtgsSatnaBranchOK  = "TAEED_SHOBE_SATNA"
	rtgsSatnaBranchNot = "ADAM_TAEED_SHOBE_SATNA"
	rtgsSent           = "ERSAL_SHODE"
	rtgsSettled        = "TASFIYEH_SHODEH"
	rtgsSettledExample = "TASFIYEH_SHODE" // the rtgsreport example's spelling
	rtgsNotSettled     = "TASFIYEH_NASHODE"
)

var rtgsBySpelling = func() map[string]int {
	m := map[string]int{}
	for i, s := range rtgsTable {
		m[s.seed] = i
		m[s.core] = i
	}
	return m
}()

// RtgsStatuses are the SATNA statuses a timeline may name: the documentation's spellings and
// the core-banking variants, so a scenario written against either loads.
func RtgsStatuses() []string {
	out := make([]string, 0, len(rtgsTable)+3)
	seen := map[string]bool{}
	for _, col := range []func(rtgsStatus) string{func(s rtgsStatus) string { return s.seed }, func(s rtgsStatus) string { return s.core }} {
		for _, s := range rtgsTable {
			if n := col(s); !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// rtgsCanonical maps either spelling to the documentation's spelling; ok is false for a
// status SATNA does not have.
func rtgsCanonical(s string) (string, bool) {
	i, ok := rtgsBySpelling[s]
	if !ok {
		return "", false
	}
	return rtgsTable[i].seed, true
}

// rtgsWire spells a canonical status as configured. The documentation spells "settled"
// two ways: its rtgsreport example answers TASFIYEH_SHODE while its status list
// writes TASFIYEH_SHODEH. The default ("example") follows the example, so the
// example is what a client sees; "list" (or "seed") sends the list's spelling,
// "core" the core-banking enum's.
func (b *Bank) rtgsWire(s string) string {
	i, ok := rtgsBySpelling[s]
	if !ok {
		return s
	}
	switch b.cfg.Spelling {
	case "core":
		return rtgsTable[i].core
	case "list", "seed":
		return rtgsTable[i].seed
	}
	if rtgsTable[i].seed == rtgsSettled {
		return rtgsSettledExample
	}
	return rtgsTable[i].seed
}

func rtgsFinal(s string) int {
	if i, ok := rtgsBySpelling[s]; ok {
		return rtgsTable[i].money
	}
	return 0
}

// AtKeywords are the words a transfer timeline's `at` may use besides durations:
// next-cycle (PAYA: the next PAYA send time; SATNA: the next SATNA step within
// hours), send-time (PAYA: the send time of the cycle the transfer was registered
// in), next-business-day (same wall time on the next business day) and
// satna-open (the next moment SATNA is open).
func AtKeywords() []string {
	return []string{"next-cycle", "send-time", "next-business-day", "satna-open"}
}
