package oauth

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
)

const (
	hexDigits = "0123456789abcdef"
	alnum     = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	digits    = "0123456789"
)

// IDs draws codes, ids and passwords from one seeded stream so that a run started
// with the same --seed hands out the same values, which keeps golden files and QA
// reproductions stable. It is safe for concurrent use; the order of concurrent
// draws is of course not deterministic.
type IDs struct {
	mu sync.Mutex
	r  *rand.Rand
}

// NewIDs returns a stream seeded from seed.
func NewIDs(seed int64) *IDs {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:8], uint64(seed))
	copy(s[8:], "sandbank/oauth/ids/chacha8")
	return &IDs{r: rand.New(rand.NewChaCha8(s))}
}

func (g *IDs) pick(n int, alphabet string) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	g.mu.Lock()
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	g.mu.Unlock()
	return string(b)
}

// Hex returns n lower-case hex characters.
func (g *IDs) Hex(n int) string { return g.pick(n, hexDigits) }

// Alnum returns n characters of [0-9A-Za-z], the alphabet of Finnotech codes.
func (g *IDs) Alnum(n int) string { return g.pick(n, alnum) }

// Digits returns n decimal digits; a leading zero is allowed, as in real OTPs.
func (g *IDs) Digits(n int) string { return g.pick(n, digits) }

// UUID returns a random (version 4, RFC 9562 variant) UUID in canonical form.
func (g *IDs) UUID() string {
	var b [16]byte
	g.mu.Lock()
	binary.LittleEndian.PutUint64(b[:8], g.r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], g.r.Uint64())
	g.mu.Unlock()
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
