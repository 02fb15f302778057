package server

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strconv"

	"renalwatch/store"
)

// deliver writes the response audited held (bw) and flushes it to the
// connection, so that an answer that cannot be sent is known: a write
// left in the server's buffer fails only after the handler returns,
// unseen (trial 10 F15: a 203 s CDS call passed the 2-minute write
// timeout, the EHR got an empty reply, and the log said 200 and the audit
// "ok"). The length is set, so flushing does not change the framing.
func deliver(w http.ResponseWriter, bw *bufferedWriter) error {
	if bw.body.Len() > 0 && w.Header().Get("Content-Length") == "" {
		w.Header().Set("Content-Length", strconv.Itoa(bw.body.Len()))
	}
	w.WriteHeader(bw.status)
	_, err := w.Write(bw.body.Bytes())
	if err == nil {
		err = http.NewResponseController(w).Flush()
	}
	if errors.Is(err, http.ErrNotSupported) || errors.Is(err, http.ErrBodyNotAllowed) {
		return nil // not a connection: nothing was lost
	}
	return err
}

// undelivered records an answer that could not be sent: an error in the
// server log and the access log's record, and, for an audited request, a
// second audit row beside the first (written before the answer, as the
// issued cards need), saying the answer did not reach the caller. The
// network error is not recorded (it names addresses).
func (s *Server) undelivered(r *http.Request, e store.AuditEntry, err error) {
	why := "the connection failed"
	if errors.Is(err, os.ErrDeadlineExceeded) {
		why = "the server's write timeout had passed"
	}
	if info, _ := r.Context().Value(logKey{}).(*logInfo); info != nil {
		info.undelivered = why
	}
	s.log.ErrorContext(r.Context(), "answer not delivered", "route", routeOf(r), "reason", why)
	if s.auditor == nil || e.Action == "" {
		return
	}
	e.Time = s.cfg.Now()
	e.Outcome = "error: the answer was not delivered, " + why + " (its outcome: " + e.Outcome + ")"
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditWriteTimeout)
	defer cancel()
	if s.auditor.Audit(ctx, e) != nil {
		s.log.ErrorContext(r.Context(), "audit row of an undelivered answer not written", "route", routeOf(r))
	}
}
