package kavenegar

import (
	"fmt"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// infoEntry is account/info's entries object.
type infoEntry struct {
	RemainCredit int64  `json:"remaincredit"`
	ExpireDate   int64  `json:"expiredate"`
	Type         string `json:"type"`
}

// accountInfo ignores every parameter, because the Go SDK's Account.Config posts
// its settings here (§5.9) and must keep getting an answer; what it judges is the
// account itself (begin), before a forced code.
func (p *Provider) accountInfo() api.Op[account, infoEntry] {
	return api.Op[account, infoEntry]{
		Parse: func(c *api.Call) (account, error) {
			acct, _, err := p.begin(c)
			return acct, err
		},
		Run: func(_ *api.Call, acct account) (infoEntry, error) {
			return infoEntry{RemainCredit: acct.Credit, ExpireDate: acct.Expire, Type: acct.Type}, nil
		},
	}
}

// confValues are the accepted values of the enum settings. apilogs takes both
// spellings the SDKs use (Go justfaults, PHP justforfault).
var confValues = map[string][]string{
	"apilogs":      {"justfaults", "justforfault", "enabled", "disabled"},
	"dailyreport":  {"justfaults", "enabled", "disabled"},
	"debugmode":    {"enabled", "disabled"},
	"resendfailed": {"enabled", "disabled"},
}

// accountConfig reads and changes the settings. An empty value means "leave as
// is" rather than 406, because the Go SDK sends every field, set or not; a value
// outside the setting's list is 422, a defaultsender that is not a line of the
// account 412, a mincreditalarm that is not a whole number 422.
func (p *Provider) accountConfig() api.Op[configChange, acctConf] {
	return api.Op[configChange, acctConf]{Parse: p.parseConfig, Run: p.runConfig}
}

// configChange is account/config's request: the settings before and after.
type configChange struct{ was, next acctConf }

func (p *Provider) parseConfig(c *api.Call) (configChange, error) {
	acct, prof, err := p.begin(c)
	if err != nil {
		return configChange{}, err
	}
	q := readParams(c)
	next := acct.Config
	set := func(dst *string, name string, aliases ...string) error {
		v := strings.ToLower(q.get(append([]string{name}, aliases...)...))
		if v == "" {
			return nil
		}
		if !contains(confValues[name], v) {
			return errCode("422")
		}
		*dst = v
		return nil
	}
	for _, s := range []struct {
		dst     *string
		name    string
		aliases []string
	}{
		{&next.APILogs, "apilogs", nil},
		{&next.DailyReport, "dailyreport", nil},
		{&next.DebugMode, "debugmode", []string{"debug"}},
		{&next.ResendFailed, "resendfailed", nil},
	} {
		if err := set(s.dst, s.name, s.aliases...); err != nil {
			return configChange{}, err
		}
	}
	if v := q.get("defaultsender"); v != "" {
		line, err := senderOf(v, acct, prof)
		if err != nil {
			return configChange{}, err
		}
		next.DefaultSender = line
	}
	if v := q.get("mincreditalarm"); v != "" {
		n, good := int64Of(v)
		if !good || n < 0 {
			return configChange{}, errCode("422")
		}
		next.MinCreditAlarm = fmt.Sprint(n)
	}
	return configChange{was: acct.Config, next: next}, nil
}

func (p *Provider) runConfig(c *api.Call, r configChange) (acctConf, error) {
	next := r.next
	if next != r.was && c.Decision.Commits() {
		err := p.accounts.Update(c.Tenant, accountRow, func(a *account) error {
			a.Config = next
			return nil
		})
		if err != nil {
			return acctConf{}, &envelope.Error{Kind: envelope.KindInternal, Cause: err}
		}
	} else {
		next = r.was
	}
	return next, nil
}
