package server

import (
	"context"
	"encoding/json"

	"renalwatch/fhir/cdshooks"
	"renalwatch/record"
	"renalwatch/store"
)

// cdsRoutes are the CDS Hooks 2.0.1 endpoints (docs/cdshooks.md), served
// by cdshooks.NewHandler: it verifies the EHR's JWT itself, so they are
// public to the server's bearer-token check, and it answers the CORS
// preflight (OPTIONS) before any authentication. GET /api/cds/feedback,
// the counts per alert code, is behind the server's tokens.
func (s *Server) cdsRoutes() []route {
	if s.cds == nil {
		return nil
	}
	h := s.cds.ServeHTTP
	return []route{
		{"GET /cds-services", true, h},
		{"OPTIONS /cds-services", true, h},
		{"POST /cds-services/{id}", true, s.audited("cds call", RoleReader, h)},
		{"OPTIONS /cds-services/{id}", true, h},
		{"POST /cds-services/{id}/feedback", true, s.audited("cds feedback", RoleReader, h)},
		{"OPTIONS /cds-services/{id}/feedback", true, h},
		// Any other method or path under /cds-services: the handler
		// answers 405 or 404 in JSON, not the dashboard's HTML page.
		{"/cds-services", true, h},
		{"/cds-services/", true, h},
		{"GET /api/cds/feedback", false, s.cdsCounts.ServeHTTP},
	}
}

// setupCDS builds the CDS Hooks handler from cfg.CDS: feedback goes to the
// store when it implements store.FeedbackStore (it then survives a
// restart), the log is the server's. A configuration that fails
// cdshooks.Config.Check is an error: the server does not start.
func (s *Server) setupCDS() error {
	c := s.cfg.CDS
	if c == nil {
		return nil
	}
	cc := *c
	if err := cc.Check(); err != nil {
		return err
	}
	if cc.Feedback == nil {
		if fs, ok := s.cfg.Store.(store.FeedbackStore); ok {
			cc.Feedback = feedbackStore{fs}
			if s.auditor != nil {
				s.callAuditor, _ = s.cfg.Store.(store.CallAuditor)
			}
		} else {
			cc.Feedback = cdshooks.NewMemoryFeedbackStore()
		}
	}
	if cc.Logger == nil {
		cc.Logger = s.log
	}
	if cc.Now == nil {
		cc.Now = s.cfg.Now
	}
	if cc.Patients == nil && s.cfg.Store != nil {
		// Cards link to the dashboard only for a patient the store holds
		// (cdshooks checks birth date and sex agree); any error: no link.
		st := s.cfg.Store
		cc.Patients = func(ctx context.Context, id string) (record.Patient, bool) {
			p, err := st.Patient(ctx, id)
			return p, err == nil
		}
	}
	s.cds = cdshooks.NewHandler(cc)
	s.cdsCounts = cdshooks.FeedbackCounts(cc.Feedback)
	s.cdsFeedback = cc.Feedback // for the feedback page (docspage.go)
	return nil
}

// feedbackStore adapts a store.FeedbackStore to cdshooks.FeedbackStore.
type feedbackStore struct{ s store.FeedbackStore }

// Issue stores the cards of one response. Within a call that audited
// serves with a store.CallAuditor, the cards are handed to it instead
// (issuedCards) and written with the call's audit row, in one transaction,
// before the response is sent: feedback on a card the EHR has shown always
// finds it, as when they were written here.
func (f feedbackStore) Issue(ctx context.Context, cs ...cdshooks.IssuedCard) error {
	out := make([]store.IssuedCard, len(cs))
	for i, c := range cs {
		out[i] = store.IssuedCard{UUID: c.UUID, ServiceID: c.ServiceID, AlertCode: c.AlertCode, Issued: c.Issued}
	}
	if p, ok := ctx.Value(issuedCardsKey{}).(*[]store.IssuedCard); ok {
		if err := store.CheckIssued(out); err != nil {
			return err
		}
		*p = append(*p, out...)
		return nil
	}
	return f.s.IssueCard(ctx, out...)
}

// issuedCardsKey is the request context key of the cards a CDS Hooks call
// issued, for audited to write with the call's audit row.
type issuedCardsKey struct{}

func (f feedbackStore) Record(ctx context.Context, serviceID string, fb cdshooks.Feedback) error {
	body, err := json.Marshal(fb)
	if err != nil {
		return err
	}
	return f.s.RecordFeedback(ctx, store.CardFeedback{ServiceID: serviceID, Card: fb.Card, Outcome: fb.Outcome,
		OutcomeTimestamp: fb.OutcomeTimestamp, Body: body})
}

func (f feedbackStore) Counts(ctx context.Context) ([]cdshooks.FeedbackCount, error) {
	cs, err := f.s.FeedbackCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]cdshooks.FeedbackCount, len(cs))
	for i, c := range cs {
		out[i] = cdshooks.FeedbackCount{AlertCode: c.AlertCode, Accepted: c.Accepted, Overridden: c.Overridden}
	}
	return out, nil
}
