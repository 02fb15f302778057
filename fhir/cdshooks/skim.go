package cdshooks

import "bytes"

// Skimming the prefetched resources. scanCall checks every byte of a call
// as it finds the prefetch entries; the fhir reader then decodes each
// entry's resource and checks it again. With skim set, scanCall passes an
// entry's resource object by its brackets alone (strings passed with
// bytes.IndexByte), and leaves the check to the fhir reader, which reads
// every byte of every resource it is given: a resource that is not valid
// JSON is a rejection there (its fast decoder fails, and encoding/json then
// refuses it). The call's outcome may depend on the check only through
// those rejections, and before them through what gather does with the
// Bundles' shape; so a skimmed call is served as is only when it is
// decoded without error, its prefetch is complete (nothing to fetch) and
// every rejected entry is valid JSON (json.Valid). Anything else is served
// again from the start, with the body checked whole as before (call), so
// every answer is the one the checked reading gives: the same cards for a
// valid body, the same 400 for an invalid one. TestSkimSameAnswers and
// FuzzSkim hold the two readings to the same answers.
//
// The handler's skimming scanCall (scanCallDec with a fhir.Entries) also
// decodes each entry's resource as it passes it (resourceEnd), with the
// fhir reader's own decoder, and the reader then takes the decoded
// resource (fhir.Entries.Read) instead of decoding the bytes again. The
// end of a resource is guessed where the entry's search member follows it
// (`},"search":`, as FHIR servers write searchset entries) and the object
// up to there decoded: an object the decoder reads whole from its first
// bracket is valid JSON and ends there, so skimObject would have found
// the same end. When there is no such member, or the guess or the
// decoding fails, the object is skimmed by its brackets and then decoded
// (or left to the reader when the fast decoder refuses it); once a guess
// has gone past its object's end, none is made for the rest of the body,
// so the scan stays linear in the body's size. The decoder is
// given each object's exact bytes, as ReadEntries gives them. The call
// then goes on exactly as a skimmed one, with the same fallback to the
// checked reading.

// skim is off in tests that compare the two readings.
var skim = true

// skimObject returns the end of the object at b[i] (a '{') nested depth
// deep in the body, found by its brackets outside strings; ok false when
// the object does not end, or may nest deeper than scanCall allows (the
// caller then checks it as before).
func skimObject(b []byte, i, depth int) (end int, ok bool) {
	d := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			j, ok := stringEnd(b, i)
			if !ok {
				return 0, false
			}
			i = j
			continue
		case '{', '[':
			if d++; depth+d >= maxDepth {
				return 0, false
			}
		case '}', ']':
			if d--; d == 0 {
				return i + 1, true
			}
		}
		i++
	}
	return 0, false
}

// stringEnd returns the position after the string whose quote is at b[i]:
// the next quote not escaped by an odd run of backslashes.
func stringEnd(b []byte, i int) (int, bool) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, false
		}
		j += k
		n := 0
		for p := j - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return j + 1, true
		}
		j++
	}
}
