package cdshooks

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// fhirBase is the canonical form of a FHIR server base URL, as the
// allowlist and the paging check compare them: an absolute http(s) URL
// with a host, no query, fragment or user, scheme and host in lower case
// and the scheme's default port dropped (RFC 3986 §6.2.2.1, §6.2.3), no
// trailing "/".
func fhirBase(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not an absolute http(s) base URL (without user, query or fragment)", raw)
	}
	return origin(u) + strings.TrimSuffix(u.EscapedPath(), "/"), nil
}

// origin is u's scheme and host in canonical form (RFC 3986 §6.2.2.1:
// both are case-insensitive; §6.2.3: a scheme's default port is the same
// as none).
func origin(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	switch scheme {
	case "http":
		host = strings.TrimSuffix(host, ":80")
	case "https":
		host = strings.TrimSuffix(host, ":443")
	}
	return scheme + "://" + host
}

// underBase reports whether the URL u lies under the FHIR base URL base
// (same scheme, host and port, and base's path), both compared in
// canonical form: a server's own next link spelled differently from the
// fhirServer the client sent (HTTP://Host vs http://host) is its own.
func underBase(base, u string) bool {
	b, err := fhirBase(base)
	if err != nil {
		return false
	}
	p, err := url.Parse(u)
	if err != nil || p.User != nil || p.Host == "" {
		return false
	}
	return strings.HasPrefix(origin(p)+p.EscapedPath(), b+"/")
}

// fhirRefused says why the service may not call the request's fhirServer,
// or "" when it may (or none was given). The fhirServer is a URL the
// caller chooses, and the service calls it from inside its own network:
// without an allowlist any caller could make it probe internal services
// (trial-web #7: under --demo any local client; with trust any trusted
// EHR). So only listed base URLs are called: the calling client's
// fhir_servers in the trust file (§ Trusting CDS Clients: services
// "SHOULD maintain an allowlist of the iss and jku fields to only the CDS
// Clients they trust"; the same holds for the FHIR servers they are sent
// to, with the client's access token), or Config.FHIRServers without
// trust. A call that needs no fetch is not affected: a complete prefetch
// is read whatever fhirServer says. A call that needs one is answered 412
// (§ HTTP Status Codes: the service "is unable to retrieve the necessary
// FHIR data to execute its decision support, either through a prefetch
// request or directly calling the FHIR server"), with this reason.
func (h *handler) fhirRefused(claims *Claims, server string) string {
	if server == "" {
		return ""
	}
	base, err := fhirBase(server)
	if err != nil {
		return "fhirServer is not a base URL this service calls"
	}
	allowed := h.fhirServers
	who := "this service"
	if h.cfg.Trust != nil && claims != nil {
		allowed = h.cfg.Trust.fhirServers(claims.Iss)
		who = "the FHIR servers listed for this client (fhir_servers in the CDS trust file)"
	} else if h.cfg.Trust == nil {
		who = "the FHIR servers this service may call (--cds-fhir-servers)"
	}
	if slices.Contains(allowed, base) {
		return ""
	}
	return "fhirServer is not among " + who + ": send every prefetch key, or have the server's operator allow it"
}
