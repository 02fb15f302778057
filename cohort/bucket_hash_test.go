package cohort

import (
	"hash/fnv"
	"testing"
)

// bucketOf routes as hash/fnv's FNV-1a did before it (same buckets).
func TestBucketOfIsFNV1a(t *testing.T) {
	for _, id := range []string{"", "a", "syn1-0", "ba18818d-faef-44cd-9744-b12d8973d402", "é/ü"} {
		for _, n := range []int{1, 3, 7, 1 << 16} {
			h := fnv.New64a()
			h.Write([]byte(id))
			if want := int(h.Sum64() % uint64(n)); bucketOf(id, n) != want || bucketOf([]byte(id), n) != want {
				t.Errorf("bucketOf(%q, %d) = %d; FNV-1a gives %d", id, n, bucketOf(id, n), want)
			}
		}
	}
}
