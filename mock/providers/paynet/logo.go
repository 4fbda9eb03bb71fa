package paynet

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// logoPath is where card_logo_url points, below the host root: the official
// card/list sample's URL is <host>/img/banklogo/small/AXSS.png.
const logoPath = "/img/banklogo/small/"

// bankLogo serves the image card_logo_url names, so a client that shows the logo
// gets a picture and not a 404. Paynet's images are theirs to publish, so the
// picture is drawn here: a small badge in a colour of the bank id, the same bytes
// every time. An id the BIN table does not know is a 404 like any unknown path.
func (p *Provider) bankLogo(c *api.Call) error {
	id, ok := strings.CutSuffix(c.Param("file"), ".png")
	if _, known := p.cfg.banks[id]; !ok || !known {
		return &envelope.Error{Kind: envelope.KindNotFound}
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/png", logoPNG(id))
}

// logoPNG draws a 64×40 badge: a background colour from the bank id's hash and a
// lighter band, enough to tell banks apart on a card list.
func logoPNG(id string) []byte {
	h := fnv.New32a()
	h.Write([]byte(id))
	v := h.Sum32()
	bg := color.RGBA{R: uint8(v), G: uint8(v >> 8), B: uint8(v >> 16), A: 255}
	band := color.RGBA{R: bg.R/2 + 127, G: bg.G/2 + 127, B: bg.B/2 + 127, A: 255}
	img := image.NewRGBA(image.Rect(0, 0, 64, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 64; x++ {
			c := bg
			if y >= 26 && y < 32 {
				c = band
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // an in-memory RGBA image always encodes
	return buf.Bytes()
}
