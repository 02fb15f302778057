package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/server"
	"renalwatch/store/sqlite"
)

// TestServeCDSLinkIdentity: through serve's store, a card links to the
// dashboard only when the store holds the EHR's patient with the same
// birth date and sex (trial-web #3: links to a patient the store did not
// hold, or to another person with the same id).
func TestServeCDSLinkIdentity(t *testing.T) {
	demoNow(t)
	dbPath := filepath.Join(t.TempDir(), "cds.db")
	if err := runDemo(context.Background(), []string{"--db", dbPath, "--json"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cds, err := serveCDS("", "", cdsTestPublic, true)
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Config{Store: db, Now: now, Import: serveImport, Calc: serveCalc, PublicURL: cdsTestPublic, CDS: cds, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	links := func(patientID string, mod func(map[string]any)) (n, cards int) {
		pf := demoPrefetch(t, "ln-class-iv-g4")
		var p map[string]any
		json.Unmarshal(pf["patient"], &p)
		p["id"] = patientID
		if mod != nil {
			mod(p)
		}
		pf["patient"], _ = json.Marshal(p)
		call, _ := json.Marshal(map[string]any{"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
			"context": map[string]string{"userId": "Practitioner/123", "patientId": patientID}, "prefetch": pf})
		// The same record under the EHR's id (its references too).
		body := strings.ReplaceAll(string(call), "ln-class-iv-g4", patientID)
		r := httptest.NewRequest("POST", "/cds-services/renalwatch-kidney", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var resp struct {
			Cards []struct{ Links []struct{ URL string } } `json:"cards"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != 200 {
			t.Fatalf("%s: %d %s", patientID, w.Code, w.Body)
		}
		for _, c := range resp.Cards {
			n += len(c.Links)
		}
		return n, len(resp.Cards)
	}
	for _, r := range []struct {
		name, id string
		mod      func(map[string]any)
		linked   bool
	}{
		{"stored, same birth date and sex", "ln-class-iv-g4", nil, true},
		{"stored id, another birth date: another person", "ln-class-iv-g4", func(p map[string]any) { p["birthDate"] = "1960-01-01" }, false},
		{"stored id, another sex", "ln-class-iv-g4", func(p map[string]any) { p["gender"] = "male" }, false},
		{"stored id, EHR gives no birth date", "ln-class-iv-g4", func(p map[string]any) { delete(p, "birthDate") }, false},
		{"not in the store", "ehr-4711", nil, false},
	} {
		n, cards := links(r.id, r.mod)
		if cards == 0 || (n == cards) != r.linked || (n != 0 && n != cards) {
			t.Errorf("%s: %d links on %d cards, linked %v", r.name, n, cards, r.linked)
		}
	}
}
