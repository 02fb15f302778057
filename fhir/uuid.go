package fhir

import (
	"crypto/sha1"
	"encoding/hex"
)

// nameUUID returns the name-based (version 5, SHA-1) UUID of name in the
// namespace ns, as RFC 4122 §4.3 specifies (also RFC 9562 §5.5): the first
// 16 bytes of SHA-1(namespace bytes ‖ name), with the version nibble set to
// 5 and the variant bits to 10. The same name always gives the same UUID,
// which keeps report bundles deterministic while their fullUrls are real
// UUIDs. It is written here on crypto/sha1 rather than taken from
// github.com/google/uuid (whose NewSHA1 does the same) to keep the fhir
// package on the standard library; the test checks it against the
// well-known vector uuid5(NAMESPACE_DNS, "python.org").
func nameUUID(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // variant 10 (RFC 4122)
	return u
}

// formatUUID writes u in the 8-4-4-4-12 lower-case hex form.
func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}

// namespaceURL is the RFC 4122 Appendix C name space for URLs,
// 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
var namespaceURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// reportNamespace is the name space of the UUIDs RenalWatch writes in
// report bundles: uuid5(NAMESPACE_URL, "urn:renalwatch:report").
func reportNamespace() [16]byte { return nameUUID(namespaceURL, "urn:renalwatch:report") }
