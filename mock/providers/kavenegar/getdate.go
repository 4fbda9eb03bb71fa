package kavenegar

import (
	"fmt"

	"github.com/sandbank-dev/sandbank/mock/api"
)

// dateEntry is utils/getdate's entries object.
type dateEntry struct {
	DateTime string `json:"datetime"`
	Year     int    `json:"year"`
	Month    int    `json:"month"`
	Day      int    `json:"day"`
	Hour     int    `json:"hour"`
	Minute   int    `json:"minute"`
	Second   int    `json:"second"`
	UnixTime int64  `json:"unixtime"`
}

// utilsGetDate answers the virtual time read in UTC. The documented sample
// (https://kavenegar.com/rest.html#utils-getdate: "hour":13, "minute":53 with
// "unixtime":1338645226) is that instant in UTC, 2012-06-02 13:53:46Z, and not in
// Tehran, where it was 18:23. datetime is dd/MM/yyyy hh:mm:ss with the Persian
// AM/PM designator: read that way the sample's "02/06/2012 01:53:46 ب.ظ" is the
// same instant.
func (p *Provider) utilsGetDate(c *api.Call) error {
	t := c.Now.UTC()
	marker := "ق.ظ"
	if t.Hour() >= 12 {
		marker = "ب.ظ"
	}
	h12 := t.Hour() % 12
	if h12 == 0 {
		h12 = 12
	}
	return ok(c, dateEntry{
		DateTime: fmt.Sprintf("%02d/%02d/%04d %02d:%02d:%02d %s", t.Day(), int(t.Month()), t.Year(), h12, t.Minute(), t.Second(), marker),
		Year:     t.Year(), Month: int(t.Month()), Day: t.Day(),
		Hour: t.Hour(), Minute: t.Minute(), Second: t.Second(),
		UnixTime: t.Unix(),
	})
}
