package assess_test

import "renalwatch/lupus"

func lupusScore(items []string) (int, error) {
	r, err := lupus.SLEDAI2K(items, 10)
	return r.Score, err
}
