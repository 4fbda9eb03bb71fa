package certs

import (
	"bytes"
	"crypto/x509"
	"os"
	"testing"
	"time"
)

func TestLeafVerifiesForEveryNameAndCAPersists(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)
	ca, err := LoadOrCreate(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Leaf([]string{"api.kavenegar.com", "api.kavenegar.com.localhost", "localhost", "127.0.0.1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(leaf.Certificate[0])
	for _, name := range []string{"api.kavenegar.com", "api.kavenegar.com.localhost", "localhost", "127.0.0.1"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: ca.Pool(), CurrentTime: now}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: ca.Pool(), CurrentTime: now}); err == nil {
		t.Error("leaf verified for a name it does not carry")
	}
	again, err := LoadOrCreate(dir, now.Add(time.Hour))
	if err != nil || !bytes.Equal(again.PEM(), ca.PEM()) {
		t.Fatalf("second start made a new CA: %v", err)
	}
	if st, _ := os.Stat(dir + "/" + keyFile); st.Mode().Perm() != 0o600 {
		t.Fatalf("CA key readable by others: %v", st.Mode())
	}
	os.WriteFile(CertPath(dir), []byte("junk"), 0o644)
	if _, err := LoadOrCreate(dir, now); err == nil {
		t.Fatal("a corrupt CA file was accepted")
	}
}
