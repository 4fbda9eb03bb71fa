package iran

import (
	"time"
	_ "time/tzdata" // Asia/Tehran must resolve on machines without a zoneinfo database
)

// Tehran is the Asia/Tehran location every provider's wall time is read in.
var Tehran = mustLoad("Asia/Tehran")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
