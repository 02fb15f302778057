// Package cdshooks is RenalWatch's CDS Hooks 2.0.1 service for the
// patient-view hook (1.0): when a clinician opens a chart, the EHR (the CDS
// Client) calls the service with the patient's data, and the service
// answers with cards from RenalWatch's assessment.
//
// NewHandler returns an http.Handler serving discovery
// (GET /cds-services), the service (POST /cds-services/{id}) and feedback
// (POST /cds-services/{id}/feedback), with CORS on every route, JWT
// verification of the CDS Client (Trust, from the --cds-trust file), and
// errors mapped to HTTP status in one place (statusOf). The server mounts
// it; the package itself opens no listener.
//
// A call is handled in four steps: the request is checked (decodeCall);
// each prefetch key is resolved by its state, absent, null, an
// OperationOutcome, or a searchset page with a next link, fetching from
// the client's fhirServer with its access token where needed (gatherer);
// the resources are read with the fhir package's Reader into a
// record.Timeline and assessed with assess.Assess as of the injected
// clock; and the alerts that call for action become cards (buildCards).
//
// Source: CDS Hooks 2.0.1 (HL7, github.com/HL7/cds-hooks tag v2.0.1,
// input/pagecontent/index.md) and the patient-view hook 1.0. Comments cite
// its sections as "§ Section name". docs/cdshooks.md describes the
// decisions taken where the specification leaves room.
//
// The service calls a client's fhirServer only when its base URL is
// allowlisted (fhir_servers in the trust file, or Config.FHIRServers
// without trust), and a card links to the dashboard only when the store
// holds the patient with the same birth date and sex (dashboardLink).
//
// Caveats: RenalWatch informs and never prescribes, so cards carry no
// suggestions; card UUIDs are name-based on hookInstance and card code;
// the in-memory FeedbackStore and ReplayCache lose their content on
// restart and are not shared between servers.
package cdshooks
