package rules_test

// must returns v, and fails loudly on an error that a test's own input
// should never cause.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
